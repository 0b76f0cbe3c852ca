import { decodeJwt, decodeProtectedHeader } from 'jose'
import { describe, expect, it } from 'vitest'
import { aplus } from '../support/cli.js'

describe('aplus token', () => {
  it('mints an RS256 token for a role and subject', async () => {
    const result = await aplus(
      'token',
      '--role',
      'student',
      '--sub',
      'stu_aaaaaaaaaaaaaaaa',
      '--ttl',
      '60',
    )
    expect(result.code).toBe(0)
    const token = result.stdout.trim()
    expect(decodeProtectedHeader(token).alg).toBe('RS256')
    const claims = decodeJwt(token)
    expect(claims).toMatchObject({
      sub: 'stu_aaaaaaaaaaaaaaaa',
      scope: 'student',
      aud: 'aplus-api',
    })
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(60)
  })

  it.each([
    [['--sub', 'x'], 'option --role is required'],
    [
      ['--role', 'dean', '--sub', 'x'],
      "option --role must be one of instructor, student, got 'dean'",
    ],
    [['--role', 'student'], 'option --sub is required'],
    [
      ['--role', 'student', '--sub', 'x', '--ttl', '0'],
      'option --ttl must be a whole number from 1',
    ],
  ])('refuses %j with exit code 2', async (args, message) => {
    const result = await aplus('token', ...args)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(message)
  })
})
