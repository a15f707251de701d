/**
 * Generator inputs read as kustomize's fileLoader with RestrictionRootOnly reads them
 * (api/loader/fileloader.go): relative to the kustomization's folder, a file (not a folder), in
 * or below that folder; URLs are kustomize's to download, not ours.
 */
import { posix } from 'node:path';
import type { FileReader, KustomizeProblem, Located } from './types';

export function normalizeDir(dir: string): string {
  const d = posix.normalize(dir);
  return d.length > 1 ? d.replace(/\/+$/, '') : d;
}

/** Reads generator inputs as kustomize's fileLoader with RestrictionRootOnly does. */
export class InputReader {
  constructor(
    readonly root: string,
    readonly files: FileReader,
    readonly problems: KustomizeProblem[],
  ) {}

  resolve(p: string): string {
    return posix.isAbsolute(p) ? posix.normalize(p) : posix.join(this.root, p);
  }

  load(entry: Located<string>): string | Uint8Array | undefined {
    const p = entry.value;
    if (/^https?:\/\//i.test(p)) {
      this.problems.push({
        code: 'kustomize-remote-file',
        severity: 'information',
        message: `kustomize downloads ${p}; its content (and so the name hash) is not checked here`,
        range: entry.range,
      });
      return undefined;
    }
    const abs = this.resolve(p);
    if (this.files.isDirectory?.(abs) || abs === this.root) {
      this.problems.push({
        code: 'kustomize-not-a-file',
        severity: 'error',
        message: `'${abs}' must resolve to a file`,
        range: entry.range,
      });
      return undefined;
    }
    const bytes = this.files.readBytes?.(abs);
    const content = bytes ?? this.files.read(abs);
    if (content === undefined) {
      this.problems.push({
        code: 'kustomize-missing-file',
        severity: 'error',
        message: `evalsymlink failure on '${abs}' : lstat ${abs}: no such file or directory`,
        range: entry.range,
      });
      return undefined;
    }
    const d = posix.dirname(abs);
    if (!(this.root === '/' || d === this.root || d.startsWith(`${this.root}/`))) {
      this.problems.push({
        code: 'kustomize-outside-root',
        severity: 'error',
        message: `security; file '${abs}' is not in or below '${this.root}'`,
        range: entry.range,
      });
      return undefined;
    }
    return content;
  }
}
