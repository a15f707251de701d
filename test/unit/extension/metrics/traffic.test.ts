// The Traffic panel's data model, messages and page (src/extension/metrics/trafficModel.ts,
// trafficHtml.ts, src/shared/traffic.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NO_HTTP_LATENCY, formatNumber, trafficView } from '../../../../src/extension/metrics/trafficModel';
import { trafficCsp, trafficHtml } from '../../../../src/extension/metrics/trafficHtml';
import { podProblem } from '../../../../src/extension/metrics/pollerModel';
import type { PodState } from '../../../../src/extension/metrics/pollerModel';
import { PodHistory } from '../../../../src/core/metrics/cloudflared';
import { isFromWebview, isToWebview } from '../../../../src/shared/traffic';
import type { TrafficChart, TrafficView } from '../../../../src/shared/traffic';
import { podState } from './fixtures';

const T0 = 1_700_000_000_000;
const now = T0 + 30_000;
const view = (pods: PodState[], extra: Partial<Parameters<typeof trafficView>[0]> = {}): TrafficView =>
  trafficView({ title: 'cloudflared/cloudflared', pods, window: '15m', pollSeconds: 10, now, ...extra });
const chart = (v: TrafficView, id: TrafficChart['id']): TrafficChart => v.charts.find((c) => c.id === id)!;

describe('trafficView', () => {
  const a = podState('cloudflared-a', [
    { requests: 0, codes: { '200': 0 } },
    { requests: 100, errors: 5, codes: { '200': 80, '404': 10, '503': 5 } },
    { requests: 300, errors: 5, codes: { '200': 250, '404': 30, '503': 15 } },
  ]);
  const b = podState('cloudflared-b', [{ requests: 50 }, { requests: 150 }, { requests: 250 }]);

  test('requests per second: the total first, then one series per pod, aligned on the polls', () => {
    const v = view([a, b]);
    assert.deepEqual(v.times, [(T0 + 10_000) / 1000, (T0 + 20_000) / 1000]);
    const c = chart(v, 'requests');
    assert.equal(c.message, undefined);
    assert.deepEqual(
      c.series.map((s) => [s.label, s.tone, s.values]),
      [
        ['Total', 'total', [20, 30]],
        ['cloudflared-a', 'pod', [10, 20]],
        ['cloudflared-b', 'pod', [10, 10]],
      ],
    );
    assert.match(v.summary, /^30 req\/s · /);
    assert.match(v.summary, /2\/2 pods ready/);
  });

  test('one pod: its own series, no total', () => {
    const c = chart(view([a]), 'requests');
    assert.deepEqual(
      c.series.map((s) => s.label),
      ['cloudflared-a'],
    );
  });

  test('errors: 502s and origin 5xx; the ratio counts both over requests; status classes where reported', () => {
    const v = view([a]);
    const errors = chart(v, 'errors');
    assert.deepEqual(errors.series[0]!.values, [0.5, 0]);
    assert.deepEqual(errors.series[1]!.values, [0.5, 1]);
    const ratio = chart(v, 'ratio');
    assert.deepEqual(ratio.series[0]!.values, [10, 5]);
    const status = chart(v, 'status');
    assert.deepEqual(
      status.series.map((s) => [s.label, s.values]),
      [
        ['2xx', [8, 17]],
        ['4xx', [1, 2]],
        ['5xx', [0.5, 1]],
      ],
    );
  });

  test('no response counted by status: a sentence in place of the chart, never an empty chart', () => {
    const c = chart(view([b]), 'status');
    assert.deepEqual(c.series, []);
    assert.match(c.message!, /HTTP origins only/);
  });

  test('HA connections per pod are not summed', () => {
    const c = chart(view([a, b]), 'ha');
    assert.deepEqual(
      c.series.map((s) => s.label),
      ['cloudflared-a', 'cloudflared-b'],
    );
  });

  test('latency: stream connect latency where there is some, and always the sentence that HTTP has none', () => {
    const withLatency = podState('p', [
      { requests: 0, latency: { sum: 0, count: 0 } },
      { requests: 1, latency: { sum: 50, count: 2 } },
    ]);
    const c = chart(view([withLatency]), 'latency');
    assert.deepEqual(c.series[0]!.values, [25]);
    assert.equal(c.note, NO_HTTP_LATENCY);
    const none = chart(view([a]), 'latency');
    assert.deepEqual(none.series, []);
    assert.match(none.message!, /no origin-latency metric for HTTP/);
  });

  test('every pod forbidden: each chart says so with the permission to grant', () => {
    const forbidden: PodState = {
      deployment: { namespace: 'cloudflared', name: 'cloudflared' },
      pod: 'cloudflared-a',
      history: new PodHistory(10),
      error: podProblem('forbidden', { namespace: 'cloudflared', deployment: 'cloudflared', pod: 'cloudflared-a' }),
    };
    const v = view([forbidden, { ...forbidden, pod: 'cloudflared-b' }]);
    for (const c of v.charts) {
      assert.deepEqual(c.series, [], c.id);
      assert.match(c.message!, /pods\/proxy in namespace cloudflared/, c.id);
      assert.match(
        c.message!,
        /kubectl create role cftunnel-metrics -n cloudflared --verb=get --resource=pods,pods\/proxy/,
      );
    }
    assert.equal(v.pods[0]!.state, 'unknown');
    assert.equal(v.pods[0]!.stateText, 'not read');
    assert.match(v.pods[0]!.message!, /forbidden/);
  });

  test('a loopback metrics address and a missing port each have their own message', () => {
    const base = { namespace: 'ns', deployment: 'd', pod: 'p' };
    assert.match(
      podProblem('loopback', {
        ...base,
        address: { port: 2000, source: 'args', loopback: true, address: '127.0.0.1:2000' },
      }).message,
      /loopback address inside the pod \(--metrics 127\.0\.0\.1:2000 in the container's args\).*0\.0\.0\.0:2000/,
    );
    assert.match(
      podProblem('no-port', { ...base, address: { port: 20241, source: 'default-range', loopback: false } }).message,
      /sets no metrics address, and port 20241/,
    );
    assert.match(
      podProblem('no-port', { ...base, address: { port: 'metrics', source: 'probe', loopback: false } }).message,
      /names port "metrics"/,
    );
  });

  test('one read only: waiting for the second, not an empty chart', () => {
    const one = podState('p', [{ requests: 5 }]);
    const v = view([one]);
    for (const c of v.charts) assert.match(c.message!, /Waiting for the second read: rates need two, 10 s apart/);
  });

  test('no pod yet: listing, then "no pod"', () => {
    assert.match(chart(view([], { listed: false }), 'requests').message!, /Listing the cloudflared pods/);
    assert.match(chart(view([]), 'requests').message!, /No cloudflared pod/);
  });

  test('an old cloudflared without the session gauges: the sessions chart says which metric and since when', () => {
    const old = podState('p', [
      { requests: 1, old: true, version: '2023.2.1' },
      { requests: 2, old: true, version: '2023.2.1' },
    ]);
    const v = view([old]);
    assert.match(
      chart(v, 'sessions').message!,
      /\(2023\.2\.1\) does not report cloudflared_tcp_active_sessions \(added in 2023\.6\.1\)/,
    );
    assert.equal(chart(v, 'requests').message, undefined);
    assert.match(v.pods[0]!.missing!, /cloudflared_tcp_active_sessions/);
  });

  test('the window keeps the points since now - window', () => {
    const long = podState(
      'p',
      Array.from({ length: 40 }, (_, i) => ({ requests: i * 10 })),
      { t0: T0 },
    );
    const v = trafficView({ title: 't', pods: [long], window: '5m', pollSeconds: 10, now: T0 + 39 * 10_000 });
    assert.equal(v.times.length, 31);
    assert.equal(v.times[0], (T0 + 9 * 10_000) / 1000);
  });

  test('pods: readiness, connections, edge locations, versions; an older pod, a source build and an old config are called out', () => {
    const newer = podState('new', [
      { requests: 0, version: '2026.8.2', configVersion: 7 },
      { requests: 10, version: '2026.8.2', configVersion: 7 },
    ]);
    const older = podState('old', [
      { requests: 0, version: '2026.7.0', configVersion: 6 },
      { requests: 10, version: '2026.7.0', configVersion: 6 },
    ]);
    const dev = podState(
      'dev',
      [
        { requests: 0, version: 'DEV', configVersion: 7 },
        { requests: 10, version: 'DEV', configVersion: 7 },
      ],
      {
        ready: { status: 503, readyConnections: 0 },
      },
    );
    const v = view([newer, older, dev]);
    const [n, o, d] = v.pods;
    assert.equal(n!.state, 'ready');
    assert.equal(n!.stateText, 'ready · 4 connections to the edge');
    assert.equal(n!.connections, 4);
    assert.deepEqual(n!.locations, ['ams16', 'fra08']);
    assert.deepEqual(n!.callouts, []);
    assert.equal(n!.requestsPerSecond, 1);
    assert.match(o!.callouts.join(' '), /cloudflared 2026\.7\.0 is older than the other pods’ 2026\.8\.2/);
    assert.match(o!.callouts.join(' '), /configuration version 6; another pod runs 7/);
    assert.equal(d!.state, 'not-ready');
    assert.match(d!.callouts.join(' '), /Not ready: \/ready answers 503 with 0 registered connections/);
    assert.match(d!.callouts.join(' '), /build from source \(version DEV\)/);
    assert.doesNotMatch(d!.callouts.join(' '), /older/);
    assert.match(v.summary, /2\/3 pods ready/);
  });

  test('formatNumber', () => {
    assert.equal(formatNumber(0.123), '0.12');
    assert.equal(formatNumber(12.34), '12.3');
    assert.equal(formatNumber(1234.5), '1235');
  });
});

describe('messages between the extension and the webview', () => {
  test('the webview may send ready and a known window only', () => {
    assert.ok(isFromWebview({ type: 'ready' }));
    assert.ok(isFromWebview({ type: 'window', window: '1h' }));
    assert.ok(!isFromWebview({ type: 'window', window: '2h' }));
    assert.ok(!isFromWebview({ type: 'open', path: '/etc/passwd' }));
    assert.ok(!isFromWebview(null));
    assert.ok(!isFromWebview('ready'));
  });

  test('a view message survives JSON (what postMessage does) and is recognised', () => {
    const v = view([podState('p', [{ requests: 0 }, { requests: 10 }])]);
    const round = JSON.parse(JSON.stringify({ type: 'view', view: v }));
    assert.ok(isToWebview(round));
    assert.deepEqual(round.view, v);
    assert.ok(!isToWebview({ type: 'view', view: { ...v, window: 'forever' } }));
    assert.ok(!isToWebview({ type: 'view' }));
  });
});

describe('the page', () => {
  const page = trafficHtml({
    title: 'a<b',
    window: '1h',
    nonce: 'abc123',
    cspSource: 'https://x.vscode-cdn.net',
    scriptUri: 'https://x.vscode-cdn.net/dist/traffic.js',
    styleUri: 'https://x.vscode-cdn.net/dist/traffic.css',
  });

  test('strict CSP: nothing by default, the script by nonce, styles from the extension only', () => {
    const csp = trafficCsp({ nonce: 'abc123', cspSource: 'https://x.vscode-cdn.net' });
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, /script-src 'nonce-abc123'/);
    assert.match(csp, /style-src https:\/\/x\.vscode-cdn\.net(;|$)/);
    assert.doesNotMatch(csp, /unsafe/);
    assert.ok(page.includes(`content="${csp}"`));
  });

  test('no inline style or script, no remote resource; the window control is a radio group', () => {
    assert.doesNotMatch(page, /<style|style="/);
    assert.equal([...page.matchAll(/<script/g)].length, 1);
    assert.match(page, /<script nonce="abc123" src="https:\/\/x\.vscode-cdn\.net\/dist\/traffic\.js"><\/script>/);
    for (const [, url] of page.matchAll(/(?:src|href)="([^"]+)"/g))
      assert.match(url!, /^https:\/\/x\.vscode-cdn\.net\/dist\//);
    assert.match(page, /<input type="radio" name="window" value="1h" checked> 1 hour/);
    assert.match(page, /<legend>Time window<\/legend>/);
    assert.match(page, /Traffic: a&lt;b/);
  });
});
