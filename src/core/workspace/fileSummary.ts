/**
 * What one YAML file contributes to the workspace model, read once per update of that file:
 * workloads (pod templates with their containers, mounts, volumes and probes), Services,
 * ConfigMap/Secret resources, PodDisruptionBudgets, and whether the file is itself a cloudflared
 * config. Nodes are kept so checks can point at the line to fix.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import { parseYamlDocuments } from '../yaml/aliases';
import type { ParsedTextSource } from '../yaml/parsed';
import { memoizeString } from '../memo';
import { MAX_DOCUMENT_CHARS } from '../budgets';
import type { Document, Scalar, YAMLMap } from 'yaml';
import { blockScalarMapper, looksLikeConfigKeys, looksLikeConfigPath } from '../analyze';
import { checkConfigDocument, checkConfigText } from '../config/check';
import type { ConfigModel } from '../config/model';
import { findContainers, isCloudflared } from '../kubernetes/manifest';
import type { ContainerInfo } from '../kubernetes/manifest';
import { LineMap, yamlLineBreaks } from '../text';
import type { Range } from '../types';
import { deref, mapEntries } from '../yaml/load';
import { POD_SPEC_PATHS } from '../kubernetes/manifest';

export interface FileSummary {
  path: string;
  text: string;
  lines: LineMap;
  docs: Document.Parsed[];
  workloads: Workload[];
  services: ServiceDef[];
  objects: DataObjectDef[];
  pdbs: PdbDef[];
  policies: PolicyDef[];
  /** Objects of kinds a cluster learns from CRDs (Knative Services, Cilium policies, HelmReleases, …). */
  customs: CustomDef[];
  /** The file is a standalone cloudflared config (null: it looks like one but is not a mapping). */
  config?: ConfigModel | null;
}

export interface Workload {
  doc: Document.Parsed;
  kind: string;
  name: string;
  namespace?: string;
  /** `metadata.name` (or the document) for diagnostics about the whole workload. */
  anchor: Scalar | YAMLMap;
  replicas?: { value: number | undefined; node: Scalar };
  podLabels: Record<string, string>;
  /** Annotations of the workload and of its pod template. */
  annotations: Record<string, string>;
  templateAnnotations: Record<string, string>;
  volumes: Map<string, VolumeDef>;
  containers: ContainerDef[];
  podSecurityContext?: YAMLMap;
}

export interface ContainerDef {
  info: ContainerInfo;
  init: boolean;
  cloudflared: boolean;
  mounts: MountDef[];
  probes: ProbeDef[];
  /** Named container ports. */
  ports: Map<string, number>;
  securityContext?: YAMLMap;
  imageNode?: Scalar;
  nameNode?: Scalar;
}

export interface MountDef {
  name: string;
  mountPath: string;
  subPath?: string;
}

export interface VolumeSource {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  nameNode?: Scalar;
  /** `items`: only these keys are projected, each at its `path`. */
  items?: Array<{ key: string; path: string }>;
}

export interface VolumeDef {
  name: string;
  /** ConfigMap/Secret sources (one, or several for a projected volume). */
  sources: VolumeSource[];
  /** emptyDir, hostPath, a PVC, …: what it holds is unknown. */
  other: boolean;
}

export interface ProbeDef {
  kind: 'livenessProbe' | 'readinessProbe' | 'startupProbe';
  path: string;
  port: string;
  portNode: Scalar;
}

export interface ServiceDef {
  name: string;
  namespace?: string;
  type?: string;
  clusterIP?: string;
  labels: Record<string, string>;
  /** spec.selector (absent: a Service without selector, backed by manual Endpoints). */
  selector?: Record<string, string>;
  ports: Array<{ port: number; name?: string; targetPort?: number | string; protocol: string }>;
}

export interface DataEntry {
  key: string;
  node: Scalar;
  /** The value as written (`data` of a Secret is base64). */
  value: string;
  base64: boolean;
}

export interface DataObjectDef {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  namespace?: string;
  entries: Map<string, DataEntry>;
}

export interface LabelSelectorDef {
  matchLabels: Record<string, string>;
  matchExpressions: Array<{ key: string; operator: string; values: string[] }>;
}

/** A NetworkPolicy peer: pods (by namespace and pod selectors) or an ipBlock. */
export interface PeerDef {
  node: YAMLMap;
  podSelector?: LabelSelectorDef;
  namespaceSelector?: LabelSelectorDef;
  ipBlock?: { cidr: string; except: string[] };
}

export interface PolicyPortDef {
  /** Absent: every port. */
  port?: number | string;
  endPort?: number;
  protocol: string;
}

export interface EgressRuleDef {
  node: YAMLMap;
  /** Absent: every destination. */
  to?: PeerDef[];
  /** Absent: every port. */
  ports?: PolicyPortDef[];
}

export interface PolicyDef {
  name: string;
  namespace?: string;
  anchor: Scalar | YAMLMap;
  podSelector: LabelSelectorDef;
  /** The policy isolates egress (policyTypes has Egress, or no policyTypes and an egress section). */
  egressIsolated: boolean;
  egress: EgressRuleDef[];
}

/**
 * An object of a custom resource (its API group is not one of Kubernetes' own). Only what the
 * checks need: operators may create Services for it at runtime, and policy engines other than
 * NetworkPolicy restrict pods.
 */
export interface CustomDef {
  apiVersion: string;
  /** The API group (`serving.knative.dev`, `cilium.io`, …). */
  group: string;
  kind: string;
  name: string;
  namespace?: string;
  /**
   * It deploys a chart or an application whose Services the workspace does not show (Flux
   * HelmRelease, Argo CD Application); `namespace`: where they land, when it says (else its own).
   */
  deploys?: { namespace?: string };
  /** A pod policy of another engine (Cilium, Calico, Antrea, AdminNetworkPolicy). */
  podPolicy: boolean;
}

export interface PdbDef {
  name: string;
  namespace?: string;
  matchLabels: Record<string, string>;
  matchExpressions: Array<{ key: string; operator: string; values: string[] }>;
}

/** A line only manifests and cloudflared configs have: other YAML files are not parsed at all. */
const RELEVANT =
  /^[ \t]*kind[ \t]*:|^(?:ingress|tunnel|credentials-file|credentials-contents|origincert|warp-routing|originRequest|no-autoupdate|metrics|url|hostname)[ \t]*:/m;

/** Reads a YAML file that is not a kustomization. Never throws. */
export function indexYaml(path: string, text: string, parsed?: ParsedTextSource): FileSummary {
  // The shared parse only for a file that is read at all (not over the size budget).
  const shared =
    parsed && text.length <= MAX_DOCUMENT_CHARS && (RELEVANT.test(text) || looksLikeConfigPath(path))
      ? parsed()
      : undefined;
  const lines = shared?.lines ?? new LineMap(text);
  const summary: FileSummary = {
    path,
    text,
    lines,
    docs: [],
    workloads: [],
    services: [],
    objects: [],
    pdbs: [],
    policies: [],
    customs: [],
  };
  if (!RELEVANT.test(text) && !looksLikeConfigPath(path)) return summary;
  if (text.length > MAX_DOCUMENT_CHARS) return summary; // over the size budget: not read (analyzeText notes it)
  const docs =
    shared?.docs ??
    parseYamlDocuments(yamlLineBreaks(text), {
      schema: 'failsafe',
      uniqueKeys: false,
      strict: true,
      prettyErrors: false,
    });
  summary.docs = docs;
  const first = docs[0];
  const root = first ? deref(first, first.contents) : null;
  if (first && isMap(root)) {
    const keys = new Set(mapEntries(first, root as YAMLMap).map((e) => e.name));
    if (!keys.has('apiVersion') && looksLikeConfigKeys(keys, path)) {
      summary.config = first.errors.length === 0 ? checkConfigDocument(first, lines).model : null;
      return summary;
    }
  }
  for (const doc of docs) indexDocument(doc, summary);
  return summary;
}

/** A cloudflared config held in a ConfigMap/Secret value, with positions mapped into the host file. */
export interface EmbeddedConfig {
  model: ConfigModel | null;
  /** Maps a range of the value's text to the host file; undefined: no exact mapping. */
  map?: (r: Range) => Range;
}

/**
 * The model of an embedded config by its text: a file's summary is made again on every edit, its
 * ConfigMaps' configs mostly unchanged. Models are read, never changed.
 */
const embeddedModel = memoizeString((content: string) => checkConfigText(content).model, 512);

/** Parses the config in a ConfigMap `data` entry (cached on the entry). */
export function embeddedConfig(file: FileSummary, entry: DataEntry & { parsed?: EmbeddedConfig }): EmbeddedConfig {
  if (entry.parsed) return entry.parsed;
  const content = entry.base64 ? decodeBase64(entry.value) : entry.value;
  const model = content === undefined ? null : embeddedModel(content);
  const mapper = content === undefined || entry.base64 ? null : blockScalarMapper(entry.node, content, file.lines);
  entry.parsed = { model, ...(mapper ? { map: (r: Range) => ({ start: mapper(r.start), end: mapper(r.end) }) } : {}) };
  return entry.parsed;
}

export function decodeBase64(s: string): string | undefined {
  const clean = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(clean, 'base64'));
  } catch {
    return undefined;
  }
}

// ───────────────────────────────────────────── documents

function indexDocument(doc: Document.Parsed, out: FileSummary): void {
  const root = deref(doc, doc.contents);
  if (!isMap(root)) return;
  const map = root as YAMLMap;
  const kind = str(map.get('kind', true));
  const metadata = mapAt(doc, map, 'metadata');
  const name = str(metadata?.get('name', true));
  const namespace = str(metadata?.get('namespace', true)) || undefined;
  const apiVersion = str(map.get('apiVersion', true));
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  if (kind && isCustomGroup(group)) {
    out.customs.push(customDef(doc, map, apiVersion, group, kind, name, namespace));
    return;
  }
  if (kind === 'Service') {
    out.services.push(serviceDef(doc, map, name, namespace));
  } else if (kind === 'ConfigMap' || kind === 'Secret') {
    out.objects.push(dataObject(doc, map, kind, name, namespace));
  } else if (kind === 'PodDisruptionBudget') {
    out.pdbs.push(pdbDef(doc, map, name, namespace));
  } else if (kind === 'NetworkPolicy') {
    out.policies.push(policyDef(doc, map, name, namespace, metadata?.get('name', true)));
  } else if (POD_SPEC_PATHS[kind]) {
    const w = workload(doc, map, kind, name, namespace);
    if (w) out.workloads.push(w);
  }
}

/** Kubernetes' own API groups: the core group, the unqualified ones and `*.k8s.io` / `*.kubernetes.io`. */
const BUILT_IN_GROUPS = new Set(['', 'apps', 'batch', 'policy', 'autoscaling', 'extensions']);

export function isCustomGroup(group: string): boolean {
  if (group === 'policy.networking.k8s.io') return true; // AdminNetworkPolicy: a CRD of SIG Network
  return !BUILT_IN_GROUPS.has(group) && !/(^|\.)k8s\.io$|(^|\.)kubernetes\.io$/.test(group);
}

/** Groups whose policies restrict pods besides NetworkPolicy. */
const POLICY_GROUPS = /(^|\.)(cilium\.io|projectcalico\.org|antrea\.io)$|^policy\.networking\.k8s\.io$/;

function customDef(
  doc: Document.Parsed,
  map: YAMLMap,
  apiVersion: string,
  group: string,
  kind: string,
  name: string,
  namespace: string | undefined,
): CustomDef {
  const spec = mapAt(doc, map, 'spec');
  let target: string | undefined;
  let deploys = false;
  if (kind === 'HelmRelease' && /(^|\.)fluxcd\.io$/.test(group)) {
    deploys = true;
    target = str(spec?.get('targetNamespace', true));
  } else if (kind === 'Application' && group === 'argoproj.io') {
    deploys = true;
    target = str(mapAt(doc, spec, 'destination')?.get('namespace', true));
  }
  const podPolicy = POLICY_GROUPS.test(group) && /Policy$/.test(kind);
  return {
    apiVersion,
    group,
    kind,
    name,
    ...(namespace ? { namespace } : {}),
    ...(deploys ? { deploys: target ? { namespace: target } : {} } : {}),
    podPolicy,
  };
}

function serviceDef(doc: Document.Parsed, map: YAMLMap, name: string, namespace: string | undefined): ServiceDef {
  const spec = mapAt(doc, map, 'spec');
  const ports: ServiceDef['ports'] = [];
  for (const p of seqMaps(doc, spec?.get('ports', true))) {
    const port = Number(str(p.get('port', true)));
    if (!Number.isInteger(port)) continue;
    const portName = str(p.get('name', true));
    const target = str(p.get('targetPort', true));
    const targetPort = target === '' ? undefined : /^\d+$/.test(target) ? Number(target) : target;
    ports.push({
      port,
      ...(portName ? { name: portName } : {}),
      ...(targetPort !== undefined ? { targetPort } : {}),
      protocol: (str(p.get('protocol', true)) || 'TCP').toUpperCase(),
    });
  }
  const type = str(spec?.get('type', true)) || undefined;
  const clusterIP = str(spec?.get('clusterIP', true)) || undefined;
  const selector = mapAt(doc, spec, 'selector');
  return {
    name,
    ...(namespace ? { namespace } : {}),
    ...(type ? { type } : {}),
    ...(clusterIP ? { clusterIP } : {}),
    labels: stringMap(doc, mapAt(doc, mapAt(doc, map, 'metadata'), 'labels')),
    ...(selector ? { selector: stringMap(doc, selector) } : {}),
    ports,
  };
}

function dataObject(
  doc: Document.Parsed,
  map: YAMLMap,
  kind: 'ConfigMap' | 'Secret',
  name: string,
  namespace: string | undefined,
): DataObjectDef {
  const entries = new Map<string, DataEntry>();
  const fields: Array<[string, boolean]> =
    kind === 'Secret'
      ? [
          ['data', true],
          ['stringData', false],
        ]
      : [
          ['data', false],
          ['binaryData', true],
        ];
  for (const [field, base64] of fields) {
    const data = mapAt(doc, map, field);
    if (!data) continue;
    for (const e of mapEntries(doc, data)) {
      if (!isScalar(e.value)) continue;
      entries.set(e.name, { key: e.name, node: e.value as Scalar, value: str(e.value), base64 });
    }
  }
  return { kind, name, ...(namespace ? { namespace } : {}), entries };
}

function pdbDef(doc: Document.Parsed, map: YAMLMap, name: string, namespace: string | undefined): PdbDef {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    ...labelSelector(doc, mapAt(doc, mapAt(doc, map, 'spec'), 'selector')),
  };
}

function labelSelector(doc: Document.Parsed, selector: YAMLMap | undefined): LabelSelectorDef {
  const matchExpressions = seqMaps(doc, selector?.get('matchExpressions', true)).map((e) => ({
    key: str(e.get('key', true)),
    operator: str(e.get('operator', true)),
    values: seqScalars(doc, e.get('values', true)),
  }));
  return { matchLabels: stringMap(doc, mapAt(doc, selector, 'matchLabels')), matchExpressions };
}

function policyDef(
  doc: Document.Parsed,
  map: YAMLMap,
  name: string,
  namespace: string | undefined,
  nameNode: unknown,
): PolicyDef {
  const spec = mapAt(doc, map, 'spec');
  const types = seqScalars(doc, spec?.get('policyTypes', true));
  const hasTypes = deref(doc, spec?.get('policyTypes', true)) !== null;
  const egressNode = spec?.get('egress', true);
  const egress = seqMaps(doc, egressNode).map((rule): EgressRuleDef => {
    const toNode = deref(doc, rule.get('to', true));
    const portsNode = deref(doc, rule.get('ports', true));
    const to = seqMaps(doc, toNode).map((peer): PeerDef => {
      const pod = mapAt(doc, peer, 'podSelector');
      const ns = mapAt(doc, peer, 'namespaceSelector');
      const block = mapAt(doc, peer, 'ipBlock');
      return {
        node: peer,
        ...(pod ? { podSelector: labelSelector(doc, pod) } : {}),
        ...(ns ? { namespaceSelector: labelSelector(doc, ns) } : {}),
        ...(block
          ? { ipBlock: { cidr: str(block.get('cidr', true)), except: seqScalars(doc, block.get('except', true)) } }
          : {}),
      };
    });
    const ports = seqMaps(doc, portsNode).map((p): PolicyPortDef => {
      const port = str(p.get('port', true));
      const endPort = Number(str(p.get('endPort', true)));
      return {
        ...(port !== '' ? { port: /^\d+$/.test(port) ? Number(port) : port } : {}),
        ...(Number.isInteger(endPort) && endPort > 0 ? { endPort } : {}),
        protocol: (str(p.get('protocol', true)) || 'TCP').toUpperCase(),
      };
    });
    return { node: rule, ...(to.length > 0 ? { to } : {}), ...(ports.length > 0 ? { ports } : {}) };
  });
  const anchor = deref(doc, nameNode);
  return {
    name,
    ...(namespace ? { namespace } : {}),
    anchor: isScalar(anchor) ? (anchor as Scalar) : map,
    podSelector: labelSelector(doc, mapAt(doc, spec, 'podSelector')),
    egressIsolated: hasTypes ? types.includes('Egress') : egress.length > 0,
    egress,
  };
}

function workload(
  doc: Document.Parsed,
  map: YAMLMap,
  kind: string,
  name: string,
  namespace: string | undefined,
): Workload | undefined {
  const path = POD_SPEC_PATHS[kind]!;
  let spec: YAMLMap | undefined = map;
  for (const key of path) spec = mapAt(doc, spec, key);
  if (!spec) return undefined;
  const metadata = mapAt(doc, map, 'metadata');
  const templateMeta = kind === 'Pod' ? metadata : mapAt(doc, pathParent(doc, map, path), 'metadata');
  const replicasNode = kind === 'Pod' ? undefined : deref(doc, mapAt(doc, map, 'spec')?.get('replicas', true));
  const nameNode = metadata?.get('name', true);
  const w: Workload = {
    doc,
    kind,
    name,
    ...(namespace ? { namespace } : {}),
    anchor: isScalar(nameNode) ? (nameNode as Scalar) : map,
    podLabels: stringMap(doc, mapAt(doc, templateMeta, 'labels')),
    annotations: stringMap(doc, mapAt(doc, metadata, 'annotations')),
    templateAnnotations: kind === 'Pod' ? {} : stringMap(doc, mapAt(doc, templateMeta, 'annotations')),
    volumes: new Map(),
    containers: [],
  };
  if (isScalar(replicasNode)) {
    const n = Number(str(replicasNode));
    w.replicas = { value: Number.isInteger(n) ? n : undefined, node: replicasNode as Scalar };
  }
  const psc = mapAt(doc, spec, 'securityContext');
  if (psc) w.podSecurityContext = psc;
  for (const v of seqMaps(doc, spec.get('volumes', true))) {
    const vol = volumeDef(doc, v);
    if (vol.name) w.volumes.set(vol.name, vol);
  }
  const infos = findContainers([doc]);
  for (const listKey of ['initContainers', 'containers']) {
    for (const c of seqMaps(doc, spec.get(listKey, true))) {
      const info = infos.find((i) => i.node === c);
      if (info) w.containers.push(containerDef(doc, c, info, listKey === 'initContainers'));
    }
  }
  return w;
}

/** The map that holds the pod spec (the pod template for controllers). */
function pathParent(doc: Document.Parsed, map: YAMLMap, path: string[]): YAMLMap | undefined {
  let m: YAMLMap | undefined = map;
  for (const key of path.slice(0, -1)) m = mapAt(doc, m, key);
  return m;
}

function containerDef(doc: Document.Parsed, c: YAMLMap, info: ContainerInfo, init: boolean): ContainerDef {
  const mounts: MountDef[] = [];
  for (const m of seqMaps(doc, c.get('volumeMounts', true))) {
    const name = str(m.get('name', true));
    const mountPath = str(m.get('mountPath', true));
    if (!name || !mountPath) continue;
    const subPath = str(m.get('subPath', true));
    mounts.push({ name, mountPath, ...(subPath ? { subPath } : {}) });
  }
  const ports = new Map<string, number>();
  for (const p of seqMaps(doc, c.get('ports', true))) {
    const n = Number(str(p.get('containerPort', true)));
    const portName = str(p.get('name', true));
    if (portName && Number.isInteger(n)) ports.set(portName, n);
  }
  const probes: ProbeDef[] = [];
  for (const kind of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    const httpGet = mapAt(doc, mapAt(doc, c, kind), 'httpGet');
    const portNode = deref(doc, httpGet?.get('port', true));
    if (!httpGet || !isScalar(portNode)) continue;
    probes.push({
      kind,
      path: str(httpGet.get('path', true)) || '/',
      port: str(portNode),
      portNode: portNode as Scalar,
    });
  }
  const def: ContainerDef = { info, init, cloudflared: isCloudflared(info), mounts, probes, ports };
  const sc = mapAt(doc, c, 'securityContext');
  if (sc) def.securityContext = sc;
  const image = deref(doc, c.get('image', true));
  if (isScalar(image)) def.imageNode = image as Scalar;
  const name = deref(doc, c.get('name', true));
  if (isScalar(name)) def.nameNode = name as Scalar;
  return def;
}

function volumeDef(doc: Document.Parsed, v: YAMLMap): VolumeDef {
  const vol: VolumeDef = { name: str(v.get('name', true)), sources: [], other: false };
  const source = (m: YAMLMap | undefined, kind: 'ConfigMap' | 'Secret', nameKey: string): void => {
    if (!m) return;
    const nameNode = deref(doc, m.get(nameKey, true));
    const items = m.has('items')
      ? seqMaps(doc, m.get('items', true)).map((i) => ({
          key: str(i.get('key', true)),
          path: str(i.get('path', true)),
        }))
      : undefined;
    vol.sources.push({
      kind,
      name: str(nameNode),
      ...(isScalar(nameNode) ? { nameNode: nameNode as Scalar } : {}),
      ...(items ? { items } : {}),
    });
  };
  source(mapAt(doc, v, 'configMap'), 'ConfigMap', 'name');
  source(mapAt(doc, v, 'secret'), 'Secret', 'secretName');
  const projected = mapAt(doc, v, 'projected');
  for (const s of seqMaps(doc, projected?.get('sources', true))) {
    source(mapAt(doc, s, 'configMap'), 'ConfigMap', 'name');
    source(mapAt(doc, s, 'secret'), 'Secret', 'name');
  }
  vol.other = vol.sources.length === 0 && !projected;
  return vol;
}

// ───────────────────────────────────────────── helpers

export function str(node: unknown): string {
  return isScalar(node) ? String((node as Scalar).value ?? '') : '';
}

export function mapAt(doc: Document.Parsed, map: YAMLMap | undefined | null, key: string): YAMLMap | undefined {
  if (!map) return undefined;
  const v = deref(doc, map.get(key, true));
  return isMap(v) ? (v as YAMLMap) : undefined;
}

export function seqMaps(doc: Document.Parsed, node: unknown): YAMLMap[] {
  const seq = deref(doc, node);
  if (!isSeq(seq)) return [];
  return seq.items.map((i) => deref(doc, i)).filter((i): i is YAMLMap => isMap(i));
}

function seqScalars(doc: Document.Parsed, node: unknown): string[] {
  const seq = deref(doc, node);
  if (!isSeq(seq)) return [];
  return seq.items
    .map((i) => deref(doc, i))
    .filter((i) => isScalar(i))
    .map(str);
}

function stringMap(doc: Document.Parsed, map: YAMLMap | undefined): Record<string, string> {
  if (!map) return {};
  return Object.fromEntries(
    mapEntries(doc, map)
      .filter((e) => isScalar(e.value))
      .map((e) => [e.name, str(e.value)]),
  );
}
