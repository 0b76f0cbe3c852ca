import { defaultScenario, parseScenario, REQUEST_KINDS } from '../../loadtest/index.js'
import type { LoadRequest } from './load-process.js'

/**
 * Reads and one kind of write that replaces what it writes (a grade): the table does not grow,
 * so memory that grows is the cloud's, not the data's.
 */
export function soakScenario(request: LoadRequest) {
  return parseScenario(
    {
      name: 'aplus-soak',
      description:
        'Steady read-heavy load whose writes replace grades, so stored data stays the same size.',
      seed: request.seed,
      setup: { students: 50, courses: 10, enrollments: 100, courseCapacity: 1000 },
      load: {
        model: 'open',
        phases: [
          {
            type: 'constant',
            ratePerSecond: request.ratePerSecond,
            durationSeconds: request.durationSeconds,
          },
        ],
      },
      mix: soakMix(),
    },
    'aplus soak',
  )
}

/**
 * The built-in mix's reads, with its writes replaced by grades of the same total weight: a grade
 * written again replaces the last one, where a new student or course would add an item.
 */
function soakMix() {
  const mix = defaultScenario.mix ?? []
  const isRead = (entry: (typeof mix)[number]) => REQUEST_KINDS[entry.request].startsWith('GET ')
  const writeWeight = mix.filter((entry) => !isRead(entry)).reduce((sum, e) => sum + e.weight, 0)
  return [...mix.filter(isRead), { request: 'putGrade' as const, weight: writeWeight }]
}
