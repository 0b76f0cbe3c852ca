import { DEFAULT_CAPACITY, formatCapacitySpec } from '../../store/capacity.js'
import { DEFAULT_STORE_PROFILE, STORE_PROFILES } from '../../store/profile.js'
import type { Command } from '../command.js'
import { parseDevFlags } from '../dev-flags.js'

const usage = `Usage: aplus dev [options]

Starts the local cloud: the DynamoDB endpoint with the A+ table, the topology's functions in
their own execution environments, and API Gateway in front of them. Prints the API's base URL on
stdout, then serves until Ctrl-C, which stops every environment.

Protected routes need a bearer token, checked by the gateway's JWT authorizer before any function
runs: mint one with \`aplus token --role instructor --sub ID\` (same signing key, in .aplus/jwt).
A --config file may name another OIDC issuer instead: "gateway": {"authorizer": {"issuer",
"audiences", "jwks", "scopePrefix"}}.

Options:
  --topology NAME        monolith, services or per-route (default: monolith)
  --capacity SPEC        the table's capacity (default: ${formatCapacitySpec(DEFAULT_CAPACITY)}), e.g.
                         provisioned:25/25, provisioned:25/25,index=10/10, on-demand
  --store-profile NAME   the functions' DynamoDB client profile: ${Object.keys(STORE_PROFILES).join(', ')}
                         (default: ${DEFAULT_STORE_PROFILE})
  --port N               the API's port (default: 0, any free port)
  --dynamodb-port N      the DynamoDB endpoint's port (default: 0, any free port)
  --data DIR             keep DynamoDB's data on disk in DIR (default: in memory)

Lambda (defaults are AWS's; a --config file may set them too, flags win):
  --config FILE          JSON settings: {"lambda": {...}, "gateway": {...}, "faults": {...}}
                         (see src/local/settings.ts; faults: src/local/faults/config.ts)
  --account-concurrency N   concurrent executions for the account (default: 1000; new accounts: 10 or 50)
  --minimum-unreserved N    concurrency reservations must leave unreserved (default: 100)
  --reserved FN=N        reserved concurrency of a function (repeatable); 0 throttles it
  --provisioned FN=N     provisioned (pre-initialized) environments of a function (repeatable)
  --memory FN=MB         memory size of a function (default: 128; repeatable)
  --timeout FN=SECONDS   timeout of a function (default: 3; repeatable)
  --idle-reclaim-s S     seconds an idle environment is kept (default: 600)
  --cold-start-ms MS     modelled platform time added to each cold start (default: 250)

API Gateway:
  --api KIND             http (HTTP API, default) or rest (REST API, payload 1.0)
  --payload-format V     2.0 (default) or 1.0, for an HTTP API
  --gateway-rate N       account throttle, requests per second (default: 10000)
  --gateway-burst N      account throttle burst (default: 5000)

Output:
  --log                  print one line per request and the functions' logs on stderr
  --log-dir DIR          where function logs go without --log (default: .aplus/logs)
  --timeline FILE        write the per-second timeline as JSON to FILE on exit
  -h, --help             show this help
`

export const devCommand: Command = {
  name: 'dev',
  summary: 'start the local cloud (API Gateway, Lambda, DynamoDB) and serve the API',
  usage,
  async run(argv) {
    const options = parseDevFlags(argv)
    const { runDev } = await import('../dev-server.js')
    return runDev(options)
  },
}
