// The trees' traffic words and the connector ↔ pod join (src/core/metrics/health.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  coloCity,
  formatPercent,
  formatRate,
  joinConnectorPods,
  lastRate,
  summarizeTraffic,
  trafficText,
} from '../../../../src/core/metrics/health';
import type { RatePoint } from '../../../../src/core/metrics/cloudflared';

const rate = (requests: number, errors = 0, five = 0): RatePoint => ({
  t: 1,
  requestsPerSecond: requests,
  errorsPerSecond: errors,
  responsesPerSecond: five ? { '2xx': requests - five, '5xx': five } : { '2xx': requests },
});

describe('formatting', () => {
  test('rates keep the digits a tree item has room for', () => {
    assert.equal(formatRate(0), '0');
    assert.equal(formatRate(0.04), '0.04');
    assert.equal(formatRate(12.345), '12.3');
    assert.equal(formatRate(154.4), '154');
  });
  test('percentages', () => {
    assert.equal(formatPercent(0), '0%');
    assert.equal(formatPercent(0.0004), '<0.1%');
    assert.equal(formatPercent(0.008), '0.8%');
    assert.equal(formatPercent(0.123), '12%');
  });
});

describe('trafficText', () => {
  test('a pod with traffic: rate and error ratio (502s written by cloudflared and 5xx)', () => {
    const w = trafficText(summarizeTraffic([{ pod: 'a', rate: rate(12.3, 0.05, 0.05) }]));
    assert.equal(w?.text, '12.3 req/s · 0.8% errors');
    assert.match(w!.tooltip, /12\.3 requests\/s, 0\.1 errors\/s \(0\.8%/);
  });
  test('no traffic', () => {
    assert.equal(trafficText(summarizeTraffic([{ pod: 'a', rate: rate(0) }]))?.text, 'no traffic');
  });
  test('nothing known yet (one scrape, no rate): no words', () => {
    assert.equal(trafficText(summarizeTraffic([{ pod: 'a' }])), undefined);
    assert.equal(lastRate([]), undefined);
  });
  test("a pod's error in short, the full message in the tooltip", () => {
    const message = 'Reading metrics is forbidden: the API server\'s pod proxy needs "get" on pods/proxy…';
    const w = trafficText(summarizeTraffic([{ pod: 'a', error: { kind: 'forbidden', message } }]));
    assert.equal(w?.text, 'metrics: forbidden');
    assert.equal(w?.tooltip, message);
  });
  test('a Deployment: its pods summed; all unread for one reason says it in short', () => {
    const both = trafficText(
      summarizeTraffic([
        { pod: 'a', rate: rate(10, 0, 1) },
        { pod: 'b', rate: rate(5) },
      ]),
    );
    assert.equal(both?.text, '15.0 req/s · 6.7% errors');
    assert.match(both!.tooltip, /2 of 2 pods/);
    const forbidden = { kind: 'forbidden', message: 'no' };
    assert.equal(
      trafficText(
        summarizeTraffic([
          { pod: 'a', error: forbidden },
          { pod: 'b', error: forbidden },
        ]),
      )?.text,
      'metrics: forbidden',
    );
  });
  test('a Deployment with one pod unread: the others counted, the unread one named', () => {
    const w = trafficText(
      summarizeTraffic([
        { pod: 'a', rate: rate(0) },
        { pod: 'b', error: { kind: 'unreachable', message: 'Nothing answers on port 2000 of pod homelab/b.' } },
      ]),
    );
    assert.equal(w?.text, 'no traffic · 1 of 2 pods unread');
    assert.match(w!.tooltip, /^b: Nothing answers on port 2000/m);
  });
});

describe('joinConnectorPods', () => {
  const connectors = [
    { id: 'AAAA-1', colos: ['ams01', 'fra08'], activeConnections: 4 },
    { id: 'bbbb-2', colos: ['cdg03'], activeConnections: 2 },
    { id: 'cccc-3', colos: ['iad08'], activeConnections: 4 },
  ];
  const pods = [
    {
      namespace: 'cloudflared',
      deployment: 'cloudflared',
      pod: 'cloudflared-abc',
      connectorId: 'aaaa-1',
      readyConnections: 4,
      locations: ['fra08', 'ams01', 'fra10', 'ams16'],
    },
    { namespace: 'cloudflared', deployment: 'cloudflared', pod: 'cloudflared-def', connectorId: 'BBBB-2' },
    { namespace: 'cloudflared', deployment: 'cloudflared', pod: 'cloudflared-ghi' },
  ];
  const joined = joinConnectorPods(connectors, pods, 'homelab');

  test('by /ready connectorId = the connector (client) id, case-insensitively', () => {
    assert.deepEqual([...joined.keys()], ['aaaa-1', 'bbbb-2']);
    assert.equal(joined.get('aaaa-1')!.description, 'pod cloudflared-abc on cluster homelab, 4 connections, ams/fra');
  });
  test("without the pod's /ready count and locations, Cloudflare's connections and colos", () => {
    const b = joined.get('bbbb-2')!;
    assert.equal(b.connections, 2);
    assert.equal(b.description, 'pod cloudflared-def on cluster homelab, 2 connections, cdg');
  });
  test('a connector no pod claims is left out (another machine)', () => {
    assert.equal(joined.get('cccc-3'), undefined);
  });
  test('colo → city', () => {
    assert.equal(coloCity('FRA08'), 'fra');
    assert.equal(coloCity('somewhere'), 'somewhere');
  });
});
