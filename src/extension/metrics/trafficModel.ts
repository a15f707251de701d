/**
 * The Traffic panel's content as plain data (no `vscode`: test/unit/extension/metrics covers it):
 * from the poller's pods (already those of the Deployment or tunnel shown) to the charts, per pod
 * and in total over the chosen window, and the pods' table. Nothing is drawn empty: a chart that
 * cannot be drawn carries the reason instead (every pod forbidden or unreadable, a metric this
 * cloudflared does not report, no second read yet, nothing of that kind counted in the window).
 *
 * Counters become rates between consecutive reads (PodHistory: resets and restarts handled); the
 * total adds the pods' rates per poll (`sumRates`). Gauges read per pod (HA connections) are not
 * summed. cloudflared has no HTTP origin-latency metric: the latency chart is the stream origins'
 * connect time, and says so.
 */
import { errorRatio, sumRates } from '../../core/metrics/cloudflared';
import type { RatePoint } from '../../core/metrics/cloudflared';
import { WINDOW_SECONDS } from '../../shared/traffic';
import type { TrafficChart, TrafficPod, TrafficSeries, TrafficView, TrafficWindow } from '../../shared/traffic';
import type { PodState } from './pollerModel';

export interface TrafficInput {
  title: string;
  /** The pods of what is shown (the poller's states, filtered by `podMatches`). */
  pods: readonly PodState[];
  window: TrafficWindow;
  pollSeconds: number;
  now: number;
  /** Problems of the whole panel (the cluster could not be read, no such Deployment…). */
  notices?: readonly string[];
  /** False until the cloudflared Deployments were listed once (no pod yet is then no news). */
  listed?: boolean;
}

/** Metric families the charts read, with the release that added them (field notes §2.3). */
const FAMILIES = {
  requests: { name: 'cloudflared_tunnel_total_requests', since: '2018.8' },
  errors: { name: 'cloudflared_tunnel_request_errors', since: '2020.11.4' },
  concurrent: { name: 'cloudflared_tunnel_concurrent_requests_per_tunnel', since: '2018.8' },
  ha: { name: 'cloudflared_tunnel_ha_connections', since: '2018.8' },
  tcp: { name: 'cloudflared_tcp_active_sessions', since: '2023.6.1' },
  udp: { name: 'cloudflared_udp_active_sessions', since: '2023.6.1' },
} as const;

export const NO_HTTP_LATENCY =
  'cloudflared has no origin-latency metric for HTTP: this is the time to connect stream origins (tcp://, ssh://, rdp://, WARP) only.';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** 0.123 → "0.12", 12.34 → "12.3", 1234 → "1234". */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n) || Number.isInteger(n)) return String(n);
  const a = Math.abs(n);
  return a >= 100 ? n.toFixed(0) : a >= 10 ? n.toFixed(1) : n.toFixed(2);
}

/** `2026.8.2` → [2026, 8, 2]; undefined for `DEV` and anything else that is not a release. */
function release(v: string | undefined): number[] | undefined {
  const m = v ? /^(\d+)\.(\d+)\.(\d+)/.exec(v) : null;
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function compareRelease(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i]! !== b[i]!) return a[i]! - b[i]!;
  return 0;
}

interface PodRates {
  pod: PodState;
  index: number;
  points: RatePoint[];
}

export function trafficView(input: TrafficInput): TrafficView {
  const { pods, pollSeconds, now } = input;
  const tickMs = pollSeconds * 1000;
  const since = now - WINDOW_SECONDS[input.window] * 1000;
  const perPod: PodRates[] = pods.map((pod, index) => ({ pod, index, points: pod.history.rates(since) }));
  const total = sumRates(
    perPod.map((p) => p.points),
    tickMs,
  );
  const keyOf = (t: number): number => Math.round(t / tickMs);
  const keys = [
    ...new Set([...perPod.flatMap((p) => p.points.map((x) => keyOf(x.t))), ...total.map((x) => keyOf(x.t))]),
  ];
  keys.sort((a, b) => a - b);
  const index = new Map(keys.map((k, i) => [k, i]));
  const times = keys.map((k) => (k * tickMs) / 1000);
  const align = (points: readonly RatePoint[], get: (p: RatePoint) => number | undefined): Array<number | null> => {
    const values = new Array<number | null>(keys.length).fill(null);
    for (const p of points) {
      const v = get(p);
      if (v !== undefined && Number.isFinite(v)) values[index.get(keyOf(p.t))!] = v;
    }
    return values;
  };
  const hasValue = (s: TrafficSeries): boolean => s.values.some((v) => v !== null);
  const podSeries = (get: (p: RatePoint) => number | undefined): TrafficSeries[] =>
    perPod.map((p) => ({ label: p.pod.pod, tone: 'pod' as const, index: p.index, values: align(p.points, get) }));
  const withTotal = (get: (p: RatePoint) => number | undefined): TrafficSeries[] => {
    const totalSeries: TrafficSeries = { label: 'Total', tone: 'total', values: align(total, get) };
    return pods.length > 1 ? [totalSeries, ...podSeries(get)] : podSeries(get);
  };

  const readable = pods.filter((p) => p.latest);
  // Why no chart at all can be drawn (the same reason for every chart), if that is so.
  const blocked = ((): string | undefined => {
    if (pods.length === 0)
      return input.listed === false ? 'Listing the cloudflared pods…' : 'No cloudflared pod to read.';
    if (readable.length === 0) {
      const reasons = [...new Set(pods.map((p) => p.error?.message).filter((m): m is string => !!m))];
      return reasons.length ? reasons.join(' ') : 'Reading the pods’ metrics…';
    }
    if (times.length === 0)
      return `Waiting for the second read: rates need two, ${pollSeconds} s apart${perPod.some((p) => p.pod.history.size > 1) ? ' (none in this window)' : ''}.`;
    return undefined;
  })();
  const missingIn = (family: { name: string; since: string }): string | undefined => {
    const lacking = readable.filter((p) => p.latest!.missing.includes(family.name));
    if (lacking.length === 0 || lacking.length < readable.length) return undefined;
    const versions = [...new Set(lacking.map((p) => p.latest!.version ?? 'unknown'))].join(', ');
    return `This cloudflared (${versions}) does not report ${family.name} (added in ${family.since}): update cloudflared to see it.`;
  };
  const chart = (
    c: Omit<TrafficChart, 'message' | 'note'> & { note?: string },
    reason?: string | undefined,
  ): TrafficChart => {
    const message = blocked ?? reason ?? (c.series.some(hasValue) ? undefined : 'Nothing reported in this window.');
    const out: TrafficChart = { ...c };
    if (message) {
      out.message = message;
      out.series = [];
    }
    if (!c.note) delete out.note;
    return out;
  };

  const statusSeries: TrafficSeries[] = (
    [
      ['2xx', 'ok'],
      ['3xx', 'redirect'],
      ['4xx', 'client-error'],
      ['5xx', 'error'],
      ['other', 'other'],
    ] as const
  )
    .map(([cls, tone]) => ({ label: cls, tone, values: align(total, (p) => p.responsesPerSecond[cls]) }))
    .filter(hasValue);

  const charts: TrafficChart[] = [
    chart(
      {
        id: 'requests',
        title: 'Requests per second',
        unit: 'req/s',
        series: withTotal((p) => p.requestsPerSecond),
        note: 'Every request cloudflared proxied (HTTP and WARP TCP).',
      },
      missingIn(FAMILIES.requests),
    ),
    chart(
      {
        id: 'errors',
        title: 'Errors per second',
        unit: 'errors/s',
        series: [
          {
            label: '502 from cloudflared',
            tone: 'error',
            values: align(total, (p) => p.errorsPerSecond),
          },
          {
            label: '5xx from origins',
            tone: 'client-error',
            values: align(
              total,
              (p) => p.responsesPerSecond['5xx'] ?? (p.requestsPerSecond !== undefined ? 0 : undefined),
            ),
          },
        ],
        note: 'cloudflared answers 502 when it cannot reach the origin (request_errors); origins’ own 5xx are counted by status.',
      },
      missingIn(FAMILIES.errors),
    ),
    chart(
      {
        id: 'ratio',
        title: 'Error ratio',
        unit: '%',
        series: withTotal((p) => {
          const r = errorRatio(p);
          return r === undefined ? undefined : r * 100;
        }),
        note: '(502s + origin 5xx) / requests; no value while there are no requests.',
      },
      missingIn(FAMILIES.requests),
    ),
    chart(
      { id: 'status', title: 'Responses by status class', unit: 'resp/s', series: statusSeries },
      statusSeries.length === 0
        ? 'No response counted by status in this window: cloudflared counts them for HTTP origins only, once the body is sent (not WebSocket upgrades, stream origins or unreachable origins — those are the 502s).'
        : undefined,
    ),
    chart(
      {
        id: 'concurrent',
        title: 'Concurrent requests',
        unit: 'requests',
        series: withTotal((p) => p.concurrentRequests),
      },
      missingIn(FAMILIES.concurrent),
    ),
    chart(
      {
        id: 'ha',
        title: 'HA connections per pod',
        unit: 'connections',
        series: podSeries((p) => p.haConnections),
        note: 'Per pod, not summed; 4 is cloudflared’s default. ha_connections also counts connections being set up: the pods’ table shows /ready’s registered connections.',
      },
      missingIn(FAMILIES.ha),
    ),
    chart(
      {
        id: 'sessions',
        title: 'TCP/UDP sessions (WARP routing)',
        unit: 'sessions',
        series: [
          { label: 'TCP', tone: 'tcp', values: align(total, (p) => p.tcpActiveSessions) },
          { label: 'UDP', tone: 'udp', values: align(total, (p) => p.udpActiveSessions) },
        ],
      },
      missingIn(FAMILIES.tcp) ?? missingIn(FAMILIES.udp),
    ),
    chart(
      {
        id: 'latency',
        title: 'Stream origin connect latency',
        unit: 'ms',
        series: podSeries((p) => p.streamConnectLatencyMs),
        note: NO_HTTP_LATENCY,
      },
      perPod.some((p) => p.points.some((x) => x.streamConnectLatencyMs !== undefined))
        ? undefined
        : readable.every((p) => !p.latest!.streamConnectLatency)
          ? `This cloudflared does not report cloudflared_proxy_connect_latency (added in 2024.2.0), or has not connected a stream origin yet. ${NO_HTTP_LATENCY}`
          : `No stream origin (tcp://, ssh://, rdp://) was connected in this window. ${NO_HTTP_LATENCY}`,
    ),
  ];

  const podRows = podTable(perPod);
  const last = total[total.length - 1];
  const readyPods = podRows.filter((p) => p.state === 'ready').length;
  const summaryParts = [`${readyPods}/${plural(pods.length, 'pod')} ready`];
  if (last && !blocked) {
    if (last.requestsPerSecond !== undefined) summaryParts.unshift(`${formatNumber(last.requestsPerSecond)} req/s`);
    const r = errorRatio(last);
    if (r !== undefined) summaryParts.splice(1, 0, `${formatNumber(r * 100)} % errors`);
  }
  const lastRead = Math.max(0, ...pods.map((p) => p.updatedAt ?? 0));
  const view: TrafficView = {
    title: input.title,
    subtitle: `${plural(pods.length, 'pod')} · read every ${pollSeconds} s through the API server’s pod proxy`,
    window: input.window,
    pollSeconds,
    times,
    charts,
    pods: podRows,
    notices: [...(input.notices ?? [])],
    summary: summaryParts.join(' · '),
  };
  if (lastRead > 0) view.updatedAt = lastRead;
  return view;
}

function podTable(perPod: readonly PodRates[]): TrafficPod[] {
  const releases = perPod.map((p) => release(p.pod.latest?.version)).filter((r): r is number[] => !!r);
  const newest = releases.reduce<number[] | undefined>(
    (a, b) => (a === undefined || compareRelease(b, a) > 0 ? b : a),
    undefined,
  );
  const configVersions = perPod.map((p) => p.pod.latest?.configVersion).filter((v): v is number => v !== undefined);
  const newestConfig = configVersions.length ? Math.max(...configVersions) : undefined;
  return perPod.map(({ pod, points }): TrafficPod => {
    const m = pod.latest;
    const ready = pod.ready;
    const connections = ready?.readyConnections ?? m?.haConnections;
    const state: TrafficPod['state'] = ready ? (ready.status === 200 ? 'ready' : 'not-ready') : 'unknown';
    const stateText =
      state === 'ready'
        ? `ready · ${plural(ready!.readyConnections, 'connection')} to the edge`
        : state === 'not-ready'
          ? `not ready · ${plural(ready!.readyConnections, 'connection')} to the edge`
          : pod.error
            ? 'not read'
            : 'reading…';
    const callouts: string[] = [];
    if (state === 'not-ready')
      callouts.push(
        `Not ready: /ready answers ${ready!.status} with ${plural(ready!.readyConnections, 'registered connection')} to the Cloudflare edge, so this pod serves no visitor. Its log (Show Pod Logs) says why.`,
      );
    const r = release(m?.version);
    if (m?.version === 'DEV') callouts.push('A build from source (version DEV), not a release.');
    else if (r && newest && compareRelease(r, newest) < 0)
      callouts.push(`cloudflared ${m!.version} is older than the other pods’ ${newest.join('.')}.`);
    if (m?.configVersion !== undefined && newestConfig !== undefined && m.configVersion < newestConfig)
      callouts.push(
        `Runs configuration version ${m.configVersion}; another pod runs ${newestConfig}: this pod has not received the latest remote configuration.`,
      );
    const row: TrafficPod = {
      name: pod.pod,
      deployment: `${pod.deployment.namespace}/${pod.deployment.name}`,
      state,
      stateText,
      locations: (m?.locations ?? []).map((l) => l.location),
      callouts,
    };
    if (connections !== undefined) row.connections = connections;
    if (m?.version !== undefined) row.version = m.version;
    if (m?.configVersion !== undefined) row.configVersion = m.configVersion;
    if (pod.error) row.message = pod.error.message;
    if (m && m.missing.length)
      row.missing = `This cloudflared does not report ${m.missing.join(', ')}: an older release, whose charts say so.`;
    const last = points[points.length - 1];
    if (last?.requestsPerSecond !== undefined) row.requestsPerSecond = last.requestsPerSecond;
    const ratio = last ? errorRatio(last) : undefined;
    if (ratio !== undefined) row.errorRatio = ratio;
    return row;
  });
}
