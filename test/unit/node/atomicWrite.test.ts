/**
 * src/node/atomicWrite.ts (issue #16): every write of the product — atomic (a failed write leaves
 * the old file whole), mode kept, never through a symbolic link, never outside `within`, BOM and
 * CRLF kept on rewrite; the scaffold's writer merges a .gitignore instead of replacing it.
 */
import { diskFullAfter, realWriteSync, tempDirs } from '../../support/files';
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  planWrites,
  updateTextFileAtomic,
  writeAll,
  writeFileAtomic,
  WriteRefusedError,
  writerFs,
} from '../../../src/node/atomicWrite';
import { scaffoldPlan } from '../../../src/core/scaffold/scaffold';
import { main } from '../../../src/cli/main';

const temp = tempDirs('cftunnel-atomic-');

describe('writeFileAtomic', () => {
  afterEach(() => {
    writerFs.writeSync = realWriteSync;
  });

  test('a write that throws after a partial write leaves the original intact and no temporary file', () => {
    const dir = temp();
    const file = join(dir, 'config.yaml');
    const original = 'x'.repeat(1_360_000);
    writeFileSync(file, original);
    writerFs.writeSync = diskFullAfter(524_288); // a partial write, then the disk is full
    assert.throws(() => writeFileAtomic(file, 'y'.repeat(1_360_000)), /ENOSPC/);
    assert.equal(readFileSync(file, 'utf8'), original);
    assert.deepEqual(readdirSync(dir), ['config.yaml']);
  });

  test('an existing file keeps its mode; a new one gets the mode asked for; a secret is 0600', () => {
    const dir = temp();
    writeFileSync(join(dir, 'a'), 'old');
    chmodSync(join(dir, 'a'), 0o640);
    writeFileAtomic(join(dir, 'a'), 'new');
    assert.equal(readFileSync(join(dir, 'a'), 'utf8'), 'new');
    assert.equal(statSync(join(dir, 'a')).mode & 0o777, 0o640);
    writeFileAtomic(join(dir, 'b'), 'b');
    assert.equal(statSync(join(dir, 'b')).mode & 0o777, 0o644);
    writeFileAtomic(join(dir, 'a'), 'secret', { mode: 0o600, forceMode: true });
    assert.equal(statSync(join(dir, 'a')).mode & 0o777, 0o600);
  });

  test('refuses a symbolic link, dangling or not, and writes nothing anywhere', () => {
    const dir = temp();
    const outside = temp();
    symlinkSync(join(outside, 'missing'), join(dir, 'dangling'));
    writeFileSync(join(outside, 'there'), 'theirs');
    symlinkSync(join(outside, 'there'), join(dir, 'link'));
    assert.throws(() => writeFileAtomic(join(dir, 'dangling'), 'x'), WriteRefusedError);
    assert.throws(() => writeFileAtomic(join(dir, 'link'), 'x'), /is a symbolic link: not writing through it/);
    assert.equal(existsSync(join(outside, 'missing')), false);
    assert.equal(readFileSync(join(outside, 'there'), 'utf8'), 'theirs');
  });

  test('refuses a path that resolves outside `within` (a linked folder on the way) and says where', () => {
    const repo = temp();
    const outside = temp();
    symlinkSync(outside, join(repo, 'k8s'));
    assert.throws(
      () => writeFileAtomic(join(repo, 'k8s', 'token.env'), 'x', { within: repo }),
      (e: Error) => e instanceof WriteRefusedError && e.message.includes(`resolves to ${join(outside, 'token.env')}`),
    );
    assert.equal(existsSync(join(outside, 'token.env')), false);
    writeFileAtomic(join(repo, 'token.env'), 'x', { within: repo });
  });

  test('exclusive never replaces an existing file', () => {
    const dir = temp();
    writeFileSync(join(dir, 'a'), 'mine');
    assert.throws(() => writeFileAtomic(join(dir, 'a'), 'x', { exclusive: true }), /exists: not overwritten/);
    assert.equal(readFileSync(join(dir, 'a'), 'utf8'), 'mine');
  });

  test('updateTextFileAtomic keeps the BOM and CRLF line endings', () => {
    const dir = temp();
    const file = join(dir, '.gitignore');
    writeFileSync(file, '\uFEFFa\r\nb\r\n');
    assert.equal(
      updateTextFileAtomic(file, (t) => `${t}c\n`),
      true,
    );
    assert.equal(readFileSync(file, 'utf8'), '\uFEFFa\r\nb\r\nc\r\n');
  });
});

describe('the scaffold writer and .gitignore', () => {
  const files = scaffoldPlan({ mode: 'token', tunnelId: '6ff42ae2-765d-4adf-8112-31c55c1551ef' }).files;

  test("Overwrite merges an existing .gitignore: the user's lines stay, the missing entries are added", () => {
    const dir = temp();
    writeFileSync(join(dir, '.gitignore'), 'node_modules/\r\n!keep.env\r\n');
    assert.deepEqual(planWrites(dir, files).conflicts, [], 'a .gitignore is never a conflict');
    const result = writeAll(dir, files, true);
    assert.ok(result.ok);
    assert.equal(result.states.get('.gitignore'), 'merged');
    assert.equal(
      readFileSync(join(dir, '.gitignore'), 'utf8'),
      'node_modules/\r\n!keep.env\r\n# Secret inputs of the generators: never commit them.\r\ntunnel.env\r\n*.env\r\n',
    );
    const again = writeAll(dir, files, true);
    assert.ok(again.ok);
    assert.equal(again.states.get('.gitignore'), 'unchanged');
  });

  test('a replaced file keeps its mode', () => {
    const dir = temp();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'kustomization.yaml'), 'old\n');
    chmodSync(join(dir, 'kustomization.yaml'), 0o664);
    assert.ok(writeAll(dir, files, true).ok);
    assert.equal(statSync(join(dir, 'kustomization.yaml')).mode & 0o777, 0o664);
  });

  test('cftunnel scaffold --force over a folder with a .gitignore: merged, said so', () => {
    const dir = temp();
    writeFileSync(join(dir, '.gitignore'), 'dist\n');
    let out = '';
    const code = main(['scaffold', dir, '--mode', 'token', '--tunnel-id', '6ff42ae2-765d-4adf-8112-31c55c1551ef'], {
      out: (t) => (out += `${t}\n`),
      err: () => {},
    });
    assert.equal(code, 0);
    assert.match(out, /\.gitignore: merged/);
    assert.match(readFileSync(join(dir, '.gitignore'), 'utf8'), /^dist\n# Secret inputs/);
  });
});
