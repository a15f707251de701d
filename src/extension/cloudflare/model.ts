/**
 * What the Tunnels view, the status bar and the commands show, as plain data: view elements
 * built from the plain nodes of `src/core/cloudflare/tunnelsTree.ts`, and how each one looks
 * (`itemSpec`). No `vscode` import, so test/unit covers it; `tunnelsView.ts` only turns an
 * `ItemSpec` into a `TreeItem`.
 */
import type {
  AccountNode,
  ConnectorNode,
  DnsRouteNode,
  HostnameNode,
  TunnelHealth,
  TunnelNode,
} from '../../core/cloudflare/tunnelsTree';
import type { ConnectorPod } from '../../core/metrics/health';
import { describeRouteRecord } from '../../core/cloudflare/route';
import type { HostnameRoutePlan, RouteRecordLike } from '../../core/cloudflare/route';
import { cloudflaredSearchDirs } from '../../core/cloudflare/configDirs';
import { tunnelCnameTarget } from '../../core/cloudflare/tunnelCname';
import { gitignoreWithEntry, isIgnored, parseGitignore } from '../../core/workspace/gitignore';
import { COMMANDS } from '../../shared/commands';
import { CONTEXT_VALUES } from '../../shared/contextValues';
import type { ContextValue } from '../../shared/contextValues';
import type { TreeItemSpec } from '../../shared/treeItemSpec';

export type GroupKind = 'connectors' | 'hostnames' | 'routes' | 'orphanRoutes';

export type Element =
  | { type: 'account'; id: string; name: string; single: boolean; tree?: AccountNode }
  | { type: 'tunnel'; accountId: string; tunnel: TunnelNode }
  | { type: 'group'; group: GroupKind; accountId: string; tunnel?: TunnelNode; children: Element[] }
  | { type: 'connector'; accountId: string; tunnelId: string; connector: ConnectorNode }
  | { type: 'hostname'; accountId: string; tunnel: TunnelNode; hostname: HostnameNode }
  | { type: 'route'; accountId: string; tunnel?: TunnelNode; route: DnsRouteNode }
  | { type: 'warning'; key: string; text: string }
  | { type: 'message'; key: string; text: string }
  | { type: 'error'; key: string; message: string; signIn: boolean };

export type ItemSpec = TreeItemSpec<ContextValue>;

export const HEALTH_ICONS: Record<TunnelHealth, { icon: string; color?: string }> = {
  healthy: { icon: 'pass-filled', color: 'charts.green' },
  degraded: { icon: 'warning', color: 'charts.yellow' },
  down: { icon: 'error', color: 'charts.red' },
  inactive: { icon: 'circle-outline' },
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
export const shortId = (id: string): string => (id.length > 12 ? id.slice(0, 8) : id);

/** `2026-01-15T10:00:00Z` → `2026-01-15 10:00 UTC`; other text unchanged. */
export function formatTime(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

// ── Elements ────────────────────────────────────────────────────────────────────────────────

export function accountElements(accounts: ReadonlyArray<{ id: string; name: string }>): Element[] {
  return accounts.map((a) => ({ type: 'account', id: a.id, name: a.name, single: accounts.length === 1 }));
}

export function accountChildren(tree: AccountNode): Element[] {
  const out: Element[] = tree.tunnels.map((tunnel) => ({ type: 'tunnel', accountId: tree.id, tunnel }));
  if (out.length === 0)
    out.push({ type: 'message', key: `${tree.id}:empty`, text: 'No tunnels in this account yet. Create one with +.' });
  if (tree.orphanRoutes.length) {
    const children: Element[] = tree.orphanRoutes.map((route) => ({ type: 'route', accountId: tree.id, route }));
    out.push({ type: 'group', group: 'orphanRoutes', accountId: tree.id, children });
  }
  return out;
}

/** A tunnel's children once its details are loaded: connectors, public hostnames, DNS routes, warnings. */
export function tunnelChildren(accountId: string, tunnel: TunnelNode): Element[] {
  const key = `${accountId}:${tunnel.id}`;
  const connectors: Element[] = (tunnel.connectors ?? []).map((connector) => ({
    type: 'connector',
    accountId,
    tunnelId: tunnel.id,
    connector,
  }));
  const hostnames: Element[] = tunnel.hostnames
    ? tunnel.hostnames.map((hostname) => ({ type: 'hostname', accountId, tunnel, hostname }))
    : [
        {
          type: 'message',
          key: `${key}:nohostnames`,
          text: `No cloudflared config in the workspace says tunnel: ${tunnel.id} (or ${tunnel.name}).`,
        },
      ];
  const routes: Element[] = tunnel.routes.map((route) => ({ type: 'route', accountId, tunnel, route }));
  return [
    { type: 'group', group: 'connectors', accountId, tunnel, children: connectors },
    { type: 'group', group: 'hostnames', accountId, tunnel, children: hostnames },
    { type: 'group', group: 'routes', accountId, tunnel, children: routes },
    ...tunnel.warnings.map((text, i): Element => ({ type: 'warning', key: `${key}:warning:${i}`, text })),
  ];
}

export function errorElement(key: string, err: unknown): Element {
  const message = err instanceof Error ? err.message : String(err);
  const kind = (err as { kind?: unknown } | undefined)?.kind;
  return { type: 'error', key, message, signIn: kind === 'unauthorized' || kind === 'signed-out' };
}

// ── Items ───────────────────────────────────────────────────────────────────────────────────

function tunnelSpec(accountId: string, t: TunnelNode): ItemSpec {
  const health = HEALTH_ICONS[t.status];
  const tooltip = [
    `${t.name} (${t.id})`,
    `Status: ${t.status}`,
    `Configuration: ${t.configSrc === 'cloudflare' ? 'remotely managed (config_src: cloudflare)' : 'locally managed (config.yaml, config_src: local)'}`,
    t.connectorCount !== undefined ? `Connectors: ${t.connectorCount}` : undefined,
    t.createdAt ? `Created: ${formatTime(t.createdAt)}` : undefined,
    ...t.warnings.map((w) => `⚠ ${w}`),
  ];
  return {
    id: `tunnel:${accountId}:${t.id}`,
    label: t.name || t.id,
    description: t.warnings.length ? `${t.description} · ⚠ ${t.warnings.length}` : t.description,
    tooltip: tooltip.filter(Boolean).join('\n'),
    icon: health.icon,
    iconColor: health.color,
    contextValue: t.configSrc === 'cloudflare' ? CONTEXT_VALUES.tunnelRemote : CONTEXT_VALUES.tunnelLocal,
    collapsible: 'collapsed',
  };
}

const GROUPS: Record<GroupKind, { label: string; icon: string; empty: string }> = {
  connectors: { label: 'Connectors', icon: 'plug', empty: 'none running' },
  hostnames: { label: 'Public hostnames', icon: 'globe', empty: 'none' },
  routes: { label: 'DNS routes', icon: 'link', empty: 'none' },
  orphanRoutes: { label: 'DNS routes to deleted tunnels', icon: 'warning', empty: 'none' },
};

function groupSpec(el: Extract<Element, { type: 'group' }>): ItemSpec {
  const g = GROUPS[el.group];
  const count = el.children.filter((c) => c.type !== 'message').length;
  let contextValue: ContextValue = CONTEXT_VALUES.connectorsGroup;
  if (el.group === 'hostnames')
    contextValue =
      el.tunnel?.configSrc === 'cloudflare' ? CONTEXT_VALUES.hostnamesRemoteGroup : CONTEXT_VALUES.hostnamesLocalGroup;
  else if (el.group === 'routes') contextValue = CONTEXT_VALUES.routesGroup;
  else if (el.group === 'orphanRoutes') contextValue = CONTEXT_VALUES.orphanRoutesGroup;
  const source =
    el.group === 'hostnames' && el.tunnel
      ? el.tunnel.configSrc === 'cloudflare'
        ? 'remote config'
        : 'workspace config'
      : undefined;
  return {
    id: `group:${el.accountId}:${el.tunnel?.id ?? ''}:${el.group}`,
    label: g.label,
    description: [count ? String(count) : g.empty, source].filter(Boolean).join(' · '),
    icon: g.icon,
    iconColor: el.group === 'orphanRoutes' ? 'charts.yellow' : undefined,
    contextValue,
    collapsible: el.children.length ? 'collapsed' : 'none',
  };
}

function connectorSpec(el: Extract<Element, { type: 'connector' }>): ItemSpec {
  const c = el.connector;
  const since = formatTime(c.connectedSince);
  const tooltip = [
    `Connector ${c.id}`,
    c.version ? `cloudflared ${c.version}` : undefined,
    c.arch ? `Architecture: ${c.arch}` : undefined,
    c.colos.length ? `Data centers: ${c.colos.join(', ')}` : undefined,
    c.originIps.length ? `Origin IP: ${c.originIps.join(', ')}` : undefined,
    since ? `Connected since: ${since}` : undefined,
    `Edge connections: ${c.activeConnections}`,
  ];
  return {
    id: `connector:${el.accountId}:${el.tunnelId}:${c.id}`,
    label: c.version ? `cloudflared ${c.version}` : shortId(c.id),
    description: [
      c.arch,
      c.colos.join(', ') || undefined,
      c.originIps.join(', ') || undefined,
      since ? `since ${since}` : undefined,
    ]
      .filter(Boolean)
      .join(' · '),
    tooltip: tooltip.filter(Boolean).join('\n'),
    icon: 'server-process',
    iconColor: c.activeConnections < 4 ? 'charts.yellow' : undefined,
    contextValue: CONTEXT_VALUES.connector,
    collapsible: 'none',
  };
}

/**
 * A connector's item once joined to the cluster pod it runs in: the pod, its ready connections and
 * edge cities in place of the description (which moves to the tooltip).
 */
export function withConnectorPod(spec: ItemSpec, pod: ConnectorPod | undefined): ItemSpec {
  if (!pod) return spec;
  return {
    ...spec,
    description: pod.description,
    tooltip: [pod.tooltip, spec.description ? `Cloudflare: ${spec.description}` : undefined, spec.tooltip]
      .filter(Boolean)
      .join('\n'),
  };
}

function hostnameSpec(el: Extract<Element, { type: 'hostname' }>, index: number): ItemSpec {
  const h = el.hostname;
  const label = h.catchAll ? (h.path ? `* ${h.path}` : 'catch-all') : `${h.hostname}${h.path ? ` ${h.path}` : ''}`;
  const noDns = !h.catchAll && !h.hasDnsRoute;
  const where =
    h.source === 'workspace' && h.file
      ? `${h.file}${h.line !== undefined ? `:${h.line + 1}` : ''}`
      : 'the remote configuration';
  return {
    id: `hostname:${el.accountId}:${el.tunnel.id}:${index}:${label}`,
    label,
    description: `→ ${h.service}${noDns ? ' · no DNS route' : ''}`,
    tooltip: [
      `${label} → ${h.service}`,
      `From ${where}`,
      noDns ? 'No proxied DNS route points this hostname at the tunnel.' : undefined,
    ]
      .filter(Boolean)
      .join('\n'),
    icon: h.catchAll ? 'arrow-right' : noDns ? 'warning' : 'globe',
    iconColor: noDns ? 'charts.yellow' : undefined,
    contextValue: CONTEXT_VALUES.hostname,
    collapsible: 'none',
    open: h.source === 'workspace' && h.file ? { file: h.file, line: h.line } : undefined,
  };
}

function routeSpec(el: Extract<Element, { type: 'route' }>): ItemSpec {
  const r = el.route;
  const notes = [
    r.orphan ? `→ deleted tunnel ${shortId(r.tunnelId)}` : undefined,
    r.proxied ? undefined : 'not proxied',
    r.hasRule === false ? 'no ingress rule' : undefined,
  ];
  const drift = !r.proxied || r.hasRule === false || r.orphan;
  return {
    id: `route:${el.accountId}:${r.zoneId}:${r.recordId}`,
    label: r.hostname,
    description: notes.filter(Boolean).join(' · ') || (r.proxied ? 'proxied CNAME' : undefined),
    tooltip: [
      `CNAME ${r.hostname} → ${tunnelCnameTarget(r.tunnelId)}`,
      r.zoneName ? `Zone: ${r.zoneName}` : undefined,
      `Proxied: ${r.proxied ? 'yes' : "no: it does not reach the tunnel until Cloudflare's proxy is on (Turn On Cloudflare Proxy)"}`,
    ]
      .filter(Boolean)
      .join('\n'),
    icon: drift ? 'warning' : 'link',
    iconColor: drift ? 'charts.yellow' : undefined,
    contextValue: r.orphan
      ? CONTEXT_VALUES.orphanRoute
      : r.proxied
        ? CONTEXT_VALUES.route
        : CONTEXT_VALUES.unproxiedRoute,
    collapsible: 'none',
  };
}

/** How an element looks in the tree. `index` disambiguates siblings (hostname rules may repeat). */
export function itemSpec(el: Element, index = 0): ItemSpec {
  switch (el.type) {
    case 'account': {
      const c = el.tree?.counts;
      const total = c ? c.healthy + c.degraded + c.down + c.inactive : undefined;
      return {
        id: `account:${el.id}`,
        label: el.name,
        description: c && total !== undefined ? `${c.healthy}/${plural(total, 'tunnel')} healthy` : undefined,
        tooltip: `Account ${el.name} (${el.id})`,
        icon: 'account',
        contextValue: CONTEXT_VALUES.account,
        collapsible: el.single ? 'expanded' : 'collapsed',
      };
    }
    case 'tunnel':
      return tunnelSpec(el.accountId, el.tunnel);
    case 'group':
      return groupSpec(el);
    case 'connector':
      return connectorSpec(el);
    case 'hostname':
      return hostnameSpec(el, index);
    case 'route':
      return routeSpec(el);
    case 'warning':
      return {
        id: `warning:${el.key}`,
        label: el.text,
        tooltip: el.text,
        icon: 'warning',
        iconColor: 'charts.yellow',
        contextValue: CONTEXT_VALUES.warning,
        collapsible: 'none',
      };
    case 'message':
      return {
        id: `message:${el.key}`,
        label: el.text,
        icon: 'info',
        contextValue: CONTEXT_VALUES.message,
        collapsible: 'none',
      };
    case 'error': {
      const first = el.message.split(/(?<=\.)\s/)[0] ?? el.message;
      return {
        id: `error:${el.key}`,
        label: first.length > 120 ? `${first.slice(0, 119)}…` : first,
        description: el.signIn ? 'Click to sign in' : 'Click to retry',
        tooltip: el.message,
        icon: 'error',
        iconColor: 'errorForeground',
        contextValue: CONTEXT_VALUES.error,
        collapsible: 'none',
        command: el.signIn
          ? { command: COMMANDS.signIn, title: 'Sign In' }
          : { command: COMMANDS.refreshTunnels, title: 'Retry' },
      };
    }
  }
}

// ── Routing a hostname (the route command, Expose through Tunnel, the drift fix) ──────────────

/** The modal question before `routeHostname` replaces the address records at a name, with its detail and button. */
export function replaceRecordsQuestion(
  plan: Extract<HostnameRoutePlan, { kind: 'replace' }>,
  tunnelName: string,
): { message: string; detail: string; button: string } {
  const types = [...new Set(plan.records.map((r) => r.type.toUpperCase()))].join('/');
  const n = plan.records.length;
  return {
    message: `${plan.hostname} already has ${n === 1 ? `a${types === 'A' || types === 'AAAA' ? 'n' : ''} ${types} record` : `${n} ${types} records`}. Replace ${n === 1 ? 'it' : 'them'} with a proxied CNAME to tunnel ${tunnelName}?`,
    detail: [
      ...plan.records.map((r: RouteRecordLike) => `${r.name} ${describeRouteRecord(r)}`),
      n > 1
        ? `Cloudflare allows no CNAME beside other A, AAAA or CNAME records of a name: ${n - 1} of them ${n - 1 === 1 ? 'is' : 'are'} deleted first, then the last one becomes the CNAME.`
        : undefined,
    ]
      .filter(Boolean)
      .join('\n'),
    button: 'Overwrite',
  };
}

/** One sentence for what `CloudflareApi.routeHostname` did. */
export function routeOutcomeMessage(
  outcome: { kind: 'unchanged' | 'proxied' | 'created' | 'replaced' | 'declined' },
  hostname: string,
  tunnelName: string,
): string {
  switch (outcome.kind) {
    case 'unchanged':
      return `${hostname} already routes to tunnel ${tunnelName}.`;
    case 'proxied':
      return `Turned on Cloudflare's proxy for ${hostname}: it now routes to tunnel ${tunnelName}.`;
    case 'declined':
      return `${hostname} keeps its DNS records, so it does not reach tunnel ${tunnelName}.`;
    default:
      return `Routed ${hostname} to tunnel ${tunnelName}.`;
  }
}

// ── Status and notifications ────────────────────────────────────────────────────────────────

/**
 * The status bar's numbers: healthy / total over every account given (all loaded accounts, or only
 * the pinned one). The tooltip names each account with its counts when there are several.
 */
export function healthSummary(trees: AccountNode | readonly AccountNode[]): {
  healthy: number;
  total: number;
  text: string;
  tooltip: string;
  unhealthy: boolean;
} {
  const list: readonly AccountNode[] = Array.isArray(trees) ? trees : [trees as AccountNode];
  const sum = { healthy: 0, degraded: 0, down: 0, inactive: 0 };
  const lines: string[] = [];
  const counts = (c: typeof sum): string =>
    `${c.healthy} healthy, ${c.degraded} degraded, ${c.down} down, ${c.inactive} inactive`;
  for (const tree of list) {
    const c = tree.counts;
    sum.healthy += c.healthy;
    sum.degraded += c.degraded;
    sum.down += c.down;
    sum.inactive += c.inactive;
    if (list.length > 1) lines.push(`${tree.name}: ${counts(c)}`);
  }
  const header =
    list.length === 1
      ? [`Cloudflare Tunnel: ${list[0]!.name}`, counts(sum)]
      : [`Cloudflare Tunnel: ${list.length} accounts`, counts(sum), ...lines];
  const total = sum.healthy + sum.degraded + sum.down + sum.inactive;
  for (const tree of list)
    for (const t of tree.tunnels)
      if (t.status === 'down' || t.status === 'degraded')
        header.push(`${list.length > 1 ? `${tree.name} › ` : ''}${t.name}: ${t.status}`);
  return {
    healthy: sum.healthy,
    total,
    text: `${sum.healthy}/${total} healthy`,
    tooltip: header.join('\n'),
    unhealthy: sum.down + sum.degraded > 0,
  };
}

/**
 * Tunnels that turned down or degraded since `previous` (tunnel id → status); tunnels not seen
 * before are not news. `previous` is updated in place.
 */
export function newlyUnhealthy(previous: Map<string, TunnelHealth>, tunnels: readonly TunnelNode[]): TunnelNode[] {
  const out: TunnelNode[] = [];
  for (const t of tunnels) {
    const before = previous.get(t.id);
    if (before !== undefined && before !== t.status && (t.status === 'down' || t.status === 'degraded')) out.push(t);
    previous.set(t.id, t.status);
  }
  return out;
}

// ── Files ───────────────────────────────────────────────────────────────────────────────────

/**
 * Where cloudflared looks for cert.pem: the file TUNNEL_ORIGIN_CERT names, else its default
 * config directories (cloudflared `config.DefaultConfigSearchDirectories`).
 */
export function certPemCandidates(env: Record<string, string | undefined>, home: string, platform: string): string[] {
  const named = env['TUNNEL_ORIGIN_CERT']?.trim();
  if (named) return [named.startsWith('~/') ? `${home}/${named.slice(2)}` : named];
  return cloudflaredSearchDirs(home, platform).map((d) => `${d}/cert.pem`);
}

/** The top-level `tunnel:` of a cloudflared config's text (a UUID or a name), if it has one. */
export function configTunnelKey(text: string): string | undefined {
  return /^tunnel[ \t]*:[ \t]*["']?([^"'\s#]+)/m.exec(text)?.[1];
}

/** Whether a config's `tunnel:` names this tunnel, by id (any case) or by name. */
export function configNamesTunnel(text: string, tunnel: { id: string; name: string }): boolean {
  const key = configTunnelKey(text);
  return key !== undefined && (key.toLowerCase() === tunnel.id.toLowerCase() || key === tunnel.name);
}

/** The folder (POSIX) of the first config (in path order) whose `tunnel:` names the tunnel. */
export function credentialsFolderOf(
  configs: ReadonlyArray<{ path: string; text: string }>,
  tunnel: { id: string; name: string },
): string | undefined {
  const hit = [...configs].sort((a, b) => a.path.localeCompare(b.path)).find((c) => configNamesTunnel(c.text, tunnel));
  return hit ? hit.path.slice(0, hit.path.lastIndexOf('/')) : undefined;
}

/**
 * The .gitignore change that keeps a credentials file out of git, or undefined when none is
 * needed. `gitignores` are the .gitignore files of the folders from `root` down to the file's
 * folder (POSIX paths; others are ignored): when git's rules over them already ignore the file,
 * nothing is added; otherwise the anchored entry is appended to the deepest of them (the root's,
 * created, when there is none).
 */
export function credentialsGitignoreEdit(
  root: string,
  file: string,
  gitignores: ReadonlyArray<{ dir: string; text: string }>,
): { path: string; entry: string; comment: string; text: string } | undefined {
  const folder = file.slice(0, file.lastIndexOf('/'));
  const onPath = gitignores
    .filter((g) => g.dir === root || (folder + '/').startsWith(g.dir + '/'))
    .filter((g) => (g.dir + '/').startsWith(root + '/') || g.dir === root);
  if (
    isIgnored(
      file,
      root,
      onPath.map((g) => ({ dir: g.dir, rules: parseGitignore(g.text) })),
    )
  )
    return undefined;
  const nearest = [...onPath].sort((a, b) => b.dir.length - a.dir.length)[0] ?? { dir: root, text: '' };
  const entry = `/${file.slice(nearest.dir.length + 1)}`;
  const comment = 'Cloudflare Tunnel credentials (secret)';
  const text = gitignoreWithEntry(nearest.text, entry, comment);
  return text === undefined ? undefined : { path: `${nearest.dir}/.gitignore`, entry, comment, text };
}
