import { Match, type Template } from 'aws-cdk-lib/assertions'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROUTES, routeKey } from '../../src/api/routes.js'
import { DYNAMODB_ACTIONS, type DynamoDbAction, dataAccessOf } from '../../src/infra/data-access.js'
import { LOG_RETENTION } from '../../src/infra/functions.js'
import { TABLE } from '../../src/store/table.js'
import { functionsOf, routeOwners, TOPOLOGIES } from '../../src/topology/topologies.js'
import {
  functionNamesById,
  referencedId,
  resourcesOf,
  routeOwnersIn,
  type Synthesized,
  synthesize,
} from './synth.js'

type Statement = { Action: string | string[]; Resource: unknown; Effect: string }

/** Every IAM statement attached to the role of each function, by function name. */
function statementsByFunction(template: Template): Map<string, Statement[]> {
  const names = functionNamesById(template)
  const policies = [...resourcesOf(template, 'AWS::IAM::Policy').values()]
  const statements = new Map<string, Statement[]>()
  for (const [id, fn] of resourcesOf(template, 'AWS::Lambda::Function')) {
    const roleId = referencedId(fn.Properties.Role)
    const attached = policies.filter((policy) =>
      (policy.Properties.Roles as unknown[]).some((role) => referencedId(role) === roleId),
    )
    statements.set(
      names.get(id) ?? id,
      attached.flatMap(
        (policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
      ),
    )
  }
  return statements
}

const actionsOf = (statement: Statement) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action]

describe.each(TOPOLOGIES)('the %s stack', (topology) => {
  let synthesized: Synthesized
  let template: Template
  const functions = functionsOf(topology)

  beforeAll(() => {
    synthesized = synthesize({ topology })
    template = synthesized.template
  })
  afterAll(() => synthesized?.remove())

  it('is named after its topology', () => {
    expect(synthesized.stack.stackName).toBe(`APlus-${topology}`)
  })

  it('has one route per route-table entry, the ANY and $default fallbacks included', () => {
    const routes = resourcesOf(template, 'AWS::ApiGatewayV2::Route')
    expect(routes.size).toBe(ROUTES.length)
    expect([...routeOwnersIn(template).keys()].sort()).toEqual(ROUTES.map(routeKey).sort())
    expect(routeOwnersIn(template).get('$default')).toBe(
      topology === 'monolith' ? 'monolith' : 'fallback',
    )
  })

  it('integrates each function once, with payload format 2.0', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', functions.length)
    template.allResourcesProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    })
  })

  it('has one arm64 nodejs22.x function per function of the topology', () => {
    template.resourceCountIs('AWS::Lambda::Function', functions.length)
    template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
    })
    expect([...functionNamesById(template).values()].sort()).toEqual(
      functions.map((fn) => fn.name).sort(),
    )
  })

  it('lets the API invoke each function from the paths of its own routes only', () => {
    template.allResourcesProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
    })
    const names = functionNamesById(template)
    const [apiId] = resourcesOf(template, 'AWS::ApiGatewayV2::Api').keys()
    const granted = [...resourcesOf(template, 'AWS::Lambda::Permission').values()].map(
      ({ Properties: permission }) => {
        const parts = (permission.SourceArn as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1]
        expect(referencedId(parts.at(-2))).toBe(apiId)
        // `<api>/*/*<path>`: any stage, any method, the route's path ($default has none).
        const path = String(parts.at(-1)).replace(/^\/\*\/\*/, '')
        return `${names.get(String(referencedId(permission.FunctionName)))} ${path}`
      },
    )
    const owners = routeOwners(topology)
    const expected = ROUTES.map((route) => `${owners.get(routeKey(route))} ${route.path}`)
    expect(granted.sort()).toEqual(expected.sort())
  })

  it('grants DynamoDB actions by route access: reads only to readers, nothing to the rest', () => {
    const statements = statementsByFunction(template)
    for (const fn of functions) {
      const dynamodb = (statements.get(fn.name) ?? []).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
      )
      const actions = dynamodb.flatMap(actionsOf).map((action) => action.replace('dynamodb:', ''))
      const accesses = new Set(fn.routes.map((route) => route.access))
      if (!accesses.has('read') && !accesses.has('write')) {
        expect({ fn: fn.name, actions }).toEqual({ fn: fn.name, actions: [] })
        continue
      }
      expect(actions.length).toBeGreaterThan(0)
      if (!accesses.has('write')) {
        const writes = actions.filter(
          (action) => DYNAMODB_ACTIONS[action as DynamoDbAction] !== 'read',
        )
        expect({ fn: fn.name, writes }).toEqual({ fn: fn.name, writes: [] })
      }
      const granted = { table: [] as string[], index: [] as string[] }
      for (const statement of dynamodb) {
        expect(statement.Effect).toBe('Allow')
        const resource = JSON.stringify(statement.Resource)
        expect(resource).toMatch(/^\{"Fn::(GetAtt|Join)":.*"Table[0-9A-F]+","Arn"\]/)
        const onIndex = resource.includes(`/index/${TABLE.index.name}`)
        granted[onIndex ? 'index' : 'table'].push(...actionsOf(statement))
      }
      const declared = dataAccessOf(fn)
      const prefixed = (actions: readonly string[]) => actions.map((action) => `dynamodb:${action}`)
      expect({ fn: fn.name, table: granted.table.sort(), index: granted.index.sort() }).toEqual({
        fn: fn.name,
        table: prefixed(declared.table),
        index: prefixed(declared.index),
      })
    }
  })

  it("keeps each function's logs for a week in a log group of its own", () => {
    template.resourceCountIs('AWS::Logs::LogGroup', functions.length)
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: LOG_RETENTION })
  })

  it('alarms on DynamoDB throttling, Lambda throttles per function, and API 5xx', () => {
    const alarms = [...resourcesOf(template, 'AWS::CloudWatch::Alarm').values()].map(
      (alarm) => alarm.Properties,
    )
    const named = (metric: string) => alarms.filter((alarm) => alarm.MetricName === metric)
    expect(named('ReadThrottleEvents')).toHaveLength(2)
    expect(named('WriteThrottleEvents')).toHaveLength(2)
    expect(named('Throttles')).toHaveLength(functions.length)
    expect(named('5xx')).toHaveLength(1)
    expect(alarms).toHaveLength(4 + functions.length + 1)
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ReadThrottleEvents',
      Dimensions: Match.arrayWith([{ Name: 'GlobalSecondaryIndexName', Value: TABLE.index.name }]),
    })
  })

  it('outputs the API URL', () => {
    template.hasOutput('ApiUrl', { Value: { 'Fn::GetAtt': [Match.anyValue(), 'ApiEndpoint'] } })
  })
})

describe('a stack with reserved concurrency', () => {
  it('reserves it on the functions named and on no other', () => {
    const synthesized = synthesize({
      topology: 'services',
      reservedConcurrency: 'enrollments=10,health=0',
    })
    try {
      const names = functionNamesById(synthesized.template)
      const reserved = Object.fromEntries(
        [...resourcesOf(synthesized.template, 'AWS::Lambda::Function')].map(([id, fn]) => [
          names.get(id),
          fn.Properties.ReservedConcurrentExecutions,
        ]),
      )
      expect(reserved).toEqual({
        students: undefined,
        courses: undefined,
        enrollments: 10,
        grades: undefined,
        health: 0,
        fallback: undefined,
      })
    } finally {
      synthesized.remove()
    }
  })
})
