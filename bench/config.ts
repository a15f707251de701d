/** Checker speed: whole analysis of generated configs against `yaml`'s parse alone (the floor). */
import { parseDocument } from 'yaml';
import { analyzeText } from '../src/core/analyze';
import { generateConfig } from '../dev/generate';
import { medianOf } from './measure';
import type { Benchmark } from './measure';

export function configBenchmarks(): Benchmark[] {
  return [100, 1000, 5000].map((rules) => ({
    id: `config-check-${rules}`,
    goal: 'analysis ≤ 1.5× parse',
    async run() {
      const text = generateConfig(rules);
      // Interleave so both see the same machine state.
      const floor = medianOf(() => parseDocument(text, { uniqueKeys: false }));
      const analysis = medianOf(() => analyzeText(text));
      return {
        id: `config-check-${rules}`,
        median_ms: analysis.median,
        floor_ms: floor.median,
        runs: analysis.runs,
        bytes: text.length,
      };
    },
  }));
}
