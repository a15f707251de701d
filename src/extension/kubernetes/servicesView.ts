/**
 * The Cluster Services view: maps the elements of `model.ts` to TreeItems. The root is the chosen
 * context (then "Problems" when something drifted); failures become error items (Retry), never
 * exceptions. A missing kubeconfig, or Restricted Mode, leaves the view empty, so the welcome content
 * shows, with the exact reason in the view's message. The watcher runs only while the view is visible
 * (and never in Restricted Mode). While it is visible and the cluster connected, it also holds a
 * metrics watch (`{ kind: 'all' }`): each cloudflared Deployment and pod says its request rate and
 * error ratio (or why its metrics are unread), and after each poll only the items whose words
 * changed are redrawn.
 */
import * as vscode from 'vscode';
import type { ClusterStore } from './cluster';
import type { DriftMonitor } from './driftMonitor';
import { accountOfHostname, childrenOf, errorElement, itemSpec, rootElements } from './model';
import type { Element, KnownTunnel } from './model';
import type { AccessState } from '../cloudflare/accessModel';
import { withHostnameAccess } from '../cloudflare/accessModel';
import { ruleAccess } from '../cloudflare/accessTree';
import { toTreeItem } from '../treeItem';
import { TrafficIndex, withTraffic } from '../metrics/healthModel';
import type { TrafficWords } from '../metrics/healthModel';
import type { MetricsPoller } from '../metrics/poller';
import { HeldWatch, clusterConnected } from '../metrics/watch';

type TrafficElement = Extract<Element, { type: 'cloudflared' | 'pod' }>;

export class ServicesProvider implements vscode.TreeDataProvider<Element> {
  private readonly changed = new vscode.EventEmitter<Element | Element[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private timer?: NodeJS.Timeout;
  message?: (text: string | undefined) => void;
  /** The last poll's rates (undefined: none shown). */
  private traffic?: TrafficIndex;
  /** The cloudflared and pod items drawn since the last full redraw, by id, with the words they show. */
  private readonly trafficItems = new Map<string, { el: TrafficElement; shown: string }>();
  /** The tunnels and each account's Access read, from the last tree (hostnames say whether Access protects them). */
  private access?: { tunnels: KnownTunnel[]; states: Map<string, AccessState> };

  /** The tree only reads the drift monitor's findings ("Problems"). */
  constructor(
    private readonly cluster: ClusterStore,
    private readonly monitor: DriftMonitor,
  ) {}

  /** Redraws soon (watch events come in bursts). */
  refresh(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.trafficItems.clear();
      this.changed.fire(undefined);
    }, 250);
  }

  /** New rates (or none): redraws only the cloudflared and pod items whose words changed. */
  setTraffic(traffic: TrafficIndex | undefined): void {
    this.traffic = traffic;
    const changed: Element[] = [];
    for (const entry of this.trafficItems.values()) {
      if (this.wordsOf(entry.el)?.text !== (entry.shown || undefined)) changed.push(entry.el);
    }
    if (changed.length) this.changed.fire(changed);
  }

  private wordsOf(el: TrafficElement): TrafficWords | undefined {
    if (!this.traffic) return undefined;
    return el.type === 'cloudflared'
      ? this.traffic.deployment(el.node.namespace, el.node.name)
      : this.traffic.pod(el.node.namespace, el.node.name);
  }

  getTreeItem(el: Element): vscode.TreeItem {
    const spec = itemSpec(el);
    if (el.type === 'cloudflared' || el.type === 'pod') {
      const words = this.wordsOf(el);
      this.trafficItems.set(spec.id, { el, shown: words?.text ?? '' });
      return toTreeItem(withTraffic(spec, words), el);
    }
    if (el.type === 'hostname' && this.access && this.access.states.size > 0) {
      const { tunnels, states } = this.access;
      const accountId = accountOfHostname(el.node, tunnels, [...states.keys()]);
      const state = accountId ? states.get(accountId) : undefined;
      if (state) {
        const problem = spec.icon === 'warning' || spec.icon === 'error';
        return toTreeItem(withHostnameAccess(spec, ruleAccess(el.node.hostname, el.node.path, state), problem), el);
      }
    }
    return toTreeItem(spec, el);
  }

  async getChildren(el?: Element): Promise<Element[]> {
    if (el) return childrenOf(el);
    const loaded = this.cluster.kubeconfig;
    // Restricted Mode: nothing is listed, so the welcome content asks for trust.
    if (!vscode.workspace.isTrusted) {
      this.message?.(undefined);
      return [];
    }
    // Empty: the welcome content says what to do (a view message would hide it); the output has the details.
    if (loaded.error || loaded.contexts.length === 0) {
      this.message?.(undefined);
      return [];
    }
    if (!this.cluster.contextName) {
      this.message?.(undefined);
      return [];
    }
    const warnings = loaded.warnings.filter((w) => !w.startsWith('Not found'));
    this.message?.(warnings.length ? warnings.join(' ') : undefined);
    try {
      const failure = this.cluster.failure;
      if (failure)
        return [
          errorElement('cluster', failure.error),
          {
            type: 'message',
            key: 'retry',
            text: `Retrying in ${Math.round(failure.retryInMs / 1000)} s…`,
            icon: 'sync',
          },
        ];
      const { node, tunnels, access } = await this.cluster.tree();
      this.access = { tunnels, states: access };
      return rootElements(node, loaded.contexts.length, this.monitor.findings);
    } catch (err) {
      return [errorElement('cluster', err)];
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changed.dispose();
  }
}

/** Creates the view; the cluster (and, with a poller, the cloudflared pods' metrics) is watched only while it is visible. */
export function createServicesView(
  cluster: ClusterStore,
  monitor: DriftMonitor,
  poller?: MetricsPoller,
): { provider: ServicesProvider; disposable: vscode.Disposable } {
  const provider = new ServicesProvider(cluster, monitor);
  const view = vscode.window.createTreeView('cftunnel.services', { treeDataProvider: provider, showCollapseAll: true });
  provider.message = (text) => {
    view.message = text;
  };
  const disposables: vscode.Disposable[] = [
    view,
    provider,
    view.onDidChangeVisibility((e) => {
      cluster.setVisible(e.visible);
      monitor.setActive(e.visible);
    }),
    cluster.onDidChange(() => provider.refresh()),
    monitor.onDidChange(() => provider.refresh()),
  ];
  if (poller) {
    // The trees' rates: every cloudflared pod is read while the view is visible and the cluster connected.
    const watch = new HeldWatch(poller, { kind: 'all' });
    const update = (): void => {
      watch.set(view.visible && clusterConnected(cluster));
      if (!watch.active) provider.setTraffic(undefined);
    };
    disposables.push(
      watch,
      view.onDidChangeVisibility(update),
      cluster.onDidChange(update),
      vscode.workspace.onDidGrantWorkspaceTrust(update),
      poller.onDidUpdate(() => provider.setTraffic(watch.active ? new TrafficIndex(poller.pods()) : undefined)),
    );
    update();
  }
  cluster.setVisible(view.visible);
  monitor.setActive(view.visible);
  return { provider, disposable: vscode.Disposable.from(...disposables) };
}
