/**
 * Services as the tree needs them: small plain summaries, from one paginated all-namespaces list
 * (or, when RBAC forbids that, the namespaces the user can list, with `partial` and a note).
 */
import { listAcross } from './paging';
import type { AcrossResult, ListOptions } from './paging';
import type { ClusterClient } from './kubeconfig';

export interface ServicePortSummary {
  name?: string;
  port: number;
  protocol: string;
  targetPort?: number | string;
  nodePort?: number;
  appProtocol?: string;
}

export interface ServiceSummary {
  namespace: string;
  name: string;
  resourceVersion?: string;
  type: string;
  /** `None` for headless Services; absent for ExternalName. */
  clusterIP?: string;
  /** Only when there is more than one (dual stack). */
  clusterIPs?: string[];
  externalName?: string;
  /** Load balancer ingress IPs/hostnames and `spec.externalIPs`. */
  externalIPs?: string[];
  ports: ServicePortSummary[];
  /** Only when it has some: how an ingress controller's Service is recognised. */
  labels?: Record<string, string>;
  /** `spec.selector`; absent for a Service without one. */
  selector?: Record<string, string>;
}

/**
 * The Services, as `listAcross` found them: `partial` when only some namespaces could be listed
 * (RBAC), with what was listed (`namespaces`, each list's resourceVersion), where listing is
 * forbidden too, and a `note` saying so; `resourceVersion` of an all-namespaces list, for a watch.
 */
export interface ListServicesResult extends Omit<AcrossResult<ServiceSummary>, 'items'> {
  services: ServiceSummary[];
  /** HTTP requests it took. */
  requests: number;
}

/** Converts a Service (a V1Service from a list, or the raw JSON of a watch event). */
export function serviceSummary(svc: unknown): ServiceSummary {
  const s = svc as {
    metadata?: { name?: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> };
    spec?: {
      type?: string;
      selector?: Record<string, string>;
      clusterIP?: string;
      clusterIPs?: string[];
      externalName?: string;
      externalIPs?: string[];
      ports?: Array<{
        name?: string;
        port: number;
        protocol?: string;
        targetPort?: number | string;
        nodePort?: number;
        appProtocol?: string;
      }>;
    };
    status?: { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> } };
  };
  const spec = s.spec ?? {};
  const out: ServiceSummary = {
    namespace: s.metadata?.namespace ?? '',
    name: s.metadata?.name ?? '',
    type: spec.type ?? 'ClusterIP',
    ports: [],
  };
  if (s.metadata?.resourceVersion) out.resourceVersion = s.metadata.resourceVersion;
  if (s.metadata?.labels && Object.keys(s.metadata.labels).length > 0) out.labels = { ...s.metadata.labels };
  if (spec.selector && Object.keys(spec.selector).length > 0) out.selector = { ...spec.selector };
  if (spec.clusterIP) out.clusterIP = spec.clusterIP;
  if (spec.clusterIPs && spec.clusterIPs.length > 1) out.clusterIPs = [...spec.clusterIPs];
  if (spec.externalName) out.externalName = spec.externalName;
  const ext = [
    ...(s.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? ''),
    ...(spec.externalIPs ?? []),
  ].filter(Boolean);
  if (ext.length) out.externalIPs = ext;
  for (const p of spec.ports ?? []) {
    const port: ServicePortSummary = { port: p.port, protocol: p.protocol ?? 'TCP' };
    if (p.name) port.name = p.name;
    if (p.targetPort !== undefined && p.targetPort !== p.port) port.targetPort = p.targetPort;
    if (p.nodePort) port.nodePort = p.nodePort;
    if (p.appProtocol) port.appProtocol = p.appProtocol;
    out.ports.push(port);
  }
  return out;
}

/** Every Service of the cluster, or of the namespaces the user may list (partial, with a note). */
export async function listAllServices(client: ClusterClient, opts: ListOptions = {}): Promise<ListServicesResult> {
  const counter = { requests: 0 };
  const res = await listAcross(
    client,
    'Services',
    (limit, cont) => client.core.listServiceForAllNamespaces({ limit, _continue: cont }),
    (namespace, limit, cont) => client.core.listNamespacedService({ namespace, limit, _continue: cont }),
    opts,
    counter,
  );
  const out: ListServicesResult = {
    services: res.items.map(serviceSummary),
    partial: res.partial,
    requests: counter.requests,
  };
  if (res.resourceVersion) out.resourceVersion = res.resourceVersion;
  if (res.partial) {
    out.note = res.note;
    out.namespaces = res.namespaces;
    out.namespaceVersions = res.namespaceVersions;
    out.forbiddenNamespaces = res.forbiddenNamespaces;
  }
  return out;
}
