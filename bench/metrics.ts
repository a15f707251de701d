/**
 * cloudflared's metrics (src/core/metrics): `metrics-parse` parses a generated 5,000-line
 * exposition (cloudflared's families, QUIC series per connection, labelled histograms, the Go
 * runtime's summaries) and reads the panel's numbers from it; its floor is splitting the same text
 * into lines. `metrics-history-memory` is the heap one hour of history takes (10 pods read every
 * 10 s: 361 scrapes each, as the poller keeps them), measured after garbage collection; it is a
 * size, reported in bytes as vsix-size is.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PodHistory, readPodMetrics } from '../src/core/metrics/cloudflared';
import { parseExposition } from '../src/core/metrics/prometheus';
import { historyPoints } from '../src/extension/metrics/pollerModel';
import { medianOf } from './measure';
import type { Benchmark, Result } from './measure';

/** A cloudflared-like /metrics page of about `lines` lines; `tick` varies the counters. */
export function exposition(lines: number, tick = 0): string {
  const out: string[] = [];
  const family = (name: string, type: string, help: string): void => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  };
  family('cloudflared_tunnel_total_requests', 'counter', 'Amount of requests proxied through all the tunnels');
  out.push(`cloudflared_tunnel_total_requests ${1000 + tick * 37}`);
  family('cloudflared_tunnel_request_errors', 'counter', 'Amount of errors proxying to origin');
  out.push(`cloudflared_tunnel_request_errors ${tick}`);
  family('cloudflared_tunnel_response_by_code', 'counter', 'Count of responses by HTTP status code');
  for (const code of ['200', '204', '301', '304', '404', '500', '502', '503'])
    out.push(`cloudflared_tunnel_response_by_code{status_code="${code}"} ${tick * code.length}`);
  family('cloudflared_tunnel_concurrent_requests_per_tunnel', 'gauge', 'Concurrent requests proxied');
  out.push(`cloudflared_tunnel_concurrent_requests_per_tunnel ${tick % 7}`);
  family('cloudflared_tunnel_ha_connections', 'gauge', 'Number of active ha connections');
  out.push('cloudflared_tunnel_ha_connections 4');
  family('cloudflared_tunnel_server_locations', 'gauge', 'Where each tunnel is connected to');
  for (const [i, loc] of ['ams16', 'fra08', 'ams08', 'lhr01'].entries())
    out.push(`cloudflared_tunnel_server_locations{connection_id="${i}",edge_location="${loc}"} 1`);
  family('cloudflared_orchestration_config_version', 'gauge', 'Configuration Version');
  out.push('cloudflared_orchestration_config_version 12');
  for (const n of ['tcp', 'udp']) {
    family(`cloudflared_${n}_active_sessions`, 'gauge', `Concurrent ${n} sessions`);
    out.push(`cloudflared_${n}_active_sessions ${tick % 3}`);
  }
  family('cloudflared_proxy_connect_latency', 'histogram', 'Time it takes to establish and acknowledge connections');
  for (const le of ['1', '10', '25', '50', '100', '500', '1000', '5000', '+Inf'])
    out.push(`cloudflared_proxy_connect_latency_bucket{le="${le}"} ${tick}`);
  out.push(`cloudflared_proxy_connect_latency_sum ${tick * 12.5}`, `cloudflared_proxy_connect_latency_count ${tick}`);
  family('build_info', 'gauge', 'Build and version information');
  out.push('build_info{goversion="go1.24.4",revision="2026-08-20-1200 UTC",type="",version="2026.8.2"} 1');
  family('process_start_time_seconds', 'gauge', 'Start time of the process since unix epoch in seconds.');
  out.push('process_start_time_seconds 1.75e+09');
  // The bulk: QUIC series per connection and frame type, RPC histograms, Go summaries, until `lines`.
  let i = 0;
  while (out.length < lines) {
    const conn = i % 4;
    const block = Math.floor(i / 4);
    family(`quic_client_sent_frames_${block}`, 'counter', 'Number of frames that have been sent through a connection');
    for (const frame of ['Ack', 'Stream', 'Ping', 'MaxData', 'ResetStream', 'StopSending'])
      out.push(`quic_client_sent_frames_${block}{conn_index="${conn}",frame_type="${frame}"} ${tick * 3 + block}`);
    family(`cloudflared_rpc_client_latency_secs_${block}`, 'histogram', 'Latency of RPC client operations');
    for (const le of ['0.05', '0.15', '0.45', '1.35', '4.05', '+Inf'])
      out.push(
        `cloudflared_rpc_client_latency_secs_${block}_bucket{handler="registration",method="register_connection",le="${le}"} ${block}`,
      );
    family(
      `go_gc_duration_seconds_${block}`,
      'summary',
      'A summary of the pause duration of garbage collection cycles.',
    );
    for (const q of ['0', '0.25', '0.5', '0.75', '1'])
      out.push(`go_gc_duration_seconds_${block}{quantile="${q}"} 3.2e-05`);
    out.push(`go_gc_duration_seconds_${block}_sum NaN`, `go_gc_duration_seconds_${block}_count ${block}`);
    i++;
  }
  return out.slice(0, lines).join('\n') + '\n';
}

function parseBenchmark(): Benchmark {
  return {
    id: 'metrics-parse',
    goal: 'a 5,000-line /metrics page parsed and read in well under a poll (10 s) per pod',
    async run(): Promise<Result> {
      const text = exposition(5000);
      let families = 0;
      const parse = medianOf(() => {
        const e = parseExposition(text);
        readPodMetrics(e);
        families = e.families.size;
      });
      const floor = medianOf(() => void text.split('\n'));
      return {
        id: 'metrics-parse',
        median_ms: parse.median,
        floor_ms: floor.median,
        runs: parse.runs,
        lines: 5000,
        bytes: text.length,
        families,
      };
    },
  };
}

/** `gc()`, even when node runs without --expose-gc (the flag set at run time, the function from a new context). */
function collector(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function historyMemoryBenchmark(): Benchmark {
  const pods = 10;
  const seconds = 10;
  return {
    id: 'metrics-history-memory',
    goal: 'an hour of history for 10 pods at 10 s: a few MiB per pod at most (docs/ARCHITECTURE.md)',
    async run(): Promise<Result> {
      const gc = collector();
      const points = historyPoints(seconds);
      // The pages the pods would serve (distinct text per tick: nothing is shared by accident).
      const pages = Array.from({ length: 8 }, (_, tick) => exposition(400, tick));
      const build = (n: number): PodHistory[] => {
        const histories = Array.from({ length: pods }, () => new PodHistory(points));
        for (let p = 0; p < n; p++) {
          for (const h of histories) {
            const text = pages[p % pages.length]!.replace(/^(cloudflared_tunnel_total_requests) \d+$/m, `$1 ${p * 37}`);
            h.add(1_700_000_000_000 + p * seconds * 1000, readPodMetrics(parseExposition(text)));
          }
        }
        return histories;
      };
      // Warm-up: the parser's code and type feedback are allocated once, not counted as history.
      let kept: PodHistory[] | undefined = build(points);
      const samples: number[] = [];
      let size = 0;
      for (let run = 0; run < 5; run++) {
        kept = undefined;
        gc();
        gc();
        const before = process.memoryUsage().heapUsed;
        kept = build(points);
        gc();
        gc();
        samples.push(process.memoryUsage().heapUsed - before);
        size = kept[0]!.size;
      }
      samples.sort((a, b) => a - b);
      const bytes = samples[2]!;
      return {
        id: 'metrics-history-memory',
        median_ms: 0,
        runs: samples.length,
        size_bytes: bytes,
        pods,
        points_per_pod: size,
        bytes_per_pod: Math.round(bytes / pods),
        detail: `${pods} pods × ${points} scrapes (an hour at ${seconds} s): ${(bytes / pods / 1024).toFixed(1)} KiB per pod, ${Math.round(bytes / pods / points)} B per scrape`,
      };
    },
  };
}

export function metricsBenchmarks(): Benchmark[] {
  return [parseBenchmark(), historyMemoryBenchmark()];
}
