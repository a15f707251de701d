/** Completion of config keys and of values with a fixed set. */
import type { Connection } from 'vscode-languageserver';
import { configCompletions } from '../../core/config/completion';
import { toLspCompletion } from '../convert';
import type { DocumentStore } from '../documents';
import { configKind } from './hover';

export function registerCompletion(connection: Connection, store: DocumentStore): void {
  connection.onCompletion((params) => {
    const doc = store.get(params.textDocument.uri);
    const kind = configKind(store, params.textDocument.uri);
    if (!doc || !kind || kind === 'other') return [];
    return configCompletions(doc.getText(), doc.offsetAt(params.position), kind).map((c) => toLspCompletion(doc, c));
  });
}
