// What cloudflared's /metrics and /ready say, and rates with counter resets (src/core/metrics/cloudflared.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExposition } from '../../../../src/core/metrics/prometheus';
import {
  PodHistory,
  counterIncrease,
  errorRatio,
  parseReady,
  readPodMetrics,
  statusClass,
  sumRates,
} from '../../../../src/core/metrics/cloudflared';
import type { PodMetrics } from '../../../../src/core/metrics/cloudflared';

function page(o: {
  requests: number;
  errors?: number;
  codes?: Record<string, number>;
  start?: number;
  extra?: string;
}): string {
  return [
    '# TYPE cloudflared_tunnel_total_requests counter',
    `cloudflared_tunnel_total_requests ${o.requests}`,
    '# TYPE cloudflared_tunnel_request_errors counter',
    `cloudflared_tunnel_request_errors ${o.errors ?? 0}`,
    '# TYPE cloudflared_tunnel_response_by_code counter',
    ...Object.entries(o.codes ?? {}).map(([c, v]) => `cloudflared_tunnel_response_by_code{status_code="${c}"} ${v}`),
    '# TYPE cloudflared_tunnel_concurrent_requests_per_tunnel gauge',
    'cloudflared_tunnel_concurrent_requests_per_tunnel 3',
    '# TYPE cloudflared_tunnel_ha_connections gauge',
    'cloudflared_tunnel_ha_connections 4',
    '# TYPE cloudflared_tunnel_server_locations gauge',
    'cloudflared_tunnel_server_locations{connection_id="1",edge_location="fra08"} 1',
    'cloudflared_tunnel_server_locations{connection_id="0",edge_location="ams16"} 1',
    'cloudflared_tunnel_server_locations{connection_id="0",edge_location="lhr01"} 0',
    '# TYPE process_start_time_seconds gauge',
    `process_start_time_seconds ${o.start ?? 1000}`,
    '# TYPE build_info gauge',
    'build_info{goversion="go1.24",revision="r",type="",version="2026.8.2"} 1',
    o.extra ?? '',
  ].join('\n');
}

const metrics = (o: Parameters<typeof page>[0]): PodMetrics => readPodMetrics(parseExposition(page(o)));

describe('readPodMetrics', () => {
  test('the numbers the panel shows, current locations only, what is missing', () => {
    const m = metrics({ requests: 10, errors: 1, codes: { '200': 7, '404': 2 } });
    assert.equal(m.totalRequests, 10);
    assert.equal(m.requestErrors, 1);
    assert.deepEqual(Object.fromEntries(m.responsesByCode), { '200': 7, '404': 2 });
    assert.equal(m.concurrentRequests, 3);
    assert.equal(m.haConnections, 4);
    assert.deepEqual(m.locations, [
      { connection: '0', location: 'ams16' },
      { connection: '1', location: 'fra08' },
    ]);
    assert.equal(m.version, '2026.8.2');
    assert.deepEqual(m.missing, [
      'cloudflared_tcp_active_sessions',
      'cloudflared_udp_active_sessions',
      'cloudflared_orchestration_config_version',
    ]);
  });
  test('an old cloudflared without request_errors says so instead of reporting 0', () => {
    const m = readPodMetrics(parseExposition('cloudflared_tunnel_total_requests 5\n'));
    assert.equal(m.requestErrors, undefined);
    assert.ok(m.missing.includes('cloudflared_tunnel_request_errors'));
  });
});

describe('parseReady', () => {
  test('text or parsed JSON; anything else is not cloudflared’s', () => {
    assert.deepEqual(parseReady('{"status":503,"readyConnections":0,"connectorId":"c-1"}'), {
      status: 503,
      readyConnections: 0,
      connectorId: 'c-1',
    });
    assert.deepEqual(parseReady({ status: 200, readyConnections: 4 }), { status: 200, readyConnections: 4 });
    assert.equal(parseReady('OK\n'), undefined);
    assert.equal(parseReady({ status: '200' }), undefined);
  });
});

describe('rates', () => {
  test('counterIncrease: a lower value is a reset, counted from zero', () => {
    assert.equal(counterIncrease(10, 25), 15);
    assert.equal(counterIncrease(100, 7), 7);
    assert.equal(counterIncrease(undefined, 7), undefined);
  });
  test('per second over the poll interval, by status class; a code first seen started at 0', () => {
    const h = new PodHistory(10);
    h.add(0, metrics({ requests: 100, errors: 2, codes: { '200': 90 } }));
    h.add(10_000, metrics({ requests: 150, errors: 7, codes: { '200': 120, '503': 5, '404': 10 } }));
    const [p] = h.rates();
    assert.equal(p!.requestsPerSecond, 5);
    assert.equal(p!.errorsPerSecond, 0.5);
    assert.deepEqual(p!.responsesPerSecond, { '2xx': 3, '5xx': 0.5, '4xx': 1 });
    assert.equal(errorRatio(p!), (0.5 + 0.5) / 5);
    assert.equal(p!.concurrentRequests, 3);
  });
  test('a restart: the counters reset and the interval across it is left out', () => {
    const h = new PodHistory(10);
    h.add(0, metrics({ requests: 1000, start: 1 }));
    h.add(10_000, metrics({ requests: 1100, start: 1 }));
    h.add(20_000, metrics({ requests: 20, start: 2 })); // restarted in between
    h.add(30_000, metrics({ requests: 70, start: 2 }));
    assert.deepEqual(
      h.rates().map((p) => [p.t, p.requestsPerSecond]),
      [
        [10_000, 10],
        [30_000, 5],
      ],
    );
  });
  test('a reset without a start time (an old cloudflared) is still never negative', () => {
    const h = new PodHistory(10);
    h.add(0, readPodMetrics(parseExposition('cloudflared_tunnel_total_requests 500\n')));
    h.add(10_000, readPodMetrics(parseExposition('cloudflared_tunnel_total_requests 30\n')));
    assert.equal(h.rates()[0]!.requestsPerSecond, 3);
  });
  test('the history is bounded and ignores a clock that went back', () => {
    const h = new PodHistory(3);
    for (let i = 0; i < 10; i++) h.add(i * 1000, metrics({ requests: i }));
    h.add(5000, metrics({ requests: 99 }));
    assert.equal(h.size, 3);
    assert.deepEqual(
      h.rates().map((p) => p.t),
      [8000, 9000],
    );
    assert.equal(h.rates(9000).length, 1);
  });
  test('sumRates adds pods polled at the same tick', () => {
    const a = [{ t: 10_010, requestsPerSecond: 2, responsesPerSecond: { '2xx': 2 }, haConnections: 4 }];
    const b = [
      { t: 9_990, requestsPerSecond: 3, responsesPerSecond: { '2xx': 1, '5xx': 2 }, haConnections: 2 },
      { t: 20_000, requestsPerSecond: 1, responsesPerSecond: {} },
    ];
    assert.deepEqual(sumRates([a, b], 10_000), [
      { t: 10_000, requestsPerSecond: 5, responsesPerSecond: { '2xx': 3, '5xx': 2 }, haConnections: 6 },
      { t: 20_000, requestsPerSecond: 1, responsesPerSecond: {} },
    ]);
  });
  test('statusClass', () => {
    assert.equal(statusClass('204'), '2xx');
    assert.equal(statusClass('599'), '5xx');
    assert.equal(statusClass('101'), 'other');
    assert.equal(statusClass('abc'), 'other');
  });
});
