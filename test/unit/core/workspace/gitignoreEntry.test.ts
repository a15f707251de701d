// Tests for src/core/workspace/gitignore.ts, adding an entry: the one rule (issue #15).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gitignoreAddition, gitignoreWithEntry } from '../../../../src/core/workspace/gitignore';

test('gitignoreAddition: what to append, or nothing when a line says it', () => {
  assert.equal(gitignoreAddition('', 'token.env'), 'token.env\n');
  assert.equal(gitignoreAddition('dist', 'token.env'), '\ntoken.env\n');
  assert.equal(
    gitignoreAddition('dist\n', '/k8s/credentials.json', 'Cloudflare Tunnel credentials (secret)'),
    '# Cloudflare Tunnel credentials (secret)\n/k8s/credentials.json\n',
  );
  assert.equal(gitignoreAddition('token.env\r\n', 'token.env'), undefined);
  assert.equal(gitignoreAddition('  /token.env  \n', 'token.env'), undefined);
  assert.equal(gitignoreAddition('token.env\n', '/token.env'), undefined);
  assert.equal(gitignoreAddition('other.env\n', 'token.env'), 'token.env\n');
});

test('gitignoreWithEntry: the whole text', () => {
  assert.equal(gitignoreWithEntry('node_modules', '/credentials.json', 'x'), 'node_modules\n# x\n/credentials.json\n');
  assert.equal(gitignoreWithEntry('credentials.json\n', '/credentials.json'), undefined);
});
