/**
 * The Tunnels tree as plain data, built from Cloudflare API answers: account → tunnels (health,
 * config source, connector count) → connectors, public hostnames and DNS routes. Pure: the
 * fetching lives in `src/cloudflare/tree.ts`; the view maps these nodes to tree items.
 *
 * Inputs are structural (the wrapper's results in `src/cloudflare/types.ts` fit them), so the
 * core depends on nothing outside itself.
 */

import { tunnelIdOfCname } from './tunnelCname';
import type { ZonedTunnelDnsRecord } from './tunnelCname';
import type { OriginSettings } from '../routing/origin';

export type TunnelHealth = 'healthy' | 'degraded' | 'down' | 'inactive';

export interface TreeTunnelInput {
  id: string;
  name: string;
  status: TunnelHealth;
  configSrc: 'local' | 'cloudflare';
  createdAt?: string;
  connsActiveAt?: string | null;
  connsInactiveAt?: string | null;
}

export interface TreeZoneInput {
  id: string;
  name: string;
}

/** The one record shape, with its zone. */
export type TreeDnsRecordInput = ZonedTunnelDnsRecord;

export interface TreeConnectorInput {
  id: string;
  version?: string;
  arch?: string;
  runAt?: string;
  conns: ReadonlyArray<{ coloName?: string; originIp?: string; openedAt?: string }>;
}

export interface TreeIngressRuleInput {
  hostname?: string;
  path?: string;
  service: string;
  /** The settings a controller behind the origin sees (`httpHostHeader`, SNI): the rule's originRequest over the config's. */
  origin?: OriginSettings;
}

/** An ingress rule from a cloudflared config in the workspace, for locally managed tunnels. */
export interface WorkspaceRule extends TreeIngressRuleInput {
  /** The config's `tunnel:` value: a tunnel UUID or name. */
  tunnel: string;
  /** Where the rule is, for "reveal". */
  file?: string;
  line?: number;
}

export interface DnsRouteNode {
  kind: 'dns-route';
  recordId: string;
  zoneId: string;
  zoneName?: string;
  hostname: string;
  /** The tunnel the CNAME points at. */
  tunnelId: string;
  proxied: boolean;
  /** Points at a tunnel that is not in the account's (non-deleted) tunnel list. */
  orphan: boolean;
  /** Whether an ingress rule of the tunnel serves this hostname; undefined until hostnames are known. */
  hasRule?: boolean;
}

export interface HostnameNode {
  kind: 'hostname';
  /** Undefined for the catch-all rule. */
  hostname?: string;
  path?: string;
  service: string;
  source: 'remote' | 'workspace';
  catchAll: boolean;
  file?: string;
  line?: number;
  /** The rule's origin settings a controller sees (`httpHostHeader`, SNI), when any is set. */
  origin?: OriginSettings;
  /** A proxied CNAME routes this hostname to the tunnel (always true for the catch-all). */
  hasDnsRoute: boolean;
}

export interface ConnectorNode {
  kind: 'connector';
  id: string;
  version?: string;
  arch?: string;
  colos: string[];
  originIps: string[];
  /** When the cloudflared process started (`run_at`), else its oldest open connection. */
  connectedSince?: string;
  /** Its edge connections (`conns`); a healthy connector holds 4. */
  activeConnections: number;
  description: string;
}

export interface TunnelNode {
  kind: 'tunnel';
  id: string;
  name: string;
  status: TunnelHealth;
  configSrc: 'local' | 'cloudflare';
  createdAt?: string;
  /** 0 when the API says down/inactive; else known once the connectors are loaded (`listConnectors`). */
  connectorCount?: number;
  /** One line for the tree item: "healthy · remote · 2 connectors". */
  description: string;
  /** Undefined until loaded (lazily, per node). */
  connectors?: ConnectorNode[];
  /** Remote rules once loaded; for local tunnels the workspace rules given to the builder (undefined when none name it). */
  hostnames?: HostnameNode[];
  routes: DnsRouteNode[];
  /** Drift worth showing: rules ignored, hostnames without DNS, routes without rules. */
  warnings: string[];
}

export interface AccountNode {
  kind: 'account';
  id: string;
  name: string;
  zones: TreeZoneInput[];
  tunnels: TunnelNode[];
  /** Tunnel CNAMEs whose tunnel is deleted or unknown in this account. */
  orphanRoutes: DnsRouteNode[];
  counts: Record<TunnelHealth, number>;
}

export interface AccountTreeInput {
  account: { id: string; name?: string };
  tunnels: readonly TreeTunnelInput[];
  zones: readonly TreeZoneInput[];
  /** Tunnel CNAMEs of the account's zones (any record is accepted; non-tunnel ones are dropped). */
  records: readonly TreeDnsRecordInput[];
  workspaceRules?: readonly WorkspaceRule[];
}

/** cloudflared's hostname matching: exact (case-insensitive) or a leading `*.` wildcard. */
export function hostnameMatches(pattern: string, hostname: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const h = hostname.toLowerCase().replace(/\.$/, '');
  if (p === h) return true;
  return p.startsWith('*.') && h.endsWith(p.slice(1));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The tunnel's own `status` says whether anything is connected; how many, only the connections endpoint does. */
function connectorCountFromStatus(t: TreeTunnelInput): number | undefined {
  return t.status === 'down' || t.status === 'inactive' ? 0 : undefined;
}

function describeTunnel(
  status: TunnelHealth,
  configSrc: 'local' | 'cloudflare',
  connectorCount: number | undefined,
): string {
  const parts: string[] = [status, configSrc === 'cloudflare' ? 'remote config' : 'local config'];
  if (connectorCount !== undefined && (status === 'healthy' || status === 'degraded'))
    parts.push(plural(connectorCount, 'connector'));
  return parts.join(' · ');
}

export function connectorNode(c: TreeConnectorInput): ConnectorNode {
  const colos = [...new Set(c.conns.map((x) => x.coloName).filter((x): x is string => !!x))].sort();
  const originIps = [...new Set(c.conns.map((x) => x.originIp).filter((x): x is string => !!x))].sort();
  const activeConnections = c.conns.length;
  const opened = c.conns
    .map((x) => x.openedAt)
    .filter((x): x is string => !!x)
    .sort();
  const connectedSince = c.runAt || opened[0];
  const parts = [
    c.version ? `cloudflared ${c.version}` : undefined,
    c.arch,
    colos.join(', ') || undefined,
    originIps.join(', ') || undefined,
  ];
  return {
    kind: 'connector',
    id: c.id,
    version: c.version,
    arch: c.arch,
    colos,
    originIps,
    connectedSince,
    activeConnections,
    description: parts.filter(Boolean).join(' · '),
  };
}

function routeNode(
  r: TreeDnsRecordInput,
  tunnelId: string,
  zoneNames: Map<string, string>,
  orphan: boolean,
): DnsRouteNode {
  return {
    kind: 'dns-route',
    recordId: r.id,
    zoneId: r.zoneId,
    zoneName: zoneNames.get(r.zoneId),
    hostname: r.name,
    tunnelId,
    proxied: r.proxied,
    orphan,
  };
}

function rulesFor(tunnel: { id: string; name: string }, rules: readonly WorkspaceRule[]): WorkspaceRule[] {
  return rules.filter(
    (r) => r.tunnel === tunnel.id || r.tunnel.toLowerCase() === tunnel.id || r.tunnel === tunnel.name,
  );
}

/** Hostname nodes for ingress rules, with `hasDnsRoute` from the tunnel's routes. */
export function hostnameNodes(
  rules: ReadonlyArray<TreeIngressRuleInput & { file?: string; line?: number }>,
  source: 'remote' | 'workspace',
  routes: readonly DnsRouteNode[],
): HostnameNode[] {
  return rules.map((r) => {
    const catchAll = !r.hostname || r.hostname === '*';
    const node: HostnameNode = {
      kind: 'hostname',
      hostname: catchAll ? undefined : r.hostname,
      service: r.service,
      source,
      catchAll,
      hasDnsRoute: catchAll || routes.some((d) => d.proxied && hostnameMatches(r.hostname!, d.hostname)),
    };
    if (r.path) node.path = r.path;
    if (r.file !== undefined) node.file = r.file;
    if (r.line !== undefined) node.line = r.line;
    if (r.origin && Object.keys(r.origin).length > 0) node.origin = r.origin;
    return node;
  });
}

function driftWarnings(node: TunnelNode, ignoredWorkspaceRules: number): string[] {
  const warnings: string[] = [];
  if (ignoredWorkspaceRules > 0) {
    warnings.push(
      `${plural(ignoredWorkspaceRules, 'ingress rule')} in workspace configs for this tunnel ${ignoredWorkspaceRules === 1 ? 'is' : 'are'} ignored: the tunnel is managed remotely (config_src: cloudflare).`,
    );
  }
  for (const h of node.hostnames ?? []) {
    if (!h.catchAll && !h.hasDnsRoute)
      warnings.push(`${h.hostname} has an ingress rule but no proxied DNS route to this tunnel.`);
  }
  for (const r of node.routes) {
    if (r.hasRule === false)
      warnings.push(`${r.hostname} routes to this tunnel but no ingress rule serves it (the catch-all answers).`);
    if (!r.proxied)
      warnings.push(`${r.hostname} points at this tunnel but is not proxied, so it does not resolve to the tunnel.`);
  }
  return warnings;
}

/** Recomputes the route ↔ rule cross-links and warnings after hostnames were (re)set. */
function linkHostnames(node: TunnelNode, ignoredWorkspaceRules: number): TunnelNode {
  const named = (node.hostnames ?? []).filter((h) => !h.catchAll);
  const routes = node.routes.map((r) => ({
    ...r,
    hasRule: node.hostnames ? named.some((h) => hostnameMatches(h.hostname!, r.hostname)) : undefined,
  }));
  const out: TunnelNode = { ...node, routes };
  out.warnings = driftWarnings(out, ignoredWorkspaceRules);
  return out;
}

/** The tunnel with its remote ingress rules (from `getRemoteConfig`) as hostnames. */
export function withRemoteHostnames(
  node: TunnelNode,
  ingress: readonly TreeIngressRuleInput[],
  ignoredWorkspaceRules = 0,
): TunnelNode {
  return linkHostnames({ ...node, hostnames: hostnameNodes(ingress, 'remote', node.routes) }, ignoredWorkspaceRules);
}

/** The tunnel with its connectors (from `listConnectors`); the count follows them. */
export function withConnectors(node: TunnelNode, connectors: readonly TreeConnectorInput[]): TunnelNode {
  const nodes = connectors.map(connectorNode);
  return {
    ...node,
    connectors: nodes,
    connectorCount: nodes.length,
    description: describeTunnel(node.status, node.configSrc, nodes.length),
  };
}

/** Builds the account node from one tunnel list, one zone list and the zones' tunnel CNAMEs. */
export function buildTunnelsTree(input: AccountTreeInput): AccountNode {
  const zoneNames = new Map(input.zones.map((z) => [z.id, z.name]));
  const known = new Set(input.tunnels.map((t) => t.id.toLowerCase()));
  const routesByTunnel = new Map<string, DnsRouteNode[]>();
  const orphanRoutes: DnsRouteNode[] = [];
  for (const r of input.records) {
    if (r.type !== 'CNAME') continue;
    const tunnelId = tunnelIdOfCname(r.content);
    if (!tunnelId) continue;
    if (!known.has(tunnelId)) {
      orphanRoutes.push(routeNode(r, tunnelId, zoneNames, true));
      continue;
    }
    const list = routesByTunnel.get(tunnelId) ?? [];
    list.push(routeNode(r, tunnelId, zoneNames, false));
    routesByTunnel.set(tunnelId, list);
  }
  const byName = (a: DnsRouteNode, b: DnsRouteNode): number => a.hostname.localeCompare(b.hostname);
  orphanRoutes.sort(byName);

  const workspaceRules = input.workspaceRules ?? [];
  const counts: Record<TunnelHealth, number> = { healthy: 0, degraded: 0, down: 0, inactive: 0 };
  const tunnels = input.tunnels.map((t) => {
    counts[t.status]++;
    const connectorCount = connectorCountFromStatus(t);
    const routes = (routesByTunnel.get(t.id.toLowerCase()) ?? []).sort(byName);
    const rules = rulesFor(t, workspaceRules);
    let node: TunnelNode = {
      kind: 'tunnel',
      id: t.id,
      name: t.name,
      status: t.status,
      configSrc: t.configSrc,
      createdAt: t.createdAt,
      connectorCount,
      description: describeTunnel(t.status, t.configSrc, connectorCount),
      routes,
      warnings: [],
    };
    if (t.configSrc === 'local' && rules.length > 0) {
      node = linkHostnames({ ...node, hostnames: hostnameNodes(rules, 'workspace', routes) }, 0);
    } else {
      // Rules unknown (remote: loaded lazily; local: no workspace config names it), but an
      // unproxied route is worth a warning already.
      node = linkHostnames(node, t.configSrc === 'cloudflare' ? rules.length : 0);
    }
    return node;
  });
  tunnels.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));

  return {
    kind: 'account',
    id: input.account.id,
    name: input.account.name || input.account.id,
    zones: [...input.zones].sort((a, b) => a.name.localeCompare(b.name)),
    tunnels,
    orphanRoutes,
    counts,
  };
}

/** Count of workspace rules that name this tunnel (for `withRemoteHostnames`' warning). */
export function workspaceRuleCount(tunnel: { id: string; name: string }, rules: readonly WorkspaceRule[] = []): number {
  return rulesFor(tunnel, rules).length;
}
