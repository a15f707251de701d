/**
 * .gitignore entries for hostile names (issue #16): what the one rule writes
 * (src/core/workspace/gitignore.ts, written by src/node/gitignore.ts) is checked with the real
 * `git check-ignore` in a fresh repository: the file is ignored, and nothing else is (a decoy
 * name that the unescaped glob would match stays tracked). The core's own matcher agrees.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addToGitignore } from '../../src/node/gitignore';
import { isIgnored, parseGitignore } from '../../src/core/workspace/gitignore';

const HOSTILE = [
  'dir[1]',
  'br[ack',
  'back\\slash',
  '#hash',
  '!bang',
  'trail ',
  'two  ',
  'star*',
  'q?',
  '[ab]',
  'a]b',
  ' lead',
  '**',
  'x\\[y',
  'plain',
];

const root = mkdtempSync(join(tmpdir(), 'cftunnel-gitignore-git-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Paths (relative) that git ignores, among `paths`. */
function gitIgnored(paths: string[]): Set<string> {
  const r = spawnSync('git', ['check-ignore', '--no-index', '-z', '--stdin'], {
    cwd: root,
    input: paths.join('\0'),
    encoding: 'utf8',
  });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return new Set(r.stdout.split('\0').filter((p) => p !== ''));
}

test('every hostile folder and file name is ignored by git exactly, and the core agrees', () => {
  execFileSync('git', ['init', '-q', root]);
  const gitignore = join(root, '.gitignore');
  const wanted: string[] = [];
  const decoys: string[] = [];
  HOSTILE.forEach((name, i) => {
    // A folder holding credentials.json (anchored entry, as "Write credentials.json" writes it) …
    mkdirSync(join(root, name), { recursive: true });
    writeFileSync(join(root, name, 'credentials.json'), '{}');
    assert.equal(addToGitignore(gitignore, `/${name}/credentials.json`, i === 0 ? 'secret' : undefined), true);
    wanted.push(`${name}/credentials.json`);
    // … and a file of that name beside the .gitignore (unanchored entry, as check --fix writes it).
    const file = `f${name}.env`;
    writeFileSync(join(root, file), 'token=x');
    assert.equal(addToGitignore(gitignore, file), true);
    wanted.push(file);
    assert.equal(addToGitignore(gitignore, file), false, `${file}: listed once`);
  });
  // Names an unescaped glob would also match: they must stay tracked.
  for (const decoy of ['dir1', 'b', 'star-x', 'qz', 'a', 'xz']) {
    mkdirSync(join(root, decoy), { recursive: true });
    writeFileSync(join(root, decoy, 'credentials.json'), '{}');
    decoys.push(`${decoy}/credentials.json`);
    writeFileSync(join(root, `f${decoy}.env`), 'x');
    decoys.push(`f${decoy}.env`);
  }
  const ignored = gitIgnored([...wanted, ...decoys]);
  assert.deepEqual(
    wanted.filter((p) => !ignored.has(p)),
    [],
    `not ignored by git; .gitignore:\n${readFileSync(gitignore, 'utf8')}`,
  );
  assert.deepEqual(
    decoys.filter((p) => ignored.has(p)),
    [],
    'decoys ignored',
  );
  const rules = [{ dir: root, rules: parseGitignore(readFileSync(gitignore, 'utf8')) }];
  for (const p of wanted) assert.equal(isIgnored(`${root}/${p}`, root, rules), true, `core: ${p}`);
  for (const p of decoys) assert.equal(isIgnored(`${root}/${p}`, root, rules), false, `core: ${p}`);
});

test('a CRLF .gitignore with a BOM gets a CRLF entry and keeps its BOM; git ignores the file', () => {
  const dir = join(root, 'crlf');
  mkdirSync(dir);
  writeFileSync(join(dir, '.gitignore'), '\uFEFFdist\r\nnode_modules\r\n');
  writeFileSync(join(dir, 'dir[1].env'), 'x');
  assert.equal(addToGitignore(join(dir, '.gitignore'), 'dir[1].env'), true);
  assert.equal(readFileSync(join(dir, '.gitignore'), 'utf8'), '\uFEFFdist\r\nnode_modules\r\ndir\\[1].env\r\n');
  assert.ok(gitIgnored(['crlf/dir[1].env']).has('crlf/dir[1].env'));
});
