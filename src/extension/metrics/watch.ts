/**
 * A metrics watch held only while a condition holds (a view visible and the cluster connected,
 * alerts on…): `set(true)` takes it, `set(false)` releases it, so the poller reads nothing otherwise.
 */
import * as vscode from 'vscode';
import type { ClusterStore } from '../kubernetes/cluster';
import type { MetricsPoller, WatchTarget } from './poller';

/** The workspace is trusted and a context of the kubeconfig gives a client (nothing is contacted). */
export function clusterConnected(cluster: ClusterStore): boolean {
  if (!vscode.workspace.isTrusted) return false;
  try {
    cluster.client();
    return cluster.contextName !== undefined;
  } catch {
    return false;
  }
}

export class HeldWatch implements vscode.Disposable {
  private held?: vscode.Disposable;

  constructor(
    private readonly poller: MetricsPoller,
    private readonly target: WatchTarget,
  ) {}

  get active(): boolean {
    return this.held !== undefined;
  }

  set(wanted: boolean): void {
    if (wanted && !this.held) this.held = this.poller.watch(this.target);
    else if (!wanted && this.held) {
      this.held.dispose();
      this.held = undefined;
    }
  }

  dispose(): void {
    this.set(false);
  }
}
