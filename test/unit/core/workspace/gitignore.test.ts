/** The .gitignore matcher against gitignore(5)'s rules (cases checked with `git check-ignore`). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isIgnored, parseGitignore } from '../../../../src/core/workspace/gitignore';
import type { IgnoreFile } from '../../../../src/core/workspace/gitignore';

function ignored(path: string, files: Record<string, string>): boolean {
  const list: IgnoreFile[] = Object.entries(files).map(([dir, text]) => ({ dir, rules: parseGitignore(text) }));
  return isIgnored(path, '/r', list);
}

describe('gitignore', () => {
  const cases: Array<[string, string, boolean]> = [
    ['credentials.json', '/r/credentials.json', true],
    ['credentials.json', '/r/deploy/credentials.json', true],
    ['/credentials.json', '/r/deploy/credentials.json', false],
    ['/credentials.json', '/r/credentials.json', true],
    ['deploy/credentials.json', '/r/deploy/credentials.json', true],
    ['deploy/credentials.json', '/r/x/deploy/credentials.json', false],
    ['*.json', '/r/a/b/c.json', true],
    ['*.json\n!credentials.json', '/r/a/credentials.json', false],
    ['*.env', '/r/a/tunnel.env', true],
    ['secrets/', '/r/deploy/secrets/creds.json', true],
    ['secrets/', '/r/deploy/secrets', false],
    ['secrets/\n!secrets/creds.json', '/r/secrets/creds.json', true],
    ['**/creds.json', '/r/a/b/creds.json', true],
    ['**/creds.json', '/r/creds.json', true],
    ['a/**/creds.json', '/r/a/creds.json', true],
    ['a/**/creds.json', '/r/a/x/y/creds.json', true],
    ['a/**', '/r/a/x/creds.json', true],
    ['a/**', '/r/b/a/creds.json', false],
    ['cred?.json', '/r/creds.json', true],
    ['cred?.json', '/r/cred/s.json', false],
    ['[ct]reds.json', '/r/treds.json', true],
    ['[!c]reds.json', '/r/creds.json', false],
    ['# credentials.json', '/r/credentials.json', false],
    ['\\#secret', '/r/#secret', true],
    ['creds.json   ', '/r/creds.json', true],
    ['creds.json\\ ', '/r/creds.json ', true],
    ['*', '/r/anything/at/all', true],
    ['deploy', '/r/deploy/credentials.json', true],
    ['deploy\n!deploy/credentials.json', '/r/deploy/credentials.json', true],
  ];
  for (const [patterns, path, expected] of cases) {
    test(`${JSON.stringify(patterns)} ${expected ? 'ignores' : 'keeps'} ${path}`, () => {
      assert.equal(ignored(path, { '/r': patterns }), expected);
    });
  }

  test('a deeper .gitignore wins over a higher one', () => {
    assert.equal(ignored('/r/deploy/credentials.json', { '/r': '*.json', '/r/deploy': '!credentials.json' }), false);
    assert.equal(ignored('/r/deploy/credentials.json', { '/r': '!credentials.json', '/r/deploy': '*.json' }), true);
  });

  test('patterns of a .gitignore are relative to its folder', () => {
    assert.equal(ignored('/r/deploy/credentials.json', { '/r/deploy': '/credentials.json' }), true);
    assert.equal(ignored('/r/other/credentials.json', { '/r/deploy': 'credentials.json' }), false);
  });

  test('CRLF files', () => {
    assert.equal(ignored('/r/creds.json', { '/r': 'x\r\ncreds.json\r\n' }), true);
  });
});
