/**
 * Cross-file checks: index the workspace folders once, then follow watched-file events and
 * open-document edits, and ask the client to pull diagnostics again when something changed.
 * `registerWorkspaceConfigs`: the workspace's cloudflared configs for the extension (the one
 * reader of them, src/shared/workspaceConfigs.ts), from that index, or from the open documents
 * only in Restricted Mode.
 */

import type { ClientCapabilities, Connection } from 'vscode-languageserver';
import type { DocumentStore } from '../documents';
import type { ProjectSettings } from './project';
import { uriPath } from '../documents';
import { pathToFileURL } from 'node:url';
import type { ConfigInFile } from '../../core/workspace/configs';
import { WORKSPACE_CONFIGS_CHANGED, WORKSPACE_CONFIGS_REQUEST } from '../../shared/workspaceConfigs';
import type { WorkspaceConfig } from '../../shared/workspaceConfigs';
import { readConfigs } from '../workspace';
import type { WorkspaceIndex } from '../workspace';

export function registerWorkspace(
  connection: Connection,
  store: DocumentStore,
  index: WorkspaceIndex,
  folders: string[],
  client: ClientCapabilities,
  project: ProjectSettings,
): void {
  const canRefresh = client.workspace?.diagnostics?.refreshSupport === true;
  const refresh = (): void => {
    if (canRefresh) void connection.languages.diagnostics.refresh();
  };

  store.documents.onDidChangeContent((e) => {
    const path = uriPath(e.document.uri);
    // The document's one parse of this version, shared with its analysis (made when first asked for).
    if (path && e.document.uri.startsWith('file:'))
      index.documentChanged(path, e.document.getText(), store.parsed(e.document.uri));
  });
  store.documents.onDidClose((e) => {
    const path = uriPath(e.document.uri);
    if (path && e.document.uri.startsWith('file:')) index.documentClosed(path);
  });
  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) {
      const path = uriPath(change.uri);
      if (path && !project.fileChanged(path)) index.fileChanged(path);
    }
    refresh();
  });

  if (folders.length === 0) return;
  const note = (m: string): void => connection.console.info(`cftunnel: ${m}`);
  void index.indexFolders(folders, note).then((count) => {
    connection.console.info(`cftunnel: indexed ${count} YAML file(s) for cross-file checks`);
    if (count > 0) refresh();
  });
}

/** How long config changes are gathered before the client hears of them. */
const CHANGED_DELAY_MS = 50;

export function registerWorkspaceConfigs(
  connection: Connection,
  store: DocumentStore,
  index: WorkspaceIndex,
  trusted: () => boolean,
): void {
  let timer: NodeJS.Timeout | undefined;
  const changed = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      try {
        connection.sendNotification(WORKSPACE_CONFIGS_CHANGED).catch(() => undefined);
      } catch {
        // the connection is gone: nobody to tell
      }
    }, CHANGED_DELAY_MS);
  };
  index.onConfigsChanged = changed;

  // Restricted Mode: the open documents are all the server reads.
  const openConfigs = (): ConfigInFile[] =>
    store.documents
      .all()
      .filter((d) => d.uri.startsWith('file:'))
      .flatMap((d) => {
        const path = uriPath(d.uri);
        return path ? readConfigs(path, d.getText()) : [];
      })
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  let lastOpen = '[]';
  const openChanged = (): void => {
    if (trusted()) return;
    const key = JSON.stringify(openConfigs());
    if (key === lastOpen) return;
    lastOpen = key;
    changed();
  };
  store.documents.onDidChangeContent(openChanged);
  store.documents.onDidClose(openChanged);

  connection.onRequest(WORKSPACE_CONFIGS_REQUEST, async (): Promise<WorkspaceConfig[]> => {
    const list = trusted() ? await index.workspaceConfigs() : openConfigs();
    return list.map((c) => ({ uri: pathToFileURL(c.path).href, ...c }));
  });
}
