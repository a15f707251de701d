/**
 * `cli-check-repo`: `cftunnel check` over a repository of 5,000 manifests and 500 cloudflared
 * configs (the workspace benchmark's generated tree, written to a temporary folder): every file
 * read, analysed and cross-checked, in process; the floor is the bare YAML parse of the same files
 * (`yaml.parseAllDocuments`) read from the same folder.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { main } from '../src/cli/main';
import { collectFiles } from '../src/cli/files';
import { medianOf } from './measure';
import type { Benchmark } from './measure';
import { generateWorkspace } from './workspace';

export function cliCheckBenchmarks(): Benchmark[] {
  return [
    {
      id: 'cli-check-repo',
      goal: 'cftunnel check over 5,000 manifests + 500 configs; floor: the bare YAML parse of the same files',
      async run() {
        const root = mkdtempSync(join(tmpdir(), 'cftunnel-bench-repo-'));
        try {
          const files = generateWorkspace(500, 5000);
          for (const [path, text] of files) {
            const target = join(root, path);
            mkdirSync(dirname(target), { recursive: true });
            writeFileSync(target, text);
          }
          const yamlFiles = collectFiles([root]);
          const floor = medianOf(
            () => {
              for (const f of yamlFiles) parseAllDocuments(readFileSync(f, 'utf8'));
            },
            { warmup: 1, minRuns: 3, minMs: 2000, maxRuns: 10 },
          );
          let code = -1;
          const r = medianOf(
            () => {
              code = main(['check', root], { out: () => {}, err: () => {} });
            },
            { warmup: 1, minRuns: 3, minMs: 2000, maxRuns: 10 },
          );
          if (code !== 0 && code !== 1) throw new Error(`cli-check-repo: cftunnel check exited ${code}`);
          return {
            id: 'cli-check-repo',
            median_ms: r.median,
            floor_ms: floor.median,
            runs: r.runs,
            files: yamlFiles.length,
          };
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      },
    },
  ];
}
