/**
 * State of the local Cloudflare API server, and seed data: `demoState()` for the demo and tests,
 * `largeState(tunnels, records)` for the benchmark. IDs are derived from names (stable across
 * runs). A tunnel's `status` is stored, as the API reports it (it computes health itself and
 * documents only the four values): the seeds set it, a new tunnel is `inactive`, cleaning up
 * every connector makes it `down`. The connectors are what `GET …/connections` lists; the
 * deprecated per-connection `is_pending_reconnect` is not modelled (the API now always sends
 * false). Cloudflare Access (Zero Trust) lives in `access`, per account: the organization (team
 * domain; an account without one has Access not enabled), identity providers, service tokens,
 * reusable policies and applications, stored with the API's field names. No side effects on import.
 */
import { createHash } from 'node:crypto';
import { tunnelCnameTarget } from '../../../src/core/cloudflare/tunnelCname';
import type { ZonedTunnelDnsRecord } from '../../../src/core/cloudflare/tunnelCname';

/**
 * Token permissions. The Access ones are Cloudflare's permission groups (field notes 2 §1.7):
 * `access:apps:*` "Access: Apps and Policies Read/Write" (the dashboard says Edit),
 * `access:org:read` "Access: Organizations, Identity Providers, and Groups Read",
 * `access:service-tokens:read` "Access: Service Tokens Read". An Edit (Write) group includes its Read.
 */
export type Permission =
  | 'account:read'
  | 'zone:read'
  | 'tunnel:read'
  | 'tunnel:edit'
  | 'dns:read'
  | 'dns:edit'
  | 'access:apps:read'
  | 'access:apps:edit'
  | 'access:org:read'
  | 'access:service-tokens:read';
export const ALL_PERMISSIONS: readonly Permission[] = [
  'account:read',
  'zone:read',
  'tunnel:read',
  'tunnel:edit',
  'dns:read',
  'dns:edit',
  'access:apps:read',
  'access:apps:edit',
  'access:org:read',
  'access:service-tokens:read',
];

export interface TokenState {
  id: string;
  status: 'active' | 'disabled' | 'expired';
  expiresOn?: string;
  /** A user token (verified at /user/tokens/verify) or an account-owned one (/accounts/{id}/tokens/verify only). */
  owner: { type: 'user' } | { type: 'account'; accountId: string };
  /** What the token may do; missing → 403 code 10000 (accounts and zones: an empty list). */
  permissions: Permission[];
}

export interface StoredAccount {
  id: string;
  name: string;
  type: 'standard' | 'enterprise';
  createdOn: string;
}

export interface StoredZone {
  id: string;
  name: string;
  accountId: string;
  status: 'active' | 'pending';
  createdOn: string;
}

export interface StoredConn {
  id: string;
  colo: string;
  originIp: string;
  openedAt: string;
}

export interface StoredConnector {
  id: string;
  version: string;
  arch: string;
  runAt: string;
  configVersion: number;
  features: string[];
  conns: StoredConn[];
}

export interface StoredConfig {
  version: number;
  createdAt: string;
  config: Record<string, unknown> | null;
}

export type TunnelStatus = 'inactive' | 'degraded' | 'healthy' | 'down';

export interface StoredTunnel {
  id: string;
  accountId: string;
  name: string;
  configSrc: 'local' | 'cloudflare';
  /** base64 of the 32-byte tunnel secret. */
  secret: string;
  createdAt: string;
  deletedAt: string | null;
  connsActiveAt: string | null;
  connsInactiveAt: string | null;
  /** What the API answers as `status`: healthy, degraded (serving, but unhealthy), down, inactive (never run). */
  status: TunnelStatus;
  connectors: StoredConnector[];
  config: StoredConfig;
}

/** The product's one record shape (src/core/cloudflare/tunnelCname.ts) with what the API stores. */
export interface StoredRecord extends ZonedTunnelDnsRecord {
  ttl: number;
  comment: string | null;
  tags: string[];
  createdOn: string;
  modifiedOn: string;
}

/** An Access rule object as the API holds it: one selector key, e.g. `{email_domain: {domain: 'example.com'}}`. */
export type AccessRule = Record<string, Record<string, unknown>>;
export type AccessDecision = 'allow' | 'deny' | 'non_identity' | 'bypass';

/** The Zero Trust organization of an account; without one, Access is not enabled there. */
export interface StoredAccessOrg {
  accountId: string;
  name: string;
  /** `<team>.cloudflareaccess.com`. */
  authDomain: string;
  createdAt: string;
}

export interface StoredIdentityProvider {
  id: string;
  accountId: string;
  name: string;
  /** `onetimepin`, `github`, `google`, `azureAD`, `oidc`, `saml`, … */
  type: string;
  config: Record<string, unknown>;
}

export interface StoredServiceToken {
  id: string;
  accountId: string;
  name: string;
  /** `<32 hex>.access`; the secret is never listed. */
  clientId: string;
  duration: string;
  expiresAt: string;
  createdAt: string;
}

export interface StoredAccessPolicy {
  id: string;
  accountId: string;
  name: string;
  decision: AccessDecision;
  include: AccessRule[];
  exclude: AccessRule[];
  require: AccessRule[];
  sessionDuration?: string;
  createdAt: string;
  updatedAt: string;
}

/** An Access application; `fields` holds every other field as sent (the API echoes them back). */
export interface StoredAccessApp {
  id: string;
  accountId: string;
  /** 64 hex, fixed for the app's life (the JWT `aud`). */
  aud: string;
  type: string;
  name: string;
  domain: string;
  destinations?: Array<Record<string, unknown>>;
  /** Deprecated; old apps still carry it instead of `destinations`. */
  selfHostedDomains?: string[];
  sessionDuration: string;
  /** Links to reusable policies, in ascending precedence. */
  policies: Array<{ id: string; precedence: number }>;
  fields: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface AccessState {
  organizations: StoredAccessOrg[];
  identityProviders: StoredIdentityProvider[];
  serviceTokens: StoredServiceToken[];
  policies: StoredAccessPolicy[];
  apps: StoredAccessApp[];
}

export interface CloudflareState {
  token: TokenState;
  accounts: StoredAccount[];
  zones: StoredZone[];
  tunnels: StoredTunnel[];
  records: StoredRecord[];
  /** Access per account; absent: no account has Access enabled. */
  access?: AccessState;
}

export function emptyAccess(): AccessState {
  return { organizations: [], identityProviders: [], serviceTokens: [], policies: [], apps: [] };
}

// ── IDs and helpers ─────────────────────────────────────────────────────────────────────────

const digest = (seed: string): string => createHash('sha256').update(seed).digest('hex');

/** 32 lowercase hex (account, zone, record, token IDs). */
export function hexId(seed: string): string {
  return digest(seed).slice(0, 32);
}

/** 64 lowercase hex (an Access application's `aud`). */
export function audFrom(seed: string): string {
  return digest(`aud:${seed}`);
}

/** A version-4-shaped UUID. */
export function uuidFrom(seed: string): string {
  const h = digest(seed);
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function secretFrom(seed: string): string {
  return Buffer.from(digest(`secret:${seed}`), 'hex').toString('base64');
}

export function tunnelStatus(t: StoredTunnel): TunnelStatus {
  return t.status;
}

const T0 = Date.parse('2026-01-15T09:00:00Z');
const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

const COLOS = ['fra08', 'ams01', 'fra10', 'ams16', 'cdg03', 'lhr01', 'iad08', 'sjc01'];

function connector(
  seed: string,
  opts: { colos?: string[]; live?: number; ip?: string; version?: string; arch?: string; runAt?: string } = {},
): StoredConnector {
  const colos = opts.colos ?? COLOS.slice(0, 4);
  const live = opts.live ?? 4;
  const id = uuidFrom(`connector:${seed}`);
  const runAt = opts.runAt ?? at(60);
  const conns: StoredConn[] = [];
  for (let i = 0; i < live; i++) {
    conns.push({
      id: uuidFrom(`conn:${seed}:${i}`),
      colo: colos[i % colos.length]!,
      originIp: opts.ip ?? '203.0.113.10',
      openedAt: runAt,
    });
  }
  return {
    id,
    version: opts.version ?? '2026.8.2',
    arch: opts.arch ?? 'linux_amd64',
    runAt,
    configVersion: 0,
    features: ['ha-origin', 'serialized_headers', 'support_datagram_v3_2', 'management_logs'],
    conns,
  };
}

function tunnel(
  accountId: string,
  name: string,
  opts: {
    configSrc: 'local' | 'cloudflare';
    connectors?: StoredConnector[];
    /** The API's verdict; default: healthy with connectors, down when it ran before, else inactive. */
    status?: TunnelStatus;
    everConnected?: boolean;
    deleted?: boolean;
    ingress?: Array<{ hostname?: string; service: string; path?: string }>;
    created?: number;
  },
): StoredTunnel {
  const connectors = opts.connectors ?? [];
  const ever = opts.everConnected ?? connectors.length > 0;
  const t: StoredTunnel = {
    id: uuidFrom(`tunnel:${accountId}:${name}`),
    accountId,
    name,
    configSrc: opts.configSrc,
    secret: secretFrom(`${accountId}:${name}`),
    createdAt: at(opts.created ?? 0),
    deletedAt: opts.deleted ? at(500) : null,
    connsActiveAt: ever ? at(60) : null,
    connsInactiveAt: ever && connectors.length === 0 ? at(400) : null,
    status: opts.status ?? (connectors.length > 0 ? 'healthy' : ever ? 'down' : 'inactive'),
    connectors,
    config: { version: 0, createdAt: at(opts.created ?? 0), config: null },
  };
  if (opts.configSrc === 'cloudflare') {
    t.config = {
      version: opts.ingress ? 3 : 0,
      createdAt: at(120),
      config: opts.ingress ? { ingress: opts.ingress, 'warp-routing': { enabled: false } } : null,
    };
    for (const c of connectors) c.configVersion = t.config.version;
  }
  return t;
}

function record(
  zone: StoredZone,
  name: string,
  type: string,
  content: string,
  opts: { proxied?: boolean; comment?: string; minutes?: number } = {},
): StoredRecord {
  const fqdn = name === '@' ? zone.name : `${name}.${zone.name}`;
  return {
    id: hexId(`record:${zone.id}:${type}:${fqdn}:${content}`),
    zoneId: zone.id,
    name: fqdn,
    type,
    content,
    proxied: opts.proxied ?? false,
    ttl: opts.proxied ? 1 : 3600,
    comment: opts.comment ?? null,
    tags: [],
    createdOn: at(opts.minutes ?? 200),
    modifiedOn: at(opts.minutes ?? 200),
  };
}

const cname = (zone: StoredZone, name: string, t: StoredTunnel | string, comment?: string): StoredRecord =>
  record(zone, name, 'CNAME', tunnelCnameTarget(typeof t === 'string' ? t : t.id), { proxied: true, comment });

function zone(accountId: string, name: string): StoredZone {
  return { id: hexId(`zone:${name}`), name, accountId, status: 'active', createdOn: at(-1000) };
}

function account(name: string, type: 'standard' | 'enterprise' = 'standard'): StoredAccount {
  return { id: hexId(`account:${name}`), name, type, createdOn: at(-5000) };
}

export function userToken(seed = 'demo'): TokenState {
  return { id: hexId(`token:${seed}`), status: 'active', owner: { type: 'user' }, permissions: [...ALL_PERMISSIONS] };
}

// ── Access ───────────────────────────────────────────────────────────────────────────────

export function accessPolicy(
  accountId: string,
  name: string,
  decision: AccessDecision,
  include: AccessRule[],
  opts: { exclude?: AccessRule[]; require?: AccessRule[]; sessionDuration?: string } = {},
): StoredAccessPolicy {
  return {
    id: uuidFrom(`access-policy:${accountId}:${name}`),
    accountId,
    name,
    decision,
    include,
    exclude: opts.exclude ?? [],
    require: opts.require ?? [],
    ...(opts.sessionDuration ? { sessionDuration: opts.sessionDuration } : {}),
    createdAt: at(300),
    updatedAt: at(300),
  };
}

/** A self-hosted app on `uri` (`host[/path]`) with reusable policies; `legacy`: only `self_hosted_domains`. */
export function accessApp(
  accountId: string,
  name: string,
  uri: string,
  policies: StoredAccessPolicy[],
  opts: { sessionDuration?: string; legacy?: boolean; fields?: Record<string, unknown> } = {},
): StoredAccessApp {
  const id = uuidFrom(`access-app:${accountId}:${name}`);
  return {
    id,
    accountId,
    aud: audFrom(id),
    type: 'self_hosted',
    name,
    domain: uri,
    ...(opts.legacy ? { selfHostedDomains: [uri] } : { destinations: [{ type: 'public', uri }] }),
    sessionDuration: opts.sessionDuration ?? '24h',
    policies: policies.map((p, i) => ({ id: p.id, precedence: i + 1 })),
    fields: { app_launcher_visible: true, ...opts.fields },
    createdAt: at(310),
    updatedAt: at(310),
  };
}

/**
 * Acme Corp's Access (team domain acme.cloudflareaccess.com; One-time PIN and GitHub logins; a
 * service token "ci-deployer") with five self-hosted apps:
 * - Grafana: `grafana.example.dev`, allow emails ending in example.com (restricted);
 * - API v1 (machines): `api.example.com/v1` (a path app), Service Auth for ci-deployer only;
 * - App (public): `app.example.com`, bypass for everyone (counts as open);
 * - Dev wildcard: `*.example.dev`, allow alice@ and bob@example.com who log in with GitHub: covers
 *   home.example.dev (one label), not grafana.example.dev (the exact app is more specific) nor
 *   a.b.example.dev;
 * - Old ingress: `old.example.com` (stale: only the deleted tunnel old-ingress served it), in the
 *   deprecated form (`self_hosted_domains`, no `destinations`).
 * No app covers preview, shop, staging or legacy.example.com. Side Projects has no organization:
 * Access is not enabled there.
 */
export function demoAccess(accountId: string): AccessState {
  const pin: StoredIdentityProvider = {
    id: uuidFrom(`idp:${accountId}:onetimepin`),
    accountId,
    name: 'One-time PIN',
    type: 'onetimepin',
    config: { redirect_url: 'https://acme.cloudflareaccess.com/cdn-cgi/access/callback' },
  };
  const github: StoredIdentityProvider = {
    id: uuidFrom(`idp:${accountId}:github`),
    accountId,
    name: 'GitHub',
    type: 'github',
    config: {
      client_id: 'Iv1.acmedemo0000000',
      redirect_url: 'https://acme.cloudflareaccess.com/cdn-cgi/access/callback',
    },
  };
  const ci: StoredServiceToken = {
    id: uuidFrom(`service-token:${accountId}:ci-deployer`),
    accountId,
    name: 'ci-deployer',
    clientId: `${hexId(`service-token-client:${accountId}:ci-deployer`)}.access`,
    duration: '8760h',
    expiresAt: at(60 * 24 * 365),
    createdAt: at(280),
  };
  const staff = accessPolicy(accountId, 'Example staff', 'allow', [{ email_domain: { domain: 'example.com' } }]);
  const machines = accessPolicy(accountId, 'CI deployer', 'non_identity', [{ service_token: { token_id: ci.id } }]);
  const everyone = accessPolicy(accountId, 'Everyone (bypass)', 'bypass', [{ everyone: {} }]);
  const devs = accessPolicy(
    accountId,
    'Dev team via GitHub',
    'allow',
    [{ email: { email: 'alice@example.com' } }, { email: { email: 'bob@example.com' } }],
    { require: [{ login_method: { id: github.id } }] },
  );
  return {
    organizations: [{ accountId, name: 'Acme Corp', authDomain: 'acme.cloudflareaccess.com', createdAt: at(250) }],
    identityProviders: [pin, github],
    serviceTokens: [ci],
    policies: [staff, machines, everyone, devs],
    apps: [
      accessApp(accountId, 'Grafana', 'grafana.example.dev', [staff]),
      accessApp(accountId, 'API v1 (machines)', 'api.example.com/v1', [machines], {
        fields: { app_launcher_visible: false, service_auth_401_redirect: true },
      }),
      accessApp(accountId, 'App (public)', 'app.example.com', [everyone]),
      accessApp(accountId, 'Dev wildcard', '*.example.dev', [devs], { sessionDuration: '12h' }),
      accessApp(accountId, 'Old ingress', 'old.example.com', [staff], { legacy: true }),
    ],
  };
}

/**
 * Two accounts. "Acme Corp": example.com and example.dev; tunnels prod-k8s (healthy, remote,
 * two connectors, five public hostnames, one without its CNAME, shop.example.com through the demo
 * cluster's ingress-nginx), staging (degraded, remote),
 * legacy-vm (down, local), homelab (inactive, local), old-ingress (deleted; its CNAME
 * old.example.com is an orphan). "Side Projects": side.net with one healthy remote tunnel.
 * Access: `demoAccess` (Acme only).
 */
export function demoState(): CloudflareState {
  const acme = account('Acme Corp', 'enterprise');
  const side = account('Side Projects');
  const exampleCom = zone(acme.id, 'example.com');
  const exampleDev = zone(acme.id, 'example.dev');
  const sideNet = zone(side.id, 'side.net');

  const prod = tunnel(acme.id, 'prod-k8s', {
    configSrc: 'cloudflare',
    created: 10,
    connectors: [
      connector('prod-1', { colos: ['fra08', 'ams01', 'fra10', 'ams16'], ip: '198.51.100.21' }),
      connector('prod-2', { colos: ['fra08', 'ams01', 'cdg03', 'ams16'], ip: '198.51.100.22', runAt: at(90) }),
    ],
    ingress: [
      { hostname: 'app.example.com', service: 'http://web.default.svc.cluster.local:80' },
      { hostname: 'api.example.com', path: '^/v1/', service: 'http://api.default.svc.cluster.local:8080' },
      { hostname: 'grafana.example.dev', service: 'http://grafana.monitoring.svc.cluster.local:3000' },
      { hostname: 'preview.example.com', service: 'http://preview.default.svc.cluster.local:80' },
      // Through the demo cluster's ingress-nginx, which routes it by the Ingress default/shop.
      { hostname: 'shop.example.com', service: 'http://ingress-nginx-controller.ingress-nginx.svc.cluster.local:80' },
      { service: 'http_status:404' },
    ],
  });
  const staging = tunnel(acme.id, 'staging', {
    configSrc: 'cloudflare',
    created: 20,
    // Degraded as the API reports it (its own verdict): one connector holding 2 of the usual 4 edge connections.
    status: 'degraded',
    connectors: [
      connector('staging-1', {
        colos: ['lhr01', 'ams01'],
        live: 2,
        ip: '198.51.100.40',
        version: '2026.7.0',
        arch: 'linux_arm64',
      }),
    ],
    ingress: [
      { hostname: 'staging.example.com', service: 'http://web.staging.svc.cluster.local:80' },
      { service: 'http_status:404' },
    ],
  });
  const legacy = tunnel(acme.id, 'legacy-vm', { configSrc: 'local', created: 30, everConnected: true });
  const homelab = tunnel(acme.id, 'homelab', { configSrc: 'local', created: 40 });
  const old = tunnel(acme.id, 'old-ingress', { configSrc: 'local', created: 5, everConnected: true, deleted: true });
  const personal = tunnel(side.id, 'side-tunnel', {
    configSrc: 'cloudflare',
    created: 50,
    connectors: [
      connector('side-1', { colos: ['iad08', 'sjc01', 'iad08', 'sjc01'], ip: '192.0.2.5', arch: 'darwin_arm64' }),
    ],
    ingress: [{ hostname: 'blog.side.net', service: 'http://localhost:8080' }, { service: 'http_status:404' }],
  });

  const records: StoredRecord[] = [
    record(exampleCom, '@', 'A', '192.0.2.1', { proxied: true }),
    record(exampleCom, 'www', 'CNAME', 'example.com', { proxied: true }),
    record(exampleCom, '@', 'MX', 'mail.example.com'),
    record(exampleCom, '@', 'TXT', '"v=spf1 include:_spf.example.com ~all"'),
    cname(exampleCom, 'app', prod, 'managed by cftunnel'),
    cname(exampleCom, 'api', prod),
    cname(exampleCom, 'shop', prod),
    cname(exampleDev, 'grafana', prod),
    cname(exampleCom, 'staging', staging),
    cname(exampleCom, 'legacy', legacy),
    cname(exampleDev, 'home', homelab),
    cname(exampleCom, 'old', old),
    record(exampleDev, '@', 'AAAA', '2001:db8::1', { proxied: true }),
    record(sideNet, '@', 'A', '192.0.2.50'),
    cname(sideNet, 'blog', personal),
  ];

  return {
    token: userToken('demo'),
    accounts: [acme, side],
    zones: [exampleCom, exampleDev, sideNet],
    tunnels: [prod, staging, legacy, homelab, old, personal],
    records,
    access: demoAccess(acme.id),
  };
}

/**
 * One account with `tunnelCount` tunnels (a quarter each healthy, degraded, down, inactive;
 * alternately remote and local) and `recordCount` DNS records in zones of 500 records: half are
 * proxied CNAMEs to the tunnels (round robin), the rest A, TXT and ordinary CNAME records.
 */
export function largeState(tunnelCount: number, recordCount: number): CloudflareState {
  const acct = account('Bench Account', 'enterprise');
  const zoneCount = Math.max(1, Math.ceil(recordCount / 500));
  const zones = Array.from({ length: zoneCount }, (_, i) => zone(acct.id, `bench-${i}.example`));
  const tunnels: StoredTunnel[] = [];
  for (let i = 0; i < tunnelCount; i++) {
    const name = `tunnel-${String(i).padStart(4, '0')}`;
    const kind = i % 4;
    const configSrc = i % 2 === 0 ? 'cloudflare' : 'local';
    const connectors =
      kind === 0
        ? [connector(`${name}-a`), connector(`${name}-b`, { colos: COLOS.slice(4, 8) })]
        : kind === 1
          ? [connector(`${name}-a`, { live: 2 })]
          : [];
    const z = zones[i % zoneCount]!;
    tunnels.push(
      tunnel(acct.id, name, {
        configSrc,
        connectors,
        status: kind === 0 ? 'healthy' : kind === 1 ? 'degraded' : kind === 2 ? 'down' : 'inactive',
        everConnected: kind !== 3,
        created: i,
        ingress:
          configSrc === 'cloudflare'
            ? [
                { hostname: `${name}-a.${z.name}`, service: 'http://web:80' },
                { hostname: `${name}-b.${z.name}`, service: 'http://api:8080' },
                { service: 'http_status:404' },
              ]
            : undefined,
      }),
    );
  }
  const records: StoredRecord[] = [];
  const tunnelRecords = tunnelCount > 0 ? Math.floor(recordCount / 2) : 0;
  for (let i = 0; i < recordCount; i++) {
    const z = zones[i % zoneCount]!;
    if (i < tunnelRecords) {
      const t = tunnels[i % tunnelCount]!;
      records.push(cname(z, `${t.name}-${i < tunnelCount ? 'a' : i < 2 * tunnelCount ? 'b' : `x${i}`}`, t));
    } else if (i % 3 === 0) {
      records.push(record(z, `host-${i}`, 'A', `192.0.2.${i % 250}`));
    } else if (i % 3 === 1) {
      records.push(record(z, `txt-${i}`, 'TXT', `"bench ${i}"`));
    } else {
      records.push(record(z, `alias-${i}`, 'CNAME', `origin-${i}.example.net`, { proxied: true }));
    }
  }
  return { token: userToken('bench'), accounts: [acct], zones, tunnels, records };
}
