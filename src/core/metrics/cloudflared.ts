/**
 * What a cloudflared pod's `/metrics` and `/ready` say, and rates over a short history
 * (../shared/docs/field-notes-2.md §2.3–2.6):
 *
 * - `readPodMetrics`: one scrape → the numbers the Traffic panel shows, and which of them this
 *   cloudflared does not report (`missing`: an old release, or QUIC metrics under `--protocol http2`).
 *   There is no HTTP origin-latency metric in cloudflared: `proxy_connect_latency` covers stream
 *   origins only (tcp/ssh/rdp); unreachable-origin 502s count in `request_errors`, not in
 *   `response_by_code`.
 * - `parseReady`: `{"status":200|503,"readyConnections":n,"connectorId":"…"}`.
 * - `PodHistory`: scrapes of one pod, bounded (`maxPoints`), and the rates between consecutive ones:
 *   Δvalue/Δt from the poller's clock (cloudflared sends no timestamps); a counter that went down was
 *   reset (a restart) and its new value is the increase, as Prometheus' `rate()` does; an interval
 *   across a restart (`process_start_time_seconds` changed) is left out.
 * - `sumRates`: the rates of several pods (a Deployment, a tunnel) added at each poll (the stream
 *   connect latency is the slowest pod's average, not a sum).
 */
import { sampleValue } from './prometheus';
import type { Exposition } from './prometheus';

export interface PodMetrics {
  /** cloudflared_tunnel_total_requests (counter). */
  totalRequests?: number;
  /** cloudflared_tunnel_request_errors (counter): failed proxying, the visitor got 502. */
  requestErrors?: number;
  /**
   * cloudflared_tunnel_response_by_code by status_code (counters). A Map: status codes as object
   * keys are array indices to V8, which then holds a ~500-slot array per scrape (4× the memory).
   */
  responsesByCode: Map<string, number>;
  /** cloudflared_tunnel_concurrent_requests_per_tunnel (gauge, whole process). */
  concurrentRequests?: number;
  /** cloudflared_tunnel_ha_connections (gauge; overcounts during reconnects). */
  haConnections?: number;
  /** Current edge location per HA connection (server_locations == 1). */
  locations: Array<{ connection: string; location: string }>;
  tcpActiveSessions?: number;
  udpActiveSessions?: number;
  /** Remote configuration version applied (0 for a locally-managed tunnel). */
  configVersion?: number;
  /** build_info's version (`DEV` for a build from source). */
  version?: string;
  /** process_start_time_seconds: changes when the process restarts. */
  processStart?: number;
  /** quic_client_smoothed_rtt per conn_index, in ms (QUIC only). */
  edgeRttMs: Record<string, number>;
  /** cloudflared_proxy_connect_latency (ms, stream origins only): cumulative sum and count. */
  streamConnectLatency?: { sum: number; count: number };
  /** Metrics the panel reads that this cloudflared did not report. */
  missing: string[];
}

const REQUESTS = 'cloudflared_tunnel_total_requests';
const ERRORS = 'cloudflared_tunnel_request_errors';
const BY_CODE = 'cloudflared_tunnel_response_by_code';
const CONCURRENT = 'cloudflared_tunnel_concurrent_requests_per_tunnel';
const HA = 'cloudflared_tunnel_ha_connections';
const LOCATIONS = 'cloudflared_tunnel_server_locations';
const TCP = 'cloudflared_tcp_active_sessions';
const UDP = 'cloudflared_udp_active_sessions';
const CONFIG_VERSION = 'cloudflared_orchestration_config_version';
const CONNECT_LATENCY = 'cloudflared_proxy_connect_latency';
const RTT = 'quic_client_smoothed_rtt';

/** The families whose absence is worth saying (labelled ones appear only after a first observation). */
const EXPECTED = [REQUESTS, ERRORS, CONCURRENT, HA, TCP, UDP, CONFIG_VERSION, 'build_info'];

export function readPodMetrics(e: Exposition): PodMetrics {
  const num = (name: string): number | undefined => sampleValue(e, name);
  const out: PodMetrics = {
    responsesByCode: new Map(),
    locations: [],
    edgeRttMs: {},
    missing: EXPECTED.filter((n) => !e.families.has(n)),
  };
  const set = <K extends keyof PodMetrics>(key: K, v: PodMetrics[K] | undefined): void => {
    if (v !== undefined) out[key] = v;
  };
  set('totalRequests', num(REQUESTS));
  set('requestErrors', num(ERRORS));
  set('concurrentRequests', num(CONCURRENT));
  set('haConnections', num(HA));
  set('tcpActiveSessions', num(TCP));
  set('udpActiveSessions', num(UDP));
  set('configVersion', num(CONFIG_VERSION));
  set('processStart', num('process_start_time_seconds'));
  set('version', e.families.get('build_info')?.samples[0]?.labels.version);
  for (const s of e.families.get(BY_CODE)?.samples ?? []) {
    const code = s.labels.status_code;
    if (code !== undefined) out.responsesByCode.set(code, (out.responsesByCode.get(code) ?? 0) + s.value);
  }
  for (const s of e.families.get(LOCATIONS)?.samples ?? []) {
    if (s.value === 1 && s.labels.connection_id !== undefined && s.labels.edge_location !== undefined) {
      out.locations.push({ connection: s.labels.connection_id, location: s.labels.edge_location });
    }
  }
  out.locations.sort((a, b) => a.connection.localeCompare(b.connection, 'en', { numeric: true }));
  for (const s of e.families.get(RTT)?.samples ?? []) {
    if (s.labels.conn_index !== undefined) out.edgeRttMs[s.labels.conn_index] = s.value;
  }
  const sum = sampleValue(e, CONNECT_LATENCY, {}, `${CONNECT_LATENCY}_sum`);
  const count = sampleValue(e, CONNECT_LATENCY, {}, `${CONNECT_LATENCY}_count`);
  if (sum !== undefined && count !== undefined) out.streamConnectLatency = { sum, count };
  return out;
}

export interface ReadyState {
  status: number;
  readyConnections: number;
  connectorId?: string;
}

/** `/ready`'s body (the client may hand it parsed or as text); undefined when it is not cloudflared's. */
export function parseReady(body: unknown): ReadyState | undefined {
  let v = body;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.status !== 'number' || typeof o.readyConnections !== 'number') return undefined;
  const out: ReadyState = { status: o.status, readyConnections: o.readyConnections };
  if (typeof o.connectorId === 'string' && o.connectorId !== '') out.connectorId = o.connectorId;
  return out;
}

/** A status-code class of response_by_code: `2xx` … `5xx`, else `other`. */
export function statusClass(code: string): '2xx' | '3xx' | '4xx' | '5xx' | 'other' {
  const c = /^([2-5])\d\d$/.exec(code)?.[1];
  return c === undefined ? 'other' : (`${c}xx` as '2xx' | '3xx' | '4xx' | '5xx');
}

export interface RatePoint {
  /** The later scrape's time, ms since the epoch. */
  t: number;
  requestsPerSecond?: number;
  /** request_errors (502s written by cloudflared) per second. */
  errorsPerSecond?: number;
  /** response_by_code per status class, per second. */
  responsesPerSecond: Partial<Record<'2xx' | '3xx' | '4xx' | '5xx' | 'other', number>>;
  /** Gauges at the later scrape. */
  concurrentRequests?: number;
  haConnections?: number;
  tcpActiveSessions?: number;
  udpActiveSessions?: number;
  /** Average stream-origin connect latency over the interval, ms (undefined: no stream connects). */
  streamConnectLatencyMs?: number;
}

/** Visitor-facing errors over requests: (502s + origin 5xx) / requests; undefined without traffic. */
export function errorRatio(p: RatePoint): number | undefined {
  const req = p.requestsPerSecond;
  if (req === undefined || req <= 0) return undefined;
  const errors = (p.errorsPerSecond ?? 0) + (p.responsesPerSecond['5xx'] ?? 0);
  return Math.min(1, errors / req);
}

/** A counter's increase between two scrapes, with a reset (a lower value) counted from zero. */
export function counterIncrease(before: number | undefined, after: number | undefined): number | undefined {
  if (before === undefined || after === undefined) return undefined;
  return after >= before ? after - before : after;
}

interface Scrape {
  t: number;
  m: PodMetrics;
}

/** The scrapes of one pod, oldest first, at most `maxPoints`. */
export class PodHistory {
  private readonly scrapes: Scrape[] = [];

  constructor(readonly maxPoints: number) {}

  add(t: number, m: PodMetrics): void {
    const last = this.scrapes[this.scrapes.length - 1];
    if (last && t <= last.t) return; // the clock went back, or the same tick twice
    this.scrapes.push({ t, m });
    if (this.scrapes.length > this.maxPoints) this.scrapes.splice(0, this.scrapes.length - this.maxPoints);
  }

  get size(): number {
    return this.scrapes.length;
  }

  latest(): PodMetrics | undefined {
    return this.scrapes[this.scrapes.length - 1]?.m;
  }

  /** The rate points since `since` (ms), one per interval between consecutive scrapes. */
  rates(since = -Infinity): RatePoint[] {
    const out: RatePoint[] = [];
    for (let i = 1; i < this.scrapes.length; i++) {
      const a = this.scrapes[i - 1]!;
      const b = this.scrapes[i]!;
      if (b.t < since) continue;
      // A restart between the two: the interval's increase is unknown (the new process counted from 0
      // at some moment inside it), so it is left out rather than drawn as a spike or a dip.
      if (a.m.processStart !== undefined && b.m.processStart !== undefined && a.m.processStart !== b.m.processStart) {
        continue;
      }
      out.push(ratePoint(a, b));
    }
    return out;
  }
}

function ratePoint(a: Scrape, b: Scrape): RatePoint {
  const dt = (b.t - a.t) / 1000;
  const per = (x: number | undefined): number | undefined => (x === undefined ? undefined : x / dt);
  const p: RatePoint = { t: b.t, responsesPerSecond: {} };
  const set = <K extends keyof RatePoint>(key: K, v: RatePoint[K] | undefined): void => {
    if (v !== undefined) p[key] = v;
  };
  set('requestsPerSecond', per(counterIncrease(a.m.totalRequests, b.m.totalRequests)));
  set('errorsPerSecond', per(counterIncrease(a.m.requestErrors, b.m.requestErrors)));
  for (const [code, after] of b.m.responsesByCode) {
    // A code first seen in `b` started at 0 (labelled series appear on their first observation).
    const inc = counterIncrease(a.m.responsesByCode.get(code) ?? 0, after)!;
    const cls = statusClass(code);
    p.responsesPerSecond[cls] = (p.responsesPerSecond[cls] ?? 0) + inc / dt;
  }
  set('concurrentRequests', b.m.concurrentRequests);
  set('haConnections', b.m.haConnections);
  set('tcpActiveSessions', b.m.tcpActiveSessions);
  set('udpActiveSessions', b.m.udpActiveSessions);
  const la = a.m.streamConnectLatency;
  const lb = b.m.streamConnectLatency;
  if (la && lb) {
    const count = counterIncrease(la.count, lb.count)!;
    const sum = counterIncrease(la.sum, lb.sum)!;
    if (count > 0) p.streamConnectLatencyMs = sum / count;
  }
  return p;
}

/**
 * The rates of several pods summed per poll: points whose times fall in the same `tickMs` bucket
 * are added (counters' rates and gauges alike; a pod missing from a bucket adds nothing).
 */
export function sumRates(series: ReadonlyArray<readonly RatePoint[]>, tickMs: number): RatePoint[] {
  const buckets = new Map<number, RatePoint>();
  const add = (a: number | undefined, b: number | undefined): number | undefined =>
    a === undefined ? b : b === undefined ? a : a + b;
  for (const points of series) {
    for (const p of points) {
      const key = Math.round(p.t / tickMs);
      const cur = buckets.get(key);
      if (!cur) {
        buckets.set(key, { ...p, t: key * tickMs, responsesPerSecond: { ...p.responsesPerSecond } });
        continue;
      }
      cur.requestsPerSecond = add(cur.requestsPerSecond, p.requestsPerSecond);
      cur.errorsPerSecond = add(cur.errorsPerSecond, p.errorsPerSecond);
      for (const [k, v] of Object.entries(p.responsesPerSecond) as Array<
        [keyof RatePoint['responsesPerSecond'], number]
      >) {
        cur.responsesPerSecond[k] = (cur.responsesPerSecond[k] ?? 0) + v;
      }
      cur.concurrentRequests = add(cur.concurrentRequests, p.concurrentRequests);
      cur.haConnections = add(cur.haConnections, p.haConnections);
      cur.tcpActiveSessions = add(cur.tcpActiveSessions, p.tcpActiveSessions);
      cur.udpActiveSessions = add(cur.udpActiveSessions, p.udpActiveSessions);
      if (p.streamConnectLatencyMs !== undefined) {
        cur.streamConnectLatencyMs =
          cur.streamConnectLatencyMs === undefined
            ? p.streamConnectLatencyMs
            : Math.max(cur.streamConnectLatencyMs, p.streamConnectLatencyMs);
      }
    }
  }
  for (const p of buckets.values()) {
    for (const k of [
      'requestsPerSecond',
      'errorsPerSecond',
      'concurrentRequests',
      'haConnections',
      'tcpActiveSessions',
      'udpActiveSessions',
      'streamConnectLatencyMs',
    ] as const) {
      if (p[k] === undefined) delete p[k];
    }
  }
  return [...buckets.values()].sort((a, b) => a.t - b.t);
}
