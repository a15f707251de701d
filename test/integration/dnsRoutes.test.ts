/**
 * The wizard's "Route DNS" step end to end below the editor: the planner and the changes
 * (wizardModel.applyDnsRoutes) through the real Cloudflare wrapper and SDK against the local
 * Cloudflare API server (dev/servers/cloudflare), checking the server's records afterwards.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planDnsRoutes } from '../../src/core/scaffold/dnsRoutes';
import { applyDnsRoutes, recordsAtZoneHostnames } from '../../src/extension/scaffold/wizardModel';
import { demoState, startCloudflareApi } from '../../dev/servers/cloudflare/server';
import type { CloudflareApiServer, StoredRecord } from '../../dev/servers/cloudflare/server';
import { apiFor, seen, TOKEN } from './cloudflare/support';

const demo = demoState();
const zoneId = (name: string): string => demo.zones.find((z) => z.name === name)!.id;
const HOMELAB = demo.tunnels.find((t) => t.name === 'homelab')!.id;
const TARGET = `${HOMELAB}.cfargotunnel.com`;

async function withDemo(fn: (server: CloudflareApiServer) => Promise<void>): Promise<void> {
  const server = await startCloudflareApi({ token: TOKEN, data: demoState() });
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

const at = (server: CloudflareApiServer, name: string): StoredRecord[] =>
  server.state.records.filter((r) => r.name === name);
const brief = (rs: StoredRecord[]): string[] =>
  rs.map((r) => `${r.type} ${r.content}${r.proxied ? ' proxied' : ''}`).sort();

describe('Route DNS for a zone apex and wildcard (real SDK, local Cloudflare API)', () => {
  it('overwrites the apex AAAA and creates the wildcard; a second run changes nothing', async () => {
    await withDemo(async (server) => {
      const api = apiFor(server);
      const zone = zoneId('example.dev');
      const apexBefore = at(server, 'example.dev')[0]!;
      const plan = planDnsRoutes('example.dev', HOMELAB, await recordsAtZoneHostnames(api, zone, 'example.dev'));
      assert.deepEqual(
        plan.routes.map((r) => [r.hostname, r.kind]),
        [
          ['example.dev', 'overwrite'],
          ['*.example.dev', 'create'],
        ],
      );
      assert.equal(plan.routes[0]!.reason, 'points elsewhere: AAAA 2001:db8::1 (proxied)');

      const mark = server.requests.length;
      const results = await applyDnsRoutes(api, zone, plan, true);
      assert.deepEqual(
        results.map((r) => [r.hostname, r.outcome, r.detail]),
        [
          ['example.dev', 'overwritten', 'was AAAA 2001:db8::1 (proxied)'],
          ['*.example.dev', 'created', `proxied CNAME → ${TARGET}`],
        ],
      );
      const writes = server.requests.slice(mark).filter((r) => r.method !== 'GET');
      assert.deepEqual(
        writes.map((r) => `${r.method} ${r.path}`),
        [`PUT /zones/${zone}/dns_records/${apexBefore.id}`, `POST /zones/${zone}/dns_records`],
      );

      assert.deepEqual(brief(at(server, 'example.dev')), [`CNAME ${TARGET} proxied`]);
      assert.equal(at(server, 'example.dev')[0]!.id, apexBefore.id, 'the apex record was replaced in place (PUT)');
      assert.deepEqual(brief(at(server, '*.example.dev')), [`CNAME ${TARGET} proxied`]);
      assert.equal(at(server, '*.example.dev')[0]!.ttl, 1);

      const again = planDnsRoutes('example.dev', HOMELAB, await recordsAtZoneHostnames(api, zone, 'example.dev'));
      assert.deepEqual(
        again.routes.map((r) => r.kind),
        ['routed', 'routed'],
      );
      const before = server.requests.length;
      assert.deepEqual(
        (await applyDnsRoutes(api, zone, again, true)).map((r) => r.outcome),
        ['unchanged', 'unchanged'],
      );
      assert.ok(
        server.requests.slice(before).every((r) => r.method === 'GET'),
        'nothing written the second time',
      );
    });
  });

  it('without consent keeps the apex A (and its MX and TXT) and creates only the wildcard', async () => {
    await withDemo(async (server) => {
      const api = apiFor(server);
      const zone = zoneId('example.com');
      const apexBefore = brief(at(server, 'example.com'));
      const plan = planDnsRoutes('example.com', HOMELAB, await recordsAtZoneHostnames(api, zone, 'example.com'));
      assert.equal(plan.routes[0]!.kind, 'overwrite');
      assert.deepEqual(plan.routes[0]!.kept.map((r) => r.type).sort(), ['MX', 'TXT']);
      assert.deepEqual(seen(server, `/zones/${zone}/dns_records`).slice(-2).map(decodeURIComponent), [
        `GET /zones/${zone}/dns_records?per_page=5000&name.exact=example.com`,
        `GET /zones/${zone}/dns_records?per_page=5000&name.exact=*.example.com`,
      ]);

      const results = await applyDnsRoutes(api, zone, plan, false);
      assert.deepEqual(
        results.map((r) => [r.hostname, r.outcome]),
        [
          ['example.com', 'kept'],
          ['*.example.com', 'created'],
        ],
      );
      assert.deepEqual(brief(at(server, 'example.com')), apexBefore);
      assert.deepEqual(brief(at(server, '*.example.com')), [`CNAME ${TARGET} proxied`]);
      assert.deepEqual(
        brief(at(server, 'www.example.com')),
        ['CNAME example.com proxied'],
        'other names are untouched',
      );
    });
  });

  it('a failed create is reported with what to do and does not hide the overwrite that worked', async () => {
    await withDemo(async (server) => {
      const api = apiFor(server);
      const zone = zoneId('example.dev');
      const plan = planDnsRoutes('example.dev', HOMELAB, await recordsAtZoneHostnames(api, zone, 'example.dev'));
      server.setFault({
        method: 'POST',
        path: `/zones/${zone}/dns_records`,
        status: 403,
        errors: [{ code: 10000, message: 'Authentication error' }],
      });
      const results = await applyDnsRoutes(api, zone, plan, true);
      assert.deepEqual(
        results.map((r) => [r.hostname, r.outcome]),
        [
          ['example.dev', 'overwritten'],
          ['*.example.dev', 'failed'],
        ],
      );
      assert.match(
        results[1]!.detail,
        /not allowed to create the DNS route \*\.example\.dev .*"Zone › DNS › Edit"/,
        results[1]!.detail,
      );
      assert.ok(!results[1]!.detail.includes(TOKEN), 'the token is never in a message');
      assert.deepEqual(brief(at(server, 'example.dev')), [`CNAME ${TARGET} proxied`]);
      assert.deepEqual(at(server, '*.example.dev'), []);
    });
  });

  it('a record changed after the plan was shown is not overwritten', async () => {
    await withDemo(async (server) => {
      const api = apiFor(server);
      const zone = zoneId('example.dev');
      const plan = planDnsRoutes('example.dev', HOMELAB, await recordsAtZoneHostnames(api, zone, 'example.dev'));
      at(server, 'example.dev')[0]!.content = '2001:db8::2'; // someone edits it in the dashboard meanwhile
      const results = await applyDnsRoutes(api, zone, plan, true);
      assert.deepEqual(
        results.map((r) => [r.hostname, r.outcome]),
        [
          ['example.dev', 'skipped'],
          ['*.example.dev', 'created'],
        ],
      );
      assert.match(results[0]!.detail, /changed since it was shown: points elsewhere: AAAA 2001:db8::2/);
      assert.deepEqual(brief(at(server, 'example.dev')), ['AAAA 2001:db8::2 proxied']);
    });
  });
});
