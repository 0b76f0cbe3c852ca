import { z } from 'zod'
import { GRADES } from '../store/records.js'
import { idPattern } from './ids.js'

/** A UTF-16 surrogate without its pair: it cannot be stored as UTF-8 without being changed. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Text people type: no control characters, no broken UTF-16, trimmed, within a length. */
const text = (maxLength: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(maxLength)
    .refine(
      (value) => !LONE_SURROGATE.test(value),
      'must be well-formed Unicode (no lone surrogates)',
    )
    .refine((value) => !/\p{Cc}/u.test(value), 'must not contain control characters')

export const studentId = z
  .string()
  .regex(idPattern('stu'), 'must look like stu_ followed by 16 characters from a-z and 2-7')

export const courseId = z
  .string()
  .regex(idPattern('crs'), 'must look like crs_ followed by 16 characters from a-z and 2-7')

export const createStudentBody = z.strictObject({
  name: text(100),
  // 254 characters is the longest address SMTP can carry.
  email: z.email().max(254),
})

export const createCourseBody = z.strictObject({
  title: text(200),
  capacity: z.int().min(1).max(1000),
})

export const enrollmentBody = z.strictObject({ studentId })

export const gradeBody = z.strictObject({ grade: z.enum(GRADES) })

/** Query strings of listings: page size and the cursor the previous page returned. */
export const pageQuery = z.strictObject({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a whole number from 1 to 100')
    .transform(Number)
    .pipe(z.int().min(1).max(100))
    .default(20),
  cursor: z.string().min(1).max(2048).optional(),
})

export const noQuery = z.strictObject({})
