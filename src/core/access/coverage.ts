/**
 * Cloudflare Access coverage of public hostnames (issue #19), pure: which Access application covers a
 * hostname (and path), who may enter, and whether that counts as protected or open.
 *
 * Settled from Cloudflare's docs (cloudflare-docs `access-controls/policies/app-paths.mdx`,
 * `access-controls/policies/index.mdx`; field notes 2 §1.4, §1.8):
 * - Hosts: a `*` matches within one label only and may match nothing: `*.example.com` covers
 *   `alpha.example.com`, not `example.com` nor `foo.bar.example.com`; `*test.example.com` covers
 *   `test.example.com` and `alphatest.example.com`, not `beta.test.example.com`. At most one `*` per label.
 * - Paths: no path, `/` or `/*` covers every path of the host; `example.com/alpha/*` covers
 *   `/alpha/one`, not `/alpha`; a `*` in the middle spans segments (the docs' `/foo*` + `/bar` covers
 *   `/food/stuff/bar`); a path covers its sub-paths (`/eng` covers `/eng/exec`).
 * - The more specific application wins and nothing is inherited from the less specific one.
 * - Policy order: Bypass and Service Auth policies first, then Block and Allow; `bypass` disables Access.
 * - Types that sit on public hostnames and protect them: `self_hosted`, and `ssh`/`vnc`/`rdp` (browser
 *   rendering). A `bookmark` only links to a URL and protects nothing.
 * - A tunnel rule's `*.example.com` covers any depth (cloudflared matchHost), Access's one label.
 *
 * Assumed (not settled by a source; field notes 2 §4 items 3–4):
 * - A path without `*` covers itself and its sub-paths at segment boundaries: `example.com/eng`
 *   covers `/eng`, `/eng/` and `/eng/...`, NOT `/engineering`. This is the cautious reading: a
 *   hostname is never called protected on the strength of a string prefix. Where a tunnel rule's
 *   path regex would need the other reading to be decided, the rule is reported as "partly".
 * - A trailing `/` of an application path is ignored; paths compare case-sensitively; hosts
 *   case-insensitively (DNS is), with a trailing dot and a port dropped; no IDN/punycode folding.
 * - Precedence between matching applications: the host first (no wildcard over wildcard, then more
 *   literal characters), then the path (more literal characters, then no wildcard over wildcard).
 *   The docs only show `/eng` vs `/eng/exec` on one host. Equal candidates: the first listed wins.
 * - Counted as open: a `bypass` policy for everyone (include `everyone`, or an `ip` of `0.0.0.0/0`
 *   or `::/0`, with no `require` other than those), an `allow` for everyone (any login passes; with the
 *   One-time PIN any e-mail address), and a `non_identity` (Service Auth) for everyone. An `exclude`
 *   does not change that (everyone but a few is still the internet).
 * - Other types (`mcp`, `mcp_portal`, `proxy_endpoint`, `saas`, …) are not counted as protecting a
 *   tunnel hostname: the worst outcome is an "open" that a person can check, never a false "protected".
 */

export type AccessDecision = 'allow' | 'deny' | 'non_identity' | 'bypass';

/**
 * One include/exclude/require entry as the API writes it: one key, e.g. `{ email: { email } }`.
 * Typed `unknown` so raw API values are accepted; anything not an object is ignored.
 */
export type AccessRule = unknown;

export interface AccessPolicy {
  id: string;
  name?: string;
  decision: AccessDecision | string;
  include: readonly AccessRule[];
  exclude?: readonly AccessRule[];
  require?: readonly AccessRule[];
}

/** The wrapper's normalised application (src/cloudflare/access.ts); declared here structurally. */
export interface AccessApp {
  id: string;
  name: string;
  type: string;
  /** `host[/path]`, the host may hold `*` (e.g. `*.example.com`, `example.com/admin`). */
  domains: readonly string[];
  /** In order of precedence. */
  policies: readonly AccessPolicy[];
  sessionDuration?: string;
}

export type CoverageState = 'protected' | 'open' | 'unknown';

export interface Coverage<A extends AccessApp = AccessApp> {
  state: CoverageState;
  /** The application that decides for the hostname (absent: none covers it, or unknown). */
  app?: A;
  /** The app's domain that matched. */
  domain?: string;
  /** Who may enter, in short: `emails @example.com`, `service token ci`, `everyone (bypass)`. */
  who: string;
  /** One sentence. */
  reason: string;
}

/** Names for ids in include rules, when the caller has them (service tokens, IdPs, groups). */
export interface AccessNames {
  serviceTokens?: Record<string, string>;
  identityProviders?: Record<string, string>;
  groups?: Record<string, string>;
}

export interface CoverageOptions {
  names?: AccessNames;
  /** Why `apps` is undefined, e.g. "the token lacks Access: Apps and Policies Read". */
  unknownReason?: string;
}

/** Types whose domains are enforced by Access on public hostnames. */
export const PROTECTING_TYPES: ReadonlySet<string> = new Set(['self_hosted', 'ssh', 'vnc', 'rdp']);

// ---------------------------------------------------------------------------------------------------
// Matching

export interface DomainPattern {
  /** Lower-cased, without port or trailing dot. */
  host: string;
  /** '' when the domain covers every path (no path, `/`, `/*`); else starts with `/`, no trailing `/`. */
  path: string;
}

export function parseDomain(domain: string): DomainPattern {
  let d = domain.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  d = d.replace(/[?#].*$/, '');
  const slash = d.indexOf('/');
  let host = slash < 0 ? d : d.slice(0, slash);
  const path = slash < 0 ? '' : d.slice(slash);
  host = host.replace(/:\d*$/, '').replace(/\.$/, '').toLowerCase();
  return { host, path: normalAppPath(path) };
}

/** An application path: '' for every path (none, `/`, `/*`), else with a leading and no trailing `/`. */
function normalAppPath(path: string): string {
  let p = path.trim().replace(/\/+$/, '');
  if (p !== '' && !p.startsWith('/')) p = '/' + p;
  return p === '/*' ? '' : p;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function hostRegex(pattern: string): RegExp {
  return new RegExp('^' + pattern.split('*').map(escapeRegex).join('[^.]*') + '$', 'i');
}

function pathRegex(pattern: string): RegExp {
  return new RegExp('^' + pattern.split('*').map(escapeRegex).join('.*') + '(?:/.*)?$');
}

function normalHost(host: string): string {
  return host.trim().replace(/:\d*$/, '').replace(/\.$/, '').toLowerCase();
}

function normalPath(path: string | undefined): string {
  let p = (path ?? '').replace(/[?#].*$/, '');
  if (!p.startsWith('/')) p = '/' + p;
  return p;
}

/** Access's host match of an application host pattern (one label per `*`). */
export function accessHostMatches(patternHost: string, host: string): boolean {
  const p = normalHost(patternHost);
  const h = normalHost(host);
  return p.includes('*') ? hostRegex(p).test(h) : p === h;
}

/** Access's path match of an application path ('' = every path). */
export function accessPathMatches(patternPath: string, path: string | undefined): boolean {
  const p = normalAppPath(patternPath);
  if (p === '') return true;
  return pathRegex(p).test(normalPath(path));
}

/** Whether an Access application domain (`host[/path]`) covers a request to host + path. */
export function accessMatches(domain: string, host: string, path?: string): boolean {
  const d = parseDomain(domain);
  if (!accessHostMatches(d.host, host)) return false;
  return d.path === '' || pathRegex(d.path).test(normalPath(path));
}

/** Comparable specificity of a domain pattern: larger is more specific (see the module comment). */
export function specificity(domain: string): number[] {
  const d = parseDomain(domain);
  const literal = (s: string): number => s.replace(/\*/g, '').length;
  return [
    d.host.includes('*') ? 0 : 1,
    literal(d.host),
    literal(d.path),
    d.path !== '' && !d.path.includes('*') ? 1 : 0,
  ];
}

function compareSpecificity(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

export interface AppMatch<A extends AccessApp = AccessApp> {
  app: A;
  domain: string;
}

/** Every protecting application's domains that cover host + path, most specific first. */
export function matchingApps<A extends AccessApp>(apps: readonly A[], host: string, path?: string): AppMatch<A>[] {
  const found: Array<AppMatch<A> & { spec: number[]; order: number }> = [];
  let order = 0;
  for (const app of apps) {
    if (!PROTECTING_TYPES.has(app.type)) continue;
    let best: { domain: string; spec: number[] } | undefined;
    for (const domain of app.domains) {
      if (!accessMatches(domain, host, path)) continue;
      const spec = specificity(domain);
      if (!best || compareSpecificity(spec, best.spec) > 0) best = { domain, spec };
    }
    if (best) found.push({ app, domain: best.domain, spec: best.spec, order: order++ });
  }
  found.sort((a, b) => compareSpecificity(b.spec, a.spec) || a.order - b.order);
  return found.map(({ app, domain }) => ({ app, domain }));
}

/** The application Access uses for host + path (the most specific match), if any. */
export function decidingApp<A extends AccessApp>(
  apps: readonly A[],
  host: string,
  path?: string,
): AppMatch<A> | undefined {
  return matchingApps(apps, host, path)[0];
}

// ---------------------------------------------------------------------------------------------------
// Policies

function ruleKey(rule: AccessRule): string | undefined {
  return rule && typeof rule === 'object' && !Array.isArray(rule) ? Object.keys(rule)[0] : undefined;
}

function ruleValue(rule: AccessRule, key: string): Record<string, unknown> {
  const v = (rule as Record<string, unknown>)[key];
  return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** `everyone`, or an IP range that is every address. */
function isEveryoneRule(rule: AccessRule): boolean {
  const key = ruleKey(rule);
  if (key === 'everyone') return true;
  if (key === 'ip') {
    const ip = str(ruleValue(rule, 'ip').ip)?.trim();
    return ip === '0.0.0.0/0' || ip === '::/0';
  }
  return false;
}

/** Whether a policy admits everyone (exclusions aside). */
export function isForEveryone(policy: AccessPolicy): boolean {
  return policy.include.some(isEveryoneRule) && (policy.require ?? []).every(isEveryoneRule);
}

const MAX_WHO_PARTS = 3;

function shortId(id: string): string {
  return id.length > 12 ? id.slice(0, 8) + '…' : id;
}

function named(map: Record<string, string> | undefined, id: string | undefined): string {
  if (!id) return '?';
  return map?.[id] ?? shortId(id);
}

/** The include rules of policies, in short words (`emails @example.com`, `a@b.com`, `service token ci`). */
function describeIncludes(rules: readonly AccessRule[], names: AccessNames | undefined): string[] {
  const emails: string[] = [];
  const domains: string[] = [];
  const out: string[] = [];
  for (const rule of rules) {
    const key = ruleKey(rule);
    if (!key) continue;
    const v = ruleValue(rule, key);
    switch (key) {
      case 'email':
        emails.push(str(v.email) ?? '?');
        break;
      case 'email_domain':
        domains.push('@' + (str(v.domain) ?? '?').replace(/^@/, ''));
        break;
      case 'everyone':
        out.push('everyone');
        break;
      case 'service_token':
        out.push(`service token ${named(names?.serviceTokens, str(v.token_id))}`);
        break;
      case 'any_valid_service_token':
        out.push('any service token');
        break;
      case 'login_method':
        out.push(`login via ${named(names?.identityProviders, str(v.id))}`);
        break;
      case 'group':
        out.push(`group ${named(names?.groups, str(v.id))}`);
        break;
      case 'ip':
        out.push(`IP ${str(v.ip) ?? '?'}`);
        break;
      case 'ip_list':
        out.push('an IP list');
        break;
      case 'email_list':
        out.push('an email list');
        break;
      case 'geo':
        out.push(`country ${str(v.country_code) ?? '?'}`);
        break;
      case 'certificate':
        out.push('a client certificate');
        break;
      case 'common_name':
        out.push(`certificate ${str(v.common_name) ?? '?'}`);
        break;
      case 'cloudflare_account_member':
        out.push('account members');
        break;
      default:
        out.push(key.replace(/_/g, ' '));
    }
  }
  const head: string[] = [];
  if (domains.length > 0) head.push(`emails ${domains.join(', ')}`);
  if (emails.length === 1) head.push(emails[0]!);
  else if (emails.length > 1) head.push(`${emails.length} emails`);
  return [...head, ...out];
}

function joinWho(parts: string[]): string {
  const unique = [...new Set(parts)];
  if (unique.length <= MAX_WHO_PARTS) return unique.join(', ');
  return `${unique.slice(0, MAX_WHO_PARTS).join(', ')} +${unique.length - MAX_WHO_PARTS} more`;
}

function quote(s: string | undefined): string {
  return `"${s ?? ''}"`;
}

/** Protected or open, and who may enter, for one application (its policies, in Access's order). */
export function appCoverage<A extends AccessApp>(app: A, domain: string, names?: AccessNames): Coverage<A> {
  const base = { app, domain };
  const policies = app.policies ?? [];
  const label = `Access application ${quote(app.name)} (${domain})`;
  if (policies.length === 0) {
    return {
      ...base,
      state: 'protected',
      who: 'nobody (no policy)',
      reason: `${label} has no policy, so it blocks everyone.`,
    };
  }
  // Bypass and Service Auth policies are evaluated first, then Block and Allow (Access's order).
  const first = policies.filter((p) => p.decision === 'bypass' || p.decision === 'non_identity');
  const then = policies.filter((p) => p.decision === 'allow' || p.decision === 'deny');
  for (const p of first) {
    if (!isForEveryone(p)) continue;
    if (p.decision === 'bypass') {
      return {
        ...base,
        state: 'open',
        who: 'everyone (bypass)',
        reason: `${label}: policy ${quote(p.name)} bypasses Access for everyone.`,
      };
    }
    return {
      ...base,
      state: 'open',
      who: 'everyone (service auth)',
      reason: `${label}: Service Auth policy ${quote(p.name)} includes everyone.`,
    };
  }
  for (const p of then) {
    if (!isForEveryone(p)) continue;
    if (p.decision === 'deny') {
      const others = first.length > 0;
      return {
        ...base,
        state: 'protected',
        who: others ? joinWho(first.flatMap((q) => whoOf(q, names))) : 'nobody (blocked)',
        reason: `${label}: policy ${quote(p.name)} blocks everyone${others ? ' not admitted by a bypass or Service Auth policy' : ''}.`,
      };
    }
    return {
      ...base,
      state: 'open',
      who: 'everyone (any login)',
      reason: `${label}: policy ${quote(p.name)} allows everyone who can sign in (with One-time PIN, any e-mail address).`,
    };
  }
  const admitting = [...first, ...policies.filter((p) => p.decision === 'allow')];
  if (admitting.length === 0) {
    return {
      ...base,
      state: 'protected',
      who: 'nobody (block policies only)',
      reason: `${label} has only block policies, so it blocks everyone.`,
    };
  }
  return {
    ...base,
    state: 'protected',
    who: joinWho(admitting.flatMap((p) => whoOf(p, names))),
    reason: `${label} asks for ${admitting.some((p) => p.decision === 'allow') ? 'a login' : 'a service token'} before the request reaches the tunnel.`,
  };
}

function whoOf(p: AccessPolicy, names: AccessNames | undefined): string[] {
  const parts = describeIncludes(p.include, names);
  if (p.decision === 'bypass') return parts.map((s) => `bypass: ${s}`);
  return parts;
}

const DEFAULT_UNKNOWN = 'the Access applications could not be read';

export function unknownCoverage<A extends AccessApp = AccessApp>(reason?: string): Coverage<A> {
  return { state: 'unknown', who: 'unknown', reason: `Unknown: ${reason ?? DEFAULT_UNKNOWN}.` };
}

function display(host: string, path: string | undefined): string {
  const p = path && path !== '/' ? normalPath(path) : '';
  return host + p;
}

/**
 * Coverage of one request target: `apps` undefined when they could not be read (→ `unknown`, with
 * `options.unknownReason`); no covering application → `open`.
 */
export function coverage<A extends AccessApp>(
  hostname: string,
  path: string | undefined,
  apps: readonly A[] | undefined,
  options: CoverageOptions = {},
): Coverage<A> {
  if (!apps) return unknownCoverage(options.unknownReason);
  const match = decidingApp(apps, hostname, path);
  if (!match) {
    return {
      state: 'open',
      who: 'everyone (no Access application)',
      reason: `No Access application covers ${display(normalHost(hostname), path)}: anyone on the internet can reach it.`,
    };
  }
  return appCoverage(match.app, match.domain, options.names);
}

// ---------------------------------------------------------------------------------------------------
// Tunnel rules

export interface CoveragePart<A extends AccessApp = AccessApp> {
  /** `wildcard-depth`: deeper names of a tunnel wildcard; `host`/`path`: a more specific application. */
  kind: 'wildcard-depth' | 'host' | 'path';
  /** The names concerned, e.g. `a.b.example.com`, `grafana.example.com`, `example.com/admin`. */
  example: string;
  coverage: Coverage<A>;
}

export interface RuleCoverage<A extends AccessApp = AccessApp> extends Coverage<A> {
  /** Regions of a protected rule that are open (deeper wildcard names, an open sub-path or host). */
  gaps: CoveragePart<A>[];
  /** Regions of an open rule that an application protects (`example.com/admin` of `example.com`). */
  protectedParts: CoveragePart<A>[];
  /** Set when the rule's path regex cannot be compared exactly with the applications' paths: why. */
  partly?: string;
}

/** A label no Access pattern spells literally: only a bare `*` label matches it. */
const ANY_LABEL = '~';
const SAMPLE_LABELS = ['a', 'b', 'c', 'd', 'e'];
const MAX_DEPTH = 5;

interface RulePathRegion {
  /** Every request path the rule admits starts with this ('' = unknown start: any path). */
  prefix: string;
  /** The rule admits exactly `prefix` (`^/admin$`). */
  exact: boolean;
}

/** What a cloudflared path regex (unanchored Go regexp) says about the paths it admits. */
export function rulePathRegion(regex: string | undefined): RulePathRegion {
  if (!regex) return { prefix: '', exact: false };
  if (!regex.startsWith('^')) return { prefix: '', exact: false };
  let i = 1;
  let prefix = '';
  while (i < regex.length) {
    const c = regex[i]!;
    if (c === '\\' && i + 1 < regex.length && /[./\-_~]/.test(regex[i + 1]!)) {
      prefix += regex[i + 1];
      i += 2;
      continue;
    }
    if (/[.*+?()[\]{}|\\$^]/.test(c)) break;
    prefix += c;
    i++;
  }
  // A quantifier after the last literal makes that literal optional.
  if (i < regex.length && /[*?{]/.test(regex[i]!)) prefix = prefix.slice(0, -1);
  const rest = regex.slice(i);
  if (!prefix.startsWith('/')) return { prefix: '', exact: false };
  return { prefix, exact: rest === '$' };
}

function segPrefix(p: string, x: string): boolean {
  return x === p || x.startsWith(p + '/');
}

type PathRelation = 'covers' | 'disjoint' | 'inside' | 'undecided';

/** How an application path (non-empty) relates to the paths a rule admits. */
function relatePath(appPath: string, region: RulePathRegion): PathRelation {
  const { prefix, exact } = region;
  if (prefix === '') return 'inside';
  const star = appPath.indexOf('*');
  if (star >= 0) {
    const lit = appPath.slice(0, star);
    if (exact) return pathRegex(appPath).test(prefix) ? 'covers' : 'disjoint';
    if (lit.startsWith(prefix)) return 'inside';
    if (!prefix.startsWith(lit)) return 'disjoint';
    return 'undecided';
  }
  if (exact) return segPrefix(appPath, prefix) ? 'covers' : 'disjoint';
  if (prefix.startsWith(appPath + '/')) return 'covers';
  if (prefix === appPath) return 'undecided';
  if (appPath.startsWith(prefix)) return 'inside';
  return 'disjoint';
}

function sampleHost(depth: number, base: string): string {
  return [...SAMPLE_LABELS.slice(0, depth), base].join('.');
}

/**
 * Coverage of a tunnel rule: its hostname (a cloudflared wildcard `*.example.com` covers any depth)
 * and path (a Go regexp searched anywhere in the path). The main coverage is that of the rule's
 * typical request (one label under a wildcard; the literal start of an anchored path); `gaps` and
 * `protectedParts` list the regions that differ, `partly` says when the rule's path cannot be decided.
 */
export function ruleCoverage<A extends AccessApp>(
  ruleHostname: string,
  rulePath: string | undefined,
  apps: readonly A[] | undefined,
  options: CoverageOptions = {},
): RuleCoverage<A> {
  if (!apps) return { ...unknownCoverage(options.unknownReason), gaps: [], protectedParts: [] };
  const host = normalHost(ruleHostname);
  if (host === '' || host === '*') {
    return {
      state: 'unknown',
      who: 'unknown',
      reason: 'A catch-all rule serves whatever hostnames DNS routes to the tunnel; check those hostnames.',
      gaps: [],
      protectedParts: [],
    };
  }
  const wildcard = host.startsWith('*.');
  const base = wildcard ? host.slice(2) : host;
  const region = rulePathRegion(rulePath);
  const repHost = wildcard ? `${ANY_LABEL}.${base}` : host;
  const repPath = region.prefix || '/';
  const main = coverage(repHost, repPath, apps, options);
  const shown = display(host, region.prefix);
  if (main.state === 'open' && !main.app) {
    main.reason = `No Access application covers ${shown}: anyone on the internet can reach it.`;
  }

  const gaps: CoveragePart<A>[] = [];
  const protectedParts: CoveragePart<A>[] = [];
  const undecided: string[] = [];
  let regexAnywhere = false;
  const addPart = (part: CoveragePart<A>): void => {
    if (part.coverage.state === main.state) return;
    if (part.coverage.state === 'open') gaps.push(part);
    else protectedParts.push(part);
  };

  for (const app of apps) {
    if (!PROTECTING_TYPES.has(app.type)) continue;
    for (const domain of app.domains) {
      const d = parseDomain(domain);
      let kind: 'host' | 'path';
      if (accessHostMatches(d.host, repHost)) {
        if (d.path === '') continue; // the main coverage, or less specific than it
        kind = 'path';
      } else if (wildcard && d.host.endsWith('.' + base) && !/^(\*\.)+$/.test(d.host.slice(0, -base.length))) {
        // A more specific host under the tunnel wildcard (exact or partial); patterns made of bare
        // `*.` labels only are the depth probes below.
        kind = 'host';
      } else {
        continue;
      }
      const rel = d.path === '' ? 'covers' : relatePath(d.path, region);
      if (rel === 'disjoint') continue;
      if (rel === 'undecided') {
        undecided.push(`${quote(app.name)} (${domain})`);
        continue;
      }
      if (main.app === app && main.domain === domain) continue;
      if (kind === 'path' && rel === 'covers') continue; // it is (or loses to) the main coverage
      const sample = kind === 'path' ? repHost : d.host.replace(/\*/g, '');
      const winner = decidingApp(apps, sample, d.path.replace(/\*/g, '') || repPath);
      if (winner && winner.app !== app) continue; // an even more specific app decides there
      if (kind === 'path' && rulePath && region.prefix === '') regexAnywhere = true;
      addPart({
        kind,
        example: display(kind === 'path' ? host : d.host, d.path),
        coverage: appCoverage(app, domain, options.names),
      });
    }
  }

  if (wildcard && main.state === 'protected') {
    for (let depth = 2; depth <= MAX_DEPTH; depth++) {
      const probe = [...Array<string>(depth).fill(ANY_LABEL), base].join('.');
      const c = coverage(probe, repPath, apps, options);
      if (c.state === 'open') {
        const example = sampleHost(depth, base);
        gaps.push({
          kind: 'wildcard-depth',
          example,
          coverage: c.app
            ? c
            : {
                ...c,
                reason: `The tunnel rule ${host} also matches ${example} and deeper names, which no Access application covers (Access's ${'*.'.repeat(depth - 1)}${base} covers ${depth - 1 === 1 ? 'one label' : `${depth - 1} labels`}).`,
              },
        });
        break;
      }
    }
  }

  let partly: string | undefined;
  if (undecided.length > 0) {
    partly = `The rule's path ${rulePath ?? ''} is a regular expression that cannot be compared exactly with ${undecided.join(', ')}.`;
  } else if (regexAnywhere) {
    partly = `The rule's path ${rulePath ?? ''} is a regular expression searched anywhere in the request path; it was compared as if it admitted every path.`;
  }
  return { ...main, gaps, protectedParts, ...(partly ? { partly } : {}) };
}
