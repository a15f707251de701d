// Access's matching and the protected/open decision (src/core/access/coverage.ts): issue #19.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  accessMatches,
  coverage,
  decidingApp,
  parseDomain,
  ruleCoverage,
  rulePathRegion,
} from '../../../../src/core/access/coverage';
import type { AccessApp, AccessPolicy } from '../../../../src/core/access/coverage';

const team: AccessPolicy = {
  id: 'p-team',
  name: 'Team',
  decision: 'allow',
  include: [{ email_domain: { domain: 'example.com' } }],
};
const bypassAll: AccessPolicy = { id: 'p-bypass', name: 'Public', decision: 'bypass', include: [{ everyone: {} }] };
const allowAll: AccessPolicy = { id: 'p-all', name: 'Anyone', decision: 'allow', include: [{ everyone: {} }] };
const ci: AccessPolicy = {
  id: 'p-ci',
  name: 'CI',
  decision: 'non_identity',
  include: [{ service_token: { token_id: 'tok-1' } }],
};

function app(id: string, domains: string[], policies: AccessPolicy[] = [team], type = 'self_hosted'): AccessApp {
  return { id, name: id, type, domains, policies };
}

describe('accessMatches: hosts', () => {
  test('an exact host matches case-insensitively, nothing else', () => {
    assert.equal(accessMatches('app.example.com', 'App.Example.COM'), true);
    assert.equal(accessMatches('app.example.com', 'app.example.com.'), true);
    assert.equal(accessMatches('app.example.com', 'x.app.example.com'), false);
    assert.equal(accessMatches('app.example.com', 'example.com'), false);
  });

  test('*.example.com covers one label: not the apex, not two labels', () => {
    assert.equal(accessMatches('*.example.com', 'alpha.example.com'), true);
    assert.equal(accessMatches('*.example.com', 'example.com'), false);
    assert.equal(accessMatches('*.example.com', 'foo.bar.example.com'), false);
    assert.equal(accessMatches('*.example.com', 'badexample.com'), false);
  });

  test('*.test.example.com covers below test only; *.*.example.com covers two labels', () => {
    assert.equal(accessMatches('*.test.example.com', 'a.test.example.com'), true);
    assert.equal(accessMatches('*.test.example.com', 'test.example.com'), false);
    assert.equal(accessMatches('*.*.example.com', 'a.b.example.com'), true);
    assert.equal(accessMatches('*.*.example.com', 'a.example.com'), false);
  });

  test('a partial wildcard stays within its label and may match nothing', () => {
    assert.equal(accessMatches('*test.example.com', 'test.example.com'), true);
    assert.equal(accessMatches('*test.example.com', 'alphatest.example.com'), true);
    assert.equal(accessMatches('*test.example.com', 'beta.test.example.com'), false);
    assert.equal(accessMatches('*-dev.example.com', 'api-dev.example.com'), true);
    assert.equal(accessMatches('*-dev.example.com', 'api-prod.example.com'), false);
    assert.equal(accessMatches('app-*.example.com', 'app-1.example.com'), true);
  });
});

describe('accessMatches: paths', () => {
  test('no path, / and /* cover every path', () => {
    for (const d of ['example.com', 'example.com/', 'example.com/*']) {
      assert.equal(accessMatches(d, 'example.com'), true, d);
      assert.equal(accessMatches(d, 'example.com', '/alpha/beta'), true, d);
    }
    assert.deepEqual(parseDomain('Example.com/*'), { host: 'example.com', path: '' });
  });

  test('a path covers itself and its sub-paths, not its string extensions (/engineering)', () => {
    assert.equal(accessMatches('example.com/eng', 'example.com', '/eng'), true);
    assert.equal(accessMatches('example.com/eng', 'example.com', '/eng/'), true);
    assert.equal(accessMatches('example.com/eng', 'example.com', '/eng/exec'), true);
    assert.equal(accessMatches('example.com/eng', 'example.com', '/engineering'), false);
    assert.equal(accessMatches('example.com/eng', 'example.com', '/'), false);
    assert.equal(accessMatches('example.com/eng', 'example.com'), false);
    assert.equal(accessMatches('example.com/eng/', 'example.com', '/eng/x'), true);
  });

  test('/alpha/* covers /alpha/one, not /alpha; a mid-path * spans segments', () => {
    assert.equal(accessMatches('example.com/alpha/*', 'example.com', '/alpha/one'), true);
    assert.equal(accessMatches('example.com/alpha/*', 'example.com', '/alpha'), false);
    assert.equal(accessMatches('example.com/foo*/bar', 'example.com', '/foo/bar'), true);
    assert.equal(accessMatches('example.com/foo*/bar', 'example.com', '/food/stuff/bar'), true);
    assert.equal(accessMatches('example.com/foo*/bar', 'example.com', '/foo/baz'), false);
  });

  test('a query string of the request is ignored; paths are case-sensitive', () => {
    assert.equal(accessMatches('example.com/eng', 'example.com', '/eng?x=1'), true);
    assert.equal(accessMatches('example.com/eng', 'example.com', '/ENG'), false);
  });
});

describe('decidingApp: the most specific application wins', () => {
  test('exact host over wildcard, longer path over shorter, whatever the order', () => {
    const wild = app('wild', ['*.example.com']);
    const exact = app('exact', ['app.example.com']);
    const eng = app('eng', ['app.example.com/eng']);
    const exec = app('exec', ['app.example.com/eng/exec']);
    const apps = [exec, eng, exact, wild];
    assert.equal(decidingApp(apps, 'app.example.com', '/')?.app.id, 'exact');
    assert.equal(decidingApp(apps, 'app.example.com', '/eng/x')?.app.id, 'eng');
    assert.equal(decidingApp(apps, 'app.example.com', '/eng/exec/y')?.app.id, 'exec');
    assert.equal(decidingApp(apps, 'other.example.com', '/')?.app.id, 'wild');
    assert.equal(decidingApp([...apps].reverse(), 'app.example.com', '/eng/exec')?.app.id, 'exec');
    // Same literal characters: the host without a wildcard still wins.
    const partial = app('partial', ['*test.example.com']);
    assert.equal(decidingApp([partial, app('test', ['test.example.com'])], 'test.example.com')?.app.id, 'test');
  });

  test('an app with several domains is found by any of them; bookmark and saas apps never cover', () => {
    const multi = app('multi', ['a.example.com', 'b.example.com']);
    assert.equal(decidingApp([multi], 'b.example.com')?.domain, 'b.example.com');
    assert.equal(decidingApp([app('bm', ['c.example.com'], [team], 'bookmark')], 'c.example.com'), undefined);
    assert.equal(decidingApp([app('ssh', ['c.example.com'], [team], 'ssh')], 'c.example.com')?.app.id, 'ssh');
  });
});

describe('coverage: protected, open, unknown', () => {
  test('no application: open, to everyone', () => {
    const c = coverage('grafana.example.com', undefined, [app('other', ['other.example.com'])]);
    assert.equal(c.state, 'open');
    assert.equal(c.app, undefined);
    assert.match(c.reason, /No Access application covers grafana\.example\.com/);
  });

  test('an allow for an email domain: protected, "emails @example.com"', () => {
    const c = coverage('grafana.example.com', '/', [app('grafana', ['grafana.example.com'])]);
    assert.equal(c.state, 'protected');
    assert.equal(c.app?.id, 'grafana');
    assert.equal(c.who, 'emails @example.com');
  });

  test('bypass for everyone is open, even with an allow policy listed first', () => {
    const c = coverage('x.example.com', undefined, [app('x', ['x.example.com'], [team, bypassAll])]);
    assert.equal(c.state, 'open');
    assert.equal(c.who, 'everyone (bypass)');
    assert.match(c.reason, /bypasses Access for everyone/);
  });

  test('allow for everyone is open', () => {
    const c = coverage('x.example.com', undefined, [app('x', ['x.example.com'], [allowAll])]);
    assert.equal(c.state, 'open');
    assert.equal(c.who, 'everyone (any login)');
  });

  test('an ip rule of 0.0.0.0/0 in a bypass counts as everyone; a require narrows it', () => {
    const anyIp: AccessPolicy = { id: 'b', decision: 'bypass', include: [{ ip: { ip: '0.0.0.0/0' } }] };
    assert.equal(coverage('x.example.com', undefined, [app('x', ['x.example.com'], [anyIp])]).state, 'open');
    const narrowed: AccessPolicy = { ...bypassAll, require: [{ ip: { ip: '10.0.0.0/8' } }] };
    const c = coverage('x.example.com', undefined, [app('x', ['x.example.com'], [narrowed])]);
    assert.equal(c.state, 'protected');
    assert.equal(c.who, 'bypass: everyone');
  });

  test('a service token (Service Auth): protected, named when the name is known', () => {
    const apps = [app('api', ['api.example.com'], [ci])];
    const named = coverage('api.example.com', undefined, apps, { names: { serviceTokens: { 'tok-1': 'ci' } } });
    assert.equal(named.state, 'protected');
    assert.equal(named.who, 'service token ci');
    assert.match(named.reason, /a service token/);
    assert.equal(coverage('api.example.com', undefined, apps).who, 'service token tok-1');
  });

  test('who lists the includes in short, with emails counted and extras folded', () => {
    const p: AccessPolicy = {
      id: 'p',
      decision: 'allow',
      include: [
        { email: { email: 'a@x.com' } },
        { email: { email: 'b@x.com' } },
        { login_method: { id: 'idp-1' } },
        { any_valid_service_token: {} },
        { group: { id: 'g1' } },
      ],
    };
    const c = coverage('x.example.com', undefined, [app('x', ['x.example.com'], [p])], {
      names: { identityProviders: { 'idp-1': 'GitHub' } },
    });
    assert.equal(c.who, '2 emails, login via GitHub, any service token +1 more');
    const one = coverage('x.example.com', undefined, [
      app('x', ['x.example.com'], [{ id: 'p', decision: 'allow', include: [{ email: { email: 'me@x.com' } }] }]),
    ]);
    assert.equal(one.who, 'me@x.com');
  });

  test('an app with no policy blocks everyone, and says so', () => {
    const c = coverage('x.example.com', undefined, [app('x', ['x.example.com'], [])]);
    assert.equal(c.state, 'protected');
    assert.equal(c.who, 'nobody (no policy)');
    assert.match(c.reason, /no policy, so it blocks everyone/);
  });

  test('block everyone: protected, nobody', () => {
    const c = coverage('x.example.com', undefined, [
      app('x', ['x.example.com'], [{ id: 'd', decision: 'deny', include: [{ everyone: {} }] }]),
    ]);
    assert.equal(c.state, 'protected');
    assert.equal(c.who, 'nobody (blocked)');
  });

  test('a non-HTTP (ssh browser rendering) app protects its hostname', () => {
    const c = coverage('ssh.example.com', undefined, [app('ssh', ['ssh.example.com'], [team], 'ssh')]);
    assert.equal(c.state, 'protected');
  });

  test('the apex is not covered by *.example.com', () => {
    const apps = [app('wild', ['*.example.com'])];
    assert.equal(coverage('example.com', undefined, apps).state, 'open');
    assert.equal(coverage('a.example.com', undefined, apps).state, 'protected');
    assert.equal(coverage('a.b.example.com', undefined, apps).state, 'open');
  });

  test('several apps on one hostname: each path answers with its own app, nothing inherited', () => {
    const apps = [app('root', ['example.com']), app('pub', ['example.com/public'], [bypassAll])];
    assert.equal(coverage('example.com', '/', apps).state, 'protected');
    const pub = coverage('example.com', '/public/x', apps);
    assert.equal(pub.state, 'open');
    assert.equal(pub.app?.id, 'pub');
    assert.equal(coverage('example.com', '/publicity', apps).app?.id, 'root');
  });

  test('apps that could not be read: unknown with the reason, never open', () => {
    const c = coverage('x.example.com', undefined, undefined, {
      unknownReason: 'the token lacks Access: Apps and Policies Read',
    });
    assert.equal(c.state, 'unknown');
    assert.match(c.reason, /lacks Access: Apps and Policies Read/);
    assert.equal(coverage('x.example.com', undefined, undefined).state, 'unknown');
  });
});

describe('ruleCoverage: tunnel rules and their gaps', () => {
  test('a tunnel wildcard covered by an Access *.example.com: protected, with the depth gap', () => {
    const r = ruleCoverage('*.example.com', undefined, [app('wild', ['*.example.com'])]);
    assert.equal(r.state, 'protected');
    assert.equal(r.app?.id, 'wild');
    assert.equal(r.gaps.length, 1);
    assert.equal(r.gaps[0]!.kind, 'wildcard-depth');
    assert.equal(r.gaps[0]!.example, 'a.b.example.com');
    assert.equal(r.gaps[0]!.coverage.state, 'open');
  });

  test('*.*.example.com too moves the depth gap one label down', () => {
    const r = ruleCoverage('*.example.com', undefined, [app('w1', ['*.example.com']), app('w2', ['*.*.example.com'])]);
    assert.deepEqual(
      r.gaps.map((g) => g.example),
      ['a.b.c.example.com'],
    );
  });

  test('an exact rule has no depth gap; an open wildcard rule reports no gap either', () => {
    assert.deepEqual(ruleCoverage('a.example.com', undefined, [app('wild', ['*.example.com'])]).gaps, []);
    const open = ruleCoverage('*.example.com', undefined, []);
    assert.equal(open.state, 'open');
    assert.deepEqual(open.gaps, []);
  });

  test('a tunnel wildcard with only some names protected: open, the protected names listed', () => {
    const r = ruleCoverage('*.example.com', undefined, [app('grafana', ['grafana.example.com'])]);
    assert.equal(r.state, 'open');
    assert.deepEqual(
      r.protectedParts.map((p) => [p.kind, p.example]),
      [['host', 'grafana.example.com']],
    );
  });

  test('a bypassed name under a protected wildcard is a gap', () => {
    const r = ruleCoverage('*.example.com', undefined, [
      app('wild', ['*.example.com']),
      app('status', ['status.example.com'], [bypassAll]),
    ]);
    assert.equal(r.state, 'protected');
    assert.deepEqual(
      r.gaps.map((g) => [g.kind, g.example, g.coverage.who]),
      [
        ['host', 'status.example.com', 'everyone (bypass)'],
        ['wildcard-depth', 'a.b.example.com', 'everyone (no Access application)'],
      ],
    );
  });

  test('a path-scoped app leaves the rest of the host open', () => {
    const r = ruleCoverage('example.com', undefined, [app('admin', ['example.com/admin'])]);
    assert.equal(r.state, 'open');
    assert.equal(r.app, undefined);
    assert.deepEqual(
      r.protectedParts.map((p) => [p.kind, p.example]),
      [['path', 'example.com/admin']],
    );
  });

  test('an open sub-path of a protected host is a gap', () => {
    const r = ruleCoverage('example.com', undefined, [
      app('root', ['example.com']),
      app('hook', ['example.com/webhook'], [bypassAll]),
    ]);
    assert.equal(r.state, 'protected');
    assert.deepEqual(
      r.gaps.map((g) => [g.kind, g.example]),
      [['path', 'example.com/webhook']],
    );
  });

  test('an anchored rule path inside an app path is decided by that app', () => {
    const apps = [app('admin', ['example.com/admin'])];
    const inside = ruleCoverage('example.com', '^/admin/', apps);
    assert.equal(inside.state, 'protected');
    assert.equal(inside.partly, undefined);
    const exact = ruleCoverage('example.com', '^/admin$', apps);
    assert.equal(exact.state, 'protected');
    assert.equal(exact.partly, undefined);
    const other = ruleCoverage('example.com', '^/api/', apps);
    assert.equal(other.state, 'open');
    assert.deepEqual(other.protectedParts, []);
  });

  test('a rule path that also admits /administrator: partly (the /eng vs /engineering question)', () => {
    const r = ruleCoverage('example.com', '^/admin', [app('admin', ['example.com/admin'])]);
    assert.equal(r.state, 'protected');
    assert.match(r.partly ?? '', /cannot be compared exactly with "admin" \(example\.com\/admin\)/);
  });

  test('an unanchored rule path with path-scoped apps: partly', () => {
    const r = ruleCoverage('example.com', 'admin', [app('admin', ['example.com/admin'])]);
    assert.equal(r.state, 'open');
    assert.match(r.partly ?? '', /searched anywhere/);
  });

  test('a catch-all rule and unreadable apps are unknown', () => {
    assert.equal(ruleCoverage('', undefined, []).state, 'unknown');
    assert.equal(ruleCoverage('*', undefined, []).state, 'unknown');
    const u = ruleCoverage('a.example.com', undefined, undefined, { unknownReason: 'signed out' });
    assert.equal(u.state, 'unknown');
    assert.match(u.reason, /signed out/);
  });
});

describe('rulePathRegion', () => {
  test('literal start of an anchored regex; exact only with a bare $', () => {
    assert.deepEqual(rulePathRegion('^/admin/'), { prefix: '/admin/', exact: false });
    assert.deepEqual(rulePathRegion('^/admin$'), { prefix: '/admin', exact: true });
    assert.deepEqual(rulePathRegion('^/api\\.v1/.*'), { prefix: '/api.v1/', exact: false });
    assert.deepEqual(rulePathRegion('^/admins?'), { prefix: '/admin', exact: false });
    assert.deepEqual(rulePathRegion('/admin'), { prefix: '', exact: false });
    assert.deepEqual(rulePathRegion(undefined), { prefix: '', exact: false });
  });
});
