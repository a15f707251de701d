/**
 * A fixture folder as the workspace model reads it from disk, and `kubectl kustomize` (the oracle
 * for what kustomize makes of it): shared by the integration tests that compare the two.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { isWorkspaceFile, Workspace } from '../../src/core/workspace/workspace';
import type { WorkspaceReader } from '../../src/core/workspace/workspace';

type Obj = Record<string, unknown>;

const isFile = (p: string): boolean => existsSync(p) && statSync(p).isFile();

/** The folder on disk; a fixture's `gitignore` stands for its `.gitignore`, and `root` is a git root. */
export function fsReader(root: string): WorkspaceReader {
  const real = (p: string): string => (p.endsWith('/.gitignore') ? `${p.slice(0, -'.gitignore'.length)}gitignore` : p);
  return {
    read: (p) => (isFile(real(p)) ? readFileSync(real(p), 'utf8') : undefined),
    readBytes: (p) => (isFile(real(p)) ? new Uint8Array(readFileSync(real(p))) : undefined),
    isDirectory: (p) => p === join(root, '.git') || (existsSync(p) && statSync(p).isDirectory()),
    list: (d) => readdirSync(d),
  };
}

/** Every file under `dir`. */
export function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** A Workspace holding every workspace file under `root`. */
export function loadWorkspace(root: string): Workspace {
  const ws = new Workspace(fsReader(root));
  for (const p of walk(root)) if (isWorkspaceFile(p)) ws.update(p, readFileSync(p, 'utf8'));
  return ws;
}

/**
 * `kubectl kustomize dir`: its objects, or its error. `failsafe` (the default): every scalar is
 * the string kubectl printed; `core`: numbers and booleans as YAML reads them.
 */
export function kubectlKustomize(
  dir: string,
  schema: 'failsafe' | 'core' = 'failsafe',
): { ok: true; objects: Obj[] } | { ok: false; stderr: string } {
  const r = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) {
    assert.fail(
      `kubectl could not be run (${r.error.message}). This test compares the workspace model with \`kubectl kustomize\` and needs kubectl on PATH.`,
    );
  }
  if (r.status !== 0) return { ok: false, stderr: r.stderr };
  return { ok: true, objects: parseAllDocuments(r.stdout, { schema }).map((d) => d.toJS() as Obj) };
}
