/**
 * The Services tree as plain data: context → namespaces → Services (type, ClusterIP, ports) and
 * cloudflared Deployments (ready/desired, image version, pods). Each Service carries the public
 * hostnames that route to it, joined from ingress rules (workspace config.yaml files and the
 * tunnels' remote configurations) by the rule's `service` URL: its host is the Service's name
 * (`name`, `name.ns`, `name.ns.svc`, `name.ns.svc.<cluster domain>`) or its ClusterIP, and its
 * port one of the Service's ports.
 *
 * Pure: fetching lives in `src/kubernetes`; inputs are structural (that module's summaries fit).
 * Built in one pass over indexes, so 20,000 Services and their rules take milliseconds.
 */
import { ORIGIN_DEFAULT_PORTS } from '../config/service';
import { parseServiceHost } from './serviceHost';
import type { OriginSettings } from '../routing/origin';

export interface TreeServicePort {
  name?: string;
  port: number;
  protocol?: string;
  targetPort?: number | string;
  nodePort?: number;
}

export interface TreeServiceInput {
  namespace: string;
  name: string;
  type?: string;
  clusterIP?: string;
  clusterIPs?: readonly string[];
  externalName?: string;
  externalIPs?: readonly string[];
  ports: readonly TreeServicePort[];
}

/** An ingress rule of a tunnel (`service` is the rule's origin URL). */
export interface HostnameRuleInput {
  /** Undefined (or `*`) for a catch-all rule. */
  hostname?: string;
  path?: string;
  service: string;
  source: 'workspace' | 'remote';
  tunnelId?: string;
  tunnelName?: string;
  /**
   * Namespaces where this tunnel's cloudflared runs: a bare `name` host resolves in those only.
   * When absent, the namespaces of cloudflared Deployments with the same `tunnelId` are used;
   * failing that, a bare name matches a Service of that name in any namespace (`shortName`).
   */
  namespaces?: readonly string[];
  /** Where a workspace rule is, for "reveal". */
  file?: string;
  line?: number;
  /** The rule's origin settings a controller sees (`httpHostHeader`, SNI); none set when absent. */
  origin?: OriginSettings;
}

export interface TreePodInput {
  name: string;
  ready: boolean;
  phase?: string;
  restarts?: number;
  reason?: string;
}

export interface TreeDeploymentInput {
  namespace: string;
  name: string;
  desired: number;
  ready: number;
  updated?: number;
  available?: number;
  image?: string;
  version?: string;
  /** The tunnel it runs, when known (from its config or the tunnel's connectors). */
  tunnelId?: string;
  tunnelName?: string;
  mode?: string;
  pods?: readonly TreePodInput[];
  podsError?: string;
}

export interface ServicesTreeInput {
  context: { name: string; cluster?: string; server?: string; namespace?: string };
  services: readonly TreeServiceInput[];
  /** Namespaces to show even without Services (e.g. all listed namespaces). */
  namespaces?: readonly string[];
  rules?: readonly HostnameRuleInput[];
  deployments?: readonly TreeDeploymentInput[];
  /** Only some namespaces could be listed (RBAC); `note` says which and why. */
  partial?: boolean;
  note?: string;
  /** Default `cluster.local`. */
  clusterDomain?: string;
  /**
   * Routing through ingress controllers (`controllerRouting` in ./controllerRouting.ts): a rule to a
   * controller's Service is followed to the backend Services, which then show the hostnames too.
   */
  routing?: ControllerRouting;
}

/** The routing object between a controller and a backend Service. */
export interface RoutingVia {
  kind: 'Ingress' | 'HTTPRoute' | 'IngressRoute';
  namespace?: string;
  name: string;
  /** A cluster object (opened read-only). */
  object?: { apiVersion: string; kind: string; namespace?: string; name: string };
  /** A manifest in the workspace (1-based line). */
  file?: string;
  line?: number;
}

/** A hostname a rule brings to an ingress controller, followed by the trace. */
export interface RoutedHostname {
  hostname: string;
  /** The URL path traced, when the rule's path is a literal other than `/`. */
  path?: string;
  /** The Service and port that answer; undefined when the route stops. */
  servedBy?: { namespace: string; name: string; port: number };
  via?: RoutingVia;
  /** Why nothing answers (with `status` when the controller's answer is known: 404, 503…). */
  stops?: string;
  status?: number;
  /** False when a hop depends on something the model cannot know. */
  certain: boolean;
}

/** The tree's view of the trace (see ./controllerRouting.ts). */
export interface ControllerRouting {
  /** What routes behind this Service (`ingress-nginx`, `traefik`, `Gateway ns/name`), undefined when nothing. */
  controllerOf(service: { namespace: string; name: string }): string | undefined;
  /** The hostnames rule `ruleIndex` brings to the controller behind `service`, each traced; `more`: left out. */
  route(ruleIndex: number, service: { namespace: string; name: string }): { hostnames: RoutedHostname[]; more: number };
}

export interface ServiceHostnameNode {
  kind: 'hostname';
  id: string;
  /** Undefined for a catch-all rule. */
  hostname?: string;
  path?: string;
  service: string;
  source: 'workspace' | 'remote';
  tunnelId?: string;
  tunnelName?: string;
  /** The port the rule targets (explicit, or the scheme's default). */
  port?: number;
  /** The Service has that port (false: the rule reaches the Service on a port it does not expose). */
  portMatches: boolean;
  /** Matched by a bare name without knowing where the tunnel's cloudflared runs. */
  shortName: boolean;
  file?: string;
  line?: number;
  /**
   * Reached through an ingress controller: the routing object between (this node is on the backend
   * Service; `controller` is the Service the rule names).
   */
  via?: RoutingVia;
  controller?: { namespace: string; name: string; kind: string };
  /** On the controller's Service: the rule's hostnames the controller routes onward (traced). */
  routed?: RoutedHostname[];
  /** On the controller's Service: a hostname of this rule the controller has no route for (404, 503…). */
  noRoute?: { status?: number; reason: string };
  description: string;
}

export interface ServicePortNode {
  name?: string;
  port: number;
  protocol: string;
  targetPort?: number | string;
  nodePort?: number;
  /** `http 80→8080/TCP`, `443:31443/TCP`. */
  label: string;
}

export interface ExposureNode {
  tunnelId?: string;
  tunnelName?: string;
  sources: Array<'workspace' | 'remote'>;
  hostnames: string[];
  /** cloudflared Deployments known to run this tunnel (`namespace/name`). */
  connectors: string[];
}

export interface ServiceNode {
  kind: 'service';
  id: string;
  namespace: string;
  name: string;
  type: string;
  clusterIP?: string;
  externalName?: string;
  externalIPs: string[];
  ports: ServicePortNode[];
  hostnames: ServiceHostnameNode[];
  /** Tunnels that route public hostnames here; empty when not exposed. */
  exposure: ExposureNode[];
  /** One line for the tree item: "ClusterIP 10.96.12.40 · 80/TCP · 2 hostnames". */
  description: string;
}

export interface PodNode {
  kind: 'pod';
  id: string;
  namespace: string;
  name: string;
  ready: boolean;
  phase: string;
  restarts: number;
  reason?: string;
  description: string;
}

export type ConnectorHealth = 'ready' | 'degraded' | 'down' | 'scaled-down';

export interface CloudflaredNode {
  kind: 'cloudflared';
  id: string;
  namespace: string;
  name: string;
  desired: number;
  ready: number;
  image?: string;
  version?: string;
  tunnelId?: string;
  tunnelName?: string;
  mode?: string;
  health: ConnectorHealth;
  pods: PodNode[];
  podsError?: string;
  /** "2/2 ready · 2026.8.2". */
  description: string;
}

export interface NamespaceNode {
  kind: 'namespace';
  id: string;
  name: string;
  services: ServiceNode[];
  cloudflared: CloudflaredNode[];
  description: string;
}

export interface ContextNode {
  kind: 'context';
  id: string;
  name: string;
  server?: string;
  namespaces: NamespaceNode[];
  partial: boolean;
  note?: string;
  /** Rules whose origin is a cluster Service name that does not exist (typo, deleted Service, other cluster). */
  unresolved: ServiceHostnameNode[];
  counts: { namespaces: number; services: number; exposed: number; hostnames: number; cloudflared: number };
  description: string;
}

/** The origin of an ingress rule's `service`: scheme, host (lower case, no brackets) and port. */
export function parseOrigin(service: string): { scheme: string; host: string; port?: number } | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]*\]|[^/:?#@]+)(?::(\d+))?(?:[/?#]|$)/i.exec(service.trim());
  if (!m) return undefined;
  const scheme = m[1]!.toLowerCase();
  const host = m[2]!
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
  const port = m[3] !== undefined ? Number(m[3]) : ORIGIN_DEFAULT_PORTS[scheme];
  return port === undefined ? { scheme, host } : { scheme, host, port };
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function portLabel(p: TreeServicePort): string {
  const proto = p.protocol ?? 'TCP';
  const base = p.nodePort
    ? `${p.port}:${p.nodePort}/${proto}`
    : p.targetPort !== undefined && p.targetPort !== p.port
      ? `${p.port}→${p.targetPort}/${proto}`
      : `${p.port}/${proto}`;
  return p.name ? `${p.name} ${base}` : base;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const isIp = (host: string): boolean => IPV4.test(host) || host.includes(':');

interface Match {
  services: TreeServiceInput[];
  shortName: boolean;
  /** The host names a cluster Service (by its DNS form), whether or not one exists. */
  clusterForm: boolean;
}

/** Builds the tree from one Services list, cloudflared Deployments and ingress rules. */
export function buildServicesTree(input: ServicesTreeInput): ContextNode {
  const ctx = input.context.name;
  const clusterDomain = input.clusterDomain;
  const byKey = new Map<string, TreeServiceInput>();
  const byName = new Map<string, TreeServiceInput[]>();
  const byIp = new Map<string, TreeServiceInput>();
  const namespaces = new Set<string>(input.namespaces ?? []);
  for (const s of input.services) {
    byKey.set(`${s.namespace}/${s.name}`, s);
    const list = byName.get(s.name);
    if (list) list.push(s);
    else byName.set(s.name, [s]);
    for (const ip of [s.clusterIP, ...(s.clusterIPs ?? [])]) if (ip && ip !== 'None') byIp.set(ip, s);
    namespaces.add(s.namespace);
  }
  const deployments = input.deployments ?? [];
  for (const d of deployments) namespaces.add(d.namespace);
  const connectorNamespaces = new Map<string, string[]>();
  const connectorsOf = new Map<string, string[]>();
  for (const d of deployments) {
    if (!d.tunnelId) continue;
    const id = d.tunnelId.toLowerCase();
    connectorNamespaces.set(id, [...(connectorNamespaces.get(id) ?? []), d.namespace]);
    connectorsOf.set(id, [...(connectorsOf.get(id) ?? []), `${d.namespace}/${d.name}`]);
  }

  const resolve = (host: string, rule: HostnameRuleInput): Match => {
    if (isIp(host)) {
      const s = byIp.get(host);
      return { services: s ? [s] : [], shortName: false, clusterForm: false };
    }
    if (!host.includes('.')) {
      const scope =
        rule.namespaces ?? (rule.tunnelId ? connectorNamespaces.get(rule.tunnelId.toLowerCase()) : undefined);
      const all = byName.get(host) ?? [];
      if (scope)
        return { services: all.filter((s) => scope.includes(s.namespace)), shortName: false, clusterForm: false };
      return { services: all, shortName: all.length > 0, clusterForm: false };
    }
    const ref = parseServiceHost(host, { clusterDomain });
    if (!ref) return { services: [], shortName: false, clusterForm: false };
    const s = byKey.get(`${ref.namespace}/${ref.name}`);
    return {
      services: s ? [s] : [],
      shortName: false,
      clusterForm: ref.form !== 'ns' || namespaces.has(ref.namespace),
    };
  };

  const hostnamesOf = new Map<TreeServiceInput, ServiceHostnameNode[]>();
  const unresolved: ServiceHostnameNode[] = [];
  /** The rule (index into `input.rules`) of each node joined to a Service. */
  const ruleOf = new Map<ServiceHostnameNode, number>();
  (input.rules ?? []).forEach((rule, i) => {
    const origin = parseOrigin(rule.service);
    if (!origin || origin.scheme === 'unix' || origin.scheme === 'unix+tls') return;
    const match = resolve(origin.host, rule);
    const catchAll = !rule.hostname || rule.hostname === '*';
    const base = (s: TreeServiceInput | undefined, portMatches: boolean, shortName: boolean): ServiceHostnameNode => {
      const node: ServiceHostnameNode = {
        kind: 'hostname',
        id: `host:${ctx}/${s ? `${s.namespace}/${s.name}` : '?'}/${i}`,
        service: rule.service,
        source: rule.source,
        portMatches,
        shortName,
        description: '',
      };
      if (!catchAll) node.hostname = rule.hostname!.toLowerCase();
      if (rule.path) node.path = rule.path;
      if (rule.tunnelId) node.tunnelId = rule.tunnelId;
      if (rule.tunnelName) node.tunnelName = rule.tunnelName;
      if (origin.port !== undefined) node.port = origin.port;
      if (rule.file !== undefined) node.file = rule.file;
      if (rule.line !== undefined) node.line = rule.line;
      const parts = [rule.source === 'remote' ? 'remote config' : 'workspace config'];
      if (rule.tunnelName || rule.tunnelId) parts.push(`tunnel ${rule.tunnelName ?? rule.tunnelId}`);
      if (!portMatches) parts.push(`port ${origin.port} is not a port of this Service`);
      if (shortName) parts.push('bare name: resolves only in the namespace cloudflared runs in');
      if (!s) parts.push('no such Service');
      node.description = parts.join(' · ');
      return node;
    };
    if (match.services.length === 0) {
      if (match.clusterForm) unresolved.push(base(undefined, false, false));
      return;
    }
    for (const s of match.services) {
      const headless = s.clusterIP === 'None';
      const portMatches =
        origin.port === undefined ||
        s.type === 'ExternalName' ||
        s.ports.some((p) => p.port === origin.port || (headless && (p.targetPort ?? p.port) === origin.port));
      const list = hostnamesOf.get(s);
      const node = base(s, portMatches, match.shortName);
      ruleOf.set(node, i);
      if (list) list.push(node);
      else hostnamesOf.set(s, [node]);
    }
  });
  if (input.routing) routeThroughControllers(input.routing, ctx, hostnamesOf, ruleOf, byKey);

  const serviceNode = (s: TreeServiceInput): ServiceNode => {
    const type = s.type ?? 'ClusterIP';
    const hostnames = (hostnamesOf.get(s) ?? []).sort(
      (a, b) =>
        (a.hostname ?? '\uffff').localeCompare(b.hostname ?? '\uffff') || (a.path ?? '').localeCompare(b.path ?? ''),
    );
    const exposure: ExposureNode[] = [];
    for (const h of hostnames) {
      const key = (h.tunnelId ?? h.tunnelName ?? '').toLowerCase();
      let e = exposure.find((x) => (x.tunnelId ?? x.tunnelName ?? '').toLowerCase() === key);
      if (!e) {
        e = {
          sources: [],
          hostnames: [],
          connectors: h.tunnelId ? [...(connectorsOf.get(h.tunnelId.toLowerCase()) ?? [])] : [],
        };
        if (h.tunnelId) e.tunnelId = h.tunnelId;
        if (h.tunnelName) e.tunnelName = h.tunnelName;
        exposure.push(e);
      }
      if (!e.sources.includes(h.source)) e.sources.push(h.source);
      const label = h.hostname ?? '(catch-all)';
      if (!e.hostnames.includes(label)) e.hostnames.push(label);
    }
    const ports = s.ports.map((p): ServicePortNode => {
      const n: ServicePortNode = { port: p.port, protocol: p.protocol ?? 'TCP', label: portLabel(p) };
      if (p.name) n.name = p.name;
      if (p.targetPort !== undefined) n.targetPort = p.targetPort;
      if (p.nodePort) n.nodePort = p.nodePort;
      return n;
    });
    const parts = [type];
    if (type === 'ExternalName') parts.push(`→ ${s.externalName ?? '?'}`);
    else if (s.clusterIP) parts.push(s.clusterIP === 'None' ? 'headless' : s.clusterIP);
    if (s.externalIPs?.length) parts.push(s.externalIPs.join(','));
    if (s.ports.length)
      parts.push(
        s.ports
          .map((p) =>
            p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`,
          )
          .join(','),
      );
    const named = hostnames.filter((h) => h.hostname).length;
    if (named) parts.push(plural(named, 'hostname'));
    const node: ServiceNode = {
      kind: 'service',
      id: `svc:${ctx}/${s.namespace}/${s.name}`,
      namespace: s.namespace,
      name: s.name,
      type,
      externalIPs: [...(s.externalIPs ?? [])],
      ports,
      hostnames,
      exposure,
      description: parts.join(' · '),
    };
    if (s.clusterIP) node.clusterIP = s.clusterIP;
    if (s.externalName) node.externalName = s.externalName;
    return node;
  };

  const cloudflaredNode = (d: TreeDeploymentInput): CloudflaredNode => {
    const pods = (d.pods ?? []).map((p): PodNode => {
      const phase = p.phase ?? 'Unknown';
      const restarts = p.restarts ?? 0;
      const status = p.reason ?? phase;
      const node: PodNode = {
        kind: 'pod',
        id: `pod:${ctx}/${d.namespace}/${p.name}`,
        namespace: d.namespace,
        name: p.name,
        ready: p.ready,
        phase,
        restarts,
        description: [p.ready ? 'ready' : 'not ready', status, restarts ? plural(restarts, 'restart') : undefined]
          .filter(Boolean)
          .join(' · '),
      };
      if (p.reason) node.reason = p.reason;
      return node;
    });
    const health: ConnectorHealth =
      d.desired === 0 ? 'scaled-down' : d.ready >= d.desired ? 'ready' : d.ready > 0 ? 'degraded' : 'down';
    const node: CloudflaredNode = {
      kind: 'cloudflared',
      id: `cfd:${ctx}/${d.namespace}/${d.name}`,
      namespace: d.namespace,
      name: d.name,
      desired: d.desired,
      ready: d.ready,
      health,
      pods,
      description: [`${d.ready}/${d.desired} ready`, d.version, d.tunnelName ? `tunnel ${d.tunnelName}` : undefined]
        .filter(Boolean)
        .join(' · '),
    };
    if (d.image) node.image = d.image;
    if (d.version) node.version = d.version;
    if (d.tunnelId) node.tunnelId = d.tunnelId;
    if (d.tunnelName) node.tunnelName = d.tunnelName;
    if (d.mode) node.mode = d.mode;
    if (d.podsError) node.podsError = d.podsError;
    return node;
  };

  const servicesByNs = new Map<string, TreeServiceInput[]>();
  for (const s of input.services) {
    const list = servicesByNs.get(s.namespace);
    if (list) list.push(s);
    else servicesByNs.set(s.namespace, [s]);
  }
  const deploymentsByNs = new Map<string, TreeDeploymentInput[]>();
  for (const d of deployments) deploymentsByNs.set(d.namespace, [...(deploymentsByNs.get(d.namespace) ?? []), d]);

  const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  let exposed = 0;
  let hostnameCount = 0;
  const nsNodes = [...namespaces].sort(byText).map((ns): NamespaceNode => {
    const services = (servicesByNs.get(ns) ?? [])
      .slice()
      .sort((a, b) => byText(a.name, b.name))
      .map(serviceNode);
    const cloudflared = (deploymentsByNs.get(ns) ?? [])
      .slice()
      .sort((a, b) => byText(a.name, b.name))
      .map(cloudflaredNode);
    for (const s of services) {
      if (s.exposure.length) exposed++;
      hostnameCount += s.hostnames.filter((h) => h.hostname).length;
    }
    const parts = [plural(services.length, 'Service')];
    const exp = services.filter((s) => s.exposure.length).length;
    if (exp) parts.push(`${exp} exposed`);
    if (cloudflared.length) parts.push(`${cloudflared.length} cloudflared`);
    return {
      kind: 'namespace',
      id: `ns:${ctx}/${ns}`,
      name: ns,
      services,
      cloudflared,
      description: parts.join(' · '),
    };
  });
  unresolved.sort((a, b) => byText(a.hostname ?? '\uffff', b.hostname ?? '\uffff'));

  const counts = {
    namespaces: nsNodes.length,
    services: input.services.length,
    exposed,
    hostnames: hostnameCount,
    cloudflared: deployments.length,
  };
  const desc = [plural(counts.services, 'Service'), `${counts.exposed} exposed`];
  if (input.partial) desc.push('partial (RBAC)');
  const node: ContextNode = {
    kind: 'context',
    id: `ctx:${ctx}`,
    name: ctx,
    namespaces: nsNodes,
    partial: input.partial === true,
    unresolved,
    counts,
    description: desc.join(' · '),
  };
  if (input.context.server) node.server = input.context.server;
  if (input.note) node.note = input.note;
  return node;
}

const viaText = (v: RoutingVia): string => `${v.kind} ${v.namespace ? `${v.namespace}/` : ''}${v.name}`;

/**
 * The hostnames a rule brings to an ingress controller's Service, followed by the trace: each
 * backend Service gains a node per hostname (with the routing object between); the controller's
 * node says they are routed onward, or that the controller has no route (404, 503…).
 */
function routeThroughControllers(
  routing: ControllerRouting,
  ctx: string,
  hostnamesOf: Map<TreeServiceInput, ServiceHostnameNode[]>,
  ruleOf: ReadonlyMap<ServiceHostnameNode, number>,
  byKey: ReadonlyMap<string, TreeServiceInput>,
): void {
  const add = (s: TreeServiceInput, node: ServiceHostnameNode): void => {
    const list = hostnamesOf.get(s);
    if (list) list.push(node);
    else hostnamesOf.set(s, [node]);
  };
  for (const [s, nodes] of [...hostnamesOf]) {
    const kind = routing.controllerOf(s);
    if (kind === undefined) continue;
    for (const node of [...nodes]) {
      const i = ruleOf.get(node);
      if (i === undefined || !node.portMatches) continue;
      const { hostnames: routed, more } = routing.route(i, s);
      if (routed.length === 0 && more === 0) continue;
      node.routed = routed;
      const baseDescription = node.description;
      const self = (r: RoutedHostname): boolean =>
        r.servedBy !== undefined && r.servedBy.namespace === s.namespace && r.servedBy.name === s.name;
      const onward = routed.filter((r) => r.servedBy !== undefined && !self(r));
      const stopped = routed.filter((r) => r.servedBy === undefined);
      const concrete = node.hostname !== undefined && !node.hostname.includes('*');
      const noRoute = (r: RoutedHostname): string =>
        `no route: ${r.status ?? 'unknown'}${r.via ? ` (${viaText(r.via)})` : ''}`;
      if (concrete) {
        const r = routed[0];
        if (r?.servedBy && !self(r)) {
          node.description = `routed onward by ${kind}${r.via ? ` via ${viaText(r.via)}` : ''} → Service ${r.servedBy.namespace}/${r.servedBy.name} · ${node.description}`;
        } else if (r && !r.servedBy) {
          node.noRoute = { reason: r.stops ?? 'unknown', ...(r.status !== undefined ? { status: r.status } : {}) };
          node.description = `${noRoute(r)} · ${node.description}`;
        }
      } else {
        const parts: string[] = [];
        if (onward.length) parts.push(`routed onward by ${kind}: ${plural(onward.length, 'hostname')}`);
        if (stopped.length) parts.push(`${stopped.length} without a route`);
        if (more) parts.push(`${more} more not followed`);
        if (parts.length) node.description = `${parts.join(', ')} · ${node.description}`;
        // Each hostname the controller has no route for shows on the controller's Service.
        for (const r of stopped) {
          const n: ServiceHostnameNode = {
            ...node,
            id: `${node.id}/${r.hostname}${r.path ?? ''}`,
            hostname: r.hostname,
            noRoute: { reason: r.stops ?? 'unknown', ...(r.status !== undefined ? { status: r.status } : {}) },
            description: `${noRoute(r)} · ${kind}, rule ${node.hostname ?? '(catch-all)'} · ${baseDescription}`,
          };
          delete n.routed;
          if (r.path) n.path = r.path;
          else delete n.path;
          add(s, n);
        }
      }
      for (const r of onward) {
        const b = byKey.get(`${r.servedBy!.namespace}/${r.servedBy!.name}`);
        if (!b) continue;
        const n: ServiceHostnameNode = {
          kind: 'hostname',
          id: `host:${ctx}/${b.namespace}/${b.name}/${i}/${r.hostname}${r.path ?? ''}`,
          hostname: r.hostname,
          service: node.service,
          source: node.source,
          port: r.servedBy!.port,
          portMatches: true,
          shortName: false,
          controller: { namespace: s.namespace, name: s.name, kind },
          description: '',
        };
        if (r.path) n.path = r.path;
        if (r.via) n.via = r.via;
        if (node.tunnelId) n.tunnelId = node.tunnelId;
        if (node.tunnelName) n.tunnelName = node.tunnelName;
        if (node.file !== undefined) n.file = node.file;
        if (node.line !== undefined) n.line = node.line;
        const parts = [r.via ? `via ${viaText(r.via)}` : `through ${kind}`];
        parts.push(`${kind} ${s.namespace}/${s.name}`);
        parts.push(node.source === 'remote' ? 'remote config' : 'workspace config');
        if (node.tunnelName || node.tunnelId) parts.push(`tunnel ${node.tunnelName ?? node.tunnelId}`);
        if (!r.certain) parts.push('uncertain (trace it for the notes)');
        n.description = parts.join(' · ');
        add(b, n);
      }
    }
  }
}
