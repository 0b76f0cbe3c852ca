import type { Command } from '../command.js'
import { parseSoakFlags, SOAK_DEFAULTS } from '../soak/flags.js'

const usage = `Usage: aplus soak --minutes N [options]

Starts the local cloud in this process, holds a steady load on it for N minutes (loopback only;
the load generator runs in a child process), and samples every few seconds: the process's RSS
and main heap, every Lambda environment's heap and event loop utilization, the live
environments, and the open connections of API Gateway and DynamoDB. Prints a table as it goes,
then the memory slopes (least squares, MB per minute, after a warm-up) and a verdict against a
bound, and writes everything as JSON.

Options:
  --minutes N            how long to hold the load (required; decimals allowed, e.g. 0.5)
  --topology NAME        monolith, services or per-route (default: monolith)
  --rate N               requests per second (default: ${SOAK_DEFAULTS.ratePerSecond})
  --sample-seconds S     seconds between samples (default: ${SOAK_DEFAULTS.sampleSeconds})
  --warmup-minutes M     left out of the slopes (default: a fifth of the run, at most 1)
  --max-slope MB         bound on the retained heap's growth, MB per minute (default: ${SOAK_DEFAULTS.maxSlopeMbPerMinute})
  --capacity SPEC        the table's capacity (default: ${SOAK_DEFAULTS.capacity})
  --config FILE          dev settings file: lambda, gateway, faults (see aplus dev --help)
  --seed N               seed of the load's requests (default: ${SOAK_DEFAULTS.seed})
  --out FILE             the JSON report (default: .aplus/soak/soak-<topology>-<time>.json)
  --json                 also write the JSON report to stdout
  -h, --help             show this help

The judged figure is the retained heap: the main thread's heap plus every environment's, each
measured after a full collection. The RSS is reported, not judged.

Exit codes: 0 the slope is within the bound (or the run was too short to judge); 2 bad flags;
99 the slope is above the bound.
`

export const soakCommand: Command = {
  name: 'soak',
  summary: 'hold a steady load on the local cloud and report its memory over time',
  usage,
  async run(argv) {
    const options = parseSoakFlags(argv)
    const { runSoak } = await import('../soak/run.js')
    return runSoak(options)
  },
}
