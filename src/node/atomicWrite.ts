/**
 * All-or-nothing writing of a set of files into one folder (plain node fs, no editor): shared by
 * the CLI's `cftunnel scaffold` and the extension's scaffold commands. Files are staged in a
 * temporary folder beside the target and renamed into place; replaced files are moved aside first
 * so that a failed rename puts everything back. Nothing existing is overwritten unless `force`;
 * an existing file is never replaced by placeholder content.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface FileToWrite {
  /** Relative to the folder (POSIX separators). */
  path: string;
  content: string;
  /** Mode to create the file with (default 0o644; 0o600 for secrets). */
  mode?: number;
  /** Placeholder content: an existing file is kept rather than replaced by it. */
  placeholder?: boolean;
}

export type WriteState = 'written' | 'replaced' | 'unchanged' | 'kept';
export type WriteResult =
  { ok: true; states: Map<string, WriteState> } | { ok: false; conflicts?: string[]; error?: string };

export interface WritePlan {
  states: Map<string, WriteState>;
  /** Existing files whose content differs (and which `force` would replace). */
  conflicts: string[];
}

/** What writing `files` into `dir` would do (reads only). With `force`, conflicts become `replaced`. */
export function planWrites(dir: string, files: readonly FileToWrite[], force = false): WritePlan {
  const states = new Map<string, WriteState>();
  const conflicts: string[] = [];
  for (const f of files) {
    const target = join(dir, f.path);
    if (!existsSync(target)) {
      states.set(f.path, 'written');
      continue;
    }
    let current: string | undefined;
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === f.content) states.set(f.path, 'unchanged');
    // An existing secret input is the user's real secret: a placeholder never replaces it.
    else if (f.placeholder) states.set(f.path, 'kept');
    else if (force) states.set(f.path, 'replaced');
    else conflicts.push(f.path);
  }
  return { states, conflicts };
}

/**
 * All files or none: decide, stage in a temporary folder beside `dir`, then rename into place,
 * moving replaced files aside so a failed rename can put everything back.
 */
export function writeAll(dir: string, files: readonly FileToWrite[], force: boolean): WriteResult {
  const { states, conflicts } = planWrites(dir, files, force);
  if (conflicts.length > 0) return { ok: false, conflicts };
  const toWrite = files.filter((f) => {
    const s = states.get(f.path);
    return s === 'written' || s === 'replaced';
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
      writeFileSync(join(fresh, f.path), f.content, { mode: f.mode ?? 0o644, flag: 'wx' });
    }
    if (!existsSync(dir)) {
      renameSync(fresh, dir); // one rename: atomic
    } else {
      const backup = join(staging, 'old');
      mkdirSync(backup);
      for (const f of toWrite) {
        const target = join(dir, f.path);
        if (existsSync(target)) {
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
