/**
 * The wizard's "Route DNS" step: the planner (src/core/scaffold/dnsRoutes.ts) for every kind of
 * existing record, the re-check right before the change, the report, the step's choices, and the
 * changes made through a fake API (one failure does not hide the others).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DnsFilter, DnsRecord } from '../../../../src/cloudflare/types';
import { checkConfigText } from '../../../../src/core/config/check';
import {
  describeRecord,
  dnsChanges,
  dnsReport,
  planDnsRoutes,
  reconcileDnsPlan,
  routedHostnames,
  zoneHostnames,
} from '../../../../src/core/scaffold/dnsRoutes';
import { tunnelCnameTarget } from '../../../../src/core/cloudflare/tunnelCname';
import type { DnsRecordLike, DnsRouteResult } from '../../../../src/core/scaffold/dnsRoutes';
import { scaffoldPlan } from '../../../../src/core/scaffold/scaffold';
import { applyDnsRoutes, dnsPlanChoices, recordsAtZoneHostnames } from '../../../../src/extension/scaffold/wizardModel';
import type { DnsRouteApi } from '../../../../src/extension/scaffold/wizardModel';

const TUNNEL = '6ff42ae2-765d-4adf-8112-31c55c1551ef';
const OTHER = 'c1744f8b-faa1-48a4-9e5c-02ac921467fa';
const TARGET = `${TUNNEL}.cfargotunnel.com`;

let n = 0;
const rec = (name: string, type: string, content: string, proxied = false): DnsRecordLike => ({
  id: `r${++n}`,
  name,
  type,
  content,
  proxied,
});
const kinds = (records: DnsRecordLike[]): string[] =>
  planDnsRoutes('example.com', TUNNEL, records).routes.map((r) => `${r.hostname}=${r.kind}`);

describe('planDnsRoutes', () => {
  test('no records: create both, proxied CNAMEs to <tunnel-id>.cfargotunnel.com', () => {
    const plan = planDnsRoutes('Example.COM.', TUNNEL.toUpperCase(), []);
    assert.equal(plan.zone, 'example.com');
    assert.equal(plan.tunnelId, TUNNEL);
    assert.equal(plan.target, TARGET);
    assert.equal(tunnelCnameTarget(TUNNEL), TARGET);
    assert.deepEqual(zoneHostnames('example.com'), ['example.com', '*.example.com']);
    assert.deepEqual(
      plan.routes.map((r) => [r.hostname, r.kind, r.records.length, r.kept.length]),
      [
        ['example.com', 'create', 0, 0],
        ['*.example.com', 'create', 0, 0],
      ],
    );
    assert.match(plan.routes[0]!.reason, /a proxied CNAME to 6ff42ae2-.*\.cfargotunnel\.com is created/);
    assert.deepEqual(dnsChanges(plan, false), [
      { kind: 'create', hostname: 'example.com' },
      { kind: 'create', hostname: '*.example.com' },
    ]);
  });

  test('a proxied CNAME to this tunnel is already routed (any case, trailing dot); nothing to do', () => {
    const plan = planDnsRoutes('example.com', TUNNEL, [
      rec('EXAMPLE.com.', 'CNAME', `${TUNNEL.toUpperCase()}.cfargotunnel.com.`, true),
      rec('*.example.com', 'CNAME', TARGET, true),
    ]);
    assert.deepEqual(
      plan.routes.map((r) => r.kind),
      ['routed', 'routed'],
    );
    assert.deepEqual(dnsChanges(plan, true), []);
    assert.deepEqual(routedHostnames(plan, false), ['example.com', '*.example.com']);
  });

  test('a CNAME at the apex to this tunnel (CNAME flattening) but DNS only: overwritten to make it proxied', () => {
    const r = rec('example.com', 'CNAME', TARGET, false);
    const plan = planDnsRoutes('example.com', TUNNEL, [r]);
    assert.equal(plan.routes[0]!.kind, 'overwrite');
    assert.match(plan.routes[0]!.reason, /without the proxy \(DNS only\)/);
    assert.deepEqual(plan.routes[0]!.records, [r]);
  });

  test('one A, AAAA or CNAME pointing elsewhere: overwrite, saying type, content and proxied', () => {
    const a = rec('example.com', 'A', '192.0.2.1', true);
    const aaaa = rec('*.example.com', 'AAAA', '2001:db8::1', false);
    let plan = planDnsRoutes('example.com', TUNNEL, [a, aaaa]);
    assert.deepEqual(
      plan.routes.map((r) => r.kind),
      ['overwrite', 'overwrite'],
    );
    assert.equal(plan.routes[0]!.reason, 'points elsewhere: A 192.0.2.1 (proxied)');
    assert.equal(plan.routes[1]!.reason, 'points elsewhere: AAAA 2001:db8::1 (DNS only)');
    assert.deepEqual(dnsChanges(plan, false), [], 'nothing is overwritten without consent');
    assert.deepEqual(dnsChanges(plan, true), [
      { kind: 'overwrite', hostname: 'example.com', record: a },
      { kind: 'overwrite', hostname: '*.example.com', record: aaaa },
    ]);
    assert.deepEqual(routedHostnames(plan, false), []);
    assert.deepEqual(routedHostnames(plan, true), ['example.com', '*.example.com']);

    plan = planDnsRoutes('example.com', TUNNEL, [rec('*.example.com', 'CNAME', 'lb.example.net', true)]);
    assert.deepEqual(
      plan.routes.map((r) => r.kind),
      ['create', 'overwrite'],
    );
    assert.equal(plan.routes[1]!.reason, 'points elsewhere: CNAME lb.example.net (proxied)');
  });

  test('a CNAME to another tunnel: overwrite, naming that tunnel', () => {
    const plan = planDnsRoutes('example.com', TUNNEL, [rec('example.com', 'CNAME', `${OTHER}.cfargotunnel.com`, true)]);
    assert.equal(plan.routes[0]!.kind, 'overwrite');
    assert.match(plan.routes[0]!.reason, new RegExp(`routes to another tunnel \\(${OTHER}\\)`));
  });

  test('several A/AAAA records at a name: a conflict nothing changes automatically', () => {
    const records = [
      rec('example.com', 'A', '192.0.2.1', true),
      rec('example.com', 'A', '192.0.2.2', true),
      rec('example.com', 'AAAA', '2001:db8::1', true),
    ];
    const plan = planDnsRoutes('example.com', TUNNEL, records);
    assert.equal(plan.routes[0]!.kind, 'conflict');
    assert.equal(plan.routes[0]!.records.length, 3);
    assert.match(
      plan.routes[0]!.reason,
      /^3 records \(A 192\.0\.2\.1 \(proxied\), A 192\.0\.2\.2 \(proxied\), AAAA 2001:db8::1 \(proxied\)\): one CNAME cannot replace them/,
    );
    assert.match(plan.routes[0]!.reason, /delete them in the Cloudflare dashboard/);
    assert.deepEqual(dnsChanges(plan, true), [{ kind: 'create', hostname: '*.example.com' }]);
    assert.deepEqual(routedHostnames(plan, true), ['*.example.com']);
  });

  test('MX, TXT, CAA and NS never block the route and are kept', () => {
    const mx = rec('example.com', 'MX', 'mail.example.com');
    const txt = rec('example.com', 'TXT', '"v=spf1 -all"');
    const caa = rec('*.example.com', 'CAA', '0 issue "letsencrypt.org"');
    assert.deepEqual(kinds([mx, txt, caa]), ['example.com=create', '*.example.com=create']);
    const a = rec('example.com', 'A', '192.0.2.1', true);
    const plan = planDnsRoutes('example.com', TUNNEL, [mx, a, txt, caa]);
    assert.deepEqual(plan.routes[0]!.records, [a]);
    assert.deepEqual(plan.routes[0]!.kept, [mx, txt]);
    assert.deepEqual(plan.routes[1]!.kept, [caa]);
    assert.equal(describeRecord(mx), 'MX mail.example.com', 'no proxy status for types that cannot be proxied');
  });

  test('records at other names (www, a deeper wildcard, another zone) are ignored', () => {
    assert.deepEqual(
      kinds([
        rec('www.example.com', 'CNAME', 'example.com', true),
        rec('*.a.example.com', 'A', '192.0.2.9'),
        rec('example.com.evil.net', 'A', '192.0.2.7'),
        rec('xexample.com', 'A', '192.0.2.8'),
      ]),
      ['example.com=create', '*.example.com=create'],
    );
  });
});

describe('reconcileDnsPlan: re-checked right before the change', () => {
  const a = rec('example.com', 'A', '192.0.2.1', true);
  const confirmed = planDnsRoutes('example.com', TUNNEL, [a]);

  test('unchanged DNS: the confirmed changes', () => {
    assert.deepEqual(reconcileDnsPlan(confirmed, true, confirmed), [
      { hostname: 'example.com', change: { kind: 'overwrite', hostname: 'example.com', record: a } },
      { hostname: '*.example.com', change: { kind: 'create', hostname: '*.example.com' } },
    ]);
  });

  test('not agreed to overwrite: the record is kept', () => {
    const steps = reconcileDnsPlan(confirmed, false, confirmed);
    assert.deepEqual(steps[0], {
      hostname: 'example.com',
      result: { hostname: 'example.com', outcome: 'kept', detail: 'kept A 192.0.2.1 (proxied)' },
    });
    assert.ok('change' in steps[1]!);
  });

  test('a record changed or appeared meanwhile is not overwritten', () => {
    const moved = { ...a, content: '192.0.2.99' };
    const appeared = rec('*.example.com', 'CNAME', 'elsewhere.example.net', true);
    const steps = reconcileDnsPlan(confirmed, true, planDnsRoutes('example.com', TUNNEL, [moved, appeared]));
    assert.ok(steps.every((s) => 'result' in s && s.result.outcome === 'skipped'));
    assert.match(JSON.stringify(steps), /changed since it was shown: points elsewhere: A 192\.0\.2\.99/);
    assert.match(JSON.stringify(steps), /points elsewhere: CNAME elsewhere\.example\.net/);
  });

  test('routed meanwhile: unchanged; record to overwrite gone: created', () => {
    const fresh = planDnsRoutes('example.com', TUNNEL, [rec('*.example.com', 'CNAME', TARGET, true)]);
    assert.deepEqual(reconcileDnsPlan(confirmed, true, fresh), [
      { hostname: 'example.com', change: { kind: 'create', hostname: 'example.com' } },
      {
        hostname: '*.example.com',
        result: { hostname: '*.example.com', outcome: 'unchanged', detail: 'already routes to the tunnel' },
      },
    ]);
  });

  test('a conflict stays a conflict; a route that went away is reported', () => {
    const conflict = planDnsRoutes('example.com', TUNNEL, [
      rec('example.com', 'A', '192.0.2.1'),
      rec('example.com', 'A', '192.0.2.2'),
      rec('*.example.com', 'CNAME', TARGET, true),
    ]);
    const steps = reconcileDnsPlan(
      conflict,
      true,
      planDnsRoutes('example.com', TUNNEL, [
        rec('example.com', 'A', '192.0.2.1'),
        rec('example.com', 'A', '192.0.2.2'),
      ]),
    );
    assert.equal('result' in steps[0]! && steps[0].result.outcome, 'skipped');
    assert.equal('result' in steps[1]! && steps[1].result.outcome, 'skipped');
    assert.match('result' in steps[1]! ? steps[1].result.detail : '', /changed since it was shown/);
  });
});

test('dnsReport: one part per hostname; ok unless something failed or was skipped', () => {
  const results: DnsRouteResult[] = [
    { hostname: 'example.com', outcome: 'overwritten', detail: 'was A 192.0.2.1 (proxied)' },
    { hostname: '*.example.com', outcome: 'created', detail: '' },
  ];
  assert.deepEqual(dnsReport('example.com', results), {
    ok: true,
    message: 'DNS in example.com: example.com: overwritten (was A 192.0.2.1 (proxied)); *.example.com: created.',
  });
  assert.equal(
    dnsReport('example.com', [results[0]!, { hostname: '*.example.com', outcome: 'failed', detail: 'boom' }]).ok,
    false,
  );
  assert.equal(dnsReport('example.com', [{ hostname: 'example.com', outcome: 'kept', detail: '' }]).ok, true);
  assert.equal(dnsReport('example.com', [{ hostname: 'example.com', outcome: 'skipped', detail: '' }]).ok, false);
});

describe('dnsPlanChoices: the plan step', () => {
  test('only creates: create first, then skip', () => {
    const { choices, lines } = dnsPlanChoices(
      planDnsRoutes('example.com', TUNNEL, [rec('example.com', 'MX', 'mx.example.com')]),
      'tunnel prod',
    );
    assert.deepEqual(
      choices.map((c) => [c.label, c.value]),
      [
        ['$(check) Create example.com and *.example.com', { overwrite: false }],
        ['$(close) Skip DNS', undefined],
      ],
    );
    assert.deepEqual(
      lines.map((l) => [l.label, l.description]),
      [
        ['$(add) example.com', 'no A, AAAA or CNAME record'],
        ['$(circle-outline) example.com', 'MX mx.example.com'],
        ['$(add) *.example.com', 'no A, AAAA or CNAME record'],
      ],
    );
  });

  test('an overwrite is never the default: keep first, overwrite named with the record it replaces', () => {
    const { choices, lines } = dnsPlanChoices(
      planDnsRoutes('example.com', TUNNEL, [rec('example.com', 'A', '192.0.2.1', true)]),
      'tunnel prod',
    );
    assert.equal(choices[0]!.label, '$(check) Create *.example.com only');
    assert.deepEqual(choices[0]!.value, { overwrite: false });
    assert.equal(choices[1]!.label, '$(warning) Overwrite example.com and create *.example.com');
    assert.equal(choices[1]!.detail, `Replaces example.com A 192.0.2.1 (proxied) with a proxied CNAME → ${TARGET}`);
    assert.deepEqual(choices[1]!.value, { overwrite: true });
    assert.equal(choices.at(-1)!.label, '$(close) Skip DNS');
    assert.deepEqual(lines[0], {
      label: '$(warning) example.com',
      description: 'A 192.0.2.1 (proxied)',
      detail: 'overwritten only if you choose Overwrite: points elsewhere: A 192.0.2.1 (proxied)',
    });

    const both = dnsPlanChoices(
      planDnsRoutes('example.com', TUNNEL, [
        rec('example.com', 'A', '192.0.2.1'),
        rec('*.example.com', 'A', '192.0.2.1'),
      ]),
      'tunnel prod',
    );
    assert.deepEqual(
      both.choices.map((c) => [c.label, c.value]),
      [
        ['$(check) Keep the existing records', { overwrite: false }],
        ['$(warning) Overwrite example.com and *.example.com', { overwrite: true }],
        ['$(close) Skip DNS', undefined],
      ],
    );

    // Keeping still counts the hostname that already routes here (config.yaml gets its rule).
    const mixed = planDnsRoutes('example.com', TUNNEL, [
      rec('example.com', 'CNAME', TARGET, true),
      rec('*.example.com', 'A', '192.0.2.1'),
    ]);
    const keep = dnsPlanChoices(mixed, 'tunnel prod').choices[0]!;
    assert.equal(keep.label, '$(check) Keep the existing records');
    assert.deepEqual(routedHostnames(mixed, keep.value!.overwrite), ['example.com']);
  });

  test('nothing to change: continue (already routed, or a conflict)', () => {
    const routed = dnsPlanChoices(
      planDnsRoutes('example.com', TUNNEL, [
        rec('example.com', 'CNAME', TARGET, true),
        rec('*.example.com', 'CNAME', TARGET, true),
      ]),
      'tunnel prod',
    );
    assert.deepEqual(routed.choices[0], {
      label: '$(check) Continue',
      description: 'both already route to tunnel prod',
      value: { overwrite: false },
    });
    assert.match(routed.lines[0]!.detail, /^already routed: nothing to do/);
    const conflict = dnsPlanChoices(
      planDnsRoutes('example.com', TUNNEL, [
        rec('example.com', 'A', '192.0.2.1'),
        rec('example.com', 'A', '192.0.2.2'),
        rec('*.example.com', 'CNAME', TARGET, true),
      ]),
      'tunnel prod',
    );
    assert.equal(conflict.choices[0]!.description, 'example.com cannot be changed automatically');
    assert.equal(conflict.lines.filter((l) => l.label === '$(error) example.com').length, 2);
  });
});

/** A fake of the three wrapper calls over an in-memory record list. */
function fakeApi(records: DnsRecord[], fail: Partial<Record<string, Error>> = {}) {
  const calls: string[] = [];
  const api: DnsRouteApi = {
    async listDnsRecords(zoneId: string, filter: DnsFilter = {}) {
      calls.push(`list ${filter.name}`);
      if (fail.list) throw fail.list;
      return records.filter((r) => r.zoneId === zoneId && (!filter.name || r.name === filter.name));
    },
    async createTunnelCname(zoneId: string, hostname: string, tunnelId: string) {
      calls.push(`create ${hostname}`);
      if (fail[hostname]) throw fail[hostname];
      const r: DnsRecord = {
        id: `new-${hostname}`,
        zoneId,
        name: hostname,
        type: 'CNAME',
        content: `${tunnelId}.cfargotunnel.com`,
        proxied: true,
        ttl: 1,
        tags: [],
        tunnelId,
      };
      records.push(r);
      return r;
    },
    async pointRecordAtTunnel(_zoneId: string, recordId: string, hostname: string, tunnelId: string) {
      calls.push(`overwrite ${hostname} ${recordId}`);
      if (fail[hostname]) throw fail[hostname];
      const r = records.find((x) => x.id === recordId)!;
      Object.assign(r, { type: 'CNAME', content: `${tunnelId}.cfargotunnel.com`, proxied: true, ttl: 1, tunnelId });
      return r;
    },
  };
  return { api, calls };
}

const stored = (name: string, type: string, content: string, proxied = true): DnsRecord => ({
  id: `id-${name}-${type}`,
  zoneId: 'z1',
  name,
  type,
  content,
  proxied,
  ttl: 1,
  tags: [],
});

describe('applyDnsRoutes: the changes, after the files are written', () => {
  test('re-reads both names, overwrites and creates, reports each; progress per hostname', async () => {
    const records = [stored('example.com', 'A', '192.0.2.1'), stored('example.com', 'MX', 'mx.example.com', false)];
    const { api, calls } = fakeApi(records);
    const confirmed = planDnsRoutes('example.com', TUNNEL, await recordsAtZoneHostnames(api, 'z1', 'example.com'));
    calls.length = 0;
    const progress: string[] = [];
    const results = await applyDnsRoutes(api, 'z1', confirmed, true, (h) => progress.push(h));
    assert.deepEqual(calls, [
      'list example.com',
      'list *.example.com',
      'overwrite example.com id-example.com-A',
      'create *.example.com',
    ]);
    assert.deepEqual(progress, ['example.com', '*.example.com']);
    assert.deepEqual(results, [
      { hostname: 'example.com', outcome: 'overwritten', detail: 'was A 192.0.2.1 (proxied)' },
      { hostname: '*.example.com', outcome: 'created', detail: `proxied CNAME → ${TARGET}` },
    ]);
    assert.deepEqual(
      planDnsRoutes('example.com', TUNNEL, records).routes.map((r) => r.kind),
      ['routed', 'routed'],
    );
    assert.equal(records.find((r) => r.type === 'MX')?.content, 'mx.example.com', 'the MX record is kept');
  });

  test('one failure does not stop or hide the other', async () => {
    const { api } = fakeApi([], { 'example.com': new Error('The API token may not edit DNS.') });
    const confirmed = planDnsRoutes('example.com', TUNNEL, []);
    const results = await applyDnsRoutes(api, 'z1', confirmed, false);
    assert.deepEqual(
      results.map((r) => [r.hostname, r.outcome, r.detail]),
      [
        ['example.com', 'failed', 'The API token may not edit DNS.'],
        ['*.example.com', 'created', `proxied CNAME → ${TARGET}`],
      ],
    );
    assert.match(
      dnsReport('example.com', results).message,
      /example\.com: FAILED \(The API token may not edit DNS\.\); \*\.example\.com: created/,
    );
  });

  test('without consent nothing is overwritten; DNS unreadable: both fail, nothing is written', async () => {
    const records = [stored('example.com', 'A', '192.0.2.1')];
    const { api, calls } = fakeApi(records);
    const confirmed = planDnsRoutes('example.com', TUNNEL, records);
    const results = await applyDnsRoutes(api, 'z1', confirmed, false);
    assert.deepEqual(
      results.map((r) => r.outcome),
      ['kept', 'created'],
    );
    assert.ok(!calls.some((c) => c.startsWith('overwrite')));

    const broken = fakeApi([], { list: new Error('network down') });
    const failed = await applyDnsRoutes(broken.api, 'z1', confirmed, true);
    assert.deepEqual(
      failed.map((r) => [r.outcome, r.detail]),
      [
        ['failed', 'could not read the current records: network down'],
        ['failed', 'could not read the current records: network down'],
      ],
    );
    assert.deepEqual(broken.calls, ['list example.com', 'list *.example.com']);
  });
});

test('local mode: the routed hostnames become config.yaml rules that cloudflared accepts', () => {
  const plan = planDnsRoutes('example.com', TUNNEL, []);
  const { files } = scaffoldPlan({ mode: 'local', tunnelId: TUNNEL, hostnames: routedHostnames(plan, false) });
  const config = files.find((f) => f.path === 'config.yaml')!.content;
  assert.match(config, /- hostname: example\.com\n\s+service: http:\/\/ingress-nginx-controller/);
  assert.match(config, /- hostname: "\*\.example\.com"|- hostname: '\*\.example\.com'/);
  assert.match(config, /- service: http_status:404/);
  assert.deepEqual(
    checkConfigText(config).diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
});
