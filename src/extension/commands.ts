/** Command handlers, registered for the extension's lifetime. Ids live in src/shared/commands.ts. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { COMMANDS } from '../shared/commands';
import { registerCloudflareCommands } from './cloudflare/commands';
import type { CloudflareServices } from './cloudflare/commands';

export function registerCommands(context: vscode.ExtensionContext, getClient: () => LanguageClient | undefined, cloudflare: CloudflareServices): void {
  registerCloudflareCommands(context, cloudflare);
  const handlers: Record<string, (...args: unknown[]) => unknown> = {
    [COMMANDS.restartServer]: async () => {
      const client = getClient();
      if (!client) return;
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Restarting the Cloudflare Tunnel language server' }, () => client.restart());
    },
  };
  for (const [id, handler] of Object.entries(handlers)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  }
}
