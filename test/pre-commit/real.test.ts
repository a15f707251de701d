/**
 * `npm run test:pre-commit`: the real pre-commit installs this repository's hook from a clone (npm
 * install from the registry, about 4 minutes) and runs it on the $TOKEN fixture. Not part of
 * `npm test` (it needs pre-commit on PATH and the npm registry); test/integration/cli/pre-commit.test.ts
 * checks the hooks file and each hook's command line without them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cleanNpmEnv } from '../../scripts/pack-cli.mjs';
import { repoWith } from '../support/ciProject';

const repoRoot = join(__dirname, '../..');

test('the real pre-commit installs the hook from a clone and runs it', { timeout: 15 * 60_000 }, () => {
  const version = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
  assert.equal(
    version.status,
    0,
    'pre-commit is not on PATH: install it (pip install pre-commit, or apt install pre-commit) to run this suite',
  );
  const dir = mkdtempSync(join(tmpdir(), 'cftunnel-pre-commit-'));
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', ...args], {
      cwd,
      encoding: 'utf8',
    });
  try {
    // The hook repository: this checkout's tracked and new files, committed in a fresh repository.
    const hookRepo = join(dir, 'hooks');
    const files = git(repoRoot, 'ls-files', '--cached', '--others', '--exclude-standard', '-z')
      .split('\0')
      .filter((f) => f && !f.startsWith('../'));
    for (const f of files) {
      try {
        mkdirSync(dirname(join(hookRepo, f)), { recursive: true });
        copyFileSync(join(repoRoot, f), join(hookRepo, f));
      } catch {
        // deleted in the working tree
      }
    }
    git(hookRepo, 'init', '-q');
    git(hookRepo, 'add', '-A');
    git(hookRepo, 'commit', '-qm', 'hooks');
    const project = repoWith(dir, 'token');
    git(project, 'init', '-q');
    const r = spawnSync(
      'pre-commit',
      ['try-repo', hookRepo, 'cftunnel-check', '--files', 'deploy/cloudflared.yaml', 'notes.txt'],
      { cwd: project, env: { ...cleanNpmEnv(), PRE_COMMIT_HOME: join(dir, 'pre-commit-home') }, encoding: 'utf8' },
    );
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /\[shell-style-var\]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
