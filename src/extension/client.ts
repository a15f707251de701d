/** The language client: where the server is, which documents it sees, start/stop/restart. */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';

export function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: 'yaml', scheme: 'file' },
      { language: 'yaml', scheme: 'untitled' },
      // Remote tunnel configurations opened for editing (src/extension/cloudflare/remoteConfig.ts).
      { language: 'yaml', scheme: 'cftunnel-remote' },
    ],
    outputChannel: output,
    traceOutputChannel: output,
    // In Restricted Mode the server reads only open documents (no workspace index).
    initializationOptions: () => ({ trusted: vscode.workspace.isTrusted }),
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.yaml,*.yml,*.json,*.env,Kustomization,.gitignore}'),
    },
  };
  return new LanguageClient('cftunnel', 'Cloudflare Tunnel language server', serverOptions, clientOptions);
}
