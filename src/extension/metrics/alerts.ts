/**
 * Opt-in traffic alerts (issue #18): with `cftunnel.metrics.alerts.enabled`, while the workspace is
 * trusted and a cluster connected, the poller reads every cloudflared pod (`{ kind: 'all' }`); after
 * each poll the episode machine (src/core/metrics/alerts.ts) is stepped with one observation per
 * Deployment. A status-bar item shows the worst state (total traffic, or the number of alerts); a
 * notification says what was raised, once per episode and at most one per poll. Off (the default):
 * no watch, no item, nothing read.
 */
import * as vscode from 'vscode';
import {
  ALERT_DEFAULTS,
  alertSettings,
  alertStatus,
  emptyAlertState,
  notificationText,
  stepAlerts,
} from '../../core/metrics/alerts';
import type { AlertSettings, AlertState } from '../../core/metrics/alerts';
import { COMMANDS } from '../../shared/commands';
import type { ClusterStore } from '../kubernetes/cluster';
import { alertObservations } from './healthModel';
import type { MetricsPoller } from './poller';
import { HeldWatch, clusterConnected } from './watch';

/** The `cftunnel.metrics.alerts.*` settings, checked. */
export function alertSettingsNow(): AlertSettings {
  const c = vscode.workspace.getConfiguration('cftunnel.metrics.alerts');
  return alertSettings({
    enabled: c.get('enabled', ALERT_DEFAULTS.enabled),
    errorRatio: c.get('errorRatio', ALERT_DEFAULTS.errorRatio),
    minReadyConnections: c.get('minReadyConnections', ALERT_DEFAULTS.minReadyConnections),
  });
}

export class MetricsAlerts implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'cftunnel.metricsAlerts',
    vscode.StatusBarAlignment.Left,
    19,
  );
  private readonly watch: HeldWatch;
  private state: AlertState = emptyAlertState();
  private tunnelNames = new Map<string, string>();
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(
    private readonly poller: MetricsPoller,
    private readonly cluster: ClusterStore,
  ) {
    this.item.name = 'cloudflared traffic alerts';
    this.item.command = COMMANDS.showTraffic;
    this.watch = new HeldWatch(poller, { kind: 'all' });
    this.disposables.push(
      this.watch,
      poller.onDidUpdate(() => this.polled()),
      cluster.onDidChange(() => this.update()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.update()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('cftunnel.metrics.alerts')) this.update();
      }),
    );
    this.update();
  }

  /** Takes or releases the watch as the setting, the trust and the cluster allow. */
  private update(): void {
    const on = alertSettingsNow().enabled && clusterConnected(this.cluster);
    this.watch.set(on);
    if (!on) {
      this.state = emptyAlertState();
      this.item.hide();
      return;
    }
    this.render();
  }

  private polled(): void {
    if (!this.watch.active) return;
    const settings = alertSettingsNow();
    void this.cluster
      .knownTunnels()
      .then((k) => (this.tunnelNames = new Map(k.tunnels.map((t) => [t.tunnel.id.toLowerCase(), t.tunnel.name]))))
      .catch(() => undefined);
    const observations = alertObservations(this.poller.pods(), this.poller.deployments ?? [], (id) =>
      this.tunnelNames.get(id.toLowerCase()),
    );
    const { state, events } = stepAlerts(this.state, observations, settings);
    this.state = state;
    this.render();
    const text = notificationText(events);
    if (text) {
      void vscode.window
        .showWarningMessage(`Cloudflare Tunnel: ${text}`, 'Show Traffic', 'Alert Settings')
        .then((choice) => {
          if (choice === 'Show Traffic') void vscode.commands.executeCommand(COMMANDS.showTraffic);
          else if (choice === 'Alert Settings')
            void vscode.commands.executeCommand('workbench.action.openSettings', 'cftunnel.metrics.alerts');
        });
    }
  }

  private render(): void {
    const settings = alertSettingsNow();
    const s = alertStatus(this.state, settings);
    const icon = s.level === 'alert' ? '$(warning)' : '$(pulse)';
    this.item.text = `${icon} ${s.text}`;
    this.item.tooltip = `${s.tooltip}\nClick to show the traffic of a Deployment or tunnel.`;
    this.item.backgroundColor =
      s.level === 'alert' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
