/**
 * The one wrapper over the `cloudflare` SDK (v7) that every feature uses. It builds the client
 * with explicit values so the SDK reads no credentials, base URL or log level from the
 * environment; leaves retries to the SDK (connection errors, timeouts, 408/429/5xx, honouring
 * `retry-after`), except that a 409 Conflict is never retried (it answers the same again) and a
 * create (POST) is never retried at all: a create whose answer was lost may have happened, so
 * `createTunnel` looks the tunnel up instead; pages through lists to the end; and turns every failure into a
 * `CloudflareError` whose message says what to do. The token goes only into the Authorization
 * header: `onRequest` sees method and URL, `log` lines are redacted, messages are redacted.
 *
 * Imports neither `vscode` nor the LSP libraries. Uses the SDK's tree-shakable client with the
 * resources below (same call shapes as `new Cloudflare()`, a fraction of the bundle).
 */
import { webcrypto } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createClient } from 'cloudflare/tree-shakable';
import type { AbstractPage, PagePromise } from 'cloudflare/core/pagination';
import { BaseAccounts } from 'cloudflare/resources/accounts/accounts';
import { BaseTokens as BaseAccountTokens } from 'cloudflare/resources/accounts/tokens/tokens';
import { BaseRecords } from 'cloudflare/resources/dns/records';
import type {
  RecordCreateParams,
  RecordEditParams,
  RecordListParams,
  RecordResponse,
  RecordUpdateParams,
} from 'cloudflare/resources/dns/records';
import { BaseTokens as BaseUserTokens } from 'cloudflare/resources/user/tokens/tokens';
import { BaseCloudflared } from 'cloudflare/resources/zero-trust/tunnels/cloudflared/cloudflared';
import { BaseConfigurations } from 'cloudflare/resources/zero-trust/tunnels/cloudflared/configurations';
import type {
  ConfigurationGetResponse,
  ConfigurationUpdateParams,
} from 'cloudflare/resources/zero-trust/tunnels/cloudflared/configurations';
import { BaseConnections } from 'cloudflare/resources/zero-trust/tunnels/cloudflared/connections';
import type { Client } from 'cloudflare/resources/zero-trust/tunnels/cloudflared/connections';
import { BaseToken } from 'cloudflare/resources/zero-trust/tunnels/cloudflared/token';
import { BaseZones } from 'cloudflare/resources/zones/zones';
import { BaseApplications } from 'cloudflare/resources/zero-trust/access/applications/applications';
import { BasePolicies as BaseAppPolicies } from 'cloudflare/resources/zero-trust/access/applications/policies';
import { BasePolicies as BaseAccessPolicies } from 'cloudflare/resources/zero-trust/access/policies';
import { BaseServiceTokens } from 'cloudflare/resources/zero-trust/access/service-tokens';
import { BaseIdentityProviders } from 'cloudflare/resources/zero-trust/identity-providers/identity-providers';
import { BaseOrganizations } from 'cloudflare/resources/zero-trust/organizations/organizations';
import type { CloudflareTunnel } from 'cloudflare/resources/shared';
import { credentialsFromToken } from './credentials';
import {
  CloudflareError,
  ConflictError,
  Permission,
  ResponseTooLargeError,
  redact,
  retryAfterSeconds,
  toCloudflareError,
} from './errors';
import type { Operation } from './errors';
import type {
  Account,
  ConfigSrc,
  Connector,
  DnsFilter,
  DnsRecord,
  RemoteConfig,
  RemoteConfigState,
  TokenInfo,
  Tunnel,
  TunnelConnection,
  TunnelStatus,
  Zone,
} from './types';
import { mapLimit } from '../core/async';
import { planHostnameRoute } from '../core/cloudflare/route';
import { TUNNEL_CNAME_SUFFIX, tunnelCnameTarget, tunnelIdOfRecord } from '../core/cloudflare/tunnelCname';
import type { HostnameRoutePlan } from '../core/cloudflare/route';

export const DEFAULT_BASE_URL = 'https://api.cloudflare.com/client/v4';
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 2;
/**
 * Budgets (docs/ARCHITECTURE.md, "Budgets"). The SDK's `timeout` covers one attempt up to the
 * response headers only; the deadline covers a whole call: every attempt, the waits between them,
 * every page of a list and every byte of the bodies.
 */
export const DEFAULT_DEADLINE_MS = 120_000;
/** Longest wait before a retry that a `retry-after` may ask for; a longer one fails the call (rate-limited). */
export const DEFAULT_MAX_RETRY_WAIT_MS = 5_000;
/** Largest response body read (the biggest real answer, 5,000 DNS records, is a few MB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 20 * 1024 * 1024;
/** Most pages one list may take (1,000 tunnels or 5,000 DNS records a page: far past any real account). */
export const DEFAULT_MAX_PAGES = 200;

/** Largest pages the API serves per list (fewer requests); the server may cap them lower. */
const PAGE_SIZE = { tunnels: 1000, dns: 5000, zones: 50, accounts: 50 } as const;
/** Parallel per-zone DNS lists. */
const ZONE_CONCURRENCY = 6;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface CloudflareApiOptions {
  token: string;
  /** `cftunnel.cloudflare.apiBaseUrl`; include the `/client/v4` prefix. Default: the real API. */
  baseURL?: string;
  timeoutMs?: number;
  /** Retries per request, as the SDK does them. Default 2. */
  maxRetries?: number;
  /** Called for every HTTP request (retries included); never sees headers or the token. */
  onRequest?: (request: { method: string; url: string }) => void;
  /** SDK log lines (redacted). Without it the SDK logs nothing. */
  log?: (level: LogLevel, line: string) => void;
  logLevel?: LogLevel;
  /** Whole-call deadline (all attempts, retry waits, pages and bodies). Default 120 s. */
  deadlineMs?: number;
  /** Longest `retry-after` wait honoured before a retry; longer fails as rate-limited. Default 5 s. */
  maxRetryWaitMs?: number;
  /** Largest response body; a longer one fails the call. Default 20 MB. */
  maxResponseBytes?: number;
  /** Most pages one list may take. Default 200. */
  maxPages?: number;
}

/** The SDK's per-request options (its `internal/` path is not exported): what every call passes on. */
export type RequestOptions = NonNullable<Parameters<InstanceType<typeof BaseRecords>['delete']>[2]>;

/** The SDK resources the wrapper uses (the tree-shakable client carries only these). */
const RESOURCES = [
  BaseCloudflared,
  BaseConfigurations,
  BaseConnections,
  BaseToken,
  BaseRecords,
  BaseZones,
  BaseAccounts,
  BaseAccountTokens,
  BaseUserTokens,
  BaseApplications,
  BaseAppPolicies,
  BaseAccessPolicies,
  BaseServiceTokens,
  BaseIdentityProviders,
  BaseOrganizations,
] as const;

function sdkClient(options: Omit<Parameters<typeof createClient>[0], 'resources'>) {
  return createClient({ ...options, resources: RESOURCES });
}

/** The SDK client with the wrapper's resources (what `sdkCall` hands its modules). */
export type SdkClient = ReturnType<typeof sdkClient>;

type PageInfo = { page?: number; per_page?: number; count?: number; total_count?: number; total_pages?: number };
type AnyPage<T> = AbstractPage<T> & { result_info?: PageInfo };

/** Header names the SDK would add from CLOUDFLARE_CUSTOM_HEADERS (parsed as the SDK does). */
function envCustomHeaderNames(): string[] {
  const raw = typeof process !== 'undefined' ? process.env['CLOUDFLARE_CUSTOM_HEADERS']?.trim() : undefined;
  if (!raw) return [];
  const names: string[] = [];
  for (const line of raw.split('\n')) {
    const colon = line.indexOf(':');
    if (colon >= 0) names.push(line.substring(0, colon).trim());
  }
  return names.filter(Boolean);
}

const SECRET_KEYS = new Set([
  'authorization',
  'token',
  'tunnel_secret',
  'secret',
  'credentials_file',
  'apitoken',
  'x-auth-key',
  'x-auth-user-service-key',
]);

/** Deep copy of a log argument with secret-bearing values replaced. */
function scrub(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Headers) return scrub(Object.fromEntries(value), depth + 1);
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const details = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  // The run token endpoint answers with the token as `result`: never log that body.
  const tokenUrl = typeof details.url === 'string' && /\/token(?:\?|$)/.test(details.url);
  for (const [k, v] of Object.entries(details)) {
    if (SECRET_KEYS.has(k.toLowerCase()) || (tokenUrl && k === 'body')) out[k] = '***';
    else out[k] = scrub(v, depth + 1);
  }
  return out;
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(scrub(value)) ?? String(value);
  } catch {
    return String(value);
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function toConnection(c: Client.Conn): TunnelConnection {
  return {
    id: c.id ?? c.uuid,
    clientId: c.client_id,
    clientVersion: c.client_version,
    coloName: c.colo_name,
    originIp: c.origin_ip,
    openedAt: c.opened_at,
  };
}

const STATUSES: readonly TunnelStatus[] = ['inactive', 'degraded', 'healthy', 'down'];

function toTunnel(t: CloudflareTunnel): Tunnel {
  if (!t || typeof t !== 'object' || typeof t.id !== 'string') throw new TypeError('a tunnel without an id');
  return {
    id: t.id,
    name: t.name ?? '',
    accountTag: t.account_tag,
    status: STATUSES.includes(t.status as TunnelStatus) ? (t.status as TunnelStatus) : 'inactive',
    configSrc: t.config_src === 'cloudflare' ? 'cloudflare' : 'local',
    createdAt: t.created_at,
    deletedAt: t.deleted_at ?? null,
    connsActiveAt: t.conns_active_at ?? null,
    connsInactiveAt: t.conns_inactive_at ?? null,
  };
}

function toConnector(c: Client): Connector {
  if (!c || typeof c !== 'object' || typeof c.id !== 'string') throw new TypeError('a connector without an id');
  return {
    id: c.id,
    version: c.version,
    arch: c.arch,
    runAt: c.run_at,
    configVersion: c.config_version,
    features: Array.isArray(c.features) ? c.features : [],
    conns: Array.isArray(c.conns) ? c.conns.map((x) => ({ ...toConnection(x), clientId: x.client_id ?? c.id })) : [],
  };
}

interface RawRecord {
  id?: string;
  name?: string;
  type?: string;
  content?: string;
  proxied?: boolean;
  ttl?: number;
  comment?: string | null;
  tags?: string[];
  created_on?: string;
  modified_on?: string;
}

function toRecord(r: RecordResponse, zoneId: string): DnsRecord {
  const raw = r as unknown as RawRecord;
  if (!raw || typeof raw !== 'object' || typeof raw.id !== 'string') throw new TypeError('a DNS record without an id');
  const content = typeof raw.content === 'string' ? raw.content : '';
  const out: DnsRecord = {
    id: raw.id,
    zoneId,
    name: raw.name ?? '',
    type: raw.type ?? '',
    content,
    proxied: raw.proxied === true,
    ttl: typeof raw.ttl === 'number' ? raw.ttl : 1,
    comment: raw.comment ?? null,
    tags: Array.isArray(raw.tags) ? raw.tags : [],
    createdOn: raw.created_on,
    modifiedOn: raw.modified_on,
  };
  const tunnel = tunnelIdOfRecord(out);
  if (tunnel) out.tunnelId = tunnel;
  return out;
}

function toConfigState(r: ConfigurationGetResponse): RemoteConfigState {
  if (!r || typeof r !== 'object') throw new TypeError('no configuration in the answer');
  const config = (r.config && typeof r.config === 'object' ? r.config : {}) as RemoteConfig;
  return { version: typeof r.version === 'number' ? r.version : 0, config, source: r.source, createdAt: r.created_at };
}

function short(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}

/** The wait before a retry that the SDK would take from these headers (`retry-after-ms`, then `retry-after`), in ms. */
function retryWaitMs(headers: Headers): number | undefined {
  const ms = parseFloat(headers.get('retry-after-ms') ?? '');
  if (!Number.isNaN(ms)) return ms;
  const seconds = retryAfterSeconds(headers);
  return seconds === undefined ? undefined : seconds * 1000;
}

/** Statuses the SDK retries (409 never is here). */
const RETRIED = (status: number): boolean => status === 408 || status === 429 || status >= 500;

/** The response with its body read through a counter that fails past `max` bytes (or at once when it says it is longer). */
function capBody(response: Response, max: number): Response {
  if (!response.body || [101, 204, 205, 304].includes(response.status)) return response;
  const declared = Number(response.headers.get('content-length') ?? NaN);
  const reader = response.body.getReader();
  let seen = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (declared > max) throw new ResponseTooLargeError(max, declared);
        const { done, value } = await reader.read();
        if (done) return controller.close();
        seen += value.byteLength;
        if (seen > max) throw new ResponseTooLargeError(max);
        controller.enqueue(value);
      } catch (err) {
        reader.cancel().catch(() => undefined);
        controller.error(err);
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return rebuilt(response, body, response.headers);
}

/** A new Response over `body` that keeps the original's `url` (the log's redaction of the run token's body reads it). */
function rebuilt(response: Response, body: ReadableStream<Uint8Array> | null, headers: Headers): Response {
  const out = new Response(body, { status: response.status, statusText: response.statusText, headers });
  Object.defineProperty(out, 'url', { value: response.url });
  return out;
}

/** Rejects when `signal` aborts, whatever `promise` is waiting for (the SDK's retry sleep does not listen to it). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** No retries for a call that creates something: a lost answer does not mean nothing was created. */
const NO_RETRY = { maxRetries: 0 } as const;

/** How far a tunnel's `created_at` may precede our create request and still be the one it made (clock skew). */
const CREATE_CLOCK_SKEW_MS = 5 * 60_000;

/** What `routeHostname` did. */
export type RouteOutcome =
  | { kind: 'unchanged'; record: DnsRecord }
  | { kind: 'proxied'; record: DnsRecord }
  | { kind: 'created'; record?: DnsRecord }
  | { kind: 'replaced'; record: DnsRecord; replaced: DnsRecord[] }
  | { kind: 'declined'; records: DnsRecord[] };

export interface RouteHostnameOptions {
  /**
   * Asked before A, AAAA or CNAME records that point elsewhere are deleted and overwritten (all of
   * `plan.records`); without it, or when it answers false, nothing is changed (`declined`).
   */
  confirmReplace?: (plan: Extract<HostnameRoutePlan<DnsRecord>, { kind: 'replace' }>) => boolean | Promise<boolean>;
  comment?: string;
}

export class CloudflareApi {
  readonly baseURL: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly deadlineMs: number;
  readonly maxRetryWaitMs: number;
  readonly maxPages: number;
  private readonly token: string;
  private readonly client: SdkClient;
  /** Set on the views `withSignal` makes: cancels every call made through them. */
  private readonly signal: AbortSignal | undefined;

  constructor(opts: CloudflareApiOptions) {
    const token = (opts.token ?? '').trim();
    this.baseURL = (opts.baseURL?.trim() || DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxRetries = opts.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.deadlineMs = opts.deadlineMs ?? DEFAULT_DEADLINE_MS;
    this.maxRetryWaitMs = opts.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
    this.maxPages = opts.maxPages ?? DEFAULT_MAX_PAGES;
    const maxBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const maxRetryWaitMs = this.maxRetryWaitMs;
    this.token = token;
    if (!token)
      throw new CloudflareError(
        'unauthorized',
        'No Cloudflare API token: sign in with an API token or cloudflared cert.pem first.',
      );

    const onRequest = opts.onRequest;
    const baseFetch = globalThis.fetch;
    const fetchImpl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      if (onRequest) {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        onRequest({ method: (init?.method ?? 'GET').toUpperCase(), url });
      }
      const response = capBody(await baseFetch(input, init), maxBytes);
      // `x-should-retry: false` is the SDK's own switch, unless the server said otherwise. The SDK
      // retries 409 Conflict, but a taken name or a record that exists answers the same again; and
      // it sleeps as long as `retry-after` says (an hour, for Cloudflare's rate limit): past
      // `maxRetryWaitMs` the call fails instead, saying when to try again.
      if (response.headers.has('x-should-retry')) return response;
      const wait = RETRIED(response.status) ? retryWaitMs(response.headers) : undefined;
      if (response.status !== 409 && !(wait !== undefined && wait > maxRetryWaitMs)) return response;
      const headers = new Headers(response.headers);
      headers.set('x-should-retry', 'false');
      return rebuilt(response, response.body, headers);
    };

    const log = opts.log;
    const emit =
      (level: LogLevel) =>
      (message: string, ...rest: unknown[]): void => {
        if (log) log(level, redact([message, ...rest.map(stringify)].join(' '), [token]));
      };

    // Every value the SDK would otherwise take from the environment is passed explicitly:
    // apiToken (CLOUDFLARE_API_TOKEN), apiKey (CLOUDFLARE_API_KEY), apiEmail (CLOUDFLARE_EMAIL),
    // userServiceKey (CLOUDFLARE_API_USER_SERVICE_KEY), baseURL (CLOUDFLARE_BASE_URL), logLevel
    // (CLOUDFLARE_LOG). CLOUDFLARE_CUSTOM_HEADERS cannot be turned off, so the headers it names are
    // removed again (null) and Authorization is set back to this token.
    const defaultHeaders: Record<string, string | null> = {};
    for (const name of envCustomHeaderNames())
      defaultHeaders[name] = name.toLowerCase() === 'authorization' ? `Bearer ${token}` : null;

    this.client = sdkClient({
      apiToken: token,
      apiKey: null,
      apiEmail: null,
      userServiceKey: null,
      baseURL: this.baseURL,
      timeout: this.timeoutMs,
      maxRetries: this.maxRetries,
      fetch: fetchImpl,
      logLevel: log ? (opts.logLevel ?? 'warn') : 'off',
      logger: { error: emit('error'), warn: emit('warn'), info: emit('info'), debug: emit('debug') },
      defaultHeaders,
    });
  }

  private get tunnels() {
    return this.client.zeroTrust.tunnels.cloudflared;
  }

  /**
   * This API with every call (and every call those make: a route's reads and writes, a create's
   * look-up) cancelled when `signal` aborts: the call rejects at once with kind `cancelled`, and its
   * request is aborted. The extension passes the token of a cancellable progress notification.
   */
  withSignal(signal: AbortSignal | undefined): CloudflareApi {
    const view = Object.create(this) as CloudflareApi;
    Object.defineProperty(view, 'signal', { value: signal });
    return view;
  }

  /**
   * Runs one call under its deadline and the view's signal (both go to the SDK as `signal`, which
   * aborts the request and its body); any failure becomes a CloudflareError with guidance.
   */
  private async call<T>(op: Operation, fn: (options: RequestOptions) => Promise<T>): Promise<T> {
    const deadline = AbortSignal.timeout(this.deadlineMs);
    const signal = this.signal ? AbortSignal.any([this.signal, deadline]) : deadline;
    // The SDK adds an abort listener per request (a list: one per page) and never removes it.
    setMaxListeners(this.maxPages + 10, signal);
    const work = fn({ signal });
    try {
      return await untilAborted(work, signal);
    } catch (err) {
      work.catch(() => undefined);
      if (this.signal?.aborted)
        throw new CloudflareError('cancelled', `Cancelled: ${op.action}.`, { operation: op, cause: err });
      if (deadline.aborted) {
        throw new CloudflareError(
          'timeout',
          `The Cloudflare API did not finish answering within ${Math.round(this.deadlineMs / 100) / 10} s while trying to ${op.action}. ` +
            'Check the network connection and try again.',
          { operation: op, cause: err },
        );
      }
      throw toCloudflareError(err, op, {
        secrets: [this.token],
        baseURL: this.baseURL,
        defaultBaseURL: DEFAULT_BASE_URL,
        maxRetries: this.maxRetries,
        timeoutMs: this.timeoutMs,
      });
    }
  }

  /**
   * For the wrapper's own modules (src/cloudflare/access.ts), not for features: runs `fn` with the
   * SDK client as one call (its deadline, this view's signal, errors that say what to do). A list
   * paged by hand inside `fn` is one call: the deadline covers every page.
   */
  sdkCall<T>(op: Operation, fn: (sdk: SdkClient, options: RequestOptions) => Promise<T>): Promise<T> {
    return this.call(op, (o) => fn(this.client, o));
  }

  /**
   * All items of a list. Stops at the last page the answer announces (`total_pages`,
   * `total_count`, a short page), else asks for pages until one comes back empty, as the SDK does.
   */
  private collect<T>(
    op: Operation,
    first: (options: RequestOptions) => PagePromise<AnyPage<T>, T> | Promise<AnyPage<T>>,
  ): Promise<T[]> {
    return this.call(op, async (options) => {
      let page = await first(options);
      const items: T[] = [];
      for (let n = 1; ; n++) {
        const batch = page.getPaginatedItems();
        items.push(...batch);
        const info = page.result_info;
        if (batch.length === 0) break;
        if (info) {
          if (typeof info.total_pages === 'number' && typeof info.page === 'number' && info.page >= info.total_pages)
            break;
          if (typeof info.total_count === 'number' && items.length >= info.total_count) break;
          if (typeof info.per_page === 'number' && batch.length < info.per_page) break;
        }
        if (!page.hasNextPage()) break;
        if (n >= this.maxPages) {
          throw new CloudflareError(
            'invalid-response',
            `The Cloudflare API kept announcing more pages while trying to ${op.action}: stopped after ${n} pages ` +
              `(${items.length} items), the most one list may take. ` +
              (this.baseURL !== DEFAULT_BASE_URL
                ? `Check the server at ${this.baseURL} (setting cftunnel.cloudflare.apiBaseUrl).`
                : 'Try again later; if it persists, report it with the log (Output › Cloudflare Tunnel).'),
            { operation: op },
          );
        }
        page = (await page.getNextPage()) as AnyPage<T>;
      }
      return items;
    });
  }

  // ── Token and accounts ────────────────────────────────────────────────────────────────────

  private active(info: TokenInfo): TokenInfo {
    if (info.status !== 'active') {
      const when = info.status === 'expired' && info.expiresOn ? ` (expired ${info.expiresOn})` : '';
      throw new CloudflareError(
        'unauthorized',
        `The API token is ${info.status}${when}. Create a new API token in the Cloudflare dashboard (My Profile › API Tokens) and sign in again.`,
        { operation: { action: 'verify the API token' } },
      );
    }
    return info;
  }

  /**
   * Verifies the token: `GET /user/tokens/verify`, then, for account-owned tokens (which the user
   * endpoint refuses), `GET /accounts/{accountId}/tokens/verify`. Throws unless it is active.
   */
  async verifyToken(accountId?: string): Promise<TokenInfo> {
    let userError: CloudflareError;
    try {
      const r = await this.call({ action: 'verify the API token' }, (o) => this.client.user.tokens.verify(o));
      return this.active({
        id: r.id,
        status: r.status,
        expiresOn: r.expires_on,
        notBefore: r.not_before,
        owner: 'user',
      });
    } catch (err) {
      if (
        !(err instanceof CloudflareError) ||
        (err.kind !== 'unauthorized' && err.kind !== 'forbidden') ||
        err.status === undefined
      )
        throw err;
      userError = err;
    }
    if (!accountId) {
      throw new CloudflareError(
        userError.kind,
        `${userError.message} If this is an account-owned token, sign in with its account ID so it can be verified against the account.`,
        { status: userError.status, codes: userError.codes, operation: userError.operation },
      );
    }
    const r = await this.call({ action: `verify the API token for account ${accountId}` }, (o) =>
      this.client.accounts.tokens.verify({ account_id: accountId }, o),
    );
    return this.active({
      id: r.id,
      status: r.status,
      expiresOn: r.expires_on,
      notBefore: r.not_before,
      owner: 'account',
      accountId,
    });
  }

  /**
   * Accounts the token can see: `GET /accounts`, or, when that is forbidden or empty (tokens
   * scoped to zones), the distinct accounts of the zones the token can list.
   */
  async listAccounts(): Promise<Account[]> {
    let refused: CloudflareError | undefined;
    try {
      const accounts = await this.collect({ action: 'list accounts', permission: Permission.accountRead }, (o) =>
        this.client.accounts.list({ per_page: PAGE_SIZE.accounts }, o),
      );
      if (accounts.length > 0) {
        return accounts
          .map((a) => ({ id: a.id, name: a.name || a.id, type: a.type }))
          .sort((a, b) => a.name.localeCompare(b.name));
      }
    } catch (err) {
      if (!(err instanceof CloudflareError) || err.kind !== 'forbidden') throw err;
      refused = err;
    }
    let zones: Zone[];
    try {
      zones = await this.listZones();
    } catch (err) {
      if (refused && err instanceof CloudflareError && err.kind === 'forbidden') {
        throw new CloudflareError(
          'forbidden',
          `The API token may list neither accounts nor zones. Give it "${Permission.accountRead}" or "${Permission.zoneRead}" (Cloudflare dashboard › My Profile › API Tokens › Edit), or enter the account ID.`,
          { status: err.status, codes: [...refused.codes, ...err.codes], operation: { action: 'list accounts' } },
        );
      }
      throw err;
    }
    const byId = new Map<string, Account>();
    for (const z of zones)
      if (z.accountId && !byId.has(z.accountId))
        byId.set(z.accountId, { id: z.accountId, name: z.accountName || z.accountId });
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Zones the token can see, optionally of one account. */
  async listZones(accountId?: string): Promise<Zone[]> {
    const zones = await this.collect(
      { action: accountId ? `list the zones of account ${accountId}` : 'list zones', permission: Permission.zoneRead },
      (o) =>
        this.client.zones.list({ per_page: PAGE_SIZE.zones, ...(accountId ? { account: { id: accountId } } : {}) }, o),
    );
    return zones.map((z) => ({
      id: z.id,
      name: z.name,
      status: z.status,
      accountId: z.account?.id ?? '',
      accountName: str(z.account?.name),
    }));
  }

  // ── Tunnels ───────────────────────────────────────────────────────────────────────────────

  /** The account's tunnels that are not deleted (the API lists deleted ones unless told not to). */
  async listTunnels(accountId: string): Promise<Tunnel[]> {
    const list = await this.collect(
      { action: `list the tunnels of account ${accountId}`, permission: Permission.tunnelRead },
      (o) => this.tunnels.list({ account_id: accountId, is_deleted: false, per_page: PAGE_SIZE.tunnels }, o),
    );
    return list.map(toTunnel);
  }

  async getTunnel(accountId: string, tunnelId: string): Promise<Tunnel> {
    const t = await this.call(
      {
        action: `read tunnel ${tunnelId}`,
        permission: Permission.tunnelRead,
        subject: `tunnel ${tunnelId} in account ${accountId}`,
      },
      (o) => this.tunnels.get(tunnelId, { account_id: accountId }, o),
    );
    return toTunnel(t);
  }

  /**
   * Creates a tunnel. Locally managed tunnels get a random 32-byte secret (as `cloudflared tunnel
   * create` makes one), returned for the credentials file; remotely managed ones need none.
   *
   * The POST is sent once (never retried). When its answer is lost (the connection dropped or the
   * request timed out) the tunnel may exist anyway, so it is looked up by name: a locally managed
   * one is ours when its run token carries the secret we generated (then `recovered` is true and
   * the secret is returned as usual); a remotely managed one when it was created since the request
   * (minus clock skew) and never connected. Otherwise the original error is thrown, saying so.
   */
  async createTunnel(
    accountId: string,
    name: string,
    configSrc: ConfigSrc,
  ): Promise<{ tunnel: Tunnel; tunnelSecret?: string; recovered?: boolean }> {
    const tunnelSecret =
      configSrc === 'local' ? Buffer.from(webcrypto.getRandomValues(new Uint8Array(32))).toString('base64') : undefined;
    const startedAt = Date.now();
    let t: CloudflareTunnel;
    try {
      t = await this.call(
        {
          action: `create tunnel "${name}"`,
          permission: Permission.tunnelEdit,
          conflictHint: `A tunnel named "${name}" already exists in this account: choose another name or use the existing tunnel.`,
        },
        (o) =>
          this.tunnels.create(
            {
              account_id: accountId,
              name,
              config_src: configSrc,
              ...(tunnelSecret ? { tunnel_secret: tunnelSecret } : {}),
            },
            { ...o, ...NO_RETRY },
          ),
      );
    } catch (err) {
      if (!(err instanceof CloudflareError) || (err.kind !== 'timeout' && err.kind !== 'offline')) throw err;
      let found: Tunnel | undefined;
      try {
        found = await this.findCreatedTunnel(accountId, name, configSrc, tunnelSecret, startedAt);
      } catch {
        throw new CloudflareError(
          err.kind,
          `${err.message} Cloudflare may have created tunnel "${name}" anyway: refresh the Tunnels view before creating it again` +
            (tunnelSecret
              ? '; if it is there, "Write credentials.json…" on it gets its credentials from its run token.'
              : '.'),
          { status: err.status, codes: err.codes, operation: err.operation, cause: err },
        );
      }
      if (!found) {
        throw new CloudflareError(err.kind, `${err.message} No tunnel named "${name}" was created; try again.`, {
          status: err.status,
          codes: err.codes,
          operation: err.operation,
          cause: err,
        });
      }
      return tunnelSecret ? { tunnel: found, tunnelSecret, recovered: true } : { tunnel: found, recovered: true };
    }
    return tunnelSecret ? { tunnel: toTunnel(t), tunnelSecret } : { tunnel: toTunnel(t) };
  }

  /** The tunnel a create whose answer was lost made, if any (see `createTunnel`). */
  private async findCreatedTunnel(
    accountId: string,
    name: string,
    configSrc: ConfigSrc,
    secret: string | undefined,
    startedAt: number,
  ): Promise<Tunnel | undefined> {
    const list = await this.collect({ action: `look up tunnel "${name}"`, permission: Permission.tunnelRead }, (o) =>
      this.tunnels.list({ account_id: accountId, is_deleted: false, name, per_page: PAGE_SIZE.tunnels }, o),
    );
    const candidates = list.map(toTunnel).filter((t) => t.name === name && t.configSrc === configSrc);
    for (const t of candidates) {
      if (secret) {
        // The run token holds the tunnel's secret: equal to ours only for the tunnel our request created.
        const token = await this.getRunToken(accountId, t.id);
        if (credentialsFromToken(token).TunnelSecret === secret) return t;
      } else {
        const created = t.createdAt ? Date.parse(t.createdAt) : NaN;
        if (
          !Number.isNaN(created) &&
          created >= startedAt - CREATE_CLOCK_SKEW_MS &&
          !t.connsActiveAt &&
          candidates.length === 1
        )
          return t;
      }
    }
    return undefined;
  }

  async renameTunnel(accountId: string, tunnelId: string, name: string): Promise<Tunnel> {
    const t = await this.call(
      {
        action: `rename tunnel ${short(tunnelId)} to "${name}"`,
        permission: Permission.tunnelEdit,
        subject: `tunnel ${tunnelId}`,
        conflictHint: `A tunnel named "${name}" already exists in this account: choose another name.`,
      },
      (o) => this.tunnels.edit(tunnelId, { account_id: accountId, name }, o),
    );
    return toTunnel(t);
  }

  /** Deletes a tunnel; with `force`, first drops its connectors (cloudflared's `tunnel delete -f`). */
  async deleteTunnel(accountId: string, tunnelId: string, opts: { force?: boolean } = {}): Promise<Tunnel> {
    if (opts.force) await this.cleanupConnections(accountId, tunnelId);
    const t = await this.call(
      {
        action: `delete tunnel ${short(tunnelId)}`,
        permission: Permission.tunnelEdit,
        subject: `tunnel ${tunnelId}`,
        conflictHint: 'Stop its cloudflared connectors first, or delete with force (which cleans up its connections).',
      },
      (o) => this.tunnels.delete(tunnelId, { account_id: accountId }, o),
    );
    return toTunnel(t);
  }

  /** Removes stale connectors: one (`connectorId`) or all (`cloudflared tunnel cleanup`). */
  async cleanupConnections(accountId: string, tunnelId: string, connectorId?: string): Promise<void> {
    await this.call(
      {
        action: `clean up the connections of tunnel ${short(tunnelId)}`,
        permission: Permission.tunnelEdit,
        subject: `tunnel ${tunnelId}`,
      },
      (o) =>
        this.tunnels.connections.delete(
          tunnelId,
          { account_id: accountId, ...(connectorId ? { client_id: connectorId } : {}) },
          o,
        ),
    );
  }

  /** The cloudflared processes connected to a tunnel, with their edge connections. */
  async listConnectors(accountId: string, tunnelId: string): Promise<Connector[]> {
    const list = await this.collect(
      {
        action: `list the connectors of tunnel ${short(tunnelId)}`,
        permission: Permission.tunnelRead,
        subject: `tunnel ${tunnelId}`,
      },
      (o) => this.tunnels.connections.get(tunnelId, { account_id: accountId }, o),
    );
    return list.map(toConnector);
  }

  /** The run token (`TUNNEL_TOKEN`): a secret; never log it. */
  async getRunToken(accountId: string, tunnelId: string): Promise<string> {
    const token = await this.call(
      {
        action: `get the run token of tunnel ${short(tunnelId)}`,
        permission: Permission.tunnelEdit,
        subject: `tunnel ${tunnelId}`,
      },
      (o) => this.tunnels.token.get(tunnelId, { account_id: accountId }, o),
    );
    if (typeof token !== 'string' || !token)
      throw new CloudflareError('invalid-response', 'The Cloudflare API answered without a tunnel token.');
    return token;
  }

  async getRemoteConfig(accountId: string, tunnelId: string): Promise<RemoteConfigState> {
    const r = await this.call(
      {
        action: `read the configuration of tunnel ${short(tunnelId)}`,
        permission: Permission.tunnelRead,
        subject: `tunnel ${tunnelId}`,
      },
      (o) => this.tunnels.configurations.get(tunnelId, { account_id: accountId }, o),
    );
    return toConfigState(r);
  }

  /**
   * Replaces the remote configuration, unless it changed since `expectedVersion` was read (the API
   * has no conditional PUT, so it re-reads first): then a `ConflictError`, and nothing is written.
   */
  async updateRemoteConfig(
    accountId: string,
    tunnelId: string,
    config: RemoteConfig,
    expectedVersion: number,
  ): Promise<RemoteConfigState> {
    const op: Operation = {
      action: `save the configuration of tunnel ${short(tunnelId)}`,
      permission: Permission.tunnelEdit,
      subject: `tunnel ${tunnelId}`,
    };
    const current = await this.getRemoteConfig(accountId, tunnelId);
    if (current.version !== expectedVersion) {
      throw new ConflictError(
        `The configuration of tunnel ${tunnelId} changed since it was read (version ${expectedVersion}, now ${current.version}), ` +
          'in the dashboard or by another tool. Nothing was saved: reload it, apply your change again and save.',
        expectedVersion,
        current.version,
        op,
      );
    }
    const r = await this.call(op, (o) =>
      this.tunnels.configurations.update(
        tunnelId,
        { account_id: accountId, config: config as ConfigurationUpdateParams.Config },
        o,
      ),
    );
    return toConfigState(r);
  }

  // ── DNS ───────────────────────────────────────────────────────────────────────────────────

  async listDnsRecords(zoneId: string, filter: DnsFilter = {}): Promise<DnsRecord[]> {
    const params: RecordListParams = { zone_id: zoneId, per_page: PAGE_SIZE.dns };
    if (filter.type) params.type = filter.type;
    if (filter.name) params.name = { exact: filter.name };
    if (filter.content) params.content = { exact: filter.content };
    else if (filter.contentEndsWith) params.content = { endswith: filter.contentEndsWith };
    if (filter.proxied !== undefined) params.proxied = filter.proxied;
    const list = await this.collect(
      { action: `list the DNS records of zone ${zoneId}`, permission: Permission.dnsRead, subject: `zone ${zoneId}` },
      (o) => this.client.dns.records.list(params, o),
    );
    return list.map((r) => toRecord(r, zoneId));
  }

  /**
   * CNAMEs to `<uuid>.cfargotunnel.com` in the zones (one filtered list per zone), optionally only
   * those pointing at `tunnelIds`. Unproxied ones are included (`proxied: false`): they do not reach
   * the tunnel, and the tree and the drift report say so.
   */
  async listTunnelCnames(zoneIds: readonly string[], tunnelIds?: readonly string[]): Promise<DnsRecord[]> {
    const wanted = tunnelIds ? new Set(tunnelIds.map((id) => id.toLowerCase())) : undefined;
    const perZone = await mapLimit(zoneIds, ZONE_CONCURRENCY, (zoneId) =>
      this.listDnsRecords(zoneId, { type: 'CNAME', contentEndsWith: TUNNEL_CNAME_SUFFIX }),
    );
    return perZone.flat().filter((r) => r.tunnelId !== undefined && (!wanted || wanted.has(r.tunnelId)));
  }

  /** The record at `name` (A, AAAA or CNAME first), if any. */
  async findRecord(zoneId: string, name: string): Promise<DnsRecord | undefined> {
    const records = await this.listDnsRecords(zoneId, { name });
    const rank = (r: DnsRecord): number => (['CNAME', 'A', 'AAAA'].includes(r.type) ? 0 : 1);
    return [...records].sort((a, b) => rank(a) - rank(b))[0];
  }

  /** Routes `hostname` to the tunnel: proxied CNAME to `<tunnelId>.cfargotunnel.com`, TTL auto. */
  async createTunnelCname(
    zoneId: string,
    hostname: string,
    tunnelId: string,
    opts: { comment?: string } = {},
  ): Promise<DnsRecord> {
    const params: RecordCreateParams.CNAMERecord = tunnelCname(zoneId, hostname, tunnelId, opts.comment);
    const r = await this.call(
      {
        action: `create the DNS route ${hostname}`,
        permission: Permission.dnsEdit,
        subject: `zone ${zoneId}`,
        conflictHint: `A DNS record named ${hostname} already exists: point it at the tunnel instead (overwrite), or choose another hostname.`,
      },
      (o) => this.client.dns.records.create(params, { ...o, ...NO_RETRY }),
    );
    return toRecord(r, zoneId);
  }

  /** Turns Cloudflare's proxy on for a record (PATCH `proxied: true`): what a tunnel CNAME needs to reach the tunnel. */
  async enableProxy(zoneId: string, recordId: string, hostname?: string): Promise<DnsRecord> {
    const r = await this.call(
      {
        action: `turn on the proxy for ${hostname ?? `DNS record ${recordId}`}`,
        permission: Permission.dnsEdit,
        subject: `DNS record ${recordId}`,
      },
      (o) =>
        this.client.dns.records.edit(recordId, { zone_id: zoneId, proxied: true } as unknown as RecordEditParams, o),
    );
    return toRecord(r, zoneId);
  }

  /**
   * Routes `hostname` to the tunnel, whatever is at the name now (`planHostnameRoute`): nothing
   * when a proxied CNAME to the tunnel is there; the proxy turned on for an unproxied one; a new
   * CNAME where no A, AAAA or CNAME record is; otherwise, once `confirmReplace` agrees, the other
   * address records deleted first and the last one overwritten with the CNAME (Cloudflare refuses
   * a CNAME beside an A, AAAA or CNAME record of the same name, code 81053). The records at the
   * name are read right before the change.
   */
  async routeHostname(
    zoneId: string,
    hostname: string,
    tunnelId: string,
    opts: RouteHostnameOptions = {},
  ): Promise<RouteOutcome> {
    const plan = planHostnameRoute(hostname, tunnelId, await this.listDnsRecords(zoneId, { name: hostname }));
    switch (plan.kind) {
      case 'routed':
        return { kind: 'unchanged', record: plan.record };
      case 'enable-proxy':
        return { kind: 'proxied', record: await this.enableProxy(zoneId, plan.record.id, plan.hostname) };
      case 'create':
        try {
          return {
            kind: 'created',
            record: await this.createTunnelCname(zoneId, plan.hostname, tunnelId, { comment: opts.comment }),
          };
        } catch (err) {
          // The answer was lost: the record may exist anyway (the create is not retried).
          if (!(err instanceof CloudflareError) || (err.kind !== 'timeout' && err.kind !== 'offline')) throw err;
          const after = await this.listDnsRecords(zoneId, { name: plan.hostname }).catch(() => undefined);
          const now = after ? planHostnameRoute(plan.hostname, tunnelId, after) : undefined;
          if (now?.kind === 'routed') return { kind: 'created', record: now.record };
          throw err;
        }
      case 'replace': {
        if (!opts.confirmReplace || !(await opts.confirmReplace(plan)))
          return { kind: 'declined', records: plan.records };
        for (const r of plan.remove) await this.deleteRecord(zoneId, r.id);
        const record = await this.pointRecordAtTunnel(zoneId, plan.keep.id, plan.hostname, tunnelId, {
          comment: opts.comment,
        });
        return { kind: 'replaced', record, replaced: plan.records };
      }
    }
  }

  /** Changes some fields of a record (PATCH). */
  async updateRecord(
    zoneId: string,
    recordId: string,
    changes: {
      name?: string;
      content?: string;
      proxied?: boolean;
      ttl?: number;
      comment?: string | null;
      type?: string;
    },
  ): Promise<DnsRecord> {
    const r = await this.call(
      {
        action: `update DNS record ${changes.name ?? recordId}`,
        permission: Permission.dnsEdit,
        subject: `DNS record ${recordId}`,
        conflictHint: 'Another record already uses that name.',
      },
      (o) => this.client.dns.records.edit(recordId, { zone_id: zoneId, ...changes } as unknown as RecordEditParams, o),
    );
    return toRecord(r, zoneId);
  }

  /** Overwrites a record (PUT) with a proxied CNAME to the tunnel: moves a hostname between tunnels. */
  async pointRecordAtTunnel(
    zoneId: string,
    recordId: string,
    hostname: string,
    tunnelId: string,
    opts: { comment?: string } = {},
  ): Promise<DnsRecord> {
    const params: RecordUpdateParams.CNAMERecord = tunnelCname(zoneId, hostname, tunnelId, opts.comment);
    const r = await this.call(
      {
        action: `point ${hostname} at tunnel ${short(tunnelId)}`,
        permission: Permission.dnsEdit,
        subject: `DNS record ${recordId}`,
        conflictHint: 'Another record already uses that name.',
      },
      (o) => this.client.dns.records.update(recordId, params, o),
    );
    return toRecord(r, zoneId);
  }

  async deleteRecord(zoneId: string, recordId: string): Promise<void> {
    await this.call(
      { action: `delete DNS record ${recordId}`, permission: Permission.dnsEdit, subject: `DNS record ${recordId}` },
      (o) => this.client.dns.records.delete(recordId, { zone_id: zoneId }, o),
    );
  }
}

/** The record that routes a hostname to a tunnel: a proxied CNAME to `<id>.cfargotunnel.com`, TTL auto. */
function tunnelCname(zoneId: string, hostname: string, tunnelId: string, comment: string | undefined) {
  return {
    zone_id: zoneId,
    type: 'CNAME' as const,
    name: hostname,
    content: tunnelCnameTarget(tunnelId),
    proxied: true,
    ttl: 1 as const,
    ...(comment ? { comment } : {}),
  };
}
