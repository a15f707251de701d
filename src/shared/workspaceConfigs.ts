/**
 * The one reader of the workspace's cloudflared configs, as a protocol between the extension and
 * the language server: the server indexes the workspace anyway (src/server/workspace.ts), so it
 * answers `cftunnel/workspaceConfigs` from that index and sends `cftunnel/workspaceConfigsChanged`
 * when an answer would differ. Standalone configs and configs held in a ConfigMap alike; only
 * configs that name a tunnel (`tunnel:`). In Restricted Mode the server reads only open documents,
 * so the answer holds only those. Pure: types and names only.
 */

/** 0-based line, UTF-16 character (LSP's and the core's convention). */
export interface ConfigPosition {
  line: number;
  character: number;
}

export interface ConfigRange {
  start: ConfigPosition;
  end: ConfigPosition;
}

/** One ingress rule, with its ranges in the file that holds it. */
export interface WorkspaceConfigRule {
  hostname?: string;
  path?: string;
  service: string;
  /** The rule (the sequence item). */
  range: ConfigRange;
  hostnameRange?: ConfigRange;
  serviceRange?: ConfigRange;
  /** The origin settings a controller sees (`httpHostHeader`, SNI): the rule's originRequest over the config's. */
  origin?: { httpHostHeader?: string; originServerName?: string; noTLSVerify?: boolean; matchSNItoHost?: boolean };
}

export interface WorkspaceConfig {
  /** The file's URI (`file:`). */
  uri: string;
  /** The file's path (what the drift core and diagnostics key on). */
  path: string;
  /** The config's `tunnel:` (a UUID or a name). */
  tunnel: string;
  rules: WorkspaceConfigRule[];
  /** The `ingress` key. */
  ingressRange?: ConfigRange;
  /** Held in a ConfigMap `data` entry rather than a file of its own. */
  embedded: boolean;
  /**
   * The ranges are exact. False for an embedded config whose value is not a literal block scalar
   * (`|`): every range is then the value's, and edits cannot be made at a rule.
   */
  exact: boolean;
  /** For an embedded config: the ConfigMap and its key. */
  configMap?: string;
  key?: string;
}

/** Request (no params) → `WorkspaceConfig[]`. */
export const WORKSPACE_CONFIGS_REQUEST = 'cftunnel/workspaceConfigs';
/** Notification (no params), server → client: the answer to the request changed. */
export const WORKSPACE_CONFIGS_CHANGED = 'cftunnel/workspaceConfigsChanged';
