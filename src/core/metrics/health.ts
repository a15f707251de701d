/**
 * What the trees and the alerts say about cloudflared pods from their metrics (issue #18), pure:
 *
 * - `summarizeTraffic`: the last poll's rates of some pods (a Deployment, one pod) added up, the
 *   visitor-facing error ratio (502s cloudflared wrote + origin 5xx, over requests) and the pods that
 *   could not be read; `trafficText` turns it into a tree item's words ("12.3 req/s · 0.8% errors",
 *   "no traffic", "metrics: forbidden") and its tooltip (the full message of each unread pod).
 * - `joinConnectorPods`: Cloudflare's connectors of a tunnel (their id is the cloudflared process's
 *   client id) joined to the pods whose `/ready` says that `connectorId`, so a connector reads
 *   "pod cloudflared-abc on cluster homelab, 4 connections, ams/fra".
 *
 * The episode machine of the alerts is in ./alerts.ts.
 */
import { errorRatio } from './cloudflared';
import type { RatePoint } from './cloudflared';

/** One pod as the trees see it (src/extension/metrics/pollerModel.ts' `PodState` fits after `lastRate`). */
export interface PodTrafficInput {
  pod: string;
  /** The last interval's rates (undefined before two scrapes, or across a restart). */
  rate?: RatePoint;
  ready?: { status: number; readyConnections: number };
  /** Why the last poll read nothing from this pod. */
  error?: { kind: string; message: string };
}

export interface TrafficSummary {
  /** Pods summed. */
  pods: number;
  /** Pods with a rate this poll (those with an error are left out). */
  measured: number;
  requestsPerSecond?: number;
  /** request_errors + 5xx responses per second. */
  errorsPerSecond?: number;
  /** errors over requests; undefined without traffic. */
  errorRatio?: number;
  /** Pods the last poll could not read, with why. */
  unread: Array<{ pod: string; kind: string; message: string }>;
}

/** The last rate point of a pod's history (`PodHistory.rates()`), if any. */
export function lastRate(rates: readonly RatePoint[]): RatePoint | undefined {
  return rates[rates.length - 1];
}

/** The pods' last rates summed: requests/s, errors/s and the error ratio; the unread pods listed. */
export function summarizeTraffic(pods: readonly PodTrafficInput[]): TrafficSummary {
  const out: TrafficSummary = { pods: pods.length, measured: 0, unread: [] };
  let requests: number | undefined;
  let errors = 0;
  let five = 0;
  for (const p of pods) {
    if (p.error) {
      out.unread.push({ pod: p.pod, kind: p.error.kind, message: p.error.message });
      continue;
    }
    const r = p.rate;
    if (!r || r.requestsPerSecond === undefined) continue;
    out.measured++;
    requests = (requests ?? 0) + r.requestsPerSecond;
    errors += r.errorsPerSecond ?? 0;
    five += r.responsesPerSecond['5xx'] ?? 0;
  }
  if (requests !== undefined) {
    out.requestsPerSecond = requests;
    out.errorsPerSecond = errors + five;
    const ratio = errorRatio({
      t: 0,
      requestsPerSecond: requests,
      errorsPerSecond: errors,
      responsesPerSecond: { '5xx': five },
    });
    if (ratio !== undefined) out.errorRatio = ratio;
  }
  return out;
}

/** `12.3`, `0.04`, `154`: a rate with the digits a tree item has room for. */
export function formatRate(n: number): string {
  if (n === 0) return '0';
  if (n < 0.1) return n.toFixed(2);
  if (n < 100) return n.toFixed(1);
  return String(Math.round(n));
}

/** `0.8%`, `12%`, `0%`, `<0.1%`: a ratio (0–1) as a percentage. */
export function formatPercent(ratio: number): string {
  const p = ratio * 100;
  if (p === 0) return '0%';
  if (p < 0.1) return '<0.1%';
  if (p < 10) return `${p.toFixed(1)}%`;
  return `${Math.round(p)}%`;
}

/** A pod problem's kind (pollerModel's `PodProblemKind`) in two or three words. */
export function shortProblem(kind: string): string {
  switch (kind) {
    case 'forbidden':
      return 'forbidden';
    case 'no-port':
      return 'no metrics port';
    case 'loopback':
      return 'localhost only';
    case 'not-found':
      return 'pod gone';
    case 'unreachable':
      return 'unreachable';
    case 'timeout':
      return 'timed out';
    case 'not-cloudflared':
      return 'not cloudflared';
    default:
      return 'unreadable';
  }
}

/** A summary's words for a tree item: undefined before anything is known (no rate yet, no error). */
export function trafficText(s: TrafficSummary): { text: string; tooltip: string } | undefined {
  const parts: string[] = [];
  const tip: string[] = [];
  if (s.requestsPerSecond !== undefined) {
    if (s.requestsPerSecond === 0) parts.push('no traffic');
    else {
      parts.push(`${formatRate(s.requestsPerSecond)} req/s`);
      if (s.errorRatio !== undefined) parts.push(`${formatPercent(s.errorRatio)} errors`);
    }
    tip.push(
      `Traffic (last poll${s.pods > 1 ? `, ${s.measured} of ${s.pods} pods` : ''}): ${formatRate(s.requestsPerSecond)} requests/s` +
        (s.requestsPerSecond > 0 && s.errorRatio !== undefined
          ? `, ${formatRate(s.errorsPerSecond ?? 0)} errors/s (${formatPercent(s.errorRatio)}: 502s written by cloudflared and origin 5xx)`
          : ''),
    );
  }
  if (s.unread.length) {
    const kinds = [...new Set(s.unread.map((u) => u.kind))];
    if (parts.length === 0 && s.unread.length === s.pods && kinds.length === 1)
      parts.push(`metrics: ${shortProblem(kinds[0]!)}`);
    else if (s.pods === 1) parts.push(`metrics: ${shortProblem(kinds[0]!)}`);
    else parts.push(`${s.unread.length} of ${s.pods} pods unread`);
    for (const u of s.unread) tip.push(s.pods === 1 ? u.message : `${u.pod}: ${u.message}`);
  }
  if (parts.length === 0) return undefined;
  return { text: parts.join(' · '), tooltip: tip.join('\n') };
}

// ── Connector ↔ pod ─────────────────────────────────────────────────────────────────────────

/** A connector as the Tunnels view knows it (`ConnectorNode`). */
export interface JoinConnectorInput {
  /** The connector (client) id: what cloudflared's /ready calls `connectorId`. */
  id: string;
  colos: readonly string[];
  activeConnections: number;
}

/** A pod whose /ready was read. */
export interface JoinPodInput {
  namespace: string;
  deployment: string;
  pod: string;
  connectorId?: string;
  readyConnections?: number;
  /** Edge locations of its connections (server_locations), e.g. `fra08`. */
  locations?: readonly string[];
}

export interface ConnectorPod {
  connectorId: string;
  cluster: string;
  namespace: string;
  deployment: string;
  pod: string;
  /** /ready's readyConnections, else the connections Cloudflare lists. */
  connections: number;
  /** Edge locations as cities (`ams`, `fra`): the pod's, else Cloudflare's colos. */
  cities: string[];
  /** "pod cloudflared-abc on cluster homelab, 4 connections, ams/fra". */
  description: string;
  tooltip: string;
}

/** `fra08` → `fra` (a colo's city code; anything else unchanged, lower case). */
export function coloCity(colo: string): string {
  const c = colo.trim().toLowerCase();
  return /^[a-z]{3}\d+$/.test(c) ? c.replace(/\d+$/, '') : c;
}

/**
 * Each connector joined to the pod it runs in, by /ready's connectorId (case-insensitive); a
 * connector no pod claims is left out (another cluster, a laptop, a pod not read yet).
 */
export function joinConnectorPods(
  connectors: readonly JoinConnectorInput[],
  pods: readonly JoinPodInput[],
  cluster: string,
): Map<string, ConnectorPod> {
  const byConnector = new Map<string, JoinPodInput>();
  for (const p of pods) if (p.connectorId) byConnector.set(p.connectorId.toLowerCase(), p);
  const out = new Map<string, ConnectorPod>();
  for (const c of connectors) {
    const p = byConnector.get(c.id.toLowerCase());
    if (!p) continue;
    const connections = p.readyConnections ?? c.activeConnections;
    const locations = p.locations && p.locations.length ? p.locations : c.colos;
    const cities = [...new Set(locations.map(coloCity))].sort();
    const description = [
      `pod ${p.pod} on cluster ${cluster}`,
      `${connections} connection${connections === 1 ? '' : 's'}`,
      cities.length ? cities.join('/') : undefined,
    ]
      .filter(Boolean)
      .join(', ');
    const tooltip = [
      `Runs in pod ${p.namespace}/${p.pod} (Deployment ${p.namespace}/${p.deployment}) on cluster ${cluster}: its /ready says this connector id.`,
      p.readyConnections !== undefined ? `Ready connections (/ready): ${p.readyConnections}` : undefined,
      p.locations && p.locations.length ? `Edge locations (metrics): ${p.locations.join(', ')}` : undefined,
    ]
      .filter(Boolean)
      .join('\n');
    out.set(c.id.toLowerCase(), {
      connectorId: c.id,
      cluster,
      namespace: p.namespace,
      deployment: p.deployment,
      pod: p.pod,
      connections,
      cities,
      description,
      tooltip,
    });
  }
  return out;
}
