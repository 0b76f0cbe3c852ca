/** A point of a series: x (minutes since the start) and y (megabytes). */
export type Point = readonly [x: number, y: number]

/**
 * The least-squares slope of y over x, or undefined with fewer than three points or no spread
 * in x: the trend of a noisy series, which two end points alone would misstate.
 */
export function leastSquaresSlope(points: readonly Point[]): number | undefined {
  if (points.length < 3) return undefined
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / points.length
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / points.length
  let covariance = 0
  let varianceX = 0
  for (const [x, y] of points) {
    covariance += (x - meanX) * (y - meanY)
    varianceX += (x - meanX) ** 2
  }
  return varianceX === 0 ? undefined : covariance / varianceX
}
