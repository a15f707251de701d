/** Pull diagnostics (textDocument/diagnostic) for cloudflared configs and manifests. */
import { DocumentDiagnosticReportKind, LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import type { CancellationToken, Connection, DocumentDiagnosticReport } from 'vscode-languageserver';
import { toLspDiagnostic } from '../convert';
import { withCrossFile } from '../../core/analyze';
import type { Diagnostic } from '../../core/types';
import { uriPath } from '../documents';
import type { DocumentStore } from '../documents';
import type { ProjectSettings } from './project';
import type { SettingsCache } from './settings';

/**
 * `crossFile(path)` adds what the workspace model finds between files (cross-file diagnostics
 * located in this document); `project` takes out what the document's suppression comments cover and
 * applies the project's `.cftunnel.yaml` rules.
 *
 * A pull the client cancelled (`$/cancelRequest`) is answered RequestCancelled, and one whose
 * document got a newer version meanwhile ServerCancelled (the newer version's pull supersedes it):
 * the checks run only after the settings round trip and one turn of the event loop, when both are
 * known, so a burst of keystrokes analyses the latest text once.
 */
export function registerDiagnostics(
  connection: Connection,
  store: DocumentStore,
  settings: SettingsCache,
  crossFile: (path: string) => Diagnostic[],
  project: ProjectSettings,
): void {
  connection.languages.diagnostics.on(async (params, token): Promise<DocumentDiagnosticReport> => {
    const uri = params.textDocument.uri;
    const version = store.get(uri)?.version;
    const enabled = (await settings.get(uri)).diagnostics.enable;
    await new Promise((resolve) => setImmediate(resolve));
    stopIfStale(token, store.get(uri)?.version, version);
    const analysis = enabled ? store.analysis(uri) : undefined;
    const path = uriPath(uri);
    const extra = enabled && path && uri.startsWith('file:') ? crossFile(path) : [];
    stopIfStale(token, store.get(uri)?.version, version);
    const found = withCrossFile(analysis?.diagnostics ?? [], extra);
    return {
      kind: DocumentDiagnosticReportKind.Full,
      items: (enabled ? project.report(uri, found) : found).map(toLspDiagnostic),
    };
  });
}

function stopIfStale(token: CancellationToken, now: number | undefined, asked: number | undefined): void {
  if (token.isCancellationRequested)
    throw new ResponseError(LSPErrorCodes.RequestCancelled, 'The diagnostics request was cancelled.');
  if (now !== asked)
    throw new ResponseError(
      LSPErrorCodes.ServerCancelled,
      'A newer version of the document superseded this diagnostics request.',
      { retriggerRequest: false },
    );
}
