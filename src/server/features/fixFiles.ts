/**
 * Quick fixes that write files beside the document (a secret moved out of a manifest into a
 * git-ignored env file, a .gitignore entry): the code action names this server command instead of
 * carrying a workspace edit, because an editor's edit would create the file with the default mode
 * (0644), follow a planted symbolic link, and apply the manifest edit even when the file could not
 * be created. Here the files are written first (src/node/fixFiles.ts: atomic, 0600, never over an
 * existing file, never through a link, never outside the workspace folder), and only then is the
 * document edited (workspace/applyEdit); when the edit is refused the files are taken back.
 */
import { dirname, isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TextDocumentEdit } from 'vscode-languageserver';
import type { Connection, TextEdit } from 'vscode-languageserver';
import type { FileToWrite } from '../../core/types';
import { writeFixFiles } from '../../node/fixFiles';
import type { DocumentStore } from '../documents';

/** The server's command (the language client registers it in the editor; not in package.json). */
export const WRITE_FIX_FILES_COMMAND = 'cftunnel.server.writeFixFiles';

/** The one argument of the command, as the code action sends it. */
export interface WriteFixFilesArgument {
  uri: string;
  version: number;
  title: string;
  edits: TextEdit[];
  files: FileToWrite[];
}

export interface WriteFixFilesResult {
  applied: boolean;
  /** Why nothing was changed. */
  error?: string;
}

/** `roots`: the workspace folders (absolute paths); files never land outside the one holding the document. */
export function registerFixFiles(connection: Connection, store: DocumentStore, roots: () => string[]): void {
  connection.onExecuteCommand(async (params): Promise<WriteFixFilesResult | undefined> => {
    if (params.command !== WRITE_FIX_FILES_COMMAND) return undefined;
    const arg = params.arguments?.[0] as WriteFixFilesArgument | undefined;
    const fail = (error: string): WriteFixFilesResult => {
      void connection.window.showErrorMessage(`Cloudflare Tunnel: ${arg?.title ?? 'quick fix'}: ${error}`);
      return { applied: false, error };
    };
    if (!isArgument(arg)) return fail('malformed request: nothing was changed.');
    const doc = store.get(arg.uri);
    if (!doc || doc.version !== arg.version)
      return fail('the document changed since the fix was offered: nothing was changed. Try the quick fix again.');
    const file = fileURLToPath(arg.uri);
    const folder = dirname(file);
    const within = roots().find((r) => inside(r, file)) ?? folder;
    let done: ReturnType<typeof writeFixFiles>;
    try {
      done = writeFixFiles(folder, arg.files, within);
    } catch (e) {
      return fail(`nothing was changed: ${(e as Error).message}`);
    }
    if (arg.edits.length > 0) {
      const result = await connection.workspace
        .applyEdit({
          label: arg.title,
          edit: { documentChanges: [TextDocumentEdit.create({ uri: arg.uri, version: arg.version }, arg.edits)] },
        })
        .catch((e: Error) => ({ applied: false, failureReason: e.message }));
      if (!result.applied) {
        done.undo();
        return fail(
          `the editor did not apply the change (${result.failureReason ?? 'refused'}); the files written were taken back, nothing was changed.`,
        );
      }
    }
    if (done.report.length > 0)
      void connection.window.showInformationMessage(`Cloudflare Tunnel: ${done.report.join('; ')}.`);
    return { applied: true };
  });
}

function inside(root: string, file: string): boolean {
  const rel = relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** The argument is ours (relative file paths without `..`, a file: URI, text edits). */
function isArgument(a: unknown): a is WriteFixFilesArgument {
  if (typeof a !== 'object' || a === null) return false;
  const o = a as Partial<WriteFixFilesArgument>;
  return (
    typeof o.uri === 'string' &&
    o.uri.startsWith('file:') &&
    typeof o.version === 'number' &&
    typeof o.title === 'string' &&
    Array.isArray(o.edits) &&
    Array.isArray(o.files) &&
    o.files.every(
      (f) =>
        typeof f?.path === 'string' &&
        typeof f.content === 'string' &&
        !isAbsolute(f.path) &&
        !f.path.split(/[\\/]/).includes('..'),
    )
  );
}
