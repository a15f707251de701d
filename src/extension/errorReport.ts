/**
 * What a failed command tells the user (vscode-free: the decisions are unit-tested in
 * test/unit/extension/errorReport.test.ts; src/extension/commandRegistry.ts shows them):
 *
 * 1. Restricted Mode (a `SessionError` or `KubernetesError` of kind `untrusted`): a warning with
 *    "Manage Workspace Trust".
 * 2. Not signed in (`SessionError` `signed-out`) or a token Cloudflare refuses (`CloudflareError`
 *    `unauthorized`): "Sign In".
 * 3. Worth trying again (network, timeout, 5xx, 429: `CloudflareError.transient`,
 *    `KubernetesError.transient`, kubectl's time limit): "Retry", which runs the same command with
 *    the same arguments.
 * 4. Anything else: the error's own message: a `CloudflareError`'s or `KubernetesError`'s guidance
 *    (src/cloudflare/errors.ts, src/kubernetes/errors.ts) as it is, other errors prefixed with
 *    "Cloudflare Tunnel: ".
 *
 * Every failure also gets one line for the output channel. Neither text carries a secret: the
 * secrets the caller knows (the API token) and anything shaped like a run token, a bearer token or
 * a tunnel secret are replaced with `***`.
 */
import { CloudflareError, redact } from '../cloudflare/errors';
import { KubernetesError } from '../kubernetes/errors';
import { KubectlTimeout } from '../node/kubectl';
import { SessionError } from './cloudflare/sessionError';

export const ERROR_ACTIONS = {
  manageTrust: 'Manage Workspace Trust',
  signIn: 'Sign In',
  retry: 'Retry',
} as const;

export type ErrorAction = (typeof ERROR_ACTIONS)[keyof typeof ERROR_ACTIONS];

export interface ErrorReport {
  /** `warning` for what the user can settle (trust, sign in); `error` for failures. */
  severity: 'warning' | 'error';
  message: string;
  /** The notification's buttons, in order. */
  actions: ErrorAction[];
  /** One line for the output channel. */
  log: string;
}

export interface ErrorReportOptions {
  /** The command that failed (named in the log line). */
  command: string;
  /** Texts never shown or logged (the API token). */
  secrets?: readonly string[];
}

const PREFIX = 'Cloudflare Tunnel: ';

/** Shapes of secrets that may sit in a message without the caller knowing them, and what replaces them. */
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  // A tunnel run token (base64 of {"a":…,"t":…,"s":…}) or any JWT.
  [/\beyJ[A-Za-z0-9+/_=-]{16,}(?:\.[A-Za-z0-9_=-]+){0,2}/g, '***'],
  [/\b(Bearer\s+)[^\s"',;]+/gi, '$1***'],
  [/\b((?:TunnelSecret|TUNNEL_TOKEN)"?\s*[:=]\s*"?)[^\s"',}]+/g, '$1***'],
];

/** `text` without the given secrets and without anything shaped like one. */
export function scrub(text: string, secrets: readonly string[] = []): string {
  let out = redact(text, secrets);
  for (const [re, replacement] of SECRET_PATTERNS) out = out.replace(re, replacement);
  return out;
}

/** The user cancelled (a Cloudflare call's `cancelled`, a cluster request's `aborted`): not a failure to show. */
export function isCancellation(err: unknown): boolean {
  return (
    (err instanceof CloudflareError && err.kind === 'cancelled') ||
    (err instanceof KubernetesError && err.kind === 'aborted')
  );
}

function isUntrusted(err: unknown): boolean {
  return (err instanceof SessionError || err instanceof KubernetesError) && err.kind === 'untrusted';
}

function isSignedOut(err: unknown): boolean {
  return (
    (err instanceof SessionError && err.kind === 'signed-out') ||
    (err instanceof CloudflareError && err.kind === 'unauthorized')
  );
}

function isRetryable(err: unknown): boolean {
  return (
    ((err instanceof CloudflareError || err instanceof KubernetesError) && err.transient) ||
    err instanceof KubectlTimeout
  );
}

/** The error's own words: the API wrappers' and the session's messages are complete sentences for the user. */
function messageOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  if (err instanceof CloudflareError || err instanceof KubernetesError || err instanceof SessionError) return text;
  return text.startsWith(PREFIX) ? text : `${PREFIX}${text}`;
}

/** `CloudflareError (rate-limited, 429)`: what the log line says the error was. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return typeof err;
  const details: string[] = [];
  if (err instanceof CloudflareError || err instanceof KubernetesError || err instanceof SessionError)
    details.push(err.kind);
  if ((err instanceof CloudflareError || err instanceof KubernetesError) && err.status !== undefined)
    details.push(String(err.status));
  return details.length ? `${err.name} (${details.join(', ')})` : err.name;
}

/** What to show, and to log, for a command that threw `err`. */
export function errorReport(err: unknown, { command, secrets = [] }: ErrorReportOptions): ErrorReport {
  const message = scrub(messageOf(err), secrets);
  const log = `${command} failed: ${describe(err)}: ${scrub(err instanceof Error ? err.message : String(err), secrets)}`;
  if (isUntrusted(err)) return { severity: 'warning', message, actions: [ERROR_ACTIONS.manageTrust], log };
  if (isSignedOut(err))
    return {
      severity: err instanceof SessionError ? 'warning' : 'error',
      message,
      actions: [ERROR_ACTIONS.signIn],
      log,
    };
  if (isRetryable(err)) return { severity: 'error', message, actions: [ERROR_ACTIONS.retry], log };
  return { severity: 'error', message, actions: [], log };
}
