/**
 * The Tunnels view: `TunnelsStore` caches what was fetched (accounts, one tree per account, one
 * detail load per expanded tunnel, the workspace's ingress rules) until the next refresh;
 * `TunnelsProvider` maps the elements of `model.ts` to TreeItems. Children load lazily per node;
 * failures become error items (Sign in / Retry), never exceptions. The view refreshes on the
 * `cftunnel.tunnels.refreshInterval` timer only while it is visible (or while degraded-tunnel
 * notifications are on). With a `ConnectorPodsSource` (src/extension/metrics/connectorPods.ts), each
 * connector says the cluster pod it runs in once that pod's `/ready` was read; only its items are
 * redrawn when that changes. Each account's Cloudflare Access applications are read once per refresh
 * (`TunnelsStore.access`, signed in only): public hostnames say whether an application protects them.
 */
import * as vscode from 'vscode';
import { buildAccountTree, loadTunnelDetails } from '../../cloudflare/tree';
import type { Account } from '../../cloudflare/types';
import type { AccountNode, TunnelNode, WorkspaceRule } from '../../core/cloudflare/tunnelsTree';
import type { ConnectorPod, JoinConnectorInput } from '../../core/metrics/health';
import { readAccess } from './accessApi';
import type { AccessState } from './accessModel';
import { hostnameElementAccess } from './accessTree';
import { accountChildren, accountElements, errorElement, itemSpec, tunnelChildren, withConnectorPod } from './model';
import type { Element } from './model';
import { setting } from './session';
import type { CloudflareSession } from './session';
import { toTreeItem } from '../treeItem';
import type { WorkspaceConfigs } from '../workspaceConfigs';
import { workspaceRules } from '../workspaceConfigsModel';

const MIN_REFRESH_SECONDS = 10;

export class TunnelsStore implements vscode.Disposable {
  private accountList?: Promise<Account[]>;
  private readonly trees = new Map<string, Promise<AccountNode>>();
  /** Trees that have arrived, for drawing an account's counts without waiting. */
  private readonly loadedTrees = new Map<string, AccountNode>();
  private readonly details = new Map<string, Promise<TunnelNode>>();
  private rules?: Promise<WorkspaceRule[]>;
  /** Each account's Access read (apps, identity providers, service tokens), once per refresh. */
  private readonly accessReads = new Map<string, Promise<AccessState>>();
  private readonly loadedAccessStates = new Map<string, AccessState>();
  private readonly accessLoaded = new vscode.EventEmitter<string>();
  /** An account's Access applications were read (the id of the account). */
  readonly onDidLoadAccess = this.accessLoaded.event;
  private readonly changed = new vscode.EventEmitter<undefined>();
  private readonly loaded = new vscode.EventEmitter<AccountNode>();
  /** Data was dropped (refresh): everything shown loads again. */
  readonly onDidChange = this.changed.event;
  /** An account's tree was fetched (status bar, notifications). */
  readonly onDidLoadAccount = this.loaded.event;

  constructor(
    readonly session: CloudflareSession,
    private readonly configs: WorkspaceConfigs,
  ) {
    // The server re-read a config: the rules are asked for again on the next load.
    this.configsSubscription = configs.onDidChange(() => this.forgetWorkspaceRules());
  }

  private readonly configsSubscription: vscode.Disposable;

  accounts(): Promise<Account[]> {
    this.accountList ??= this.session.accounts();
    return this.accountList;
  }

  accountTree(accountId: string, accountName?: string): Promise<AccountNode> {
    let tree = this.trees.get(accountId);
    if (!tree) {
      const api = this.session.api();
      tree = this.workspaceRules().then((workspaceRules) =>
        buildAccountTree(api, accountId, { workspaceRules, accountName }),
      );
      tree
        .then((t) => {
          if (this.trees.get(accountId) !== tree) return;
          this.loadedTrees.set(accountId, t);
          this.loaded.fire(t);
        })
        .catch(() => undefined);
      this.trees.set(accountId, tree);
    }
    return tree;
  }

  /** The account's tree if it has arrived since the last refresh. */
  loadedTree(accountId: string): AccountNode | undefined {
    return this.loadedTrees.get(accountId);
  }

  tunnelDetails(accountId: string, tunnel: TunnelNode): Promise<TunnelNode> {
    const key = `${accountId}:${tunnel.id}`;
    let details = this.details.get(key);
    if (!details) {
      const api = this.session.api();
      details = this.workspaceRules().then((workspaceRules) =>
        loadTunnelDetails(api, accountId, tunnel, { workspaceRules }),
      );
      this.details.set(key, details);
    }
    return details;
  }

  /**
   * The account's Cloudflare Access applications, identity providers and service tokens, read once
   * per refresh. Never rejects: a token without the Access read permission gives `forbidden`, any
   * other failure `failed` (both shown as "unknown", never "open"). Signed out or untrusted: rejects
   * with the session's error.
   */
  access(accountId: string): Promise<AccessState> {
    let read = this.accessReads.get(accountId);
    if (!read) {
      const api = this.session.api();
      read = readAccess(api, accountId);
      void read.then((state) => {
        if (this.accessReads.get(accountId) !== read) return;
        this.loadedAccessStates.set(accountId, state);
        this.accessLoaded.fire(accountId);
      });
      this.accessReads.set(accountId, read);
    }
    return read;
  }

  /** The account's Access read if it has arrived since the last refresh. */
  loadedAccess(accountId: string): AccessState | undefined {
    return this.loadedAccessStates.get(accountId);
  }

  /** Ingress rules of the workspace's cloudflared configs (for locally managed tunnels), from the language server. */
  workspaceRules(): Promise<WorkspaceRule[]> {
    this.rules ??= this.configs.get().then(workspaceRules);
    return this.rules;
  }

  /** Drops the workspace rules (a YAML file changed); they are read again on the next refresh. */
  forgetWorkspaceRules(): void {
    this.rules = undefined;
  }

  /** Drops everything fetched; the view and the status bar load again what they show. */
  refresh(): void {
    this.accountList = undefined;
    this.trees.clear();
    this.loadedTrees.clear();
    this.details.clear();
    this.accessReads.clear();
    this.loadedAccessStates.clear();
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.configsSubscription.dispose();
    this.changed.dispose();
    this.loaded.dispose();
    this.accessLoaded.dispose();
  }
}

/** Where each connector runs in the cluster (the metrics poller's /ready reads; see src/extension/metrics/connectorPods.ts). */
export interface ConnectorPodsSource {
  podOf(connector: JoinConnectorInput): ConnectorPod | undefined;
  /** What `podOf` answers changed. */
  readonly onDidChange: vscode.Event<void>;
  /** The Tunnels view became visible or hidden (the pods are read only while it is visible). */
  setVisible(visible: boolean): void;
}

type ConnectorElement = Extract<Element, { type: 'connector' }>;

export class TunnelsProvider implements vscode.TreeDataProvider<Element>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Element | Element[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The connector items shown, by id, with the join they show (redrawn alone when it changes). */
  private readonly connectors = new Map<string, { el: ConnectorElement; shown: string }>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly store: TunnelsStore,
    private readonly pods?: ConnectorPodsSource,
  ) {
    this.subscriptions.push(
      this.changed,
      store.onDidChange(() => {
        this.connectors.clear();
        this.changed.fire(undefined);
      }),
    );
    if (pods) this.subscriptions.push(pods.onDidChange(() => this.podsChanged()));
  }

  private joinOf(el: ConnectorElement): ConnectorPod | undefined {
    return this.pods?.podOf(el.connector);
  }

  private podsChanged(): void {
    const changed: Element[] = [];
    for (const entry of this.connectors.values()) {
      const now = this.joinOf(entry.el)?.description ?? '';
      if (now !== entry.shown) changed.push(entry.el);
    }
    if (changed.length) this.changed.fire(changed);
  }

  getTreeItem(el: Element): vscode.TreeItem {
    // An account shows its counts once its tree has arrived (e.g. loaded for the status bar).
    const shown = el.type === 'account' && !el.tree ? { ...el, tree: this.store.loadedTree(el.id) } : el;
    if (el.type === 'connector') {
      const join = this.joinOf(el);
      const id = itemSpec(el).id;
      this.connectors.set(id, { el, shown: join?.description ?? '' });
      return toTreeItem(withConnectorPod(itemSpec(el), join), el);
    }
    if (el.type === 'hostname' || el.type === 'route') {
      const state = this.store.loadedAccess(el.accountId);
      return toTreeItem(hostnameElementAccess(itemSpec(el), el, state, this.store.session.signedIn), el);
    }
    return toTreeItem(itemSpec(shown), el);
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }

  async getChildren(el?: Element): Promise<Element[]> {
    const session = this.store.session;
    // Signed out or untrusted: no items, so the welcome content says what to do.
    if (!session.signedIn || !session.trusted) return [];
    try {
      if (!el) {
        const accounts = await this.store.accounts();
        // The status bar's account (the only one, when there is one) loads anyway: wait so it shows its counts.
        const first = session.statusAccountId(accounts);
        if (first)
          await this.store.accountTree(first, accounts.find((a) => a.id === first)?.name).catch(() => undefined);
        return accountElements(accounts);
      }
      if (el.type === 'account') return accountChildren(await this.store.accountTree(el.id, el.name));
      if (el.type === 'tunnel') {
        // The hostnames say whether Access protects them: the account's Access read comes first (it never rejects).
        const [details] = await Promise.all([
          this.store.tunnelDetails(el.accountId, el.tunnel),
          this.store.access(el.accountId),
        ]);
        return tunnelChildren(el.accountId, details);
      }
      if (el.type === 'group') return el.children;
      return [];
    } catch (err) {
      return [errorElement(el ? itemSpec(el).id : 'root', err)];
    }
  }
}

/** Creates the view and its refresh timer; dispose the result to remove both. */
export function createTunnelsView(store: TunnelsStore, pods?: ConnectorPodsSource): vscode.Disposable {
  const provider = new TunnelsProvider(store, pods);
  const view = vscode.window.createTreeView('cftunnel.tunnels', {
    treeDataProvider: provider,
    showCollapseAll: true,
  });
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    if (timer) clearInterval(timer);
    timer = undefined;
    const seconds = setting('cftunnel.tunnels.refreshInterval');
    const wanted = view.visible || setting('cftunnel.tunnels.notifyOnDegraded');
    if (seconds > 0 && wanted && store.session.signedIn && store.session.trusted) {
      timer = setInterval(() => store.refresh(), Math.max(seconds, MIN_REFRESH_SECONDS) * 1000);
    }
  };
  const disposables: vscode.Disposable[] = [
    view,
    provider,
    view.onDidChangeVisibility((e) => {
      schedule();
      pods?.setVisible(e.visible);
    }),
    store.session.onDidChange(() => {
      store.refresh();
      schedule();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('cftunnel.tunnels') && schedule()),
    { dispose: () => timer && clearInterval(timer) },
  ];
  schedule();
  pods?.setVisible(view.visible);
  return vscode.Disposable.from(...disposables);
}
