/**
 * Cloudflare Access (Zero Trust) through the official SDK: what protects an account's public
 * hostnames (`listAccess`, the UI's one read) and protecting one (`protectHostname`). Field notes
 * 2 §1 (../shared/docs/field-notes-2.md) hold the API facts used here.
 *
 * - Lists are paged by hand (the SDK's auto-pagination stops only on an empty page and loops on a
 *   server that ignores `page`): `page` is asked explicitly, `per_page` is one of the values the
 *   Access API accepts (others are refused with 400 / 12091), and a list stops on an empty page, a
 *   page with no new id, `page × per_page ≥ total_count`, a short page, or fails after `maxPages`.
 *   A whole list is one wrapper call: its deadline covers every page.
 * - A token without "Access: Apps and Policies Read" is an error of kind `access-forbidden`: the
 *   coverage is unknown, never "open". The apps list is reported to answer such a token 200 with no
 *   apps (filtered, not refused), so an empty list is confirmed by asking for the policies of an
 *   application that cannot exist: 404 means the token may read Access, 403 that it may not.
 * - An account without Access (403, code 9999 "access.api.error.not_enabled") has no applications:
 *   `enabled: false`, every hostname is open.
 * - Identity providers, service tokens and the team domain need other permissions; when they cannot
 *   be read, the listing says so in `unavailable` and the rest still arrives.
 * - `protectHostname` creates a reusable policy and a self-hosted application that uses it, sends
 *   each create once (never retried) and, when an answer is lost, lists again and adopts what was
 *   created. It never changes an existing application or policy.
 */
import { decidingApp } from '../core/access/coverage';
import type { PolicyCreateParams } from 'cloudflare/resources/zero-trust/access/policies';
import type { CloudflareApi, RequestOptions, SdkClient } from './api';
import { CloudflareError, Permission } from './errors';
import type { Operation } from './errors';
import type {
  AccessApp,
  AccessDecision,
  AccessPolicy,
  AccessPolicyRef,
  AccessRule,
  IdentityProvider,
  ServiceToken,
} from './types';

export type {
  AccessApp,
  AccessDecision,
  AccessPolicy,
  AccessPolicyRef,
  AccessRule,
  IdentityProvider,
  ServiceToken,
} from './types';

/** The `per_page` values the Access API accepts (any other is refused with 400, code 12091). */
export const ACCESS_PER_PAGE_VALUES = [1, 5, 10, 20, 25, 50, 100, 1000] as const;
export type AccessPerPage = (typeof ACCESS_PER_PAGE_VALUES)[number];
const DEFAULT_PER_PAGE: AccessPerPage = 1000;

/** Code of "access.api.error.not_enabled" (Zero Trust not set up for the account). */
const NOT_ENABLED = 9999;
/** An application ID that cannot exist (the nil UUID with version and variant set): the read probe asks for its policies. */
const PROBE_APP_ID = '00000000-0000-4000-8000-000000000000';

export interface AccessOptions {
  /** Cancels every request of the call (kind `cancelled`). */
  signal?: AbortSignal;
  /** Page size of every list. Default 1000. */
  perPage?: AccessPerPage;
  /** Most pages one list may take. Default: the API's `maxPages` (200). */
  maxPages?: number;
}

export interface AccessListing {
  apps: AccessApp[];
  /** The account's reusable policies. */
  policies: AccessPolicy[];
  identityProviders: IdentityProvider[];
  serviceTokens: ServiceToken[];
  /** `<team>.cloudflareaccess.com`. */
  teamDomain?: string;
  /** False when Access is not enabled for the account: no application protects anything. */
  enabled: boolean;
  /** What could not be read (a missing permission, a failure), with the message; its list is empty. */
  unavailable: Partial<Record<'identityProviders' | 'serviceTokens' | 'teamDomain', string>>;
}

export interface ProtectWho {
  emails?: string[];
  emailDomain?: string;
  identityProviderId?: string;
  /** A machine: the policy is Service Auth (`non_identity`); cannot be combined with people. */
  serviceTokenId?: string;
}

export interface ProtectHostnameRequest {
  hostname: string;
  /** `/path` under the hostname (Access covers its sub-paths). */
  path?: string;
  appName: string;
  /** Go duration, e.g. `24h`, `30m`, `2h45m`. */
  sessionDuration: string;
  who: ProtectWho;
}

export interface ProtectResult {
  /** The new application, or the existing one that already covers the hostname (`created: false`). */
  app: AccessApp;
  /** The policy created (or reused from an earlier attempt); for an existing app, its first policy. */
  policy?: AccessPolicy;
  created: boolean;
  /** Set when an answer was lost and what the request had created was found by listing again. */
  recovered?: boolean;
}

// ── Normalising ─────────────────────────────────────────────────────────────────────────────

type Raw = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const rules = (v: unknown): AccessRule[] =>
  Array.isArray(v) ? v.filter((r): r is AccessRule => typeof r === 'object' && r !== null && !Array.isArray(r)) : [];

function toPolicy(raw: unknown, reusableDefault: boolean): AccessPolicyRef {
  const p = (raw ?? {}) as Raw;
  if (typeof p.id !== 'string') throw new TypeError('an Access policy without an id');
  const out: AccessPolicyRef = {
    id: p.id,
    name: str(p.name) ?? p.id,
    decision: str(p.decision) ?? '',
    include: rules(p.include),
    exclude: rules(p.exclude),
    require: rules(p.require),
    reusable: typeof p.reusable === 'boolean' ? p.reusable : reusableDefault,
  };
  const session = str(p.session_duration);
  if (session) out.sessionDuration = session;
  if (typeof p.precedence === 'number') out.precedence = p.precedence;
  return out;
}

/** `domain`, then the public destinations' URIs, else the deprecated `self_hosted_domains`; lower-cased, no duplicates. */
export function appDomains(raw: { domain?: unknown; destinations?: unknown; self_hosted_domains?: unknown }): string[] {
  const out: string[] = [];
  const add = (v: unknown): void => {
    const s = str(v)?.trim().toLowerCase();
    if (s && !out.includes(s)) out.push(s);
  };
  add(raw.domain);
  if (Array.isArray(raw.destinations) && raw.destinations.length > 0) {
    for (const d of raw.destinations as Raw[])
      if (d && typeof d === 'object' && (d.type === undefined || d.type === 'public')) add(d.uri);
  } else if (Array.isArray(raw.self_hosted_domains)) {
    for (const d of raw.self_hosted_domains) add(d);
  }
  return out;
}

/** An application; its policies completed from the account's reusable ones where the app's copy lacks fields. */
function toApp(raw: unknown, reusable: ReadonlyMap<string, AccessPolicy>): AccessApp {
  const a = (raw ?? {}) as Raw;
  if (typeof a.id !== 'string') throw new TypeError('an Access application without an id');
  const policies = (Array.isArray(a.policies) ? a.policies : [])
    .map((p): AccessPolicyRef | undefined => {
      if (typeof p === 'string') {
        const known = reusable.get(p);
        return known ? { ...known } : undefined;
      }
      if (!p || typeof (p as Raw).id !== 'string') return undefined;
      const own = toPolicy(p, false);
      const known = reusable.get(own.id);
      if (!known) return own;
      return {
        ...known,
        ...(own.precedence !== undefined ? { precedence: own.precedence } : {}),
        // The app's copy is the one in force; the list's fills what it leaves out.
        ...(own.decision ? { decision: own.decision } : {}),
        ...((p as Raw).include !== undefined ? { include: own.include } : {}),
      };
    })
    .filter((p): p is AccessPolicyRef => p !== undefined)
    .map((p, i) => ({ ...p, precedence: p.precedence ?? i + 1 }))
    .sort((x, y) => (x.precedence ?? 0) - (y.precedence ?? 0));
  const out: AccessApp = {
    id: a.id,
    name: str(a.name) ?? str(a.domain) ?? a.id,
    type: str(a.type) ?? '',
    domains: appDomains(a),
    policies,
  };
  const session = str(a.session_duration);
  if (session) out.sessionDuration = session;
  const aud = str(a.aud);
  if (aud) out.aud = aud;
  return out;
}

function toIdentityProvider(raw: unknown): IdentityProvider {
  const i = (raw ?? {}) as Raw;
  if (typeof i.id !== 'string') throw new TypeError('an identity provider without an id');
  return { id: i.id, name: str(i.name) ?? i.id, type: str(i.type) ?? '' };
}

function toServiceToken(raw: unknown): ServiceToken {
  const t = (raw ?? {}) as Raw;
  if (typeof t.id !== 'string') throw new TypeError('a service token without an id');
  const out: ServiceToken = { id: t.id, name: str(t.name) ?? t.id, clientId: str(t.client_id) ?? '' };
  const expires = str(t.expires_at);
  if (expires) out.expiresAt = expires;
  return out;
}

// ── Paging and errors ───────────────────────────────────────────────────────────────────────

interface PageLike {
  result?: unknown[];
  result_info?: { page?: number; per_page?: number; count?: number; total_count?: number };
}

type PageQuery = { page: number; per_page: number };

/** Every item of an Access list, paged by hand (see the file comment), as one wrapper call. */
function listAll(
  api: CloudflareApi,
  op: Operation,
  opts: AccessOptions,
  fetchPage: (sdk: SdkClient, query: PageQuery, options: RequestOptions) => PromiseLike<PageLike>,
): Promise<unknown[]> {
  const perPage = opts.perPage ?? DEFAULT_PER_PAGE;
  const maxPages = opts.maxPages ?? api.maxPages;
  return api.sdkCall(op, async (sdk, options) => {
    const items: unknown[] = [];
    const seen = new Set<string>();
    for (let page = 1; ; page++) {
      if (page > maxPages) {
        throw new CloudflareError(
          'invalid-response',
          `The Cloudflare API kept announcing more pages while trying to ${op.action}: stopped after ${maxPages} pages ` +
            `(${items.length} items), the most one list may take. ` +
            (api.baseURL !== 'https://api.cloudflare.com/client/v4'
              ? `Check the server at ${api.baseURL} (setting cftunnel.cloudflare.apiBaseUrl).`
              : 'Try again later; if it persists, report it with the log (Output › Cloudflare Tunnel).'),
          { operation: op },
        );
      }
      const answer = await fetchPage(sdk, { page, per_page: perPage }, options);
      const batch = Array.isArray(answer.result) ? answer.result : [];
      if (batch.length === 0) break;
      let fresh = 0;
      for (const item of batch) {
        const id = (item as Raw | null)?.id;
        if (typeof id === 'string') {
          if (seen.has(id)) continue;
          seen.add(id);
        }
        items.push(item);
        fresh++;
      }
      // A server that ignores `page` sends the same items again.
      if (fresh === 0) break;
      const info = answer.result_info ?? {};
      const size = typeof info.per_page === 'number' && info.per_page > 0 ? info.per_page : perPage;
      if (typeof info.total_count === 'number' && (page * size >= info.total_count || items.length >= info.total_count))
        break;
      if (batch.length < size) break;
    }
    return items;
  });
}

const accessForbidden = (err: CloudflareError, permission: string, action: string): CloudflareError =>
  new CloudflareError(
    'access-forbidden',
    `The API token lacks "${permission}", so it may not ${action} (HTTP ${err.status ?? 403}` +
      `${err.codes.length ? `, code ${err.codes.join(', ')}` : ''}). Whether Access protects these hostnames is unknown: ` +
      `give the token "${permission}" (Cloudflare dashboard › My Profile › API Tokens › Edit), then refresh.`,
    { status: err.status, codes: err.codes, operation: err.operation, cause: err },
  );

const isForbidden = (err: unknown): err is CloudflareError =>
  err instanceof CloudflareError && err.kind === 'forbidden' && !err.codes.includes(NOT_ENABLED);
const isNotEnabled = (err: unknown): boolean => err instanceof CloudflareError && err.codes.includes(NOT_ENABLED);
const answerLost = (err: unknown): err is CloudflareError =>
  err instanceof CloudflareError && (err.kind === 'timeout' || err.kind === 'offline');

/** Runs a read that needs Apps and Policies Read: a 403 becomes `access-forbidden`. */
async function appsRead<T>(action: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isForbidden(err)) throw accessForbidden(err, 'Access: Apps and Policies Read', action);
    throw err;
  }
}

/** Runs a create that needs Apps and Policies Edit: a 403 becomes `access-forbidden`. */
async function appsWrite<T>(action: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isForbidden(err)) throw accessForbidden(err, 'Access: Apps and Policies Edit', action);
    throw err;
  }
}

// ── Reads ───────────────────────────────────────────────────────────────────────────────────

function rawApps(api: CloudflareApi, accountId: string, opts: AccessOptions): Promise<unknown[]> {
  return listAll(
    api,
    { action: `list the Access applications of account ${accountId}`, permission: Permission.accessAppsRead },
    opts,
    (sdk, q, o) => sdk.zeroTrust.access.applications.list({ account_id: accountId, ...q }, o),
  );
}

async function reusablePolicies(api: CloudflareApi, accountId: string, opts: AccessOptions): Promise<AccessPolicy[]> {
  const raw = await listAll(
    api,
    { action: `list the Access policies of account ${accountId}`, permission: Permission.accessAppsRead },
    opts,
    (sdk, q, o) => sdk.zeroTrust.access.policies.list({ account_id: accountId, ...q }, o),
  );
  return raw.map((p) => {
    const { precedence: _, ...policy } = toPolicy(p, true);
    return policy;
  });
}

/**
 * Whether the token may read Access applications, for an apps list that came back empty: the
 * policies of an application that cannot exist are 404 to a token that may, 403 to one that may not.
 */
async function confirmAppsReadable(api: CloudflareApi, accountId: string): Promise<void> {
  const op: Operation = {
    action: `check that the token may read the Access applications of account ${accountId}`,
    permission: Permission.accessAppsRead,
  };
  try {
    await api.sdkCall(op, (sdk, o) =>
      sdk.zeroTrust.access.applications.policies.list(PROBE_APP_ID, { account_id: accountId, per_page: 1 }, o),
    );
  } catch (err) {
    if (err instanceof CloudflareError && err.kind === 'not-found') return;
    throw err;
  }
}

async function appsAndPolicies(
  api: CloudflareApi,
  accountId: string,
  opts: AccessOptions,
): Promise<{ apps: AccessApp[]; policies: AccessPolicy[] }> {
  const action = `read the Access applications of account ${accountId}`;
  return appsRead(action, async () => {
    const [raw, policies] = await Promise.all([rawApps(api, accountId, opts), reusablePolicies(api, accountId, opts)]);
    if (raw.length === 0) await confirmAppsReadable(api, accountId);
    const byId = new Map(policies.map((p) => [p.id, p]));
    return { apps: raw.map((a) => toApp(a, byId)), policies };
  });
}

/**
 * The account's Access applications (with their policies), reusable policies, identity providers,
 * service tokens and team domain: the one read behind the trees' protected/open/unknown.
 * Throws `access-forbidden` when the token lacks "Access: Apps and Policies Read".
 */
export async function listAccess(
  client: CloudflareApi,
  accountId: string,
  opts: AccessOptions = {},
): Promise<AccessListing> {
  const api = opts.signal ? client.withSignal(opts.signal) : client;
  const optional = <T>(work: () => Promise<T>) =>
    work().then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
  const [core, idps, tokens, org] = await Promise.all([
    optional(() => appsAndPolicies(api, accountId, opts)),
    optional(() =>
      listAll(
        api,
        { action: `list the identity providers of account ${accountId}`, permission: Permission.accessOrgRead },
        opts,
        (sdk, q, o) => sdk.zeroTrust.identityProviders.list({ account_id: accountId, ...q }, o),
      ),
    ),
    optional(() =>
      listAll(
        api,
        {
          action: `list the Access service tokens of account ${accountId}`,
          permission: Permission.accessServiceTokensRead,
        },
        opts,
        (sdk, q, o) => sdk.zeroTrust.access.serviceTokens.list({ account_id: accountId, ...q }, o),
      ),
    ),
    optional(() =>
      api.sdkCall(
        { action: `read the Access organization of account ${accountId}`, permission: Permission.accessOrgRead },
        (sdk, o) => sdk.zeroTrust.organizations.list({ account_id: accountId }, o),
      ),
    ),
  ]);
  if (!core.ok) {
    if (isNotEnabled(core.error))
      return { apps: [], policies: [], identityProviders: [], serviceTokens: [], enabled: false, unavailable: {} };
    throw core.error;
  }
  const unavailable: AccessListing['unavailable'] = {};
  const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));
  const out: AccessListing = {
    ...core.value,
    identityProviders: [],
    serviceTokens: [],
    enabled: true,
    unavailable,
  };
  if (idps.ok) out.identityProviders = idps.value.map(toIdentityProvider);
  else unavailable.identityProviders = reason(idps.error);
  if (tokens.ok) out.serviceTokens = tokens.value.map(toServiceToken);
  else unavailable.serviceTokens = reason(tokens.error);
  if (org.ok) {
    const domain = str((org.value as Raw | null)?.auth_domain);
    if (domain) out.teamDomain = domain;
  } else unavailable.teamDomain = reason(org.error);
  return out;
}

// ── Matching (Access's rules, field notes 2 §1.8) ───────────────────────────────────────────

/** The application Access applies to hostname + path (its own matching and precedence: src/core/access). */
function coveringApp(apps: readonly AccessApp[], hostname: string, path?: string): AccessApp | undefined {
  return decidingApp(apps, hostname, path)?.app;
}

// ── Protecting a hostname ───────────────────────────────────────────────────────────────────

const GO_DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;

/** `host[/path]` of the application. */
export function protectUri(req: Pick<ProtectHostnameRequest, 'hostname' | 'path'>): string {
  const host = req.hostname.trim().toLowerCase().replace(/\.$/, '');
  const path = (req.path ?? '').trim().replace(/\/+$/, '');
  return path ? `${host}${path.startsWith('/') ? '' : '/'}${path}` : host;
}

/**
 * The request bodies `protectHostname` sends (without `account_id`): the reusable policy, and the
 * self-hosted application that links it (bare policy id). What the confirmation shows.
 */
export function protectBodies(req: ProtectHostnameRequest): {
  policy: { name: string; decision: AccessDecision; include: AccessRule[] };
  app: (policyId: string) => {
    type: 'self_hosted';
    name: string;
    domain: string;
    destinations: Array<{ type: 'public'; uri: string }>;
    session_duration: string;
    allowed_idps?: string[];
    policies: string[];
  };
} {
  const w = req.who;
  const include: AccessRule[] = [];
  for (const email of w.emails ?? []) include.push({ email: { email } });
  if (w.emailDomain) include.push({ email_domain: { domain: w.emailDomain } });
  if (w.identityProviderId) include.push({ login_method: { id: w.identityProviderId } });
  if (w.serviceTokenId) include.push({ service_token: { token_id: w.serviceTokenId } });
  const uri = protectUri(req);
  return {
    policy: {
      name: `${req.appName} – ${w.serviceTokenId ? 'service token' : 'allow'}`,
      decision: w.serviceTokenId ? 'non_identity' : 'allow',
      include,
    },
    app: (policyId) => ({
      type: 'self_hosted',
      name: req.appName,
      domain: uri,
      destinations: [{ type: 'public', uri }],
      session_duration: req.sessionDuration,
      ...(w.identityProviderId ? { allowed_idps: [w.identityProviderId] } : {}),
      policies: [policyId],
    }),
  };
}

function checkRequest(req: ProtectHostnameRequest): void {
  const bad = (message: string): CloudflareError =>
    new CloudflareError('bad-request', `Cannot protect ${req.hostname || 'the hostname'}: ${message}`, {
      operation: { action: `protect ${req.hostname}` },
    });
  if (!req.hostname?.trim() || /[/:\s]/.test(req.hostname.trim()))
    throw bad('give a hostname such as app.example.com.');
  if (!req.appName?.trim()) throw bad('give the application a name.');
  if (!GO_DURATION.test(req.sessionDuration ?? ''))
    throw bad(`the session duration "${req.sessionDuration}" is not a duration such as 24h, 30m or 2h45m.`);
  const w = req.who ?? {};
  const people = (w.emails?.length ?? 0) > 0 || !!w.emailDomain || !!w.identityProviderId;
  if (!people && !w.serviceTokenId)
    throw bad('say who may enter (emails, an email domain, a login or a service token).');
  if (people && w.serviceTokenId)
    throw bad(
      'a service token (Service Auth) cannot be combined with people (Allow): protect it for one or the other.',
    );
}

const sameRules = (a: readonly AccessRule[], b: readonly AccessRule[]): boolean =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * Protects `hostname` (+ `path`) with a reusable policy (Allow for people, Service Auth for a
 * service token) and a self-hosted application that uses it. When an application already covers
 * the hostname (Access's own matching), nothing is created or changed: it is returned with
 * `created: false` for the caller to show. Idempotent: a policy of ours (same name, decision and
 * rules) left by an earlier attempt is reused, and a create whose answer is lost (timeout, dropped
 * connection) is not sent again: the lists are read again and what it created is adopted.
 */
export async function protectHostname(
  client: CloudflareApi,
  accountId: string,
  req: ProtectHostnameRequest,
  opts: AccessOptions = {},
): Promise<ProtectResult> {
  checkRequest(req);
  const api = opts.signal ? client.withSignal(opts.signal) : client;
  const uri = protectUri(req);
  const bodies = protectBodies(req);
  const { apps, policies } = await appsAndPolicies(api, accountId, opts);

  const existing = coveringApp(apps, req.hostname, req.path);
  if (existing)
    return { app: existing, ...(existing.policies[0] ? { policy: existing.policies[0] } : {}), created: false };

  const ours = (list: readonly AccessPolicy[]): AccessPolicy | undefined =>
    list.find(
      (p) =>
        p.name === bodies.policy.name &&
        p.decision === bodies.policy.decision &&
        sameRules(p.include, bodies.policy.include) &&
        p.exclude.length === 0 &&
        p.require.length === 0,
    );
  let recovered = false;

  // 1. The policy: ours from an earlier attempt, or a new one.
  let policy = ours(policies);
  if (!policy) {
    const action = `create the Access policy "${bodies.policy.name}"`;
    try {
      const raw = await appsWrite(action, () =>
        api.sdkCall({ action, permission: Permission.accessAppsEdit }, (sdk, o) =>
          sdk.zeroTrust.access.policies.create(
            {
              account_id: accountId,
              ...bodies.policy,
              // Our rules are the SDK's AccessRule shapes, typed loosely here.
              include: bodies.policy.include as unknown as PolicyCreateParams['include'],
            },
            { ...o, maxRetries: 0 },
          ),
        ),
      );
      const { precedence: _, ...p } = toPolicy(raw, true);
      policy = p;
    } catch (err) {
      if (!answerLost(err)) throw err;
      const again = await reusablePolicies(api, accountId, opts).catch(() => undefined);
      policy = again && ours(again);
      if (!policy) {
        throw new CloudflareError(
          err.kind,
          `${err.message} ${again ? 'No policy was created and no application either' : 'Cloudflare may have created the policy; nothing else was'}: try again (a policy it created is reused, not made twice).`,
          { status: err.status, codes: err.codes, operation: err.operation, cause: err },
        );
      }
      recovered = true;
    }
  }

  // 2. The application that uses it.
  const appBody = bodies.app(policy.id);
  const action = `create the Access application "${req.appName}" for ${uri}`;
  const adopt = async (): Promise<AccessApp | undefined> => {
    const again = await appsAndPolicies(api, accountId, opts).catch(() => undefined);
    return again?.apps.find((a) => a.domains.includes(uri) && a.policies.some((p) => p.id === policy.id));
  };
  try {
    const raw = await appsWrite(action, () =>
      api.sdkCall(
        {
          action,
          permission: Permission.accessAppsEdit,
          conflictHint: `An Access application for ${uri} already exists: refresh to see it.`,
        },
        (sdk, o) =>
          sdk.zeroTrust.access.applications.create({ account_id: accountId, ...appBody }, { ...o, maxRetries: 0 }),
      ),
    );
    const byId = new Map([[policy.id, policy]]);
    return { app: toApp(raw, byId), policy, created: true, ...(recovered ? { recovered } : {}) };
  } catch (err) {
    if (err instanceof CloudflareError && err.kind === 'conflict') {
      // Someone created one meanwhile: show it, change nothing.
      const now = await appsAndPolicies(api, accountId, opts).catch(() => undefined);
      const other = now && coveringApp(now.apps, req.hostname, req.path);
      if (other) return { app: other, ...(other.policies[0] ? { policy: other.policies[0] } : {}), created: false };
      throw err;
    }
    if (!answerLost(err)) throw err;
    const found = await adopt();
    if (found) return { app: found, policy, created: true, recovered: true };
    throw new CloudflareError(
      err.kind,
      `${err.message} The policy "${policy.name}" exists; the application for ${uri} was not found: try again (the policy is reused, nothing is made twice).`,
      { status: err.status, codes: err.codes, operation: err.operation, cause: err },
    );
  }
}
