import type { Command } from '../command.js'

/** Exit code when the run finished but a `--threshold` failed (the same number k6 uses). */
export const EXIT_THRESHOLDS_FAILED = 99

const usage = `Usage: aplus loadtest --target URL [options]

Sends load to the A+ API at URL (the local cloud or a deployed API Gateway URL) and reports the
failure rate and the average latency of successful requests first, then percentiles, per-endpoint
figures, status codes, error classes and a per-second timeline. HTTP only; loopback or your own
deployment only.

Target and workload:
  --target URL             base URL of the API, e.g. http://127.0.0.1:3000 or https://…/prod
  --scenario FILE          scenario file, JSON or YAML (schema: schema/scenario.schema.json);
                           default: a built-in read-heavy mix, ramp to 50 req/s over 10 s, hold 40 s
  --rate N                 replace the scenario's load with one open-model phase of N requests/s
  --users N                replace it with a closed model of N virtual users instead
  --duration SECONDS       length of the --rate or --users load (default 30)
  --think-time MS[-MS]     closed model: pause between a user's requests, fixed or a range (default 0)
  --max-requests N         stop after N requests even if time is left
  --seed N                 seed of the request mix and generated bodies (default: the scenario's)
  --connections N          keep-alive connections to the target (default: the scenario's, 64)
  --max-in-flight N        open model: drop (and count) scheduled requests beyond N outstanding
  --timeout MS             per-request timeout (default: the scenario's, 10000)
  --drain MS               after the load, wait at most this long for answers (default 5000);
                           requests still outstanding then count as timeouts

Requests:
  --header "Name: value"   add a header to every request (repeatable), e.g. "Authorization: Bearer …"
  --bearer-file FILE       bearer tokens, one a line (blank lines and # comments skipped): virtual
                           user i sends token i mod N (an open model gets one identity per token);
                           set-up and --verify send the first, unless --header sets Authorization
  --retries N              retry 429 and 503 answers up to N times, honouring Retry-After (default 0:
                           first attempts only); POSTs keep their Idempotency-Key on retries
  --max-retry-delay MS     longest wait before a retry (default 5000)

Checks and output:
  --verify                 after the load, read every acknowledged write back; report lost and
                           duplicated writes
  --threshold EXPR         pass/fail check (repeatable), e.g. "failure_rate<0.01" "p99<800";
                           metrics: failure_rate, first_attempt_failure_rate, avg, p50, p90, p99,
                           p99_9, max (ms, successful requests), throughput, achieved_rate, dropped,
                           lost_writes, duplicated_writes (these two need --verify)
  --json                   write the result document (schemaVersion 1) to stdout
  --out FILE               write the result document to FILE (with --export: the script)
  --quiet                  no progress and no summary on stderr
  --export k6              write the scenario as a k6 script (stdout or --out) and exit; sends nothing
  --dry-run                check the scenario and flags, print the plan, send nothing

Progress goes to stderr: a live line on a terminal, a plain line every 5 s otherwise.

Exit codes:
  0   the run finished and every threshold passed
  1   the run could not finish (set-up failed, unexpected error)
  2   bad flags, a bad scenario file, or a target that does not answer (nothing was sent)
  99  the run finished but a threshold failed`

export const loadtestCommand: Command = {
  name: 'loadtest',
  summary: 'Send load to an A+ API and report failures, latency percentiles and lost writes',
  usage,
  async run(argv) {
    const { runLoadtestCli } = await import('../loadtest/main.js')
    return runLoadtestCli(argv)
  },
}
