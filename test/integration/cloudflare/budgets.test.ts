/**
 * Calls that never end (issue #16): a body that stalls after the headers, a `retry-after` of an
 * hour, an answer of many megabytes, a list that never runs out of pages, and a user who cancels.
 * Each is served by the local server's fault modes through the real SDK; each test has a generous
 * timeout so that the code before the fix (which hung or took thousands of requests) fails
 * instead of stalling the suite.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { demoState } from '../../../dev/servers/cloudflare/server';
import { DEFAULT_MAX_PAGES } from '../../../src/cloudflare/api';
import { apiFor, rejectsWith, withServer } from './support';

const demo = demoState();
const ACME = demo.accounts.find((a) => a.name === 'Acme Corp')!.id;
const TUNNELS = '/accounts/*/cfd_tunnel';
const GUARD = { timeout: 30_000 };

async function timed<T>(promise: Promise<T>): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  const value = await promise;
  return { value, ms: Date.now() - start };
}

describe('Cloudflare API budgets', () => {
  it('a body that stalls after the headers → timeout at the call deadline', GUARD, async () => {
    await withServer({ faults: [{ path: TUNNELS, stallBody: true }] }, async (server) => {
      const { ms } = await timed(
        rejectsWith(
          apiFor(server, { timeoutMs: 5000, deadlineMs: 600 }).listTunnels(ACME),
          'timeout',
          'did not finish answering within 0.6 s',
          'list the tunnels of account',
        ),
      );
      assert.ok(ms < 3000, `took ${ms} ms`);
      assert.equal(server.requests.length, 1);
    });
  });

  it('the deadline covers the waits between retries too', GUARD, async () => {
    await withServer({ faults: [{ path: TUNNELS, status: 503, retryAfter: 4 }] }, async (server) => {
      const { ms } = await timed(
        rejectsWith(apiFor(server, { maxRetries: 5, deadlineMs: 800 }).listTunnels(ACME), 'timeout', 'within 0.8 s'),
      );
      assert.ok(ms < 3000, `took ${ms} ms`);
    });
  });

  it('Retry-After: 3600 → rate-limited at once, "try again in 60 min", not retried', GUARD, async () => {
    await withServer({ faults: [{ path: TUNNELS, status: 429, retryAfter: 3600 }] }, async (server) => {
      const { value: err, ms } = await timed(
        rejectsWith(
          apiFor(server, { maxRetries: 2 }).listTunnels(ACME),
          'rate-limited',
          'Rate-limited by Cloudflare, try again in 60 min',
          'HTTP 429',
        ),
      );
      assert.ok(!err.message.includes('retried'), err.message);
      assert.equal(err.retryAfterSeconds, 3600);
      assert.equal(server.requests.length, 1);
      assert.ok(ms < 3000, `took ${ms} ms`);
    });
  });

  it('a retry-after within the cap (5 s) is waited for, then retried', GUARD, async () => {
    await withServer({ faults: [{ path: TUNNELS, status: 429, retryAfter: 1, times: 1 }] }, async (server) => {
      const { value, ms } = await timed(apiFor(server, { maxRetries: 2 }).listTunnels(ACME));
      assert.equal(value.length, 4);
      assert.equal(server.requests.length, 2);
      assert.ok(ms >= 900, `took ${ms} ms`);
    });
  });

  it('a 25 MB answer → invalid-response at the 20 MB cap, without reading the rest', GUARD, async () => {
    await withServer({ faults: [{ path: TUNNELS, hugeBodyBytes: 25 * 1024 * 1024 }] }, async (server) => {
      await rejectsWith(
        apiFor(server).listTunnels(ACME),
        'invalid-response',
        'larger than 20 MB while trying to list the tunnels of account',
        'cftunnel.cloudflare.apiBaseUrl',
      );
    });
  });

  it('a smaller cap applies as configured; an answer under it is read', GUARD, async () => {
    await withServer({ faults: [{ path: TUNNELS, hugeBodyBytes: 3 * 1024 * 1024, times: 1 }] }, async (server) => {
      const api = apiFor(server, { maxResponseBytes: 2 * 1024 * 1024 });
      await rejectsWith(api.listTunnels(ACME), 'invalid-response', 'larger than 2 MB');
      assert.equal((await api.listTunnels(ACME)).length, 4);
    });
  });

  it(`a list that never runs out of pages stops at ${DEFAULT_MAX_PAGES} pages`, { timeout: 120_000 }, async () => {
    await withServer({ faults: [{ path: TUNNELS, endlessPages: true }] }, async (server) => {
      await rejectsWith(
        apiFor(server).listTunnels(ACME),
        'invalid-response',
        `kept announcing more pages while trying to list the tunnels of account ${ACME}: stopped after ${DEFAULT_MAX_PAGES} pages`,
      );
      assert.equal(server.requests.length, DEFAULT_MAX_PAGES);
    });
  });

  it('withSignal: an abort cancels a call in flight, during a retry wait, and before it starts', GUARD, async () => {
    await withServer({ faults: [{ path: TUNNELS, stallBody: true }] }, async (server) => {
      const ac = new AbortController();
      const api = apiFor(server, { deadlineMs: 60_000 });
      setTimeout(() => ac.abort(), 200);
      const { value: err, ms } = await timed(
        rejectsWith(api.withSignal(ac.signal).listTunnels(ACME), 'cancelled', 'Cancelled: list the tunnels'),
      );
      assert.ok(!err.transient);
      assert.ok(ms < 2000, `took ${ms} ms`);
      // The same API without the signal still works (the view does not change it).
      server.clearFaults();
      assert.equal((await api.listTunnels(ACME)).length, 4);
      await rejectsWith(api.withSignal(ac.signal).listTunnels(ACME), 'cancelled');
    });
    await withServer({ faults: [{ path: TUNNELS, status: 503, retryAfter: 4 }] }, async (server) => {
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 200);
      const { ms } = await timed(
        rejectsWith(apiFor(server, { maxRetries: 2 }).withSignal(ac.signal).listTunnels(ACME), 'cancelled'),
      );
      assert.ok(ms < 2000, `took ${ms} ms`);
      assert.equal(server.requests.length, 1);
    });
  });

  it('withSignal reaches the calls a call makes (routeHostname reads, then writes)', GUARD, async () => {
    await withServer({ faults: [{ path: '/zones/*/dns_records', stallBody: true }] }, async (server) => {
      const ac = new AbortController();
      const zone = demo.zones.find((z) => z.name === 'example.com')!.id;
      const prod = demo.tunnels.find((t) => t.name === 'prod-k8s')!.id;
      setTimeout(() => ac.abort(), 200);
      await rejectsWith(
        apiFor(server).withSignal(ac.signal).routeHostname(zone, 'new.example.com', prod),
        'cancelled',
        'Cancelled: list the DNS records',
      );
    });
  });
});
