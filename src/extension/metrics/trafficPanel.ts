/**
 * The Traffic panels: one webview per Deployment or tunnel shown, drawn by dist/traffic.js from
 * the `TrafficView` (trafficModel.ts) posted after every poll. A panel holds a watch on the
 * poller only while it is visible, so a hidden or closed panel reads nothing. The page may load
 * only the extension's dist/ folder (`localResourceRoots`) and its CSP allows only that script
 * (with a fresh nonce) and stylesheet (trafficHtml.ts).
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { isFromWebview } from '../../shared/traffic';
import type { ToWebview, TrafficWindow } from '../../shared/traffic';
import type { MetricsPoller } from './poller';
import { podMatches } from './pollerModel';
import type { WatchTarget } from './pollerModel';
import { trafficHtml } from './trafficHtml';
import { trafficView } from './trafficModel';

export interface TrafficTarget {
  target: WatchTarget;
  /** "cloudflared/cloudflared", "tunnel prod-k8s". */
  title: string;
}

const WINDOW_STATE_KEY = 'cftunnel.traffic.window';

const keyOf = (t: WatchTarget): string =>
  t.kind === 'deployment' ? `d:${t.namespace}/${t.name}` : t.kind === 'tunnel' ? `t:${t.tunnelId}` : 'all';

export class TrafficPanels implements vscode.Disposable {
  private readonly panels = new Map<string, TrafficPanel>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly poller: MetricsPoller,
  ) {}

  show(t: TrafficTarget): void {
    const key = keyOf(t.target);
    const open = this.panels.get(key);
    if (open) return open.reveal(t);
    const panel = new TrafficPanel(this.context, this.poller, t, () => this.panels.delete(key));
    this.panels.set(key, panel);
  }

  dispose(): void {
    for (const p of [...this.panels.values()]) p.dispose();
    this.panels.clear();
  }
}

class TrafficPanel {
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private watch?: vscode.Disposable;
  private window: TrafficWindow;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly poller: MetricsPoller,
    private t: TrafficTarget,
    onDispose: () => void,
  ) {
    this.window = context.workspaceState.get<TrafficWindow>(WINDOW_STATE_KEY) ?? '15m';
    const dist = vscode.Uri.joinPath(context.extensionUri, 'dist');
    this.panel = vscode.window.createWebviewPanel(
      'cftunnel.traffic',
      `Traffic: ${t.title}`,
      { viewColumn: vscode.ViewColumn.Active },
      { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [dist] },
    );
    this.panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'cftunnel.svg');
    this.disposables.push(
      this.panel.onDidDispose(() => {
        this.dispose();
        onDispose();
      }),
      this.panel.onDidChangeViewState(() => this.updateWatch()),
      this.panel.webview.onDidReceiveMessage((m: unknown) => this.handle(m)),
      poller.onDidUpdate(() => this.post()),
    );
    this.render();
    this.updateWatch();
  }

  reveal(t: TrafficTarget): void {
    this.t = t;
    this.panel.reveal(undefined, false);
  }

  private render(): void {
    const webview = this.panel.webview;
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist');
    webview.html = trafficHtml({
      title: this.t.title,
      window: this.window,
      nonce: randomBytes(16).toString('base64'),
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'traffic.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'traffic.css')).toString(),
    });
  }

  /** Reads while visible, nothing while hidden. */
  private updateWatch(): void {
    if (this.panel.visible && !this.watch) this.watch = this.poller.watch(this.t.target);
    else if (!this.panel.visible && this.watch) {
      this.watch.dispose();
      this.watch = undefined;
    }
  }

  private handle(m: unknown): void {
    if (!isFromWebview(m)) return;
    if (m.type === 'window') {
      this.window = m.window;
      void this.context.workspaceState.update(WINDOW_STATE_KEY, m.window);
    }
    this.post();
  }

  private post(): void {
    if (!this.panel.visible) return;
    const target = this.t.target;
    const notices: string[] = [];
    if (this.poller.problem) notices.push(this.poller.problem);
    const listed = this.poller.deployments;
    if (
      listed &&
      target.kind === 'deployment' &&
      !listed.some((d) => d.namespace === target.namespace && d.name === target.name)
    )
      notices.push(`Deployment ${target.namespace}/${target.name} is not in the cluster (any more).`);
    const pods = this.poller.pods().filter((p) => podMatches(target, p));
    if (listed && target.kind === 'tunnel' && pods.length === 0)
      notices.push(
        'No cloudflared pod of this cluster is known to run this tunnel: its Deployment names no tunnel (a token in a Secret) and none of its connectors is a pod read here.',
      );
    const message: ToWebview = {
      type: 'view',
      view: trafficView({
        title: this.t.title,
        pods,
        window: this.window,
        pollSeconds: this.poller.pollSeconds,
        now: Date.now(),
        notices,
        listed: listed !== undefined || this.poller.problem !== undefined,
      }),
    };
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    this.watch?.dispose();
    this.watch = undefined;
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
    this.panel.dispose();
  }
}
