/**
 * The drift report: what the cluster (Services, cloudflared Deployments), the account (tunnels,
 * their remote configurations and connectors, DNS records) and the workspace config.yaml files
 * say that does not fit together. Each finding has a stable code, a message that says what
 * breaks, and actions to fix it; findings about a workspace config carry the place in the file,
 * and `driftDiagnostics` turns those into diagnostics with quick fixes.
 * Pure: plain data in, plain data out.
 */
import { hostnameMatches, tunnelIdFromTarget } from './cloudflare/tunnelsTree';
import type { ConfigModel } from './config/model';
import { ORIGIN_DEFAULT_PORTS, parseService } from './config/service';
import { checkConfigText } from './config/check';
import { serviceDnsName, yamlScalar } from './expose';
import { parseCIDR, parseIP } from './go/net';
import { urlHostname, urlPort } from './go/url';
import type { Diagnostic, Fix, Range } from './types';
import { yamlRange } from './yaml/load';
import { editDistance, replaceUrlHost, replaceUrlPort } from './strings';

// ── Input ───────────────────────────────────────────────────────────────────────────────────

export interface DriftService {
  name: string;
  namespace: string;
  /** `spec.clusterIP`; `None` for a headless Service. */
  clusterIP?: string;
  /** `spec.clusterIPs` (dual-stack), when known. */
  clusterIPs?: string[];
  ports: Array<{ port: number; name?: string }>;
}

export interface DriftRuleInput {
  hostname?: string;
  path?: string;
  service: string;
}

export interface DriftTunnel {
  id: string;
  name: string;
  status: string;
  configSrc: 'cloudflare' | 'local';
  deleted?: boolean;
  /** Connectors (cloudflared processes) connected now; undefined when not known. */
  connectorCount?: number;
  /** The remote configuration's ingress rules, once loaded (remotely-managed tunnels). */
  remoteRules?: DriftRuleInput[];
}

export interface DriftDnsRecord {
  id: string;
  zoneId: string;
  zoneName?: string;
  name: string;
  type: string;
  content: string;
  proxied: boolean;
}

export interface DriftWorkspaceRule extends DriftRuleInput {
  /** The rule (the sequence item). */
  range: Range;
  /** The `hostname` value, when known (diagnostics sit there). */
  hostnameRange?: Range;
  /** The `service` value, when known: diagnostics sit there and the rewrite fix replaces it. */
  serviceRange?: Range;
}

export interface DriftWorkspaceConfig {
  path: string;
  /** The config's `tunnel:` (a UUID or a name). */
  tunnel?: string;
  rules: DriftWorkspaceRule[];
  /** The `ingress` key, for findings about the whole list. */
  ingressRange?: Range;
}

export interface DriftDeployment {
  name: string;
  namespace: string;
  /** Ready replicas. */
  ready: number;
  /** Desired replicas (`spec.replicas`). */
  desired: number;
  /** The tunnel the pods run (UUID or name), when known from their args/config. */
  tunnelRef?: string;
}

export interface DriftInput {
  /** Services of every namespace; undefined while the cluster is not read. */
  services?: DriftService[];
  clusterConnected: boolean;
  tunnels: DriftTunnel[];
  dnsRecords: DriftDnsRecord[];
  workspaceConfigs: DriftWorkspaceConfig[];
  deployments?: DriftDeployment[];
  /** The account's zones; when given, a hostname outside them is not offered a DNS route. */
  zones?: Array<{ id: string; name: string }>;
  /** The cluster's DNS domain (`cluster.local` unless set up otherwise). */
  clusterDomain?: string;
  /** The Service CIDRs, when known; else the range is inferred from the ClusterIPs seen. */
  serviceCIDRs?: string[];
}

// ── Output ──────────────────────────────────────────────────────────────────────────────────

export type DriftCode =
  | 'drift-service-missing'
  | 'drift-port-missing'
  | 'drift-ip-not-cluster-ip'
  | 'drift-ip-is-cluster-ip'
  | 'drift-hostname-without-dns'
  | 'drift-dns-not-proxied'
  | 'drift-cname-without-rule'
  | 'drift-cname-deleted-tunnel'
  | 'drift-cname-other-tunnel'
  | 'drift-local-ingress-ignored'
  | 'drift-pods-not-ready'
  | 'drift-no-connector';

export type DriftSeverity = 'error' | 'warning' | 'information';

/** Where a rule lives: a workspace config (edited as text) or a remote configuration (via the API). */
export type RuleTarget =
  | { source: 'workspace'; path: string; ruleIndex: number; range: Range; serviceRange?: Range }
  | { source: 'remote'; tunnelId: string; ruleIndex: number };

interface ActionBase {
  title: string;
  /** The action a user would most likely want. */
  preferred?: boolean;
}

export type DriftAction = ActionBase &
  (
    | { kind: 'rewrite-service'; data: { target: RuleTarget; from: string; to: string } }
    | { kind: 'remove-rule'; data: { target: RuleTarget; hostname?: string; path?: string } }
    /**
     * Route `hostname` to the tunnel: the proxied CNAME `hostname` → `<tunnelId>.cfargotunnel.com`
     * (`CloudflareApi.routeHostname`: the proxy turned on for an unproxied one, every A/AAAA/CNAME
     * record there replaced after asking). `overwrite`: records are expected at the name.
     */
    | { kind: 'create-dns-route'; data: { tunnelId: string; hostname: string; overwrite: boolean; zoneId?: string } }
    | { kind: 'delete-dns-record'; data: { zoneId: string; recordId: string; hostname: string } }
    /** Start "Expose through tunnel…" for this tunnel with the hostname filled in. */
    | { kind: 'add-rule'; data: { tunnelId: string; hostname: string } }
    | { kind: 'open-config'; data: { tunnelId: string } | { path: string; range?: Range } }
    /** Merge the workspace config's rules into the tunnel's remote configuration (diff preview first). */
    | { kind: 'copy-rules-to-remote'; data: { tunnelId: string; path: string } }
    | { kind: 'show-logs'; data: { namespace: string; name: string } }
  );

export type DriftActionKind = DriftAction['kind'];

export interface DriftFinding {
  /** Stable across runs for the same problem (tree item ids, de-duplication). */
  id: string;
  code: DriftCode;
  severity: DriftSeverity;
  message: string;
  tunnelId?: string;
  hostname?: string;
  /** The DNS record concerned, if any. */
  recordId?: string;
  /** For workspace config findings: the place in the file. */
  location?: { path: string; range: Range };
  actions: DriftAction[];
}

// ── Helpers ─────────────────────────────────────────────────────────────────────────────────

/** The port a URL service connects to when it names none (cloudflared's schemes). */
const DEFAULT_PORTS: Record<string, number> = { ...ORIGIN_DEFAULT_PORTS, tcp: 7864 };
const SEVERITY_RANK: Record<DriftSeverity, number> = { error: 0, warning: 1, information: 2 };

function norm(h: string | undefined): string {
  return (h ?? '').trim().toLowerCase().replace(/\.$/, '');
}

/** A rule hostname and a DNS name (either may be a `*.` wildcard) that share requests. */
function overlaps(a: string, b: string): boolean {
  return hostnameMatches(a, b) || hostnameMatches(b, a);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

type ServiceRef = { name: string; namespace: string; form: 'short' | 'ns' | 'svc' | 'fqdn' };

/**
 * The Service a host names (Kubernetes DNS): `name.ns.svc.<cluster domain>`, `name.ns.svc`,
 * `name.ns`, or a bare `name` in the cloudflared pod's namespace (when it is known).
 */
export function clusterServiceRef(host: string, podNamespace: string | undefined, clusterDomain = 'cluster.local'): ServiceRef | undefined {
  const labels = norm(host).split('.');
  if (labels.some((l) => l === '')) return undefined;
  const [name, ns] = labels as [string, string | undefined];
  const domain = norm(clusterDomain).replace(/^\.+/, '');
  if (labels.length === 1) return podNamespace && name !== 'localhost' ? { name, namespace: podNamespace, form: 'short' } : undefined;
  if (labels.length === 2) return { name, namespace: ns!, form: 'ns' };
  if (labels[2] !== 'svc') return undefined;
  if (labels.length === 3) return { name, namespace: ns!, form: 'svc' };
  if (labels.slice(3).join('.') === domain) return { name, namespace: ns!, form: 'fqdn' };
  return undefined;
}

/** IPv4 as a number, or undefined. */
function v4(ip: string): number | undefined {
  const b = parseIP(ip);
  if (!b) return undefined;
  const mapped = b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
  return mapped ? ((b[12]! << 24) >>> 0) + (b[13]! << 16) + (b[14]! << 8) + b[15]! : undefined;
}

function inCIDR(ip: string, cidr: string): boolean {
  const c = parseCIDR(cidr.trim());
  const b = parseIP(ip);
  if (!c.ok || !b) return false;
  const isV4 = v4(ip) !== undefined;
  if ((c.bits === 32) !== isV4) return false;
  const offset = c.bits === 32 ? 12 : 0;
  let bits = c.prefixLength;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((b[offset + i]! & mask) !== (c.ip[offset + i]! & mask)) return false;
  }
  return true;
}

/**
 * Whether `ip` lies in the cluster's Service range: the given CIDRs, else the span of the
 * ClusterIPs seen widened to /16 boundaries (IPv4), or their /64 (IPv6). Conservative: a LAN or
 * pod address outside that span is not judged.
 */
function inServiceRange(ip: string, clusterIPs: string[], cidrs: string[] | undefined): boolean {
  if (cidrs && cidrs.length > 0) return cidrs.some((c) => inCIDR(ip, c));
  const n = v4(ip);
  if (n !== undefined) {
    const known = clusterIPs.map(v4).filter((x): x is number => x !== undefined);
    if (known.length === 0) return false;
    const lo = Math.min(...known) - (Math.min(...known) % 65536);
    const hi = Math.max(...known) - (Math.max(...known) % 65536) + 65535;
    return n >= lo && n <= hi;
  }
  const b = parseIP(ip);
  if (!b) return false;
  return clusterIPs.some((k) => {
    const kb = parseIP(k);
    return !!kb && v4(k) === undefined && kb.slice(0, 8).every((x, i) => x === b[i]);
  });
}

function isLoopback(host: string): boolean {
  return host.startsWith('127.') || host === '::1' || host === '0.0.0.0' || host === '::';
}

// ── The report ──────────────────────────────────────────────────────────────────────────────

/** A rule cloudflared serves (or would serve), with where it lives. */
interface RuleRef {
  tunnel?: DriftTunnel;
  hostname: string;
  path?: string;
  service: string;
  catchAll: boolean;
  target: RuleTarget;
  /** Workspace rules: where diagnostics about the rule's hostname / service sit. */
  hostLocation?: { path: string; range: Range };
  serviceLocation?: { path: string; range: Range };
  ruleLocation?: { path: string; range: Range };
}

function workspaceRuleRef(cfg: DriftWorkspaceConfig, r: DriftWorkspaceRule, i: number, tunnel: DriftTunnel | undefined): RuleRef {
  const host = norm(r.hostname);
  return {
    tunnel,
    hostname: host,
    path: r.path || undefined,
    service: r.service,
    catchAll: (host === '' || host === '*') && !r.path,
    target: { source: 'workspace', path: cfg.path, ruleIndex: i, range: r.range, ...(r.serviceRange ? { serviceRange: r.serviceRange } : {}) },
    hostLocation: { path: cfg.path, range: r.hostnameRange ?? r.range },
    serviceLocation: { path: cfg.path, range: r.serviceRange ?? r.range },
    ruleLocation: { path: cfg.path, range: r.range },
  };
}

function remoteRuleRef(t: DriftTunnel, r: DriftRuleInput, i: number): RuleRef {
  const host = norm(r.hostname);
  return {
    tunnel: t,
    hostname: host,
    path: r.path || undefined,
    service: r.service,
    catchAll: (host === '' || host === '*') && !r.path,
    target: { source: 'remote', tunnelId: t.id, ruleIndex: i },
  };
}

function where(rule: RuleRef): string {
  if (rule.target.source === 'remote') return `rule #${rule.target.ruleIndex + 1} of the remote configuration of tunnel '${rule.tunnel?.name ?? rule.target.tunnelId}'`;
  return `rule #${rule.target.ruleIndex + 1}`;
}

function removeRuleAction(rule: RuleRef): DriftAction {
  return {
    kind: 'remove-rule',
    title: `Remove the rule${rule.hostname ? ` for ${rule.hostname}` : ''}`,
    data: { target: rule.target, ...(rule.hostname ? { hostname: rule.hostname } : {}), ...(rule.path ? { path: rule.path } : {}) },
  };
}

function openRemote(t: DriftTunnel): DriftAction {
  return { kind: 'open-config', title: `Open the remote configuration of '${t.name}'`, data: { tunnelId: t.id } };
}

/** Everything that does not fit together; errors first, then warnings, then information. */
export function findDrift(input: DriftInput): DriftFinding[] {
  const out: DriftFinding[] = [];
  const add = (f: Omit<DriftFinding, 'id'>): void => {
    const at = f.location ? `${f.location.path}:${f.location.range.start.line}:${f.location.range.start.character}` : '';
    out.push({ id: [f.code, f.tunnelId ?? '', f.hostname ?? '', f.recordId ?? '', at].join('|'), ...f });
  };
  const clusterDomain = input.clusterDomain ?? 'cluster.local';
  const tunnels = input.tunnels;
  const byId = new Map<string, DriftTunnel>();
  for (const t of tunnels) if (!byId.has(t.id.toLowerCase()) || !t.deleted) byId.set(t.id.toLowerCase(), t);
  const resolve = (ref: string | undefined): DriftTunnel | undefined => {
    const r = (ref ?? '').trim();
    if (r === '') return undefined;
    return byId.get(r.toLowerCase()) ?? tunnels.find((t) => !t.deleted && t.name === r) ?? tunnels.find((t) => t.name === r);
  };
  const live = (t: DriftTunnel | undefined): t is DriftTunnel => !!t && !t.deleted;

  // What each tunnel serves: the remote configuration, or the workspace configs naming it.
  const served = new Map<string, RuleRef[]>();
  for (const t of tunnels) {
    if (live(t) && t.configSrc === 'cloudflare' && t.remoteRules) served.set(t.id.toLowerCase(), t.remoteRules.map((r, i) => remoteRuleRef(t, r, i)));
  }
  const configTunnel = new Map<DriftWorkspaceConfig, DriftTunnel | undefined>();
  for (const cfg of input.workspaceConfigs) {
    const t = resolve(cfg.tunnel);
    configTunnel.set(cfg, t);
    if (!live(t) || t.configSrc !== 'local') continue;
    const list = served.get(t.id.toLowerCase()) ?? [];
    list.push(...cfg.rules.map((r, i) => workspaceRuleRef(cfg, r, i, t)));
    served.set(t.id.toLowerCase(), list);
  }
  /** The named rules of `t` that share requests with `name`; undefined when `t`'s rules are unknown. */
  const servingRules = (t: DriftTunnel, name: string): RuleRef[] | undefined =>
    served.get(t.id.toLowerCase())?.filter((r) => !r.catchAll && r.hostname !== '' && r.hostname !== '*' && overlaps(r.hostname, name));

  // Where the cloudflared pods of a tunnel (or of a config's tunnel reference) run.
  const deployments = input.clusterConnected ? input.deployments ?? [] : [];
  const deploymentsOf = (t: DriftTunnel | undefined, ref: string | undefined): DriftDeployment[] =>
    deployments.filter((d) => (t ? resolve(d.tunnelRef) === t : !!ref && d.tunnelRef?.trim() === ref.trim()));
  const podNamespace = (t: DriftTunnel | undefined, ref: string | undefined): string | undefined => {
    const namespaces = new Set(deploymentsOf(t, ref).map((d) => d.namespace));
    return namespaces.size === 1 ? [...namespaces][0] : undefined;
  };

  // 1. Rules against the cluster's Services.
  if (input.clusterConnected && input.services) {
    const services = input.services;
    const clusterIPs = services.flatMap((s) => [s.clusterIP, ...(s.clusterIPs ?? [])]).filter((ip): ip is string => !!ip && ip !== 'None');
    const check = (rule: RuleRef, ns: string | undefined): void => checkServiceRule(rule, ns, services, clusterIPs, input.serviceCIDRs, clusterDomain, add);
    for (const t of tunnels) {
      if (!live(t) || t.configSrc !== 'cloudflare') continue;
      const ns = podNamespace(t, undefined);
      for (const r of served.get(t.id.toLowerCase()) ?? []) check(r, ns);
    }
    for (const cfg of input.workspaceConfigs) {
      const t = configTunnel.get(cfg);
      if (live(t) && t.configSrc === 'cloudflare') continue; // ignored by cloudflared: reported below
      const ns = podNamespace(t, cfg.tunnel);
      cfg.rules.forEach((r, i) => check(workspaceRuleRef(cfg, r, i, t), ns));
    }
  }

  // 2. DNS records against the rules.
  const records = input.dnsRecords.map((r) => ({ ...r, name: norm(r.name), tunnelId: r.type.toUpperCase() === 'CNAME' ? tunnelIdFromTarget(r.content) : undefined }));
  const routing = records.filter((r) => ['A', 'AAAA', 'CNAME'].includes(r.type.toUpperCase()));
  const zones = input.zones ?? [...new Map(records.filter((r) => r.zoneName).map((r) => [r.zoneId, { id: r.zoneId, name: r.zoneName! }])).values()];
  const zoneOf = (host: string): { id: string; name: string } | undefined => {
    const h = host.replace(/^\*\./, '');
    return zones.filter((z) => h === norm(z.name) || h.endsWith(`.${norm(z.name)}`)).sort((a, b) => b.name.length - a.name.length)[0];
  };
  /** The records DNS answers `host` with (exact name first, else the closest wildcard); for a wildcard rule, every record under it. */
  const recordsFor = (host: string): typeof routing => {
    if (host.startsWith('*.')) return routing.filter((r) => hostnameMatches(host, r.name));
    const exact = routing.filter((r) => r.name === host);
    if (exact.length > 0) return exact;
    const wild = routing.filter((r) => r.name.startsWith('*.') && hostnameMatches(r.name, host)).sort((a, b) => b.name.length - a.name.length);
    return wild.length > 0 ? wild.filter((r) => r.name === wild[0]!.name) : [];
  };
  const tunnelLabel = (t: DriftTunnel): string => `'${t.name}'`;

  if (tunnels.length > 0) {
    for (const rec of records) {
      if (!rec.tunnelId) continue;
      const u = byId.get(rec.tunnelId);
      const others = (exclude?: DriftTunnel): Array<{ t: DriftTunnel; rules: RuleRef[] }> =>
        tunnels
          .filter((t) => live(t) && t !== exclude)
          .map((t) => ({ t, rules: servingRules(t, rec.name) ?? [] }))
          .filter((x) => x.rules.length > 0);
      const repoint = (alts: Array<{ t: DriftTunnel }>): DriftAction[] =>
        alts.slice(0, 3).map(({ t }, i) => ({
          kind: 'create-dns-route',
          title: `Point ${rec.name} at tunnel ${tunnelLabel(t)}`,
          ...(i === 0 && alts.length === 1 ? { preferred: true } : {}),
          data: { tunnelId: t.id, hostname: rec.name, overwrite: true, zoneId: rec.zoneId },
        }));
      const del: DriftAction = { kind: 'delete-dns-record', title: `Delete the DNS record ${rec.name}`, data: { zoneId: rec.zoneId, recordId: rec.id, hostname: rec.name } };
      const hostLocation = (alts: Array<{ rules: RuleRef[] }>): DriftFinding['location'] => alts.flatMap((a) => a.rules).find((r) => r.hostLocation)?.hostLocation;

      if (!u || u.deleted) {
        const alts = others();
        const what = u ? `tunnel ${tunnelLabel(u)} (${u.id}), which was deleted` : `tunnel ${rec.tunnelId}, which is not in this account (deleted, or another account's)`;
        const servedBy = alts.length > 0 ? ` Tunnel ${alts.map((a) => tunnelLabel(a.t)).join(', ')} has a rule for it.` : '';
        const location = hostLocation(alts);
        add({
          code: 'drift-cname-deleted-tunnel',
          severity: 'warning',
          message: `The DNS record ${rec.name} points at ${what}: visitors get Cloudflare error 1016 (Origin DNS error).${servedBy}`,
          hostname: rec.name,
          recordId: rec.id,
          ...(location ? { location } : {}),
          actions: [...repoint(alts), { ...del, ...(alts.length === 0 ? { preferred: true } : {}) }],
        });
        continue;
      }
      if (!rec.proxied) {
        const location = hostLocation([{ rules: servingRules(u, rec.name) ?? [] }]);
        add({
          code: 'drift-dns-not-proxied',
          severity: 'warning',
          message: `The DNS record ${rec.name} points at tunnel ${tunnelLabel(u)} but is not proxied (DNS only): ${rec.content} resolves to no address, so ${rec.name} is unreachable.`,
          tunnelId: u.id,
          hostname: rec.name,
          recordId: rec.id,
          ...(location ? { location } : {}),
          actions: [{ kind: 'create-dns-route', title: `Proxy ${rec.name} (route it to ${tunnelLabel(u)} through Cloudflare)`, preferred: true, data: { tunnelId: u.id, hostname: rec.name, overwrite: true, zoneId: rec.zoneId } }],
        });
      }
      const mine = servingRules(u, rec.name);
      if (mine === undefined || mine.length > 0) continue;
      const alts = others(u);
      if (alts.length > 0) {
        const location = hostLocation(alts);
        add({
          code: 'drift-cname-other-tunnel',
          severity: 'warning',
          message: `${rec.name} is routed to tunnel ${tunnelLabel(u)}, which has no rule for it, while tunnel ${alts.map((a) => tunnelLabel(a.t)).join(', ')} has one: requests get ${tunnelLabel(u)}'s catch-all.`,
          tunnelId: u.id,
          hostname: rec.name,
          recordId: rec.id,
          ...(location ? { location } : {}),
          actions: [...repoint(alts), del],
        });
        continue;
      }
      const catchAll = served.get(u.id.toLowerCase())?.find((r) => r.catchAll && r.ruleLocation);
      add({
        code: 'drift-cname-without-rule',
        severity: 'warning',
        message: `${rec.name} is routed to tunnel ${tunnelLabel(u)}, but no ingress rule of the tunnel serves it: every request gets the catch-all (usually 404).`,
        tunnelId: u.id,
        hostname: rec.name,
        recordId: rec.id,
        ...(catchAll?.ruleLocation ? { location: catchAll.ruleLocation } : {}),
        actions: [
          { kind: 'add-rule', title: `Expose a Service at ${rec.name} through ${tunnelLabel(u)}`, data: { tunnelId: u.id, hostname: rec.name } },
          del,
          ...(u.configSrc === 'cloudflare' ? [openRemote(u)] : []),
        ],
      });
    }

    // Rules whose hostname does not reach their tunnel.
    for (const t of tunnels) {
      if (!live(t)) continue;
      for (const rule of served.get(t.id.toLowerCase()) ?? []) {
        if (rule.catchAll || rule.hostname === '' || rule.hostname === '*') continue;
        const recs = recordsFor(rule.hostname);
        if (recs.some((r) => r.tunnelId === t.id.toLowerCase())) continue; // routed (not-proxied reported above)
        const zone = zoneOf(rule.hostname);
        const route = (overwrite: boolean, title: string): DriftAction => ({
          kind: 'create-dns-route',
          title,
          preferred: true,
          data: { tunnelId: t.id, hostname: rule.hostname, overwrite, ...(zone ? { zoneId: zone.id } : {}) },
        });
        const base = {
          code: 'drift-hostname-without-dns' as const,
          severity: 'warning' as const,
          tunnelId: t.id,
          hostname: rule.hostname,
          ...(rule.hostLocation ? { location: rule.hostLocation } : {}),
        };
        const elsewhere = recs.filter((r) => r.tunnelId);
        if (elsewhere.length > 0) {
          // Deleted targets and targets without a rule are reported with the record.
          const reached = elsewhere.map((r) => byId.get(r.tunnelId!)).filter((u): u is DriftTunnel => live(u) && (servingRules(u, rule.hostname)?.length ?? 1) > 0);
          if (reached.length === 0) continue;
          add({
            ...base,
            message: `${rule.hostname} is routed to tunnel ${tunnelLabel(reached[0]!)}, not to ${tunnelLabel(t)}: ${where(rule)} of ${tunnelLabel(t)} is never reached.`,
            actions: [route(true, `Route ${rule.hostname} to ${tunnelLabel(t)} instead`), removeRuleAction(rule)],
          });
          continue;
        }
        if (recs.length > 0) {
          const r = recs[0]!;
          add({
            ...base,
            message: `${rule.hostname} has a${r.type.toUpperCase() === 'A' ? 'n' : ''} ${r.type} record (${r.content}), not a CNAME to tunnel ${tunnelLabel(t)}: requests never reach the tunnel.`,
            actions: [route(true, `Replace it with a route to ${tunnelLabel(t)}`), removeRuleAction(rule)],
          });
          continue;
        }
        if (!zone && input.zones) {
          add({
            ...base,
            message: `${rule.hostname} has an ingress rule of tunnel ${tunnelLabel(t)} but is in no zone of this account: only a zone of the tunnel's account can route it to the tunnel.`,
            actions: [removeRuleAction(rule)],
          });
          continue;
        }
        add({
          ...base,
          message: `${rule.hostname} has an ingress rule of tunnel ${tunnelLabel(t)} but no DNS record routes it there: the hostname does not resolve to the tunnel.`,
          actions: [route(false, `Route ${rule.hostname} to ${tunnelLabel(t)} (proxied CNAME)`), removeRuleAction(rule)],
        });
      }
    }
  }

  // 3. Local ingress rules of remotely-managed tunnels.
  for (const cfg of input.workspaceConfigs) {
    const t = configTunnel.get(cfg);
    if (!live(t) || t.configSrc !== 'cloudflare' || cfg.rules.length === 0) continue;
    add({
      code: 'drift-local-ingress-ignored',
      severity: 'warning',
      message: `Tunnel ${tunnelLabel(t)} is managed remotely (config_src: cloudflare): cloudflared runs the ingress rules of its remote configuration and ignores the ${plural(cfg.rules.length, 'rule')} here.`,
      tunnelId: t.id,
      location: { path: cfg.path, range: cfg.ingressRange ?? cfg.rules[0]!.range },
      actions: [
        { kind: 'copy-rules-to-remote', title: `Copy these rules into the remote configuration of ${tunnelLabel(t)}`, data: { tunnelId: t.id, path: cfg.path } },
        openRemote(t),
      ],
    });
  }

  // 4. cloudflared in the cluster.
  for (const d of deployments) {
    if (d.desired <= 0 || d.ready >= d.desired) continue;
    const t = resolve(d.tunnelRef);
    add({
      code: 'drift-pods-not-ready',
      severity: d.ready === 0 ? 'error' : 'warning',
      message: `Deployment ${d.namespace}/${d.name}: ${d.ready} of ${plural(d.desired, 'cloudflared pod')} ready${t ? ` (tunnel ${tunnelLabel(t)})` : ''}. ${
        d.ready === 0 ? 'It gives the tunnel no connector.' : 'The tunnel runs with fewer connectors than planned.'
      }`,
      ...(t ? { tunnelId: t.id } : {}),
      actions: [{ kind: 'show-logs', title: `Show the logs of ${d.namespace}/${d.name}`, preferred: true, data: { namespace: d.namespace, name: d.name } }],
    });
  }
  for (const t of tunnels) {
    if (!live(t)) continue;
    const none = t.connectorCount === 0 || (t.connectorCount === undefined && (t.status === 'down' || t.status === 'inactive'));
    if (!none) continue;
    const deps = deploymentsOf(t, undefined);
    if (deps.length === 0) continue;
    const names = deps.map((d) => `${d.namespace}/${d.name}`).join(', ');
    const why = deps.every((d) => d.desired <= 0)
      ? `${deps.length === 1 ? 'it is' : 'they are'} scaled to 0 replicas`
      : deps.every((d) => d.ready === 0)
        ? 'its pods are not ready'
        : 'its ready pods do not connect: check the token or credentials they run with (another tunnel?) and their logs';
    add({
      code: 'drift-no-connector',
      severity: 'error',
      message: `Tunnel ${tunnelLabel(t)} has no connector although Deployment ${names} runs cloudflared for it: ${why}. Every hostname of the tunnel answers Cloudflare error 1033.`,
      tunnelId: t.id,
      actions: deps.map((d) => ({ kind: 'show-logs' as const, title: `Show the logs of ${d.namespace}/${d.name}`, data: { namespace: d.namespace, name: d.name } })),
    });
  }

  return out.map((f, i) => ({ f, i })).sort((a, b) => SEVERITY_RANK[a.f.severity] - SEVERITY_RANK[b.f.severity] || a.i - b.i).map((x) => x.f);
}

function checkServiceRule(
  rule: RuleRef,
  podNamespace: string | undefined,
  services: DriftService[],
  clusterIPs: string[],
  cidrs: string[] | undefined,
  clusterDomain: string,
  add: (f: Omit<DriftFinding, 'id'>) => void,
): void {
  const parsed = parseService(rule.service, false);
  if (!parsed.ok || parsed.service.kind !== 'url') return;
  const u = parsed.service.url;
  const host = urlHostname(u).toLowerCase();
  const explicitPort = urlPort(u);
  const port = explicitPort ? Number(explicitPort) : DEFAULT_PORTS[u.scheme];
  const base = {
    ...(rule.tunnel ? { tunnelId: rule.tunnel.id } : {}),
    ...(rule.hostname && rule.hostname !== '*' ? { hostname: rule.hostname } : {}),
    ...(rule.serviceLocation ? { location: rule.serviceLocation } : {}),
  };
  const extra: DriftAction[] = rule.target.source === 'remote' && rule.tunnel ? [openRemote(rule.tunnel)] : [];
  const rewrite = (to: string, title: string, preferred: boolean): DriftAction => ({
    kind: 'rewrite-service',
    title,
    ...(preferred ? { preferred: true } : {}),
    data: { target: rule.target, from: rule.service, to },
  });
  const dns = (s: DriftService): string => serviceDnsName(s, clusterDomain);

  if (parseIP(host)) {
    if (isLoopback(host)) return;
    const owners = services.filter((s) => s.clusterIP === host || s.clusterIPs?.includes(host));
    if (owners.length > 0) {
      const s = owners[0]!;
      const to = replaceUrlHost(rule.service, dns(s));
      add({
        code: 'drift-ip-is-cluster-ip',
        severity: 'information',
        message: `${host} is the ClusterIP of Service '${s.name}' in namespace '${s.namespace}'. A ClusterIP changes when the Service is re-created; its DNS name does not: ${to}.`,
        ...base,
        actions: [rewrite(to, `Use ${to}`, true), ...extra],
      });
      return;
    }
    if (!inServiceRange(host, clusterIPs, cidrs)) return;
    const candidates = port === undefined ? [] : services.filter((s) => s.ports.some((p) => p.port === port)).slice(0, 3);
    add({
      code: 'drift-ip-not-cluster-ip',
      severity: 'warning',
      message: `${host} is in the cluster's Service range but no Service has this ClusterIP any more (re-created Services get a new one): connections time out and cloudflared answers 502 Bad Gateway.${
        candidates.length > 0 ? ` Services with port ${port}: ${candidates.map((s) => `${s.namespace}/${s.name}`).join(', ')}.` : ''
      }`,
      ...base,
      actions: [
        ...candidates.map((s) => {
          const to = replaceUrlHost(rule.service, dns(s));
          return rewrite(to, `Use Service '${s.name}' (${to})`, candidates.length === 1);
        }),
        removeRuleAction(rule),
        ...extra,
      ],
    });
    return;
  }

  const ref = clusterServiceRef(host, podNamespace, clusterDomain);
  if (!ref) return;
  const inNamespace = services.filter((s) => s.namespace === ref.namespace);
  // `name.ns` may just as well be an outside host (`example.com`): judge it only where Services exist.
  if (ref.form === 'ns' && inNamespace.length === 0) return;
  const svc = inNamespace.find((s) => s.name === ref.name);
  if (!svc) {
    const elsewhere = services.filter((s) => s.name === ref.name);
    const similar = inNamespace
      .map((s) => ({ s, d: editDistance(s.name, ref.name) }))
      .filter((x) => x.d <= Math.max(1, Math.floor(ref.name.length / 3)) || (Math.min(x.s.name.length, ref.name.length) >= 3 && (x.s.name.includes(ref.name) || ref.name.includes(x.s.name))))
      .sort((a, b) => a.d - b.d)
      .map((x) => x.s);
    const candidates = [...elsewhere, ...similar].slice(0, 3);
    const also = elsewhere.length > 0 ? ` A Service '${ref.name}' exists in namespace ${elsewhere.map((s) => `'${s.namespace}'`).join(', ')}.` : '';
    add({
      code: 'drift-service-missing',
      severity: 'warning',
      message: `No Service '${ref.name}' in namespace '${ref.namespace}' in the cluster: cloudflared cannot resolve ${host} (no such host) and answers 502 Bad Gateway.${also}`,
      ...base,
      actions: [
        ...candidates.map((s) => {
          const to = replaceUrlHost(rule.service, dns(s));
          return rewrite(to, `Use Service '${s.name}' in namespace '${s.namespace}'`, elsewhere.length === 1 ? s === elsewhere[0] : candidates.length === 1);
        }),
        removeRuleAction(rule),
        ...extra,
      ],
    });
    return;
  }
  if (port === undefined || svc.clusterIP === 'None' || svc.ports.length === 0) return;
  if (svc.ports.some((p) => p.port === port)) return;
  const ports = svc.ports.map((p) => `${p.port}${p.name ? ` (${p.name})` : ''}`).join(', ');
  add({
    code: 'drift-port-missing',
    severity: 'warning',
    message: `Service '${svc.name}' in namespace '${svc.namespace}' has no port ${port}${explicitPort ? '' : ` (the default port of ${u.scheme})`}: its ports are ${ports}. Connections to ${host}:${port} fail and cloudflared answers 502 Bad Gateway.`,
    ...base,
    actions: [
      ...svc.ports.slice(0, 4).map((p) => rewrite(replaceUrlPort(rule.service, p.port), `Use port ${p.port}${p.name ? ` (${p.name})` : ''}`, svc.ports.length === 1)),
      ...extra,
    ],
  });
}

// ── Workspace configs ───────────────────────────────────────────────────────────────────────

/** A checked config.yaml as `findDrift` takes it (ranges in the config's own text). */
export function driftConfigFromModel(path: string, model: ConfigModel): DriftWorkspaceConfig {
  const range = (node: Parameters<typeof yamlRange>[1]): Range => yamlRange(model.lines, node);
  const cfg: DriftWorkspaceConfig = {
    path,
    rules: model.rules.map((r) => {
      const rule: DriftWorkspaceRule = { service: r.service, range: range(r.node) };
      if (r.hostname) rule.hostname = r.hostname;
      if (r.path) rule.path = r.path;
      const h = r.struct?.fields.get('hostname')?.entry.written;
      const s = r.struct?.fields.get('service')?.entry.written;
      if (h) rule.hostnameRange = range(h);
      if (s) rule.serviceRange = range(s);
      return rule;
    }),
  };
  if (model.tunnel) cfg.tunnel = model.tunnel;
  if (model.ingressEntry) cfg.ingressRange = range(model.ingressEntry.key);
  return cfg;
}

/** `driftConfigFromModel` for the text of a standalone config.yaml (undefined when it is no config). */
export function driftConfigFromText(path: string, text: string): DriftWorkspaceConfig | undefined {
  const { model } = checkConfigText(text);
  return model ? driftConfigFromModel(path, model) : undefined;
}

/**
 * The findings located in the config at `path`, as diagnostics on the lines they concern, with
 * the service rewrites as quick fixes. Never errors: only cloudflared's own refusals are errors
 * in a config (docs/ARCHITECTURE.md), so an error finding becomes a warning here.
 */
export function driftDiagnostics(findings: readonly DriftFinding[], path: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of findings) {
    if (!f.location || f.location.path !== path) continue;
    const fixes: Fix[] = [];
    for (const a of f.actions) {
      if (a.kind !== 'rewrite-service') continue;
      const t = a.data.target;
      if (t.source !== 'workspace' || t.path !== path || !t.serviceRange) continue;
      fixes.push({ title: a.title, edits: [{ range: t.serviceRange, newText: yamlScalar(a.data.to) }], ...(a.preferred ? { isPreferred: true } : {}) });
    }
    out.push({
      code: f.code,
      severity: f.severity === 'error' ? 'warning' : f.severity,
      message: f.message,
      range: f.location.range,
      ...(fixes.length > 0 ? { fixes } : {}),
    });
  }
  return out;
}
