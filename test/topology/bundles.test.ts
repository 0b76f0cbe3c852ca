import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROUTES } from '../../src/api/routes.js'
import { type VerifiedToken, withJwtClaims } from '../../src/local/gateway/authorization.js'
import { buildHttpApiEvent } from '../../src/local/gateway/http-api-event.js'
import { RouteMatcher } from '../../src/local/gateway/route-matcher.js'
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../src/local/table-setup.js'
import { buildTopology, type FunctionBundle } from '../../src/topology/bundle.js'
import { functionsOf, ownerOf, TOPOLOGIES, type Topology } from '../../src/topology/topologies.js'
import { type LocalTable, startLocalTable } from '../support/local-table.js'

let buildDir: string
let table: LocalTable
const built = new Map<Topology, FunctionBundle[]>()

beforeAll(async () => {
  buildDir = await mkdtemp(join(tmpdir(), 'aplus-bundles-'))
  table = await startLocalTable()
  // The bundles create their DynamoDB client from the environment when loaded, as on Lambda.
  Object.assign(process.env, {
    TABLE_NAME: table.tableName,
    AWS_REGION: LOCAL_REGION,
    AWS_ENDPOINT_URL_DYNAMODB: table.dynamodb.url,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  })
  for (const topology of TOPOLOGIES) built.set(topology, await buildTopology(topology, buildDir))
}, 120_000)

afterAll(async () => {
  await table.close()
  await rm(buildDir, { recursive: true, force: true })
})

const matcher = new RouteMatcher(ROUTES)

/** The claims an instructor's verified token gives, as the gateway's authorizer passes them. */
const INSTRUCTOR: VerifiedToken = {
  claims: { sub: 'instructor-1', scope: 'instructor' },
  scopes: ['instructor'],
}

function event(
  method: string,
  path: string,
  body?: unknown,
  token: VerifiedToken | null = INSTRUCTOR,
) {
  const match = matcher.match(method, path.split('?')[0] ?? path)
  if (!match) throw new Error(`no route for ${path}`)
  const built = buildHttpApiEvent(
    {
      method,
      url: path,
      rawHeaders: ['content-type', 'application/json'],
      body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
      sourceIp: '127.0.0.1',
    },
    match,
  )
  return token ? withJwtClaims(built, token) : built
}

type LambdaHandler = (event: unknown) => Promise<{ statusCode: number; body: string }>

async function load(bundle: FunctionBundle): Promise<LambdaHandler> {
  return ((await import(pathToFileURL(bundle.file).href)) as { handler: LambdaHandler }).handler
}

describe('function bundles', () => {
  it('builds one bundle per function of every topology', () => {
    for (const topology of TOPOLOGIES) {
      const names = (built.get(topology) ?? []).map((bundle) => bundle.functionName).sort()
      expect(names).toEqual(
        functionsOf(topology)
          .map((fn) => fn.name)
          .sort(),
      )
    }
  })

  it('puts in a per-route bundle only the handler module its route needs', () => {
    const bundles = built.get('per-route') ?? []
    const handlerModules = (name: string) =>
      bundles
        .find((bundle) => bundle.functionName === name)
        ?.sourceFiles.filter((file) => file.startsWith('src/api/handlers/'))
    expect(handlerModules('get-student')).toEqual(['src/api/handlers/students.ts'])
    expect(handlerModules('record-grade')).toEqual(['src/api/handlers/grades.ts'])
    expect(handlerModules('fallback')).toEqual(['src/api/handlers/fallback.ts'])
  })

  it('leaves the AWS SDK out of functions whose routes touch no data', () => {
    for (const bundle of built.get('per-route') ?? []) {
      const usesStore = bundle.sourceFiles.includes('src/store/client.ts')
      expect(usesStore).toBe(!['health', 'fallback'].includes(bundle.functionName))
    }
  })

  it('carries no JWT library: tokens are verified before a function runs', async () => {
    for (const bundle of [...built.values()].flat()) {
      const map = JSON.parse(await readFile(`${bundle.file}.map`, 'utf8')) as { sources: string[] }
      expect(map.sources.filter((source) => /jose|src\/auth\/(?!roles)/.test(source))).toEqual([])
    }
  })

  it.each(TOPOLOGIES)('answers payload 2.0 events from the %s bundles', async (topology) => {
    const bundles = built.get(topology) ?? []
    const handlers = new Map<string, LambdaHandler>()
    async function invoke(
      method: string,
      path: string,
      body?: unknown,
      token: VerifiedToken | null = INSTRUCTOR,
    ) {
      const request = event(method, path, body, token)
      const owner = ownerOf(topology, request.routeKey)
      const bundle = bundles.find((candidate) => candidate.functionName === owner?.name)
      if (!bundle) throw new Error(`no bundle owns ${request.routeKey}`)
      const handler = handlers.get(bundle.functionName) ?? (await load(bundle))
      handlers.set(bundle.functionName, handler)
      return handler(request)
    }

    const created = await invoke('POST', '/students', { name: 'Grace', email: 'grace@example.com' })
    expect(created.statusCode).toBe(201)
    const { studentId } = JSON.parse(created.body)
    expect((await invoke('GET', `/students/${studentId}`)).statusCode).toBe(200)
    const student = { claims: { sub: studentId, scope: 'student' }, scopes: ['student'] }
    expect((await invoke('GET', `/students/${studentId}`, undefined, student)).statusCode).toBe(200)
    const refused = await invoke('POST', '/courses', { title: 'Logic', capacity: 2 }, student)
    expect(refused.statusCode).toBe(403)
    const anonymous = await invoke(
      'POST',
      '/students',
      { name: 'Eve', email: 'eve@example.com' },
      null,
    )
    expect(anonymous.statusCode).toBe(401)
    const listed = await invoke('GET', '/courses?limit=1')
    expect(listed.statusCode).toBe(200)
    expect(JSON.parse(listed.body)).toHaveProperty('items')
    expect((await invoke('GET', '/health')).statusCode).toBe(200)
    expect((await invoke('GET', '/nowhere')).statusCode).toBe(404)
  })
})
