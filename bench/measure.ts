/** Timing helpers for benchmarks: warm-up, then the median of repeated runs. */

export interface Result {
  id: string;
  median_ms: number;
  floor_ms?: number;
  runs: number;
  [extra: string]: unknown;
}

export interface Benchmark {
  id: string;
  goal?: string;
  run(): Promise<Result>;
}

/** Runs `fn` after `warmup` calls until `minRuns` runs and `minMs` total time; returns the median in ms. */
export function medianOf(
  fn: () => void,
  opts: { warmup?: number; minRuns?: number; minMs?: number; maxRuns?: number } = {},
): { median: number; runs: number } {
  const { warmup = 5, minRuns = 15, minMs = 1500, maxRuns = 500 } = opts;
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < maxRuns && (times.length < minRuns || performance.now() - start < minMs)) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, runs: times.length };
}
