/** Extension entry: composes the language client and commands. Activation is on YAML files. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createClient } from './client';
import { registerCommands } from './commands';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Cloudflare Tunnel', { log: true });
  context.subscriptions.push(output);
  client = createClient(context, output);
  registerCommands(context, () => client);
  // Once the user trusts the workspace, restart so the server indexes it for cross-file checks.
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.restart()));
  try {
    await client.start();
  } catch (e) {
    output.error(`The language server did not start: ${(e as Error).message}`);
    void vscode.window.showErrorMessage('Cloudflare Tunnel: the language server did not start. See the "Cloudflare Tunnel" output for details.');
  }
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
