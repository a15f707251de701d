/**
 * "Trace Hostname…" (issue #17): where a public URL goes through the workspace, as the language
 * server traces it over its workspace model (`cftunnel/trace`, src/shared/trace.ts). From the palette
 * (a hostname the workspace's configs route, or a URL typed in), on a hostname in the Tunnels view,
 * and from the "Trace" CodeLens on each rule with a hostname in a cloudflared config. The answer is
 * a quick pick titled with the verdict, one item per hop; choosing a hop opens its file at its line.
 * What the items say is src/extension/traceModel.ts.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { COMMANDS } from '../shared/commands';
import { TRACE_REQUEST } from '../shared/trace';
import type { TraceAnswer, TraceParams } from '../shared/trace';
import type { AccountNode } from '../core/cloudflare/tunnelsTree';
import type { CommandDeps, CommandTable } from './commandRegistry';
import type { OutputDocuments } from './kubernetes/apply';
import type { ClusterStore } from './kubernetes/cluster';
import { showClusterObject } from './kubernetes/clusterObjects';
import { deploymentInputs, hostnameRules } from './kubernetes/model';
import { withCancellableProgress } from './progress';
import { clusterDomainSetting } from './settings';
import {
  NO_CLUSTER_RULES_MESSAGE,
  clusterTraceAnswer,
  defaultTraceSource,
  dnsTunnelOf,
  hostnameChoices,
  inputSelection,
  isPattern,
  noConfigMessage,
  ruleHostnameChoices,
  sourceChoices,
  traceArgument,
  traceItems,
  traceLenses,
  traceTitle,
  validateTraceUrl,
} from './traceModel';
import type { HostnameChoice, RelativePath, SourceChoice, TraceItem, TraceSource } from './traceModel';
import type { WorkspaceConfigs } from './workspaceConfigs';

export interface TraceDeps extends CommandDeps {
  client: () => LanguageClient | undefined;
  configs: WorkspaceConfigs;
  /** The connected cluster (the other source), and where its objects open read-only. */
  cluster: ClusterStore;
  docs: OutputDocuments;
}

const relative: RelativePath = (path, uri) =>
  vscode.workspace.asRelativePath(uri ? vscode.Uri.parse(uri) : vscode.Uri.file(path));

/** The URL to trace: asked with the source's hostnames offered, or completed from a pattern. */
async function askUrl(deps: TraceDeps, start?: string, offered?: HostnameChoice[]): Promise<string | undefined> {
  let value = start;
  if (value === undefined) {
    const choices = offered ?? hostnameChoices(await deps.configs.get(), relative);
    if (choices.length > 1) {
      const picked = await vscode.window.showQuickPick<vscode.QuickPickItem & HostnameChoice>(choices, {
        title: 'Trace Hostname',
        placeHolder: 'A hostname the workspace’s tunnels route, or enter a URL',
        matchOnDescription: true,
      });
      if (!picked) return undefined;
      if (picked.url !== undefined && !isPattern(picked.url)) return picked.url;
      value = picked.url;
    }
  }
  return vscode.window
    .showInputBox({
      title: 'Trace Hostname',
      prompt: 'The URL to follow through the tunnel and the cluster’s routing (a scheme is optional)',
      placeHolder: 'shop.example.com/cart',
      value: value ?? '',
      valueSelection: value ? inputSelection(value) : undefined,
      validateInput: (text) => (text.trim() === '' ? undefined : validateTraceUrl(text)),
      ignoreFocusOut: true,
    })
    .then((text) => (text?.trim() ? text.trim() : undefined));
}

/** The request, cancelled with the progress notification's Cancel (then undefined). */
async function request(client: LanguageClient, url: string, signal: AbortSignal): Promise<TraceAnswer | undefined> {
  const source = new vscode.CancellationTokenSource();
  const abort = (): void => source.cancel();
  signal.addEventListener('abort', abort);
  try {
    return await client.sendRequest<TraceAnswer>(TRACE_REQUEST, { url } satisfies TraceParams, source.token);
  } catch (e) {
    if (signal.aborted) return undefined;
    throw e;
  } finally {
    signal.removeEventListener('abort', abort);
    source.dispose();
  }
}

async function openAt(open: NonNullable<TraceItem['open']>): Promise<void> {
  const uri = open.uri ? vscode.Uri.parse(open.uri) : vscode.Uri.file(open.file);
  const line = Math.max(0, (open.line ?? 1) - 1);
  await vscode.window.showTextDocument(uri, { selection: new vscode.Range(line, 0, line, 0), preview: false });
}

/** The answer as a quick pick; it stays open until a hop is chosen (or Escape). */
function showTrace(answer: TraceAnswer, deps?: TraceDeps, source?: string): Promise<void> {
  type Item = vscode.QuickPickItem & { trace: TraceItem };
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = source ? `${traceTitle(answer.result)} · ${source}` : traceTitle(answer.result);
  pick.placeholder = 'Choose a hop to open the file or cluster object it comes from';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.items = traceItems(answer, relative).map((trace) =>
    trace.separator
      ? { label: trace.label, kind: vscode.QuickPickItemKind.Separator, trace }
      : { label: trace.label, description: trace.description, detail: trace.detail, trace },
  );
  return new Promise<void>((resolve) => {
    pick.onDidAccept(() => {
      const item = pick.selectedItems[0]?.trace;
      if (item?.object && deps) {
        pick.hide();
        showClusterObject(deps, item.object).catch((e: Error) => {
          deps.output.warn(`open ${item.object!.kind} ${item.object!.name}: ${e.message}`);
          void vscode.window.showWarningMessage(`Cloudflare Tunnel: ${e.message}`);
        });
        return;
      }
      const open = item?.open;
      if (!open) return; // a warning or a note: nothing to open
      pick.hide();
      void openAt(open);
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve();
    });
    pick.show();
  });
}

/** Whether the cluster can be a source: a context chosen, a client for it, a trusted workspace. */
function clusterAvailable(cluster: ClusterStore): boolean {
  if (!vscode.workspace.isTrusted || cluster.contextName === undefined) return false;
  try {
    cluster.client();
    return true;
  } catch {
    return false;
  }
}

/** The source to trace through: asked only when both are available and the argument does not decide. */
async function chooseSource(deps: TraceDeps, arg: unknown): Promise<TraceSource | undefined> {
  const cluster = clusterAvailable(deps.cluster);
  const workspace = !cluster || (await deps.configs.get()).length > 0;
  const chosen = defaultTraceSource(arg, { workspace, cluster });
  if (chosen) return chosen;
  const picked = await vscode.window.showQuickPick<vscode.QuickPickItem & SourceChoice>(
    sourceChoices(deps.cluster.contextName ?? 'cluster', false),
    { title: 'Trace Hostname: through', placeHolder: 'The workspace’s manifests, or the connected cluster' },
  );
  return picked?.source;
}

/** A trace through the connected cluster (its objects, the workspace's and the signed-in tunnels' rules). */
async function traceInCluster(deps: TraceDeps, arg: unknown): Promise<void> {
  const cluster = deps.cluster;
  const [snapshot, { accounts, tunnels }, workspaceRules] = await Promise.all([
    cluster.snapshot(),
    cluster.knownTunnels(),
    cluster.tunnels.workspaceRules().catch(() => []),
  ]);
  const rules = hostnameRules(workspaceRules, tunnels);
  if (rules.length === 0) {
    void vscode.window.showInformationMessage(NO_CLUSTER_RULES_MESSAGE);
    return;
  }
  let url = traceArgument(arg);
  if (url === undefined || isPattern(url)) url = await askUrl(deps, url, ruleHostnameChoices(rules));
  if (url === undefined) return;
  const invalid = validateTraceUrl(url);
  if (invalid) throw new Error(`Cannot trace ${url}: ${invalid}`);
  const objects = cluster.routingObjects(snapshot);
  if (!objects) throw new Error(snapshot.routingError ?? 'The cluster’s routing objects have not been listed.');
  if (snapshot.routingError) deps.output.warn(`trace: ${snapshot.routingError}`);
  const answer = clusterTraceAnswer({
    url,
    rules,
    deployments: deploymentInputs(snapshot.deployments, tunnels),
    objects,
    clusterDomain: clusterDomainSetting(),
    fileUri: (path) => vscode.Uri.file(path).toString(),
    ...dnsOf(accounts, url),
  });
  const context = snapshot.client.context.name;
  deps.output.info(`trace ${url} (cluster ${context}): ${traceTitle(answer.result)}`);
  await showTrace(answer, deps, `cluster ${context}`);
}

/** The tunnel the URL's DNS record routes to, from the signed-in accounts' tunnel CNAMEs. */
function dnsOf(accounts: readonly AccountNode[], url: string): { dnsTunnel?: { id: string; name: string } } {
  const routes = accounts.flatMap((a) => a.tunnels.flatMap((t) => t.routes));
  const dnsTunnel = dnsTunnelOf(
    routes,
    accounts.flatMap((a) => a.tunnels),
    url,
  );
  return dnsTunnel ? { dnsTunnel } : {};
}

async function traceHostname(deps: TraceDeps, arg?: unknown): Promise<void> {
  const source = await chooseSource(deps, arg);
  if (source === undefined) return;
  if (source === 'cluster') return traceInCluster(deps, arg);
  let url = traceArgument(arg);
  if (url === undefined || isPattern(url)) url = await askUrl(deps, url);
  if (url === undefined) return;
  const invalid = validateTraceUrl(url);
  if (invalid) throw new Error(`Cannot trace ${url}: ${invalid}`);
  const client = deps.client();
  if (!client?.isRunning())
    throw new Error('The Cloudflare Tunnel language server is not running: it holds the workspace to trace through.');
  const answer = await withCancellableProgress(`Tracing ${url}…`, (signal) => request(client, url, signal));
  if (!answer) return;
  if (answer.tunnels === 0) {
    void vscode.window.showInformationMessage(noConfigMessage(answer));
    return;
  }
  deps.output.info(`trace ${url}: ${traceTitle(answer.result)}`);
  await showTrace(answer, deps);
}

export const TRACE_COMMANDS: CommandTable<TraceDeps> = {
  [COMMANDS.traceHostname]: traceHostname,
};

/** "Trace" above each rule with a hostname in a cloudflared config (the configs the server reads). */
export function registerTraceLenses(configs: WorkspaceConfigs): vscode.Disposable {
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: configs.onDidChange,
    async provideCodeLenses(document) {
      const key = document.uri.toString();
      const mine = (await configs.get()).filter((c) => vscode.Uri.parse(c.uri).toString() === key);
      return traceLenses(mine).map(({ range, url }) => {
        const at = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
        return new vscode.CodeLens(at, {
          title: '$(debug-step-into) Trace',
          tooltip: `Trace ${url}: the tunnel rule, the ingress controller and the Service that answers it`,
          command: COMMANDS.traceHostname,
          arguments: [{ url }],
        });
      });
    },
  };
  return vscode.languages.registerCodeLensProvider({ language: 'yaml', scheme: 'file' }, provider);
}
