import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../src/local/table-setup.js'
import { parseCapacitySpec } from '../../src/store/capacity.js'
import { createDocumentClient } from '../../src/store/client.js'
import { StoreThrottledError } from '../../src/store/errors.js'
import { createStore } from '../../src/store/index.js'
import { STORE_PROFILES } from '../../src/store/profile.js'
import { type LocalTable, startLocalTable } from '../support/local-table.js'

let table: LocalTable
const saved = { ...process.env }

beforeAll(async () => {
  // Six write units a second and no burst: an admitted six-unit enrollment transaction leaves
  // the bucket in debt for about a second, during which the next one is refused.
  table = await startLocalTable(parseCapacitySpec('provisioned:5/6,index=5/5'), {
    startingBalance: 'empty',
    burstSeconds: 0,
  })
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: table.dynamodb.url,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  })
  // The student and the course go straight into the engine, past the governor.
  const put = (Item: Record<string, unknown>) =>
    table.dynamodb.engine.execute('PutItem', { TableName: table.tableName, Item })
  await put({ pk: { S: 'STUDENT#stu_a' }, sk: { S: 'PROFILE' }, studentId: { S: 'stu_a' } })
  await put({ pk: { S: 'STUDENT#stu_b' }, sk: { S: 'PROFILE' }, studentId: { S: 'stu_b' } })
  await put({ pk: { S: 'STUDENT#stu_c' }, sk: { S: 'PROFILE' }, studentId: { S: 'stu_c' } })
  await put({
    pk: { S: 'COURSE#crs_a' },
    sk: { S: '#COURSE' },
    courseId: { S: 'crs_a' },
    capacity: { N: '10' },
    enrolled: { N: '0' },
  })
})

afterEach(async () => {
  // Let the write bucket refill before the next case.
  await new Promise((resolve) => setTimeout(resolve, 1200))
})

afterAll(async () => {
  process.env = saved
  await table.close()
})

function storeWith(profile: keyof typeof STORE_PROFILES) {
  return createStore({
    db: createDocumentClient(STORE_PROFILES[profile]),
    tableName: table.tableName,
  })
}

describe('an enrollment transaction on a throttled table', () => {
  it('fails at once with the SDK default behaviour: a cancelled transaction is not retried', async () => {
    const store = storeWith('seed-era')
    // Drain the bucket first: one admitted transaction leaves it in debt.
    await store.enrollments.enroll('crs_a', 'stu_a', 'now').catch(() => undefined)
    await expect(store.enrollments.enroll('crs_a', 'stu_b', 'now')).rejects.toBeInstanceOf(
      StoreThrottledError,
    )
  })

  it('is retried within the budget by the resilient profile and succeeds once capacity returns', async () => {
    const store = storeWith('resilient')
    await store.enrollments.enroll('crs_a', 'stu_c', 'first')
    const retriesBefore = table.dynamodb.server.sdkRetries()
    const enrollment = await store.enrollments.enroll('crs_a', 'stu_b', 'later')
    expect(table.dynamodb.server.sdkRetries()).toBeGreaterThan(retriesBefore)
    expect(enrollment.item).toMatchObject({ courseId: 'crs_a', studentId: 'stu_b' })
    const listed = await store.enrollments.list('crs_a', { limit: 10 })
    expect(listed.items.map((item) => item.studentId)).toContain('stu_b')
  })
})
