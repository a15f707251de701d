/**
 * The objects a trace reads, from either source: a workspace's manifests (each with its file and
 * line) or a cluster's API (each with its object reference). Readers take plain objects, as the
 * API server returns them or `toPlain` makes them from a manifest, and never throw; what is not one
 * of the kinds below is ignored.
 */
import { readGateway, readHTTPRoute, readReferenceGrant } from './gateway';
import type { GatewayDef, HTTPRouteDef, ReferenceGrantDef } from './gateway';
import { readIngress, readIngressClass } from './ingress';
import { readIngressRoute } from './traefik';
import type { IngressRouteDef } from './traefik';
import type { IngressClassDef, IngressDef } from './ingress';

/** Where an object came from: a file and 0-based line, or a cluster object. */
export interface SourceRef {
  file?: string;
  line?: number;
  /** A cluster object: enough to open it read-only. */
  object?: { apiVersion: string; kind: string; namespace?: string; name: string };
  /** A workspace object renamed by kustomize's namePrefix/nameSuffix: its name as the file writes it. */
  writtenName?: string;
}

export interface Sourced<T> {
  def: T;
  source: SourceRef;
}

export interface RoutingServicePort {
  port: number;
  name?: string;
  targetPort?: number | string;
  protocol?: string;
}

export interface RoutingService {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  /** Undefined: a Service without selector (manual Endpoints, or a Gateway implementation's). */
  selector?: Record<string, string>;
  type?: string;
  clusterIP?: string;
  ports: RoutingServicePort[];
}

export interface RoutingContainer {
  name: string;
  image: string;
  args: string[];
  ports: Array<{ name?: string; containerPort: number }>;
}

/** A Deployment, StatefulSet, DaemonSet, …, or a bare Pod: its pods' labels and containers. */
export interface RoutingWorkload {
  kind: string;
  namespace: string;
  name: string;
  podLabels: Record<string, string>;
  containers: RoutingContainer[];
}

/** A routing kind the source could not read (a cluster without the CRD says nothing; 403 says so). */
export interface UnreadKind {
  kind: string;
  reason: string;
}

export interface RoutingObjects {
  services: Array<Sourced<RoutingService>>;
  workloads: Array<Sourced<RoutingWorkload>>;
  ingresses: Array<Sourced<IngressDef>>;
  ingressClasses: Array<Sourced<IngressClassDef>>;
  gateways: Array<Sourced<GatewayDef>>;
  httpRoutes: Array<Sourced<HTTPRouteDef>>;
  referenceGrants: Array<Sourced<ReferenceGrantDef>>;
  /** Traefik IngressRoutes (`traefik.io/v1alpha1` and `traefik.containo.us/v1alpha1`). */
  ingressRoutes: Array<Sourced<IngressRouteDef>>;
  /** Kinds that exist but could not be read (forbidden, failed): a trace through them is "unknown". */
  unread: UnreadKind[];
  /** Kinds read from some namespaces only (RBAC): a route not found may be in one not read. */
  partial?: UnreadKind[];
  /** The objects come from manifests not yet applied (admission has not filled default classes). */
  source: 'workspace' | 'cluster';
}

export function emptyRoutingObjects(source: RoutingObjects['source']): RoutingObjects {
  return {
    services: [],
    workloads: [],
    ingresses: [],
    ingressClasses: [],
    gateways: [],
    httpRoutes: [],
    referenceGrants: [],
    ingressRoutes: [],
    unread: [],
    source,
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function labels(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(v)) return out;
  for (const [k, x] of Object.entries(v)) {
    if (typeof x === 'string') out[k] = x;
    else if (typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
  }
  return out;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function readService(obj: unknown): RoutingService | undefined {
  if (!isRecord(obj) || obj.kind !== 'Service' || obj.apiVersion !== 'v1') return undefined;
  const meta = isRecord(obj.metadata) ? obj.metadata : {};
  const name = str(meta.name);
  if (name === undefined) return undefined;
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const ports: RoutingServicePort[] = [];
  for (const p of list(spec.ports)) {
    if (!isRecord(p) || typeof p.port !== 'number') continue;
    const port: RoutingServicePort = { port: p.port };
    const pn = str(p.name);
    if (pn !== undefined) port.name = pn;
    if (typeof p.targetPort === 'number' || (typeof p.targetPort === 'string' && p.targetPort !== '')) {
      port.targetPort = p.targetPort;
    }
    const protocol = str(p.protocol);
    if (protocol !== undefined) port.protocol = protocol;
    ports.push(port);
  }
  const svc: RoutingService = { namespace: str(meta.namespace) ?? 'default', name, labels: labels(meta.labels), ports };
  if (isRecord(spec.selector)) svc.selector = labels(spec.selector);
  const type = str(spec.type);
  if (type !== undefined) svc.type = type;
  const ip = str(spec.clusterIP);
  if (ip !== undefined) svc.clusterIP = ip;
  return svc;
}

/** Where each workload kind keeps its pod template. */
const TEMPLATE: Record<string, string[]> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Pod: [],
};

function at(obj: Record<string, unknown>, path: string[]): Record<string, unknown> | undefined {
  let cur: unknown = obj;
  for (const k of path) cur = isRecord(cur) ? cur[k] : undefined;
  return isRecord(cur) ? cur : undefined;
}

export function readWorkload(obj: unknown): RoutingWorkload | undefined {
  if (!isRecord(obj) || typeof obj.kind !== 'string') return undefined;
  const path = TEMPLATE[obj.kind];
  if (path === undefined) return undefined;
  const meta = isRecord(obj.metadata) ? obj.metadata : {};
  const name = str(meta.name);
  const template = at(obj, path);
  if (name === undefined || template === undefined) return undefined;
  const podMeta = isRecord(template.metadata) ? template.metadata : {};
  const podSpec = isRecord(template.spec) ? template.spec : {};
  const containers: RoutingContainer[] = [];
  for (const c of list(podSpec.containers)) {
    if (!isRecord(c)) continue;
    const ports: RoutingContainer['ports'] = [];
    for (const p of list(c.ports)) {
      if (!isRecord(p) || typeof p.containerPort !== 'number') continue;
      const pn = str(p.name);
      ports.push(pn === undefined ? { containerPort: p.containerPort } : { name: pn, containerPort: p.containerPort });
    }
    containers.push({
      name: str(c.name) ?? '',
      image: str(c.image) ?? '',
      args: [...list(c.command), ...list(c.args)].filter((a): a is string => typeof a === 'string'),
      ports,
    });
  }
  return {
    kind: obj.kind,
    namespace: str(meta.namespace) ?? 'default',
    name,
    podLabels: labels(obj.kind === 'Pod' ? meta.labels : podMeta.labels),
    containers,
  };
}

/**
 * Adds one object to the collection when it is a kind a trace reads; returns whether it was.
 * `namespace`: the one a kustomization gives every namespaced object of the file (it wins over the
 * object's own, as kustomize's namespace transformer does).
 */
export function addRoutingObject(into: RoutingObjects, obj: unknown, source: SourceRef, namespace?: string): boolean {
  if (namespace !== undefined && isRecord(obj) && obj.kind !== 'IngressClass' && isRecord(obj.metadata)) {
    obj = { ...obj, metadata: { ...obj.metadata, namespace } };
  }
  const service = readService(obj);
  if (service) return into.services.push({ def: service, source }) > 0;
  const ingress = readIngress(obj);
  if (ingress) return into.ingresses.push({ def: ingress, source }) > 0;
  const cls = readIngressClass(obj);
  if (cls) return into.ingressClasses.push({ def: cls, source }) > 0;
  const workload = readWorkload(obj);
  if (workload) return into.workloads.push({ def: workload, source }) > 0;
  const gateway = readGateway(obj);
  if (gateway) return into.gateways.push({ def: gateway, source }) > 0;
  const route = readHTTPRoute(obj);
  if (route) return into.httpRoutes.push({ def: route, source }) > 0;
  const grant = readReferenceGrant(obj);
  if (grant) return into.referenceGrants.push({ def: grant, source }) > 0;
  const ingressRoute = readIngressRoute(obj);
  if (ingressRoute) return into.ingressRoutes.push({ def: ingressRoute, source }) > 0;
  return false;
}

/** Whether every label of the selector is on the pod (an empty selector selects nothing for a Service). */
export function selects(selector: Record<string, string> | undefined, podLabels: Record<string, string>): boolean {
  if (selector === undefined) return false;
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => podLabels[k] === v);
}

/** Services by `namespace/name`, by ClusterIP and by name, built once per Services array. */
export interface ServiceIndex {
  byRef: Map<string, Sourced<RoutingService>>;
  byIp: Map<string, Sourced<RoutingService>>;
  byName: Map<string, Array<Sourced<RoutingService>>>;
}

const serviceIndexes = new WeakMap<readonly unknown[], ServiceIndex & { size: number }>();

/**
 * The index of `objects.services`, kept while the array is the same and its length unchanged
 * (copies of the objects share the array; objects are only ever added).
 */
export function serviceIndex(objects: RoutingObjects): ServiceIndex {
  let idx = serviceIndexes.get(objects.services);
  if (idx?.size !== objects.services.length) {
    idx = { byRef: new Map(), byIp: new Map(), byName: new Map(), size: objects.services.length };
    for (const s of objects.services) {
      const ref = `${s.def.namespace}/${s.def.name}`;
      if (!idx.byRef.has(ref)) idx.byRef.set(ref, s);
      if (s.def.clusterIP !== undefined && !idx.byIp.has(s.def.clusterIP)) idx.byIp.set(s.def.clusterIP, s);
      const list = idx.byName.get(s.def.name);
      if (list) list.push(s);
      else idx.byName.set(s.def.name, [s]);
    }
    serviceIndexes.set(objects.services, idx);
  }
  return idx;
}

const workloadIndexes = new WeakMap<
  readonly unknown[],
  { size: number; byNs: Map<string, Array<Sourced<RoutingWorkload>>> }
>();

/** `objects.workloads` by namespace (kept while the array is the same and its length unchanged). */
export function workloadsIn(objects: RoutingObjects, namespace: string): Array<Sourced<RoutingWorkload>> {
  let entry = workloadIndexes.get(objects.workloads);
  if (entry?.size !== objects.workloads.length) {
    const idx = new Map<string, Array<Sourced<RoutingWorkload>>>();
    for (const w of objects.workloads) {
      const list = idx.get(w.def.namespace);
      if (list) list.push(w);
      else idx.set(w.def.namespace, [w]);
    }
    entry = { size: objects.workloads.length, byNs: idx };
    workloadIndexes.set(objects.workloads, entry);
  }
  return entry.byNs.get(namespace) ?? [];
}
