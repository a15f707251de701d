/** Document symbols: top-level keys, and the ingress rules as `hostname[path] → service`. */
import type { Connection } from 'vscode-languageserver';
import { configSymbols, manifestSymbols } from '../../core/config/symbols';
import { toLspSymbol } from '../convert';
import type { DocumentStore } from '../documents';

export function registerSymbols(connection: Connection, store: DocumentStore): void {
  connection.onDocumentSymbol((params) => {
    const doc = store.get(params.textDocument.uri);
    const analysis = store.analysis(params.textDocument.uri);
    if (!doc || !analysis) return [];
    // The document's one parse of this version (shared with its analysis), not a parse of its own.
    const symbols = analysis.model
      ? configSymbols(analysis.model)
      : manifestSymbols(doc.getText(), analysis, store.parsed(doc.uri)?.());
    return symbols.map(toLspSymbol);
  });
}
