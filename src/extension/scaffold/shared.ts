/**
 * What the wizard (wizard.ts) and the NetworkPolicy commands (policyCommands.ts) both use: the
 * extension's services they are given, and the public-label setting. Kept apart so that neither
 * command module imports the other's types back (no import cycle).
 */
import * as vscode from 'vscode';
import { SCAFFOLD_SETTING_DEFAULTS } from '../../core/settings';
import type { CommandDeps } from '../commandRegistry';
import type { CloudflareSession } from '../cloudflare/session';
import type { TunnelsStore } from '../cloudflare/tunnelsView';
import type { ClusterStore } from '../kubernetes/cluster';

/** The dependency bag of the scaffolding commands (src/extension/commandRegistry.ts). */
export interface ScaffoldCommandDeps extends CommandDeps {
  session: CloudflareSession;
  store: TunnelsStore;
  cluster: ClusterStore;
}

/** `cftunnel.networkPolicy.publicLabel` for the folder. */
export function publicLabelSetting(scope?: vscode.Uri): string {
  const v = vscode.workspace.getConfiguration('cftunnel.networkPolicy', scope).get<string>('publicLabel');
  return typeof v === 'string' && v.trim() !== ''
    ? v.trim()
    : SCAFFOLD_SETTING_DEFAULTS['cftunnel.networkPolicy.publicLabel'];
}
