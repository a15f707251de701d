/**
 * The extension's settings: their type and defaults, in one place. The server reads the
 * `cftunnel` section per resource; test/manifest checks package.json's defaults against these.
 */

import { DEFAULT_PUBLIC_LABEL } from './scaffold/networkPolicy';

export interface Settings {
  diagnostics: {
    /** Check cloudflared configs and manifests. */
    enable: boolean;
  };
}

export const DEFAULT_SETTINGS: Settings = {
  diagnostics: { enable: true },
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
};

/** Settings from the `cftunnel` section as the client returns it (any shape); missing or wrong values keep the default. */
export function toSettings(section: unknown): Settings {
  const raw = (typeof section === 'object' && section !== null ? section : {}) as { diagnostics?: { enable?: unknown } };
  const enable = raw.diagnostics?.enable;
  return {
    diagnostics: { enable: typeof enable === 'boolean' ? enable : DEFAULT_SETTINGS.diagnostics.enable },
  };
}
