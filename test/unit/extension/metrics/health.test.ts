// The poller's pods as the trees and the alerts read them (src/extension/metrics/healthModel.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TrafficIndex, alertObservations, joinPods, withTraffic } from '../../../../src/extension/metrics/healthModel';
import { withConnectorPod } from '../../../../src/extension/cloudflare/model';
import { joinConnectorPods } from '../../../../src/core/metrics/health';
import type { PodState } from '../../../../src/extension/metrics/pollerModel';
import { podState } from './fixtures';
import { CONTEXT_VALUES } from '../../../../src/shared/contextValues';

// prod-a: 10 s apart, 123 requests and 1 error (a 502) between the scrapes: 12.3 req/s, 0.8% errors.
const prodA = podState('cloudflared-a', [
  { requests: 1000, errors: 0 },
  { requests: 1123, errors: 1 },
]);
// The poller sets the pod's connectorId from /ready's (lower case).
prodA.connectorId = 'cloudflared-a-connector';
const prodB = podState('cloudflared-b', [{ requests: 50 }, { requests: 50 }]);
const forbidden: PodState = {
  ...podState('homelab-x', [], { namespace: 'homelab', deployment: 'cloudflared' }),
  error: { kind: 'forbidden', message: 'Reading metrics is forbidden: …' },
};
delete forbidden.ready;

describe('TrafficIndex', () => {
  const index = new TrafficIndex([prodA, prodB, forbidden]);
  test('a pod: its last rate and error ratio', () => {
    assert.equal(index.pod('cloudflared', 'cloudflared-a')?.text, '12.3 req/s · 0.8% errors');
    assert.equal(index.pod('cloudflared', 'cloudflared-b')?.text, 'no traffic');
    assert.equal(index.pod('homelab', 'homelab-x')?.text, 'metrics: forbidden');
    assert.equal(index.pod('cloudflared', 'unknown'), undefined);
  });
  test('a Deployment: its pods summed', () => {
    assert.equal(index.deployment('cloudflared', 'cloudflared')?.text, '12.3 req/s · 0.8% errors');
    assert.equal(index.deployment('homelab', 'cloudflared')?.text, 'metrics: forbidden');
    assert.equal(index.deployment('other', 'cloudflared'), undefined);
  });
  test('withTraffic: after the description, the tooltip gains the details', () => {
    const spec = { description: 'ready · Running', tooltip: 'Pod cloudflared/cloudflared-a' };
    const words = index.pod('cloudflared', 'cloudflared-a');
    assert.deepEqual(withTraffic(spec, words), {
      description: 'ready · Running · 12.3 req/s · 0.8% errors',
      tooltip: `Pod cloudflared/cloudflared-a\n${words!.tooltip}`,
    });
    assert.equal(withTraffic(spec, undefined), spec);
  });
});

describe('connector join from the poller', () => {
  test("pods with a /ready connectorId, with their ready connections and the metrics' edge locations", () => {
    const pods = joinPods([prodA, forbidden]);
    assert.deepEqual(pods, [
      {
        namespace: 'cloudflared',
        deployment: 'cloudflared',
        pod: 'cloudflared-a',
        connectorId: 'cloudflared-a-connector',
        readyConnections: 4,
        locations: ['ams16', 'fra08'],
      },
    ]);
    const joined = joinConnectorPods(
      [{ id: 'cloudflared-a-connector', colos: [], activeConnections: 4 }],
      pods,
      'homelab',
    );
    const spec = withConnectorPod(
      {
        id: 'connector:1',
        label: 'cloudflared 2026.8.2',
        description: 'linux_amd64 · fra08',
        tooltip: 'Connector x',
        icon: 'server-process',
        contextValue: CONTEXT_VALUES.connector,
        collapsible: 'none',
      },
      joined.get('cloudflared-a-connector'),
    );
    assert.equal(spec.description, 'pod cloudflared-a on cluster homelab, 4 connections, ams/fra');
    assert.match(
      spec.tooltip!,
      /^Runs in pod cloudflared\/cloudflared-a[^\n]*\n[^]*Cloudflare: linux_amd64 · fra08\nConnector x$/,
    );
  });
});

describe('alertObservations', () => {
  test('one per listed Deployment, with its tunnel named; a Deployment not read yet counts as unknown', () => {
    const o = alertObservations(
      [prodA, prodB, forbidden],
      [
        { namespace: 'cloudflared', name: 'cloudflared', tunnelId: 'ABC' },
        { namespace: 'homelab', name: 'cloudflared' },
        { namespace: 'x', name: 'new' },
      ],
      (id) => (id === 'ABC' ? 'prod-k8s' : undefined),
    );
    assert.equal(o[0]!.label, 'cloudflared/cloudflared (tunnel prod-k8s)');
    assert.equal(o[0]!.requestsPerSecond, 12.3);
    assert.ok(Math.abs(o[0]!.errorRatio! - 1 / 123) < 1e-9);
    assert.deepEqual(o[0]!.ready, [
      { pod: 'cloudflared-a', readyConnections: 4 },
      { pod: 'cloudflared-b', readyConnections: 4 },
    ]);
    assert.equal(o[0]!.at, prodA.updatedAt);
    assert.deepEqual(
      { ...o[1], key: o[1]!.key },
      { key: 'homelab/cloudflared', label: 'homelab/cloudflared', ready: [], unread: 1, pods: 1 },
    );
    assert.deepEqual(o[2], { key: 'x/new', label: 'x/new', ready: [], unread: 0, pods: 0 });
  });
});
