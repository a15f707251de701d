/**
 * Errors of the Cloudflare wrapper: every failure of a call becomes one `CloudflareError` whose
 * `kind` says what went wrong and whose `message` says what to do about it. Messages never contain
 * the API token (`redact` runs over every text that goes into one).
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'cloudflare/core/error';

export type CloudflareErrorKind =
  | 'unauthorized'
  | 'forbidden'
  /**
   * The token lacks an Access permission (src/cloudflare/access.ts): Access coverage is unknown,
   * never "open". `operation.permission` names the permission.
   */
  | 'access-forbidden'
  | 'rate-limited'
  | 'offline'
  | 'timeout'
  | 'not-found'
  | 'conflict'
  | 'bad-request'
  | 'server'
  | 'invalid-response'
  /** The caller's signal aborted (the user pressed Cancel): nothing to report. */
  | 'cancelled';

/** Dashboard names of the token permissions each call needs (My Profile › API Tokens). */
export const Permission = {
  tunnelRead: 'Account › Cloudflare Tunnel › Read',
  tunnelEdit: 'Account › Cloudflare Tunnel › Edit',
  dnsRead: 'Zone › DNS › Read',
  dnsEdit: 'Zone › DNS › Edit',
  zoneRead: 'Zone › Zone › Read',
  accountRead: 'Account › Account Settings › Read',
  /** The API's permission groups say "Write" where the dashboard says "Edit" (field notes 2 §1.7). */
  accessAppsRead: 'Account › Access: Apps and Policies › Read',
  accessAppsEdit: 'Account › Access: Apps and Policies › Edit',
  accessOrgRead: 'Account › Access: Organizations, Identity Providers, and Groups › Read',
  accessServiceTokensRead: 'Account › Access: Service Tokens › Read',
} as const;

/** What a call was doing, for the message. */
export interface Operation {
  /** Completes "while trying to …", e.g. "list the tunnels of account 0123…". */
  action: string;
  /** The permission the call needs (shown on 403). */
  permission?: string;
  /** What a 404 is about, e.g. "tunnel 6ff4…". */
  subject?: string;
  /** Advice for a conflict (409, record already exists). */
  conflictHint?: string;
}

export interface CloudflareErrorOptions {
  status?: number;
  codes?: number[];
  operation?: Operation;
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class CloudflareError extends Error {
  readonly kind: CloudflareErrorKind;
  readonly status?: number;
  /** Cloudflare's error codes from the envelope (`errors[].code`). */
  readonly codes: number[];
  readonly operation?: Operation;
  /** From a 429's `retry-after` header. */
  readonly retryAfterSeconds?: number;

  constructor(kind: CloudflareErrorKind, message: string, opts: CloudflareErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'CloudflareError';
    this.kind = kind;
    this.status = opts.status;
    this.codes = opts.codes ?? [];
    this.operation = opts.operation;
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }

  /** Worth offering "Retry" in the UI. */
  get transient(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'offline' || this.kind === 'timeout' || this.kind === 'server';
  }
}

/** The remote configuration moved on since it was read: refuse to overwrite someone else's edit. */
export class ConflictError extends CloudflareError {
  readonly expectedVersion: number;
  readonly actualVersion: number;

  constructor(message: string, expectedVersion: number, actualVersion: number, operation?: Operation) {
    super('conflict', message, { operation });
    this.name = 'ConflictError';
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}

/** A response body past the wrapper's size cap (the read stops there). */
export class ResponseTooLargeError extends Error {
  constructor(
    readonly limit: number,
    readonly declared?: number,
  ) {
    super(`response body larger than ${limit} bytes${declared !== undefined ? ` (${declared} announced)` : ''}`);
    this.name = 'ResponseTooLargeError';
  }
}

/** Replaces every occurrence of each secret (and its URL-encoded form) with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('***');
  }
  return out;
}

export interface ErrorContext {
  /** Texts that must never appear in a message (the token). */
  secrets: readonly string[];
  baseURL: string;
  defaultBaseURL: string;
  maxRetries: number;
  timeoutMs: number;
}

interface EnvelopeError {
  code?: number;
  message?: string;
}

/** Codes Cloudflare uses for a token it does not accept at all (as opposed to a missing permission). */
const INVALID_TOKEN_CODES = new Set([1000, 6003, 6100, 6111, 9103, 9106]);
/**
 * Codes that mean "conflicts with what exists", and only those: the DNS record codes of
 * developers.cloudflare.com/dns/manage-dns-records/troubleshooting/records-with-same-name/ (81053
 * an A, AAAA or CNAME record with that host exists, 81054 a CNAME with that host exists, 81057
 * record already exists, 81058 an identical record exists), 1013 "You already have a tunnel with
 * this name" and 1022 (a tunnel with active connections cannot be deleted), both as the tunnel API
 * answers them. 1003 is not one of them: the DNS API uses it for validation errors such as
 * "Invalid or missing zone id." (cloudflared's own DNS route endpoint reuses it for a taken host, but
 * that endpoint is not called here). Any other code keeps the API's own message.
 */
const CONFLICT_CODES = new Set([1013, 1022, 81053, 81054, 81057, 81058]);
/** 7003: "Could not route to …, perhaps your object identifier is invalid?" */
const BAD_ID_CODES = new Set([7003]);

function envelopeErrors(err: APIError): EnvelopeError[] {
  const list = Array.isArray(err.errors) ? err.errors : [];
  const items = list.filter((e): e is EnvelopeError => typeof e === 'object' && e !== null);
  if (items.length > 0) return items;
  // The Access API refuses some writes with a flat `{code, error}` instead of the envelope.
  const body = err.error as { code?: unknown; error?: unknown; message?: unknown } | undefined;
  if (body && typeof body === 'object' && typeof body.code === 'number') {
    const message = typeof body.error === 'string' ? body.error : typeof body.message === 'string' ? body.message : '';
    return [{ code: body.code, message }];
  }
  return [];
}

function describeCodes(errors: EnvelopeError[]): string {
  return errors
    .map((e) => [e.code !== undefined ? `code ${e.code}` : '', e.message ?? ''].filter(Boolean).join(': '))
    .filter(Boolean)
    .join('; ');
}

function findCause<E extends Error>(err: unknown, type: new (...args: never[]) => E): E | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth++) {
    if (e instanceof type) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function causeCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Seconds a `retry-after` header asks for (a number, or an HTTP date), if any. */
export function retryAfterSeconds(headers: Headers | undefined): number | undefined {
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.round((date - Date.now()) / 1000));
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Turns anything a call threw into a `CloudflareError` with guidance. */
export function toCloudflareError(err: unknown, op: Operation, ctx: ErrorContext): CloudflareError {
  if (err instanceof CloudflareError) return err;
  const tooLarge = findCause(err, ResponseTooLargeError);
  const clean = (s: string): string => redact(s, ctx.secrets);
  const make = (kind: CloudflareErrorKind, message: string, opts: CloudflareErrorOptions = {}): CloudflareError =>
    new CloudflareError(kind, clean(message), { operation: op, cause: err, ...opts });
  const retried = ctx.maxRetries > 0 ? `; retried ${plural(ctx.maxRetries, 'time')}` : '';
  const customBase = ctx.baseURL !== ctx.defaultBaseURL;

  if (tooLarge) {
    return make(
      'invalid-response',
      `The Cloudflare API sent an answer larger than ${Math.round(tooLarge.limit / (1024 * 1024))} MB while trying to ${op.action}: ` +
        'it was not read further. ' +
        (customBase
          ? `Check the server at ${ctx.baseURL} (setting cftunnel.cloudflare.apiBaseUrl).`
          : 'Try again later; if it persists, report it with the log (Output › Cloudflare Tunnel).'),
    );
  }
  if (err instanceof APIConnectionTimeoutError) {
    const attempts = ctx.maxRetries + 1;
    return make(
      'timeout',
      `The Cloudflare API did not answer within ${Math.round(ctx.timeoutMs / 100) / 10} s while trying to ${op.action} ` +
        `(${plural(attempts, 'attempt')}). Check the network connection and try again.`,
    );
  }
  if (err instanceof APIUserAbortError) {
    return make('timeout', `The request to ${op.action} was cancelled.`);
  }
  if (err instanceof APIConnectionError) {
    const code = causeCode(err);
    let origin = ctx.baseURL;
    try {
      origin = new URL(ctx.baseURL).host;
    } catch {
      // keep the raw setting
    }
    return make(
      'offline',
      `Cannot reach the Cloudflare API at ${origin} while trying to ${op.action}${code ? ` (${code})` : ''}${retried}. ` +
        (customBase
          ? `Check that the server at ${ctx.baseURL} (setting cftunnel.cloudflare.apiBaseUrl) is running.`
          : 'Check the network connection and any proxy settings, then try again.'),
    );
  }
  if (err instanceof APIError) {
    const status = err.status ?? 0;
    const errors = envelopeErrors(err);
    const codes = errors.map((e) => e.code).filter((c): c is number => typeof c === 'number');
    const detail = describeCodes(errors);
    const httpDetail = `HTTP ${status}${detail ? `, ${detail}` : ''}`;
    const opts = { status, codes };
    const invalidToken =
      codes.some((c) => INVALID_TOKEN_CODES.has(c)) ||
      errors.some((e) => /invalid (api|access) token/i.test(e.message ?? ''));

    if (status === 401 || ((status === 403 || status === 400) && invalidToken)) {
      return make(
        'unauthorized',
        `Cloudflare did not accept the API token (${httpDetail}) while trying to ${op.action}. ` +
          'The token is invalid or expired: create a new API token in the Cloudflare dashboard (My Profile › API Tokens) and sign in again.',
        opts,
      );
    }
    if (status === 403) {
      const need = op.permission
        ? `Give the token the permission "${op.permission}" and make sure its account and zone resources include this one`
        : "Check the token's permissions and the accounts and zones it covers";
      return make(
        'forbidden',
        `The API token is not allowed to ${op.action} (${httpDetail}). ${need} (Cloudflare dashboard › My Profile › API Tokens › Edit), then try again.`,
        opts,
      );
    }
    if (status === 429) {
      const after = retryAfterSeconds(err.headers);
      // Not retried when the wrapper (a wait past its cap) or the server said so.
      const notRetried = err.headers?.get('x-should-retry') === 'false';
      const when =
        after === undefined
          ? 'in a few minutes'
          : after >= 60
            ? `in ${Math.ceil(after / 60)} min`
            : `in ${plural(after, 'second')}`;
      return make(
        'rate-limited',
        `Rate-limited by Cloudflare, try again ${when} (${httpDetail}, while trying to ${op.action}${notRetried ? '' : retried}). ` +
          'The API allows about 1,200 requests per 5 minutes per user.',
        { ...opts, retryAfterSeconds: after },
      );
    }
    if (status === 404 || codes.some((c) => BAD_ID_CODES.has(c))) {
      return make(
        'not-found',
        `Cloudflare has no ${op.subject ?? 'such object'} (${httpDetail}) while trying to ${op.action}. ` +
          'It may have been deleted, or it belongs to an account the token does not cover: refresh the view.',
        opts,
      );
    }
    if (status === 409 || codes.some((c) => CONFLICT_CODES.has(c))) {
      return make(
        'conflict',
        `Cloudflare refused to ${op.action} (${httpDetail}).${op.conflictHint ? ` ${op.conflictHint}` : ''}`,
        opts,
      );
    }
    if (status >= 500) {
      return make(
        'server',
        `The Cloudflare API failed (${httpDetail}) while trying to ${op.action}${retried}. ` +
          'Try again later; https://www.cloudflarestatus.com shows ongoing incidents.',
        opts,
      );
    }
    return make('bad-request', `Cloudflare refused to ${op.action} (${httpDetail}).`, opts);
  }
  if (err instanceof SyntaxError) {
    return make(
      'invalid-response',
      `The Cloudflare API answered with malformed JSON while trying to ${op.action}. ` +
        (customBase
          ? `Check the server at ${ctx.baseURL} (setting cftunnel.cloudflare.apiBaseUrl).`
          : 'Try again later.'),
    );
  }
  const text = err instanceof Error ? err.message : String(err);
  return make('invalid-response', `Unexpected answer from the Cloudflare API while trying to ${op.action}: ${text}`);
}
