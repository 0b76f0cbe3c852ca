import { GRADES, type Grade } from '../contract.js'
import type { SeededRandom } from './random.js'

const words = (text: string): string[] => text.split(' ')

const GIVEN_NAMES = words('Aino Bilal Chen Dara Emeka Farah Goran Hana Ines Jonas Kaija Luca Maya')
const FAMILY_NAMES = words('Virtanen Okafor Nguyen Silva Kowalski Haddad Tanaka Moreau Berg Rossi')
const SUBJECTS = words('Algorithms Databases Compilers Statistics Networks Cryptography Ethics')
const LEVELS = ['Introduction to', 'Topics in', 'Advanced', 'Applied', 'Seminar on']

export interface StudentBody {
  name: string
  email: string
}

export interface CourseBody {
  title: string
  capacity: number
}

/** A plausible student; `sequence` keeps emails distinct within a run. */
export function studentBody(random: SeededRandom, sequence: number): StudentBody {
  const given = random.pick(GIVEN_NAMES)
  const family = random.pick(FAMILY_NAMES)
  return {
    name: `${given} ${family}`,
    email: `${given}.${family}.${sequence}@students.example`.toLowerCase(),
  }
}

export function courseBody(random: SeededRandom, sequence: number, capacity: number): CourseBody {
  return { title: `${random.pick(LEVELS)} ${random.pick(SUBJECTS)} ${sequence}`, capacity }
}

export function randomGrade(random: SeededRandom): Grade {
  return random.pick(GRADES)
}
