/**
 * The drift report: `findDrift` over the chosen cluster (Services, cloudflared Deployments), the
 * tunnels of the signed-in accounts (remote rules, DNS routes) and the workspace's cloudflared
 * configs. The view shows the findings under "Problems"; `showDriftReport` lists them and runs
 * their actions.
 */
import * as vscode from 'vscode';
import { driftConfigFromText, driftDiagnostics, findDrift } from '../../core/drift';
import type { DriftAction, DriftFinding, DriftWorkspaceConfig } from '../../core/drift';
import { yamlScalar } from '../../core/expose';
import { COMMANDS } from '../../shared/commands';
import { replaceRecordsQuestion, routeOutcomeMessage } from '../cloudflare/model';
import type { CloudflareSession } from '../cloudflare/session';
import type { ClusterStore } from './cluster';
import { driftCloudflare, findTunnel } from './model';
import type { KnownTunnel } from './model';

const MAX_CONFIG_BYTES = 1_000_000;

const CONFIGS_TTL_MS = 10_000;
let configsCache: { at: number; configs: Promise<DriftWorkspaceConfig[]> } | undefined;

/** The workspace's cloudflared configs, read at most every 10 s (watch events redraw the view often). */
function workspaceConfigs(): Promise<DriftWorkspaceConfig[]> {
  if (!configsCache || Date.now() - configsCache.at > CONFIGS_TTL_MS) configsCache = { at: Date.now(), configs: readWorkspaceConfigs() };
  return configsCache.configs;
}

/** The workspace's cloudflared configs (files with a top-level `tunnel:`). */
async function readWorkspaceConfigs(): Promise<DriftWorkspaceConfig[]> {
  const files = await vscode.workspace.findFiles('**/*.{yaml,yml}', '**/{node_modules,.git}/**', 2000);
  const out: DriftWorkspaceConfig[] = [];
  for (const uri of files) {
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      if (bytes.byteLength > MAX_CONFIG_BYTES) continue;
      const text = new TextDecoder().decode(bytes);
      if (!/^tunnel\s*:/m.test(text)) continue;
      const cfg = driftConfigFromText(uri.fsPath, text);
      if (cfg) out.push(cfg);
    } catch {
      // unreadable: not part of the report
    }
  }
  return out;
}

/** Computes the findings for the view's current context (undefined when the cluster is not readable). */
export async function computeDrift(cluster: ClusterStore): Promise<{ findings: DriftFinding[]; tunnels: KnownTunnel[] }> {
  const { snapshot, tunnels, accounts } = await cluster.tree();
  const cf = driftCloudflare(accounts, tunnels);
  const findings = findDrift({
    clusterConnected: true,
    services: snapshot.services.map((s) => ({
      name: s.name,
      namespace: s.namespace,
      ...(s.clusterIP ? { clusterIP: s.clusterIP } : {}),
      ...(s.clusterIPs ? { clusterIPs: s.clusterIPs } : {}),
      ports: s.ports.map((p) => ({ port: p.port, ...(p.name ? { name: p.name } : {}) })),
    })),
    deployments: snapshot.deployments.map((d) => ({ name: d.name, namespace: d.namespace, ready: d.ready, desired: d.desired, ...(d.tunnelRef ? { tunnelRef: d.tunnelRef } : {}) })),
    tunnels: cf.tunnels,
    dnsRecords: cf.dnsRecords,
    ...(cf.zones.length ? { zones: cf.zones } : {}),
    workspaceConfigs: await workspaceConfigs(),
  });
  publishDriftDiagnostics(findings);
  return { findings, tunnels };
}

let driftCollection: vscode.DiagnosticCollection | undefined;

const SEVERITY: Record<string, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/**
 * While the cluster is connected, the findings that concern a workspace config.yaml line also
 * show as diagnostics there (source "cftunnel drift"); the drift report offers their actions.
 */
export function publishDriftDiagnostics(findings: readonly DriftFinding[]): void {
  driftCollection ??= vscode.languages.createDiagnosticCollection('cftunnel-drift');
  driftCollection.clear();
  const paths = new Set(findings.flatMap((f) => (f.location ? [f.location.path] : [])));
  for (const path of paths) {
    driftCollection.set(
      vscode.Uri.file(path),
      driftDiagnostics(findings, path).map((d) => {
        const diagnostic = new vscode.Diagnostic(range(d.range), d.message, SEVERITY[d.severity] ?? vscode.DiagnosticSeverity.Warning);
        diagnostic.code = d.code;
        diagnostic.source = 'cftunnel drift';
        return diagnostic;
      }),
    );
  }
}

/** Called when the cluster is disconnected or the view closes: no stale drift diagnostics. */
export function clearDriftDiagnostics(): void {
  driftCollection?.clear();
}

const range = (r: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range =>
  new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);

/** Runs one action of a finding. */
export async function runDriftAction(action: DriftAction, session: CloudflareSession, tunnels: readonly KnownTunnel[], refresh: () => void): Promise<void> {
  const openRemote = async (tunnelId: string): Promise<void> => {
    const t = findTunnel(tunnels, tunnelId);
    if (!t) throw new Error(`Tunnel ${tunnelId} is not in the signed-in account(s).`);
    await vscode.commands.executeCommand(COMMANDS.editRemoteConfig, { type: 'tunnel', accountId: t.accountId, tunnel: t.tunnel });
  };
  const openFile = async (path: string, r?: Parameters<typeof range>[0]): Promise<void> => {
    await vscode.window.showTextDocument(vscode.Uri.file(path), r ? { selection: range(r) } : {});
  };
  switch (action.kind) {
    case 'open-config':
      if ('tunnelId' in action.data) await openRemote(action.data.tunnelId);
      else await openFile(action.data.path, action.data.range);
      return;
    case 'show-logs':
      await vscode.commands.executeCommand(COMMANDS.showPodLogs, { type: 'deployment', namespace: action.data.namespace, name: action.data.name });
      return;
    case 'rewrite-service':
    case 'remove-rule': {
      const target = action.data.target;
      if (target.source === 'remote') return openRemote(target.tunnelId);
      const edit = new vscode.WorkspaceEdit();
      const uri = vscode.Uri.file(target.path);
      if (action.kind === 'rewrite-service' && target.serviceRange) edit.replace(uri, range(target.serviceRange), yamlScalar(action.data.to));
      else if (action.kind === 'remove-rule') edit.delete(uri, new vscode.Range(target.range.start.line, 0, target.range.end.line + (target.range.end.character > 0 ? 1 : 0), 0));
      else return openFile(target.path, target.range);
      await vscode.workspace.applyEdit(edit);
      await openFile(target.path, target.range);
      return;
    }
    case 'create-dns-route': {
      const { tunnelId, hostname } = action.data;
      const t = findTunnel(tunnels, tunnelId);
      const name = t?.tunnel.name ?? tunnelId;
      const zoneId = action.data.zoneId;
      if (!zoneId) throw new Error(`No zone of the signed-in account holds ${hostname}: add the DNS record in the zone that does.`);
      // One way for every route: an unproxied CNAME gets the proxy, other A/AAAA/CNAME records are
      // replaced (all of them, after asking), else the CNAME is created.
      const outcome = await session.api().routeHostname(zoneId, hostname, tunnelId, {
        confirmReplace: async (plan) => {
          const q = replaceRecordsQuestion(plan, name);
          return (await vscode.window.showWarningMessage(q.message, { modal: true, detail: q.detail }, q.button)) === q.button;
        },
      });
      if (outcome.kind === 'declined') return;
      void vscode.window.showInformationMessage(routeOutcomeMessage(outcome, hostname, name));
      refresh();
      return;
    }
    case 'delete-dns-record': {
      const del = 'Delete DNS Record';
      if ((await vscode.window.showWarningMessage(`Delete the DNS record ${action.data.hostname}?`, { modal: true }, del)) !== del) return;
      await session.api().deleteRecord(action.data.zoneId, action.data.recordId);
      refresh();
      return;
    }
    case 'add-rule':
    case 'copy-rules-to-remote':
      return openRemote(action.data.tunnelId);
  }
}

/** Lists the findings (or takes the one given), then offers its actions. */
export async function showDriftReport(findings: readonly DriftFinding[], tunnels: readonly KnownTunnel[], session: CloudflareSession, refresh: () => void, preselected?: DriftFinding): Promise<void> {
  let finding = preselected;
  if (!finding) {
    if (findings.length === 0) {
      void vscode.window.showInformationMessage('Cloudflare Tunnel: no drift between the cluster, the tunnels and their DNS routes.');
      return;
    }
    const icon = { error: '$(error)', warning: '$(warning)', information: '$(info)' } as const;
    const pick = await vscode.window.showQuickPick(
      findings.map((f) => ({ label: `${icon[f.severity]} ${f.message}`, description: f.hostname, detail: f.actions.map((a) => a.title).join(' · ') || 'no action', finding: f })),
      { title: `Drift report: ${findings.length} finding(s)`, matchOnDescription: true, matchOnDetail: true },
    );
    finding = pick?.finding;
  }
  if (!finding) return;
  if (finding.actions.length === 0) {
    void vscode.window.showInformationMessage(finding.message);
    return;
  }
  const action = await vscode.window.showQuickPick(
    finding.actions.map((a) => ({ label: a.title, description: a.preferred ? 'preferred' : undefined, action: a })),
    { title: finding.message },
  );
  if (action) await runDriftAction(action.action, session, tunnels, refresh);
}
