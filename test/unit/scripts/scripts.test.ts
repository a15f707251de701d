/**
 * The developer scripts behind the README's commands: `npm test` runs every suite, the code-server
 * install runs npm with a clean environment, the demo reuses a current package.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runSuites, summary } from '../../../scripts/test.mjs';
import { cleanNpmEnv } from '../../../scripts/e2e/install-code-server.mjs';
import { packageInputsHash } from '../../../scripts/e2e/package-vsix.mjs';

describe('npm test (scripts/test.mjs)', () => {
  test('a failing suite does not stop the ones after it, and the summary names each', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cftunnel-suites-'));
    try {
      const marker = join(dir, 'ran');
      const results = runSuites(
        [
          { name: 'first', args: ['-e', 'process.exit(3)'] },
          { name: 'second', args: ['-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'yes')`] },
        ],
        { cwd: dir, stdio: 'ignore' },
      );
      assert.equal(readFileSync(marker, 'utf8'), 'yes', 'the second suite ran');
      assert.deepEqual(
        results.map((r) => [r.name, r.status]),
        [
          ['first', 'failed (exit 3)'],
          ['second', 'passed'],
        ],
      );
      assert.match(summary(results), /first\s+failed \(exit 3\) in [\d.]+ s\n\s+second\s+passed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('code-server install (cleanNpmEnv)', () => {
  // What `npm run demo` (npm 11 on Node 20) exports to its script, as measured with `npm run env`.
  const outer = {
    HOME: '/home/me',
    PATH: '/repo/node_modules/.bin:/node_modules/.bin:/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin:/usr/local/bin:/usr/bin',
    npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
    npm_config_nodedir: '/usr',
    npm_config_cache: '/home/me/.npm',
    npm_lifecycle_event: 'demo',
    npm_package_name: 'cftunnel',
    npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
    npm_node_execpath: '/usr/bin/node',
    NODE: '/usr/bin/node',
    INIT_CWD: '/repo',
    HTTPS_PROXY: 'http://proxy:3128',
    NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt',
  };

  test('drops what the outer npm exported, so code-server sees the inner Node (user agent) and headers', () => {
    const env = cleanNpmEnv(outer);
    assert.deepEqual(
      Object.keys(env).filter((k) => /^npm_/i.test(k)),
      [],
    );
    assert.equal(env.NODE, undefined);
    assert.equal(env.INIT_CWD, undefined);
  });

  test("keeps the user's own environment, and PATH without npm's additions", () => {
    const env = cleanNpmEnv(outer);
    assert.equal(env.HOME, '/home/me');
    assert.equal(env.HTTPS_PROXY, 'http://proxy:3128');
    assert.equal(env.NODE_EXTRA_CA_CERTS, '/etc/ssl/certs/ca-certificates.crt');
    assert.equal(env.PATH, '/usr/local/bin:/usr/bin');
  });
});

describe('package reuse (packageInputsHash)', () => {
  test('changes with the sources and the manifest, not with tests or the package itself', () => {
    const root = mkdtempSync(join(tmpdir(), 'cftunnel-inputs-'));
    try {
      const write = (rel: string, text: string) => {
        mkdirSync(dirname(join(root, rel)), { recursive: true });
        writeFileSync(join(root, rel), text);
      };
      write('package.json', '{"name":"x"}');
      write('src/a.ts', 'export const a = 1;');
      const before = packageInputsHash(root);
      assert.match(before, /^[0-9a-f]{64}$/);
      write('test/a.test.ts', '// not packaged');
      write('.cache/cftunnel.vsix', 'zip');
      assert.equal(packageInputsHash(root), before, 'tests and the package are not inputs');
      write('src/a.ts', 'export const a = 2;');
      const edited = packageInputsHash(root);
      assert.notEqual(edited, before, 'an edit in src/');
      write('src/b.ts', '');
      assert.notEqual(packageInputsHash(root), edited, 'a new file in src/');
      write('package.json', '{"name":"y"}');
      assert.notEqual(packageInputsHash(root), edited, 'the manifest');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
