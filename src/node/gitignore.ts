/**
 * Adding an entry to a .gitignore on disk: the one place that writes it (the CLI's `--fix`,
 * "Write credentials.json"). What to write is the core's rule (src/core/workspace/gitignore.ts).
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { gitignoreAddition } from '../core/workspace/gitignore';

/** Appends `entry` to the .gitignore at `path` (created when missing) unless it lists it; true when written. */
export function addToGitignore(path: string, entry: string, comment?: string): boolean {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const addition = gitignoreAddition(text, entry, comment);
  if (addition === undefined) return false;
  appendFileSync(path, addition);
  return true;
}
