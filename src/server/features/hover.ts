/** Hover on cloudflared config keys (standalone configs and ConfigMap-embedded ones). */
import type { Connection } from 'vscode-languageserver';
import { looksLikeConfigPath } from '../../core/analyze';
import type { FileKind } from '../../core/analyze';
import { configHover } from '../../core/config/hover';
import { toLspHover } from '../convert';
import type { DocumentStore } from '../documents';

/** The file's kind; an unrecognised file whose name says cloudflared is taken as a config being written. */
export function configKind(store: DocumentStore, uri: string): FileKind | undefined {
  const kind = store.analysis(uri)?.kind;
  if (kind === 'other' && looksLikeConfigPath(decodeURIComponent(uri))) return 'cloudflared-config';
  return kind;
}

export function registerHover(connection: Connection, store: DocumentStore): void {
  connection.onHover((params) => {
    const doc = store.get(params.textDocument.uri);
    const kind = configKind(store, params.textDocument.uri);
    if (!doc || !kind || kind === 'other') return null;
    const hover = configHover(doc.getText(), doc.offsetAt(params.position), kind, store.parsed(doc.uri)?.());
    return hover ? toLspHover(doc, hover) : null;
  });
}
