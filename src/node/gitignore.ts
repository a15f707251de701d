/**
 * Adding an entry to a .gitignore on disk: the one place that writes it (the CLI's `--fix`, the
 * server's quick fixes, "Write credentials.json"). What to write is the core's rule
 * (src/core/workspace/gitignore.ts); the file is read and written back whole, atomically, keeping
 * its BOM, line endings and mode (src/node/atomicWrite.ts). A .gitignore that is a symbolic link is
 * refused (WriteRefusedError): appending through it would change a file elsewhere.
 */
import { gitignoreAddition } from '../core/workspace/gitignore';
import { updateTextFileAtomic } from './atomicWrite';

/**
 * Adds `entry` (a literal path; a leading `/` anchors it) to the .gitignore at `path` (created when
 * missing) unless it lists it; true when written. `within`: the folder the file must resolve inside.
 */
export function addToGitignore(path: string, entry: string, comment?: string, within?: string): boolean {
  return updateTextFileAtomic(
    path,
    (text) => {
      const addition = gitignoreAddition(text, entry, comment);
      return addition === undefined ? undefined : text + addition;
    },
    within === undefined ? {} : { within },
  );
}
