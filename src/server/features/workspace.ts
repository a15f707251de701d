/**
 * Cross-file checks: index the workspace folders once, then follow watched-file events and
 * open-document edits, and ask the client to pull diagnostics again when something changed.
 */

import type { ClientCapabilities, Connection } from 'vscode-languageserver';
import type { DocumentStore } from '../documents';
import { uriPath } from '../documents';
import type { WorkspaceIndex } from '../workspace';

export function registerWorkspace(connection: Connection, store: DocumentStore, index: WorkspaceIndex, folders: string[], client: ClientCapabilities): void {
  const canRefresh = client.workspace?.diagnostics?.refreshSupport === true;
  const refresh = (): void => {
    if (canRefresh) void connection.languages.diagnostics.refresh();
  };

  store.documents.onDidChangeContent((e) => {
    const path = uriPath(e.document.uri);
    if (path && e.document.uri.startsWith('file:')) index.documentChanged(path, e.document.getText());
  });
  store.documents.onDidClose((e) => {
    const path = uriPath(e.document.uri);
    if (path && e.document.uri.startsWith('file:')) index.documentClosed(path);
  });
  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) {
      const path = uriPath(change.uri);
      if (path) index.fileChanged(path);
    }
    refresh();
  });

  if (folders.length === 0) return;
  void index.indexFolders(folders).then((count) => {
    connection.console.info(`cftunnel: indexed ${count} YAML file(s) for cross-file checks`);
    if (count > 0) refresh();
  });
}
