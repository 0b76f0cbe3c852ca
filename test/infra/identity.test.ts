import { Match, type Template } from 'aws-cdk-lib/assertions'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROUTES, routeKey, scopesOf } from '../../src/api/routes.js'
import { InfraConfigError } from '../../src/infra/errors.js'
import { identityFromContext } from '../../src/infra/identity-settings.js'
import {
  functionNamesById,
  resourcesOf,
  routeScopesIn,
  type Synthesized,
  synthesize,
} from './synth.js'

const PROTECTED = ROUTES.filter((route) => scopesOf(route).length > 0)
  .map(routeKey)
  .sort()
const PUBLIC = ROUTES.filter((route) => scopesOf(route).length === 0)
  .map(routeKey)
  .sort()

/** The routes the template leaves without an authorizer. */
function publicRoutesIn(template: Template): string[] {
  return [...resourcesOf(template, 'AWS::ApiGatewayV2::Route').values()]
    .filter((route) => route.Properties.AuthorizationType === 'NONE')
    .map((route) => String(route.Properties.RouteKey))
    .sort()
}

function scopePrefixes(template: Template): unknown[] {
  const names = functionNamesById(template)
  return [...resourcesOf(template, 'AWS::Lambda::Function')]
    .filter(([id]) => names.has(id))
    .map(([, fn]) => {
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> })
        .Variables
      return variables.APLUS_SCOPE_PREFIX
    })
}

describe('a stack with its own Cognito user pool (the default)', () => {
  let synthesized: Synthesized
  let template: Template
  beforeAll(() => {
    synthesized = synthesize({ topology: 'services' })
    template = synthesized.template
  })
  afterAll(() => synthesized?.remove())

  it('puts the JWT authorizer and the aplus/ scopes on exactly the protected routes', () => {
    const scopes = routeScopesIn(template)
    expect([...scopes.keys()].sort()).toEqual(PROTECTED)
    expect(scopes.get('POST /courses')).toEqual(['aplus/instructor'])
    expect(scopes.get('POST /courses/{courseId}/enrollments')).toEqual([
      'aplus/instructor',
      'aplus/student',
    ])
    expect(publicRoutesIn(template)).toEqual(PUBLIC)
    for (const route of resourcesOf(template, 'AWS::ApiGatewayV2::Route').values()) {
      const isProtected = route.Properties.AuthorizationType === 'JWT'
      expect(route.Properties.AuthorizerId !== undefined, String(route.Properties.RouteKey)).toBe(
        isProtected,
      )
    }
  })

  it("trusts the pool's issuer for the tokens of its two clients", () => {
    const [poolId] = resourcesOf(template, 'AWS::Cognito::UserPool').keys()
    const clients = [...resourcesOf(template, 'AWS::Cognito::UserPoolClient').keys()]
    expect(clients).toHaveLength(2)
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: { 'Fn::GetAtt': [poolId, 'ProviderURL'] },
        Audience: Match.arrayEquals(clients.map((id) => ({ Ref: id }))),
      },
    })
  })

  it('has a resource server with one scope per role, and a client per role', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'aplus',
      Scopes: [
        { ScopeName: 'instructor', ScopeDescription: Match.anyValue() },
        { ScopeName: 'student', ScopeDescription: Match.anyValue() },
      ],
    })
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    })
    const [serverId] = resourcesOf(template, 'AWS::Cognito::UserPoolResourceServer').keys()
    const scope = (role: string) => ({ 'Fn::Join': ['', [{ Ref: serverId }, `/${role}`]] })
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: [scope('instructor')],
    })
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: Match.arrayWith([scope('student')]),
    })
  })

  it('tells every function the scope prefix and hands out no secret', () => {
    expect(new Set(scopePrefixes(template))).toEqual(new Set(['aplus/']))
    const text = JSON.stringify(template.toJSON())
    expect(text).not.toMatch(/ClientSecret|DescribeUserPoolClient/)
    expect(Object.keys(template.toJSON().Outputs)).toEqual(
      expect.arrayContaining(['ApiUrl', 'TokenUrl', 'InstructorClientId', 'StudentClientId']),
    )
  })
})

describe('a stack trusting another OIDC issuer', () => {
  let synthesized: Synthesized
  let template: Template
  beforeAll(() => {
    synthesized = synthesize({
      topology: 'monolith',
      jwtIssuer: 'https://login.example.edu/realms/aplus',
      jwtAudience: 'aplus-api, aplus-web',
      jwtScopePrefix: 'api:',
    })
    template = synthesized.template
  })
  afterAll(() => synthesized?.remove())

  it('creates no user pool and names that issuer, its audiences and its scopes', () => {
    template.resourceCountIs('AWS::Cognito::UserPool', 0)
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: {
        Issuer: 'https://login.example.edu/realms/aplus',
        Audience: ['aplus-api', 'aplus-web'],
      },
    })
    expect(routeScopesIn(template).get('PUT /courses/{courseId}/grades/{studentId}')).toEqual([
      'api:instructor',
    ])
    expect(publicRoutesIn(template)).toEqual(PUBLIC)
    expect(new Set(scopePrefixes(template))).toEqual(new Set(['api:']))
  })
})

describe('the identity settings from CDK context', () => {
  const from = (context: Record<string, unknown>) => identityFromContext((key) => context[key])

  it('default to a Cognito user pool of the stack', () => {
    expect(from({})).toEqual({ provider: 'cognito' })
  })

  it.each([
    [{ jwtAudience: 'x' }, "context 'jwtAudience' needs 'jwtIssuer' too"],
    [{ jwtScopePrefix: 'x/' }, "context 'jwtScopePrefix' needs 'jwtIssuer' too"],
    [{ jwtIssuer: 'http://idp.example' }, "context 'jwtIssuer' must be an https URL"],
    [{ jwtIssuer: 'idp' }, "context 'jwtIssuer' must be an https URL"],
    [{ jwtIssuer: 'https://idp.example' }, "context 'jwtAudience' is required"],
    [{ jwtIssuer: 'https://idp.example', jwtAudience: ' , ' }, "context 'jwtAudience' is required"],
    [{ jwtIssuer: 42 }, "context 'jwtIssuer' must be a string; got 42"],
  ])('refuse %j, naming the key', (context, message) => {
    expect(() => from(context)).toThrow(InfraConfigError)
    expect(() => from(context)).toThrow(message)
  })
})
