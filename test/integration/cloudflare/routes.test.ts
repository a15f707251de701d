/**
 * Routing a hostname to a tunnel (CloudflareApi.routeHostname, used by the route command, "Expose
 * through Tunnel" and the drift fix) through the real SDK against the local Cloudflare API, which
 * refuses a CNAME beside another A, AAAA or CNAME record of the name as Cloudflare does (81053).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { demoState } from '../../../dev/servers/cloudflare/server';
import type { CloudflareApiServer, StoredRecord } from '../../../dev/servers/cloudflare/server';
import { apiFor, rejectsWith, withServer } from './support';

const demo = demoState();
const EXAMPLE_COM = demo.zones.find((z) => z.name === 'example.com')!.id;
const PROD = demo.tunnels.find((t) => t.name === 'prod-k8s')!.id;
const TARGET = `${PROD}.cfargotunnel.com`;

function seed(server: CloudflareApiServer, name: string, type: string, content: string, proxied = true): StoredRecord {
  const r: StoredRecord = {
    id: `${type}${name}${content}`
      .replace(/[^a-z0-9]/gi, '')
      .slice(0, 32)
      .padEnd(32, '0')
      .toLowerCase(),
    zoneId: EXAMPLE_COM,
    name,
    type,
    content,
    proxied,
    ttl: 1,
    comment: null,
    tags: [],
    createdOn: '2026-01-01T00:00:00Z',
    modifiedOn: '2026-01-01T00:00:00Z',
  };
  server.state.records.push(r);
  return r;
}
const at = (server: CloudflareApiServer, name: string): string[] =>
  server.state.records
    .filter((r) => r.name === name)
    .map((r) => `${r.type} ${r.content}${r.proxied ? ' proxied' : ''}`)
    .sort();
const writes = (server: CloudflareApiServer, from: number): string[] =>
  server.requests
    .slice(from)
    .filter((r) => r.method !== 'GET')
    .map((r) => `${r.method} ${r.path.replace(`/zones/${EXAMPLE_COM}`, '')}`);

describe('The local API refuses a CNAME beside other address records (code 81053)', () => {
  it('on create, on PUT (overwrite) and on PATCH, while another A/AAAA of the name remains', async () => {
    await withServer({}, async (server) => {
      const a = seed(server, 'dual.example.com', 'A', '192.0.2.7');
      const aaaa = seed(server, 'dual.example.com', 'AAAA', '2001:db8::7');
      const api = apiFor(server);
      await rejectsWith(
        api.createTunnelCname(EXAMPLE_COM, 'dual.example.com', PROD),
        'conflict',
        'code 81053',
        'An A, AAAA, or CNAME record with that host already exists.',
      );
      // The order the route used to take: overwrite the first address record, then delete the rest.
      await rejectsWith(api.pointRecordAtTunnel(EXAMPLE_COM, a.id, 'dual.example.com', PROD), 'conflict', 'code 81053');
      await rejectsWith(
        api.updateRecord(EXAMPLE_COM, aaaa.id, { type: 'CNAME', content: TARGET }),
        'conflict',
        'code 81053',
      );
      // A CNAME beside a CNAME is refused too.
      seed(server, 'alias.example.com', 'CNAME', 'origin.example.net');
      await rejectsWith(api.createTunnelCname(EXAMPLE_COM, 'alias.example.com', PROD), 'conflict', 'code 81053');
      assert.deepEqual(at(server, 'dual.example.com'), ['A 192.0.2.7 proxied', 'AAAA 2001:db8::7 proxied']);
    });
  });
});

describe('routeHostname', () => {
  it('routes a dual-stack name (A + AAAA): asks, deletes the other address record first, then overwrites; MX/TXT stay', async () => {
    await withServer({}, async (server) => {
      const a = seed(server, 'dual.example.com', 'A', '192.0.2.7');
      const aaaa = seed(server, 'dual.example.com', 'AAAA', '2001:db8::7');
      seed(server, 'dual.example.com', 'TXT', '"keep me"', false);
      const from = server.requests.length;
      let asked: string[] = [];
      const outcome = await apiFor(server).routeHostname(EXAMPLE_COM, 'dual.example.com', PROD, {
        confirmReplace: (plan) => {
          asked = plan.records.map((r) => r.type);
          return true;
        },
      });
      assert.deepEqual(asked, ['A', 'AAAA']);
      assert.equal(outcome.kind, 'replaced');
      assert.deepEqual(writes(server, from), [`DELETE /dns_records/${aaaa.id}`, `PUT /dns_records/${a.id}`]);
      assert.deepEqual(at(server, 'dual.example.com'), [`CNAME ${TARGET} proxied`, 'TXT "keep me"']);
    });
  });

  it('changes nothing when the replacement is declined (or nobody is asked)', async () => {
    await withServer({}, async (server) => {
      seed(server, 'dual.example.com', 'A', '192.0.2.7');
      seed(server, 'dual.example.com', 'AAAA', '2001:db8::7');
      const from = server.requests.length;
      const api = apiFor(server);
      assert.equal(
        (await api.routeHostname(EXAMPLE_COM, 'dual.example.com', PROD, { confirmReplace: () => false })).kind,
        'declined',
      );
      assert.equal((await api.routeHostname(EXAMPLE_COM, 'dual.example.com', PROD)).kind, 'declined');
      assert.deepEqual(writes(server, from), []);
    });
  });

  it('turns the proxy on for an unproxied CNAME to the tunnel (PATCH proxied: true): it is not "already routed"', async () => {
    await withServer({}, async (server) => {
      const r = seed(server, 'dnsonly.example.com', 'CNAME', TARGET, false);
      const from = server.requests.length;
      let asked = false;
      const outcome = await apiFor(server).routeHostname(EXAMPLE_COM, 'dnsonly.example.com', PROD, {
        confirmReplace: () => (asked = true),
      });
      assert.equal(outcome.kind, 'proxied');
      assert.equal(asked, false, 'turning the proxy on replaces nothing');
      assert.deepEqual(writes(server, from), [`PATCH /dns_records/${r.id}`]);
      assert.deepEqual(JSON.parse(server.requests.at(-1)!.body), { proxied: true });
      assert.deepEqual(at(server, 'dnsonly.example.com'), [`CNAME ${TARGET} proxied`]);
    });
  });

  it('creates where no address record is, and leaves a proxied CNAME to the tunnel alone', async () => {
    await withServer({}, async (server) => {
      const api = apiFor(server);
      assert.equal((await api.routeHostname(EXAMPLE_COM, 'new.example.com', PROD)).kind, 'created');
      const from = server.requests.length;
      assert.equal((await api.routeHostname(EXAMPLE_COM, 'new.example.com', PROD)).kind, 'unchanged');
      assert.deepEqual(writes(server, from), []);
      assert.deepEqual(at(server, 'new.example.com'), [`CNAME ${TARGET} proxied`]);
    });
  });

  it('a CNAME create whose answer is lost after it was written is sent once and ends routed', async () => {
    await withServer(
      { faults: [{ method: 'POST', path: '/zones/*/dns_records', drop: true, afterServing: true, times: 1 }] },
      async (server) => {
        const outcome = await apiFor(server, { maxRetries: 2 }).routeHostname(EXAMPLE_COM, 'lost.example.com', PROD);
        assert.equal(outcome.kind, 'created');
        assert.equal(server.requests.filter((r) => r.method === 'POST').length, 1);
        assert.deepEqual(at(server, 'lost.example.com'), [`CNAME ${TARGET} proxied`]);
      },
    );
  });
});

describe('Error codes', () => {
  it('1003 ("Invalid or missing zone id.") is a bad request with the API\'s own words, not "already exists"', async () => {
    await withServer(
      {
        faults: [
          {
            method: 'POST',
            path: '/zones/*/dns_records',
            status: 400,
            errors: [{ code: 1003, message: 'Invalid or missing zone id.' }],
          },
        ],
      },
      async (server) => {
        const err = await rejectsWith(
          apiFor(server).createTunnelCname(EXAMPLE_COM, 'x.example.com', PROD),
          'bad-request',
          'code 1003: Invalid or missing zone id.',
        );
        assert.doesNotMatch(err.message, /already exists|overwrite/);
      },
    );
  });
});
