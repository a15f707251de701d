/**
 * .pre-commit-hooks.yaml: pre-commit's node hooks are installed by `npm install` in a clone of this
 * repository, `npm pack` (stdout read as the tarball's name) and `npm install -g` of that tarball; the
 * hook's entry then runs from the environment's PATH with the staged files that match `files`.
 * Checked here: the hooks file, the bin and prepack that make `cftunnel` exist in that install, that
 * `npm pack` prints only the tarball's name with this repository's .npmrc even when prepack writes to
 * stdout, and each hook's command line as pre-commit builds it, run on fixtures.
 * The real pre-commit (npm install from the registry, about 4 minutes) is its own suite:
 * `npm run test:pre-commit` (test/pre-commit/real.test.ts), with `pre-commit` on PATH.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cleanNpmEnv } from '../../../scripts/pack-cli.mjs';
import { repoWith } from '../../support/ciProject';

const repoRoot = join(__dirname, '../../..');
const read = (rel: string) => readFileSync(join(repoRoot, rel), 'utf8');
const manifest = JSON.parse(read('package.json'));

interface Hook {
  id: string;
  name: string;
  entry: string;
  language: string;
  args?: string[];
  files?: string;
  pass_filenames?: boolean;
  require_serial?: boolean;
}
const hooks = parse(read('.pre-commit-hooks.yaml')) as Hook[];

/** The command line pre-commit runs: entry (split as shlex does for these plain words), args, files. */
function commandLine(hook: Hook, staged: string[]): string[] {
  const selected = staged.filter((f) => new RegExp(hook.files ?? '').test(f));
  return [...hook.entry.split(/\s+/), ...(hook.args ?? []), ...(hook.pass_filenames === false ? [] : selected)];
}

describe('.pre-commit-hooks.yaml', () => {
  test('node hooks whose entry is the package bin that prepack builds', () => {
    assert.deepEqual(
      hooks.map((h) => h.id),
      ['cftunnel-check', 'cftunnel-check-folders'],
    );
    for (const h of hooks) {
      assert.equal(h.language, 'node', h.id);
      assert.ok(h.name && h.entry, h.id);
      assert.equal(h.require_serial, true, `${h.id}: one process sees all files (cross-file checks)`);
      const [command, subcommand] = h.entry.split(/\s+/);
      assert.equal(subcommand, 'check');
      assert.ok(manifest.bin[command!], `${h.id}: ${command} is not a bin of package.json`);
      assert.deepEqual(h.args?.slice(0, 2), ['--fail-on', 'warning'], `${h.id} fails on warnings`);
    }
    // The bin is built output (dist/ is not committed): npm pack's prepack builds it.
    assert.equal(manifest.bin.cftunnel, 'dist/cli.js');
    assert.match(manifest.scripts.prepack, /^node esbuild\.mjs --production\b/);
    assert.match(read('esbuild.mjs'), /outfile: 'dist\/cli\.js'/);
  });

  test('the pre-commit recipe names a hook of this repository at the release tag', () => {
    const config = parse(read('examples/ci/pre-commit-config.yaml'));
    const [repo] = config.repos;
    assert.equal(`${repo.repo}.git`, manifest.repository.url);
    assert.equal(repo.rev, `v${manifest.version}`);
    for (const h of repo.hooks)
      assert.ok(
        hooks.some((x) => x.id === h.id),
        h.id,
      );
  });

  test("npm pack prints only the tarball's name with this .npmrc, even when prepack writes to stdout", () => {
    const dir = mkdtempSync(join(tmpdir(), 'cftunnel-npmrc-'));
    try {
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ name: 'probe', version: '1.0.0', scripts: { prepack: 'echo built to stdout' } }),
      );
      copyFileSync(join(repoRoot, '.npmrc'), join(dir, '.npmrc'));
      const out = execFileSync('npm', ['pack'], { cwd: dir, env: cleanNpmEnv(), encoding: 'utf8' });
      assert.equal(out.trim(), 'probe-1.0.0.tgz');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('each hook as pre-commit runs it', () => {
    let dir: string;
    const cli = (argv: string[], cwd: string) => {
      assert.equal(argv[0], 'cftunnel');
      return spawnSync(
        process.execPath,
        [
          '--import',
          join(repoRoot, 'node_modules/tsx/dist/loader.mjs'),
          join(repoRoot, 'src/cli/main.ts'),
          ...argv.slice(1),
        ],
        { cwd, encoding: 'utf8', timeout: 60_000 },
      );
    };
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'cftunnel-hooks-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    const staged = ['deploy/cloudflared.yaml', 'notes.txt'];
    for (const hook of hooks) {
      test(`${hook.id}: fails on the $TOKEN trap, passes the clean Deployment`, () => {
        const argv = commandLine(hook, staged);
        assert.ok(!argv.includes('notes.txt'), 'files selects YAML only');
        const bad = cli(argv, repoWith(dir, 'token'));
        assert.equal(bad.status, 1, bad.stdout + bad.stderr);
        assert.match(bad.stdout, /deploy\/cloudflared\.yaml:22:66: warning: .*\[shell-style-var\]/);
        const good = cli(argv, repoWith(dir, 'clean'));
        assert.equal(good.status, 0, good.stdout + good.stderr);
      });
    }
  });
});
