/**
 * The workspace's cloudflared configs, as the language server reads them (`cftunnel/workspaceConfigs`,
 * src/shared/workspaceConfigs.ts): asked once, kept until the server says they changed (or it
 * restarts). The only reader of these files in the extension: the Tunnels view, the drift monitor
 * and "Expose through tunnel" all take them from here.
 */
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import type { LanguageClient } from 'vscode-languageclient/node';
import { WORKSPACE_CONFIGS_CHANGED, WORKSPACE_CONFIGS_REQUEST } from '../shared/workspaceConfigs';
import type { WorkspaceConfig } from '../shared/workspaceConfigs';

export class WorkspaceConfigs implements vscode.Disposable {
  private cached?: Promise<WorkspaceConfig[]>;
  private client?: LanguageClient;
  private readonly started: Promise<void>;
  private resolveStarted!: () => void;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** The configs changed: ask again. */
  readonly onDidChange = this.changed.event;

  constructor() {
    this.started = new Promise((resolve) => (this.resolveStarted = resolve));
  }

  /** The client to ask; before it has started (or when it failed to), `get` waits (or answers none). */
  attach(client: LanguageClient): void {
    this.client = client;
    this.disposables.push(
      client.onNotification(WORKSPACE_CONFIGS_CHANGED, () => this.invalidate()),
      client.onDidChangeState((e) => {
        if (e.newState === State.Running) this.invalidate();
      }),
    );
  }

  /** The client has started, or failed to start (then every answer is empty). */
  ready(): void {
    this.resolveStarted();
  }

  get(): Promise<WorkspaceConfig[]> {
    this.cached ??= (async () => {
      await this.started;
      const client = this.client;
      if (!client || !client.isRunning()) return [];
      return client.sendRequest<WorkspaceConfig[]>(WORKSPACE_CONFIGS_REQUEST);
    })().catch(() => {
      this.cached = undefined;
      return [];
    });
    return this.cached;
  }

  private invalidate(): void {
    this.cached = undefined;
    this.changed.fire();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
