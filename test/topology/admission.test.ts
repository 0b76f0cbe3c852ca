import { describe, expect, it } from 'vitest'
import { API_ROUTES } from '../../src/api/routes.js'
import { parseCapacitySpec } from '../../src/store/capacity.js'
import { derivedReservedConcurrency, ROUTE_WRITE_UNITS } from '../../src/topology/admission.js'

const seedTable = parseCapacitySpec('provisioned:25/25')

describe('reserved concurrency derived from the table capacity', () => {
  it('shares what the table takes in one budget window by the write units each route asks for', () => {
    // 25 units/s × 1.2 s = 30 units per window. Asked equally often, the routes want 1 + 1 + 6 + 1
    // units: enrollment gets 6/9 of the window (20 units, 3 transactions of 6), the others 1/9
    // (3.3 units, 3 requests of 1).
    expect(derivedReservedConcurrency('per-route', seedTable, 1.2)).toEqual({
      'create-student': 3,
      'create-course': 3,
      'enroll-student': 3,
      'record-grade': 3,
    })
  })

  it('follows the traffic when the routes are weighted', () => {
    const weights = { enrollStudent: 12, recordGrade: 10, createStudent: 6, createCourse: 2 }
    const reserved = derivedReservedConcurrency('per-route', seedTable, 1.2, weights)
    // Table demand 72 + 10 + 6 + 2 = 90 units: enrollment 72/90 of 30 units = 24, so 4 in flight.
    expect(reserved['enroll-student']).toBe(4)
    expect(reserved['create-course']).toBe(1)
  })

  it('is bounded by the index when the index has less capacity', () => {
    const reserved = derivedReservedConcurrency(
      'per-route',
      parseCapacitySpec('provisioned:25/25,index=2/2'),
      1.2,
    )
    // The index takes 2.4 units per window, half each for courses and grades: 1 in flight each.
    expect(reserved['create-course']).toBe(1)
    expect(reserved['record-grade']).toBe(1)
    expect(reserved['create-student']).toBe(3)
  })

  it('caps the whole monolith, reads included, by its writes', () => {
    // All 30 units of the window over 9/4 units per write on average: 13 in flight.
    expect(derivedReservedConcurrency('monolith', seedTable, 1.2)).toEqual({ monolith: 13 })
  })

  it('derives nothing for on-demand capacity', () => {
    expect(derivedReservedConcurrency('per-route', parseCapacitySpec('on-demand'), 1.2)).toEqual({})
  })

  it('knows the write cost of every route that writes, and of none that reads', () => {
    const writing = API_ROUTES.filter((route) => route.access === 'write').map((route) => route.id)
    expect(Object.keys(ROUTE_WRITE_UNITS).sort()).toEqual([...writing].sort())
  })
})
