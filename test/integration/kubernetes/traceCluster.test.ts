/**
 * A trace against a cluster (issue #17): the Services and routing kinds listed through the real
 * `@kubernetes/client-node` from the local API server's demo (ingress-nginx with Ingresses, Traefik
 * with an IngressRoute), turned into the trace's model (routingObjectsFromCluster), then followed
 * from a tunnel rule. Hops carry the cluster objects they came from.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { clientFor, listAllServices, listRoutingObjects, loadKubeconfig } from '../../../src/kubernetes/cluster';
import type { ClusterClient } from '../../../src/kubernetes/cluster';
import { routingObjectsFromCluster } from '../../../src/core/routing/fromCluster';
import type { RoutingObjects } from '../../../src/core/routing/objects';
import { traceUrl } from '../../../src/core/routing/trace';
import type { TraceRule } from '../../../src/core/routing/trace';
import { demoState, startKubernetesApi } from '../../../dev/servers/kubernetes/server';
import type { KubernetesApiServer } from '../../../dev/servers/kubernetes/server';

const tmp = mkdtempSync(join(tmpdir(), 'cftunnel-trace-cluster-'));
let server: KubernetesApiServer;
let client: ClusterClient;

before(async () => {
  server = await startKubernetesApi({ state: demoState() });
  writeFileSync(join(tmp, 'config'), server.kubeconfigYaml('local'));
  client = clientFor(loadKubeconfig({ path: join(tmp, 'config'), env: {}, home: tmp, allowExec: false }));
});
after(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function clusterObjects(): Promise<RoutingObjects> {
  const [services, routing] = await Promise.all([listAllServices(client), listRoutingObjects(client)]);
  return routingObjectsFromCluster({ services: services.services, kinds: routing.kinds });
}

function rule(service: string): TraceRule {
  return {
    index: 0,
    hostname: '',
    path: '',
    service,
    catchAll: true,
    matches: () => true,
    origin: {},
    source: { file: 'config.yaml', line: 3 },
  };
}

const NGINX = 'http://ingress-nginx-controller.ingress-nginx.svc.cluster.local:80';
const TRAEFIK = 'http://traefik.kube-system.svc.cluster.local:80';

describe('trace against the cluster', () => {
  it('shop.example.com: ingress-nginx → Ingress default/shop → Service shop, each hop a cluster object', async () => {
    const objects = await clusterObjects();
    const r = traceUrl({
      url: 'shop.example.com',
      tunnels: [{ name: 't', rules: [rule(NGINX)], namespaces: [] }],
      objects,
    });
    assert.deepEqual(r.servedBy, { namespace: 'default', name: 'shop', port: 80 });
    const ingress = r.hops.find((h) => h.kind === 'ingress');
    assert.deepEqual(ingress?.object, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      namespace: 'default',
      name: 'shop',
    });
  });
  it('docs.example.com: the backend Service does not exist (503); a host without Ingress: 404', async () => {
    const objects = await clusterObjects();
    const tunnels = [{ name: 't', rules: [rule(NGINX)], namespaces: [] }];
    assert.equal(traceUrl({ url: 'docs.example.com', tunnels, objects }).status, 503);
    assert.equal(traceUrl({ url: 'blog.example.com', tunnels, objects }).status, 404);
  });
  it('whoami.example.dev through Traefik’s IngressRoute on the web entry point', async () => {
    const objects = await clusterObjects();
    const r = traceUrl({
      url: 'whoami.example.dev',
      tunnels: [{ name: 't', rules: [rule(TRAEFIK)], namespaces: [] }],
      objects,
    });
    assert.ok(
      r.hops.some((h) => h.kind === 'ingressroute'),
      JSON.stringify(r, null, 1),
    );
    assert.equal(r.servedBy?.name, 'whoami');
  });
  it('a kind the token may not read makes the trace unknown, never a 404', async () => {
    const objects = await clusterObjects();
    objects.unread.push({ kind: 'Ingress', reason: 'ingresses.networking.k8s.io is forbidden' });
    const r = traceUrl({
      url: 'blog.example.com',
      tunnels: [{ name: 't', rules: [rule(NGINX)], namespaces: [] }],
      objects,
    });
    assert.equal(r.servedBy, null);
    assert.equal(r.certain, false);
    assert.equal(r.status, undefined);
    assert.match(r.stops!, /unknown/);
  });
});
