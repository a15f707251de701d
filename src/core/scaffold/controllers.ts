/**
 * Which of the Services the NetworkPolicy generator and the scaffold wizard know is an ingress
 * controller's (or a Gateway's generated Service): ../shared/docs/field-notes-2.md §3.2, through
 * the routing model's own recognition (src/core/routing/controller.ts, gateway.ts), fed with the
 * generator's plain shapes (Services with labels and selectors, pods with their container ports
 * and images). Behind such a Service, the apps are reached by the controller's pods, not by
 * cloudflared: a tunnel whose rules all go there needs egress to the controller only (the "DMZ").
 * Pure.
 */
import { recognizeController } from '../routing/controller';
import type { ControllerKind } from '../routing/controller';
import {
  CILIUM_OWNING_GATEWAY_LABEL,
  ENVOY_OWNING_GATEWAY_NAME_LABEL,
  ENVOY_OWNING_GATEWAY_NAMESPACE_LABEL,
  GATEWAY_NAME_LABEL,
} from '../routing/gateway';
import { emptyRoutingObjects } from '../routing/objects';
import type { RoutingObjects, RoutingService } from '../routing/objects';
import { serviceHost } from '../kubernetes/serviceHost';

/** A Service port, as the NetworkPolicy generator (networkPolicy.ts) and this module read it. */
export interface PolicyServicePort {
  port: number;
  targetPort?: number | string;
  name?: string;
  protocol?: string;
}

/** A Service as the workspace or the cluster describes it. */
export interface PolicyService {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
  /** spec.selector; absent or empty for Services without a selector (manual Endpoints). */
  selector?: Record<string, string>;
  type?: string;
  ports: PolicyServicePort[];
}

/** A pod (or a workload's pod template) whose named container ports resolve named targetPorts. */
export interface PolicyPod {
  namespace: string;
  labels: Record<string, string>;
  ports: Array<{ name?: string; containerPort: number; protocol?: string }>;
  /** The containers' images (recognises an ingress controller whose Service carries no labels). */
  images?: string[];
}

export interface ServiceController {
  kind: ControllerKind | 'gateway';
  /** `ingress-nginx`, `Traefik`, `Gateway infra/edge`. */
  label: string;
  /** How it was recognised. */
  why: string;
}

function routingService(svc: PolicyService): RoutingService {
  const out: RoutingService = {
    namespace: svc.namespace,
    name: svc.name,
    labels: { ...(svc.labels ?? {}) },
    ports: svc.ports.map((p) => ({
      port: p.port,
      ...(p.name !== undefined ? { name: p.name } : {}),
      ...(p.targetPort !== undefined ? { targetPort: p.targetPort } : {}),
      ...(p.protocol !== undefined ? { protocol: p.protocol } : {}),
    })),
  };
  if (svc.selector) out.selector = { ...svc.selector };
  if (svc.type) out.type = svc.type;
  return out;
}

/** The ingress controller or Gateway behind a Service; undefined for an ordinary Service. */
export function controllerOfService(
  svc: PolicyService,
  pods: readonly PolicyPod[] = [],
): ServiceController | undefined {
  const objects: RoutingObjects = emptyRoutingObjects('workspace');
  const service = { def: routingService(svc), source: {} };
  objects.services.push(service);
  for (const [i, pod] of pods.entries()) {
    if (pod.namespace !== svc.namespace) continue;
    objects.workloads.push({
      def: {
        kind: 'Pod',
        namespace: pod.namespace,
        name: `pod-${i}`,
        podLabels: pod.labels,
        containers: [
          {
            name: '',
            image: '',
            args: [],
            ports: pod.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), containerPort: p.containerPort })),
          },
          ...(pod.images ?? []).map((image) => ({ name: '', image, args: [], ports: [] })),
        ],
      },
      source: {},
    });
  }
  const c = recognizeController(objects, service);
  if (c) return { kind: c.kind, label: c.kind === 'traefik' ? 'Traefik' : 'ingress-nginx', why: c.why };
  const labels = svc.labels ?? {};
  const envoy = labels[ENVOY_OWNING_GATEWAY_NAME_LABEL];
  if (envoy !== undefined) {
    const ns = labels[ENVOY_OWNING_GATEWAY_NAMESPACE_LABEL] ?? svc.namespace;
    return { kind: 'gateway', label: `Gateway ${ns}/${envoy}`, why: `label ${ENVOY_OWNING_GATEWAY_NAME_LABEL}` };
  }
  for (const key of [GATEWAY_NAME_LABEL, CILIUM_OWNING_GATEWAY_LABEL]) {
    const gw = labels[key];
    if (gw !== undefined) return { kind: 'gateway', label: `Gateway ${svc.namespace}/${gw}`, why: `label ${key}` };
  }
  return undefined;
}

/** `ingress-nginx ingress-nginx/ingress-nginx-controller`: what the policy's comments call it. */
export function controllerText(svc: { namespace: string; name: string }, c: ServiceController): string {
  return c.kind === 'gateway'
    ? `the Service ${svc.namespace}/${svc.name} of ${c.label}`
    : `the ${c.label} ingress controller (Service ${svc.namespace}/${svc.name})`;
}

/** The plain-HTTP port of a controller's Service: named http/web, else 80, else the first TCP port not for TLS. */
export function controllerHttpPort(svc: PolicyService): PolicyServicePort | undefined {
  const tcp = svc.ports.filter((p) => (p.protocol ?? 'TCP').toUpperCase() === 'TCP');
  const tls = (p: PolicyServicePort): boolean => p.port === 443 || /^(https|websecure|tls)/i.test(p.name ?? '');
  return (
    tcp.find((p) => p.name === 'http' || p.name === 'web') ??
    tcp.find((p) => p.port === 80) ??
    tcp.find((p) => !tls(p) && !/webhook|metrics|admin/i.test(p.name ?? ''))
  );
}

export interface ControllerChoice {
  service: PolicyService;
  controller: ServiceController;
  /** `http://<svc>.<ns>.svc.cluster.local:<http port>`. */
  origin: string;
}

/**
 * The recognised controllers among `services` that answer plain HTTP, one per Service (the first
 * wins: callers put the cluster's first), in the order given: what "All hostnames to my ingress
 * controller" offers.
 */
export function controllerChoices(
  services: readonly PolicyService[],
  pods: readonly PolicyPod[] = [],
  clusterDomain?: string,
): ControllerChoice[] {
  const seen = new Set<string>();
  const out: ControllerChoice[] = [];
  for (const svc of services) {
    const key = `${svc.namespace}/${svc.name}`;
    if (seen.has(key) || svc.type === 'ExternalName') continue;
    seen.add(key);
    const controller = controllerOfService(svc, pods);
    const port = controller && controllerHttpPort(svc);
    if (!controller || !port) continue;
    out.push({
      service: svc,
      controller,
      origin: `http://${serviceHost(svc.name, svc.namespace, { clusterDomain })}:${port.port}`,
    });
  }
  return out;
}
