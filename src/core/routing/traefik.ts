/**
 * Following a hostname through Traefik: a pure model of `IngressRoute` routing (issue #17;
 * ../shared/docs/field-notes-2.md §3.5, §3.6). Checked against traefik/traefik (v3.7 development
 * tree): pkg/rules/parser.go, pkg/muxer/http/{parser,mux,matcher,matcher_v2}.go, pkg/muxer/muxer.go,
 * pkg/provider/kubernetes/crd/kubernetes_http.go, pkg/config/runtime/runtime_http.go, and the
 * containous/mux fork of gorilla/mux (regexp.go) that the v2 syntax uses.
 *
 * - Objects (`readIngressRoute`): `traefik.io/v1alpha1` and the old `traefik.containo.us/v1alpha1`
 *   (removed in Traefik v3: with `traefikVersion: 3` those are ignored). Class: `spec.ingressClassName`,
 *   else the `kubernetes.io/ingress.class` annotation; the CRD provider processes an object when its
 *   class equals the provider's `ingressClass`, or, with that option empty (the default), when the class
 *   is empty or `traefik`.
 * - Rules (`parseRule`): Traefik hands the rule to vulcand/predicate, which parses it with Go's
 *   `go/parser.ParseExpr`. So the grammar is Go's: `||` binds looser than `&&`, `!` is unary,
 *   parentheses group; arguments are Go string literals (backticks, or double quotes with Go escapes;
 *   single quotes are rune literals and refused); a call may end with a trailing comma; Go's automatic
 *   semicolon after a line ending in `)`, a string or a name makes a rule that continues on the next
 *   line with `&&`/`||` invalid (an operator at the end of the line is fine); `//` and `/* *\/` comments
 *   are allowed. Matcher names are accepted as written, in lower case, upper case or capitalised
 *   (`Host`, `host`, `HOST`, `Pathprefix`). A matcher needs at least one argument, none empty; then
 *   each matcher checks its arguments as Traefik does when it builds the router (counts, paths starting
 *   with `/`, ASCII hosts, Go regexp syntax, IP/CIDR). This model refuses rules longer than
 *   `MAX_RULE_LENGTH` and nesting (parentheses and `!`) deeper than `MAX_RULE_DEPTH`, which Traefik
 *   would accept; the error says so.
 * - v3 matchers: `Host` (one argument, compared lower-cased with the request host without port;
 *   `*.example.com` matches exactly one label; `*` matches every request; trailing dots ignored),
 *   `HostRegexp` (Go RE2, unanchored, on the lower-cased host; like Traefik it also tries the empty
 *   string, the CNAME-flattened host when flattening is off), `Path` (exact), `PathPrefix` (character
 *   prefix: `/x` matches `/x-y`), `PathRegexp` (unanchored); `Header`, `HeaderRegexp`, `Query`,
 *   `QueryRegexp`, `Method`, `ClientIP` depend on the request beyond host and path: `unknown`.
 * - v2 matchers (`syntax: 'v2'`): several arguments ORed; `Host`/`HostHeader` exact (no wildcard);
 *   `HostRegexp`, `Path`, `PathPrefix` are gorilla/mux templates with `{name}` / `{name:regex}`
 *   placeholders (default `[^.]+` in hosts, `[^/]+` in paths), anchored, hosts case-insensitive;
 *   `Headers`, `HeadersRegexp` (pairs), `Query` (`k=v`), `Method`, `ClientIP`: `unknown`.
 * - Paths are compared as Traefik's routing path: the URL path with percent-escapes decoded except
 *   those of reserved characters (`%2F` stays `%2F`; the lower-case `%2f` is decoded, as in Traefik).
 * - Evaluation (`evaluateRule`) is three-valued (Kleene): `!unknown` is unknown, `no-match && x` is
 *   no-match, `match || x` is match.
 * - Routing (`routeIngressRoutes`): routers of the entry point (`entryPoints`, or the default entry
 *   points when omitted) and of the connection (a router with `tls` serves only TLS connections, one
 *   without only plain ones); priority is `priority` when non-zero, else the rule's length in bytes;
 *   the highest-priority matching router serves; equal priorities are ordered arbitrarily (Go's
 *   unstable sort), so a tie between different backends is uncertain; a higher- or equal-priority
 *   router whose rule is `unknown` makes the answer uncertain, and when only such routers remain the
 *   first of them is given as uncertain. Traefik builds no router (and so falls through to the next one)
 *   for a route whose rule does not parse, whose kind is not `Rule`, whose match is empty, with no
 *   services, or with a service it refuses: another namespace without `allowCrossNamespace`, or an
 *   unsupported kind. Nothing matches: Traefik answers 404.
 * - Not modelled: multi-layer routing (`parentRefs`; such IngressRoutes are skipped with a note),
 *   whether the backend Service and port exist (the caller checks), entry-point TLS defaults that give
 *   every router of an entry point TLS, CNAME flattening, and providers other than the CRD one.
 */
import { compileGoRegexp, goRegexpSyntaxError, type GoRegexp } from '../go/regexp';

export type RuleSyntax = 'v3' | 'v2';

export const TRAEFIK_API_GROUPS = ['traefik.io', 'traefik.containo.us'] as const;
export type TraefikApiGroup = (typeof TRAEFIK_API_GROUPS)[number];

export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** A Service port as written in `services[].port`: a number, or a string (the port's name). */
export interface TraefikPortRef {
  number?: number;
  name?: string;
}

export interface IngressRouteService {
  kind: 'Service' | 'TraefikService';
  /** Set when `kind` was neither `Service` nor `TraefikService` (Traefik refuses the route). */
  unsupportedKind?: string;
  name: string;
  /** As written; undefined means the IngressRoute's namespace. */
  namespace?: string;
  port?: TraefikPortRef;
  weight?: number;
  scheme?: string;
}

export interface IngressRouteRoute {
  match: string;
  /** `kind` when it is not `Rule` (Traefik skips such a route). */
  kind?: string;
  priority?: number;
  /** The deprecated per-route `syntax` (`v2` or `v3`) when set. */
  syntax?: string;
  services: IngressRouteService[];
}

export interface IngressRouteDef {
  name: string;
  namespace: string;
  apiGroup: TraefikApiGroup;
  /** Undefined when omitted: the default entry points. */
  entryPoints?: string[];
  routes: IngressRouteRoute[];
  /** Whether `spec.tls` is present: the routers then serve TLS connections only. */
  tls: boolean;
  ingressClassName?: string;
  annotations: Record<string, string>;
  /** `spec.parentRefs` (multi-layer routing, Traefik v3.6+), when present. */
  parentRefs?: Array<{ name: string; namespace?: string }>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function int(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

function readService(v: unknown): IngressRouteService | undefined {
  if (!isRecord(v)) return undefined;
  const name = str(v.name);
  if (name === undefined) return undefined;
  const kind = str(v.kind);
  const svc: IngressRouteService = { kind: kind === 'TraefikService' ? 'TraefikService' : 'Service', name };
  if (kind !== undefined && kind !== 'Service' && kind !== 'TraefikService') svc.unsupportedKind = kind;
  const ns = str(v.namespace);
  if (ns !== undefined) svc.namespace = ns;
  if (int(v.port) !== undefined) svc.port = { number: v.port as number };
  else if (str(v.port) !== undefined) svc.port = { name: v.port as string };
  const weight = int(v.weight);
  if (weight !== undefined) svc.weight = weight;
  const scheme = str(v.scheme);
  if (scheme !== undefined) svc.scheme = scheme;
  return svc;
}

/** An IngressRoute from a parsed object; undefined when it is not a Traefik `IngressRoute` with a name. */
export function readIngressRoute(obj: unknown): IngressRouteDef | undefined {
  if (!isRecord(obj) || obj.kind !== 'IngressRoute' || typeof obj.apiVersion !== 'string') return undefined;
  const group = TRAEFIK_API_GROUPS.find((g) => obj.apiVersion === `${g}/v1alpha1`);
  if (group === undefined) return undefined;
  const meta = isRecord(obj.metadata) ? obj.metadata : {};
  const name = str(meta.name);
  if (name === undefined) return undefined;
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const annotations: Record<string, string> = {};
  if (isRecord(meta.annotations)) {
    for (const [k, v] of Object.entries(meta.annotations)) if (typeof v === 'string') annotations[k] = v;
  }
  const routes: IngressRouteRoute[] = [];
  for (const r of Array.isArray(spec.routes) ? spec.routes : []) {
    if (!isRecord(r)) continue;
    const route: IngressRouteRoute = { match: typeof r.match === 'string' ? r.match : '', services: [] };
    const kind = str(r.kind);
    if (kind !== undefined && kind !== 'Rule') route.kind = kind;
    const priority = int(r.priority);
    if (priority !== undefined) route.priority = priority;
    const syntax = str(r.syntax);
    if (syntax !== undefined) route.syntax = syntax;
    for (const s of Array.isArray(r.services) ? r.services : []) {
      const svc = readService(s);
      if (svc !== undefined) route.services.push(svc);
    }
    routes.push(route);
  }
  const def: IngressRouteDef = {
    name,
    namespace: str(meta.namespace) ?? 'default',
    apiGroup: group,
    routes,
    tls: isRecord(spec.tls),
    annotations,
  };
  if (Array.isArray(spec.entryPoints)) {
    const eps = spec.entryPoints.filter((e): e is string => typeof e === 'string' && e !== '');
    if (eps.length > 0) def.entryPoints = eps;
  }
  const cls = str(spec.ingressClassName);
  if (cls !== undefined) def.ingressClassName = cls;
  if (Array.isArray(spec.parentRefs)) {
    const refs: Array<{ name: string; namespace?: string }> = [];
    for (const p of spec.parentRefs) {
      if (!isRecord(p) || str(p.name) === undefined) continue;
      const ref: { name: string; namespace?: string } = { name: p.name as string };
      if (str(p.namespace) !== undefined) ref.namespace = p.namespace as string;
      refs.push(ref);
    }
    if (refs.length > 0) def.parentRefs = refs;
  }
  return def;
}

// ---------------------------------------------------------------------------------------------
// Rule parsing

export type MatcherName =
  | 'Host'
  | 'HostRegexp'
  | 'Path'
  | 'PathPrefix'
  | 'PathRegexp'
  | 'Header'
  | 'HeaderRegexp'
  | 'Query'
  | 'QueryRegexp'
  | 'Method'
  | 'ClientIP'
  | 'HostHeader'
  | 'Headers'
  | 'HeadersRegexp';

export type RuleAst =
  | { type: 'matcher'; name: MatcherName; args: string[]; syntax: RuleSyntax; offset: number }
  | { type: 'not'; operand: RuleAst }
  | { type: 'and'; operands: RuleAst[] }
  | { type: 'or'; operands: RuleAst[] };

export type ParseRuleResult = { ok: true; ast: RuleAst } | { ok: false; error: string; offset: number };

/** Longest rule this model parses (Traefik has no limit). */
export const MAX_RULE_LENGTH = 65536;
/** Deepest nesting of parentheses and `!` this model parses (Go's parser allows far more). */
export const MAX_RULE_DEPTH = 100;

const V3_MATCHERS: readonly MatcherName[] = [
  'ClientIP',
  'Method',
  'Host',
  'HostRegexp',
  'Path',
  'PathRegexp',
  'PathPrefix',
  'Header',
  'HeaderRegexp',
  'Query',
  'QueryRegexp',
];
const V2_MATCHERS: readonly MatcherName[] = [
  'Host',
  'HostHeader',
  'HostRegexp',
  'ClientIP',
  'Path',
  'PathPrefix',
  'Method',
  'Headers',
  'HeadersRegexp',
  'Query',
];

/** pkg/rules.NewParser registers each matcher as written, lower case, upper case and Title(lower). */
function matcherByName(syntax: RuleSyntax): Map<string, MatcherName> {
  const m = new Map<string, MatcherName>();
  for (const n of syntax === 'v3' ? V3_MATCHERS : V2_MATCHERS) {
    const lower = n.toLowerCase();
    for (const alias of [n, lower, n.toUpperCase(), lower.charAt(0).toUpperCase() + lower.slice(1)]) {
      m.set(alias, n);
    }
  }
  return m;
}
const MATCHERS: Record<RuleSyntax, Map<string, MatcherName>> = { v3: matcherByName('v3'), v2: matcherByName('v2') };

type Token =
  | { t: 'ident'; v: string; at: number }
  | { t: 'string'; v: string; at: number }
  | { t: '(' | ')' | ',' | '&&' | '||' | '!' | '...' | 'semi' | 'eof'; at: number };

class RuleError {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

const IDENT_START = /[\p{L}_]/u;
const IDENT_PART = /[\p{L}\p{Nd}_]/u;

/** Go's scanner for the tokens a rule may contain; throws RuleError. */
function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let insertSemi = false; // Go inserts a semicolon at a newline after `)`, a literal or a name
  const push = (tok: Token): void => {
    out.push(tok);
    insertSemi = tok.t === ')' || tok.t === 'string' || tok.t === 'ident';
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\n') {
      if (insertSemi) push({ t: 'semi', at: i });
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i);
      if (insertSemi) push({ t: 'semi', at: i });
      i = end < 0 ? src.length : end + 1;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new RuleError('comment not terminated', i);
      if (insertSemi && src.slice(i, end).includes('\n')) push({ t: 'semi', at: i });
      i = end + 2;
      continue;
    }
    if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end < 0) throw new RuleError('raw string literal not terminated', i);
      push({ t: 'string', v: src.slice(i + 1, end).replace(/\r/g, ''), at: i });
      i = end + 1;
      continue;
    }
    if (c === '"') {
      const [v, next] = scanInterpreted(src, i);
      push({ t: 'string', v, at: i });
      i = next;
      continue;
    }
    if (c === "'") {
      throw new RuleError(
        'single quotes are not accepted: arguments are Go string literals, in backticks or double quotes',
        i,
      );
    }
    if (c === '&' && src[i + 1] === '&') {
      push({ t: '&&', at: i });
      i += 2;
      continue;
    }
    if (c === '|' && src[i + 1] === '|') {
      push({ t: '||', at: i });
      i += 2;
      continue;
    }
    if (c === '.' && src.startsWith('...', i)) {
      push({ t: '...', at: i });
      i += 3;
      continue;
    }
    if (c === '(' || c === ')' || c === ',' || c === '!') {
      if (c === '!' && src[i + 1] === '=') throw new RuleError('operator != is not supported', i);
      push({ t: c, at: i });
      i++;
      continue;
    }
    const cp = src.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (IDENT_START.test(ch)) {
      let j = i + ch.length;
      while (j < src.length) {
        const n = String.fromCodePoint(src.codePointAt(j)!);
        if (!IDENT_PART.test(n)) break;
        j += n.length;
      }
      push({ t: 'ident', v: src.slice(i, j), at: i });
      i = j;
      continue;
    }
    if (c >= '0' && c <= '9') throw new RuleError('numbers are not accepted as arguments: use a string', i);
    throw new RuleError(`unexpected ${JSON.stringify(ch)}`, i);
  }
  out.push({ t: 'eof', at: src.length });
  return out;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
};

/** A Go interpreted string literal starting at `start` (the `"`): [value, index after it]. */
function scanInterpreted(src: string, start: number): [string, number] {
  let v = '';
  let i = start + 1;
  for (;;) {
    if (i >= src.length || src[i] === '\n') throw new RuleError('string literal not terminated', start);
    const c = src[i]!;
    if (c === '"') return [v, i + 1];
    if (c !== '\\') {
      v += c;
      i++;
      continue;
    }
    const e = src[i + 1] ?? '';
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      v += simple;
      i += 2;
      continue;
    }
    let digits = 0;
    let base = 16;
    if (e >= '0' && e <= '7') {
      digits = 3;
      base = 8;
    } else if (e === 'x') digits = 2;
    else if (e === 'u') digits = 4;
    else if (e === 'U') digits = 8;
    else throw new RuleError('unknown escape sequence', i);
    const from = base === 8 ? i + 1 : i + 2;
    const text = src.slice(from, from + digits);
    const valid = base === 8 ? /^[0-7]{3}$/.test(text) : new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(text);
    if (!valid) throw new RuleError('illegal character in escape sequence', i);
    const n = parseInt(text, base);
    if (base === 8 && n > 255) throw new RuleError('octal escape value > 255', i);
    if ((e === 'u' || e === 'U') && (n > 0x10ffff || (n >= 0xd800 && n < 0xe000))) {
      throw new RuleError('escape sequence is invalid Unicode code point', i);
    }
    // \x and octal escapes are bytes in Go; one above 0x7f is kept as that code unit (non-ASCII either way).
    v += String.fromCodePoint(n);
    i = from + digits;
  }
}

class RuleParser {
  private pos = 0;
  constructor(
    private readonly toks: Token[],
    private readonly syntax: RuleSyntax,
  ) {}

  private peek(): Token {
    return this.toks[this.pos]!;
  }

  private next(): Token {
    const t = this.toks[this.pos]!;
    if (t.t !== 'eof') this.pos++;
    return t;
  }

  parse(): RuleAst {
    const ast = this.or(0);
    const semi = this.peek();
    if (semi.t === 'semi') this.next();
    const end = this.peek();
    if (end.t === 'eof') return ast;
    if (semi.t === 'semi') {
      throw new RuleError(
        `the rule ends at this newline (Go ends an expression at a line ending in ')'): put && or || at the end of the line`,
        semi.at,
      );
    }
    throw new RuleError(`expected the end of the rule, found ${describe(end)}`, end.at);
  }

  private or(depth: number): RuleAst {
    const operands = [this.and(depth)];
    while (this.peek().t === '||') {
      this.next();
      operands.push(this.and(depth));
    }
    return operands.length === 1 ? operands[0]! : { type: 'or', operands };
  }

  private and(depth: number): RuleAst {
    const operands = [this.unary(depth)];
    while (this.peek().t === '&&') {
      this.next();
      operands.push(this.unary(depth));
    }
    return operands.length === 1 ? operands[0]! : { type: 'and', operands };
  }

  private unary(depth: number): RuleAst {
    const t = this.peek();
    if (t.t === '!') {
      this.deeper(depth, t);
      this.next();
      return { type: 'not', operand: this.unary(depth + 1) };
    }
    return this.primary(depth);
  }

  private deeper(depth: number, t: Token): void {
    if (depth >= MAX_RULE_DEPTH) {
      throw new RuleError(`nesting deeper than ${MAX_RULE_DEPTH} (a limit of this model, not of Traefik)`, t.at);
    }
  }

  private primary(depth: number): RuleAst {
    const t = this.next();
    if (t.t === '(') {
      this.deeper(depth, t);
      const inner = this.or(depth + 1);
      const close = this.next();
      if (close.t !== ')') throw new RuleError(`expected ')', found ${describe(close)}`, close.at);
      return inner;
    }
    if (t.t === 'ident') {
      const name = MATCHERS[this.syntax].get(t.v);
      if (name === undefined) {
        const other = MATCHERS[this.syntax === 'v3' ? 'v2' : 'v3'].has(t.v) ? ` in the ${this.syntax} syntax` : '';
        throw new RuleError(`unsupported matcher ${t.v}${other}`, t.at);
      }
      const open = this.next();
      if (open.t !== '(') throw new RuleError(`expected '(' after ${t.v}, found ${describe(open)}`, open.at);
      const args = this.args();
      const node: RuleAst = { type: 'matcher', name, args, syntax: this.syntax, offset: t.at };
      const problem = checkMatcher(name, args, this.syntax);
      if (problem !== undefined) throw new RuleError(`${name}: ${problem}`, t.at);
      return node;
    }
    if (t.t === 'string') throw new RuleError('expected a matcher call, found a string', t.at);
    throw new RuleError(`expected a matcher call, found ${describe(t)}`, t.at);
  }

  /** Arguments up to and including `)`: strings, an optional trailing comma, an optional final `...`. */
  private args(): string[] {
    const args: string[] = [];
    for (;;) {
      const t = this.next();
      if (t.t === ')') return args;
      if (t.t !== 'string') throw new RuleError(`expected a string argument or ')', found ${describe(t)}`, t.at);
      args.push(t.v);
      let sep = this.next();
      if (sep.t === '...') {
        sep = this.next();
        if (sep.t === ',') sep = this.next();
        if (sep.t !== ')') throw new RuleError(`expected ')', found ${describe(sep)}`, sep.at);
        return args;
      }
      if (sep.t === ')') return args;
      if (sep.t !== ',') throw new RuleError(`expected ',' or ')', found ${describe(sep)}`, sep.at);
    }
  }
}

function describe(t: Token): string {
  switch (t.t) {
    case 'eof':
      return 'the end of the rule';
    case 'semi':
      return 'a newline (Go ends the expression at a line ending in `)`: put && or || at the end of the line)';
    case 'ident':
      return `name ${t.v}`;
    case 'string':
      return 'a string';
    default:
      return `'${t.t}'`;
  }
}

/** Parses a Traefik rule as Traefik does (see the module comment); never throws. */
export function parseRule(rule: string, syntax: RuleSyntax = 'v3'): ParseRuleResult {
  if (typeof rule !== 'string') return { ok: false, error: 'the rule is not a string', offset: 0 };
  if (rule.length > MAX_RULE_LENGTH) {
    return {
      ok: false,
      error: `rule longer than ${MAX_RULE_LENGTH} characters (a limit of this model, not of Traefik)`,
      offset: MAX_RULE_LENGTH,
    };
  }
  try {
    const ast = new RuleParser(tokenize(rule), syntax === 'v2' ? 'v2' : 'v3').parse();
    return { ok: true, ast };
  } catch (e) {
    if (e instanceof RuleError) return { ok: false, error: e.message, offset: e.offset };
    return { ok: false, error: `cannot parse the rule: ${String(e)}`, offset: 0 };
  }
}

/** expectNParameters in pkg/muxer/http/matcher.go; the others take exactly one. */
const V3_ARG_COUNTS: Partial<Record<MatcherName, number[]>> = {
  Header: [2],
  HeaderRegexp: [2],
  Query: [1, 2],
  QueryRegexp: [1, 2],
};

const isASCII = (s: string): boolean => /^[\x00-\x7f]*$/.test(s);

/** What Traefik says when it builds the matcher (pkg/muxer/http/matcher*.go), or undefined. */
function checkMatcher(name: MatcherName, args: string[], syntax: RuleSyntax): string | undefined {
  // pkg/rules.CheckRule
  if (args.length === 0) return 'no arguments';
  if (args.some((a) => a === '')) return 'empty argument';
  if (syntax === 'v3') {
    const allowed = V3_ARG_COUNTS[name] ?? [1];
    if (!allowed.includes(args.length)) {
      return `unexpected number of parameters; got ${args.length}, expected one of [${allowed.join(' ')}]`;
    }
    const a = args[0]!;
    switch (name) {
      case 'Host':
        return a === '*' || isASCII(a) ? undefined : 'non-ASCII characters are not allowed';
      case 'HostRegexp':
        return isASCII(a) ? (goRegexpSyntaxError(a) ?? undefined) : 'non-ASCII characters are not allowed';
      case 'Path':
      case 'PathPrefix':
        return a.startsWith('/') ? undefined : `path ${JSON.stringify(a)} does not start with a '/'`;
      case 'PathRegexp':
        return goRegexpSyntaxError(a) ?? undefined;
      case 'HeaderRegexp':
      case 'QueryRegexp':
        return args.length === 2 ? (goRegexpSyntaxError(args[1]!) ?? undefined) : undefined;
      case 'ClientIP':
        return checkIPs(args);
      default:
        return undefined;
    }
  }
  switch (name) {
    case 'Host':
    case 'HostHeader':
      return args.every(isASCII) ? undefined : 'non-ASCII characters are not allowed';
    case 'HostRegexp':
      for (const a of args) {
        if (!isASCII(a)) return 'non-ASCII characters are not allowed';
        const t = muxTemplate(a, 'host');
        if (!t.ok) return t.error;
      }
      return undefined;
    case 'Path':
    case 'PathPrefix':
      for (const a of args) {
        if (!a.startsWith('/')) return `mux: path must start with a slash, got ${JSON.stringify(a)}`;
        const t = muxTemplate(a, name === 'Path' ? 'path' : 'prefix');
        if (!t.ok) return t.error;
      }
      return undefined;
    case 'Headers':
    case 'HeadersRegexp':
      if (args.length % 2 !== 0) return `mux: number of parameters must be multiple of 2, got ${args.length}`;
      if (name === 'HeadersRegexp') {
        for (let i = 1; i < args.length; i += 2) {
          const err = goRegexpSyntaxError(args[i]!);
          if (err !== null) return err;
        }
      }
      return undefined;
    case 'Query': {
      const parts = args.flatMap((a) => {
        const eq = a.indexOf('=');
        return eq < 0 ? [a] : [a.slice(0, eq), a.slice(eq + 1)];
      });
      if (parts.length % 2 !== 0) return `mux: number of parameters must be multiple of 2, got ${parts.length}`;
      for (let i = 0; i < parts.length; i += 2) {
        const t = muxTemplate(`${parts[i]!}=${parts[i + 1]!}`, 'query');
        if (!t.ok) return t.error;
      }
      return undefined;
    }
    case 'ClientIP':
      return checkIPs(args);
    default:
      return undefined;
  }
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function isIPv6(s: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || !s.includes(':')) return false;
  let groups = s.split(':');
  let max = 8;
  const last = groups[groups.length - 1]!;
  if (last.includes('.')) {
    if (!IPV4.test(last)) return false;
    groups = groups.slice(0, -1).concat(['0', '0']);
  }
  const dbl = s.indexOf('::');
  if (dbl >= 0) {
    if (s.indexOf('::', dbl + 1) >= 0) return false;
    const nonEmpty = groups.filter((g) => g !== '');
    max = 7;
    return nonEmpty.length <= max && nonEmpty.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g));
  }
  return groups.length === max && groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g));
}

/** pkg/ip.NewChecker: each entry an IP (net.ParseIP) or a CIDR (net.ParseCIDR). */
function checkIPs(args: string[]): string | undefined {
  for (const a of args) {
    if (IPV4.test(a) || isIPv6(a)) continue;
    const slash = a.indexOf('/');
    const ip = slash < 0 ? a : a.slice(0, slash);
    const bits = slash < 0 ? '' : a.slice(slash + 1);
    const v4 = IPV4.test(ip);
    const max = v4 ? 32 : isIPv6(ip) ? 128 : -1;
    if (max < 0 || !/^\d{1,3}$/.test(bits) || Number(bits) > max) return `invalid IP or CIDR ${JSON.stringify(a)}`;
  }
  return undefined;
}

/** Go's regexp.QuoteMeta. */
function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

type MuxKind = 'host' | 'path' | 'prefix' | 'query';

/** gorilla/mux newRouteRegexp (containous fork): the Go regexp a v2 template stands for. */
function muxTemplate(tpl: string, kind: MuxKind): { ok: true; pattern: string } | { ok: false; error: string } {
  // braceIndices: first-level braces, balanced
  const idxs: number[] = [];
  let level = 0;
  let idx = 0;
  for (let i = 0; i < tpl.length; i++) {
    if (tpl[i] === '{') {
      if (++level === 1) idx = i;
    } else if (tpl[i] === '}') {
      if (--level === 0) idxs.push(idx, i + 1);
      else if (level < 0) return { ok: false, error: `mux: unbalanced braces in ${JSON.stringify(tpl)}` };
    }
  }
  if (level !== 0) return { ok: false, error: `mux: unbalanced braces in ${JSON.stringify(tpl)}` };
  const defaultPattern = kind === 'query' ? '.*' : kind === 'host' ? '[^.]+' : '[^/]+';
  let pattern = kind === 'host' ? '(?i)^' : '^';
  let end = 0;
  for (let i = 0; i < idxs.length; i += 2) {
    const raw = tpl.slice(end, idxs[i]);
    end = idxs[i + 1]!;
    const inner = tpl.slice(idxs[i]! + 1, end - 1);
    const colon = inner.indexOf(':');
    const name = colon < 0 ? inner : inner.slice(0, colon);
    const patt = colon < 0 ? defaultPattern : inner.slice(colon + 1);
    if (name === '' || patt === '') {
      return { ok: false, error: `mux: missing name or pattern in ${JSON.stringify(tpl.slice(idxs[i], end))}` };
    }
    const err = goRegexpSyntaxError(`^${patt}$`);
    if (err !== null) return { ok: false, error: err };
    pattern += `${quoteMeta(raw)}(${patt})`;
  }
  pattern += quoteMeta(tpl.slice(end));
  if (kind === 'query' && tpl.slice(tpl.indexOf('=') + 1) === '') pattern += defaultPattern;
  if (kind !== 'prefix') pattern += '$';
  const err = goRegexpSyntaxError(pattern);
  return err === null ? { ok: true, pattern } : { ok: false, error: err };
}

// ---------------------------------------------------------------------------------------------
// Evaluation

export type RuleVerdict = 'match' | 'no-match' | 'unknown';

export interface RuleRequest {
  /** The Host header as Traefik receives it (a port is ignored). */
  host: string;
  /** The URL path, percent-encoded as sent; a query or fragment is ignored. */
  path: string;
}

const REGEXP_CACHE = new Map<string, GoRegexp>();

function regexp(pattern: string): GoRegexp {
  let re = REGEXP_CACHE.get(pattern);
  if (re === undefined) {
    if (REGEXP_CACHE.size >= 512) REGEXP_CACHE.clear();
    re = compileGoRegexp(pattern);
    REGEXP_CACHE.set(pattern, re);
  }
  return re;
}

function reTest(pattern: string, s: string): boolean {
  const re = regexp(pattern);
  return re.ok && re.test(s);
}

/** Traefik's (and containous/mux's) parseHost: the Host header without its port. */
function hostWithoutPort(addr: string): string {
  if (!addr.includes(':')) return addr;
  if (addr.startsWith('[')) {
    const close = addr.indexOf(']');
    if (close > 0 && addr[close + 1] === ':' && !addr.slice(close + 2).includes(':')) return addr.slice(1, close);
    return addr.endsWith(']') ? addr.slice(1, -1) : addr;
  }
  const colon = addr.lastIndexOf(':');
  return addr.indexOf(':') === colon ? addr.slice(0, colon) : addr;
}

/** The request host as Traefik's matchers see it (types.CanonicalDomain). */
function canonicalHost(host: string): string {
  return hostWithoutPort(host).trim().toLowerCase();
}

/** muxer.DomainMatchHostExpression */
function domainMatches(domain: string, expr: string): boolean {
  if (expr.startsWith('*')) {
    const labels = domain.split('.');
    labels[0] = '*';
    return labels.join('.').toLowerCase() === expr.toLowerCase();
  }
  return domain.toLowerCase() === expr.toLowerCase();
}

function hostMatchesV3(reqHost: string, hostExpr: string): boolean {
  if (hostExpr === '*') return true;
  const expr = hostExpr.toLowerCase();
  if (reqHost === '') return false;
  if (domainMatches(reqHost, expr)) return true;
  if (expr.endsWith('.') && domainMatches(reqHost, expr.slice(0, -1))) return true;
  return reqHost.endsWith('.') && domainMatches(reqHost.slice(0, -1), expr);
}

function hostMatchesV2(reqHost: string, hostExpr: string): boolean {
  const host = hostExpr.toLowerCase();
  if (reqHost === '') return false;
  if (reqHost === host) return true;
  if (host.endsWith('.') && reqHost === host.slice(0, -1)) return true;
  return reqHost.endsWith('.') && reqHost.slice(0, -1) === host;
}

const RESERVED_ESCAPES = new Set([
  '%3A',
  '%2F',
  '%3F',
  '%23',
  '%5B',
  '%5D',
  '%40',
  '%21',
  '%24',
  '%26',
  '%27',
  '%28',
  '%29',
  '%2A',
  '%2B',
  '%2C',
  '%3B',
  '%3D',
  '%25',
]);

/** Traefik's routing path (pkg/muxer/http/mux.go withRoutingPath): non-reserved escapes decoded. */
export function routingPath(path: string): string {
  const p = path.replace(/[?#].*$/s, '') || '/';
  let out = '';
  let run = ''; // consecutive decodable escapes, decoded together as UTF-8
  const flush = (): void => {
    if (run === '') return;
    try {
      out += decodeURIComponent(run);
    } catch {
      out += run;
    }
    run = '';
  };
  for (let i = 0; i < p.length; i++) {
    const esc = p.slice(i, i + 3);
    if (p[i] === '%' && /^%[0-9a-fA-F]{2}$/.test(esc)) {
      if (RESERVED_ESCAPES.has(esc)) {
        flush();
        out += esc;
      } else run += esc;
      i += 2;
      continue;
    }
    flush();
    out += p[i];
  }
  flush();
  return out;
}

/** Evaluates a parsed rule against a request, three-valued (see the module comment); never throws. */
export function evaluateRule(ast: RuleAst, req: RuleRequest): RuleVerdict {
  return evaluate(ast, {
    host: canonicalHost(req.host),
    rawHost: hostWithoutPort(req.host),
    path: routingPath(req.path),
  });
}

interface Req {
  host: string;
  rawHost: string;
  path: string;
}

function evaluate(ast: RuleAst, req: Req): RuleVerdict {
  switch (ast.type) {
    case 'not': {
      const v = evaluate(ast.operand, req);
      return v === 'unknown' ? v : v === 'match' ? 'no-match' : 'match';
    }
    case 'and': {
      let unknown = false;
      for (const o of ast.operands) {
        const v = evaluate(o, req);
        if (v === 'no-match') return v;
        if (v === 'unknown') unknown = true;
      }
      return unknown ? 'unknown' : 'match';
    }
    case 'or': {
      let unknown = false;
      for (const o of ast.operands) {
        const v = evaluate(o, req);
        if (v === 'match') return v;
        if (v === 'unknown') unknown = true;
      }
      return unknown ? 'unknown' : 'no-match';
    }
    case 'matcher':
      return ast.syntax === 'v2' ? matcherV2(ast.name, ast.args, req) : matcherV3(ast.name, ast.args, req);
  }
}

const verdict = (b: boolean): RuleVerdict => (b ? 'match' : 'no-match');

function matcherV3(name: MatcherName, args: string[], req: Req): RuleVerdict {
  const a = args[0] ?? '';
  switch (name) {
    case 'Host':
      return verdict(hostMatchesV3(req.host, a));
    case 'HostRegexp':
      // Traefik also tries the CNAME-flattened host, which is '' when flattening is off.
      return verdict(reTest(a, req.host) || reTest(a, ''));
    case 'Path':
      return verdict(req.path === a);
    case 'PathPrefix':
      return verdict(req.path.startsWith(a));
    case 'PathRegexp':
      return verdict(reTest(a, req.path));
    default:
      return 'unknown';
  }
}

function matcherV2(name: MatcherName, args: string[], req: Req): RuleVerdict {
  switch (name) {
    case 'Host':
    case 'HostHeader':
      return verdict(args.some((h) => hostMatchesV2(req.host, h)));
    case 'HostRegexp':
      return verdict(args.some((h) => templateMatches(h, 'host', req.rawHost)));
    case 'Path':
      return verdict(args.some((p) => templateMatches(p, 'path', req.path)));
    case 'PathPrefix':
      return verdict(args.some((p) => templateMatches(p, 'prefix', req.path)));
    default:
      return 'unknown';
  }
}

function templateMatches(tpl: string, kind: MuxKind, s: string): boolean {
  const t = muxTemplate(tpl, kind);
  return t.ok && reTest(t.pattern, s);
}

function hostsOf(ast: RuleAst, negated: boolean, out: string[]): void {
  switch (ast.type) {
    case 'not':
      hostsOf(ast.operand, !negated, out);
      return;
    case 'and':
    case 'or':
      for (const o of ast.operands) hostsOf(o, negated, out);
      return;
    case 'matcher':
      if (negated || (ast.name !== 'Host' && ast.name !== 'HostHeader')) return;
      for (const h of ast.args) {
        const host = h.toLowerCase();
        if (!out.includes(host)) out.push(host);
      }
  }
}

/** The literal `Host` (and v2 `HostHeader`) values of a rule, lower-cased, except those under a `!`. */
export function ruleHosts(ast: RuleAst): string[] {
  const out: string[] = [];
  hostsOf(ast, false, out);
  return out;
}

const DECIDABLE: ReadonlySet<MatcherName> = new Set<MatcherName>([
  'Host',
  'HostHeader',
  'HostRegexp',
  'Path',
  'PathPrefix',
  'PathRegexp',
]);

/** The matchers of a rule that this model cannot decide from host and path (for notes). */
function undecided(ast: RuleAst, out: Set<string> = new Set()): string {
  if (ast.type === 'matcher') {
    if (!DECIDABLE.has(ast.name)) out.add(ast.name);
  } else if (ast.type === 'not') undecided(ast.operand, out);
  else for (const o of ast.operands) undecided(o, out);
  return [...out].join(', ');
}

// ---------------------------------------------------------------------------------------------
// Routing

/** UTF-8 length of the rule: Traefik's default priority (`len(rule)` in Go). */
export function rulePriority(rule: string): number {
  let n = 0;
  for (let i = 0; i < rule.length; i++) {
    const c = rule.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < rule.length) {
      const d = rule.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

export interface TraefikBackend {
  kind: 'Service' | 'TraefikService';
  namespace: string;
  name: string;
  port?: TraefikPortRef;
  weight?: number;
  /** Why Traefik refuses this reference (it then builds no router for the route). */
  refused?: string;
}

/** The backends of a route as Traefik resolves them (namespace defaulted), each refusal explained. */
export function routeBackends(
  def: IngressRouteDef,
  route: IngressRouteRoute,
  opts: { allowCrossNamespace?: boolean } = {},
): TraefikBackend[] {
  return route.services.map((s) => {
    const b: TraefikBackend = { kind: s.kind, namespace: s.namespace ?? def.namespace, name: s.name };
    if (s.port !== undefined) b.port = { ...s.port };
    if (s.weight !== undefined) b.weight = s.weight;
    if (s.unsupportedKind !== undefined) {
      b.refused = `unsupported service kind ${s.unsupportedKind}`;
    } else if (!s.name.includes('@') && b.namespace !== def.namespace && opts.allowCrossNamespace !== true) {
      b.refused = `service ${b.namespace}/${b.name} not in the parent resource namespace ${def.namespace} (the CRD provider's allowCrossNamespace is false)`;
    }
    return b;
  });
}

export type TraefikRouteResult =
  | {
      kind: 'served';
      route: IngressRouteDef;
      /** Index in `route.routes`. */
      routeIndex: number;
      priority: number;
      backends: TraefikBackend[];
      certain: boolean;
      notes: string[];
    }
  | { kind: 'stop'; status: 404; reason: string; notes: string[] };

export interface TraefikRouteOptions {
  /** The entry point the request arrives on (see `entryPointForPort`); undefined: every router counts. */
  entryPoint?: string;
  /** Entry points of IngressRoutes without `entryPoints`; undefined: all entry points (Traefik's default). */
  defaultEntryPoints?: string[];
  /** The CRD provider's `allowCrossNamespace` (default false). */
  allowCrossNamespace?: boolean;
  /** `core.defaultRuleSyntax`; default `v3` (or `v2` with `traefikVersion: 2`). */
  syntax?: RuleSyntax;
  /** The CRD provider's `ingressClass`; default '' (objects with no class or class `traefik`). */
  ingressClass?: string;
  /** Whether the connection is TLS; undefined: routers with and without `tls` count. */
  tls?: boolean;
  /** Traefik's major version; 3 ignores `traefik.containo.us`, 2 defaults the syntax to v2. */
  traefikVersion?: 2 | 3;
}

interface Candidate {
  def: IngressRouteDef;
  routeIndex: number;
  priority: number;
  verdict: RuleVerdict;
  backends: TraefikBackend[];
  ast: RuleAst;
}

function ref(def: IngressRouteDef, routeIndex: number): string {
  return `IngressRoute ${def.namespace}/${def.name} route ${routeIndex + 1}`;
}

function sameBackends(a: TraefikBackend[], b: TraefikBackend[]): boolean {
  const key = (x: TraefikBackend): string =>
    `${x.kind}|${x.namespace}|${x.name}|${x.port?.number ?? ''}|${x.port?.name ?? ''}|${x.weight ?? ''}`;
  const ka = a.map(key).sort();
  const kb = b.map(key).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}

function syntaxOf(route: IngressRouteRoute, fallback: RuleSyntax): RuleSyntax {
  return route.syntax === 'v2' ? 'v2' : route.syntax === 'v3' ? 'v3' : fallback;
}

/** Whether some route of `def` matches (or may match) the request. */
function matchesSomewhere(def: IngressRouteDef, req: RuleRequest, syntax: RuleSyntax): boolean {
  return def.routes.some((r) => {
    const parsed = parseRule(r.match, syntaxOf(r, syntax));
    return parsed.ok && evaluateRule(parsed.ast, req) !== 'no-match';
  });
}

function classOf(def: IngressRouteDef): string {
  return def.ingressClassName ?? def.annotations[LEGACY_CLASS_ANNOTATION] ?? '';
}

/** Where Traefik sends `host` + `path`, or why it answers 404 (see the module comment). */
export function routeIngressRoutes(
  routes: readonly IngressRouteDef[],
  host: string,
  path: string,
  opts: TraefikRouteOptions = {},
): TraefikRouteResult {
  const notes: string[] = [];
  const providerClass = opts.ingressClass ?? '';
  const defaultSyntax: RuleSyntax = opts.syntax ?? (opts.traefikVersion === 2 ? 'v2' : 'v3');
  const req: RuleRequest = { host, path };
  const candidates: Candidate[] = [];
  let hasParentRefs = false;
  for (const def of routes) {
    const name = `IngressRoute ${def.namespace}/${def.name}`;
    if (opts.traefikVersion === 3 && def.apiGroup === 'traefik.containo.us') continue;
    const cls = classOf(def);
    if (!(cls === providerClass || (providerClass === '' && cls === 'traefik'))) continue;
    const eps = def.entryPoints ?? opts.defaultEntryPoints;
    let elsewhere: string | undefined;
    if (opts.entryPoint !== undefined && eps !== undefined && !eps.includes(opts.entryPoint)) {
      elsewhere = `is on entry point${eps.length > 1 ? 's' : ''} ${eps.join(', ')}, not ${opts.entryPoint}`;
    } else if (opts.tls !== undefined && def.tls !== opts.tls) {
      elsewhere = def.tls
        ? 'has tls, so it serves TLS connections only and this one is plain HTTP'
        : 'has no tls, so it serves plain HTTP only and this connection is TLS';
    }
    if (elsewhere !== undefined) {
      if (matchesSomewhere(def, req, defaultSyntax)) notes.push(`${name} would match but ${elsewhere}`);
      continue;
    }
    if (def.parentRefs !== undefined) {
      hasParentRefs = true;
      notes.push(`${name} is a child of another IngressRoute (parentRefs): multi-layer routing is not modelled`);
      continue;
    }
    def.routes.forEach((route, routeIndex) => {
      const where = ref(def, routeIndex);
      if (route.kind !== undefined) {
        notes.push(`${where} is skipped: kind ${route.kind} is not supported (only Rule)`);
        return;
      }
      if (route.match === '') {
        notes.push(`${where} is skipped: empty match rule`);
        return;
      }
      const parsed = parseRule(route.match, syntaxOf(route, defaultSyntax));
      if (!parsed.ok) {
        notes.push(`${where} is skipped: its rule does not parse (${parsed.error} at offset ${parsed.offset})`);
        return;
      }
      const v = evaluateRule(parsed.ast, req);
      if (v === 'no-match') return;
      const backends = routeBackends(def, route, opts);
      const refused = backends.find((b) => b.refused !== undefined);
      if (refused !== undefined) {
        notes.push(
          `${where} would ${v === 'match' ? '' : 'perhaps '}match but Traefik builds no router for it: ${refused.refused}`,
        );
        return;
      }
      if (backends.length === 0) {
        notes.push(`${where} would ${v === 'match' ? '' : 'perhaps '}match but has no services: Traefik disables it`);
        return;
      }
      const priority =
        route.priority !== undefined && route.priority !== 0 ? route.priority : rulePriority(route.match);
      candidates.push({ def, routeIndex, priority, verdict: v, backends, ast: parsed.ast });
    });
  }
  candidates.sort((a, b) => b.priority - a.priority); // stable: input order among equals
  let winner = candidates.find((c) => c.verdict === 'match');
  let certain = true;
  if (winner === undefined && candidates.length > 0) {
    winner = candidates[0]!;
    certain = false;
    notes.push(
      `no router certainly matches; ${ref(winner.def, winner.routeIndex)} matches if its ${undecided(winner.ast)} condition holds, otherwise ${candidates.length > 1 ? 'a lower-priority router or ' : ''}404`,
    );
  }
  if (hasParentRefs) certain = false;
  const epWords = opts.entryPoint === undefined ? '' : ` on entry point ${opts.entryPoint}`;
  if (winner === undefined) {
    return {
      kind: 'stop',
      status: 404,
      reason: `no IngressRoute${epWords} matches host ${canonicalHost(host)} and path ${routingPath(path)}: Traefik answers 404`,
      notes,
    };
  }
  const w = winner;
  for (const c of candidates) {
    if (c === w || c.priority < w.priority || sameBackends(c.backends, w.backends)) continue;
    certain = false;
    if (c.priority > w.priority) {
      notes.push(
        `${ref(c.def, c.routeIndex)} (priority ${c.priority}) takes the request instead if its ${undecided(c.ast)} condition holds`,
      );
    } else {
      notes.push(
        `${ref(c.def, c.routeIndex)} has the same priority ${c.priority} and ${c.verdict === 'match' ? 'also matches' : 'may match'}: Traefik's order between equal priorities is arbitrary`,
      );
    }
  }
  if (w.def.apiGroup === 'traefik.containo.us' && opts.traefikVersion === undefined) {
    certain = false;
    notes.push(`${w.def.namespace}/${w.def.name} is in the traefik.containo.us group, which Traefik v3 ignores`);
  }
  if (w.def.entryPoints === undefined && opts.entryPoint !== undefined && opts.defaultEntryPoints === undefined) {
    notes.push(
      `${w.def.namespace}/${w.def.name} sets no entryPoints: assumed on ${opts.entryPoint} (Traefik's default entry points are all of them unless some are marked asDefault)`,
    );
  }
  return {
    kind: 'served',
    route: w.def,
    routeIndex: w.routeIndex,
    priority: w.priority,
    backends: w.backends,
    certain,
    notes,
  };
}

/**
 * The entry point behind a Traefik Service port, by the Helm chart's convention (Service ports `web`
 * 80 → 8000 and `websecure` 443 → 8443, targetPort named like the port); undefined when unknown.
 */
export function entryPointForPort(servicePort: {
  port: number;
  name?: string;
  targetPort?: number | string;
}): string | undefined {
  for (const n of [servicePort.name, servicePort.targetPort]) {
    if (n === 'web' || n === 'websecure') return n;
  }
  if (servicePort.targetPort === 8000) return 'web';
  if (servicePort.targetPort === 8443) return 'websecure';
  return undefined;
}
