/** Pull diagnostics (textDocument/diagnostic) for cloudflared configs and manifests. */
import { DocumentDiagnosticReportKind } from 'vscode-languageserver';
import type { Connection, DocumentDiagnosticReport } from 'vscode-languageserver';
import { toLspDiagnostic } from '../convert';
import type { DocumentStore } from '../documents';

export function registerDiagnostics(connection: Connection, store: DocumentStore): void {
  connection.languages.diagnostics.on((params): DocumentDiagnosticReport => {
    const analysis = store.analysis(params.textDocument.uri);
    return {
      kind: DocumentDiagnosticReportKind.Full,
      items: analysis ? analysis.diagnostics.map(toLspDiagnostic) : [],
    };
  });
}
