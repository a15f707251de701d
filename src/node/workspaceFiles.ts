/**
 * The file-system walk of a workspace: the one walker, for the CLI (`cftunnel check DIR`) and the
 * language server (indexing the workspace folders). Sorted, depth first; unreadable entries are
 * passed over.
 */
import { readdirSync, statSync } from 'node:fs';
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

/** The files under `dir` that `include` accepts, in sorted order, at most `max` of them. */
export function walkFiles(
  dir: string,
  include: (path: string) => boolean,
  max = Infinity,
  out: string[] = [],
): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names.sort()) {
    if (out.length >= max) return out;
    if (SKIP_DIRS.has(name)) continue;
    const path = join(dir, name);
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      continue;
    }
    if (isDir) walkFiles(path, include, max, out);
    else if (include(path)) out.push(path);
  }
  return out;
}
