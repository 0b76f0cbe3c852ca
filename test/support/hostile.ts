import fc from 'fast-check'

/**
 * Building blocks of hostile input, shared by the property suites: text that breaks naive code
 * (lone surrogates, bidirectional overrides, zero-width and control characters, very long runs),
 * keys that pollute prototypes, numbers at the edges, and JSON nested deeper than anyone meant.
 */

export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const

const loneSurrogate = fc
  .integer({ min: 0xd800, max: 0xdfff })
  .map((code) => String.fromCharCode(code))

/** Characters that look like nothing, reorder text, or end it. */
const trickyCharacter = fc.constantFrom(
  '\u0000',
  '\u0007',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u200b',
  '\u200d',
  '\u200e',
  '\u202e',
  '\u2066',
  '\u2028',
  '\ufeff',
  '\ufffd',
  '\uffff',
  '\u0301',
  '\t',
  '\r\n',
  '"',
  '\\',
  '%',
  '/',
  '#',
  '?',
  '&',
  '=',
  '\u0645\u0631\u062d\u0628\u0627',
  '\ud83d\ude00',
)

/** Any of the above mixed with ordinary text, from empty to a few hundred characters. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({
    unit: fc.oneof(
      loneSurrogate,
      trickyCharacter,
      fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
    ),
    maxLength: 40,
  }),
  fc.constantFrom(...PROTOTYPE_KEYS, 'toString', 'hasOwnProperty', 'null', 'undefined', 'NaN'),
  fc
    .tuple(fc.string({ minLength: 1, maxLength: 3 }), fc.integer({ min: 100, max: 5000 }))
    .map(([unit, times]) => unit.repeat(times)),
)

/** Numbers where parsers and bounds checks go wrong. */
export const edgeNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1.5, 1e21, -1e21, 2 ** 53, 2 ** 53 + 2, Number.MAX_VALUE),
  fc.constantFrom(Number.MIN_VALUE, 2 ** 31, -(2 ** 31) - 1, 1e-7),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
)

/** Text that a number parser might accept halfway. */
export const numberLikeText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', '1e2', '0x10', '010', '+5', '-0', '5.0', '5 ', ' 5', 'Infinity', 'NaN'),
  fc.constantFrom('\uff15', '\u0665', '1_000', '1,000', '99999999999999999999', '-1', '0', '101'),
  edgeNumber.map(String),
  hostileString,
)

/** A JSON text of arrays or objects nested `depth` deep. */
export const deeplyNested: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 33, max: 20_000 }), fc.boolean())
  .map(([depth, objects]) =>
    objects
      ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
      : `${'['.repeat(depth)}${']'.repeat(depth)}`,
  )

/** Any JSON value, prototype-polluting keys included. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), hostileString), fc.jsonValue(), {
    maxKeys: 4,
  }),
)

/** Text that is not JSON at all, or JSON cut short. */
export const notJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('{', '{"a":', '[1,', "{'a':1}", '{"a":1,}', 'undefined', 'NaN', '{"a":01}'),
  fc.string({ minLength: 1, maxLength: 60 }).filter((text) => !parsesAsJson(text)),
)

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** Bytes that are not UTF-8 (a lone surrogate as WTF-8, a cut sequence, an overlong form). */
export const invalidUtf8: fc.Arbitrary<Buffer> = fc
  .constantFrom([0xed, 0xa0, 0x80], [0xc3], [0xc0, 0xaf], [0xff, 0xfe], [0xf4, 0x90, 0x80, 0x80])
  .map((bytes) => Buffer.from(bytes))

/** Percent-encoding that does not decode to UTF-8 text. */
export const badPercentEncoding = fc.constantFrom('%', '%Z1', '%ED%A0%80', '%C3', '%FF', '%E0%80')

export type JsonPath = (string | number)[]

/** Every path into a JSON value, the root excluded. */
export function pathsOf(value: unknown, prefix: JsonPath = []): JsonPath[] {
  if (typeof value !== 'object' || value === null) return []
  return Object.entries(value).flatMap(([key, child]) => {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key]
    return [path, ...pathsOf(child, path)]
  })
}

/**
 * A copy of `value` with the member at `path` replaced, or removed when `replacement` is
 * undefined. Keys are defined as own properties, so `__proto__` stays a key.
 */
export function spoil(
  value: unknown,
  path: JsonPath,
  replacement: { value: unknown } | undefined,
): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>
  let parent = copy
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>
  const last = path[path.length - 1] as string | number
  if (replacement === undefined) delete parent[last]
  else {
    Object.defineProperty(parent, last, {
      value: replacement.value,
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return copy
}

/** A document spoiled in one place, with the path of the change (a stranger key included). */
export interface SpoiledDocument {
  document: unknown
  path: JsonPath
  change: 'replaced' | 'removed' | 'added'
}

/** Spoils a valid document in one place: a member replaced, removed, or a stranger added beside it. */
export function spoiledDocument(
  template: unknown,
  replacement: fc.Arbitrary<unknown>,
  strangerKey: fc.Arbitrary<string>,
): fc.Arbitrary<SpoiledDocument> {
  const paths = pathsOf(template)
  return fc
    .tuple(fc.nat({ max: paths.length - 1 }), replacement, fc.nat({ max: 5 }), strangerKey)
    .map(([pick, value, how, stranger]) => {
      const path = paths[pick] ?? []
      if (how === 0) return { document: spoil(template, path, undefined), path, change: 'removed' }
      if (how === 1) {
        const added = [...path.slice(0, -1), stranger]
        return { document: spoil(template, added, { value }), path: added, change: 'added' }
      }
      return { document: spoil(template, path, { value }), path, change: 'replaced' }
    })
}
