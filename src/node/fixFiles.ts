/**
 * Writing the files a fix carries (core `Fix.files`), all or nothing, for the CLI's `check --fix`
 * and the language server's quick fixes: a file to create holds a secret, so it is created 0600,
 * atomically, never over an existing file and never through a symbolic link; `.gitignore` entries
 * are added by the one .gitignore writer (never through a link either). Nothing lands outside
 * `within` (realpath). When a step fails, the steps done are undone and the error is thrown, so the
 * caller leaves the document as it was: a secret is never removed from a manifest without being
 * saved beside it.
 */
import { lstatSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FileToWrite } from '../core/types';
import { linkRefusal, writeFileAtomic, WriteRefusedError } from './atomicWrite';
import { addToGitignore } from './gitignore';

export interface FixFilesDone {
  /** What was done, one line each (paths and modes, never contents). */
  report: string[];
  /** Puts every file back as it was (best effort). */
  undo(): void;
}

/** Writes `files` (paths relative to `folder`). Throws WriteRefusedError (or the fs error) after undoing. */
export function writeFixFiles(folder: string, files: readonly FileToWrite[], within?: string): FixFilesDone {
  const report: string[] = [];
  const undos: Array<() => void> = [];
  const undo = (): void => {
    for (const u of undos.splice(0).reverse()) {
      try {
        u();
      } catch {
        // Best effort: the error that stopped the fix is the one to report.
      }
    }
  };
  const gitignore = (path: string, entry: string): void => {
    const before = snapshot(path);
    if (addToGitignore(path, entry, undefined, within)) {
      undos.push(() => restore(path, before));
      report.push(`${path}: added ${entry}`);
    }
  };
  try {
    for (const f of files) {
      const target = join(folder, f.path);
      if (f.append) {
        gitignore(target, f.content.replace(/\n$/, ''));
        continue;
      }
      const existing = snapshot(target);
      if (existing !== undefined && existing !== f.content) {
        throw new WriteRefusedError(
          `${target} exists and holds something else: not overwritten. Move it away, or put the value there yourself, and fix again.`,
        );
      }
      if (existing === undefined) {
        writeFileAtomic(target, f.content, {
          mode: 0o600,
          forceMode: true,
          exclusive: true,
          ...(within === undefined ? {} : { within }),
        });
        undos.push(() => rmSync(target, { force: true }));
        report.push(`${target}: written (mode 0600)`);
      }
      if (f.gitignore) gitignore(join(folder, '.gitignore'), f.path);
    }
  } catch (e) {
    undo();
    throw e;
  }
  return { report, undo };
}

/** The text of the regular file at `path`, undefined when missing; refuses a link (never read through one). */
function snapshot(path: string): string | undefined {
  try {
    if (lstatSync(path).isSymbolicLink()) throw new WriteRefusedError(linkRefusal(path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return readFileSync(path, 'utf8');
}

function restore(path: string, before: string | undefined): void {
  if (before === undefined) rmSync(path, { force: true });
  else writeFileAtomic(path, before);
}
