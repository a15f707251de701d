/** Temporary folders, a simulated full disk (for the tests of the product's file writes), and listing files. */
import { after } from 'node:test';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writerFs } from '../../src/node/atomicWrite';

/** A maker of temporary folders named `<prefix>…`, all removed after the test file. */
export function tempDirs(prefix: string): () => string {
  const roots: string[] = [];
  after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
  return () => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    roots.push(d);
    return d;
  };
}

/** The writer's real writeSync, to put back after a test that replaced it. */
export const realWriteSync = writerFs.writeSync;

/** A writeSync that writes at most `bytes` of a chunk, then fails with ENOSPC as a full disk does. */
export function diskFullAfter(bytes: number): typeof writerFs.writeSync {
  return (fd, data, offset, length) => {
    realWriteSync(fd, data, offset, Math.min(length, bytes));
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  };
}

/** The files under `dir` whose names `include` accepts, recursively, in sorted order. */
export function filesUnder(dir: string, include: (name: string) => boolean, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) filesUnder(p, include, out);
    else if (include(name)) out.push(p);
  }
  return out;
}
