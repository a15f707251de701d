/** Pull diagnostics (textDocument/diagnostic) for cloudflared configs and manifests. */
import { DocumentDiagnosticReportKind } from 'vscode-languageserver';
import type { Connection, DocumentDiagnosticReport } from 'vscode-languageserver';
import { toLspDiagnostic } from '../convert';
import { withCrossFile } from '../../core/analyze';
import type { Diagnostic } from '../../core/types';
import { uriPath } from '../documents';
import type { DocumentStore } from '../documents';
import type { SettingsCache } from './settings';

/**
 * `crossFile(path)` adds what the workspace model finds between files (cross-file diagnostics
 * located in this document).
 */
export function registerDiagnostics(
  connection: Connection,
  store: DocumentStore,
  settings: SettingsCache,
  crossFile: (path: string) => Diagnostic[],
): void {
  connection.languages.diagnostics.on(async (params): Promise<DocumentDiagnosticReport> => {
    const uri = params.textDocument.uri;
    const enabled = (await settings.get(uri)).diagnostics.enable;
    const analysis = enabled ? store.analysis(uri) : undefined;
    const path = uriPath(uri);
    const extra = enabled && path && uri.startsWith('file:') ? crossFile(path) : [];
    return {
      kind: DocumentDiagnosticReportKind.Full,
      items: withCrossFile(analysis?.diagnostics ?? [], extra).map(toLspDiagnostic),
    };
  });
}
