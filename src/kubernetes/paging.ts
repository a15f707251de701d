/**
 * Paginated lists (`limit`/`_continue`, a 410 on continuation restarts with one full list, as
 * client-go's pager), per-request timeouts, and the RBAC fallback: when an all-namespaces list is
 * forbidden, the namespaces the user can list, one namespaced list each.
 */
import type { ConfigurationOptions, RequestContext, ResponseContext } from '@kubernetes/client-node';
// The Observable stub the generated client's middleware returns (as client-node's own setHeaderMiddleware does).
import { of } from '@kubernetes/client-node/dist/gen/rxjsStub.js';
import { KubernetesError, toKubernetesError } from './errors';
import type { ClusterClient } from './kubeconfig';
import { mapLimit } from '../core/async';

export interface ListOptions {
  /** Items per page (`limit`), default 500 as kubectl. */
  pageSize?: number;
  /** Per request, default 30 s. */
  timeoutMs?: number;
  /** Namespaced lists at once in the RBAC fallback, default 8. */
  concurrency?: number;
  signal?: AbortSignal;
}

export interface Page<T> {
  items: T[];
  metadata?: { _continue?: string; resourceVersion?: string };
}

/**
 * Per-request options for client-node that abort the HTTP request when `signal` does (so a request
 * given up on at its deadline or by the user is closed, not left open), plus `extra`'s middleware.
 */
export function abortable(signal: AbortSignal, extra?: ConfigurationOptions): ConfigurationOptions {
  const middleware = {
    pre: (ctx: RequestContext) => {
      ctx.setSignal(signal);
      return of(ctx);
    },
    post: (res: ResponseContext) => of(res),
  };
  return { ...extra, middleware: [...(extra?.middleware ?? []), middleware], middlewareMergeStrategy: 'append' };
}

/**
 * `promise`, or a KubernetesError at the deadline (`timeout`) or when `signal` aborts (`aborted`);
 * either way `controller` (whose signal the request was given through `abortable`) is aborted too.
 */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
  signal?: AbortSignal,
  controller?: AbortController,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    promise.catch(() => undefined);
    if (signal?.aborted) {
      controller?.abort();
      reject(new KubernetesError('aborted', `Stopped: ${what}.`));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      controller?.abort();
      reject(new KubernetesError('aborted', `Stopped: ${what}.`));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      controller?.abort();
      reject(
        new KubernetesError(
          'timeout',
          `The cluster did not answer within ${Math.round(ms / 1000)} s while trying to ${what}. Is it reachable from here (VPN, proxy)?`,
        ),
      );
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * All pages of a list (`limit`, `_continue`). A continue token that expired (410) restarts with
 * one unpaginated list, as client-go's pager does.
 */
export async function listPaged<T>(
  client: ClusterClient,
  action: string,
  fetch: (limit: number | undefined, cont: string | undefined, options: ConfigurationOptions) => Promise<Page<T>>,
  opts: ListOptions,
  counter: { requests: number },
): Promise<{ items: T[]; resourceVersion?: string }> {
  const pageSize = opts.pageSize ?? 500;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const op = { action, server: client.server, context: client.context.name };
  const call = async (limit: number | undefined, cont: string | undefined): Promise<Page<T>> => {
    counter.requests++;
    try {
      const controller = new AbortController();
      return await withTimeout(
        fetch(limit, cont, abortable(controller.signal)),
        timeoutMs,
        action,
        opts.signal,
        controller,
      );
    } catch (err) {
      throw toKubernetesError(err, op);
    }
  };
  const items: T[] = [];
  let cont: string | undefined;
  let resourceVersion: string | undefined;
  // Bounded: a page never comes back empty-handed with the same token forever.
  for (let pages = 0; pages < 1_000_000; pages++) {
    let page: Page<T>;
    try {
      page = await call(pageSize > 0 ? pageSize : undefined, cont);
    } catch (err) {
      if (err instanceof KubernetesError && err.kind === 'expired' && cont) {
        const full = await call(undefined, undefined);
        return { items: full.items, resourceVersion: full.metadata?.resourceVersion };
      }
      throw err;
    }
    if (pages === 0) resourceVersion = page.metadata?.resourceVersion;
    for (const item of page.items) items.push(item);
    const next = page.metadata?._continue;
    if (!next || next === cont) break;
    cont = next;
  }
  return { items, resourceVersion };
}

/** The namespaces the user can see: all (if listable), else the context's namespace. */
async function visibleNamespaces(
  client: ClusterClient,
  opts: ListOptions,
  counter: { requests: number },
): Promise<{ namespaces: string[]; note?: string }> {
  try {
    const res = await listPaged(
      client,
      'list namespaces',
      (limit, cont) => client.core.listNamespace({ limit, _continue: cont }),
      opts,
      counter,
    );
    return {
      namespaces: res.items
        .map((n) => n.metadata?.name ?? '')
        .filter(Boolean)
        .sort(),
    };
  } catch (err) {
    if (err instanceof KubernetesError && err.kind === 'forbidden') {
      return {
        namespaces: [client.namespace],
        note: `Namespaces cannot be listed either, so only the context's namespace "${client.namespace}" is shown.`,
      };
    }
    throw err;
  }
}

export interface AcrossResult<T> {
  items: T[];
  resourceVersion?: string;
  partial: boolean;
  note?: string;
  namespaces?: string[];
  namespaceVersions?: Record<string, string>;
  forbiddenNamespaces?: string[];
}

/**
 * One all-namespaces list; on 403 at the cluster scope, per-namespace lists of the namespaces
 * where listing is allowed (from `namespaces` when given, else all visible namespaces).
 */
export async function listAcross<T>(
  client: ClusterClient,
  what: string,
  all: (limit: number | undefined, cont: string | undefined, options: ConfigurationOptions) => Promise<Page<T>>,
  namespaced: (
    ns: string,
    limit: number | undefined,
    cont: string | undefined,
    options: ConfigurationOptions,
  ) => Promise<Page<T>>,
  opts: ListOptions & { namespaces?: string[] },
  counter: { requests: number },
): Promise<AcrossResult<T>> {
  let clusterError: KubernetesError;
  try {
    const res = await listPaged(client, `list ${what} in all namespaces`, all, opts, counter);
    return { items: res.items, resourceVersion: res.resourceVersion, partial: false };
  } catch (err) {
    if (!(err instanceof KubernetesError) || err.kind !== 'forbidden') throw err;
    clusterError = err;
  }
  const visible = opts.namespaces ? { namespaces: opts.namespaces } : await visibleNamespaces(client, opts, counter);
  const results = await mapLimit(visible.namespaces, opts.concurrency ?? 8, async (ns) => {
    try {
      return {
        ns,
        res: await listPaged(
          client,
          `list ${what} in namespace "${ns}"`,
          (limit, cont, options) => namespaced(ns, limit, cont, options),
          opts,
          counter,
        ),
      };
    } catch (err) {
      if (err instanceof KubernetesError && (err.kind === 'forbidden' || err.kind === 'not-found'))
        return { ns, res: undefined };
      throw err;
    }
  });
  const allowed = results.filter((r) => r.res).map((r) => r.ns);
  const forbidden = results.filter((r) => !r.res).map((r) => r.ns);
  const why = clusterError.serverMessage ? ` (${clusterError.serverMessage})` : '';
  if (allowed.length === 0) {
    throw new KubernetesError(
      'forbidden',
      `Not allowed to list ${what} in any namespace: all namespaces are forbidden${why}, and so ${visible.namespaces.length === 1 ? `is namespace "${visible.namespaces[0]}"` : `are each of the ${visible.namespaces.length} namespaces`}. Ask a cluster administrator for RBAC permission, or switch to a context that has it.`,
      {
        status: 403,
        reason: 'Forbidden',
        serverMessage: clusterError.serverMessage,
      },
    );
  }
  const namespaceVersions: Record<string, string> = {};
  const items: T[] = [];
  for (const r of results) {
    if (!r.res) continue;
    if (r.res.resourceVersion) namespaceVersions[r.ns] = r.res.resourceVersion;
    for (const item of r.res.items) items.push(item);
  }
  const shown =
    allowed.length === 1 ? `namespace "${allowed[0]}"` : `the ${allowed.length} namespaces where that is allowed`;
  const skipped = forbidden.length
    ? ` (${forbidden.length} namespace${forbidden.length === 1 ? '' : 's'} forbidden too)`
    : '';
  const note = `Listing ${what} across all namespaces is forbidden${why}; showing ${what} of ${shown}${skipped}.${visible.note ? ` ${visible.note}` : ''}`;
  return { items, partial: true, note, namespaces: allowed, namespaceVersions, forbiddenNamespaces: forbidden };
}
