/** Wiring: capabilities, the document store, settings, and one registration per feature. */
import { CodeActionKind, TextDocumentSyncKind } from 'vscode-languageserver';
import type { ClientCapabilities, Connection, InitializeResult } from 'vscode-languageserver';
import { DocumentStore } from './documents';
import { FIX_ALL_KIND, registerCodeActions } from './features/codeActions';
import { registerCompletion } from './features/completion';
import { registerDiagnostics } from './features/diagnostics';
import { registerHover } from './features/hover';
import { registerSettings, SettingsCache } from './features/settings';
import { registerSymbols } from './features/symbols';

export function createServer(connection: Connection): DocumentStore {
  const store = new DocumentStore(connection);
  const settings = new SettingsCache(connection);
  let client: ClientCapabilities = {};

  connection.onInitialize((params): InitializeResult => {
    client = params.capabilities;
    settings.initialize(client);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        diagnosticProvider: { identifier: 'cftunnel', interFileDependencies: false, workspaceDiagnostics: false },
        hoverProvider: true,
        completionProvider: { resolveProvider: false },
        documentSymbolProvider: { label: 'cloudflared' },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
      },
      serverInfo: { name: 'cftunnel-language-server' },
    };
  });
  connection.onInitialized(() => settings.initialized());

  const canCreateFiles = (): boolean => {
    const edit = client.workspace?.workspaceEdit;
    return edit?.documentChanges === true && (edit.resourceOperations ?? []).includes('create');
  };
  registerSettings(connection, store.documents, settings);
  registerDiagnostics(connection, store, settings);
  registerHover(connection, store);
  registerCompletion(connection, store);
  registerSymbols(connection, store);
  registerCodeActions(connection, store, canCreateFiles);
  return store;
}
