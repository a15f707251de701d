/**
 * Errors of the cluster client: every failure becomes one `KubernetesError` whose `kind` says what
 * went wrong and whose `message` says what to do. The API server's own `Status.message` is kept
 * verbatim (users search for it): `@kubernetes/client-node` 1.x puts the raw response text in
 * `ApiException.body`, so it is parsed here.
 */

export type KubernetesErrorKind =
  /** No usable kubeconfig, no such context, a cluster entry the client cannot use. */
  | 'config'
  /** Refused because the workspace is not trusted (exec credential plugins). */
  | 'untrusted'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  /** 410 Gone: a resourceVersion or continue token too old; relist. */
  | 'expired'
  | 'bad-request'
  | 'server'
  | 'offline'
  | 'timeout'
  | 'aborted';

export interface KubernetesErrorOptions {
  status?: number;
  /** `Status.reason` (NotFound, Forbidden, Expired, …). */
  reason?: string;
  /** `Status.message` as the API server wrote it. */
  serverMessage?: string;
  cause?: unknown;
}

/** Marks a `KubernetesError` whichever copy of this module made it (see `Symbol.hasInstance` below). */
const KUBERNETES_ERROR: unique symbol = Symbol.for('cftunnel.KubernetesError') as never;

export class KubernetesError extends Error {
  /**
   * `instanceof` by brand, not by prototype: this module is bundled twice, into dist/extension.js
   * (Restricted Mode errors, the error report) and into the lazily loaded dist/kubernetes.js (the
   * client's errors), and an error thrown by one copy must still be a `KubernetesError` to the other.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && KUBERNETES_ERROR in value;
  }

  readonly [KUBERNETES_ERROR] = true;
  readonly kind: KubernetesErrorKind;
  readonly status?: number;
  readonly reason?: string;
  readonly serverMessage?: string;

  constructor(kind: KubernetesErrorKind, message: string, opts: KubernetesErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'KubernetesError';
    this.kind = kind;
    this.status = opts.status;
    this.reason = opts.reason;
    this.serverMessage = opts.serverMessage;
  }

  /** Worth retrying (with backoff). */
  get transient(): boolean {
    return this.kind === 'server' || this.kind === 'offline' || this.kind === 'timeout';
  }
}

export interface StatusBody {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { retryAfterSeconds?: number; [k: string]: unknown };
}

/** A `Status` object from a response body (a JSON string or an already parsed object). */
export function parseStatus(body: unknown): StatusBody | undefined {
  let v: unknown = body;
  if (typeof body === 'string') {
    try {
      v = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const s = v as StatusBody;
  return s.kind === 'Status' || typeof s.message === 'string' ? s : undefined;
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name does not resolve (DNS unavailable)',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  EPIPE: 'the connection was closed',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate chain is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate cannot be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: "its TLS certificate does not match the server's name",
};

/** What the failing call was doing, e.g. `list Services in all namespaces`; and where. */
export interface Operation {
  action: string;
  /** Cluster URL, for network errors. */
  server?: string;
  /** Context name, for advice. */
  context?: string;
}

/**
 * Any error of a client-node call (ApiException with the raw body, a `{statusCode}` error from
 * Watch, a node-fetch FetchError, an AbortError) → KubernetesError.
 */
export function toKubernetesError(err: unknown, op: Operation): KubernetesError {
  if (err instanceof KubernetesError) return err;
  const e = err as {
    code?: unknown;
    statusCode?: unknown;
    body?: unknown;
    name?: string;
    type?: string;
    message?: string;
    errno?: unknown;
  };
  const status = typeof e?.code === 'number' ? e.code : typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  const where = op.server ? ` at ${op.server}` : '';
  const ctx = op.context ? ` "${op.context}"` : '';
  if (status !== undefined) {
    const st = parseStatus(e.body);
    const serverMessage = st?.message;
    const reason = st?.reason;
    const said = serverMessage ? `: ${serverMessage}` : '';
    const opts: KubernetesErrorOptions = { status, reason, serverMessage, cause: err };
    switch (status) {
      case 401:
        return new KubernetesError(
          'unauthorized',
          `The cluster${where} rejected the credentials of context${ctx} (401 Unauthorized) while trying to ${op.action}. Log in again or refresh the credentials in the kubeconfig.`,
          opts,
        );
      case 403:
        return new KubernetesError(
          'forbidden',
          `Not allowed to ${op.action}${said || ' (403 Forbidden)'}. Ask a cluster administrator for RBAC permission, or switch to a context that has it.`,
          opts,
        );
      case 404:
        return new KubernetesError('not-found', `Cannot ${op.action}${said || ': not found (404)'}.`, opts);
      case 410:
        return new KubernetesError(
          'expired',
          `Cannot ${op.action}${said || ': the resource version is too old (410 Gone)'}; list again.`,
          opts,
        );
      case 400:
      case 422:
        return new KubernetesError('bad-request', `Cannot ${op.action}${said || ` (${status})`}.`, opts);
      case 408:
      case 504:
        return new KubernetesError(
          'timeout',
          `The cluster${where} timed out while trying to ${op.action}${said}. Try again.`,
          opts,
        );
      default:
        if (status >= 500 || status === 429)
          return new KubernetesError(
            'server',
            `The cluster${where} failed to ${op.action} (${status}${reason ? ` ${reason}` : ''})${said}. Retrying later may help.`,
            opts,
          );
        return new KubernetesError('bad-request', `Cannot ${op.action} (${status})${said}.`, opts);
    }
  }
  if (e?.name === 'AbortError' || e?.type === 'aborted')
    return new KubernetesError('aborted', `Stopped: ${op.action}.`, { cause: err });
  const code = typeof e?.code === 'string' ? e.code : typeof e?.errno === 'string' ? e.errno : undefined;
  const message = e?.message ?? String(err);
  if (code === 'ETIMEDOUT' || e?.type === 'request-timeout' || /timed? ?out/i.test(message)) {
    return new KubernetesError(
      'timeout',
      `The cluster${where} did not answer in time while trying to ${op.action}. Is it reachable from here (VPN, proxy)?`,
      { cause: err },
    );
  }
  if (code && NETWORK_CODES[code]) {
    return new KubernetesError(
      'offline',
      `Cannot reach the cluster${where} of context${ctx}: ${NETWORK_CODES[code]} (${code}). Is the cluster running and reachable from here (VPN, proxy), and is this the right context?`,
      { cause: err },
    );
  }
  if (/HTTP protocol is not allowed/.test(message)) {
    return new KubernetesError(
      'config',
      `The cluster${where} uses plain HTTP; the Kubernetes client refuses it unless the kubeconfig sets insecure-skip-tls-verify: true for that cluster.`,
      { cause: err },
    );
  }
  if (/ENOENT|no such file/i.test(message)) {
    return new KubernetesError('config', `A file named in the kubeconfig of context${ctx} cannot be read: ${message}`, {
      cause: err,
    });
  }
  return new KubernetesError('offline', `Cannot ${op.action}${where}: ${message}`, { cause: err });
}
