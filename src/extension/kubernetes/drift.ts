/**
 * The actions of drift findings (src/core/drift): rule edits in a workspace config, DNS routes and
 * records through the API, the remote configuration, pod logs. The findings come from the drift
 * monitor (driftMonitor.ts); the report (driftReport.ts) and the Services tree offer their actions.
 */
import { toRange } from '../convert';
import * as vscode from 'vscode';
import type { DriftAction } from '../../core/drift';
import { yamlScalar } from '../../core/expose';
import { COMMANDS } from '../../shared/commands';
import { replaceRecordsQuestion, routeOutcomeMessage } from '../cloudflare/model';
import { accessDashboardUrl } from '../cloudflare/accessModel';
import type { CloudflareSession } from '../cloudflare/session';
import { editableAt } from '../workspaceConfigsModel';
import type { WorkspaceConfigs } from '../workspaceConfigs';
import { findTunnel } from './model';
import type { KnownTunnel } from './model';

/** Runs one action of a finding. */
export async function runDriftAction(
  action: DriftAction,
  session: CloudflareSession,
  tunnels: readonly KnownTunnel[],
  refresh: () => void,
  configs: WorkspaceConfigs,
): Promise<void> {
  const openRemote = async (tunnelId: string): Promise<void> => {
    const t = findTunnel(tunnels, tunnelId);
    if (!t) throw new Error(`Tunnel ${tunnelId} is not in the signed-in account(s).`);
    await vscode.commands.executeCommand(COMMANDS.editRemoteConfig, {
      type: 'tunnel',
      accountId: t.accountId,
      tunnel: t.tunnel,
    });
  };
  const openFile = async (path: string, r?: Parameters<typeof toRange>[0]): Promise<void> => {
    await vscode.window.showTextDocument(vscode.Uri.file(path), r ? { selection: toRange(r) } : {});
  };
  switch (action.kind) {
    case 'open-config':
      if ('tunnelId' in action.data) await openRemote(action.data.tunnelId);
      else await openFile(action.data.path, action.data.range);
      return;
    case 'reveal-object':
      // Read-only YAML of the object as the cluster listed it (src/extension/kubernetes/clusterObjects.ts).
      await vscode.commands.executeCommand(COMMANDS.showClusterObject, action.data.object);
      return;
    case 'show-logs':
      await vscode.commands.executeCommand(COMMANDS.showPodLogs, {
        type: 'deployment',
        namespace: action.data.namespace,
        name: action.data.name,
      });
      return;
    case 'rewrite-service':
    case 'remove-rule': {
      const target = action.data.target;
      if (target.source === 'remote') return openRemote(target.tunnelId);
      // A rule in a ConfigMap value without exact positions: shown, not edited.
      if (!editableAt(await configs.get(), target.path, target.range)) return openFile(target.path, target.range);
      const edit = new vscode.WorkspaceEdit();
      const uri = vscode.Uri.file(target.path);
      if (action.kind === 'rewrite-service' && target.serviceRange)
        edit.replace(uri, toRange(target.serviceRange), yamlScalar(action.data.to));
      else if (action.kind === 'remove-rule')
        edit.delete(
          uri,
          new vscode.Range(
            target.range.start.line,
            0,
            target.range.end.line + (target.range.end.character > 0 ? 1 : 0),
            0,
          ),
        );
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
      if (!zoneId)
        throw new Error(
          `No zone of the signed-in account holds ${hostname}: add the DNS record in the zone that does.`,
        );
      // One way for every route: an unproxied CNAME gets the proxy, other A/AAAA/CNAME records are
      // replaced (all of them, after asking), else the CNAME is created.
      const outcome = await session.api().routeHostname(zoneId, hostname, tunnelId, {
        confirmReplace: async (plan) => {
          const q = replaceRecordsQuestion(plan, name);
          return (
            (await vscode.window.showWarningMessage(q.message, { modal: true, detail: q.detail }, q.button)) ===
            q.button
          );
        },
      });
      if (outcome.kind === 'declined') return;
      void vscode.window.showInformationMessage(routeOutcomeMessage(outcome, hostname, name));
      refresh();
      return;
    }
    case 'delete-dns-record': {
      const del = 'Delete DNS Record';
      if (
        (await vscode.window.showWarningMessage(
          `Delete the DNS record ${action.data.hostname}?`,
          { modal: true },
          del,
        )) !== del
      )
        return;
      await session.api().deleteRecord(action.data.zoneId, action.data.recordId);
      refresh();
      return;
    }
    case 'open-access-apps':
      await vscode.env.openExternal(vscode.Uri.parse(accessDashboardUrl(action.data.accountId)));
      return;
    case 'add-rule':
    case 'copy-rules-to-remote':
      return openRemote(action.data.tunnelId);
  }
}
