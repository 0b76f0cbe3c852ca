import {
  ConditionalCheckFailedException,
  ProvisionedThroughputExceededException,
  ThrottlingException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb'
import { describe, expect, it } from 'vitest'
import { errorResponse } from '../../src/api/errors.js'
import type { Logger } from '../../src/api/logger.js'
import type { ApiRequest } from '../../src/api/types.js'
import { StoreThrottledError } from '../../src/store/errors.js'
import { translateStoreError } from '../../src/store/translate.js'

const metadata = { $metadata: { attempts: 3 }, message: 'refused' }

function recordingLogger() {
  const lines: { message: string; fields?: Record<string, unknown> }[] = []
  const record = (message: string, fields?: Record<string, unknown>) =>
    lines.push({ message, fields })
  const logger: Logger = { error: record, warn: record, info: record, debug: record }
  return { logger, lines }
}

const request: ApiRequest = {
  routeKey: 'POST /students',
  method: 'POST',
  path: '/students',
  pathParameters: {},
  query: {},
  headers: {},
  body: undefined,
  requestId: 'request-1',
}

describe('SDK errors at the data layer boundary', () => {
  it.each([
    new ProvisionedThroughputExceededException(metadata),
    new ThrottlingException(metadata),
    new TransactionCanceledException({
      ...metadata,
      CancellationReasons: [{ Code: 'None' }, { Code: 'ProvisionedThroughputExceeded' }],
    }),
  ])('turns throttling that outlived the retries (%s) into StoreThrottledError', (error) => {
    expect(() => translateStoreError(error)).toThrow(StoreThrottledError)
  })

  it('rethrows everything else unchanged', () => {
    const failure = new ConditionalCheckFailedException(metadata)
    expect(() => translateStoreError(failure)).toThrow(failure)
  })

  it('answers a throttled store with 503 and Retry-After, and logs nothing', () => {
    const { logger, lines } = recordingLogger()
    const response = errorResponse(new StoreThrottledError(1), request, logger)
    expect(response).toEqual({
      statusCode: 503,
      headers: { 'retry-after': '1' },
      body: { error: { code: 'throttled', message: expect.stringContaining('retry after 1 s') } },
    })
    expect(lines).toEqual([])
  })

  it('answers an unexpected error with a 500 that carries no internals, and logs them', () => {
    const { logger, lines } = recordingLogger()
    const response = errorResponse(new Error('secret table name aplus-prod'), request, logger)
    expect(response.statusCode).toBe(500)
    expect(JSON.stringify(response.body)).not.toContain('secret')
    expect(lines[0]?.fields).toMatchObject({
      requestId: 'request-1',
      errorMessage: 'secret table name aplus-prod',
    })
  })
})
