/**
 * The workspace's indexes, kept up to date one file at a time:
 * - YAML files (their summaries) and kustomizations (parsed, generated objects computed lazily);
 * - file contents: editor texts given by `update`, else read through the reader once and cached;
 * - reverse indexes: resource path → kustomizations that list it, generator input → kustomizations
 *   that read it, dependency key → files whose placement (namespace, name prefix) depends on it;
 * - where definitions land: Services by namespace and by ClusterIP, ConfigMap/Secret resources by
 *   name, PodDisruptionBudgets by namespace.
 *
 * Changes are reported as dependency keys (see `Keys`) so that only what depends on them is redone.
 */
import type { NamePlacement } from '../routing/kustomizeNames';
import { posix } from 'node:path';
import { checkConfigText } from '../config/check';
import type { ConfigModel } from '../config/model';
import {
  generateObjects,
  isKustomizationFileName,
  KUSTOMIZATION_FILE_NAMES,
  parseKustomization,
} from '../kustomize/model';
import type { FileReader, GeneratedObject, Kustomization, KustomizeProblem } from '../kustomize/model';
import { isIgnored, parseGitignore } from './gitignore';
import type { IgnoreFile, IgnoreRule } from './gitignore';
import { indexYaml } from './fileSummary';
import type { ParsedTextSource } from '../yaml/parsed';
import type { CustomDef, DataObjectDef, FileSummary, PdbDef, PolicyDef, ServiceDef } from './fileSummary';
import type { WorkspaceReader } from './reader';

/** Dependency keys: what a computation read, and what an update changed. */
export const Keys = {
  file: (path: string) => `file:${path}`,
  kust: (dir: string) => `kust:${dir}`,
  gen: (dir: string) => `gen:${dir}`,
  owners: (path: string) => `owners:${path}`,
  services: (ns: string) => `svc:${ns}`,
  clusterIP: (ip: string) => `svcip:${ip}`,
  object: (kind: string, name: string) => `res:${kind}/${name}`,
  pdbs: (ns: string) => `pdb:${ns}`,
  policies: (ns: string) => `netpol:${ns}`,
  customs: (ns: string) => `custom:${ns}`,
  podPolicies: 'podpol:*',
  gitignore: 'gitignore:*',
  /** Any file holding routing objects or a tunnel config (the routing checks read the whole workspace). */
  routing: 'routing:*',
};

/** Kinds a trace reads that the summaries do not index (the API groups are Kubernetes' own). */
const ROUTING_KIND_LINE = /^[ \t]*kind[ \t]*:[ \t]*['"]?(?:Ingress|IngressClass)['"]?[ \t]*(?:#.*)?$/m;

/** Custom kinds of the routing model (Gateway API, Traefik). */
const ROUTING_CUSTOM = /^(?:Gateway|HTTPRoute|GRPCRoute|ReferenceGrant|IngressRoute)$/;

/**
 * Whether a file holds anything the routing checks read: Services, workloads, Ingresses,
 * IngressClasses, Gateway API or Traefik objects, a cloudflared config or ConfigMaps (which may hold one).
 */
export function holdsRouting(s: FileSummary | undefined): boolean {
  if (!s) return false;
  return (
    s.config !== undefined ||
    s.services.length > 0 ||
    s.workloads.length > 0 ||
    s.objects.some((o) => o.kind === 'ConfigMap') ||
    s.customs.some((c) => ROUTING_CUSTOM.test(c.kind)) ||
    (s.docs.length > 0 && ROUTING_KIND_LINE.test(s.text))
  );
}

export interface KustEntry {
  path: string;
  dir: string;
  k: Kustomization;
  /** `resources` entries as absolute paths (remote ones left out). */
  resources: string[];
  gen?: Generated;
}

export interface Generated {
  objects: GeneratedObject[];
  problems: KustomizeProblem[];
  /** Every path the generators looked at. */
  inputs: Set<string>;
}

/** Where a file's objects end up once the kustomizations that include it are applied. */
export interface Placement {
  /** The kustomization listing the file, the one listing that one's folder, …; nearest first. */
  chain: KustEntry[];
  namespace?: string;
  prefix: string;
  suffix: string;
}

/**
 * What a placement does to the names of routing objects (./../routing/kustomizeNames.ts). A chain
 * with `configurations` or `crds` may follow renames into more fields than the model knows: its
 * objects are then read with their names as written.
 */
export function namePlacement(p: Placement): NamePlacement {
  const known = !p.chain.some((k) => k.k.nameReferences?.length);
  return {
    ...(p.namespace !== undefined ? { namespace: p.namespace } : {}),
    prefix: known ? p.prefix : '',
    suffix: known ? p.suffix : '',
  };
}

export interface PlacedService {
  file: string;
  def: ServiceDef;
  /** Name with the kustomizations' prefixes and suffixes. */
  name: string;
  namespace: string;
}

export interface PlacedObject {
  file: string;
  def: DataObjectDef;
  namespace: string;
}

export interface PlacedPdb {
  file: string;
  def: PdbDef;
  namespace: string;
}

export interface PlacedPolicy {
  file: string;
  def: PolicyDef;
  /** Name with the kustomizations' prefixes and suffixes. */
  name: string;
  namespace: string;
}

export interface PlacedCustom {
  file: string;
  def: CustomDef;
  /** Name with the kustomizations' prefixes and suffixes. */
  name: string;
  /** Its namespace; for a HelmRelease/Application, the namespace it deploys into. */
  namespace: string;
}

interface Content {
  text: string | undefined;
  /** Editor text that differs from the disk: bytes are not read. */
  overlay: boolean;
  bytes?: Uint8Array | undefined;
  bytesRead?: boolean;
}

interface Placed {
  deps: Set<string>;
  services: PlacedService[];
  objects: PlacedObject[];
  pdbs: PlacedPdb[];
  policies: PlacedPolicy[];
  customs: PlacedCustom[];
  signature: Map<string, string>;
}

const YAML_PATH = /\.ya?ml$/i;

export function isYamlPath(path: string): boolean {
  return YAML_PATH.test(path) || isKustomizationFileName(path);
}

export class Store {
  readonly files = new Map<string, FileSummary>();
  readonly kusts = new Map<string, KustEntry>();
  readonly services = new Map<string, PlacedService[]>();
  readonly servicesByIP = new Map<string, PlacedService[]>();
  readonly objects = new Map<string, PlacedObject[]>();
  readonly pdbs = new Map<string, PlacedPdb[]>();
  readonly policies = new Map<string, PlacedPolicy[]>();
  /** Custom objects by namespace (HelmReleases and Applications under the namespace they deploy into). */
  readonly customs = new Map<string, PlacedCustom[]>();
  /** Pod policies of other engines than NetworkPolicy (Cilium, Calico, …), anywhere in the workspace. */
  readonly podPolicies: PlacedCustom[] = [];
  private readonly kustByDir = new Map<string, KustEntry>();
  private readonly contents = new Map<string, Content>();
  private readonly directories = new Map<string, boolean>();
  private readonly owners = new Map<string, Set<string>>();
  private readonly inputReaders = new Map<string, Set<string>>();
  private readonly placed = new Map<string, Placed>();
  private readonly placementUsers = new Map<string, Set<string>>();
  private readonly configs = new Map<string, { text: string; model: ConfigModel | null }>();
  private readonly ignoreRules = new Map<string, IgnoreRule[] | null>();

  constructor(readonly reader: WorkspaceReader) {}

  // ─────────────────────────────────────────── contents

  read(path: string): string | undefined {
    return this.content(path).text;
  }

  private content(path: string): Content {
    let c = this.contents.get(path);
    if (!c) {
      c = { text: this.reader.read(path), overlay: false };
      this.contents.set(path, c);
    }
    return c;
  }

  private readBytes(path: string): Uint8Array | undefined {
    const c = this.content(path);
    if (c.overlay || !this.reader.readBytes) return undefined;
    if (!c.bytesRead) {
      c.bytes = this.reader.readBytes(path);
      c.bytesRead = true;
    }
    return c.bytes;
  }

  isDirectory(path: string): boolean {
    let d = this.directories.get(path);
    if (d === undefined) {
      d = this.reader.isDirectory?.(path) ?? false;
      this.directories.set(path, d);
    }
    return d;
  }

  /** Records a file's new content (undefined: deleted). Non-YAML text equal to the disk keeps its bytes readable. */
  setContent(path: string, text: string | undefined): void {
    this.directories.delete(path);
    this.configs.delete(path);
    this.ignoreRules.delete(path);
    if (text === undefined) this.contents.set(path, { text: undefined, overlay: true });
    else if (isYamlPath(path)) this.contents.set(path, { text, overlay: true });
    else this.contents.set(path, { text, overlay: this.reader.read(path) !== text });
  }

  /** The reader kustomize's generators use: contents as above, every path looked at recorded. */
  private inputReader(inputs: Set<string>): FileReader {
    return {
      read: (p) => {
        inputs.add(p);
        return this.read(p);
      },
      readBytes: (p) => {
        inputs.add(p);
        return this.readBytes(p);
      },
      isDirectory: (p) => {
        inputs.add(p);
        return this.isDirectory(p);
      },
    };
  }

  // ─────────────────────────────────────────── YAML files and kustomizations

  setYaml(path: string, text: string | undefined, changed: Set<string>, parsed?: ParsedTextSource): void {
    const before = this.files.get(path);
    if (text === undefined) this.files.delete(path);
    else this.files.set(path, indexYaml(path, text, parsed));
    if (holdsRouting(before) || holdsRouting(this.files.get(path))) changed.add(Keys.routing);
    this.place(path, changed);
  }

  setKustomization(path: string, text: string | undefined, changed: Set<string>): void {
    const dir = posix.dirname(path);
    const old = this.kusts.get(path);
    if (old) {
      for (const r of old.resources) {
        this.owners.get(r)?.delete(dir);
        changed.add(Keys.owners(r));
      }
      this.dropInputs(old);
      this.kusts.delete(path);
    }
    if (text !== undefined) {
      const k = parseKustomization(dir, text);
      const resources = k.resources
        .map((r) => r.value)
        .filter((r) => r !== '' && !/^[a-z][a-z0-9+.-]*:\/\/|^github\.com\/|^git@/i.test(r))
        .map((r) => stripSlash(posix.resolve(dir, r)));
      const entry: KustEntry = { path, dir, k, resources };
      this.kusts.set(path, entry);
      for (const r of resources) {
        addToSet(this.owners, r, dir);
        changed.add(Keys.owners(r));
      }
    }
    const active = KUSTOMIZATION_FILE_NAMES.map((n) => this.kusts.get(posix.join(dir, n))).find((e) => e !== undefined);
    if (active) this.kustByDir.set(dir, active);
    else this.kustByDir.delete(dir);
    changed.add(Keys.kust(dir));
    changed.add(Keys.gen(dir));
  }

  kustomization(dir: string): KustEntry | undefined {
    return this.kustByDir.get(dir);
  }

  /** The objects a kustomization's generators produce (computed once per change of its inputs). */
  generated(dir: string): Generated | undefined {
    const entry = this.kustByDir.get(dir);
    if (!entry) return undefined;
    if (!entry.gen) {
      const inputs = new Set<string>();
      const { objects, problems } = generateObjects(entry.k, this.inputReader(inputs));
      entry.gen = { objects, problems, inputs };
      for (const p of inputs) addToSet(this.inputReaders, p, dir);
    }
    return entry.gen;
  }

  private dropInputs(entry: KustEntry): void {
    for (const p of entry.gen?.inputs ?? []) this.inputReaders.get(p)?.delete(entry.dir);
    delete entry.gen;
  }

  /** A file changed: the generators that read it must run again. */
  inputChanged(path: string, changed: Set<string>): void {
    for (const dir of [...(this.inputReaders.get(path) ?? [])]) {
      const entry = this.kustByDir.get(dir);
      if (entry) this.dropInputs(entry);
      changed.add(Keys.gen(dir));
    }
  }

  /** The parsed cloudflared config in a file (the file's own summary when it has one). */
  config(path: string): ConfigModel | null {
    const own = this.files.get(path)?.config;
    if (own !== undefined) return own;
    const text = this.read(path);
    if (text === undefined) return null;
    const cached = this.configs.get(path);
    if (cached?.text === text) return cached.model;
    const model = checkConfigText(text).model;
    this.configs.set(path, { text, model });
    return model;
  }

  // ─────────────────────────────────────────── placement

  chain(path: string, deps?: Set<string>): KustEntry[] {
    const out: KustEntry[] = [];
    const seen = new Set<string>();
    let cur = path;
    for (let i = 0; i < 64; i++) {
      deps?.add(Keys.owners(cur));
      const dir = [...(this.owners.get(cur) ?? [])].sort().find((d) => !seen.has(d) && this.kustByDir.has(d));
      if (!dir) break;
      deps?.add(Keys.kust(dir));
      seen.add(dir);
      out.push(this.kustByDir.get(dir)!);
      cur = dir;
    }
    return out;
  }

  placement(path: string, deps?: Set<string>): Placement {
    const chain = this.chain(path, deps);
    let namespace: string | undefined;
    for (const k of chain) if (k.k.namespace?.value) namespace = k.k.namespace.value; // the outermost wins
    const prefix = chain
      .map((k) => k.k.namePrefix?.value ?? '')
      .reverse()
      .join('');
    const suffix = chain.map((k) => k.k.nameSuffix?.value ?? '').join('');
    return { chain, ...(namespace ? { namespace } : {}), prefix, suffix };
  }

  /** Places again the definitions of every file whose placement depends on a changed key. */
  replaceDependents(changed: Set<string>): void {
    const files = new Set<string>();
    for (const key of changed) for (const f of this.placementUsers.get(key) ?? []) files.add(f);
    for (const f of files) this.place(f, changed);
  }

  /** (Re)places the Services, ConfigMaps/Secrets and PDBs of one file; reports the keys whose content changed. */
  private place(file: string, changed: Set<string>): void {
    const old = this.placed.get(file);
    if (old) {
      for (const s of old.services) {
        removeFrom(this.services, s.namespace, s);
        if (s.def.clusterIP) removeFrom(this.servicesByIP, s.def.clusterIP, s);
      }
      for (const o of old.objects) removeFrom(this.objects, `${o.def.kind}/${o.def.name}`, o);
      for (const p of old.pdbs) removeFrom(this.pdbs, p.namespace, p);
      for (const p of old.policies) removeFrom(this.policies, p.namespace, p);
      for (const c of old.customs) {
        removeFrom(this.customs, c.namespace, c);
        const at = this.podPolicies.indexOf(c);
        if (at >= 0) this.podPolicies.splice(at, 1);
      }
      for (const key of old.deps) this.placementUsers.get(key)?.delete(file);
      this.placed.delete(file);
    }
    const summary = this.files.get(file);
    const signature = new Map<string, string>();
    if (
      summary &&
      summary.services.length +
        summary.objects.length +
        summary.pdbs.length +
        summary.policies.length +
        summary.customs.length >
        0
    ) {
      const deps = new Set<string>();
      const pl = this.placement(file, deps);
      const ns = (own?: string): string => pl.namespace ?? own ?? 'default';
      const placed: Placed = { deps, services: [], objects: [], pdbs: [], policies: [], customs: [], signature };
      const sign = (key: string, part: string): void => void signature.set(key, `${signature.get(key) ?? ''}${part};`);
      for (const def of summary.services) {
        const s: PlacedService = {
          file,
          def,
          name: `${pl.prefix}${def.name}${pl.suffix}`,
          namespace: ns(def.namespace),
        };
        placed.services.push(s);
        addTo(this.services, s.namespace, s);
        const portList = def.ports
          .map((p) => `${p.port}/${p.name ?? ''}/${p.targetPort ?? ''}/${p.protocol}`)
          .join(',');
        sign(
          Keys.services(s.namespace),
          `${s.name}|${def.type ?? ''}|${def.clusterIP ?? ''}|${portList}|${JSON.stringify([def.selector, def.labels])}`,
        );
        if (def.clusterIP) {
          addTo(this.servicesByIP, def.clusterIP, s);
          sign(Keys.clusterIP(def.clusterIP), `${s.name}.${s.namespace}|${portList}`);
        }
      }
      for (const def of summary.objects) {
        const o: PlacedObject = { file, def, namespace: ns(def.namespace) };
        placed.objects.push(o);
        addTo(this.objects, `${def.kind}/${def.name}`, o);
        sign(
          Keys.object(def.kind, def.name),
          `${o.namespace}|${[...def.entries.values()].map((e) => `${e.key}=${e.value}`).join(',')}`,
        );
      }
      for (const def of summary.pdbs) {
        const p: PlacedPdb = { file, def, namespace: ns(def.namespace) };
        placed.pdbs.push(p);
        addTo(this.pdbs, p.namespace, p);
        sign(Keys.pdbs(p.namespace), JSON.stringify([def.matchLabels, def.matchExpressions]));
      }
      for (const def of summary.policies) {
        const p: PlacedPolicy = {
          file,
          def,
          name: `${pl.prefix}${def.name}${pl.suffix}`,
          namespace: ns(def.namespace),
        };
        placed.policies.push(p);
        addTo(this.policies, p.namespace, p);
        // The nodes change with every edit; the signature is what the policy says.
        sign(
          Keys.policies(p.namespace),
          JSON.stringify([
            file,
            p.name,
            def.podSelector,
            def.egressIsolated,
            def.egress.map((r) => [r.to?.map(({ node: _n, ...peer }) => peer), r.ports]),
          ]),
        );
      }
      for (const def of summary.customs) {
        const c: PlacedCustom = {
          file,
          def,
          name: `${pl.prefix}${def.name}${pl.suffix}`,
          namespace: def.deploys?.namespace ?? ns(def.namespace),
        };
        placed.customs.push(c);
        addTo(this.customs, c.namespace, c);
        sign(Keys.customs(c.namespace), `${c.name}|${def.group}|${def.kind}|${def.deploys ? 'deploys' : ''}`);
        if (def.podPolicy) {
          this.podPolicies.push(c);
          sign(Keys.podPolicies, `${file}|${def.apiVersion}|${def.kind}|${c.name}`);
        }
      }
      for (const key of deps) addToSet(this.placementUsers, key, file);
      this.placed.set(file, placed);
    }
    for (const key of new Set([...(old?.signature.keys() ?? []), ...signature.keys()])) {
      if (old?.signature.get(key) !== signature.get(key)) changed.add(key);
    }
  }

  // ─────────────────────────────────────────── git

  /**
   * Whether git ignores a file: the reader's answer when it has one, else the .gitignore files from
   * the file's folder up to the repository root (the first folder holding `.git`). Undefined when
   * the file is in no repository (only known when the reader can tell folders).
   */
  gitIgnored(path: string): boolean | undefined {
    if (this.reader.isGitIgnored) return this.reader.isGitIgnored(path);
    const files: IgnoreFile[] = [];
    let dir = posix.dirname(path);
    for (;;) {
      const rules = this.gitignoreRules(posix.join(dir, '.gitignore'));
      if (rules) files.push({ dir, rules });
      if (this.isDirectory(posix.join(dir, '.git')) || this.read(posix.join(dir, '.git')) !== undefined) break;
      if (dir === '/') {
        if (this.reader.isDirectory) return undefined; // no repository above this file
        break;
      }
      dir = posix.dirname(dir);
    }
    return isIgnored(path, dir, files);
  }

  private gitignoreRules(path: string): IgnoreRule[] | null {
    let rules = this.ignoreRules.get(path);
    if (rules === undefined) {
      const text = this.read(path);
      rules = text === undefined ? null : parseGitignore(text);
      this.ignoreRules.set(path, rules);
    }
    return rules;
  }
}

function stripSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

function addTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const cur = map.get(key);
  if (cur) cur.push(value);
  else map.set(key, [value]);
}

function addToSet<T>(map: Map<string, Set<T>>, key: string, value: T): void {
  const cur = map.get(key);
  if (cur) cur.add(value);
  else map.set(key, new Set([value]));
}

function removeFrom<T>(map: Map<string, T[]>, key: string, value: T): void {
  const cur = map.get(key);
  if (!cur) return;
  const next = cur.filter((v) => v !== value);
  if (next.length > 0) map.set(key, next);
  else map.delete(key);
}
