/** Nearest-rank percentiles of a sample (any unit), rounded to 3 significant decimals. */
export function percentiles(values: number[]) {
  const sorted = values.toSorted((a, b) => a - b)
  const at = (p: number) => sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)]!
    : 0
  const round = (value: number) => Math.round(value * 1000) / 1000
  return {
    n: sorted.length,
    mean: round(sorted.reduce((sum, value) => sum + value, 0) / (sorted.length || 1)),
    p50: round(at(50)),
    p95: round(at(95)),
    p99: round(at(99)),
    max: round(sorted.at(-1) ?? 0),
  }
}
