/**
 * Following a hostname through an ingress controller: a pure model of `networking.k8s.io/v1`
 * Ingress routing (issue #17, first part; ../shared/docs/field-notes-2.md §3.3).
 *
 * - Hosts (`hostMatches`): exact and case-insensitive; `*.foo.com` matches exactly one label
 *   (`bar.foo.com`, not `baz.bar.foo.com` nor `foo.com`). A rule without host matches every host.
 * - Paths (`pathMatches`): `Exact` is string equality; `Prefix` is element-wise on `/` with the
 *   trailing `/` ignored; `ImplementationSpecific` is treated as `Prefix` but the answer is marked
 *   not exact (ingress-nginx and Traefik match it character-wise: `/foo` matches `/foobar`).
 * - Precedence (`routeIngress`), across every Ingress of the class: a matching rule wins over any
 *   `defaultBackend`; among matching rules an exact host beats a wildcard, which beats a rule without
 *   host; then the longest path; then `Exact` over `Prefix`; then input order. With no matching rule,
 *   the first `defaultBackend` of an Ingress of the class; otherwise the controller answers 404.
 * - Class: `ingressClassName`, else the legacy `kubernetes.io/ingress.class` annotation. With
 *   `className` given, Ingresses of another class are ignored and class-less ones count only when
 *   `defaultClass` equals `className`; without `className` every Ingress is considered.
 * - `certain` is false when the answer depends on the controller: an `ImplementationSpecific` path,
 *   a tie between different backends, or a more specific host whose paths did not match (ingress-nginx
 *   picks its server by host first and would not fall through to a less specific host).
 */

export type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

/** A Service port: `number` is the Service port (not targetPort), `name` the Service port's name. */
export interface ServicePortRef {
  number?: number;
  name?: string;
}

export interface IngressBackend {
  service: string;
  port: ServicePortRef;
}

export interface IngressPath {
  path: string;
  pathType: PathType;
  /** Undefined when the backend is not a Service (a `resource` backend) or is missing. */
  backend?: IngressBackend;
}

export interface IngressRule {
  /** Undefined: every host. */
  host?: string;
  paths: IngressPath[];
}

export interface IngressDef {
  name: string;
  namespace: string;
  /** `spec.ingressClassName`, else the `kubernetes.io/ingress.class` annotation. */
  className?: string;
  /** Where `className` came from: the field, or the deprecated annotation. */
  classFrom?: 'field' | 'annotation';
  defaultBackend?: IngressBackend;
  rules: IngressRule[];
  /** `spec.tls[].hosts`, flattened: the hosts the controller terminates TLS for. */
  tlsHosts: string[];
  annotations: Record<string, string>;
  creationTimestamp?: string;
}

/** A cluster-scoped `IngressClass`: which controller serves Ingresses of this class. */
export interface IngressClassDef {
  name: string;
  /** `spec.controller`, e.g. `k8s.io/ingress-nginx`, `traefik.io/ingress-controller`. */
  controller?: string;
  /** Annotated `ingressclass.kubernetes.io/is-default-class: "true"`. */
  isDefault: boolean;
}

export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function readBackend(v: unknown): IngressBackend | undefined {
  if (!isRecord(v) || !isRecord(v.service)) return undefined;
  const name = str(v.service.name);
  if (name === undefined) return undefined;
  const port: ServicePortRef = {};
  const p = v.service.port;
  if (isRecord(p)) {
    if (typeof p.number === 'number') port.number = p.number;
    const pn = str(p.name);
    if (pn !== undefined) port.name = pn;
  }
  return { service: name, port };
}

function readPathType(v: unknown): PathType {
  return v === 'Exact' || v === 'Prefix' ? v : 'ImplementationSpecific';
}

/** An Ingress from a parsed object; undefined when it is not a `networking.k8s.io/v1` Ingress. */
export function readIngress(obj: unknown): IngressDef | undefined {
  if (!isRecord(obj) || obj.kind !== 'Ingress' || obj.apiVersion !== 'networking.k8s.io/v1') {
    return undefined;
  }
  const meta = isRecord(obj.metadata) ? obj.metadata : {};
  const name = str(meta.name);
  if (name === undefined) return undefined;
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const annotations = isRecord(meta.annotations) ? meta.annotations : {};
  const fieldClass = str(spec.ingressClassName);
  const className = fieldClass ?? str(annotations[LEGACY_CLASS_ANNOTATION]);
  const rules: IngressRule[] = [];
  for (const r of Array.isArray(spec.rules) ? spec.rules : []) {
    if (!isRecord(r)) continue;
    const paths: IngressPath[] = [];
    const http = isRecord(r.http) ? r.http : {};
    for (const p of Array.isArray(http.paths) ? http.paths : []) {
      if (!isRecord(p)) continue;
      const path: IngressPath = {
        path: typeof p.path === 'string' ? p.path : '',
        pathType: readPathType(p.pathType),
      };
      const backend = readBackend(p.backend);
      if (backend !== undefined) path.backend = backend;
      paths.push(path);
    }
    const rule: IngressRule = { paths };
    const host = str(r.host);
    if (host !== undefined) rule.host = host;
    rules.push(rule);
  }
  const tlsHosts: string[] = [];
  for (const t of Array.isArray(spec.tls) ? spec.tls : []) {
    if (!isRecord(t) || !Array.isArray(t.hosts)) continue;
    for (const h of t.hosts) if (typeof h === 'string' && h !== '') tlsHosts.push(h);
  }
  const def: IngressDef = {
    name,
    namespace: str(meta.namespace) ?? 'default',
    rules,
    tlsHosts,
    annotations: stringRecord(annotations),
  };
  if (className !== undefined) {
    def.className = className;
    def.classFrom = fieldClass !== undefined ? 'field' : 'annotation';
  }
  const created = str(meta.creationTimestamp);
  if (created !== undefined) def.creationTimestamp = created;
  const defaultBackend = readBackend(spec.defaultBackend);
  if (defaultBackend !== undefined) def.defaultBackend = defaultBackend;
  return def;
}

function stringRecord(v: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** An IngressClass from a parsed object; undefined when it is not a `networking.k8s.io/v1` IngressClass. */
export function readIngressClass(obj: unknown): IngressClassDef | undefined {
  if (!isRecord(obj) || obj.kind !== 'IngressClass' || obj.apiVersion !== 'networking.k8s.io/v1') return undefined;
  const meta = isRecord(obj.metadata) ? obj.metadata : {};
  const name = str(meta.name);
  if (name === undefined) return undefined;
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const annotations = isRecord(meta.annotations) ? meta.annotations : {};
  const def: IngressClassDef = { name, isDefault: annotations[DEFAULT_CLASS_ANNOTATION] === 'true' };
  const controller = str(spec.controller);
  if (controller !== undefined) def.controller = controller;
  return def;
}

/**
 * The class the admission plugin gives a new Ingress without one: the single IngressClass marked
 * default (none, or more than one: undefined — the API then refuses class-less Ingresses).
 */
export function defaultIngressClass(classes: readonly IngressClassDef[]): string | undefined {
  const defaults = classes.filter((c) => c.isDefault);
  return defaults.length === 1 ? defaults[0]!.name : undefined;
}

/** The request host as the controller compares it: lower case, without port or trailing dot. */
export function normaliseHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    if (end >= 0) h = h.slice(0, end + 1);
  } else {
    const colon = h.indexOf(':');
    if (colon >= 0 && h.indexOf(':', colon + 1) < 0) h = h.slice(0, colon);
  }
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

/** Whether an Ingress rule's host matches the request host (see the module comment). */
export function hostMatches(ruleHost: string, requestHost: string): boolean {
  const rule = ruleHost.toLowerCase();
  const req = normaliseHost(requestHost);
  if (rule.startsWith('*.')) {
    const suffix = rule.slice(1); // ".foo.com"
    if (!req.endsWith(suffix)) return false;
    const label = req.slice(0, req.length - suffix.length);
    return label !== '' && !label.includes('.');
  }
  return rule === req;
}

/** The Ingress's `tls` block covers the host: ingress-nginx redirects its plain-HTTP requests to https. */
export function tlsCovers(ing: IngressDef, host: string): boolean {
  return ing.tlsHosts.some((h) => hostMatches(h, host));
}

/** ingress-nginx's redirect to https is turned off for this Ingress. */
export function sslRedirectOff(ing: IngressDef): boolean {
  return ing.annotations['nginx.ingress.kubernetes.io/ssl-redirect'] === 'false';
}

export interface PathMatch {
  matches: boolean;
  /** False when the answer is the controller's (`ImplementationSpecific`). */
  exact: boolean;
}

function elements(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

/** Whether a rule path of the given type matches the request path (see the module comment). */
export function pathMatches(type: PathType, rulePath: string, requestPath: string): PathMatch {
  if (type === 'Exact') return { matches: rulePath === requestPath, exact: true };
  const rule = elements(rulePath);
  const req = elements(requestPath);
  const matches = rule.length <= req.length && rule.every((e, i) => e === req[i]);
  return { matches, exact: type === 'Prefix' };
}

export type RouteResult =
  | {
      kind: 'served';
      ingress: IngressDef;
      /** -1 when served by the Ingress's `defaultBackend`. */
      ruleIndex: number;
      /** -1 when served by the Ingress's `defaultBackend`. */
      pathIndex: number;
      via: 'rule' | 'defaultBackend';
      backend: IngressBackend;
      certain: boolean;
    }
  | { kind: 'stop'; reason: string };

export interface RouteOptions {
  /** The controller's class; undefined: every Ingress is considered. */
  className?: string;
  /** The cluster's default IngressClass (takes class-less Ingresses). */
  defaultClass?: string;
}

interface Candidate {
  ingress: IngressDef;
  ruleIndex: number;
  pathIndex: number;
  path: IngressPath;
  /** 0 exact host, 1 wildcard, 2 no host. */
  hostTier: number;
  exact: boolean;
}

function inClass(ing: IngressDef, opts: RouteOptions): boolean {
  if (opts.className === undefined) return true;
  if (ing.className !== undefined) return ing.className === opts.className;
  return opts.defaultClass === opts.className;
}

function hostTier(ruleHost: string | undefined, host: string): number | undefined {
  if (ruleHost === undefined) return 2;
  if (!hostMatches(ruleHost, host)) return undefined;
  return ruleHost.startsWith('*.') ? 1 : 0;
}

/** Negative when a ranks before b. */
function compare(a: Candidate, b: Candidate): number {
  if (a.hostTier !== b.hostTier) return a.hostTier - b.hostTier;
  if (a.path.path.length !== b.path.path.length) return b.path.path.length - a.path.path.length;
  const exactA = a.path.pathType === 'Exact' ? 0 : 1;
  const exactB = b.path.pathType === 'Exact' ? 0 : 1;
  return exactA - exactB;
}

function sameBackend(a: IngressBackend | undefined, b: IngressBackend | undefined): boolean {
  return a?.service === b?.service && a?.port.number === b?.port.number && a?.port.name === b?.port.name;
}

function ref(ing: IngressDef): string {
  return `${ing.namespace}/${ing.name}`;
}

/** Where the controller sends `host` + `path`, or why it answers 404 (see the module comment). */
export function routeIngress(
  ingresses: readonly IngressDef[],
  host: string,
  path: string,
  opts: RouteOptions = {},
): RouteResult {
  const requestPath = path.replace(/[?#].*$/s, '') || '/';
  const considered = ingresses.filter((i) => inClass(i, opts));
  const candidates: Candidate[] = [];
  let bestHostTier = 3;
  for (const ingress of considered) {
    ingress.rules.forEach((rule, ruleIndex) => {
      const tier = hostTier(rule.host, host);
      if (tier === undefined) return;
      if (rule.paths.length > 0) bestHostTier = Math.min(bestHostTier, tier);
      rule.paths.forEach((p, pathIndex) => {
        const m = pathMatches(p.pathType, p.path, requestPath);
        if (m.matches) {
          candidates.push({ ingress, ruleIndex, pathIndex, path: p, hostTier: tier, exact: m.exact });
        }
      });
    });
  }
  const classWords = opts.className === undefined ? 'no Ingress' : `no Ingress of class ${opts.className}`;
  if (candidates.length > 0) {
    const sorted = [...candidates].sort(compare); // stable: input order breaks ties
    const best = sorted[0]!;
    if (best.path.backend === undefined) {
      return {
        kind: 'stop',
        reason: `the matching path ${best.path.path || '(empty)'} of Ingress ${ref(best.ingress)} has no Service backend`,
      };
    }
    const tie = sorted.some(
      (c) => c !== best && compare(c, best) === 0 && !sameBackend(c.path.backend, best.path.backend),
    );
    return {
      kind: 'served',
      ingress: best.ingress,
      ruleIndex: best.ruleIndex,
      pathIndex: best.pathIndex,
      via: 'rule',
      backend: best.path.backend,
      certain: best.exact && !tie && best.hostTier <= bestHostTier,
    };
  }
  const withDefault = considered.filter((i) => i.defaultBackend !== undefined);
  const first = withDefault[0];
  if (first?.defaultBackend !== undefined) {
    return {
      kind: 'served',
      ingress: first,
      ruleIndex: -1,
      pathIndex: -1,
      via: 'defaultBackend',
      backend: first.defaultBackend,
      certain: withDefault.every((i) => sameBackend(i.defaultBackend, first.defaultBackend)),
    };
  }
  const hostNorm = normaliseHost(host);
  if (bestHostTier < 3) {
    return {
      kind: 'stop',
      reason: `${classWords.replace(/^no /, 'no path of an ')} for host ${hostNorm} matches ${requestPath}: the controller answers 404`,
    };
  }
  return {
    kind: 'stop',
    reason: `${classWords} has host ${hostNorm}: the controller answers 404`,
  };
}
