// Tests for src/core/routing/ingress.ts: Ingress routing as the API specifies it (issue #17).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  defaultIngressClass,
  readIngressClass,
  hostMatches,
  pathMatches,
  readIngress,
  routeIngress,
  type IngressDef,
  type IngressPath,
  type IngressRule,
} from '../../../../src/core/routing/ingress';

function ing(name: string, rules: IngressRule[], extra: Partial<IngressDef> = {}): IngressDef {
  return { name, namespace: 'web', rules, tlsHosts: [], annotations: {}, ...extra };
}

function p(path: string, pathType: IngressPath['pathType'], service: string): IngressPath {
  return { path, pathType, backend: { service, port: { number: 80 } } };
}

test('readIngress: fields, namespace default, port number or name', () => {
  const def = readIngress({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'app' },
    spec: {
      ingressClassName: 'nginx',
      defaultBackend: { service: { name: 'fallback', port: { name: 'http' } } },
      tls: [{ hosts: ['a.example.com', 'b.example.com'], secretName: 's' }, { secretName: 'no-hosts' }],
      rules: [
        {
          host: '*.example.com',
          http: {
            paths: [
              { path: '/api', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 8080 } } } },
              { path: '/x', pathType: 'Exact', backend: { resource: { kind: 'Bucket', name: 'b' } } },
              {
                path: '/y',
                pathType: 'ImplementationSpecific',
                backend: { service: { name: 'y', port: { number: 1 } } },
              },
            ],
          },
        },
        { http: { paths: [] } },
      ],
    },
  });
  assert.deepEqual(def, {
    name: 'app',
    namespace: 'default',
    className: 'nginx',
    classFrom: 'field',
    tlsHosts: ['a.example.com', 'b.example.com'],
    annotations: {},
    defaultBackend: { service: 'fallback', port: { name: 'http' } },
    rules: [
      {
        host: '*.example.com',
        paths: [
          { path: '/api', pathType: 'Prefix', backend: { service: 'api', port: { number: 8080 } } },
          { path: '/x', pathType: 'Exact' },
          { path: '/y', pathType: 'ImplementationSpecific', backend: { service: 'y', port: { number: 1 } } },
        ],
      },
      { paths: [] },
    ],
  });
});

test('readIngress: legacy class annotation, explicit namespace, not an Ingress', () => {
  const def = readIngress({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'a', namespace: 'ns', annotations: { 'kubernetes.io/ingress.class': 'traefik' } },
    spec: {},
  });
  assert.deepEqual(def, {
    name: 'a',
    namespace: 'ns',
    className: 'traefik',
    classFrom: 'annotation',
    rules: [],
    tlsHosts: [],
    annotations: { 'kubernetes.io/ingress.class': 'traefik' },
  });
  assert.equal(readIngress({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' } }), undefined);
  assert.equal(readIngress({ apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'a' } }), undefined);
  assert.equal(readIngress('Ingress'), undefined);
});

test('readIngressClass and the default class the admission plugin gives', () => {
  const cls = (name: string, isDefault?: string): unknown => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: {
      name,
      ...(isDefault ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': isDefault } } : {}),
    },
    spec: { controller: 'k8s.io/ingress-nginx' },
  });
  const nginx = readIngressClass(cls('nginx', 'true'))!;
  assert.deepEqual(nginx, { name: 'nginx', controller: 'k8s.io/ingress-nginx', isDefault: true });
  const traefik = readIngressClass(cls('traefik', 'false'))!;
  assert.equal(traefik.isDefault, false);
  assert.equal(
    readIngressClass({ kind: 'IngressClass', apiVersion: 'networking.k8s.io/v1beta1', metadata: { name: 'x' } }),
    undefined,
  );
  assert.equal(defaultIngressClass([nginx, traefik]), 'nginx');
  assert.equal(defaultIngressClass([traefik]), undefined, 'no default');
  assert.equal(defaultIngressClass([nginx, { ...traefik, isDefault: true }]), undefined, 'two defaults: none is given');
});

test('hostMatches: exact and case-insensitive, port ignored', () => {
  assert.equal(hostMatches('app.example.com', 'app.example.com'), true);
  assert.equal(hostMatches('App.Example.com', 'APP.example.COM'), true);
  assert.equal(hostMatches('app.example.com', 'app.example.com:443'), true);
  assert.equal(hostMatches('app.example.com', 'other.example.com'), false);
  assert.equal(hostMatches('app.example.com', 'x.app.example.com'), false);
});

test('hostMatches: a wildcard matches exactly one label', () => {
  assert.equal(hostMatches('*.foo.com', 'bar.foo.com'), true);
  assert.equal(hostMatches('*.foo.com', 'BAR.Foo.com'), true);
  assert.equal(hostMatches('*.foo.com', 'baz.bar.foo.com'), false);
  assert.equal(hostMatches('*.foo.com', 'foo.com'), false);
  assert.equal(hostMatches('*.foo.com', 'barfoo.com'), false);
});

test('pathMatches: Exact is string equality', () => {
  assert.deepEqual(pathMatches('Exact', '/foo', '/foo'), { matches: true, exact: true });
  assert.deepEqual(pathMatches('Exact', '/foo', '/foo/'), { matches: false, exact: true });
  assert.deepEqual(pathMatches('Exact', '/foo', '/Foo'), { matches: false, exact: true });
});

test('pathMatches: Prefix is element-wise, trailing slash ignored', () => {
  for (const rule of ['/foo', '/foo/']) {
    for (const req of ['/foo', '/foo/', '/foo/bar']) {
      assert.deepEqual(pathMatches('Prefix', rule, req), { matches: true, exact: true }, `${rule} ${req}`);
    }
    assert.deepEqual(pathMatches('Prefix', rule, '/foobar'), { matches: false, exact: true }, rule);
  }
  assert.equal(pathMatches('Prefix', '/aaa/bb', '/aaa/bbb').matches, false);
  assert.equal(pathMatches('Prefix', '/', '/anything').matches, true);
});

test('pathMatches: ImplementationSpecific is Prefix, marked not exact', () => {
  assert.deepEqual(pathMatches('ImplementationSpecific', '/foo', '/foo/bar'), { matches: true, exact: false });
  assert.deepEqual(pathMatches('ImplementationSpecific', '/foo', '/foobar'), { matches: false, exact: false });
});

test('routeIngress: exact host wins over a wildcard', () => {
  const wild = ing('wild', [{ host: '*.example.com', paths: [p('/', 'Prefix', 'wild')] }]);
  const exact = ing('exact', [{ host: 'app.example.com', paths: [p('/', 'Prefix', 'exact')] }]);
  const r = routeIngress([wild, exact], 'app.example.com', '/x');
  assert.deepEqual(r, {
    kind: 'served',
    ingress: exact,
    ruleIndex: 0,
    pathIndex: 0,
    via: 'rule',
    backend: { service: 'exact', port: { number: 80 } },
    certain: true,
  });
  const w = routeIngress([wild, exact], 'other.example.com', '/x');
  assert.equal(w.kind === 'served' && w.backend.service, 'wild');
});

test('routeIngress: longest path wins, across Ingresses of the host', () => {
  const a = ing('a', [{ host: 'app.example.com', paths: [p('/', 'Prefix', 'root')] }]);
  const b = ing('b', [{ host: 'app.example.com', paths: [p('/api/v2', 'Prefix', 'v2'), p('/api', 'Prefix', 'api')] }]);
  const r = routeIngress([a, b], 'app.example.com', '/api/v2/users');
  assert.equal(r.kind, 'served');
  assert.ok(r.kind === 'served');
  assert.equal(r.ingress, b);
  assert.equal(r.pathIndex, 0);
  assert.equal(r.backend.service, 'v2');
  const root = routeIngress([a, b], 'app.example.com', '/apix');
  assert.equal(root.kind === 'served' && root.backend.service, 'root');
});

test('routeIngress: Exact over Prefix on equal length', () => {
  const a = ing('a', [{ host: 'h.example.com', paths: [p('/foo', 'Prefix', 'prefix'), p('/foo', 'Exact', 'exact')] }]);
  const r = routeIngress([a], 'h.example.com', '/foo');
  assert.equal(r.kind === 'served' && `${r.backend.service} ${r.pathIndex} ${r.certain}`, 'exact 1 true');
  const sub = routeIngress([a], 'h.example.com', '/foo/bar');
  assert.equal(sub.kind === 'served' && sub.backend.service, 'prefix');
});

test('routeIngress: ImplementationSpecific answers are not certain', () => {
  const a = ing('a', [{ host: 'h.example.com', paths: [p('/foo', 'ImplementationSpecific', 'is')] }]);
  const r = routeIngress([a], 'h.example.com', '/foo/bar');
  assert.equal(r.kind === 'served' && `${r.backend.service} ${r.certain}`, 'is false');
});

test('routeIngress: a matching rule wins over a defaultBackend, then the defaultBackend, then 404', () => {
  const withDefault = ing('d', [], {
    className: 'nginx',
    defaultBackend: { service: 'fallback', port: { number: 8080 } },
  });
  const rule = ing('r', [{ host: 'app.example.com', paths: [p('/', 'Prefix', 'app')] }], { className: 'nginx' });
  const served = routeIngress([withDefault, rule], 'app.example.com', '/', { className: 'nginx' });
  assert.equal(served.kind === 'served' && served.backend.service, 'app');
  const dflt = routeIngress([withDefault, rule], 'other.example.com', '/', { className: 'nginx' });
  assert.deepEqual(dflt, {
    kind: 'served',
    ingress: withDefault,
    ruleIndex: -1,
    pathIndex: -1,
    via: 'defaultBackend',
    backend: { service: 'fallback', port: { number: 8080 } },
    certain: true,
  });
  assert.deepEqual(routeIngress([rule], 'other.example.com', '/', { className: 'nginx' }), {
    kind: 'stop',
    reason: 'no Ingress of class nginx has host other.example.com: the controller answers 404',
  });
});

test('routeIngress: host present but no path matches', () => {
  const a = ing('a', [{ host: 'app.example.com', paths: [p('/api', 'Exact', 'api')] }], { className: 'nginx' });
  assert.deepEqual(routeIngress([a], 'app.example.com', '/web', { className: 'nginx' }), {
    kind: 'stop',
    reason: 'no path of an Ingress of class nginx for host app.example.com matches /web: the controller answers 404',
  });
});

test('routeIngress: other classes are ignored; class-less Ingresses only for the default class', () => {
  const traefik = ing('t', [{ host: 'app.example.com', paths: [p('/', 'Prefix', 'traefik')] }], {
    className: 'traefik',
  });
  const none = ing('n', [{ host: 'app.example.com', paths: [p('/', 'Prefix', 'classless')] }]);
  assert.equal(routeIngress([traefik, none], 'app.example.com', '/', { className: 'nginx' }).kind, 'stop');
  const byDefault = routeIngress([traefik, none], 'app.example.com', '/', {
    className: 'nginx',
    defaultClass: 'nginx',
  });
  assert.equal(byDefault.kind === 'served' && byDefault.backend.service, 'classless');
  const tr = routeIngress([none, traefik], 'app.example.com', '/', { className: 'traefik', defaultClass: 'nginx' });
  assert.equal(tr.kind === 'served' && tr.backend.service, 'traefik');
});

test('routeIngress: a rule without host serves every host, after exact and wildcard hosts', () => {
  const any = ing('any', [{ paths: [p('/', 'Prefix', 'any')] }]);
  const wild = ing('wild', [{ host: '*.example.com', paths: [p('/', 'Prefix', 'wild')] }]);
  const r1 = routeIngress([any, wild], 'a.example.com', '/');
  assert.equal(r1.kind === 'served' && r1.backend.service, 'wild');
  const r2 = routeIngress([any, wild], 'a.other.org', '/');
  assert.equal(r2.kind === 'served' && r2.backend.service, 'any');
});

test('routeIngress: falling through to a less specific host is not certain', () => {
  const exact = ing('exact', [{ host: 'app.example.com', paths: [p('/api', 'Prefix', 'api')] }]);
  const wild = ing('wild', [{ host: '*.example.com', paths: [p('/', 'Prefix', 'wild')] }]);
  const r = routeIngress([exact, wild], 'app.example.com', '/web');
  assert.equal(r.kind === 'served' && `${r.backend.service} ${r.certain}`, 'wild false');
});

test('routeIngress: a tie between different backends keeps input order, not certain', () => {
  const a = ing('a', [{ host: 'h.example.com', paths: [p('/', 'Prefix', 'first')] }]);
  const b = ing('b', [{ host: 'h.example.com', paths: [p('/', 'Prefix', 'second')] }]);
  const r = routeIngress([a, b], 'h.example.com', '/');
  assert.equal(r.kind === 'served' && `${r.backend.service} ${r.certain}`, 'first false');
});
