/**
 * The drift report: a panel that stays open beside the editor and shows the drift monitor's
 * findings in full, redrawn whenever they change; each action is a link that runs it.
 */
import { toRange } from '../convert';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { CloudflareSession } from '../cloudflare/session';
import { runDriftAction } from './drift';
import type { DriftMonitor } from './driftMonitor';
import { driftReportHtml } from './driftReportModel';

type Message =
  { type: 'refresh' } | { type: 'open'; finding: number } | { type: 'action'; finding: number; action: number };

export class DriftReport implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private selected?: string;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly monitor: DriftMonitor,
    private readonly session: CloudflareSession,
    /** Reads everything again after an action changed the account or the cluster. */
    private readonly refreshAll: () => void,
  ) {
    this.subscription = monitor.onDidChange(() => this.render());
  }

  /** Opens (or reveals) the report; `findingId` is scrolled to and highlighted. */
  show(findingId?: string): void {
    this.selected = findingId;
    if (this.panel) {
      this.panel.reveal(undefined, true);
      this.render();
      return;
    }
    this.panel = vscode.window.createWebviewPanel(
      'cftunnel.driftReport',
      'Drift Report',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, retainContextWhenHidden: false },
    );
    this.panel.onDidDispose(() => (this.panel = undefined));
    this.panel.webview.onDidReceiveMessage((m: Message) => void this.handle(m));
    this.render();
  }

  private render(): void {
    if (!this.panel) return;
    this.panel.webview.html = driftReportHtml({
      findings: this.monitor.findings,
      connected: this.monitor.connected,
      ...(this.selected ? { selected: this.selected } : {}),
      relativePath: (p) => vscode.workspace.asRelativePath(p),
      nonce: randomBytes(16).toString('base64'),
      cspSource: this.panel.webview.cspSource,
    });
  }

  private async handle(m: Message): Promise<void> {
    try {
      if (m.type === 'refresh') return void (await this.monitor.refresh());
      const finding = this.monitor.findings[m.finding];
      if (!finding) return;
      this.selected = finding.id;
      if (m.type === 'open') {
        if (!finding.location) return;
        const r = finding.location.range;
        await vscode.window.showTextDocument(vscode.Uri.file(finding.location.path), {
          viewColumn: vscode.ViewColumn.One,
          selection: toRange(r),
        });
        return;
      }
      const action = finding.actions[m.action];
      if (action)
        await runDriftAction(action, this.session, this.monitor.tunnels, this.refreshAll, this.monitor.configs);
    } catch (err) {
      void vscode.window.showErrorMessage(`Cloudflare Tunnel: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.panel?.dispose();
  }
}
