/**
 * The NetworkPolicy of the cloudflared pods (field-notes §4.7): default deny in both directions;
 * egress only to cluster DNS, to the pods behind the Services the ingress rules target, and to the
 * Cloudflare edge (7844 TCP+UDP, 443 TCP, 853 TCP for the DNS-over-TLS fallback); ingress only to
 * the metrics port, and only when asked.
 *
 * Policies select pods, not Services, and are enforced after the Service's address translation:
 * an allowed target is therefore the Service's pod selector (in its namespace, by
 * `kubernetes.io/metadata.name`) and its targetPorts (named ones resolved against the pods when
 * known), never the Service's port or its ClusterIP. Pure: no file system, no cluster.
 */
import { Document } from 'yaml';
import { urlHostname, urlPort, parseURL } from '../go/url';
import { ORIGIN_DEFAULT_PORTS } from '../config/service';
import { parseServiceHost } from '../kubernetes/serviceHost';
import { controllerOfService, controllerText } from './controllers';
import type { PolicyPod, PolicyService, PolicyServicePort } from './controllers';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface PolicyPort {
  /** A number, or a named container port of the destination pods. */
  port: number | string;
  protocol: Protocol;
}

export interface PolicyTarget {
  namespace: string;
  /** matchLabels of the destination pods (the Service's selector). */
  podSelector: Record<string, string>;
  ports: PolicyPort[];
  /** Every port of those pods (only when the Service behind a rule is unknown: narrow it by hand). */
  anyPort?: boolean;
  /** Why this target is allowed (written as a comment): `Service web (rule http://web.apps:80)`. */
  reason?: string;
}

/** A NetworkPolicy peer, as Kubernetes writes it (namespaceSelector / podSelector / ipBlock). */
export type PolicyPeer = Record<string, unknown>;

export interface NetworkPolicyOptions {
  /** metadata.name; `cloudflared` by default. */
  name?: string;
  namespace: string;
  /** The labels of the cloudflared pods (the policy's podSelector). */
  podLabels: Record<string, string>;
  targets: PolicyTarget[];
  /** Peers allowed to reach the metrics port (absent or empty: no ingress at all). */
  metricsFrom?: PolicyPeer[];
  /** The metrics port; 2000 by default. */
  metricsPort?: number;
  /**
   * Every ingress rule goes to these ingress controllers (or Gateways' Services): the header says
   * that cloudflared reaches the apps behind them through the controller (the DMZ).
   */
  throughControllers?: string[];
}

/** The DNS of the cluster: the kube-dns (CoreDNS) pods in kube-system. */
export const CLUSTER_DNS: PolicyTarget = {
  namespace: 'kube-system',
  podSelector: { 'k8s-app': 'kube-dns' },
  ports: [
    { port: 53, protocol: 'UDP' },
    { port: 53, protocol: 'TCP' },
  ],
  reason: 'cluster DNS (kube-dns / CoreDNS)',
};

/** What cloudflared needs from the internet: the edge (QUIC and HTTP/2), the API, DoT fallback. */
export const EDGE_PORTS: PolicyPort[] = [
  { port: 7844, protocol: 'TCP' },
  { port: 7844, protocol: 'UDP' },
  { port: 443, protocol: 'TCP' },
  { port: 853, protocol: 'TCP' },
];

/** Private ranges kept out of the internet rule, so 443 does not open the cluster's own pods. */
const PRIVATE_V4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'];
const PRIVATE_V6 = ['fc00::/7', 'fe80::/10'];

/** The default of `cftunnel.networkPolicy.publicLabel`. */
export const DEFAULT_PUBLIC_LABEL = 'cftunnel/public=true';

export function namespacePeer(namespace: string, podSelector: Record<string, string>): PolicyPeer {
  return {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
    podSelector: Object.keys(podSelector).length > 0 ? { matchLabels: sortKeys(podSelector) } : {},
  };
}

/** The policy as YAML text (one document). */
export function networkPolicyFor(o: NetworkPolicyOptions): string {
  const metricsPort = o.metricsPort ?? 2000;
  const egress: Array<Record<string, unknown>> = [];
  const comments: string[] = [];
  for (const t of [CLUSTER_DNS, ...mergeTargets(o.targets)]) {
    if (t.anyPort) egress.push({ to: [namespacePeer(t.namespace, t.podSelector)] });
    else if (t.ports.length > 0)
      egress.push({ to: [namespacePeer(t.namespace, t.podSelector)], ports: t.ports.map(portEntry) });
    else continue;
    comments.push(t.reason ?? `pods of namespace ${t.namespace}`);
  }
  egress.push({
    to: [{ ipBlock: { cidr: '0.0.0.0/0', except: PRIVATE_V4 } }, { ipBlock: { cidr: '::/0', except: PRIVATE_V6 } }],
    ports: EDGE_PORTS.map(portEntry),
  });
  comments.push('Cloudflare edge: 7844 TCP+UDP (tunnel), 443 TCP (API), 853 TCP (DNS-over-TLS fallback)');

  const spec: Record<string, unknown> = {
    podSelector: { matchLabels: sortKeys(o.podLabels) },
    policyTypes: ['Ingress', 'Egress'],
  };
  // No ingress rule: no `ingress` key at all. policyTypes lists Ingress, so that denies all ingress
  // just as `ingress: []` would, and it is what the API server stores (the list is omitempty): an
  // empty list here would be sent again by every `kubectl apply` and `kubectl diff` would never be clean.
  if (o.metricsFrom && o.metricsFrom.length > 0) {
    spec.ingress = [{ from: o.metricsFrom, ports: [{ port: metricsPort, protocol: 'TCP' }] }];
  }
  spec.egress = egress;
  const doc = new Document(
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: o.name ?? 'cloudflared', namespace: o.namespace },
      spec,
    },
    { version: '1.1' },
  );
  const through = o.throughControllers ?? [];
  doc.commentBefore = [
    ...(through.length > 0
      ? [
          ' DMZ: every ingress rule goes to',
          ...through.map((t, i) => `   ${t}${i < through.length - 1 ? ' or' : '.'}`),
          ' The apps behind it are reached through the controller, never by cloudflared:',
          " egress allows the controller's pods, not the apps'.",
        ]
      : []),
    ' Default deny for the cloudflared pods. Egress, in order:',
    ...comments.map((c, i) => ` ${i + 1}. ${c}`),
    o.metricsFrom && o.metricsFrom.length > 0
      ? ` Ingress: the metrics port ${metricsPort} only.`
      : ' Ingress: none (policyTypes lists Ingress and no rule allows any; kubelet probes come from the node and are not affected).',
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}

function portEntry(p: PolicyPort): Record<string, unknown> {
  return { port: p.port, protocol: p.protocol };
}

function sortKeys(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** One target per namespace + selector, ports deduplicated in first-seen order. */
export function mergeTargets(targets: PolicyTarget[]): PolicyTarget[] {
  const byKey = new Map<string, PolicyTarget>();
  for (const t of targets) {
    const key = `${t.namespace}|${JSON.stringify(sortKeys(t.podSelector))}`;
    const cur = byKey.get(key);
    if (!cur) {
      byKey.set(key, { ...t, podSelector: sortKeys(t.podSelector), ports: dedupePorts(t.ports) });
      continue;
    }
    cur.ports = dedupePorts([...cur.ports, ...t.ports]);
    if (t.anyPort) cur.anyPort = true;
    if (t.reason && !(cur.reason ?? '').includes(t.reason))
      cur.reason = cur.reason ? `${cur.reason}; ${t.reason}` : t.reason;
  }
  return [...byKey.values()];
}

function dedupePorts(ports: PolicyPort[]): PolicyPort[] {
  const seen = new Set<string>();
  return ports.filter((p) => {
    const k = `${p.port}/${p.protocol}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// ── Services → targets ──────────────────────────────────────────────────────────────────────

// PolicyServicePort, PolicyService and PolicyPod live in controllers.ts (which this module uses).
export type { PolicyPod, PolicyService, PolicyServicePort } from './controllers';

export interface PolicyRule {
  /** The rule's `service` (`http://web.apps.svc.cluster.local:8080`, `http_status:404`, …). */
  service: string;
  hostname?: string;
}

export interface SkippedTarget {
  /** The rule's service, or `Service ns/name` for a labelled one. */
  what: string;
  reason: string;
}

export interface PolicyTargetsResult {
  targets: PolicyTarget[];
  /** Rules whose destination cannot be written as pods + ports (with the reason). */
  skipped: SkippedTarget[];
  /**
   * When every rule to a cluster Service goes to a recognised ingress controller or a Gateway's
   * Service (at least one): how each is called (`the ingress-nginx ingress controller (Service
   * ingress-nginx/ingress-nginx-controller)`). The policy is then the DMZ: the controller's pods only.
   */
  throughControllers?: string[];
}

/** `key=value` (that value) or `key` (any value). */
export function parsePublicLabel(setting: string): { key: string; value?: string } | undefined {
  const s = setting.trim();
  if (s === '') return undefined;
  const eq = s.indexOf('=');
  return eq < 0 ? { key: s } : { key: s.slice(0, eq).trim(), value: s.slice(eq + 1).trim() };
}

/** Whether a Service's labels carry the public label (`key=value`: that value; `key`: any value). */
export function hasPublicLabel(
  labels: Record<string, string> | undefined,
  label: { key: string; value?: string },
): boolean {
  const v = labels?.[label.key];
  return v !== undefined && (label.value === undefined || v === label.value);
}

/**
 * The pods and ports the cloudflared pods must reach: for each rule naming a cluster Service (by
 * its DNS name), the Service's selector and the targetPort behind the rule's port; for each
 * Service labelled `publicLabel` (`key=value` or `key`), all its targetPorts. Named targetPorts
 * are resolved against `pods` selected by the Service (kept as names, which NetworkPolicy also
 * understands, when no pod says). `namespace` is cloudflared's own, for bare Service names.
 */
export function policyTargetsFromServices(
  rules: PolicyRule[],
  services: PolicyService[],
  pods: PolicyPod[] = [],
  publicLabel: string = DEFAULT_PUBLIC_LABEL,
  namespace?: string,
  clusterDomain?: string,
): PolicyTargetsResult {
  const targets: PolicyTarget[] = [];
  const skipped: SkippedTarget[] = [];
  const controllers: string[] = [];
  let urlRules = 0;
  let controllerRules = 0;
  for (const rule of rules) {
    const parsed = parseURL(rule.service);
    if (!parsed.ok || !parsed.url.host) continue; // http_status:404, hello_world, unix sockets, bastion
    urlRules++;
    const url = parsed.url;
    const host = urlHostname(url);
    const explicit = urlPort(url);
    const port = explicit ? Number(explicit) : ORIGIN_DEFAULT_PORTS[url.scheme];
    const ref = parseServiceHost(host, { clusterDomain, defaultNamespace: namespace });
    if (!ref) {
      skipped.push({ what: rule.service, reason: `${host} is not a cluster Service name` });
      continue;
    }
    const svc = services.find((s) => s.name === ref.name && s.namespace === ref.namespace);
    if (!svc) {
      skipped.push({
        what: rule.service,
        reason: `Service '${ref.name}' in namespace '${ref.namespace}' is not known`,
      });
      continue;
    }
    const controller = controllerOfService(svc, pods);
    const why = unreachable(svc);
    if (why) {
      skipped.push({
        what: rule.service,
        reason:
          controller?.kind === 'gateway' && svc.type !== 'ExternalName'
            ? `Service '${svc.name}' in namespace '${svc.namespace}' is the Service of ${controller.label} and has no selector: its endpoints are written by the Gateway implementation (Cilium: the node's proxy), so no pod selector can allow them; allow them with an ipBlock or the implementation's own policy`
            : why,
      });
      continue;
    }
    const sp = svc.ports.find((p) => p.port === port);
    if (port === undefined || !sp) {
      skipped.push({
        what: rule.service,
        reason: `Service '${svc.name}' in namespace '${svc.namespace}' has no port ${port ?? '(none given)'}`,
      });
      continue;
    }
    const what = controller ? controllerText(svc, controller) : undefined;
    if (what !== undefined) {
      controllerRules++;
      if (!controllers.includes(what)) controllers.push(what);
    }
    targets.push({
      namespace: svc.namespace,
      podSelector: { ...svc.selector },
      ports: [targetPortOf(svc, sp, pods)],
      reason:
        what !== undefined
          ? `${what[0]!.toUpperCase()}${what.slice(1)}: its pods, which reach the apps behind it (${rule.service})`
          : `Service ${svc.namespace}/${svc.name} (${rule.hostname ? `${rule.hostname} → ` : ''}${rule.service})`,
    });
  }

  const label = parsePublicLabel(publicLabel);
  if (label) {
    for (const svc of services) {
      if (!hasPublicLabel(svc.labels, label)) continue;
      const why = unreachable(svc);
      if (why) {
        skipped.push({ what: `Service ${svc.namespace}/${svc.name}`, reason: why });
        continue;
      }
      if (svc.ports.length === 0) continue;
      targets.push({
        namespace: svc.namespace,
        podSelector: { ...svc.selector },
        ports: svc.ports.map((p) => targetPortOf(svc, p, pods)),
        reason: `Service ${svc.namespace}/${svc.name} (labelled ${label.value === undefined ? label.key : `${label.key}=${label.value}`})`,
      });
    }
  }
  return {
    targets: mergeTargets(targets),
    skipped,
    ...(urlRules > 0 && controllerRules === urlRules ? { throughControllers: controllers } : {}),
  };
}

/** Why a Service's backends cannot be written as a pod selector. */
function unreachable(svc: PolicyService): string | undefined {
  if (svc.type === 'ExternalName')
    return `Service '${svc.name}' in namespace '${svc.namespace}' is an ExternalName: its destination is outside the cluster's pods (allow it with an ipBlock)`;
  if (!svc.selector || Object.keys(svc.selector).length === 0)
    return `Service '${svc.name}' in namespace '${svc.namespace}' has no selector (manual Endpoints): allow its endpoints with an ipBlock`;
  return undefined;
}

function targetPortOf(svc: PolicyService, sp: PolicyServicePort, pods: PolicyPod[]): PolicyPort {
  const protocol = toProtocol(sp.protocol);
  const tp = sp.targetPort;
  if (tp === undefined || tp === '') return { port: sp.port, protocol };
  if (typeof tp === 'number') return { port: tp, protocol };
  if (/^\d+$/.test(tp)) return { port: Number(tp), protocol };
  const numbers = new Set<number>();
  for (const pod of pods) {
    if (pod.namespace !== svc.namespace || !selects(svc.selector ?? {}, pod.labels)) continue;
    for (const cp of pod.ports)
      if (cp.name === tp && toProtocol(cp.protocol) === protocol) numbers.add(cp.containerPort);
  }
  // One number everywhere: write it. None known, or pods disagree: the name, which the policy
  // resolves per destination pod just as the Service does.
  return numbers.size === 1 ? { port: [...numbers][0]!, protocol } : { port: tp, protocol };
}

function toProtocol(p: string | undefined): Protocol {
  const u = (p ?? 'TCP').toUpperCase();
  return u === 'UDP' || u === 'SCTP' ? u : 'TCP';
}

function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

// ── Kubernetes objects → the plain shapes above ─────────────────────────────────────────────

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
const asStrMap = (v: unknown): Record<string, string> | undefined => {
  const o = asObj(v);
  return o ? Object.fromEntries(Object.entries(o).map(([k, x]) => [k, String(x)])) : undefined;
};

/** A Service object (JSON from the cluster, or a parsed manifest); undefined for anything else. */
export function serviceFromObject(obj: unknown, defaultNamespace = 'default'): PolicyService | undefined {
  const o = asObj(obj);
  if (!o || o.kind !== 'Service') return undefined;
  const meta = asObj(o.metadata) ?? {};
  const spec = asObj(o.spec) ?? {};
  const ports = (Array.isArray(spec.ports) ? spec.ports : []).flatMap((p): PolicyServicePort[] => {
    const x = asObj(p);
    const port = Number(x?.port);
    if (!x || !Number.isInteger(port)) return [];
    const tp = x.targetPort;
    return [
      {
        port,
        ...(tp !== undefined && tp !== null
          ? { targetPort: typeof tp === 'number' || /^\d+$/.test(String(tp)) ? Number(tp) : String(tp) }
          : {}),
        ...(typeof x.name === 'string' ? { name: x.name } : {}),
        ...(typeof x.protocol === 'string' ? { protocol: x.protocol } : {}),
      },
    ];
  });
  const selector = asStrMap(spec.selector);
  const labels = asStrMap(meta.labels);
  return {
    name: String(meta.name ?? ''),
    namespace: typeof meta.namespace === 'string' ? meta.namespace : defaultNamespace,
    ...(labels ? { labels } : {}),
    ...(selector ? { selector } : {}),
    ...(typeof spec.type === 'string' ? { type: spec.type } : {}),
    ports,
  };
}

/** A Pod, or the pod template of a Deployment/StatefulSet/DaemonSet/ReplicaSet/Job. */
export function podFromObject(obj: unknown, defaultNamespace = 'default'): PolicyPod | undefined {
  const o = asObj(obj);
  if (!o) return undefined;
  const meta = asObj(o.metadata) ?? {};
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : defaultNamespace;
  let podMeta: Obj | undefined;
  let podSpec: Obj | undefined;
  if (o.kind === 'Pod') {
    podMeta = meta;
    podSpec = asObj(o.spec);
  } else if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(String(o.kind))) {
    const template = asObj(asObj(o.spec)?.template);
    podMeta = asObj(template?.metadata);
    podSpec = asObj(template?.spec);
  } else {
    return undefined;
  }
  const containers = [
    ...(Array.isArray(podSpec?.containers) ? podSpec.containers : []),
    ...(Array.isArray(podSpec?.initContainers) ? podSpec.initContainers : []),
  ];
  const ports = containers.flatMap((c) => {
    const list = asObj(c)?.ports;
    return (Array.isArray(list) ? list : []).flatMap((p) => {
      const x = asObj(p);
      const containerPort = Number(x?.containerPort);
      if (!x || !Number.isInteger(containerPort)) return [];
      return [
        {
          containerPort,
          ...(typeof x.name === 'string' ? { name: x.name } : {}),
          ...(typeof x.protocol === 'string' ? { protocol: x.protocol } : {}),
        },
      ];
    });
  });
  const images = containers.flatMap((c) => {
    const image = asObj(c)?.image;
    return typeof image === 'string' && image !== '' ? [image] : [];
  });
  return { namespace, labels: asStrMap(podMeta?.labels) ?? {}, ports, ...(images.length > 0 ? { images } : {}) };
}
