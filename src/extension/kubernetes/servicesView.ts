/**
 * The Cluster Services view: maps the elements of `model.ts` to TreeItems. The root is the chosen
 * context (then "Problems" when something drifted); failures become error items (Retry), never
 * exceptions. A missing kubeconfig, or Restricted Mode, leaves the view empty, so the welcome content
 * shows, with the exact reason in the view's message. The watcher runs only while the view is visible
 * (and never in Restricted Mode).
 */
import * as vscode from 'vscode';
import type { ClusterStore } from './cluster';
import type { DriftMonitor } from './driftMonitor';
import { childrenOf, errorElement, itemSpec, rootElements } from './model';
import type { Element } from './model';
import { toTreeItem } from '../treeItem';

export class ServicesProvider implements vscode.TreeDataProvider<Element> {
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private timer?: NodeJS.Timeout;
  message?: (text: string | undefined) => void;

  /** The tree only reads the drift monitor's findings ("Problems"). */
  constructor(
    private readonly cluster: ClusterStore,
    private readonly monitor: DriftMonitor,
  ) {}

  /** Redraws soon (watch events come in bursts). */
  refresh(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.changed.fire(undefined), 250);
  }

  getTreeItem(el: Element): vscode.TreeItem {
    return toTreeItem(itemSpec(el), el);
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
      const { node } = await this.cluster.tree();
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

/** Creates the view; the cluster is watched only while it is visible. */
export function createServicesView(
  cluster: ClusterStore,
  monitor: DriftMonitor,
): { provider: ServicesProvider; disposable: vscode.Disposable } {
  const provider = new ServicesProvider(cluster, monitor);
  const view = vscode.window.createTreeView('cftunnel.services', { treeDataProvider: provider, showCollapseAll: true });
  provider.message = (text) => {
    view.message = text;
  };
  const disposable = vscode.Disposable.from(
    view,
    provider,
    view.onDidChangeVisibility((e) => {
      cluster.setVisible(e.visible);
      monitor.setActive(e.visible);
    }),
    cluster.onDidChange(() => provider.refresh()),
    monitor.onDidChange(() => provider.refresh()),
  );
  cluster.setVisible(view.visible);
  monitor.setActive(view.visible);
  return { provider, disposable };
}
