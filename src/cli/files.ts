/**
 * The files a `cftunnel` command reads: YAML files given directly or found under folders, read into
 * the workspace model (which reads generator inputs, credentials and .gitignore through the same
 * file system).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { WorkspaceReader } from '../core/workspace/reader';
import { walkFiles } from '../node/workspaceFiles';

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

/**
 * Files to check: YAML files given directly, or found recursively under given folders. What the
 * walk skips (link loops, dangling links, too deep) goes to `note`.
 */
export function collectFiles(paths: string[], note?: (message: string) => void): string[] {
  const files: string[] = [];
  for (const p of paths) {
    if (statSync(p).isDirectory()) walkFiles(p, (f) => /\.ya?ml$/i.test(f), Infinity, files, note ? { note } : {});
    else files.push(p);
  }
  return files;
}

/** The file system as the workspace model reads it. */
export function fsReader(): WorkspaceReader {
  const attempt = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch {
      return undefined;
    }
  };
  return {
    read: (path) => attempt(() => readFileSync(path, 'utf8')),
    readBytes: (path) => attempt(() => readFileSync(path)),
    isDirectory: (path) => attempt(() => statSync(path).isDirectory()) ?? false,
    list: (dir) => attempt(() => readdirSync(dir)) ?? [],
  };
}

/**
 * Collects the files under `paths` and reads each (`onText` gets its absolute path's text; it may
 * transform it); files `include` turns down are not read. False when a path or file cannot be read: said on stderr, the command exits 2.
 */
export function readFiles(
  paths: string[],
  io: CliOutput,
  onText: (file: string, absolute: string, text: string) => void,
  include: (absolute: string) => boolean = () => true,
): string[] | undefined {
  let files: string[];
  try {
    files = collectFiles(paths, (m) => io.err(`cftunnel: note: ${m}`)).filter((f) => include(resolve(f)));
  } catch (e) {
    io.err(`cftunnel: cannot read ${(e as NodeJS.ErrnoException).path ?? paths.join(' ')}: ${(e as Error).message}`);
    return undefined;
  }
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      io.err(`cftunnel: cannot read ${file}: ${(e as Error).message}`);
      return undefined;
    }
    onText(file, resolve(file), text);
  }
  return files;
}
