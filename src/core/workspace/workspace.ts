/**
 * The workspace model: what cloudflared's files say about each other. Files arrive one at a time
 * through `update` (the caller reads them: no file system here); each update re-indexes that one
 * file and marks dirty only the checks that read something it changed. Checks run lazily, when
 * diagnostics are asked for, and their results are cached per file.
 *
 * A check starts from one file (a kustomization, a manifest, a cloudflared config) and may report
 * in others: a probe in deployment.yaml, a rule in config.yaml, a generator entry in
 * kustomization.yaml. Everything it looks at is recorded as a dependency key (see store.ts).
 */
import type { NamePlacement } from '../routing/kustomizeNames';
import { posix } from 'node:path';
import { isKustomizationFileName } from '../kustomize/model';
import type { Diagnostic } from '../types';
import { hasChecks, ROUTING_UNIT, runChecks } from './checks/run';
import type { ContainerLink } from './checks/output';
import { Ctx, SETTINGS_KEY } from './context';
import { DEFAULT_WORKSPACE_SETTINGS } from '../settings';
import type { WorkspaceSettings } from '../settings';
import { isYamlPath, Keys, namePlacement, Store } from './store';
import type { WorkspaceReader } from './reader';
import type { FileSummary } from './fileSummary';
import type { ParsedTextSource } from '../yaml/parsed';

export type { ContainerLink, LinkedFile } from './checks/output';
export type { WorkspaceReader } from './reader';

interface Unit {
  deps: Set<string>;
  outputs: Map<string, Diagnostic[]>;
  links: ContainerLink[];
}

/** Whether `update` needs to hear about a path: YAML files, kustomizations, .gitignore, generator inputs. */
export function isWorkspaceFile(path: string): boolean {
  return isYamlPath(path) || posix.basename(path) === '.gitignore';
}

export class Workspace {
  private readonly store: Store;
  private readonly units = new Map<string, Unit>();
  /** Dependency key → the units that read it. */
  private readonly dependents = new Map<string, Set<string>>();
  /** File → the units that report in it. */
  private readonly targets = new Map<string, Set<string>>();
  private readonly cache = new Map<string, Diagnostic[]>();
  private readonly dirty = new Set<string>();
  private settings: WorkspaceSettings = DEFAULT_WORKSPACE_SETTINGS;

  constructor(reader: WorkspaceReader) {
    this.store = new Store(reader);
    // The routing checks read the whole workspace: one unit, run again when Keys.routing changes.
    this.markDirty(ROUTING_UNIT);
  }

  /**
   * Indexes or re-indexes one file (`undefined`: it was deleted). YAML files and kustomizations are
   * parsed; any other path (credentials.json, an envs file, .gitignore) is recorded and the
   * generators that read it run again when next needed.
   */
  update(path: string, text: string | undefined, parsed?: ParsedTextSource): void {
    const p = posix.normalize(path);
    const changed = new Set<string>([Keys.file(p)]);
    if (posix.basename(p) === '.gitignore') changed.add(Keys.gitignore);
    this.store.setContent(p, text);
    const kustomization = isKustomizationFileName(p);
    if (kustomization) this.store.setKustomization(p, text, changed);
    else if (isYamlPath(p)) this.store.setYaml(p, text, changed, parsed);
    this.store.inputChanged(p, changed);
    this.store.replaceDependents(changed);

    if (hasChecks(this.store.files.get(p), kustomization && text !== undefined)) this.markDirty(p);
    else this.dropUnit(p);
    for (const key of changed) for (const u of this.dependents.get(key) ?? []) this.markDirty(u);
  }

  /** The settings the checks honour; the checks that read them run again when they change (true: they did). */
  configure(settings: WorkspaceSettings): boolean {
    if (JSON.stringify(settings) === JSON.stringify(this.settings)) return false;
    this.settings = settings;
    for (const u of this.dependents.get(SETTINGS_KEY) ?? []) this.markDirty(u);
    return true;
  }

  /** The cross-file diagnostics located in `path`. */
  diagnostics(path: string): Diagnostic[] {
    const p = posix.normalize(path);
    this.flush();
    const cached = this.cache.get(p);
    if (cached) return cached;
    const all: Diagnostic[] = [];
    const seen = new Set<string>();
    for (const u of [...(this.targets.get(p) ?? [])].sort()) {
      for (const d of this.units.get(u)?.outputs.get(p) ?? []) {
        const key = `${d.code}|${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}|${d.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        all.push(d);
      }
    }
    all.sort(
      (a, b) =>
        a.range.start.line - b.range.start.line ||
        a.range.start.character - b.range.start.character ||
        a.code.localeCompare(b.code),
    );
    this.cache.set(p, all);
    return all;
  }

  /** The files that have cross-file diagnostics. */
  files(): string[] {
    this.flush();
    return [...this.targets.keys()].filter((p) => this.diagnostics(p).length > 0).sort();
  }

  /** The cloudflared containers and the files they read (all, or those of the manifest `path`). */
  links(path?: string): ContainerLink[] {
    this.flush();
    const p = path === undefined ? undefined : posix.normalize(path);
    return [...this.units.entries()].filter(([u]) => p === undefined || u === p).flatMap(([, unit]) => unit.links);
  }

  /** The indexed YAML files (not kustomizations), each parsed once per update. */
  summaries(): Iterable<FileSummary> {
    return this.store.files.values();
  }

  /** What the kustomizations that include `path` do to its objects: namespace, name prefix and suffix. */
  placementOf(path: string): NamePlacement {
    return namePlacement(this.store.placement(posix.normalize(path)));
  }

  stats(): { files: number; kustomizations: number; containers: number } {
    let containers = 0;
    for (const f of this.store.files.values())
      for (const w of f.workloads) containers += w.containers.filter((c) => c.cloudflared && !c.init).length;
    return { files: this.store.files.size + this.store.kusts.size, kustomizations: this.store.kusts.size, containers };
  }

  private markDirty(path: string): void {
    let unit = this.units.get(path);
    if (!unit) {
      unit = { deps: new Set(), outputs: new Map(), links: [] };
      this.units.set(path, unit);
    }
    this.dirty.add(path);
    for (const target of unit.outputs.keys()) this.cache.delete(target);
  }

  private dropUnit(path: string): void {
    const unit = this.units.get(path);
    if (!unit) return;
    this.detach(path, unit);
    this.units.delete(path);
    this.dirty.delete(path);
  }

  private detach(path: string, unit: Unit): void {
    for (const key of unit.deps) this.dependents.get(key)?.delete(path);
    for (const target of unit.outputs.keys()) {
      this.targets.get(target)?.delete(path);
      if (this.targets.get(target)?.size === 0) this.targets.delete(target);
      this.cache.delete(target);
    }
  }

  /** Runs the checks marked dirty since the last call. */
  private flush(): void {
    for (const path of [...this.dirty]) {
      this.dirty.delete(path);
      const unit = this.units.get(path);
      if (!unit) continue;
      this.detach(path, unit);
      const ctx = new Ctx(this.store, this.settings);
      const out = runChecks(ctx, path);
      unit.deps = ctx.deps;
      unit.deps.add(Keys.file(path));
      unit.outputs = out.byFile;
      unit.links = out.links;
      for (const key of unit.deps) addToSet(this.dependents, key, path);
      for (const target of unit.outputs.keys()) {
        addToSet(this.targets, target, path);
        this.cache.delete(target);
      }
    }
  }
}

function addToSet(map: Map<string, Set<string>>, key: string, value: string): void {
  const cur = map.get(key);
  if (cur) cur.add(value);
  else map.set(key, new Set([value]));
}
