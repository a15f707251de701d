/**
 * Core → LSP conversions of diagnostics (with their fixes in `data`), hovers, completions and
 * symbols. Core text edits have LSP's shape: features/codeActions.ts sends them as they are.
 */
import {
  CompletionItemKind,
  DiagnosticSeverity,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  SymbolKind,
} from 'vscode-languageserver';
import type { CompletionItem, Diagnostic as LspDiagnostic, DocumentSymbol, Hover } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ConfigCompletion } from '../core/config/completion';
import type { ConfigHover } from '../core/config/hover';
import type { ConfigSymbol } from '../core/config/symbols';
import type { Diagnostic, Fix, Range, Severity } from '../core/types';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What a diagnostic carries to code actions: its fixes, computed with it (no server-side state). */
export interface DiagnosticData {
  fixes?: Diagnostic['fixes'];
}

export const SOURCE = 'cftunnel';

export function toLspDiagnostic(d: Diagnostic): LspDiagnostic {
  return {
    range: d.range,
    severity: SEVERITY[d.severity],
    code: d.code,
    source: SOURCE,
    message: d.message,
    ...(d.fixes?.length ? { data: { fixes: d.fixes } satisfies DiagnosticData } : {}),
  };
}

function isRange(r: unknown): r is Range {
  const p = (x: unknown): boolean =>
    typeof x === 'object' &&
    x !== null &&
    Number.isInteger((x as { line?: unknown }).line) &&
    Number.isInteger((x as { character?: unknown }).character);
  return typeof r === 'object' && r !== null && p((r as Range).start) && p((r as Range).end);
}

/** The fixes an LSP diagnostic from this server carries back (anything malformed is dropped). */
export function fixesOf(d: LspDiagnostic): Fix[] {
  if (d.source !== SOURCE) return [];
  const fixes = (d.data as DiagnosticData | undefined)?.fixes;
  if (!Array.isArray(fixes)) return [];
  return fixes.filter(
    (f): f is Fix =>
      typeof f?.title === 'string' &&
      Array.isArray(f.edits) &&
      f.edits.every((e) => isRange(e?.range) && typeof e.newText === 'string') &&
      (f.files === undefined ||
        (Array.isArray(f.files) && f.files.every((x) => typeof x?.path === 'string' && typeof x.content === 'string'))),
  );
}

export function toLspHover(doc: TextDocument, h: ConfigHover): Hover {
  return {
    contents: { kind: MarkupKind.Markdown, value: h.markdown },
    range: { start: doc.positionAt(h.start), end: doc.positionAt(h.end) },
  };
}

export function toLspCompletion(doc: TextDocument, c: ConfigCompletion): CompletionItem {
  return {
    label: c.label,
    kind: c.kind === 'key' ? CompletionItemKind.Property : CompletionItemKind.Value,
    ...(c.detail ? { detail: c.detail } : {}),
    ...(c.documentation ? { documentation: { kind: MarkupKind.Markdown, value: c.documentation } } : {}),
    sortText: c.sortText,
    insertTextFormat: InsertTextFormat.PlainText,
    // The text carries its own indentation (an embedded config sits indented in its ConfigMap).
    insertTextMode: InsertTextMode.asIs,
    textEdit: { range: { start: doc.positionAt(c.start), end: doc.positionAt(c.end) }, newText: c.insertText },
  };
}

const SYMBOL_KIND: Record<ConfigSymbol['kind'], SymbolKind> = {
  key: SymbolKind.Property,
  ingress: SymbolKind.Array,
  rule: SymbolKind.Object,
  config: SymbolKind.Module,
};

export function toLspSymbol(s: ConfigSymbol): DocumentSymbol {
  return {
    name: s.name,
    ...(s.detail !== undefined ? { detail: s.detail } : {}),
    kind: SYMBOL_KIND[s.kind],
    range: s.range,
    selectionRange: s.selectionRange,
    ...(s.children ? { children: s.children.map(toLspSymbol) } : {}),
  };
}
