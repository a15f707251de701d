/**
 * Following a URL from a tunnel's ingress rule to the Service and pod port that answer it
 * (../shared/docs/field-notes-2.md §3.7):
 *
 *   rule (cloudflared's own matching) → origin Service → ingress controller → routing object and
 *   rule → backend Service and port → the pods' target port
 *
 * or where and why it stops: a status rule, a Service or port that does not exist (cloudflared
 * answers 502), a controller without a route for the host (404), an object no controller serves.
 * What the model cannot know (an origin outside the cluster, a kind the source could not read, a
 * controller-defined path match) is said, never guessed: `certain` is false and `notes` say why.
 *
 * The Host header the controller routes on is the visitor's hostname, or `httpHostHeader` when the
 * rule sets it (§3.1).
 */
import type { OriginSettings } from './origin';
import { parseOrigin } from '../kubernetes/servicesTree';
import { parseServiceHost } from '../kubernetes/serviceHost';
import { recognizeController, selectedWorkloads, servedIngresses } from './controller';
import type { Controller } from './controller';
import { gatewayForService, routeGateway } from './gateway';
import type { GatewayDef } from './gateway';
import { hostMatches, normaliseHost, routeIngress, sslRedirectOff, tlsCovers } from './ingress';
import type { IngressBackend, RouteResult } from './ingress';
import { entryPointForPort, routeIngressRoutes } from './traefik';
import type { TraefikRouteResult } from './traefik';
import { serviceIndex } from './objects';
import type { RoutingObjects, RoutingService, RoutingServicePort, SourceRef, Sourced } from './objects';

export type HopKind = 'rule' | 'service' | 'ingress' | 'httproute' | 'ingressroute' | 'gateway' | 'pod-port';

export interface TraceHop {
  kind: HopKind;
  namespace?: string;
  name?: string;
  file?: string;
  /** 1-based, as editors and `file:line` print it. */
  line?: number;
  /** A cluster object the hop came from (opened read-only). */
  object?: SourceRef['object'];
  /** What decided this hop, in a sentence. */
  detail: string;
}

/** The origin settings of a rule that change what the controller sees (§3.1). */
export interface TraceRule {
  /** 0-based position in the tunnel's ingress list. */
  index: number;
  hostname: string;
  path: string;
  service: string;
  catchAll: boolean;
  /** cloudflared's matching of this rule (hostname and path regex). */
  matches(host: string, path: string): boolean;
  origin: OriginSettings;
  source: SourceRef;
}

export interface TraceTunnel {
  /** A config file's path, or the tunnel's name. */
  name: string;
  rules: TraceRule[];
  /** Namespaces where this tunnel's cloudflared runs (a bare Service name resolves there). */
  namespaces: string[];
}

export interface TraceInput {
  url: string;
  tunnels: TraceTunnel[];
  objects: RoutingObjects;
  clusterDomain?: string;
}

export interface ServedBy {
  namespace: string;
  name: string;
  port: number;
}

export interface TraceResult {
  url: string;
  host: string;
  path: string;
  hops: TraceHop[];
  servedBy: ServedBy | null;
  /** Why nothing in the cluster serves it (when `servedBy` is null). */
  stops?: string;
  /** The HTTP status the visitor gets where the trace stops, when known. */
  status?: number;
  /** False when a hop depends on something the model cannot know (see `notes`). */
  certain: boolean;
  notes: string[];
  /** Problems on the way that do not stop it (TLS to a controller, redirect loops). */
  warnings: string[];
}

export type ParsedTraceUrl = { ok: true; host: string; path: string; scheme: string } | { ok: false; error: string };

/** A URL as typed: a scheme is optional (`app.example.com/x` is `https://app.example.com/x`). */
export function parseTraceUrl(raw: string): ParsedTraceUrl {
  const text = raw.trim();
  if (text === '') return { ok: false, error: 'no URL given' };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, error: `${raw} is not a URL` };
  }
  if (url.hostname === '') return { ok: false, error: `${raw} has no hostname` };
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, error: `${raw}: only http and https URLs reach a tunnel's HTTP rules` };
  }
  return { ok: true, host: url.hostname.toLowerCase(), path: url.pathname || '/', scheme: url.protocol.slice(0, -1) };
}

function at(source: SourceRef): Pick<TraceHop, 'file' | 'line' | 'object'> {
  const out: Pick<TraceHop, 'file' | 'line' | 'object'> = {};
  if (source.file !== undefined) out.file = source.file;
  if (source.line !== undefined) out.line = source.line + 1;
  if (source.object !== undefined) out.object = source.object;
  return out;
}

/** Follows `url` through the tunnels and the cluster's routing objects (module comment). */
export function traceUrl(input: TraceInput): TraceResult {
  const parsed = parseTraceUrl(input.url);
  if (!parsed.ok) throw new TraceInputError(parsed.error);
  const t = new Tracer(input, parsed.host, parsed.path);
  return t.run();
}

export class TraceInputError extends Error {}

/** The first tunnel with a rule other than its catch-all for the host, else the first with any rule. */
function pickRule(
  tunnels: readonly TraceTunnel[],
  host: string,
  path: string,
): { tunnel: TraceTunnel; rule: TraceRule; others: string[] } | undefined {
  const hits: Array<{ tunnel: TraceTunnel; rule: TraceRule }> = [];
  for (const tunnel of tunnels) {
    const rule = tunnel.rules.find((r) => r.matches(host, path));
    if (rule) hits.push({ tunnel, rule });
  }
  const specific = hits.filter((h) => !h.rule.catchAll);
  const chosen = specific[0] ?? hits[0];
  if (!chosen) return undefined;
  const others = (specific.length > 0 ? specific : hits).slice(1).map((h) => h.tunnel.name);
  return { ...chosen, others };
}

class Tracer {
  private readonly hops: TraceHop[] = [];
  private readonly notes: string[] = [];
  private readonly warnings: string[] = [];
  private certain = true;

  constructor(
    private readonly input: TraceInput,
    private readonly host: string,
    private readonly path: string,
  ) {}

  private result(servedBy: ServedBy | null, stops?: string, status?: number): TraceResult {
    const r: TraceResult = {
      url: this.input.url,
      host: this.host,
      path: this.path,
      hops: this.hops,
      servedBy,
      certain: this.certain,
      notes: this.notes,
      warnings: this.warnings,
    };
    if (servedBy === null) r.stops = stops ?? 'unknown';
    if (status !== undefined) r.status = status;
    return r;
  }

  private unknown(note: string): void {
    this.certain = false;
    this.notes.push(note);
  }

  run(): TraceResult {
    const pick = pickRule(this.input.tunnels, this.host, this.path);
    if (!pick) {
      return this.result(null, `no tunnel in this source has a rule for ${this.host}`);
    }
    const { tunnel, rule, others } = pick;
    if (others.length > 0) this.notes.push(`also routed by ${others.join(', ')}`);
    this.hops.push({
      kind: 'rule',
      ...at(rule.source),
      detail: `rule #${rule.index + 1}${rule.catchAll ? ' (catch-all)' : ` ${rule.hostname || '*'}${rule.path ? ` path ${rule.path}` : ''}`} → ${rule.service}`,
    });
    const status = /^http_status:(\d{3})$/.exec(rule.service);
    if (status) {
      const code = Number(status[1]);
      return this.result(null, `the tunnel answers ${code} itself (${rule.service})`, code);
    }
    const origin = parseOrigin(rule.service);
    if (!origin) return this.result(null, `cloudflared answers itself (${rule.service}): no cluster Service`);
    if (origin.scheme !== 'http' && origin.scheme !== 'https') {
      return this.result(null, `${origin.scheme}:// is not HTTP: the trace follows HTTP only`);
    }
    const service = this.findService(origin.host, tunnel.namespaces);
    if (service === 'outside') {
      this.unknown(`${origin.host} is not a cluster Service name: an origin outside the cluster`);
      return this.result(null, `${origin.host} is outside what this source describes`);
    }
    if (service === undefined) {
      return this.result(null, `no Service ${origin.host} in this source: cloudflared answers 502`, 502);
    }
    const port = service.def.ports.find((p) => p.port === origin.port);
    if (port === undefined) {
      this.serviceHop(service, undefined, 'the tunnel rule’s origin');
      return this.result(null, `Service ${ref(service.def)} has no port ${origin.port}: cloudflared answers 502`, 502);
    }
    this.serviceHop(service, port, 'the tunnel rule’s origin');
    const gateway = gatewayForService(
      service.def,
      this.input.objects.gateways.map((g) => g.def),
    );
    const controller = gateway ? undefined : recognizeController(this.input.objects, service);
    if (!controller && !gateway) return this.finish(service, port);
    const kind = controller?.kind ?? `Gateway ${gateway!.namespace}/${gateway!.name}`;

    const routedHost = rule.origin.httpHostHeader ? normaliseHost(rule.origin.httpHostHeader) : this.host;
    if (rule.origin.httpHostHeader) {
      this.warnings.push(
        `the rule sets httpHostHeader ${rule.origin.httpHostHeader}: ${kind} routes on that host, not on ${this.host}`,
      );
    }
    if (
      origin.scheme === 'https' &&
      !rule.origin.noTLSVerify &&
      !rule.origin.originServerName &&
      !rule.origin.matchSNItoHost
    ) {
      this.warnings.push(
        `https:// to ${kind} sends the Service name as SNI: the controller's certificate cannot match it; set originServerName (or matchSNItoHost), or noTLSVerify`,
      );
    }
    if (gateway) return this.throughGateway(gateway, port, routedHost);
    return this.throughController(controller!, port, routedHost, origin.scheme);
  }

  private findService(host: string, namespaces: readonly string[]): Sourced<RoutingService> | undefined | 'outside' {
    const idx = serviceIndex(this.input.objects);
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':')) return idx.byIp.get(host) ?? 'outside';
    if (host === 'localhost') return 'outside';
    const opts = this.input.clusterDomain === undefined ? {} : { clusterDomain: this.input.clusterDomain };
    const full = parseServiceHost(host, opts);
    if (full) return idx.byRef.get(`${full.namespace}/${full.name}`);
    if (host.includes('.')) return 'outside';
    if (namespaces.length === 0) {
      const byName = idx.byName.get(host) ?? [];
      if (byName.length > 1) this.unknown(`${host} is a bare name and cloudflared's namespace is not known`);
      return byName[0];
    }
    for (const ns of namespaces) {
      const s = idx.byRef.get(`${ns}/${host}`);
      if (s) return s;
    }
    return undefined;
  }

  private serviceHop(service: Sourced<RoutingService>, port: RoutingServicePort | undefined, why: string): void {
    this.hops.push({
      kind: 'service',
      namespace: service.def.namespace,
      name: service.def.name,
      ...at(service.source),
      detail: `${why}: Service ${ref(service.def)}${port ? ` port ${port.port}${port.name ? ` (${port.name})` : ''}` : ''}`,
    });
  }

  /** The last hop: the pods' port behind the Service's. */
  private finish(service: Sourced<RoutingService>, port: RoutingServicePort): TraceResult {
    const servedBy = { namespace: service.def.namespace, name: service.def.name, port: port.port };
    const target = port.targetPort ?? port.port;
    if (service.def.selector === undefined) {
      this.unknown(`Service ${ref(service.def)} has no selector: its endpoints are managed outside it`);
      return this.result(servedBy);
    }
    const workloads = selectedWorkloads(this.input.objects, service.def);
    if (workloads.length === 0) {
      this.unknown(`no workload in this source has the labels Service ${ref(service.def)} selects`);
      return this.result(servedBy);
    }
    for (const w of workloads) {
      let number: number | undefined;
      if (typeof target === 'number') number = target;
      else {
        for (const c of w.def.containers) {
          const p = c.ports.find((x) => x.name === target);
          if (p) number = p.containerPort;
        }
      }
      if (number === undefined) {
        this.hops.push({
          kind: 'pod-port',
          namespace: w.def.namespace,
          name: w.def.name,
          ...at(w.source),
          detail: `${w.def.kind} ${w.def.name} has no container port named ${target}: the Service has no endpoints (503 or 502)`,
        });
        return this.result(null, `target port ${target} of Service ${ref(service.def)} names no container port`, 503);
      }
      this.hops.push({
        kind: 'pod-port',
        namespace: w.def.namespace,
        name: w.def.name,
        ...at(w.source),
        detail: `${w.def.kind} ${w.def.name}: container port ${number}${typeof target === 'string' ? ` (${target})` : ''}`,
      });
    }
    return this.result(servedBy);
  }

  private throughController(
    controller: Controller,
    port: RoutingServicePort,
    host: string,
    scheme: string,
  ): TraceResult {
    const objects = this.input.objects;
    const unreadIngress = objects.unread.find((u) => u.kind === 'Ingress');
    if (unreadIngress) {
      this.unknown(`Ingresses could not be read: ${unreadIngress.reason}`);
      return this.result(null, `unknown: ${controller.kind}'s routes could not be read`);
    }
    const selection = servedIngresses(objects, controller);
    for (const n of selection.notes) this.unknown(n);
    const served = selection.served.map((s) => s.def);
    const routed = routeIngress(served, host, this.path);
    const why = `${controller.kind} (${controller.why})`;

    if (controller.kind === 'traefik') {
      const crd = this.traefikRoute(controller, port, host, scheme);
      if (crd?.kind === 'served') {
        const ingressPriority = routed.kind === 'served' ? traefikIngressPriority(routed) : -Infinity;
        if (ingressPriority === crd.priority) this.unknown('an Ingress and an IngressRoute have the same priority');
        if (crd.priority >= ingressPriority) return this.throughIngressRoute(crd, why);
      } else if (crd?.kind === 'stop' && routed.kind === 'stop') {
        return this.result(null, `${why}: ${routed.reason}; ${crd.reason}`, 404);
      }
    }
    if (routed.kind === 'stop') {
      const partial = objects.partial?.find((k) => k.kind === 'Ingress');
      if (partial)
        this.unknown(`Ingresses were read from some namespaces only (${partial.reason}): the route may be in another`);
      const ignoredForHost = selection.ignored.filter((i) =>
        i.ingress.def.rules.some((r) => r.host && hostMatches(r.host, host)),
      );
      const extra = ignoredForHost.map((i) => `Ingress ${ref(i.ingress.def)} has the host but ${i.reason}`);
      return this.result(null, [`${why}: ${routed.reason}`, ...extra].join('; '), 404);
    }
    const ing = selection.served.find((s) => s.def === routed.ingress)!;
    if (!routed.certain)
      this.unknown(
        `${controller.kind} decides this match itself (an ImplementationSpecific path, a tie, or a more specific host)`,
      );
    const rule = routed.via === 'rule' ? routed.ingress.rules[routed.ruleIndex]! : undefined;
    const p = rule?.paths[routed.pathIndex];
    this.hops.push({
      kind: 'ingress',
      namespace: ing.def.namespace,
      name: ing.def.name,
      ...at(ing.source),
      detail:
        routed.via === 'rule'
          ? `${why} routes ${rule!.host ?? '(any host)'} ${p!.pathType} ${p!.path || '/'} → ${backendText(routed.backend)}`
          : `${why}: no rule matches; the defaultBackend → ${backendText(routed.backend)}`,
    });
    if (
      controller.kind === 'ingress-nginx' &&
      scheme === 'http' &&
      tlsCovers(ing.def, host) &&
      !sslRedirectOff(ing.def)
    ) {
      this.warnings.push(
        `http:// to ingress-nginx for ${host}, whose Ingress ${ref(ing.def)} has a tls block: the controller redirects to https (308) and ignores X-Forwarded-Proto by default, so browsers loop; set nginx.ingress.kubernetes.io/ssl-redirect: "false" on it, use-forwarded-headers in the controller, or an https:// rule with originServerName`,
      );
    }
    return this.backend(ing.def.namespace, routed.backend);
  }

  /** Traefik's CRD routers on the entry point behind the Service port; undefined when none are known. */
  private traefikRoute(
    controller: Controller,
    port: RoutingServicePort,
    host: string,
    scheme: string,
  ): TraefikRouteResult | undefined {
    const objects = this.input.objects;
    const unread = objects.unread.find((u) => u.kind === 'IngressRoute');
    if (unread) {
      this.unknown(`IngressRoutes could not be read: ${unread.reason}`);
      return undefined;
    }
    if (objects.ingressRoutes.length === 0) return undefined;
    const entryPoint = entryPointForPort(port);
    if (entryPoint === undefined) {
      this.unknown(
        `which Traefik entry point Service port ${port.port} reaches is not known: every IngressRoute counts`,
      );
    }
    return routeIngressRoutes(
      objects.ingressRoutes.map((r) => r.def),
      host,
      this.path,
      {
        ...(entryPoint ? { entryPoint } : {}),
        allowCrossNamespace: controller.allowCrossNamespace,
        ...(controller.watchWithoutClass ? {} : { ingressClass: controller.className }),
        tls: scheme === 'https',
        ...(controller.version ? { traefikVersion: controller.version } : {}),
      },
    );
  }

  private throughIngressRoute(routed: Extract<TraefikRouteResult, { kind: 'served' }>, why: string): TraceResult {
    const source = this.input.objects.ingressRoutes.find((r) => r.def === routed.route)!;
    for (const n of routed.notes) this.notes.push(n);
    if (!routed.certain) this.unknown(`Traefik's choice of router depends on more than host and path`);
    const route = routed.route.routes[routed.routeIndex]!;
    const usable = routed.backends.filter((b) => b.refused === undefined && (b.weight ?? 1) > 0);
    this.hops.push({
      kind: 'ingressroute',
      namespace: routed.route.namespace,
      name: routed.route.name,
      ...at(source.source),
      detail: `${why}: IngressRoute ${ref(routed.route)} route #${routed.routeIndex + 1} ${route.match} (priority ${routed.priority}) → ${routed.backends
        .map((b) => `${b.kind} ${b.namespace}/${b.name}:${b.port?.number ?? b.port?.name ?? '?'}`)
        .join(', ')}`,
    });
    const first = usable[0];
    if (!first) return this.result(null, `IngressRoute ${ref(routed.route)} has no usable service`, 500);
    if (first.kind === 'TraefikService') {
      this.unknown(`TraefikService ${first.namespace}/${first.name} is one more hop the model does not follow`);
      return this.result(null, `unknown: the route goes to TraefikService ${first.namespace}/${first.name}`);
    }
    if (usable.length > 1) {
      this.notes.push(
        `traffic is split: ${usable.map((b) => `${b.namespace}/${b.name}`).join(', ')}; the trace follows the first`,
      );
    }
    return this.backend(first.namespace, { service: first.name, port: first.port ?? {} });
  }

  private throughGateway(gateway: GatewayDef, port: RoutingServicePort, host: string): TraceResult {
    const objects = this.input.objects;
    const unread = objects.unread.find((u) => u.kind === 'HTTPRoute' || u.kind === 'ReferenceGrant');
    if (unread) {
      this.unknown(`${unread.kind}s could not be read: ${unread.reason}`);
      return this.result(null, `unknown: the Gateway's routes could not be read`);
    }
    const gw = objects.gateways.find((g) => g.def === gateway)!;
    const routed = routeGateway(
      {
        gateway,
        port: port.port,
        routes: objects.httpRoutes.map((r) => r.def),
        grants: objects.referenceGrants.map((g) => g.def),
      },
      host,
      this.path,
    );
    if (routed.kind === 'stop') {
      this.hops.push({
        kind: 'gateway',
        namespace: gateway.namespace,
        name: gateway.name,
        ...at(gw.source),
        detail: `Gateway ${ref(gateway)} (class ${gateway.className || 'unset'}) behind the Service`,
      });
      return this.result(null, `Gateway ${ref(gateway)}: ${routed.reason}`, routed.status);
    }
    this.hops.push({
      kind: 'gateway',
      namespace: gateway.namespace,
      name: gateway.name,
      ...at(gw.source),
      detail: `Gateway ${ref(gateway)} listener ${routed.listener} takes ${host}`,
    });
    const route = objects.httpRoutes.find((r) => r.def === routed.route)!;
    for (const n of routed.notes) this.notes.push(n);
    if (!routed.certain) this.unknown(`the Gateway's choice of route depends on more than host and path`);
    const usable = routed.backends.filter((b) => b.refused === undefined && b.weight > 0);
    const total = usable.reduce((n, b) => n + b.weight, 0);
    const share = (b: { weight: number }): string =>
      usable.length > 1 ? ` (weight ${b.weight}, ${Math.round((b.weight / total) * 100)}%)` : '';
    this.hops.push({
      kind: 'httproute',
      namespace: routed.route.namespace,
      name: routed.route.name,
      ...at(route.source),
      detail: `HTTPRoute ${ref(routed.route)} rule #${routed.ruleIndex + 1} → ${routed.backends
        .map(
          (b) =>
            `${b.kind} ${b.namespace}/${b.name}:${b.port ?? '?'}${b.refused ? ` refused: ${b.refused}` : share(b)}`,
        )
        .join(', ')}`,
    });
    for (const b of routed.backends.filter((x) => x.refused !== undefined)) {
      this.warnings.push(`backend ${b.namespace}/${b.name}: ${b.refused} (its share of the traffic gets 500)`);
    }
    const first = usable[0];
    if (!first || first.port === undefined) {
      return this.result(null, `HTTPRoute ${ref(routed.route)} has no usable backend: the Gateway answers 500`, 500);
    }
    if (usable.length > 1) {
      this.notes.push(
        `traffic is split: ${usable.map((b) => `${b.namespace}/${b.name}${share(b)}`).join(', ')}; the trace follows the first`,
      );
    }
    return this.backend(first.namespace, { service: first.name, port: { number: first.port } });
  }

  /** A routing object's backend: a Service in `namespace` by port number or name. */
  private backend(namespace: string, backend: IngressBackend): TraceResult {
    const service = serviceIndex(this.input.objects).byRef.get(`${namespace}/${backend.service}`);
    if (!service) {
      return this.result(
        null,
        `the backend Service ${namespace}/${backend.service} does not exist: the controller answers 503`,
        503,
      );
    }
    const port = service.def.ports.find((x) =>
      backend.port.number !== undefined ? x.port === backend.port.number : x.name === backend.port.name,
    );
    if (!port) {
      this.serviceHop(service, undefined, 'backend');
      return this.result(
        null,
        `Service ${ref(service.def)} has no port ${backend.port.number ?? backend.port.name}: the controller answers 503`,
        503,
      );
    }
    this.serviceHop(service, port, 'backend');
    return this.finish(service, port);
  }
}

/**
 * The priority Traefik's Ingress provider gives the router it makes of an Ingress rule: the length
 * of its rule, `Host(`h`) && PathPrefix(`/p`)` (v3 syntax; `Path` for Exact).
 */
function traefikIngressPriority(routed: Extract<RouteResult, { kind: 'served' }>): number {
  if (routed.via === 'defaultBackend') return 0;
  const rule = routed.ingress.rules[routed.ruleIndex]!;
  const p = rule.paths[routed.pathIndex]!;
  const parts: string[] = [];
  if (rule.host) parts.push(`Host(\`${rule.host}\`)`);
  if (p.path) parts.push(`${p.pathType === 'Exact' ? 'Path' : 'PathPrefix'}(\`${p.path}\`)`);
  return new TextEncoder().encode(parts.join(' && ')).length;
}

function backendText(b: IngressBackend): string {
  return `Service ${b.service}:${b.port.number ?? b.port.name ?? '?'}`;
}

function ref(s: { namespace: string; name: string }): string {
  return `${s.namespace}/${s.name}`;
}
