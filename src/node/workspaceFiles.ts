/**
 * The file-system walk of a workspace: the one walker, for the CLI (`cftunnel check DIR`) and the
 * language server (indexing the workspace folders). Sorted, depth first; unreadable entries are
 * passed over. Each real folder and file is visited once (symbolic links are followed, and their
 * real paths remembered), so a link loop (`a -> .`) ends; a link to a folder already walked, a
 * dangling link and a folder deeper than MAX_WALK_DEPTH are skipped with a note.
 */
import { readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import { join } from 'node:path';

/**
 * Folders never walked: dependencies (`node_modules`), version control (`.git`), build output
 * (`dist`, `out`), caches (`.cache`) and test output (`.vscode-test`, `test-results`). They hold
 * no manifests of the user's, and can be large.
 */
export const SKIP_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  'dist',
  'out',
  '.cache',
  '.vscode-test',
  'test-results',
]);

/** Folders deeper than this below the walked folder are not entered. */
export const MAX_WALK_DEPTH = 32;

export interface WalkOptions {
  /** Told about what was skipped and why (the CLI prints it on stderr, the server logs it). */
  note?: (message: string) => void;
  maxDepth?: number;
}

/** The files under `dir` that `include` accepts, in sorted order, at most `max` of them. */
export function walkFiles(
  dir: string,
  include: (path: string) => boolean,
  max = Infinity,
  out: string[] = [],
  options: WalkOptions = {},
): string[] {
  const note = options.note ?? (() => undefined);
  const maxDepth = options.maxDepth ?? MAX_WALK_DEPTH;
  const seen = new Set<string>();
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    return out;
  }
  seen.add(real);

  const walk = (folder: string, realFolder: string, depth: number): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (out.length >= max) return;
      const name = entry.name;
      if (SKIP_DIRS.has(name)) continue;
      const path = join(folder, name);
      const link = entry.isSymbolicLink();
      let kind: Pick<Stats, 'isDirectory' | 'isFile'> = entry;
      let target = join(realFolder, name);
      if (link) {
        try {
          kind = statSync(path);
          target = realpathSync(path);
        } catch (e) {
          note(danglingNote(path, e as NodeJS.ErrnoException));
          continue;
        }
      }
      if (kind.isDirectory()) {
        if (seen.has(target)) {
          note(`skipped ${path}: a symbolic link to ${target}, which is walked already (a loop)`);
          continue;
        }
        if (depth + 1 > maxDepth) {
          note(`skipped ${path}: more than ${maxDepth} folders deep`);
          continue;
        }
        seen.add(target);
        walk(path, target, depth + 1);
      } else if (kind.isFile() && include(path) && !seen.has(target)) {
        seen.add(target);
        out.push(path);
      }
    }
  };
  walk(dir, real, 0);
  return out;
}

function danglingNote(path: string, e: NodeJS.ErrnoException): string {
  if (e.code === 'ELOOP') return `skipped ${path}: a symbolic link that leads back to itself (a loop)`;
  let target = '';
  try {
    target = readlinkSync(path);
  } catch {
    // the link went away meanwhile
  }
  return `skipped ${path}: a symbolic link to ${target || 'a path'} that does not exist`;
}
