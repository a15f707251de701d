/**
 * The local API answers tunnel health as the current API does: `status` is the API's own verdict
 * (healthy/degraded/down/inactive), the tunnel object's deprecated `connections` is empty, and the
 * connectors (with their edge connections) are listed at GET …/cfd_tunnel/{id}/connections, whose
 * deprecated `is_pending_reconnect` is always false. The product reads only those documented fields.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildAccountTree, loadTunnelDetails } from '../../../src/cloudflare/tree';
import { demoState } from '../../../dev/servers/cloudflare/server';
import type { CloudflareApiServer } from '../../../dev/servers/cloudflare/server';
import { TOKEN, apiFor, withServer } from './support';

const demo = demoState();
const ACME = demo.accounts.find((a) => a.name === 'Acme Corp')!.id;
const id = (name: string): string => demo.tunnels.find((t) => t.name === name)!.id;

async function raw(server: CloudflareApiServer, path: string): Promise<{ result: unknown }> {
  const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return (await res.json()) as { result: unknown };
}

describe('Tunnel health in the local API', () => {
  it('tunnel objects carry the API status, conns_active_at/conns_inactive_at and an empty deprecated connections list', async () => {
    await withServer({}, async (server) => {
      const list = (await raw(server, `/accounts/${ACME}/cfd_tunnel?is_deleted=false`)).result as Array<
        Record<string, unknown>
      >;
      const byName = Object.fromEntries(list.map((t) => [t.name, t]));
      assert.deepEqual(
        ['prod-k8s', 'staging', 'legacy-vm', 'homelab'].map((n) => byName[n]!.status),
        ['healthy', 'degraded', 'down', 'inactive'],
      );
      for (const t of list) assert.deepEqual(t.connections, [], `${String(t.name)}: connections is deprecated`);
      assert.ok(byName['prod-k8s']!.conns_active_at && byName['prod-k8s']!.conns_inactive_at === null);
      assert.ok(byName['legacy-vm']!.conns_inactive_at, 'down: it had connections');
      assert.equal(byName['homelab']!.conns_active_at, null, 'inactive: never ran');
    });
  });

  it('connectors come from /connections: {id, features, version, arch, run_at, conns[{colo_name, uuid, opened_at, origin_ip, client_id, is_pending_reconnect: false}]}', async () => {
    await withServer({}, async (server) => {
      const connectors = (await raw(server, `/accounts/${ACME}/cfd_tunnel/${id('staging')}/connections`))
        .result as Array<Record<string, unknown>>;
      assert.equal(connectors.length, 1);
      const c = connectors[0]!;
      for (const key of ['id', 'features', 'version', 'arch', 'run_at', 'conns']) assert.ok(key in c, key);
      const conns = c.conns as Array<Record<string, unknown>>;
      assert.equal(conns.length, 2);
      for (const x of conns) {
        assert.equal(x.is_pending_reconnect, false);
        assert.equal(x.client_id, c.id);
        for (const key of ['colo_name', 'uuid', 'opened_at', 'origin_ip']) assert.ok(key in x, key);
      }
    });
  });

  it('a new tunnel is inactive; cleaning up its last connector makes a tunnel down', async () => {
    await withServer({}, async (server) => {
      const api = apiFor(server);
      assert.equal((await api.createTunnel(ACME, 'fresh', 'cloudflare')).tunnel.status, 'inactive');
      await api.cleanupConnections(ACME, id('staging'));
      assert.equal((await api.getTunnel(ACME, id('staging'))).status, 'down');
      assert.deepEqual(await api.listConnectors(ACME, id('staging')), []);
    });
  });

  it('the tree shows the API status and counts connectors from the connections endpoint', async () => {
    await withServer({}, async (server) => {
      const api = apiFor(server);
      const tree = await buildAccountTree(api, ACME);
      assert.deepEqual(tree.counts, { healthy: 1, degraded: 1, down: 1, inactive: 1 });
      const prod = tree.tunnels.find((t) => t.name === 'prod-k8s')!;
      const loaded = await loadTunnelDetails(api, ACME, prod);
      assert.equal(loaded.connectorCount, 2);
      assert.deepEqual(
        loaded.connectors!.map((c) => c.activeConnections),
        [4, 4],
      );
      assert.equal(loaded.description, 'healthy · remote config · 2 connectors');
    });
  });
});
