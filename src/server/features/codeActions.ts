/**
 * Code actions from the fixes each diagnostic carries in `data` (no server-side state): one quick
 * fix per fix, "Fix all '<code>' problems in file" where a code has preferred fixes on several
 * diagnostics, "Disable <code> for this line" (a suppression comment above it), and
 * `source.fixAll.cftunnel` with every preferred fix.
 */
import { CodeActionKind } from 'vscode-languageserver';
import type {
  CodeAction,
  Command,
  CodeActionParams,
  Connection,
  Diagnostic as LspDiagnostic,
  WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { preferredFixes } from '../../core/edits';
import { editsWithEol } from '../../core/text';
import type { Diagnostic, Fix } from '../../core/types';
import { FIX_COMMANDS } from '../../shared/commands';
import { fixesOf, SOURCE, toLspDiagnostic } from '../convert';
import type { DocumentStore } from '../documents';
import { CODES } from '../../core/project/codes.generated';
import { disableNextLineEdit, SUPPRESSION_UNUSED } from '../../core/project/suppressions';
import type { ProjectSettings } from './project';
import { WRITE_FIX_FILES_COMMAND } from './fixFiles';
import type { WriteFixFilesArgument } from './fixFiles';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.${SOURCE}`;

/** `canWriteFiles`: the client runs server commands and applies the edits the server sends (workspace/applyEdit). */
export function registerCodeActions(
  connection: Connection,
  store: DocumentStore,
  canWriteFiles: () => boolean,
  project: ProjectSettings,
): void {
  connection.onCodeAction((params) => {
    const doc = store.get(params.textDocument.uri);
    if (!doc) return [];
    const actions: CodeAction[] = [];
    // What the document reports: a suppressed or turned-off finding is not fixed in bulk either.
    const reported = (): Diagnostic[] =>
      project.report(doc.uri, store.analysis(doc.uri)?.diagnostics ?? [], { reportUnused: false });
    if (wants(params, CodeActionKind.QuickFix)) {
      actions.push(...quickFixes(doc, params.context.diagnostics, canWriteFiles()));
      actions.push(...fixAllByCode(doc, reported(), params.context.diagnostics));
      actions.push(...disableActions(doc, params.context.diagnostics));
    }
    if (params.context.only && wants(params, FIX_ALL_KIND)) {
      const all = fixAll(doc, reported());
      if (all.length > 0)
        actions.push({ title: 'Fix all cftunnel problems', kind: FIX_ALL_KIND, edit: textEdit(doc, all) });
    }
    return actions;
  });
}

/** Sources whose diagnostics a suppression comment can silence: this server's and the extension's Access check. */
const SUPPRESSIBLE_SOURCES = new Set([SOURCE, 'cftunnel access', 'cftunnel drift']);

/** "Disable CODE for this line": a `# cftunnel-disable-next-line CODE` comment above it (src/core/project/suppressions.ts). */
function disableActions(doc: TextDocument, diagnostics: LspDiagnostic[]): CodeAction[] {
  const seen = new Set<string>();
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    const code = typeof d.code === 'string' ? d.code : undefined;
    if (!code || !d.source || !SUPPRESSIBLE_SOURCES.has(d.source) || !(code in CODES)) continue;
    if (code === SUPPRESSION_UNUSED || code.startsWith('project-config-')) continue;
    const key = `${code}@${d.range.start.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const edit = disableNextLineEdit(doc.getText(), d.range.start.line, code);
    actions.push({
      title: `Disable ${code} for this line`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      edit: { changes: { [doc.uri]: editsWithEol([edit], doc.getText()) } },
    });
  }
  return actions;
}

function wants(params: CodeActionParams, kind: string): boolean {
  const only = params.context.only;
  return !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

function quickFixes(doc: TextDocument, diagnostics: LspDiagnostic[], canWriteFiles: boolean): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    for (const fix of fixesOf(d)) {
      const base = {
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        ...(fix.isPreferred ? { isPreferred: true } : {}),
      };
      if (fix.command) {
        // The extension does the work (dialogs, the cluster): the server only names the command.
        const command = {
          title: fix.title,
          command: FIX_COMMANDS[fix.command.kind],
          ...(fix.command.arguments ? { arguments: fix.command.arguments } : {}),
        };
        actions.push({ ...base, ...(fix.edits.length > 0 ? { edit: textEdit(doc, [fix]) } : {}), command });
        continue;
      }
      if (fix.files?.length) {
        const command = withFiles(doc, fix, canWriteFiles);
        if (command) actions.push({ ...base, command });
        continue;
      }
      actions.push({ ...base, edit: textEdit(doc, [fix]) });
    }
  }
  return actions;
}

/** Fixes that only edit this document (a fix that writes files is never applied in bulk). */
function textOnly(d: Diagnostic): Diagnostic {
  return { ...d, fixes: d.fixes?.filter((f) => !f.files?.length) ?? [] };
}

function fixAllByCode(doc: TextDocument, all: Diagnostic[], context: LspDiagnostic[]): CodeAction[] {
  const codes = new Set(context.filter((d) => d.source === SOURCE).map((d) => String(d.code)));
  const actions: CodeAction[] = [];
  for (const code of codes) {
    const group = all.filter((d) => d.code === code).map(textOnly);
    const fixes = preferredFixes(group, doc.getText());
    if (fixes.length < 2) continue;
    actions.push({
      title: `Fix all '${code}' problems in file`,
      kind: CodeActionKind.QuickFix,
      diagnostics: group.filter((d) => d.fixes?.some((f) => fixes.includes(f))).map(toLspDiagnostic),
      edit: textEdit(doc, fixes),
    });
  }
  return actions;
}

function fixAll(doc: TextDocument, all: Diagnostic[]): Fix[] {
  return preferredFixes(all.map(textOnly), doc.getText());
}

function textEdit(doc: TextDocument, fixes: Fix[]): WorkspaceEdit {
  return {
    changes: {
      [doc.uri]: editsWithEol(
        fixes.flatMap((f) => f.edits),
        doc.getText(),
      ),
    },
  };
}

/**
 * A fix that writes files beside the document runs the server's command (./fixFiles.ts): the files
 * first (0600, atomic, never through a link), then the document edit; nothing when the client cannot
 * apply an edit the server sends, or for a document that is not a file.
 */
function withFiles(doc: TextDocument, fix: Fix, canWriteFiles: boolean): Command | undefined {
  if (!canWriteFiles || !doc.uri.startsWith('file:')) return undefined;
  const argument: WriteFixFilesArgument = {
    uri: doc.uri,
    version: doc.version,
    title: fix.title,
    edits: editsWithEol(fix.edits, doc.getText()),
    files: fix.files ?? [],
  };
  return { title: fix.title, command: WRITE_FIX_FILES_COMMAND, arguments: [argument] };
}
