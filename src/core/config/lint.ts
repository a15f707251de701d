/**
 * Our own advice on top of cloudflared's verdicts. Nothing here is an error: a warning means
 * the config will not do what it says, information is advice (spec §13, issue #3).
 */
import type { Diagnostic, Severity } from '../types';
import { parseIP } from '../go/net';
import { isLoopback, isUnspecified } from '../net/address';
import { hostnameCharacterProblem } from '../net/hostname';
import { cidrContainsIP, parseCidr } from '../net/cidr';

/** parseIP only for strings that can be IP literals (it builds Go-style errors, which costs). */
function isIPLiteral(s: string): boolean {
  return (/^[0-9.]+$/.test(s) || s.includes(':')) && parseIP(s) !== null;
}
import { urlHostname } from '../go/url';
import { yamlRange } from '../yaml/load';
import type { YNode } from '../yaml/load';
import type { DecodeContext, StructValue } from './decode';
import { ERR_NO_INGRESS_RULES } from './ingress';
import type { ConfigModel, IngressRule } from './model';

export function lintConfig(ctx: DecodeContext, model: ConfigModel): void {
  const push = (code: string, severity: Severity, message: string, node: YNode | null): void => {
    ctx.diagnostics.push({ code, severity, message, range: yamlRange(ctx.lines, node) } satisfies Diagnostic);
  };
  const at = (rule: IngressRule, field: string): YNode | null =>
    rule.struct?.fields.get(field)?.entry.written ?? rule.node;

  if (model.ingressEntry && model.rules.length === 0) {
    push(
      'no-ingress-rules',
      'warning',
      `${ERR_NO_INGRESS_RULES}: \`tunnel run\` then serves HTTP 503 for every request (and \`ingress validate\` refuses the file).`,
      model.ingressEntry.key,
    );
  }

  const earlier = new ShadowIndex();
  model.rules.forEach((rule, j) => {
    const h = rule.hostname;
    const chars = hostnameCharacterProblem(h);
    if (chars) {
      // cloudflared accepts it (spec §6 validates ports and wildcards only); no request carries it.
      push(
        'hostname-invalid-character',
        'warning',
        `${chars}: no request can carry it (neither an HTTP Host header nor a DNS name), so rule #${j + 1} never matches. cloudflared does not check this.`,
        at(rule, 'hostname'),
      );
    }
    if (h.startsWith('*') && h !== '*' && !h.startsWith('*.') && h.lastIndexOf('*') === 0) {
      push(
        'wildcard-without-dot',
        'warning',
        `Hostname '${h}' is not a wildcard: cloudflared only treats '*.' as one, so this matches the literal host '${h}' only. Did you mean '*.${h.slice(1)}'?`,
        at(rule, 'hostname'),
      );
    }
    const depth = subdomainDepth(h);
    if (depth > 1) {
      push(
        'deep-subdomain',
        'information',
        `'${h}' is more than one level below its zone: Cloudflare's Universal SSL certificate covers only first-level subdomains, so browsers will see a certificate error unless you have an Advanced Certificate for it.`,
        at(rule, 'hostname'),
      );
    }
    if (rule.parsed?.kind === 'url') {
      const host = urlHostname(rule.parsed.url);
      if (isIPLiteral(host) && !isLoopback(host) && !isUnspecified(host)) {
        const range = defaultServiceRange(host);
        push(
          'service-raw-ip',
          'information',
          range
            ? `The service points at the raw IP address ${host}, in ${range}: if it is a Service's ClusterIP, it changes when the Service is re-created. Use the Service's DNS name (http://<service>.<namespace>.svc.cluster.local:<port>) instead; \`kubectl get svc -A --field-selector spec.clusterIP=${host}\` names the Service.`
            : `The service points at the raw IP address ${host}: the rule breaks when that host gets another address. A DNS name keeps it working.`,
          at(rule, 'service'),
        );
      }
    }
    if (rule.pathMatcher) checkPathGlob(ctx, rule);
    const shadow = rule.catchAll ? undefined : earlier.find(rule);
    if (shadow) {
      push(
        'rule-shadowed',
        'warning',
        `Rule #${j + 1} is never used: rule #${shadow.index + 1} (${describe(shadow)}) matches every request it would match, and the first match wins.`,
        at(rule, rule.struct?.fields.has('hostname') ? 'hostname' : 'service'),
      );
    }
    if (!rule.catchAll) earlier.add(rule);
    const origin = rule.struct?.fields.get('originRequest')?.value as StructValue | null | undefined;
    const ipRules = origin?.fields.get('ipRules');
    if (ipRules && rule.parsed && rule.parsed.kind !== 'socks-proxy') {
      push(
        'ip-rules-ignored',
        'warning',
        'ipRules only apply to `service: socks-proxy`; cloudflared ignores them here.',
        ipRules.entry.key,
      );
    }
    checkProxyType(origin, push);
  });

  const globalAccess = model.originRequest?.fields.get('access');
  if (globalAccess) {
    push(
      'global-access-ignored',
      'warning',
      "A global originRequest.access block is neither validated nor enforced by cloudflared: put `access` in each rule's originRequest.",
      globalAccess.entry.key,
    );
  }
  checkProxyType(model.originRequest, push);
}

/**
 * `path: /ws*`, `/static/*.js`, `/api/*`: written as globs, read by cloudflared as Go regular
 * expressions found anywhere in the path, where `s*` is "zero or more s" (so `/ws*` also sends
 * /weather to the websocket backend) and `/*` "zero or more slashes". A `*` that repeats one plain
 * character (a letter, digit, `/`, `-`, `_`, `~`) is the glob sign; `.*`, `[0-9]*`, `(a|b)*` and
 * `\d*` are regular expressions and never reported.
 */
function checkPathGlob(ctx: DecodeContext, rule: IngressRule): void {
  const p = rule.path;
  const stars = globStars(p);
  if (stars.length === 0) return;
  const node = rule.struct?.fields.get('path')?.entry.written ?? null;
  const meant = globToRegex(p, stars);
  const star = stars[0]!;
  const atom = p[star - 1]!;
  const trailing = stars.includes(p.replace(/\$$/, '').length - 1);
  const prefix = p.slice(p.startsWith('^') ? 1 : 0, p.replace(/\$$/, '').length - 2);
  const example = trailing && /^[\w/~-]*$/.test(prefix) ? `, so it matches every path that contains '${prefix}'` : '';
  const range = yamlRange(ctx.lines, node);
  ctx.diagnostics.push({
    code: 'path-glob',
    severity: 'warning',
    message:
      `path '${p}' reads like a glob, but cloudflared takes it as a Go regular expression and looks for it anywhere in the request path: ` +
      `'${atom}*' means "'${atom}' repeated any number of times, or not at all"${example}. Did you mean '${meant}'?`,
    range,
    fixes: [{ title: `Use the regular expression '${meant}'`, edits: [{ range, newText: scalarText(node, meant) }] }],
  });
}

const GLOB_ATOM = /[A-Za-z0-9/_~-]/;

/** Offsets of the `*`s in `p` that repeat a single plain, unescaped character. */
export function globStars(p: string): number[] {
  const out: number[] = [];
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '*' && i > 0 && GLOB_ATOM.test(p[i - 1]!) && p[i - 2] !== '\\') out.push(i);
  }
  return out;
}

/**
 * The regular expression a glob-like path probably meant: anchored at the start, each glob `*`
 * as `.*`, dots escaped, anchored at the end unless it ended in `*` (a prefix):
 * `/ws*` → `^/ws`, `/static/*.js` → `^/static/.*\.js$`, `/api/*` → `^/api/`.
 */
export function globToRegex(p: string, stars = globStars(p)): string {
  let body = p.startsWith('^') ? p.slice(1) : p;
  const offset = p.length - body.length;
  let end = body.length;
  if (body.endsWith('$') && !body.endsWith('\\$')) end--;
  const prefix = stars.includes(offset + end - 1);
  if (prefix) end--;
  let out = '';
  for (let i = 0; i < end; i++) {
    const c = body[i]!;
    if (c === '\\') {
      out += body.slice(i, i + 2);
      i++;
    } else if (c === '*' && stars.includes(offset + i)) {
      out += '.*';
    } else if (c === '.' && !/[*+?{]/.test(body[i + 1] ?? '')) {
      out += '\\.';
    } else {
      out += c;
    }
  }
  body = out.includes('|') ? `(?:${out})` : out;
  return `^${body}${prefix ? '' : '$'}`;
}

/** The new value as YAML in the style of the old one: plain stays plain, quoted becomes single-quoted. */
function scalarText(node: YNode | null, value: string): string {
  const plain = node && 'type' in node && node.type === 'PLAIN';
  return plain && !/: | #|^[-?:,[\]{}#&*!|>'"%@`]/.test(value) ? value : `'${value.replace(/'/g, "''")}'`;
}

function checkProxyType(
  origin: StructValue | null | undefined,
  push: (code: string, s: Severity, m: string, n: YNode | null) => void,
): void {
  const f = origin?.fields.get('proxyType');
  if (f && typeof f.value === 'string' && f.value !== '' && f.value !== 'socks') {
    push(
      'unknown-proxy-type',
      'warning',
      `proxyType '${f.value}' has no effect: cloudflared only knows "" and "socks".`,
      f.entry.written,
    );
  }
}

/**
 * Default Service (ClusterIP) ranges of the common distributions, each checked against its own
 * documentation: kubeadm's `serviceSubnet`, k3s's and RKE's `service-cidr`, MicroK8s's service CIDR,
 * EKS's two defaults (serviceIpv4Cidr) and GKE's default services range (1.29+, Autopilot 1.27+).
 * An address elsewhere (192.168.1.10) is a LAN host, never called a ClusterIP.
 */
const DEFAULT_SERVICE_RANGES = [
  { cidr: '10.96.0.0/12', who: 'kubeadm' },
  { cidr: '10.43.0.0/16', who: 'k3s and RKE' },
  { cidr: '10.152.183.0/24', who: 'MicroK8s' },
  { cidr: '10.100.0.0/16', who: 'EKS' },
  { cidr: '172.20.0.0/16', who: 'EKS' },
  { cidr: '34.118.224.0/20', who: 'GKE' },
].map(({ cidr, who }) => ({ range: parseCidr(cidr)!, who }));

/** "the default Service range of kubeadm (10.96.0.0/12)", or null outside every default range. */
export function defaultServiceRange(host: string): string | null {
  const hits = DEFAULT_SERVICE_RANGES.filter((r) => cidrContainsIP(r.range, host));
  if (hits.length === 0) return null;
  return `the default Service range of ${hits.map((r) => `${r.who} (${r.range.text})`).join(' and of ')}`;
}

const TWO_LEVEL_SUFFIXES = new Set(['co', 'com', 'net', 'org', 'gov', 'ac', 'edu', 'ne', 'or', 'go']);

/**
 * Levels below the registrable domain: `a.example.com` is 1, `a.b.example.com` is 2. The zone is
 * taken as the last two labels (three for `*.co.uk`-style suffixes); a wildcard counts as a level.
 */
export function subdomainDepth(hostname: string): number {
  if (hostname === '' || hostname === '*' || isIPLiteral(hostname)) return 0;
  const labels = hostname.replace(/\.$/, '').split('.');
  let zoneLabels = 2;
  if (
    labels.length >= 3 &&
    labels[labels.length - 1]!.length === 2 &&
    TWO_LEVEL_SUFFIXES.has(labels[labels.length - 2]!)
  )
    zoneLabels = 3;
  return Math.max(0, labels.length - zoneLabels);
}

/**
 * The rules seen so far, indexed so that "does an earlier rule match every request this one
 * matches?" costs O(labels) instead of O(rules). An earlier rule covers a later one when its path
 * is empty or the same, and its hostname is any-host, the same (case-insensitively), or a `*.`
 * wildcard whose suffix ends the later hostname.
 */
class ShadowIndex {
  private readonly byKey = new Map<string, IngressRule>();

  add(rule: IngressRule): void {
    const host = rule.hostname.toLowerCase();
    const key = host === '' || host === '*' ? `any\0${rule.path}` : `${host}\0${rule.path}`;
    if (!this.byKey.has(key)) this.byKey.set(key, rule);
  }

  find(rule: IngressRule): IngressRule | undefined {
    const paths = rule.path === '' ? [''] : ['', rule.path];
    const host = rule.hostname.toLowerCase();
    const labels = host.split('.');
    let best: IngressRule | undefined;
    const consider = (key: string): void => {
      const r = this.byKey.get(key);
      if (r && (!best || r.index < best.index)) best = r;
    };
    for (const p of paths) {
      consider(`any\0${p}`);
      consider(`${host}\0${p}`);
      for (let k = 1; k < labels.length; k++) consider(`*.${labels.slice(k).join('.')}\0${p}`);
    }
    return best;
  }
}

function describe(rule: IngressRule): string {
  const host = rule.hostname || '*';
  return rule.path ? `${host} ${rule.path}` : host;
}
