/**
 * `npm run bench`: speed goals measured, never asserted in tests. Prints a table and writes
 * bench/results.json ({"results":[{"id","median_ms","floor_ms","runs",...}]}).
 * Usage: npm run bench [-- id-prefix ...]   e.g. `npm run bench -- activation vsix`
 * `activation` and `vsix-size` package the extension (.cache/cftunnel.vsix) when it is out of date;
 * `activation` installs the e2e editor first when it is missing (code-server into .cache/, as `npm run demo` does; Debian's chromium).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { activationBenchmarks } from './activation';
import { cliCheckBenchmarks } from './cliCheck';
import { cliPackageBenchmarks } from './cliPackage';
import { cloudflareBenchmarks } from './cloudflare';
import { configBenchmarks } from './config';
import { hostileBenchmarks } from './hostile';
import { kubernetesBenchmarks } from './kubernetes';
import { lspBenchmarks } from './lsp';
import { yamlLsBenchmarks } from './yamlls';
import { metricsBenchmarks } from './metrics';
import { routingBenchmarks } from './routing';
import type { Benchmark, Result } from './measure';
import { vsixBenchmarks } from './vsix';
import { workspaceBenchmarks } from './workspace';

const all: Benchmark[] = [
  ...configBenchmarks(),
  ...lspBenchmarks(),
  // Only with YAML_LANGUAGE_SERVER set (bench/yamlls.ts).
  ...yamlLsBenchmarks(),
  ...cloudflareBenchmarks(),
  ...workspaceBenchmarks(),
  ...cliCheckBenchmarks(),
  ...cliPackageBenchmarks(),
  ...kubernetesBenchmarks(),
  ...hostileBenchmarks(),
  ...routingBenchmarks(),
  ...metricsBenchmarks(),
  // Last: they package the extension (which rebuilds dist/) and start real workbenches.
  ...vsixBenchmarks(),
  ...activationBenchmarks(),
];

/** 869122 → "848.8 KiB". */
function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

function line(b: Benchmark, r: Result): string {
  const goal = b.goal ? `  goal: ${b.goal}` : '';
  // Size results (vsix-size) carry `size_bytes` (and `files`); nothing is timed, their median_ms is 0.
  if (typeof r.size_bytes === 'number') {
    const files = typeof r.files === 'number' ? `  files ${String(r.files).padStart(4)}` : '';
    return `${r.id.padEnd(26)} size   ${formatBytes(r.size_bytes).padStart(9)}     (${r.size_bytes.toLocaleString('en-US')} bytes)${files}${goal}`;
  }
  const ratio = r.floor_ms ? ` ${(r.median_ms / r.floor_ms).toFixed(2)}x floor` : '';
  return `${r.id.padEnd(26)} median ${r.median_ms.toFixed(2).padStart(9)} ms  floor ${r.floor_ms?.toFixed(2).padStart(9) ?? '        -'} ms  runs ${String(r.runs).padStart(4)}${ratio}${goal}`;
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const chosen = filters.length ? all.filter((b) => filters.some((f) => b.id.startsWith(f))) : all;
  const results: Result[] = [];
  const failed: string[] = [];
  for (const b of chosen) {
    let r: Result;
    try {
      r = await b.run();
    } catch (err) {
      // One benchmark that cannot run (no code-server, a package that does not build) does not lose the others.
      failed.push(b.id);
      console.log(`${b.id.padEnd(26)} FAILED: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    results.push(r);
    console.log(line(b, r));
    // `detail`: one line of further figures (activation's phases, the package's biggest entries).
    if (typeof r.detail === 'string') console.log(`${''.padEnd(26)} ${r.detail}`);
  }
  writeFileSync(join(__dirname, 'results.json'), JSON.stringify({ results }, null, 2) + '\n');
  console.log(`wrote bench/results.json (${results.length} results)`);
  if (failed.length) {
    console.log(`failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

void main();
