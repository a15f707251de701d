/** The drift report's input (what the cluster, the account and the workspace say) and its findings. */
import type { AccessApp } from '../access/coverage';
import type { ZonedTunnelDnsRecord } from '../cloudflare/tunnelCname';
import type { RoutingObjects, SourceRef } from '../routing/objects';
import type { OriginSettings } from '../routing/origin';
import type { Range } from '../types';

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
  /**
   * The origin settings that change what an ingress controller sees (`httpHostHeader`, SNI), the
   * rule's `originRequest` over the config's (a remote configuration's too). Undefined: none set.
   */
  origin?: OriginSettings;
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

/** The one record shape, with its zone (src/core/cloudflare/tunnelCname.ts). */
export type DriftDnsRecord = ZonedTunnelDnsRecord;

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
  /**
   * The cluster's Services and routing objects (Ingresses, IngressClasses, Gateway API, Traefik) as
   * the trace reads them (`routingObjectsFromCluster`); undefined when they were not listed. Rules
   * and DNS names that reach an ingress controller are followed through them (src/core/drift/routes.ts).
   */
  routing?: RoutingObjects;
  /**
   * Each signed-in account's Cloudflare Access applications, where they could be read: applications
   * that protect no hostname a tunnel serves are reported (src/core/drift/access.ts).
   */
  access?: Array<{ accountId: string; apps: readonly AccessApp[] }>;
}

// ── Output ──────────────────────────────────────────────────────────────────────────────────

export type DriftCode =
  | 'drift-service-missing'
  | 'drift-port-missing'
  | 'drift-route-not-found'
  | 'drift-route-backend-missing'
  | 'drift-ip-not-cluster-ip'
  | 'drift-ip-is-cluster-ip'
  | 'drift-hostname-without-dns'
  | 'drift-dns-not-proxied'
  | 'drift-cname-without-rule'
  | 'drift-cname-deleted-tunnel'
  | 'drift-cname-other-tunnel'
  | 'drift-local-ingress-ignored'
  | 'drift-pods-not-ready'
  | 'drift-no-connector'
  | 'drift-access-stale-app';

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
    /** Show a cluster object (an Ingress, an HTTPRoute, …) read-only, as the cluster has it. */
    | { kind: 'reveal-object'; data: { object: NonNullable<SourceRef['object']> } }
    /** The account's Access applications in the Zero Trust dashboard (a stale application is deleted there). */
    | { kind: 'open-access-apps'; data: { accountId: string; appId: string } }
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
