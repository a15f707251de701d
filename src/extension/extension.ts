/** Extension entry: composes the language client and commands. Activation is on YAML files. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createClient } from './client';
import { LANGUAGE_COMMANDS } from './commands';
import { registerCommands } from './commandRegistry';
import { CLOUDFLARE_COMMANDS } from './cloudflare/commands';
import { ACCESS_COMMANDS } from './cloudflare/accessCommands';
import { AccessMonitor } from './cloudflare/accessMonitor';
import { updateCertPemContext } from './cloudflare/auth';
import { RemoteConfigFileSystem } from './cloudflare/remoteConfig';
import { CloudflareSession } from './cloudflare/session';
import { createStatusBar } from './cloudflare/statusBar';
import { TunnelsStore, createTunnelsView } from './cloudflare/tunnelsView';
import { ClusterStore } from './kubernetes/cluster';
import { DriftMonitor } from './kubernetes/driftMonitor';
import { DriftReport } from './kubernetes/driftReport';
import { WorkspaceConfigs } from './workspaceConfigs';
import { KUBERNETES_COMMANDS } from './kubernetes/commands';
import { PodLogs } from './kubernetes/logs';
import { createServicesView } from './kubernetes/servicesView';
import { POLICY_COMMANDS } from './scaffold/policyCommands';
import { SCAFFOLD_COMMANDS } from './scaffold/wizard';
import { APPLY_COMMANDS, OutputDocuments } from './kubernetes/apply';
import { CLUSTER_OBJECT_COMMANDS } from './kubernetes/clusterObjects';
import { registerReadOnlyDiffs } from './readOnlyDiff';
import { registerTraceLenses, TRACE_COMMANDS } from './trace';
import { TRAFFIC_COMMANDS } from './metrics/commands';
import { MetricsPoller } from './metrics/poller';
import { MetricsAlerts } from './metrics/alerts';
import { ConnectorPods } from './metrics/connectorPods';
import { TrafficPanels } from './metrics/trafficPanel';
import { ExtensionProjectSettings } from './projectSettings';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('Cloudflare Tunnel', { log: true });
  context.subscriptions.push(output);
  client = createClient(context, output);
  // Cloudflare: the session (token in SecretStorage), the Tunnels view, the status bar, remote config editing.
  const session = new CloudflareSession(context, output);
  // The workspace's cloudflared configs: one reader, the language server's index.
  const configs = new WorkspaceConfigs();
  configs.attach(client);
  context.subscriptions.push(configs);
  const store = new TunnelsStore(session, configs);
  context.subscriptions.push(
    registerReadOnlyDiffs(),
    session,
    store,
    createStatusBar(store),
    new RemoteConfigFileSystem(session, () => store.refresh()).register(),
  );
  void session.load();
  void updateCertPemContext();
  // Every command goes through registerCommands (src/extension/commandRegistry.ts): one error reporter.
  registerCommands(context, LANGUAGE_COMMANDS, { client: () => client, output });
  registerCommands(context, CLOUDFLARE_COMMANDS, { session, store, output });
  // Kubernetes: the Cluster Services view (watched only while visible), pod logs, expose, drift.
  const cluster = new ClusterStore(context, output, store);
  // Drift: one monitor (diagnostics, quick fixes); the tree and the report read its findings.
  // The project's `.cftunnel.yaml` (suppressions and rules) for the extension's own diagnostics.
  const project = new ExtensionProjectSettings();
  context.subscriptions.push(project);
  const monitor = new DriftMonitor(cluster, configs, project);
  const report = new DriftReport(monitor, session, () => {
    store.refresh();
    cluster.reload();
  });
  context.subscriptions.push(monitor, report);
  // Cloudflare Access: the check on config.yaml rules (signed in only) and "Protect with Cloudflare Access…".
  context.subscriptions.push(new AccessMonitor(store, configs, project));
  registerCommands(context, ACCESS_COMMANDS, { session, store, cluster, output });
  // Traffic: cloudflared's own metrics through the pod proxy, read only while a panel, a tree or the alerts need them.
  const poller = new MetricsPoller(cluster, output);
  const services = createServicesView(cluster, monitor, poller);
  const connectorPods = new ConnectorPods(poller, cluster);
  const logs = new PodLogs();
  context.subscriptions.push(
    cluster,
    services.disposable,
    logs,
    connectorPods,
    createTunnelsView(store, connectorPods),
    new MetricsAlerts(poller, cluster),
  );
  const docs = new OutputDocuments();
  context.subscriptions.push(docs);
  registerCommands(context, KUBERNETES_COMMANDS, {
    cluster,
    session,
    store,
    logs,
    view: services.provider,
    monitor,
    report,
    output,
  });
  registerCommands(context, SCAFFOLD_COMMANDS, { session, store, cluster, output });
  registerCommands(context, POLICY_COMMANDS, { session, store, cluster, output });
  registerCommands(context, APPLY_COMMANDS, { cluster, docs, output });
  // Trace Hostname: the language server traces a URL over its workspace model, or the extension over the cluster.
  registerCommands(context, TRACE_COMMANDS, { client: () => client, configs, cluster, docs, output });
  registerCommands(context, CLUSTER_OBJECT_COMMANDS, { cluster, docs, output });
  const panels = new TrafficPanels(context, poller);
  context.subscriptions.push(panels, poller);
  registerCommands(context, TRAFFIC_COMMANDS, { cluster, store, poller, panels, output });
  context.subscriptions.push(registerTraceLenses(configs));
  // Once the user trusts the workspace, restart so the server indexes it for cross-file checks.
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.restart()));
  try {
    await client.start();
  } catch (e) {
    output.error(`The language server did not start: ${(e as Error).message}`);
    void vscode.window.showErrorMessage(
      'Cloudflare Tunnel: the language server did not start. See the "Cloudflare Tunnel" output for details.',
    );
  } finally {
    configs.ready();
  }
  // Read by `npm run bench -- activation` (bench/activation.ts) from the channel's log file.
  output.info(`activated in ${Math.round(performance.now() - started)} ms`);
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
