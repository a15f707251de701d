/**
 * What the Cluster Services view shows, as plain data: view elements over the pure nodes of
 * `src/core/kubernetes/servicesTree.ts`, how each one looks (`itemSpec`), and the joins the view
 * needs (ingress rules of the workspace and of the tunnels' remote configurations, cloudflared
 * Deployments → tunnels, drift input from the Tunnels view's data). No `vscode` import, so
 * test/unit covers it; `servicesView.ts` only turns an `ItemSpec` into a `TreeItem`.
 */
import type { AccountNode, TunnelNode, WorkspaceRule } from '../../core/cloudflare/tunnelsTree';
import { tunnelCnameTarget } from '../../core/cloudflare/tunnelCname';
import type { DriftDnsRecord, DriftFinding, DriftSeverity, DriftTunnel } from '../../core/drift';
import { clientCommand, isObviouslyNonHttp, serviceUrl } from '../../core/expose';
import type {
  CloudflaredNode,
  ContextNode,
  HostnameRuleInput,
  NamespaceNode,
  PodNode,
  ServiceHostnameNode,
  ServiceNode,
  TreeDeploymentInput,
} from '../../core/kubernetes/servicesTree';
import { COMMANDS } from '../../shared/commands';
import { CONTEXT_VALUES } from '../../shared/contextValues';
import type { ContextValue } from '../../shared/contextValues';
import type { TreeItemSpec } from '../../shared/treeItemSpec';

export type Element =
  | { type: 'context'; node: ContextNode; contexts: number }
  | { type: 'namespace'; context: string; node: NamespaceNode }
  | { type: 'service'; context: string; node: ServiceNode }
  | { type: 'hostname'; context: string; service: ServiceNode; node: ServiceHostnameNode }
  | { type: 'cloudflared'; context: string; node: CloudflaredNode }
  | { type: 'pod'; context: string; deployment: CloudflaredNode; node: PodNode }
  | { type: 'problems'; findings: DriftFinding[] }
  | { type: 'finding'; finding: DriftFinding }
  | { type: 'message'; key: string; text: string; icon?: string }
  | { type: 'error'; key: string; message: string };

export type ItemSpec = TreeItemSpec<ContextValue>;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

// ── Joins ───────────────────────────────────────────────────────────────────────────────────

/** A tunnel of the signed-in account(s), as far as it is known. */
export interface KnownTunnel {
  accountId: string;
  tunnel: TunnelNode;
}

/** The tunnel a `tunnel:` value or a `run` argument names (UUID or name). */
export function findTunnel(tunnels: readonly KnownTunnel[], ref: string | undefined): KnownTunnel | undefined {
  if (!ref) return undefined;
  const r = ref.trim().toLowerCase();
  return tunnels.find((t) => t.tunnel.id.toLowerCase() === r) ?? tunnels.find((t) => t.tunnel.name.toLowerCase() === r);
}

/**
 * The ingress rules joined onto Services: the workspace's config.yaml rules (their `tunnel:`
 * resolved to a known tunnel where possible) and the remote rules of remotely-managed tunnels
 * whose configuration is loaded.
 */
export function hostnameRules(
  workspaceRules: readonly WorkspaceRule[],
  tunnels: readonly KnownTunnel[],
): HostnameRuleInput[] {
  const out: HostnameRuleInput[] = [];
  for (const r of workspaceRules) {
    const t = findTunnel(tunnels, r.tunnel);
    const rule: HostnameRuleInput = { service: r.service, source: 'workspace' };
    if (r.hostname !== undefined) rule.hostname = r.hostname;
    if (r.path !== undefined) rule.path = r.path;
    if (t) {
      rule.tunnelId = t.tunnel.id;
      rule.tunnelName = t.tunnel.name;
    } else rule.tunnelName = r.tunnel;
    if (r.file !== undefined) rule.file = r.file;
    if (r.line !== undefined) rule.line = r.line;
    if (r.origin) rule.origin = r.origin;
    out.push(rule);
  }
  for (const { tunnel } of tunnels) {
    if (tunnel.configSrc !== 'cloudflare') continue;
    for (const h of tunnel.hostnames ?? []) {
      if (h.source !== 'remote') continue;
      const rule: HostnameRuleInput = {
        service: h.service,
        source: 'remote',
        tunnelId: tunnel.id,
        tunnelName: tunnel.name,
      };
      if (h.hostname !== undefined) rule.hostname = h.hostname;
      if (h.path !== undefined) rule.path = h.path;
      if (h.origin) rule.origin = h.origin;
      out.push(rule);
    }
  }
  return out;
}

/**
 * The account whose Access applications decide for a hostname item: its tunnel's account, else the
 * only signed-in account (a workspace rule whose `tunnel:` names no known tunnel); undefined when
 * that cannot be told.
 */
export function accountOfHostname(
  node: Pick<ServiceHostnameNode, 'tunnelId'>,
  tunnels: readonly KnownTunnel[],
  accountIds: readonly string[],
): string | undefined {
  const t = node.tunnelId ? tunnels.find((k) => k.tunnel.id.toLowerCase() === node.tunnelId!.toLowerCase()) : undefined;
  if (t) return t.accountId;
  return accountIds.length === 1 ? accountIds[0] : undefined;
}

/** cloudflared Deployments as the tree takes them, with the tunnel they run when it is known. */
export function deploymentInputs(
  deployments: ReadonlyArray<TreeDeploymentInput & { tunnelRef?: string }>,
  tunnels: readonly KnownTunnel[],
): TreeDeploymentInput[] {
  return deployments.map((d) => {
    const t = findTunnel(tunnels, d.tunnelRef);
    const out: TreeDeploymentInput = { ...d };
    delete (out as { tunnelRef?: string }).tunnelRef;
    if (t) {
      out.tunnelId = t.tunnel.id;
      out.tunnelName = t.tunnel.name;
    } else if (d.tunnelRef && /^[0-9a-f-]{36}$/i.test(d.tunnelRef)) out.tunnelId = d.tunnelRef.toLowerCase();
    return out;
  });
}

/** The Tunnels view's data as drift input: tunnels (with their remote rules) and tunnel CNAMEs. */
export function driftCloudflare(
  accounts: readonly AccountNode[],
  tunnels: readonly KnownTunnel[],
): { tunnels: DriftTunnel[]; dnsRecords: DriftDnsRecord[]; zones: Array<{ id: string; name: string }> } {
  const driftTunnels = tunnels.map(({ tunnel: t }): DriftTunnel => {
    const d: DriftTunnel = { id: t.id, name: t.name, status: t.status, configSrc: t.configSrc };
    if (t.connectorCount !== undefined) d.connectorCount = t.connectorCount;
    if (t.configSrc === 'cloudflare' && t.hostnames) {
      d.remoteRules = t.hostnames
        .filter((h) => h.source === 'remote')
        .map((h) => ({
          service: h.service,
          ...(h.hostname ? { hostname: h.hostname } : {}),
          ...(h.path ? { path: h.path } : {}),
          ...(h.origin ? { origin: h.origin } : {}),
        }));
    }
    return d;
  });
  const dnsRecords: DriftDnsRecord[] = [];
  const zones: Array<{ id: string; name: string }> = [];
  for (const a of accounts) {
    for (const z of a.zones) zones.push({ id: z.id, name: z.name });
    for (const r of [...a.tunnels.flatMap((t) => t.routes), ...a.orphanRoutes]) {
      if (dnsRecords.some((x) => x.id === r.recordId)) continue;
      const rec: DriftDnsRecord = {
        id: r.recordId,
        zoneId: r.zoneId,
        name: r.hostname,
        type: 'CNAME',
        content: tunnelCnameTarget(r.tunnelId),
        proxied: r.proxied,
      };
      if (r.zoneName) rec.zoneName = r.zoneName;
      dnsRecords.push(rec);
    }
  }
  return { tunnels: driftTunnels, dnsRecords, zones };
}

// ── Expose ──────────────────────────────────────────────────────────────────────────────────

export interface PortChoice {
  label: string;
  description: string;
  port: number;
  /** The rule's `service`: the Service's DNS name, never its ClusterIP. */
  url: string;
}

/** The Service's TCP ports with the rule each one would get. */
export function portChoices(
  service: Pick<ServiceNode, 'name' | 'namespace' | 'ports'>,
  clusterDomain?: string,
): PortChoice[] {
  return service.ports
    .filter((p) => p.protocol.toUpperCase() === 'TCP')
    .map((p) => {
      const ref = {
        name: service.name,
        namespace: service.namespace,
        port: p.port,
        ...(p.name ? { portName: p.name } : {}),
      };
      const url = serviceUrl(ref, { detectNonHttp: true, ...(clusterDomain ? { clusterDomain } : {}) });
      return {
        label: p.label,
        description: isObviouslyNonHttp(ref) ? `${url} (not HTTP: clients use cloudflared access)` : url,
        port: p.port,
        url,
      };
    });
}

/** A hostname to suggest for a Service in a zone: `name.zone`. */
export function suggestHostname(service: { name: string }, zone: string | undefined): string {
  const label =
    service.name
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .replace(/^-+|-+$/g, '') || 'app';
  return zone ? `${label}.${zone}` : label;
}

// ── Elements ────────────────────────────────────────────────────────────────────────────────

/** The root: the context node, then the drift problems when there are any. */
export function rootElements(
  node: ContextNode,
  contexts: number,
  findings: readonly DriftFinding[] | undefined,
): Element[] {
  const out: Element[] = [{ type: 'context', node, contexts }];
  if (findings && findings.length) out.push({ type: 'problems', findings: [...findings] });
  return out;
}

export function childrenOf(el: Element): Element[] {
  switch (el.type) {
    case 'context': {
      const out: Element[] = [];
      if (el.node.note) out.push({ type: 'message', key: `${el.node.id}:note`, text: el.node.note, icon: 'warning' });
      out.push(...el.node.namespaces.map((node): Element => ({ type: 'namespace', context: el.node.name, node })));
      for (const u of el.node.unresolved) {
        out.push({
          type: 'message',
          key: u.id,
          text: `${u.hostname ?? '(catch-all)'} → ${u.service}: no such Service in this cluster`,
          icon: 'warning',
        });
      }
      if (el.node.namespaces.length === 0)
        out.push({
          type: 'message',
          key: `${el.node.id}:empty`,
          text: 'No Services in this cluster (or none you may list).',
        });
      return out;
    }
    case 'namespace':
      return [
        ...el.node.cloudflared.map((node): Element => ({ type: 'cloudflared', context: el.context, node })),
        ...el.node.services.map((node): Element => ({ type: 'service', context: el.context, node })),
      ];
    case 'service':
      return el.node.hostnames.map((node): Element => ({
        type: 'hostname',
        context: el.context,
        service: el.node,
        node,
      }));
    case 'cloudflared': {
      const out: Element[] = el.node.pods.map((node): Element => ({
        type: 'pod',
        context: el.context,
        deployment: el.node,
        node,
      }));
      if (el.node.podsError)
        out.push({ type: 'message', key: `${el.node.id}:podsError`, text: el.node.podsError, icon: 'warning' });
      return out;
    }
    case 'problems':
      return el.findings.map((finding): Element => ({ type: 'finding', finding }));
    default:
      return [];
  }
}

// ── Items ───────────────────────────────────────────────────────────────────────────────────

const HEALTH: Record<CloudflaredNode['health'], { icon: string; color?: string }> = {
  ready: { icon: 'pass-filled', color: 'charts.green' },
  degraded: { icon: 'warning', color: 'charts.yellow' },
  down: { icon: 'error', color: 'charts.red' },
  'scaled-down': { icon: 'circle-outline' },
};

const SEVERITY: Record<DriftSeverity, { icon: string; color: string }> = {
  error: { icon: 'error', color: 'problemsErrorIcon.foreground' },
  warning: { icon: 'warning', color: 'problemsWarningIcon.foreground' },
  information: { icon: 'info', color: 'problemsInfoIcon.foreground' },
};

/** The client command of a hostname item, when its rule serves tcp/ssh/rdp/smb. */
export function hostnameClientCommand(h: Pick<ServiceHostnameNode, 'hostname' | 'service'>): string | undefined {
  if (!h.hostname) return undefined;
  const c = clientCommand(h.hostname, h.service);
  return c ? (c.sshConfig ?? c.command) : undefined;
}

function serviceSpec(context: string, s: ServiceNode): ItemSpec {
  const exposed = s.exposure.length > 0;
  const portProblem = s.hostnames.some((h) => !h.portMatches);
  const tooltip = [
    `${s.namespace}/${s.name} (${s.type})`,
    s.clusterIP ? `ClusterIP: ${s.clusterIP}` : undefined,
    s.externalName ? `ExternalName: ${s.externalName}` : undefined,
    s.externalIPs.length ? `External: ${s.externalIPs.join(', ')}` : undefined,
    s.ports.length ? `Ports: ${s.ports.map((p) => p.label).join(', ')}` : 'No ports',
    exposed
      ? `Exposed through ${s.exposure.map((e) => `tunnel ${e.tunnelName ?? e.tunnelId ?? '?'} (${e.hostnames.join(', ')}${e.connectors.length ? `; cloudflared ${e.connectors.join(', ')}` : ''})`).join('; ')}`
      : 'Not exposed through a tunnel',
    portProblem ? '⚠ A rule targets a port this Service does not have.' : undefined,
  ];
  return {
    id: `${context}:${s.id}`,
    label: s.name,
    description: s.description,
    tooltip: tooltip.filter(Boolean).join('\n'),
    icon: exposed ? (portProblem ? 'warning' : 'globe') : 'symbol-interface',
    iconColor: exposed ? (portProblem ? 'charts.yellow' : 'charts.green') : undefined,
    contextValue: exposed ? CONTEXT_VALUES.kubeServiceExposed : CONTEXT_VALUES.kubeService,
    collapsible: s.hostnames.length ? 'collapsed' : 'none',
  };
}

/** `Ingress default/shop`. */
export function viaLabel(v: NonNullable<ServiceHostnameNode['via']>): string {
  return `${v.kind} ${v.namespace ? `${v.namespace}/` : ''}${v.name}`;
}

/** The lines a hostname routed through an ingress controller adds to its tooltip. */
function routingTooltip(h: ServiceHostnameNode): string[] {
  const out: string[] = [];
  if (h.controller) {
    out.push(
      `Reached through ${h.controller.kind} (Service ${h.controller.namespace}/${h.controller.name})${h.via ? `, routed by ${viaLabel(h.via)}` : ''}.`,
    );
    if (h.via?.object) out.push(`Click to open ${viaLabel(h.via)} (read-only, from the cluster).`);
  }
  if (h.noRoute) out.push(`No route: ${h.noRoute.reason}`);
  const onward = (h.routed ?? []).filter((r) => r.servedBy);
  if (onward.length) {
    out.push('Routed onward:');
    for (const r of onward.slice(0, 20)) {
      out.push(
        `  ${r.hostname}${r.path ?? ''} → ${r.via ? `${viaLabel(r.via)} → ` : ''}Service ${r.servedBy!.namespace}/${r.servedBy!.name}:${r.servedBy!.port}`,
      );
    }
    if (onward.length > 20) out.push(`  … and ${onward.length - 20} more`);
  }
  return out;
}

function hostnameSpec(context: string, h: ServiceHostnameNode): ItemSpec {
  const client = hostnameClientCommand(h);
  const label = `${h.hostname ?? '(catch-all)'}${h.path ? ` ${h.path}` : ''}`;
  const spec: ItemSpec = {
    id: `${context}:${h.id}`,
    label,
    description: h.description,
    tooltip: [
      `${label} → ${h.service}`,
      h.description,
      ...routingTooltip(h),
      client ? `Clients run: ${client}` : undefined,
    ]
      .filter(Boolean)
      .join('\n'),
    icon: h.noRoute
      ? 'error'
      : !h.portMatches
        ? 'warning'
        : h.via
          ? 'type-hierarchy-sub'
          : h.source === 'remote'
            ? 'cloud'
            : 'file-code',
    iconColor: h.noRoute ? 'charts.red' : !h.portMatches ? 'charts.yellow' : undefined,
    contextValue: client ? CONTEXT_VALUES.kubeHostnameClient : CONTEXT_VALUES.kubeHostname,
    collapsible: 'none',
  };
  // Through a controller: the routing object opens (read-only from the cluster, or its manifest).
  if (h.via?.object) spec.command = { command: COMMANDS.showClusterObject, title: `Open ${viaLabel(h.via)}` };
  else if (h.via?.file) spec.open = { file: h.via.file, ...(h.via.line !== undefined ? { line: h.via.line - 1 } : {}) };
  else if (h.file) spec.open = { file: h.file, ...(h.line !== undefined ? { line: h.line } : {}) };
  return spec;
}

export function itemSpec(el: Element): ItemSpec {
  switch (el.type) {
    case 'context': {
      const n = el.node;
      return {
        id: n.id,
        label: n.name,
        description: n.description,
        tooltip: [
          `Context ${n.name}`,
          n.server ? `Server: ${n.server}` : undefined,
          `${plural(n.counts.namespaces, 'namespace')}, ${plural(n.counts.services, 'Service')}, ${n.counts.exposed} exposed, ${plural(n.counts.cloudflared, 'cloudflared Deployment')}`,
          n.note,
          el.contexts > 1 ? 'Switch context with the ⇄ button.' : undefined,
        ]
          .filter(Boolean)
          .join('\n'),
        icon: n.partial ? 'warning' : 'server-environment',
        iconColor: n.partial ? 'charts.yellow' : undefined,
        contextValue: CONTEXT_VALUES.kubeContext,
        collapsible: 'expanded',
      };
    }
    case 'namespace':
      return {
        id: `${el.context}:${el.node.id}`,
        label: el.node.name,
        description: el.node.description,
        icon: 'symbol-namespace',
        contextValue: CONTEXT_VALUES.kubeNamespace,
        collapsible: 'collapsed',
      };
    case 'service':
      return serviceSpec(el.context, el.node);
    case 'hostname':
      return hostnameSpec(el.context, el.node);
    case 'cloudflared': {
      const d = el.node;
      const h = HEALTH[d.health];
      return {
        id: `${el.context}:${d.id}`,
        label: d.name,
        description: `cloudflared · ${d.description}`,
        tooltip: [
          `cloudflared Deployment ${d.namespace}/${d.name}`,
          `${d.ready}/${d.desired} replicas ready (${d.health})`,
          d.image ? `Image: ${d.image}` : undefined,
          d.tunnelName || d.tunnelId ? `Tunnel: ${d.tunnelName ?? d.tunnelId}` : undefined,
          d.mode ? `Tunnel chosen by: ${d.mode}` : undefined,
          d.podsError,
        ]
          .filter(Boolean)
          .join('\n'),
        icon: h.icon,
        iconColor: h.color,
        contextValue: CONTEXT_VALUES.kubeCloudflared,
        collapsible: d.pods.length || d.podsError ? 'collapsed' : 'none',
      };
    }
    case 'pod': {
      const p = el.node;
      return {
        id: `${el.context}:${p.id}`,
        label: p.name,
        description: p.description,
        tooltip: `Pod ${p.namespace}/${p.name}\n${p.description}\nClick to stream its logs.`,
        icon: p.ready ? 'pass' : 'circle-slash',
        iconColor: p.ready ? 'charts.green' : 'charts.red',
        contextValue: CONTEXT_VALUES.kubePod,
        collapsible: 'none',
        command: { command: COMMANDS.showPodLogs, title: 'Show Logs' },
      };
    }
    case 'problems': {
      const worst = el.findings.some((f) => f.severity === 'error')
        ? 'error'
        : el.findings.some((f) => f.severity === 'warning')
          ? 'warning'
          : 'information';
      return {
        id: 'problems',
        label: 'Problems',
        description: plural(el.findings.length, 'finding'),
        tooltip: 'Where the cluster, the tunnels and their DNS routes have drifted apart.',
        icon: SEVERITY[worst].icon,
        iconColor: SEVERITY[worst].color,
        contextValue: CONTEXT_VALUES.kubeProblems,
        collapsible: 'collapsed',
      };
    }
    case 'finding': {
      const f = el.finding;
      const spec: ItemSpec = {
        id: `finding:${f.id}`,
        label: f.message,
        description: f.hostname,
        tooltip: [f.message, f.actions.length ? `Actions: ${f.actions.map((a) => a.title).join(', ')}` : undefined]
          .filter(Boolean)
          .join('\n'),
        icon: SEVERITY[f.severity].icon,
        iconColor: SEVERITY[f.severity].color,
        contextValue: CONTEXT_VALUES.kubeFinding,
        collapsible: 'none',
      };
      if (f.actions.length) spec.command = { command: COMMANDS.showDriftReport, title: 'Show Actions' };
      return spec;
    }
    case 'message':
      return {
        id: `message:${el.key}`,
        label: el.text,
        tooltip: el.text,
        icon: el.icon ?? 'info',
        contextValue: CONTEXT_VALUES.message,
        collapsible: 'none',
      };
    case 'error':
      return {
        id: `error:${el.key}`,
        label: el.message,
        tooltip: el.message,
        icon: 'error',
        iconColor: 'errorForeground',
        contextValue: CONTEXT_VALUES.error,
        collapsible: 'none',
        command: { command: COMMANDS.refreshServices, title: 'Retry' },
      };
  }
}

/** An error as an element (a KubernetesError's message says what to do). */
export function errorElement(key: string, err: unknown): Element {
  return { type: 'error', key, message: err instanceof Error ? err.message : String(err) };
}
