import { describe, expect, it } from 'vitest'
import {
  type CursorShape,
  decodeCursor,
  encodeCursor,
  InvalidCursorError,
} from '../../src/store/cursor.js'

const SHAPE: CursorShape = { pk: 'COURSE#crs_a', sk: /^ENROLLMENT#[a-z_]{1,20}$/ }
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

describe('listing cursors', () => {
  it('hands back the key a listing issued', () => {
    const key = { pk: 'COURSE#crs_a', sk: 'ENROLLMENT#stu_b' }
    expect(decodeCursor(encodeCursor(key) ?? '', SHAPE)).toEqual(key)
  })

  it('refuses keys DynamoDB itself would refuse, instead of passing them on', () => {
    const forged = [
      { pk: 'COURSE#crs_a', sk: '' },
      { pk: 'COURSE#crs_a', sk: `ENROLLMENT#${'a'.repeat(1100)}` },
      { pk: 'COURSE#crs_a', sk: 'ENROLLMENT#\ud800' },
    ]
    for (const key of forged) {
      expect(() => decodeCursor(cursorOf(key), SHAPE), JSON.stringify(key)).toThrow(
        InvalidCursorError,
      )
    }
  })

  it('refuses another partition, missing or extra attributes, and values that are not strings', () => {
    const forged = [
      { pk: 'COURSE#crs_z', sk: 'ENROLLMENT#stu_b' },
      { pk: 'COURSE#crs_a' },
      { pk: 'COURSE#crs_a', sk: 'ENROLLMENT#stu_b', gsi1pk: 'COURSES' },
      { pk: 'COURSE#crs_a', sk: 42 },
      JSON.parse('{"pk":"COURSE#crs_a","__proto__":"ENROLLMENT#stu_b"}'),
      ['COURSE#crs_a', 'ENROLLMENT#stu_b'],
    ]
    for (const key of forged) {
      expect(() => decodeCursor(cursorOf(key), SHAPE), JSON.stringify(key)).toThrow(
        InvalidCursorError,
      )
    }
    expect(() => decodeCursor('not base64 json', SHAPE)).toThrow(InvalidCursorError)
  })

  it('applies the listing consistency check last', () => {
    const key = { pk: 'COURSE#crs_a', sk: 'ENROLLMENT#stu_b' }
    expect(() => decodeCursor(cursorOf(key), SHAPE, () => false)).toThrow(InvalidCursorError)
  })
})
