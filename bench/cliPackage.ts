/**
 * `cli-package-size`: the npm package of the CLI alone (packages/cli), packed as `npm run pack:cli`
 * packs it (scripts/pack-cli.mjs: esbuild's minified bundle, its notices, README, LICENSE), in a
 * temporary folder. size_bytes is the .tgz; unpacked_bytes what npm installs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packCli } from '../scripts/pack-cli.mjs';
import type { Benchmark, Result } from './measure';

export function cliPackageBenchmarks(): Benchmark[] {
  return [
    {
      id: 'cli-package-size',
      async run(): Promise<Result> {
        const dir = mkdtempSync(join(tmpdir(), 'cftunnel-bench-cli-'));
        try {
          const p = await packCli({ destination: dir });
          const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
          return {
            id: 'cli-package-size',
            median_ms: 0,
            runs: 1,
            size_bytes: p.size,
            files: p.files.length,
            unpacked_bytes: p.unpackedSize,
            bundle_bytes: p.bundleSize,
            detail: `${kib(p.unpackedSize)} unpacked; dist/cftunnel.js ${kib(p.bundleSize)}; no dependencies`,
          };
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    },
  ];
}
