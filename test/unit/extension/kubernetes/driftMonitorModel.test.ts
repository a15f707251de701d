/**
 * The drift monitor follows edits (issue #15): its diagnostics are recomputed from the edited text
 * (300 ms after the last change), not left on the old lines until the next cluster event.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DRIFT_DEBOUNCE_MS, DriftEngine } from '../../../../src/extension/kubernetes/driftMonitorModel';
import type { DriftClusterState, DriftPublication } from '../../../../src/extension/kubernetes/driftMonitorModel';
import { driftWorkspaceConfigs } from '../../../../src/extension/workspaceConfigsModel';
import { readConfigs } from '../../../../src/server/workspace';
import { yaml } from '../../../support/config';

const HOME = 'c1744f8b-faa1-48a4-9e5c-02ac921467fa';
const PATH = '/ws/cloudflared/config.yaml';

const BEFORE = yaml`
  tunnel: home
  credentials-file: /etc/cloudflared/creds/credentials.json
  ingress:
    - hostname: home.example.com
      service: http://webb.apps.svc:80
    - service: http_status:404
`;
/** A rule added above: the catch-all moves down two lines, and so does the bad service. */
const AFTER = yaml`
  tunnel: home
  credentials-file: /etc/cloudflared/creds/credentials.json
  ingress:
    - hostname: docs.example.com
      service: http://web.apps.svc:80
    - hostname: home.example.com
      service: http://webb.apps.svc:80
    - service: http_status:404
`;

const CLUSTER: DriftClusterState = {
  services: [{ name: 'web', namespace: 'apps', clusterIP: '10.96.0.10', ports: [{ port: 80 }] }],
  deployments: [],
  tunnels: [{ id: HOME, name: 'home', status: 'healthy', configSrc: 'local' }],
  dnsRecords: [
    {
      id: 'r1',
      zoneId: 'z',
      zoneName: 'example.com',
      name: 'home.example.com',
      type: 'CNAME',
      content: `${HOME}.cfargotunnel.com`,
      proxied: true,
    },
    {
      id: 'r2',
      zoneId: 'z',
      zoneName: 'example.com',
      name: 'blog.example.com',
      type: 'CNAME',
      content: `${HOME}.cfargotunnel.com`,
      proxied: true,
    },
  ],
  zones: [{ id: 'z', name: 'example.com' }],
  known: [],
};

test('an edit moves the drift diagnostics with the text, 300 ms after the last change', async () => {
  // The document as the language server reads it on each request.
  const doc = { text: BEFORE };
  const published: Array<DriftPublication | undefined> = [];
  const timers: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
  const engine = new DriftEngine({
    configs: async () =>
      driftWorkspaceConfigs(readConfigs(PATH, doc.text).map((c) => ({ ...c, uri: `file://${c.path}` }))),
    publish: (p) => published.push(p),
    setTimer: (fn, ms) => {
      const t = { fn, ms, cleared: false };
      timers.push(t);
      return t;
    },
    clearTimer: (t) => {
      (t as { cleared: boolean }).cleared = true;
    },
  });
  const lines = (): Array<[string, number]> =>
    (published.at(-1)?.diagnostics.get(PATH) ?? [])
      .map((d) => [String(d.code), d.range.start.line] as [string, number])
      .sort((a, b) => a[1] - b[1]);

  await engine.setCluster(CLUSTER);
  // The bad service on line 4; blog.example.com has no rule: on the catch-all (line 5).
  assert.deepEqual(lines(), [
    ['drift-service-missing', 4],
    ['drift-cname-without-rule', 5],
  ]);
  const fix = published
    .at(-1)!
    .diagnostics.get(PATH)!
    .find((d) => d.code === 'drift-service-missing')!.fixes?.[0];
  assert.equal(fix?.title, "Use Service 'web' in namespace 'apps'");
  assert.deepEqual(fix?.edits?.[0]?.range.start, { line: 4, character: 13 });

  // Typing: two changes, one recomputation, after the delay.
  doc.text = AFTER.replace('docs.example.com', 'docs.example');
  engine.changed();
  doc.text = AFTER;
  engine.changed();
  assert.equal(timers.length, 2);
  assert.ok(timers[0]!.cleared, 'the first change is superseded');
  assert.equal(timers[1]!.ms, DRIFT_DEBOUNCE_MS);
  assert.deepEqual(
    lines(),
    [
      ['drift-service-missing', 4],
      ['drift-cname-without-rule', 5],
    ],
    'nothing moves before the delay',
  );
  timers[1]!.fn();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(lines(), [
    ['drift-hostname-without-dns', 3],
    ['drift-service-missing', 6],
    ['drift-cname-without-rule', 7],
  ]);
  assert.deepEqual(
    published
      .at(-1)!
      .diagnostics.get(PATH)!
      .find((d) => d.code === 'drift-service-missing')!.fixes?.[0]?.edits?.[0]?.range.start,
    { line: 6, character: 13 },
  );

  // Disconnected: nothing is published.
  await engine.setCluster(undefined);
  assert.equal(published.at(-1), undefined);
});
