/**
 * "Trace Hostname…" as plain data (issue #17): what the command takes as its argument (a URL, a
 * Tunnels view hostname, a rule's CodeLens), the hostnames it offers, the input's validation, the
 * rules that get a "Trace" CodeLens, and the answer of `cftunnel/trace` as quick pick items: the
 * verdict as the title, one item per hop (its file:line opens), then what stopped it, the warnings
 * and the notes. No `vscode` import: test/unit covers it; src/extension/trace.ts shows it.
 */
import { arrivingFirst, hostnameTraceTunnels } from '../core/kubernetes/controllerRouting';
import type { HostnameRuleInput, TreeDeploymentInput } from '../core/kubernetes/servicesTree';
import type { RoutingObjects } from '../core/routing/objects';
import { parseTraceUrl, traceUrl } from '../core/routing/trace';
import type { HopKind } from '../core/routing/trace';
import type { TraceAnswer, TraceHopAt } from '../shared/trace';
import type { ConfigRange, WorkspaceConfig } from '../shared/workspaceConfigs';

/** The argument the command is given by a CodeLens (and may be given by other callers). */
export interface TraceTarget {
  /** A URL, or a hostname pattern still to be completed (`*.example.com`). */
  url: string;
}

/** A rule's path when it is a literal (`/api`, `^/api/`), else undefined: a regex is no URL path. */
export function literalPath(path: string | undefined): string | undefined {
  if (!path) return undefined;
  const bare = path.replace(/^\^/, '').replace(/\$$/, '');
  return /^\/[A-Za-z0-9_~%/-]*$/.test(bare) ? bare : undefined;
}

/** The URL for a rule: its hostname, plus its path when literal. Undefined for the catch-all. */
export function ruleUrl(hostname: string | undefined, path: string | undefined): string | undefined {
  if (!hostname || hostname === '*') return undefined;
  const p = literalPath(path);
  return p && p !== '/' ? `${hostname}${p}` : hostname;
}

/**
 * What the command was invoked with: a string, a `TraceTarget`, or a Tunnels view hostname element
 * (`{ type: 'hostname', hostname: { hostname, path } }`). Undefined: ask.
 */
export function traceArgument(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg.trim() || undefined;
  if (!arg || typeof arg !== 'object') return undefined;
  const o = arg as { url?: unknown; type?: unknown; hostname?: unknown };
  if (typeof o.url === 'string') return o.url.trim() || undefined;
  if (o.type === 'hostname' && o.hostname && typeof o.hostname === 'object') {
    const h = o.hostname as { hostname?: unknown; path?: unknown };
    return ruleUrl(
      typeof h.hostname === 'string' ? h.hostname : undefined,
      typeof h.path === 'string' ? h.path : undefined,
    );
  }
  return undefined;
}

/** A wildcard hostname needs its `*` replaced before it is a URL. */
export function isPattern(url: string): boolean {
  return url.includes('*');
}

/** The input box's validation: undefined when the text can be traced, else why not. */
export function validateTraceUrl(text: string): string | undefined {
  if (isPattern(text)) return 'Replace * with a name: a URL has one hostname';
  const parsed = parseTraceUrl(text);
  return parsed.ok ? undefined : parsed.error[0]!.toUpperCase() + parsed.error.slice(1);
}

export interface HostnameChoice {
  label: string;
  description?: string;
  /** The URL to trace, or a pattern to complete in the input box; undefined: "Enter a URL…". */
  url?: string;
}

export const ENTER_URL_LABEL = '$(edit) Enter a URL…';

/**
 * The hostnames the workspace's configs route (in rule order, each once), then "Enter a URL…".
 * `relative` turns a config's path into what the user reads.
 */
export function hostnameChoices(configs: readonly WorkspaceConfig[], relative: RelativePath): HostnameChoice[] {
  const seen = new Set<string>();
  const out: HostnameChoice[] = [];
  for (const c of configs) {
    for (const r of c.rules) {
      const url = ruleUrl(r.hostname, r.path);
      if (!url || seen.has(url)) continue;
      seen.add(url);
      out.push({ label: url, description: `→ ${r.service} · ${relative(c.path, c.uri)}`, url });
    }
  }
  out.push({ label: ENTER_URL_LABEL });
  return out;
}

/** The input box's start: the pattern's `*` selected (to type over), or the whole text. */
export function inputSelection(value: string): [number, number] {
  const star = value.indexOf('*');
  return star >= 0 ? [star, star + 1] : [0, value.length];
}

/** Where a "Trace" CodeLens goes in a document, given its configs: each rule with a hostname (exact ranges only). */
export function traceLenses(configs: readonly WorkspaceConfig[]): Array<{ range: ConfigRange; url: string }> {
  return configs
    .filter((c) => c.exact)
    .flatMap((c) =>
      c.rules.flatMap((r) => {
        const url = ruleUrl(r.hostname, r.path);
        return url ? [{ range: r.hostnameRange ?? r.range, url }] : [];
      }),
    );
}

// ── The answer ──────────────────────────────────────────────────────────────────────────────

export const HOP_ICONS: Record<HopKind, string> = {
  rule: 'symbol-event',
  service: 'symbol-interface',
  ingress: 'type-hierarchy-sub',
  httproute: 'type-hierarchy-sub',
  ingressroute: 'type-hierarchy-sub',
  gateway: 'server-environment',
  'pod-port': 'plug',
};

export const HOP_NAMES: Record<HopKind, string> = {
  rule: 'Tunnel rule',
  service: 'Service',
  ingress: 'Ingress',
  httproute: 'HTTPRoute',
  ingressroute: 'IngressRoute',
  gateway: 'Gateway',
  'pod-port': 'Pod port',
};

export interface TraceItem {
  label: string;
  description?: string;
  detail?: string;
  /** A separator (a quick pick's `QuickPickItemKind.Separator`). */
  separator?: boolean;
  /** Where choosing the item goes (1-based line); undefined: not openable. */
  open?: { uri?: string; file: string; line?: number };
  /** A cluster object to open read-only (a hop of a trace through the cluster). */
  object?: { apiVersion: string; kind: string; namespace?: string; name: string };
}

/** The verdict, as the quick pick's title: `shop.example.com → Service web/shop port 80` or `… → not served: …`. */
export function traceTitle(result: TraceAnswer['result']): string {
  const head = result.servedBy
    ? `${result.url} → Service ${result.servedBy.namespace}/${result.servedBy.name} port ${result.servedBy.port}`
    : `${result.url} → not served${result.status !== undefined ? ` (${result.status})` : ''}: ${result.stops ?? 'unknown'}`;
  return result.certain ? head : `${head} (uncertain: see notes)`;
}

/** How a file is shown: workspace-relative (the caller knows the folders); `uri` is the file's `file:` URI when known. */
export type RelativePath = (path: string, uri?: string) => string;

function hopItem(hop: TraceHopAt, index: number, relative: RelativePath): TraceItem {
  const who = hop.name !== undefined ? ` ${hop.namespace !== undefined ? `${hop.namespace}/` : ''}${hop.name}` : '';
  const item: TraceItem = {
    label: `$(${HOP_ICONS[hop.kind]}) ${index + 1}. ${HOP_NAMES[hop.kind]}${who}`,
    detail: hop.detail,
  };
  if (hop.file !== undefined) {
    item.description = `${relative(hop.file, hop.uri)}${hop.line !== undefined ? `:${hop.line}` : ''}`;
    item.open = {
      file: hop.file,
      ...(hop.uri ? { uri: hop.uri } : {}),
      ...(hop.line !== undefined ? { line: hop.line } : {}),
    };
  } else if (hop.object) {
    item.description = 'in the cluster';
    item.object = { ...hop.object };
  }
  return item;
}

/** The quick pick's items: the hops, where it stops, warnings, notes (only hops open something). */
export function traceItems(answer: TraceAnswer, relative: RelativePath): TraceItem[] {
  const r = answer.result;
  const items: TraceItem[] = r.hops.map((h, i) => hopItem(h, i, relative));
  if (r.servedBy === null) {
    items.push({
      label: `$(error) Not served${r.status !== undefined ? ` (${r.status})` : ''}`,
      detail: r.stops ?? 'The trace stops here for a reason the model does not know.',
    });
  }
  if (r.warnings.length > 0) {
    items.push({ label: 'Warnings', separator: true });
    for (const w of r.warnings) items.push({ label: '$(warning) Warning', detail: w });
  }
  if (r.notes.length > 0 || !r.certain || answer.openDocumentsOnly) {
    items.push({ label: 'Notes', separator: true });
    if (!r.certain)
      items.push({ label: '$(question) Uncertain', detail: 'A hop depends on something the workspace cannot tell.' });
    for (const n of r.notes) items.push({ label: '$(info) Note', detail: n });
    if (answer.openDocumentsOnly)
      items.push({
        label: '$(shield) Restricted Mode',
        detail: 'Only the open documents were read: trust the workspace to trace through all its files.',
      });
  }
  return items;
}

/** The message when the workspace has no cloudflared config to start from. */
export function noConfigMessage(answer: TraceAnswer): string {
  return answer.openDocumentsOnly
    ? 'Cloudflare Tunnel: no open document is a cloudflared config (Restricted Mode reads only open documents). Open the config.yaml whose rules to trace, or trust the workspace.'
    : 'Cloudflare Tunnel: this workspace has no cloudflared config (a config.yaml with ingress rules, or a ConfigMap holding one): there is no tunnel rule to trace from.';
}

// ── The cluster as the source ───────────────────────────────────────────────────────────────

/** Where a trace starts from: the workspace's manifests (the language server) or the connected cluster. */
export type TraceSource = 'workspace' | 'cluster';

/**
 * The source to use without asking, else undefined (ask, when both are available): a hostname from
 * the Tunnels view of a remotely-managed tunnel → the cluster; a rule's CodeLens → the workspace.
 */
export function defaultTraceSource(
  arg: unknown,
  available: { workspace: boolean; cluster: boolean },
): TraceSource | undefined {
  if (!available.cluster) return 'workspace';
  if (!available.workspace) return 'cluster';
  if (arg && typeof arg === 'object') {
    const o = arg as { type?: unknown; hostname?: { source?: unknown }; url?: unknown };
    if (o.type === 'hostname' && o.hostname && typeof o.hostname === 'object')
      return o.hostname.source === 'remote' ? 'cluster' : 'workspace';
    if (typeof o.url === 'string') return 'workspace';
  }
  return undefined;
}

export interface SourceChoice {
  label: string;
  description: string;
  source: TraceSource;
}

/** The two sources, the cluster first when `preferCluster`. */
export function sourceChoices(context: string, preferCluster: boolean): SourceChoice[] {
  const cluster: SourceChoice = {
    label: `$(server-environment) Cluster ${context}`,
    description: 'its Services and routing objects; the workspace’s and the signed-in tunnels’ rules',
    source: 'cluster',
  };
  const workspace: SourceChoice = {
    label: '$(folder) Workspace',
    description: 'the manifests and cloudflared configs in the workspace folders',
    source: 'workspace',
  };
  return preferCluster ? [cluster, workspace] : [workspace, cluster];
}

/** The hostnames of the rules the cluster trace starts from (each once, in order), then "Enter a URL…". */
export function ruleHostnameChoices(rules: readonly HostnameRuleInput[]): HostnameChoice[] {
  const seen = new Set<string>();
  const out: HostnameChoice[] = [];
  for (const r of rules) {
    const url = ruleUrl(r.hostname, r.path);
    if (!url || seen.has(url)) continue;
    seen.add(url);
    const where =
      r.source === 'remote'
        ? `tunnel ${r.tunnelName ?? r.tunnelId ?? '?'} (remote)`
        : `${r.file ?? 'workspace config'}`;
    out.push({ label: url, description: `→ ${r.service} · ${where}`, url });
  }
  out.push({ label: ENTER_URL_LABEL });
  return out;
}

export interface ClusterTraceInput {
  url: string;
  /** The workspace configs' rules and the remote rules of the signed-in tunnels (`hostnameRules`). */
  rules: readonly HostnameRuleInput[];
  deployments: readonly TreeDeploymentInput[];
  objects: RoutingObjects;
  clusterDomain?: string;
  /** A rule's file as a URI the editor opens. */
  fileUri: (path: string) => string;
  /** The tunnel the hostname's DNS record routes to (id, name), when known: its rules are followed first. */
  dnsTunnel?: { id: string; name: string };
}

/**
 * A trace through the cluster: the rules grouped into tunnels as the Services tree groups them
 * (cloudflared's matching, each tunnel's order), the cluster's objects; hops carry their objects.
 * Throws `TraceInputError` for a URL that is not one.
 */
export function clusterTraceAnswer(input: ClusterTraceInput): TraceAnswer {
  const { tunnels, tunnelIds } = hostnameTraceTunnels(input.rules, input.deployments);
  const dns = input.dnsTunnel ? tunnelIds.indexOf(input.dnsTunnel.id.toLowerCase()) : -1;
  const result = traceUrl({
    url: input.url,
    tunnels: arrivingFirst(tunnels, dns),
    objects: input.objects,
    ...(input.clusterDomain ? { clusterDomain: input.clusterDomain } : {}),
  });
  if (dns >= 0)
    result.notes.push(`the DNS record routes ${result.host} to tunnel ${input.dnsTunnel!.name}: its rules come first`);
  return {
    result: {
      ...result,
      hops: result.hops.map((h) => (h.file === undefined ? h : { ...h, uri: input.fileUri(h.file) })),
    },
    tunnels: tunnels.length,
    openDocumentsOnly: false,
  };
}

/** The message when the cluster trace has no tunnel rule to start from. */
export const NO_CLUSTER_RULES_MESSAGE =
  'Cloudflare Tunnel: no tunnel rule is known to trace from: sign in to Cloudflare (remotely-managed tunnels) or open a workspace with a cloudflared config.';

/** The tunnel a proxied CNAME routes `host` to (exact name first, then a wildcard record), from the accounts' DNS routes. */
export function dnsTunnelOf(
  routes: ReadonlyArray<{ hostname: string; tunnelId: string }>,
  tunnels: ReadonlyArray<{ id: string; name: string }>,
  url: string,
): { id: string; name: string } | undefined {
  const parsed = parseTraceUrl(url);
  if (!parsed.ok) return undefined;
  const host = parsed.host;
  const route =
    routes.find((r) => r.hostname.toLowerCase() === host) ??
    routes.find((r) => r.hostname.startsWith('*.') && host.endsWith(r.hostname.slice(1).toLowerCase()));
  if (!route) return undefined;
  const t = tunnels.find((x) => x.id.toLowerCase() === route.tunnelId.toLowerCase());
  return { id: route.tunnelId, name: t?.name ?? route.tunnelId };
}
