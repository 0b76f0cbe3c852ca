/**
 * The part of an exported k6 script that does not depend on the scenario: it is JavaScript for
 * k6's runtime (synchronous `http`, `__VU`, `__ENV`), kept as text because it never runs in Node.
 * It mirrors the workload of `src/loadtest/workload/`: a seeded generator, set-up data shared
 * through `setup()`, fallbacks when a request kind has no data yet, and the expected statuses.
 */
export const K6_RUNTIME = `function seededRandom(seed) {
  let state = seed >>> 0
  return function next() {
    state = (state + 0x9e3779b9) >>> 0
    let mixed = state
    mixed = Math.imul(mixed ^ (mixed >>> 16), 0x21f0aaad)
    mixed = Math.imul(mixed ^ (mixed >>> 15), 0x735a2d97)
    mixed ^= mixed >>> 15
    return (mixed >>> 0) / 4294967296
  }
}

function pick(random, items) {
  return items[Math.floor(random() * items.length)]
}

function baseHeaders() {
  const headers = { 'content-type': 'application/json' }
  if (__ENV.AUTHORIZATION) headers.authorization = __ENV.AUTHORIZATION
  return headers
}

let sequence = 0
function post(path, body, endpoint, expected) {
  sequence += 1
  const headers = Object.assign(baseHeaders(), { 'idempotency-key': 'k6-' + __VU + '-' + sequence + '-' + Date.now() })
  return http.post(BASE_URL + path, JSON.stringify(body), {
    headers: headers,
    tags: { name: endpoint },
    timeout: PLAN.requestTimeout,
    responseCallback: http.expectedStatuses(...expected),
  })
}

function get(path, endpoint) {
  return http.get(BASE_URL + path, {
    headers: baseHeaders(),
    tags: { name: endpoint },
    timeout: PLAN.requestTimeout,
    responseCallback: http.expectedStatuses(200),
  })
}

function field(response, name) {
  try {
    return JSON.parse(response.body)[name]
  } catch (error) {
    return undefined
  }
}

const NAMES = ['Aino', 'Bilal', 'Chen', 'Dara', 'Emeka', 'Farah', 'Goran', 'Hana']
const SUBJECTS = ['Algorithms', 'Databases', 'Compilers', 'Statistics', 'Networks']

function createStudent(random, data) {
  sequence += 1
  const name = pick(random, NAMES) + ' ' + pick(random, NAMES) + 'son'
  const email = name.replace(' ', '.').toLowerCase() + '.' + __VU + '.' + sequence + '@students.example'
  const response = post('/students', { name: name, email: email }, PLAN.endpoints.createStudent, [201])
  const id = response.status === 201 ? field(response, 'studentId') : undefined
  if (id) data.studentIds.push(id)
}

function createCourse(random, data) {
  sequence += 1
  const title = pick(random, SUBJECTS) + ' ' + sequence
  const response = post('/courses', { title: title, capacity: PLAN.setup.courseCapacity }, PLAN.endpoints.createCourse, [201])
  const id = response.status === 201 ? field(response, 'courseId') : undefined
  if (id) data.courseIds.push(id)
}

function enroll(random, data) {
  const courseId = pick(random, data.courseIds)
  const studentId = pick(random, data.studentIds)
  const response = post('/courses/' + courseId + '/enrollments', { studentId: studentId }, PLAN.endpoints.enroll, [201, 409])
  if (response.status === 201) data.enrollments.push([courseId, studentId])
}

function feasible(kind, data) {
  const needsStudent = kind === 'getStudent' || kind === 'getStudentGrades' || kind === 'enroll'
  const needsCourse = kind === 'getCourse' || kind === 'listEnrollments' || kind === 'enroll'
  if (needsStudent && data.studentIds.length === 0) return 'createStudent'
  if (needsCourse && data.courseIds.length === 0) return 'createCourse'
  if (kind === 'putGrade' && data.enrollments.length === 0) return feasible('enroll', data)
  return kind
}

function send(kind, random, data) {
  switch (feasible(kind, data)) {
    case 'createStudent': return createStudent(random, data)
    case 'createCourse': return createCourse(random, data)
    case 'enroll': return enroll(random, data)
    case 'getStudent': return get('/students/' + pick(random, data.studentIds), PLAN.endpoints.getStudent)
    case 'getStudentGrades': return get('/students/' + pick(random, data.studentIds) + '/grades', PLAN.endpoints.getStudentGrades)
    case 'getCourse': return get('/courses/' + pick(random, data.courseIds), PLAN.endpoints.getCourse)
    case 'listCourses': return get('/courses?limit=' + PLAN.pageSize, PLAN.endpoints.listCourses)
    case 'listEnrollments': return get('/courses/' + pick(random, data.courseIds) + '/enrollments?limit=' + PLAN.pageSize, PLAN.endpoints.listEnrollments)
    case 'health': return get('/health', PLAN.endpoints.health)
    case 'putGrade': {
      const pair = pick(random, data.enrollments)
      return http.put(BASE_URL + '/courses/' + pair[0] + '/grades/' + pair[1], JSON.stringify({ grade: pick(random, PLAN.grades) }), {
        headers: baseHeaders(),
        tags: { name: PLAN.endpoints.putGrade },
        timeout: PLAN.requestTimeout,
        responseCallback: http.expectedStatuses(200, 201),
      })
    }
  }
}

export function setup() {
  const random = seededRandom(PLAN.seed)
  const data = { studentIds: [], courseIds: [], enrollments: [] }
  for (let i = 0; i < PLAN.setup.students; i += 1) createStudent(random, data)
  for (let i = 0; i < PLAN.setup.courses; i += 1) createCourse(random, data)
  if (data.studentIds.length > 0 && data.courseIds.length > 0) {
    for (let i = 0; i < PLAN.setup.enrollments; i += 1) enroll(random, data)
  }
  return data
}

const TOTAL_WEIGHT = PLAN.mix.reduce((sum, entry) => sum + entry.weight, 0)
let vuState

export default function (shared) {
  if (!vuState) {
    vuState = {
      random: seededRandom(PLAN.seed + __VU * 7919),
      data: {
        studentIds: shared.studentIds.slice(),
        courseIds: shared.courseIds.slice(),
        enrollments: shared.enrollments.slice(),
      },
    }
  }
  let point = vuState.random() * TOTAL_WEIGHT
  let kind = PLAN.mix[PLAN.mix.length - 1].request
  for (const entry of PLAN.mix) {
    if (point < entry.weight) {
      kind = entry.request
      break
    }
    point -= entry.weight
  }
  send(kind, vuState.random, vuState.data)
  const thinkMs = THINK_TIME_MS.min + vuState.random() * (THINK_TIME_MS.max - THINK_TIME_MS.min)
  if (thinkMs > 0) sleep(thinkMs / 1000)
}
`
