/**
 * The drift report from real answers: the cluster client against the local Kubernetes API and the
 * Cloudflare wrapper against the local Cloudflare API, both on their demo data, fed to findDrift.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudflareApi } from '../../../src/cloudflare/api';
import { findDrift } from '../../../src/core/drift';
import type { DriftFinding } from '../../../src/core/drift';
import {
  clientFor,
  listAllServices,
  listCloudflaredDeployments,
  loadKubeconfig,
} from '../../../src/kubernetes/cluster';
import { demoState as cloudflareDemo, startCloudflareApi } from '../../../dev/servers/cloudflare/server';
import { demoState as kubernetesDemo, startKubernetesApi } from '../../../dev/servers/kubernetes/server';

const TOKEN = 'drift-test-token-0123456789';
let findings: DriftFinding[] = [];
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

  const api = new CloudflareApi({ token: TOKEN, baseURL: cf.url });
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
