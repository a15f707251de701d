// Tests for src/node/workspaceFiles.ts: the one workspace walker (issue #15).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { SKIP_DIRS, walkFiles } from '../../../src/node/workspaceFiles';

test('walkFiles: sorted, skips the skip list, honours include and max', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cftunnel-walk-'));
  try {
    for (const f of [
      'b/config.yaml',
      'a.yml',
      'node_modules/x.yaml',
      '.git/y.yaml',
      'dist/z.yaml',
      'out/o.yaml',
      '.cache/c.yaml',
      'deep/er/k.yaml',
      'readme.md',
    ]) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), '');
    }
    const yaml = (p: string): boolean => /\.ya?ml$/.test(p);
    assert.deepEqual(
      walkFiles(dir, yaml).map((p) => relative(dir, p).split('\\').join('/')),
      ['a.yml', 'b/config.yaml', 'deep/er/k.yaml'],
    );
    assert.equal(walkFiles(dir, yaml, 2).length, 2);
    assert.deepEqual(walkFiles(join(dir, 'missing'), yaml), []);
    for (const d of ['node_modules', '.git', 'dist', 'out', '.cache']) assert.ok(SKIP_DIRS.has(d), d);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
