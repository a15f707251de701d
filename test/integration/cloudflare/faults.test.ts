/**
 * Each failure mode of the Cloudflare API, served by the local server's fault modes, through the
 * real SDK and its retries: the wrapper's error kind and a message that says what to do.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { demoState } from '../../../dev/servers/cloudflare/server';
import { apiFor, rejectsWith, startServer, withServer } from './support';

const demo = demoState();
const ACME = demo.accounts.find((a) => a.name === 'Acme Corp')!.id;
const EXAMPLE_COM = demo.zones.find((z) => z.name === 'example.com')!.id;
const PROD = demo.tunnels.find((t) => t.name === 'prod-k8s')!.id;
const TUNNELS = '/accounts/*/cfd_tunnel';

describe('Cloudflare API faults', () => {
  it('401 → unauthorized: the token is invalid or expired, sign in again (not retried)', async () => {
    await withServer({ faults: [{ path: TUNNELS, status: 401 }] }, async (server) => {
      const err = await rejectsWith(
        apiFor(server, { maxRetries: 2 }).listTunnels(ACME),
        'unauthorized',
        'invalid or expired',
        'sign in again',
      );
      assert.equal(err.status, 401);
      assert.deepEqual(err.codes, [9109]);
      assert.equal(server.requests.length, 1);
    });
  });

  it('403 with code 10000 → forbidden, naming the permission the call needs (not retried)', async () => {
    await withServer(
      { faults: [{ path: TUNNELS, status: 403, errors: [{ code: 10000, message: 'Authentication error' }] }] },
      async (server) => {
        const err = await rejectsWith(
          apiFor(server, { maxRetries: 2 }).listTunnels(ACME),
          'forbidden',
          '"Account › Cloudflare Tunnel › Read"',
          'code 10000: Authentication error',
        );
        assert.deepEqual(err.codes, [10000]);
        assert.equal(server.requests.length, 1);
      },
    );
  });

  it('403 from a token without the permission names it, per call (Tunnel Edit, DNS Edit, DNS Read)', async () => {
    const data = demoState();
    data.token.permissions = ['account:read', 'zone:read', 'tunnel:read'];
    await withServer({ data }, async (server) => {
      const api = apiFor(server);
      await rejectsWith(api.createTunnel(ACME, 'x', 'local'), 'forbidden', 'Account › Cloudflare Tunnel › Edit');
      await rejectsWith(api.getRunToken(ACME, PROD), 'forbidden', 'Account › Cloudflare Tunnel › Edit');
      await rejectsWith(api.createTunnelCname(EXAMPLE_COM, 'x.example.com', PROD), 'forbidden', 'Zone › DNS › Edit');
      await rejectsWith(api.listDnsRecords(EXAMPLE_COM), 'forbidden', 'Zone › DNS › Read');
      // Reading tunnels is allowed.
      assert.equal((await api.listTunnels(ACME)).length, 4);
    });
  });

  it('429 is retried as the SDK does (honouring retry-after) and then succeeds', async () => {
    await withServer({ faults: [{ path: TUNNELS, status: 429, retryAfter: 0, times: 2 }] }, async (server) => {
      const tunnels = await apiFor(server, { maxRetries: 2 }).listTunnels(ACME);
      assert.equal(tunnels.length, 4);
      assert.deepEqual(
        server.requests.map((r) => r.headers['x-stainless-retry-count']),
        ['0', '1', '2'],
      );
    });
  });

  it('429 past the retries → rate-limited, saying how long to wait', async () => {
    await withServer(
      { faults: [{ path: TUNNELS, status: 429, retryAfter: 30, headers: { 'retry-after-ms': '5' } }] },
      async (server) => {
        const err = await rejectsWith(
          apiFor(server, { maxRetries: 2 }).listTunnels(ACME),
          'rate-limited',
          'retried 2 times',
          'try again in 30 seconds',
        );
        assert.equal(err.retryAfterSeconds, 30);
        assert.deepEqual(err.codes, [971]);
        assert.equal(server.requests.length, 3);
        assert.ok(err.transient);
      },
    );
  });

  it('500 is retried and then succeeds', async () => {
    await withServer({ faults: [{ path: TUNNELS, status: 500, times: 1 }] }, async (server) => {
      const tunnels = await apiFor(server, { maxRetries: 1 }).listTunnels(ACME);
      assert.equal(tunnels.length, 4);
      assert.equal(server.requests.length, 2);
    });
  });

  it('500 past the retries → server, pointing at the status page', async () => {
    await withServer({ faults: [{ path: TUNNELS, status: 502 }] }, async (server) => {
      const err = await rejectsWith(
        apiFor(server, { maxRetries: 1 }).listTunnels(ACME),
        'server',
        'HTTP 502',
        'retried 1 time',
        'cloudflarestatus.com',
      );
      assert.equal(err.status, 502);
      assert.equal(server.requests.length, 2);
    });
  });

  it('a slow answer → timeout (each attempt is timed out and retried)', async () => {
    await withServer({ faults: [{ path: TUNNELS, delayMs: 2000 }] }, async (server) => {
      const err = await rejectsWith(
        apiFor(server, { timeoutMs: 150, maxRetries: 1 }).listTunnels(ACME),
        'timeout',
        'did not answer within 0.2 s',
        '2 attempts',
      );
      assert.equal(err.status, undefined);
      assert.equal(server.requests.length, 2);
    });
  });

  it('a slow answer within the timeout is just slow', async () => {
    await withServer({ faults: [{ path: TUNNELS, delayMs: 100 }] }, async (server) => {
      assert.equal((await apiFor(server, { timeoutMs: 2000 }).listTunnels(ACME)).length, 4);
    });
  });

  it('malformed JSON → invalid-response', async () => {
    await withServer({ faults: [{ path: TUNNELS, malformed: true }] }, async (server) => {
      await rejectsWith(apiFor(server).listTunnels(ACME), 'invalid-response', 'malformed JSON', server.url);
    });
  });

  it('a server that is not there → offline, naming the address and the setting', async () => {
    const server = await startServer();
    const url = server.url;
    await server.close();
    const err = await rejectsWith(
      apiFor({ url }).listTunnels(ACME),
      'offline',
      'Cannot reach the Cloudflare API',
      'ECONNREFUSED',
      'cftunnel.cloudflare.apiBaseUrl',
    );
    assert.ok(err.transient);
  });

  it('a dropped connection is retried, then → offline', async () => {
    await withServer({ faults: [{ path: TUNNELS, drop: true, times: 1 }] }, async (server) => {
      assert.equal((await apiFor(server, { maxRetries: 1 }).listTunnels(ACME)).length, 4);
    });
    await withServer({ faults: [{ path: TUNNELS, drop: true }] }, async (server) => {
      await rejectsWith(apiFor(server).listTunnels(ACME), 'offline', 'Cannot reach the Cloudflare API');
    });
  });

  it('fails N times then succeeds, only for the matching method and path', async () => {
    await withServer({ faults: [{ method: 'POST', path: TUNNELS, status: 500, times: 1 }] }, async (server) => {
      const api = apiFor(server);
      assert.equal((await api.listTunnels(ACME)).length, 4);
      await rejectsWith(api.createTunnel(ACME, 'flaky', 'local'), 'server');
      const { tunnel } = await api.createTunnel(ACME, 'flaky', 'local');
      assert.equal(tunnel.name, 'flaky');
    });
  });

  it('a fault set while running applies to the next request; clearFaults removes it', async () => {
    await withServer({}, async (server) => {
      const api = apiFor(server);
      server.setFault({ path: '/zones/**', status: 503 });
      await rejectsWith(api.listDnsRecords(EXAMPLE_COM), 'server', 'HTTP 503');
      server.clearFaults();
      assert.equal((await api.listDnsRecords(EXAMPLE_COM)).length, 10);
    });
  });
});
