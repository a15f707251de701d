/**
 * The Traffic panel's messages, both ways, and the view the extension sends: the one module the
 * extension (src/extension/metrics/trafficPanel.ts) and the webview's script (src/webview/traffic.ts)
 * share. Plain JSON only (no `vscode`, no DOM): test/unit/extension/metrics covers the guards.
 *
 * Extension → webview: `{ type: 'view', view }` after every poll and when the window changes.
 * Webview → extension: `{ type: 'ready' }` once its script runs (the panel then sends the latest
 * view), `{ type: 'window', window }` when the time window control changes.
 */

export const TRAFFIC_WINDOWS = ['5m', '15m', '1h'] as const;
export type TrafficWindow = (typeof TRAFFIC_WINDOWS)[number];

export const WINDOW_SECONDS: Record<TrafficWindow, number> = { '5m': 300, '15m': 900, '1h': 3600 };
export const WINDOW_LABELS: Record<TrafficWindow, string> = { '5m': '5 min', '15m': '15 min', '1h': '1 hour' };

/** What a series means for its colour: the total, one pod (by index), or a named kind. */
export type SeriesTone = 'total' | 'pod' | 'error' | 'ok' | 'redirect' | 'client-error' | 'other' | 'tcp' | 'udp';

export interface TrafficSeries {
  label: string;
  tone: SeriesTone;
  /** The pod's index among the panel's pods (tone 'pod'): picks its colour. */
  index?: number;
  /** Aligned with `TrafficView.times`; null where there is no value (a gap). */
  values: Array<number | null>;
}

export interface TrafficChart {
  id: 'requests' | 'errors' | 'ratio' | 'status' | 'concurrent' | 'ha' | 'sessions' | 'latency';
  title: string;
  /** The unit of the y axis: `req/s`, `%`, `ms`, … */
  unit: string;
  /** Drawn when there is no `message`. */
  series: TrafficSeries[];
  /**
   * Why there is no chart (forbidden, no metrics port, a metric this cloudflared lacks, waiting for a
   * second read): shown in place of it, never an empty chart.
   */
  message?: string;
  /** One sentence under the chart (what it counts, what it does not). */
  note?: string;
}

export interface TrafficPod {
  name: string;
  /** `namespace/name` of its Deployment. */
  deployment: string;
  /** /ready: `ready` (200), `not-ready` (503 or no ready connection), `unknown` (not read). */
  state: 'ready' | 'not-ready' | 'unknown';
  /** "ready · 4 connections", "not ready: 0 connections to the edge", "metrics unreadable". */
  stateText: string;
  connections?: number;
  /** Edge locations of its HA connections, in connection order (`ams01`, `fra08`, …). */
  locations: string[];
  version?: string;
  configVersion?: number;
  /** "older than the other pods (2026.8.2)", "a build from source", "config version 3, the others run 4". */
  callouts: string[];
  /** The reason nothing is read from this pod (forbidden, no port, loopback, unreachable). */
  message?: string;
  /** Metrics this cloudflared does not report, with what that means. */
  missing?: string;
  requestsPerSecond?: number;
  errorRatio?: number;
}

export interface TrafficView {
  /** "cloudflared/cloudflared" or "tunnel prod-k8s". */
  title: string;
  /** "2 pods · read every 10 s through the API server's pod proxy". */
  subtitle: string;
  window: TrafficWindow;
  pollSeconds: number;
  /** Seconds since the epoch (uPlot's x unit), oldest first. */
  times: number[];
  charts: TrafficChart[];
  pods: TrafficPod[];
  /** Problems of the whole panel (no cluster, no Deployment, every pod forbidden). */
  notices: string[];
  /** The totals now: one line for the text alternative and the header. */
  summary: string;
  /** When the last read finished (ms since the epoch), if any. */
  updatedAt?: number;
}

export type ToWebview = { type: 'view'; view: TrafficView };
export type FromWebview = { type: 'ready' } | { type: 'window'; window: TrafficWindow };

export function isTrafficWindow(x: unknown): x is TrafficWindow {
  return typeof x === 'string' && (TRAFFIC_WINDOWS as readonly string[]).includes(x);
}

/** A message the webview may send (anything else, from a compromised or stale page, is ignored). */
export function isFromWebview(x: unknown): x is FromWebview {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as { type?: unknown; window?: unknown };
  if (m.type === 'ready') return true;
  return m.type === 'window' && isTrafficWindow(m.window);
}

/** A message the extension sends (the webview checks before drawing). */
export function isToWebview(x: unknown): x is ToWebview {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as { type?: unknown; view?: unknown };
  if (m.type !== 'view' || typeof m.view !== 'object' || m.view === null) return false;
  const v = m.view as Partial<TrafficView>;
  return (
    typeof v.title === 'string' &&
    isTrafficWindow(v.window) &&
    Array.isArray(v.times) &&
    Array.isArray(v.charts) &&
    Array.isArray(v.pods) &&
    Array.isArray(v.notices)
  );
}
