/**
 * The Services tree through ingress controllers (issue #17): a rule to a controller's Service is
 * followed by the trace to the backend Services, which show the hostnames with the routing object
 * between; the controller's Service says they are routed onward, or that it has no route (404/503).
 * Wildcards and catch-alls expand to the routing objects' hosts they cover; an earlier rule of the
 * tunnel takes its hosts first; the tree and `traceUrl` agree.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cloudflaredMatcher,
  controllerRouting,
  hostnameTraceTunnels,
  literalRulePath,
  routingObjectHosts,
} from '../../../../src/core/kubernetes/controllerRouting';
import { buildServicesTree } from '../../../../src/core/kubernetes/servicesTree';
import type {
  ContextNode,
  HostnameRuleInput,
  ServiceNode,
  TreeServiceInput,
} from '../../../../src/core/kubernetes/servicesTree';
import { addRoutingObject, emptyRoutingObjects } from '../../../../src/core/routing/objects';
import type { RoutingObjects } from '../../../../src/core/routing/objects';
import { traceUrl } from '../../../../src/core/routing/trace';

const PROD = '6ff42ae2-765d-4adf-8112-31c55c1551ef';
const NGINX = 'http://ingress-nginx-controller.ingress-nginx.svc.cluster.local:80';
const TRAEFIK = 'http://traefik.kube-system.svc.cluster.local:80';

const SERVICES: Array<TreeServiceInput & { labels?: Record<string, string>; selector?: Record<string, string> }> = [
  {
    namespace: 'ingress-nginx',
    name: 'ingress-nginx-controller',
    clusterIP: '10.96.0.50',
    labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
    selector: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
    ports: [
      { name: 'http', port: 80, targetPort: 'http' },
      { name: 'https', port: 443, targetPort: 'https' },
    ],
  },
  {
    namespace: 'kube-system',
    name: 'traefik',
    clusterIP: '10.96.0.60',
    labels: { 'app.kubernetes.io/name': 'traefik' },
    selector: { 'app.kubernetes.io/name': 'traefik' },
    ports: [{ name: 'web', port: 80, targetPort: 'web' }],
  },
  { namespace: 'default', name: 'shop', clusterIP: '10.96.1.1', selector: { app: 'shop' }, ports: [{ port: 80 }] },
  { namespace: 'default', name: 'web', clusterIP: '10.96.1.2', selector: { app: 'web' }, ports: [{ port: 80 }] },
  { namespace: 'default', name: 'whoami', clusterIP: '10.96.1.3', selector: { app: 'whoami' }, ports: [{ port: 80 }] },
];

function ingress(name: string, host: string, service: string, port = 80): unknown {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'default' },
    spec: {
      ingressClassName: 'nginx',
      rules: [
        {
          host,
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port: { number: port } } } }],
          },
        },
      ],
    },
  };
}

function objects(): RoutingObjects {
  const out = emptyRoutingObjects('cluster');
  for (const s of SERVICES) {
    addRoutingObject(
      out,
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: s.name, namespace: s.namespace, labels: s.labels ?? {} },
        spec: { selector: s.selector, clusterIP: s.clusterIP, ports: s.ports },
      },
      { object: { apiVersion: 'v1', kind: 'Service', namespace: s.namespace, name: s.name } },
    );
  }
  const add = (obj: unknown, kind: string, name: string, apiVersion: string): void => {
    addRoutingObject(out, obj, { object: { apiVersion, kind, namespace: 'default', name } });
  };
  add(
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'nginx', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
      spec: { controller: 'k8s.io/ingress-nginx' },
    },
    'IngressClass',
    'nginx',
    'networking.k8s.io/v1',
  );
  add(ingress('shop', 'shop.example.com', 'shop'), 'Ingress', 'shop', 'networking.k8s.io/v1');
  add(ingress('docs', 'docs.example.com', 'docs-missing'), 'Ingress', 'docs', 'networking.k8s.io/v1');
  add(
    {
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'IngressRoute',
      metadata: { name: 'whoami', namespace: 'default' },
      spec: {
        entryPoints: ['web'],
        routes: [
          {
            kind: 'Rule',
            match: 'Host(`whoami.example.dev`) && PathPrefix(`/`)',
            services: [{ name: 'whoami', port: 80 }],
          },
        ],
      },
    },
    'IngressRoute',
    'whoami',
    'traefik.io/v1alpha1',
  );
  return out;
}

function remote(hostname: string | undefined, service: string, path?: string): HostnameRuleInput {
  return {
    service,
    source: 'remote',
    tunnelId: PROD,
    tunnelName: 'prod-k8s',
    ...(hostname ? { hostname } : {}),
    ...(path ? { path } : {}),
  };
}

function tree(rules: HostnameRuleInput[], routing = true): ContextNode {
  const objs = objects();
  return buildServicesTree({
    context: { name: 'homelab' },
    services: SERVICES,
    rules,
    ...(routing ? { routing: controllerRouting({ objects: objs, rules }) } : {}),
  });
}

function service(t: ContextNode, ns: string, name: string): ServiceNode {
  const s = t.namespaces.find((n) => n.name === ns)?.services.find((x) => x.name === name);
  assert.ok(s, `Service ${ns}/${name} in the tree`);
  return s;
}

describe('Services tree through ingress controllers', () => {
  it('a Service reached through ingress-nginx shows the hostname with the Ingress between', () => {
    const t = tree([remote('shop.example.com', NGINX), remote(undefined, 'http_status:404')]);
    const shop = service(t, 'default', 'shop');
    assert.equal(shop.hostnames.length, 1);
    const h = shop.hostnames[0]!;
    assert.equal(h.hostname, 'shop.example.com');
    assert.deepEqual(h.via, {
      kind: 'Ingress',
      namespace: 'default',
      name: 'shop',
      object: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespace: 'default', name: 'shop' },
    });
    assert.deepEqual(h.controller, {
      namespace: 'ingress-nginx',
      name: 'ingress-nginx-controller',
      kind: 'ingress-nginx',
    });
    assert.equal(h.port, 80);
    assert.match(
      h.description,
      /^via Ingress default\/shop · ingress-nginx ingress-nginx\/ingress-nginx-controller · remote config · tunnel prod-k8s/,
    );
    assert.deepEqual(shop.exposure[0]?.hostnames, ['shop.example.com']);
    assert.match(shop.description, /1 hostname/);

    // The controller keeps the hostname, saying it is routed onward.
    const ctl = service(t, 'ingress-nginx', 'ingress-nginx-controller');
    assert.equal(ctl.hostnames.length, 1);
    assert.match(
      ctl.hostnames[0]!.description,
      /^routed onward by ingress-nginx via Ingress default\/shop → Service default\/shop · remote config/,
    );
    assert.equal(ctl.hostnames[0]!.routed?.[0]?.servedBy?.name, 'shop');
  });

  it('a hostname the controller has no route for says so on the controller (404), a missing backend 503', () => {
    const t = tree([
      remote('wiki.example.com', NGINX),
      remote('docs.example.com', NGINX),
      remote(undefined, 'http_status:404'),
    ]);
    const ctl = service(t, 'ingress-nginx', 'ingress-nginx-controller');
    const wiki = ctl.hostnames.find((h) => h.hostname === 'wiki.example.com')!;
    assert.match(wiki.description, /^no route: 404 · remote config/);
    assert.equal(wiki.noRoute?.status, 404);
    const docs = ctl.hostnames.find((h) => h.hostname === 'docs.example.com')!;
    assert.match(docs.description, /^no route: 503 \(Ingress default\/docs\)/);
    assert.match(docs.noRoute!.reason, /docs-missing does not exist/);
  });

  it('a wildcard rule expands to the Ingress hosts it covers; the ones without route show on the controller', () => {
    const t = tree([remote('*.example.com', NGINX), remote(undefined, 'http_status:404')]);
    const shop = service(t, 'default', 'shop');
    assert.deepEqual(
      shop.hostnames.map((h) => [h.hostname, h.via?.name]),
      [['shop.example.com', 'shop']],
    );
    const ctl = service(t, 'ingress-nginx', 'ingress-nginx-controller');
    const wildcard = ctl.hostnames.find((h) => h.hostname === '*.example.com')!;
    assert.match(
      wildcard.description,
      /^routed onward by ingress-nginx: 1 hostname, 1 without a route · remote config/,
    );
    const docs = ctl.hostnames.find((h) => h.hostname === 'docs.example.com')!;
    assert.match(docs.description, /^no route: 503 \(Ingress default\/docs\) · ingress-nginx, rule \*\.example\.com/);
    // whoami.example.dev is not under *.example.com.
    assert.equal(service(t, 'default', 'whoami').hostnames.length, 0);
  });

  it('an earlier rule of the tunnel takes its hostname first (cloudflared’s order)', () => {
    const t = tree([
      remote('shop.example.com', 'http://web.default.svc.cluster.local:80'),
      remote('*.example.com', NGINX),
      remote(undefined, 'http_status:404'),
    ]);
    assert.equal(service(t, 'default', 'shop').hostnames.length, 0);
    assert.deepEqual(
      service(t, 'default', 'web').hostnames.map((h) => h.hostname),
      ['shop.example.com'],
    );
  });

  it('a hostname is followed as arriving at the rule’s own tunnel: another tunnel’s wildcard does not take it', () => {
    const workspace: HostnameRuleInput = {
      hostname: '*.example.com',
      service: 'http://web.default.svc.cluster.local:80',
      source: 'workspace',
      file: '/w/config.yaml',
      line: 9,
    };
    const t = tree([workspace, remote('shop.example.com', NGINX), remote(undefined, 'http_status:404')]);
    assert.deepEqual(
      service(t, 'default', 'shop').hostnames.map((h) => [h.hostname, h.via?.name]),
      [['shop.example.com', 'shop']],
    );
  });

  it('a catch-all to Traefik expands to IngressRoute Host(...) values', () => {
    const t = tree([remote('app.example.com', 'http://web.default.svc.cluster.local:80'), remote(undefined, TRAEFIK)]);
    const whoami = service(t, 'default', 'whoami');
    assert.deepEqual(
      whoami.hostnames.map((h) => [h.hostname, h.via?.kind, h.via?.name]),
      [['whoami.example.dev', 'IngressRoute', 'whoami']],
    );
    // The nginx Ingresses' hosts reach Traefik too through the catch-all, and it has no route for them.
    const traefik = service(t, 'kube-system', 'traefik');
    const catchAll = traefik.hostnames.find((h) => h.hostname === undefined)!;
    assert.match(catchAll.description, /^routed onward by traefik: 1 hostname, 2 without a route/);
    assert.deepEqual(
      traefik.hostnames.filter((h) => h.noRoute).map((h) => [h.hostname, h.noRoute!.status]),
      [
        ['docs.example.com', 404],
        ['shop.example.com', 404],
      ],
    );
  });

  it('the tree and the trace agree on every routed hostname', () => {
    const rules = [
      remote('app.example.com', 'http://web.default.svc.cluster.local:80'),
      remote('*.example.com', NGINX),
      remote(undefined, TRAEFIK),
    ];
    const objs = objects();
    const t = buildServicesTree({
      context: { name: 'homelab' },
      services: SERVICES,
      rules,
      routing: controllerRouting({ objects: objs, rules }),
    });
    const { tunnels } = hostnameTraceTunnels(rules);
    let checked = 0;
    for (const ns of t.namespaces) {
      for (const s of ns.services) {
        for (const h of s.hostnames.filter((x) => x.controller)) {
          const r = traceUrl({ url: h.hostname!, tunnels, objects: objs });
          assert.deepEqual(r.servedBy, { namespace: s.namespace, name: s.name, port: h.port });
          checked++;
        }
      }
    }
    assert.equal(checked, 2);
  });

  it('without routing objects the tree is the plain join', () => {
    const t = tree([remote('shop.example.com', NGINX)], false);
    assert.equal(service(t, 'default', 'shop').hostnames.length, 0);
    assert.equal(
      service(t, 'ingress-nginx', 'ingress-nginx-controller').hostnames[0]!.description,
      'remote config · tunnel prod-k8s',
    );
  });
});

describe('the pieces', () => {
  it('cloudflaredMatcher: exact, *.suffix, catch-all, path as a Go regexp', () => {
    assert.ok(cloudflaredMatcher('*.example.com', undefined)('shop.example.com', '/'));
    assert.ok(cloudflaredMatcher('*.example.com', undefined)('a.b.example.com', '/'));
    assert.ok(!cloudflaredMatcher('*.example.com', undefined)('example.com', '/'));
    assert.ok(cloudflaredMatcher(undefined, undefined)('x.y', '/'));
    assert.ok(cloudflaredMatcher('api.example.com', '^/v1/')('api.example.com', '/v1/x'));
    assert.ok(!cloudflaredMatcher('api.example.com', '^/v1/')('api.example.com', '/v2'));
  });
  it('literalRulePath and routingObjectHosts', () => {
    assert.equal(literalRulePath('^/api/'), '/api/');
    assert.equal(literalRulePath('\\.php$'), undefined);
    assert.deepEqual(routingObjectHosts(objects()), ['docs.example.com', 'shop.example.com', 'whoami.example.dev']);
  });
  it('hostnameTraceTunnels groups rules per tunnel in their order, cloudflared in its Deployments’ namespaces', () => {
    const { tunnels, at } = hostnameTraceTunnels(
      [
        remote('a.example.com', NGINX),
        { service: 'http://web:80', source: 'workspace', file: '/w/config.yaml', line: 4, hostname: 'w.example.com' },
        remote(undefined, 'http_status:404'),
      ],
      [{ namespace: 'cloudflared', name: 'cloudflared', desired: 1, ready: 1, tunnelId: PROD }],
    );
    assert.equal(tunnels.length, 2);
    assert.deepEqual(at, [
      { tunnel: 0, rule: 0 },
      { tunnel: 1, rule: 0 },
      { tunnel: 0, rule: 1 },
    ]);
    assert.deepEqual(tunnels[0]!.namespaces, ['cloudflared']);
    assert.equal(tunnels[0]!.rules[1]!.catchAll, true);
    assert.deepEqual(tunnels[1]!.rules[0]!.source, { file: '/w/config.yaml', line: 4 });
  });
});
