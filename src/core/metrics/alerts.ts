/**
 * Opt-in traffic alerts (issue #18), pure: one episode state machine per cloudflared Deployment and
 * condition, stepped once per poll of its pods.
 *
 * - **errors**: the Deployment's error ratio (502s cloudflared wrote + origin 5xx, over requests) at
 *   or above `errorRatio` on `RAISE_AFTER` consecutive polls raises an episode; it ends after
 *   `CLEAR_AFTER` consecutive polls below `CLEAR_FACTOR` × the threshold, or without traffic
 *   (hysteresis: a ratio hovering around the threshold raises once, not at every crossing).
 * - **connections**: a pod whose `/ready` says fewer than `minReadyConnections` registered edge
 *   connections, on `RAISE_AFTER` consecutive polls, raises; every read pod at or above the minimum
 *   on `CLEAR_AFTER` polls ends it. A pod whose `/ready` cannot be read is unknown, not an alert (the
 *   trees say why it is unread).
 * - A poll that read nothing new for a Deployment (same data time) or whose value is unknown leaves
 *   its episodes as they are; a Deployment no longer listed is forgotten.
 *
 * `stepAlerts` returns the events of one poll: at most one `raised` per episode, so at most one
 * notification per Deployment and condition until it has recovered (`notificationText` folds the
 * events of one poll into one message: never a storm).
 */
import { formatPercent, formatRate } from './health';

export interface AlertSettings {
  enabled: boolean;
  /** 0–1; 0 (or less) turns the error alert off. */
  errorRatio: number;
  /** Per pod; 0 turns the connections alert off. */
  minReadyConnections: number;
}

export const ALERT_DEFAULTS: AlertSettings = { enabled: false, errorRatio: 0.05, minReadyConnections: 1 };

/** Consecutive polls in breach before an episode is raised. */
export const RAISE_AFTER = 2;
/** Consecutive polls recovered before it ends. */
export const CLEAR_AFTER = 2;
/** The error ratio must fall below this share of the threshold to count as recovered. */
export const CLEAR_FACTOR = 0.8;

/** Settings as the editor returns them (any shape) → valid ones: wrong values keep the default. */
export function alertSettings(raw: {
  enabled?: unknown;
  errorRatio?: unknown;
  minReadyConnections?: unknown;
}): AlertSettings {
  const num = (v: unknown, d: number, max: number): number =>
    typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(0, v)) : d;
  return {
    enabled: typeof raw.enabled === 'boolean' ? raw.enabled : ALERT_DEFAULTS.enabled,
    errorRatio: num(raw.errorRatio, ALERT_DEFAULTS.errorRatio, 1),
    minReadyConnections: Math.floor(num(raw.minReadyConnections, ALERT_DEFAULTS.minReadyConnections, 4)),
  };
}

/** One Deployment at one poll. */
export interface AlertObservation {
  /** `namespace/name`. */
  key: string;
  /** How messages name it: `cloudflared/cloudflared (tunnel prod-k8s)`. */
  label: string;
  /** When its pods were last read (ms); the same value as at the previous step: nothing new, not stepped. */
  at?: number;
  requestsPerSecond?: number;
  errorsPerSecond?: number;
  /** Undefined without traffic or without rates. */
  errorRatio?: number;
  /** The pods whose /ready was read. */
  ready: ReadonlyArray<{ pod: string; readyConnections: number }>;
  /** Pods read neither /metrics nor /ready. */
  unread: number;
  pods: number;
}

export type AlertCondition = 'errors' | 'connections';

interface Episode {
  open: boolean;
  /** Consecutive polls in breach (while closed) or recovered (while open). */
  count: number;
  /** What the raising poll saw, for the status tooltip. */
  message?: string;
}

interface SubjectState {
  at?: number;
  last: AlertObservation;
  errors: Episode;
  connections: Episode;
}

export interface AlertState {
  subjects: ReadonlyMap<string, SubjectState>;
}

export interface AlertEvent {
  kind: 'raised' | 'cleared';
  condition: AlertCondition;
  key: string;
  message: string;
}

export function emptyAlertState(): AlertState {
  return { subjects: new Map() };
}

type Verdict = 'breach' | 'clear' | 'hold' | 'unknown';

function errorsVerdict(o: AlertObservation, s: AlertSettings): Verdict {
  if (s.errorRatio <= 0) return 'clear';
  if (o.requestsPerSecond === 0) return 'clear';
  if (o.errorRatio === undefined) return 'unknown';
  if (o.errorRatio >= s.errorRatio) return 'breach';
  return o.errorRatio < s.errorRatio * CLEAR_FACTOR ? 'clear' : 'hold';
}

function lowPods(o: AlertObservation, s: AlertSettings): AlertObservation['ready'] {
  return o.ready.filter((p) => p.readyConnections < s.minReadyConnections);
}

function connectionsVerdict(o: AlertObservation, s: AlertSettings): Verdict {
  if (s.minReadyConnections <= 0) return 'clear';
  if (o.ready.length === 0) return 'unknown';
  return lowPods(o, s).length ? 'breach' : 'clear';
}

function errorsMessage(o: AlertObservation, s: AlertSettings): string {
  return `${o.label}: ${formatPercent(o.errorRatio ?? 0)} of requests failed (${formatRate(o.errorsPerSecond ?? 0)} errors/s of ${formatRate(o.requestsPerSecond ?? 0)} req/s) on ${RAISE_AFTER} polls in a row; the alert is at ${formatPercent(s.errorRatio)}.`;
}

function connectionsMessage(o: AlertObservation, s: AlertSettings): string {
  const low = lowPods(o, s);
  const pods = low.map((p) => `${p.pod} (${p.readyConnections})`).join(', ');
  return `${o.label}: ${low.length === 1 ? 'pod' : 'pods'} ${pods} ${low.length === 1 ? 'has' : 'have'} fewer than ${s.minReadyConnections} ready edge connection${s.minReadyConnections === 1 ? '' : 's'}.`;
}

function step(e: Episode, v: Verdict, message: () => string): { episode: Episode; event?: 'raised' | 'cleared' } {
  switch (v) {
    case 'unknown':
      return { episode: e };
    case 'breach': {
      if (e.open) return { episode: { ...e, count: 0 } };
      const count = e.count + 1;
      if (count >= RAISE_AFTER) return { episode: { open: true, count: 0, message: message() }, event: 'raised' };
      return { episode: { open: false, count } };
    }
    case 'clear': {
      if (!e.open) return { episode: { open: false, count: 0 } };
      const count = e.count + 1;
      if (count >= CLEAR_AFTER) return { episode: { open: false, count: 0 }, event: 'cleared' };
      return { episode: { ...e, count } };
    }
    case 'hold':
      // Between the clear level and the threshold: progress either way starts again.
      return { episode: e.open ? { ...e, count: 0 } : { open: false, count: 0 } };
  }
}

/**
 * One poll: every listed Deployment's observation. Returns the new state and what was raised or
 * cleared (nothing while alerts are off: the state is emptied).
 */
export function stepAlerts(
  state: AlertState,
  observations: readonly AlertObservation[],
  settings: AlertSettings,
): { state: AlertState; events: AlertEvent[] } {
  if (!settings.enabled) return { state: emptyAlertState(), events: [] };
  const subjects = new Map<string, SubjectState>();
  const events: AlertEvent[] = [];
  for (const o of observations) {
    const prev = state.subjects.get(o.key);
    const closed: Episode = { open: false, count: 0 };
    if (prev && (o.at === undefined || o.at === prev.at)) {
      subjects.set(o.key, { ...prev, last: o });
      continue;
    }
    const errors = step(prev?.errors ?? closed, errorsVerdict(o, settings), () => errorsMessage(o, settings));
    const connections = step(prev?.connections ?? closed, connectionsVerdict(o, settings), () =>
      connectionsMessage(o, settings),
    );
    for (const [condition, r] of [
      ['errors', errors],
      ['connections', connections],
    ] as const) {
      if (r.event === 'raised') events.push({ kind: 'raised', condition, key: o.key, message: r.episode.message! });
      if (r.event === 'cleared')
        events.push({
          kind: 'cleared',
          condition,
          key: o.key,
          message: `${o.label}: ${condition === 'errors' ? 'the error ratio' : 'ready connections'} recovered.`,
        });
    }
    const next: SubjectState = { last: o, errors: errors.episode, connections: connections.episode };
    if (o.at !== undefined) next.at = o.at;
    subjects.set(o.key, next);
  }
  return { state: { subjects }, events };
}

/** One notification for one poll's raised episodes (undefined: nothing to say). */
export function notificationText(events: readonly AlertEvent[]): string | undefined {
  const raised = events.filter((e) => e.kind === 'raised');
  if (raised.length === 0) return undefined;
  if (raised.length === 1) return raised[0]!.message;
  const shown = raised.slice(0, 3).map((e) => e.message);
  const more = raised.length - shown.length;
  return `${raised.length} cloudflared alerts: ${shown.join(' ')}${more ? ` …and ${more} more.` : ''}`;
}

export type AlertLevel = 'alert' | 'pending' | 'ok' | 'unknown';

export interface AlertStatus {
  level: AlertLevel;
  /** Status-bar text without the icon: `19.2 req/s · 0.8% errors`, `2 alerts`, `no metrics`. */
  text: string;
  tooltip: string;
  /** Open episodes. */
  open: number;
}

/** The worst state of the watched Deployments, for the status bar. */
export function alertStatus(state: AlertState, settings: AlertSettings): AlertStatus {
  let open = 0;
  let pending = false;
  let known = false;
  let requests: number | undefined;
  let errors = 0;
  const lines: string[] = [];
  for (const s of [...state.subjects.values()].sort((a, b) => a.last.key.localeCompare(b.last.key))) {
    const o = s.last;
    const parts: string[] = [];
    if (o.requestsPerSecond !== undefined) {
      known = true;
      requests = (requests ?? 0) + o.requestsPerSecond;
      errors += o.errorsPerSecond ?? 0;
      parts.push(
        o.requestsPerSecond === 0
          ? 'no traffic'
          : `${formatRate(o.requestsPerSecond)} req/s, ${formatPercent(o.errorRatio ?? 0)} errors`,
      );
    }
    if (o.ready.length) {
      known = true;
      parts.push(`ready connections ${o.ready.map((p) => p.readyConnections).join(', ')}`);
    }
    if (o.unread) parts.push(`${o.unread} of ${o.pods} pods unread`);
    lines.push(`${o.label}: ${parts.join('; ') || 'not read yet'}`);
    for (const e of [s.errors, s.connections]) {
      if (e.open) {
        open++;
        lines.push(`  ⚠ ${e.message ?? 'alert'}`);
      } else if (e.count > 0) pending = true;
    }
  }
  const thresholds = `Alerts at ${formatPercent(settings.errorRatio)} errors (${RAISE_AFTER} polls in a row) or fewer than ${settings.minReadyConnections} ready connections per pod.`;
  const level: AlertLevel = open ? 'alert' : pending ? 'pending' : known ? 'ok' : 'unknown';
  const text =
    level === 'alert'
      ? `${open} alert${open === 1 ? '' : 's'}`
      : requests !== undefined
        ? requests === 0
          ? 'no traffic'
          : `${formatRate(requests)} req/s · ${formatPercent(Math.min(1, errors / requests))} errors`
        : state.subjects.size
          ? 'no metrics'
          : 'no cloudflared';
  return {
    level,
    text,
    tooltip: [`cloudflared traffic (${state.subjects.size} Deployments)`, ...lines, thresholds].join('\n'),
    open,
  };
}
