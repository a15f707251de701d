/**
 * Drift fixes that route DNS, from real answers (the Cloudflare wrapper against the local API):
 * an unproxied tunnel CNAME is reported (listTunnelCnames keeps it) and its fix turns the proxy on;
 * a rule whose hostname is dual-stack (A + AAAA) is fixed by deleting the other records first.
 * The fix runs `CloudflareApi.routeHostname` with the action's data, as runDriftAction does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudflareApi } from '../../../src/cloudflare/api';
import { findDrift } from '../../../src/core/drift';
import type { DriftAction, DriftFinding } from '../../../src/core/drift';
import { demoState, startCloudflareApi } from '../../../dev/servers/cloudflare/server';
import type { CloudflareApiServer } from '../../../dev/servers/cloudflare/server';

const TOKEN = 'drift-routes-token-0123456789';

async function drift(api: CloudflareApi, accountId: string): Promise<DriftFinding[]> {
  const zones = await api.listZones(accountId);
  const tunnels = [];
  for (const t of await api.listTunnels(accountId)) {
    const remote = t.configSrc === 'cloudflare' ? await api.getRemoteConfig(accountId, t.id) : undefined;
    tunnels.push({
      id: t.id,
      name: t.name,
      status: t.status,
      configSrc: t.configSrc,
      ...(remote
        ? {
            remoteRules: (remote.config.ingress ?? []).map((r) => ({
              service: r.service,
              ...(r.hostname ? { hostname: r.hostname } : {}),
            })),
          }
        : {}),
    });
  }
  const dnsRecords = (await api.listTunnelCnames(zones.map((z) => z.id))).map((r) => ({
    id: r.id,
    zoneId: r.zoneId,
    name: r.name,
    type: r.type,
    content: r.content,
    proxied: r.proxied,
  }));
  return findDrift({
    clusterConnected: false,
    tunnels,
    dnsRecords,
    zones: zones.map((z) => ({ id: z.id, name: z.name })),
    workspaceConfigs: [],
  });
}

async function fix(api: CloudflareApi, action: DriftAction | undefined, confirm = true) {
  assert.ok(action && action.kind === 'create-dns-route', 'a DNS route action');
  if (action.kind !== 'create-dns-route') throw new Error('unreachable');
  return api.routeHostname(action.data.zoneId!, action.data.hostname, action.data.tunnelId, {
    confirmReplace: () => confirm,
  });
}

async function withApi(
  fn: (server: CloudflareApiServer, api: CloudflareApi, account: string) => Promise<void>,
): Promise<void> {
  const data = demoState();
  const server = await startCloudflareApi({ token: TOKEN, data });
  try {
    await fn(
      server,
      new CloudflareApi({ token: TOKEN, baseURL: server.url, maxRetries: 0 }),
      data.accounts.find((a) => a.name === 'Acme Corp')!.id,
    );
  } finally {
    await server.close();
  }
}

test('an unproxied tunnel CNAME is reported (drift-dns-not-proxied) and its fix turns the proxy on', async () => {
  await withApi(async (server, api, account) => {
    const rec = server.state.records.find((r) => r.name === 'api.example.com')!;
    rec.proxied = false;
    const finding = (await drift(api, account)).find(
      (f) => f.code === 'drift-dns-not-proxied' && f.hostname === 'api.example.com',
    );
    assert.ok(finding, 'reported from real answers');
    const outcome = await fix(api, finding.actions[0]);
    assert.equal(outcome.kind, 'proxied');
    assert.equal(rec.proxied, true);
    assert.ok(!(await drift(api, account)).some((f) => f.code === 'drift-dns-not-proxied'));
  });
});

test('a rule whose hostname is dual-stack (A + AAAA) is routed by its fix: the other record goes first, then the CNAME', async () => {
  await withApi(async (server, api, account) => {
    const zone = server.state.zones.find((z) => z.name === 'example.com')!.id;
    const base = {
      zoneId: zone,
      name: 'preview.example.com',
      proxied: true,
      ttl: 1,
      comment: null,
      tags: [],
      createdOn: '2026-01-01T00:00:00Z',
      modifiedOn: '2026-01-01T00:00:00Z',
    };
    server.state.records.push(
      { ...base, id: 'a'.repeat(32), type: 'A', content: '192.0.2.80' },
      { ...base, id: 'b'.repeat(32), type: 'AAAA', content: '2001:db8::80' },
    );
    const finding = (await drift(api, account)).find(
      (f) => f.code === 'drift-hostname-without-dns' && f.hostname === 'preview.example.com',
    );
    assert.ok(finding);
    const prod = server.state.tunnels.find((t) => t.name === 'prod-k8s')!.id;
    assert.equal(
      (
        await fix(
          api,
          finding.actions.find((a) => a.kind === 'create-dns-route'),
          false,
        )
      ).kind,
      'declined',
      'asks first',
    );
    const outcome = await fix(
      api,
      finding.actions.find((a) => a.kind === 'create-dns-route'),
    );
    assert.equal(outcome.kind, 'replaced');
    assert.deepEqual(
      server.state.records
        .filter((r) => r.name === 'preview.example.com')
        .map((r) => `${r.type} ${r.content} ${r.proxied}`),
      [`CNAME ${prod}.cfargotunnel.com true`],
    );
    assert.ok(!(await drift(api, account)).some((f) => f.hostname === 'preview.example.com'));
  });
});
