/**
 * The Services tree's join through ingress controllers (issue #17): a tunnel rule whose origin is
 * an ingress controller's Service (ingress-nginx, Traefik, a Gateway's Service) does not end there;
 * the controller routes each hostname onward to a backend Service by an Ingress, HTTPRoute or
 * IngressRoute. This module follows every hostname such a rule brings to the controller with the
 * trace itself (`traceUrl`), so the tree and "Trace Hostname…" never disagree.
 *
 * - A rule with a concrete hostname is traced for that hostname.
 * - A wildcard rule (`*.example.com`) or a catch-all expands to the concrete hosts the routing
 *   objects name that it covers (cloudflared's matching): Ingress rule hosts, HTTPRoute hostnames,
 *   IngressRoute `Host(...)` values (`ruleHosts(parseRule(...))`). Wildcard hosts in the objects
 *   are no URL and are left out.
 * - The tunnels the trace starts from are the same rules, grouped by tunnel in their order (so an
 *   earlier rule of the tunnel takes its hosts first), matched as cloudflared matches them
 *   (`ruleMatches`, the path as a Go regexp, the hostname's punycode); a hostname is traced as
 *   arriving at the rule's own tunnel (its rules first), as its DNS record sends it there.
 *
 * Only Services recognised as a controller are traced, each (hostname, path) once: the tree of
 * 20,000 Services without controllers costs one map lookup per joined rule. Pure.
 */
import { ruleMatches } from '../config/match';
import type { IngressRule } from '../config/model';
import { idnaLookupToASCII } from '../go/idna';
import { compileGoRegexp } from '../go/regexp';
import { recognizeController } from '../routing/controller';
import { gatewayForService } from '../routing/gateway';
import type { RoutingObjects, RoutingService, Sourced } from '../routing/objects';
import { TraceInputError, traceUrl } from '../routing/trace';
import type { TraceHop, TraceResult, TraceRule, TraceTunnel } from '../routing/trace';
import { parseRule, ruleHosts } from '../routing/traefik';
import type {
  ControllerRouting,
  HostnameRuleInput,
  RoutedHostname,
  RoutingVia,
  TreeDeploymentInput,
} from './servicesTree';

/** Concrete hosts a wildcard rule or a catch-all expands to, at most (the tree says when there were more). */
export const MAX_EXPANDED_HOSTS = 1000;

export interface ControllerRoutingInput {
  objects: RoutingObjects;
  /** The same rules the tree joins (their indexes are the tree's). */
  rules: readonly HostnameRuleInput[];
  /** cloudflared Deployments: where each tunnel's cloudflared runs (bare Service names resolve there). */
  deployments?: readonly TreeDeploymentInput[];
  clusterDomain?: string;
}

/** A rule's path when it is a literal (`/api`, `^/api/`), else undefined: a regex is no URL path. */
export function literalRulePath(path: string | undefined): string | undefined {
  if (!path) return undefined;
  const bare = path.replace(/^\^/, '').replace(/\$$/, '');
  return /^\/[A-Za-z0-9_~%/-]*$/.test(bare) ? bare : undefined;
}

/** One rule as cloudflared matches it (hostname exact or `*.suffix`, punycode, the path as a Go regexp). */
export function cloudflaredMatcher(hostname: string | undefined, path: string | undefined): TraceRule['matches'] {
  const host = (hostname ?? '').toLowerCase();
  const rule: Pick<IngressRule, 'hostname' | 'path' | 'punycode' | 'pathMatcher'> = {
    hostname: host,
    path: path ?? '',
  };
  if (host !== '' && host !== '*' && !/^[a-z0-9.*-]*$/.test(host)) {
    const puny = idnaLookupToASCII(host);
    if (puny !== null && puny !== host) rule.punycode = puny;
  }
  if (rule.path !== '') {
    const re = compileGoRegexp(rule.path);
    // cloudflared refuses a config with an invalid path regex; such a rule matches nothing here.
    if (re.ok) rule.pathMatcher = re;
  }
  return (h, p) => ruleMatches(rule as IngressRule, h, p);
}

/** The key that groups rules into one tunnel's ingress list. */
function tunnelKey(r: HostnameRuleInput): string {
  if (r.source === 'remote') return `remote:${(r.tunnelId ?? r.tunnelName ?? '').toLowerCase()}`;
  return `workspace:${r.file ?? r.tunnelId ?? r.tunnelName ?? ''}`;
}

/**
 * The rules as the trace's tunnels (each tunnel's rules in their order), and where each input rule
 * went. `namespacesOf`: where the tunnel's cloudflared runs.
 */
export function hostnameTraceTunnels(
  rules: readonly HostnameRuleInput[],
  deployments: readonly TreeDeploymentInput[] = [],
): { tunnels: TraceTunnel[]; at: Array<{ tunnel: number; rule: number }>; tunnelIds: Array<string | undefined> } {
  const connectorNamespaces = new Map<string, string[]>();
  for (const d of deployments) {
    if (!d.tunnelId) continue;
    const id = d.tunnelId.toLowerCase();
    const list = connectorNamespaces.get(id) ?? [];
    if (!list.includes(d.namespace)) list.push(d.namespace);
    connectorNamespaces.set(id, list);
  }
  const tunnels: TraceTunnel[] = [];
  const byKey = new Map<string, number>();
  const at: Array<{ tunnel: number; rule: number }> = [];
  const tunnelIds: Array<string | undefined> = [];
  for (const r of rules) {
    const key = tunnelKey(r);
    let t = byKey.get(key);
    if (t === undefined) {
      t = tunnels.length;
      byKey.set(key, t);
      tunnelIds.push(r.tunnelId?.toLowerCase());
      const who = r.tunnelName ?? r.tunnelId;
      tunnels.push({
        name:
          r.source === 'remote'
            ? `tunnel ${who ?? '?'} (remote configuration)`
            : (r.file ?? `workspace config${who ? ` of tunnel ${who}` : ''}`),
        rules: [],
        namespaces: [
          ...(r.namespaces ?? (r.tunnelId ? (connectorNamespaces.get(r.tunnelId.toLowerCase()) ?? []) : [])),
        ],
      });
    }
    const tunnel = tunnels[t]!;
    const hostname = (r.hostname ?? '').toLowerCase();
    const path = r.path ?? '';
    const source = r.file !== undefined ? { file: r.file, ...(r.line !== undefined ? { line: r.line } : {}) } : {};
    at.push({ tunnel: t, rule: tunnel.rules.length });
    tunnel.rules.push({
      index: tunnel.rules.length,
      hostname: hostname === '*' ? '' : hostname,
      path,
      service: r.service,
      catchAll: (hostname === '' || hostname === '*') && path === '',
      matches: cloudflaredMatcher(hostname, path),
      origin: { ...r.origin },
      source,
    });
  }
  return { tunnels, at, tunnelIds };
}

/**
 * The tunnels with the one a hostname arrives at first (its DNS record's, or the rule's own):
 * cloudflared only sees the hostnames routed to its tunnel, and the trace takes the first tunnel
 * with a rule for the host.
 */
export function arrivingFirst(tunnels: readonly TraceTunnel[], first: number): TraceTunnel[] {
  if (first <= 0 || first >= tunnels.length) return [...tunnels];
  return [tunnels[first]!, ...tunnels.slice(0, first), ...tunnels.slice(first + 1)];
}

/** The concrete hosts the routing objects name (Ingress rules, HTTPRoute hostnames, IngressRoute `Host`). */
export function routingObjectHosts(objects: RoutingObjects): string[] {
  const hosts = new Set<string>();
  const add = (h: string | undefined): void => {
    const host = h?.trim().toLowerCase().replace(/\.$/, '');
    if (host && !host.includes('*')) hosts.add(host);
  };
  for (const i of objects.ingresses) for (const r of i.def.rules) add(r.host);
  for (const r of objects.httpRoutes) for (const h of r.def.hostnames) add(h);
  for (const ir of objects.ingressRoutes) {
    for (const route of ir.def.routes) {
      const parsed = parseRule(route.match, route.syntax === 'v2' ? 'v2' : 'v3');
      if (parsed.ok) for (const h of ruleHosts(parsed.ast)) add(h);
    }
  }
  return [...hosts].sort();
}

const VIA: Partial<Record<TraceHop['kind'], RoutingVia['kind']>> = {
  ingress: 'Ingress',
  httproute: 'HTTPRoute',
  ingressroute: 'IngressRoute',
};

/** What a trace says of one hostname that reached the controller. */
function routedOf(hostname: string, path: string, r: TraceResult): RoutedHostname {
  const out: RoutedHostname = { hostname, certain: r.certain };
  if (path !== '/') out.path = path;
  const hop = [...r.hops].reverse().find((h) => VIA[h.kind] !== undefined);
  if (hop && hop.name !== undefined) {
    const via: RoutingVia = { kind: VIA[hop.kind]!, name: hop.name };
    if (hop.namespace !== undefined) via.namespace = hop.namespace;
    if (hop.object !== undefined) via.object = { ...hop.object };
    if (hop.file !== undefined) via.file = hop.file;
    if (hop.line !== undefined) via.line = hop.line;
    out.via = via;
  }
  if (r.servedBy) out.servedBy = { ...r.servedBy };
  else out.stops = r.stops ?? 'unknown';
  if (r.status !== undefined) out.status = r.status;
  return out;
}

/** Positions of the objects that can match a host: those naming it, and those no host index can rule out. */
class HostIndex<T> {
  private readonly exact = new Map<string, number[]>();
  private readonly always: number[] = [];

  constructor(
    private readonly items: readonly T[],
    hostsOf: (item: T) => string[] | undefined,
  ) {
    items.forEach((item, i) => {
      const hosts = hostsOf(item);
      if (hosts === undefined) this.always.push(i);
      else {
        for (const h of new Set(hosts)) {
          const list = this.exact.get(h);
          if (list) list.push(i);
          else this.exact.set(h, [i]);
        }
      }
    });
  }

  /** The items for `host`, in their original order (ties between objects are broken by it). */
  for(host: string): T[] {
    const named = this.exact.get(host) ?? [];
    if (named.length === 0 && this.always.length === this.items.length) return this.items as T[];
    return [...named, ...this.always].sort((a, b) => a - b).map((i) => this.items[i]!);
  }
}

/** Lower-cased hosts, or undefined when one is missing or a wildcard (the object may match any host). */
function literalHosts(hosts: ReadonlyArray<string | undefined>): string[] | undefined {
  const out: string[] = [];
  for (const h of hosts) {
    if (h === undefined || h === '' || h.includes('*')) return undefined;
    out.push(h.toLowerCase().replace(/\.$/, ''));
  }
  return out.length > 0 ? out : undefined;
}

/**
 * The routing objects a trace of `host` can use: each kind cut down to the objects that name the host
 * or may match any (no host, a wildcard, a Traefik rule other than a conjunction with `Host`), so a
 * trace of one host among 5,000 Ingresses reads a handful. The trace over the cut is the trace over all.
 */
function objectsByHost(objects: RoutingObjects): (host: string) => RoutingObjects {
  const ingresses = new HostIndex(objects.ingresses, (i) =>
    i.def.defaultBackend !== undefined ? undefined : literalHosts(i.def.rules.map((r) => r.host)),
  );
  const httpRoutes = new HostIndex(objects.httpRoutes, (r) => literalHosts(r.def.hostnames));
  const ingressRoutes = new HostIndex(objects.ingressRoutes, (ir) => {
    const all: string[] = [];
    for (const route of ir.def.routes) {
      // Only `Host(...) && …` without `||` or `!` pins a route to its hosts.
      if (/\|\||!|HostRegexp|HostSNI/i.test(route.match)) return undefined;
      const parsed = parseRule(route.match, route.syntax === 'v2' ? 'v2' : 'v3');
      if (!parsed.ok) return undefined;
      const hosts = ruleHosts(parsed.ast);
      if (hosts.length === 0) return undefined;
      all.push(...hosts);
    }
    return literalHosts(all);
  });
  return (host) => ({
    ...objects,
    ingresses: ingresses.for(host),
    httpRoutes: httpRoutes.for(host),
    ingressRoutes: ingressRoutes.for(host),
  });
}

/** The join (module comment), for `buildServicesTree({ routing })`. */
export function controllerRouting(input: ControllerRoutingInput): ControllerRouting {
  const { objects } = input;
  const services = new Map<string, Sourced<RoutingService>>();
  for (const s of objects.services) services.set(`${s.def.namespace}/${s.def.name}`, s);
  const gateways = objects.gateways.map((g) => g.def);
  const controllers = new Map<string, string | undefined>();
  let tunnels: ReturnType<typeof hostnameTraceTunnels> | undefined;
  let hosts: string[] | undefined;
  let cut: ((host: string) => RoutingObjects) | undefined;
  const traces = new Map<string, TraceResult | undefined>();

  const controllerOf = (svc: { namespace: string; name: string }): string | undefined => {
    const key = `${svc.namespace}/${svc.name}`;
    if (controllers.has(key)) return controllers.get(key);
    const s = services.get(key);
    let label: string | undefined;
    if (s) {
      const gw = gatewayForService(s.def, gateways);
      label = gw ? `Gateway ${gw.namespace}/${gw.name}` : recognizeController(objects, s)?.kind;
    }
    controllers.set(key, label);
    return label;
  };

  /** The trace of a hostname arriving at tunnel `tunnel` (its rules first; the others after). */
  const trace = (host: string, path: string, tunnel: number): TraceResult | undefined => {
    const key = `${tunnel}|${host}${path}`;
    if (traces.has(key)) return traces.get(key);
    tunnels ??= hostnameTraceTunnels(input.rules, input.deployments);
    cut ??= objectsByHost(objects);
    let r: TraceResult | undefined;
    try {
      r = traceUrl({
        url: `https://${host}${path}`,
        tunnels: arrivingFirst(tunnels.tunnels, tunnel),
        objects: cut(host),
        ...(input.clusterDomain ? { clusterDomain: input.clusterDomain } : {}),
      });
    } catch (e) {
      if (!(e instanceof TraceInputError)) throw e;
    }
    traces.set(key, r);
    return r;
  };

  const route = (
    ruleIndex: number,
    svc: { namespace: string; name: string },
  ): { hostnames: RoutedHostname[]; more: number } => {
    const rule = input.rules[ruleIndex];
    if (!rule || controllerOf(svc) === undefined) return { hostnames: [], more: 0 };
    const hostname = (rule.hostname ?? '').toLowerCase();
    const path = literalRulePath(rule.path) ?? '/';
    let candidates: string[];
    let more = 0;
    if (hostname !== '' && hostname !== '*' && !hostname.includes('*')) candidates = [hostname];
    else {
      hosts ??= routingObjectHosts(objects);
      const matches = cloudflaredMatcher(hostname, undefined);
      const covered = hosts.filter((h) => matches(h, path));
      more = Math.max(0, covered.length - MAX_EXPANDED_HOSTS);
      candidates = covered.slice(0, MAX_EXPANDED_HOSTS);
    }
    tunnels ??= hostnameTraceTunnels(input.rules, input.deployments);
    const tunnel = tunnels.at[ruleIndex]?.tunnel ?? 0;
    const out: RoutedHostname[] = [];
    for (const host of candidates) {
      const r = trace(host, path, tunnel);
      if (!r) continue;
      // The host reaches this controller only when the trace's first Service is this one
      // (an earlier rule of the tunnel, or another tunnel's, may take it elsewhere).
      const first = r.hops.find((h) => h.kind === 'service');
      if (!first || first.namespace !== svc.namespace || first.name !== svc.name) continue;
      out.push(routedOf(host, path, r));
    }
    return { hostnames: out, more };
  };

  return { controllerOf, route };
}
