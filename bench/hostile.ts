/**
 * `hostile-worst`: the hostile input set (test/support/hostile.ts: alias bombs, a symbolic link
 * loop, a 50 MB config, 10,000 counted-repetition paths, 30,000 and 100,000 rules) through the CLI
 * and through the language server, each in a child process; reports the worst case's wall time
 * and the largest peak memory (GNU time's maximum RSS when /usr/bin/time exists). The hang/OOM
 * guard is test/integration/hostile.test.ts; this is the speed figure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHostileSet } from '../test/support/hostile';
import type { Benchmark, Result } from './measure';

const ROOT = join(__dirname, '..');
const TIME = '/usr/bin/time';

function measure(args: string[]): { ms: number; rssKb?: number } {
  const node = [process.execPath, '--max-old-space-size=4096', '--import', 'tsx', ...args];
  const useTime = existsSync(TIME);
  const started = performance.now();
  const r = spawnSync(useTime ? TIME : node[0]!, useTime ? ['-f', 'RSS_KB=%M', ...node] : node.slice(1), {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  const rss = /RSS_KB=(\d+)/.exec(r.stderr ?? '');
  return { ms, ...(rss ? { rssKb: Number(rss[1]) } : {}) };
}

export function hostileBenchmarks(): Benchmark[] {
  return [
    {
      id: 'hostile-worst',
      goal: 'every hostile file within seconds and a few hundred MB (was: minutes, GBs, or never)',
      run(): Promise<Result> {
        const root = mkdtempSync(join(tmpdir(), 'cftunnel-bench-hostile-'));
        try {
          const rows: Array<{ name: string; ms: number; rssKb?: number }> = [];
          for (const c of writeHostileSet(root)) {
            rows.push({ name: `cli ${c.name}`, ...measure(['src/cli/main.ts', 'check', c.dir]) });
            rows.push({ name: `server ${c.name}`, ...measure(['test/support/hostileServer.ts', c.dir, c.file]) });
          }
          const worst = rows.reduce((a, b) => (b.ms > a.ms ? b : a));
          const heaviest = rows.reduce((a, b) => ((b.rssKb ?? 0) > (a.rssKb ?? 0) ? b : a));
          const detail =
            `worst: ${worst.name} ${Math.round(worst.ms)} ms; most memory: ${heaviest.name} ` +
            `${heaviest.rssKb ? `${Math.round(heaviest.rssKb / 1024)} MiB` : '(no /usr/bin/time)'}`;
          return Promise.resolve({ id: 'hostile-worst', median_ms: worst.ms, runs: rows.length, detail, cases: rows });
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      },
    },
  ];
}
