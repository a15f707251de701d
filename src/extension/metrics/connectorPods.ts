/**
 * The Tunnels view's connector ↔ pod join (issue #18): while the view is visible and a cluster is
 * connected, the poller reads every cloudflared pod (`{ kind: 'all' }`), and each connector
 * Cloudflare lists is joined to the pod whose `/ready` says its id (`joinConnectorPods`).
 * `onDidChange` fires only when what the join would show changed.
 */
import * as vscode from 'vscode';
import { joinConnectorPods } from '../../core/metrics/health';
import type { ConnectorPod, JoinConnectorInput } from '../../core/metrics/health';
import type { ConnectorPodsSource } from '../cloudflare/tunnelsView';
import type { ClusterStore } from '../kubernetes/cluster';
import { joinPods } from './healthModel';
import type { MetricsPoller } from './poller';
import { HeldWatch, clusterConnected } from './watch';

export class ConnectorPods implements ConnectorPodsSource, vscode.Disposable {
  private readonly watch: HeldWatch;
  private visible = false;
  private signature = '';
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly poller: MetricsPoller,
    private readonly cluster: ClusterStore,
  ) {
    this.watch = new HeldWatch(poller, { kind: 'all' });
    this.disposables.push(
      this.watch,
      poller.onDidUpdate(() => this.check()),
      cluster.onDidChange(() => this.update()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.update()),
    );
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.update();
  }

  /** The pod a connector runs in, when the cluster is connected and that pod's /ready was read. */
  podOf(connector: JoinConnectorInput): ConnectorPod | undefined {
    if (!this.watch.active || !this.cluster.contextName) return undefined;
    return joinConnectorPods([connector], joinPods(this.poller.pods()), this.cluster.contextName).get(
      connector.id.toLowerCase(),
    );
  }

  private update(): void {
    this.watch.set(this.visible && clusterConnected(this.cluster));
    this.check();
  }

  private check(): void {
    const sig = this.watch.active ? `${this.cluster.contextName}|${JSON.stringify(joinPods(this.poller.pods()))}` : '';
    if (sig === this.signature) return;
    this.signature = sig;
    this.changed.fire();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
