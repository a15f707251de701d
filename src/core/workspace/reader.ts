/**
 * The workspace's one way to the file system, injected by the caller. Its own module so that
 * store.ts can take a reader without importing workspace.ts (which imports the store and the checks).
 */

/**
 * File access injected by the caller (POSIX absolute paths), compatible with kustomize's
 * FileReader. `isDirectory` also tells the workspace where a git repository starts (`.git`);
 * `isGitIgnored`, when given, answers instead of the built-in .gitignore matcher.
 */
export interface WorkspaceReader {
  read(path: string): string | undefined;
  readBytes?(path: string): Uint8Array | undefined;
  isDirectory?(path: string): boolean;
  list?(dir: string): string[];
  isGitIgnored?(path: string): boolean;
}
