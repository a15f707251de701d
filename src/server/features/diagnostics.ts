/** Pull diagnostics (textDocument/diagnostic) for cloudflared configs and manifests. */
import { DocumentDiagnosticReportKind } from 'vscode-languageserver';
import type { Connection, DocumentDiagnosticReport } from 'vscode-languageserver';
import { toLspDiagnostic } from '../convert';
import type { DocumentStore } from '../documents';
import type { SettingsCache } from './settings';

export function registerDiagnostics(connection: Connection, store: DocumentStore, settings: SettingsCache): void {
  connection.languages.diagnostics.on(async (params): Promise<DocumentDiagnosticReport> => {
    const uri = params.textDocument.uri;
    const enabled = (await settings.get(uri)).diagnostics.enable;
    const analysis = enabled ? store.analysis(uri) : undefined;
    return {
      kind: DocumentDiagnosticReportKind.Full,
      items: analysis ? analysis.diagnostics.map(toLspDiagnostic) : [],
    };
  });
}
