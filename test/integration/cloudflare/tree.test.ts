/**
 * The Tunnels tree model built from the local API's answers (`buildAccountTree`,
 * `loadTunnelDetails`), and the number of requests it takes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildAccountTree, loadTunnelDetails } from '../../../src/cloudflare/tree';
import { buildTunnelsTree, hostnameMatches } from '../../../src/core/cloudflare/tunnelsTree';
import { tunnelIdOfCname } from '../../../src/core/cloudflare/tunnelCname';
import type { TunnelNode, WorkspaceRule } from '../../../src/core/cloudflare/tunnelsTree';
import { demoState, largeState } from '../../../dev/servers/cloudflare/server';
import { apiFor, seen, withServer } from './support';

const demo = demoState();
const ACME = demo.accounts.find((a) => a.name === 'Acme Corp')!.id;
const id = (name: string): string => demo.tunnels.find((t) => t.name === name)!.id;
const byName = (tunnels: TunnelNode[]): Record<string, TunnelNode> =>
  Object.fromEntries(tunnels.map((t) => [t.name, t]));

describe('buildAccountTree against the local API', () => {
  it('builds account → tunnels with health, config source, connector count and DNS routes in 4 requests', async () => {
    await withServer({}, async (server) => {
      const requests: string[] = [];
      const api = apiFor(server, { onRequest: (r) => requests.push(r.url) });
      const tree = await buildAccountTree(api, ACME);
      assert.equal(requests.length, 4);
      assert.deepEqual(
        seen(server)
          .map((s) => s.split('?')[0])
          .sort(),
        [
          `GET /accounts/${ACME}/cfd_tunnel`,
          'GET /zones',
          `GET /zones/${demo.zones[0]!.id}/dns_records`,
          `GET /zones/${demo.zones[1]!.id}/dns_records`,
        ].sort(),
      );

      assert.equal(tree.kind, 'account');
      assert.equal(tree.name, 'Acme Corp');
      assert.deepEqual(
        tree.zones.map((z) => z.name),
        ['example.com', 'example.dev'],
      );
      assert.deepEqual(tree.counts, { healthy: 1, degraded: 1, down: 1, inactive: 1 });
      assert.deepEqual(
        tree.tunnels.map((t) => t.name),
        ['homelab', 'legacy-vm', 'prod-k8s', 'staging'],
      );

      const t = byName(tree.tunnels);
      assert.equal(t['prod-k8s']!.status, 'healthy');
      assert.equal(t['prod-k8s']!.configSrc, 'cloudflare');
      assert.equal(t['prod-k8s']!.connectorCount, undefined, 'counted once the connections endpoint is read');
      assert.equal(t['prod-k8s']!.description, 'healthy · remote config');
      assert.deepEqual(
        t['prod-k8s']!.routes.map((r) => r.hostname),
        ['api.example.com', 'app.example.com', 'grafana.example.dev', 'shop.example.com'],
      );
      assert.equal(t['prod-k8s']!.routes[2]!.zoneName, 'example.dev');
      assert.equal(t['prod-k8s']!.connectors, undefined, 'connectors are loaded lazily');
      assert.equal(t['prod-k8s']!.hostnames, undefined, 'remote rules are loaded lazily');
      assert.equal(t['staging']!.connectorCount, undefined);
      assert.equal(t['staging']!.description, 'degraded · remote config');
      assert.equal(t['legacy-vm']!.connectorCount, 0);
      assert.equal(t['legacy-vm']!.description, 'down · local config');
      assert.equal(t['homelab']!.status, 'inactive');
      assert.deepEqual(
        t['homelab']!.routes.map((r) => r.hostname),
        ['home.example.dev'],
      );

      assert.deepEqual(
        tree.orphanRoutes.map((r) => [r.hostname, r.tunnelId, r.orphan]),
        [['old.example.com', id('old-ingress'), true]],
      );
    });
  });

  it('shows workspace rules as hostnames of local tunnels, and flags drift', async () => {
    const rules: WorkspaceRule[] = [
      {
        tunnel: id('legacy-vm'),
        hostname: 'legacy.example.com',
        service: 'http://localhost:8080',
        file: 'deploy/config.yaml',
        line: 4,
      },
      {
        tunnel: id('legacy-vm'),
        hostname: 'nodns.example.com',
        service: 'http://localhost:8081',
        file: 'deploy/config.yaml',
        line: 6,
      },
      { tunnel: id('legacy-vm'), service: 'http_status:404', file: 'deploy/config.yaml', line: 8 },
      // Named by tunnel name; the tunnel is remotely managed, so these are ignored by cloudflared.
      { tunnel: 'prod-k8s', hostname: 'app.example.com', service: 'http://elsewhere:80' },
      { tunnel: 'prod-k8s', service: 'http_status:404' },
    ];
    await withServer({}, async (server) => {
      const api = apiFor(server);
      const tree = await buildAccountTree(api, ACME, { workspaceRules: rules });
      const t = byName(tree.tunnels);
      const legacy = t['legacy-vm']!;
      assert.deepEqual(
        legacy.hostnames?.map((h) => [h.hostname, h.source, h.hasDnsRoute, h.catchAll, h.file, h.line]),
        [
          ['legacy.example.com', 'workspace', true, false, 'deploy/config.yaml', 4],
          ['nodns.example.com', 'workspace', false, false, 'deploy/config.yaml', 6],
          [undefined, 'workspace', true, true, 'deploy/config.yaml', 8],
        ],
      );
      assert.equal(legacy.routes[0]!.hasRule, true);
      assert.deepEqual(legacy.warnings, [
        'nodns.example.com has an ingress rule but no proxied DNS route to this tunnel.',
      ]);
      assert.equal(t['homelab']!.hostnames, undefined, 'no workspace config names it');
      assert.deepEqual(t['prod-k8s']!.warnings, [
        '2 ingress rules in workspace configs for this tunnel are ignored: the tunnel is managed remotely (config_src: cloudflare).',
      ]);

      // Expanding prod-k8s: its connectors and remote rules, two requests.
      const before = server.requests.length;
      const prod = await loadTunnelDetails(api, ACME, t['prod-k8s']!, { workspaceRules: rules });
      assert.equal(server.requests.length - before, 2);
      assert.equal(prod.connectors?.length, 2);
      const c = prod.connectors![0]!;
      assert.equal(c.version, '2026.8.2');
      assert.equal(c.arch, 'linux_amd64');
      assert.deepEqual(c.colos, ['ams01', 'ams16', 'fra08', 'fra10']);
      assert.deepEqual(c.originIps, ['198.51.100.21']);
      assert.equal(c.activeConnections, 4);
      assert.ok(c.connectedSince);
      assert.equal(c.description, 'cloudflared 2026.8.2 · linux_amd64 · ams01, ams16, fra08, fra10 · 198.51.100.21');
      assert.deepEqual(
        prod.hostnames?.map((h) => [h.hostname ?? '*', h.path, h.source, h.hasDnsRoute]),
        [
          ['app.example.com', undefined, 'remote', true],
          ['api.example.com', '^/v1/', 'remote', true],
          ['grafana.example.dev', undefined, 'remote', true],
          ['preview.example.com', undefined, 'remote', false],
          ['shop.example.com', undefined, 'remote', true],
          ['*', undefined, 'remote', true],
        ],
      );
      assert.ok(prod.routes.every((r) => r.hasRule === true));
      assert.deepEqual(prod.warnings, [
        '2 ingress rules in workspace configs for this tunnel are ignored: the tunnel is managed remotely (config_src: cloudflare).',
        'preview.example.com has an ingress rule but no proxied DNS route to this tunnel.',
      ]);

      assert.ok(
        prod.hostnames?.every((h) => h.origin === undefined),
        'the demo configuration sets no origin settings',
      );

      // Origin settings a controller sees: each rule's originRequest over the configuration's.
      const remote = await api.getRemoteConfig(ACME, t['prod-k8s']!.id);
      const ingress = remote.config.ingress!.map((r, i) =>
        i === 0 ? { ...r, originRequest: { httpHostHeader: 'app.internal', noTLSVerify: false } } : r,
      );
      await api.updateRemoteConfig(
        ACME,
        t['prod-k8s']!.id,
        { ...remote.config, ingress, originRequest: { originServerName: 'edge.example.com', noTLSVerify: true } },
        remote.version,
      );
      const withOrigins = await loadTunnelDetails(api, ACME, t['prod-k8s']!);
      assert.deepEqual(withOrigins.hostnames?.[0]?.origin, {
        httpHostHeader: 'app.internal',
        originServerName: 'edge.example.com',
        noTLSVerify: false,
      });
      assert.deepEqual(withOrigins.hostnames?.[1]?.origin, { originServerName: 'edge.example.com', noTLSVerify: true });

      // Degraded (the API's verdict): one connector with 2 edge connections.
      const staging = await loadTunnelDetails(api, ACME, t['staging']!);
      assert.equal(staging.connectors?.[0]?.activeConnections, 2);
      assert.equal(staging.connectorCount, 1);
      assert.equal(staging.description, 'degraded · remote config · 1 connector');
      assert.equal(staging.connectors?.[0]?.arch, 'linux_arm64');

      // Inactive and local: nothing to fetch.
      const n = server.requests.length;
      const homelab = await loadTunnelDetails(api, ACME, t['homelab']!);
      assert.equal(server.requests.length, n);
      assert.deepEqual(homelab.connectors, []);
    });
  });

  it('is the same when every list comes in small pages', async () => {
    await withServer({ maxPerPage: { tunnels: 1, dns: 1, zones: 1 } }, async (server) => {
      const tree = await buildAccountTree(apiFor(server), ACME);
      assert.deepEqual(
        tree.tunnels.map((t) => t.name),
        ['homelab', 'legacy-vm', 'prod-k8s', 'staging'],
      );
      assert.equal(tree.orphanRoutes.length, 1);
      assert.equal(
        tree.tunnels.reduce((n, t) => n + t.routes.length, 0),
        7,
      );
    });
  });

  it('an account with 500 tunnels and 2,000 DNS records: 6 requests', async () => {
    const data = largeState(500, 2000);
    await withServer({ data }, async (server) => {
      const tree = await buildAccountTree(apiFor(server), data.accounts[0]!.id);
      assert.equal(server.requests.length, 6);
      assert.equal(tree.tunnels.length, 500);
      assert.deepEqual(tree.counts, { healthy: 125, degraded: 125, down: 125, inactive: 125 });
      assert.equal(
        tree.tunnels.reduce((n, t) => n + t.routes.length, 0),
        1000,
      );
      assert.equal(tree.orphanRoutes.length, 0);
    });
  });
});

describe('tunnelsTree (pure)', () => {
  it('recognises tunnel CNAME targets and wildcard hostnames', () => {
    assert.equal(
      tunnelIdOfCname('6FF42AE2-765D-4ADF-8112-31C55C1551EF.cfargotunnel.com.'),
      '6ff42ae2-765d-4adf-8112-31c55c1551ef',
    );
    assert.equal(tunnelIdOfCname('6ff42ae2-765d-4adf-8112-31c55c1551ef.argotunnel.com'), undefined);
    assert.equal(tunnelIdOfCname('example.com'), undefined);
    assert.ok(hostnameMatches('*.example.com', 'a.example.com'));
    assert.ok(!hostnameMatches('*.example.com', 'example.com'));
    assert.ok(hostnameMatches('App.Example.com', 'app.example.com.'));
  });

  it('flags an unproxied tunnel CNAME and a route without a rule', () => {
    const tid = '6ff42ae2-765d-4adf-8112-31c55c1551ef';
    const tree = buildTunnelsTree({
      account: { id: 'acc' },
      tunnels: [{ id: tid, name: 'local-one', status: 'healthy', configSrc: 'local' }],
      zones: [{ id: 'z', name: 'example.com' }],
      records: [
        {
          id: 'r1',
          zoneId: 'z',
          name: 'a.example.com',
          type: 'CNAME',
          content: `${tid}.cfargotunnel.com`,
          proxied: false,
        },
        {
          id: 'r2',
          zoneId: 'z',
          name: 'b.example.com',
          type: 'CNAME',
          content: `${tid}.cfargotunnel.com`,
          proxied: true,
        },
        { id: 'r3', zoneId: 'z', name: 'c.example.com', type: 'A', content: '192.0.2.1', proxied: true },
      ],
      workspaceRules: [
        { tunnel: 'local-one', hostname: 'a.example.com', service: 'http://a' },
        { tunnel: 'local-one', service: 'http_status:404' },
      ],
    });
    assert.equal(tree.name, 'acc');
    const t = tree.tunnels[0]!;
    assert.equal(t.connectorCount, undefined);
    assert.deepEqual(
      t.routes.map((r) => [r.hostname, r.hasRule]),
      [
        ['a.example.com', true],
        ['b.example.com', false],
      ],
    );
    assert.deepEqual(t.warnings, [
      'a.example.com has an ingress rule but no proxied DNS route to this tunnel.',
      'a.example.com points at this tunnel but is not proxied, so it does not resolve to the tunnel.',
      'b.example.com routes to this tunnel but no ingress rule serves it (the catch-all answers).',
    ]);
  });
});

describe('An unproxied tunnel CNAME (does not reach the tunnel)', () => {
  it('is in the tree with its warning, and enableProxy (PATCH proxied: true) fixes it', async () => {
    await withServer({}, async (server) => {
      const zone = demo.zones.find((z) => z.name === 'example.com')!.id;
      server.state.records.push({
        id: 'f'.repeat(32),
        zoneId: zone,
        name: 'dnsonly.example.com',
        type: 'CNAME',
        content: `${id('legacy-vm')}.cfargotunnel.com`,
        proxied: false,
        ttl: 3600,
        comment: null,
        tags: [],
        createdOn: '2026-01-01T00:00:00Z',
        modifiedOn: '2026-01-01T00:00:00Z',
      });
      const api = apiFor(server);
      const legacy = (await buildAccountTree(api, ACME)).tunnels.find((t) => t.name === 'legacy-vm')!;
      const route = legacy.routes.find((r) => r.hostname === 'dnsonly.example.com');
      assert.ok(route, 'listed, not dropped');
      assert.equal(route.proxied, false);
      assert.ok(
        legacy.warnings.includes(
          'dnsonly.example.com points at this tunnel but is not proxied, so it does not resolve to the tunnel.',
        ),
      );

      const fixed = await api.enableProxy(zone, route.recordId, route.hostname);
      assert.equal(fixed.proxied, true);
      assert.equal(server.requests.at(-1)!.method, 'PATCH');
      const after = (await buildAccountTree(api, ACME)).tunnels.find((t) => t.name === 'legacy-vm')!;
      assert.equal(after.routes.find((r) => r.hostname === 'dnsonly.example.com')?.proxied, true);
      assert.ok(!after.warnings.some((w) => w.includes('not proxied')));
    });
  });
});
