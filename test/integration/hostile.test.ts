/**
 * Hostile input (issue #16, "Hangs and unbounded growth"): every file of the hostile set
 * (test/support/hostile.ts) through the CLI and through the language server, each in a child
 * process with a memory limit and a generous time limit. These are hang/OOM guards, not speed
 * goals (those are `npm run bench -- hostile-worst`): before the budgets, the alias bombs, the
 * 50 MB config, the 10,000 counted-repetition paths and the symbolic link loops never finished.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHostileSet } from '../support/hostile';
import type { HostileCase } from '../support/hostile';

const ROOT = join(__dirname, '..', '..');
/** A hang guard: minutes before the fixes, seconds after. */
const TIME_LIMIT_MS = 30_000;
const HEAP_MB = 768;

function run(args: string[]): { status: number | null; signal: string | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: TIME_LIMIT_MS,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

let root = '';
let cases: HostileCase[] = [];
before(() => {
  root = mkdtempSync(join(tmpdir(), 'cftunnel-hostile-'));
  cases = writeHostileSet(root);
});
after(() => rmSync(root, { recursive: true, force: true }));

const NAMES = [
  'alias-bomb-kustomization',
  'alias-bomb-config',
  'symlink-loop',
  'config-50mb',
  'regex-rules-10k',
  'rules-30k',
  'rules-100k',
];

describe('hostile input: the CLI finishes within its time and memory limit', () => {
  for (const name of NAMES) {
    test(name, () => {
      const c = cases.find((x) => x.name === name)!;
      const r = run(['src/cli/main.ts', 'check', c.dir]);
      assert.equal(r.signal, null, `killed (${r.signal}) after ${TIME_LIMIT_MS} ms or out of memory`);
      assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr.slice(0, 2000)}`);
      assert.match(r.stdout, c.expect, r.stdout.slice(0, 2000));
      if (name === 'symlink-loop') {
        assert.match(
          r.stderr,
          /cftunnel: note: skipped .*[/\\]a: a symbolic link to .*, which is walked already \(a loop\)/,
        );
        assert.match(
          r.stderr,
          /cftunnel: note: skipped .*dangling\.yaml: a symbolic link to missing\.yaml that does not exist/,
        );
      }
    });
  }
});

describe('hostile input: the language server finishes within its time and memory limit', () => {
  for (const name of NAMES) {
    test(name, () => {
      const c = cases.find((x) => x.name === name)!;
      const r = run(['test/support/hostileServer.ts', c.dir, c.file]);
      assert.equal(r.signal, null, `killed (${r.signal}) after ${TIME_LIMIT_MS} ms or out of memory`);
      assert.equal(r.status, 0, r.stderr.slice(0, 2000));
      const out = JSON.parse(r.stdout) as { diagnostics: Array<{ code: string; message: string }>; logs: string[] };
      const text = out.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n');
      assert.match(text, c.expect, text.slice(0, 2000));
      if (name === 'symlink-loop') {
        const logs = out.logs.join('\n');
        assert.match(
          logs,
          /cftunnel: skipped .*[/\\]b: a symbolic link to .*, which is walked already \(a loop\)/,
          logs,
        );
        assert.match(
          logs,
          /cftunnel: skipped .*dangling\.yaml: a symbolic link to missing\.yaml that does not exist/,
          logs,
        );
      }
    });
  }
});
