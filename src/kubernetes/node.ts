/**
 * The only file of `src/kubernetes` that touches the file system (lint exempts it alone): reading
 * kubeconfig files. Everything else takes file contents through `ReadFile`, so tests and the
 * untrusted-workspace rules decide what is read.
 */
import { readFileSync } from 'node:fs';

/** A file's text, or `undefined` when it does not exist; other failures throw. */
export type ReadFile = (path: string) => string | undefined;

export const readTextFile: ReadFile = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR')
      return undefined;
    throw err;
  }
};
