/**
 * The links between files: a container's command line, the file a path inside the container
 * comes from (volumeMount → volume → ConfigMap/Secret → generator input or manifest value), the
 * variables envFrom provides, and the cloudflared config a container reads.
 */
import { posix } from 'node:path';
import { isMap } from 'yaml';
import type { Scalar, YAMLMap } from 'yaml';
import { checkConfigText } from '../config/check';
import type { ConfigModel } from '../config/model';
import { FLAG_KEYS } from '../config/schema';
import type { GeneratedObject } from '../kustomize/model';
import type { Range } from '../types';
import { deref, yamlRange } from '../yaml/load';
import type { Ctx } from './context';
import { decodeBase64, embeddedConfig, str } from './fileSummary';
import type { ContainerDef, FileSummary, MountDef, VolumeDef, VolumeSource, Workload } from './fileSummary';
import type { KustEntry, Placement, PlacedObject } from './store';

export interface WorkloadContext {
  file: FileSummary;
  workload: Workload;
  placement: Placement;
  /** The pod's namespace: the kustomizations' `namespace`, else metadata.namespace, else default. */
  namespace: string;
}

export function workloadContext(ctx: Ctx, file: FileSummary, workload: Workload): WorkloadContext {
  const placement = ctx.placement(file.path);
  return { file, workload, placement, namespace: placement.namespace ?? workload.namespace ?? 'default' };
}

// ───────────────────────────────────────────── ConfigMaps and Secrets

export type ResolvedObject =
  | {
      origin: 'generator';
      kind: 'ConfigMap' | 'Secret';
      kust: KustEntry;
      obj: GeneratedObject;
      keys: Set<string> | null;
      name: string;
    }
  | { origin: 'resource'; kind: 'ConfigMap' | 'Secret'; placed: PlacedObject; keys: Set<string>; name: string };

/**
 * The ConfigMap/Secret a workload names: a generator of the kustomizations that include the
 * workload's file (nearest first, matched by the generator's `name` as kustomize matches
 * references), else a resource of that name in the pod's namespace. Undefined when the
 * workspace does not define it. `keys` is null when the generator's output is not exactly known.
 */
export function resolveObject(
  ctx: Ctx,
  w: WorkloadContext,
  kind: 'ConfigMap' | 'Secret',
  name: string,
): ResolvedObject | undefined {
  if (name === '') return undefined;
  for (let i = 0; i < w.placement.chain.length; i++) {
    const k = w.placement.chain[i]!;
    const obj = ctx.generated(k.dir)?.objects.find((o) => o.kind === kind && o.baseName === name);
    if (!obj) continue;
    // kustomize appends the hash last, after every level's prefix and suffix.
    const levels = w.placement.chain.slice(i);
    const prefix = levels
      .map((o) => o.k.namePrefix?.value ?? '')
      .reverse()
      .join('');
    const suffix = levels.map((o) => o.k.nameSuffix?.value ?? '').join('');
    const finalName = `${prefix}${obj.baseName}${suffix}${obj.disableNameSuffixHash ? '' : `-${obj.hash}`}`;
    return {
      origin: 'generator',
      kind,
      kust: k,
      obj,
      keys: obj.exact ? new Set(obj.keys.map((x) => x.key)) : null,
      name: finalName,
    };
  }
  // Several folders may define one name (one per cluster or environment): the nearest wins.
  const nearness = (file: string): number => (file === w.file.path ? Infinity : commonPrefix(file, w.file.path));
  const placed = ctx
    .objects(kind, name)
    .filter((o) => o.namespace === w.namespace)
    .sort((a, b) => nearness(b.file) - nearness(a.file))[0];
  if (!placed) return undefined;
  const finalName = w.placement.chain.length > 0 ? `${w.placement.prefix}${name}${w.placement.suffix}` : name;
  return { origin: 'resource', kind, placed, keys: new Set(placed.def.entries.keys()), name: finalName };
}

export function describeObject(o: ResolvedObject, from: string): string {
  if (o.origin === 'generator')
    return `${o.kind} '${o.obj.baseName}' (${o.kind === 'Secret' ? 'secretGenerator' : 'configMapGenerator'} in ${relative(from, o.kust.path)})`;
  return `${o.kind} '${o.placed.def.name}' (${relative(from, o.placed.file)})`;
}

/** The value of one key (Secrets decoded), when the workspace holds it. */
export function objectValue(o: ResolvedObject, key: string): string | undefined {
  if (o.origin === 'generator') return o.obj.data[key];
  const e = o.placed.def.entries.get(key);
  if (!e) return undefined;
  return e.base64 ? decodeBase64(e.value) : e.value;
}

/** Where a key's value is written: the generator's entry in the kustomization, or the manifest value. */
export function keyLocation(
  ctx: Ctx,
  o: ResolvedObject,
  key: string,
): { path: string; range: Range; input?: string } | undefined {
  if (o.origin === 'generator') {
    const source = o.obj.keys.find((k) => k.key === key)?.source;
    if (!source) return undefined;
    return { path: o.kust.path, range: source.range, ...(source.path ? { input: source.path } : {}) };
  }
  const file = ctx.file(o.placed.file);
  const e = o.placed.def.entries.get(key);
  if (!file || !e) return undefined;
  return { path: file.path, range: yamlRange(file.lines, e.node) };
}

// ───────────────────────────────────────────── files inside the container

export type FileLink =
  | { kind: 'unmounted' }
  /** A volume whose content the workspace does not show (emptyDir, a PVC, an object defined elsewhere). */
  | { kind: 'unknown' }
  | { kind: 'missing'; mount: MountDef; volume: VolumeDef; key: string; reasons: string[]; alternatives: string[] }
  | {
      kind: 'found';
      mount: MountDef;
      volume: VolumeDef;
      source: VolumeSource;
      key: string;
      object: ResolvedObject;
      verified: boolean;
    };

/** Which ConfigMap/Secret key (if any) provides `path` inside container `c`. */
export function linkFile(ctx: Ctx, w: WorkloadContext, c: ContainerDef, path: string): FileLink {
  // cloudflared expands `~` (the image's user is nonroot); a relative path depends on the working directory.
  const expanded = path.startsWith('~/') ? `/home/nonroot/${path.slice(2)}` : path;
  if (!expanded.startsWith('/')) return { kind: 'unknown' };
  const p = posix.normalize(expanded);
  let mount: MountDef | undefined;
  let mountPath = '';
  for (const m of c.mounts) {
    const mp = stripSlash(posix.normalize(m.mountPath));
    const inside = mp === '/' ? p.startsWith('/') : p === mp || p.startsWith(`${mp}/`);
    if (inside && mp.length > mountPath.length) {
      mount = m;
      mountPath = mp;
    }
  }
  if (!mount) return { kind: 'unmounted' };
  const volume = w.workload.volumes.get(mount.name);
  if (!volume || volume.other) return { kind: 'unknown' };
  const rest = p === mountPath ? '' : p.slice(mountPath === '/' ? 1 : mountPath.length + 1);
  const sub = mount.subPath ? stripSlash(posix.normalize(mount.subPath)) : '';
  const rel = sub && rest ? `${sub}/${rest}` : sub || rest;
  if (rel === '') return { kind: 'unknown' };

  let unknown = false;
  const reasons: string[] = [];
  const alternatives: string[] = [];
  for (const s of volume.sources) {
    const object = resolveObject(ctx, w, s.kind, s.name);
    if (object?.keys && !sub) {
      const provided = s.items ? s.items.filter((i) => object.keys!.has(i.key)).map((i) => i.path) : [...object.keys];
      for (const f of provided) alternatives.push(posix.join(mountPath, f));
    }
    let key: string;
    if (s.items) {
      const item = s.items.find((i) => posix.normalize(i.path) === rel);
      if (!item) {
        reasons.push(
          `volume '${volume.name}' projects only ${s.items.map((i) => i.path).join(', ') || 'no items'} of ${s.kind} '${s.name}' (items)`,
        );
        continue;
      }
      key = item.key;
    } else key = rel;
    if (!object) {
      unknown = true;
      continue;
    }
    if (object.keys === null) return { kind: 'found', mount, volume, source: s, key, object, verified: false };
    if (object.keys.has(key)) return { kind: 'found', mount, volume, source: s, key, object, verified: true };
    const keys = [...object.keys];
    reasons.push(
      `${describeObject(object, w.file.path)} has no key '${key}'${keys.length > 0 ? ` (its keys: ${keys.join(', ')})` : ' (it has no keys)'}`,
    );
  }
  if (unknown) return { kind: 'unknown' };
  return { kind: 'missing', mount, volume, key: rel, reasons, alternatives };
}

/** The number of leading path segments two paths share. */
function commonPrefix(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let n = 0;
  while (n < x.length - 1 && n < y.length - 1 && x[n] === y[n]) n++;
  return n;
}

function stripSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/** `to` as written from the folder of `from` (for messages). */
export function relative(from: string, to: string): string {
  if (from === to) return posix.basename(to);
  return posix.relative(posix.dirname(from), to) || posix.basename(to);
}

// ───────────────────────────────────────────── the command line

export interface CliArg {
  value: string;
  node: Scalar;
}

export interface CliFlag {
  name: string;
  value?: string;
  /** The argument holding the value (the flag itself for `--flag=value`). */
  valueNode?: Scalar;
  inline: boolean;
}

export interface Cli {
  flags: Map<string, CliFlag>;
  /** The `tunnel` argument. */
  tunnel?: CliArg;
  /** The tunnel name or UUID after `run`. */
  tunnelRef?: CliArg;
}

const ALIASES: Record<string, string> = { 'cred-file': 'credentials-file' };
const BOOL_FLAGS = new Set([
  ...Object.entries(FLAG_KEYS)
    .filter(([, f]) => f.kind === 'bool')
    .map(([k]) => k),
  'overwrite-dns',
  'force',
  'f',
  'json',
]);
const VALUE_FLAGS = new Set([
  ...Object.entries(FLAG_KEYS)
    .filter(([, f]) => f.kind !== 'bool')
    .map(([k]) => k),
  'config',
  'credentials-file',
]);

/** Reads `command` + `args` as cloudflared's flag parser would (the flags it needs). */
export function parseCli(c: ContainerDef): Cli {
  const argv: CliArg[] = [...c.info.command, ...c.info.args].map((node) => ({ value: str(node), node }));
  const cli: Cli = { flags: new Map() };
  let i = argv[0] && /(^|\/)cloudflared$/.test(argv[0].value) ? 1 : 0;
  let sawRun = false;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.value === '--') break;
    if (a.value.length > 1 && a.value.startsWith('-')) {
      const body = a.value.replace(/^--?/, '');
      const eq = body.indexOf('=');
      const raw = eq >= 0 ? body.slice(0, eq) : body;
      const name = ALIASES[raw] ?? raw;
      if (eq >= 0) {
        cli.flags.set(name, { name, value: body.slice(eq + 1), valueNode: a.node, inline: true });
        continue;
      }
      const next = argv[i + 1];
      const takesValue =
        !BOOL_FLAGS.has(name) &&
        next !== undefined &&
        (VALUE_FLAGS.has(name) || (!next.value.startsWith('-') && next.value !== 'run' && next.value !== 'tunnel'));
      if (takesValue) {
        cli.flags.set(name, { name, value: next.value, valueNode: next.node, inline: false });
        i++;
      } else cli.flags.set(name, { name, inline: false });
      continue;
    }
    if (a.value === 'tunnel' && !cli.tunnel) cli.tunnel = a;
    else if (a.value === 'run' && cli.tunnel && !sawRun) sawRun = true;
    else if (sawRun && !cli.tunnelRef) cli.tunnelRef = a;
  }
  return cli;
}

/** True when a value holds a `$(VAR)` reference (resolved only at run time). */
export function hasVarRef(value: string): boolean {
  return value.includes('$(');
}

// ───────────────────────────────────────────── environment

/** The variables the container's envFrom sources provide; undefined when one of them is not in the workspace. */
export function envFromNames(
  ctx: Ctx,
  w: WorkloadContext,
  c: ContainerDef,
): { names: Set<string>; sources: string[] } | undefined {
  const names = new Set<string>();
  const sources: string[] = [];
  for (const ef of c.info.envFrom) {
    const prefix = str(ef.get('prefix', true));
    let kind: 'ConfigMap' | 'Secret' | undefined;
    let ref: YAMLMap | undefined;
    for (const [field, k] of [
      ['configMapRef', 'ConfigMap'],
      ['secretRef', 'Secret'],
    ] as const) {
      const r = deref(w.workload.doc, ef.get(field, true));
      if (isMap(r)) {
        kind = k;
        ref = r as YAMLMap;
      }
    }
    if (!kind || !ref) return undefined;
    const name = str(ref.get('name', true));
    const obj = resolveObject(ctx, w, kind, name);
    if (!obj || obj.keys === null) return undefined;
    for (const k of obj.keys) names.add(`${prefix}${k}`);
    sources.push(`${kind} '${name}'`);
  }
  return { names, sources };
}

/** An env var's literal value; 'unknown' when it comes from valueFrom or envFrom. */
export function envValue(
  ctx: Ctx,
  w: WorkloadContext,
  c: ContainerDef,
  name: string,
): { value: string; node: Scalar } | 'unknown' | undefined {
  const e = [...c.info.env].reverse().find((v) => v.name === name);
  if (e) return e.value ? { value: str(e.value), node: e.value } : 'unknown';
  if (c.info.envFrom.length === 0) return undefined;
  const from = envFromNames(ctx, w, c);
  return !from || from.names.has(name) ? 'unknown' : undefined;
}

// ───────────────────────────────────────────── the config a container reads

/** A cloudflared config and where its diagnostics go. */
export interface ConfigDoc {
  model: ConfigModel;
  /** The file holding it (generator input, or the manifest of a ConfigMap). */
  path: string;
  /** Maps a range of the config text into `path`. */
  map: (r: Range) => Range;
  /** False when positions are approximate (no quick fixes then). */
  exact: boolean;
}

export function configDoc(ctx: Ctx, link: Extract<FileLink, { kind: 'found' }>): ConfigDoc | undefined {
  const o = link.object;
  if (o.origin === 'generator') {
    const source = o.obj.keys.find((k) => k.key === link.key)?.source;
    if (source?.kind === 'file' && source.path) {
      const model = ctx.config(source.path);
      return model ? { model, path: source.path, map: (r) => r, exact: true } : undefined;
    }
    const text = o.obj.data[link.key];
    if (text === undefined || !source) return undefined;
    const model = checkConfigText(text).model;
    return model ? { model, path: o.kust.path, map: () => source.range, exact: false } : undefined;
  }
  const file = ctx.file(o.placed.file);
  const entry = o.placed.def.entries.get(link.key);
  if (!file || !entry) return undefined;
  return embeddedDoc(file, entry);
}

export function embeddedDoc(file: FileSummary, entry: Parameters<typeof embeddedConfig>[1]): ConfigDoc | undefined {
  const emb = embeddedConfig(file, entry);
  if (!emb.model) return undefined;
  const whole = yamlRange(file.lines, entry.node);
  return { model: emb.model, path: file.path, map: emb.map ?? (() => whole), exact: emb.map !== undefined };
}
