/**
 * The README's "Use in CI" recipes are the files under examples/ci/, and they work: the README quotes
 * each file verbatim; the GitHub workflow parses, uploads the SARIF file its check writes, and each of its
 * `run:` lines (and the GitLab job's script) runs in `sh` as written, with `npx` replaced by a shim that
 * checks it was asked for this version's package and runs the CLI from src/, against a `kubernetes/`
 * folder holding the $TOKEN trap (the job fails, the SARIF is still written) or a clean Deployment
 * (it passes). The pre-commit recipe names a hook of .pre-commit-hooks.yaml (pre-commit.test.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

const repoRoot = join(__dirname, '../../..');
const read = (rel: string) => readFileSync(join(repoRoot, rel), 'utf8');
const version = JSON.parse(read('package.json')).version as string;
const RECIPES = ['examples/ci/github-actions.yml', 'examples/ci/gitlab-ci.yml', 'examples/ci/pre-commit-config.yaml'];

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
}

describe('README "Use in CI" recipes', () => {
  test('the README quotes each examples/ci file verbatim in its "Use in CI" section', () => {
    const readme = read('README.md');
    const start = readme.indexOf('\n## Use in CI\n');
    assert.ok(start > 0, 'README has a "## Use in CI" section');
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
    for (const rel of RECIPES) {
      assert.ok(section.includes('```yaml\n' + read(rel) + '```\n'), `${rel} is not quoted verbatim in README.md`);
      assert.ok(section.includes('--fail-on warning') || rel.includes('pre-commit'), rel);
    }
  });

  test('the GitHub workflow parses, gives upload-sarif the file its check writes, and fails on warnings', () => {
    const wf = parse(read('examples/ci/github-actions.yml'));
    assert.ok(wf.on.pull_request !== undefined && wf.on.push !== undefined);
    const job = wf.jobs.check;
    assert.equal(job.permissions['security-events'], 'write', 'upload-sarif needs security-events: write');
    const steps = job.steps as Step[];
    const uses = steps.map((s) => s.uses).filter(Boolean);
    assert.deepEqual(uses, ['actions/checkout@v4', 'actions/setup-node@v4', 'github/codeql-action/upload-sarif@v3']);
    const runs = steps.map((s) => s.run).filter((r): r is string => r !== undefined);
    const sarif = runs.find((r) => r.includes('--format sarif'));
    const sarifFile = /> (\S+)/.exec(sarif ?? '')?.[1];
    assert.ok(sarifFile, 'the SARIF step writes a file');
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'));
    assert.equal(upload?.with?.sarif_file, sarifFile);
    assert.ok(steps.indexOf(upload!) > steps.findIndex((s) => s.run === sarif), 'uploaded after it is written');
    const gate = runs.at(-1)!;
    assert.match(gate, /--format github/);
    assert.match(gate, /--fail-on warning/);
    for (const r of runs) assert.match(r, new RegExp(`^npx --yes cftunnel@${version.replace(/\./g, '\\.')} check `), r);
  });

  describe('the recipes run as written', () => {
    let dir: string;
    let bin: string;
    const runs = (): Array<{ from: string; line: string }> => [
      ...(parse(read('examples/ci/github-actions.yml')).jobs.check.steps as Step[])
        .filter((s) => s.run !== undefined)
        .map((s) => ({ from: 'github-actions.yml', line: s.run! })),
      ...(parse(read('examples/ci/gitlab-ci.yml')).cftunnel.script as string[]).map((line) => ({
        from: 'gitlab-ci.yml',
        line,
      })),
    ];
    /** Runs a recipe line in `sh` in a workspace whose kubernetes/ is a copy of test/fixtures/ci/<fixture>. */
    const inWorkspace = (fixture: string, line: string) => {
      const ws = join(dir, `ws-${fixture}-${Math.random().toString(36).slice(2)}`);
      cpSync(join(repoRoot, 'test/fixtures/ci', fixture), join(ws, 'kubernetes'), { recursive: true });
      const r = spawnSync('sh', ['-c', line], {
        cwd: ws,
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
        encoding: 'utf8',
        timeout: 60_000,
      });
      return { ...r, ws };
    };

    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'cftunnel-recipes-'));
      bin = join(dir, 'bin');
      mkdirSync(bin);
      // `npx --yes cftunnel@VERSION ARGS…` → the CLI from src/ (tsx), refusing any other package or version.
      const tsx = join(repoRoot, 'node_modules/tsx/dist/loader.mjs');
      writeFileSync(
        join(bin, 'npx'),
        `#!/bin/sh\n[ "$1" = --yes ] && [ "$2" = "cftunnel@${version}" ] || { echo "unexpected npx $*" >&2; exit 99; }\n` +
          `shift 2\nexec "${process.execPath}" --import "${tsx}" "${join(repoRoot, 'src/cli/main.ts')}" "$@"\n`,
      );
      chmodSync(join(bin, 'npx'), 0o755);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    test('there are lines to run: two in the GitHub workflow, one in the GitLab job', () => {
      assert.deepEqual(
        runs().map((r) => r.from),
        ['github-actions.yml', 'github-actions.yml', 'gitlab-ci.yml'],
      );
    });

    test('on the $TOKEN trap: the SARIF step passes and writes the log, the gates fail with the warning', () => {
      for (const { from, line } of runs()) {
        const r = inWorkspace('token', line);
        if (line.includes('--format sarif')) {
          assert.equal(r.status, 0, `${from}: ${line}\n${r.stderr}`);
          const log = JSON.parse(readFileSync(join(r.ws, 'cftunnel.sarif'), 'utf8'));
          assert.equal(log.version, '2.1.0');
          const results = log.runs[0].results as Array<{ ruleId: string; level: string }>;
          assert.ok(results.some((x) => x.ruleId === 'shell-style-var' && x.level === 'warning'));
        } else {
          assert.equal(r.status, 1, `${from}: ${line}\n${r.stdout}${r.stderr}`);
          assert.match(r.stdout, /shell-style-var/);
          if (line.includes('--format github'))
            assert.match(r.stdout, /^::warning file=kubernetes\/cloudflared\.yaml,line=22,col=66,/m);
        }
      }
    });

    test('on a clean Deployment every line passes', () => {
      for (const { from, line } of runs()) {
        const r = inWorkspace('clean', line);
        assert.equal(r.status, 0, `${from}: ${line}\n${r.stdout}${r.stderr}`);
      }
    });

    test('a usage error still fails the SARIF step (exit 2 is not "problems found")', () => {
      const sarif = runs().find((r) => r.line.includes('--format sarif'))!;
      const r = inWorkspace('clean', sarif.line.replace('check ', 'check --no-such-flag '));
      assert.notEqual(r.status, 0);
    });
  });
});
