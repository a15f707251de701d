/**
 * A stand-in for cloudflared's metrics server (`/metrics`, `/ready`, `/healthcheck`), behind the
 * local Kubernetes API server's pod proxy. It speaks cloudflared's real metric names, types, HELP
 * texts and labels (cloudflared 2026.8.2's catalogue, ../shared/docs/field-notes-2.md §2.3, and the
 * shape of ../shared/cloudflared's real pages; written here, not copied), in client_golang's text
 * format 0.0.4: families sorted by name, labels by name, series by label values, Go float syntax.
 *
 * Everything is a function of the pod's behaviour, a seed (the pod's name) and the clock, so a test
 * can set the clock and know what it will read:
 * - traffic: requests/s around `rps`, a 10-minute swell and a faster ripple; counters are the exact
 *   integral of that rate since the process started (monotonic, integers);
 * - errors: `request_errors` (origin unreachable: cloudflared wrote 502, not counted in
 *   response_by_code) in bursts, and 5xx among `response_by_code`;
 * - a restart every `restartEverySeconds`: `process_start_time_seconds` moves and every counter
 *   starts again from 0;
 * - no edge connection (`locations: []`): `/ready` answers 503 with `readyConnections: 0`, no
 *   traffic, `tunnel_register_fail` growing, no QUIC series (they register on the first
 *   connection);
 * - the version (`build_info`) decides which families exist: those added after it are left out
 *   (e.g. `proxy_connect_latency` before 2024.2.0, the `cloudflared_rpc_*` before 2024.6.0), and
 *   2023-era pages have the gauges later releases dropped.
 *
 * `/ready` is `{"status":200|503,"readyConnections":n,"connectorId":"<uuid>"}` plus a newline
 * (json.Encoder) with no Content-Type of its own (Go sniffs `text/plain; charset=utf-8`).
 */

export interface CloudflaredBehaviour {
  /** Mean requests per second (0: none). */
  rps?: number;
  /** Share of requests whose origin could not be reached (request_errors; the visitor got 502). */
  errorShare?: number;
  /** Shares of all requests answered by an HTTP origin, per status code (response_by_code). */
  codes?: Record<string, number>;
  /** Edge location of each HA connection, in connection order; [] = none registered (not ready). */
  locations?: string[];
  /** A connection's location before it moved (server_locations = 0), by connection index. */
  previousLocations?: Record<string, string>;
  /** The process restarts this often (counters reset). */
  restartEverySeconds?: number;
  /** build_info's version; default: the image tag. */
  version?: string;
  /** /ready's connectorId; default uuidFrom(`connector:<pod>`). */
  connectorId?: string;
  protocol?: 'quic' | 'http2';
  /** cloudflared_orchestration_config_version: the remote configuration applied (0: local config). */
  configVersion?: number;
}

/** One running cloudflared process's inputs: the behaviour resolved for a pod. */
export interface CloudflaredInstance extends Required<Omit<CloudflaredBehaviour, 'previousLocations'>> {
  seed: string;
  previousLocations: Record<string, string>;
  /** When the container first started, seconds since the epoch. */
  startedAt: number;
}

export const DEFAULT_CODES: Record<string, number> = {
  '200': 0.84,
  '301': 0.01,
  '304': 0.04,
  '404': 0.06,
  '500': 0.01,
  '503': 0.005,
};
const COLOS = ['fra08', 'ams01', 'fra10', 'ams16', 'cdg03', 'lhr01', 'iad08', 'sjc01'];
const GO_VERSION = 'go1.26.11';

// ── Determinism ─────────────────────────────────────────────────────────────────────────────

/** FNV-1a 32-bit of a string, as a fraction in [0, 1). */
export function unit(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 2 ** 32;
}

interface Wave {
  amp: number;
  period: number;
  phase: number;
}

const TRAFFIC = (seed: string): Wave[] => [
  { amp: 0.45, period: 600, phase: unit(`${seed}:a`) * 2 * Math.PI },
  { amp: 0.15, period: 47, phase: unit(`${seed}:b`) * 2 * Math.PI },
];
/** Errors come in bursts: a deep 5-minute wave. */
const ERRORS = (seed: string): Wave[] => [{ amp: 0.95, period: 300, phase: unit(`${seed}:e`) * 2 * Math.PI }];

/** ∫ₐᵇ (1 + Σ amp·sin(2πt/period + phase)) dt, exactly. */
function integral(waves: Wave[], a: number, b: number): number {
  let v = b - a;
  for (const w of waves) {
    const k = (2 * Math.PI) / w.period;
    v -= (w.amp / k) * (Math.cos(k * b + w.phase) - Math.cos(k * a + w.phase));
  }
  return Math.max(0, v);
}

function level(waves: Wave[], t: number): number {
  return 1 + waves.reduce((s, w) => s + w.amp * Math.sin(((2 * Math.PI) / w.period) * t + w.phase), 0);
}

/** Versions as numbers: 2026.8.2 → 20260802 (a tag that is no version counts as current). */
export function versionNumber(v: string): number {
  const m = /^(\d{4})\.(\d{1,2})\.(\d{1,2})/.exec(v);
  return m ? Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]) : 99999999;
}

/** The process's start (seconds) at `now` (seconds): the container start, moved by each restart. */
export function processStart(p: CloudflaredInstance, now: number): number {
  const first = Math.min(p.startedAt, now);
  if (!p.restartEverySeconds || p.restartEverySeconds <= 0) return first;
  return first + Math.floor((now - first) / p.restartEverySeconds) * p.restartEverySeconds;
}

// ── Go's number format ──────────────────────────────────────────────────────────────────────

/** strconv.FormatFloat(v, 'g', -1, 64), as client_golang writes values: 20000, 4.542464e+07, 1e-05, NaN, +Inf. */
export function goFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mant, e] = v.toExponential().split('e') as [string, string];
  const exp = Number(e);
  // Go switches to %e when the exponent is < -4 or ≥ 6 (the shortest representation's rule).
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mant}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(v);
}

// ── The page ────────────────────────────────────────────────────────────────────────────────

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary';
  series: Array<{ labels?: Record<string, string>; value: number; suffix?: string }>;
}

const escapeLabel = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const escapeHelp = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function render(families: Family[]): string {
  const out: string[] = [];
  for (const f of [...families].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.series) {
      const names = Object.keys(s.labels ?? {}).sort();
      const labels = names.length ? `{${names.map((n) => `${n}="${escapeLabel(s.labels![n]!)}"`).join(',')}}` : '';
      out.push(`${f.name}${s.suffix ?? ''}${labels} ${goFloat(s.value)}`);
    }
  }
  return `${out.join('\n')}\n`;
}

const byLabels = (a: { labels?: Record<string, string> }, b: { labels?: Record<string, string> }): number => {
  const ka = Object.keys(a.labels ?? {}).sort();
  for (const k of ka) {
    const x = a.labels![k]!;
    const y = b.labels?.[k] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

function histogram(
  name: string,
  help: string,
  buckets: number[],
  groups: Array<{ labels: Record<string, string>; observations: number[] }>,
): Family {
  const series: Family['series'] = [];
  for (const g of groups) {
    for (const le of [...buckets, Infinity]) {
      series.push({
        suffix: '_bucket',
        labels: { ...g.labels, le: le === Infinity ? '+Inf' : goFloat(le) },
        value: g.observations.filter((o) => o <= le).length,
      });
    }
    series.push({ suffix: '_sum', labels: g.labels, value: g.observations.reduce((s, o) => s + o, 0) });
    series.push({ suffix: '_count', labels: g.labels, value: g.observations.length });
  }
  return { name, help, type: 'histogram', series };
}

/** build_info's `revision` is the build time, e.g. `2026-08-02-0609UTC` (made up from the version here). */
function buildTime(version: string): string {
  const m = /^(\d{4})\.(\d{1,2})\.(\d{1,2})/.exec(version);
  if (!m) return 'unknown';
  const pad = (x: string): string => x.padStart(2, '0');
  return `${m[1]}-${pad(m[2]!)}-${pad(String(Math.min(28, Number(m[3]) + 1)))}-0609UTC`;
}

/** `/metrics` of `p` at `nowMs`. */
export function metricsPage(p: CloudflaredInstance, nowMs: number): string {
  const now = nowMs / 1000;
  const start = processStart(p, now);
  const uptime = Math.max(0, now - start);
  const v = versionNumber(p.version);
  const connected = p.locations.length > 0;
  const rps = connected ? p.rps : 0;
  const traffic = TRAFFIC(p.seed);
  const requestsExact = rps * integral(traffic, start, now);
  const requests = Math.floor(requestsExact);
  const errors = Math.floor(rps * p.errorShare * integral(ERRORS(p.seed), start, now));
  const scrapes = Math.floor(uptime / 15);
  const jitter = (k: string): number => unit(`${p.seed}:${k}:${Math.floor(now / 5)}`);
  const fams: Family[] = [];
  const one = (name: string, help: string, type: 'counter' | 'gauge', value: number): void => {
    fams.push({ name, help, type, series: [{ value }] });
  };

  fams.push({
    name: 'build_info',
    help: 'Build and version information',
    type: 'gauge',
    series: [
      {
        labels: {
          goversion: GO_VERSION,
          revision: buildTime(p.version),
          type: '',
          version: p.version,
        },
        value: 1,
      },
    ],
  });

  // Tunnel / HTTP proxy (proxy/metrics.go, connection/metrics.go, supervisor/metrics.go).
  one('cloudflared_tunnel_total_requests', 'Amount of requests proxied through all the tunnels', 'counter', requests);
  one(
    'cloudflared_tunnel_concurrent_requests_per_tunnel',
    'Concurrent requests proxied through each tunnel',
    'gauge',
    rps === 0 ? 0 : Math.max(0, Math.round(rps * level(traffic, now) * 0.08 + jitter('c') * 3 - 1)),
  );
  if (v >= 20201104) one('cloudflared_tunnel_request_errors', 'Count of error proxying to origin', 'counter', errors);
  one('cloudflared_tunnel_ha_connections', 'Number of active ha connections', 'gauge', p.locations.length);
  const codes = Object.entries(p.codes)
    .map(([code, share]) => ({ labels: { status_code: code }, value: Math.floor(requestsExact * share) }))
    .filter((s) => s.value > 0)
    .sort(byLabels);
  if (codes.length)
    fams.push({
      name: 'cloudflared_tunnel_response_by_code',
      help: 'Count of responses by HTTP status code',
      type: 'counter',
      series: codes,
    });
  if (connected) {
    const locations: Family['series'] = p.locations.map((loc, i) => ({
      labels: { connection_id: String(i), edge_location: loc },
      value: 1,
    }));
    for (const [i, loc] of Object.entries(p.previousLocations))
      locations.push({ labels: { connection_id: i, edge_location: loc }, value: 0 });
    fams.push({
      name: 'cloudflared_tunnel_server_locations',
      help: 'Where each tunnel is connected to. 1 means current location, 0 means previous locations.',
      type: 'gauge',
      series: locations.sort(byLabels),
    });
    fams.push({
      name: 'cloudflared_tunnel_tunnel_register_success',
      help: 'Count of successful tunnel registrations',
      type: 'counter',
      series: [
        {
          labels: { rpcName: 'registerConnection' },
          value: p.locations.length + Object.keys(p.previousLocations).length,
        },
      ],
    });
  } else if (uptime >= 1) {
    fams.push({
      name: 'cloudflared_tunnel_tunnel_register_fail',
      help: 'Count of tunnel registration errors by type',
      type: 'counter',
      series: [
        { labels: { error: 'server_error', rpcName: 'registerConnection' }, value: 1 + Math.floor(uptime / 30) },
      ],
    });
  }
  if (v >= 20220501) {
    const pushes = connected && p.configVersion === 0 ? 1 : 0;
    one(
      'cloudflared_config_local_config_pushes',
      'Number of local configuration pushes to the edge',
      'counter',
      pushes,
    );
    one(
      'cloudflared_config_local_config_pushes_errors',
      'Number of errors occurred during local configuration pushes',
      'counter',
      0,
    );
  }
  if (v >= 20220302)
    one('cloudflared_orchestration_config_version', 'Configuration Version', 'gauge', connected ? p.configVersion : 0);
  if (v >= 20240200) {
    fams.push(
      histogram(
        'cloudflared_proxy_connect_latency',
        'Time it takes to establish and acknowledge connections in milliseconds',
        [1, 10, 25, 50, 100, 500, 1000, 5000],
        [{ labels: {}, observations: [] }],
      ),
    );
    one(
      'cloudflared_proxy_connect_streams_errors',
      'Total count of failure to establish and acknowledge connections',
      'counter',
      0,
    );
  }
  if (v >= 20240600) {
    one(
      'cloudflared_icmp_total_replies',
      'Total count of ICMP replies that have been proxied from any origin',
      'counter',
      0,
    );
    one(
      'cloudflared_icmp_total_requests',
      'Total count of ICMP requests that have been proxied to any origin',
      'counter',
      0,
    );
  }
  if (v >= 20230601) {
    one(
      'cloudflared_tcp_active_sessions',
      'Concurrent count of TCP sessions that are being proxied to any origin',
      'gauge',
      0,
    );
    one(
      'cloudflared_tcp_total_sessions',
      'Total count of TCP sessions that have been proxied to any origin',
      'counter',
      0,
    );
    one(
      'cloudflared_udp_active_sessions',
      'Concurrent count of UDP sessions that are being proxied to any origin',
      'gauge',
      0,
    );
    // A gauge in 2023.7.3's page, a counter in 2026.8.2's (the release that changed it is not pinned here).
    one(
      'cloudflared_udp_total_sessions',
      'Total count of UDP sessions that have been proxied to any origin',
      v >= 20240100 ? 'counter' : 'gauge',
      0,
    );
  }
  if (v < 20240100) {
    // In 2023.7.3's page, gone from 2026.8.2's.
    one('cloudflared_tunnel_active_streams', 'Number of active streams created by all muxers.', 'gauge', 0);
    one('cloudflared_tunnel_timer_retries', 'Unacknowledged heart beats count', 'gauge', 0);
  }

  // RPC with the edge (tunnelrpc/metrics), since 2024.6.0: one registration per connection.
  if (v >= 20240600 && connected) {
    const labels = { handler: 'registration', method: 'register_connection' };
    const n = p.locations.length;
    fams.push({
      name: 'cloudflared_rpc_client_operations',
      help: 'Number of rpc methods by handler requested',
      type: 'counter',
      series: [{ labels, value: n }],
    });
    fams.push(
      histogram(
        'cloudflared_rpc_client_latency_secs',
        'Latency of rpc methods by handler requested',
        [0.05, 0.15, 0.45, 1.35, 4.05],
        [{ labels, observations: p.locations.map((_, i) => 0.03 + unit(`${p.seed}:rpc:${i}:${start}`) * 0.3) }],
      ),
    );
  }

  // QUIC transport (quic/metrics.go): registered on the first QUIC connection.
  if (connected && p.protocol === 'quic' && v >= 20211004) {
    const perConn = (f: (i: number) => number): Family['series'] =>
      p.locations.map((_, i) => ({ labels: { conn_index: String(i) }, value: f(i) }));
    const baseRtt = (i: number): number => 8 + Math.round(unit(`${p.seed}:rtt:${i}`) * 30);
    const bytes = (i: number, per: number): number =>
      Math.floor((requestsExact / p.locations.length) * per + uptime * 40 * (1 + i / 10));
    one('quic_client_total_connections', 'Number of connections initiated', 'counter', p.locations.length);
    one('quic_client_closed_connections', 'Number of connections that has been closed', 'counter', 0);
    fams.push({
      name: 'quic_client_min_rtt',
      help: 'Lowest RTT measured on a connection in millisec',
      type: 'gauge',
      series: perConn(baseRtt),
    });
    fams.push({
      name: 'quic_client_latest_rtt',
      help: 'Latest RTT measured on a connection',
      type: 'gauge',
      series: perConn((i) => baseRtt(i) + Math.round(jitter(`l${i}`) * 12)),
    });
    fams.push({
      name: 'quic_client_smoothed_rtt',
      help: 'Calculated smoothed RTT measured on a connection in millisec',
      type: 'gauge',
      series: perConn((i) => baseRtt(i) + Math.round(jitter(`s${i}`) * 4)),
    });
    fams.push({
      name: 'quic_client_sent_bytes',
      help: 'Number of bytes that have been sent through a connection',
      type: 'counter',
      series: perConn((i) => bytes(i, 5200)),
    });
    fams.push({
      name: 'quic_client_receive_bytes',
      help: 'Number of bytes that have been received through a connection',
      type: 'counter',
      series: perConn((i) => bytes(i, 900)),
    });
    if (v >= 20211203)
      fams.push({
        name: 'quic_client_mtu',
        help: 'Current maximum transmission unit (MTU) of a connection',
        type: 'gauge',
        series: perConn(() => 1350),
      });
  }

  // Process and runtime (client_golang's default collectors, Linux).
  const rss = 38e6 + Math.floor(unit(`${p.seed}:rss`) * 8e6) + Math.floor(uptime % 600) * 1000;
  one(
    'process_cpu_seconds_total',
    'Total user and system CPU time spent in seconds.',
    'counter',
    Math.round((uptime * 0.004 + requestsExact * 0.0002) * 100) / 100,
  );
  one('process_max_fds', 'Maximum number of open file descriptors.', 'gauge', 1048576);
  one('process_open_fds', 'Number of open file descriptors.', 'gauge', 10 + p.locations.length * 2);
  one('process_resident_memory_bytes', 'Resident memory size in bytes.', 'gauge', rss);
  one(
    'process_start_time_seconds',
    'Start time of the process since unix epoch in seconds.',
    'gauge',
    Math.round(start * 100) / 100,
  );
  one('process_virtual_memory_bytes', 'Virtual memory size in bytes.', 'gauge', 1325731840);
  one(
    'process_virtual_memory_max_bytes',
    'Maximum amount of virtual memory available in bytes.',
    'gauge',
    18446744073709552000,
  );
  if (v >= 20240900) {
    one(
      'process_network_receive_bytes_total',
      'Number of bytes received by the process over the network.',
      'counter',
      Math.floor(requestsExact * 6200 + uptime * 300),
    );
    one(
      'process_network_transmit_bytes_total',
      'Number of bytes sent by the process over the network.',
      'counter',
      Math.floor(requestsExact * 6100 + uptime * 280),
    );
  }
  one(
    'go_goroutines',
    'Number of goroutines that currently exist.',
    'gauge',
    20 + p.locations.length * 6 + Math.round(jitter('g') * 4),
  );
  fams.push({
    name: 'go_info',
    help: 'Information about the Go environment.',
    type: 'gauge',
    series: [{ labels: { version: GO_VERSION }, value: 1 }],
  });
  one(
    'go_memstats_alloc_bytes',
    'Number of bytes allocated in heap and currently in use. Equals to /memory/classes/heap/objects:bytes.',
    'gauge',
    Math.floor(rss * 0.15),
  );
  one('go_threads', 'Number of OS threads created.', 'gauge', 9);
  const gcs = Math.floor(uptime / 120);
  fams.push({
    name: 'go_gc_duration_seconds',
    help: 'A summary of the wall-time pause (stop-the-world) duration in garbage collection cycles.',
    type: 'summary',
    series: [
      { labels: { quantile: '0' }, value: gcs ? 5.7e-5 : 0 },
      { labels: { quantile: '0.25' }, value: gcs ? 1.7e-4 : 0 },
      { labels: { quantile: '0.5' }, value: gcs ? 5.8e-4 : 0 },
      { labels: { quantile: '0.75' }, value: gcs ? 2.2e-3 : 0 },
      { labels: { quantile: '1' }, value: gcs ? 4.3e-3 : 0 },
      { suffix: '_sum', value: Math.round(gcs * 0.0011 * 1e6) / 1e6 },
      { suffix: '_count', value: gcs },
    ],
  });
  one('promhttp_metric_handler_requests_in_flight', 'Current number of scrapes being served.', 'gauge', 1);
  fams.push({
    name: 'promhttp_metric_handler_requests_total',
    help: 'Total number of scrapes by HTTP status code.',
    type: 'counter',
    series: [
      { labels: { code: '200' }, value: scrapes },
      { labels: { code: '500' }, value: 0 },
      { labels: { code: '503' }, value: 0 },
    ],
  });
  return render(fams);
}

/** `/ready` of `p`: 200 with ≥ 1 registered edge connection, else 503 (cloudflared metrics/readiness.go). */
export function readyAnswer(p: CloudflaredInstance): { status: number; body: string } {
  const n = p.locations.length;
  const status = n > 0 ? 200 : 503;
  return { status, body: `${JSON.stringify({ status, readyConnections: n, connectorId: p.connectorId })}\n` };
}

/** A behaviour for a cloudflared pod the seed data says nothing about: traffic, 4 connections. */
export function defaultBehaviour(seed: string): CloudflaredBehaviour {
  const k = Math.floor(unit(`${seed}:colo`) * (COLOS.length - 3));
  return { rps: 2 + Math.round(unit(`${seed}:rps`) * 8), locations: COLOS.slice(k, k + 4) };
}

export function instance(
  seed: string,
  b: CloudflaredBehaviour,
  defaults: { version: string; connectorId: string; startedAt: number },
): CloudflaredInstance {
  return {
    seed,
    rps: b.rps ?? 5,
    errorShare: b.errorShare ?? 0.01,
    codes: b.codes ?? DEFAULT_CODES,
    locations: b.locations ?? COLOS.slice(0, 4),
    previousLocations: b.previousLocations ?? {},
    restartEverySeconds: b.restartEverySeconds ?? 0,
    version: b.version ?? defaults.version,
    connectorId: b.connectorId ?? defaults.connectorId,
    protocol: b.protocol ?? 'quic',
    configVersion: b.configVersion ?? 0,
    startedAt: defaults.startedAt,
  };
}
