/** Open documents, their parse and their analysis, each made once per document version. */
import { TextDocuments } from 'vscode-languageserver';
import type { Connection } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeText } from '../core/analyze';
import type { FileAnalysis } from '../core/analyze';
import { IncrementalYaml } from '../core/yaml/incremental';
import { lazyParse } from '../core/yaml/parsed';
import type { ParsedTextSource } from '../core/yaml/parsed';

/** The path part of a document URI (file or untitled), which helps recognise cloudflared configs. */
export function uriPath(uri: string): string | undefined {
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return undefined;
  }
}

/** What is kept per open document: its parser (incremental across versions) and this version's parse and analysis. */
interface Open {
  yaml: IncrementalYaml;
  version: number;
  parsed: ParsedTextSource;
  analysis?: FileAnalysis;
}

export class DocumentStore {
  readonly documents = new TextDocuments(TextDocument);
  private readonly open = new Map<string, Open>();

  constructor(connection: Connection) {
    this.documents.onDidClose((e) => this.open.delete(e.document.uri));
    this.documents.listen(connection);
  }

  get(uri: string): TextDocument | undefined {
    return this.documents.get(uri);
  }

  /**
   * The parse of the current version of `uri` (made on first use, once per version, from the
   * previous version's where the edit allows: core/yaml/incremental.ts), shared by the analysis,
   * the workspace index and the features; undefined when it is not open.
   */
  parsed(uri: string): ParsedTextSource | undefined {
    return this.current(uri)?.parsed;
  }

  /** The analysis of the current version of `uri`, or undefined when it is not open. */
  analysis(uri: string): FileAnalysis | undefined {
    const open = this.current(uri);
    if (!open) return undefined;
    open.analysis ??= analyzeText(this.documents.get(uri)!.getText(), uriPath(uri), {
      remote: uri.startsWith('cftunnel-remote:'),
      parsed: open.parsed,
    });
    return open.analysis;
  }

  private current(uri: string): Open | undefined {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    let open = this.open.get(uri);
    if (open && open.version === doc.version) return open;
    const yaml = open?.yaml ?? new IncrementalYaml();
    open = { yaml, version: doc.version, parsed: lazyParse(doc.getText(), yaml) };
    this.open.set(uri, open);
    return open;
  }
}
