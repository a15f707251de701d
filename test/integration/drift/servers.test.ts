/**
 * The drift report from real answers: the cluster client against the local Kubernetes API and the
 * Cloudflare wrapper against the local Cloudflare API, both on their demo data, fed to findDrift.
 * The demo cluster's ingress-nginx (Ingresses shop and docs, docs' backend missing) is reached from
 * the tunnel prod-k8s: its remote configuration gets rules to the controller (shop, docs, and a
 * wildcard) and CNAMEs shop, docs and wiki, through the API, where the demo does not have them yet.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudflareApi } from '../../../src/cloudflare/api';
import { findDrift } from '../../../src/core/drift';
import type { DriftFinding } from '../../../src/core/drift';
import { routingObjectsFromCluster } from '../../../src/core/routing/fromCluster';
import {
  clientFor,
  listAllServices,
  listCloudflaredDeployments,
  listRoutingObjects,
  loadKubeconfig,
} from '../../../src/kubernetes/cluster';
import { demoState as cloudflareDemo, startCloudflareApi } from '../../../dev/servers/cloudflare/server';
import { demoState as kubernetesDemo, startKubernetesApi } from '../../../dev/servers/kubernetes/server';

const TOKEN = 'drift-test-token-0123456789';
const NGINX = 'http://ingress-nginx-controller.ingress-nginx.svc.cluster.local:80';
let findings: DriftFinding[] = [];
let prodId = '';

/** prod-k8s routes shop, docs and (through a wildcard) wiki.example.com to ingress-nginx, each with its CNAME. */
async function routeProdToController(api: CloudflareApi): Promise<void> {
  for (const account of await api.listAccounts()) {
    const prod = (await api.listTunnels(account.id)).find((t) => t.name === 'prod-k8s' && !t.deletedAt);
    if (!prod) continue;
    prodId = prod.id;
    const remote = await api.getRemoteConfig(account.id, prod.id);
    const ingress = [...(remote.config.ingress ?? [])];
    const has = new Set(ingress.map((r) => r.hostname));
    const add = [
      { hostname: 'shop.example.com', service: NGINX },
      { hostname: 'docs.example.com', service: NGINX },
      { hostname: '*.example.com', service: NGINX },
    ].filter((r) => !has.has(r.hostname));
    const catchAll = ingress.findIndex((r) => !r.hostname && !r.path);
    ingress.splice(catchAll < 0 ? ingress.length : catchAll, 0, ...add);
    await api.updateRemoteConfig(account.id, prod.id, { ...remote.config, ingress }, remote.version);
    const zone = (await api.listZones(account.id)).find((z) => z.name === 'example.com')!;
    for (const name of ['shop.example.com', 'docs.example.com', 'wiki.example.com']) {
      if (!(await api.findRecord(zone.id, name))) await api.createTunnelCname(zone.id, name, prod.id);
    }
  }
}
const cleanup: Array<() => Promise<void> | void> = [];

before(async () => {
  const cf = await startCloudflareApi({ token: TOKEN, data: cloudflareDemo() });
  const k8s = await startKubernetesApi({ data: kubernetesDemo() });
  const dir = mkdtempSync(join(tmpdir(), 'cftunnel-drift-'));
  cleanup.push(
    () => cf.close(),
    () => k8s.close(),
    () => rmSync(dir, { recursive: true, force: true }),
  );
  const kubeconfig = join(dir, 'config');
  writeFileSync(kubeconfig, k8s.kubeconfigYaml('homelab'));

  const loaded = loadKubeconfig({ path: kubeconfig, env: {}, home: dir, allowExec: false });
  const client = clientFor(loaded, 'homelab');
  const { services } = await listAllServices(client);
  const { deployments } = await listCloudflaredDeployments(client);
  const routing = await listRoutingObjects(client);

  const api = new CloudflareApi({ token: TOKEN, baseURL: cf.url });
  await routeProdToController(api);
  const tunnels = [];
  const dnsRecords = [];
  for (const account of await api.listAccounts()) {
    const zones = await api.listZones(account.id);
    for (const t of await api.listTunnels(account.id)) {
      const remote = t.configSrc === 'cloudflare' ? await api.getRemoteConfig(account.id, t.id) : undefined;
      tunnels.push({
        id: t.id,
        name: t.name,
        status: t.status,
        configSrc: t.configSrc,
        // The connectors come from the connections endpoint (the tunnel's `connections` is deprecated).
        connectorCount:
          t.status === 'healthy' || t.status === 'degraded' ? (await api.listConnectors(account.id, t.id)).length : 0,
        ...(remote
          ? {
              remoteRules: (remote.config.ingress ?? []).map((r) => ({
                service: r.service,
                ...(r.hostname ? { hostname: r.hostname } : {}),
                ...(r.path ? { path: r.path } : {}),
              })),
            }
          : {}),
      });
    }
    for (const r of await api.listTunnelCnames(zones.map((z) => z.id))) {
      dnsRecords.push({
        id: r.id,
        zoneId: r.zoneId,
        zoneName: zones.find((z) => z.id === r.zoneId)?.name ?? '',
        name: r.name,
        type: r.type,
        content: r.content,
        proxied: r.proxied,
      });
    }
  }
  findings = findDrift({
    clusterConnected: true,
    services: services.map((s) => ({
      name: s.name,
      namespace: s.namespace,
      ...(s.clusterIP ? { clusterIP: s.clusterIP } : {}),
      ports: s.ports.map((p) => ({ port: p.port, ...(p.name ? { name: p.name } : {}) })),
    })),
    deployments: deployments.map((d) => ({
      name: d.name,
      namespace: d.namespace,
      ready: d.ready,
      desired: d.desired,
      ...(d.tunnelRef ? { tunnelRef: d.tunnelRef } : {}),
    })),
    tunnels,
    dnsRecords,
    workspaceConfigs: [],
    routing: routingObjectsFromCluster({ services, kinds: routing.kinds }),
  });
});

after(async () => {
  for (const c of cleanup.reverse()) await c();
});

test('the demo data reproduces drift found through the real clients', () => {
  const codes = new Set(findings.map((f) => f.code));
  assert.ok(findings.length > 0, 'the demo data has drift');
  assert.ok(
    codes.has('drift-no-connector') || codes.has('drift-hostname-without-dns') || codes.has('drift-service-missing'),
    `tunnel or rule drift: ${[...codes].join(', ')}`,
  );
  assert.ok(
    codes.has('drift-cname-deleted-tunnel') || codes.has('drift-cname-without-rule'),
    `an orphan DNS route: ${[...codes].join(', ')}`,
  );
  assert.ok(codes.has('drift-pods-not-ready'), `the crash-looping cloudflared pod: ${[...codes].join(', ')}`);
  for (const f of findings) {
    assert.ok(f.message.length > 0 && f.code.startsWith('drift-'));
    assert.ok(!f.message.includes(TOKEN));
  }
});

test('hostnames through the demo ingress-nginx: wiki has no Ingress (404), docs has no backend (503), shop is served', () => {
  const route = findings.filter((f) => f.code.startsWith('drift-route-'));
  const notFound = route.filter((f) => f.code === 'drift-route-not-found');
  assert.ok(
    notFound.some((f) => f.hostname === 'wiki.example.com' && f.tunnelId === prodId && f.recordId),
    JSON.stringify(route, null, 1),
  );
  const wiki = notFound.find((f) => f.hostname === 'wiki.example.com')!;
  assert.match(
    wiki.message,
    /^The CNAME wiki\.example\.com routes to tunnel 'prod-k8s', whose wildcard \*\.example\.com rule/,
  );
  assert.match(wiki.message, /ingress-nginx \(Service ingress-nginx\/ingress-nginx-controller\)/);
  const docs = route.filter((f) => f.code === 'drift-route-backend-missing' && f.hostname === 'docs.example.com');
  assert.equal(docs.length, 1, JSON.stringify(route, null, 1));
  assert.match(docs[0]!.message, /Ingress default\/docs routes it to a backend the cluster does not have/);
  assert.deepEqual(docs[0]!.actions[0]!.kind, 'reveal-object');
  assert.equal(
    route.filter((f) => f.hostname === 'shop.example.com').length,
    0,
    'shop.example.com is served by Ingress default/shop',
  );
  // The controller's Service exists: none of these is service drift.
  assert.ok(
    !findings.some((f) => f.code === 'drift-service-missing' && f.message.includes('ingress-nginx-controller')),
  );
});
