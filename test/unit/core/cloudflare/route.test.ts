/** planHostnameRoute: what the records at a name mean for routing it to a tunnel (pure). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTunnelsTree } from '../../../../src/core/cloudflare/tunnelsTree';
import { planHostnameRoute } from '../../../../src/core/cloudflare/route';

const T = '6ff42ae2-765d-4adf-8112-31c55c1551ef';
const OTHER = 'c1744f8b-faa1-48a4-9e5c-02ac921467fa';
const rec = (id: string, type: string, content: string, proxied = true, name = 'www.example.com') => ({
  id,
  name,
  type,
  content,
  proxied,
});

test('a dual-stack name (A and AAAA) is replaced: every other address record is removed first, one is overwritten', () => {
  const plan = planHostnameRoute('WWW.example.com.', T, [
    rec('a', 'A', '192.0.2.1'),
    rec('b', 'AAAA', '2001:db8::1'),
    rec('m', 'MX', 'mail.example.com', false),
    rec('t', 'TXT', '"v=spf1"', false),
  ]);
  assert.equal(plan.kind, 'replace');
  if (plan.kind !== 'replace') return;
  assert.equal(plan.hostname, 'www.example.com');
  assert.deepEqual(
    plan.records.map((r) => r.id),
    ['a', 'b'],
  );
  assert.equal(plan.keep.id, 'a');
  assert.deepEqual(
    plan.remove.map((r) => r.id),
    ['b'],
    'MX and TXT stay',
  );
});

test('a CNAME to the tunnel: routed when proxied, "turn the proxy on" when not (never "already routed")', () => {
  assert.equal(planHostnameRoute('www.example.com', T, [rec('c', 'CNAME', `${T}.cfargotunnel.com`)]).kind, 'routed');
  const off = planHostnameRoute('www.example.com', T.toUpperCase(), [
    rec('c', 'CNAME', `${T}.cfargotunnel.com.`, false),
  ]);
  assert.equal(off.kind, 'enable-proxy');
  assert.equal(off.kind === 'enable-proxy' && off.record.id, 'c');
});

test('nothing at the name → create; a CNAME elsewhere or to another tunnel → replace; other names are ignored', () => {
  assert.equal(
    planHostnameRoute('www.example.com', T, [
      rec('x', 'A', '192.0.2.9', true, 'api.example.com'),
      rec('t', 'TXT', 'x', false),
    ]).kind,
    'create',
  );
  const other = planHostnameRoute('www.example.com', T, [rec('c', 'CNAME', `${OTHER}.cfargotunnel.com`)]);
  assert.equal(other.kind, 'replace');
  assert.deepEqual(other.kind === 'replace' && other.remove, []);
});

test('the tree reads health from the tunnel status and never counts the deprecated connections', () => {
  const tunnel = {
    id: T,
    name: 'prod',
    status: 'healthy' as const,
    configSrc: 'cloudflare' as const,
    connections: [{ clientId: 'c1' }, { clientId: 'c2' }, { clientId: 'c3' }],
  };
  const tree = buildTunnelsTree({ account: { id: 'acc' }, tunnels: [tunnel], zones: [], records: [] });
  assert.equal(tree.tunnels[0]!.connectorCount, undefined, 'known only from the connections endpoint');
  assert.equal(tree.tunnels[0]!.description, 'healthy · remote config');
  assert.deepEqual(tree.counts, { healthy: 1, degraded: 0, down: 0, inactive: 0 });
});
