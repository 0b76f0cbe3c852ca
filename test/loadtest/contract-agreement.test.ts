import { describe, expect, it } from 'vitest'
import { API_ROUTES } from '../../src/api/routes.js'
import { GRADES as LOAD_TEST_GRADES, REQUEST_KINDS } from '../../src/loadtest/contract.js'
import { GRADES } from '../../src/store/records.js'

// The load tester keeps its own copy of the API's contract, so it imports nothing from the
// backend it may be pointed at; this is where the two copies are held to each other.
describe("the load tester's copy of the API contract", () => {
  it('names exactly the routes of the route table', () => {
    const routes = API_ROUTES.map((route) => `${route.method} ${route.path}`)
    expect([...Object.values(REQUEST_KINDS)].sort()).toEqual([...routes].sort())
  })

  it('sends exactly the grades the API accepts', () => {
    expect(LOAD_TEST_GRADES).toEqual(GRADES)
  })
})
