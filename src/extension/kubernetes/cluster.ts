/**
 * The Cluster Services view's state: the kubeconfig (the `cftunnel.kubernetes.kubeconfig` setting,
 * else KUBECONFIG, else ~/.kube/config), the context chosen in the view (kept in workspaceState,
 * never written to the kubeconfig), a `ServiceWatcher` that runs only while the view is visible,
 * the cloudflared Deployments and the routing objects (Ingresses, Gateway API, Traefik: listed on
 * start, on refresh and every 30 s while visible) and the
 * tunnels known from the Tunnels view (their remote rules name Services too).
 *
 * In an untrusted workspace the cluster is not contacted at all (`client()` throws a
 * `KubernetesError` of kind `untrusted`, so no watcher starts and nothing is listed); the kubeconfig
 * is still read for the view's context keys, but no file inside the workspace folders and no
 * credential plugin (`loadKubeconfig` with `allowExec: false` and the folders as untrusted).
 */
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { KubernetesError } from '../../kubernetes/errors';
import type {
  CloudflaredDeployment,
  ClusterClient,
  LoadedKubeconfig,
  RoutingObjectsResult,
  ServiceSummary,
  ServiceWatcher,
} from '../../kubernetes/cluster';
import { buildServicesTree } from '../../core/kubernetes/servicesTree';
import { controllerRouting } from '../../core/kubernetes/controllerRouting';
import { routingObjectsFromCluster } from '../../core/routing/fromCluster';
import type { RoutingObjects } from '../../core/routing/objects';
import { clusterDomainSetting } from '../settings';
import type { ContextNode } from '../../core/kubernetes/servicesTree';
import type { AccountNode, WorkspaceRule } from '../../core/cloudflare/tunnelsTree';
import type { AccessState } from '../cloudflare/accessModel';
import { KUBERNETES_SETTING_DEFAULTS } from '../../core/settings';
import { CONTEXT_KEYS } from '../../shared/contextValues';
import type { TunnelsStore } from '../cloudflare/tunnelsView';
import { deploymentInputs, hostnameRules } from './model';
import type { KnownTunnel } from './model';
import { kubernetes } from './lazy';

const CONTEXT_STATE_KEY = 'cftunnel.kubernetes.context';
const DEPLOYMENTS_REFRESH_MS = 30_000;
/** Remote configurations read for the hostname join, at most. */
const MAX_REMOTE_TUNNELS = 25;

/** The kubeconfig path from user (or remote machine) settings only: a workspace cannot redirect it. */
export function kubeconfigSetting(): string {
  const inspected = vscode.workspace.getConfiguration('cftunnel.kubernetes').inspect<string>('kubeconfig');
  const value = inspected?.globalValue;
  return typeof value === 'string' ? value : KUBERNETES_SETTING_DEFAULTS['cftunnel.kubernetes.kubeconfig'];
}

/** What a cluster command says in Restricted Mode (with a "Manage Workspace Trust" action). */
export const UNTRUSTED_CLUSTER_MESSAGE =
  'This workspace is in Restricted Mode: the cluster is not contacted until you trust it (Manage Workspace Trust).';

/** Throws a `KubernetesError` of kind `untrusted` unless the workspace is trusted. */
export function assertClusterTrusted(): void {
  if (!vscode.workspace.isTrusted) throw new KubernetesError('untrusted', UNTRUSTED_CLUSTER_MESSAGE);
}

export interface ClusterSnapshot {
  client: ClusterClient;
  services: ServiceSummary[];
  partial: boolean;
  note?: string;
  deployments: CloudflaredDeployment[];
  deploymentsError?: string;
  /** Ingresses, IngressClasses, Gateway API and Traefik routes, per kind with its status (undefined: not listed). */
  routing?: RoutingObjectsResult['kinds'];
  routingError?: string;
}

/** The signed-in accounts' tunnels (remote rules loaded) and each account's Access read. */
export interface KnownTunnels {
  accounts: AccountNode[];
  tunnels: KnownTunnel[];
  /** Account id → its Access applications (or why they are unknown); empty when signed out. */
  access: Map<string, AccessState>;
  /** Every remotely-managed tunnel's rules were read (else stale Access applications are not judged). */
  complete?: boolean;
}

export class ClusterStore implements vscode.Disposable {
  private loadedConfig?: LoadedKubeconfig;
  private clusterClient?: ClusterClient;
  private clientError?: unknown;
  private watcher?: ServiceWatcher;
  private unsubscribe?: () => void;
  private synced = false;
  private lastError?: { error: KubernetesError; retryInMs: number };
  private deployments?: Promise<{ list: CloudflaredDeployment[]; error?: string }>;
  private deploymentsTimer?: NodeJS.Timeout;
  private routing?: Promise<{ kinds?: RoutingObjectsResult['kinds']; error?: string }>;
  private tunnelList?: Promise<KnownTunnels>;
  private objectsCache?: { services: unknown; routing: unknown; objects: RoutingObjects };
  private visible = false;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
    readonly tunnels: TunnelsStore,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('cftunnel.kubernetes') && this.reload()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reload()),
      tunnels.onDidChange(() => {
        this.tunnelList = undefined;
        this.changed.fire();
      }),
    );
  }

  /** The loaded kubeconfig (loads it on first use). */
  get kubeconfig(): LoadedKubeconfig {
    if (!this.loadedConfig) {
      const trusted = vscode.workspace.isTrusted;
      this.loadedConfig = kubernetes().loadKubeconfig({
        path: kubeconfigSetting(),
        env: process.env,
        home: homedir(),
        allowExec: trusted,
        untrustedFolders: trusted ? [] : (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
      });
      for (const w of this.loadedConfig.warnings) this.output.warn(`Kubernetes: ${w}`);
      if (this.loadedConfig.error) this.output.info(`Kubernetes: ${this.loadedConfig.error}`);
      void vscode.commands.executeCommand(
        'setContext',
        CONTEXT_KEYS.kubeconfigFound,
        this.loadedConfig.contexts.length > 0,
      );
      void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.kubeContextChosen, this.contextName !== undefined);
      // Last: the "No kubeconfig found" welcome waits for this key, so it never shows before the check.
      void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.kubeconfigChecked, true);
    }
    return this.loadedConfig;
  }

  /** The context the view shows: chosen in the view, else the kubeconfig's current-context. */
  get contextName(): string | undefined {
    const loaded = this.loadedConfig;
    if (!loaded) return undefined;
    const chosen = this.context.workspaceState.get<string>(CONTEXT_STATE_KEY);
    if (chosen && loaded.contexts.some((c) => c.name === chosen)) return chosen;
    return loaded.current && loaded.contexts.some((c) => c.name === loaded.current) ? loaded.current : undefined;
  }

  /** Chooses the view's context (view-local state; the kubeconfig file is not touched). */
  async chooseContext(name: string): Promise<void> {
    await this.context.workspaceState.update(CONTEXT_STATE_KEY, name);
    this.resetCluster();
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.kubeContextChosen, true);
    this.changed.fire();
  }

  /** The client of the chosen context; throws a KubernetesError saying why there is none (Restricted Mode: always). */
  client(): ClusterClient {
    assertClusterTrusted();
    if (this.clusterClient) return this.clusterClient;
    if (this.clientError) throw this.clientError;
    try {
      this.clusterClient = kubernetes().clientFor(this.kubeconfig, this.contextName);
      return this.clusterClient;
    } catch (err) {
      this.clientError = err;
      throw err;
    }
  }

  /** The view became visible or hidden: the watcher runs only while it is visible. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) {
      this.startWatching();
      this.scheduleDeployments();
    } else {
      this.watcher?.stop();
      clearInterval(this.deploymentsTimer);
      this.deploymentsTimer = undefined;
    }
  }

  private startWatching(): void {
    let client: ClusterClient;
    try {
      client = this.client();
    } catch {
      return;
    }
    if (!this.watcher) {
      this.watcher = new (kubernetes().ServiceWatcher)(client);
      this.unsubscribe = this.watcher.on((e) => {
        if (e.type === 'error') {
          this.lastError = { error: e.error, retryInMs: e.retryInMs };
          this.output.warn(`Kubernetes: ${e.error.message} (retrying in ${Math.round(e.retryInMs / 1000)} s)`);
        } else {
          this.lastError = undefined;
          if (e.type === 'synced') this.synced = true;
        }
        this.changed.fire();
      });
    }
    void this.watcher.start();
  }

  private scheduleDeployments(): void {
    clearInterval(this.deploymentsTimer);
    this.deploymentsTimer = setInterval(() => {
      this.deployments = undefined;
      this.routing = undefined;
      this.changed.fire();
    }, DEPLOYMENTS_REFRESH_MS);
  }

  private loadDeployments(client: ClusterClient): Promise<{ list: CloudflaredDeployment[]; error?: string }> {
    this.deployments ??= kubernetes()
      .listCloudflaredDeployments(client)
      .then(
        (r) => ({ list: r.deployments, ...(r.note ? { error: r.note } : {}) }),
        (err: Error) => ({ list: [], error: `cloudflared Deployments could not be listed: ${err.message}` }),
      );
    return this.deployments;
  }

  /** The routing kinds the cluster serves (discovery decides; a kind without its CRD is `not-served`). */
  private loadRouting(client: ClusterClient): Promise<{ kinds?: RoutingObjectsResult['kinds']; error?: string }> {
    this.routing ??= kubernetes()
      .listRoutingObjects(client)
      .then(
        (r) => ({ kinds: r.kinds }),
        (err: Error) => ({ error: `the cluster's routing objects could not be listed: ${err.message}` }),
      );
    return this.routing;
  }

  /** Tunnels of the signed-in accounts, with the remote rules of remotely-managed ones (none when signed out). */
  knownTunnels(): Promise<KnownTunnels> {
    this.tunnelList ??= (async () => {
      const session = this.tunnels.session;
      if (!session.signedIn || !session.trusted) return { accounts: [], tunnels: [], access: new Map() };
      try {
        const accounts = await this.tunnels.accounts();
        const trees = await Promise.all(
          accounts.map((a) => this.tunnels.accountTree(a.id, a.name).catch(() => undefined)),
        );
        const loaded = trees.filter((t): t is AccountNode => t !== undefined);
        const all: KnownTunnel[] = loaded.flatMap((t) => t.tunnels.map((tunnel) => ({ accountId: t.id, tunnel })));
        const remote = all.filter((t) => t.tunnel.configSrc === 'cloudflare').slice(0, MAX_REMOTE_TUNNELS);
        const [details, states] = await Promise.all([
          Promise.all(remote.map((t) => this.tunnels.tunnelDetails(t.accountId, t.tunnel).catch(() => t.tunnel))),
          // Access: whether each hostname is protected (the tree, the stale-application drift check).
          Promise.all(
            loaded.map((t) =>
              this.tunnels.access(t.id).then(
                (state): [string, AccessState] => [t.id, state],
                (err: Error): [string, AccessState] => [t.id, { kind: 'failed', message: err.message }],
              ),
            ),
          ),
        ]);
        const tunnels = all.map((t) => {
          const i = remote.indexOf(t);
          return i >= 0 ? { accountId: t.accountId, tunnel: details[i]! } : t;
        });
        // Remote rules left unread (more than MAX_REMOTE_TUNNELS): the served names are incomplete.
        const complete = all.filter((t) => t.tunnel.configSrc === 'cloudflare').length <= MAX_REMOTE_TUNNELS;
        return { accounts: loaded, tunnels, access: new Map(states), complete };
      } catch (err) {
        this.output.warn(`Kubernetes: the tunnels could not be read for the hostname join: ${(err as Error).message}`);
        return { accounts: [], tunnels: [], access: new Map() };
      }
    })();
    return this.tunnelList;
  }

  /**
   * What the cluster looks like now: waits for the first list of Services (or its first failure,
   * which is thrown). Starts the watcher if it is not running.
   */
  async snapshot(): Promise<ClusterSnapshot> {
    const client = this.client();
    if (!this.watcher || this.watcher.state === 'idle' || this.watcher.state === 'stopped') this.startWatching();
    const watcher = this.watcher!;
    if (!this.synced) {
      if (this.lastError) throw this.lastError.error;
      await new Promise<void>((resolve, reject) => {
        const off = watcher.on((e) => {
          if (e.type === 'error') {
            off();
            reject(e.error);
          }
        });
        void watcher.start().then(() => {
          off();
          resolve();
        });
      });
    }
    const [deployments, routing] = await Promise.all([this.loadDeployments(client), this.loadRouting(client)]);
    const out: ClusterSnapshot = {
      client,
      services: watcher.services,
      partial: watcher.partial,
      deployments: deployments.list,
    };
    if (watcher.note) out.note = watcher.note;
    if (deployments.error) out.deploymentsError = deployments.error;
    if (routing.kinds) out.routing = routing.kinds;
    if (routing.error) {
      out.routingError = routing.error;
      this.output.warn(`Kubernetes: ${routing.error}`);
    }
    return out;
  }

  /**
   * The snapshot as a trace's model (Services and routing kinds); undefined when the routing kinds
   * could not be listed at all. Kept while neither list changed.
   */
  routingObjects(snapshot: ClusterSnapshot): RoutingObjects | undefined {
    if (!snapshot.routing) return undefined;
    const c = this.objectsCache;
    if (c && c.services === snapshot.services && c.routing === snapshot.routing) return c.objects;
    const objects = routingObjectsFromCluster({ services: snapshot.services, kinds: snapshot.routing });
    this.objectsCache = { services: snapshot.services, routing: snapshot.routing, objects };
    return objects;
  }

  /** The tree of the chosen context (Services, cloudflared, hostnames joined from the rules and followed through ingress controllers). */
  async tree(): Promise<
    {
      node: ContextNode;
      snapshot: ClusterSnapshot;
      /** The workspace's config.yaml rules (as the Tunnels view joins them). */
      workspaceRules: WorkspaceRule[];
    } & KnownTunnels
  > {
    const snapshot = await this.snapshot();
    const [known, workspaceRules] = await Promise.all([
      this.knownTunnels(),
      this.tunnels.workspaceRules().catch(() => []),
    ]);
    const { tunnels } = known;
    const ctx = snapshot.client.context;
    const notes = [snapshot.note, snapshot.deploymentsError].filter(Boolean);
    const rules = hostnameRules(workspaceRules, tunnels);
    const deployments = deploymentInputs(snapshot.deployments, tunnels);
    const clusterDomain = clusterDomainSetting();
    const objects = this.routingObjects(snapshot);
    const node = buildServicesTree({
      context: {
        name: ctx.name,
        cluster: ctx.cluster,
        ...(ctx.server ? { server: ctx.server } : {}),
        ...(ctx.namespace ? { namespace: ctx.namespace } : {}),
      },
      services: snapshot.services,
      rules,
      deployments,
      partial: snapshot.partial,
      clusterDomain,
      ...(notes.length ? { note: notes.join(' ') } : {}),
      ...(objects ? { routing: controllerRouting({ objects, rules, deployments, clusterDomain }) } : {}),
    });
    return { node, snapshot, workspaceRules, ...known };
  }

  /** The retry in progress, when the watcher failed and has not listed since. */
  get failure(): { error: KubernetesError; retryInMs: number } | undefined {
    return this.synced ? undefined : this.lastError;
  }

  private resetCluster(): void {
    this.unsubscribe?.();
    this.watcher?.stop();
    this.watcher = undefined;
    this.unsubscribe = undefined;
    this.synced = false;
    this.lastError = undefined;
    this.clusterClient = undefined;
    this.clientError = undefined;
    this.deployments = undefined;
    this.routing = undefined;
    if (this.visible) this.startWatching();
  }

  /** Reads the kubeconfig again and lists everything again. */
  reload(): void {
    this.loadedConfig = undefined;
    void this.kubeconfig;
    this.resetCluster();
    this.tunnelList = undefined;
    this.changed.fire();
  }

  dispose(): void {
    this.unsubscribe?.();
    this.watcher?.stop();
    clearInterval(this.deploymentsTimer);
    for (const d of this.disposables) d.dispose();
  }
}
