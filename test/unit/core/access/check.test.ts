// Access findings on config.yaml rules and stale applications (src/core/access/check.ts): issue #19.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessFindings, globRegex, severityFor, staleApps } from '../../../../src/core/access/check';
import type { AccessCheckSettings } from '../../../../src/core/access/check';
import type { AccessApp, AccessPolicy } from '../../../../src/core/access/coverage';

const team: AccessPolicy = { id: 'p', decision: 'allow', include: [{ email_domain: { domain: 'example.com' } }] };

function app(id: string, domains: string[], type = 'self_hosted'): AccessApp {
  return { id, name: id, type, domains, policies: [team] };
}

const NONE: AccessCheckSettings = { publicHostnames: [], severityPatterns: [] };

const rules = [
  { index: 0, hostname: 'grafana.example.com', path: '' },
  { index: 1, hostname: 'app.example.com', path: '' },
  { index: 2, hostname: '*.dev.example.com', path: '' },
  { index: 3, hostname: '', path: '' },
];
const apps = [app('app', ['app.example.com']), app('dev', ['*.dev.example.com'])];

describe('accessFindings', () => {
  test('an uncovered rule hostname: information, with what to do; catch-alls are skipped', () => {
    const f = accessFindings(rules, apps, NONE);
    const open = f.filter((x) => x.code === 'access-not-protected');
    assert.deepEqual(
      open.map((x) => [x.ruleIndex, x.severity, x.hostname]),
      [[0, 'information', 'grafana.example.com']],
    );
    assert.match(open[0]!.message, /no Cloudflare Access application covers it/);
    assert.match(open[0]!.message, /Protect it with Cloudflare Access…/);
    assert.match(open[0]!.message, /cftunnel\.access\.publicHostnames/);
  });

  test('the wildcard gap on a protected tunnel wildcard', () => {
    const gaps = accessFindings(rules, apps, NONE).filter((x) => x.code === 'access-wildcard-gap');
    assert.equal(gaps.length, 1);
    assert.equal(gaps[0]!.ruleIndex, 2);
    assert.match(gaps[0]!.message, /a\.b\.dev\.example\.com reaches this service without Cloudflare Access/);
    assert.match(gaps[0]!.message, /Add an Access application for \*\.\*\.dev\.example\.com/);
  });

  test('publicHostnames (globs) skip rules, wildcard rules included', () => {
    const f = accessFindings(rules, apps, {
      publicHostnames: ['grafana.*', '*.dev.example.com'],
      severityPatterns: [],
    });
    assert.deepEqual(f, []);
  });

  test('severityPatterns raise the severity of matching hostnames only, to the highest match', () => {
    const f = accessFindings([...rules, { index: 4, hostname: 'blog.example.com', path: '' }], apps, {
      publicHostnames: [],
      severityPatterns: [
        { pattern: 'grafana.*', severity: 'warning' },
        { pattern: '*.example.com', severity: 'hint' },
        { pattern: 'GRAFANA.example.com', severity: 'error' },
      ],
    }).filter((x) => x.code === 'access-not-protected');
    assert.deepEqual(
      f.map((x) => [x.hostname, x.severity]),
      [
        ['grafana.example.com', 'error'],
        ['blog.example.com', 'information'],
      ],
    );
  });

  test('a rule protected only on a path says which part is protected', () => {
    const f = accessFindings(
      [{ index: 0, hostname: 'example.com', path: '' }],
      [app('adm', ['example.com/admin'])],
      NONE,
    );
    assert.equal(f.length, 1);
    assert.match(f[0]!.message, /Only example\.com\/admin \(emails @example\.com\) is protected/);
  });

  test('a rule covered by a bypass-everyone app is deliberate: no finding', () => {
    const bypass: AccessApp = {
      id: 'b',
      name: 'b',
      type: 'self_hosted',
      domains: ['grafana.example.com'],
      policies: [{ id: 'x', decision: 'bypass', include: [{ everyone: {} }] }],
    };
    assert.deepEqual(accessFindings([rules[0]!], [bypass], NONE), []);
  });

  test('no findings when the applications could not be read', () => {
    assert.deepEqual(accessFindings(rules, undefined, NONE), []);
  });

  test('severityFor and globRegex', () => {
    assert.equal(severityFor('grafana.example.com', []), 'information');
    assert.equal(severityFor('grafana.example.com', [{ pattern: 'grafana.*', severity: 'warning' }]), 'warning');
    assert.equal(globRegex('grafana.*').test('grafanaXexample.com'), false);
    assert.equal(globRegex('app?.example.com').test('app1.example.com'), true);
  });
});

describe('staleApps', () => {
  const all = [
    app('served', ['app.example.com']),
    app('gone', ['old.example.com', 'older.example.com/admin']),
    app('under-wildcard', ['x.y.dev.example.com']),
    app('wild', ['*.example.com']),
    app('ssh-gone', ['ssh.gone.com'], 'ssh'),
    app('no-domains', []),
  ];

  test('self-hosted apps whose every domain serves no tunnel hostname', () => {
    const stale = staleApps(all, ['app.example.com', '*.dev.example.com']);
    assert.deepEqual(
      stale.map((a) => a.id),
      ['gone'],
    );
  });

  test('an app with one served domain is not stale; nothing served: every self-hosted app with domains', () => {
    assert.deepEqual(
      staleApps([app('two', ['old.example.com', 'App.example.com/x'])], ['app.example.com']).map((a) => a.id),
      [],
    );
    assert.deepEqual(
      staleApps(all, []).map((a) => a.id),
      ['served', 'gone', 'under-wildcard', 'wild'],
    );
  });
});
