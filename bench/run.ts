/**
 * `npm run bench`: speed goals measured, never asserted in tests. Prints a table and writes
 * bench/results.json ({"results":[{"id","median_ms","floor_ms","runs",...}]}).
 * Usage: npm run bench [-- id-prefix ...]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cloudflareBenchmarks } from './cloudflare';
import { configBenchmarks } from './config';
import { kubernetesBenchmarks } from './kubernetes';
import { lspBenchmarks } from './lsp';
import type { Benchmark, Result } from './measure';
import { workspaceBenchmarks } from './workspace';

const all: Benchmark[] = [...configBenchmarks(), ...lspBenchmarks(), ...cloudflareBenchmarks(), ...workspaceBenchmarks(), ...kubernetesBenchmarks()];

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const chosen = filters.length ? all.filter((b) => filters.some((f) => b.id.startsWith(f))) : all;
  const results: Result[] = [];
  for (const b of chosen) {
    const r = await b.run();
    results.push(r);
    const ratio = r.floor_ms ? ` ${(r.median_ms / r.floor_ms).toFixed(2)}x floor` : '';
    const goal = b.goal ? `  goal: ${b.goal}` : '';
    console.log(`${r.id.padEnd(26)} median ${r.median_ms.toFixed(2).padStart(9)} ms  floor ${r.floor_ms?.toFixed(2).padStart(9) ?? '        -'} ms  runs ${String(r.runs).padStart(4)}${ratio}${goal}`);
  }
  writeFileSync(join(__dirname, 'results.json'), JSON.stringify({ results }, null, 2) + '\n');
  console.log(`wrote bench/results.json (${results.length} results)`);
}

void main();
