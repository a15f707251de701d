/**
 * The extension's settings: their type and defaults, in one place. The server reads the
 * `cftunnel` section per resource; test/manifest checks package.json's defaults against these.
 */

import { DEFAULT_CLUSTER_DOMAIN } from './kubernetes/serviceHost';
import { DEFAULT_PUBLIC_LABEL } from './scaffold/networkPolicy';
import { ALERT_DEFAULTS } from './metrics/alerts';

export interface Settings {
  diagnostics: {
    /** Check cloudflared configs and manifests. */
    enable: boolean;
  };
  /** What the workspace checks read (the server passes them on; the extension reads the same keys). */
  workspace: WorkspaceSettings;
}

/** The settings the cross-file checks and the Services rules depend on. */
export interface WorkspaceSettings {
  /** `cftunnel.kubernetes.clusterDomain`: Service names are `name.ns.svc.<clusterDomain>`. */
  clusterDomain: string;
  /** `cftunnel.networkPolicy.publicLabel`: `key=value` (or `key`) that marks a Service reachable without a rule. */
  publicLabel: string;
}

export const DEFAULT_WORKSPACE_SETTINGS: WorkspaceSettings = {
  clusterDomain: DEFAULT_CLUSTER_DOMAIN,
  publicLabel: DEFAULT_PUBLIC_LABEL,
};

export const DEFAULT_SETTINGS: Settings = {
  diagnostics: { enable: true },
  workspace: DEFAULT_WORKSPACE_SETTINGS,
};

/** Client-only settings of the Cloudflare account and the Tunnels view (read by src/extension/cloudflare). */
export const CLOUDFLARE_SETTING_DEFAULTS = {
  'cftunnel.cloudflare.apiBaseUrl': 'https://api.cloudflare.com/client/v4',
  /** Empty: every account the token can see. */
  'cftunnel.cloudflare.accountId': '',
  /** Seconds; 0 turns periodic refresh off. */
  'cftunnel.tunnels.refreshInterval': 60,
  'cftunnel.tunnels.notifyOnDegraded': false,
};

/** Client-only settings of the Cluster Services view (read by src/extension/kubernetes). */
export const KUBERNETES_SETTING_DEFAULTS = {
  /** Empty: KUBECONFIG, else ~/.kube/config. */
  'cftunnel.kubernetes.kubeconfig': '',
  /** Empty: kubectl on PATH (used by "Apply to Cluster"). */
  'cftunnel.kubernetes.kubectlPath': '',
  /** The cluster's DNS domain (also read by the language server). */
  'cftunnel.kubernetes.clusterDomain': DEFAULT_CLUSTER_DOMAIN,
};

/** Client-only settings of the Traffic panel and the trees' rates (read by src/extension/metrics). */
export const METRICS_SETTING_DEFAULTS = {
  /** Seconds between scrapes of each cloudflared pod while traffic is shown (at least `MIN_METRICS_POLL_SECONDS`). */
  'cftunnel.metrics.pollInterval': 10,
  /** Opt-in: a status-bar item and a notification per episode (src/extension/metrics/alerts.ts). */
  'cftunnel.metrics.alerts.enabled': ALERT_DEFAULTS.enabled,
  /** A Deployment's error ratio (0–1) that raises an alert when reached on 2 polls in a row; 0 turns it off. */
  'cftunnel.metrics.alerts.errorRatio': ALERT_DEFAULTS.errorRatio,
  /** Ready edge connections each pod should hold (/ready's readyConnections; cloudflared opens 4); 0 turns it off. */
  'cftunnel.metrics.alerts.minReadyConnections': ALERT_DEFAULTS.minReadyConnections,
};

/** The shortest poll interval: cloudflared's metrics server and the API server's proxy are not hammered. */
export const MIN_METRICS_POLL_SECONDS = 5;

/** `cftunnel.metrics.pollInterval` as set (any shape) → seconds: the default when not a number, never below the minimum. */
export function metricsPollSeconds(v: unknown): number {
  const n = typeof v === 'number' && Number.isFinite(v) ? v : METRICS_SETTING_DEFAULTS['cftunnel.metrics.pollInterval'];
  return Math.max(MIN_METRICS_POLL_SECONDS, n);
}

/** Client-only settings of the Cloudflare Access check on workspace config.yaml rules (read by src/extension/cloudflare). */
export const ACCESS_SETTING_DEFAULTS: {
  /** Globs of hostnames meant to be public: no `access-not-protected` finding. */
  'cftunnel.access.publicHostnames': string[];
  /** Glob → severity of `access-not-protected` (others: information). */
  'cftunnel.access.severity': Record<string, string>;
} = {
  'cftunnel.access.publicHostnames': [],
  'cftunnel.access.severity': {},
};

/** Client-only settings of the scaffold commands (read by src/extension/scaffold). */
export const SCAFFOLD_SETTING_DEFAULTS = {
  /** `key=value` (or `key`): the label that marks a Service as reachable through the tunnel in the NetworkPolicy. */
  'cftunnel.networkPolicy.publicLabel': DEFAULT_PUBLIC_LABEL,
};

/** Every contributed setting with its default, by full key (client-only ones included). */
export const SETTING_DEFAULTS: Record<string, unknown> = {
  'cftunnel.diagnostics.enable': DEFAULT_SETTINGS.diagnostics.enable,
  /** Read by vscode-languageclient itself. */
  'cftunnel.trace.server': 'off',
  ...CLOUDFLARE_SETTING_DEFAULTS,
  ...KUBERNETES_SETTING_DEFAULTS,
  ...SCAFFOLD_SETTING_DEFAULTS,
  ...METRICS_SETTING_DEFAULTS,
  ...ACCESS_SETTING_DEFAULTS,
};

/** Settings from the `cftunnel` section as the client returns it (any shape); missing or wrong values keep the default. */
export function toSettings(section: unknown): Settings {
  const raw = (typeof section === 'object' && section !== null ? section : {}) as {
    diagnostics?: { enable?: unknown };
    kubernetes?: { clusterDomain?: unknown };
    networkPolicy?: { publicLabel?: unknown };
  };
  const enable = raw.diagnostics?.enable;
  const text = (v: unknown, fallback: string): string =>
    typeof v === 'string' && v.trim() !== '' ? v.trim() : fallback;
  return {
    diagnostics: { enable: typeof enable === 'boolean' ? enable : DEFAULT_SETTINGS.diagnostics.enable },
    workspace: {
      clusterDomain: text(raw.kubernetes?.clusterDomain, DEFAULT_WORKSPACE_SETTINGS.clusterDomain),
      publicLabel: text(raw.networkPolicy?.publicLabel, DEFAULT_WORKSPACE_SETTINGS.publicLabel),
    },
  };
}
