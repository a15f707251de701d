/**
 * Plain results of the Cloudflare wrapper (`api.ts`): what the features use instead of the SDK's
 * wire types. Field names are camelCase; values are copied from the API answer, never invented.
 * No runtime code; the DNS record builds on the core's one record shape.
 */

import type { ZonedTunnelDnsRecord } from '../core/cloudflare/tunnelCname';

export type TunnelStatus = 'inactive' | 'degraded' | 'healthy' | 'down';
export type ConfigSrc = 'local' | 'cloudflare';

export interface Account {
  id: string;
  name: string;
  type?: string;
}

export interface Zone {
  id: string;
  name: string;
  status?: string;
  accountId: string;
  accountName?: string;
}

/**
 * One edge connection of a connector, as `GET …/cfd_tunnel/{id}/connections` lists it. The
 * deprecated `is_pending_reconnect` (the API now always sends false) is not read.
 */
export interface TunnelConnection {
  id?: string;
  /** The connector (cloudflared process) this connection belongs to. */
  clientId?: string;
  clientVersion?: string;
  coloName?: string;
  originIp?: string;
  openedAt?: string;
}

/**
 * A tunnel as the API describes it. Health is the API's own `status`; the connectors come from
 * `listConnectors` (the tunnel object's `connections` is deprecated and not read).
 */
export interface Tunnel {
  id: string;
  name: string;
  accountTag?: string;
  status: TunnelStatus;
  configSrc: ConfigSrc;
  createdAt?: string;
  deletedAt?: string | null;
  connsActiveAt?: string | null;
  connsInactiveAt?: string | null;
}

/** One cloudflared process connected to a tunnel (the API's `Client`). */
export interface Connector {
  id: string;
  version?: string;
  arch?: string;
  runAt?: string;
  configVersion?: number;
  features: string[];
  conns: TunnelConnection[];
}

/** An ingress rule of a remote configuration; JSON as the API holds it (durations in seconds). */
export interface IngressRule {
  hostname?: string;
  path?: string;
  service: string;
  originRequest?: Record<string, unknown>;
}

/** A remote (dashboard-managed) tunnel configuration, passed through unchanged on update. */
export interface RemoteConfig {
  ingress?: IngressRule[];
  originRequest?: Record<string, unknown>;
  'warp-routing'?: { enabled?: boolean };
  [key: string]: unknown;
}

export interface RemoteConfigState {
  version: number;
  config: RemoteConfig;
  source?: ConfigSrc;
  createdAt?: string;
}

/** The core's one record shape (src/core/cloudflare/tunnelCname.ts) and what the API adds. */
export interface DnsRecord extends ZonedTunnelDnsRecord {
  ttl: number;
  tags: string[];
  createdOn?: string;
  modifiedOn?: string;
  /** Set when `content` is `<tunnel-uuid>.cfargotunnel.com`. */
  tunnelId?: string;
}

export interface DnsFilter {
  type?: 'A' | 'AAAA' | 'CNAME' | 'TXT' | 'MX' | 'NS' | 'SRV' | 'CAA' | 'HTTPS' | 'SVCB';
  /** Exact record name (FQDN). */
  name?: string;
  /** Exact content. */
  content?: string;
  /** Content suffix (`content.endswith`). */
  contentEndsWith?: string;
  proxied?: boolean;
}

export interface TokenInfo {
  id: string;
  status: 'active' | 'disabled' | 'expired';
  expiresOn?: string;
  notBefore?: string;
  /** `user` when /user/tokens/verify accepted it, `account` for an account-owned token. */
  owner: 'user' | 'account';
  /** For account-owned tokens: the account that verified it. */
  accountId?: string;
}

/** Local tunnel credentials (`credentials.json`), as cloudflared writes them. */
export interface TunnelCredentials {
  AccountTag: string;
  TunnelSecret: string;
  TunnelID: string;
  Endpoint?: string;
}

// ── Access (src/cloudflare/access.ts) ───────────────────────────────────────────────────────

export type AccessDecision = 'allow' | 'deny' | 'non_identity' | 'bypass';

/** One include/exclude/require entry as the API writes it: one selector key, e.g. `{ email: { email } }`. */
export type AccessRule = Record<string, unknown>;

/** An Access policy (reusable, or legacy app-scoped when `reusable` is false). */
export interface AccessPolicy {
  id: string;
  name: string;
  /** `allow`, `deny`, `non_identity` (Service Auth), `bypass`; passed through if the API sends another. */
  decision: AccessDecision | string;
  include: AccessRule[];
  exclude: AccessRule[];
  require: AccessRule[];
  reusable: boolean;
  sessionDuration?: string;
}

/** A policy as an application uses it, with its place in the app's order (lower first). */
export interface AccessPolicyRef extends AccessPolicy {
  precedence?: number;
}

/** An Access application, normalised: every public `host[/path]` it protects in `domains`. */
export interface AccessApp {
  id: string;
  name: string;
  /** `self_hosted`, `ssh`, `vnc`, `rdp` sit on public hostnames; others (`saas`, …) have no domains here. */
  type: string;
  /**
   * Lower-cased `host[/path]` patterns: `domain`, then the `public` destinations' `uri`s (or, for
   * apps without `destinations`, the deprecated `self_hosted_domains`); no duplicates.
   */
  domains: string[];
  /** In ascending precedence. */
  policies: AccessPolicyRef[];
  sessionDuration?: string;
  /** The application's audience tag (the `aud` of its JWTs). */
  aud?: string;
}

export interface IdentityProvider {
  id: string;
  name: string;
  /** `onetimepin`, `github`, `google`, `azureAD`, `oidc`, `saml`, … */
  type: string;
}

/** A service token (the secret is never listed). */
export interface ServiceToken {
  id: string;
  name: string;
  /** The `CF-Access-Client-Id` value, `<hex>.access`. */
  clientId: string;
  expiresAt?: string;
}
