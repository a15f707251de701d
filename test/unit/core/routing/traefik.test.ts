// Tests for src/core/routing/traefik.ts: Traefik IngressRoute routing as Traefik's source implements it (issue #17).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  entryPointForPort,
  evaluateRule,
  parseRule,
  readIngressRoute,
  routeIngressRoutes,
  routingPath,
  ruleHosts,
  rulePriority,
  type IngressRouteDef,
  type IngressRouteRoute,
  type RuleAst,
  type RuleSyntax,
} from '../../../../src/core/routing/traefik';

function ast(rule: string, syntax: RuleSyntax = 'v3'): RuleAst {
  const r = parseRule(rule, syntax);
  assert.ok(r.ok, `${rule}: ${r.ok ? '' : r.error}`);
  return r.ast;
}

function evalRule(rule: string, host: string, path = '/', syntax: RuleSyntax = 'v3'): string {
  return evaluateRule(ast(rule, syntax), { host, path });
}

function shape(a: RuleAst): string {
  switch (a.type) {
    case 'matcher':
      return `${a.name}(${a.args.join(',')})`;
    case 'not':
      return `!${shape(a.operand)}`;
    default:
      return `${a.type}[${a.operands.map(shape).join(' ')}]`;
  }
}

function route(match: string, service: string, extra: Partial<IngressRouteRoute> = {}): IngressRouteRoute {
  return { match, services: [{ kind: 'Service', name: service, port: { number: 80 } }], ...extra };
}

function ir(name: string, routes: IngressRouteRoute[], extra: Partial<IngressRouteDef> = {}): IngressRouteDef {
  return { name, namespace: 'web', apiGroup: 'traefik.io', routes, tls: false, annotations: {}, ...extra };
}

test('readIngressRoute: both API groups, fields, port number or name', () => {
  const def = readIngressRoute({
    apiVersion: 'traefik.io/v1alpha1',
    kind: 'IngressRoute',
    metadata: { name: 'app', namespace: 'apps', annotations: { 'kubernetes.io/ingress.class': 'traefik', n: 1 } },
    spec: {
      entryPoints: ['websecure'],
      ingressClassName: 'traefik',
      tls: { certResolver: 'le' },
      routes: [
        {
          kind: 'Rule',
          match: 'Host(`app.example.com`)',
          priority: 10,
          services: [
            { name: 'app', port: 8080, weight: 3, scheme: 'h2c' },
            { kind: 'TraefikService', name: 'wrr', namespace: 'other' },
            { name: 'named', port: 'http' },
            { port: 80 },
          ],
        },
        'junk',
      ],
    },
  });
  assert.deepEqual(def, {
    name: 'app',
    namespace: 'apps',
    apiGroup: 'traefik.io',
    entryPoints: ['websecure'],
    ingressClassName: 'traefik',
    tls: true,
    annotations: { 'kubernetes.io/ingress.class': 'traefik' },
    routes: [
      {
        match: 'Host(`app.example.com`)',
        priority: 10,
        services: [
          { kind: 'Service', name: 'app', port: { number: 8080 }, weight: 3, scheme: 'h2c' },
          { kind: 'TraefikService', name: 'wrr', namespace: 'other' },
          { kind: 'Service', name: 'named', port: { name: 'http' } },
        ],
      },
    ],
  });
  const old = readIngressRoute({
    apiVersion: 'traefik.containo.us/v1alpha1',
    kind: 'IngressRoute',
    metadata: { name: 'legacy' },
    spec: { routes: [{ match: 'Host(`a`)', kind: 'Foo', services: [{ name: 's', kind: 'Weird' }] }] },
  });
  assert.deepEqual(old, {
    name: 'legacy',
    namespace: 'default',
    apiGroup: 'traefik.containo.us',
    tls: false,
    annotations: {},
    routes: [{ match: 'Host(`a`)', kind: 'Foo', services: [{ kind: 'Service', unsupportedKind: 'Weird', name: 's' }] }],
  });
  assert.equal(old?.entryPoints, undefined);
  assert.equal(
    readIngressRoute({ apiVersion: 'traefik.io/v1', kind: 'IngressRoute', metadata: { name: 'a' } }),
    undefined,
  );
  assert.equal(
    readIngressRoute({ apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', metadata: { name: 'a' } }),
    undefined,
  );
  assert.equal(readIngressRoute({ apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRoute', metadata: {} }), undefined);
  assert.equal(readIngressRoute(null), undefined);
  assert.deepEqual(
    readIngressRoute({ apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRoute', metadata: { name: 'bare' } }),
    { name: 'bare', namespace: 'default', apiGroup: 'traefik.io', routes: [], tls: false, annotations: {} },
  );
});

test('parseRule: && binds tighter than ||, parentheses, !', () => {
  assert.equal(shape(ast('Host(`a`) || Host(`b`) && PathPrefix(`/x`)')), 'or[Host(a) and[Host(b) PathPrefix(/x)]]');
  assert.equal(shape(ast('(Host(`a`) || Host(`b`)) && PathPrefix(`/x`)')), 'and[or[Host(a) Host(b)] PathPrefix(/x)]');
  assert.equal(shape(ast('!Host(`a`) && !(Path(`/a`) || Path(`/b`))')), 'and[!Host(a) !or[Path(/a) Path(/b)]]');
  assert.equal(shape(ast('Host(`a`) && Path(`/b`) && Method(`GET`)')), 'and[Host(a) Path(/b) Method(GET)]');
});

test('parseRule: Go string literals, name spellings, comments, trailing comma', () => {
  assert.deepEqual(ast('Host("a.example.com")'), {
    type: 'matcher',
    name: 'Host',
    args: ['a.example.com'],
    syntax: 'v3',
    offset: 0,
  });
  assert.equal(shape(ast('Host("a\\x2ecom")')), 'Host(a.com)');
  assert.equal(shape(ast('PathRegexp(`^/a\\d+$`)')), 'PathRegexp(^/a\\d+$)');
  assert.equal(shape(ast('host(`a`) && PATH(`/`) && Pathprefix(`/p`,)')), 'and[Host(a) Path(/) PathPrefix(/p)]');
  assert.equal(shape(ast('Host(`a`) /* why */ && Path(`/b`) // end')), 'and[Host(a) Path(/b)]');
  assert.equal(shape(ast('Host(`a`) &&\n  Path(`/b`)\n')), 'and[Host(a) Path(/b)]');
  assert.deepEqual(parseRule("Host('a.com')"), {
    ok: false,
    error: 'single quotes are not accepted: arguments are Go string literals, in backticks or double quotes',
    offset: 5,
  });
});

test('parseRule: errors with offsets', () => {
  const err = (rule: string, syntax: RuleSyntax = 'v3'): [string, number] => {
    const r = parseRule(rule, syntax);
    assert.equal(r.ok, false, rule);
    return r.ok ? ['', -1] : [r.error, r.offset];
  };
  assert.deepEqual(err('Host(`a`) && Hots(`b`)'), ['unsupported matcher Hots', 13]);
  assert.deepEqual(err('Host(`a`) && pathPrefix(`/b`)'), ['unsupported matcher pathPrefix', 13]);
  assert.deepEqual(err('Headers(`a`, `b`)'), ['unsupported matcher Headers in the v3 syntax', 0]);
  assert.deepEqual(err('Path(`/a`) || Host(`a`, `b`)'), [
    'Host: unexpected number of parameters; got 2, expected one of [1]',
    14,
  ]);
  assert.deepEqual(err('Header(`X-A`)'), ['Header: unexpected number of parameters; got 1, expected one of [2]', 0]);
  assert.deepEqual(err('Host()'), ['Host: no arguments', 0]);
  assert.deepEqual(err('Host(``)'), ['Host: empty argument', 0]);
  assert.deepEqual(err('PathPrefix(`api`)'), ['PathPrefix: path "api" does not start with a \'/\'', 0]);
  assert.deepEqual(err('HostRegexp(`(`)'), ['HostRegexp: error parsing regexp: missing closing ): `(`', 0]);
  assert.deepEqual(err('Host(`a`'), ["expected ',' or ')', found the end of the rule", 8]);
  assert.deepEqual(err('(Host(`a`)'), ["expected ')', found the end of the rule", 10]);
  assert.deepEqual(err('Host(`a`) & Path(`/`)'), ['unexpected "&"', 10]);
  assert.deepEqual(err('Host(`a`'.replace('`a`', '`a')), ['raw string literal not terminated', 5]);
  assert.deepEqual(err('Host("a\\q")'), ['unknown escape sequence', 7]);
  assert.deepEqual(err('Host(`a`) Path(`/`)'), ['expected the end of the rule, found name Path', 10]);
  assert.deepEqual(err('Host(`a`)\n&& Path(`/`)'), [
    "the rule ends at this newline (Go ends an expression at a line ending in ')'): put && or || at the end of the line",
    9,
  ]);
  assert.deepEqual(err('ClientIP(`10.0.0.0/33`)'), ['ClientIP: invalid IP or CIDR "10.0.0.0/33"', 0]);
  assert.deepEqual(err('Host(`a`) || '), ['expected a matcher call, found the end of the rule', 13]);
  assert.deepEqual(err('Host(`ä.com`)'), ['Host: non-ASCII characters are not allowed', 0]);
  assert.deepEqual(err('Host(1)'), ['numbers are not accepted as arguments: use a string', 5]);
  const deep = '('.repeat(150) + 'Host(`a`)' + ')'.repeat(150);
  assert.deepEqual(err(deep), ['nesting deeper than 100 (a limit of this model, not of Traefik)', 100]);
  assert.equal(parseRule('('.repeat(100) + 'Host(`a`)' + ')'.repeat(100)).ok, true);
  assert.equal(err('x'.repeat(70000))[0], 'rule longer than 65536 characters (a limit of this model, not of Traefik)');
});

test('parseRule v2: several arguments ORed, v2-only matchers, placeholders', () => {
  assert.equal(
    shape(ast('Host(`a.com`, `b.com`) && PathPrefix(`/a`, `/b`)', 'v2')),
    'and[Host(a.com,b.com) PathPrefix(/a,/b)]',
  );
  assert.equal(
    shape(ast('HostHeader(`a`) || Headers(`k`, `v`) || Query(`k=v`)', 'v2')),
    'or[HostHeader(a) Headers(k,v) Query(k=v)]',
  );
  assert.equal(shape(ast('HostRegexp(`{sub:[a-z]+}.example.com`)', 'v2')), 'HostRegexp({sub:[a-z]+}.example.com)');
  const bad = parseRule('HostRegexp(`{sub:[a-z]+.example.com`)', 'v2');
  assert.deepEqual(bad, {
    ok: false,
    error: 'HostRegexp: mux: unbalanced braces in "{sub:[a-z]+.example.com"',
    offset: 0,
  });
  assert.deepEqual(parseRule('Headers(`k`)', 'v2'), {
    ok: false,
    error: 'Headers: mux: number of parameters must be multiple of 2, got 1',
    offset: 0,
  });
  assert.deepEqual(parseRule('PathRegexp(`/a`)', 'v2'), {
    ok: false,
    error: 'unsupported matcher PathRegexp in the v2 syntax',
    offset: 0,
  });
  assert.equal(parseRule("Host('a')", 'v2').ok, false);
});

test('evaluateRule: Host is case-insensitive, ignores the port, * and one-label wildcards', () => {
  assert.equal(evalRule('Host(`App.Example.com`)', 'app.EXAMPLE.com:443'), 'match');
  assert.equal(evalRule('Host(`app.example.com`)', 'app.example.com.'), 'match');
  assert.equal(evalRule('Host(`app.example.com`)', 'api.example.com'), 'no-match');
  assert.equal(evalRule('Host(`*.example.com`)', 'a.example.com'), 'match');
  assert.equal(evalRule('Host(`*.example.com`)', 'a.b.example.com'), 'no-match');
  assert.equal(evalRule('Host(`*.example.com`)', 'example.com'), 'no-match');
  assert.equal(evalRule('Host(`*`)', 'anything.test'), 'match');
  assert.equal(evalRule('Host(`*`)', ''), 'match');
  assert.equal(evalRule('Host(`a.example.com`)', ''), 'no-match');
  // v2 has no wildcard: the value is compared as written
  assert.equal(evalRule('Host(`*.example.com`, `b.com`)', 'a.example.com', '/', 'v2'), 'no-match');
  assert.equal(evalRule('Host(`*.example.com`, `b.com`)', 'B.com', '/', 'v2'), 'match');
});

test('evaluateRule: HostRegexp with Go RE2, unanchored, on the lower-cased host', () => {
  assert.equal(evalRule('HostRegexp(`^.+\\.example\\.com$`)', 'a.b.example.com'), 'match');
  assert.equal(evalRule('HostRegexp(`^.+\\.example\\.com$`)', 'example.com'), 'no-match');
  assert.equal(evalRule('HostRegexp(`example`)', 'www.EXAMPLE.org'), 'match');
  assert.equal(evalRule('HostRegexp(`^[a-z]+\\.traefik\\.com$`)', 'Foobar.traefik.com'), 'match');
  // Go's RE2 syntax, not JavaScript's: \pL is a Unicode class, (?P<n>) a named group
  assert.equal(evalRule('HostRegexp(`^(?P<sub>\\pL+)\\.example\\.com$`)', 'abc.example.com'), 'match');
  // Traefik also tries the CNAME-flattened host, '' when flattening is off: `^$` matches every host
  assert.equal(evalRule('HostRegexp(`^$`)', 'a.example.com'), 'match');
  // v2 placeholders: anchored, case-insensitive, default [^.]+
  assert.equal(evalRule('HostRegexp(`{sub:[a-z]+}.example.com`)', 'FOO.example.com', '/', 'v2'), 'match');
  assert.equal(evalRule('HostRegexp(`{sub:[a-z]+}.example.com`)', 'a.b.example.com', '/', 'v2'), 'no-match');
  assert.equal(evalRule('HostRegexp(`{sub}.example.com`, `x.org`)', 'x.org', '/', 'v2'), 'match');
  assert.equal(evalRule('HostRegexp(`{sub}.example.com`)', 'example.com', '/', 'v2'), 'no-match');
});

test('evaluateRule: Path exact, PathPrefix character-wise, PathRegexp, routing path', () => {
  assert.equal(evalRule('PathPrefix(`/x`)', 'h', '/x-y'), 'match');
  assert.equal(evalRule('PathPrefix(`/x/`)', 'h', '/x'), 'no-match');
  assert.equal(evalRule('Path(`/x`)', 'h', '/x'), 'match');
  assert.equal(evalRule('Path(`/x`)', 'h', '/x/'), 'no-match');
  assert.equal(evalRule('Path(`/x`)', 'h', '/x?q=1'), 'match');
  assert.equal(evalRule('Path(`/`)', 'h', ''), 'match');
  assert.equal(evalRule('PathRegexp(`\\.php$`)', 'h', '/a/index.php'), 'match');
  assert.equal(evalRule('PathRegexp(`^/api/v[0-9]+`)', 'h', '/v1/api'), 'no-match');
  assert.equal(evalRule('Path(`/foo bar`)', 'h', '/foo%20bar'), 'match');
  assert.equal(routingPath('/a%2Fb%20c%2fd%C3%A9'), '/a%2Fb c/dé');
  // v2 path templates
  assert.equal(evalRule('Path(`/users/{id:[0-9]+}`)', 'h', '/users/42', 'v2'), 'match');
  assert.equal(evalRule('Path(`/users/{id:[0-9]+}`)', 'h', '/users/42/x', 'v2'), 'no-match');
  assert.equal(evalRule('PathPrefix(`/a`, `/users/{id}`)', 'h', '/users/42/x', 'v2'), 'match');
  assert.equal(evalRule('PathPrefix(`/a.b`)', 'h', '/aXb', 'v2'), 'no-match');
});

test('evaluateRule: what host and path cannot decide is unknown, through !, && and || (Kleene)', () => {
  assert.equal(evalRule('Header(`X-A`, `1`)', 'h'), 'unknown');
  assert.equal(evalRule('!Method(`GET`)', 'h'), 'unknown');
  assert.equal(evalRule('Host(`h`) && Query(`debug`)', 'h'), 'unknown');
  assert.equal(evalRule('Host(`other`) && Query(`debug`)', 'h'), 'no-match');
  assert.equal(evalRule('Host(`h`) || ClientIP(`10.0.0.0/8`)', 'h'), 'match');
  assert.equal(evalRule('Host(`other`) || ClientIP(`10.0.0.0/8`)', 'h'), 'unknown');
  assert.equal(evalRule('!(Host(`other`) || HeaderRegexp(`a`, `b`))', 'h'), 'unknown');
  assert.equal(evalRule('!(Host(`h`) || HeaderRegexp(`a`, `b`))', 'h'), 'no-match');
  assert.equal(evalRule('!Host(`other`)', 'h'), 'match');
  assert.equal(evalRule('Headers(`k`, `v`)', 'h', '/', 'v2'), 'unknown');
});

test('ruleHosts: literal hosts, lower-cased, not those under !', () => {
  assert.deepEqual(ruleHosts(ast('(Host(`A.com`) || Host(`b.com`)) && !Host(`c.com`) && PathPrefix(`/`)')), [
    'a.com',
    'b.com',
  ]);
  assert.deepEqual(ruleHosts(ast('Host(`a.com`, `b.com`) || HostHeader(`a.com`)', 'v2')), ['a.com', 'b.com']);
  assert.deepEqual(ruleHosts(ast('!!Host(`d.com`) || HostRegexp(`x`)')), ['d.com']);
});

test('rulePriority: the rule length in bytes', () => {
  assert.equal(rulePriority('HostRegexp(`[a-z]+\\.traefik\\.com`)'), 34);
  assert.equal(rulePriority('Host(`foobar.traefik.com`)'), 26);
  assert.equal(rulePriority('Path(`/é`)'), 11);
});

test('routeIngressRoutes: the longest rule wins unless priority is set', () => {
  const defs = [
    ir('regexp', [route('HostRegexp(`[a-z]+\\.traefik\\.com`)', 'catchall')]),
    ir('exact', [route('Host(`foobar.traefik.com`)', 'foobar')]),
  ];
  const r = routeIngressRoutes(defs, 'foobar.traefik.com', '/');
  assert.equal(r.kind, 'served');
  assert.equal(r.kind === 'served' && r.route.name, 'regexp');
  assert.equal(r.kind === 'served' && r.priority, 34);
  assert.equal(r.kind === 'served' && r.certain, true);
  defs[1]!.routes[0]!.priority = 100;
  const p = routeIngressRoutes(defs, 'foobar.traefik.com', '/');
  assert.deepEqual(p.kind === 'served' && [p.route.name, p.priority, p.backends], [
    'exact',
    100,
    [{ kind: 'Service', namespace: 'web', name: 'foobar', port: { number: 80 } }],
  ]);
  // priority 0 means the length; negative priorities are allowed
  defs[1]!.routes[0]!.priority = 0;
  defs[0]!.routes[0]!.priority = -1;
  const z = routeIngressRoutes(defs, 'foobar.traefik.com', '/');
  assert.deepEqual(z.kind === 'served' && [z.route.name, z.priority], ['exact', 26]);
});

test('routeIngressRoutes: path prefixes by length, routeIndex', () => {
  const defs = [
    ir('app', [route('Host(`a.example.com`)', 'front'), route('Host(`a.example.com`) && PathPrefix(`/api`)', 'api')]),
  ];
  const api = routeIngressRoutes(defs, 'a.example.com', '/api-docs');
  assert.deepEqual(api.kind === 'served' && [api.routeIndex, api.backends[0]!.name], [1, 'api']);
  const front = routeIngressRoutes(defs, 'a.example.com', '/ap');
  assert.deepEqual(front.kind === 'served' && [front.routeIndex, front.backends[0]!.name], [0, 'front']);
});

test('routeIngressRoutes: entry points, default entry points, tls', () => {
  const defs = [
    ir('secure', [route('Host(`a.example.com`)', 'secure')], { entryPoints: ['websecure'] }),
    ir('plain', [route('Host(`a.example.com`) && Path(`/p`)', 'plain')], { entryPoints: ['web'] }),
    ir('default', [route('Host(`a.example.com`)', 'default')]),
  ];
  const web = routeIngressRoutes(defs, 'a.example.com', '/', { entryPoint: 'web' });
  assert.equal(web.kind === 'served' && web.route.name, 'default');
  assert.ok(web.kind === 'served' && web.notes.some((n) => n.includes('sets no entryPoints')));
  const webOnlyDefaultsSecure = routeIngressRoutes(defs, 'a.example.com', '/', {
    entryPoint: 'web',
    defaultEntryPoints: ['websecure'],
  });
  assert.equal(webOnlyDefaultsSecure.kind, 'stop');
  assert.ok(
    webOnlyDefaultsSecure.kind === 'stop' &&
      webOnlyDefaultsSecure.notes.includes(
        'IngressRoute web/secure would match but is on entry point websecure, not web',
      ),
  );
  const secure = routeIngressRoutes(defs, 'a.example.com', '/', { entryPoint: 'websecure' });
  // both 'secure' and 'default' have the same rule and priority but different backends
  assert.equal(secure.kind === 'served' && secure.route.name, 'secure');
  assert.equal(secure.kind === 'served' && secure.certain, false);
  // a tie between routes with the same backends changes nothing
  const same = routeIngressRoutes(
    [ir('one', [route('Host(`a.example.com`)', 'svc')]), ir('two', [route('Host(`a.example.com`)', 'svc')])],
    'a.example.com',
    '/',
  );
  assert.deepEqual(same.kind === 'served' && [same.route.name, same.certain, same.notes], ['one', true, []]);
  const all = routeIngressRoutes(defs, 'a.example.com', '/p');
  assert.equal(all.kind === 'served' && all.route.name, 'plain');
  const tlsDefs = [ir('t', [route('Host(`a.example.com`)', 't')], { tls: true })];
  const plainConn = routeIngressRoutes(tlsDefs, 'a.example.com', '/', { tls: false });
  assert.equal(plainConn.kind, 'stop');
  assert.deepEqual(plainConn.kind === 'stop' && plainConn.notes, [
    'IngressRoute web/t would match but has tls, so it serves TLS connections only and this one is plain HTTP',
  ]);
  assert.equal(routeIngressRoutes(tlsDefs, 'a.example.com', '/', { tls: true }).kind, 'served');
});

test('routeIngressRoutes: cross-namespace services are refused and the route is not built', () => {
  const cross: IngressRouteRoute = {
    match: 'Host(`a.example.com`) && PathPrefix(`/x`)',
    services: [{ kind: 'Service', name: 'svc', namespace: 'backend', port: { number: 80 } }],
  };
  const defs = [ir('cross', [cross]), ir('fallback', [route('Host(`a.example.com`)', 'fallback')])];
  const r = routeIngressRoutes(defs, 'a.example.com', '/x');
  assert.equal(r.kind === 'served' && r.route.name, 'fallback');
  assert.deepEqual(r.kind === 'served' && r.notes, [
    "IngressRoute web/cross route 1 would match but Traefik builds no router for it: service backend/svc not in the parent resource namespace web (the CRD provider's allowCrossNamespace is false)",
  ]);
  const allowed = routeIngressRoutes(defs, 'a.example.com', '/x', { allowCrossNamespace: true });
  assert.deepEqual(allowed.kind === 'served' && allowed.backends, [
    { kind: 'Service', namespace: 'backend', name: 'svc', port: { number: 80 } },
  ]);
});

test('routeIngressRoutes: 404, unparseable rules, class, legacy group', () => {
  const stop = routeIngressRoutes([ir('a', [route('Host(`a.example.com`)', 'a')])], 'b.example.com', '/x', {
    entryPoint: 'web',
  });
  assert.deepEqual(stop, {
    kind: 'stop',
    status: 404,
    reason: 'no IngressRoute on entry point web matches host b.example.com and path /x: Traefik answers 404',
    notes: [],
  });
  const bad = routeIngressRoutes(
    [ir('bad', [route("Host('b.example.com')", 'x')]), ir('ok', [route('HostRegexp(`example`)', 'ok')])],
    'b.example.com',
    '/',
  );
  assert.equal(bad.kind === 'served' && bad.route.name, 'ok');
  assert.ok(
    bad.kind === 'served' &&
      bad.notes[0]!.startsWith('IngressRoute web/bad route 1 is skipped: its rule does not parse'),
  );
  const classed = [ir('other', [route('Host(`a`)', 'x')], { ingressClassName: 'internal' })];
  assert.equal(routeIngressRoutes(classed, 'a', '/').kind, 'stop');
  assert.equal(routeIngressRoutes(classed, 'a', '/', { ingressClass: 'internal' }).kind, 'served');
  const byAnnotation = [
    ir('t', [route('Host(`a`)', 'x')], { annotations: { 'kubernetes.io/ingress.class': 'traefik' } }),
  ];
  assert.equal(routeIngressRoutes(byAnnotation, 'a', '/').kind, 'served');
  const legacy = [ir('old', [route('Host(`a`)', 'x')], { apiGroup: 'traefik.containo.us' })];
  assert.equal(routeIngressRoutes(legacy, 'a', '/', { traefikVersion: 3 }).kind, 'stop');
  const maybe = routeIngressRoutes(legacy, 'a', '/');
  assert.equal(maybe.kind === 'served' && maybe.certain, false);
  assert.equal(routeIngressRoutes(legacy, 'a', '/', { traefikVersion: 2 }).kind === 'served', true);
  // the route's own syntax overrides the default
  const v2 = [ir('v2', [route('Host(`a`, `b`)', 'x', { syntax: 'v2' })])];
  assert.equal(routeIngressRoutes(v2, 'b', '/').kind, 'served');
});

test('routeIngressRoutes: unknown conditions make the answer uncertain', () => {
  const defs = [
    ir('header', [route('Host(`a.example.com`) && Header(`X-Canary`, `1`)', 'canary')]),
    ir('plain', [route('Host(`a.example.com`)', 'stable')]),
  ];
  const r = routeIngressRoutes(defs, 'a.example.com', '/');
  assert.equal(r.kind === 'served' && r.route.name, 'plain');
  assert.equal(r.kind === 'served' && r.certain, false);
  assert.deepEqual(r.kind === 'served' && r.notes, [
    'IngressRoute web/header route 1 (priority 48) takes the request instead if its Header condition holds',
  ]);
  // a higher-priority route that certainly matches makes lower unknowns irrelevant
  defs[1]!.routes[0]!.priority = 1000;
  const sure = routeIngressRoutes(defs, 'a.example.com', '/');
  assert.deepEqual(sure.kind === 'served' && [sure.route.name, sure.certain, sure.notes], ['plain', true, []]);
  // only an unknown route: given, uncertain
  const only = routeIngressRoutes([defs[0]!], 'a.example.com', '/');
  assert.deepEqual(only.kind === 'served' && [only.route.name, only.certain], ['header', false]);
  assert.deepEqual(only.kind === 'served' && only.notes, [
    'no router certainly matches; IngressRoute web/header route 1 matches if its Header condition holds, otherwise 404',
  ]);
});

test('entryPointForPort: the Helm chart convention', () => {
  assert.equal(entryPointForPort({ port: 80, name: 'web', targetPort: 'web' }), 'web');
  assert.equal(entryPointForPort({ port: 443, name: 'websecure', targetPort: 'websecure' }), 'websecure');
  assert.equal(entryPointForPort({ port: 80, name: 'http', targetPort: 8000 }), 'web');
  assert.equal(entryPointForPort({ port: 443, targetPort: 8443 }), 'websecure');
  assert.equal(entryPointForPort({ port: 80, name: 'http', targetPort: 80 }), undefined);
  assert.equal(entryPointForPort({ port: 9000 }), undefined);
});

test('parseRule never throws and stays fast on hostile input', () => {
  const alphabet = fc.constantFrom(
    'Host',
    'PathPrefix',
    'HostRegexp',
    '(',
    ')',
    '!',
    '&&',
    '||',
    ',',
    '`',
    '"',
    "'",
    '\\',
    '`a`',
    '"/x"',
    '\n',
    ' ',
    '/*',
    '*/',
    '//',
    '...',
    '{',
    '}',
    'x',
    '1',
  );
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ maxLength: 300 }),
        fc.array(alphabet, { maxLength: 200 }).map((a) => a.join('')),
      ),
      fc.constantFrom<RuleSyntax>('v3', 'v2'),
      (rule, syntax) => {
        const r = parseRule(rule, syntax);
        assert.equal(typeof r.ok, 'boolean');
        if (r.ok) assert.notEqual(evaluateRule(r.ast, { host: 'a.example.com', path: '/x' }), undefined);
        else assert.ok(r.offset >= 0 && r.offset <= rule.length);
      },
    ),
    { numRuns: 2000 },
  );
  const hostile = [
    '('.repeat(60000),
    '!'.repeat(60000),
    'Host(`a`) || '.repeat(5000) + 'Host(`b`)',
    '`'.repeat(60000),
    'HostRegexp(`' + '(a*)*'.repeat(2000) + '`)',
  ];
  for (const rule of hostile) {
    const start = performance.now();
    const r = parseRule(rule);
    if (r.ok) evaluateRule(r.ast, { host: 'a'.repeat(1000), path: '/' });
    assert.ok(performance.now() - start < 1000, `${rule.slice(0, 20)}… took too long`);
  }
  const chain = parseRule('Host(`a`) || '.repeat(5000) + 'Host(`b`)');
  assert.equal(chain.ok && chain.ast.type === 'or' && chain.ast.operands.length, 5001);
});
