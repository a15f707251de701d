/** Open documents and their analyses, computed once per document version. */
import { TextDocuments } from 'vscode-languageserver';
import type { Connection } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeText } from '../core/analyze';
import type { FileAnalysis } from '../core/analyze';

/** The path part of a document URI (file or untitled), which helps recognise cloudflared configs. */
export function uriPath(uri: string): string | undefined {
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return undefined;
  }
}

export class DocumentStore {
  readonly documents = new TextDocuments(TextDocument);
  private readonly cache = new Map<string, { version: number; analysis: FileAnalysis }>();

  constructor(connection: Connection) {
    this.documents.onDidClose((e) => this.cache.delete(e.document.uri));
    this.documents.listen(connection);
  }

  get(uri: string): TextDocument | undefined {
    return this.documents.get(uri);
  }

  /** The analysis of the current version of `uri`, or undefined when it is not open. */
  analysis(uri: string): FileAnalysis | undefined {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    const hit = this.cache.get(uri);
    if (hit && hit.version === doc.version) return hit.analysis;
    const analysis = analyzeText(doc.getText(), uriPath(uri), { remote: uri.startsWith('cftunnel-remote:') });
    this.cache.set(uri, { version: doc.version, analysis });
    return analysis;
  }
}
