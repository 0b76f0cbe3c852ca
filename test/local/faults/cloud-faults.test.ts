import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RouteDefinition } from '../../../src/api/routes.js'
import { type LocalCloud, startLocalCloud } from '../../../src/local/cloud.js'
import { resolveFaults } from '../../../src/local/faults/config.js'
import { startGateway } from '../../../src/local/gateway/server.js'
import { httpClient, withBearer } from '../../support/api-client.js'
import { STATEFUL_HANDLER, startTestService } from '../../support/lambda-fixtures.js'

const ADDED_LATENCY_MS = 30
let cloud: LocalCloud
let buildDir: string

beforeAll(async () => {
  buildDir = await mkdtemp(join(tmpdir(), 'aplus-build-'))
  cloud = await startLocalCloud({
    topology: 'monolith',
    buildDir,
    config: { lambda: { coldStartDelayMs: 0 } },
    faults: {
      seed: 17,
      dynamodb: { internalErrorRate: 0.3, latencyMs: ADDED_LATENCY_MS },
      lambda: { crashRate: 0.15 },
    },
  })
})

afterAll(async () => {
  await cloud?.close()
  await rm(buildDir, { recursive: true, force: true })
})

describe('the local cloud under injected faults', () => {
  it('still answers every request: DynamoDB 500s are retried away, crashes are 500s', async () => {
    const token = await cloud.auth.localIssuer?.mint({ role: 'instructor', subject: 'faults' })
    const api = withBearer(httpClient(cloud.url), token ?? '')
    // The student is created with an idempotency key, so a create whose answer was lost to a
    // fault can be repeated safely until it is acknowledged.
    let created = await api.request('POST', '/students', {
      body: { name: 'Faulty', email: 'f@example.com' },
      headers: { 'idempotency-key': 'faults-student' },
    })
    for (let attempt = 0; created.status !== 201 && attempt < 10; attempt += 1) {
      created = await api.request('POST', '/students', {
        body: { name: 'Faulty', email: 'f@example.com' },
        headers: { 'idempotency-key': 'faults-student' },
      })
    }
    expect(created.status).toBe(201)

    const statuses: number[] = []
    const gatewayErrors: unknown[] = []
    for (let index = 0; index < 40; index += 1) {
      const read = await api.request('GET', `/students/${created.body.studentId}`)
      statuses.push(read.status)
      if (read.status === 500 && read.body?.message) gatewayErrors.push(read.body)
    }
    expect(statuses).toHaveLength(40)
    expect(statuses.every((status) => status === 200 || status === 500)).toBe(true)
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(28)

    // Crashes are counted in the Lambda timeline; each is API Gateway's 500, and the environment
    // after it is a new one (a cold start).
    const seconds = cloud.timeline.export().seconds
    const monolith = seconds.map((second) => second.functions.monolith)
    const crashes = monolith.reduce((sum, second) => sum + (second?.faults.crashes ?? 0), 0)
    const coldStarts = monolith.reduce((sum, second) => sum + (second?.coldStarts ?? 0), 0)
    expect(crashes).toBeGreaterThan(0)
    expect(gatewayErrors.length).toBeGreaterThan(0)
    expect(
      gatewayErrors.every((body) => JSON.stringify(body) === '{"message":"Internal Server Error"}'),
    ).toBe(true)
    expect(coldStarts).toBeGreaterThanOrEqual(crashes)

    // DynamoDB's injected 500s and added latency are counted in its metrics.
    const dynamodb = cloud.dynamodb
    dynamodb.governor.metrics.advance(Date.now() + 1000)
    const injected = dynamodb.governor.metrics
      .seconds()
      .reduce((sum, second) => sum + second.faults.internalErrors, 0)
    expect(injected).toBeGreaterThan(0)
    expect(injected).toBe(dynamodb.faults?.counts.internalErrors)
    expect(dynamodb.faults?.counts.delayed).toBeGreaterThanOrEqual(40)
  })

  it("shows the added DynamoDB latency in the handlers' durations", () => {
    const durations = cloud.timeline
      .export()
      .seconds.flatMap((second) => second.functions.monolith?.durationMs?.p50 ?? [])
    expect(durations.length).toBeGreaterThan(0)
    // A GetItem handler waits at least the added latency; the median second shows it.
    const sorted = [...durations].sort((a, b) => a - b)
    expect(sorted[Math.floor(sorted.length / 2)]).toBeGreaterThanOrEqual(ADDED_LATENCY_MS)
  })
})

describe('API Gateway in front of a crashing function', () => {
  it('answers 500 for an HTTP API and 502 for a REST API, as for other function errors', async () => {
    const lambda = await startTestService([{ name: 'app', source: STATEFUL_HANDLER }], {
      faults: resolveFaults({ lambda: { crashRate: 1 } }),
    })
    const routes: RouteDefinition[] = [
      { id: 'x', method: 'GET', path: '/x', service: 'health', access: 'none' },
    ]
    const http = await startGateway({ routes, functionOf: () => 'app', lambda: lambda.service })
    const rest = await startGateway({
      routes,
      functionOf: () => 'app',
      lambda: lambda.service,
      api: 'rest',
    })
    try {
      const fromHttp = await fetch(`${http.url}/x`)
      expect(fromHttp.status).toBe(500)
      expect(await fromHttp.json()).toEqual({ message: 'Internal Server Error' })
      const fromRest = await fetch(`${rest.url}/x`)
      expect(fromRest.status).toBe(502)
      expect(await fromRest.json()).toEqual({ message: 'Internal server error' })
    } finally {
      await http.close()
      await rest.close()
      await lambda.close()
    }
  })
})
