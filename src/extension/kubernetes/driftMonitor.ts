/**
 * The one drift monitor: computes `findDrift` from the cluster and tunnel stores and the workspace's
 * cloudflared configs (`WorkspaceConfigs`, the language server's reader), publishes the findings
 * located in a config as diagnostics (source "cftunnel drift"), and serves the fixes the core
 * computes for them as quick fixes. The Services tree and the drift report only read its findings.
 *
 * The cluster state is read again on each cluster or tunnels change while the Services view is
 * visible (the watcher runs only then); configs are recomputed on every edit of a YAML document
 * (300 ms after the last change) and whenever the server says the configs changed, so diagnostics
 * follow the text. Restricted Mode: nothing (the cluster is not contacted).
 */
import { DIAGNOSTIC_SEVERITY, publishedDiagnostic, toRange } from '../convert';
import * as vscode from 'vscode';
import type { ExtensionProjectSettings } from '../projectSettings';
import type { Fix } from '../../core/types';
import type { ClusterStore } from './cluster';
import { DriftEngine, driftRouting } from './driftMonitorModel';
import type { DriftClusterState, DriftPublication } from './driftMonitorModel';
import { driftCloudflare } from './model';
import { driftWorkspaceConfigs } from '../workspaceConfigsModel';
import type { WorkspaceConfigs } from '../workspaceConfigs';
import { clusterDomainSetting } from '../settings';

export const DRIFT_SOURCE = 'cftunnel drift';

export class DriftMonitor implements vscode.Disposable, vscode.CodeActionProvider {
  private readonly collection = vscode.languages.createDiagnosticCollection('cftunnel-drift');
  private readonly fixes = new WeakMap<vscode.Diagnostic, Fix[]>();
  private readonly engine: DriftEngine;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.collection, this.changed];
  private active = false;
  private reading?: Promise<void>;
  /** New findings (or none). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly cluster: ClusterStore,
    readonly configs: WorkspaceConfigs,
    private readonly project: ExtensionProjectSettings,
  ) {
    this.engine = new DriftEngine({
      configs: async () => driftWorkspaceConfigs(await configs.get()),
      publish: (p) => this.publish(p),
      // The first folder's `.cftunnel.yaml` sets the project's cluster domain, as in the language server.
      clusterDomain: () => {
        const folder = vscode.workspace.workspaceFolders?.[0];
        return (folder && project.forFolder(folder.uri.fsPath).clusterDomain) || clusterDomainSetting();
      },
    });
    this.disposables.push(
      project.onDidChange(() => this.engine.changed()),
      cluster.onDidChange(() => {
        if (this.active) void this.refresh();
      }),
      configs.onDidChange(() => this.engine.changed()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.languageId === 'yaml' && e.document.uri.scheme === 'file' && e.contentChanges.length > 0)
          this.engine.changed();
      }),
      vscode.languages.registerCodeActionsProvider({ language: 'yaml', scheme: 'file' }, this, {
        providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
      }),
    );
  }

  /** The last findings (none while there is no cluster state). */
  get findings(): DriftPublication['findings'] {
    return this.engine.last?.findings ?? [];
  }

  /** The tunnels of the last cluster state (for the actions). */
  get tunnels(): DriftClusterState['known'] {
    return this.engine.state?.known ?? [];
  }

  /** Whether a cluster state has been read. */
  get connected(): boolean {
    return this.engine.state !== undefined;
  }

  /** The Services view became visible or hidden: the cluster is read again only while it is visible. */
  setActive(active: boolean): void {
    this.active = active;
    if (active) void this.refresh();
  }

  /** Reads the cluster and tunnel state again and recomputes (one read at a time). */
  refresh(): Promise<void> {
    this.reading ??= this.read().finally(() => (this.reading = undefined));
    return this.reading;
  }

  private async read(): Promise<void> {
    if (!vscode.workspace.isTrusted || !this.cluster.contextName || this.cluster.failure)
      return this.engine.setCluster(undefined);
    let state: DriftClusterState | undefined;
    try {
      const { snapshot, tunnels, accounts, access, complete } = await this.cluster.tree();
      const cf = driftCloudflare(accounts, tunnels);
      state = {
        services: snapshot.services.map((s) => ({
          name: s.name,
          namespace: s.namespace,
          ...(s.clusterIP ? { clusterIP: s.clusterIP } : {}),
          ...(s.clusterIPs ? { clusterIPs: s.clusterIPs } : {}),
          ports: s.ports.map((p) => ({ port: p.port, ...(p.name ? { name: p.name } : {}) })),
        })),
        deployments: snapshot.deployments.map((d) => ({
          name: d.name,
          namespace: d.namespace,
          ready: d.ready,
          desired: d.desired,
          ...(d.tunnelRef ? { tunnelRef: d.tunnelRef } : {}),
        })),
        tunnels: cf.tunnels,
        dnsRecords: cf.dnsRecords,
        zones: cf.zones,
        known: tunnels,
      };
      // Ingresses, Gateway API, Traefik: the route checks follow hostnames through them.
      const routing = driftRouting(snapshot.services, snapshot.routing);
      if (routing) state.routing = routing;
      // Access applications no tunnel hostname uses any more: only when every remote rule was read.
      if (complete)
        state.access = [...access].flatMap(([accountId, s]) =>
          s.kind === 'loaded' && s.enabled !== false ? [{ accountId, apps: s.apps }] : [],
        );
    } catch {
      state = undefined;
    }
    return this.engine.setCluster(state);
  }

  private publish(p: DriftPublication | undefined): void {
    this.collection.clear();
    for (const [path, diagnostics] of p?.diagnostics ?? []) {
      this.collection.set(
        vscode.Uri.file(path),
        // Suppression comments and the project's `.cftunnel.yaml` rules, as for the checker's findings.
        this.project.filter(path, diagnostics).map((d) => {
          const diagnostic = new vscode.Diagnostic(toRange(d.range), d.message, DIAGNOSTIC_SEVERITY[d.severity]);
          diagnostic.code = d.code;
          diagnostic.source = DRIFT_SOURCE;
          if (d.fixes?.length) this.fixes.set(diagnostic, d.fixes);
          return diagnostic;
        }),
      );
    }
    this.changed.fire();
  }

  /** The core's fixes of the drift diagnostics under the cursor, as quick fixes. */
  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    const published = this.collection.get(document.uri) ?? [];
    for (const d of context.diagnostics) {
      if (d.source !== DRIFT_SOURCE) continue;
      const own = publishedDiagnostic(published, d);
      for (const fix of (own && this.fixes.get(own)) ?? []) {
        if (!fix.edits?.length) continue;
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
        action.isPreferred = fix.isPreferred === true;
        action.edit = new vscode.WorkspaceEdit();
        for (const e of fix.edits) action.edit.replace(document.uri, toRange(e.range), e.newText);
        out.push(action);
      }
    }
    return out;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
