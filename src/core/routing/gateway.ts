/**
 * Following a hostname through an ingress controller: a pure model of Gateway API routing
 * (`gateway.networking.k8s.io/v1`, also `v1beta1` objects) for Gateway, HTTPRoute and ReferenceGrant
 * (issue #17; ../shared/docs/field-notes-2.md §3.4, checked against kubernetes-sigs/gateway-api
 * apis/v1/{gateway,httproute,shared,object_reference,referencegrant}_types.go and its conformance tests).
 *
 * - Hostnames (`gatewayHostMatches`): exact and case-insensitive (port and trailing dot of the Host
 *   ignored); `*.example.com` is a suffix match of ANY depth (`a.example.com`, `a.b.example.com`, not
 *   `example.com`), unlike Ingress. `hostnameIntersection`: when listener and route both set hostnames,
 *   only the route hostnames that intersect the listener's count, each narrowed to the more specific of
 *   the pair (`*.example.com` under listener `a.example.com` is `a.example.com`); route hostnames that do
 *   not intersect are ignored; no intersection at all means the route is not accepted.
 * - Attachment (`attachedRoutes`): a parentRef names the Gateway (group `gateway.networking.k8s.io`
 *   and kind `Gateway` by default, namespace by default the route's); `sectionName` must be the
 *   listener's name and `port` its port when set; the listener's `allowedRoutes.kinds` (default: by
 *   protocol, HTTP/HTTPS take HTTPRoute) and `allowedRoutes.namespaces.from` (`Same` by default, `All`,
 *   `Selector` — "unknown" without the namespace's labels — or `None`); a non-empty hostname
 *   intersection. A `status.parents` entry for that parentRef with `Accepted: False` wins over the
 *   recomputation (the controller knows more, e.g. unsupported values), and `Accepted: True` for a
 *   parentRef whose `sectionName` names the listener settles an "unknown" selector.
 * - Listener (`routeGateway`): HTTP/HTTPS listeners on the port whose hostname fits the Host; the most
 *   specific one wins (exact, then the wildcard with the longest suffix, then no hostname), and only
 *   its routes are used (Listener Isolation). No listener on the port, or none fitting: 404.
 * - Precedence, across every match of every rule of every attached route whose hostnames fit: the
 *   route with the most characters in a matching non-wildcard hostname, then in any matching hostname
 *   (route hostnames as written; a route without hostnames counts 0); then an `Exact` path; then the
 *   `PathPrefix` with the most characters; then a method match; then the most header matches; then the
 *   most query-param matches; then the oldest route (`creationTimestamp`); then `{namespace}/{name}`
 *   alphabetically; then the first rule, first match in list order. A match without `path` is
 *   `PathPrefix /`; `PathPrefix` matches element-wise with a trailing `/` ignored; `Exact` is equality.
 * - `certain` is false when the answer depends on what host + path cannot tell: a candidate ranking
 *   higher that also needs a method, header or query-param match, a `RegularExpression` path (its
 *   dialect and precedence are the implementation's), a route whose attachment is unknown, or a tie
 *   that creation timestamps would break but one is missing. Such a candidate is never the answer
 *   when one host + path decide; when only such candidates match, the best one is given, uncertain.
 * - Backends: `group ""`/`kind Service` by default; another kind is refused (the spec makes only
 *   Service core); a Service without `port` is refused; a backend in another namespace needs a
 *   ReferenceGrant in that namespace from `HTTPRoute` in the route's namespace to `Service` (all names,
 *   or that name). Weight defaults to 1; 0 sends no traffic. No backendRefs (and no RequestRedirect
 *   filter), every backendRef refused, or no weight left: 500. A refused share of the traffic gets 500.
 * - `gatewayForService`: the Gateway a generated Service belongs to, by label (GEP-1762
 *   `gateway.networking.k8s.io/gateway-name` in the Service's namespace; Envoy Gateway's
 *   `gateway.envoyproxy.io/owning-gateway-name` + `…/owning-gateway-namespace`; Cilium's older
 *   `io.cilium.gateway/owning-gateway` in the Service's namespace).
 */

import { normaliseHost } from './ingress';

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';
const API_VERSIONS = new Set([`${GATEWAY_GROUP}/v1`, `${GATEWAY_GROUP}/v1beta1`]);

export type FromNamespaces = 'Same' | 'All' | 'Selector' | 'None';

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values: string[];
}

export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: LabelSelectorRequirement[];
}

export interface RouteGroupKind {
  group: string;
  kind: string;
}

export interface ListenerDef {
  name: string;
  /** Undefined: every hostname. */
  hostname?: string;
  port: number;
  protocol: string;
  allowedRoutes: {
    from: FromNamespaces;
    selector?: LabelSelector;
    /** `allowedRoutes.kinds`; undefined: the kinds the protocol supports. */
    kinds?: RouteGroupKind[];
  };
}

export interface GatewayAddress {
  type: string;
  value: string;
}

export interface GatewayDef {
  name: string;
  namespace: string;
  /** `spec.gatewayClassName`; '' when missing. */
  className: string;
  listeners: ListenerDef[];
  /** `spec.addresses` (requested). */
  addresses?: GatewayAddress[];
  /** `status.addresses` (assigned). */
  statusAddresses?: GatewayAddress[];
}

export interface ParentRefDef {
  group: string;
  kind: string;
  name: string;
  /** Undefined: the route's namespace. */
  namespace?: string;
  sectionName?: string;
  port?: number;
}

export interface ValueMatch {
  /** `Exact` (default) or `RegularExpression`. */
  type: string;
  name: string;
  value: string;
}

export interface HTTPRouteMatchDef {
  /** Undefined: `PathPrefix /` (the API's default; the reader fills it). */
  path?: { type: string; value: string };
  headers?: ValueMatch[];
  queryParams?: ValueMatch[];
  method?: string;
}

export interface BackendRefDef {
  group: string;
  kind: string;
  name: string;
  /** Undefined: the route's namespace. */
  namespace?: string;
  port?: number;
  weight: number;
}

export interface HTTPRouteRuleDef {
  matches: HTTPRouteMatchDef[];
  backendRefs: BackendRefDef[];
  /** The rule's `filters[].type`, e.g. `RequestRedirect`. */
  filters?: string[];
}

export interface RouteCondition {
  status: string;
  reason?: string;
  message?: string;
}

export interface RouteParentStatusDef {
  parentRef: ParentRefDef;
  controllerName?: string;
  accepted?: RouteCondition;
  resolvedRefs?: RouteCondition;
}

export interface HTTPRouteDef {
  name: string;
  namespace: string;
  parentRefs: ParentRefDef[];
  hostnames: string[];
  rules: HTTPRouteRuleDef[];
  creationTimestamp?: string;
  statusParents?: RouteParentStatusDef[];
}

export interface ReferenceGrantFromDef {
  group: string;
  kind: string;
  namespace: string;
}

export interface ReferenceGrantToDef {
  group: string;
  kind: string;
  /** Undefined: every object of that kind in the grant's namespace. */
  name?: string;
}

export interface ReferenceGrantDef {
  name: string;
  namespace: string;
  from: ReferenceGrantFromDef[];
  to: ReferenceGrantToDef[];
}

// ---------------------------------------------------------------------------------------------
// Readers (never throw)

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function int(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

function rec(v: unknown): Record<string, unknown> {
  return isRecord(v) ? v : {};
}

/** metadata of a `gateway.networking.k8s.io/{v1,v1beta1}` object of that kind, else undefined. */
function gatewayObject(obj: unknown, kind: string): { meta: Record<string, unknown>; name: string } | undefined {
  if (!isRecord(obj) || obj.kind !== kind || typeof obj.apiVersion !== 'string') return undefined;
  if (!API_VERSIONS.has(obj.apiVersion)) return undefined;
  const meta = rec(obj.metadata);
  const name = str(meta.name);
  return name === undefined ? undefined : { meta, name };
}

function readSelector(v: unknown): LabelSelector | undefined {
  if (!isRecord(v)) return undefined;
  const matchLabels: Record<string, string> = {};
  for (const [k, val] of Object.entries(rec(v.matchLabels))) {
    if (typeof val === 'string') matchLabels[k] = val;
  }
  const matchExpressions: LabelSelectorRequirement[] = [];
  for (const e of arr(v.matchExpressions)) {
    if (!isRecord(e)) continue;
    const key = str(e.key);
    const operator = str(e.operator);
    if (key === undefined || operator === undefined) continue;
    matchExpressions.push({ key, operator, values: arr(e.values).filter((x): x is string => typeof x === 'string') });
  }
  return { matchLabels, matchExpressions };
}

function readFrom(v: unknown): FromNamespaces {
  return v === 'All' || v === 'Selector' || v === 'None' ? v : 'Same';
}

function readAddresses(v: unknown): GatewayAddress[] | undefined {
  const out: GatewayAddress[] = [];
  for (const a of arr(v)) {
    if (!isRecord(a)) continue;
    const value = str(a.value);
    if (value !== undefined) out.push({ type: str(a.type) ?? 'IPAddress', value });
  }
  return out.length > 0 ? out : undefined;
}

/** A Gateway from a parsed object; undefined when it is not a v1/v1beta1 Gateway with a name. */
export function readGateway(obj: unknown): GatewayDef | undefined {
  const o = gatewayObject(obj, 'Gateway');
  if (o === undefined) return undefined;
  const spec = rec((obj as Record<string, unknown>).spec);
  const status = rec((obj as Record<string, unknown>).status);
  const listeners: ListenerDef[] = [];
  for (const l of arr(spec.listeners)) {
    if (!isRecord(l)) continue;
    const name = str(l.name);
    const port = int(l.port);
    const protocol = str(l.protocol);
    if (name === undefined || port === undefined || protocol === undefined) continue;
    const allowed = rec(l.allowedRoutes);
    const ns = rec(allowed.namespaces);
    const allowedRoutes: ListenerDef['allowedRoutes'] = { from: readFrom(ns.from) };
    const selector = readSelector(ns.selector);
    if (selector !== undefined) allowedRoutes.selector = selector;
    if (Array.isArray(allowed.kinds) && allowed.kinds.length > 0) {
      allowedRoutes.kinds = [];
      for (const k of allowed.kinds) {
        const kind = isRecord(k) ? str(k.kind) : undefined;
        if (kind !== undefined) allowedRoutes.kinds.push({ group: str(rec(k).group) ?? GATEWAY_GROUP, kind });
      }
    }
    const listener: ListenerDef = { name, port, protocol, allowedRoutes };
    const hostname = str(l.hostname);
    if (hostname !== undefined) listener.hostname = hostname.toLowerCase();
    listeners.push(listener);
  }
  const def: GatewayDef = {
    name: o.name,
    namespace: str(o.meta.namespace) ?? 'default',
    className: str(spec.gatewayClassName) ?? '',
    listeners,
  };
  const addresses = readAddresses(spec.addresses);
  if (addresses !== undefined) def.addresses = addresses;
  const statusAddresses = readAddresses(status.addresses);
  if (statusAddresses !== undefined) def.statusAddresses = statusAddresses;
  return def;
}

function readParentRef(v: unknown): ParentRefDef | undefined {
  if (!isRecord(v)) return undefined;
  const name = str(v.name);
  if (name === undefined) return undefined;
  // `group: ""` is meaningful (the core group, e.g. a Service parent); only an absent group defaults.
  const group = typeof v.group === 'string' ? v.group : GATEWAY_GROUP;
  const ref: ParentRefDef = { group, kind: str(v.kind) ?? 'Gateway', name };
  const namespace = str(v.namespace);
  if (namespace !== undefined) ref.namespace = namespace;
  const sectionName = str(v.sectionName);
  if (sectionName !== undefined) ref.sectionName = sectionName;
  const port = int(v.port);
  if (port !== undefined) ref.port = port;
  return ref;
}

function readValueMatches(v: unknown): ValueMatch[] | undefined {
  const out: ValueMatch[] = [];
  for (const m of arr(v)) {
    if (!isRecord(m)) continue;
    const name = str(m.name);
    if (name === undefined) continue;
    out.push({ type: str(m.type) ?? 'Exact', name, value: typeof m.value === 'string' ? m.value : '' });
  }
  return out.length > 0 ? out : undefined;
}

function readMatch(v: Record<string, unknown>): HTTPRouteMatchDef {
  const p = rec(v.path);
  const match: HTTPRouteMatchDef = {
    path: { type: str(p.type) ?? 'PathPrefix', value: typeof p.value === 'string' ? p.value : '/' },
  };
  const headers = readValueMatches(v.headers);
  if (headers !== undefined) match.headers = headers;
  const queryParams = readValueMatches(v.queryParams);
  if (queryParams !== undefined) match.queryParams = queryParams;
  const method = str(v.method);
  if (method !== undefined) match.method = method;
  return match;
}

function readBackendRef(v: unknown): BackendRefDef | undefined {
  if (!isRecord(v)) return undefined;
  const name = str(v.name);
  if (name === undefined) return undefined;
  const weight = int(v.weight);
  const ref: BackendRefDef = {
    group: typeof v.group === 'string' ? v.group : '',
    kind: str(v.kind) ?? 'Service',
    name,
    weight: weight !== undefined && weight >= 0 ? weight : 1,
  };
  const namespace = str(v.namespace);
  if (namespace !== undefined) ref.namespace = namespace;
  const port = int(v.port);
  if (port !== undefined) ref.port = port;
  return ref;
}

function readCondition(conditions: unknown[], type: string): RouteCondition | undefined {
  for (const c of conditions) {
    if (!isRecord(c) || c.type !== type) continue;
    const cond: RouteCondition = { status: str(c.status) ?? 'Unknown' };
    const reason = str(c.reason);
    if (reason !== undefined) cond.reason = reason;
    const message = str(c.message);
    if (message !== undefined) cond.message = message;
    return cond;
  }
  return undefined;
}

/** An HTTPRoute from a parsed object, with the API's defaults applied; undefined when not one. */
export function readHTTPRoute(obj: unknown): HTTPRouteDef | undefined {
  const o = gatewayObject(obj, 'HTTPRoute');
  if (o === undefined) return undefined;
  const spec = rec((obj as Record<string, unknown>).spec);
  const status = rec((obj as Record<string, unknown>).status);
  const parentRefs = arr(spec.parentRefs)
    .map(readParentRef)
    .filter((r): r is ParentRefDef => r !== undefined);
  const hostnames = arr(spec.hostnames)
    .map(str)
    .filter((h): h is string => h !== undefined)
    .map((h) => h.toLowerCase());
  const rawRules = Array.isArray(spec.rules) ? spec.rules : [{}]; // default: one rule, PathPrefix /
  const rules: HTTPRouteRuleDef[] = [];
  for (const r of rawRules) {
    if (!isRecord(r)) continue;
    const rawMatches = arr(r.matches).filter(isRecord);
    const matches = rawMatches.length > 0 ? rawMatches.map(readMatch) : [readMatch({})];
    const backendRefs = arr(r.backendRefs)
      .map(readBackendRef)
      .filter((b): b is BackendRefDef => b !== undefined);
    const rule: HTTPRouteRuleDef = { matches, backendRefs };
    const filters = arr(r.filters)
      .map((f) => (isRecord(f) ? str(f.type) : undefined))
      .filter((t): t is string => t !== undefined);
    if (filters.length > 0) rule.filters = filters;
    rules.push(rule);
  }
  const def: HTTPRouteDef = {
    name: o.name,
    namespace: str(o.meta.namespace) ?? 'default',
    parentRefs,
    hostnames,
    rules,
  };
  const created = str(o.meta.creationTimestamp);
  if (created !== undefined) def.creationTimestamp = created;
  const parents: RouteParentStatusDef[] = [];
  for (const p of arr(status.parents)) {
    if (!isRecord(p)) continue;
    const parentRef = readParentRef(p.parentRef);
    if (parentRef === undefined) continue;
    const entry: RouteParentStatusDef = { parentRef };
    const controllerName = str(p.controllerName);
    if (controllerName !== undefined) entry.controllerName = controllerName;
    const conditions = arr(p.conditions);
    const accepted = readCondition(conditions, 'Accepted');
    if (accepted !== undefined) entry.accepted = accepted;
    const resolvedRefs = readCondition(conditions, 'ResolvedRefs');
    if (resolvedRefs !== undefined) entry.resolvedRefs = resolvedRefs;
    parents.push(entry);
  }
  if (parents.length > 0) def.statusParents = parents;
  return def;
}

/** A ReferenceGrant from a parsed object; undefined when not a v1/v1beta1 ReferenceGrant. */
export function readReferenceGrant(obj: unknown): ReferenceGrantDef | undefined {
  const o = gatewayObject(obj, 'ReferenceGrant');
  if (o === undefined) return undefined;
  const spec = rec((obj as Record<string, unknown>).spec);
  const from: ReferenceGrantFromDef[] = [];
  for (const f of arr(spec.from)) {
    if (!isRecord(f)) continue;
    const kind = str(f.kind);
    const namespace = str(f.namespace);
    if (kind !== undefined && namespace !== undefined) from.push({ group: str(f.group) ?? '', kind, namespace });
  }
  const to: ReferenceGrantToDef[] = [];
  for (const t of arr(spec.to)) {
    if (!isRecord(t)) continue;
    const kind = str(t.kind);
    if (kind === undefined) continue;
    const entry: ReferenceGrantToDef = { group: str(t.group) ?? '', kind };
    const name = str(t.name);
    if (name !== undefined) entry.name = name;
    to.push(entry);
  }
  return { name: o.name, namespace: str(o.meta.namespace) ?? 'default', from, to };
}

// ---------------------------------------------------------------------------------------------
// Hostnames

/**
 * Whether a Gateway API hostname (listener or route) matches a host: exact and case-insensitive, or
 * `*.example.com` as a suffix match of any depth (not the apex). `host` may itself be a wildcard
 * (`*.a.example.com` fits `*.example.com`), which is how hostnames are intersected.
 */
export function gatewayHostMatches(pattern: string, host: string): boolean {
  const p = pattern.trim().toLowerCase();
  const h = normaliseHost(host);
  if (p.startsWith('*.')) {
    const suffix = p.slice(1); // ".example.com"
    return h.length > suffix.length && h.endsWith(suffix);
  }
  return p === h;
}

/**
 * The hostnames a route serves through a listener: undefined when neither sets one (every host);
 * the listener's when the route sets none; the route's when the listener sets none; otherwise, for
 * each intersecting pair, the more specific of the two (empty: no intersection, route not accepted).
 */
export function hostnameIntersection(
  listenerHostname: string | undefined,
  routeHostnames: readonly string[],
): string[] | undefined {
  const route = routeHostnames.map((h) => h.toLowerCase());
  if (listenerHostname === undefined || listenerHostname === '') {
    return route.length > 0 ? [...new Set(route)] : undefined;
  }
  const listener = listenerHostname.toLowerCase();
  if (route.length === 0) return [listener];
  const out: string[] = [];
  for (const h of route) {
    let narrowed: string | undefined;
    if (gatewayHostMatches(listener, h) || h === listener) narrowed = h;
    else if (gatewayHostMatches(h, listener)) narrowed = listener;
    if (narrowed !== undefined && !out.includes(narrowed)) out.push(narrowed);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Attachment

export interface RouteAttachment {
  route: HTTPRouteDef;
  /** 'unknown': it depends on a namespace selector whose labels are not known. */
  attached: boolean | 'unknown';
  /** Why not (or why unknown); for an attached route, what decided it. */
  reason: string;
  /** The hostnames it serves through the listener (see `hostnameIntersection`); undefined: all. */
  hostnames?: string[];
}

const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTPS']);

function routeRef(r: { namespace: string; name: string }): string {
  return `${r.namespace}/${r.name}`;
}

function namesGateway(ref: ParentRefDef, route: HTTPRouteDef, gateway: GatewayDef): boolean {
  return (
    ref.group === GATEWAY_GROUP &&
    ref.kind === 'Gateway' &&
    ref.name === gateway.name &&
    (ref.namespace ?? route.namespace) === gateway.namespace
  );
}

function sameParentRef(a: ParentRefDef, b: ParentRefDef, routeNs: string): boolean {
  return (
    a.group === b.group &&
    a.kind === b.kind &&
    a.name === b.name &&
    (a.namespace ?? routeNs) === (b.namespace ?? routeNs) &&
    a.sectionName === b.sectionName &&
    a.port === b.port
  );
}

function statusFor(route: HTTPRouteDef, ref: ParentRefDef): RouteParentStatusDef | undefined {
  return route.statusParents?.find((s) => sameParentRef(s.parentRef, ref, route.namespace));
}

function selectorMatches(sel: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels)) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const val = labels[e.key];
    if (e.operator === 'In' && !(has && e.values.includes(val!))) return false;
    if (e.operator === 'NotIn' && has && e.values.includes(val!)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator)) return false;
  }
  return true;
}

function namespaceAllowed(
  gateway: GatewayDef,
  listener: ListenerDef,
  routeNs: string,
  namespaceLabels: Record<string, Record<string, string>> | undefined,
): { allowed: boolean | 'unknown'; reason: string } {
  const { from, selector } = listener.allowedRoutes;
  const where = `listener ${listener.name} of Gateway ${routeRef(gateway)}`;
  if (from === 'None') return { allowed: false, reason: `${where} allows no routes (allowedRoutes from None)` };
  if (from === 'All') return { allowed: true, reason: `${where} allows routes from all namespaces` };
  if (from === 'Same') {
    return routeNs === gateway.namespace
      ? { allowed: true, reason: `${where} allows routes from its own namespace` }
      : { allowed: false, reason: `${where} allows routes only from namespace ${gateway.namespace}` };
  }
  if (selector === undefined)
    return { allowed: false, reason: `${where} has allowedRoutes from Selector without a selector` };
  const labels = namespaceLabels?.[routeNs];
  if (labels === undefined) {
    return {
      allowed: 'unknown',
      reason: `${where} selects namespaces by label and the labels of ${routeNs} are not known`,
    };
  }
  return selectorMatches(selector, labels)
    ? { allowed: true, reason: `namespace ${routeNs} matches the selector of ${where}` }
    : { allowed: false, reason: `namespace ${routeNs} does not match the selector of ${where}` };
}

function kindAllowed(listener: ListenerDef): boolean {
  if (listener.allowedRoutes.kinds === undefined) return HTTP_PROTOCOLS.has(listener.protocol);
  return listener.allowedRoutes.kinds.some((k) => k.group === GATEWAY_GROUP && k.kind === 'HTTPRoute');
}

function attachOne(
  gateway: GatewayDef,
  listener: ListenerDef,
  route: HTTPRouteDef,
  ref: ParentRefDef,
  namespaceLabels: Record<string, Record<string, string>> | undefined,
): Omit<RouteAttachment, 'route'> {
  const rr = routeRef(route);
  if (ref.sectionName !== undefined && ref.sectionName !== listener.name) {
    return { attached: false, reason: `HTTPRoute ${rr} attaches to listener ${ref.sectionName}, not ${listener.name}` };
  }
  if (ref.port !== undefined && ref.port !== listener.port) {
    return { attached: false, reason: `HTTPRoute ${rr} attaches to port ${ref.port}, not ${listener.port}` };
  }
  const status = statusFor(route, ref);
  if (status?.accepted?.status === 'False') {
    const why = status.accepted.reason ?? 'no reason given';
    return { attached: false, reason: `the status of HTTPRoute ${rr} says Accepted False for this Gateway (${why})` };
  }
  if (!kindAllowed(listener)) {
    return { attached: false, reason: `listener ${listener.name} (${listener.protocol}) does not take HTTPRoutes` };
  }
  const ns = namespaceAllowed(gateway, listener, route.namespace, namespaceLabels);
  let allowed = ns.allowed;
  let reason = ns.reason;
  if (allowed === 'unknown' && status?.accepted?.status === 'True' && ref.sectionName === listener.name) {
    allowed = true;
    reason = `the status of HTTPRoute ${rr} says Accepted True for listener ${listener.name}`;
  }
  if (allowed === false) return { attached: false, reason };
  const hostnames = hostnameIntersection(listener.hostname, route.hostnames);
  if (hostnames !== undefined && hostnames.length === 0) {
    return {
      attached: false,
      reason: `no hostname of HTTPRoute ${rr} intersects listener ${listener.name} (${listener.hostname ?? ''})`,
    };
  }
  const out: Omit<RouteAttachment, 'route'> = { attached: allowed, reason };
  if (hostnames !== undefined) out.hostnames = hostnames;
  return out;
}

/**
 * Every route with a parentRef naming the Gateway, with whether it attaches to `listener` (see the
 * module comment). Routes that do not name the Gateway are left out.
 */
export function attachedRoutes(
  gateway: GatewayDef,
  listener: ListenerDef,
  routes: readonly HTTPRouteDef[],
  namespaceLabels?: Record<string, Record<string, string>>,
): RouteAttachment[] {
  const out: RouteAttachment[] = [];
  for (const route of routes) {
    const refs = route.parentRefs.filter((r) => namesGateway(r, route, gateway));
    if (refs.length === 0) continue;
    let best: Omit<RouteAttachment, 'route'> | undefined;
    for (const ref of refs) {
      const a = attachOne(gateway, listener, route, ref, namespaceLabels);
      const rank = (x: Omit<RouteAttachment, 'route'>) => (x.attached === true ? 2 : x.attached === 'unknown' ? 1 : 0);
      if (best === undefined || rank(a) > rank(best)) best = a;
    }
    out.push({ route, ...best! });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Routing

export interface GatewayBackend {
  namespace: string;
  name: string;
  kind: string;
  port?: number;
  weight: number;
  /** Why the implementation refuses this backendRef (its share of the traffic gets 500). */
  refused?: string;
}

export type GatewayRouteResult =
  | {
      kind: 'served';
      gateway: GatewayDef;
      listener: string;
      route: HTTPRouteDef;
      ruleIndex: number;
      matchIndex: number;
      backends: GatewayBackend[];
      certain: boolean;
      notes: string[];
    }
  | { kind: 'stop'; status: 404 | 500; reason: string };

export interface GatewayRouteInput {
  gateway: GatewayDef;
  /** The Gateway port the request arrives on (the generated Service's port); undefined: any. */
  port?: number;
  routes: HTTPRouteDef[];
  grants: ReferenceGrantDef[];
  /** Namespace name → labels, for `allowedRoutes` selectors; missing: "unknown". */
  namespaceLabels?: Record<string, Record<string, string>>;
}

/** Listener specificity for a host: larger is more specific; undefined when it does not fit. */
function listenerRank(listener: ListenerDef, host: string): number | undefined {
  if (listener.hostname === undefined) return 0;
  if (!gatewayHostMatches(listener.hostname, host)) return undefined;
  // Exact beats every wildcard; a wildcard with a longer suffix beats a shorter one.
  return listener.hostname.startsWith('*.') ? 1 + listener.hostname.length : 1_000_000;
}

function pathElements(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function prefixMatches(prefix: string, path: string): boolean {
  const p = pathElements(prefix);
  const r = pathElements(path);
  return p.length <= r.length && p.every((e, i) => e === r[i]);
}

interface Candidate {
  att: RouteAttachment;
  ruleIndex: number;
  matchIndex: number;
  match: HTTPRouteMatchDef;
  nonWildcardChars: number;
  hostChars: number;
  exact: boolean;
  prefixChars: number;
  regex: boolean;
  /** What host + path cannot decide, in words; empty when they decide. */
  conditions: string[];
}

function hostScore(att: RouteAttachment, host: string): { nonWildcardChars: number; hostChars: number } | undefined {
  if (att.hostnames === undefined) return { nonWildcardChars: 0, hostChars: 0 };
  const matching = att.hostnames.filter((h) => gatewayHostMatches(h, host));
  if (matching.length === 0) return undefined;
  // Precedence counts the route's own hostnames (as written) that match the host; a route without
  // hostnames counts 0 even though it serves the listener's hostname.
  const own = att.route.hostnames.filter((h) => gatewayHostMatches(h, host));
  let nonWildcardChars = 0;
  let hostChars = 0;
  for (const h of own) {
    if (!h.startsWith('*.')) nonWildcardChars = Math.max(nonWildcardChars, h.length);
    hostChars = Math.max(hostChars, h.length);
  }
  return { nonWildcardChars, hostChars };
}

/** Negative when a ranks before b, up to (not including) the route-level tie-breaks. */
function compareMatch(a: Candidate, b: Candidate): number {
  if (a.nonWildcardChars !== b.nonWildcardChars) return b.nonWildcardChars - a.nonWildcardChars;
  if (a.hostChars !== b.hostChars) return b.hostChars - a.hostChars;
  if (a.exact !== b.exact) return a.exact ? -1 : 1;
  if (a.prefixChars !== b.prefixChars) return b.prefixChars - a.prefixChars;
  const ma = a.match.method !== undefined ? 1 : 0;
  const mb = b.match.method !== undefined ? 1 : 0;
  if (ma !== mb) return mb - ma;
  const ha = a.match.headers?.length ?? 0;
  const hb = b.match.headers?.length ?? 0;
  if (ha !== hb) return hb - ha;
  return (b.match.queryParams?.length ?? 0) - (a.match.queryParams?.length ?? 0);
}

function compareCandidates(a: Candidate, b: Candidate): number {
  const m = compareMatch(a, b);
  if (m !== 0) return m;
  if (a.att.route !== b.att.route) {
    const ta = a.att.route.creationTimestamp;
    const tb = b.att.route.creationTimestamp;
    if (ta !== undefined && tb !== undefined && ta !== tb) {
      const da = Date.parse(ta);
      const db = Date.parse(tb);
      if (!Number.isNaN(da) && !Number.isNaN(db) && da !== db) return da - db;
    }
    const ra = routeRef(a.att.route);
    const rb = routeRef(b.att.route);
    if (ra !== rb) return ra < rb ? -1 : 1;
  }
  if (a.ruleIndex !== b.ruleIndex) return a.ruleIndex - b.ruleIndex;
  return a.matchIndex - b.matchIndex;
}

function describeMatch(c: Candidate): string {
  const p = c.match.path ?? { type: 'PathPrefix', value: '/' };
  return `HTTPRoute ${routeRef(c.att.route)} rule ${c.ruleIndex} match ${c.matchIndex} (${p.type} ${p.value})`;
}

function candidatesFor(att: RouteAttachment, host: string, path: string): Candidate[] {
  const score = hostScore(att, host);
  if (score === undefined) return [];
  const out: Candidate[] = [];
  att.route.rules.forEach((rule, ruleIndex) => {
    rule.matches.forEach((match, matchIndex) => {
      const p = match.path ?? { type: 'PathPrefix', value: '/' };
      const conditions: string[] = [];
      let regex = false;
      if (p.type === 'Exact') {
        if (p.value !== path) return;
      } else if (p.type === 'PathPrefix') {
        if (!prefixMatches(p.value, path)) return;
      } else if (p.type === 'RegularExpression') {
        regex = true;
        conditions.push(`the path matching the regular expression ${p.value} (the implementation's dialect)`);
      } else {
        return; // an unknown path type: the route is not accepted (UnsupportedValue)
      }
      if (match.method !== undefined) conditions.push(`method ${match.method}`);
      for (const h of match.headers ?? [])
        conditions.push(`header ${h.name} ${h.type === 'Exact' ? '=' : '~'} ${h.value}`);
      for (const q of match.queryParams ?? [])
        conditions.push(`query ${q.name} ${q.type === 'Exact' ? '=' : '~'} ${q.value}`);
      if (att.attached === 'unknown') conditions.push(`the route being attached (${att.reason})`);
      out.push({
        att,
        ruleIndex,
        matchIndex,
        match,
        ...score,
        exact: p.type === 'Exact',
        prefixChars: p.type === 'PathPrefix' ? p.value.length : 0,
        regex,
        conditions,
      });
    });
  });
  return out;
}

function grantAllows(grants: readonly ReferenceGrantDef[], routeNs: string, backendNs: string, name: string): boolean {
  return grants.some(
    (g) =>
      g.namespace === backendNs &&
      g.from.some((f) => f.group === GATEWAY_GROUP && f.kind === 'HTTPRoute' && f.namespace === routeNs) &&
      g.to.some((t) => t.group === '' && t.kind === 'Service' && (t.name === undefined || t.name === name)),
  );
}

/** A rule's backendRefs as the implementation resolves them: each with why it is refused, if it is. */
export function httpRouteBackends(
  route: HTTPRouteDef,
  rule: HTTPRouteRuleDef,
  grants: readonly ReferenceGrantDef[],
): GatewayBackend[] {
  return rule.backendRefs.map((b): GatewayBackend => {
    const namespace = b.namespace ?? route.namespace;
    const out: GatewayBackend = { namespace, name: b.name, kind: b.kind, weight: b.weight };
    if (b.port !== undefined) out.port = b.port;
    if (b.group !== '' || b.kind !== 'Service') {
      out.refused = `backendRef ${b.name} is a ${b.group === '' ? '' : `${b.group}/`}${b.kind}, not a Service (InvalidKind)`;
    } else if (b.port === undefined) {
      out.refused = `backendRef Service ${namespace}/${b.name} has no port (required for a Service)`;
    } else if (namespace !== route.namespace && !grantAllows(grants, route.namespace, namespace, b.name)) {
      out.refused = `Service ${namespace}/${b.name} is in another namespace and no ReferenceGrant in ${namespace} allows HTTPRoute from ${route.namespace} (RefNotPermitted)`;
    }
    return out;
  });
}

function stop(status: 404 | 500, reason: string): GatewayRouteResult {
  return { kind: 'stop', status, reason };
}

function listenerWords(l: ListenerDef): string {
  return `${l.name} (${l.hostname ?? 'any host'}, ${l.port}/${l.protocol})`;
}

/** Where the Gateway sends `host` + `path`, or why it answers 404/500 (see the module comment). */
export function routeGateway(input: GatewayRouteInput, host: string, path: string): GatewayRouteResult {
  const { gateway } = input;
  const gw = `Gateway ${routeRef(gateway)}`;
  const h = normaliseHost(host);
  const requestPath = path.replace(/[?#].*$/s, '') || '/';
  const onPort = gateway.listeners.filter(
    (l) => HTTP_PROTOCOLS.has(l.protocol) && (input.port === undefined || l.port === input.port),
  );
  if (onPort.length === 0) {
    const all = gateway.listeners.map(listenerWords).join(', ') || 'none';
    const port = input.port === undefined ? '' : ` on port ${input.port}`;
    return stop(404, `${gw} has no HTTP/HTTPS listener${port} (listeners: ${all})`);
  }
  const fitting = onPort
    .map((l) => ({ l, rank: listenerRank(l, h) }))
    .filter((x): x is { l: ListenerDef; rank: number } => x.rank !== undefined)
    .sort((a, b) => b.rank - a.rank);
  if (fitting.length === 0) {
    return stop(404, `no listener of ${gw} fits host ${h} (listeners: ${onPort.map(listenerWords).join(', ')})`);
  }
  const listener = fitting[0]!.l;
  const notes: string[] = [];
  if (input.port === undefined && new Set(onPort.map((l) => l.port)).size > 1) {
    notes.push(`no port given: listener ${listener.name} (port ${listener.port}) was taken as the most specific`);
  }
  const attachments = attachedRoutes(gateway, listener, input.routes, input.namespaceLabels);
  const live = attachments.filter((a) => a.attached !== false);
  const candidates = live.flatMap((a) => candidatesFor(a, h, requestPath)).sort(compareCandidates);

  const decided = candidates.filter((c) => c.conditions.length === 0);
  const best = decided[0] ?? candidates.filter((c) => !c.regex)[0] ?? candidates[0];
  if (best === undefined) {
    let reason: string;
    if (live.length === 0) {
      const why = attachments.map((a) => a.reason).slice(0, 3);
      reason = `no HTTPRoute is attached to listener ${listener.name} of ${gw}${why.length > 0 ? ` (${why.join('; ')})` : ''}`;
    } else if (!live.some((a) => hostScore(a, h) !== undefined)) {
      reason = `no HTTPRoute attached to listener ${listener.name} of ${gw} has host ${h}`;
    } else {
      reason = `no rule of an HTTPRoute attached to listener ${listener.name} of ${gw} matches ${h}${requestPath}`;
    }
    const others = fitting.slice(1).map((x) => x.l.name);
    if (others.length > 0) {
      reason += ` (only the most specific listener's routes count; an implementation without Listener Isolation may also try ${others.join(', ')})`;
    }
    return stop(404, `${reason}: the Gateway answers 404`);
  }

  let certain = best.conditions.length === 0;
  if (!certain) {
    notes.push(`served only given ${best.conditions.join(' and ')}; otherwise no decided rule matches`);
  }
  for (const c of candidates) {
    if (c === best) continue;
    if (c.regex) {
      // A regular-expression path's precedence is the implementation's: it may outrank anything it can tie on host.
      if (c.nonWildcardChars >= best.nonWildcardChars && c.hostChars >= best.hostChars) {
        certain = false;
        notes.push(`${describeMatch(c)} may take precedence if ${c.conditions.join(' and ')}`);
      }
    } else if (c.conditions.length > 0 && compareCandidates(c, best) < 0) {
      certain = false;
      notes.push(`${describeMatch(c)} takes precedence when the request has ${c.conditions.join(' and ')}`);
    } else if (
      c.conditions.length === 0 &&
      c.att.route !== best.att.route &&
      compareMatch(c, best) === 0 &&
      (c.att.route.creationTimestamp === undefined || best.att.route.creationTimestamp === undefined)
    ) {
      certain = false;
      notes.push(`${describeMatch(c)} ties with the answer and a creationTimestamp is missing: the oldest route wins`);
    }
  }
  const route = best.att.route;
  const specific = live.filter((a) => {
    const sc = a === best.att ? undefined : hostScore(a, h);
    if (sc === undefined) return false;
    return sc.nonWildcardChars !== best.nonWildcardChars
      ? sc.nonWildcardChars > best.nonWildcardChars
      : sc.hostChars > best.hostChars;
  });
  if (specific.length > 0) {
    notes.push(
      `HTTPRoute ${specific.map((a) => routeRef(a.route)).join(', ')} has a more specific hostname but no rule for ${requestPath}; the spec falls through to this route, some implementations answer 404 instead`,
    );
  }
  const status = route.parentRefs
    .filter((r) => namesGateway(r, route, gateway))
    .map((r) => statusFor(route, r))
    .find((s) => s?.resolvedRefs?.status === 'False');
  if (status?.resolvedRefs !== undefined) {
    notes.push(
      `the status of HTTPRoute ${routeRef(route)} says ResolvedRefs False (${status.resolvedRefs.reason ?? 'no reason given'})`,
    );
  }

  const rule = route.rules[best.ruleIndex]!;
  const where = `${describeMatch(best)}`;
  if (rule.backendRefs.length === 0) {
    if (rule.filters?.includes('RequestRedirect')) {
      notes.push("answered by the rule's RequestRedirect filter (no backend)");
    } else {
      return stop(500, `${where} has no backendRefs: the Gateway answers 500`);
    }
  }
  const backends = httpRouteBackends(route, rule, input.grants);
  if (backends.length > 0) {
    const valid = backends.filter((b) => b.refused === undefined);
    const total = backends.reduce((s, b) => s + b.weight, 0);
    const validWeight = valid.reduce((s, b) => s + b.weight, 0);
    if (valid.length === 0) {
      return stop(
        500,
        `every backendRef of ${where} is refused: ${backends.map((b) => b.refused).join('; ')}; the Gateway answers 500`,
      );
    }
    if (validWeight === 0) {
      return stop(500, `every valid backendRef of ${where} has weight 0 (no traffic): the Gateway answers 500`);
    }
    if (validWeight < total) {
      const share = Math.round(((total - validWeight) / total) * 1000) / 10;
      notes.push(`${share}% of the traffic goes to refused backendRefs and gets 500`);
    }
  }
  return {
    kind: 'served',
    gateway,
    listener: listener.name,
    route,
    ruleIndex: best.ruleIndex,
    matchIndex: best.matchIndex,
    backends,
    certain,
    notes,
  };
}

// ---------------------------------------------------------------------------------------------
// The Gateway behind a Service

export const GATEWAY_NAME_LABEL = `${GATEWAY_GROUP}/gateway-name`;
export const ENVOY_OWNING_GATEWAY_NAME_LABEL = 'gateway.envoyproxy.io/owning-gateway-name';
export const ENVOY_OWNING_GATEWAY_NAMESPACE_LABEL = 'gateway.envoyproxy.io/owning-gateway-namespace';
export const CILIUM_OWNING_GATEWAY_LABEL = 'io.cilium.gateway/owning-gateway';

/** The Gateway a generated Service belongs to, by its labels (see the module comment). */
export function gatewayForService(
  service: { namespace: string; name: string; labels?: Record<string, string> },
  gateways: readonly GatewayDef[],
): GatewayDef | undefined {
  const labels = service.labels ?? {};
  const find = (namespace: string, name: string | undefined) =>
    name === undefined ? undefined : gateways.find((g) => g.namespace === namespace && g.name === name);
  const envoyName = labels[ENVOY_OWNING_GATEWAY_NAME_LABEL];
  if (envoyName !== undefined) {
    return find(labels[ENVOY_OWNING_GATEWAY_NAMESPACE_LABEL] ?? service.namespace, envoyName);
  }
  return (
    find(service.namespace, labels[GATEWAY_NAME_LABEL]) ?? find(service.namespace, labels[CILIUM_OWNING_GATEWAY_LABEL])
  );
}
