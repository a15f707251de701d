/**
 * Cloudflare Access in the editor (issue #19): how a hostname looks in the trees (protected by which
 * application and who, open to everyone, unknown, never "open" when unknown), the steps of
 * "Protect with Cloudflare Access…", and the check on workspace config.yaml rules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACCESS_FORBIDDEN_REASON,
  DEFAULT_SESSION_DURATION,
  SESSION_DURATIONS,
  accessDiagnostics,
  appNameOf,
  existingAppMessage,
  hostnameAccess,
  parseEmailDomain,
  parseEmails,
  protectOutcomeMessage,
  protectQuestion,
  protectRequest,
  publicHostnamesSetting,
  severityPatternsSetting,
  stepTitle,
  whoItems,
  whoSummary,
  withHostnameAccess,
} from '../../../../src/extension/cloudflare/accessModel';
import type { AccessAppLike, AccessState } from '../../../../src/extension/cloudflare/accessModel';
import { hostnameElementAccess, nameAccess, ruleAccess } from '../../../../src/extension/cloudflare/accessTree';
import { itemSpec } from '../../../../src/extension/cloudflare/model';
import type { Element } from '../../../../src/extension/cloudflare/model';
import { accountOfHostname } from '../../../../src/extension/kubernetes/model';
import type { TunnelNode } from '../../../../src/core/cloudflare/tunnelsTree';
import { CONTEXT_VALUES } from '../../../../src/shared/contextValues';
import type { Range } from '../../../../src/core/types';

const policy = (id: string, decision: string, include: Array<Record<string, unknown>>, name = id) => ({
  id,
  name,
  decision,
  include,
});

/** A few applications as the demo account has them. */
const APPS: AccessAppLike[] = [
  {
    id: 'a1',
    name: 'Grafana',
    type: 'self_hosted',
    domains: ['grafana.example.dev'],
    policies: [policy('p1', 'allow', [{ email_domain: { domain: 'example.com' } }], 'Example staff')],
    sessionDuration: '24h',
  },
  {
    id: 'a2',
    name: 'App (public)',
    type: 'self_hosted',
    domains: ['app.example.com'],
    policies: [policy('p2', 'bypass', [{ everyone: {} }], 'Everyone (bypass)')],
  },
  {
    id: 'a3',
    name: 'Dev wildcard',
    type: 'self_hosted',
    domains: ['*.example.dev'],
    policies: [policy('p3', 'allow', [{ email: { email: 'alice@example.com' } }], 'Devs')],
  },
];

const LOADED: AccessState = {
  kind: 'loaded',
  apps: APPS,
  identityProviders: [{ id: 'idp1', name: 'GitHub', type: 'github' }],
  serviceTokens: [],
};
const FORBIDDEN: AccessState = { kind: 'forbidden', message: 'The token may not read Access applications.' };

test('a protected hostname names its application and who may enter; open and unknown are told apart', () => {
  const grafana = ruleAccess('grafana.example.dev', undefined, LOADED)!;
  assert.equal(grafana.state, 'protected');
  assert.equal(grafana.appName, 'Grafana');
  assert.match(grafana.description, /^Access: Grafana \(.*example\.com.*\)$/);
  assert.ok(grafana.tooltip.some((l) => l.includes('protected by application "Grafana"')));

  const preview = ruleAccess('preview.example.com', undefined, LOADED)!;
  assert.equal(preview.state, 'open');
  assert.equal(preview.description, 'open to everyone');
  assert.equal(preview.appName, undefined);

  // A bypass for everyone counts as open, and names the application that lets everyone in.
  const app = ruleAccess('app.example.com', undefined, LOADED)!;
  assert.equal(app.state, 'open');
  assert.match(app.description, /^open to everyone \(App \(public\): everyone/);

  // The token lacks the permission: unknown with the reason, never "open".
  const unknown = ruleAccess('preview.example.com', undefined, FORBIDDEN)!;
  assert.equal(unknown.state, 'unknown');
  assert.equal(unknown.description, `Access unknown — ${ACCESS_FORBIDDEN_REASON}`);
  assert.doesNotMatch(unknown.description + unknown.tooltip.join('\n'), /open to everyone/);
  assert.equal(nameAccess('app.example.com', undefined, { kind: 'failed', message: 'offline' }).state, 'unknown');

  // The catch-all says nothing (its hostnames are the DNS routes').
  assert.equal(ruleAccess(undefined, undefined, LOADED), undefined);
  assert.equal(ruleAccess('*', undefined, LOADED), undefined);
});

test("a tunnel wildcard protected by Access's one-label wildcard shows its gap", () => {
  const w = ruleAccess('*.example.dev', undefined, LOADED)!;
  assert.equal(w.state, 'protected');
  assert.ok(w.gaps.length > 0, 'a.b.example.dev is not covered');
  assert.match(w.description, /gaps/);
  assert.ok(w.tooltip.some((l) => /^⚠ Not covered: .*example\.dev/.test(l)));
});

test('withHostnameAccess: the icon, the description, and .open on open hostnames only', () => {
  const base = {
    id: 'x',
    label: 'preview.example.com',
    description: '→ http://preview:80',
    tooltip: 'preview.example.com → http://preview:80',
    icon: 'globe',
    contextValue: CONTEXT_VALUES.hostname,
    collapsible: 'none' as const,
  };
  const open = withHostnameAccess(base, hostnameAccess({ state: 'open', who: 'everyone', reason: 'No app.' }));
  assert.equal(open.contextValue, CONTEXT_VALUES.hostnameOpen);
  assert.equal(open.icon, 'unlock');
  assert.equal(open.description, '→ http://preview:80 · open to everyone');
  assert.match(
    open.tooltip!,
    /^preview\.example\.com → http:\/\/preview:80\nCloudflare Access: open to everyone\. No app\./,
  );

  const prot = withHostnameAccess(base, ruleAccess('grafana.example.dev', undefined, LOADED));
  assert.equal(prot.contextValue, CONTEXT_VALUES.hostname);
  assert.equal(prot.icon, 'lock');
  assert.equal(prot.iconColor, 'charts.green');

  const unknown = withHostnameAccess(base, ruleAccess('preview.example.com', undefined, FORBIDDEN));
  assert.equal(unknown.contextValue, CONTEXT_VALUES.hostname, 'unknown is not offered protection as if open');
  assert.equal(unknown.icon, 'globe');

  // A problem icon (no DNS route) stays; a route keeps its own context value.
  const problem = withHostnameAccess(
    { ...base, icon: 'warning' },
    ruleAccess('preview.example.com', undefined, LOADED),
    true,
  );
  assert.equal(problem.icon, 'warning');
  assert.equal(problem.contextValue, CONTEXT_VALUES.hostnameOpen);
  const route = withHostnameAccess(
    { ...base, contextValue: CONTEXT_VALUES.route },
    ruleAccess('preview.example.com', undefined, LOADED),
    false,
    false,
  );
  assert.equal(route.contextValue, CONTEXT_VALUES.route);
  assert.equal(CONTEXT_VALUES.kubeHostname + '.open', CONTEXT_VALUES.kubeHostnameOpen);
  assert.equal(CONTEXT_VALUES.kubeHostnameClient + '.open', CONTEXT_VALUES.kubeHostnameClientOpen);
});

test('Tunnels view items: nothing until the Access read arrives or while signed out', () => {
  const tunnel = { id: 't', name: 'prod' } as TunnelNode;
  const el: Element = {
    type: 'hostname',
    accountId: 'acc',
    tunnel,
    hostname: {
      kind: 'hostname',
      hostname: 'preview.example.com',
      service: 'http://p',
      source: 'remote',
      catchAll: false,
      hasDnsRoute: true,
    },
  };
  const spec = itemSpec(el);
  assert.deepEqual(hostnameElementAccess(spec, el, undefined, true), spec);
  assert.deepEqual(hostnameElementAccess(spec, el, LOADED, false), spec);
  assert.equal(hostnameElementAccess(spec, el, LOADED, true).contextValue, CONTEXT_VALUES.hostnameOpen);
  const orphan: Element = {
    type: 'route',
    accountId: 'acc',
    route: {
      kind: 'dns-route',
      recordId: 'r',
      zoneId: 'z',
      hostname: 'old.example.com',
      tunnelId: 'gone',
      proxied: true,
      orphan: true,
    },
  };
  assert.deepEqual(hostnameElementAccess(itemSpec(orphan), orphan, LOADED, true), itemSpec(orphan));
});

test('the Services tree finds a hostname’s account by its tunnel, else the only account', () => {
  const tunnels = [{ accountId: 'acme', tunnel: { id: 'T1', name: 'prod' } as TunnelNode }];
  assert.equal(accountOfHostname({ tunnelId: 't1' }, tunnels, ['acme', 'side']), 'acme');
  assert.equal(accountOfHostname({}, tunnels, ['acme']), 'acme');
  assert.equal(accountOfHostname({}, tunnels, ['acme', 'side']), undefined);
});

test('the steps: who may enter, emails and domains checked, durations Access accepts', () => {
  const items = whoItems(LOADED as Extract<AccessState, { kind: 'loaded' }>);
  assert.deepEqual(
    items.map((i) => [i.kind, i.enabled]),
    [
      ['emails', true],
      ['emailDomain', true],
      ['identityProvider', true],
      ['serviceToken', false],
    ],
  );
  assert.match(items[3]!.detail, /no service token/);
  const noIdps = whoItems({ ...LOADED, identityProviders: [], unavailable: { identityProviders: '403' } } as Extract<
    AccessState,
    { kind: 'loaded' }
  >);
  assert.match(noIdps[2]!.detail, /could not be read: 403/);

  assert.deepEqual(parseEmails('Alice@example.com, bob@example.com;alice@example.com'), {
    emails: ['alice@example.com', 'bob@example.com'],
  });
  assert.deepEqual(parseEmails('alice@example.com, bob'), { error: 'bob is not an email address.' });
  assert.deepEqual(parseEmails('  '), { error: 'Type at least one email address.' });
  assert.deepEqual(parseEmailDomain('@Example.com'), { domain: 'example.com' });
  assert.ok('error' in parseEmailDomain('not a domain'));

  assert.equal(SESSION_DURATIONS[0]!.value, DEFAULT_SESSION_DURATION);
  assert.equal(DEFAULT_SESSION_DURATION, '24h');
  for (const d of SESSION_DURATIONS) assert.match(d.value, /^\d+(m|h)$/, `${d.label}: a Go duration (no "d" unit)`);
  assert.deepEqual(
    SESSION_DURATIONS.map((d) => d.label),
    ['24 hours', '15 minutes', '1 hour', '8 hours', '7 days', '30 days'],
  );
  assert.equal(appNameOf('  ', 'preview.example.com'), 'preview.example.com');
  assert.equal(appNameOf('Preview', 'preview.example.com'), 'Preview');
  assert.equal(stepTitle('preview.example.com', 2, 4), 'Protect preview.example.com with Cloudflare Access (2/4)');
});

test('the request, the confirmation with both JSON bodies, and the sentences after', () => {
  const who = { kind: 'emails' as const, emails: ['alice@example.com'] };
  const req = protectRequest('preview.example.com', who, '8h', 'Preview');
  assert.deepEqual(req, {
    hostname: 'preview.example.com',
    appName: 'Preview',
    sessionDuration: '8h',
    who: { emails: ['alice@example.com'] },
  });
  assert.deepEqual(
    protectRequest('ci.example.com', { kind: 'serviceToken', id: 'st', name: 'ci', clientId: 'c' }, '24h', 'CI').who,
    { serviceTokenId: 'st' },
  );
  assert.deepEqual(
    protectRequest('x.example.com', { kind: 'identityProvider', id: 'i', name: 'GitHub', type: 'github' }, '24h', 'X')
      .who,
    { identityProviderId: 'i' },
  );
  const q = protectQuestion(req, who, { policy: { decision: 'allow' }, app: { type: 'self_hosted' } });
  assert.equal(
    q.message,
    'Protect preview.example.com with Cloudflare Access? Only alice@example.com will get through (sessions of 8h).',
  );
  assert.match(q.detail, /"decision": "allow"/);
  assert.match(q.detail, /"type": "self_hosted"/);
  assert.equal(q.button, 'Create Application');
  assert.equal(whoSummary({ kind: 'emails', emails: ['a@x.io', 'b@x.io', 'c@x.io', 'd@x.io'] }), '4 email addresses');
  assert.equal(whoSummary({ kind: 'emailDomain', domain: 'x.io' }), 'emails ending in @x.io');

  assert.equal(
    protectOutcomeMessage({ app: { name: 'Preview' }, created: true }, 'preview.example.com', who),
    'Protected preview.example.com with the Access application "Preview": only alice@example.com may enter.',
  );
  assert.match(
    protectOutcomeMessage({ app: { name: 'Old' }, created: false }, 'preview.example.com', who),
    /already covered .*nothing was changed/,
  );
  assert.match(
    existingAppMessage('app.example.com', { state: 'open', app: APPS[1]!, who: 'everyone (bypass)', reason: '' }),
    /^app\.example\.com is already covered by the Access application "App \(public\)" \(app\.example\.com\): it lets everyone \(bypass\) in; .*Nothing was changed\.$/,
  );
});

const r = (line: number, a = 16, b = 40): Range => ({ start: { line, character: a }, end: { line, character: b } });

test('the config.yaml check: open rules reported on their hostname, settings honoured, nothing when unknown', () => {
  const config = {
    path: '/ws/config.yaml',
    tunnel: 'prod',
    rules: [
      { hostname: 'grafana.example.dev', range: r(3, 4), hostnameRange: r(3) },
      { hostname: 'preview.example.com', range: r(5, 4), hostnameRange: r(5) },
      { hostname: 'www.example.com', range: r(7, 4), hostnameRange: r(7) },
      { hostname: '*.example.dev', range: r(9, 4), hostnameRange: r(9) },
      { range: r(11, 4) },
    ],
  };
  const settings = {
    publicHostnames: publicHostnamesSetting(['www.*', 3]),
    severityPatterns: severityPatternsSetting({ 'preview.*': 'warning', 'x.*': 'loud' }),
  };
  assert.deepEqual(settings.severityPatterns, [{ pattern: 'preview.*', severity: 'warning' }]);
  const states = new Map<string, AccessState>([['acme', LOADED]]);
  const out = accessDiagnostics([config], () => 'acme', states, settings).get('/ws/config.yaml')!;
  assert.deepEqual(
    out.map((d) => [d.code, d.severity, d.range.start.line, d.hostname, d.accountId]),
    [
      ['access-not-protected', 'warning', 5, 'preview.example.com', 'acme'],
      ['access-wildcard-gap', 'information', 9, '*.example.dev', 'acme'],
    ],
  );
  assert.match(out[0]!.message, /preview\.example\.com is public/);

  // Unknown (forbidden, or no account for the rule): nothing at all.
  assert.equal(accessDiagnostics([config], () => 'acme', new Map([['acme', FORBIDDEN]]), settings).size, 0);
  assert.equal(accessDiagnostics([config], () => undefined, states, settings).size, 0);
  assert.deepEqual(publicHostnamesSetting('www.example.com'), []);
  assert.deepEqual(severityPatternsSetting(['x']), []);
});
