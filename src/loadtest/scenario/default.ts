import type { ScenarioInput } from './schema.js'

/**
 * The built-in scenario: a read-heavy mix (about 70% reads) like a course portal's traffic, where
 * students look at courses and grades far more often than they enroll or are graded. Rates are in
 * the hundreds, not thousands, because the local cloud runs on the same machine as the generator.
 */
export const defaultScenario: ScenarioInput = {
  name: 'aplus-default',
  description: 'Read-heavy A+ traffic: ramp to 50 requests/s, hold for 40 s.',
  seed: 1,
  setup: { students: 100, courses: 10, enrollments: 200, courseCapacity: 1000 },
  load: {
    model: 'open',
    phases: [
      { type: 'ramp', fromRatePerSecond: 1, toRatePerSecond: 50, durationSeconds: 10 },
      { type: 'constant', ratePerSecond: 50, durationSeconds: 40 },
    ],
  },
  mix: [
    { request: 'getCourse', weight: 25 },
    { request: 'getStudent', weight: 15 },
    { request: 'listCourses', weight: 10 },
    { request: 'listEnrollments', weight: 10 },
    { request: 'getStudentGrades', weight: 10 },
    { request: 'enroll', weight: 12 },
    { request: 'putGrade', weight: 10 },
    { request: 'createStudent', weight: 6 },
    { request: 'createCourse', weight: 2 },
  ],
}
