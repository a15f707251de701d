// Tests for src/node/gitignore.ts: the one .gitignore writer (issue #15).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addToGitignore } from '../../../src/node/gitignore';

test('addToGitignore creates, appends once, and keeps what is there', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cftunnel-gitignore-'));
  try {
    const path = join(dir, '.gitignore');
    assert.equal(addToGitignore(path, 'token.env'), true);
    assert.equal(readFileSync(path, 'utf8'), 'token.env\n');
    assert.equal(addToGitignore(path, 'token.env'), false);
    writeFileSync(path, 'node_modules');
    assert.equal(addToGitignore(path, '/credentials.json', 'secret'), true);
    assert.equal(readFileSync(path, 'utf8'), 'node_modules\n# secret\n/credentials.json\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
