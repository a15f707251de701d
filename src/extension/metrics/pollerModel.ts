/**
 * The metrics poller's logic without the editor (src/extension/metrics/poller.ts wraps it with the
 * setting, the timer and the event; test/unit/extension/metrics covers this file):
 *
 * - which cloudflared Deployments a set of watches reads (`deploymentsToRead`);
 * - one poll (`PollerCore.poll`): every pod of those Deployments read through the API server's pod
 *   proxy (`/metrics` and `/ready`), at most `concurrency` at a time, each request bounded, all of
 *   them aborted by `abort()`; the scrape added to the pod's `PodHistory` (an hour at most); a pod
 *   the cluster no longer lists is dropped with its history;
 * - what stops a pod from being read, as one clear message each (`podProblem`): `pods/proxy` not
 *   granted (with the Role to create), no metrics port, a metrics address bound to localhost inside
 *   the pod (the proxy cannot reach it), the pod not answering, not cloudflared's metrics.
 */
import { parse } from 'yaml';
import { parseExposition } from '../../core/metrics/prometheus';
import { PodHistory, parseReady, readPodMetrics } from '../../core/metrics/cloudflared';
import type { PodMetrics, ReadyState } from '../../core/metrics/cloudflared';
import { mapLimit } from '../../core/async';
import { describeMetricsAddress, metricsAddressOf } from '../../core/metrics/port';
import type { MetricsAddress } from '../../core/metrics/port';
import type { CloudflaredDeployment, ScrapeResult, ScrapeTarget } from '../../kubernetes/cluster';
import { findTunnel } from '../kubernetes/model';
import type { KnownTunnel } from '../kubernetes/model';

export type { MetricsAddress };

export type WatchTarget =
  | { kind: 'deployment'; namespace: string; name: string }
  /** `connectorIds`: the tunnel's connectors as Cloudflare lists them (joined to pods by /ready's connectorId). */
  | { kind: 'tunnel'; tunnelId: string; connectorIds?: readonly string[] }
  | { kind: 'all' };

/** A cloudflared Deployment as the poller reads it. */
export interface PollDeployment {
  namespace: string;
  name: string;
  /** The tunnel it runs, when known (`run <UUID>`, a name the Tunnels view resolves). */
  tunnelId?: string;
  /** Where its metrics server listens (`metricsAddressOf`); undefined: the address it was given has no usable port. */
  address?: MetricsAddress;
  pods: Array<{ name: string; uid?: string }>;
}

/** A listed Deployment as the poller reads it: its metrics address, and its tunnel when the Tunnels view knows it. */
export function pollDeployment(
  d: CloudflaredDeployment,
  tunnels: readonly KnownTunnel[],
  /** The `metrics` key of its config file (read from the ConfigMap mounted there), when known. */
  configMetrics?: string,
): PollDeployment {
  const address = metricsAddressOf(d, configMetrics);
  const tunnel = findTunnel(tunnels, d.tunnelRef);
  const tunnelId =
    tunnel?.tunnel.id.toLowerCase() ??
    (d.tunnelRef && /^[0-9a-f-]{36}$/i.test(d.tunnelRef) ? d.tunnelRef.toLowerCase() : undefined);
  const out: PollDeployment = {
    namespace: d.namespace,
    name: d.name,
    pods: d.pods.map((p) => (p.uid ? { name: p.name, uid: p.uid } : { name: p.name })),
  };
  if (address) out.address = address;
  if (tunnelId) out.tunnelId = tunnelId;
  return out;
}

/** The ConfigMap key holding the config file a Deployment runs with, when one is mounted there. */
export function configFileOf(d: CloudflaredDeployment): { name: string; key: string } | undefined {
  if (!d.configMap) return undefined;
  const key = d.configMap.key ?? d.configPath?.split('/').pop();
  return key ? { name: d.configMap.name, key } : undefined;
}

/** The `metrics` value of a cloudflared config file's text; undefined when it has none (or is not YAML). */
export function configMetricsOf(text: string): string | undefined {
  try {
    const doc: unknown = parse(text);
    const v = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>).metrics : undefined;
    return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
  } catch {
    return undefined;
  }
}

/** src/kubernetes' `scrapePod`, bound to a cluster client. */
export type Scrape = (target: ScrapeTarget, opts: { signal: AbortSignal; timeoutMs: number }) => Promise<ScrapeResult>;

export type PodProblemKind =
  'forbidden' | 'no-port' | 'loopback' | 'not-found' | 'unreachable' | 'timeout' | 'not-cloudflared' | 'error';

export interface PodProblem {
  kind: PodProblemKind;
  /** One or two sentences: what is wrong and what to do. */
  message: string;
}

/** What the poller knows of one pod (the Traffic panel and the trees read these). */
export interface PodState {
  deployment: { namespace: string; name: string };
  pod: string;
  uid?: string;
  /** The tunnel it runs: its Deployment's, else the tunnel whose connector list holds its connectorId. */
  tunnelId?: string;
  /** /ready's connectorId (cloudflared ≥ 2022.6.0). */
  connectorId?: string;
  ready?: ReadyState;
  /** The last scrape's numbers (undefined until one succeeded). */
  latest?: PodMetrics;
  /** Scrapes of the last hour at most, and the rates between them. */
  history: PodHistory;
  /** Why the last poll read nothing from this pod; undefined when it was read. */
  error?: PodProblem;
  address?: MetricsAddress;
  /** When this pod was last read successfully (ms since the epoch). */
  updatedAt?: number;
}

const HOUR_SECONDS = 3600;

/** Scrapes kept per pod: an hour of intervals at `pollSeconds`. */
export function historyPoints(pollSeconds: number): number {
  return Math.ceil(HOUR_SECONDS / pollSeconds) + 1;
}

/** A request's deadline: below the poll interval (a slow pod never overlaps the next poll) and cloudflared's own 10 s. */
export function requestTimeoutMs(pollSeconds: number): number {
  return Math.min(8_000, Math.max(2_000, Math.floor(pollSeconds * 800)));
}

/** The Deployments the watches need: all of them, the named ones, and for a tunnel those that run it or may. */
export function deploymentsToRead<D extends Pick<PollDeployment, 'namespace' | 'name' | 'tunnelId'>>(
  targets: readonly WatchTarget[],
  deployments: readonly D[],
): D[] {
  if (targets.some((t) => t.kind === 'all')) return [...deployments];
  return deployments.filter((d) =>
    targets.some((t) =>
      t.kind === 'deployment'
        ? t.namespace === d.namespace && t.name === d.name
        : t.kind === 'tunnel' && (d.tunnelId === undefined || d.tunnelId === t.tunnelId.toLowerCase()),
    ),
  );
}

/** Whether a pod belongs to what a watch shows. */
export function podMatches(target: WatchTarget, pod: PodState): boolean {
  if (target.kind === 'all') return true;
  if (target.kind === 'deployment')
    return pod.deployment.namespace === target.namespace && pod.deployment.name === target.name;
  const id = target.tunnelId.toLowerCase();
  if (pod.tunnelId !== undefined) return pod.tunnelId === id;
  return pod.connectorId !== undefined && (target.connectorIds ?? []).some((c) => c.toLowerCase() === pod.connectorId);
}

/** The Role that lets a user read pods' metrics through the API server, as kubectl commands. */
export function podsProxyGrant(namespace: string): string {
  return (
    `kubectl create role cftunnel-metrics -n ${namespace} --verb=get --resource=pods,pods/proxy && ` +
    `kubectl create rolebinding cftunnel-metrics -n ${namespace} --role=cftunnel-metrics --user=<you>`
  );
}

/**
 * The message for what kept a pod from being read: the ones the poller decides (forbidden with the
 * Role to create, no port, loopback, not cloudflared); the cluster client's own message otherwise.
 */
export function podProblem(
  kind: PodProblemKind,
  ctx: { namespace: string; deployment: string; pod: string; address?: MetricsAddress; detail?: string },
): PodProblem {
  const where = `${ctx.namespace}/${ctx.pod}`;
  const port = ctx.address?.port;
  const detail = ctx.detail ? ctx.detail.trim() : '';
  const said = detail ? ` (${detail.replace(/\.$/, '')})` : '';
  switch (kind) {
    case 'forbidden':
      return {
        kind,
        message: `Reading metrics is forbidden: the API server's pod proxy needs "get" on pods/proxy in namespace ${ctx.namespace}. Grant it with: ${podsProxyGrant(ctx.namespace)} (pods/proxy reaches every port of the pods: grant it only to those who may see them).`,
      };
    case 'no-port':
      return {
        kind,
        message:
          ctx.address?.source === 'default-range'
            ? `Deployment ${ctx.namespace}/${ctx.deployment} sets no metrics address, and port ${port} (the first cloudflared tries) does not answer: cloudflared then takes another free port. Add "--metrics", "0.0.0.0:2000" to its args (and a containerPort 2000).`
            : typeof port === 'string'
              ? `Deployment ${ctx.namespace}/${ctx.deployment}'s probe names port "${port}", which no container port defines: name the metrics port, or add "--metrics", "0.0.0.0:2000" to its args.`
              : `Deployment ${ctx.namespace}/${ctx.deployment} gives cloudflared a metrics address without a usable port (a random port, or none): set "--metrics", "0.0.0.0:2000" in its args.`,
      };
    case 'loopback':
      return {
        kind,
        message: `cloudflared listens for metrics on a loopback address inside the pod (${ctx.address ? describeMetricsAddress(ctx.address) : 'localhost'}), which the API server's pod proxy cannot reach: set --metrics 0.0.0.0:${port ?? 2000}.`,
      };
    case 'not-cloudflared':
      return { kind, message: `Port ${port ?? '?'} of pod ${where} does not serve cloudflared's metrics${said}.` };
    case 'not-found':
      return { kind, message: detail || `Pod ${where} is gone.` };
    case 'unreachable':
      return { kind, message: detail || `Nothing answers on port ${port ?? '?'} of pod ${where}.` };
    case 'timeout':
      return { kind, message: detail || `Pod ${where} did not answer on port ${port ?? '?'} in time.` };
    case 'error':
      return { kind, message: detail || `Pod ${where}'s metrics could not be read.` };
  }
}

export interface PollerCoreOptions {
  scrape: Scrape;
  pollSeconds: number;
  concurrency?: number;
  now?: () => number;
}

/** The poller's state and one poll; no timer (the caller schedules `poll`). */
export class PollerCore {
  private readonly states = new Map<string, PodState>();
  private controller = new AbortController();
  private seconds: number;
  /** Connector id → tunnel id, from the tunnels watched (Cloudflare's connector lists). */
  readonly connectorTunnels = new Map<string, string>();

  constructor(private readonly opts: PollerCoreOptions) {
    this.seconds = opts.pollSeconds;
  }

  get pollSeconds(): number {
    return this.seconds;
  }

  /**
   * A new interval: pods seen from now on keep an hour at it; histories already kept stay as they
   * are (their number of points, so their memory, does not change).
   */
  setPollSeconds(seconds: number): void {
    this.seconds = seconds;
  }

  pods(): PodState[] {
    return [...this.states.values()].sort(
      (a, b) =>
        a.deployment.namespace.localeCompare(b.deployment.namespace) ||
        a.deployment.name.localeCompare(b.deployment.name) ||
        a.pod.localeCompare(b.pod),
    );
  }

  /** Aborts every request in flight (the last watch was released). */
  abort(): void {
    this.controller.abort();
    this.controller = new AbortController();
  }

  /** Forgets everything (another cluster). */
  clear(): void {
    this.abort();
    this.states.clear();
  }

  /**
   * Reads every pod of `deployments` once. `all`: the complete list of cloudflared Deployments, so
   * pods no longer in it are dropped (undefined: nothing is dropped).
   */
  async poll(deployments: readonly PollDeployment[], all?: readonly PollDeployment[]): Promise<void> {
    const signal = this.controller.signal;
    const t = (this.opts.now ?? Date.now)();
    if (all) {
      const alive = new Set(all.flatMap((d) => d.pods.map((p) => podKey(d, p))));
      for (const key of [...this.states.keys()]) if (!alive.has(key)) this.states.delete(key);
    }
    const jobs = deployments.flatMap((d) => d.pods.map((p) => ({ d, p })));
    await mapLimit(jobs, this.opts.concurrency ?? 4, async ({ d, p }) => {
      if (signal.aborted) return;
      const key = podKey(d, p);
      const state = this.stateOf(key, d, p);
      const ctx = {
        namespace: d.namespace,
        deployment: d.name,
        pod: p.name,
        ...(d.address ? { address: d.address } : {}),
      };
      if (d.address) state.address = d.address;
      else delete state.address;
      if (!d.address || typeof d.address.port === 'string') return void (state.error = podProblem('no-port', ctx));
      if (d.address.loopback) return void (state.error = podProblem('loopback', ctx));
      let res: ScrapeResult;
      try {
        res = await this.opts.scrape(
          { namespace: d.namespace, pod: p.name, port: d.address.port },
          { signal, timeoutMs: requestTimeoutMs(this.seconds) },
        );
      } catch (err) {
        res = { error: { kind: 'error', message: err instanceof Error ? err.message : String(err) } };
      }
      if (signal.aborted || res.error?.kind === 'aborted') return;
      // A pod deleted while the poll ran (it was dropped by a later listing): not added back.
      if (this.states.get(key) !== state) return;
      const ready = res.ready !== undefined ? parseReady(res.ready) : undefined;
      if (ready) {
        state.ready = ready;
        if (ready.connectorId) state.connectorId = ready.connectorId.toLowerCase();
      } else if (res.readyStatus !== undefined) {
        state.ready = { status: res.readyStatus, readyConnections: 0 };
      }
      const tunnel = d.tunnelId ?? (state.connectorId ? this.connectorTunnels.get(state.connectorId) : undefined);
      if (tunnel) state.tunnelId = tunnel;
      if (res.metrics === undefined) {
        const kind = res.error?.kind ?? 'error';
        // Nothing at the guessed port: say that no port is set, rather than that the pod is unreachable.
        const guessed = d.address.source === 'default-range' && (kind === 'unreachable' || kind === 'timeout');
        state.error = podProblem(guessed ? 'no-port' : kind, {
          ...ctx,
          ...(res.error?.message ? { detail: res.error.message } : {}),
        });
        if (kind === 'not-found') this.states.delete(key);
        return;
      }
      const exposition = parseExposition(res.metrics);
      const metrics = readPodMetrics(exposition);
      if (metrics.totalRequests === undefined && metrics.haConnections === undefined && !metrics.version) {
        state.error = podProblem('not-cloudflared', { ...ctx, detail: 'no cloudflared_tunnel_* metric' });
        return;
      }
      state.history.add(t, metrics);
      state.latest = metrics;
      state.updatedAt = t;
      delete state.error;
    });
  }

  private stateOf(key: string, d: PollDeployment, p: { name: string; uid?: string }): PodState {
    let s = this.states.get(key);
    if (!s) {
      s = {
        deployment: { namespace: d.namespace, name: d.name },
        pod: p.name,
        history: new PodHistory(historyPoints(this.seconds)),
      };
      if (p.uid) s.uid = p.uid;
      if (d.tunnelId) s.tunnelId = d.tunnelId;
      this.states.set(key, s);
    }
    return s;
  }
}

/** A pod's history key: its UID (a new pod under an old name starts afresh), else its name. */
function podKey(d: { namespace: string }, p: { name: string; uid?: string }): string {
  return p.uid ?? `${d.namespace}/${p.name}`;
}
