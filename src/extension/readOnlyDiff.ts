/**
 * Diffs that leave nothing behind: both sides are read-only `cftunnel-compare:` documents served
 * from memory (no untitled buffers, so no "save?" prompt), and `close()` closes the diff tab and
 * forgets the texts once the user has answered. Also `closeDiffTabs`, for a diff whose modified
 * side is a real document (the remote configuration's save).
 */
import * as vscode from 'vscode';

const SCHEME = 'cftunnel-compare';

class Texts implements vscode.TextDocumentContentProvider {
  readonly texts = new Map<string, string>();
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }
}

let texts: Texts | undefined;
let next = 1;

/** Registers the scheme once, for the extension's lifetime. */
export function registerReadOnlyDiffs(): vscode.Disposable {
  texts = new Texts();
  const registration = vscode.workspace.registerTextDocumentContentProvider(SCHEME, texts);
  return new vscode.Disposable(() => {
    registration.dispose();
    texts?.texts.clear();
    texts = undefined;
  });
}

export interface OpenDiff {
  /** Closes the diff tab (if still open) and forgets both texts. */
  close(): Promise<void>;
}

/** Opens a read-only diff of two texts; `name` ends in the file extension that picks the language. */
export async function showReadOnlyDiff(title: string, name: string, before: string, after: string): Promise<OpenDiff> {
  if (!texts) throw new Error('Read-only diffs are not registered.');
  const store = texts;
  const id = next++;
  const safe = name.replace(/[\\/]/g, '_');
  const left = vscode.Uri.from({ scheme: SCHEME, path: `/before/${safe}`, query: String(id) });
  const right = vscode.Uri.from({ scheme: SCHEME, path: `/after/${safe}`, query: String(id) });
  store.texts.set(left.toString(), before);
  store.texts.set(right.toString(), after);
  await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: true });
  return {
    close: async () => {
      await closeDiffTabs((_, modified) => modified.toString() === right.toString());
      store.texts.delete(left.toString());
      store.texts.delete(right.toString());
    },
  };
}

/** Closes every diff tab whose sides match. */
export async function closeDiffTabs(match: (original: vscode.Uri, modified: vscode.Uri) => boolean): Promise<void> {
  const tabs = vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputTextDiff && match(t.input.original, t.input.modified));
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs, true);
}
