/**
 * Reads cloudflared pods' `/metrics` and `/ready` through the API server's pod proxy while
 * something shows traffic, and keeps an hour of history per pod (src/extension/metrics/pollerModel.ts
 * holds the logic; this class adds the timer, the setting and the event).
 *
 * - `watch(target)`: the Traffic panel (a Deployment, a tunnel) and the trees (`{ kind: 'all' }`)
 *   each hold a watch while they are visible; polling runs only while at least one is held, and the
 *   requests in flight are aborted when the last one is released. Nothing is read otherwise.
 * - Every `cftunnel.metrics.pollInterval` seconds (default 10, at least 5): the pods of the watched
 *   Deployments (a tunnel: those that run it, or whose tunnel is not known yet), each request
 *   bounded below the interval. The cloudflared Deployments are listed again every 30 s while
 *   polling (new pods, replaced ones); a pod no longer listed is dropped with its history.
 * - `pods()`: what is known of each pod (`PodState`: readiness, the last numbers, the history, or
 *   the reason it could not be read); `onDidUpdate` fires after every poll.
 * - Another context, or Restricted Mode: everything is dropped; `problem` says why nothing is read.
 */
import * as vscode from 'vscode';
import type { ClusterClient } from '../../kubernetes/cluster';
import { METRICS_SETTING_DEFAULTS, metricsPollSeconds } from '../../core/settings';
import type { ClusterStore } from '../kubernetes/cluster';
import type { KnownTunnel } from '../kubernetes/model';
import { kubernetes } from '../kubernetes/lazy';
import { metricsAddressOf } from '../../core/metrics/port';
import { PollerCore, configFileOf, configMetricsOf, deploymentsToRead, pollDeployment } from './pollerModel';
import type { PodState, PollDeployment, Scrape, WatchTarget } from './pollerModel';

export type { PodState, WatchTarget } from './pollerModel';

const LIST_EVERY_MS = 30_000;

/** The poll interval setting, in seconds (the minimum applied). */
export function pollIntervalSetting(): number {
  return metricsPollSeconds(
    vscode.workspace
      .getConfiguration('cftunnel.metrics')
      .get<number>('pollInterval', METRICS_SETTING_DEFAULTS['cftunnel.metrics.pollInterval']),
  );
}

interface Listing {
  client: ClusterClient;
  at: number;
  deployments: PollDeployment[];
}

export class MetricsPoller implements vscode.Disposable {
  private readonly core: PollerCore;
  private readonly watches = new Set<{ target: WatchTarget }>();
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private listing?: Listing;
  private listingError?: string;
  private readonly updated = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.updated];
  /** Fires after every poll (and when everything was dropped). */
  readonly onDidUpdate = this.updated.event;

  constructor(
    private readonly cluster: ClusterStore,
    private readonly output: vscode.LogOutputChannel,
    scrape?: (client: ClusterClient) => Scrape,
  ) {
    const scrapeWith =
      scrape ??
      ((client: ClusterClient): Scrape =>
        (target, opts) =>
          kubernetes().scrapePod(client, target, opts));
    this.core = new PollerCore({
      pollSeconds: pollIntervalSetting(),
      scrape: (target, opts) => scrapeWith(this.listing!.client)(target, opts),
    });
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('cftunnel.metrics.pollInterval')) return;
        this.core.setPollSeconds(pollIntervalSetting());
        if (this.timer) this.schedule();
      }),
      cluster.onDidChange(() => this.checkClient()),
    );
  }

  /** Seconds between polls. */
  get pollSeconds(): number {
    return this.core.pollSeconds;
  }

  /** Why nothing could be read at the last poll (no cluster, Restricted Mode, Deployments not listed). */
  get problem(): string | undefined {
    return this.listingError;
  }

  /** The cloudflared Deployments as last listed (undefined before the first listing). */
  get deployments(): readonly PollDeployment[] | undefined {
    return this.listing?.deployments;
  }

  /** What is known of each pod read so far (sorted by namespace, Deployment, pod). */
  pods(): PodState[] {
    return this.core.pods();
  }

  /** Reads the pods `target` needs until the returned disposable is disposed (the first watch starts polling). */
  watch(target: WatchTarget): vscode.Disposable {
    const entry = { target };
    this.watches.add(entry);
    if (target.kind === 'tunnel')
      for (const c of target.connectorIds ?? [])
        this.core.connectorTunnels.set(c.toLowerCase(), target.tunnelId.toLowerCase());
    if (!this.timer) this.schedule(true);
    else void this.pollNow();
    return new vscode.Disposable(() => {
      if (!this.watches.delete(entry) || this.watches.size > 0) return;
      clearInterval(this.timer);
      this.timer = undefined;
      this.core.abort();
    });
  }

  /** Lists the cloudflared Deployments now (the palette's pick), whether or not anything is watched. */
  async listDeployments(): Promise<PollDeployment[]> {
    return (await this.list(true)).deployments;
  }

  private schedule(now = false): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => void this.pollNow(), this.core.pollSeconds * 1000);
    if (now) void this.pollNow();
  }

  /** One poll, unless one is running (a slow cluster never stacks polls). */
  private pollNow(): Promise<void> {
    this.polling ??= this.poll().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async poll(): Promise<void> {
    try {
      const listing = await this.list(false);
      if (this.watches.size === 0) return;
      const targets = [...this.watches].map((w) => w.target);
      await this.core.poll(deploymentsToRead(targets, listing.deployments), listing.deployments);
    } catch (err) {
      this.listingError = err instanceof Error ? err.message : String(err);
      this.output.warn(`Metrics: ${this.listingError}`);
    }
    this.updated.fire();
  }

  /** The Deployments, listed again when the last list is older than 30 s or of another client. */
  private async list(force: boolean): Promise<Listing> {
    const client = this.cluster.client();
    const l = this.listing;
    if (!force && l && l.client === client && Date.now() - l.at < LIST_EVERY_MS) return l;
    try {
      const [res, known] = await Promise.all([
        kubernetes().listCloudflaredDeployments(client),
        this.cluster.knownTunnels().catch(() => ({ tunnels: [] as KnownTunnel[] })),
      ]);
      if (this.listing && this.listing.client !== client) this.core.clear();
      // The config file's `metrics:` key counts only where no flag or env var sets the address.
      const configMetrics = await Promise.all(
        res.deployments.map(async (d) => {
          const file = configFileOf(d);
          if (!file || metricsAddressOf(d)?.source !== 'default-range') return undefined;
          const text = await kubernetes()
            .readConfigMapValue(client, d.namespace, file.name, file.key)
            .catch(() => undefined);
          return text === undefined ? undefined : configMetricsOf(text);
        }),
      );
      this.listing = {
        client,
        at: Date.now(),
        deployments: res.deployments.map((d, i) => pollDeployment(d, known.tunnels, configMetrics[i])),
      };
      this.listingError = res.note;
      return this.listing;
    } catch (err) {
      this.listingError = `The cloudflared Deployments could not be listed: ${err instanceof Error ? err.message : String(err)}`;
      if (l && l.client === client) return l;
      throw new Error(this.listingError);
    }
  }

  /** Another context (or the kubeconfig reloaded): what was read belongs to the old cluster. */
  private checkClient(): void {
    if (!this.listing) return;
    let client: ClusterClient | undefined;
    try {
      client = this.cluster.client();
    } catch {
      client = undefined;
    }
    if (client === this.listing.client) return;
    this.listing = undefined;
    this.core.clear();
    this.updated.fire();
    if (this.timer) void this.pollNow();
  }

  dispose(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.core.abort();
    for (const d of this.disposables) d.dispose();
  }
}
