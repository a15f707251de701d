/**
 * Every write of the product goes through this module (plain node fs, no editor):
 *
 * - `writeFileAtomic`: one file: a temporary file in the same folder, written, fsynced, then renamed
 *   over the target, so a failed write (a full disk) leaves the old file whole. An existing file keeps
 *   its mode; a new one gets `mode` (0o600 for secrets, created 0o600 from the first byte). Never
 *   through a symbolic link (the link is refused, not replaced), never outside `within` (realpath).
 * - `updateTextFileAtomic`: read, change, write back atomically, keeping the file's BOM and CRLF.
 * - `writeAll`: all-or-nothing writing of a set of files into one folder, shared by the CLI's
 *   `cftunnel scaffold` and the extension's scaffold commands. Files are staged in a temporary
 *   folder beside the target and renamed into place; replaced files are moved aside first so that a
 *   failed rename puts everything back. Nothing existing is overwritten unless `force`; an existing
 *   file is never replaced by placeholder content; a `.gitignore` is merged, never replaced.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  fchmodSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import type { Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { mergeGitignore } from '../core/workspace/gitignore';

/** A write refused before anything was written: the message says why and what to do. */
export class WriteRefusedError extends Error {}

/** Why a symbolic link is not written through. */
export function linkRefusal(path: string): string {
  return `${path} is a symbolic link: not writing through it (it could put the content anywhere). Remove the link, or write the file where it points yourself.`;
}

/** The file system calls the writer makes that a test replaces to simulate a full disk (a test seam). */
export const writerFs: {
  writeSync(fd: number, data: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
} = { writeSync: (fd, data, offset, length) => writeSync(fd, data, offset, length), fsyncSync };

export interface AtomicWriteOptions {
  /** Mode of a new file (default 0o644); an existing file keeps its own. */
  mode?: number;
  /** Give the file this mode even when it exists (secrets: 0o600). */
  forceMode?: boolean;
  /** Never replace an existing file (refused with a WriteRefusedError). */
  exclusive?: boolean;
  /** The folder the file must resolve inside (realpath): a write that would land elsewhere is refused. */
  within?: string;
}

/**
 * Refuses `path` when it is a symbolic link (dangling or not) or, with `within`, when its real
 * folder lies outside `within`'s real path. Returns the file's lstat (undefined when missing).
 */
export function checkWriteTarget(path: string, within?: string): Stats | undefined {
  let stat: Stats | undefined;
  try {
    stat = lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (stat?.isSymbolicLink()) {
    throw new WriteRefusedError(linkRefusal(path));
  }
  if (stat && !stat.isFile()) throw new WriteRefusedError(`${path} exists and is not a regular file: not written.`);
  if (within !== undefined) {
    const realDir = realOrSelf(dirname(path));
    const realRoot = realOrSelf(within);
    const rel = relative(realRoot, join(realDir, basename(path)));
    if (rel.startsWith('..') || isAbsolute(rel)) {
      throw new WriteRefusedError(
        `${path} resolves to ${join(realDir, basename(path))}, outside ${within} (a folder on the way is a symbolic link): not written.`,
      );
    }
  }
  return stat;
}

function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

/** Writes `content` to `path` atomically (see the module comment). Throws WriteRefusedError or the fs error. */
export function writeFileAtomic(path: string, content: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const stat = checkWriteTarget(path, options.within);
  if (stat && options.exclusive) throw new WriteRefusedError(`${path} exists: not overwritten.`);
  const mode = stat && !options.forceMode ? stat.mode & 0o7777 : (options.mode ?? 0o644);
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  // Created 0600 whatever it becomes: a secret is never readable by others, not even while written.
  stageFile(temp, content, mode);
  let placed = false;
  try {
    if (options.exclusive) {
      // link(2) fails when the target appeared meanwhile: never overwrites; rename elsewhere.
      try {
        linkSync(temp, path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST')
          throw new WriteRefusedError(`${path} exists: not overwritten.`);
        if (existsSync(path)) throw new WriteRefusedError(`${path} exists: not overwritten.`);
        renameSync(temp, path);
      }
    } else {
      renameSync(temp, path);
    }
    placed = true;
    syncFolder(dirname(path));
  } finally {
    if (!placed || existsSync(temp)) rmSync(temp, { force: true });
  }
}

/** Flushes a folder's entries (the rename) to disk; not every platform can. */
function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Windows and some file systems cannot open or fsync a folder.
  }
}

/**
 * Reads the text file at `path` (missing: ""), passes it to `update` without its BOM and with LF line
 * endings, and writes the result back atomically with the file's BOM and CRLF endings (when its first
 * line ending is CRLF). `update` returns undefined for "no change". Refuses links as writeFileAtomic.
 */
export function updateTextFileAtomic(
  path: string,
  update: (text: string) => string | undefined,
  options: AtomicWriteOptions = {},
): boolean {
  checkWriteTarget(path, options.within);
  let raw = '';
  try {
    raw = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const bom = raw.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = raw.slice(bom.length);
  const crlf = /^[^\n]*\r\n/.test(body);
  const next = update(crlf ? body.replace(/\r\n/g, '\n') : body);
  if (next === undefined) return false;
  writeFileAtomic(path, bom + (crlf ? next.replace(/\r?\n/g, '\r\n') : next), options);
  return true;
}

export interface FileToWrite {
  /** Relative to the folder (POSIX separators). */
  path: string;
  content: string;
  /** Mode to create the file with (default 0o644; 0o600 for secrets). */
  mode?: number;
  /** Placeholder content: an existing file is kept rather than replaced by it. */
  placeholder?: boolean;
  /** A .gitignore: an existing one keeps its lines and gets the missing ones (never replaced). */
  merge?: 'gitignore';
}

export type WriteState = 'written' | 'replaced' | 'merged' | 'unchanged' | 'kept';
export type WriteResult =
  { ok: true; states: Map<string, WriteState> } | { ok: false; conflicts?: string[]; error?: string };

export interface WritePlan {
  states: Map<string, WriteState>;
  /** The content to write where it differs from the file's (merged .gitignore files). */
  contents: Map<string, string>;
  /** Existing files whose content differs (and which `force` would replace). */
  conflicts: string[];
}

/** What writing `files` into `dir` would do (reads only). With `force`, conflicts become `replaced`. */
export function planWrites(dir: string, files: readonly FileToWrite[], force = false): WritePlan {
  const states = new Map<string, WriteState>();
  const contents = new Map<string, string>();
  const conflicts: string[] = [];
  for (const f of files) {
    const target = join(dir, f.path);
    let link = false;
    try {
      link = lstatSync(target).isSymbolicLink();
    } catch {
      states.set(f.path, 'written');
      continue;
    }
    let current: string | undefined;
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      current = undefined;
    }
    const merged =
      f.merge === 'gitignore' && current !== undefined && !link ? mergeGitignore(current, f.content) : undefined;
    if (merged !== undefined) {
      // The user's lines stay; only the missing entries are added.
      if (merged === current) states.set(f.path, 'unchanged');
      else {
        states.set(f.path, 'merged');
        contents.set(f.path, merged);
      }
    } else if (current === f.content && !link) states.set(f.path, 'unchanged');
    // An existing secret input is the user's real secret: a placeholder never replaces it.
    else if (f.placeholder) states.set(f.path, 'kept');
    else if (force) states.set(f.path, 'replaced');
    else conflicts.push(f.path);
  }
  return { states, contents, conflicts };
}

/**
 * All files or none: decide, stage in a temporary folder beside `dir`, then rename into place,
 * moving replaced files aside so a failed rename can put everything back.
 */
export function writeAll(dir: string, files: readonly FileToWrite[], force: boolean): WriteResult {
  const { states, contents, conflicts } = planWrites(dir, files, force);
  if (conflicts.length > 0) return { ok: false, conflicts };
  const toWrite = files.filter((f) => {
    const s = states.get(f.path);
    return s === 'written' || s === 'replaced' || s === 'merged';
  });
  if (toWrite.length === 0) return { ok: true, states };

  const parent = dirname(dir);
  let staging: string | undefined;
  const placed: string[] = [];
  const backedUp: string[] = [];
  try {
    mkdirSync(parent, { recursive: true });
    staging = mkdtempSync(join(parent, '.cftunnel-scaffold-'));
    const fresh = join(staging, 'new');
    mkdirSync(fresh);
    for (const f of toWrite) {
      mkdirSync(dirname(join(fresh, f.path)), { recursive: true });
      stageFile(join(fresh, f.path), contents.get(f.path) ?? f.content, f.mode ?? existingMode(join(dir, f.path)));
    }
    if (!existsSync(dir)) {
      renameSync(fresh, dir); // one rename: atomic
    } else {
      const backup = join(staging, 'old');
      mkdirSync(backup);
      for (const f of toWrite) {
        const target = join(dir, f.path);
        if (present(target)) {
          mkdirSync(dirname(join(backup, f.path)), { recursive: true });
          renameSync(target, join(backup, f.path));
          backedUp.push(f.path);
        }
        mkdirSync(dirname(target), { recursive: true });
        renameSync(join(fresh, f.path), target);
        placed.push(f.path);
      }
    }
  } catch (e) {
    // Roll back: remove what was placed, restore what was moved aside.
    for (const p of placed) rmSync(join(dir, p), { force: true });
    if (staging) for (const p of backedUp) renameSync(join(staging, 'old', p), join(dir, p));
    if (staging) rmSync(staging, { recursive: true, force: true });
    return { ok: false, error: (e as Error).message };
  }
  rmSync(staging, { recursive: true, force: true });
  return { ok: true, states };
}

/** Whether anything is at `path`, a dangling link included. */
function present(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The mode of the regular file at `path` (a replaced file keeps it), else the default 0o644. */
function existingMode(path: string): number {
  try {
    const st = lstatSync(path);
    return st.isFile() ? st.mode & 0o7777 : 0o644;
  } catch {
    return 0o644;
  }
}

/**
 * Writes a staged file: created 0600 (never readable by others while written), written in full,
 * given its mode, fsynced. A failure removes what was written.
 */
function stageFile(path: string, content: string | Uint8Array, mode: number): void {
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const fd = openSync(path, 'wx', 0o600);
  try {
    try {
      let off = 0;
      while (off < data.byteLength) off += writerFs.writeSync(fd, data, off, data.byteLength - off);
      fchmodSync(fd, mode);
      writerFs.fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    rmSync(path, { force: true });
    throw err;
  }
}
