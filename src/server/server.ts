/** Wiring: capabilities, the document store, settings, and one registration per feature. */
import { CodeActionKind, TextDocumentSyncKind } from 'vscode-languageserver';
import type { ClientCapabilities, Connection, InitializeResult } from 'vscode-languageserver';
import { DocumentStore, uriPath } from './documents';
import { FIX_ALL_KIND, registerCodeActions } from './features/codeActions';
import { registerCompletion } from './features/completion';
import { registerDiagnostics } from './features/diagnostics';
import { registerFixFiles, WRITE_FIX_FILES_COMMAND } from './features/fixFiles';
import { registerHover } from './features/hover';
import { ProjectSettings } from './features/project';
import { registerSettings, SettingsCache } from './features/settings';
import { ignoredByProject } from '../core/project/config';
import { registerSymbols } from './features/symbols';
import { registerTrace } from './features/trace';
import { registerWorkspace, registerWorkspaceConfigs } from './features/workspace';
import { WorkspaceIndex } from './workspace';

export function createServer(connection: Connection): DocumentStore {
  const store = new DocumentStore(connection);
  const settings = new SettingsCache(connection);
  const workspace = new WorkspaceIndex();
  let client: ClientCapabilities = {};
  let folders: string[] = [];
  let trusted = true;
  const project = new ProjectSettings(store, () => trusted);
  // Ignored files stay out of the cross-file model, as `cftunnel check` does not read them.
  workspace.ignored = (path) => ignoredByProject(path, project.configs.forFile(path));

  connection.onInitialize((params): InitializeResult => {
    client = params.capabilities;
    settings.initialize(client);
    // Restricted Mode: the client says so, and then only open documents are read.
    trusted = (params.initializationOptions as { trusted?: boolean } | undefined)?.trusted !== false;
    folders = (params.workspaceFolders ?? []).map((f) => uriPath(f.uri)).filter((p): p is string => p !== undefined);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        diagnosticProvider: { identifier: 'cftunnel', interFileDependencies: true, workspaceDiagnostics: false },
        hoverProvider: true,
        completionProvider: { resolveProvider: false },
        documentSymbolProvider: { label: 'cloudflared' },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        executeCommandProvider: { commands: [WRITE_FIX_FILES_COMMAND] },
      },
      serverInfo: { name: 'cftunnel-language-server' },
    };
  });
  connection.onInitialized(() => {
    settings.initialized();
    // The cross-file checks honour the window's settings (cluster domain, public label); the
    // `.cftunnel.yaml` above the first folder sets the cluster domain for the project.
    const configure = (): Promise<boolean> =>
      settings.workspace().then((s) => {
        const clusterDomain = folders[0] ? project.configs.forFolder(folders[0]).clusterDomain : undefined;
        return workspace.configure(clusterDomain ? { ...s, clusterDomain } : s);
      });
    settings.onChanged = configure;
    // A `.cftunnel.yaml` changed: its cluster domain, its ignore patterns (indexed again), then every document.
    project.onChanged = () =>
      Promise.resolve()
        .then(configure)
        .then(() => (trusted && folders.length > 0 ? workspace.indexFolders(folders) : 0))
        .then(() => {
          if (client.workspace?.diagnostics?.refreshSupport === true) void connection.languages.diagnostics.refresh();
        })
        .catch(() => undefined); // the connection is gone: nobody to tell
    void configure().then((changed) => {
      if (changed && client.workspace?.diagnostics?.refreshSupport === true)
        void connection.languages.diagnostics.refresh();
    });
    if (trusted) registerWorkspace(connection, store, workspace, folders, client, project);
  });

  // Fixes that write files: the server writes them, then asks the client to apply the document edit.
  const canWriteFiles = (): boolean =>
    client.workspace?.applyEdit === true && client.workspace.workspaceEdit?.documentChanges === true;
  registerSettings(connection, store.documents, settings);
  registerDiagnostics(connection, store, settings, (path) => (trusted ? workspace.diagnostics(path) : []), project);
  registerHover(connection, store);
  registerCompletion(connection, store);
  registerSymbols(connection, store);
  registerCodeActions(connection, store, canWriteFiles, project);
  registerFixFiles(connection, store, () => folders);
  registerWorkspaceConfigs(connection, store, workspace, () => trusted);
  registerTrace(connection, store, workspace, settings, () => trusted);
  return store;
}
