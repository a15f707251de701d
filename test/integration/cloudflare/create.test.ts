/**
 * Creating a tunnel is not retried blindly: a duplicate name (409) is sent once, and a create
 * whose answer was lost (dropped connection, timeout) is looked up by name instead of re-sent, so
 * a locally managed tunnel still ends with its credentials. Real SDK, local Cloudflare API.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { credentialsFromToken } from '../../../src/cloudflare/credentials';
import { demoState } from '../../../dev/servers/cloudflare/server';
import type { CloudflareApiServer } from '../../../dev/servers/cloudflare/server';
import { apiFor, rejectsWith, withServer } from './support';

const demo = demoState();
const ACME = demo.accounts.find((a) => a.name === 'Acme Corp')!.id;
const CREATE = { method: 'POST', path: '/accounts/*/cfd_tunnel' };
const posts = (server: CloudflareApiServer): number =>
  server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/cfd_tunnel')).length;
const named = (server: CloudflareApiServer, name: string) =>
  server.state.tunnels.filter((t) => t.name === name && !t.deletedAt);

describe('Creating a tunnel', () => {
  it('a duplicate name is sent exactly once (409 is not retried) and reported as a conflict', async () => {
    await withServer({}, async (server) => {
      // The SDK's default: 2 retries, which it would spend on the 409 (three POSTs, about 1.8 s).
      const api = apiFor(server, { maxRetries: 2 });
      await rejectsWith(
        api.createTunnel(ACME, 'homelab', 'local'),
        'conflict',
        'code 1013',
        'A tunnel named "homelab" already exists',
      );
      assert.equal(posts(server), 1);
    });
  });

  it('a 409 on another call (rename to a taken name) is not retried either', async () => {
    await withServer({}, async (server) => {
      const api = apiFor(server, { maxRetries: 2 });
      const staging = demo.tunnels.find((t) => t.name === 'staging')!.id;
      await rejectsWith(api.renameTunnel(ACME, staging, 'homelab'), 'conflict');
      assert.equal(server.requests.filter((r) => r.method === 'PATCH').length, 1);
    });
  });

  it('a locally managed create whose answer is dropped after the server created it ends with the tunnel and its credentials', async () => {
    await withServer({ faults: [{ ...CREATE, drop: true, afterServing: true, times: 1 }] }, async (server) => {
      const created = await apiFor(server, { maxRetries: 2 }).createTunnel(ACME, 'lost-answer', 'local');
      assert.equal(posts(server), 1, 'the create is not re-sent');
      const stored = named(server, 'lost-answer');
      assert.equal(stored.length, 1);
      assert.equal(created.tunnel.id, stored[0]!.id);
      assert.equal(created.recovered, true);
      // The secret we generated is the tunnel's: credentials.json can be written from it.
      assert.equal(created.tunnelSecret, stored[0]!.secret);
      const viaToken = credentialsFromToken(await apiFor(server).getRunToken(ACME, created.tunnel.id));
      assert.equal(viaToken.TunnelSecret, created.tunnelSecret);
    });
  });

  it('a create answered after the client timed out is found by name, not sent again', async () => {
    await withServer({ faults: [{ ...CREATE, delayMs: 1500, afterServing: true, times: 1 }] }, async (server) => {
      const created = await apiFor(server, { maxRetries: 2, timeoutMs: 300 }).createTunnel(
        ACME,
        'slow-answer',
        'local',
      );
      assert.equal(posts(server), 1);
      assert.equal(created.tunnel.id, named(server, 'slow-answer')[0]!.id);
      assert.equal(created.tunnelSecret, named(server, 'slow-answer')[0]!.secret);
    });
  });

  it('a remotely managed create whose answer is lost is found by name', async () => {
    await withServer({ faults: [{ ...CREATE, drop: true, afterServing: true, times: 1 }] }, async (server) => {
      const created = await apiFor(server, { maxRetries: 2 }).createTunnel(ACME, 'lost-remote', 'cloudflare');
      assert.equal(posts(server), 1);
      assert.equal(created.tunnel.id, named(server, 'lost-remote')[0]!.id);
      assert.equal(created.tunnel.configSrc, 'cloudflare');
      assert.equal(created.tunnelSecret, undefined);
    });
  });

  it('a create lost before the server saw it says nothing was created, and creates nothing', async () => {
    await withServer({ faults: [{ ...CREATE, drop: true, times: 1 }] }, async (server) => {
      await rejectsWith(
        apiFor(server, { maxRetries: 2 }).createTunnel(ACME, 'never-made', 'local'),
        'offline',
        'No tunnel named "never-made" was created; try again.',
      );
      assert.equal(posts(server), 1);
      assert.equal(named(server, 'never-made').length, 0);
    });
  });

  it("a lost create is not confused with someone else's tunnel of that name (its secret differs)", async () => {
    await withServer({ faults: [{ ...CREATE, drop: true, times: 1 }] }, async (server) => {
      // homelab exists already; the dropped POST never reached the handler.
      await rejectsWith(
        apiFor(server).createTunnel(ACME, 'homelab', 'local'),
        'offline',
        'No tunnel named "homelab" was created',
      );
      assert.equal(named(server, 'homelab').length, 1);
    });
  });
});
