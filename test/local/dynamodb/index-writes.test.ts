import { describe, expect, it } from 'vitest'
import { indexWriteUnits } from '../../../src/local/dynamodb/governor/index-writes.js'
import type { IndexShape } from '../../../src/local/dynamodb/governor/meters.js'

const index: IndexShape = {
  name: 'gsi1',
  local: false,
  hashKey: 'gsi1pk',
  indexKeys: ['gsi1pk', 'gsi1sk'],
  keyNames: ['gsi1pk', 'gsi1sk', 'pk', 'sk'],
  projected: ['title', 'capacity'],
}

const item = (fields: Record<string, string>) =>
  Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, { S: value }]))

const course = item({ pk: 'C#1', sk: '#COURSE', gsi1pk: 'COURSES', gsi1sk: 'a', title: 'T' })

describe('index write units', () => {
  it('charge one write for an item entering the index', () => {
    expect(indexWriteUnits([index], undefined, course)).toEqual([
      { indexName: 'gsi1', local: false, units: 1 },
    ])
  })

  it('charge nothing for an item that is in the index neither before nor after', () => {
    const student = item({ pk: 'S#1', sk: 'PROFILE', name: 'x' })
    expect(indexWriteUnits([index], student, { ...student, name: { S: 'y' } })).toEqual([])
  })

  it('charge nothing when only an unprojected attribute changes', () => {
    const after = { ...course, seatsTaken: { N: '3' } }
    expect(indexWriteUnits([index], course, after)).toEqual([])
  })

  it('charge one write when a projected attribute changes', () => {
    const after = { ...course, title: { S: 'New title' } }
    expect(indexWriteUnits([index], course, after)[0]?.units).toBe(1)
  })

  it('charge a delete and a put when the index key changes', () => {
    const after = { ...course, gsi1sk: { S: 'b' } }
    expect(indexWriteUnits([index], course, after)[0]?.units).toBe(2)
  })

  it('charge one delete when the index key is removed', () => {
    const { gsi1pk: _, ...after } = course
    expect(indexWriteUnits([index], course, after)[0]?.units).toBe(1)
  })

  it('round each write up per kilobyte of the index entry, not of the item', () => {
    const big = { ...course, title: { S: 'x'.repeat(2500) }, notes: { S: 'y'.repeat(5000) } }
    // The entry holds keys and the 2.5 KB title (3 KB rounded); the unprojected notes do not count.
    expect(indexWriteUnits([index], undefined, big)[0]?.units).toBe(3)
  })
})
