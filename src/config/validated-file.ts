import { readFile } from 'node:fs/promises'
import { type Document, isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml'
import type { z } from 'zod'

/** One thing wrong with a file: where (a JSON path, with line and column when known) and what. */
export interface Problem {
  path: string
  message: string
}

type PathKey = PropertyKey

/** `['load', 'phases', 1, 'ratePerSecond']` → `$.load.phases[1].ratePerSecond`. */
export function jsonPath(path: readonly PathKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`
    const name = String(key)
    return /^[A-Za-z_$][\w$]*$/.test(name) ? `${text}.${name}` : `${text}[${JSON.stringify(name)}]`
  }, '$')
}

/** A zod error as problems, one per issue (one per key for unknown keys). */
export function problemsOf(error: z.ZodError): Problem[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: jsonPath([...issue.path, key]),
        message: `unknown key '${key}'`,
      }))
    }
    return [{ path: jsonPath(issue.path), message: issue.message }]
  })
}

/**
 * Reads a JSON or YAML file (YAML is a superset, so one parser reads both), refuses duplicate
 * keys, and validates it against a schema. Every problem names its JSON path and, when the key
 * can be found in the text, its line and column; `fail` turns them into the caller's error type.
 */
export async function readValidatedFile<S extends z.ZodType>(
  filePath: string,
  schema: S,
  fail: (problems: Problem[], cause?: unknown) => Error,
): Promise<z.output<S>> {
  let text: string
  try {
    text = await readFile(filePath, 'utf8')
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw fail([{ path: '$', message: `cannot read the file: ${reason}` }], error)
  }

  const lines = new LineCounter()
  const document = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true })
  if (document.errors.length > 0) {
    throw fail(
      document.errors.map((error) => {
        const position = error.linePos?.[0]
        const where = position ? `line ${position.line}, column ${position.col}` : 'somewhere'
        return {
          path: `$ (${where})`,
          message: error.message.split(' at line ')[0] ?? error.message,
        }
      }),
    )
  }

  let value: unknown
  try {
    value = document.toJS()
  } catch (error) {
    // Parsed YAML can still fail to become a value: an alias with no anchor before it, or more
    // aliases than the parser expands (a document built to blow up).
    const reason = error instanceof Error ? error.message : String(error)
    throw fail([{ path: '$', message: `the YAML cannot be read as a value: ${reason}` }], error)
  }
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw fail(locate(problemsOf(parsed.error), document, lines))
  return parsed.data
}

/** The node to point at for a path: the key of the last step when it is a map key, else the value. */
function nodeAt(document: Document, keys: (string | number)[]) {
  const last = keys.at(-1)
  const parent = document.getIn(keys.slice(0, -1), true)
  if (typeof last === 'string' && isMap(parent)) {
    const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === last)
    if (pair && isNode(pair.key)) return pair.key
  }
  return document.getIn(keys, true)
}

/** Adds `line, column` to each problem whose key can be found in the document. */
function locate(problems: Problem[], document: Document, lines: LineCounter): Problem[] {
  return problems.map((problem) => {
    const keys = pathKeys(problem.path)
    for (let depth = keys.length; depth >= 0; depth -= 1) {
      const node = nodeAt(document, keys.slice(0, depth))
      if (isNode(node) && node.range) {
        const { line, col } = lines.linePos(node.range[0])
        return { ...problem, path: `${problem.path} (line ${line}, column ${col})` }
      }
    }
    return problem
  })
}

function pathKeys(path: string): (string | number)[] {
  const keys: (string | number)[] = []
  for (const match of path.matchAll(/\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)) {
    if (match[1] !== undefined) keys.push(match[1])
    else if (match[2] !== undefined) keys.push(Number(match[2]))
    else if (match[3] !== undefined) keys.push(JSON.parse(match[3]) as string)
  }
  return keys
}
