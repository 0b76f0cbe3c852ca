import { describe, expect, it } from 'vitest'
import { ROUTES } from '../../src/api/routes.js'
import { fromHttpApiEvent } from '../../src/lambda/http-api.js'
import { identityFromClaims } from '../../src/lambda/identity.js'
import { withJwtClaims } from '../../src/local/gateway/authorization.js'
import { buildHttpApiEvent } from '../../src/local/gateway/http-api-event.js'
import { RouteMatcher } from '../../src/local/gateway/route-matcher.js'

describe('the identity a function reads from the authorizer claims', () => {
  it('is the subject with the roles its scope names', () => {
    expect(identityFromClaims({ sub: 'stu_1', scope: 'student openid' }, '')).toEqual({
      subject: 'stu_1',
      roles: ['student'],
    })
  })

  it('reads a list claim as API Gateway passes it, one string in brackets', () => {
    expect(identityFromClaims({ sub: 'i', scp: '[instructor student]' }, '')).toEqual({
      subject: 'i',
      roles: ['instructor', 'student'],
    })
  })

  it('counts only the scopes of its own resource server when the issuer prefixes them', () => {
    const claims = { sub: 'i', scope: 'aplus/student other-api/instructor instructor' }
    expect(identityFromClaims(claims, 'aplus/')?.roles).toEqual(['student'])
  })

  it.each([
    ['no claims', undefined],
    ['claims without a subject', { scope: 'instructor' }],
    ['an empty subject', { sub: '', scope: 'instructor' }],
  ])('is absent for %s', (_, claims) => {
    expect(identityFromClaims(claims, '')).toBeUndefined()
  })

  it('reaches the handler as identity while the bearer token does not', () => {
    const match = new RouteMatcher(ROUTES).match('POST', '/courses')
    if (!match) throw new Error('no route')
    const event = buildHttpApiEvent(
      {
        method: 'POST',
        url: '/courses',
        rawHeaders: [
          'Authorization',
          'Bearer secret.token.value',
          'content-type',
          'application/json',
        ],
        body: Buffer.from('{}'),
        sourceIp: '127.0.0.1',
      },
      match,
    )
    const request = fromHttpApiEvent(
      withJwtClaims(event, { claims: { sub: 'i-1', scope: 'instructor' }, scopes: ['instructor'] }),
    )
    expect(request.identity).toEqual({ subject: 'i-1', roles: ['instructor'] })
    expect(request.headers.authorization).toBeUndefined()
    expect(JSON.stringify(request)).not.toContain('secret.token.value')
    expect(request.headers['content-type']).toBe('application/json')
  })
})
