/**
 * Rules and DNS names that reach an ingress controller, against the cluster's routing objects
 * (issue #17; ../shared/docs/field-notes-2.md §3): the hostnames a tunnel routes — each concrete
 * rule hostname (workspace or remote), and each proxied CNAME of the tunnel whose name a wildcard
 * rule or the catch-all takes — are followed with the trace (src/core/routing/trace.ts) over the
 * tunnel's rules and the listed objects, so a finding says what "Trace Hostname" says:
 *
 * - `drift-route-not-found`: the rule sends the host to a recognised controller (or a Gateway's
 *   Service) that has no Ingress or route for it: the controller answers 404;
 * - `drift-route-backend-missing`: the route exists but its backend Service or port does not: 503.
 *
 * Only certain traces count: a kind that could not be read, a namespace not listed, a class the
 * cluster does not define, a bare Service name with several namespaces… make the trace uncertain,
 * and then nothing is said.
 */
import { tunnelIdOfRecord } from '../cloudflare/tunnelCname';
import { MAX_REGEX_COST, regexCost } from '../budgets';
import { compileGoRegexp } from '../go/regexp';
import { recognizeController } from '../routing/controller';
import type { RoutingObjects, SourceRef } from '../routing/objects';
import { TraceInputError, traceUrl } from '../routing/trace';
import type { TraceHop, TraceResult, TraceRule, TraceTunnel } from '../routing/trace';
import { norm, openRemote, where, workspaceRuleRef } from './context';
import type { DriftContext, RuleRef } from './context';
import type { DriftAction, DriftDnsRecord, DriftRuleInput, DriftTunnel } from './types';

/** The hops of the routing object the controller picked. */
const ROUTE_HOPS = new Set<TraceHop['kind']>(['ingress', 'httproute', 'ingressroute']);

const KIND_NAMES: Partial<Record<TraceHop['kind'], string>> = {
  ingress: 'Ingress',
  httproute: 'HTTPRoute',
  ingressroute: 'IngressRoute',
};

/** One set of rules cloudflared runs: a remote configuration, or one workspace config. */
interface RuleSet {
  tunnel?: DriftTunnel;
  rules: RuleRef[];
  inputs: DriftRuleInput[];
  /** The tunnel's CNAMEs (proxied ones only: the unproxied are reported as such). */
  records: DriftDnsRecord[];
  namespaces: string[];
}

/** A hostname the tunnel routes, where to trace it and what it came from. */
interface Probe {
  host: string;
  path: string;
  record?: DriftDnsRecord;
}

/** What a trace says of a probe that reaches a controller. */
type RouteVerdict =
  /** The trace does not go into a recognised controller (or Gateway). */
  | { kind: 'none' }
  /** It does, and is served there, stops elsewhere, or is uncertain. */
  | { kind: 'controller' }
  | { kind: 'not-found'; result: TraceResult; controller: { long: string; short: string }; rule: RuleRef }
  | {
      kind: 'backend-missing';
      result: TraceResult;
      controller: { long: string; short: string };
      rule: RuleRef;
      route: TraceHop;
    };

const regexCache = new Map<string, { test(path: string): boolean } | null>();

/** cloudflared's path regex, or null when it does not compile (or is too large to check). */
function pathMatcher(path: string): { test(path: string): boolean } | null {
  let re = regexCache.get(path);
  if (re === undefined) {
    if (regexCache.size > 1000) regexCache.clear();
    const compiled = regexCost(path) <= MAX_REGEX_COST ? compileGoRegexp(path) : undefined;
    re = compiled?.ok ? compiled : null;
    regexCache.set(path, re);
  }
  return re;
}

/** cloudflared's matchHost: exact, or `*.suffix` against the end of the request host. */
function hostMatches(ruleHost: string, host: string): boolean {
  if (ruleHost === '' || ruleHost === '*' || ruleHost === host) return true;
  return ruleHost.startsWith('*.') && host.endsWith(ruleHost.slice(1));
}

/** The rules as the trace takes them; undefined when a path regex does not compile (cloudflared refuses the config). */
function traceTunnel(set: RuleSet, name: string): TraceTunnel | undefined {
  const rules: TraceRule[] = [];
  for (const [i, r] of set.rules.entries()) {
    const re = r.path ? pathMatcher(r.path) : undefined;
    if (re === null) return undefined;
    const source: SourceRef = {};
    if (r.ruleLocation) {
      source.file = r.ruleLocation.path;
      source.line = r.ruleLocation.range.start.line;
    }
    rules.push({
      index: i,
      hostname: r.hostname,
      path: r.path ?? '',
      service: r.service,
      catchAll: r.catchAll,
      matches: (host, path) => hostMatches(r.hostname, host) && (re === undefined || re.test(path)),
      origin: { ...(set.inputs[i]?.origin ?? {}) },
      source,
    });
  }
  return { name, rules, namespaces: set.namespaces };
}

/** A path the rule's path regex matches: its literal start (`^/api/v1` → `/api/v1`), else `/`. */
function samplePath(rule: TraceRule, host: string): string | undefined {
  if (rule.path === '') return '/';
  const literal = /^\^?((?:[A-Za-z0-9/_~-]|\\[./-])*)/.exec(rule.path)?.[1]?.replace(/\\/g, '') ?? '';
  for (const p of [literal.startsWith('/') ? literal : `/${literal}`, '/']) if (rule.matches(host, p)) return p;
  return undefined;
}

function isConcrete(host: string): boolean {
  return host !== '' && !host.includes('*') && /^[a-z0-9.-]+$/.test(host);
}

/** The rule sets of the drift input: remote configurations, and each workspace config cloudflared runs. */
function ruleSets(ctx: DriftContext): RuleSet[] {
  const { input, tunnels, live, served, configTunnel, podNamespace } = ctx;
  const records = (t: DriftTunnel | undefined): DriftDnsRecord[] =>
    t
      ? input.dnsRecords.filter(
          (r) => r.proxied && tunnelIdOfRecord(r) === t.id.toLowerCase() && isConcrete(norm(r.name)),
        )
      : [];
  const namespaces = (t: DriftTunnel | undefined, ref: string | undefined): string[] => {
    const ns = podNamespace(t, ref);
    return ns ? [ns] : [];
  };
  const sets: RuleSet[] = [];
  for (const t of tunnels) {
    if (!live(t) || t.configSrc !== 'cloudflare' || !t.remoteRules) continue;
    sets.push({
      tunnel: t,
      rules: served.get(t.id.toLowerCase()) ?? [],
      inputs: t.remoteRules,
      records: records(t),
      namespaces: namespaces(t, undefined),
    });
  }
  for (const cfg of input.workspaceConfigs) {
    const t = configTunnel.get(cfg);
    if (live(t) && t.configSrc === 'cloudflare') continue; // ignored by cloudflared
    const tunnel = live(t) ? t : undefined;
    sets.push({
      ...(tunnel ? { tunnel } : {}),
      rules: cfg.rules.map((r, i) => workspaceRuleRef(cfg, r, i, tunnel)),
      inputs: cfg.rules,
      records: records(tunnel),
      namespaces: namespaces(tunnel, cfg.tunnel),
    });
  }
  return sets;
}

/** The controller (or Gateway) the trace went into, as the message names it (with its Service, and alone). */
function controllerLabel(objects: RoutingObjects, result: TraceResult): { long: string; short: string } | undefined {
  const origin = result.hops[1];
  if (origin?.kind !== 'service') return undefined;
  const gateway = result.hops.find((h) => h.kind === 'gateway');
  const service = objects.services.find((s) => s.def.namespace === origin.namespace && s.def.name === origin.name);
  if (!service) return undefined;
  const svc = `Service ${service.def.namespace}/${service.def.name}`;
  const short = gateway ? `Gateway ${gateway.namespace}/${gateway.name}` : recognizeController(objects, service)?.kind;
  return short === undefined ? undefined : { long: `${short} (${svc})`, short };
}

/** Follows `host` + `path` through the rule set; what it means for drift. */
function verdict(ctx: DriftContext, set: RuleSet, tunnel: TraceTunnel, probe: Probe): RouteVerdict {
  const objects = ctx.input.routing!;
  const index = tunnel.rules.findIndex((r) => r.matches(probe.host, probe.path));
  const rule = set.rules[index];
  if (!rule) return { kind: 'none' };
  let result: TraceResult;
  try {
    result = traceUrl({
      url: `https://${probe.host}${probe.path}`,
      tunnels: [tunnel],
      objects,
      clusterDomain: ctx.clusterDomain,
    });
  } catch (e) {
    if (e instanceof TraceInputError) return { kind: 'none' };
    throw e;
  }
  const controller = controllerLabel(objects, result);
  if (controller === undefined) return { kind: 'none' };
  if (result.servedBy || !result.certain) return { kind: 'controller' };
  if (result.status === 404) return { kind: 'not-found', result, controller, rule };
  if (result.status === 503) {
    const last = result.hops.length - 1;
    let routeAt = last;
    while (routeAt >= 0 && !ROUTE_HOPS.has(result.hops[routeAt]!.kind)) routeAt--;
    const route = result.hops[routeAt];
    // The backend Service is missing (the route is the last hop), or its port (a backend Service hop after it).
    if (route && (routeAt === last || (routeAt === last - 1 && result.hops[last]!.kind === 'service')))
      return { kind: 'backend-missing', result, controller, rule, route };
  }
  return { kind: 'controller' };
}

/** The hostnames a rule set routes to a place a trace can judge. */
function probes(set: RuleSet, tunnel: TraceTunnel): Probe[] {
  const out: Probe[] = [];
  const seen = new Set<string>();
  const push = (p: Probe): void => {
    const key = `${p.host}${p.path}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(p);
  };
  for (const rule of tunnel.rules) {
    if (rule.catchAll || !isConcrete(rule.hostname)) continue;
    const path = samplePath(rule, rule.hostname);
    if (path !== undefined) push({ host: rule.hostname, path });
  }
  for (const record of set.records) {
    const host = norm(record.name);
    const first = tunnel.rules.find((r) => r.matches(host, '/'));
    // A concrete rule hostname is probed above; a name no rule takes is `drift-cname-without-rule`.
    if (!first || (!first.catchAll && isConcrete(first.hostname))) continue;
    push({ host, path: '/', record });
  }
  return out;
}

function openRule(rule: RuleRef): DriftAction | undefined {
  if (rule.target.source === 'remote') return rule.tunnel ? openRemote(rule.tunnel) : undefined;
  return {
    kind: 'open-config',
    title: `Open ${where(rule)}`,
    data: { path: rule.target.path, range: rule.target.range },
  };
}

/** The rule, for a message: `wildcard *.example.com rule #2 …`; `short` when the tunnel is already named. */
function ruleText(rule: RuleRef, set: RuleSet, ctx: DriftContext, short: boolean): string {
  const what = rule.catchAll ? 'catch-all ' : rule.hostname.startsWith('*') ? `wildcard ${rule.hostname} ` : '';
  if (short)
    return `${what}rule #${rule.target.ruleIndex + 1}${rule.target.source === 'remote' ? ' (remote configuration)' : ''}`;
  const at = where(rule).replace(/^rule/, `${what}rule`);
  return rule.target.source === 'workspace' && set.tunnel ? `${at} of tunnel ${ctx.tunnelLabel(set.tunnel)}` : at;
}

export function routeFindings(ctx: DriftContext): void {
  const { input, add } = ctx;
  if (!input.clusterConnected || !input.routing) return;
  for (const [n, set] of cachedRuleSets(ctx).entries()) {
    const tunnel = traceTunnel(set, set.tunnel?.name ?? `rules #${n + 1}`);
    if (!tunnel) continue;
    for (const probe of probes(set, tunnel)) {
      const v = verdict(ctx, set, tunnel, probe);
      if (v.kind !== 'not-found' && v.kind !== 'backend-missing') continue;
      const rule = v.rule;
      const rec = probe.record;
      const subject = rec
        ? `The CNAME ${probe.host} routes to tunnel ${ctx.tunnelLabel(set.tunnel!)}, whose ${ruleText(rule, set, ctx, true)} sends it to ${v.controller.long}`
        : `${probe.host}${probe.path === '/' ? '' : probe.path} goes to ${v.controller.long} through ${ruleText(rule, set, ctx, false)}`;
      const location = rule.hostLocation ?? rule.ruleLocation;
      const base = {
        severity: 'warning' as const,
        hostname: probe.host,
        ...(set.tunnel ? { tunnelId: set.tunnel.id } : {}),
        ...(rec ? { recordId: rec.id } : {}),
        ...(location ? { location } : {}),
      };
      const open = openRule(rule);
      const del: DriftAction[] = rec
        ? [
            {
              kind: 'delete-dns-record',
              title: `Delete the DNS record ${probe.host}`,
              data: { zoneId: rec.zoneId, recordId: rec.id, hostname: probe.host },
            },
          ]
        : [];
      if (v.kind === 'not-found') {
        add({
          ...base,
          code: 'drift-route-not-found',
          message: `${subject}, but no Ingress or route of ${v.controller.short} serves ${probe.host}: the controller answers 404 (${v.result.stops}). Add a route for ${probe.host} in the cluster, or send ${probe.host} elsewhere.`,
          actions: [...(open ? [{ ...open, preferred: true }] : []), ...del],
        });
        continue;
      }
      const object = v.route.object;
      const kind = KIND_NAMES[v.route.kind] ?? v.route.kind;
      const name = `${kind} ${v.route.namespace ?? ''}${v.route.namespace ? '/' : ''}${v.route.name ?? ''}`;
      add({
        ...base,
        code: 'drift-route-backend-missing',
        message: `${subject}, and ${name} routes it to a backend the cluster does not have: ${v.result.stops}. Fix the backend of ${name}, or create the Service.`,
        actions: [
          ...(object
            ? [{ kind: 'reveal-object' as const, title: `Show ${name}`, preferred: true, data: { object } }]
            : []),
          ...(open ? [open] : []),
        ],
      });
    }
  }
}

/**
 * Whether the rule of `t` that takes `host` (a wildcard or the catch-all) sends it into an ingress
 * controller: then a CNAME no named rule serves is judged by the trace (served, `drift-route-*`, or
 * nothing when uncertain), not reported as `drift-cname-without-rule` (the seed's setup: a catch-all
 * rule to the controller, apex and wildcard DNS). False while the routing objects are not known.
 */
export function reachesController(ctx: DriftContext, t: DriftTunnel, host: string): boolean {
  if (!ctx.input.clusterConnected || !ctx.input.routing) return false;
  const set = cachedRuleSets(ctx).find((s) => s.tunnel === t);
  const tunnel = set && traceTunnel(set, t.name);
  if (!set || !tunnel) return false;
  return verdict(ctx, set, tunnel, { host: norm(host), path: '/' }).kind !== 'none';
}

const setsOf = new WeakMap<DriftContext, RuleSet[]>();

function cachedRuleSets(ctx: DriftContext): RuleSet[] {
  let sets = setsOf.get(ctx);
  if (!sets) {
    sets = ruleSets(ctx);
    setsOf.set(ctx, sets);
  }
  return sets;
}
