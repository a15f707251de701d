/**
 * A local Cloudflare API for tests and the demo: an HTTP server on 127.0.0.1 that serves the
 * endpoints the extension calls, under `/client/v4`, with Cloudflare's envelope
 * (`{success, errors, messages, result, result_info}`), its pagination (`page`/`per_page`, an
 * empty page past the last), state (create → list → delete), bearer-token checks, per-token
 * permissions, and fault modes per path pattern (status with Cloudflare error codes,
 * `retry-after`, delay, malformed JSON, dropped connection, "fail N times then succeed",
 * `afterServing`: the request is carried out, then the answer is dropped or delayed past the
 * client's timeout; and the answers that never end: `stallBody` (headers and half the body, then
 * nothing), `hugeBodyBytes` (a valid answer of that many bytes, streamed) and `endlessPages` (every
 * page full, always announcing one more).
 *
 * How far it follows the real API (checked against the SDK's types, which are generated from
 * Cloudflare's OpenAPI schema, cloudflare/api-schemas, and against answers quoted in public issues):
 * - Tunnels (`cfd_tunnel`): `status` is the API's own verdict (healthy, degraded, down, inactive),
 *   stored per tunnel, with `conns_active_at`/`conns_inactive_at`; a new tunnel is inactive and
 *   cleaning up its last connector makes it down. The deprecated `connections` field is an empty
 *   list (the schema: "will start returning an empty array"); connectors are served at
 *   `GET …/cfd_tunnel/{id}/connections` as `{id, features, version, arch, config_version, run_at,
 *   conns: [{id, uuid, colo_name, opened_at, origin_ip, client_id, client_version,
 *   is_pending_reconnect}]}`, where `is_pending_reconnect` is always false (deprecated: "will now
 *   always report false"). A duplicate name is 409 with code 1013 "You already have a tunnel with
 *   this name" and deleting a tunnel with connections is refused with 1022, as real answers show.
 * - DNS: a CNAME beside any A, AAAA or CNAME record of the same name is refused with 400 / 81053
 *   "An A, AAAA, or CNAME record with that host already exists." on create and on PUT/PATCH (a
 *   record turned into a CNAME while another address record of the name remains); an A/AAAA beside a
 *   CNAME with 81054; an identical record with 81058 (documented on developers.cloudflare.com,
 *   dns/manage-dns-records/troubleshooting/records-with-same-name). MX/TXT stay beside a CNAME.
 * - Access (field notes 2 §1; field names from npm `cloudflare` 7.3.0 and the schema's
 *   `access_self_hosted_props`, `access_base_policy_req`): `GET/POST …/access/apps`,
 *   `GET/PUT/DELETE …/access/apps/{id}` (PUT replaces the whole app), `GET …/access/apps/{id}/policies`
 *   (legacy list: the linked policies), `GET/POST …/access/policies`, `GET/PUT/DELETE
 *   …/access/policies/{id}` (reusable), `GET …/access/identity_providers`, `GET
 *   …/access/service_tokens`, `GET …/access/organizations` (one object, `auth_domain`). Creates
 *   answer 201. Apps: `type` and `domain` required; `domain`, `destinations[].uri` (public) and
 *   `self_hosted_domains` are `host[/path]` (one `*` per label or path segment, no scheme, port,
 *   query or fragment); `session_duration` a Go duration (default 24h); `policies` reusable ids or
 *   `{id, precedence}` (unique precedences; inline policies refused: "legacy policies cannot be added
 *   to newly created applications"); other fields are kept and echoed. Policies: `name`, `decision`
 *   (allow, deny, non_identity, bypass) and a non-empty `include` required; every rule is one
 *   selector object with its fields (`email.email`, `email_domain.domain`, `everyone {}`,
 *   `service_token.token_id`, `any_valid_service_token {}`, `login_method.id`, `group.id`, …); a
 *   bypass policy may not name people (Access docs); responses add `reusable: true`, `app_count`.
 *   Lists accept only `per_page` ∈ {1, 5, 10, 20, 25, 50, 100, 1000}, else 400 / 12091
 *   `access.api.error.invalid_url_parameter_value`, and send `result_info {page, per_page, count,
 *   total_count}`. Permissions (`TokenState.permissions`): `access:apps:read|edit` (Access: Apps and
 *   Policies; Edit includes Read), `access:org:read` (identity providers, organization),
 *   `access:service-tokens:read`. Reads without them: 403 / 10000 "Authentication error", except the
 *   apps list, which answers 200 with no apps (reported from the live API: filtered by permission,
 *   not refused; `accessAppsWithoutPermission: 'forbidden'` makes it 403); writes: 403 with the flat
 *   body `{"code":1010,"error":"auth.forbidden"}` (reported). An account without an organization
 *   answers every Access call 403 / 9999 "access.api.error.not_enabled: …". Unknown app: 404 / 11021
 *   `access.api.error.unknown_application` (reported); a domain another app of the account already
 *   has: 409 / 11010 `access.api.error.application_already_exists` (seen in third-party code).
 *
 * Where it still differs (or could not be verified):
 * - How the real API decides "degraded" is not documented; here a seed or a test sets it. The
 *   status does not change on its own as connectors come and go (only a cleanup of all makes it down).
 * - Whether the live API sends `connections: []` or omits the field is unverified; `remote_config`
 *   (deprecated too) is still sent.
 * - Tunnel validation codes 1001 (bad request), 1002 (not found) and 1055 (ingress validation) are
 *   stand-ins; the HTTP status of 1022 (400 here) is a guess. The DNS content of a record is not
 *   validated per type (the real API answers e.g. 9005 for an A record that is not IPv4), TTL rules
 *   for proxied records are not enforced, and there is no batch endpoint.
 * - No rate limiting, `x-should-retry` or `api-version` handling unless a fault says so; error
 *   items carry no `documentation_url`.
 * - Access: the codes 12130 (`access.api.error.invalid_request: …`, every validation error here) and
 *   12135 (unknown policy) and the messages after the code name are stand-ins; the codes 11010,
 *   11021, 12091, 1010 and 9999 come from third-party code that reports live answers, not from
 *   Cloudflare's docs. Whether the live API refuses a duplicate domain at all (and how it compares
 *   paths and wildcards) is unverified: here any shared `host[/path]` is a conflict. Only
 *   `self_hosted`, `ssh`, `vnc` and `rdp` apps are served (others are refused), destinations only
 *   `public` and `private`; the legacy app-scoped policies are a read-only list of the linked
 *   reusable ones; deleting a policy an app uses is refused (a guess). The default `per_page` (25)
 *   is a guess. Which rule combinations the live API refuses beyond the shapes (e.g. people in a
 *   Service Auth policy) is unknown; only the bypass rule is enforced. The `aud` is derived from the
 *   app ID, not random, and nothing of the organization but its name and team domain is modelled.
 * Other codes: 1000 Invalid API Token, 6003/6111 bad Authorization header, 9106 missing auth
 * headers, 9109 invalid access token / unauthorized resource, 10000 Authentication error, 971 rate
 * limit, 7000/7003 routing, 81044 record does not exist.
 *
 * It is not a mock of the SDK: the real `cloudflare` client talks to it over HTTP.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { audFrom, demoState, emptyAccess, hexId, secretFrom, tunnelStatus } from './state';
import type {
  AccessRule,
  AccessState,
  CloudflareState,
  Permission,
  StoredAccessApp,
  StoredAccessPolicy,
  StoredConnector,
  StoredRecord,
  StoredTunnel,
  StoredZone,
} from './state';
import { globToRegExp } from '../glob';

export * from './state';

export const API_PREFIX = '/client/v4';

export interface CfErrorItem {
  code: number;
  message: string;
}

export interface Fault {
  /** HTTP method to match (any when absent). */
  method?: string;
  /**
   * Path under `/client/v4` to match: exact, a glob (`*` one segment, `**` any), or a RegExp.
   * Query strings are not part of the match.
   */
  path: string | RegExp;
  /** Answer with this status and a Cloudflare error envelope. */
  status?: number;
  /** Error items for that envelope (defaults per status). */
  errors?: CfErrorItem[];
  /** `retry-after` header (seconds, or an HTTP date). */
  retryAfter?: number | string;
  headers?: Record<string, string>;
  /** Wait before answering; alone, the request is then served normally (a slow response). */
  delayMs?: number;
  /** Answer 200 with truncated JSON. */
  malformed?: boolean;
  /** Destroy the connection without answering. */
  drop?: boolean;
  /**
   * Serve the request first (its changes happen, e.g. the tunnel is created), then apply `delayMs`
   * and `drop`: "succeeded, but the answer was lost" (a dropped connection, or an answer that
   * arrives after the client's timeout).
   */
  afterServing?: boolean;
  /**
   * Serve the request, send the headers (with the full length) and half the body, then nothing:
   * the connection stays open until the client gives up or the server closes.
   */
  stallBody?: boolean;
  /** Answer 200 with a valid envelope of about this many bytes (one tunnel with a huge name), streamed. */
  hugeBodyBytes?: number;
  /**
   * Lists only: every page (whatever `page` asks) holds the first page's items, and its
   * `result_info` announces one more page: a server that never runs out.
   */
  endlessPages?: boolean;
  /** Apply to this many matching requests, then stop (default: always). */
  times?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path under `/client/v4`, e.g. `/accounts/…/cfd_tunnel`. */
  path: string;
  /** Full request target as received (path and query). */
  url: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: string;
}

export interface PageLimits {
  tunnels: number;
  dns: number;
  zones: number;
  accounts: number;
  /** Every Access list (apps, policies, identity providers, service tokens). */
  access: number;
}

export interface CloudflareApiOptions {
  port?: number;
  /** Initial state (default: `demoState()`); the server mutates it. */
  data?: CloudflareState;
  /** The only accepted bearer token (default: `test-token`). */
  token?: string;
  faults?: Fault[];
  /** Largest `per_page` served per list (Cloudflare: 1000 tunnels, 5,000,000 DNS, 50 zones/accounts, 1000 Access). */
  maxPerPage?: Partial<PageLimits>;
  /**
   * How `GET …/access/apps` answers a token without "Access: Apps and Policies Read": `'empty'`
   * (default) 200 with no apps, as reported from the live API (the list is filtered by permission,
   * not refused); `'forbidden'` 403 code 10000, as every other Access read here.
   */
  accessAppsWithoutPermission?: 'empty' | 'forbidden';
  /** Called with one line per request (for the CLI). */
  log?: (line: string) => void;
}

export interface CloudflareApiServer {
  /** Base URL including `/client/v4`, e.g. `http://127.0.0.1:PORT/client/v4`. */
  url: string;
  port: number;
  state: CloudflareState;
  requests: RecordedRequest[];
  setFault(fault: Fault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

const DEFAULT_PER_PAGE: PageLimits = { tunnels: 20, dns: 100, zones: 20, accounts: 20, access: 25 };
const MAX_PER_PAGE: PageLimits = { tunnels: 1000, dns: 5_000_000, zones: 50, accounts: 50, access: 1000 };

const DEFAULT_ERRORS: Record<number, CfErrorItem> = {
  400: { code: 1001, message: 'Invalid request' },
  401: { code: 9109, message: 'Invalid access token' },
  403: { code: 10000, message: 'Authentication error' },
  404: { code: 7003, message: 'Could not route to the requested object, perhaps your object identifier is invalid?' },
  409: { code: 1013, message: 'Conflict' },
  429: { code: 971, message: 'Please wait and consider throttling your request speed' },
  500: { code: 10002, message: 'An internal error occurred' },
  502: { code: 10002, message: 'Bad gateway' },
  503: { code: 10002, message: 'Service unavailable' },
};

type Json = Record<string, unknown>;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errors: CfErrorItem[],
    /** A body that is not the envelope (the Access API's flat `{code, error}` refusal of a write). */
    readonly raw?: Json,
  ) {
    super(errors.map((e) => e.message).join('; '));
  }
}

const fail = (status: number, code: number, message: string): HttpError => new HttpError(status, [{ code, message }]);

interface Ctx {
  method: string;
  path: string;
  segments: string[];
  query: URLSearchParams;
  body: string;
}

interface Answer {
  status?: number;
  result: unknown;
  resultInfo?: Json;
  messages?: CfErrorItem[];
}

const now = (): string => new Date().toISOString();
const HEX32 = /^[0-9a-f]{32}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function paginate<T>(items: T[], query: URLSearchParams, def: number, max: number): { slice: T[]; info: Json } {
  const page = Math.max(1, Math.floor(Number(query.get('page') ?? '1')) || 1);
  const requested = Math.floor(Number(query.get('per_page') ?? String(def))) || def;
  const perPage = Math.max(1, Math.min(max, requested));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  return {
    slice,
    info: {
      page,
      per_page: perPage,
      count: slice.length,
      total_count: items.length,
      total_pages: Math.ceil(items.length / perPage),
    },
  };
}

function parseBody(ctx: Ctx): Json {
  if (!ctx.body) return {};
  try {
    const v: unknown = JSON.parse(ctx.body);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Json;
  } catch {
    // fall through
  }
  throw fail(400, 1001, 'Invalid request: the body is not a JSON object');
}

/** `name=x`, `name.exact=x`, `name.contains=…`, `name.startswith=…`, `name.endswith=…` (case-insensitive). */
function textFilter(query: URLSearchParams, field: string): ((value: string) => boolean) | undefined {
  const tests: Array<(v: string) => boolean> = [];
  const plain = query.get(field);
  if (plain !== null) tests.push((v) => v.toLowerCase() === plain.toLowerCase());
  const exact = query.get(`${field}.exact`);
  if (exact !== null) tests.push((v) => v.toLowerCase() === exact.toLowerCase());
  const contains = query.get(`${field}.contains`);
  if (contains !== null) tests.push((v) => v.toLowerCase().includes(contains.toLowerCase()));
  const starts = query.get(`${field}.startswith`);
  if (starts !== null) tests.push((v) => v.toLowerCase().startsWith(starts.toLowerCase()));
  const ends = query.get(`${field}.endswith`);
  if (ends !== null) tests.push((v) => v.toLowerCase().endsWith(ends.toLowerCase()));
  if (tests.length === 0) return undefined;
  return (v) => tests.every((t) => t(v));
}

// ── JSON shapes (field names as in the SDK types) ─────────────────────────────────────────

function tunnelJson(t: StoredTunnel): Json {
  return {
    id: t.id,
    account_tag: t.accountId,
    created_at: t.createdAt,
    deleted_at: t.deletedAt,
    name: t.name,
    // Deprecated: "This field will start returning an empty array" (the schema); the connectors
    // are at GET …/cfd_tunnel/{id}/connections.
    connections: [],
    conns_active_at: t.connsActiveAt,
    conns_inactive_at: t.connsInactiveAt,
    tun_type: 'cfd_tunnel',
    metadata: {},
    status: tunnelStatus(t),
    remote_config: t.configSrc === 'cloudflare',
    config_src: t.configSrc,
  };
}

function clientJson(c: StoredConnector): Json {
  return {
    id: c.id,
    features: c.features,
    version: c.version,
    arch: c.arch,
    config_version: c.configVersion,
    run_at: c.runAt,
    conns: c.conns.map((x) => ({
      colo_name: x.colo,
      // Deprecated: "This functionality has been removed. The is_pending_reconnect field will now always report false."
      is_pending_reconnect: false,
      origin_ip: x.originIp,
      opened_at: x.openedAt,
      uuid: x.id,
      id: x.id,
      client_id: c.id,
      client_version: c.version,
    })),
  };
}

function configJson(t: StoredTunnel): Json {
  return {
    account_id: t.accountId,
    tunnel_id: t.id,
    version: t.config.version,
    config: t.config.config,
    source: t.configSrc,
    created_at: t.config.createdAt,
  };
}

function recordJson(r: StoredRecord): Json {
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    content: r.content,
    proxiable: ['A', 'AAAA', 'CNAME'].includes(r.type),
    proxied: r.proxied,
    ttl: r.ttl,
    settings: {},
    meta: {},
    comment: r.comment,
    tags: r.tags,
    created_on: r.createdOn,
    modified_on: r.modifiedOn,
  };
}

function zoneJson(z: StoredZone, state: CloudflareState): Json {
  const account = state.accounts.find((a) => a.id === z.accountId);
  return {
    id: z.id,
    name: z.name,
    status: z.status,
    paused: false,
    type: 'full',
    development_mode: 0,
    name_servers: ['ada.ns.cloudflare.com', 'bob.ns.cloudflare.com'],
    original_name_servers: null,
    original_registrar: null,
    original_dnshost: null,
    modified_on: z.createdOn,
    created_on: z.createdOn,
    activated_on: z.createdOn,
    meta: { step: 2, custom_certificate_quota: 0, page_rule_quota: 3, phishing_detected: false },
    owner: { id: null, type: 'user', email: null },
    account: { id: z.accountId, name: account?.name ?? '' },
    permissions: ['#zone:read', '#dns_records:read', '#dns_records:edit'],
    plan: {
      id: '0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee',
      name: 'Free Website',
      price: 0,
      currency: 'USD',
      frequency: '',
      is_subscribed: false,
      can_subscribe: false,
      legacy_id: 'free',
      legacy_discount: false,
      externally_managed: false,
    },
  };
}

// ── The server ────────────────────────────────────────────────────────────────────────────

export async function startCloudflareApi(opts: CloudflareApiOptions = {}): Promise<CloudflareApiServer> {
  const state = opts.data ?? demoState();
  const token = opts.token ?? 'test-token';
  const limits: PageLimits = { ...MAX_PER_PAGE, ...opts.maxPerPage };
  const requests: RecordedRequest[] = [];
  const faults: Array<{ fault: Fault; re: RegExp; remaining: number }> = [];
  const timers = new Set<NodeJS.Timeout>();

  const setFault = (fault: Fault): void => {
    const re = typeof fault.path === 'string' ? globToRegExp(fault.path) : fault.path;
    faults.push({ fault, re, remaining: fault.times ?? Infinity });
  };
  for (const f of opts.faults ?? []) setFault(f);

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const send = (res: ServerResponse, status: number, payload: string, headers: Record<string, string> = {}): void => {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(payload)),
      'cf-ray': `${hexId(randomUUID()).slice(0, 16)}-FRA`,
      ...headers,
    });
    res.end(payload);
  };
  const sendError = (
    res: ServerResponse,
    status: number,
    errors: CfErrorItem[],
    headers?: Record<string, string>,
  ): void => send(res, status, JSON.stringify({ success: false, errors, messages: [], result: null }), headers);

  // ── Authentication and authorisation ─────────────────────────────────────────────────────

  const has = (p: Permission): boolean => state.token.permissions.includes(p);
  const need = (p: Permission): void => {
    if (!has(p)) throw fail(403, 10000, 'Authentication error');
  };

  function authenticate(req: IncomingMessage, path: string): void {
    const header = req.headers.authorization;
    if (!header) {
      if (req.headers['x-auth-key'] || req.headers['x-auth-email'])
        throw fail(403, 9103, 'Unknown X-Auth-Key or X-Auth-Email');
      throw fail(400, 9106, 'Missing X-Auth-Key, X-Auth-Email or Authorization headers');
    }
    const m = /^Bearer ([^\s]+)$/.exec(header);
    if (!m)
      throw new HttpError(400, [
        { code: 6003, message: 'Invalid request headers' },
        { code: 6111, message: 'Invalid format for Authorization header' },
      ]);
    const verifying = path === '/user/tokens/verify' || /^\/accounts\/[^/]+\/tokens\/verify$/.test(path);
    if (m[1] !== token) {
      if (verifying) throw fail(401, 1000, 'Invalid API Token');
      throw fail(403, 9109, 'Invalid access token');
    }
    if (state.token.status !== 'active' && !verifying) throw fail(403, 9109, 'Invalid access token');
  }

  function visibleAccounts(): string[] {
    const owner = state.token.owner;
    return owner.type === 'account'
      ? state.accounts.filter((a) => a.id === owner.accountId).map((a) => a.id)
      : state.accounts.map((a) => a.id);
  }

  function account(id: string): string {
    if (!HEX32.test(id))
      throw fail(400, 7003, `Could not route to /accounts/${id}, perhaps your object identifier is invalid?`);
    if (!state.accounts.some((a) => a.id === id) || !visibleAccounts().includes(id))
      throw fail(403, 9109, 'Unauthorized to access requested resource');
    return id;
  }

  function zone(id: string): StoredZone {
    if (!HEX32.test(id))
      throw fail(400, 7003, `Could not route to /zones/${id}, perhaps your object identifier is invalid?`);
    const z = state.zones.find((x) => x.id === id);
    if (!z || !visibleAccounts().includes(z.accountId))
      throw fail(403, 9109, 'Unauthorized to access requested resource');
    return z;
  }

  function tunnel(accountId: string, id: string, opts: { allowDeleted?: boolean } = {}): StoredTunnel {
    if (!UUID.test(id.toLowerCase())) throw fail(400, 1001, 'Invalid request: the tunnel ID must be a UUID');
    const t = state.tunnels.find((x) => x.accountId === accountId && x.id === id.toLowerCase());
    if (!t || (t.deletedAt && !opts.allowDeleted)) throw fail(404, 1002, 'Tunnel not found');
    return t;
  }

  // ── Handlers ─────────────────────────────────────────────────────────────────────────────

  function verifyUser(): Answer {
    if (state.token.owner.type !== 'user') throw fail(401, 1000, 'Invalid API Token');
    return verifyResult();
  }

  function verifyAccount(accountId: string): Answer {
    const owner = state.token.owner;
    if (owner.type !== 'account' || owner.accountId !== accountId) throw fail(401, 1000, 'Invalid API Token');
    return verifyResult();
  }

  function verifyResult(): Answer {
    const t = state.token;
    const result: Json = { id: t.id, status: t.status };
    if (t.expiresOn) result.expires_on = t.expiresOn;
    return {
      result,
      messages: t.status === 'active' ? [{ code: 10000, message: 'This API Token is valid and active' }] : [],
    };
  }

  function listAccounts(ctx: Ctx): Answer {
    const visible = has('account:read') ? state.accounts.filter((a) => visibleAccounts().includes(a.id)) : [];
    const name = ctx.query.get('name');
    const items = visible.filter((a) => !name || a.name.toLowerCase().includes(name.toLowerCase()));
    const { slice, info } = paginate(items, ctx.query, DEFAULT_PER_PAGE.accounts, limits.accounts);
    return {
      result: slice.map((a) => ({
        id: a.id,
        name: a.name,
        type: a.type,
        settings: { enforce_twofactor: false, abuse_contact_email: null },
        created_on: a.createdOn,
      })),
      resultInfo: info,
    };
  }

  function listZones(ctx: Ctx): Answer {
    const visible = has('zone:read') ? state.zones.filter((z) => visibleAccounts().includes(z.accountId)) : [];
    const name = ctx.query.get('name');
    const accountId = ctx.query.get('account.id');
    const accountName = ctx.query.get('account.name');
    const status = ctx.query.get('status');
    const items = visible.filter(
      (z) =>
        (!name || z.name === name.toLowerCase()) &&
        (!accountId || z.accountId === accountId) &&
        (!accountName || state.accounts.find((a) => a.id === z.accountId)?.name === accountName) &&
        (!status || z.status === status),
    );
    const { slice, info } = paginate(items, ctx.query, DEFAULT_PER_PAGE.zones, limits.zones);
    return { result: slice.map((z) => zoneJson(z, state)), resultInfo: info };
  }

  function listTunnels(ctx: Ctx, accountId: string): Answer {
    need('tunnel:read');
    const q = ctx.query;
    const isDeleted = q.get('is_deleted');
    const name = q.get('name');
    const uuid = q.get('uuid');
    const status = q.get('status');
    const include = q.get('include_prefix');
    const exclude = q.get('exclude_prefix');
    const items = state.tunnels.filter(
      (t) =>
        t.accountId === accountId &&
        (isDeleted === null ||
          isDeleted === '' ||
          (isDeleted === 'true' ? t.deletedAt !== null : t.deletedAt === null)) &&
        (!name || t.name === name) &&
        (!uuid || t.id === uuid.toLowerCase()) &&
        (!status || tunnelStatus(t) === status) &&
        (!include || t.name.startsWith(include)) &&
        (!exclude || !t.name.startsWith(exclude)),
    );
    const { slice, info } = paginate(items, q, DEFAULT_PER_PAGE.tunnels, limits.tunnels);
    // The tunnels API reports no total_pages.
    delete info.total_pages;
    return { result: slice.map(tunnelJson), resultInfo: info };
  }

  function nameTaken(accountId: string, name: string, except?: string): boolean {
    return state.tunnels.some(
      (t) => t.accountId === accountId && t.deletedAt === null && t.name === name && t.id !== except,
    );
  }

  function createTunnel(ctx: Ctx, accountId: string): Answer {
    need('tunnel:edit');
    const body = parseBody(ctx);
    const name = body.name;
    if (typeof name !== 'string' || !name.trim()) throw fail(400, 1001, 'Invalid request: tunnel name is required');
    if (name.length > 255) throw fail(400, 1001, 'Invalid request: tunnel name is too long');
    const configSrc = body.config_src === undefined ? 'local' : body.config_src;
    if (configSrc !== 'local' && configSrc !== 'cloudflare')
      throw fail(400, 1001, 'Invalid request: config_src must be local or cloudflare');
    let secret = body.tunnel_secret;
    if (secret !== undefined) {
      if (typeof secret !== 'string' || Buffer.from(secret, 'base64').length < 32)
        throw fail(400, 1001, 'Invalid request: tunnel_secret must be at least 32 bytes, base64-encoded');
    } else secret = secretFrom(randomUUID());
    if (nameTaken(accountId, name)) throw fail(409, 1013, 'You already have a tunnel with this name.');
    const created = now();
    const t: StoredTunnel = {
      id: randomUUID(),
      accountId,
      name,
      configSrc,
      secret: secret as string,
      createdAt: created,
      deletedAt: null,
      connsActiveAt: null,
      connsInactiveAt: null,
      status: 'inactive',
      connectors: [],
      config: { version: 0, createdAt: created, config: null },
    };
    state.tunnels.push(t);
    return { result: tunnelJson(t) };
  }

  function editTunnel(ctx: Ctx, t: StoredTunnel): Answer {
    need('tunnel:edit');
    const body = parseBody(ctx);
    if (body.name !== undefined) {
      if (typeof body.name !== 'string' || !body.name.trim())
        throw fail(400, 1001, 'Invalid request: tunnel name must be a non-empty string');
      if (nameTaken(t.accountId, body.name, t.id)) throw fail(409, 1013, 'You already have a tunnel with this name.');
      t.name = body.name;
    }
    if (body.tunnel_secret !== undefined) {
      if (typeof body.tunnel_secret !== 'string' || Buffer.from(body.tunnel_secret, 'base64').length < 32)
        throw fail(400, 1001, 'Invalid request: tunnel_secret must be at least 32 bytes, base64-encoded');
      t.secret = body.tunnel_secret;
    }
    return { result: tunnelJson(t) };
  }

  function deleteTunnel(t: StoredTunnel): Answer {
    need('tunnel:edit');
    if (t.connectors.some((c) => c.conns.length > 0)) {
      throw fail(400, 1022, 'Cannot delete a tunnel with active connections. Clean up its connections first.');
    }
    t.deletedAt = now();
    t.connectors = [];
    return { result: tunnelJson(t) };
  }

  function deleteConnections(ctx: Ctx, t: StoredTunnel): Answer {
    need('tunnel:edit');
    const clientId = ctx.query.get('client_id');
    const before = t.connectors.length;
    t.connectors = clientId ? t.connectors.filter((c) => c.id !== clientId) : [];
    if (before > 0 && t.connectors.length === 0) {
      t.connsInactiveAt = now();
      t.status = 'down';
    }
    return { result: null };
  }

  function runToken(t: StoredTunnel): Answer {
    need('tunnel:edit');
    return { result: Buffer.from(JSON.stringify({ a: t.accountId, t: t.id, s: t.secret })).toString('base64') };
  }

  function putConfig(ctx: Ctx, t: StoredTunnel): Answer {
    need('tunnel:edit');
    const body = parseBody(ctx);
    const config = body.config;
    if (typeof config !== 'object' || config === null || Array.isArray(config))
      throw fail(400, 1001, 'Invalid request: config is required');
    const ingress = (config as Json).ingress;
    if (ingress !== undefined) {
      if (!Array.isArray(ingress)) throw fail(400, 1055, 'Validation failed: ingress must be a list of rules');
      for (const rule of ingress as unknown[]) {
        if (typeof rule !== 'object' || rule === null || typeof (rule as Json).service !== 'string')
          throw fail(400, 1055, 'Validation failed: every ingress rule needs a service');
      }
      const last = ingress[ingress.length - 1] as Json | undefined;
      if (last && (last.hostname || last.path)) {
        throw fail(
          400,
          1055,
          'Validation failed: The last ingress rule must match all URLs (i.e. it should not have a hostname or path filter)',
        );
      }
    }
    t.config = { version: t.config.version + 1, createdAt: now(), config: config as Json };
    for (const c of t.connectors) c.configVersion = t.config.version;
    return { result: configJson(t) };
  }

  // DNS

  const PROXIABLE = new Set(['A', 'AAAA', 'CNAME']);
  const TYPES = new Set(['A', 'AAAA', 'CNAME', 'TXT', 'MX', 'NS', 'SRV', 'CAA', 'HTTPS', 'SVCB', 'PTR']);

  function fqdn(z: StoredZone, name: string): string {
    const n = name.trim().toLowerCase().replace(/\.$/, '');
    if (n === '@' || n === z.name) return z.name;
    return n.endsWith(`.${z.name}`) ? n : `${n}.${z.name}`;
  }

  function checkRecord(z: StoredZone, r: Omit<StoredRecord, 'id' | 'createdOn' | 'modifiedOn'>, self?: string): void {
    if (!TYPES.has(r.type)) throw fail(400, 9020, 'Invalid DNS record type');
    if (!r.content) throw fail(400, 9021, 'Invalid DNS record content');
    if (r.proxied && !PROXIABLE.has(r.type)) throw fail(400, 9004, 'This record type cannot be proxied.');
    if (r.ttl !== 1 && (r.ttl < 30 || r.ttl > 86400))
      throw fail(400, 9003, 'Invalid TTL. Must be between 30 and 86400 seconds, or 1 for Automatic.');
    const same = state.records.filter((x) => x.zoneId === z.id && x.name === r.name && x.id !== self);
    if (same.some((x) => x.type === r.type && x.content.toLowerCase() === r.content.toLowerCase()))
      throw fail(400, 81058, 'An identical record already exists.');
    // Only address records conflict (field-notes §2): MX and TXT stay beside a CNAME, as at a flattened apex.
    if (r.type === 'CNAME' && same.some((x) => PROXIABLE.has(x.type)))
      throw fail(400, 81053, 'An A, AAAA, or CNAME record with that host already exists.');
    if (PROXIABLE.has(r.type) && r.type !== 'CNAME' && same.some((x) => x.type === 'CNAME'))
      throw fail(400, 81054, 'A CNAME record with that host already exists.');
  }

  function recordFromBody(
    z: StoredZone,
    body: Json,
    base?: StoredRecord,
  ): Omit<StoredRecord, 'id' | 'createdOn' | 'modifiedOn'> {
    const pick = <T>(key: string, check: (v: unknown) => v is T, fallback: T): T => {
      const v = body[key];
      if (v === undefined) return fallback;
      if (!check(v)) throw fail(400, 1004, `DNS Validation Error: invalid ${key}`);
      return v;
    };
    const isString = (v: unknown): v is string => typeof v === 'string';
    const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
    const isNumber = (v: unknown): v is number => typeof v === 'number';
    const isNullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';
    const isTags = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
    const type = pick('type', isString, base?.type ?? '').toUpperCase();
    const name = pick('name', isString, base?.name ?? '');
    if (!name) throw fail(400, 9005, 'DNS name is invalid.');
    return {
      zoneId: z.id,
      type,
      name: fqdn(z, name),
      content: pick('content', isString, base?.content ?? ''),
      proxied: pick('proxied', isBool, base?.proxied ?? false),
      ttl: pick('ttl', isNumber, base?.ttl ?? 1),
      comment: pick('comment', isNullableString, base?.comment ?? null),
      tags: pick('tags', isTags, base?.tags ?? []),
    };
  }

  function listRecords(ctx: Ctx, z: StoredZone): Answer {
    need('dns:read');
    const q = ctx.query;
    const type = q.get('type')?.toUpperCase();
    const name = textFilter(q, 'name');
    const content = textFilter(q, 'content');
    const proxied = q.get('proxied');
    const anyMatch = q.get('match') === 'any';
    const items = state.records.filter((r) => {
      if (r.zoneId !== z.id) return false;
      const checks: boolean[] = [];
      if (type) checks.push(r.type === type);
      if (name) checks.push(name(r.name));
      if (content) checks.push(content(r.content));
      if (proxied !== null) checks.push(String(r.proxied) === proxied);
      return checks.length === 0 || (anyMatch ? checks.some(Boolean) : checks.every(Boolean));
    });
    const { slice, info } = paginate(items, q, DEFAULT_PER_PAGE.dns, limits.dns);
    return { result: slice.map(recordJson), resultInfo: info };
  }

  function createRecord(ctx: Ctx, z: StoredZone): Answer {
    need('dns:edit');
    const fields = recordFromBody(z, parseBody(ctx));
    checkRecord(z, fields);
    const created = now();
    const r: StoredRecord = { id: hexId(randomUUID()), ...fields, createdOn: created, modifiedOn: created };
    state.records.push(r);
    return { result: recordJson(r) };
  }

  function findRecord(z: StoredZone, id: string): StoredRecord {
    const r = state.records.find((x) => x.zoneId === z.id && x.id === id);
    if (!r) throw fail(404, 81044, 'Record does not exist.');
    return r;
  }

  function changeRecord(ctx: Ctx, z: StoredZone, r: StoredRecord, replace: boolean): Answer {
    need('dns:edit');
    const body = parseBody(ctx);
    if (replace && (body.type === undefined || body.name === undefined || body.content === undefined)) {
      throw fail(400, 1004, 'DNS Validation Error: type, name and content are required');
    }
    const fields = recordFromBody(z, body, replace ? undefined : r);
    checkRecord(z, fields, r.id);
    Object.assign(r, fields, { modifiedOn: now() });
    return { result: recordJson(r) };
  }

  function deleteRecord(r: StoredRecord): Answer {
    need('dns:edit');
    state.records = state.records.filter((x) => x !== r);
    return { result: { id: r.id } };
  }

  // ── Access (Zero Trust) ──────────────────────────────────────────────────────────────────

  const access = (): AccessState => (state.access ??= emptyAccess());
  /** An Edit (Write) permission group includes its Read. */
  const hasAccess = (p: 'access:apps:read' | 'access:apps:edit' | 'access:org:read' | 'access:service-tokens:read') =>
    has(p) || (p === 'access:apps:read' && has('access:apps:edit'));
  const needAccessRead = (p: 'access:apps:read' | 'access:org:read' | 'access:service-tokens:read'): void => {
    if (!hasAccess(p)) throw fail(403, 10000, 'Authentication error');
  };
  /** A write without "Access: Apps and Policies Write": the flat body reported from the live API. */
  const needAccessEdit = (): void => {
    if (!hasAccess('access:apps:edit'))
      throw new HttpError(403, [{ code: 1010, message: 'auth.forbidden' }], { code: 1010, error: 'auth.forbidden' });
  };
  const invalid = (detail: string): HttpError => fail(400, 12130, `access.api.error.invalid_request: ${detail}`);

  function accessEnabled(accountId: string): void {
    if (!access().organizations.some((o) => o.accountId === accountId))
      throw fail(
        403,
        9999,
        "access.api.error.not_enabled: Access is not enabled. Visit the Access dashboard at https://dash.cloudflare.com/ and click the 'Enable Access' button.",
      );
  }

  /** Access lists accept only these `per_page` values (reported from the live API); a page past the last is empty. */
  const ACCESS_PER_PAGE = new Set([1, 5, 10, 20, 25, 50, 100, 1000]);
  function accessPage<T>(items: T[], query: URLSearchParams): { slice: T[]; info: Json } {
    const raw = query.get('per_page');
    if (raw !== null && !ACCESS_PER_PAGE.has(Number(raw)))
      throw fail(400, 12091, 'access.api.error.invalid_url_parameter_value');
    const pageRaw = query.get('page');
    if (pageRaw !== null && !(Number(pageRaw) >= 1 && Number.isInteger(Number(pageRaw))))
      throw fail(400, 12091, 'access.api.error.invalid_url_parameter_value');
    const { slice, info } = paginate(items, query, DEFAULT_PER_PAGE.access, limits.access);
    delete info.total_pages;
    return { slice, info };
  }

  const GO_DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;
  /** `host[/path]`: labels of letters, digits, `-`, at most one `*` each; no scheme, port, query or fragment. */
  function checkUri(field: string, v: unknown): string {
    if (typeof v !== 'string' || !v.trim()) throw invalid(`${field} is required`);
    const value = v.trim();
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) throw invalid(`${field} must not include a scheme: ${value}`);
    if (/[?#\s]/.test(value)) throw invalid(`${field} must not include a query, fragment or spaces: ${value}`);
    const slash = value.indexOf('/');
    const host = slash < 0 ? value : value.slice(0, slash);
    const path = slash < 0 ? '' : value.slice(slash);
    if (host.includes(':')) throw invalid(`${field} must not include a port: ${value}`);
    const labels = host.split('.');
    const labelOk = (l: string): boolean => /^[a-z0-9*_-]+$/i.test(l) && (l.match(/\*/g)?.length ?? 0) <= 1;
    if (labels.length < 2 || !labels.every((l) => l.length > 0 && labelOk(l)))
      throw invalid(`${field} is not a valid hostname: ${value}`);
    if (path && path.split('/').some((seg) => (seg.match(/\*/g)?.length ?? 0) > 1))
      throw invalid(`${field} may have at most one wildcard per path segment: ${value}`);
    return value.toLowerCase().replace(/\/+$/, '') || value.toLowerCase();
  }

  function checkDuration(field: string, v: unknown): string | undefined {
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !GO_DURATION.test(v))
      throw invalid(`${field} must be a duration such as 300ms or 2h45m (units ns, us, µs, ms, s, m, h): ${String(v)}`);
    return v;
  }

  /** Selector → the sub-fields it needs (strings), after npm `cloudflare`'s `AccessRule`. */
  const RULES: Record<string, string[]> = {
    email: ['email'],
    email_domain: ['domain'],
    email_list: ['id'],
    everyone: [],
    group: ['id'],
    service_token: ['token_id'],
    any_valid_service_token: [],
    ip: ['ip'],
    ip_list: ['id'],
    geo: ['country_code'],
    login_method: ['id'],
    auth_method: ['auth_method'],
    certificate: [],
    common_name: ['common_name'],
    device_posture: ['integration_uid'],
    azureAD: ['id', 'identity_provider_id'],
    'github-organization': ['name', 'identity_provider_id'],
    gsuite: ['email', 'identity_provider_id'],
    okta: ['name', 'identity_provider_id'],
    saml: ['attribute_name', 'attribute_value', 'identity_provider_id'],
    oidc: ['claim_name', 'claim_value', 'identity_provider_id'],
    external_evaluation: ['evaluate_url', 'keys_url'],
    auth_context: ['id', 'ac_id', 'identity_provider_id'],
    linked_app_token: ['app_uid'],
    cloudflare_account_member: [],
  };
  /** Selectors that name a person or their login: not allowed in a Bypass policy (Access docs). */
  const IDENTITY_RULES = new Set([
    'email',
    'email_domain',
    'email_list',
    'group',
    'login_method',
    'auth_method',
    'azureAD',
    'github-organization',
    'gsuite',
    'okta',
    'saml',
    'oidc',
    'auth_context',
  ]);

  function checkRules(field: string, v: unknown, required: boolean): AccessRule[] {
    if (v === undefined && !required) return [];
    if (!Array.isArray(v)) throw invalid(`${field} must be a list of rules`);
    if (required && v.length === 0) throw invalid(`${field} needs at least one rule`);
    return v.map((rule, i) => {
      if (typeof rule !== 'object' || rule === null || Array.isArray(rule))
        throw invalid(`${field}[${i}] must be an object`);
      const keys = Object.keys(rule as Json);
      if (keys.length !== 1) throw invalid(`${field}[${i}] must have exactly one selector, not ${keys.length}`);
      const key = keys[0]!;
      const need = RULES[key];
      if (!need) throw invalid(`${field}[${i}]: unknown selector "${key}"`);
      const value = (rule as Json)[key];
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw invalid(`${field}[${i}].${key} must be an object`);
      for (const sub of need) {
        const x = (value as Json)[sub];
        if (typeof x !== 'string' || !x) throw invalid(`${field}[${i}].${key}.${sub} is required`);
      }
      return { [key]: value as Json };
    });
  }

  function policyFromBody(body: Json): Omit<StoredAccessPolicy, 'id' | 'accountId' | 'createdAt' | 'updatedAt'> {
    if (typeof body.name !== 'string' || !body.name.trim()) throw invalid('name is required');
    const decision = body.decision;
    if (decision !== 'allow' && decision !== 'deny' && decision !== 'non_identity' && decision !== 'bypass')
      throw invalid('decision must be one of allow, deny, non_identity, bypass');
    const include = checkRules('include', body.include, true);
    const exclude = checkRules('exclude', body.exclude, false);
    const require = checkRules('require', body.require, false);
    if (decision === 'bypass') {
      const identity = [...include, ...exclude, ...require].find((r) => IDENTITY_RULES.has(Object.keys(r)[0]!));
      if (identity)
        throw invalid(`a bypass policy cannot use identity selectors (${Object.keys(identity)[0]!}): nobody logs in`);
    }
    const sessionDuration = checkDuration('session_duration', body.session_duration);
    return {
      name: body.name,
      decision,
      include,
      exclude,
      require,
      ...(sessionDuration ? { sessionDuration } : {}),
    };
  }

  const appsOfPolicy = (p: StoredAccessPolicy): StoredAccessApp[] =>
    access().apps.filter((a) => a.accountId === p.accountId && a.policies.some((l) => l.id === p.id));

  function policyJson(p: StoredAccessPolicy, precedence?: number): Json {
    return {
      id: p.id,
      name: p.name,
      decision: p.decision,
      include: p.include,
      exclude: p.exclude,
      require: p.require,
      ...(p.sessionDuration ? { session_duration: p.sessionDuration } : {}),
      approval_required: false,
      isolation_required: false,
      purpose_justification_required: false,
      reusable: true,
      app_count: appsOfPolicy(p).length,
      ...(precedence !== undefined ? { precedence } : {}),
      created_at: p.createdAt,
      updated_at: p.updatedAt,
    };
  }

  /** The public hostnames (and paths) an app protects: `destinations` if present, else `self_hosted_domains`, and `domain`. */
  function appUris(a: Pick<StoredAccessApp, 'domain' | 'destinations' | 'selfHostedDomains'>): string[] {
    const uris = a.destinations
      ? a.destinations.filter((d) => d.type === 'public' && typeof d.uri === 'string').map((d) => d.uri as string)
      : (a.selfHostedDomains ?? []);
    return [...new Set([a.domain, ...uris].map((u) => u.toLowerCase()))];
  }

  function appJson(a: StoredAccessApp): Json {
    const policies = access().policies;
    return {
      ...a.fields,
      id: a.id,
      aud: a.aud,
      type: a.type,
      name: a.name,
      domain: a.domain,
      ...(a.destinations ? { destinations: a.destinations } : {}),
      ...(a.selfHostedDomains ? { self_hosted_domains: a.selfHostedDomains } : {}),
      session_duration: a.sessionDuration,
      allowed_idps: a.fields.allowed_idps ?? [],
      auto_redirect_to_identity: a.fields.auto_redirect_to_identity ?? false,
      policies: a.policies.flatMap((l) => {
        const p = policies.find((x) => x.id === l.id);
        return p ? [policyJson(p, l.precedence)] : [];
      }),
      tags: a.fields.tags ?? [],
      created_at: a.createdAt,
      updated_at: a.updatedAt,
    };
  }

  /** Types on public hostnames (`domain`, `destinations`); the others are not served here. */
  const HOSTNAME_APP_TYPES = new Set(['self_hosted', 'ssh', 'vnc', 'rdp']);
  const APP_TYPES = new Set([
    'self_hosted',
    'saas',
    'ssh',
    'vnc',
    'app_launcher',
    'warp',
    'biso',
    'bookmark',
    'dash_sso',
    'infrastructure',
    'rdp',
    'mcp',
    'mcp_portal',
    'proxy_endpoint',
  ]);
  /** Fields this imitation stores itself; anything else is kept as sent and echoed back. */
  const OWN_APP_FIELDS = new Set([
    'id',
    'aud',
    'type',
    'name',
    'domain',
    'destinations',
    'self_hosted_domains',
    'session_duration',
    'policies',
    'created_at',
    'updated_at',
  ]);

  function appFromBody(
    accountId: string,
    body: Json,
    self?: StoredAccessApp,
  ): Omit<StoredAccessApp, 'id' | 'aud' | 'createdAt' | 'updatedAt'> {
    const type = body.type;
    if (typeof type !== 'string' || !type) throw invalid('type is required');
    if (!APP_TYPES.has(type)) throw invalid(`unknown application type "${type}"`);
    if (!HOSTNAME_APP_TYPES.has(type))
      throw invalid(`type "${type}" is not served by the local server (self_hosted, ssh, vnc, rdp are)`);
    const domain = checkUri('domain', body.domain);
    let destinations: Array<Record<string, unknown>> | undefined;
    if (body.destinations !== undefined) {
      if (!Array.isArray(body.destinations)) throw invalid('destinations must be a list');
      destinations = body.destinations.map((d, i) => {
        if (typeof d !== 'object' || d === null || Array.isArray(d))
          throw invalid(`destinations[${i}] must be an object`);
        const dt = (d as Json).type ?? 'public';
        if (dt === 'public')
          return { ...(d as Json), type: 'public', uri: checkUri(`destinations[${i}].uri`, (d as Json).uri) };
        if (dt === 'private') {
          const p = d as Json;
          if (typeof p.cidr !== 'string' && typeof p.hostname !== 'string')
            throw invalid(`destinations[${i}]: a private destination needs cidr or hostname`);
          return { ...p };
        }
        throw invalid(
          `destinations[${i}].type "${String(dt)}" is not served by the local server (public, private are)`,
        );
      });
    }
    let selfHostedDomains: string[] | undefined;
    if (body.self_hosted_domains !== undefined) {
      if (!Array.isArray(body.self_hosted_domains)) throw invalid('self_hosted_domains must be a list');
      selfHostedDomains = body.self_hosted_domains.map((d, i) => checkUri(`self_hosted_domains[${i}]`, d));
    }
    const sessionDuration = checkDuration('session_duration', body.session_duration) ?? '24h';
    if (body.name !== undefined && typeof body.name !== 'string') throw invalid('name must be a string');
    const links: Array<{ id: string; precedence: number }> = [];
    if (body.policies !== undefined) {
      if (!Array.isArray(body.policies)) throw invalid('policies must be a list');
      body.policies.forEach((p, i) => {
        let id: unknown;
        let precedence: unknown;
        if (typeof p === 'string') id = p;
        else if (typeof p === 'object' && p !== null && !Array.isArray(p)) {
          const o = p as Json;
          if (o.decision !== undefined || o.include !== undefined)
            throw invalid(
              `policies[${i}]: legacy (inline) policies cannot be added to new applications; create a reusable policy and link its id`,
            );
          id = o.id;
          precedence = o.precedence;
        }
        if (typeof id !== 'string' || !id) throw invalid(`policies[${i}] must be a policy id or {id, precedence}`);
        if (
          precedence !== undefined &&
          (typeof precedence !== 'number' || !Number.isInteger(precedence) || precedence < 1)
        )
          throw invalid(`policies[${i}].precedence must be a positive integer`);
        if (!access().policies.some((x) => x.accountId === accountId && x.id === id))
          throw invalid(`policies[${i}]: no reusable policy ${id} in this account`);
        links.push({ id, precedence: (precedence as number | undefined) ?? i + 1 });
      });
      if (new Set(links.map((l) => l.precedence)).size !== links.length)
        throw invalid('policy precedences must be unique');
      links.sort((a, b) => a.precedence - b.precedence);
    }
    const fields: Json = {};
    for (const [k, v] of Object.entries(body)) if (!OWN_APP_FIELDS.has(k)) fields[k] = v;
    const fieldsOut = { app_launcher_visible: true, ...fields };
    const candidate = { domain, destinations, selfHostedDomains };
    const mine = appUris(candidate);
    const taken = access().apps.find(
      (a) => a.accountId === accountId && a !== self && appUris(a).some((u) => mine.includes(u)),
    );
    if (taken) throw fail(409, 11010, 'access.api.error.application_already_exists');
    return {
      accountId,
      type,
      name: typeof body.name === 'string' && body.name ? body.name : domain,
      domain,
      ...(destinations ? { destinations } : {}),
      ...(selfHostedDomains ? { selfHostedDomains } : {}),
      sessionDuration,
      policies: links,
      fields: fieldsOut,
    };
  }

  function findApp(accountId: string, id: string): StoredAccessApp {
    const a = access().apps.find((x) => x.accountId === accountId && (x.id === id || x.aud === id));
    if (!a) throw fail(404, 11021, 'access.api.error.unknown_application');
    return a;
  }

  function findPolicy(accountId: string, id: string): StoredAccessPolicy {
    const p = access().policies.find((x) => x.accountId === accountId && x.id === id);
    if (!p) throw fail(404, 12135, 'access.api.error.not_found');
    return p;
  }

  function listApps(ctx: Ctx, accountId: string): Answer {
    if (!hasAccess('access:apps:read')) {
      if (opts.accessAppsWithoutPermission === 'forbidden') throw fail(403, 10000, 'Authentication error');
      return { result: [], resultInfo: { page: 1, per_page: DEFAULT_PER_PAGE.access, count: 0, total_count: 0 } };
    }
    const q = ctx.query;
    const exact = q.get('exact') === 'true';
    const match = (value: string, wanted: string | null): boolean =>
      wanted === null ||
      (exact ? value.toLowerCase() === wanted.toLowerCase() : value.toLowerCase().includes(wanted.toLowerCase()));
    const search = q.get('search')?.toLowerCase();
    const items = access().apps.filter(
      (a) =>
        a.accountId === accountId &&
        match(a.name, q.get('name')) &&
        (q.get('domain') === null || appUris(a).some((u) => match(u, q.get('domain')))) &&
        match(a.aud, q.get('aud')) &&
        (!search || a.name.toLowerCase().includes(search) || appUris(a).some((u) => u.includes(search))),
    );
    const { slice, info } = accessPage(items, q);
    return { result: slice.map(appJson), resultInfo: info };
  }

  function createApp(ctx: Ctx, accountId: string): Answer {
    needAccessEdit();
    const fields = appFromBody(accountId, parseBody(ctx));
    const id = randomUUID();
    const created = now();
    const a: StoredAccessApp = { id, aud: audFrom(id), ...fields, createdAt: created, updatedAt: created };
    access().apps.push(a);
    return { status: 201, result: appJson(a) };
  }

  function updateApp(ctx: Ctx, a: StoredAccessApp): Answer {
    needAccessEdit();
    // PUT replaces the whole app: fields left out go back to their defaults.
    Object.assign(a, appFromBody(a.accountId, parseBody(ctx), a), { updatedAt: now() });
    return { result: appJson(a) };
  }

  function accessRoute(ctx: Ctx, accountId: string): Answer {
    const s = ctx.segments;
    const m = ctx.method;
    const methods = (allowed: string[]): void => {
      if (!allowed.includes(m)) throw fail(405, 7001, `Method ${m} not allowed for this route`);
    };
    accessEnabled(accountId);
    const kind = s[3];
    if (kind === 'apps') {
      if (s.length === 4) {
        methods(['GET', 'POST']);
        return m === 'GET' ? listApps(ctx, accountId) : createApp(ctx, accountId);
      }
      if (s.length === 5) {
        methods(['GET', 'PUT', 'DELETE']);
        if (m === 'GET') needAccessRead('access:apps:read');
        else needAccessEdit();
        const a = findApp(accountId, s[4]!);
        if (m === 'GET') return { result: appJson(a) };
        if (m === 'PUT') return updateApp(ctx, a);
        access().apps = access().apps.filter((x) => x !== a);
        return { result: { id: a.id } };
      }
      if (s.length === 6 && s[5] === 'policies') {
        // Legacy app-scoped policies: only the list (the linked reusable ones, with their precedence).
        methods(['GET']);
        needAccessRead('access:apps:read');
        const a = findApp(accountId, s[4]!);
        const linked = a.policies.flatMap((l) => {
          const p = access().policies.find((x) => x.id === l.id);
          return p ? [policyJson(p, l.precedence)] : [];
        });
        const { slice, info } = accessPage(linked, ctx.query);
        return { result: slice, resultInfo: info };
      }
    }
    if (kind === 'policies') {
      if (s.length === 4) {
        methods(['GET', 'POST']);
        if (m === 'GET') {
          needAccessRead('access:apps:read');
          const items = access().policies.filter((p) => p.accountId === accountId);
          const { slice, info } = accessPage(items, ctx.query);
          return { result: slice.map((p) => policyJson(p)), resultInfo: info };
        }
        needAccessEdit();
        const fields = policyFromBody(parseBody(ctx));
        const created = now();
        const p: StoredAccessPolicy = {
          id: randomUUID(),
          accountId,
          ...fields,
          createdAt: created,
          updatedAt: created,
        };
        access().policies.push(p);
        return { status: 201, result: policyJson(p) };
      }
      if (s.length === 5) {
        methods(['GET', 'PUT', 'DELETE']);
        if (m === 'GET') needAccessRead('access:apps:read');
        else needAccessEdit();
        const p = findPolicy(accountId, s[4]!);
        if (m === 'GET') return { result: policyJson(p) };
        if (m === 'PUT') {
          Object.assign(p, { exclude: [], require: [], sessionDuration: undefined }, policyFromBody(parseBody(ctx)), {
            updatedAt: now(),
          });
          return { result: policyJson(p) };
        }
        const users = appsOfPolicy(p);
        if (users.length > 0)
          throw invalid(
            `policy ${p.id} is used by ${users.length} application${users.length === 1 ? '' : 's'}; remove it from them first`,
          );
        access().policies = access().policies.filter((x) => x !== p);
        return { result: { id: p.id } };
      }
    }
    if (kind === 'identity_providers' && s.length === 4) {
      methods(['GET']);
      needAccessRead('access:org:read');
      const items = access().identityProviders.filter((i) => i.accountId === accountId);
      const { slice, info } = accessPage(items, ctx.query);
      return {
        result: slice.map((i) => ({
          id: i.id,
          name: i.name,
          type: i.type,
          config: i.config,
          scim_config: { enabled: false },
        })),
        resultInfo: info,
      };
    }
    if (kind === 'service_tokens' && s.length === 4) {
      methods(['GET']);
      needAccessRead('access:service-tokens:read');
      const name = ctx.query.get('name');
      const search = ctx.query.get('search')?.toLowerCase();
      const items = access().serviceTokens.filter(
        (t) =>
          t.accountId === accountId &&
          (name === null || t.name === name) &&
          (!search || t.name.toLowerCase().includes(search)),
      );
      const { slice, info } = accessPage(items, ctx.query);
      return {
        result: slice.map((t) => ({
          id: t.id,
          name: t.name,
          client_id: t.clientId,
          duration: t.duration,
          expires_at: t.expiresAt,
          created_at: t.createdAt,
          updated_at: t.createdAt,
        })),
        resultInfo: info,
      };
    }
    if (kind === 'organizations' && s.length === 4) {
      methods(['GET']);
      needAccessRead('access:org:read');
      const o = access().organizations.find((x) => x.accountId === accountId)!;
      return {
        result: {
          name: o.name,
          auth_domain: o.authDomain,
          is_ui_read_only: false,
          allow_authenticate_via_warp: false,
          auto_redirect_to_identity: false,
          session_duration: '24h',
          user_seat_expiration_inactive_time: '730h',
          created_at: o.createdAt,
          updated_at: o.createdAt,
        },
      };
    }
    throw fail(404, 7000, 'No route for that URI');
  }

  // ── Routing ──────────────────────────────────────────────────────────────────────────────

  function route(ctx: Ctx): Answer {
    const s = ctx.segments;
    const m = ctx.method;
    const methods = (allowed: string[]): void => {
      if (!allowed.includes(m)) throw fail(405, 7001, `Method ${m} not allowed for this route`);
    };
    if (s[0] === 'user' && s[1] === 'tokens' && s[2] === 'verify' && s.length === 3) {
      methods(['GET']);
      return verifyUser();
    }
    if (s[0] === 'accounts') {
      if (s.length === 1) {
        methods(['GET']);
        return listAccounts(ctx);
      }
      if (s[2] === 'tokens' && s[3] === 'verify' && s.length === 4) {
        methods(['GET']);
        return verifyAccount(s[1]!);
      }
      const accountId = account(s[1]!);
      if (s[2] === 'access' && s.length >= 4) return accessRoute(ctx, accountId);
      if (s[2] === 'cfd_tunnel') {
        if (s.length === 3) {
          methods(['GET', 'POST']);
          return m === 'GET' ? listTunnels(ctx, accountId) : createTunnel(ctx, accountId);
        }
        const tunnelId = s[3]!;
        if (s.length === 4) {
          methods(['GET', 'PATCH', 'DELETE']);
          if (m === 'GET') {
            need('tunnel:read');
            return { result: tunnelJson(tunnel(accountId, tunnelId, { allowDeleted: true })) };
          }
          const t = tunnel(accountId, tunnelId);
          return m === 'PATCH' ? editTunnel(ctx, t) : deleteTunnel(t);
        }
        if (s.length === 5 && s[4] === 'connections') {
          methods(['GET', 'DELETE']);
          const t = tunnel(accountId, tunnelId);
          if (m === 'GET') {
            need('tunnel:read');
            return { result: t.connectors.map(clientJson) };
          }
          return deleteConnections(ctx, t);
        }
        if (s.length === 5 && s[4] === 'token') {
          methods(['GET']);
          return runToken(tunnel(accountId, tunnelId));
        }
        if (s.length === 5 && s[4] === 'configurations') {
          methods(['GET', 'PUT']);
          const t = tunnel(accountId, tunnelId);
          if (m === 'GET') {
            need('tunnel:read');
            return { result: configJson(t) };
          }
          return putConfig(ctx, t);
        }
      }
    }
    if (s[0] === 'zones') {
      if (s.length === 1) {
        methods(['GET']);
        return listZones(ctx);
      }
      const z = zone(s[1]!);
      if (s[2] === 'dns_records') {
        if (s.length === 3) {
          methods(['GET', 'POST']);
          return m === 'GET' ? listRecords(ctx, z) : createRecord(ctx, z);
        }
        if (s.length === 4) {
          methods(['GET', 'PATCH', 'PUT', 'DELETE']);
          const r = findRecord(z, s[3]!);
          if (m === 'GET') {
            need('dns:read');
            return { result: recordJson(r) };
          }
          if (m === 'DELETE') return deleteRecord(r);
          return changeRecord(ctx, z, r, m === 'PUT');
        }
      }
    }
    throw fail(404, 7000, 'No route for that URI');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) || '/' : url.pathname;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    requests.push({ method, path, url: req.url ?? '/', query: Object.fromEntries(url.searchParams), headers, body });
    opts.log?.(`${method} ${req.url}`);

    const active = faults.find(
      (f) => f.remaining > 0 && (!f.fault.method || f.fault.method.toUpperCase() === method) && f.re.test(path),
    );
    const f = active?.fault;
    if (active) active.remaining--;
    if (f && !f.afterServing) {
      if (f.delayMs) await sleep(f.delayMs);
      if (f.drop) {
        req.socket.destroy();
        return;
      }
      if (f.malformed) {
        send(res, 200, '{"success":true,"errors":[],"messages":[],"result":[{"id":"', f.headers);
        return;
      }
      if (f.hugeBodyBytes !== undefined) {
        await sendHuge(res, f.hugeBodyBytes);
        return;
      }
      if (f.status) {
        const extra: Record<string, string> = { ...f.headers };
        if (f.retryAfter !== undefined) extra['retry-after'] = String(f.retryAfter);
        sendError(
          res,
          f.status,
          f.errors ?? [DEFAULT_ERRORS[f.status] ?? { code: 10000, message: `HTTP ${f.status}` }],
          extra,
        );
        return;
      }
    }

    let status: number;
    let payload: string;
    if (!url.pathname.startsWith(`${API_PREFIX}/`)) {
      status = 404;
      payload = JSON.stringify({
        success: false,
        errors: [{ code: 7000, message: 'No route for that URI' }],
        messages: [],
        result: null,
      });
    } else {
      try {
        authenticate(req, path);
        const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
        const query = new URLSearchParams(url.searchParams);
        if (f?.endlessPages) query.set('page', '1');
        const answer = route({ method, path, segments, query, body });
        const envelope: Json = { success: true, errors: [], messages: answer.messages ?? [], result: answer.result };
        if (answer.resultInfo) envelope.result_info = answer.resultInfo;
        if (f?.endlessPages && Array.isArray(answer.result)) {
          const page = Math.max(1, Math.floor(Number(url.searchParams.get('page') ?? '1')) || 1);
          const n = answer.result.length;
          envelope.result_info = { page, per_page: n, count: n, total_count: (page + 1) * n, total_pages: page + 1 };
        }
        status = answer.status ?? 200;
        payload = JSON.stringify(envelope);
      } catch (err) {
        const e =
          err instanceof HttpError
            ? err
            : new HttpError(500, [{ code: 10002, message: `An internal error occurred: ${(err as Error).message}` }]);
        status = e.status;
        payload = JSON.stringify(e.raw ?? { success: false, errors: e.errors, messages: [], result: null });
      }
    }
    if (f?.afterServing) {
      if (f.delayMs) await sleep(f.delayMs);
      if (f.drop) {
        req.socket.destroy();
        return;
      }
    }
    if (f?.stallBody) {
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(payload)),
      });
      res.write(payload.slice(0, Math.floor(payload.length / 2)));
      return;
    }
    send(res, status, payload);
  }

  /** Resolves when `res` can take more, or is gone. */
  function drained(res: ServerResponse): Promise<void> {
    return new Promise<void>((resolve) => {
      if (res.destroyed) return resolve();
      const done = (): void => {
        res.off('drain', done).off('close', done);
        resolve();
      };
      res.on('drain', done).on('close', done);
    });
  }

  /** A valid envelope of about `bytes` bytes, written in 64 KiB chunks as the client takes them. */
  async function sendHuge(res: ServerResponse, bytes: number): Promise<void> {
    const head =
      '{"success":true,"errors":[],"messages":[],"result":[{"id":"00000000-0000-0000-0000-000000000000","name":"';
    const tail = '"}],"result_info":{"page":1,"per_page":1,"count":1,"total_count":1,"total_pages":1}}';
    const fill = Math.max(0, bytes - head.length - tail.length);
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': String(head.length + fill + tail.length),
    });
    res.write(head);
    const chunk = Buffer.alloc(64 * 1024, 'a');
    for (let left = fill; left > 0 && !res.destroyed; left -= chunk.length) {
      const ok = res.write(left >= chunk.length ? chunk : chunk.subarray(0, left));
      if (!ok) await drained(res);
    }
    if (!res.destroyed) res.end(tail);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendError(res, 500, [{ code: 10002, message: 'An internal error occurred' }]);
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}${API_PREFIX}`,
    port,
    state,
    requests,
    setFault,
    clearFaults: () => void faults.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
