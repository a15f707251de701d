// Tests for src/node/workspaceFiles.ts: the one workspace walker (issue #15).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { MAX_WALK_DEPTH, SKIP_DIRS, walkFiles } from '../../../src/node/workspaceFiles';

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

test('walkFiles: symbolic link loops end, each real file once, dangling links and depth noted (issue #16)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cftunnel-walk-'));
  try {
    writeFileSync(join(dir, 'config.yaml'), '');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'k.yaml'), '');
    symlinkSync('.', join(dir, 'a'));
    symlinkSync('.', join(dir, 'b'));
    symlinkSync('..', join(dir, 'sub', 'up'));
    symlinkSync('config.yaml', join(dir, 'same.yaml'));
    symlinkSync('missing.yaml', join(dir, 'dangling.yaml'));
    symlinkSync('self', join(dir, 'self'));
    const notes: string[] = [];
    // Bounded even where the walk loops: a walker that re-enters the loop asks about the same file again and again.
    let asked = 0;
    const yaml = (p: string): boolean => {
      if (++asked > 1000) throw new Error('the walk went round a symbolic link loop');
      return /\.ya?ml$/.test(p);
    };
    const files = walkFiles(dir, yaml, Infinity, [], { note: (m) => notes.push(m) });
    assert.deepEqual(
      files.map((p) => relative(dir, p).split('\\').join('/')),
      ['config.yaml', 'sub/k.yaml'],
    );
    const said = notes.map((n) => n.replace(dir, 'DIR').replace(realpathSync(dir), 'REAL'));
    assert.deepEqual(said, [
      'skipped DIR/a: a symbolic link to REAL, which is walked already (a loop)',
      'skipped DIR/b: a symbolic link to REAL, which is walked already (a loop)',
      'skipped DIR/dangling.yaml: a symbolic link to missing.yaml that does not exist',
      'skipped DIR/self: a symbolic link that leads back to itself (a loop)',
      'skipped DIR/sub/up: a symbolic link to REAL, which is walked already (a loop)',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('walkFiles: folders deeper than the depth limit are skipped with a note', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cftunnel-walk-'));
  try {
    mkdirSync(join(dir, 'a', 'b', 'c'), { recursive: true });
    writeFileSync(join(dir, 'a', 'one.yaml'), '');
    writeFileSync(join(dir, 'a', 'b', 'c', 'three.yaml'), '');
    const notes: string[] = [];
    const files = walkFiles(dir, () => true, Infinity, [], { maxDepth: 2, note: (m) => notes.push(m) });
    assert.deepEqual(
      files.map((p) => relative(dir, p).split('\\').join('/')),
      ['a/one.yaml'],
    );
    assert.deepEqual(notes, [`skipped ${join(dir, 'a', 'b', 'c')}: more than 2 folders deep`]);
    assert.equal(MAX_WALK_DEPTH, 32);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
