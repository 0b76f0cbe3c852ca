import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROUTES } from '../../src/api/routes.js'
import { authEnvironment } from '../../src/auth/roles.js'
import { RUNTIME_ENVIRONMENT } from '../../src/infra/functions.js'
import { scopePrefixOf } from '../../src/infra/identity-settings.js'
import { protectedRoutes } from '../../src/local/gateway/authorization.js'
import { parseCapacitySpec } from '../../src/store/capacity.js'
import { storeEnvironment } from '../../src/store/environment.js'
import { DEFAULT_STORE_PROFILE } from '../../src/store/profile.js'
import { createTableInput } from '../../src/store/table.js'
import { functionsOf, routeOwners, TOPOLOGIES } from '../../src/topology/topologies.js'
import {
  functionNamesById,
  resourcesOf,
  routeOwnersIn,
  routeScopesIn,
  type Synthesized,
  synthesize,
} from './synth.js'

/**
 * The local cloud and the CDK app are built from the same route table, topologies and table
 * definition. These tests read the synthesized template back into those terms and compare it
 * with what the local cloud uses, so a translation that loses or changes anything fails here.
 */
describe.each(TOPOLOGIES)('the %s stack and the local cloud', (topology) => {
  let synthesized: Synthesized
  beforeAll(() => {
    synthesized = synthesize({ topology })
  })
  afterAll(() => synthesized?.remove())

  it('route every route key to the same function', () => {
    expect(routeOwnersIn(synthesized.template)).toEqual(routeOwners(topology))
  })

  it('ask the same routes for the same scopes, and leave the same routes public', () => {
    const prefix = scopePrefixOf(synthesized.stack.settings.identity)
    // The local gateway asks for the roles as its issuer names them; on AWS, the user pool's.
    expect(routeScopesIn(synthesized.template)).toEqual(protectedRoutes(ROUTES, prefix))
  })

  it('run the same functions with the same memory, timeout and environment', () => {
    const { template } = synthesized
    const [tableId] = resourcesOf(template, 'AWS::DynamoDB::Table').keys()
    const names = functionNamesById(template)
    const deployed = [...resourcesOf(template, 'AWS::Lambda::Function')].map(([id, fn]) => ({
      name: names.get(id),
      memoryMb: fn.Properties.MemorySize,
      timeoutSeconds: fn.Properties.Timeout,
      environment: (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables,
    }))
    // The local cloud gives every function the same store environment; on AWS the table's
    // name is known only once CloudFormation creates it, so the template refers to it. The scope
    // prefix is the issuer's: none for the local one, `aplus/` for the stack's user pool.
    const local = storeEnvironment({ tableName: 'TABLE', storeProfile: DEFAULT_STORE_PROFILE })
    const expectedEnvironment = {
      ...Object.fromEntries(
        Object.entries(local).map(([key, value]) => [
          key,
          value === 'TABLE' ? { Ref: tableId } : value,
        ]),
      ),
      ...RUNTIME_ENVIRONMENT,
      ...authEnvironment(scopePrefixOf(synthesized.stack.settings.identity)),
    }
    const byName = (a: { name?: string | undefined }, b: { name?: string | undefined }) =>
      String(a.name).localeCompare(String(b.name))
    expect(deployed.sort(byName)).toEqual(
      functionsOf(topology)
        .map((fn) => ({
          name: fn.name,
          memoryMb: fn.memoryMb,
          timeoutSeconds: fn.timeoutSeconds,
          environment: expectedEnvironment,
        }))
        .sort(byName),
    )
  })
})

describe.each([
  'provisioned:25/25',
  'provisioned:25/20,index=10/5,autoscale=400/300,target=60',
  'on-demand',
  'on-demand,max=100/50',
])('the table with capacity %s', (capacity) => {
  let synthesized: Synthesized
  beforeAll(() => {
    synthesized = synthesize({ capacity })
  })
  afterAll(() => synthesized?.remove())

  it('is the table the local cloud creates: keys, index, projection and capacity', () => {
    const [table] = resourcesOf(synthesized.template, 'AWS::DynamoDB::Table').values()
    // Tags say which deployment a resource belongs to; they are not part of the table's shape.
    const { Tags: _tags, ...deployed } = table?.Properties ?? {}
    const { TableName: _name, ...local } = createTableInput('unused', parseCapacitySpec(capacity))
    // CloudFormation's table resource takes CreateTable's fields under the same names; the CDK
    // leaves BillingMode out when it is the default, PROVISIONED. Auto scaling is not part of
    // CreateTable (the capacity tests check it).
    expect({ BillingMode: 'PROVISIONED', ...deployed }).toEqual(local)
  })
})
