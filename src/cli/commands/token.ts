import { ROLES } from '../../auth/roles.js'
import { choiceFlag, integerFlag, parseFlags } from '../args.js'
import { type Command, UsageError } from '../command.js'

const usage = `Usage: aplus token --role instructor|student --sub ID [options]

Mints a development JWT from the local identity provider, which the local cloud's gateway
trusts. Prints the token on stdout, for an Authorization: Bearer header.

Options:
  --role NAME       instructor or student
  --sub ID          the subject: for a student, the studentId (stu_…) they act as
  --ttl SECONDS     lifetime (default: 3600)
  -h, --help        show this help

The signing key is created on first use in .aplus/jwt/ and stays on this machine.
`

export const tokenCommand: Command = {
  name: 'token',
  summary: 'mint a development JWT for a role, accepted by the local cloud',
  usage,
  async run(argv) {
    const { values } = parseFlags(argv, {
      role: { type: 'string' },
      sub: { type: 'string' },
      ttl: { type: 'string' },
    })
    if (values.role === undefined)
      throw new UsageError(`option --role is required: ${ROLES.join(' or ')}`)
    const role = choiceFlag('role', values.role, ROLES, 'student')
    const subject = values.sub?.trim()
    if (!subject) throw new UsageError('option --sub is required: the subject the token speaks for')
    const lifetimeSeconds = integerFlag('ttl', values.ttl, 3600, { min: 1, max: 7 * 24 * 3600 })

    const { openLocalIssuer, defaultKeyFile } = await import('../../auth/local-issuer.js')
    const { PACKAGE_ROOT } = await import('../../topology/bundle.js')
    const issuer = await openLocalIssuer(defaultKeyFile(PACKAGE_ROOT))
    process.stdout.write(`${await issuer.mint({ role, subject, lifetimeSeconds })}\n`)
    return 0
  },
}
