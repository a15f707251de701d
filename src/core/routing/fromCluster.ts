/**
 * A cluster as a trace's input: the Services list the Services tree already has, and the routing
 * kinds `src/kubernetes` lists (plain API JSON, each kind with its status). A kind the cluster does
 * not serve (its CRD is absent) is simply empty; one that could not be read (forbidden, failed) is
 * `unread`, so a trace through it says "unknown" instead of "404".
 */
import { addRoutingObject, emptyRoutingObjects } from './objects';
import type { RoutingObjects } from './objects';

export type ClusterRoutingKind =
  'ingresses' | 'ingressclasses' | 'gatewayclasses' | 'gateways' | 'httproutes' | 'referencegrants' | 'ingressroutes';

export interface ClusterKindInput {
  status: 'listed' | 'not-served' | 'forbidden' | 'error';
  items: readonly unknown[];
  apiVersions: readonly string[];
  message?: string;
  partial?: boolean;
  note?: string;
}

export interface ClusterServiceInput {
  namespace: string;
  name: string;
  type?: string;
  clusterIP?: string;
  labels?: Record<string, string>;
  selector?: Record<string, string>;
  ports: ReadonlyArray<{ name?: string; port: number; protocol?: string; targetPort?: number | string }>;
}

export interface ClusterRoutingInput {
  services: readonly ClusterServiceInput[];
  kinds: Partial<Record<ClusterRoutingKind, ClusterKindInput>>;
  /** Deployments, DaemonSets, … as plain API JSON, when listed (controller flags, pod ports). */
  workloads?: readonly unknown[];
}

/** The kind (and the model's name for it) of each listed resource. */
const KIND: Record<ClusterRoutingKind, { kind: string; name: string }> = {
  ingresses: { kind: 'Ingress', name: 'Ingress' },
  ingressclasses: { kind: 'IngressClass', name: 'IngressClass' },
  gatewayclasses: { kind: 'GatewayClass', name: 'GatewayClass' },
  gateways: { kind: 'Gateway', name: 'Gateway' },
  httproutes: { kind: 'HTTPRoute', name: 'HTTPRoute' },
  referencegrants: { kind: 'ReferenceGrant', name: 'ReferenceGrant' },
  ingressroutes: { kind: 'IngressRoute', name: 'IngressRoute' },
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function objectRef(obj: Record<string, unknown>, apiVersion: string, kind: string) {
  const meta = isRecord(obj.metadata) ? obj.metadata : {};
  const ref: { apiVersion: string; kind: string; namespace?: string; name: string } = {
    apiVersion,
    kind,
    name: typeof meta.name === 'string' ? meta.name : '',
  };
  if (typeof meta.namespace === 'string' && meta.namespace !== '') ref.namespace = meta.namespace;
  return ref;
}

export function routingObjectsFromCluster(input: ClusterRoutingInput): RoutingObjects {
  const out = emptyRoutingObjects('cluster');
  for (const s of input.services) {
    out.services.push({
      def: {
        namespace: s.namespace,
        name: s.name,
        labels: { ...(s.labels ?? {}) },
        ...(s.selector ? { selector: { ...s.selector } } : {}),
        ...(s.type ? { type: s.type } : {}),
        ...(s.clusterIP ? { clusterIP: s.clusterIP } : {}),
        ports: s.ports.map((p) => ({
          port: p.port,
          ...(p.name ? { name: p.name } : {}),
          // The summary leaves out a targetPort equal to the port.
          targetPort: p.targetPort ?? p.port,
          ...(p.protocol ? { protocol: p.protocol } : {}),
        })),
      },
      source: { object: { apiVersion: 'v1', kind: 'Service', namespace: s.namespace, name: s.name } },
    });
  }
  for (const w of input.workloads ?? []) {
    if (!isRecord(w)) continue;
    const apiVersion = typeof w.apiVersion === 'string' ? w.apiVersion : 'apps/v1';
    const kind = typeof w.kind === 'string' ? w.kind : 'Deployment';
    addRoutingObject(out, { ...w, apiVersion, kind }, { object: objectRef(w, apiVersion, kind) });
  }
  for (const [resource, meta] of Object.entries(KIND) as Array<
    [ClusterRoutingKind, (typeof KIND)[ClusterRoutingKind]]
  >) {
    const listed = input.kinds[resource];
    if (!listed || listed.status === 'not-served') continue;
    if (listed.status !== 'listed') {
      out.unread.push({ kind: meta.name, reason: listed.message ?? listed.status });
      continue;
    }
    if (listed.partial)
      out.unread.push({ kind: meta.name, reason: listed.note ?? 'only some namespaces could be listed' });
    for (const item of listed.items) {
      if (!isRecord(item)) continue;
      // Items of a typed list carry no kind/apiVersion; custom objects do.
      const apiVersion = typeof item.apiVersion === 'string' ? item.apiVersion : (listed.apiVersions[0] ?? '');
      const obj = { ...item, apiVersion, kind: meta.kind };
      addRoutingObject(out, obj, { object: objectRef(item, apiVersion, meta.kind) });
    }
  }
  return out;
}
