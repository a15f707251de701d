/**
 * What every family of drift findings reads: the tunnels resolved by id or name, the rules each
 * tunnel serves (its remote configuration, or the workspace configs naming it), where its
 * cloudflared pods run, and the shared wording of rules and actions.
 */
import { DEFAULT_CLUSTER_DOMAIN } from '../kubernetes/serviceHost';
import { hostnameMatches } from '../cloudflare/tunnelsTree';
import type { Range } from '../types';
import type {
  DriftAction,
  DriftDeployment,
  DriftFinding,
  DriftInput,
  DriftRuleInput,
  DriftTunnel,
  DriftWorkspaceConfig,
  DriftWorkspaceRule,
  RuleTarget,
} from './types';

export function norm(h: string | undefined): string {
  return (h ?? '').trim().toLowerCase().replace(/\.$/, '');
}

/** A rule hostname and a DNS name (either may be a `*.` wildcard) that share requests. */
export function overlaps(a: string, b: string): boolean {
  return hostnameMatches(a, b) || hostnameMatches(b, a);
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// ── Rules ───────────────────────────────────────────────────────────────────────────────────

/** A rule cloudflared serves (or would serve), with where it lives. */
export interface RuleRef {
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

export function workspaceRuleRef(
  cfg: DriftWorkspaceConfig,
  r: DriftWorkspaceRule,
  i: number,
  tunnel: DriftTunnel | undefined,
): RuleRef {
  const host = norm(r.hostname);
  return {
    tunnel,
    hostname: host,
    path: r.path || undefined,
    service: r.service,
    catchAll: (host === '' || host === '*') && !r.path,
    target: {
      source: 'workspace',
      path: cfg.path,
      ruleIndex: i,
      range: r.range,
      ...(r.serviceRange ? { serviceRange: r.serviceRange } : {}),
    },
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

export function where(rule: RuleRef): string {
  if (rule.target.source === 'remote')
    return `rule #${rule.target.ruleIndex + 1} of the remote configuration of tunnel '${rule.tunnel?.name ?? rule.target.tunnelId}'`;
  return `rule #${rule.target.ruleIndex + 1}`;
}

export function removeRuleAction(rule: RuleRef): DriftAction {
  return {
    kind: 'remove-rule',
    title: `Remove the rule${rule.hostname ? ` for ${rule.hostname}` : ''}`,
    data: {
      target: rule.target,
      ...(rule.hostname ? { hostname: rule.hostname } : {}),
      ...(rule.path ? { path: rule.path } : {}),
    },
  };
}

export function openRemote(t: DriftTunnel): DriftAction {
  return { kind: 'open-config', title: `Open the remote configuration of '${t.name}'`, data: { tunnelId: t.id } };
}

// ── The context ─────────────────────────────────────────────────────────────────────────────

export type AddFinding = (f: Omit<DriftFinding, 'id'>) => void;

export interface DriftContext {
  input: DriftInput;
  add: AddFinding;
  clusterDomain: string;
  tunnels: DriftTunnel[];
  /** Tunnels by lower-case id (a live one before a deleted one of the same id). */
  byId: Map<string, DriftTunnel>;
  /** The tunnel a `tunnel:` value or a `run` argument names (UUID or name). */
  resolve(ref: string | undefined): DriftTunnel | undefined;
  live(t: DriftTunnel | undefined): t is DriftTunnel;
  /** What each tunnel serves (by lower-case id): the remote configuration, or the workspace configs naming it. */
  served: Map<string, RuleRef[]>;
  /** The tunnel each workspace config names. */
  configTunnel: Map<DriftWorkspaceConfig, DriftTunnel | undefined>;
  /** The named rules of `t` that share requests with `name`; undefined when `t`'s rules are unknown. */
  servingRules(t: DriftTunnel, name: string): RuleRef[] | undefined;
  /** The cloudflared Deployments (none while the cluster is not connected). */
  deployments: DriftDeployment[];
  /** The Deployments whose pods run `t` (or, when unknown, the tunnel reference `ref`). */
  deploymentsOf(t: DriftTunnel | undefined, ref: string | undefined): DriftDeployment[];
  /** The namespace the cloudflared pods of a tunnel run in, when it is one. */
  podNamespace(t: DriftTunnel | undefined, ref: string | undefined): string | undefined;
  tunnelLabel(t: DriftTunnel): string;
}

export function driftContext(input: DriftInput, add: AddFinding): DriftContext {
  const clusterDomain = input.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN;
  const tunnels = input.tunnels;
  const byId = new Map<string, DriftTunnel>();
  for (const t of tunnels) if (!byId.has(t.id.toLowerCase()) || !t.deleted) byId.set(t.id.toLowerCase(), t);
  const resolve = (ref: string | undefined): DriftTunnel | undefined => {
    const r = (ref ?? '').trim();
    if (r === '') return undefined;
    return (
      byId.get(r.toLowerCase()) ?? tunnels.find((t) => !t.deleted && t.name === r) ?? tunnels.find((t) => t.name === r)
    );
  };
  const live = (t: DriftTunnel | undefined): t is DriftTunnel => !!t && !t.deleted;

  const served = new Map<string, RuleRef[]>();
  for (const t of tunnels) {
    if (live(t) && t.configSrc === 'cloudflare' && t.remoteRules)
      served.set(
        t.id.toLowerCase(),
        t.remoteRules.map((r, i) => remoteRuleRef(t, r, i)),
      );
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
  const servingRules = (t: DriftTunnel, name: string): RuleRef[] | undefined =>
    served
      .get(t.id.toLowerCase())
      ?.filter((r) => !r.catchAll && r.hostname !== '' && r.hostname !== '*' && overlaps(r.hostname, name));

  const deployments = input.clusterConnected ? (input.deployments ?? []) : [];
  const deploymentsOf = (t: DriftTunnel | undefined, ref: string | undefined): DriftDeployment[] =>
    deployments.filter((d) => (t ? resolve(d.tunnelRef) === t : !!ref && d.tunnelRef?.trim() === ref.trim()));
  const podNamespace = (t: DriftTunnel | undefined, ref: string | undefined): string | undefined => {
    const namespaces = new Set(deploymentsOf(t, ref).map((d) => d.namespace));
    return namespaces.size === 1 ? [...namespaces][0] : undefined;
  };
  const tunnelLabel = (t: DriftTunnel): string => `'${t.name}'`;
  return {
    input,
    add,
    clusterDomain,
    tunnels,
    byId,
    resolve,
    live,
    served,
    configTunnel,
    servingRules,
    deployments,
    deploymentsOf,
    podNamespace,
    tunnelLabel,
  };
}
