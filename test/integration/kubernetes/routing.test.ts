/**
 * The cluster's routing objects (`listRoutingObjects`, src/kubernetes/routing.ts) through the real
 * `@kubernetes/client-node` against the local Kubernetes API server: discovery decides what is
 * listed (CRD groups switched off are `not-served`, and nothing is requested of them), every kind
 * of the demo, ReferenceGrants from v1beta1, RBAC (forbidden, and the per-namespace fallback),
 * pagination, a failing kind beside the others; and what the server refuses or defaults when
 * Ingresses and custom resources are created, as kube-apiserver v1.32 does.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { CustomObjectsApi, NetworkingV1Api } from '@kubernetes/client-node';
import type { V1Ingress } from '@kubernetes/client-node';
import { KubernetesError, clientFor, listRoutingObjects, loadKubeconfig } from '../../../src/kubernetes/cluster';
import type { ClusterClient, RoutingKind } from '../../../src/kubernetes/cluster';
import { ingressClass, startKubernetesApi } from '../../../dev/servers/kubernetes/server';
import type { KubernetesApiServer } from '../../../dev/servers/kubernetes/server';

const tmp = mkdtempSync(join(tmpdir(), 'cftunnel-routing-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

function clientOf(server: KubernetesApiServer): ClusterClient {
  const d = join(tmp, `d${n++}`);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'config'), server.kubeconfigYaml('local'));
  return clientFor(loadKubeconfig({ path: join(d, 'config'), env: {}, home: d, allowExec: false }));
}

type Obj = { metadata: { name: string; namespace?: string; creationTimestamp?: string }; [k: string]: unknown };
const names = (items: unknown[]): string[] =>
  (items as Obj[]).map((o) => (o.metadata.namespace ? `${o.metadata.namespace}/` : '') + o.metadata.name).sort();

/** The Status of a refused client-node call: its HTTP code and parsed body. */
async function refusal(
  promise: Promise<unknown>,
): Promise<{ code: number; message: string; reason: string; causes: Array<{ field: string; reason: string }> }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { code?: number; body?: string };
    const body = JSON.parse(e.body ?? '{}') as {
      message: string;
      reason: string;
      details?: { causes?: Array<{ field: string; reason: string }> };
    };
    return { code: e.code ?? 0, message: body.message, reason: body.reason, causes: body.details?.causes ?? [] };
  }
  assert.fail('expected the API server to refuse');
}

const ingressBody = (name: string, extra: { spec?: Record<string, unknown>; annotations?: object } = {}): V1Ingress =>
  ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: {
      rules: [
        {
          host: `${name}.example.com`,
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }],
          },
        },
      ],
      ...extra.spec,
    },
  }) as V1Ingress;

describe('listRoutingObjects', () => {
  let server: KubernetesApiServer;
  before(async () => {
    server = await startKubernetesApi();
  });
  after(() => server.close());
  afterEach(() => server.clearFaults());

  it('lists every kind of the demo, by discovery, as plain JSON', async () => {
    const start = server.requests.length;
    const res = await listRoutingObjects(clientOf(server));
    const k = res.kinds;
    for (const kind of Object.keys(k) as RoutingKind[]) assert.equal(k[kind].status, 'listed', kind);
    assert.deepEqual(names(k.ingresses.items), ['default/docs', 'default/secure', 'default/shop']);
    assert.deepEqual(names(k.ingressclasses.items), ['nginx', 'traefik']);
    assert.deepEqual(names(k.gatewayclasses.items), ['traefik']);
    assert.deepEqual(names(k.gateways.items), ['kube-system/traefik-gateway']);
    assert.deepEqual(names(k.httproutes.items), ['default/api', 'default/grafana']);
    assert.deepEqual(names(k.referencegrants.items), ['monitoring/httproutes-from-default']);
    assert.deepEqual(names(k.ingressroutes.items), ['default/whoami']);
    assert.deepEqual(k.ingresses.apiVersions, ['networking.k8s.io/v1']);
    assert.deepEqual(k.httproutes.apiVersions, ['gateway.networking.k8s.io/v1']);
    // ReferenceGrant is served in v1beta1 only (Gateway API standard channel): the fallback version.
    assert.deepEqual(k.referencegrants.apiVersions, ['gateway.networking.k8s.io/v1beta1']);
    assert.deepEqual(k.ingressroutes.apiVersions, ['traefik.io/v1alpha1']);
    // The objects as the API sent them: timestamps in RFC 3339 (no milliseconds), fields as on the wire.
    const shop = (k.ingresses.items as Obj[]).find((o) => o.metadata.name === 'shop')!;
    assert.deepEqual(shop.spec, server.state.get('ingresses', 'default', 'shop')!.spec);
    assert.equal(
      shop.metadata.creationTimestamp,
      server.state.get('ingresses', 'default', 'shop')!.metadata.creationTimestamp,
    );
    assert.match(shop.metadata.creationTimestamp!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const whoami = (k.ingressroutes.items as Obj[])[0]!;
    assert.equal(
      (whoami.spec as { routes: Array<{ match: string }> }).routes[0]!.match,
      'Host(`whoami.example.dev`) && PathPrefix(`/`)',
    );
    const paths = server.requests.slice(start).map((r) => r.path);
    for (const p of [
      '/apis',
      '/apis/networking.k8s.io/v1',
      '/apis/gateway.networking.k8s.io/v1',
      '/apis/gateway.networking.k8s.io/v1beta1',
      '/apis/traefik.io/v1alpha1',
      '/apis/networking.k8s.io/v1/ingresses',
      '/apis/networking.k8s.io/v1/ingressclasses',
      '/apis/gateway.networking.k8s.io/v1/httproutes',
      '/apis/gateway.networking.k8s.io/v1beta1/referencegrants',
      '/apis/traefik.io/v1alpha1/ingressroutes',
    ])
      assert.ok(paths.includes(p), `requested ${p}`);
    assert.ok(!paths.some((p) => p.includes('traefik.containo.us')), 'the legacy Traefik group is not served');
    assert.ok(!paths.includes('/apis/gateway.networking.k8s.io/v1/referencegrants'));
    assert.equal(res.requests, server.requests.length - start);
    assert.equal(k.ingresses.resourceVersion, String(server.state.resourceVersion));
  });

  it('says nothing of kinds whose CRDs are not installed (discovery only, no list)', async () => {
    server.state.crdGroups.clear();
    try {
      // As on a cluster without the CRDs: absent from discovery, their paths 404.
      const apis = (await (await fetch(`${server.url}/apis`)).json()) as { groups: Array<{ name: string }> };
      assert.deepEqual(
        apis.groups.map((g) => g.name),
        ['apps', 'networking.k8s.io', 'policy'],
      );
      assert.equal((await fetch(`${server.url}/apis/traefik.io/v1alpha1/ingressroutes`)).status, 404);
      assert.equal((await fetch(`${server.url}/apis/gateway.networking.k8s.io/v1`)).status, 404);
      const start = server.requests.length;
      const res = await listRoutingObjects(clientOf(server));
      assert.equal(res.kinds.ingresses.status, 'listed');
      assert.equal(res.kinds.ingressclasses.status, 'listed');
      for (const kind of ['gatewayclasses', 'gateways', 'httproutes', 'referencegrants', 'ingressroutes'] as const) {
        assert.equal(res.kinds[kind].status, 'not-served', kind);
        assert.deepEqual(res.kinds[kind].items, []);
        assert.equal(res.kinds[kind].message, undefined);
      }
      const paths = server.requests.slice(start).map((r) => r.path);
      assert.ok(!paths.some((p) => p.includes('gateway.networking') || p.includes('traefik')), paths.join(' '));
      // Traefik alone installed.
      server.state.crdGroups.add('traefik.io');
      const traefik = await listRoutingObjects(clientOf(server));
      assert.equal(traefik.kinds.ingressroutes.status, 'listed');
      assert.equal(traefik.kinds.httproutes.status, 'not-served');
    } finally {
      server.state.crdGroups.add('gateway.networking.k8s.io').add('traefik.io');
    }
  });

  it('reports a kind RBAC forbids with the API server message, and lists the others', async () => {
    server.setFault({ kind: 'rbac', clusterScope: ['ingressroutes'], namespaces: [] });
    const res = await listRoutingObjects(clientOf(server));
    assert.equal(res.kinds.ingressroutes.status, 'forbidden');
    assert.equal(
      res.kinds.ingressroutes.message,
      'ingressroutes.traefik.io is forbidden: User "demo-user" cannot list resource "ingressroutes" in API group "traefik.io" at the cluster scope',
    );
    assert.deepEqual(res.kinds.ingressroutes.items, []);
    assert.equal(res.kinds.ingresses.status, 'listed');
    assert.equal(res.kinds.httproutes.status, 'listed');
    server.clearFaults();
    server.setFault({ kind: 'rbac', clusterScope: ['ingressclasses'] });
    const classes = await listRoutingObjects(clientOf(server));
    assert.equal(classes.kinds.ingressclasses.status, 'forbidden');
    assert.match(
      classes.kinds.ingressclasses.message!,
      /cannot list resource "ingressclasses" in API group "networking\.k8s\.io"/,
    );
  });

  it('falls back to the namespaces RBAC allows (partial)', async () => {
    server.setFault({
      kind: 'rbac',
      clusterScope: ['httproutes', 'ingresses'],
      namespaces: ['default', 'kube-system'],
    });
    const res = await listRoutingObjects(clientOf(server));
    const routes = res.kinds.httproutes;
    assert.equal(routes.status, 'listed');
    assert.equal(routes.partial, true);
    assert.deepEqual(routes.namespaces, ['default', 'kube-system']);
    assert.ok(routes.forbiddenNamespaces!.includes('monitoring'));
    assert.match(routes.note!, /^Listing HTTPRoutes across all namespaces is forbidden/);
    assert.deepEqual(names(routes.items), ['default/api', 'default/grafana']);
    assert.equal(res.kinds.ingresses.partial, true);
    assert.equal(res.kinds.ingresses.items.length, 3);
    assert.equal(res.kinds.gateways.partial, undefined, 'listed across namespaces');
  });

  it('pages with limit and continue', async () => {
    const start = server.requests.length;
    const res = await listRoutingObjects(clientOf(server), { pageSize: 1 });
    assert.equal(res.kinds.ingresses.items.length, 3);
    assert.equal(res.kinds.httproutes.items.length, 2);
    const lists = server.requests.slice(start).filter((r) => r.path === '/apis/networking.k8s.io/v1/ingresses');
    assert.equal(lists.length, 3);
    assert.ok(lists.every((r) => r.query.limit === '1'));
    assert.equal(lists[0]!.query.continue, undefined);
    assert.ok(lists.slice(1).every((r) => r.query.continue));
    const routes = server.requests
      .slice(start)
      .filter((r) => r.path === '/apis/gateway.networking.k8s.io/v1/httproutes');
    assert.equal(routes.length, 2);
  });

  it('reports one failing kind as an error and still lists the rest; throws when discovery fails', async () => {
    server.setFault({ kind: 'status', status: 500, path: '/apis/gateway.networking.k8s.io/v1/gateways' });
    const res = await listRoutingObjects(clientOf(server), { timeoutMs: 5000 });
    assert.equal(res.kinds.gateways.status, 'error');
    assert.match(res.kinds.gateways.message!, /etcdserver: request timed out/);
    assert.equal(res.kinds.httproutes.status, 'listed');
    server.clearFaults();
    server.setFault({ kind: 'status', status: 503, path: '/apis' });
    await assert.rejects(listRoutingObjects(clientOf(server)), (err) => err instanceof KubernetesError);
  });
});

describe('Ingress and custom resource writes (what the API server refuses and defaults)', () => {
  let server: KubernetesApiServer;
  let networking: NetworkingV1Api;
  let custom: CustomObjectsApi;
  before(async () => {
    server = await startKubernetesApi();
    const client = clientOf(server);
    networking = client.kc.makeApiClient(NetworkingV1Api);
    custom = client.kc.makeApiClient(CustomObjectsApi);
  });
  after(() => server.close());

  it('refuses both spec.ingressClassName and the kubernetes.io/ingress.class annotation', async () => {
    const r = await refusal(
      networking.createNamespacedIngress({
        namespace: 'default',
        body: ingressBody('both', {
          spec: { ingressClassName: 'nginx' },
          annotations: { 'kubernetes.io/ingress.class': 'nginx' },
        }),
      }),
    );
    assert.equal(r.code, 422);
    assert.equal(r.reason, 'Invalid');
    assert.equal(
      r.message,
      'Ingress.networking.k8s.io "both" is invalid: annotations.kubernetes.io/ingress.class: Invalid value: "nginx": can not be set when the class field is also set',
    );
    assert.deepEqual(r.causes, [
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "nginx": can not be set when the class field is also set',
        field: 'annotations.kubernetes.io/ingress.class',
      },
    ]);
    assert.equal(server.state.get('ingresses', 'default', 'both'), undefined);
  });

  it('refuses a path without pathType, a relative Prefix path, and hosts that are IPs, have ports or inner wildcards', async () => {
    const noType = await refusal(
      networking.createNamespacedIngress({
        namespace: 'default',
        body: ingressBody('notype', {
          spec: {
            rules: [
              {
                host: 'a.example.com',
                http: { paths: [{ path: '/', backend: { service: { name: 'web', port: { number: 80 } } } }] },
              },
            ],
          },
        }),
      }),
    );
    assert.equal(noType.code, 422);
    assert.equal(
      noType.message,
      'Ingress.networking.k8s.io "notype" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
    );
    const path = (host: string, p = '/') => ({
      host,
      http: { paths: [{ path: p, pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] },
    });
    const bad = await refusal(
      networking.createNamespacedIngress({
        namespace: 'default',
        body: ingressBody('badhosts', {
          spec: {
            rules: [
              path('192.0.2.1'),
              path('shop.example.com:8080'),
              path('shop.*.example.com'),
              path('*.example.com', 'api'),
            ],
          },
        }),
      }),
    );
    assert.equal(bad.code, 422);
    assert.deepEqual(
      bad.causes.map((c) => c.field),
      ['spec.rules[0].host', 'spec.rules[1].host', 'spec.rules[2].host', 'spec.rules[3].http.paths[0].path'],
    );
    assert.match(
      bad.message,
      /spec\.rules\[0\]\.host: Invalid value: "192\.0\.2\.1": must be a DNS name, not an IP address/,
    );
    assert.match(
      bad.message,
      /spec\.rules\[1\]\.host: Invalid value: "shop\.example\.com:8080": a lowercase RFC 1123 subdomain/,
    );
    assert.match(
      bad.message,
      /spec\.rules\[2\]\.host: Invalid value: "shop\.\*\.example\.com": a wildcard DNS-1123 subdomain must start with '\*\.'/,
    );
    assert.match(
      bad.message,
      /spec\.rules\[3\]\.http\.paths\[0\]\.path: Invalid value: "api": must be an absolute path/,
    );
    const backend = await refusal(
      networking.createNamespacedIngress({
        namespace: 'default',
        body: ingressBody('ports', {
          spec: {
            rules: [
              {
                host: 'p.example.com',
                http: {
                  paths: [
                    {
                      path: '/',
                      pathType: 'Exact',
                      backend: { service: { name: 'web', port: { number: 80, name: 'http' } } },
                    },
                    { path: '/b', pathType: 'Exact', backend: { service: { name: 'web', port: {} } } },
                  ],
                },
              },
            ],
          },
        }),
      }),
    );
    assert.deepEqual(
      backend.causes.map((c) => `${c.field} ${c.reason}`),
      [
        'spec.rules[0].http.paths[0].backend FieldValueInvalid',
        'spec.rules[0].http.paths[1].backend FieldValueRequired',
      ],
    );
    // A wildcard as the first label is a host.
    const ok = await networking.createNamespacedIngress({
      namespace: 'default',
      body: ingressBody('wild', { spec: { rules: [path('*.example.com')] } }),
    });
    assert.equal(ok.spec?.rules?.[0]?.host, '*.example.com');
  });

  it('gives a new Ingress without class the default IngressClass (admission), and only a new one', async () => {
    const created = await networking.createNamespacedIngress({ namespace: 'default', body: ingressBody('blog') });
    assert.equal(created.spec?.ingressClassName, 'nginx');
    assert.equal(created.metadata?.generation, 1);
    assert.deepEqual(server.state.get('ingresses', 'default', 'blog')!.status, { loadBalancer: {} });
    // The legacy annotation counts as a class: nothing defaulted.
    const legacy = await networking.createNamespacedIngress({
      namespace: 'default',
      body: ingressBody('legacy', { annotations: { 'kubernetes.io/ingress.class': 'traefik' } }),
    });
    assert.equal(legacy.spec?.ingressClassName, undefined);
    // Without a default class, none; of two defaults, the newest.
    server.state.patch('ingressclasses', undefined, 'nginx', (o) => delete o.metadata.annotations);
    const none = await networking.createNamespacedIngress({ namespace: 'default', body: ingressBody('none') });
    assert.equal(none.spec?.ingressClassName, undefined);
    server.state.patch('ingressclasses', undefined, 'nginx', (o) => {
      o.metadata.annotations = { 'ingressclass.kubernetes.io/is-default-class': 'true' };
    });
    const newer = ingressClass('haproxy', 'haproxy.org/ingress-controller', { isDefault: true });
    newer.metadata.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    server.state.add('ingressclasses', newer);
    const two = await networking.createNamespacedIngress({ namespace: 'default', body: ingressBody('two') });
    assert.equal(two.spec?.ingressClassName, 'haproxy');
    // An IngressClass's controller is a domain-prefixed path.
    const badClass = await refusal(
      networking.createIngressClass({ body: { metadata: { name: 'x' }, spec: { controller: 'nginx' } } }),
    );
    assert.equal(
      badClass.message,
      'IngressClass.networking.k8s.io "x" is invalid: spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")',
    );
  });

  it('checks what the Gateway API and Traefik CRD schemas require, and applies their defaults', async () => {
    const route = (backendRef: Record<string, unknown>) => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r' },
      spec: {
        parentRefs: [{ name: 'traefik-gateway', namespace: 'kube-system' }],
        rules: [{ backendRefs: [backendRef] }],
      },
    });
    const noPort = await refusal(
      custom.createNamespacedCustomObject({
        group: 'gateway.networking.k8s.io',
        version: 'v1',
        namespace: 'default',
        plural: 'httproutes',
        body: route({ name: 'web' }),
      }),
    );
    assert.equal(noPort.code, 422);
    assert.equal(
      noPort.message,
      'HTTPRoute.gateway.networking.k8s.io "r" is invalid: spec.rules[0].backendRefs[0]: Invalid value: "object": Must have port for Service reference',
    );
    const created = (await custom.createNamespacedCustomObject({
      group: 'gateway.networking.k8s.io',
      version: 'v1',
      namespace: 'default',
      plural: 'httproutes',
      body: route({ name: 'web', port: 80 }),
    })) as { spec: { parentRefs: unknown[]; rules: Array<{ matches: unknown[]; backendRefs: unknown[] }> } };
    assert.deepEqual(created.spec.parentRefs, [
      { name: 'traefik-gateway', namespace: 'kube-system', group: 'gateway.networking.k8s.io', kind: 'Gateway' },
    ]);
    assert.deepEqual(created.spec.rules[0]!.matches, [{ path: { type: 'PathPrefix', value: '/' } }]);
    assert.deepEqual(created.spec.rules[0]!.backendRefs, [
      { name: 'web', port: 80, group: '', kind: 'Service', weight: 1 },
    ]);
    const gateway = await refusal(
      custom.createNamespacedCustomObject({
        group: 'gateway.networking.k8s.io',
        version: 'v1',
        namespace: 'default',
        plural: 'gateways',
        body: {
          metadata: { name: 'g' },
          spec: { gatewayClassName: 'traefik', listeners: [{ name: 'web', protocol: 'HTTP' }] },
        },
      }),
    );
    assert.equal(
      gateway.message,
      'Gateway.gateway.networking.k8s.io "g" is invalid: spec.listeners[0].port: Required value',
    );
    const ir = await refusal(
      custom.createNamespacedCustomObject({
        group: 'traefik.io',
        version: 'v1alpha1',
        namespace: 'default',
        plural: 'ingressroutes',
        body: { metadata: { name: 'i' }, spec: { routes: [{ kind: 'Rule', services: [{ name: 'web', port: 80 }] }] } },
      }),
    );
    assert.equal(ir.message, 'IngressRoute.traefik.io "i" is invalid: spec.routes[0].match: Required value');
    // A group whose CRD is not installed answers 404.
    server.state.crdGroups.delete('traefik.io');
    try {
      const missing = await refusal(
        custom.listNamespacedCustomObject({
          group: 'traefik.io',
          version: 'v1alpha1',
          namespace: 'default',
          plural: 'ingressroutes',
        }),
      );
      assert.equal(missing.code, 404);
    } finally {
      server.state.crdGroups.add('traefik.io');
    }
  });
});
