import type { Phase } from '../scenario/schema.js'

/** A stretch of time over which the arrival rate changes linearly (or stays constant). */
export interface RateSegment {
  readonly startMs: number
  readonly durationMs: number
  readonly fromRatePerSecond: number
  readonly toRatePerSecond: number
}

type Piece = Omit<RateSegment, 'startMs'>

function piecesOf(phase: Phase): Piece[] {
  const durationMs = phase.durationSeconds * 1000
  switch (phase.type) {
    case 'constant':
      return [
        {
          durationMs,
          fromRatePerSecond: phase.ratePerSecond,
          toRatePerSecond: phase.ratePerSecond,
        },
      ]
    case 'ramp':
      return [
        {
          durationMs,
          fromRatePerSecond: phase.fromRatePerSecond,
          toRatePerSecond: phase.toRatePerSecond,
        },
      ]
    case 'step': {
      const stepMs = durationMs / phase.steps
      const rise = (phase.toRatePerSecond - phase.fromRatePerSecond) / (phase.steps - 1)
      return Array.from({ length: phase.steps }, (_, index) => {
        const rate = phase.fromRatePerSecond + rise * index
        return { durationMs: stepMs, fromRatePerSecond: rate, toRatePerSecond: rate }
      })
    }
    case 'spike': {
      const beforeMs = phase.spikeStartSeconds * 1000
      const spikeMs = phase.spikeDurationSeconds * 1000
      const base = phase.baseRatePerSecond
      const peak = phase.peakRatePerSecond
      return [
        { durationMs: beforeMs, fromRatePerSecond: base, toRatePerSecond: base },
        { durationMs: spikeMs, fromRatePerSecond: peak, toRatePerSecond: peak },
        {
          durationMs: durationMs - beforeMs - spikeMs,
          fromRatePerSecond: base,
          toRatePerSecond: base,
        },
      ].filter((piece) => piece.durationMs > 0)
    }
  }
}

/** Lays the phases end to end as linear rate segments. */
export function segmentsOf(phases: readonly Phase[]): RateSegment[] {
  const segments: RateSegment[] = []
  let startMs = 0
  for (const phase of phases) {
    for (const piece of piecesOf(phase)) {
      segments.push({ startMs, ...piece })
      startMs += piece.durationMs
    }
  }
  return segments
}

/** How many arrivals a segment holds: the area under its rate line. */
export function arrivalsIn(segment: RateSegment): number {
  return ((segment.fromRatePerSecond + segment.toRatePerSecond) / 2) * (segment.durationMs / 1000)
}

/** The rate the schedule asks for at an instant, for "achieved vs target" per second. */
export function rateAt(segments: readonly RateSegment[], offsetMs: number): number {
  for (const segment of segments) {
    if (offsetMs < segment.startMs + segment.durationMs) {
      const progress = (offsetMs - segment.startMs) / segment.durationMs
      return (
        segment.fromRatePerSecond + (segment.toRatePerSecond - segment.fromRatePerSecond) * progress
      )
    }
  }
  return 0
}

export function totalDurationMs(segments: readonly RateSegment[]): number {
  const last = segments.at(-1)
  return last ? last.startMs + last.durationMs : 0
}
