/** Wiring: capabilities, the document store, and one registration per feature. */
import { TextDocumentSyncKind } from 'vscode-languageserver';
import type { Connection, InitializeResult } from 'vscode-languageserver';
import { DocumentStore } from './documents';
import { registerDiagnostics } from './features/diagnostics';

export function createServer(connection: Connection): DocumentStore {
  const store = new DocumentStore(connection);
  connection.onInitialize(
    (): InitializeResult => ({
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        diagnosticProvider: { identifier: 'cftunnel', interFileDependencies: false, workspaceDiagnostics: false },
      },
      serverInfo: { name: 'cftunnel-language-server' },
    }),
  );
  registerDiagnostics(connection, store);
  return store;
}
