import fc from 'fast-check'
import { parseBaseUrl } from '../../src/loadtest/index.js'
import { STORE_PROFILES } from '../../src/store/profile.js'
import { functionsOf, TOPOLOGIES, type Topology } from '../../src/topology/topologies.js'
import { hostileString, numberLikeText } from './hostile.js'

/**
 * Command lines for every `aplus` command, each made of valid flags and exactly one defect: a
 * flag with a value it refuses, a flag without its value, an unknown flag, a stray argument, a
 * missing required flag, or a path it cannot use. Each case names the option its error message
 * must name. Valid flags are chosen so no two conflict, and every command line carries a defect,
 * so none of them ever starts a server or a build.
 */

export interface CliCase {
  command: string
  argv: string[]
  /** What the error message must contain: the option (`--port`) or a config key. */
  names: string
  defect: string
}

/** Paths the cases use, made by the test in a temporary directory. */
export interface CliPaths {
  /** A fresh directory that can be written. */
  directory: string
  /** A regular file: a path below it cannot be created (ENOTDIR). */
  file: string
  /** Valid config files. */
  devConfig: string
  endpointConfig: string
  scenario: string
}

interface FlagSpec {
  name: string
  /** Fragments of a valid use: `['--port=0']`, `['--log']`. */
  valid: (context: Context) => fc.Arbitrary<readonly string[]>
  /** A value the flag must refuse; absent for flags that take none. */
  invalid?: (context: Context) => fc.Arbitrary<string>
  /** A boolean flag: giving it a value is the defect. */
  boolean?: boolean
  /** Flags whose bad values this one makes irrelevant (`--log` leaves `--log-dir` unused). */
  masks?: string[]
}

interface Context {
  topology: Topology
  paths: CliPaths
}

const choice = (values: readonly string[]) => ({
  valid: () => fc.constantFrom(...values).map((value) => [`=${value}`]),
  invalid: () => hostileString.filter((text) => !values.includes(text)),
})

const integer = (valid: string, min: number, max: number) => ({
  valid: () => fc.constant([`=${valid}`]),
  invalid: () =>
    numberLikeText.filter((text) => {
      const value = Number(text)
      return !/^-?\d+$/.test(text.trim()) || value < min || value > max
    }),
})

const decimal = (valid: string, min: number, max: number) => ({
  valid: () => fc.constant([`=${valid}`]),
  invalid: () =>
    numberLikeText.filter((text) => {
      const value = Number(text)
      return text.trim() === '' || !Number.isFinite(value) || value < min || value > max
    }),
})

const capacity = {
  valid: () =>
    fc
      .constantFrom(
        'provisioned:25/25',
        'provisioned:25/25,index=10/10',
        'on-demand',
        'on-demand,max=100/100',
      )
      .map((value) => [`=${value}`]),
  invalid: () =>
    fc.oneof(
      fc.constantFrom(
        'provisioned:0/0',
        'provisioned:25',
        'on-demand,max=-1/2',
        'provisioned:1e3/5',
        'on-demand:5/5',
      ),
      fc.constantFrom(
        'provisioned:25/25,autoscale=10/10,target=95',
        'provisioned:25/25,index=',
        'PROVISIONED:25/25',
      ),
      hostileString,
    ),
}

const notWritableDirectory = (context: Context) => fc.constant(`${context.paths.file}/below-a-file`)

const perFunction = (name: string, valid: number, invalidNumber: string): FlagSpec => ({
  name,
  valid: (context) =>
    fc
      .constantFrom(...functionsOf(context.topology).map((fn) => fn.name))
      .map((fn) => [`=${fn}=${valid}`]),
  invalid: (context) =>
    fc.oneof(
      fc.constantFrom('nosuchfunction=3', '=5', `${functionsOf(context.topology)[0]?.name}`),
      fc.constant(`${functionsOf(context.topology)[0]?.name}=${invalidNumber}`),
      hostileString.filter((text) => !/^[a-z-]+=\d+$/.test(text)),
    ),
})

const DEV: FlagSpec[] = [
  { name: 'capacity', ...capacity },
  { name: 'store-profile', ...choice(Object.keys(STORE_PROFILES)) },
  { name: 'port', ...integer('0', 0, 65535) },
  { name: 'dynamodb-port', ...integer('0', 0, 65535) },
  {
    name: 'data',
    valid: (context) => fc.constant([`=${context.paths.directory}/data`]),
    invalid: notWritableDirectory,
  },
  { name: 'log', valid: () => fc.constant(['']), boolean: true, masks: ['--log-dir'] },
  {
    name: 'log-dir',
    valid: (context) => fc.constant([`=${context.paths.directory}/logs`]),
    invalid: notWritableDirectory,
  },
  {
    name: 'timeline',
    valid: (context) => fc.constant([`=${context.paths.directory}/timeline.json`]),
    invalid: (context) => fc.constantFrom(context.paths.directory, `${context.paths.file}/t.json`),
  },
  { name: 'account-concurrency', ...integer('1000', 1, 1_000_000) },
  { name: 'minimum-unreserved', ...integer('100', 0, 1_000_000) },
  perFunction('reserved', 2, '-1'),
  perFunction('provisioned', 0, 'x'),
  perFunction('memory', 256, '100'),
  perFunction('timeout', 10, '0'),
  { name: 'idle-reclaim-s', ...decimal('600', 0.001, 86_400) },
  { name: 'cold-start-ms', ...integer('0', 0, 60_000) },
  { name: 'api', ...choice(['http', 'rest']) },
  // 1.0 only: 2.0 is refused with a REST API, which would make two valid flags a defect.
  {
    name: 'payload-format',
    valid: () => fc.constant(['=1.0']),
    invalid: choice(['2.0', '1.0']).invalid,
  },
  { name: 'gateway-rate', ...decimal('10000', 0.001, 1_000_000) },
  { name: 'gateway-burst', ...integer('5000', 1, 1_000_000) },
  {
    name: 'config',
    valid: (context) => fc.constant([`=${context.paths.devConfig}`]),
    invalid: (context) =>
      fc.constantFrom(`${context.paths.directory}/missing.json`, context.paths.directory),
  },
]

const DYNAMODB: FlagSpec[] = [
  { name: 'port', ...integer('0', 0, 65535) },
  { name: 'capacity', ...capacity },
  { name: 'burst-seconds', ...decimal('300', 0, Number.POSITIVE_INFINITY) },
  {
    name: 'starting-balance',
    valid: () => fc.constantFrom('empty', 'full', '30').map((value) => [`=${value}`]),
    invalid: () =>
      numberLikeText.filter(
        (text) => text !== 'empty' && text !== 'full' && !(text.trim() !== '' && Number(text) >= 0),
      ),
  },
  { name: 'measure-only', valid: () => fc.constant(['']), boolean: true },
  {
    name: 'data',
    valid: (context) => fc.constant([`=${context.paths.directory}/data`]),
    invalid: notWritableDirectory,
  },
  {
    name: 'config',
    valid: (context) => fc.constant([`=${context.paths.endpointConfig}`]),
    invalid: (context) =>
      fc.constantFrom(`${context.paths.directory}/missing.json`, context.paths.directory),
  },
]

const LOADTEST: FlagSpec[] = [
  {
    name: 'target',
    valid: () => fc.constant(['=http://127.0.0.1:9']),
    invalid: () =>
      fc
        .oneof(
          fc.constantFrom('ftp://x', 'http://', '127.0.0.1:3000', 'http://x/?q=1', 'http://x/#f'),
          hostileString,
        )
        .filter((text) => {
          try {
            parseBaseUrl(text)
            return false
          } catch {
            return true
          }
        }),
  },
  {
    name: 'scenario',
    valid: (context) => fc.constant([`=${context.paths.scenario}`]),
    invalid: (context) =>
      fc.constantFrom(`${context.paths.directory}/missing.yaml`, context.paths.directory),
  },
  { name: 'seed', ...integer('7', 0, 2 ** 32 - 1) },
  { name: 'connections', ...integer('8', 1, 10_000) },
  { name: 'max-requests', ...integer('100', 1, Number.MAX_SAFE_INTEGER) },
  { name: 'timeout', ...integer('5000', 1, 600_000) },
  { name: 'drain', ...integer('1000', 0, 600_000) },
  { name: 'retries', ...integer('2', 0, 10) },
  { name: 'max-retry-delay', ...integer('1000', 0, 600_000) },
  {
    name: 'header',
    valid: () => fc.constant(['=X-Test: yes']),
    invalid: () =>
      fc.oneof(
        fc.constantFrom(
          'no colon',
          ': empty name',
          'bad name: x',
          'X-Test: a\r\nInjected: 1',
          'X-Test: a\nb',
        ),
        hostileString.filter((text) => !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+:/.test(text)),
      ),
  },
  {
    name: 'threshold',
    valid: () => fc.constantFrom('p99<800', 'failure_rate<0.01').map((value) => [`=${value}`]),
    invalid: () =>
      fc.oneof(fc.constantFrom('p99', 'p99<', 'nosuch<1', 'p99<<1', 'p99<abc'), hostileString),
  },
  { name: 'verify', valid: () => fc.constant(['']), boolean: true },
  { name: 'quiet', valid: () => fc.constant(['']), boolean: true },
  {
    name: 'out',
    valid: (context) => fc.constant([`=${context.paths.directory}/result.json`]),
    invalid: (context) =>
      fc.constantFrom(context.paths.directory, `${context.paths.file}/result.json`),
  },
]

const BUILD: FlagSpec[] = [
  { name: 'topology', ...choice([...TOPOLOGIES, 'all']) },
  {
    name: 'out',
    valid: (context) => fc.constant([`=${context.paths.directory}/build`]),
    invalid: notWritableDirectory,
  },
  { name: 'json', valid: () => fc.constant(['']), boolean: true },
]

const TOKEN: FlagSpec[] = [
  { name: 'role', ...choice(['instructor', 'student']) },
  {
    name: 'sub',
    valid: () => fc.constant(['=stu_aaaaaaaaaaaaaaaa']),
    invalid: () => fc.constantFrom('', '   '),
  },
  { name: 'ttl', ...integer('60', 1, 7 * 24 * 3600) },
]

const DEPLOY: FlagSpec[] = [
  { name: 'capacity', ...capacity },
  { name: 'store-profile', ...choice(Object.keys(STORE_PROFILES)) },
  {
    name: 'reserved-concurrency',
    valid: (context) => fc.constant([`=${functionsOf(context.topology)[0]?.name}=5`]),
    invalid: () =>
      fc.oneof(
        fc.constantFrom('nosuch=5', 'x', '=', 'monolith=-1', 'monolith=abc'),
        hostileString.filter((text) => !/^[a-z-]+=\d+$/.test(text)),
      ),
  },
  {
    name: 'outputs-file',
    valid: (context) => fc.constant([`=${context.paths.directory}/outputs.json`]),
  },
]

const SOAK: FlagSpec[] = [
  { name: 'minutes', ...decimal('1', 0.05, 24 * 60) },
  { name: 'topology', ...choice(TOPOLOGIES) },
  { name: 'rate', ...decimal('20', 0.1, 5000) },
  { name: 'sample-seconds', ...decimal('5', 0.5, 600) },
  { name: 'warmup-minutes', ...decimal('0.2', 0, 0.99) },
  { name: 'max-slope', ...decimal('1', 0, 10_000) },
  { name: 'capacity', ...capacity },
  {
    name: 'config',
    valid: (context) => fc.constant([`=${context.paths.devConfig}`]),
    invalid: (context) =>
      fc.constantFrom(`${context.paths.directory}/missing.json`, context.paths.directory),
  },
  { name: 'seed', ...integer('3', 0, 2 ** 32 - 1) },
  {
    name: 'out',
    valid: (context) => fc.constant([`=${context.paths.directory}/soak.json`]),
    invalid: (context) =>
      fc.constantFrom(context.paths.directory, `${context.paths.file}/soak.json`),
  },
  { name: 'json', valid: () => fc.constant(['']), boolean: true },
]

/** Flags every command line of a command carries, and the flags that must be present. */
const COMMANDS: Record<
  string,
  { flags: FlagSpec[]; always: (context: Context) => string[]; required: string[] }
> = {
  dev: { flags: DEV, always: (context) => [`--topology=${context.topology}`], required: [] },
  dynamodb: { flags: DYNAMODB, always: () => [], required: [] },
  loadtest: { flags: LOADTEST, always: () => ['--dry-run'], required: [] },
  build: { flags: BUILD, always: () => [], required: [] },
  token: { flags: TOKEN, always: () => [], required: ['role', 'sub'] },
  deploy: {
    flags: DEPLOY,
    always: (context) => ['--dry-run', `--topology=${context.topology}`],
    required: ['topology'],
  },
  soak: { flags: SOAK, always: () => ['--minutes=1'], required: ['minutes'] },
}

type Defect = (
  context: Context,
) => fc.Arbitrary<{ fragment: string[]; names: string; defect: string; drops?: string }>

function defectsOf(command: string): Defect[] {
  const { flags, required } = COMMANDS[command] ?? { flags: [], required: [] }
  const valueDefects: Defect[] = flags
    .filter((flag) => flag.invalid || flag.boolean)
    .map((flag) => (context) => {
      if (flag.boolean) {
        return fc.constantFrom('yes', '1', '').map((value) => ({
          fragment: [`--${flag.name}=${value}`],
          names: `--${flag.name}`,
          defect: `--${flag.name}=${value}`,
        }))
      }
      return (flag.invalid?.(context) ?? fc.constant('')).map((value) => ({
        fragment: [`--${flag.name}=${value}`],
        names: `--${flag.name}`,
        defect: `--${flag.name}=${JSON.stringify(value)}`,
      }))
    })
  const unknownFlag: Defect = () =>
    fc
      .oneof(
        fc.constantFrom(
          '--por',
          '--Port',
          '--topologyy',
          '--__proto__',
          '--constructor',
          '--help-me',
        ),
        fc.stringMatching(/^--[a-z][a-z-]{0,15}$/),
      )
      .filter(
        (name) =>
          !flags.some((flag) => `--${flag.name}` === name) &&
          ![
            '--help',
            '--topology',
            '--dry-run',
            '--rate',
            '--users',
            '--duration',
            '--think-time',
            '--json',
            '--export',
            '--max-in-flight',
            '--sub',
            '--role',
          ].includes(name),
      )
      .map((name) => ({ fragment: [name], names: name, defect: `unknown ${name}` }))
  const missingValue: Defect = () =>
    fc
      .constantFrom(...flags.filter((flag) => !flag.boolean).map((flag) => flag.name))
      .map((name) => ({
        fragment: [`--${name}`],
        names: `--${name}`,
        defect: `--${name} without a value`,
      }))
  const missingRequired: Defect[] = required.map(
    (name) => () =>
      fc.constant({ fragment: [], names: `--${name}`, defect: `no --${name}`, drops: name }),
  )
  const stray: Defect = () =>
    fc
      .constantFrom('extra', 'http://127.0.0.1:3000')
      .map((word) => ({ fragment: [word], names: word, defect: `argument ${word}` }))
  // dev and dynamodb take no positional arguments, but parseFlags allows them; only commands
  // that refuse them get this defect.
  const positional = command === 'loadtest' || command === 'deploy' ? [stray] : []
  return [
    ...valueDefects,
    ...valueDefects,
    unknownFlag,
    missingValue,
    ...missingRequired,
    ...positional,
  ]
}

/** Command lines of `command`: some valid flags in any order, and exactly one defect. */
export function cliCases(command: string, paths: CliPaths): fc.Arbitrary<CliCase> {
  const spec = COMMANDS[command]
  if (!spec) throw new Error(`no flags known for ${command}`)
  return fc
    .record({ topology: fc.constantFrom(...TOPOLOGIES), defectIndex: fc.nat(), seed: fc.nat() })
    .chain(({ topology, defectIndex }) => {
      const context: Context = { topology, paths }
      const defects = defectsOf(command)
      const defect = (defects[defectIndex % defects.length] as Defect)(context)
      return fc.tuple(fc.constant(context), defect, fc.subarray(spec.flags), fc.nat())
    })
    .chain(([context, defect, chosen, _]) => {
      const defectName = defect.names
      const others = chosen.filter(
        (flag) =>
          `--${flag.name}` !== defectName &&
          !flag.masks?.includes(defectName) &&
          !defect.fragment.some(
            (part) => part.startsWith(`--${flag.name}=`) || part === `--${flag.name}`,
          ),
      )
      const fragments = others.map((flag) =>
        flag.valid(context).map((values) => values.map((value) => `--${flag.name}${value}`)),
      )
      return fc.tuple(fc.constant(context), fc.constant(defect), fc.tuple(...fragments), fc.nat())
    })
    .map(([context, defect, fragments, position]) => {
      const always = spec
        .always(context)
        .filter((flag) => !defect.drops || !flag.startsWith(`--${defect.drops}=`))
        // A flag the defect gives a bad value is not also given a good one.
        .filter(
          (flag) => !defect.fragment.some((part) => part.split('=')[0] === flag.split('=')[0]),
        )
      const required = spec.required
        .filter(
          (name) => name !== defect.drops && !always.some((flag) => flag.startsWith(`--${name}=`)),
        )
        .filter((name) => !fragments.flat().some((part) => part.startsWith(`--${name}=`)))
        .filter((name) => !defect.fragment.some((part) => part.startsWith(`--${name}`)))
        .map((name) => (name === 'role' ? '--role=student' : `--${name}=stu_aaaaaaaaaaaaaaaa`))
      const valid = [...always, ...required, ...fragments.flat()]
      // A flag without its value goes last, where nothing can be taken for its value.
      const at = defect.defect.endsWith('without a value')
        ? valid.length
        : position % (valid.length + 1)
      const argv = [...valid.slice(0, at), ...defect.fragment, ...valid.slice(at)]
      return { command, argv, names: defect.names, defect: defect.defect }
    })
}

export const CLI_COMMANDS = Object.keys(COMMANDS)
