/**
 * The cluster side of the Services view, over `@kubernetes/client-node` 1.4 (no editor; kubeconfig
 * files are read in `node.ts`, the certificate and key files they name by client-node itself):
 *
 * - `listAllServices`: every Service from one paginated all-namespaces list (`limit`/`_continue`,
 *   one consistent resourceVersion); when RBAC forbids that, the namespaces the user can list,
 *   one namespaced list each, with `partial` and a note that says so;
 * - `listCloudflaredDeployments`: Deployments that run cloudflared (its image, or `tunnel` args),
 *   with ready/desired replicas, the image version, what locates its metrics server (command,
 *   literal env, probes, ports) and their pods' readiness, uid and restarts;
 * - `scrapePod` (podProxy.ts): one pod's `/metrics` and `/ready` through the API server's pod proxy;
 * - `streamPodLogs`: a pod's log, line by line, until aborted or the pod goes away;
 * - `readDeployment`, `listDeploymentNames`, `readService`, `listPodsSelectedBy`: single reads for
 *   the scaffold wizard (does the Deployment it would write exist, what is the origin's Service);
 * - `listServiceObjects`, `listPodObjects`, `labelService`: whole objects for "Add NetworkPolicy"
 *   (selectors, labels, container ports) and the merge patch of "Mark Service as Public";
 * - `ServiceWatcher` (watcher.ts) keeps the list current;
 * - `listRoutingObjects` (routing.ts): Ingresses, IngressClasses and, where their CRDs are
 *   installed, Gateway API objects and Traefik IngressRoutes, as plain JSON, by discovery.
 *
 * Results are small plain summaries (what the tree shows), not the API objects, except where a
 * caller needs the objects themselves (the wizard's reads, the NetworkPolicy's lists). Every
 * request has a deadline (pod logs: for the answer to start) and every failure is a
 * KubernetesError (errors.ts).
 *
 * This file is the entry of its own bundle, dist/kubernetes.js (esbuild.mjs), with everything it
 * re-exports (`readConfigMapValue` from configMaps.ts too): the extension loads it on first use
 * through src/extension/kubernetes/lazy.ts, never at activation.
 */
import http from 'node:http';
import https from 'node:https';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { V1Deployment, V1Pod, V1Service } from '@kubernetes/client-node';
import { KubernetesError, toKubernetesError } from './errors';
import type { ClusterClient } from './kubeconfig';
import { mapLimit } from '../core/async';
import { LineSplitter } from '../core/logLines';
import { abortable, listAcross, listPaged, withTimeout } from './paging';
import type { AcrossResult, ListOptions } from './paging';

export * from './configMaps';
export * from './errors';
export * from './kubeconfig';
export * from './podProxy';
export type { ListOptions } from './paging';
export * from './routing';
export * from './services';
export * from './watcher';

// ── cloudflared Deployments ─────────────────────────────────────────────────────────────────

export interface PodSummary {
  name: string;
  /** metadata.uid: a replaced pod (same name from a StatefulSet, or a new one) has a new one. */
  uid?: string;
  phase: string;
  /** The pod's Ready condition. */
  ready: boolean;
  readyContainers: number;
  containers: number;
  restarts: number;
  /** A container's waiting/terminated reason (CrashLoopBackOff, ImagePullBackOff, …). */
  reason?: string;
  node?: string;
}

export interface CloudflaredDeployment {
  namespace: string;
  name: string;
  desired: number;
  ready: number;
  updated: number;
  available: number;
  /** The cloudflared container. */
  container: string;
  image: string;
  /** The image tag (`2026.8.2`), a short digest, or `latest`. */
  version: string;
  args: string[];
  /** The container's command (cloudflared reads command and args as one argv). */
  command?: string[];
  /** Env vars; `value` only when literal (not for `valueFrom`). */
  env?: Array<{ name: string; value?: string }>;
  /** httpGet probes (liveness, readiness, startup): where the kubelet checks the metrics server. */
  probes?: Array<{ kind: 'livenessProbe' | 'readinessProbe' | 'startupProbe'; path?: string; port?: number | string }>;
  /** The container's ports. */
  ports?: Array<{ name?: string; containerPort: number; protocol?: string }>;
  /** How the tunnel is chosen: a token (flag or TUNNEL_TOKEN), a config file, a tunnel named in args. */
  mode: 'token' | 'config' | 'named' | 'unknown';
  /** The tunnel name or UUID after `run`, when given. */
  tunnelRef?: string;
  /** `--config` path, and the ConfigMap mounted there (if one is). */
  configPath?: string;
  configMap?: { name: string; key?: string };
  pods: PodSummary[];
  /** Why pods are missing (e.g. listing pods is forbidden). */
  podsError?: string;
}

export interface CloudflaredResult {
  deployments: CloudflaredDeployment[];
  partial: boolean;
  note?: string;
  requests: number;
}

interface ContainerLike {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: unknown }>;
  volumeMounts?: Array<{ name: string; mountPath: string; subPath?: string }>;
  ports?: Array<{ name?: string; containerPort: number; protocol?: string }>;
  livenessProbe?: ProbeLike;
  readinessProbe?: ProbeLike;
  startupProbe?: ProbeLike;
}

interface ProbeLike {
  httpGet?: { path?: string; port?: number | string };
}

/** What `metricsAddressOf` (core/metrics/port.ts) needs of the container: command, literal env, probes, ports. */
function metricsInputs(c: ContainerLike): Pick<CloudflaredDeployment, 'command' | 'env' | 'probes' | 'ports'> {
  const out: Pick<CloudflaredDeployment, 'command' | 'env' | 'probes' | 'ports'> = {};
  if (c.command?.length) out.command = [...c.command];
  if (c.env?.length)
    out.env = c.env.map((e) => (e.value !== undefined ? { name: e.name, value: e.value } : { name: e.name }));
  const probes: NonNullable<CloudflaredDeployment['probes']> = [];
  for (const kind of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    const get = c[kind]?.httpGet;
    if (!get) continue;
    const p: (typeof probes)[number] = { kind };
    if (get.path !== undefined) p.path = get.path;
    if (get.port !== undefined) p.port = get.port;
    probes.push(p);
  }
  if (probes.length) out.probes = probes;
  if (c.ports?.length)
    out.ports = c.ports.map((p) => ({
      containerPort: p.containerPort,
      ...(p.name ? { name: p.name } : {}),
      ...(p.protocol ? { protocol: p.protocol } : {}),
    }));
  return out;
}

/** The repository part of an image reference, without registry port, tag or digest. */
function imageRepository(image: string): string {
  const noDigest = image.split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** `2026.8.2` from `cloudflare/cloudflared:2026.8.2`; `sha256:0123abcd…` for a digest; else `latest`. */
export function imageVersion(image: string): string {
  const [ref, digest] = image.split('@');
  const slash = ref!.lastIndexOf('/');
  const colon = ref!.lastIndexOf(':');
  if (colon > slash) return ref!.slice(colon + 1);
  if (digest) return digest.length > 19 ? `${digest.slice(0, 19)}…` : digest;
  return 'latest';
}

export function isCloudflaredContainer(c: ContainerLike): boolean {
  const repo = imageRepository(c.image ?? '');
  if (repo.split('/').pop() === 'cloudflared') return true;
  const argv = [...(c.command ?? []), ...(c.args ?? [])];
  if ((c.args ?? [])[0] === 'tunnel') return true;
  return argv.length > 1 && argv[0]!.split('/').pop() === 'cloudflared' && argv.includes('tunnel');
}

function tunnelInfo(
  c: ContainerLike,
  volumes: Array<{ name: string; configMap?: { name?: string; items?: Array<{ key: string; path: string }> } }>,
): Pick<CloudflaredDeployment, 'mode' | 'tunnelRef' | 'configPath' | 'configMap'> {
  const argv = [...(c.command ?? []), ...(c.args ?? [])];
  const flag = (name: string): string | undefined => {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === `--${name}` || a === `-${name}`) return argv[i + 1];
      if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
    }
    return undefined;
  };
  const env = (name: string): boolean => (c.env ?? []).some((e) => e.name === name);
  const out: Pick<CloudflaredDeployment, 'mode' | 'tunnelRef' | 'configPath' | 'configMap'> = { mode: 'unknown' };
  const run = argv.indexOf('run');
  if (run >= 0) {
    // `tunnel [flags] run [flags] NAME`: the last argument after `run` that is not a flag or its value.
    const valued = new Set([
      '--token',
      '--token-file',
      '--credentials-file',
      '--cred-file',
      '--config',
      '--url',
      '--protocol',
      '--loglevel',
      '--metrics',
      '--edge-ip-version',
      '--origincert',
      '--region',
      '--pidfile',
      '--logfile',
      '--tag',
      '--label',
    ]);
    for (let i = run + 1; i < argv.length; i++) {
      const a = argv[i]!;
      if (a.startsWith('-')) {
        if (!a.includes('=') && valued.has(a)) i++;
        continue;
      }
      out.tunnelRef = a;
    }
  }
  const config = flag('config');
  if (flag('token') !== undefined || flag('token-file') !== undefined || env('TUNNEL_TOKEN')) out.mode = 'token';
  else if (config) out.mode = 'config';
  else if (out.tunnelRef) out.mode = 'named';
  if (config) {
    out.configPath = config;
    const mount = (c.volumeMounts ?? [])
      .filter(
        (m) => config === m.mountPath || config.startsWith(m.mountPath.endsWith('/') ? m.mountPath : `${m.mountPath}/`),
      )
      .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
    const vol = mount ? volumes.find((v) => v.name === mount.name) : undefined;
    if (mount && vol?.configMap?.name) {
      const rel = mount.subPath ? mount.subPath : config.slice(mount.mountPath.replace(/\/$/, '').length + 1);
      const item = vol.configMap.items?.find((it) => it.path === rel);
      out.configMap = { name: vol.configMap.name, key: item ? item.key : (mount.subPath ?? (rel || undefined)) };
    }
  }
  return out;
}

export function podSummary(pod: V1Pod): PodSummary {
  const st = pod.status ?? {};
  const cs = st.containerStatuses ?? [];
  const ready = (st.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  const out: PodSummary = {
    name: pod.metadata?.name ?? '',
    ...(pod.metadata?.uid ? { uid: pod.metadata.uid } : {}),
    phase: st.phase ?? 'Unknown',
    ready,
    readyContainers: cs.filter((c) => c.ready).length,
    containers: pod.spec?.containers?.length ?? cs.length,
    restarts: cs.reduce((n, c) => n + (c.restartCount ?? 0), 0),
  };
  const reason = cs.map((c) => c.state?.waiting?.reason ?? c.state?.terminated?.reason).find(Boolean);
  if (reason) out.reason = reason;
  if (pod.metadata?.deletionTimestamp) out.reason = 'Terminating';
  if (pod.spec?.nodeName) out.node = pod.spec.nodeName;
  return out;
}

function labelSelector(d: V1Deployment): string | undefined {
  const ml = d.spec?.selector?.matchLabels;
  const parts = Object.entries(ml ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of d.spec?.selector?.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.length ? parts.join(',') : undefined;
}

/**
 * Deployments running cloudflared, with their pods. `namespaces` limits the per-namespace
 * fallback when the all-namespaces list is forbidden (e.g. the namespaces where Services could be
 * listed).
 */
export async function listCloudflaredDeployments(
  client: ClusterClient,
  opts: ListOptions & { namespaces?: string[] } = {},
): Promise<CloudflaredResult> {
  const counter = { requests: 0 };
  const res = await listAcross(
    client,
    'Deployments',
    (limit, cont) => client.apps.listDeploymentForAllNamespaces({ limit, _continue: cont }),
    (namespace, limit, cont) => client.apps.listNamespacedDeployment({ namespace, limit, _continue: cont }),
    opts,
    counter,
  );
  const found: Array<{ d: V1Deployment; c: ContainerLike }> = [];
  for (const d of res.items) {
    const containers = (d.spec?.template?.spec?.containers ?? []) as ContainerLike[];
    const c = containers.find(isCloudflaredContainer);
    if (c) found.push({ d, c });
  }
  const deployments = await mapLimit(found, opts.concurrency ?? 8, async ({ d, c }): Promise<CloudflaredDeployment> => {
    const namespace = d.metadata?.namespace ?? '';
    const image = c.image ?? '';
    const volumes = (d.spec?.template?.spec?.volumes ?? []) as Array<{
      name: string;
      configMap?: { name?: string; items?: Array<{ key: string; path: string }> };
    }>;
    const out: CloudflaredDeployment = {
      namespace,
      name: d.metadata?.name ?? '',
      desired: d.spec?.replicas ?? 1,
      ready: d.status?.readyReplicas ?? 0,
      updated: d.status?.updatedReplicas ?? 0,
      available: d.status?.availableReplicas ?? 0,
      container: c.name,
      image,
      version: imageVersion(image),
      args: [...(c.args ?? [])],
      ...metricsInputs(c),
      ...tunnelInfo(c, volumes),
      pods: [],
    };
    const selector = labelSelector(d);
    if (!selector) return out;
    try {
      const pods = await listPaged(
        client,
        `list the pods of Deployment ${namespace}/${out.name}`,
        (limit, cont) => client.core.listNamespacedPod({ namespace, labelSelector: selector, limit, _continue: cont }),
        opts,
        counter,
      );
      out.pods = pods.items.map(podSummary).sort((a, b) => a.name.localeCompare(b.name));
    } catch (err) {
      if (!(err instanceof KubernetesError) || err.kind !== 'forbidden') throw err;
      out.podsError = err.message;
    }
    return out;
  });
  deployments.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  const out: CloudflaredResult = { deployments, partial: res.partial, requests: counter.requests };
  if (res.note) out.note = res.note;
  return out;
}

// ── Single reads (the scaffold wizard) ──────────────────────────────────────────────────────

/** One GET; undefined when the object does not exist (404), a KubernetesError for anything else. */
async function readOne<T>(
  client: ClusterClient,
  action: string,
  fetch: () => Promise<T>,
  opts: ListOptions,
): Promise<T | undefined> {
  try {
    return await withTimeout(fetch(), opts.timeoutMs ?? 30_000, action, opts.signal);
  } catch (err) {
    const e = toKubernetesError(err, { action, server: client.server, context: client.context.name });
    if (e.kind === 'not-found') return undefined;
    throw e;
  }
}

/** The Deployment `namespace/name` as the cluster has it; undefined when there is none. */
export function readDeployment(
  client: ClusterClient,
  namespace: string,
  name: string,
  opts: ListOptions = {},
): Promise<V1Deployment | undefined> {
  return readOne(
    client,
    `read Deployment ${namespace}/${name}`,
    () => client.apps.readNamespacedDeployment({ namespace, name }),
    opts,
  );
}

/** The names of the Deployments of a namespace. */
export async function listDeploymentNames(
  client: ClusterClient,
  namespace: string,
  opts: ListOptions = {},
): Promise<string[]> {
  const res = await listPaged(
    client,
    `list the Deployments of namespace ${namespace}`,
    (limit, cont) => client.apps.listNamespacedDeployment({ namespace, limit, _continue: cont }),
    opts,
    { requests: 0 },
  );
  return res.items.map((d) => d.metadata?.name ?? '').filter(Boolean);
}

/** The Service `namespace/name` as the cluster has it (selector, ports with targetPort); undefined when there is none. */
export function readService(
  client: ClusterClient,
  namespace: string,
  name: string,
  opts: ListOptions = {},
): Promise<V1Service | undefined> {
  return readOne(
    client,
    `read Service ${namespace}/${name}`,
    () => client.core.readNamespacedService({ namespace, name }),
    opts,
  );
}

/** The pods of `namespace` whose labels match `selector` (a Service's selector: equality only). */
export async function listPodsSelectedBy(
  client: ClusterClient,
  namespace: string,
  selector: Record<string, string>,
  opts: ListOptions = {},
): Promise<V1Pod[]> {
  const labelSelector = Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  if (labelSelector === '') return [];
  const res = await listPaged(
    client,
    `list the pods of namespace ${namespace} (${labelSelector})`,
    (limit, cont) => client.core.listNamespacedPod({ namespace, labelSelector, limit, _continue: cont }),
    opts,
    { requests: 0 },
  );
  return res.items;
}

// ── The NetworkPolicy commands ──────────────────────────────────────────────────────────────

/** Every Service as the API has it (selector, labels, ports), with the RBAC fallback of `listAcross`. */
export function listServiceObjects(
  client: ClusterClient,
  opts: ListOptions & { namespaces?: string[] } = {},
): Promise<AcrossResult<V1Service>> {
  return listAcross(
    client,
    'Services',
    (limit, cont, o) => client.core.listServiceForAllNamespaces({ limit, _continue: cont }, o),
    (namespace, limit, cont, o) => client.core.listNamespacedService({ namespace, limit, _continue: cont }, o),
    opts,
    { requests: 0 },
  );
}

/**
 * Every pod as the API has it (labels, container ports), with the RBAC fallback of `listAcross`;
 * `namespaces` limits the fallback (e.g. to where Services could be listed).
 */
export function listPodObjects(
  client: ClusterClient,
  opts: ListOptions & { namespaces?: string[] } = {},
): Promise<AcrossResult<V1Pod>> {
  return listAcross(
    client,
    'pods',
    (limit, cont, o) => client.core.listPodForAllNamespaces({ limit, _continue: cont }, o),
    (namespace, limit, cont, o) => client.core.listNamespacedPod({ namespace, limit, _continue: cont }, o),
    opts,
    { requests: 0 },
  );
}

/**
 * Sets labels on the Service `namespace/name` with a JSON merge patch (other labels are kept);
 * the Service as the cluster now has it. A KubernetesError for anything that fails (not-found,
 * forbidden with RBAC's words, timeout after `timeoutMs`, default 30 s).
 */
export async function labelService(
  client: ClusterClient,
  namespace: string,
  name: string,
  labels: Record<string, string>,
  opts: Pick<ListOptions, 'timeoutMs' | 'signal'> = {},
): Promise<V1Service> {
  const action = `label Service ${namespace}/${name}`;
  try {
    const controller = new AbortController();
    const patch = client.core.patchNamespacedService(
      { name, namespace, body: { metadata: { labels } } },
      abortable(controller.signal, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)),
    );
    return await withTimeout(patch, opts.timeoutMs ?? 30_000, action, opts.signal, controller);
  } catch (err) {
    throw toKubernetesError(err, { action, server: client.server, context: client.context.name });
  }
}

// ── Pod logs ────────────────────────────────────────────────────────────────────────────────

export interface LogOptions {
  /** Keep streaming new lines (default true). */
  follow?: boolean;
  tailLines?: number;
  timestamps?: boolean;
  /** Time to wait for the response headers (default 30 s). */
  connectTimeoutMs?: number;
}

/**
 * Streams a pod's log line by line to `onLine` until `signal` aborts, the server ends the stream
 * (the pod went away, or follow is off) or the connection fails. Resolves when the stream ends;
 * rejects with a KubernetesError carrying the API server's message (unknown pod, ambiguous
 * container, …). The request uses the kubeconfig's credentials and TLS settings
 * (`applyToHTTPSOptions`), so the Status body of an error is kept (client-node's `Log` drops it).
 */
export async function streamPodLogs(
  client: ClusterClient,
  namespace: string,
  pod: string,
  container: string | undefined,
  onLine: (line: string) => void,
  signal: AbortSignal,
  opts: LogOptions = {},
): Promise<void> {
  const action = `read the log of pod ${namespace}/${pod}${container ? ` (container ${container})` : ''}`;
  const op = { action, server: client.server, context: client.context.name };
  if (signal.aborted) return;
  const url = new URL(
    `${client.server}/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`,
  );
  if (container) url.searchParams.set('container', container);
  url.searchParams.set('follow', String(opts.follow ?? true));
  if (opts.tailLines !== undefined) url.searchParams.set('tailLines', String(opts.tailLines));
  if (opts.timestamps) url.searchParams.set('timestamps', 'true');
  const reqOpts: https.RequestOptions = { method: 'GET', headers: {} };
  try {
    await client.kc.applyToHTTPSOptions(reqOpts);
  } catch (err) {
    throw toKubernetesError(err, op);
  }
  const mod = url.protocol === 'https:' ? https : http;
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      signal.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    };
    const req = mod.request(url, reqOpts, (res) => {
      clearTimeout(connectTimer);
      if (res.statusCode !== 200) {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          if (body.length < 65_536) body += d;
        });
        res.on('end', () => finish(toKubernetesError({ code: res.statusCode, body }, op)));
        res.on('error', (e) => finish(toKubernetesError(e, op)));
        return;
      }
      res.setEncoding('utf8');
      // Linear in the stream and bounded: a line without its newline is held up to 64 KiB, then cut.
      const lines = new LineSplitter(onLine);
      res.on('data', (chunk: string) => lines.push(chunk));
      const end = (): void => {
        if (!settled) lines.end();
        finish();
      };
      res.on('end', end);
      res.on('close', end);
      res.on('error', (e) => (signal.aborted ? finish() : finish(toKubernetesError(e, op))));
    });
    const onAbort = (): void => {
      req.destroy();
      finish();
    };
    const connectTimer = setTimeout(() => {
      req.destroy();
      finish(
        new KubernetesError(
          'timeout',
          `The cluster did not answer within ${Math.round((opts.connectTimeoutMs ?? 30_000) / 1000)} s while trying to ${action}.`,
        ),
      );
    }, opts.connectTimeoutMs ?? 30_000);
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e) => (signal.aborted ? finish() : finish(toKubernetesError(e, op))));
    req.end();
  });
}
