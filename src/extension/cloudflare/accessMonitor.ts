/**
 * The Cloudflare Access check on workspace config.yaml rules (issue #19), published as the drift
 * diagnostics are (a DiagnosticCollection, source "cftunnel access"): `access-not-protected` on a
 * rule whose hostname no Access application covers (information unless `cftunnel.access.severity`
 * raises it; `cftunnel.access.publicHostnames` or `publicHostnames` in the project's `.cftunnel.yaml`
 * silences it; suppression comments and `.cftunnel.yaml` rules apply as to the checker's) and `access-wildcard-gap` on a tunnel
 * wildcard whose deeper names Access leaves open. Only while signed in and trusted, from the Tunnels
 * store's Access read (once per refresh per account); when the applications cannot be read nothing
 * is said (the trees say "unknown"). Recomputed on every refresh, Access read, config change, YAML
 * edit (300 ms after the last) and settings change. The quick fix runs "Protect with Cloudflare Access…".
 */
import { DIAGNOSTIC_SEVERITY, publishedDiagnostic, toRange } from '../convert';
import * as vscode from 'vscode';
import { COMMANDS } from '../../shared/commands';
import { driftWorkspaceConfigs } from '../workspaceConfigsModel';
import type { WorkspaceConfigs } from '../workspaceConfigs';
import { accessDiagnostics, publicHostnamesSetting, severityPatternsSetting } from './accessModel';
import type { AccessCheckConfig, AccessDiagnostic, AccessState } from './accessModel';
import type { AccessTarget } from './accessCommands';
import type { TunnelsStore } from './tunnelsView';
import type { ExtensionProjectSettings } from '../projectSettings';

export const ACCESS_SOURCE = 'cftunnel access';
const DEBOUNCE_MS = 300;

export class AccessMonitor implements vscode.Disposable, vscode.CodeActionProvider {
  private readonly collection = vscode.languages.createDiagnosticCollection('cftunnel-access');
  private readonly targets = new WeakMap<vscode.Diagnostic, AccessTarget>();
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private timer?: NodeJS.Timeout;
  private run = 0;

  constructor(
    private readonly store: TunnelsStore,
    private readonly configs: WorkspaceConfigs,
    private readonly project: ExtensionProjectSettings,
  ) {
    const soon = (): void => this.schedule();
    this.disposables.push(
      project.onDidChange(soon),
      store.onDidChange(soon),
      store.onDidLoadAccess(soon),
      store.session.onDidChange(soon),
      configs.onDidChange(soon),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.languageId === 'yaml' && e.document.uri.scheme === 'file' && e.contentChanges.length > 0) soon();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('cftunnel.access') && soon()),
      vscode.workspace.onDidGrantWorkspaceTrust(soon),
      vscode.languages.registerCodeActionsProvider({ language: 'yaml', scheme: 'file' }, this, {
        providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
      }),
    );
    soon();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.recompute(), DEBOUNCE_MS);
  }

  /** Reads the configs and each account's Access applications (cached by the store), then publishes. */
  async recompute(): Promise<void> {
    const run = ++this.run;
    const session = this.store.session;
    if (!session.signedIn || !session.trusted) return this.publish(run, new Map());
    try {
      const configs: AccessCheckConfig[] = driftWorkspaceConfigs(await this.configs.get()).filter((c) =>
        c.rules.some((r) => r.hostname && r.hostname !== '*'),
      );
      if (configs.length === 0) return this.publish(run, new Map());
      const accounts = await this.store.accounts();
      const states = new Map<string, AccessState>(
        await Promise.all(
          accounts.map(async (a): Promise<[string, AccessState]> => [a.id, await this.store.access(a.id)]),
        ),
      );
      // Several accounts: the config's tunnel says which, else the zone that holds the hostname.
      const trees =
        accounts.length > 1
          ? await Promise.all(accounts.map((a) => this.store.accountTree(a.id, a.name).catch(() => undefined)))
          : [];
      const accountOf = (config: AccessCheckConfig, hostname: string): string | undefined => {
        if (accounts.length === 1) return accounts[0]!.id;
        const ref = config.tunnel?.toLowerCase();
        const byTunnel = ref
          ? trees.find((t) => t?.tunnels.some((x) => x.id.toLowerCase() === ref || x.name.toLowerCase() === ref))
          : undefined;
        if (byTunnel) return byTunnel.id;
        const h = hostname.replace(/^\*\./, '').toLowerCase();
        return trees.find((t) => t?.zones.some((z) => h === z.name || h.endsWith(`.${z.name}`)))?.id;
      };
      const section = vscode.workspace.getConfiguration('cftunnel.access');
      const publicHostnames = publicHostnamesSetting(section.get('publicHostnames'));
      const severityPatterns = severityPatternsSetting(section.get('severity'));
      // Per config file: its `.cftunnel.yaml` adds public hostnames, and its suppressions and rules apply.
      const diagnostics = new Map<string, AccessDiagnostic[]>();
      for (const config of configs) {
        const project = this.project.forFile(config.path);
        const found = accessDiagnostics([config], accountOf, states, {
          publicHostnames: [...publicHostnames, ...project.publicHostnames],
          severityPatterns,
        });
        for (const [path, list] of found)
          diagnostics.set(path, [...(diagnostics.get(path) ?? []), ...this.project.filter(path, list)]);
      }
      this.publish(run, diagnostics);
    } catch {
      // Signed out meanwhile, accounts unreadable: say nothing rather than guess.
      this.publish(run, new Map());
    }
  }

  private publish(run: number, diagnostics: Map<string, AccessDiagnostic[]>): void {
    if (run !== this.run) return; // a newer run is under way
    this.collection.clear();
    for (const [path, list] of diagnostics) {
      this.collection.set(
        vscode.Uri.file(path),
        list.map((d) => {
          const diagnostic = new vscode.Diagnostic(toRange(d.range), d.message, DIAGNOSTIC_SEVERITY[d.severity]);
          diagnostic.code = d.code;
          diagnostic.source = ACCESS_SOURCE;
          this.targets.set(diagnostic, { kind: 'access-target', hostname: d.hostname, accountId: d.accountId });
          return diagnostic;
        }),
      );
    }
  }

  /** "Protect with Cloudflare Access…" on an `access-not-protected` diagnostic. */
  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    const published = this.collection.get(document.uri) ?? [];
    for (const d of context.diagnostics) {
      if (d.source !== ACCESS_SOURCE || d.code !== 'access-not-protected') continue;
      const own = publishedDiagnostic(published, d);
      const target = own && this.targets.get(own);
      if (!target) continue;
      const action = new vscode.CodeAction(
        `Protect ${target.hostname} with Cloudflare Access…`,
        vscode.CodeActionKind.QuickFix,
      );
      action.diagnostics = [d];
      action.command = { command: COMMANDS.protectWithAccess, title: action.title, arguments: [target] };
      out.push(action);
    }
    return out;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
