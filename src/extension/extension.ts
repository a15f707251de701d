/** Extension entry: composes the language client and commands. Activation is on YAML files. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createClient } from './client';
import { registerCommands } from './commands';
import { updateCertPemContext } from './cloudflare/auth';
import { RemoteConfigFileSystem } from './cloudflare/remoteConfig';
import { CloudflareSession } from './cloudflare/session';
import { createStatusBar } from './cloudflare/statusBar';
import { TunnelsStore, createTunnelsView } from './cloudflare/tunnelsView';
import { ClusterStore } from './kubernetes/cluster';
import { registerKubernetesCommands } from './kubernetes/commands';
import { PodLogs } from './kubernetes/logs';
import { createServicesView } from './kubernetes/servicesView';
import { registerScaffoldCommands } from './scaffold/wizard';
import { registerApplyCommand } from './kubernetes/apply';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('Cloudflare Tunnel', { log: true });
  context.subscriptions.push(output);
  client = createClient(context, output);
  // Cloudflare: the session (token in SecretStorage), the Tunnels view, the status bar, remote config editing.
  const session = new CloudflareSession(context, output);
  const store = new TunnelsStore(session);
  context.subscriptions.push(session, store, createTunnelsView(store), createStatusBar(store), new RemoteConfigFileSystem(session, () => store.refresh()).register());
  void session.load();
  void updateCertPemContext();
  registerCommands(context, () => client, { session, store });
  // Kubernetes: the Cluster Services view (watched only while visible), pod logs, expose, drift.
  const cluster = new ClusterStore(context, output, store);
  const services = createServicesView(cluster);
  const logs = new PodLogs();
  context.subscriptions.push(cluster, services.disposable, logs);
  registerKubernetesCommands(context, { cluster, session, store, logs, view: services.provider });
  registerScaffoldCommands(context, { session, store, cluster });
  registerApplyCommand(context, { cluster });
  // Once the user trusts the workspace, restart so the server indexes it for cross-file checks.
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.restart()));
  try {
    await client.start();
  } catch (e) {
    output.error(`The language server did not start: ${(e as Error).message}`);
    void vscode.window.showErrorMessage('Cloudflare Tunnel: the language server did not start. See the "Cloudflare Tunnel" output for details.');
  }
  // Read by `npm run bench -- activation` (bench/activation.ts) from the channel's log file.
  output.info(`activated in ${Math.round(performance.now() - started)} ms`);
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
