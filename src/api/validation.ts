import type { z } from 'zod'
import {
  BadRequestError,
  type FieldProblem,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from './errors.js'
import type { ApiRequest } from './types.js'

/** The largest request body the API reads; every A+ body is well under 1 KiB. */
export const MAX_BODY_BYTES = 16 * 1024

type Part = 'body' | 'query' | 'path'

/** Reads the request's JSON body: present, small enough, JSON by type and by content. */
export function readJsonBody(request: ApiRequest): unknown {
  const { body } = request
  if (body === undefined || body === '') {
    throw new BadRequestError('body_required', 'the request needs a JSON body')
  }
  if (Buffer.byteLength(body) > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES)
  const contentType = request.headers['content-type']
  if (contentType !== undefined && !/^application\/(.+\+)?json\s*(;|$)/i.test(contentType)) {
    throw new UnsupportedMediaTypeError(contentType)
  }
  try {
    return JSON.parse(body)
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'not JSON'
    throw new BadRequestError('malformed_json', `the body is not valid JSON: ${reason}`)
  }
}

/** Checks one part of the request against its schema; every problem is named by field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  part: Part,
): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true })
  if (result.success) return result.data
  const fields = result.error.issues.flatMap((issue) => describeIssue(issue, part))
  const summary = fields.map(({ field, problem }) => `${field} ${problem}`).join('; ')
  throw new BadRequestError(`invalid_${part}`, summary, fields)
}

function describeIssue(issue: z.core.$ZodIssue, part: Part): FieldProblem[] {
  const field = [part, ...issue.path.map(String)].join('.')
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        field: `${field}.${key}`,
        problem: 'is not a known field',
      }))
    case 'invalid_type':
      return [{ field, problem: describeWrongType(issue) }]
    case 'too_big':
      return [{ field, problem: `must be at most ${issue.maximum}${unitOf(issue.origin)}` }]
    case 'too_small':
      return [{ field, problem: `must be at least ${issue.minimum}${unitOf(issue.origin)}` }]
    case 'invalid_value':
      return [{ field, problem: `must be one of ${issue.values.map(String).join(', ')}` }]
    case 'invalid_format':
      return [
        { field, problem: issue.format === 'email' ? 'must be an email address' : issue.message },
      ]
    default:
      return [{ field, problem: issue.message }]
  }
}

function describeWrongType(issue: z.core.$ZodIssueInvalidType): string {
  if (issue.input === undefined) return 'is required'
  const received =
    issue.input === null ? 'null' : Array.isArray(issue.input) ? 'array' : typeof issue.input
  const expected =
    issue.expected === 'int' ? 'a whole number' : `${article(issue.expected)} ${issue.expected}`
  return `must be ${expected}, got ${received}`
}

const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a')

const unitOf = (origin: string) =>
  origin === 'string' ? ' characters' : origin === 'array' ? ' items' : ''
