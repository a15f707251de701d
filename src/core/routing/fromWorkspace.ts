/**
 * A workspace as a trace's input: the routing objects of its manifests (each with its file and
 * line) and its tunnels (standalone cloudflared configs, and configs held in ConfigMaps), with the
 * namespaces their cloudflared runs in when the workspace links them.
 */
import { isMap } from 'yaml';
import type { Document, YAMLMap } from 'yaml';
import { ruleMatches } from '../config/match';
import type { ConfigModel, IngressRule } from '../config/model';
import { fieldBool, fieldString } from '../config/decode';
import type { StructValue } from '../config/decode';
import { embeddedConfig } from '../workspace/fileSummary';
import type { FileSummary } from '../workspace/fileSummary';
import type { ContainerLink } from '../workspace/checks/output';
import type { Range } from '../types';
import { deref, yamlRange } from '../yaml/load';
import { documentPlain } from '../yaml/plain';
import { addRoutingObject, emptyRoutingObjects } from './objects';
import type { RoutingObjects, SourceRef } from './objects';
import { buildKey, kustomizedObject, renames } from './kustomizeNames';
import type { NamePlacement } from './kustomizeNames';
import type { OriginSettings } from './origin';
import type { TraceRule, TraceTunnel } from './trace';

/** The 0-based line of a document's `metadata.name` (else of the document). */
function docLine(summary: FileSummary, doc: Document.Parsed): number {
  const root = deref(doc, doc.contents);
  let node: { range?: [number, number, number] | null } | null = root;
  if (isMap(root)) {
    const meta = deref(doc, (root as YAMLMap).get('metadata', true));
    const name = isMap(meta) ? (meta as YAMLMap).get('name', true) : undefined;
    if (name && typeof name === 'object' && 'range' in name) node = name as typeof node;
  }
  const offset = node?.range?.[0] ?? 0;
  return summary.lines.position(offset).line;
}

/** Quick test: only documents of the kinds a trace reads are converted. */
const ROUTING_KIND =
  /^(Service|Ingress|IngressClass|Deployment|StatefulSet|DaemonSet|ReplicaSet|Pod|Gateway|HTTPRoute|ReferenceGrant|IngressRoute)$/;

/** Whether the document is of a kind the trace reads (the ones converted to plain data). */
export function isRoutingDocument(doc: Document.Parsed): boolean {
  const kind = kindOf(doc);
  return kind !== undefined && ROUTING_KIND.test(kind);
}

function kindOf(doc: Document.Parsed): string | undefined {
  const root = deref(doc, doc.contents);
  if (!isMap(root)) return undefined;
  const kind = deref(doc, (root as YAMLMap).get('kind', true));
  return kind && 'value' in kind ? String(kind.value) : undefined;
}

/**
 * The routing objects of the workspace's manifests, as `kustomize build` would write them:
 * `placementOf` gives what the kustomizations that include a file do to its objects (their
 * namespace, name prefix and suffix: `Workspace.placementOf`; see ./kustomizeNames.ts for which
 * references follow a renamed object).
 */
export function routingObjectsFromFiles(
  files: Iterable<FileSummary>,
  placementOf: (path: string) => NamePlacement | undefined = () => undefined,
): RoutingObjects {
  const out = emptyRoutingObjects('workspace');
  const found: Array<{ obj: unknown; source: SourceRef; placement: NamePlacement | undefined }> = [];
  /** The Services each renaming build defines, by their names as written. */
  const buildServices = new Map<string, Set<string>>();
  for (const summary of files) {
    if (summary.config !== undefined) continue;
    let placement: NamePlacement | undefined | null = null;
    for (const doc of summary.docs) {
      const kind = kindOf(doc);
      if (kind === undefined || !ROUTING_KIND.test(kind)) continue;
      if (placement === null) placement = placementOf(summary.path);
      const obj = documentPlain(doc);
      found.push({ obj, placement, source: { file: summary.path, line: docLine(summary, doc) } });
      const name = kind === 'Service' && placement && renames(placement) ? writtenName(obj) : undefined;
      if (name !== undefined) {
        const key = buildKey(placement!);
        const names = buildServices.get(key) ?? new Set<string>();
        names.add(name);
        buildServices.set(key, names);
      }
    }
  }
  const none = new Set<string>();
  for (const { obj, source, placement } of found) {
    if (!placement || !renames(placement)) {
      addRoutingObject(out, obj, source, placement?.namespace);
      continue;
    }
    const written = writtenName(obj);
    const named = kustomizedObject(obj, placement, buildServices.get(buildKey(placement)) ?? none);
    addRoutingObject(
      out,
      named,
      written === undefined ? source : { ...source, writtenName: written },
      placement.namespace,
    );
  }
  return out;
}

function writtenName(obj: unknown): string | undefined {
  const meta = (obj as { metadata?: { name?: unknown } } | null)?.metadata;
  return typeof meta?.name === 'string' ? meta.name : undefined;
}

function originOf(s: StructValue | null | undefined): OriginSettings {
  const o: OriginSettings = {};
  const host = fieldString(s, 'httpHostHeader');
  if (host) o.httpHostHeader = host;
  const sni = fieldString(s, 'originServerName');
  if (sni) o.originServerName = sni;
  const noVerify = fieldBool(s, 'noTLSVerify');
  if (noVerify !== undefined) o.noTLSVerify = noVerify;
  const match = fieldBool(s, 'matchSNItoHost');
  if (match !== undefined) o.matchSNItoHost = match;
  return o;
}

function struct(s: StructValue | null | undefined, name: string): StructValue | null {
  const v = s?.fields.get(name)?.value;
  return v && typeof v === 'object' && 'fields' in v ? (v as StructValue) : null;
}

/** A config's rules for a trace: the rule's originRequest over the config's top-level one. */
export function traceRules(
  model: ConfigModel,
  file: string,
  map: ((r: Range) => Range) | undefined,
  lineOf: (rule: IngressRule) => number | undefined,
): TraceRule[] {
  const top = originOf(model.originRequest);
  return model.rules.map((rule) => {
    const own = originOf(struct(rule.struct, 'originRequest'));
    const line = lineOf(rule);
    const mapped =
      line === undefined || !map
        ? line
        : map({ start: { line, character: 0 }, end: { line, character: 0 } }).start.line;
    return {
      index: rule.index,
      hostname: rule.hostname,
      path: rule.path,
      service: rule.service,
      catchAll: rule.catchAll,
      matches: (host: string, path: string) => ruleMatches(rule, host, path),
      origin: { ...top, ...own },
      source: mapped === undefined ? { file } : { file, line: mapped },
    };
  });
}

function ruleLine(model: ConfigModel): (rule: IngressRule) => number | undefined {
  return (rule) => (rule.node?.range ? model.lines.position(rule.node.range[0]).line : undefined);
}

/** A cloudflared config of the workspace: a config file, or one held in a ConfigMap entry. */
export interface WorkspaceTunnelConfig {
  summary: FileSummary;
  model: ConfigModel;
  /** The config file's path, or `path (ConfigMap name, key)`. */
  name: string;
  /** Maps a range of an embedded config's text into the host file (undefined for a config file). */
  map?: (r: Range) => Range;
  /** The ConfigMap's key and namespace, and the range of the whole value, for an embedded config. */
  configMap?: { key: string; namespace?: string; value: Range };
}

/** The workspace's cloudflared configs with ingress rules, sorted by name. */
export function tunnelConfigs(files: Iterable<FileSummary>): WorkspaceTunnelConfig[] {
  const out: WorkspaceTunnelConfig[] = [];
  for (const summary of files) {
    if (summary.config) {
      out.push({ summary, model: summary.config, name: summary.path });
      continue;
    }
    for (const object of summary.objects) {
      if (object.kind !== 'ConfigMap') continue;
      for (const entry of object.entries.values()) {
        if (!/\.ya?ml$/i.test(entry.key)) continue;
        const embedded = embeddedConfig(summary, entry);
        const model = embedded.model;
        if (!model || model.rules.length === 0) continue;
        out.push({
          summary,
          model,
          name: `${summary.path} (ConfigMap ${object.name}, ${entry.key})`,
          ...(embedded.map ? { map: embedded.map } : {}),
          configMap: {
            key: entry.key,
            ...(object.namespace ? { namespace: object.namespace } : {}),
            value: yamlRange(summary.lines, entry.node),
          },
        });
      }
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The trace's tunnel of a workspace config (`namespaces`: where its cloudflared runs, when known). */
export function traceTunnel(config: WorkspaceTunnelConfig, namespaces: string[]): TraceTunnel {
  return {
    name: config.name,
    rules: traceRules(config.model, config.summary.path, config.map, ruleLine(config.model)),
    namespaces,
  };
}

/** The workspace's tunnels: each config file, and each config held in a ConfigMap. */
export function tunnelsFromFiles(files: Iterable<FileSummary>, links: readonly ContainerLink[] = []): TraceTunnel[] {
  const namespacesOf = (path: string, key?: string): string[] => [
    ...new Set(
      links
        .filter((l) => l.config?.source === path && (key === undefined || l.config.key === key))
        .map((l) => l.namespace),
    ),
  ];
  return tunnelConfigs(files).map((c) =>
    traceTunnel(
      c,
      c.configMap?.namespace !== undefined ? [c.configMap.namespace] : namespacesOf(c.summary.path, c.configMap?.key),
    ),
  );
}
