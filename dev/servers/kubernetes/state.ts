/**
 * State of the local Kubernetes API server: objects per resource with a global, increasing
 * resourceVersion (as etcd's revision), a change history for watches and consistent paginated
 * lists (bounded: older revisions are "compacted" and answer 410 Gone), pod logs, and seed data
 * (`demoState()` for the demo and tests, `largeState()` for benchmarks).
 *
 * Mutations (`add`, `update`, `patch`, `remove`, `appendLog`) notify listeners, so open watch and
 * log streams of the server see them at once.
 */
import { createHash } from 'node:crypto';
import { uuidFrom } from '../cloudflare/state';
import type { CloudflaredBehaviour } from './cloudflaredMetrics';

export type ResourceName =
  | 'namespaces'
  | 'services'
  | 'pods'
  | 'configmaps'
  | 'secrets'
  | 'deployments'
  | 'networkpolicies'
  | 'poddisruptionbudgets'
  | 'ingresses'
  | 'ingressclasses'
  | 'gatewayclasses'
  | 'gateways'
  | 'httproutes'
  | 'referencegrants'
  | 'ingressroutes';

/** API groups served ('' is the core group, served under /api/v1). */
export type GroupName = '' | 'apps' | 'networking.k8s.io' | 'policy' | 'gateway.networking.k8s.io' | 'traefik.io';
export const GROUPS: GroupName[] = [
  '',
  'apps',
  'networking.k8s.io',
  'policy',
  'gateway.networking.k8s.io',
  'traefik.io',
];
/**
 * Groups of custom resources: served (discovery, paths, OpenAPI) only while their CRDs are
 * installed, i.e. listed in `KubernetesState.crdGroups`; otherwise absent as on a cluster without them.
 */
export const CRD_GROUPS: readonly GroupName[] = ['gateway.networking.k8s.io', 'traefik.io'];

export interface ResourceInfo {
  name: ResourceName;
  singularName: string;
  kind: string;
  /** '' for the core group. */
  group: GroupName;
  /** The version served (one per resource; a group may serve several, the first one preferred). */
  version: string;
  namespaced: boolean;
  shortNames: string[];
  categories?: string[];
  /** A custom resource (its group is one of CRD_GROUPS). */
  crd?: boolean;
}

export const RESOURCES: Record<ResourceName, ResourceInfo> = {
  namespaces: {
    name: 'namespaces',
    singularName: 'namespace',
    kind: 'Namespace',
    group: '',
    version: 'v1',
    namespaced: false,
    shortNames: ['ns'],
  },
  services: {
    name: 'services',
    singularName: 'service',
    kind: 'Service',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
  },
  pods: {
    name: 'pods',
    singularName: 'pod',
    kind: 'Pod',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
  },
  configmaps: {
    name: 'configmaps',
    singularName: 'configmap',
    kind: 'ConfigMap',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: ['cm'],
  },
  secrets: {
    name: 'secrets',
    singularName: 'secret',
    kind: 'Secret',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: [],
  },
  deployments: {
    name: 'deployments',
    singularName: 'deployment',
    kind: 'Deployment',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
  },
  networkpolicies: {
    name: 'networkpolicies',
    singularName: 'networkpolicy',
    kind: 'NetworkPolicy',
    group: 'networking.k8s.io',
    version: 'v1',
    namespaced: true,
    shortNames: ['netpol'],
  },
  poddisruptionbudgets: {
    name: 'poddisruptionbudgets',
    singularName: 'poddisruptionbudget',
    kind: 'PodDisruptionBudget',
    group: 'policy',
    version: 'v1',
    namespaced: true,
    shortNames: ['pdb'],
  },
  ingresses: {
    name: 'ingresses',
    singularName: 'ingress',
    kind: 'Ingress',
    group: 'networking.k8s.io',
    version: 'v1',
    namespaced: true,
    shortNames: ['ing'],
  },
  ingressclasses: {
    name: 'ingressclasses',
    singularName: 'ingressclass',
    kind: 'IngressClass',
    group: 'networking.k8s.io',
    version: 'v1',
    namespaced: false,
    shortNames: [],
  },
  // Gateway API (standard channel v1.2 CRDs): GatewayClass, Gateway and HTTPRoute in v1, ReferenceGrant in v1beta1.
  gatewayclasses: {
    name: 'gatewayclasses',
    singularName: 'gatewayclass',
    kind: 'GatewayClass',
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    namespaced: false,
    shortNames: ['gc'],
    categories: ['gateway-api'],
    crd: true,
  },
  gateways: {
    name: 'gateways',
    singularName: 'gateway',
    kind: 'Gateway',
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    namespaced: true,
    shortNames: ['gtw'],
    categories: ['gateway-api'],
    crd: true,
  },
  httproutes: {
    name: 'httproutes',
    singularName: 'httproute',
    kind: 'HTTPRoute',
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    namespaced: true,
    shortNames: [],
    categories: ['gateway-api'],
    crd: true,
  },
  referencegrants: {
    name: 'referencegrants',
    singularName: 'referencegrant',
    kind: 'ReferenceGrant',
    group: 'gateway.networking.k8s.io',
    version: 'v1beta1',
    namespaced: true,
    shortNames: ['refgrant'],
    categories: ['gateway-api'],
    crd: true,
  },
  // Traefik v3's CRDs.
  ingressroutes: {
    name: 'ingressroutes',
    singularName: 'ingressroute',
    kind: 'IngressRoute',
    group: 'traefik.io',
    version: 'v1alpha1',
    namespaced: true,
    shortNames: [],
    crd: true,
  },
};

/** The versions a group serves, the preferred one first (the order of RESOURCES). */
export function versionsOf(group: GroupName): string[] {
  if (group === '') return ['v1'];
  const versions: string[] = [];
  for (const r of Object.values(RESOURCES))
    if (r.group === group && !versions.includes(r.version)) versions.push(r.version);
  return versions;
}

export const apiVersionOf = (r: ResourceInfo): string => (r.group ? `${r.group}/${r.version}` : r.version);

export interface KMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{
    apiVersion: string;
    kind: string;
    name: string;
    uid: string;
    controller?: boolean;
    blockOwnerDeletion?: boolean;
  }>;
  [key: string]: unknown;
}

/** A Kubernetes object as JSON. */
export interface KObject {
  apiVersion?: string;
  kind?: string;
  metadata: KMeta;
  [key: string]: unknown;
}

/** A stored object and its serialized JSON (lists of thousands are joined, not re-serialized). */
export interface Entry {
  obj: KObject;
  json: string;
}

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  rv: number;
  resource: ResourceName;
  /** `namespace/name`, or `name` for cluster-scoped resources. */
  key: string;
  type: ChangeType;
  /** The object after the change; for DELETED, the last state with the deletion's resourceVersion. */
  entry: Entry;
  /** The object before the change (MODIFIED, DELETED). */
  previous?: Entry;
}

export const keyOf = (namespace: string | undefined, name: string): string =>
  namespace ? `${namespace}/${name}` : name;

/** Raised by state mutations for a missing or duplicate object; the server turns it into a Status. */
export class StateError extends Error {
  constructor(
    readonly code: 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

/** Kinds whose metadata.generation counts spec changes (set on objects added through the state too). */
const GENERATION_KINDS: ReadonlySet<ResourceName> = new Set<ResourceName>([
  'deployments',
  'ingresses',
  'ingressclasses',
  'gatewayclasses',
  'gateways',
  'httproutes',
  'referencegrants',
  'ingressroutes',
]);

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export class KubernetesState {
  /** The last resourceVersion handed out (etcd's revision). */
  resourceVersion = 1000;
  /** Revisions up to this one are forgotten: watching or continuing from before it answers 410. */
  compactedRevision = 1000;
  /** Changes kept for watches and consistent continuation; beyond this many, the oldest half is compacted. */
  historyLimit = 20_000;
  /** The user named in RBAC messages. */
  user = 'test-user';
  /** The CRD groups installed (see CRD_GROUPS): none on a new state; `demoState()` has them all. */
  readonly crdGroups = new Set<GroupName>();
  /**
   * How the cloudflared in a pod behaves behind the pod proxy (`ns/pod` → traffic, errors, edge
   * connections, restarts, version; cloudflaredMetrics.ts). A cloudflared pod not listed gets
   * steady traffic on 4 connections.
   */
  readonly cloudflaredBehaviour = new Map<string, CloudflaredBehaviour>();
  readonly history: Change[] = [];
  private readonly stores = new Map<ResourceName, Map<string, Entry>>();
  private readonly sortedKeys = new Map<ResourceName, string[]>();
  private readonly logs = new Map<string, string[]>();
  private readonly changeListeners = new Set<(c: Change) => void>();
  private readonly logListeners = new Set<(key: string, line: string) => void>();

  constructor() {
    for (const r of Object.keys(RESOURCES) as ResourceName[]) this.stores.set(r, new Map());
  }

  /** Whether the API serves `group` now (built-in groups always; CRD groups while installed). */
  serves(group: GroupName): boolean {
    return !CRD_GROUPS.includes(group) || this.crdGroups.has(group);
  }

  // ── Reading ──────────────────────────────────────────────────────────────────────────────

  get(resource: ResourceName, namespace: string | undefined, name: string): KObject | undefined {
    return this.stores.get(resource)!.get(keyOf(RESOURCES[resource].namespaced ? namespace : undefined, name))?.obj;
  }

  entry(resource: ResourceName, key: string): Entry | undefined {
    return this.stores.get(resource)!.get(key);
  }

  /** Objects of a resource, in key order (namespace, then name), optionally of one namespace. */
  list(resource: ResourceName, namespace?: string): KObject[] {
    const store = this.stores.get(resource)!;
    return this.keys(resource, namespace).map((k) => store.get(k)!.obj);
  }

  count(resource: ResourceName): number {
    return this.stores.get(resource)!.size;
  }

  /** Sorted keys of the current state (cached until an add or delete). */
  keys(resource: ResourceName, namespace?: string): string[] {
    let keys = this.sortedKeys.get(resource);
    if (!keys) {
      keys = [...this.stores.get(resource)!.keys()].sort(compareKeys);
      this.sortedKeys.set(resource, keys);
    }
    if (namespace === undefined) return keys;
    const prefix = `${namespace}/`;
    const from = lowerBound(keys, prefix);
    let to = from;
    while (to < keys.length && keys[to]!.startsWith(prefix)) to++;
    return keys.slice(from, to);
  }

  /**
   * The resource as it was at revision `rv`: sorted keys and a lookup. `undefined` when `rv` is
   * older than the compacted revision (the caller answers 410 Expired).
   */
  snapshotAt(resource: ResourceName, rv: number): { keys: string[]; get(key: string): Entry | undefined } | undefined {
    if (rv < this.compactedRevision) return undefined;
    const later = this.changesSince(rv).filter((c) => c.resource === resource);
    const store = this.stores.get(resource)!;
    if (later.length === 0) return { keys: this.keys(resource), get: (k) => store.get(k) };
    const view = new Map(store);
    for (let i = later.length - 1; i >= 0; i--) {
      const c = later[i]!;
      if (c.type === 'ADDED') view.delete(c.key);
      else view.set(c.key, c.previous!);
    }
    return { keys: [...view.keys()].sort(compareKeys), get: (k) => view.get(k) };
  }

  /** Changes after revision `rv`, oldest first. */
  changesSince(rv: number): Change[] {
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid]!.rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return this.history.slice(lo);
  }

  // ── Mutations (each one is a watch event) ────────────────────────────────────────────────

  /** Adds an object; fills uid, resourceVersion, creationTimestamp (and namespace `default`). */
  add(resource: ResourceName, input: KObject): KObject {
    const info = RESOURCES[resource];
    const obj = clone(input);
    obj.apiVersion = apiVersionOf(info);
    obj.kind = info.kind;
    if (info.namespaced) obj.metadata.namespace ??= 'default';
    else delete obj.metadata.namespace;
    const key = keyOf(obj.metadata.namespace, obj.metadata.name);
    const store = this.stores.get(resource)!;
    if (store.has(key)) throw new StateError(409, `${resource} "${obj.metadata.name}" already exists`);
    obj.metadata.uid ??= uuidFrom(`${resource}:${key}:${this.resourceVersion}`);
    obj.metadata.creationTimestamp ??= new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (GENERATION_KINDS.has(resource)) obj.metadata.generation ??= 1;
    return this.commit(resource, key, 'ADDED', obj, undefined);
  }

  /** Replaces an existing object (matched by namespace and name); bumps its resourceVersion. */
  update(resource: ResourceName, input: KObject): KObject {
    const info = RESOURCES[resource];
    const key = keyOf(info.namespaced ? (input.metadata.namespace ?? 'default') : undefined, input.metadata.name);
    const previous = this.stores.get(resource)!.get(key);
    if (!previous) throw new StateError(404, `${resource} "${input.metadata.name}" not found`);
    const obj = clone(input);
    obj.apiVersion = apiVersionOf(info);
    obj.kind = info.kind;
    obj.metadata = {
      ...obj.metadata,
      namespace: previous.obj.metadata.namespace,
      uid: previous.obj.metadata.uid,
      creationTimestamp: previous.obj.metadata.creationTimestamp,
    };
    if (!info.namespaced) delete obj.metadata.namespace;
    if (GENERATION_KINDS.has(resource) && JSON.stringify(obj.spec) !== JSON.stringify(previous.obj.spec))
      obj.metadata.generation = (previous.obj.metadata.generation ?? 1) + 1;
    return this.commit(resource, key, 'MODIFIED', obj, previous);
  }

  /** Changes an object with `fn` (given a copy) and stores it as a MODIFIED event. */
  patch(resource: ResourceName, namespace: string | undefined, name: string, fn: (obj: KObject) => void): KObject {
    const current = this.get(resource, namespace, name);
    if (!current) throw new StateError(404, `${resource} "${name}" not found`);
    const copy = clone(current);
    fn(copy);
    copy.metadata.name = name;
    if (RESOURCES[resource].namespaced) copy.metadata.namespace = current.metadata.namespace;
    return this.update(resource, copy);
  }

  remove(resource: ResourceName, namespace: string | undefined, name: string): KObject {
    const key = keyOf(RESOURCES[resource].namespaced ? namespace : undefined, name);
    const store = this.stores.get(resource)!;
    const previous = store.get(key);
    if (!previous) throw new StateError(404, `${resource} "${name}" not found`);
    return this.commit(resource, key, 'DELETED', clone(previous.obj), previous);
  }

  private commit(
    resource: ResourceName,
    key: string,
    type: ChangeType,
    obj: KObject,
    previous: Entry | undefined,
  ): KObject {
    const rv = ++this.resourceVersion;
    obj.metadata.resourceVersion = String(rv);
    const entry: Entry = { obj, json: JSON.stringify(obj) };
    const store = this.stores.get(resource)!;
    if (type === 'DELETED') store.delete(key);
    else store.set(key, entry);
    if (type !== 'MODIFIED') this.sortedKeys.delete(resource);
    const change: Change = { rv, resource, key, type, entry, previous };
    this.history.push(change);
    if (this.history.length > this.historyLimit) {
      const drop = this.history.splice(0, Math.ceil(this.history.length / 2));
      this.compactedRevision = drop[drop.length - 1]!.rv;
    }
    for (const l of [...this.changeListeners]) l(change);
    return obj;
  }

  /** Forgets all history: any earlier resourceVersion now answers 410 Gone. */
  compact(): void {
    this.history.splice(0);
    this.compactedRevision = this.resourceVersion;
  }

  onChange(listener: (c: Change) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  // ── Pod logs ─────────────────────────────────────────────────────────────────────────────

  /** Appends a line to a container's log (the pod's first container when none is given). */
  appendLog(namespace: string, pod: string, line: string, container?: string): void {
    const key = this.logKey(namespace, pod, container);
    let lines = this.logs.get(key);
    if (!lines) this.logs.set(key, (lines = []));
    lines.push(line);
    for (const l of [...this.logListeners]) l(key, line);
  }

  logLines(namespace: string, pod: string, container?: string): string[] {
    return this.logs.get(this.logKey(namespace, pod, container)) ?? [];
  }

  logKey(namespace: string, pod: string, container?: string): string {
    const c = container ?? containersOf(this.get('pods', namespace, pod))[0] ?? '';
    return `${namespace}/${pod}/${c}`;
  }

  onLog(listener: (key: string, line: string) => void): () => void {
    this.logListeners.add(listener);
    return () => this.logListeners.delete(listener);
  }
}

export function containersOf(pod: KObject | undefined): string[] {
  const spec = pod?.spec as { containers?: Array<{ name: string }> } | undefined;
  return (spec?.containers ?? []).map((c) => c.name);
}

/** etcd key order: namespace, then name (`/` sorts before letters and digits). */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function lowerBound(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ── Object builders ─────────────────────────────────────────────────────────────────────────

const digest = (seed: string): string => createHash('sha256').update(seed).digest('hex');
/** A pod-template-hash / pod-suffix-looking string. */
const suffix = (seed: string, n: number): string =>
  digest(seed)
    .slice(0, n)
    .replace(/[0-9]/g, (d) => 'bcdfghjklm'[Number(d)]!);
const ago = (minutes: number): string => new Date(Date.now() - minutes * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');

export interface PortSpec {
  port: number;
  name?: string;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  targetPort?: number | string;
  nodePort?: number;
}

export function namespace(name: string, opts: { minutes?: number; labels?: Record<string, string> } = {}): KObject {
  return {
    metadata: {
      name,
      labels: { 'kubernetes.io/metadata.name': name, ...opts.labels },
      creationTimestamp: ago(opts.minutes ?? 60 * 24 * 30),
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

export function service(
  ns: string,
  name: string,
  opts: {
    type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
    clusterIP?: string;
    ports?: PortSpec[];
    selector?: Record<string, string>;
    externalName?: string;
    loadBalancerIPs?: string[];
    labels?: Record<string, string>;
    minutes?: number;
  } = {},
): KObject {
  const type = opts.type ?? 'ClusterIP';
  const spec: Record<string, unknown> = { type };
  if (type === 'ExternalName') spec.externalName = opts.externalName ?? 'example.com';
  else {
    const ip = opts.clusterIP ?? '10.96.0.100';
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
    spec.ipFamilies = ['IPv4'];
    spec.ipFamilyPolicy = 'SingleStack';
    spec.internalTrafficPolicy = 'Cluster';
    spec.sessionAffinity = 'None';
    spec.ports = (opts.ports ?? []).map((p) => {
      const out: Record<string, unknown> = {};
      if (p.name) out.name = p.name;
      out.protocol = p.protocol ?? 'TCP';
      out.port = p.port;
      out.targetPort = p.targetPort ?? p.port;
      if (p.nodePort) out.nodePort = p.nodePort;
      return out;
    });
    if (opts.selector) spec.selector = opts.selector;
    if (type === 'LoadBalancer' || type === 'NodePort') spec.externalTrafficPolicy = 'Cluster';
  }
  const status =
    type === 'LoadBalancer'
      ? {
          loadBalancer: opts.loadBalancerIPs
            ? { ingress: opts.loadBalancerIPs.map((ip) => ({ ip, ipMode: 'VIP' })) }
            : {},
        }
      : { loadBalancer: {} };
  const metadata: KMeta = { name, namespace: ns, creationTimestamp: ago(opts.minutes ?? 60 * 24 * 10) };
  if (opts.labels) metadata.labels = opts.labels;
  return { metadata, spec, status };
}

export function configMap(
  ns: string,
  name: string,
  data: Record<string, string>,
  opts: { minutes?: number } = {},
): KObject {
  return { metadata: { name, namespace: ns, creationTimestamp: ago(opts.minutes ?? 60 * 24 * 5) }, data };
}

/** An Opaque Secret; `data` values are given in plain text and stored base64-encoded, as the API does. */
export function secret(
  ns: string,
  name: string,
  data: Record<string, string>,
  opts: { minutes?: number; annotations?: Record<string, string>; type?: string } = {},
): KObject {
  const metadata: KMeta = { name, namespace: ns, creationTimestamp: ago(opts.minutes ?? 60 * 24 * 5) };
  if (opts.annotations) metadata.annotations = opts.annotations;
  return {
    metadata,
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    type: opts.type ?? 'Opaque',
  };
}

export interface ContainerSpec {
  name: string;
  image: string;
  args?: string[];
  command?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: unknown }>;
  ports?: Array<{ containerPort: number; name?: string; protocol?: string }>;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
}

export interface PodState {
  /** Ready containers (default: all). */
  ready?: boolean;
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  restarts?: number;
  /** A waiting reason such as CrashLoopBackOff (the container is then not running). */
  waiting?: string;
}

/** A Deployment and its pods (named as a ReplicaSet would name them); `pods` gives each pod's state. */
export function deployment(
  ns: string,
  name: string,
  opts: {
    containers: ContainerSpec[];
    replicas?: number;
    pods?: PodState[];
    labels?: Record<string, string>;
    volumes?: unknown[];
    minutes?: number;
  },
): { deployment: KObject; pods: KObject[] } {
  const replicas = opts.replicas ?? 1;
  const labels = opts.labels ?? { app: name };
  const hash = suffix(`${ns}/${name}/rs`, 10);
  const podStates: PodState[] = opts.pods ?? Array.from({ length: replicas }, () => ({}));
  const created = opts.minutes ?? 60 * 24 * 3;
  const podSpec: Record<string, unknown> = {
    containers: opts.containers.map((c) => ({
      ...c,
      resources: {},
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'IfNotPresent',
    })),
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    securityContext: {},
    schedulerName: 'default-scheduler',
  };
  if (opts.volumes) podSpec.volumes = opts.volumes;
  const rsName = `${name}-${hash}`;
  const rsUid = uuidFrom(`rs:${ns}/${rsName}`);
  const pods = podStates.map((st, i): KObject => {
    const podName = `${rsName}-${suffix(`${ns}/${name}/pod/${i}`, 5)}`;
    const phase = st.phase ?? 'Running';
    const ready = st.ready ?? (phase === 'Running' && !st.waiting);
    const ip = `10.244.${(digest(ns).charCodeAt(0) % 200) + 1}.${10 + i}`;
    return {
      metadata: {
        name: podName,
        namespace: ns,
        labels: { ...labels, 'pod-template-hash': hash },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: rsName,
            uid: rsUid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
        creationTimestamp: ago(created - 1),
      },
      spec: { ...podSpec, nodeName: `node-${(i % 3) + 1}` },
      status: {
        phase,
        podIP: ip,
        podIPs: [{ ip }],
        hostIP: `192.168.1.${(i % 3) + 11}`,
        startTime: ago(created - 1),
        qosClass: 'BestEffort',
        conditions: [
          { type: 'PodReadyToStartContainers', status: 'True' },
          { type: 'Initialized', status: 'True' },
          { type: 'Ready', status: ready ? 'True' : 'False', ...(ready ? {} : { reason: 'ContainersNotReady' }) },
          {
            type: 'ContainersReady',
            status: ready ? 'True' : 'False',
            ...(ready ? {} : { reason: 'ContainersNotReady' }),
          },
          { type: 'PodScheduled', status: 'True' },
        ],
        containerStatuses: opts.containers.map((c) => ({
          name: c.name,
          image: c.image,
          imageID: `${c.image.split(':')[0]}@sha256:${digest(c.image)}`,
          ready,
          started: !st.waiting,
          restartCount: st.restarts ?? 0,
          state: st.waiting
            ? { waiting: { reason: st.waiting, message: 'back-off 5m0s restarting failed container' } }
            : { running: { startedAt: ago(created - 1) } },
        })),
      },
    };
  });
  const readyCount = pods.filter((p) =>
    (p.status as { conditions: Array<{ type: string; status: string }> }).conditions.some(
      (c) => c.type === 'Ready' && c.status === 'True',
    ),
  ).length;
  const status: Record<string, unknown> = {
    observedGeneration: 1,
    replicas: pods.length,
    updatedReplicas: pods.length,
    conditions: [
      {
        type: 'Available',
        status: readyCount >= replicas ? 'True' : 'False',
        reason: readyCount >= replicas ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
      },
      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
    ],
  };
  if (readyCount > 0) {
    status.readyReplicas = readyCount;
    status.availableReplicas = readyCount;
  }
  if (pods.length - readyCount > 0) status.unavailableReplicas = pods.length - readyCount;
  const dep: KObject = {
    metadata: {
      name,
      namespace: ns,
      labels,
      annotations: { 'deployment.kubernetes.io/revision': '1' },
      creationTimestamp: ago(created),
    },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: podSpec },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status,
  };
  return { deployment: dep, pods };
}

export interface IngressPathSpec {
  path?: string;
  pathType?: 'Exact' | 'Prefix' | 'ImplementationSpecific';
  service: string;
  /** A port number, or a port name. */
  port: number | string;
}

/** A networking.k8s.io/v1 Ingress: one rule per host, `status` with the controller's published address. */
export function ingress(
  ns: string,
  name: string,
  opts: {
    className?: string;
    rules: Array<{ host?: string; paths: IngressPathSpec[] }>;
    tls?: Array<{ hosts: string[]; secretName?: string }>;
    defaultBackend?: { service: string; port: number | string };
    annotations?: Record<string, string>;
    address?: string;
    minutes?: number;
  },
): KObject {
  const backend = (b: { service: string; port: number | string }): Record<string, unknown> => ({
    service: { name: b.service, port: typeof b.port === 'number' ? { number: b.port } : { name: b.port } },
  });
  const spec: Record<string, unknown> = {};
  if (opts.className) spec.ingressClassName = opts.className;
  if (opts.defaultBackend) spec.defaultBackend = backend(opts.defaultBackend);
  if (opts.tls) spec.tls = opts.tls;
  spec.rules = opts.rules.map((r) => ({
    ...(r.host ? { host: r.host } : {}),
    http: {
      paths: r.paths.map((p) => ({ path: p.path ?? '/', pathType: p.pathType ?? 'Prefix', backend: backend(p) })),
    },
  }));
  const metadata: KMeta = {
    name,
    namespace: ns,
    generation: 1,
    creationTimestamp: ago(opts.minutes ?? 60 * 24 * 2),
  };
  if (opts.annotations) metadata.annotations = opts.annotations;
  return {
    metadata,
    spec,
    status: { loadBalancer: opts.address ? { ingress: [{ ip: opts.address }] } : {} },
  };
}

/** A networking.k8s.io/v1 IngressClass, optionally annotated as the cluster's default class. */
export function ingressClass(name: string, controller: string, opts: { isDefault?: boolean } = {}): KObject {
  const metadata: KMeta = { name, generation: 1, creationTimestamp: ago(60 * 24 * 20) };
  if (opts.isDefault) metadata.annotations = { 'ingressclass.kubernetes.io/is-default-class': 'true' };
  return { metadata, spec: { controller } };
}

// ── Seed data ───────────────────────────────────────────────────────────────────────────────

/** Tunnel IDs as in the local Cloudflare API's demo account ("Acme Corp"). */
export const DEMO_TUNNELS = {
  prod: uuidFrom(`tunnel:${digest('account:Acme Corp').slice(0, 32)}:prod-k8s`),
  homelab: uuidFrom(`tunnel:${digest('account:Acme Corp').slice(0, 32)}:homelab`),
};

export function cloudflaredLogLines(
  tunnelId: string,
  pod: string,
  opts: { connectorId?: string; locations?: string[]; version?: string } = {},
): string[] {
  const t = '2026-01-15T10:00:0';
  const loc = opts.locations ?? ['fra08', 'ams01', 'fra10', 'ams16'];
  return [
    `${t}0Z INF Starting tunnel tunnelID=${tunnelId}`,
    `${t}0Z INF Version ${opts.version ?? '2026.8.2'} (Checksum ${digest(pod).slice(0, 64)})`,
    `${t}0Z INF GOOS: linux, GOVersion: go1.24.4, GoArch: amd64`,
    `${t}0Z INF Settings: map[no-autoupdate:true metrics:0.0.0.0:2000]`,
    `${t}1Z INF Generated Connector ID: ${opts.connectorId ?? uuidFrom(`connector:${pod}`)}`,
    `${t}1Z INF Initial protocol quic`,
    `${t}1Z INF Starting metrics server on [::]:2000/metrics`,
    `${t}2Z INF Registered tunnel connection connIndex=0 connection=${uuidFrom(`c0:${pod}`)} event=0 ip=198.41.192.167 location=${loc[0]} protocol=quic`,
    `${t}2Z INF Registered tunnel connection connIndex=1 connection=${uuidFrom(`c1:${pod}`)} event=0 ip=198.41.200.13 location=${loc[1]} protocol=quic`,
    `${t}3Z INF Registered tunnel connection connIndex=2 connection=${uuidFrom(`c2:${pod}`)} event=0 ip=198.41.192.57 location=${loc[2]} protocol=quic`,
    `${t}3Z INF Registered tunnel connection connIndex=3 connection=${uuidFrom(`c3:${pod}`)} event=0 ip=198.41.200.113 location=${loc[3]} protocol=quic`,
  ];
}

function put(state: KubernetesState, resource: ResourceName, objs: KObject[]): void {
  for (const o of objs) state.add(resource, o);
}

/**
 * A small cluster: system Services, an ingress-nginx LoadBalancer (controller class
 * k8s.io/ingress-nginx, IngressClass `nginx`, the default) and Traefik in kube-system (Ingresses of
 * class `traefik`, IngressRoutes, Gateway API), `web`/`api`/`db`/`shop`/`whoami` in default, their routing
 * objects (see addDemoRouting),
 * grafana and prometheus in monitoring, `web` in staging; in `cloudflared` the remotely managed
 * prod-k8s connector (2/2 ready, `tunnel run --token`) and in `homelab` a locally configured one
 * (ConfigMap `cloudflared-config`, a mirror image, 1/2 ready: one pod in CrashLoopBackOff).
 * Behind the pod proxy on port 2000 (cloudflaredMetrics.ts): prod's first pod has steady traffic
 * with error bursts, its second restarts every 15 minutes; homelab's running pod (2026.7.0, the
 * older release) has no edge connection (/ready 503), its crash-looping pod does not answer.
 */
export function demoState(): KubernetesState {
  const s = new KubernetesState();
  s.user = 'demo-user';
  put(
    s,
    'namespaces',
    [
      'default',
      'kube-system',
      'kube-public',
      'kube-node-lease',
      'cloudflared',
      'homelab',
      'ingress-nginx',
      'monitoring',
      'staging',
    ].map((n) => namespace(n)),
  );
  put(s, 'services', [
    service('default', 'kubernetes', {
      clusterIP: '10.96.0.1',
      ports: [{ name: 'https', port: 443, targetPort: 6443 }],
      labels: { component: 'apiserver', provider: 'kubernetes' },
      minutes: 60 * 24 * 30,
    }),
    service('default', 'web', {
      clusterIP: '10.96.12.40',
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
      selector: { app: 'web' },
    }),
    service('default', 'api', {
      clusterIP: '10.96.12.41',
      ports: [
        { name: 'http', port: 8080 },
        { name: 'grpc', port: 9090 },
      ],
      selector: { app: 'api' },
    }),
    service('default', 'db', { clusterIP: 'None', ports: [{ name: 'postgres', port: 5432 }], selector: { app: 'db' } }),
    service('kube-system', 'kube-dns', {
      clusterIP: '10.96.0.10',
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53 },
        { name: 'metrics', port: 9153 },
      ],
      selector: { 'k8s-app': 'kube-dns' },
      labels: { 'k8s-app': 'kube-dns' },
      minutes: 60 * 24 * 30,
    }),
    service('ingress-nginx', 'ingress-nginx-controller', {
      type: 'LoadBalancer',
      clusterIP: '10.96.80.10',
      ports: [
        { name: 'http', port: 80, targetPort: 'http', nodePort: 31080 },
        { name: 'https', port: 443, targetPort: 'https', nodePort: 31443 },
      ],
      selector: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
      loadBalancerIPs: ['192.0.2.80'],
    }),
    service('ingress-nginx', 'ingress-nginx-controller-admission', {
      clusterIP: '10.96.80.11',
      ports: [{ name: 'https-webhook', port: 443, targetPort: 'webhook' }],
    }),
    service('monitoring', 'grafana', {
      clusterIP: '10.96.30.5',
      ports: [{ name: 'http', port: 3000 }],
      selector: { app: 'grafana' },
    }),
    service('monitoring', 'prometheus', {
      clusterIP: '10.96.30.6',
      ports: [{ name: 'web', port: 9090 }],
      selector: { app: 'prometheus' },
    }),
    service('staging', 'web', {
      clusterIP: '10.96.40.2',
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
      selector: { app: 'web' },
    }),
    service('cloudflared', 'cloudflared-metrics', {
      clusterIP: '10.96.50.2',
      ports: [{ name: 'metrics', port: 2000 }],
      selector: { app: 'cloudflared' },
    }),
    service('homelab', 'nas', { type: 'ExternalName', externalName: 'nas.home.arpa' }),
    service('homelab', 'home-assistant', {
      type: 'NodePort',
      clusterIP: '10.96.60.7',
      ports: [{ name: 'http', port: 8123, nodePort: 30123 }],
      selector: { app: 'home-assistant' },
    }),
    service('default', 'shop', {
      clusterIP: '10.96.12.42',
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
      selector: { app: 'shop' },
    }),
    service('default', 'whoami', {
      clusterIP: '10.96.12.43',
      ports: [{ name: 'http', port: 80 }],
      selector: { app: 'whoami' },
    }),
    // ClusterIP (reached through the tunnel only), where k3s's chart would make it a LoadBalancer.
    service('kube-system', 'traefik', {
      clusterIP: '10.96.90.10',
      ports: [
        { name: 'web', port: 80, targetPort: 8000 },
        { name: 'websecure', port: 443, targetPort: 8443 },
      ],
      selector: TRAEFIK_LABELS,
      labels: TRAEFIK_LABELS,
    }),
  ]);

  const homelabConfig = [
    `tunnel: ${DEMO_TUNNELS.homelab}`,
    'credentials-file: /etc/cloudflared/creds/credentials.json',
    'metrics: 0.0.0.0:2000',
    'no-autoupdate: true',
    'ingress:',
    '  - hostname: home.example.dev',
    '    service: http://home-assistant.homelab.svc.cluster.local:8123',
    '  - hostname: metrics.example.dev',
    '    service: http://grafana.monitoring:3000',
    '  - service: http_status:404',
    '',
  ].join('\n');
  put(s, 'configmaps', [
    configMap('kube-system', 'coredns', {
      Corefile:
        '.:53 {\n    errors\n    health\n    kubernetes cluster.local in-addr.arpa ip6.arpa\n    forward . /etc/resolv.conf\n    cache 30\n}\n',
    }),
    configMap('homelab', 'cloudflared-config', { 'config.yaml': homelabConfig }),
    configMap('default', 'kube-root-ca.crt', {
      'ca.crt': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    }),
  ]);

  const prod = deployment('cloudflared', 'cloudflared', {
    replicas: 2,
    // Also the scaffold's selector (app.kubernetes.io/name): a Deployment's selector cannot change
    // (422 "field is immutable"), so the scaffold applied over it keeps these.
    labels: { app: 'cloudflared', 'app.kubernetes.io/name': 'cloudflared' },
    containers: [
      {
        name: 'cloudflared',
        image: 'cloudflare/cloudflared:2026.8.2',
        args: ['tunnel', '--no-autoupdate', '--metrics', '0.0.0.0:2000', 'run'],
        env: [{ name: 'TUNNEL_TOKEN', valueFrom: { secretKeyRef: { name: 'cloudflared-token', key: 'token' } } }],
        ports: [{ containerPort: 2000, name: 'metrics', protocol: 'TCP' }],
      },
    ],
  });
  const home = deployment('homelab', 'cloudflared', {
    replicas: 2,
    labels: { app: 'cloudflared', tunnel: 'homelab' },
    containers: [
      {
        name: 'cloudflared',
        image: 'registry.example.com/mirror/cloudflared:2026.7.0',
        args: ['tunnel', '--config', '/etc/cloudflared/config/config.yaml', 'run'],
        volumeMounts: [
          { name: 'config', mountPath: '/etc/cloudflared/config', readOnly: true },
          { name: 'creds', mountPath: '/etc/cloudflared/creds', readOnly: true },
        ],
      },
    ],
    volumes: [
      { name: 'config', configMap: { name: 'cloudflared-config' } },
      { name: 'creds', secret: { secretName: 'tunnel-credentials' } },
    ],
    pods: [{}, { waiting: 'CrashLoopBackOff', restarts: 7 }],
  });
  const others = [
    deployment('default', 'web', {
      replicas: 2,
      containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 8080 }] }],
    }),
    deployment('default', 'api', {
      replicas: 1,
      containers: [
        { name: 'api', image: 'ghcr.io/acme/api:v3.4.1', ports: [{ containerPort: 8080 }, { containerPort: 9090 }] },
      ],
    }),
    deployment('ingress-nginx', 'ingress-nginx-controller', {
      labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
      containers: [
        {
          name: 'controller',
          image: 'registry.k8s.io/ingress-nginx/controller:v1.11.2',
          args: [
            '/nginx-ingress-controller',
            '--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller',
            '--election-id=ingress-nginx-leader',
            '--controller-class=k8s.io/ingress-nginx',
            '--ingress-class=nginx',
            '--configmap=$(POD_NAMESPACE)/ingress-nginx-controller',
            '--validating-webhook=:8443',
          ],
          ports: [
            { name: 'http', containerPort: 80, protocol: 'TCP' },
            { name: 'https', containerPort: 443, protocol: 'TCP' },
            { name: 'webhook', containerPort: 8443, protocol: 'TCP' },
          ],
        },
      ],
    }),
    deployment('monitoring', 'grafana', { containers: [{ name: 'grafana', image: 'grafana/grafana:11.2.0' }] }),
    deployment('default', 'shop', {
      replicas: 2,
      containers: [{ name: 'shop', image: 'ghcr.io/acme/shop:v1.8.0', ports: [{ containerPort: 8080 }] }],
    }),
    deployment('default', 'whoami', {
      containers: [{ name: 'whoami', image: 'traefik/whoami:v1.10', ports: [{ name: 'http', containerPort: 80 }] }],
    }),
    deployment('kube-system', 'traefik', {
      labels: TRAEFIK_LABELS,
      containers: [
        {
          name: 'traefik',
          image: 'docker.io/traefik:v3.1.4',
          args: [
            '--entryPoints.metrics.address=:9100/tcp',
            '--entryPoints.traefik.address=:8080/tcp',
            '--entryPoints.web.address=:8000/tcp',
            '--entryPoints.websecure.address=:8443/tcp',
            '--api.dashboard=true',
            '--ping=true',
            '--providers.kubernetescrd',
            '--providers.kubernetesingress',
            '--providers.kubernetesgateway',
            '--entryPoints.websecure.http.tls=true',
          ],
          ports: [
            { name: 'metrics', containerPort: 9100, protocol: 'TCP' },
            { name: 'traefik', containerPort: 8080, protocol: 'TCP' },
            { name: 'web', containerPort: 8000, protocol: 'TCP' },
            { name: 'websecure', containerPort: 8443, protocol: 'TCP' },
          ],
        },
      ],
    }),
  ];
  for (const d of [prod, home, ...others]) {
    s.add('deployments', d.deployment);
    put(s, 'pods', d.pods);
  }
  // What each cloudflared serves behind the pod proxy (cloudflaredMetrics.ts). The prod pods are the
  // local Cloudflare API's two prod-k8s connectors (same connector ids and edge locations).
  const [prodA, prodB] = prod.pods;
  const [homeOk, homeBad] = home.pods;
  const PROD_CONNECTORS = [
    { pod: prodA!, connectorId: uuidFrom('connector:prod-1'), locations: ['fra08', 'ams01', 'fra10', 'ams16'] },
    { pod: prodB!, connectorId: uuidFrom('connector:prod-2'), locations: ['fra08', 'ams01', 'cdg03', 'ams16'] },
  ];
  // prod-1: steady traffic, origin errors in bursts and some 5xx; remote configuration version 3.
  s.cloudflaredBehaviour.set(`cloudflared/${prodA!.metadata.name}`, {
    rps: 12,
    errorShare: 0.03,
    locations: PROD_CONNECTORS[0]!.locations,
    connectorId: PROD_CONNECTORS[0]!.connectorId,
    configVersion: 3,
  });
  // prod-2: restarts every 15 minutes (counters reset); connection 2 moved from lhr01 to cdg03.
  s.cloudflaredBehaviour.set(`cloudflared/${prodB!.metadata.name}`, {
    rps: 7,
    errorShare: 0.01,
    locations: PROD_CONNECTORS[1]!.locations,
    previousLocations: { '2': 'lhr01' },
    connectorId: PROD_CONNECTORS[1]!.connectorId,
    restartEverySeconds: 900,
    configVersion: 3,
  });
  // homelab: the older release (the image's 2026.7.0), running but without any edge connection (the
  // Cloudflare API lists the homelab tunnel as inactive): /ready 503, 0 connections, no traffic;
  // Kubernetes still calls the pod ready, as it has no readiness probe. The other pod crash-loops, so
  // nothing listens on its port 2000 (the proxy answers 503 connection refused).
  s.cloudflaredBehaviour.set(`homelab/${homeOk!.metadata.name}`, {
    locations: [],
    connectorId: uuidFrom(`connector:${homeOk!.metadata.name}`),
    protocol: 'quic',
  });
  for (const c of PROD_CONNECTORS)
    for (const line of cloudflaredLogLines(DEMO_TUNNELS.prod, c.pod.metadata.name, c))
      s.appendLog('cloudflared', c.pod.metadata.name, line);
  for (const line of [
    ...cloudflaredLogLines(DEMO_TUNNELS.homelab, homeOk!.metadata.name, { version: '2026.7.0' }).slice(0, 7),
    '2026-01-15T10:00:12Z ERR Failed to dial a quic connection error="failed to dial to edge with quic: timeout: no recent network activity" connIndex=0 event=0 ip=198.41.192.167',
    '2026-01-15T10:00:12Z INF Retrying connection in up to 2s connIndex=0 event=0 ip=198.41.192.167',
    '2026-01-15T10:00:26Z ERR Failed to dial a quic connection error="failed to dial to edge with quic: timeout: no recent network activity" connIndex=0 event=0 ip=198.41.200.13',
    '2026-01-15T10:00:26Z INF Retrying connection in up to 4s connIndex=0 event=0 ip=198.41.200.13',
  ])
    s.appendLog('homelab', homeOk!.metadata.name, line);
  for (const line of [
    `2026-01-15T10:05:00Z INF Starting tunnel tunnelID=${DEMO_TUNNELS.homelab}`,
    '2026-01-15T10:05:00Z ERR Cannot determine default origin certificate path. No file cert.pem in [~/.cloudflared ~/.cloudflare-warp ~/cloudflare-warp /etc/cloudflared /usr/local/etc/cloudflared]',
    '2026-01-15T10:05:00Z ERR tunnel credentials file not found: open /etc/cloudflared/creds/credentials.json: no such file or directory',
  ])
    s.appendLog('homelab', homeBad!.metadata.name, line);
  for (const p of others[0]!.pods)
    s.appendLog(
      'default',
      p.metadata.name,
      '10.244.1.1 - - [15/Jan/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.5.0"',
    );
  addDemoRouting(s);
  s.compact();
  return s;
}

/** The labels of the demo's Traefik (k3s's bundled Helm chart). */
const TRAEFIK_LABELS = { 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/instance': 'traefik-kube-system' };

/**
 * The demo's routing objects: IngressClasses `nginx` (the default) and `traefik`; Ingresses in
 * `default`: `shop` (shop.example.com → Service shop:80), `docs` (docs.example.com → Service
 * `docs-missing`, which does not exist) and `secure` (secure.example.com with a TLS block → web:80);
 * Gateway API: GatewayClass `traefik`, Gateway `traefik-gateway` (kube-system), HTTPRoutes `api`
 * (api.example.dev → api:8080) and `grafana` (grafana.example.dev → monitoring/grafana:3000, allowed
 * by the ReferenceGrant `httproutes-from-default` in monitoring); Traefik IngressRoute `whoami`.
 */
function addDemoRouting(s: KubernetesState): void {
  for (const g of CRD_GROUPS) s.crdGroups.add(g);
  put(s, 'ingressclasses', [
    ingressClass('nginx', 'k8s.io/ingress-nginx', { isDefault: true }),
    ingressClass('traefik', 'traefik.io/ingress-controller'),
  ]);
  const nginx = '192.0.2.80';
  put(s, 'ingresses', [
    ingress('default', 'shop', {
      className: 'nginx',
      rules: [{ host: 'shop.example.com', paths: [{ path: '/', pathType: 'Prefix', service: 'shop', port: 80 }] }],
      address: nginx,
    }),
    ingress('default', 'docs', {
      className: 'nginx',
      rules: [
        { host: 'docs.example.com', paths: [{ path: '/', pathType: 'Prefix', service: 'docs-missing', port: 80 }] },
      ],
      address: nginx,
    }),
    ingress('default', 'secure', {
      className: 'nginx',
      tls: [{ hosts: ['secure.example.com'], secretName: 'secure-example-com-tls' }],
      rules: [{ host: 'secure.example.com', paths: [{ path: '/', pathType: 'Prefix', service: 'web', port: 'http' }] }],
      annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'true' },
      address: nginx,
    }),
  ]);
  const created = ago(60 * 24 * 2);
  const gatewayApi = 'gateway.networking.k8s.io';
  s.add('gatewayclasses', {
    metadata: { name: 'traefik', creationTimestamp: created },
    spec: { controllerName: 'traefik.io/gateway-controller' },
    status: {
      conditions: [
        {
          type: 'Accepted',
          status: 'True',
          reason: 'Accepted',
          message: 'Handled by Traefik controller',
          observedGeneration: 1,
          lastTransitionTime: created,
        },
      ],
    },
  });
  s.add('gateways', {
    metadata: { name: 'traefik-gateway', namespace: 'kube-system', creationTimestamp: created },
    spec: {
      gatewayClassName: 'traefik',
      listeners: [{ name: 'web', port: 8000, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }],
    },
    status: {
      addresses: [{ type: 'IPAddress', value: '10.96.90.10' }],
      conditions: [
        {
          type: 'Programmed',
          status: 'True',
          reason: 'Programmed',
          message: 'Gateway successfully scheduled',
          observedGeneration: 1,
          lastTransitionTime: created,
        },
      ],
    },
  });
  const parentRefs = [
    { group: gatewayApi, kind: 'Gateway', name: 'traefik-gateway', namespace: 'kube-system', sectionName: 'web' },
  ];
  const allPaths = [{ path: { type: 'PathPrefix', value: '/' } }];
  s.add('httproutes', {
    metadata: { name: 'api', namespace: 'default', creationTimestamp: created },
    spec: {
      parentRefs,
      hostnames: ['api.example.dev'],
      rules: [{ matches: allPaths, backendRefs: [{ group: '', kind: 'Service', name: 'api', port: 8080, weight: 1 }] }],
    },
  });
  s.add('httproutes', {
    metadata: { name: 'grafana', namespace: 'default', creationTimestamp: created },
    spec: {
      parentRefs,
      hostnames: ['grafana.example.dev'],
      rules: [
        {
          matches: allPaths,
          backendRefs: [
            { group: '', kind: 'Service', name: 'grafana', namespace: 'monitoring', port: 3000, weight: 1 },
          ],
        },
      ],
    },
  });
  s.add('referencegrants', {
    metadata: { name: 'httproutes-from-default', namespace: 'monitoring', creationTimestamp: created },
    spec: {
      from: [{ group: gatewayApi, kind: 'HTTPRoute', namespace: 'default' }],
      to: [{ group: '', kind: 'Service' }],
    },
  });
  s.add('ingressroutes', {
    metadata: { name: 'whoami', namespace: 'default', creationTimestamp: created },
    spec: {
      entryPoints: ['web'],
      routes: [
        {
          match: 'Host(`whoami.example.dev`) && PathPrefix(`/`)',
          kind: 'Rule',
          services: [{ name: 'whoami', port: 80 }],
        },
      ],
    },
  });
}

/**
 * `services` Services spread round robin over `namespaces` namespaces (`ns-0000` …), each with a
 * ClusterIP and one or two ports, plus one cloudflared Deployment (2 pods) in `ns-0000`.
 */
export function largeState(services: number, namespaces: number): KubernetesState {
  const s = new KubernetesState();
  s.historyLimit = Math.max(s.historyLimit, services * 2);
  const width = Math.max(4, String(namespaces - 1).length);
  const nsName = (i: number): string => `ns-${String(i).padStart(width, '0')}`;
  for (let i = 0; i < namespaces; i++) s.add('namespaces', namespace(nsName(i), { minutes: 60 * 24 }));
  const svcWidth = Math.max(5, String(services - 1).length);
  for (let i = 0; i < services; i++) {
    const ns = nsName(i % namespaces);
    const name = `svc-${String(i).padStart(svcWidth, '0')}`;
    const ports: PortSpec[] =
      i % 3 === 0
        ? [
            { name: 'http', port: 80, targetPort: 8080 },
            { name: 'https', port: 443, targetPort: 8443 },
          ]
        : [{ name: 'http', port: 8080 }];
    s.add(
      'services',
      service(ns, name, {
        clusterIP: `10.${96 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`,
        ports,
        selector: { app: name },
        labels: { app: name, tier: i % 2 ? 'backend' : 'frontend' },
        minutes: 60,
      }),
    );
  }
  const d = deployment(nsName(0), 'cloudflared', {
    replicas: 2,
    containers: [
      { name: 'cloudflared', image: 'cloudflare/cloudflared:2026.8.2', args: ['tunnel', '--no-autoupdate', 'run'] },
    ],
  });
  s.add('deployments', d.deployment);
  put(s, 'pods', d.pods);
  s.compact();
  return s;
}
