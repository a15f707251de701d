/**
 * One cloudflared pod's `/metrics` and `/ready`, read through the API server's pod proxy
 * (`GET /api/v1/namespaces/{ns}/pods/{pod}:{port}/proxy/{path}`, ../shared/docs/field-notes-2.md
 * §2.1) — no kubectl, no port-forward. Only those two paths are ever requested: never `/debug/*`
 * (older cloudflared served its command line, `--token` included, at /debug/pprof/cmdline).
 *
 * - client-node's `connectGetNamespacedPodProxyWithPath` resolves to the body as text for `text/*`,
 *   the parsed object for JSON, and throws "No Content-Type defined" on a response without one: a
 *   response middleware supplies `text/plain` then, as Go's content sniffing would (cloudflared's
 *   `/ready` sets no Content-Type; through the API server it arrives as the sniffed
 *   `text/plain; charset=utf-8`). `connectGetNamespacedPodProxy` with `path` is not used: the API
 *   server ignores `?path=` on `…/proxy` (the URL's subpath, empty there, overrides it).
 * - `/ready` answers 503 with its JSON body while no edge connection is registered: client-node
 *   throws an ApiException for it, and it is an answer (`readyStatus: 503`), not an error. A body
 *   that is a Kubernetes `Status` is the API server's own error instead.
 * - Errors: 403 (`get` on `pods/proxy` not granted) → `forbidden`, naming the permission; 404 with a
 *   Status → `not-found` (the pod is gone); the proxy's 502/503 "error trying to reach service:
 *   dial tcp …: connect: connection refused" (nothing listens on that port of the pod IP: metrics
 *   bound to localhost inside the pod, another port, a container not running) and its 400 "address
 *   not allowed" (the pod has no IP yet) → `unreachable`; the deadline → `timeout`; the caller's
 *   signal → `aborted`; anything else → `error`, with the cluster client's message.
 * - Bounded: both requests run at once, each under `timeoutMs` (default 8 s, below cloudflared's
 *   10 s server timeouts), and are closed at the deadline or when `signal` aborts.
 */
import type { RequestContext, ResponseContext } from '@kubernetes/client-node';
import { of } from '@kubernetes/client-node/dist/gen/rxjsStub.js';
import { KubernetesError, parseStatus, toKubernetesError } from './errors';
import type { ClusterClient } from './kubeconfig';
import { abortable, withTimeout } from './paging';

export interface ScrapeTarget {
  namespace: string;
  pod: string;
  /** The metrics port: a number (a named port is not resolved by the pod proxy). */
  port: number | string;
}

export interface ScrapeOptions {
  signal?: AbortSignal;
  /** Per request, default 8000 ms. */
  timeoutMs?: number;
}

export type ScrapeErrorKind = 'forbidden' | 'not-found' | 'unreachable' | 'timeout' | 'aborted' | 'error';

export interface ScrapeResult {
  /** `/metrics` as text (Prometheus exposition format). */
  metrics?: string;
  /** `/ready`'s body: the parsed JSON, or the text when it is not JSON (see parseReady). */
  ready?: unknown;
  /** `/ready`'s HTTP status: 200, or 503 while no edge connection is registered. */
  readyStatus?: number;
  /** Why `/metrics` could not be read; `/ready` failing alone leaves `ready` unset. */
  error?: { kind: ScrapeErrorKind; message: string };
}

export const DEFAULT_SCRAPE_TIMEOUT_MS = 8000;

type Outcome = { ok: true; status: number; body: unknown } | { ok: false; error: NonNullable<ScrapeResult['error']> };

/** A response without Content-Type is text, as Go's sniffing makes it (client-node would throw on it). */
const sniffText = {
  pre: (ctx: RequestContext) => of(ctx),
  post: (res: ResponseContext) => {
    if (!res.headers['content-type']) res.headers['content-type'] = 'text/plain; charset=utf-8';
    return of(res);
  },
};

const UNREACHABLE =
  /error trying to reach service|connection refused|no route to host|dial tcp|i\/o timeout|proxy error|error dialing backend|address not allowed|unknown port/i;

export async function scrapePod(
  client: ClusterClient,
  target: ScrapeTarget,
  opts: ScrapeOptions = {},
): Promise<ScrapeResult> {
  const [metrics, ready] = await Promise.all([
    proxyGet(client, target, 'metrics', opts),
    proxyGet(client, target, 'ready', opts),
  ]);
  const out: ScrapeResult = {};
  if (ready.ok) {
    out.ready = ready.body;
    out.readyStatus = ready.status;
  }
  if (!metrics.ok) {
    out.error = metrics.error;
    return out;
  }
  if (typeof metrics.body !== 'string') {
    out.error = {
      kind: 'error',
      message: `Port ${target.port} of pod ${target.namespace}/${target.pod} answered /metrics with JSON, not the Prometheus text format: is it cloudflared's metrics port?`,
    };
    return out;
  }
  out.metrics = metrics.body;
  return out;
}

async function proxyGet(
  client: ClusterClient,
  t: ScrapeTarget,
  path: 'metrics' | 'ready',
  opts: ScrapeOptions,
): Promise<Outcome> {
  const where = `pod ${t.namespace}/${t.pod}`;
  const action = `read /${path} of ${where} (port ${t.port}) through the API server's pod proxy`;
  const controller = new AbortController();
  try {
    const body: unknown = await withTimeout(
      client.core.connectGetNamespacedPodProxyWithPath(
        { name: `${t.pod}:${t.port}`, namespace: t.namespace, path },
        abortable(controller.signal, { middleware: [sniffText], middlewareMergeStrategy: 'append' }),
      ),
      opts.timeoutMs ?? DEFAULT_SCRAPE_TIMEOUT_MS,
      action,
      opts.signal,
      controller,
    );
    return { ok: true, status: 200, body: parsed(body) };
  } catch (err) {
    return classify(err, client, t, path, action);
  }
}

/** A JSON text parsed (cloudflared's /ready arrives as text/plain); anything else as it came. */
function parsed(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  const s = body.trim();
  if (!s.startsWith('{')) return body;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return body;
  }
}

function classify(err: unknown, client: ClusterClient, t: ScrapeTarget, path: string, action: string): Outcome {
  if (err instanceof KubernetesError && (err.kind === 'timeout' || err.kind === 'aborted')) {
    return { ok: false, error: { kind: err.kind, message: err.message } };
  }
  const e = err as { code?: unknown; body?: unknown };
  const code = typeof e?.code === 'number' ? e.code : undefined;
  const where = `pod ${t.namespace}/${t.pod}`;
  if (code !== undefined) {
    const status = parseStatus(e.body);
    const fromApiServer = status?.kind === 'Status';
    const said = status?.message ? ` (${status.message})` : '';
    // The pod's own answer: /ready's 503 while no edge connection is registered is one.
    if (!fromApiServer && code !== 401) {
      if (path === 'ready' && (code === 503 || code === 200)) return { ok: true, status: code, body: parsed(e.body) };
      const text = typeof e.body === 'string' ? e.body.trim().slice(0, 200) : '';
      return {
        ok: false,
        error: {
          kind: 'error',
          message: `Port ${t.port} of ${where} answered /${path} with HTTP ${code}${text ? ` (${text})` : ''}: is it cloudflared's metrics port?`,
        },
      };
    }
    if (code === 403) {
      return {
        ok: false,
        error: {
          kind: 'forbidden',
          message: `Not allowed to read the metrics of ${where}${said}: this needs \`get\` on \`pods/proxy\` in namespace "${t.namespace}". Note that pods/proxy reaches any port of the pod, not only the metrics port, so grant it (a Role and RoleBinding in "${t.namespace}") only to those who may see every HTTP port of these pods.`,
        },
      };
    }
    if (code === 404) {
      return {
        ok: false,
        error: { kind: 'not-found', message: `${capitalize(where)} was not found${said}: it may have been replaced.` },
      };
    }
    if ((code === 502 || code === 503 || code === 400) && UNREACHABLE.test(status?.message ?? '')) {
      return {
        ok: false,
        error: {
          kind: 'unreachable',
          message:
            code === 400
              ? `The API server cannot reach ${where}${said}: it has no IP address yet (not scheduled or not started).`
              : `Nothing answers on port ${t.port} of ${where} through the API server's proxy${said}. cloudflared may bind its metrics to localhost inside the pod (unreachable from outside it), listen on another port, or not be running.`,
        },
      };
    }
  }
  const k = toKubernetesError(err, { action, server: client.server, context: client.context.name });
  return {
    ok: false,
    error: { kind: k.kind === 'timeout' ? 'timeout' : k.kind === 'aborted' ? 'aborted' : 'error', message: k.message },
  };
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
