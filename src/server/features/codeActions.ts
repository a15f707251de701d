/**
 * Code actions from the fixes each diagnostic carries in `data` (no server-side state): one quick
 * fix per fix, "Fix all '<code>' problems in file" where a code has preferred fixes on several
 * diagnostics, and `source.fixAll.cftunnel` with every preferred fix.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CodeActionKind, CreateFile, TextDocumentEdit, TextEdit } from 'vscode-languageserver';
import type {
  CodeAction,
  CodeActionParams,
  Connection,
  Diagnostic as LspDiagnostic,
  WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { preferredFixes } from '../../core/edits';
import { editsWithEol } from '../../core/text';
import { gitignoreAddition } from '../../core/workspace/gitignore';
import type { Diagnostic, Fix } from '../../core/types';
import { FIX_COMMANDS } from '../../shared/commands';
import { fixesOf, SOURCE, toLspDiagnostic } from '../convert';
import type { DocumentStore } from '../documents';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.${SOURCE}`;

/** `canCreateFiles`: the client applies `documentChanges` with `create` operations. */
export function registerCodeActions(connection: Connection, store: DocumentStore, canCreateFiles: () => boolean): void {
  connection.onCodeAction((params) => {
    const doc = store.get(params.textDocument.uri);
    if (!doc) return [];
    const actions: CodeAction[] = [];
    if (wants(params, CodeActionKind.QuickFix)) {
      actions.push(...quickFixes(doc, params.context.diagnostics, canCreateFiles()));
      actions.push(...fixAllByCode(doc, store.analysis(doc.uri)?.diagnostics ?? [], params.context.diagnostics));
    }
    if (params.context.only && wants(params, FIX_ALL_KIND)) {
      const all = fixAll(doc, store.analysis(doc.uri)?.diagnostics ?? []);
      if (all.length > 0)
        actions.push({ title: 'Fix all cftunnel problems', kind: FIX_ALL_KIND, edit: textEdit(doc, all) });
    }
    return actions;
  });
}

function wants(params: CodeActionParams, kind: string): boolean {
  const only = params.context.only;
  return !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

function quickFixes(doc: TextDocument, diagnostics: LspDiagnostic[], canCreateFiles: boolean): CodeAction[] {
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
      const edit = fix.files?.length ? withFiles(doc, fix, canCreateFiles) : textEdit(doc, [fix]);
      if (!edit) continue;
      actions.push({ ...base, edit });
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

/** The document's edits plus the files the fix writes beside it: created only where none exists, never overwritten. */
function withFiles(doc: TextDocument, fix: Fix, canCreateFiles: boolean): WorkspaceEdit | undefined {
  if (!canCreateFiles || !doc.uri.startsWith('file:')) return undefined;
  const documentChanges: NonNullable<WorkspaceEdit['documentChanges']> = [
    TextDocumentEdit.create({ uri: doc.uri, version: doc.version }, editsWithEol(fix.edits, doc.getText())),
  ];
  for (const file of fix.files ?? []) {
    const uri = new URL(file.path, doc.uri).href;
    if (file.append) documentChanges.push(...appendLine(uri, file.content.replace(/\n$/, '')));
    else if (!existsSync(fileURLToPath(uri))) documentChanges.push(...newFile(uri, file.content));
    if (file.gitignore) documentChanges.push(...appendLine(new URL('.gitignore', doc.uri).href, file.path));
  }
  return { documentChanges };
}

function newFile(uri: string, content: string): Array<CreateFile | TextDocumentEdit> {
  return [
    CreateFile.create(uri, { ignoreIfExists: true }),
    TextDocumentEdit.create({ uri, version: null }, [TextEdit.insert({ line: 0, character: 0 }, content)]),
  ];
}

/** Adds `line` to the .gitignore at `uri` (created when missing) unless it lists it already. */
function appendLine(uri: string, line: string): Array<CreateFile | TextDocumentEdit> {
  const path = fileURLToPath(uri);
  if (!existsSync(path)) return newFile(uri, `${line}\n`);
  const current = readFileSync(path, 'utf8');
  const text = gitignoreAddition(current, line);
  if (text === undefined) return [];
  const lines = current.split('\n');
  const end = { line: lines.length - 1, character: lines[lines.length - 1]!.length };
  return [TextDocumentEdit.create({ uri, version: null }, [TextEdit.insert(end, text)])];
}
