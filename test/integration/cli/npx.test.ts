/**
 * The npm package of the CLI alone (packages/cli, `npm run pack:cli`): packed as a release would pack it,
 * then run the way a CI job runs it, `npx --package=<tarball> cftunnel check`, in a temporary folder with a
 * temporary npm cache and --offline (the package has no dependencies, so npm needs no registry).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanNpmEnv, cliBundle, cliPackageDir, packCli, runtimeRequires } from '../../../scripts/pack-cli.mjs';
import type { PackedCli } from '../../../scripts/pack-cli.mjs';

const repoRoot = join(__dirname, '../../..');
const FIXTURES = join(repoRoot, 'test/fixtures/ci');

describe('cftunnel npm package, run with npx from the packed tarball', () => {
  let dir: string;
  let packed: PackedCli;
  const env = (): Record<string, string> => ({
    ...cleanNpmEnv(),
    npm_config_cache: join(dir, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  });
  /** `npx --yes --offline --package=<tarball> -- cftunnel ARGS` in the temporary folder. */
  const npx = (...args: string[]) => {
    const r = spawnSync('npx', ['--yes', '--offline', `--package=${packed.tarball}`, '--', 'cftunnel', ...args], {
      cwd: join(dir, 'repo'),
      env: env(),
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(r.error, undefined, `npx could not start: ${r.error?.message}`);
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cftunnel-npx-'));
    packed = await packCli({ destination: join(dir, 'pack') });
    cpSync(FIXTURES, join(dir, 'repo'), { recursive: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the tarball holds the bundle, its notices, README, LICENSE and package.json, nothing else', () => {
    assert.deepEqual(
      packed.files.map((f) => f.path),
      ['dist/cftunnel.js', 'LICENSE', 'package.json', 'README.md', 'ThirdPartyNotices.txt'],
    );
    const manifest = JSON.parse(readFileSync(join(cliPackageDir, 'package.json'), 'utf8'));
    assert.equal(manifest.dependencies, undefined, 'the bundle is self-contained: no dependencies');
    assert.deepEqual(manifest.bin, { cftunnel: 'dist/cftunnel.js' });
    assert.equal(manifest.version, JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version);
    // Under 256 KiB packed (it is about 185 KiB: README.md and packages/cli/README.md say the figure).
    assert.ok(packed.size < 256 * 1024, `${packed.size} bytes packed`);
  });

  test('the bundle requires only Node built-ins at run time', () => {
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const requires = runtimeRequires(readFileSync(cliBundle, 'utf8'));
    assert.deepEqual(
      requires.filter((m) => !builtins.has(m)),
      [],
    );
    assert.ok(readFileSync(cliBundle, 'utf8').startsWith('#!/usr/bin/env node\n'));
  });

  test('--version is the extension version', () => {
    const r = npx('--version');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), JSON.parse(readFileSync(join(cliPackageDir, 'package.json'), 'utf8')).version);
  });

  test('--fail-on warning fails on the $TOKEN trap, with the warning', () => {
    const r = npx('check', '--fail-on', 'warning', 'token/cloudflared.yaml');
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^token\/cloudflared\.yaml:22:66: warning: .*\$TOKEN.* \[shell-style-var\]$/m);
    assert.match(r.stdout, /1 file\(s\) checked: 0 error\(s\), 1 warning\(s\)/);
  });

  test('without --fail-on the same file passes (errors only fail by default)', () => {
    assert.equal(npx('check', 'token/cloudflared.yaml').status, 0);
  });

  test('--format github prints the annotation and fails on warnings', () => {
    const r = npx('check', '--fail-on', 'warning', '--format', 'github', 'token');
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^::warning file=token\/cloudflared\.yaml,line=22,col=66,[^:]*title=shell-style-var::/m);
  });

  test('a clean file exits 0 with --fail-on warning', () => {
    const r = npx('check', '--fail-on', 'warning', 'clean');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /1 file\(s\) checked: 0 error\(s\), 0 warning\(s\)/);
  });

  test('a missing path is a usage or read error: exit 2', () => {
    assert.equal(npx('check', 'no-such-folder').status, 2);
  });
});
