/** `.cftunnel.yaml`: what it sets, what it refuses, and how rules and ignore patterns apply. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applyRules,
  ignoredByProject,
  parseProjectConfig,
  PROJECT_CONFIG_INVALID,
  PROJECT_CONFIG_UNKNOWN_CODE,
} from '../../../../src/core/project/config';
import { projectReport } from '../../../../src/core/project/report';
import { analyzeText } from '../../../../src/core/analyze';
import { ProjectConfigs } from '../../../../src/node/projectConfig';
import type { Diagnostic } from '../../../../src/core/types';

const d = (code: string, line = 0): Diagnostic => ({
  code,
  severity: 'warning',
  message: code,
  range: { start: { line, character: 0 }, end: { line, character: 1 } },
});

describe('parseProjectConfig', () => {
  test('reads rules, public hostnames, the cluster domain and ignore patterns', () => {
    const c = parseProjectConfig(
      [
        'rules:',
        '  single-replica: off',
        '  shell-style-var: error',
        '  no-network-policy: info',
        'publicHostnames: [Status.example.com, "*.public.example.com"]',
        'clusterDomain: Cluster.Example.',
        'ignore: [vendor/, "charts/**/templates/"]',
      ].join('\n'),
      '/repo/.cftunnel.yaml',
    );
    assert.deepEqual(c.problems, []);
    assert.deepEqual(
      [...c.rules],
      [
        ['single-replica', 'off'],
        ['shell-style-var', 'error'],
        ['no-network-policy', 'information'],
      ],
    );
    assert.deepEqual(c.publicHostnames, ['status.example.com', '*.public.example.com']);
    assert.equal(c.clusterDomain, 'cluster.example');
    assert.equal(c.ignore.length, 2);
  });

  test('says what is wrong where, and keeps what is valid', () => {
    const text = [
      'rules:',
      '  single-replica: never',
      '  shel-style-var: off',
      '  shell-style-var: error',
      'clusterDomain: not_a_domain',
      'ignore: vendor/',
      'publicHostname: []',
    ].join('\n');
    const c = parseProjectConfig(text);
    const lines = text.split('\n');
    assert.deepEqual(
      c.problems.map((p) => [p.code, p.severity, lines[p.range.start.line]!.trim()]),
      [
        [PROJECT_CONFIG_INVALID, 'error', 'single-replica: never'],
        [PROJECT_CONFIG_UNKNOWN_CODE, 'warning', 'shel-style-var: off'],
        [PROJECT_CONFIG_INVALID, 'error', 'clusterDomain: not_a_domain'],
        [PROJECT_CONFIG_INVALID, 'error', 'ignore: vendor/'],
        [PROJECT_CONFIG_INVALID, 'error', 'publicHostname: []'],
      ],
    );
    assert.equal(c.rules.get('shell-style-var'), 'error');
    assert.equal(c.clusterDomain, undefined);
  });

  test('a file that is not YAML or not a mapping is one problem, and sets nothing', () => {
    assert.equal(parseProjectConfig('rules: [\n').problems[0]!.code, 'yaml-syntax');
    assert.equal(parseProjectConfig('- a\n').problems[0]!.code, PROJECT_CONFIG_INVALID);
    assert.deepEqual(parseProjectConfig('').problems, []);
  });

  test('analyzeText reports the problems of a .cftunnel.yaml (so the editor and the CLI show them)', () => {
    assert.deepEqual(
      analyzeText('rules: {nope: off}\n', '/repo/.cftunnel.yaml').diagnostics.map((x) => x.code),
      [PROJECT_CONFIG_UNKNOWN_CODE],
    );
    assert.deepEqual(analyzeText('rules: {nope: off}\n', '/repo/other.yaml').diagnostics, []);
  });
});

describe('applying the project', () => {
  test('off drops a code, a severity replaces it; the file’s own problems are never turned off', () => {
    const c = parseProjectConfig('rules:\n  a: off\n  b: error\n  project-config-invalid: off\n');
    const out = applyRules([d('a'), d('b'), d('c'), d(PROJECT_CONFIG_INVALID)], c);
    assert.deepEqual(
      out.map((x) => `${x.code}:${x.severity}`),
      ['b:error', 'c:warning', `${PROJECT_CONFIG_INVALID}:warning`],
    );
  });

  test('ignore patterns are .gitignore patterns relative to the file’s folder', () => {
    const c = parseProjectConfig(
      'ignore: [vendor/, "charts/**/templates/", "*.generated.yaml", "/top.yaml"]\n',
      '/repo/.cftunnel.yaml',
    );
    const yes = [
      '/repo/vendor/a.yaml',
      '/repo/x/vendor/b.yaml',
      '/repo/charts/app/templates/d.yaml',
      '/repo/k/x.generated.yaml',
      '/repo/top.yaml',
    ];
    const no = ['/repo/k/deploy.yaml', '/repo/charts/app/values.yaml', '/repo/k/top.yaml', '/elsewhere/vendor/a.yaml'];
    for (const p of yes) assert.equal(ignoredByProject(p, c), true, p);
    for (const p of no) assert.equal(ignoredByProject(p, c), false, p);
  });

  test('projectReport: suppressions first, then rules; an ignored file reports nothing', () => {
    const c = parseProjectConfig('rules: {b: error}\nignore: [gen/]\n', '/repo/.cftunnel.yaml');
    const text = '# cftunnel-disable-next-line a\nx: 1\ny: 2\n';
    assert.deepEqual(
      projectReport('/repo/k.yaml', text, [d('a', 1), d('b', 2)], c).map((x) => `${x.code}:${x.severity}`),
      ['b:error'],
    );
    assert.deepEqual(projectReport('/repo/gen/k.yaml', text, [d('b', 2)], c), []);
  });
});

describe('ProjectConfigs (the nearest file, walking up)', () => {
  test('finds the nearest .cftunnel.yaml above a file, and sees changes after forget()', () => {
    const root = mkdtempSync(join(tmpdir(), 'cftunnel-project-'));
    try {
      mkdirSync(join(root, 'a', 'b', 'c'), { recursive: true });
      writeFileSync(join(root, '.cftunnel.yaml'), 'rules: {single-replica: off}\n');
      const configs = new ProjectConfigs();
      const deep = join(root, 'a', 'b', 'c', 'deploy.yaml');
      assert.equal(configs.forFile(deep).path, join(root, '.cftunnel.yaml'));
      writeFileSync(join(root, 'a', '.cftunnel.yaml'), 'rules: {shell-style-var: error}\n');
      assert.equal(configs.forFile(deep).path, join(root, '.cftunnel.yaml'), 'cached until forget()');
      configs.forget();
      assert.equal(configs.forFile(deep).path, join(root, 'a', '.cftunnel.yaml'));
      assert.equal(configs.forFile(deep).rules.get('shell-style-var'), 'error');
      assert.equal(configs.forFile(join(root, 'top.yaml')).rules.get('single-replica'), 'off');
      // A changed file is parsed again (the cache compares its text).
      writeFileSync(join(root, 'a', '.cftunnel.yaml'), 'rules: {shell-style-var: off}\n');
      assert.equal(configs.forFile(deep).rules.get('shell-style-var'), 'off');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
