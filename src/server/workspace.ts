/**
 * The server's view of the workspace for cross-file checks: indexes the YAML files of the
 * workspace folders once (in slices, so requests are served meanwhile), then follows file
 * events and open-document edits one file at a time. Open documents win over the disk.
 * Not used in Restricted Mode: then only open documents are read.
 *
 * It also keeps the cloudflared configs each file holds (`configsInFile`: standalone or in a
 * ConfigMap), which the extension reads through `cftunnel/workspaceConfigs`, and answers
 * `cftunnel/trace` from the model (src/server/features/trace.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { configsInFile } from '../core/workspace/configs';
import type { ConfigInFile } from '../core/workspace/configs';
import { indexYaml } from '../core/workspace/fileSummary';
import { isKustomizationFileName } from '../core/kustomize/kustomization';
import { walkFiles } from '../node/workspaceFiles';
import { Workspace } from '../core/workspace/workspace';
import type { WorkspaceReader } from '../core/workspace/workspace';
import type { WorkspaceSettings } from '../core/settings';
import type { Diagnostic } from '../core/types';
import type { ParsedTextSource } from '../core/yaml/parsed';

const MAX_FILES = 20_000;

/** How long after the last edit an edited file's cloudflared configs are read again for the extension. */
const CONFIGS_DELAY_MS = 150;

/** Files whose content the workspace model indexes (generator inputs are read on demand). */
export function isIndexed(path: string): boolean {
  return /\.ya?ml$/i.test(path) || isKustomizationFileName(basename(path));
}

export class WorkspaceIndex {
  private readonly workspace: Workspace;
  private readonly openTexts = new Map<string, string>();
  private ready = false;
  private readonly configs = new Map<string, { key: string; list: ConfigInFile[] }>();
  private indexed?: Promise<number>;
  /** Called when the configs of a file changed (not during the first indexing). */
  onConfigsChanged?: () => void;
  /** Files the project's `.cftunnel.yaml` ignores: not indexed (as `cftunnel check` does not read them). */
  ignored: (path: string) => boolean = () => false;
  private readonly indexedPaths = new Set<string>();

  constructor() {
    const reader: WorkspaceReader = {
      read: (path) => this.openTexts.get(path) ?? readText(path),
      readBytes: (path) => {
        try {
          return readFileSync(path);
        } catch {
          return undefined;
        }
      },
      isDirectory: (path) => {
        try {
          return statSync(path).isDirectory();
        } catch {
          return false;
        }
      },
      list: (dir) => {
        try {
          return readdirSync(dir);
        } catch {
          return [];
        }
      },
    };
    this.workspace = new Workspace(reader);
  }

  /** Indexes every relevant file under the folders, yielding to the event loop between slices. */
  indexFolders(folders: string[], note?: (message: string) => void): Promise<number> {
    this.indexed = (async () => {
      const files: string[] = [];
      const include = (p: string): boolean => isIndexed(p) && !this.ignored(p);
      for (const folder of folders) walkFiles(folder, include, MAX_FILES, files, note ? { note } : {});
      // Indexed before and now ignored (`.cftunnel.yaml` changed): out of the model.
      const now = new Set(files);
      for (const p of [...this.indexedPaths])
        if (!now.has(p) && !this.openTexts.has(p)) this.update(p, undefined, false);
      for (let i = 0; i < files.length; i++) {
        this.update(files[i]!, this.openTexts.get(files[i]!) ?? readText(files[i]!), false);
        if (i % 200 === 199) await new Promise((resolve) => setImmediate(resolve));
      }
      this.ready = true;
      return files.length;
    })();
    return this.indexed;
  }

  /** The cloudflared configs of the workspace (once the first indexing is done), by path. */
  async workspaceConfigs(): Promise<ConfigInFile[]> {
    await this.indexed;
    this.flushConfigs();
    return [...this.configs.keys()].sort().flatMap((p) => this.configs.get(p)!.list);
  }

  /** The workspace model once the first indexing is done (for reading it: a trace). */
  async model(): Promise<Workspace> {
    await this.indexed;
    return this.workspace;
  }

  private update(path: string, written: string | undefined, notify = true, parsed?: ParsedTextSource): void {
    const text = written !== undefined && this.ignored(path) ? undefined : written;
    if (text === undefined) this.indexedPaths.delete(path);
    else this.indexedPaths.add(path);
    this.workspace.update(path, text, parsed);
    if (!notify) {
      this.pending.delete(path);
      this.readConfigsOf(path, text, parsed, false);
      return;
    }
    // An edit: the configs the extension reads are worked out once the edits pause (they are not on
    // the way to the diagnostics, and typing would pay for them on every key), or when asked for first.
    this.pending.set(path, { text, parsed });
    clearTimeout(this.pendingTimer);
    this.pendingTimer = setTimeout(() => this.flushConfigs(), CONFIGS_DELAY_MS);
  }

  private readonly pending = new Map<string, { text: string | undefined; parsed?: ParsedTextSource }>();
  private pendingTimer: NodeJS.Timeout | undefined;

  private flushConfigs(): void {
    clearTimeout(this.pendingTimer);
    this.pendingTimer = undefined;
    const pending = [...this.pending];
    this.pending.clear();
    for (const [path, { text, parsed }] of pending) this.readConfigsOf(path, text, parsed, true);
  }

  private readConfigsOf(path: string, text: string | undefined, parsed: ParsedTextSource | undefined, notify: boolean) {
    const list = text !== undefined && isIndexed(path) ? readConfigs(path, text, parsed) : [];
    const key = JSON.stringify(list);
    if ((this.configs.get(path)?.key ?? '[]') === key) return;
    if (list.length === 0) this.configs.delete(path);
    else this.configs.set(path, { key, list });
    if (notify) this.onConfigsChanged?.();
  }

  /** An open document's text changed (or it was opened): re-index that file only, from its shared parse. */
  documentChanged(path: string, text: string, parsed?: ParsedTextSource): void {
    this.openTexts.set(path, text);
    if (this.ready || isIndexed(path)) this.update(path, text, true, parsed);
  }

  /** An open document was closed: the disk is the truth again. */
  documentClosed(path: string): void {
    this.openTexts.delete(path);
    this.update(path, readText(path));
  }

  /** A file changed on disk (watcher event); undefined text means deleted. */
  fileChanged(path: string): void {
    if (this.openTexts.has(path)) return;
    this.update(path, readText(path));
  }

  /** The settings the cross-file checks honour (true: they changed). */
  configure(settings: WorkspaceSettings): boolean {
    return this.workspace.configure(settings);
  }

  diagnostics(path: string): Diagnostic[] {
    return this.workspace.diagnostics(path);
  }
}

/** A model of the given texts only (Restricted Mode: the open documents; nothing is read from the disk). */
export function textsWorkspace(texts: ReadonlyMap<string, string>): Workspace {
  const workspace = new Workspace({ read: (path) => texts.get(path) });
  for (const [path, text] of texts) if (isIndexed(path)) workspace.update(path, text);
  return workspace;
}

/**
 * The configs `path` holds (read again only for files with a `tunnel:` line, as the workspace model
 * keeps its summaries to itself; an open document's shared parse and config check are reused).
 */
export function readConfigs(path: string, text: string, parsed?: ParsedTextSource): ConfigInFile[] {
  if (!/^[ \t]*tunnel[ \t]*:/m.test(text)) return [];
  try {
    return configsInFile(indexYaml(path, text, parsed));
  } catch {
    return [];
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
