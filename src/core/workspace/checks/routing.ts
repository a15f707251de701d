/**
 * Routing through an ingress controller, across the workspace (issue #17; ../shared/docs/field-notes-2.md §3):
 * the tunnel's rules against the routing objects of the manifests, through the trace
 * (src/core/routing/trace.ts) and the pieces it is built from (controller recognition, class
 * selection, cloudflared's rule matching).
 *
 * One unit for the whole workspace (`ROUTING_UNIT` in run.ts): it reads every summary through
 * `ctx.routingFiles()`, so it runs again when a file holding Services, workloads, Ingresses,
 * IngressClasses, Gateway API or Traefik objects, or a tunnel config changes (Keys.routing), and
 * builds the routing objects once per run.
 *
 * Rule findings land on the rule in config.yaml (or the config held in a ConfigMap):
 * `route-not-found`, `route-tls-sni`, `route-host-header`, `route-redirect-loop`. Object findings
 * land on the Ingress: `route-backend-missing`, `route-class-unserved`, `route-unreachable-host`.
 *
 * What the model does not follow is never judged: a Traefik controller while the workspace holds
 * HTTPRoutes (Traefik may serve them as a Gateway implementation) gets no 404 verdicts, and a
 * backend is only judged in a namespace where the workspace defines Services.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Document, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { ConfigModel, IngressRule as ConfigRule } from '../../config/model';
import type { StructValue } from '../../config/decode';
import { parseOrigin } from '../../kubernetes/servicesTree';
import { recognizeController, servedIngresses } from '../../routing/controller';
import type { Controller, IngressSelection } from '../../routing/controller';
import { routingObjectsFromFiles, traceTunnel, tunnelConfigs } from '../../routing/fromWorkspace';
import { hostMatches, LEGACY_CLASS_ANNOTATION, normaliseHost, sslRedirectOff, tlsCovers } from '../../routing/ingress';
import type { IngressDef } from '../../routing/ingress';
import type { RoutingObjects, RoutingService, SourceRef, Sourced } from '../../routing/objects';
import { GATEWAY_GROUP, httpRouteBackends } from '../../routing/gateway';
import type { GatewayDef, HTTPRouteDef } from '../../routing/gateway';
import { routeBackends } from '../../routing/traefik';
import { TraceInputError, traceUrl } from '../../routing/trace';
import type { TraceResult, TraceRule, TraceTunnel } from '../../routing/trace';
import type { Fix, Range } from '../../types';
import { deref, mapEntries } from '../../yaml/load';
import type { Ctx } from '../context';
import type { FileSummary } from '../fileSummary';
import { relative } from '../links';
import { namePlacement } from '../store';
import { rangeOf, replaceScalar } from './output';
import type { Output } from './output';

/** A tunnel config of the workspace: the trace's tunnel and the nodes of its rules. */
interface TunnelDoc {
  tunnel: TraceTunnel;
  model: ConfigModel;
  path: string;
  map: (r: Range) => Range;
}

/** What one tunnel rule reaches: the controller behind its origin Service, when it is one. */
interface RuleInfo {
  doc: TunnelDoc;
  rule: TraceRule;
  node: ConfigRule;
  scheme: string;
  service: Sourced<RoutingService>;
  controller: Controller;
}

const PROBE_LABEL = 'cftunnel-probe';

/** The hops of a routing object (the route the controller picked). */
const ROUTE_HOPS = new Set(['ingress', 'ingressroute', 'httproute']);

/**
 * Gateway API routes a Traefik controller may also serve (as a Gateway implementation whose
 * Service carries no Gateway label): the trace does not follow them from Traefik's Service, so its
 * 404s are then unknown. IngressRoutes are followed.
 */
const UNFOLLOWED_ROUTES = /^(HTTPRoute|GRPCRoute)$/;

export function checkRouting(ctx: Ctx, out: Output): void {
  const files = [...ctx.routingFiles()];
  // Objects in the namespace their kustomizations give them, as `cftunnel trace` reads them.
  const objects = routingObjectsFromFiles(files, (path) => namePlacement(ctx.placement(path)));
  const tunnels = tunnelDocs(files);
  const routes = objects.ingresses.length + objects.httpRoutes.length + objects.ingressRoutes.length;
  if (routes === 0 && tunnels.length === 0) return;
  const clusterDomain = ctx.settings().clusterDomain;
  const unfollowed = files.some((f) => f.customs.some((c) => UNFOLLOWED_ROUTES.test(c.kind)));
  const r = new Routing(objects, tunnels, clusterDomain, unfollowed, out);
  r.rules();
  r.ingresses(files);
}

/** The workspace's tunnel configs, as `tunnelsFromFiles` reads them, with their nodes. */
function tunnelDocs(files: readonly FileSummary[]): TunnelDoc[] {
  return tunnelConfigs(files).map((c) => {
    const whole = c.configMap?.value;
    return {
      tunnel: traceTunnel(c, c.configMap?.namespace !== undefined ? [c.configMap.namespace] : []),
      model: c.model,
      path: c.summary.path,
      map: c.map ?? (whole ? () => whole : (r) => r),
    };
  });
}

class Routing {
  private readonly controllers = new Map<Sourced<RoutingService>, Controller | undefined>();
  private readonly selections = new Map<Controller, IngressSelection>();
  /** Rules whose origin is a recognised controller, by rule. */
  private readonly infos = new Map<TraceRule, RuleInfo>();
  /** Ingresses by exact rule host, by the suffix of a `*.` rule host, and those any host may reach. */
  private readonly byHost = new Map<string, Array<Sourced<IngressDef>>>();
  private readonly byWildcard = new Map<string, Array<Sourced<IngressDef>>>();
  private readonly anyHost: Array<Sourced<IngressDef>> = [];
  private readonly order = new Map<Sourced<IngressDef>, number>();
  private readonly services = new Map<string, Sourced<RoutingService>>();
  private readonly ingressByRef = new Map<string, Sourced<IngressDef>>();
  /** Services kustomize renames (namePrefix/nameSuffix), by `namespace/name as written`. */
  private readonly renamed = new Map<string, Sourced<RoutingService>>();

  constructor(
    private readonly objects: RoutingObjects,
    private readonly tunnels: TunnelDoc[],
    private readonly clusterDomain: string,
    private readonly unfollowed: boolean,
    private readonly out: Output,
  ) {
    for (const svc of objects.services) {
      const key = ref(svc.def);
      if (!this.services.has(key)) this.services.set(key, svc);
      const written = svc.source.writtenName;
      if (written !== undefined && written !== svc.def.name) {
        const was = `${svc.def.namespace}/${written}`;
        if (!this.renamed.has(was)) this.renamed.set(was, svc);
      }
    }
    objects.ingresses.forEach((ing, i) => {
      this.order.set(ing, i);
      const key = ref(ing.def);
      if (!this.ingressByRef.has(key)) this.ingressByRef.set(key, ing);
      let any = ing.def.defaultBackend !== undefined;
      for (const r of ing.def.rules) {
        if (r.host === undefined) any = true;
        else if (r.host.startsWith('*.')) push(this.byWildcard, r.host.slice(2).toLowerCase(), ing);
        else push(this.byHost, r.host.toLowerCase(), ing);
      }
      if (any) this.anyHost.push(ing);
    });
  }

  /**
   * The Ingresses a request for `host` may reach, in input order: a trace over them routes as over
   * all of them (classes and defaults are read from the IngressClasses), at a cost that does not grow
   * with the workspace's other hosts.
   */
  private objectsFor(host: string): RoutingObjects {
    const dot = host.indexOf('.');
    const set = new Set([
      ...(this.byHost.get(host) ?? []),
      ...(dot > 0 ? (this.byWildcard.get(host.slice(dot + 1)) ?? []) : []),
      ...this.anyHost,
    ]);
    const ingresses = [...set].sort((a, b) => this.order.get(a)! - this.order.get(b)!);
    return { ...this.objects, ingresses };
  }

  private controllerOf(service: Sourced<RoutingService>): Controller | undefined {
    if (!this.controllers.has(service)) this.controllers.set(service, recognizeController(this.objects, service));
    return this.controllers.get(service);
  }

  private allControllers(): Controller[] {
    return this.objects.services.map((s) => this.controllerOf(s)).filter((c): c is Controller => c !== undefined);
  }

  private readonly ignored = new Map<Controller, Map<Sourced<IngressDef>, string>>();

  private ignoredReason(c: Controller, ing: Sourced<IngressDef>): string | undefined {
    let m = this.ignored.get(c);
    if (!m) {
      m = new Map(this.selection(c).ignored.map((x) => [x.ingress, x.reason]));
      this.ignored.set(c, m);
    }
    return m.get(ing);
  }

  private selection(c: Controller): IngressSelection {
    let s = this.selections.get(c);
    if (!s) {
      s = servedIngresses(this.objects, c);
      this.selections.set(c, s);
    }
    return s;
  }

  /** The trace of one rule alone (undefined: the URL does not parse). */
  private trace(doc: TunnelDoc, rule: TraceRule, host: string, path: string): TraceResult | undefined {
    try {
      return traceUrl({
        url: `https://${host}${path}`,
        tunnels: [{ ...doc.tunnel, rules: [rule] }],
        objects: this.objectsFor(rule.origin.httpHostHeader ? normaliseHost(rule.origin.httpHostHeader) : host),
        clusterDomain: this.clusterDomain,
      });
    } catch (e) {
      if (e instanceof TraceInputError) return undefined;
      throw e;
    }
  }

  // ───────────────────────────────────────── tunnel rules

  rules(): void {
    // Only a rule whose origin is a controller's Service is judged: none without a controller (and
    // then no rule is traced, which is most of the cost on a large config).
    if (this.allControllers().length === 0) return;
    for (const doc of this.tunnels) {
      doc.tunnel.rules.forEach((rule, i) => {
        const node = doc.model.rules[i];
        if (node) this.rule(doc, rule, node);
      });
    }
  }

  /** The controller a rule's origin is, found by tracing a host the rule matches. */
  private resolve(doc: TunnelDoc, rule: TraceRule, node: ConfigRule): RuleInfo | undefined {
    const origin = parseOrigin(rule.service);
    if (!origin || (origin.scheme !== 'http' && origin.scheme !== 'https')) return undefined;
    const host = sampleHost(rule.hostname);
    const path = samplePath(rule);
    if (host === undefined || path === undefined) return undefined;
    const hops = this.trace(doc, rule, host, path)?.hops ?? [];
    const hop = hops[1];
    if (hop?.kind !== 'service' || hops.some((h) => h.kind === 'gateway')) return undefined;
    const service = this.services.get(`${hop.namespace}/${hop.name}`);
    if (!service || !service.def.ports.some((p) => p.port === origin.port)) return undefined;
    const controller = this.controllerOf(service);
    if (!controller) return undefined;
    return { doc, rule, node, scheme: origin.scheme, service, controller };
  }

  private rule(doc: TunnelDoc, rule: TraceRule, node: ConfigRule): void {
    const info = this.resolve(doc, rule, node);
    if (!info) return;
    this.infos.set(rule, info);
    const c = info.controller;
    const where = `${c.kind} (Service ${ref(info.service.def)}, ${relative(doc.path, info.service.source.file ?? doc.path)})`;
    const serviceRange = this.fieldRange(info, 'service');
    const concrete = rule.hostname !== '' && !rule.hostname.includes('*') ? normaliseHost(rule.hostname) : undefined;
    const header = rule.origin.httpHostHeader ? normaliseHost(rule.origin.httpHostHeader) : undefined;
    const path = samplePath(rule) ?? '/';

    if (
      info.scheme === 'https' &&
      !rule.origin.noTLSVerify &&
      !rule.origin.originServerName &&
      !rule.origin.matchSNItoHost
    ) {
      this.out.add(doc.path, {
        code: 'route-tls-sni',
        severity: 'warning',
        message: `https:// to ${where}: cloudflared sends the Service name as SNI and checks the controller's certificate against it, and a certificate for the public hostnames (or the controller's self-signed default) cannot match it: requests fail with 502 Bad Gateway. Set originRequest.originServerName to the hostname (or matchSNItoHost: true) so the controller picks the right certificate and cloudflared verifies it, set noTLSVerify: true, or send http:// to the controller's http port.`,
        range: serviceRange,
      });
    }

    if (header !== undefined && header !== concrete) {
      const probe = concrete ?? sampleHost(rule.hostname);
      const result = probe === undefined ? undefined : this.trace(doc, rule, probe, path);
      const ing = result?.hops.find((h) => ROUTE_HOPS.has(h.kind));
      let outcome: string;
      if (result && ing) outcome = `it routes every request of this rule as ${header}: ${ing.detail}`;
      else if (result?.status === 404 && !this.unknownRoutes(c))
        outcome = `it has no route for ${header} and answers 404 (${result.stops})`;
      else outcome = `what it does with ${header} is ${result?.stops ?? 'unknown'}`;
      const visitors = concrete ?? `the visitors' hostnames (${rule.hostname || 'every hostname'})`;
      this.out.add(doc.path, {
        code: 'route-host-header',
        severity: 'warning',
        message: `httpHostHeader ${rule.origin.httpHostHeader} makes ${where} route by ${header}, not by ${visitors}: ${outcome}. Remove httpHostHeader so the controller routes by the visitor's hostname, or give the controller a route for ${header} that serves them.`,
        range: this.headerRange(info) ?? serviceRange,
      });
    }

    if (concrete !== undefined && header === undefined && rule.matches(concrete, path)) {
      const result = this.trace(doc, rule, concrete, path);
      if (result?.status === 404 && !this.unknownRoutes(c) && !this.hasRouteFor(c, concrete)) {
        const classes = this.classNames(c);
        const assumed = result.certain ? '' : ` (assuming ${result.notes.join('; ')})`;
        this.out.add(doc.path, {
          code: 'route-not-found',
          severity: 'warning',
          message: `${concrete} goes to ${where}, which has no route for it: ${result.stops}${assumed}. Add an Ingress${classes ? ` of class ${classes}` : ''} with host ${concrete}, or send ${concrete} elsewhere in the tunnel.`,
          range: this.fieldRange(info, 'hostname'),
        });
      }
    }

    if (c.kind === 'ingress-nginx' && info.scheme === 'http') {
      const hosts = concrete !== undefined ? [concrete] : this.tlsHostsOf(c, doc, rule);
      const loops: string[] = [];
      for (const host of hosts) {
        if (!rule.matches(host, path)) continue;
        const hop = this.trace(doc, rule, host, path)?.hops.find((h) => h.kind === 'ingress');
        const ing =
          hop && this.objects.ingresses.find((x) => x.def.namespace === hop.namespace && x.def.name === hop.name);
        const routed = header ?? host;
        if (ing && tlsCovers(ing.def, routed) && !sslRedirectOff(ing.def)) {
          loops.push(`${routed} (Ingress ${ref(ing.def)}, ${relative(doc.path, ing.source.file ?? doc.path)})`);
        }
      }
      if (loops.length > 0) {
        const listed =
          loops.length > 3 ? `${loops.slice(0, 3).join(', ')} and ${loops.length - 3} more` : loops.join(', ');
        this.out.add(doc.path, {
          code: 'route-redirect-loop',
          severity: 'warning',
          message: `http:// to ingress-nginx for ${listed}, whose Ingress has a tls block: the controller answers plain-HTTP requests with a 308 redirect to https and, by default, ignores X-Forwarded-Proto, so the browser, already on https at Cloudflare, is redirected forever (ERR_TOO_MANY_REDIRECTS). Set nginx.ingress.kubernetes.io/ssl-redirect: "false" on the Ingress, use-forwarded-headers: "true" in the controller's ConfigMap, or send https:// to the controller with originServerName.`,
          range: serviceRange,
        });
      }
    }
  }

  /** The concrete TLS hosts of the controller's Ingresses that reach it through this rule (a wildcard or catch-all). */
  private tlsHostsOf(c: Controller, doc: TunnelDoc, rule: TraceRule): string[] {
    const hosts = new Set<string>();
    for (const ing of this.selection(c).served) {
      for (const h of ing.def.tlsHosts) {
        const host = normaliseHost(h);
        if (host.includes('*') || hosts.has(host)) continue;
        if (doc.tunnel.rules.find((r) => r.matches(host, '/')) === rule) hosts.add(host);
      }
    }
    return [...hosts].sort();
  }

  /** The workspace holds routes of kinds the trace does not follow, which this controller may serve. */
  private unknownRoutes(c: Controller): boolean {
    return this.unfollowed && c.kind === 'traefik';
  }

  /** Some Ingress the controller serves has a rule for the host (its paths may not match). */
  private hasRouteFor(c: Controller, host: string): boolean {
    return this.selection(c).served.some((i) =>
      i.def.rules.some((r) => r.host === undefined || hostMatches(r.host, host)),
    );
  }

  private classNames(c: Controller): string {
    const own = this.objects.ingressClasses
      .filter((k) => k.def.controller === c.controllerClass)
      .map((k) => k.def.name);
    return (own.length > 0 ? own : [c.className]).join(' or ');
  }

  private fieldRange(info: RuleInfo, field: string): Range {
    const model = info.doc.model;
    const written = info.node.struct?.fields.get(field)?.entry.written;
    const node = written ?? info.node.node;
    return info.doc.map(rangeOf(model.lines, node));
  }

  /** The httpHostHeader the rule uses: its own originRequest's, else the config's. */
  private headerRange(info: RuleInfo): Range | undefined {
    const model = info.doc.model;
    const own = structField(info.node.struct, 'originRequest');
    const node =
      structWritten(own, 'httpHostHeader') ?? structWritten(model.originRequest, 'httpHostHeader') ?? undefined;
    return node ? info.doc.map(rangeOf(model.lines, node)) : undefined;
  }

  // ───────────────────────────────────────── routing objects

  ingresses(files: readonly FileSummary[]): void {
    const byPath = new Map(files.map((f) => [f.path, f]));
    const controllers = this.allControllers();
    const reached = new Set([...this.infos.values()].map((i) => i.controller));
    const servedBy = new Map<Sourced<IngressDef>, Controller[]>();
    for (const c of controllers) {
      for (const ing of this.selection(c).served) {
        const list = servedBy.get(ing);
        if (list) list.push(c);
        else servedBy.set(ing, [c]);
      }
    }
    const namespacesWithServices = new Set(this.objects.services.map((s) => s.def.namespace));
    const docs = new Map<string, Map<number, Document.Parsed>>();
    for (const ing of this.objects.ingresses) {
      const file = ing.source.file;
      const summary = file === undefined ? undefined : byPath.get(file);
      if (summary && !docs.has(summary.path)) docs.set(summary.path, docsOfKind(summary, 'Ingress'));
      const doc = summary && ing.source.line !== undefined ? docs.get(summary.path)?.get(ing.source.line) : undefined;
      if (!summary || !doc) continue;
      const nodes = new IngressNodes(doc);
      this.backends(summary, ing, nodes, namespacesWithServices);
      const serving = servedBy.get(ing) ?? [];
      if (controllers.length > 0 && serving.length === 0) this.unserved(summary, ing, nodes, controllers);
      for (const c of serving) if (reached.has(c)) this.unreachable(summary, ing, nodes, c);
    }
    this.routeBackends(byPath, namespacesWithServices, controllers);
  }

  /**
   * The backends of HTTPRoutes and IngressRoutes: `route-backend-missing` as for Ingresses, and
   * `route-backend-refused` for a reference the controller refuses (a cross-namespace backendRef
   * without a ReferenceGrant, a kind that is not a Service; a Traefik service in another namespace
   * while allowCrossNamespace is off).
   */
  private routeBackends(
    byPath: ReadonlyMap<string, FileSummary>,
    namespaces: ReadonlySet<string>,
    controllers: readonly Controller[],
  ): void {
    const grants = this.objects.referenceGrants.map((g) => g.def);
    const located = <T extends { source: SourceRef }>(o: T, kind: string): [FileSummary, IngressNodes] | undefined => {
      const summary = o.source.file === undefined ? undefined : byPath.get(o.source.file);
      const doc = summary && o.source.line !== undefined ? docsOfKind(summary, kind).get(o.source.line) : undefined;
      return summary && doc ? [summary, new IngressNodes(doc)] : undefined;
    };
    const gateways = new Map<string, Array<Sourced<GatewayDef>>>();
    for (const g of this.objects.gateways) push(gateways, g.def.namespace, g);
    for (const route of this.objects.httpRoutes) {
      const at = located(route, 'HTTPRoute');
      if (!at) continue;
      const [summary, nodes] = at;
      this.parents(summary, route.def, nodes, gateways);
      route.def.rules.forEach((rule, ri) =>
        httpRouteBackends(route.def, rule, grants).forEach((b, bi) => {
          const node = nodes.at(['spec', 'rules', ri, 'backendRefs', bi]);
          const what = `HTTPRoute ${ref(route.def)}`;
          if (b.refused !== undefined && b.kind === 'Service' && b.port !== undefined) {
            this.refused(
              summary,
              what,
              b.refused,
              'the Gateway answers 500 for its share of the traffic',
              nodes.child(node, 'namespace') ?? node,
            );
            return;
          }
          if (b.refused === undefined && b.port !== undefined) {
            this.backendExists(
              summary,
              'HTTPRoute',
              what,
              b.namespace,
              b.name,
              { number: b.port },
              namespaces,
              nodes,
              node,
            );
          }
        }),
      );
    }
    const traefik = controllers.find((c) => c.kind === 'traefik');
    for (const route of this.objects.ingressRoutes) {
      const at = located(route, 'IngressRoute');
      if (!at) continue;
      const [summary, nodes] = at;
      route.def.routes.forEach((r, ri) =>
        routeBackends(route.def, r, { allowCrossNamespace: traefik?.allowCrossNamespace ?? false }).forEach((b, si) => {
          if (b.kind !== 'Service' || b.name.includes('@')) return;
          const node = nodes.at(['spec', 'routes', ri, 'services', si]);
          const what = `IngressRoute ${ref(route.def)}`;
          if (b.refused !== undefined) {
            this.refused(
              summary,
              what,
              b.refused,
              'Traefik builds no router for this route',
              nodes.child(node, 'namespace') ?? node,
            );
            return;
          }
          if (b.port !== undefined)
            this.backendExists(summary, 'IngressRoute', what, b.namespace, b.name, b.port, namespaces, nodes, node);
        }),
      );
    }
  }

  /**
   * `route-parent-missing`: a parentRef to a Gateway the workspace does not define in a namespace
   * where it defines Gateways (elsewhere the Gateway may be installed apart from the app). The route
   * attaches to nothing: its hostnames are not served through that parent.
   */
  private parents(
    summary: FileSummary,
    route: HTTPRouteDef,
    nodes: IngressNodes,
    gateways: ReadonlyMap<string, ReadonlyArray<Sourced<GatewayDef>>>,
  ): void {
    route.parentRefs.forEach((p, pi) => {
      if (p.kind !== 'Gateway' || p.group !== GATEWAY_GROUP) return;
      const namespace = p.namespace ?? route.namespace;
      const there = gateways.get(namespace);
      if (!there || there.some((g) => g.def.name === p.name)) return;
      const node = nodes.at(['spec', 'parentRefs', pi]);
      const nameNode = nodes.child(node, 'name');
      const renamed = there.find((g) => g.source.writtenName === p.name && g.def.name !== p.name);
      const names = there.map((g) => g.def.name).sort();
      const hint = renamed
        ? renameHint(
            summary,
            'Gateway',
            p.name,
            renamed,
            'does not follow the rename into parentRefs',
            DECLARE,
            nameNode,
          )
        : undefined;
      this.out.add(summary.path, {
        code: 'route-parent-missing',
        severity: 'warning',
        message: `HTTPRoute ${ref(route)}: no Gateway ${p.name} in namespace ${namespace}, where the workspace defines ${names.join(', ')}: the route attaches to no Gateway there, so its hostnames are not served through it.${hint?.why ?? ''} Fix the name, or add the Gateway (namespaces where the workspace defines no Gateway are not judged).`,
        range: rangeOf(summary.lines, nameNode ?? node ?? nodes.root),
        ...(hint?.fixes ? { fixes: hint.fixes } : {}),
      });
    });
  }

  /**
   * A missing backend Service that kustomize renamed: why the reference still names the old one
   * (kustomize follows a renamed Service only into the Ingresses of its own build), and a fix that
   * writes the name the cluster has.
   */
  private renamedService(
    summary: FileSummary,
    namespace: string,
    name: string,
    kind: string,
    nameNode: Node | undefined,
  ): { why: string; fixes?: Fix[] } | undefined {
    const svc = this.renamed.get(`${namespace}/${name}`);
    if (!svc) return undefined;
    return kind === 'Ingress'
      ? renameHint(
          summary,
          'Service',
          name,
          svc,
          'follows the rename into the Ingresses of its own build, and this one is not in it',
          '',
          nameNode,
        )
      : renameHint(
          summary,
          'Service',
          name,
          svc,
          `follows the rename into Ingresses only, not into ${kind} references`,
          DECLARE,
          nameNode,
        );
  }

  private refused(summary: FileSummary, what: string, why: string, effect: string, node: Node | undefined): void {
    this.out.add(summary.path, {
      code: 'route-backend-refused',
      severity: 'warning',
      message: `${what}: ${why}: ${effect}. Move the route or the Service into one namespace, or allow the reference (a ReferenceGrant in the Service's namespace for HTTPRoutes; allowCrossNamespace for Traefik's CRD provider).`,
      range: rangeOf(summary.lines, node),
    });
  }

  /** `route-backend-missing` for a route's Service reference (only in namespaces where the workspace defines Services). */
  private backendExists(
    summary: FileSummary,
    kind: 'HTTPRoute' | 'IngressRoute',
    what: string,
    namespace: string,
    name: string,
    port: { number?: number; name?: string },
    namespaces: ReadonlySet<string>,
    nodes: IngressNodes,
    node: Node | undefined,
  ): void {
    if (!namespaces.has(namespace)) return;
    const svc = this.services.get(`${namespace}/${name}`);
    if (!svc) {
      const nameNode = nodes.child(node, 'name');
      const renamed = this.renamedService(summary, namespace, name, kind, nameNode);
      this.out.add(summary.path, {
        code: 'route-backend-missing',
        severity: 'warning',
        message: `${what}: no Service ${name} in namespace ${namespace}: the controller answers 503 (Gateway API: 500) for the requests this backend serves.${renamed?.why ?? ''} Fix the name, or add the Service (namespaces where the workspace defines no Service are not judged).`,
        range: rangeOf(summary.lines, nameNode ?? node ?? nodes.root),
        ...(renamed?.fixes ? { fixes: renamed.fixes } : {}),
      });
      return;
    }
    if (svc.def.type === 'ExternalName' || svc.def.ports.length === 0) return;
    if (svc.def.ports.some((x) => (port.number !== undefined ? x.port === port.number : x.name === port.name))) return;
    const ports = svc.def.ports.map((x) => `${x.port}${x.name ? ` (${x.name})` : ''}`).join(', ');
    this.out.add(summary.path, {
      code: 'route-backend-missing',
      severity: 'warning',
      message: `${what}: Service ${ref(svc.def)} has no port ${port.number ?? `named ${port.name}`}: its ports are ${ports}. The controller finds no endpoints; use one of its ports.`,
      range: rangeOf(summary.lines, nodes.child(node, 'port') ?? node ?? nodes.root),
    });
  }

  private backends(
    summary: FileSummary,
    ing: Sourced<IngressDef>,
    nodes: IngressNodes,
    namespaces: ReadonlySet<string>,
  ): void {
    const d = ing.def;
    if (!namespaces.has(d.namespace)) return;
    const check = (backend: IngressDef['defaultBackend'], at: Array<string | number>): void => {
      if (!backend) return;
      const svc = this.services.get(`${d.namespace}/${backend.service}`);
      const serviceNode = nodes.at([...at, 'service']);
      if (!svc) {
        const names = [
          ...new Set(this.objects.services.filter((s) => s.def.namespace === d.namespace).map((s) => s.def.name)),
        ].sort();
        const listed = names.length > 6 ? `${names.slice(0, 6).join(', ')}, …` : names.join(', ');
        const nameNode = nodes.child(serviceNode, 'name');
        const renamed = this.renamedService(summary, d.namespace, backend.service, 'Ingress', nameNode);
        this.out.add(summary.path, {
          code: 'route-backend-missing',
          severity: 'warning',
          message: `Ingress ${ref(d)}: no Service ${backend.service} in namespace ${d.namespace}, where the workspace defines ${listed}: the controller answers 503 for the requests this backend serves.${renamed?.why ?? ''} Fix the name, or add the Service (namespaces where the workspace defines no Service are not judged: the app's manifests may live elsewhere).`,
          range: rangeOf(summary.lines, nameNode ?? serviceNode ?? nodes.root),
          ...(renamed?.fixes ? { fixes: renamed.fixes } : {}),
        });
        return;
      }
      if (svc.def.type === 'ExternalName' || svc.def.ports.length === 0) return;
      const p = backend.port;
      if (p.number === undefined && p.name === undefined) return;
      const found = svc.def.ports.some((x) => (p.number !== undefined ? x.port === p.number : x.name === p.name));
      if (found) return;
      const portNode = nodes.child(serviceNode, 'port');
      const valueNode = nodes.child(portNode, p.number !== undefined ? 'number' : 'name');
      const ports = svc.def.ports.map((x) => `${x.port}${x.name ? ` (${x.name})` : ''}`).join(', ');
      this.out.add(summary.path, {
        code: 'route-backend-missing',
        severity: 'warning',
        message: `Ingress ${ref(d)}: Service ${ref(svc.def)} (${relative(summary.path, svc.source.file ?? summary.path)}) has no port ${p.number !== undefined ? p.number : `named ${p.name}`}: its ports are ${ports}. The controller finds no endpoints and answers 503; use one of its ports (by number or name).`,
        range: rangeOf(summary.lines, valueNode ?? portNode ?? serviceNode ?? nodes.root),
      });
    };
    check(d.defaultBackend, ['spec', 'defaultBackend']);
    d.rules.forEach((rule, ri) =>
      rule.paths.forEach((p, pi) => check(p.backend, ['spec', 'rules', ri, 'http', 'paths', pi, 'backend'])),
    );
  }

  private unserved(
    summary: FileSummary,
    ing: Sourced<IngressDef>,
    nodes: IngressNodes,
    controllers: Controller[],
  ): void {
    const d = ing.def;
    // An IngressClass of the workspace names another controller (a cloud load balancer's): it is that one's.
    const cls =
      d.className === undefined ? undefined : this.objects.ingressClasses.find((k) => k.def.name === d.className);
    if (cls && !controllers.some((c) => c.controllerClass === cls.def.controller)) return;
    const reasons = controllers.map((c) => {
      const why = this.ignoredReason(c, ing) ?? 'it is not served';
      return `${c.kind} (Service ${ref(c.service.def)}) ignores it: ${why}`;
    });
    const classes = [...new Set(controllers.map((c) => this.classNames(c)))].join(', ');
    const node =
      d.classFrom === 'field'
        ? nodes.at(['spec', 'ingressClassName'], true)
        : d.classFrom === 'annotation'
          ? nodes.annotation(LEGACY_CLASS_ANNOTATION)
          : undefined;
    // The class is one kustomize renamed: it does not follow the rename into ingressClassName.
    const renamed =
      d.className === undefined
        ? undefined
        : this.objects.ingressClasses.find((k) => k.source.writtenName === d.className && k.def.name !== d.className);
    // The fix only where it helps: the field (not the annotation), for a class a controller here serves.
    const fixable =
      renamed !== undefined &&
      d.classFrom === 'field' &&
      controllers.some((c) => c.controllerClass === renamed.def.controller);
    const hint = renamed
      ? renameHint(
          summary,
          'IngressClass',
          d.className!,
          renamed,
          'does not follow the rename into ingressClassName',
          ', or keep the IngressClass out of the kustomization that renames it',
          fixable ? node : undefined,
        )
      : undefined;
    this.out.add(summary.path, {
      code: 'route-class-unserved',
      severity: 'information',
      message: `No ingress controller of the workspace serves Ingress ${ref(d)}: ${reasons.join('; ')}.${hint?.why ?? ''} If a controller outside the workspace serves it, nothing is wrong; otherwise set ingressClassName to ${classes}.`,
      range: rangeOf(summary.lines, node ?? nodes.name ?? nodes.root),
      ...(hint?.fixes ? { fixes: hint.fixes } : {}),
    });
  }

  private unreachable(summary: FileSummary, ing: Sourced<IngressDef>, nodes: IngressNodes, c: Controller): void {
    ing.def.rules.forEach((rule, ri) => {
      if (rule.host === undefined || rule.host.includes('*')) return;
      const host = normaliseHost(rule.host);
      const paths = rule.paths.length > 0 ? rule.paths.map((p) => (p.path.startsWith('/') ? p.path : '/')) : ['/'];
      if (paths.some((p) => this.reaches(host, p))) return;
      this.out.add(summary.path, {
        code: 'route-unreachable-host',
        severity: 'information',
        message: `No tunnel rule of the workspace sends ${host} to a Service (its tunnels send other hostnames to ${c.kind}, Service ${ref(c.service.def)}): Ingress ${ref(ing.def)} serves it inside the cluster only, not through the tunnel. Fine if meant; otherwise add a rule for ${host} to the tunnel (and its DNS route).`,
        range: rangeOf(summary.lines, nodes.at(['spec', 'rules', ri, 'host'], true) ?? nodes.name ?? nodes.root),
      });
    });
  }

  /** Some tunnel sends the host (and path) to a cluster origin: cloudflared's matching, tunnel by tunnel. */
  private reaches(host: string, path: string): boolean {
    for (const doc of this.tunnels) {
      const rule = doc.tunnel.rules.find((r) => r.matches(host, path));
      if (rule && parseOrigin(rule.service)) return true;
    }
    return false;
  }
}

// ───────────────────────────────────────── samples for the trace

/** A hostname the rule's hostname matches: itself, a label for each `*`, or a probe for a catch-all. */
function sampleHost(hostname: string): string | undefined {
  if (hostname === '' || hostname === '*') return `${PROBE_LABEL}.invalid`;
  const host = hostname.replace(/\*/g, PROBE_LABEL).toLowerCase();
  return /^[a-z0-9.-]+$/.test(host) ? host : undefined;
}

/** A path the rule's path regex matches: its literal start (`^/api/v1` → `/api/v1`), else `/`. */
function samplePath(rule: TraceRule): string | undefined {
  const host = sampleHost(rule.hostname) ?? '';
  if (rule.path === '') return '/';
  const literal = /^\^?((?:[A-Za-z0-9/_~-]|\\[./-])*)/.exec(rule.path)?.[1]?.replace(/\\/g, '') ?? '';
  for (const p of [literal.startsWith('/') ? literal : `/${literal}`, '/']) if (rule.matches(host, p)) return p;
  return undefined;
}

// ───────────────────────────────────────── nodes

function structField(s: StructValue | null | undefined, name: string): StructValue | null {
  const v = s?.fields.get(name)?.value;
  return v && typeof v === 'object' && 'fields' in v ? (v as StructValue) : null;
}

function structWritten(s: StructValue | null | undefined, name: string): unknown {
  return s?.fields.get(name)?.entry.written ?? undefined;
}

/** The file's documents of a kind by the 0-based line of their `metadata.name` (else their start), as the objects' sources say. */
function docsOfKind(summary: FileSummary, kind: string): Map<number, Document.Parsed> {
  const out = new Map<number, Document.Parsed>();
  for (const doc of summary.docs) {
    const nodes = new IngressNodes(doc);
    const start = (nodes.name ?? nodes.root)?.range?.[0];
    if (start === undefined || nodes.kind() !== kind) continue;
    const line = summary.lines.position(start).line;
    if (!out.has(line)) out.set(line, doc);
  }
  return out;
}

const DECLARE = ', or declare the reference to kustomize (a nameReference in `configurations`)';

/**
 * Why a reference still names an object kustomize's namePrefix/nameSuffix renamed (`written` is the
 * name in the files, `renamed` the object with the name the cluster has), and the fix that writes
 * that name on `nameNode` (none without a scalar there).
 */
function renameHint(
  summary: FileSummary,
  kind: string,
  written: string,
  renamed: Sourced<{ name: string }>,
  follows: string,
  advice: string,
  nameNode: Node | undefined,
): { why: string; fixes?: Fix[] } {
  const final = renamed.def.name;
  const from = relative(summary.path, renamed.source.file ?? summary.path);
  const why = ` kustomize's namePrefix/nameSuffix renames ${kind} ${written} (${from}) to ${final} and ${follows}: write ${final}${advice}.`;
  const edit = isScalar(nameNode) ? replaceScalar(summary.lines, nameNode, final) : undefined;
  return edit ? { why, fixes: [{ title: `Use ${kind} '${final}'`, edits: [edit], isPreferred: true }] } : { why };
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

type Node = Scalar | YAMLMap | YAMLSeq;

/** Paths into an Ingress document, with the readers' filtering (a list's n-th mapping). */
class IngressNodes {
  readonly root: Node | null;
  readonly name: Node | undefined;

  constructor(private readonly doc: Document.Parsed) {
    this.root = deref(doc, doc.contents) as Node | null;
    this.name = this.at(['metadata', 'name'], true);
  }

  kind(): string | undefined {
    const k = this.child(this.root, 'kind');
    return k && isScalar(k) ? String(k.value) : undefined;
  }

  child(node: Node | null | undefined, key: string | number): Node | undefined {
    if (!node) return undefined;
    if (typeof key === 'number') {
      if (!isSeq(node)) return undefined;
      const maps = node.items.map((i) => deref(this.doc, i)).filter((i) => isMap(i));
      return (maps[key] as Node | undefined) ?? undefined;
    }
    if (!isMap(node)) return undefined;
    const e = mapEntries(this.doc, node).find((x) => x.name === key);
    return (deref(this.doc, e?.value) as Node | null) ?? undefined;
  }

  at(path: Array<string | number>, scalar = false): Node | undefined {
    let cur: Node | undefined = this.root ?? undefined;
    for (const k of path) cur = this.child(cur, k);
    return scalar && cur && !isScalar(cur) ? undefined : cur;
  }

  annotation(key: string): Node | undefined {
    return this.child(this.at(['metadata', 'annotations']), key);
  }
}

function ref(s: { namespace: string; name: string }): string {
  return `${s.namespace}/${s.name}`;
}
