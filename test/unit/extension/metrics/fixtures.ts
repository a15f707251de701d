// Helpers for the metrics tests (no side effects: node --test may import this file on its own).
import { parseExposition } from '../../../../src/core/metrics/prometheus';
import { PodHistory, readPodMetrics } from '../../../../src/core/metrics/cloudflared';
import type { PodState } from '../../../../src/extension/metrics/pollerModel';

export interface PageOptions {
  requests: number;
  errors?: number;
  codes?: Record<string, number>;
  concurrent?: number;
  ha?: number;
  start?: number;
  version?: string;
  configVersion?: number;
  /** Leave out the TCP/UDP session gauges (cloudflared before 2023.6.1). */
  old?: boolean;
  latency?: { sum: number; count: number };
}

/** A cloudflared /metrics page with the families the Traffic panel reads. */
export function metricsPage(o: PageOptions): string {
  const lines = [
    '# TYPE cloudflared_tunnel_total_requests counter',
    `cloudflared_tunnel_total_requests ${o.requests}`,
    '# TYPE cloudflared_tunnel_request_errors counter',
    `cloudflared_tunnel_request_errors ${o.errors ?? 0}`,
    '# TYPE cloudflared_tunnel_response_by_code counter',
    ...Object.entries(o.codes ?? {}).map(([c, v]) => `cloudflared_tunnel_response_by_code{status_code="${c}"} ${v}`),
    '# TYPE cloudflared_tunnel_concurrent_requests_per_tunnel gauge',
    `cloudflared_tunnel_concurrent_requests_per_tunnel ${o.concurrent ?? 2}`,
    '# TYPE cloudflared_tunnel_ha_connections gauge',
    `cloudflared_tunnel_ha_connections ${o.ha ?? 4}`,
    '# TYPE cloudflared_tunnel_server_locations gauge',
    'cloudflared_tunnel_server_locations{connection_id="0",edge_location="ams16"} 1',
    'cloudflared_tunnel_server_locations{connection_id="1",edge_location="fra08"} 1',
    '# TYPE cloudflared_orchestration_config_version gauge',
    `cloudflared_orchestration_config_version ${o.configVersion ?? 0}`,
    '# TYPE process_start_time_seconds gauge',
    `process_start_time_seconds ${o.start ?? 1000}`,
    '# TYPE build_info gauge',
    `build_info{goversion="go1.24",revision="x",type="",version="${o.version ?? '2026.8.2'}"} 1`,
  ];
  if (!o.old) {
    lines.push(
      '# TYPE cloudflared_tcp_active_sessions gauge',
      'cloudflared_tcp_active_sessions 1',
      '# TYPE cloudflared_udp_active_sessions gauge',
      'cloudflared_udp_active_sessions 0',
    );
  }
  if (o.latency) {
    lines.push(
      '# TYPE cloudflared_proxy_connect_latency histogram',
      `cloudflared_proxy_connect_latency_bucket{le="+Inf"} ${o.latency.count}`,
      `cloudflared_proxy_connect_latency_sum ${o.latency.sum}`,
      `cloudflared_proxy_connect_latency_count ${o.latency.count}`,
    );
  }
  return lines.join('\n') + '\n';
}

/** A pod state with scrapes at `t0`, `t0 + step`, … (ms) built from `pages`. */
export function podState(
  name: string,
  pages: PageOptions[],
  opts: { t0?: number; stepMs?: number; namespace?: string; deployment?: string; ready?: PodState['ready'] } = {},
): PodState {
  const history = new PodHistory(400);
  const t0 = opts.t0 ?? 1_700_000_000_000;
  const step = opts.stepMs ?? 10_000;
  pages.forEach((p, i) => history.add(t0 + i * step, readPodMetrics(parseExposition(metricsPage(p)))));
  const s: PodState = {
    deployment: { namespace: opts.namespace ?? 'cloudflared', name: opts.deployment ?? 'cloudflared' },
    pod: name,
    history,
    ready: opts.ready ?? { status: 200, readyConnections: 4, connectorId: `${name}-connector` },
  };
  const latest = history.latest();
  if (latest) s.latest = latest;
  if (pages.length) s.updatedAt = t0 + (pages.length - 1) * step;
  return s;
}
