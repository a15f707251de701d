// Tests for src/core/routing/gateway.ts: Gateway API routing as the spec specifies it (issue #17).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  attachedRoutes,
  gatewayForService,
  gatewayHostMatches,
  hostnameIntersection,
  readGateway,
  readHTTPRoute,
  readReferenceGrant,
  routeGateway,
  type BackendRefDef,
  type GatewayDef,
  type HTTPRouteDef,
  type HTTPRouteMatchDef,
  type HTTPRouteRuleDef,
  type ListenerDef,
  type ReferenceGrantDef,
} from '../../../../src/core/routing/gateway';

const G = 'gateway.networking.k8s.io';

function listener(name: string, extra: Partial<ListenerDef> = {}): ListenerDef {
  return { name, port: 80, protocol: 'HTTP', allowedRoutes: { from: 'Same' }, ...extra };
}

function gw(listeners: ListenerDef[], extra: Partial<GatewayDef> = {}): GatewayDef {
  return { name: 'gw', namespace: 'infra', className: 'eg', listeners, ...extra };
}

function backend(name: string, extra: Partial<BackendRefDef> = {}): BackendRefDef {
  return { group: '', kind: 'Service', name, port: 8080, weight: 1, ...extra };
}

function rule(matches: HTTPRouteMatchDef[], backends: BackendRefDef[]): HTTPRouteRuleDef {
  return { matches, backendRefs: backends };
}

function prefix(value: string, extra: Partial<HTTPRouteMatchDef> = {}): HTTPRouteMatchDef {
  return { path: { type: 'PathPrefix', value }, ...extra };
}

function exact(value: string): HTTPRouteMatchDef {
  return { path: { type: 'Exact', value } };
}

function route(name: string, hostnames: string[], rules: HTTPRouteRuleDef[], extra: Partial<HTTPRouteDef> = {}) {
  const r: HTTPRouteDef = {
    name,
    namespace: 'infra',
    parentRefs: [{ group: G, kind: 'Gateway', name: 'gw' }],
    hostnames,
    rules,
    ...extra,
  };
  return r;
}

/** A route with one PathPrefix rule to a Service named after `svc`. */
function simple(name: string, hostnames: string[], path: string, svc: string, extra: Partial<HTTPRouteDef> = {}) {
  return route(name, hostnames, [rule([prefix(path)], [backend(svc)])], extra);
}

function served(r: ReturnType<typeof routeGateway>) {
  assert.equal(r.kind, 'served', JSON.stringify(r));
  if (r.kind !== 'served') throw new Error('not served');
  return r;
}

function backendNames(r: ReturnType<typeof routeGateway>): string[] {
  return served(r).backends.map((b) => b.name);
}

// ---------------------------------------------------------------------------------------------
// Readers

test('readGateway: v1 fields, listeners, allowedRoutes, addresses', () => {
  const def = readGateway({
    apiVersion: `${G}/v1`,
    kind: 'Gateway',
    metadata: { name: 'eg', namespace: 'infra' },
    spec: {
      gatewayClassName: 'envoy',
      addresses: [{ value: '10.0.0.1' }],
      listeners: [
        { name: 'http', port: 80, protocol: 'HTTP' },
        {
          name: 'https',
          hostname: '*.Example.com',
          port: 443,
          protocol: 'HTTPS',
          allowedRoutes: {
            namespaces: { from: 'Selector', selector: { matchLabels: { team: 'a' } } },
            kinds: [{ kind: 'HTTPRoute' }],
          },
        },
        { name: 'broken', protocol: 'HTTP' },
      ],
    },
    status: { addresses: [{ type: 'Hostname', value: 'lb.example.net' }] },
  });
  assert.deepEqual(def, {
    name: 'eg',
    namespace: 'infra',
    className: 'envoy',
    listeners: [
      { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { from: 'Same' } },
      {
        name: 'https',
        hostname: '*.example.com',
        port: 443,
        protocol: 'HTTPS',
        allowedRoutes: {
          from: 'Selector',
          selector: { matchLabels: { team: 'a' }, matchExpressions: [] },
          kinds: [{ group: G, kind: 'HTTPRoute' }],
        },
      },
    ],
    addresses: [{ type: 'IPAddress', value: '10.0.0.1' }],
    statusAddresses: [{ type: 'Hostname', value: 'lb.example.net' }],
  });
});

test('readGateway: v1beta1, missing fields, not a Gateway', () => {
  assert.deepEqual(readGateway({ apiVersion: `${G}/v1beta1`, kind: 'Gateway', metadata: { name: 'g' } }), {
    name: 'g',
    namespace: 'default',
    className: '',
    listeners: [],
  });
  assert.equal(readGateway({ apiVersion: `${G}/v1`, kind: 'Gateway', metadata: {} }), undefined);
  assert.equal(readGateway({ apiVersion: `${G}/v1`, kind: 'HTTPRoute', metadata: { name: 'g' } }), undefined);
  assert.equal(
    readGateway({ apiVersion: 'networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g' } }),
    undefined,
  );
  assert.equal(readGateway(null), undefined);
});

test('readHTTPRoute: v1 fields, defaults of parentRef, match, backendRef and status', () => {
  const def = readHTTPRoute({
    apiVersion: `${G}/v1`,
    kind: 'HTTPRoute',
    metadata: { name: 'app', namespace: 'web', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: {
      parentRefs: [
        { name: 'eg', namespace: 'infra', sectionName: 'https', port: 443 },
        { group: '', kind: 'Service', name: 's' },
      ],
      hostnames: ['App.example.com'],
      rules: [
        {
          matches: [
            { path: { type: 'Exact', value: '/x' }, headers: [{ name: 'v', value: '2' }], method: 'GET' },
            { queryParams: [{ type: 'RegularExpression', name: 'q', value: 'a.*' }] },
          ],
          backendRefs: [
            { name: 'api', port: 8080 },
            { name: 'other', namespace: 'shared', port: 80, weight: 0 },
            { group: 'example.com', kind: 'Bucket', name: 'b' },
          ],
        },
        { filters: [{ type: 'RequestRedirect' }] },
      ],
    },
    status: {
      parents: [
        {
          parentRef: { name: 'eg', namespace: 'infra' },
          controllerName: 'gateway.envoyproxy.io/gatewayclass-controller',
          conditions: [
            { type: 'Accepted', status: 'True', reason: 'Accepted' },
            { type: 'ResolvedRefs', status: 'False', reason: 'RefNotPermitted', message: 'no grant' },
          ],
        },
      ],
    },
  });
  assert.deepEqual(def, {
    name: 'app',
    namespace: 'web',
    creationTimestamp: '2024-01-01T00:00:00Z',
    parentRefs: [
      { group: G, kind: 'Gateway', name: 'eg', namespace: 'infra', sectionName: 'https', port: 443 },
      { group: '', kind: 'Service', name: 's' },
    ],
    hostnames: ['app.example.com'],
    rules: [
      {
        matches: [
          { path: { type: 'Exact', value: '/x' }, headers: [{ type: 'Exact', name: 'v', value: '2' }], method: 'GET' },
          {
            path: { type: 'PathPrefix', value: '/' },
            queryParams: [{ type: 'RegularExpression', name: 'q', value: 'a.*' }],
          },
        ],
        backendRefs: [
          { group: '', kind: 'Service', name: 'api', port: 8080, weight: 1 },
          { group: '', kind: 'Service', name: 'other', namespace: 'shared', port: 80, weight: 0 },
          { group: 'example.com', kind: 'Bucket', name: 'b', weight: 1 },
        ],
      },
      { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [], filters: ['RequestRedirect'] },
    ],
    statusParents: [
      {
        parentRef: { group: G, kind: 'Gateway', name: 'eg', namespace: 'infra' },
        controllerName: 'gateway.envoyproxy.io/gatewayclass-controller',
        accepted: { status: 'True', reason: 'Accepted' },
        resolvedRefs: { status: 'False', reason: 'RefNotPermitted', message: 'no grant' },
      },
    ],
  });
});

test('readHTTPRoute: v1beta1 with no spec gets the default rule; not an HTTPRoute', () => {
  assert.deepEqual(readHTTPRoute({ apiVersion: `${G}/v1beta1`, kind: 'HTTPRoute', metadata: { name: 'r' } }), {
    name: 'r',
    namespace: 'default',
    parentRefs: [],
    hostnames: [],
    rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [] }],
  });
  assert.equal(readHTTPRoute({ apiVersion: `${G}/v1`, kind: 'Gateway', metadata: { name: 'r' } }), undefined);
  assert.equal(readHTTPRoute({ apiVersion: `${G}/v1alpha1`, kind: 'HTTPRoute', metadata: { name: 'r' } }), undefined);
  assert.equal(readHTTPRoute([]), undefined);
});

test('readReferenceGrant: v1 and v1beta1, optional to.name, incomplete entries dropped', () => {
  const obj = (apiVersion: string) => ({
    apiVersion,
    kind: 'ReferenceGrant',
    metadata: { name: 'allow', namespace: 'shared' },
    spec: {
      from: [
        { group: G, kind: 'HTTPRoute', namespace: 'web' },
        { group: G, kind: 'HTTPRoute' },
      ],
      to: [{ group: '', kind: 'Service' }, { group: '', kind: 'Service', name: 'db' }, { group: '' }],
    },
  });
  const expected: ReferenceGrantDef = {
    name: 'allow',
    namespace: 'shared',
    from: [{ group: G, kind: 'HTTPRoute', namespace: 'web' }],
    to: [
      { group: '', kind: 'Service' },
      { group: '', kind: 'Service', name: 'db' },
    ],
  };
  assert.deepEqual(readReferenceGrant(obj(`${G}/v1`)), expected);
  assert.deepEqual(readReferenceGrant(obj(`${G}/v1beta1`)), expected);
  assert.equal(readReferenceGrant({ ...obj(`${G}/v1`), kind: 'HTTPRoute' }), undefined);
  assert.deepEqual(readReferenceGrant({ apiVersion: `${G}/v1`, kind: 'ReferenceGrant', metadata: { name: 'x' } }), {
    name: 'x',
    namespace: 'default',
    from: [],
    to: [],
  });
});

// ---------------------------------------------------------------------------------------------
// Hostnames

test('gatewayHostMatches: wildcard is a suffix match of any depth, not the apex', () => {
  assert.equal(gatewayHostMatches('*.example.com', 'a.example.com'), true);
  assert.equal(gatewayHostMatches('*.example.com', 'a.b.example.com'), true);
  assert.equal(gatewayHostMatches('*.example.com', 'A.B.Example.COM:8443'), true);
  assert.equal(gatewayHostMatches('*.example.com', 'example.com'), false);
  assert.equal(gatewayHostMatches('*.example.com', 'badexample.com'), false);
  assert.equal(gatewayHostMatches('*.example.com', 'a.example.net'), false);
});

test('gatewayHostMatches: exact, case-insensitive, port and trailing dot ignored', () => {
  assert.equal(gatewayHostMatches('app.example.com', 'App.Example.com'), true);
  assert.equal(gatewayHostMatches('App.example.com', 'app.example.com:1234'), true);
  assert.equal(gatewayHostMatches('app.example.com', 'app.example.com.'), true);
  assert.equal(gatewayHostMatches('app.example.com', 'x.app.example.com'), false);
});

test('hostnameIntersection: undefined, listener only, route only, narrowing, none', () => {
  assert.equal(hostnameIntersection(undefined, []), undefined);
  assert.deepEqual(hostnameIntersection('*.example.com', []), ['*.example.com']);
  assert.deepEqual(hostnameIntersection(undefined, ['a.com', 'b.com']), ['a.com', 'b.com']);
  // From the spec: listener *.example.com takes test.example.com and foo.test.example.com, not
  // example.com nor test.example.net.
  assert.deepEqual(
    hostnameIntersection('*.example.com', [
      'example.com',
      'test.example.com',
      'foo.test.example.com',
      'test.example.net',
    ]),
    ['test.example.com', 'foo.test.example.com'],
  );
  assert.deepEqual(hostnameIntersection('very.specific.com', ['non.matching.com', '*.specific.com']), [
    'very.specific.com',
  ]);
  assert.deepEqual(hostnameIntersection('*.example.com', ['*.a.example.com']), ['*.a.example.com']);
  assert.deepEqual(hostnameIntersection('*.a.example.com', ['*.example.com']), ['*.a.example.com']);
  assert.deepEqual(hostnameIntersection('*.example.com', ['*.example.com']), ['*.example.com']);
  assert.deepEqual(hostnameIntersection('very.specific.com', ['specific.but.wrong.com', 'wildcard.io']), []);
});

// ---------------------------------------------------------------------------------------------
// Attachment

test('attachedRoutes: parentRef namespace defaults to the route namespace; other Gateways left out', () => {
  const l = listener('http', { allowedRoutes: { from: 'All' } });
  const here = simple('here', [], '/', 'a');
  const elsewhere = simple('elsewhere', [], '/', 'a', { namespace: 'web' }); // names web/gw
  const explicit = simple('explicit', [], '/', 'a', {
    namespace: 'web',
    parentRefs: [{ group: G, kind: 'Gateway', name: 'gw', namespace: 'infra' }],
  });
  const other = simple('other', [], '/', 'a', { parentRefs: [{ group: G, kind: 'Gateway', name: 'gw2' }] });
  const res = attachedRoutes(gw([l]), l, [here, elsewhere, explicit, other]);
  assert.deepEqual(
    res.map((a) => [a.route.name, a.attached]),
    [
      ['here', true],
      ['explicit', true],
    ],
  );
});

test('attachedRoutes: sectionName and port narrow the listener', () => {
  const http = listener('http');
  const other = listener('other', { port: 8080 });
  const g = gw([http, other]);
  const bySection = simple('s', [], '/', 'a', {
    parentRefs: [{ group: G, kind: 'Gateway', name: 'gw', sectionName: 'other' }],
  });
  const byPort = simple('p', [], '/', 'a', { parentRefs: [{ group: G, kind: 'Gateway', name: 'gw', port: 8080 }] });
  assert.deepEqual(
    attachedRoutes(g, http, [bySection, byPort]).map((a) => a.attached),
    [false, false],
  );
  assert.match(attachedRoutes(g, http, [bySection])[0]!.reason, /listener other, not http/);
  assert.deepEqual(
    attachedRoutes(g, other, [bySection, byPort]).map((a) => a.attached),
    [true, true],
  );
});

test('attachedRoutes: allowedRoutes Same, All, None, Selector (unknown without labels)', () => {
  const fromWeb = simple('r', [], '/', 'a', {
    namespace: 'web',
    parentRefs: [{ group: G, kind: 'Gateway', name: 'gw', namespace: 'infra' }],
  });
  const sameNs = simple('r2', [], '/', 'a');
  const at = (from: ListenerDef['allowedRoutes'], r: HTTPRouteDef, labels?: Record<string, Record<string, string>>) => {
    const l = listener('http', { allowedRoutes: from });
    return attachedRoutes(gw([l]), l, [r], labels)[0]!.attached;
  };
  assert.equal(at({ from: 'Same' }, fromWeb), false);
  assert.equal(at({ from: 'Same' }, sameNs), true);
  assert.equal(at({ from: 'All' }, fromWeb), true);
  assert.equal(at({ from: 'None' }, sameNs), false);
  const selector = { from: 'Selector' as const, selector: { matchLabels: { team: 'a' }, matchExpressions: [] } };
  assert.equal(at(selector, fromWeb), 'unknown');
  assert.equal(at(selector, fromWeb, { web: { team: 'a' } }), true);
  assert.equal(at(selector, fromWeb, { web: { team: 'b' } }), false);
  const expr = {
    from: 'Selector' as const,
    selector: { matchLabels: {}, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] },
  };
  assert.equal(at(expr, fromWeb, { web: { env: 'dev' } }), true);
  assert.equal(at(expr, fromWeb, { web: { env: 'prod' } }), false);
});

test('attachedRoutes: status Accepted False wins over recomputing', () => {
  const l = listener('http');
  const r = simple('r', [], '/', 'a', {
    statusParents: [
      {
        parentRef: { group: G, kind: 'Gateway', name: 'gw' },
        accepted: { status: 'False', reason: 'UnsupportedValue' },
      },
    ],
  });
  const [a] = attachedRoutes(gw([l]), l, [r]);
  assert.equal(a!.attached, false);
  assert.match(a!.reason, /Accepted False.*UnsupportedValue/);
  // A status entry for another parent does not count.
  const other = simple('r', [], '/', 'a', {
    statusParents: [{ parentRef: { group: G, kind: 'Gateway', name: 'gw9' }, accepted: { status: 'False' } }],
  });
  assert.equal(attachedRoutes(gw([l]), l, [other])[0]!.attached, true);
});

test('attachedRoutes: hostname intersection must be non-empty; listener kinds and protocol', () => {
  const l = listener('http', { hostname: '*.example.com' });
  const none = simple('n', ['example.com', 'a.example.net'], '/', 'a');
  const some = simple('s', ['a.example.net', 'a.b.example.com'], '/', 'a');
  const [n, s] = attachedRoutes(gw([l]), l, [none, some]);
  assert.equal(n!.attached, false);
  assert.equal(s!.attached, true);
  assert.deepEqual(s!.hostnames, ['a.b.example.com']);
  const tcp = listener('tcp', { protocol: 'TCP' });
  assert.equal(attachedRoutes(gw([tcp]), tcp, [some])[0]!.attached, false);
  const grpcOnly = listener('g', { allowedRoutes: { from: 'Same', kinds: [{ group: G, kind: 'GRPCRoute' }] } });
  assert.equal(attachedRoutes(gw([grpcOnly]), grpcOnly, [some])[0]!.attached, false);
});

// ---------------------------------------------------------------------------------------------
// Routing: listeners

test('routeGateway: no listener on the port, none fitting the host → 404 naming them', () => {
  const g = gw([listener('web', { hostname: 'a.example.com' }), listener('tls', { port: 443, protocol: 'TLS' })]);
  const noPort = routeGateway({ gateway: g, port: 8443, routes: [], grants: [] }, 'a.example.com', '/');
  assert.equal(noPort.kind === 'stop' && noPort.status, 404);
  assert.match(
    noPort.kind === 'stop' ? noPort.reason : '',
    /no HTTP\/HTTPS listener on port 8443.*web \(a\.example\.com, 80\/HTTP\)/,
  );
  const tlsOnly = routeGateway({ gateway: g, port: 443, routes: [], grants: [] }, 'a.example.com', '/');
  assert.equal(tlsOnly.kind, 'stop');
  const noHost = routeGateway({ gateway: g, port: 80, routes: [], grants: [] }, 'b.example.com', '/');
  assert.equal(noHost.kind === 'stop' && noHost.status, 404);
  assert.match(
    noHost.kind === 'stop' ? noHost.reason : '',
    /no listener of Gateway infra\/gw fits host b\.example\.com.*web/,
  );
});

test('routeGateway: the most specific listener wins and only its routes count', () => {
  const g = gw([
    listener('any'),
    listener('wild', { hostname: '*.example.com' }),
    listener('deep', { hostname: '*.a.example.com' }),
    listener('exact', { hostname: 'x.a.example.com' }),
  ]);
  const onSection = (name: string) =>
    simple(name, [], '/', name, { parentRefs: [{ group: G, kind: 'Gateway', name: 'gw', sectionName: name }] });
  const routes = ['any', 'wild', 'deep', 'exact'].map(onSection);
  const at = (host: string) => served(routeGateway({ gateway: g, port: 80, routes, grants: [] }, host, '/')).listener;
  assert.equal(at('x.a.example.com'), 'exact');
  assert.equal(at('y.a.example.com'), 'deep');
  assert.equal(at('b.example.com'), 'wild');
  assert.equal(at('example.org'), 'any');
  // No route on the exact listener: 404 even though less specific listeners have routes.
  const r = routeGateway({ gateway: g, port: 80, routes: routes.slice(0, 3), grants: [] }, 'x.a.example.com', '/');
  assert.equal(r.kind === 'stop' && r.status, 404);
  assert.match(r.kind === 'stop' ? r.reason : '', /no HTTPRoute is attached to listener exact.*Listener Isolation/);
});

// ---------------------------------------------------------------------------------------------
// Routing: precedence

const L = [listener('http')];

function at(routes: HTTPRouteDef[], host: string, path: string, grants: ReferenceGrantDef[] = []) {
  return routeGateway({ gateway: gw(L), port: 80, routes, grants }, host, path);
}

test('routeGateway: Exact beats PathPrefix, longest PathPrefix wins, element-wise', () => {
  const r = route(
    'r',
    [],
    [
      rule([prefix('/')], [backend('root')]),
      rule([prefix('/api')], [backend('api')]),
      rule([prefix('/api/v2/')], [backend('v2')]),
      rule([exact('/api/v2')], [backend('exact')]),
    ],
  );
  assert.deepEqual(backendNames(at([r], 'a.example.com', '/api/v2')), ['exact']);
  assert.deepEqual(backendNames(at([r], 'a.example.com', '/api/v2/x')), ['v2']);
  assert.deepEqual(backendNames(at([r], 'a.example.com', '/api/v2?x=1')), ['exact']);
  assert.deepEqual(backendNames(at([r], 'a.example.com', '/api/x')), ['api']);
  assert.deepEqual(backendNames(at([r], 'a.example.com', '/apix')), ['root']);
  const s = served(at([r], 'a.example.com', '/api/v2/x'));
  assert.equal(s.ruleIndex, 2);
  assert.equal(s.certain, true);
  assert.deepEqual(s.notes, []);
});

test('routeGateway: precedence across routes — longer prefix in another route wins', () => {
  const a = simple('a', [], '/', 'a');
  const b = simple('b', [], '/v2', 'b');
  assert.deepEqual(backendNames(at([a, b], 'h.example.com', '/v2/x')), ['b']);
  assert.deepEqual(backendNames(at([a, b], 'h.example.com', '/v3')), ['a']);
});

test('routeGateway: hostname specificity across routes comes before path', () => {
  const wild = route('wild', ['*.example.com'], [rule([exact('/x')], [backend('wild')])]);
  const exactHost = simple('exact', ['app.example.com'], '/', 'exact');
  const longerWild = simple('deepwild', ['*.app.example.com'], '/', 'deepwild');
  assert.deepEqual(backendNames(at([wild, exactHost], 'app.example.com', '/x')), ['exact']);
  assert.deepEqual(backendNames(at([wild, exactHost], 'other.example.com', '/x')), ['wild']);
  // Same length: a non-wildcard hostname beats a wildcard even against a longer path.
  const oneChar = route('onechar', ['*.b.example.com'], [rule([prefix('/x')], [backend('onechar')])]);
  const same = simple('same', ['a.b.example.com'], '/', 'same');
  assert.deepEqual(backendNames(at([oneChar, same], 'a.b.example.com', '/x')), ['same']);
  // Any matching hostname: the longer wildcard wins.
  assert.deepEqual(backendNames(at([wild, longerWild], 'q.app.example.com', '/x')), ['deepwild']);
  // The more specific route has no rule for the path: the spec falls through, noted.
  const onlyApi = simple('api', ['app.example.com'], '/api', 'api');
  const s = served(at([wild, onlyApi], 'app.example.com', '/x'));
  assert.deepEqual(
    s.backends.map((b) => b.name),
    ['wild'],
  );
  assert.ok(
    s.notes.some((n) => /infra\/api has a more specific hostname/.test(n)),
    s.notes.join('\n'),
  );
});

test('routeGateway: ties go to the oldest route, then namespace/name, then rule order', () => {
  const young = simple('a-young', [], '/', 'young', { creationTimestamp: '2024-05-01T00:00:00Z' });
  const old = simple('z-old', [], '/', 'old', { creationTimestamp: '2023-01-01T00:00:00Z' });
  const s = served(at([young, old], 'h.example.com', '/'));
  assert.deepEqual(
    s.backends.map((b) => b.name),
    ['old'],
  );
  assert.equal(s.certain, true);
  const b = simple('b', [], '/', 'b', { creationTimestamp: '2024-01-01T00:00:00Z' });
  const a = simple('a', [], '/', 'a', { creationTimestamp: '2024-01-01T00:00:00Z' });
  assert.deepEqual(backendNames(at([b, a], 'h.example.com', '/')), ['a']);
  const otherNs = simple('a', [], '/', 'web-a', {
    namespace: 'aaa',
    creationTimestamp: '2024-01-01T00:00:00Z',
    parentRefs: [{ group: G, kind: 'Gateway', name: 'gw', namespace: 'infra' }],
  });
  const allNs = [listener('http', { allowedRoutes: { from: 'All' } })];
  const r = routeGateway({ gateway: gw(allNs), port: 80, routes: [b, otherNs], grants: [] }, 'h', '/');
  assert.deepEqual(backendNames(r), ['web-a']);
  const twoRules = route('t', [], [rule([prefix('/')], [backend('first')]), rule([prefix('/')], [backend('second')])]);
  assert.equal(served(at([twoRules], 'h', '/')).ruleIndex, 0);
});

test('routeGateway: a tie that a missing creationTimestamp would decide is uncertain', () => {
  const b = simple('b', [], '/', 'b');
  const a = simple('a', [], '/', 'a');
  const s = served(at([b, a], 'h.example.com', '/'));
  assert.deepEqual(
    s.backends.map((x) => x.name),
    ['a'],
  );
  assert.equal(s.certain, false);
  assert.ok(s.notes.some((n) => /creationTimestamp is missing/.test(n)));
});

test('routeGateway: a higher-ranked header/method/query match makes the answer uncertain', () => {
  const r = route(
    'r',
    [],
    [
      rule([prefix('/')], [backend('plain')]),
      rule([prefix('/', { headers: [{ type: 'Exact', name: 'version', value: 'two' }] })], [backend('v2')]),
    ],
  );
  const s = served(at([r], 'h.example.com', '/'));
  assert.deepEqual(
    s.backends.map((b) => b.name),
    ['plain'],
  );
  assert.equal(s.certain, false);
  assert.ok(
    s.notes.some((n) => /header version = two/.test(n)),
    s.notes.join('\n'),
  );
  // A conditional match that ranks lower (shorter prefix) leaves the answer certain.
  const lower = route(
    'r',
    [],
    [rule([prefix('/api')], [backend('api')]), rule([prefix('/', { method: 'POST' })], [backend('post')])],
  );
  const c = served(at([lower], 'h.example.com', '/api/x'));
  assert.equal(c.certain, true);
  assert.deepEqual(
    c.backends.map((b) => b.name),
    ['api'],
  );
  // Only conditional matches: the best one, uncertain.
  const only = route('o', [], [rule([prefix('/', { method: 'GET' })], [backend('get')])]);
  const o = served(at([only], 'h.example.com', '/'));
  assert.equal(o.certain, false);
  assert.ok(o.notes.some((n) => /served only given method GET/.test(n)));
});

test('routeGateway: a RegularExpression path is never guessed', () => {
  const r = route(
    'r',
    [],
    [
      rule([prefix('/')], [backend('plain')]),
      rule([{ path: { type: 'RegularExpression', value: '/a.*' } }], [backend('re')]),
    ],
  );
  const s = served(at([r], 'h.example.com', '/abc'));
  assert.deepEqual(
    s.backends.map((b) => b.name),
    ['plain'],
  );
  assert.equal(s.certain, false);
});

test('routeGateway: no matching rule or no route with the host → 404', () => {
  const r = simple('r', ['app.example.com'], '/api', 'api');
  const noPath = at([r], 'app.example.com', '/other');
  assert.equal(noPath.kind === 'stop' && noPath.status, 404);
  assert.match(noPath.kind === 'stop' ? noPath.reason : '', /no rule .* matches app\.example\.com\/other/);
  const noHost = at([r], 'other.example.com', '/api');
  assert.match(noHost.kind === 'stop' ? noHost.reason : '', /has host other\.example\.com/);
  const none = at([], 'app.example.com', '/');
  assert.match(none.kind === 'stop' ? none.reason : '', /no HTTPRoute is attached to listener http/);
  const rejected = simple('r', [], '/', 'a', {
    statusParents: [{ parentRef: { group: G, kind: 'Gateway', name: 'gw' }, accepted: { status: 'False' } }],
  });
  const rej = at([rejected], 'h', '/');
  assert.match(rej.kind === 'stop' ? rej.reason : '', /Accepted False/);
});

// ---------------------------------------------------------------------------------------------
// Routing: backends

test('routeGateway: weights default to 1, weight 0 gets no traffic but is listed', () => {
  const r = route(
    'r',
    [],
    [rule([prefix('/')], [backend('a', { weight: 3 }), backend('b'), backend('c', { weight: 0 })])],
  );
  const s = served(at([r], 'h', '/'));
  assert.deepEqual(
    s.backends.map((b) => [b.name, b.weight, b.refused]),
    [
      ['a', 3, undefined],
      ['b', 1, undefined],
      ['c', 0, undefined],
    ],
  );
  assert.equal(s.certain, true);
  const allZero = route('z', [], [rule([prefix('/')], [backend('a', { weight: 0 })])]);
  const z = at([allZero], 'h', '/');
  assert.equal(z.kind === 'stop' && z.status, 500);
});

test('routeGateway: cross-namespace backend needs a ReferenceGrant (present, absent, wrong name)', () => {
  const r = route('r', [], [rule([prefix('/')], [backend('db', { namespace: 'shared' }), backend('local')])]);
  const grant = (to: ReferenceGrantDef['to'], fromNs = 'infra'): ReferenceGrantDef => ({
    name: 'g',
    namespace: 'shared',
    from: [{ group: G, kind: 'HTTPRoute', namespace: fromNs }],
    to,
  });
  const allowed = served(at([r], 'h', '/', [grant([{ group: '', kind: 'Service' }])]));
  assert.equal(allowed.backends[0]!.refused, undefined);
  assert.deepEqual(allowed.notes, []);
  const named = served(at([r], 'h', '/', [grant([{ group: '', kind: 'Service', name: 'db' }])]));
  assert.equal(named.backends[0]!.refused, undefined);
  for (const grants of [
    [],
    [grant([{ group: '', kind: 'Service', name: 'other' }])],
    [grant([{ group: '', kind: 'Service' }], 'web')],
  ]) {
    const s = served(at([r], 'h', '/', grants));
    assert.match(s.backends[0]!.refused ?? '', /no ReferenceGrant in shared allows HTTPRoute from infra/);
    assert.equal(s.backends[1]!.refused, undefined);
    assert.ok(
      s.notes.some((n) => /50% of the traffic .* 500/.test(n)),
      s.notes.join('\n'),
    );
  }
  // A grant in the route's namespace does not count.
  const misplaced = { ...grant([{ group: '', kind: 'Service' }]), namespace: 'infra' };
  assert.ok(served(at([r], 'h', '/', [misplaced])).backends[0]!.refused);
});

test('routeGateway: every backendRef refused, or none at all → 500', () => {
  const r = route(
    'r',
    [],
    [
      rule(
        [prefix('/')],
        [backend('db', { namespace: 'shared' }), backend('b', { group: 'example.com', kind: 'Bucket' })],
      ),
    ],
  );
  const s = at([r], 'h', '/');
  assert.equal(s.kind === 'stop' && s.status, 500);
  assert.match(s.kind === 'stop' ? s.reason : '', /every backendRef .* refused.*ReferenceGrant.*not a Service/);
  const empty = route('e', [], [rule([exact('/x')], []), rule([prefix('/')], [backend('a')])]);
  const e = at([empty], 'h', '/x');
  assert.equal(e.kind === 'stop' && e.status, 500);
  assert.deepEqual(backendNames(at([empty], 'h', '/y')), ['a']);
  const redirect = route('rd', [], [{ matches: [prefix('/')], backendRefs: [], filters: ['RequestRedirect'] }]);
  const rd = served(at([redirect], 'h', '/'));
  assert.deepEqual(rd.backends, []);
  assert.ok(rd.notes.some((n) => /RequestRedirect/.test(n)));
});

test('routeGateway: a Service backendRef without port is refused; ResolvedRefs False in status is noted', () => {
  const r = route('r', [], [rule([prefix('/')], [backend('a', { port: undefined }), backend('b')])], {
    statusParents: [
      {
        parentRef: { group: G, kind: 'Gateway', name: 'gw' },
        accepted: { status: 'True' },
        resolvedRefs: { status: 'False', reason: 'BackendNotFound' },
      },
    ],
  });
  const s = served(at([r], 'h', '/'));
  assert.match(s.backends[0]!.refused ?? '', /has no port/);
  assert.ok(
    s.notes.some((n) => /ResolvedRefs False \(BackendNotFound\)/.test(n)),
    s.notes.join('\n'),
  );
});

test('routeGateway: a route whose attachment is unknown is not the certain answer; Accepted True settles it', () => {
  const sel = [
    listener('http', {
      allowedRoutes: { from: 'Selector', selector: { matchLabels: { team: 'a' }, matchExpressions: [] } },
    }),
  ];
  const ref = { group: G, kind: 'Gateway', name: 'gw', namespace: 'infra', sectionName: 'http' };
  const web = simple('w', [], '/', 'web', { namespace: 'web', parentRefs: [ref] });
  const unknown = served(routeGateway({ gateway: gw(sel), port: 80, routes: [web], grants: [] }, 'h', '/'));
  assert.equal(unknown.certain, false);
  assert.ok(
    unknown.notes.some((n) => /labels of web are not known/.test(n)),
    unknown.notes.join('\n'),
  );
  const accepted = { ...web, statusParents: [{ parentRef: ref, accepted: { status: 'True' } }] };
  const known = served(routeGateway({ gateway: gw(sel), port: 80, routes: [accepted], grants: [] }, 'h', '/'));
  assert.equal(known.certain, true);
  const labelled = routeGateway(
    { gateway: gw(sel), port: 80, routes: [web], grants: [], namespaceLabels: { web: { team: 'b' } } },
    'h',
    '/',
  );
  assert.equal(labelled.kind, 'stop');
});

// ---------------------------------------------------------------------------------------------
// The Gateway behind a Service

test('gatewayForService: GEP-1762, Envoy Gateway and Cilium labels', () => {
  const a = gw([], { name: 'a', namespace: 'web' });
  const b = gw([], { name: 'b', namespace: 'infra' });
  const gws = [a, b];
  assert.equal(
    gatewayForService(
      { namespace: 'web', name: 'a-nginx', labels: { 'gateway.networking.k8s.io/gateway-name': 'a' } },
      gws,
    ),
    a,
  );
  // The GEP-1762 label names a Gateway in the Service's own namespace.
  assert.equal(
    gatewayForService(
      { namespace: 'infra', name: 'x', labels: { 'gateway.networking.k8s.io/gateway-name': 'a' } },
      gws,
    ),
    undefined,
  );
  assert.equal(
    gatewayForService(
      {
        namespace: 'envoy-gateway-system',
        name: 'envoy-infra-b-1234',
        labels: {
          'gateway.envoyproxy.io/owning-gateway-name': 'b',
          'gateway.envoyproxy.io/owning-gateway-namespace': 'infra',
        },
      },
      gws,
    ),
    b,
  );
  assert.equal(
    gatewayForService(
      { namespace: 'web', name: 'cilium-gateway-a', labels: { 'io.cilium.gateway/owning-gateway': 'a' } },
      gws,
    ),
    a,
  );
  assert.equal(gatewayForService({ namespace: 'web', name: 'plain', labels: { app: 'a' } }, gws), undefined);
});
