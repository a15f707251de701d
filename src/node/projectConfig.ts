/**
 * The nearest `.cftunnel.yaml` above a file (its folder, then each parent up to the file system's
 * root), parsed once per content: one loader for the language server, the extension and
 * `cftunnel check`, so all three read the same file the same way. `read` gives a path's text (the
 * server passes open documents' unsaved text); `forget` drops what is cached after a change.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { NO_PROJECT_CONFIG, parseProjectConfig, PROJECT_CONFIG_FILE } from '../core/project/config';
import type { ProjectConfig } from '../core/project/config';

export type TextReader = (path: string) => string | undefined;

export const readTextFile: TextReader = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

export class ProjectConfigs {
  /** Folder → the config file that applies there (null: none up to the root). */
  private readonly nearest = new Map<string, string | null>();
  private readonly parsed = new Map<string, { text: string; config: ProjectConfig }>();

  constructor(private readonly read: TextReader = readTextFile) {}

  /** The project settings that apply to `file` (absolute or relative to the working directory). */
  forFile(file: string): ProjectConfig {
    return this.forFolder(dirname(resolve(file)));
  }

  forFolder(folder: string): ProjectConfig {
    const path = this.find(resolve(folder));
    if (!path) return NO_PROJECT_CONFIG;
    const text = this.read(path);
    if (text === undefined) return NO_PROJECT_CONFIG;
    const hit = this.parsed.get(path);
    if (hit && hit.text === text) return hit.config;
    const config = parseProjectConfig(text, path);
    this.parsed.set(path, { text, config });
    return config;
  }

  /** Everything cached: after a `.cftunnel.yaml` was created, changed or deleted. */
  forget(): void {
    this.nearest.clear();
    this.parsed.clear();
  }

  private find(folder: string): string | null {
    const seen: string[] = [];
    let dir = folder;
    let found: string | null = null;
    for (;;) {
      const cached = this.nearest.get(dir);
      if (cached !== undefined) {
        found = cached;
        break;
      }
      seen.push(dir);
      const candidate = join(dir, PROJECT_CONFIG_FILE);
      if (this.read(candidate) !== undefined) {
        found = candidate;
        break;
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    for (const d of seen) this.nearest.set(d, found);
    return found;
  }
}
