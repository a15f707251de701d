/**
 * Keeps the Services of a cluster current: one paginated list, then a watch from the list's
 * resourceVersion (client-node's `Watch`, with bookmarks). Run it only while the view is visible
 * (`start` / `stop`).
 *
 * What client-node 1.4's informer leaves to the caller is done here:
 * - after an error (a failed list, a watch that fails or ends at once) it restarts with backoff,
 *   1 s doubling to 30 s, reset once a watch delivers events again;
 * - on 410 Gone (an ERROR event with code 410, or the HTTP status) it lists again at once;
 * - a watch the server ends normally (its timeout) is resumed from the last resourceVersion seen;
 * - with the RBAC fallback (partial list) it watches each listed namespace.
 *
 * The cache holds `ServiceSummary` objects only (a few hundred bytes each), not API objects.
 */
import { Watch } from '@kubernetes/client-node';
import { KubernetesError, toKubernetesError } from './errors';
import type { ClusterClient } from './kubeconfig';
import { listAllServices, serviceSummary } from './services';
import type { ServiceSummary } from './services';

export type ServiceWatchEvent =
  /** After each (re)list: the complete set. */
  | {
      type: 'synced';
      services: ServiceSummary[];
      partial: boolean;
      note?: string;
      reason: 'start' | 'expired' | 'retry';
    }
  | { type: 'added' | 'modified' | 'deleted'; service: ServiceSummary }
  /** A failure; the watcher retries by itself in `retryInMs`. */
  | { type: 'error'; error: KubernetesError; retryInMs: number };

export interface ServiceWatcherOptions {
  pageSize?: number;
  /** First retry delay (default 1000 ms); doubles per consecutive failure. */
  initialBackoffMs?: number;
  /** Longest retry delay (default 30000 ms). */
  maxBackoffMs?: number;
  /** A watch that ends sooner than this without any event counts as a failure (default 1000 ms). */
  minWatchMs?: number;
  /** Per list request (default 30 s). */
  timeoutMs?: number;
}

/** The delay before retry number `attempt` (1-based): initial · 2^(attempt-1), at most max. */
export function backoffDelay(attempt: number, initialMs = 1000, maxMs = 30_000): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, Math.min(30, attempt - 1)));
}

interface WatchTarget {
  path: string;
  resourceVersion?: string;
  controller?: AbortController;
  retry?: NodeJS.Timeout;
}

export type WatcherState = 'idle' | 'listing' | 'watching' | 'backoff' | 'stopped';

export class ServiceWatcher {
  private readonly listeners = new Set<(e: ServiceWatchEvent) => void>();
  private readonly cache = new Map<string, ServiceSummary>();
  private targets: WatchTarget[] = [];
  private generation = 0;
  private attempt = 0;
  private listTimer?: NodeJS.Timeout;
  private lastExpiry = 0;
  private synced = false;
  private firstSync?: { promise: Promise<void>; resolve: () => void };
  private _state: WatcherState = 'idle';
  private _partial = false;
  private _note?: string;
  /** Lists done (initial, after 410, after list errors). */
  lists = 0;
  /** Watch requests opened. */
  watches = 0;

  constructor(
    private readonly client: ClusterClient,
    private readonly opts: ServiceWatcherOptions = {},
  ) {}

  on(listener: (e: ServiceWatchEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get state(): WatcherState {
    return this._state;
  }

  get partial(): boolean {
    return this._partial;
  }

  get note(): string | undefined {
    return this._note;
  }

  get size(): number {
    return this.cache.size;
  }

  /** The cached Services (in insertion order). */
  get services(): ServiceSummary[] {
    return [...this.cache.values()];
  }

  get(namespace: string, name: string): ServiceSummary | undefined {
    return this.cache.get(`${namespace}/${name}`);
  }

  /**
   * Lists, then watches. Resolves after the first successful list (or when stopped first);
   * failures are `error` events and are retried with backoff.
   */
  start(): Promise<void> {
    if (this._state !== 'idle' && this._state !== 'stopped') return this.firstSync?.promise ?? Promise.resolve();
    this.generation++;
    this.attempt = 0;
    this.synced = false;
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    this.firstSync = { promise, resolve };
    void this.relist('start', this.generation);
    return promise;
  }

  /** Stops listing and watching (the cache is kept until the next start). */
  stop(): void {
    this.generation++;
    this._state = 'stopped';
    clearTimeout(this.listTimer);
    this.closeWatches();
    this.firstSync?.resolve();
  }

  private emit(e: ServiceWatchEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch {
        // a listener's failure is not the watcher's
      }
    }
  }

  private closeWatches(): void {
    for (const t of this.targets) {
      clearTimeout(t.retry);
      t.controller?.abort();
      t.controller = undefined;
    }
    this.targets = [];
  }

  /** Reports a failure and schedules `retry` after the backoff delay. */
  private fail(err: unknown, action: string, schedule: (delayMs: number) => void, gen: number): void {
    if (gen !== this.generation) return;
    const error = toKubernetesError(err, { action, server: this.client.server, context: this.client.context.name });
    this.attempt++;
    const delay = backoffDelay(this.attempt, this.opts.initialBackoffMs, this.opts.maxBackoffMs);
    this._state = 'backoff';
    this.emit({ type: 'error', error, retryInMs: delay });
    schedule(delay);
  }

  private async relist(reason: 'start' | 'expired' | 'retry', gen: number): Promise<void> {
    if (gen !== this.generation) return;
    this.closeWatches();
    this._state = 'listing';
    this.lists++;
    let res;
    try {
      res = await listAllServices(this.client, { pageSize: this.opts.pageSize, timeoutMs: this.opts.timeoutMs });
    } catch (err) {
      this.fail(
        err,
        'list Services',
        (delay) => {
          this.listTimer = setTimeout(() => void this.relist('retry', gen), delay);
        },
        gen,
      );
      return;
    }
    if (gen !== this.generation) return;
    this.attempt = 0;
    const fresh = new Map<string, ServiceSummary>();
    for (const s of res.services) fresh.set(`${s.namespace}/${s.name}`, s);
    if (this.synced) {
      for (const [key, old] of this.cache) if (!fresh.has(key)) this.emit({ type: 'deleted', service: old });
      for (const [key, s] of fresh) {
        const old = this.cache.get(key);
        if (!old) this.emit({ type: 'added', service: s });
        else if (old.resourceVersion !== s.resourceVersion) this.emit({ type: 'modified', service: s });
      }
    }
    this.cache.clear();
    for (const [k, v] of fresh) this.cache.set(k, v);
    this._partial = res.partial;
    this._note = res.note;
    this.synced = true;
    this.emit({ type: 'synced', services: res.services, partial: res.partial, note: res.note, reason });
    this.firstSync?.resolve();
    this.targets = res.partial
      ? (res.namespaces ?? []).map((ns) => ({
          path: `/api/v1/namespaces/${encodeURIComponent(ns)}/services`,
          resourceVersion: res.namespaceVersions?.[ns],
        }))
      : [{ path: '/api/v1/services', resourceVersion: res.resourceVersion }];
    this._state = 'watching';
    for (const t of this.targets) void this.watch(t, gen);
  }

  private async watch(t: WatchTarget, gen: number): Promise<void> {
    if (gen !== this.generation || !this.targets.includes(t)) return;
    const started = Date.now();
    let events = 0;
    let expired = false;
    let serverError: { code?: number; message?: string; reason?: string } | undefined;
    let ended = false;
    this.watches++;
    const onEvent = (type: string, obj: unknown): void => {
      if (gen !== this.generation) return;
      const o = obj as {
        code?: number;
        message?: string;
        reason?: string;
        metadata?: { resourceVersion?: string; name?: string; namespace?: string };
      };
      if (type === 'ERROR') {
        if (o.code === 410) expired = true;
        else serverError = o;
        return;
      }
      events++;
      this.attempt = 0;
      this._state = 'watching';
      if (o.metadata?.resourceVersion) t.resourceVersion = o.metadata.resourceVersion;
      if (type === 'BOOKMARK') return;
      const s = serviceSummary(obj);
      const key = `${s.namespace}/${s.name}`;
      if (type === 'DELETED') {
        const old = this.cache.get(key);
        if (old) {
          this.cache.delete(key);
          this.emit({ type: 'deleted', service: s });
        }
      } else if (type === 'ADDED' || type === 'MODIFIED') {
        const old = this.cache.get(key);
        if (old && old.resourceVersion === s.resourceVersion) return;
        this.cache.set(key, s);
        this.emit({ type: old ? 'modified' : 'added', service: s });
      }
    };
    const onDone = (err: unknown): void => {
      ended = true;
      if (gen !== this.generation || !this.targets.includes(t)) return;
      t.controller = undefined;
      const status = (err as { statusCode?: number } | null)?.statusCode;
      if (expired || status === 410) {
        // The resourceVersion is too old: list again, now (unless that keeps happening at once).
        const now = Date.now();
        const flapping = now - this.lastExpiry < (this.opts.minWatchMs ?? 1000);
        this.lastExpiry = now;
        if (!flapping) void this.relist('expired', gen);
        else {
          this.fail(
            new KubernetesError('expired', 'The cluster keeps answering 410 Gone to the Services watch.', {
              status: 410,
            }),
            'watch Services',
            (delay) => {
              this.listTimer = setTimeout(() => void this.relist('expired', gen), delay);
            },
            gen,
          );
        }
        return;
      }
      if (serverError) {
        const e = serverError;
        serverError = undefined;
        this.fail(
          { code: e.code ?? 500, body: JSON.stringify({ kind: 'Status', ...e }) },
          'watch Services',
          (delay) => {
            t.retry = setTimeout(() => void this.watch(t, gen), delay);
          },
          gen,
        );
        return;
      }
      if (err) {
        this.fail(
          err,
          'watch Services',
          (delay) => {
            t.retry = setTimeout(() => void this.watch(t, gen), delay);
          },
          gen,
        );
        return;
      }
      if (events === 0 && Date.now() - started < (this.opts.minWatchMs ?? 1000)) {
        // Ended at once without a word: treat as a failure so a flapping server is not hammered.
        this.fail(
          new KubernetesError('server', 'The cluster ended the Services watch at once.'),
          'watch Services',
          (delay) => {
            t.retry = setTimeout(() => void this.watch(t, gen), delay);
          },
          gen,
        );
        return;
      }
      // The server closed the watch (its timeout): resume from the last resourceVersion.
      void this.watch(t, gen);
    };
    try {
      const params: Record<string, string | boolean> = { allowWatchBookmarks: true };
      if (t.resourceVersion) params.resourceVersion = t.resourceVersion;
      const controller = await new Watch(this.client.kc).watch(t.path, params, onEvent, onDone);
      if (gen !== this.generation || !this.targets.includes(t)) controller.abort();
      else if (!ended) {
        t.controller = controller;
        this._state = 'watching';
      }
    } catch (err) {
      onDone(err);
    }
  }
}
