import { expect } from 'vitest'
import type { HostileRequest } from './hostile-api.js'

export interface Answer {
  status: number
  headers: Record<string, string>
  text: string
  json: unknown
}

/**
 * Checks that a hostile request was refused as a client error with a message a person can read:
 * the API's `{"error": {"code", "message"}}` or API Gateway's own `{"message"}`, never a 5xx.
 */
export function expectRefusal(answer: Answer, request: HostileRequest): void {
  const context = `${request.method} ${request.target.slice(0, 300)} [${request.defects.join('; ')}] answered ${answer.status} ${answer.text.slice(0, 300)}`
  expect(answer.status, context).toBeGreaterThanOrEqual(400)
  expect(answer.status, context).toBeLessThan(500)
  const body = answer.json as { error?: { code?: unknown; message?: unknown }; message?: unknown }
  const message = body?.error?.message ?? body?.message
  expect(typeof message === 'string' && message.trim().length > 0, context).toBe(true)
  if (body?.error) expect(body.error.code, context).toMatch(/^[a-z_]+$/)
  if (answer.status === 405) expect(answer.headers.allow, context).toBeTruthy()
}
