/**
 * The cluster's routing objects, for following a hostname through an ingress controller: Ingresses
 * and IngressClasses (networking.k8s.io/v1), the Gateway API's GatewayClasses, Gateways, HTTPRoutes
 * and ReferenceGrants, and Traefik's IngressRoutes (`traefik.io/v1alpha1` and the older
 * `traefik.containo.us/v1alpha1`).
 *
 * Discovery first (which groups, versions and resources the API server serves), then one
 * paginated list per kind and served version (all namespaces, with the per-namespace RBAC fallback
 * of `listAcross` for namespaced kinds). The Gateway API and Traefik kinds are custom resources:
 * on a cluster without their CRDs they are `not-served`, which is no error and nothing to report.
 *
 * The objects are returned as the API's plain JSON (`unknown[]`): the pure readers of
 * src/core/routing parse them, the same way as manifests from the workspace.
 */
import { ApisApi, CustomObjectsApi, NetworkingV1Api } from '@kubernetes/client-node';
import type { ConfigurationOptions } from '@kubernetes/client-node';
import { KubernetesError, toKubernetesError } from './errors';
import type { ClusterClient } from './kubeconfig';
import { abortable, listAcross, listPaged, withTimeout } from './paging';
import type { ListOptions, Page } from './paging';

export type RoutingKind =
  'ingresses' | 'ingressclasses' | 'gatewayclasses' | 'gateways' | 'httproutes' | 'referencegrants' | 'ingressroutes';

export const ROUTING_KINDS: readonly RoutingKind[] = [
  'ingresses',
  'ingressclasses',
  'gatewayclasses',
  'gateways',
  'httproutes',
  'referencegrants',
  'ingressroutes',
];

/**
 * - `listed`: the objects are in `items` (maybe only of some namespaces: `partial`);
 * - `not-served`: the API server does not serve the kind (its CRD is not installed): nothing to say;
 * - `forbidden`: RBAC refuses the list (in every namespace); `message` is the API server's;
 * - `error`: the list failed otherwise (`message`).
 */
export type RoutingKindStatus = 'listed' | 'not-served' | 'forbidden' | 'error';

export interface RoutingKindResult {
  kind: RoutingKind;
  status: RoutingKindStatus;
  /** The objects as the API server sent them (plain JSON), of every served source listed. */
  items: unknown[];
  /** Where they were listed from: `networking.k8s.io/v1`, `gateway.networking.k8s.io/v1beta1`, … */
  apiVersions: string[];
  /** For `forbidden` and `error` (for `listed`: what failed of a second source, e.g. traefik.containo.us). */
  message?: string;
  /** Only some namespaces could be listed (RBAC): which, which not, and a note saying so. */
  partial?: boolean;
  note?: string;
  namespaces?: string[];
  forbiddenNamespaces?: string[];
  /** The list's resourceVersion (one all-namespaces list of one source), for a watch. */
  resourceVersion?: string;
}

export interface RoutingObjectsResult {
  kinds: Record<RoutingKind, RoutingKindResult>;
  /** HTTP requests it took (discovery included). */
  requests: number;
}

interface Source {
  group: string;
  /** Versions to use, the first one served wins. */
  versions: string[];
  plural: string;
  namespaced: boolean;
  what: string;
}

/** Where each kind may be served; IngressRoutes from both Traefik groups (both may be installed). */
const SOURCES: Record<RoutingKind, Source[]> = {
  ingresses: [
    { group: 'networking.k8s.io', versions: ['v1'], plural: 'ingresses', namespaced: true, what: 'Ingresses' },
  ],
  ingressclasses: [
    {
      group: 'networking.k8s.io',
      versions: ['v1'],
      plural: 'ingressclasses',
      namespaced: false,
      what: 'IngressClasses',
    },
  ],
  gatewayclasses: [
    {
      group: 'gateway.networking.k8s.io',
      versions: ['v1', 'v1beta1'],
      plural: 'gatewayclasses',
      namespaced: false,
      what: 'GatewayClasses',
    },
  ],
  gateways: [
    {
      group: 'gateway.networking.k8s.io',
      versions: ['v1', 'v1beta1'],
      plural: 'gateways',
      namespaced: true,
      what: 'Gateways',
    },
  ],
  httproutes: [
    {
      group: 'gateway.networking.k8s.io',
      versions: ['v1', 'v1beta1'],
      plural: 'httproutes',
      namespaced: true,
      what: 'HTTPRoutes',
    },
  ],
  referencegrants: [
    {
      group: 'gateway.networking.k8s.io',
      versions: ['v1', 'v1beta1'],
      plural: 'referencegrants',
      namespaced: true,
      what: 'ReferenceGrants',
    },
  ],
  ingressroutes: [
    { group: 'traefik.io', versions: ['v1alpha1'], plural: 'ingressroutes', namespaced: true, what: 'IngressRoutes' },
    {
      group: 'traefik.containo.us',
      versions: ['v1alpha1'],
      plural: 'ingressroutes',
      namespaced: true,
      what: 'IngressRoutes (traefik.containo.us)',
    },
  ],
};

/** A typed client-node object back to the API's JSON: timestamps as RFC 3339 (seconds), no undefined fields. */
function plain(obj: unknown): unknown {
  return JSON.parse(
    JSON.stringify(obj, function (this: Record<string, unknown>, key: string, value: unknown) {
      const original = this[key];
      if (original instanceof Date) return original.toISOString().replace(/\.000Z$/, 'Z');
      return value;
    }),
  ) as unknown;
}

/** A custom object list (raw JSON, `metadata.continue`) as a Page. */
function customPage(list: unknown): Page<unknown> {
  const l = (list ?? {}) as { items?: unknown[]; metadata?: { continue?: string; resourceVersion?: string } };
  return {
    items: Array.isArray(l.items) ? l.items : [],
    metadata: { _continue: l.metadata?.continue || undefined, resourceVersion: l.metadata?.resourceVersion },
  };
}

type Counter = { requests: number };

/** One request with the deadline and abort of `opts`, its failure a KubernetesError. */
async function request<T>(
  client: ClusterClient,
  action: string,
  fetch: (options: ConfigurationOptions) => Promise<T>,
  opts: ListOptions,
  counter: Counter,
): Promise<T> {
  counter.requests++;
  const controller = new AbortController();
  try {
    return await withTimeout(
      fetch(abortable(controller.signal)),
      opts.timeoutMs ?? 30_000,
      action,
      opts.signal,
      controller,
    );
  } catch (err) {
    throw toKubernetesError(err, { action, server: client.server, context: client.context.name });
  }
}

/**
 * Discovery of what the sources need: `GET /apis` (its failure is the cluster's and is thrown),
 * then the resource list of each wanted group-version the server has. Returns `group/version` →
 * served resource names, or the error of that group-version's discovery.
 */
async function discover(
  client: ClusterClient,
  custom: CustomObjectsApi,
  opts: ListOptions,
  counter: Counter,
): Promise<Map<string, Set<string> | KubernetesError>> {
  const apis = client.kc.makeApiClient(ApisApi);
  const groupList = await request(
    client,
    'discover the API groups',
    (options) => apis.getAPIVersions(options),
    opts,
    counter,
  );
  const served = new Map((groupList.groups ?? []).map((g) => [g.name, new Set(g.versions.map((v) => v.version))]));
  const wanted = new Set<string>();
  for (const sources of Object.values(SOURCES))
    for (const s of sources) for (const v of s.versions) if (served.get(s.group)?.has(v)) wanted.add(`${s.group}/${v}`);
  const out = new Map<string, Set<string> | KubernetesError>();
  await Promise.all(
    [...wanted].map(async (gv) => {
      const [group, version] = gv.split('/') as [string, string];
      try {
        const list = await request(
          client,
          `discover the resources of ${gv}`,
          (options) => custom.getAPIResources({ group, version }, options),
          opts,
          counter,
        );
        out.set(gv, new Set(list.resources.map((r) => r.name)));
      } catch (err) {
        if (err instanceof KubernetesError && err.kind === 'aborted') throw err;
        // Listed in /apis but gone since (a CRD just removed): serves nothing.
        if (err instanceof KubernetesError && err.kind === 'not-found') out.set(gv, new Set());
        else out.set(gv, toKubernetesError(err, { action: `discover the resources of ${gv}` }));
      }
    }),
  );
  return out;
}

interface SourceList {
  apiVersion: string;
  items: unknown[];
  resourceVersion?: string;
  partial: boolean;
  note?: string;
  namespaces?: string[];
  forbiddenNamespaces?: string[];
}

/** Lists one source in one version: namespaced kinds across namespaces (RBAC fallback), the others cluster-wide. */
async function listSource(
  client: ClusterClient,
  networking: NetworkingV1Api,
  custom: CustomObjectsApi,
  source: Source,
  version: string,
  opts: ListOptions,
  counter: Counter,
): Promise<SourceList> {
  const { group, plural } = source;
  const apiVersion = `${group}/${version}`;
  if (!source.namespaced) {
    const fetch = (limit: number | undefined, cont: string | undefined, options: ConfigurationOptions) =>
      group === 'networking.k8s.io'
        ? networking.listIngressClass({ limit, _continue: cont }, options)
        : custom.listClusterCustomObject({ group, version, plural, limit, _continue: cont }, options).then(customPage);
    const res = await listPaged<unknown>(client, `list ${source.what}`, fetch, opts, counter);
    return { apiVersion, items: res.items.map(plain), resourceVersion: res.resourceVersion, partial: false };
  }
  const all = (limit: number | undefined, cont: string | undefined, options: ConfigurationOptions) =>
    group === 'networking.k8s.io'
      ? networking.listIngressForAllNamespaces({ limit, _continue: cont }, options)
      : custom
          .listCustomObjectForAllNamespaces({ group, version, plural, limit, _continue: cont }, options)
          .then(customPage);
  const namespaced = (
    namespace: string,
    limit: number | undefined,
    cont: string | undefined,
    options: ConfigurationOptions,
  ) =>
    group === 'networking.k8s.io'
      ? networking.listNamespacedIngress({ namespace, limit, _continue: cont }, options)
      : custom
          .listNamespacedCustomObject({ group, version, namespace, plural, limit, _continue: cont }, options)
          .then(customPage);
  const res = await listAcross<unknown>(client, source.what, all, namespaced, opts, counter);
  const out: SourceList = { apiVersion, items: res.items.map(plain), partial: res.partial };
  if (res.resourceVersion) out.resourceVersion = res.resourceVersion;
  if (res.partial) {
    out.note = res.note;
    out.namespaces = res.namespaces;
    out.forbiddenNamespaces = res.forbiddenNamespaces;
  }
  return out;
}

function failure(err: unknown): { status: 'forbidden' | 'error' | 'not-served'; message: string } {
  const e = err instanceof KubernetesError ? err : toKubernetesError(err, { action: 'list' });
  if (e.kind === 'forbidden') return { status: 'forbidden', message: e.serverMessage ?? e.message };
  if (e.kind === 'not-found') return { status: 'not-served', message: e.message };
  return { status: 'error', message: e.message };
}

/** One kind from its sources (the first served version of each); a failure of one source leaves the others. */
async function listKind(
  client: ClusterClient,
  networking: NetworkingV1Api,
  custom: CustomObjectsApi,
  kind: RoutingKind,
  discovery: Map<string, Set<string> | KubernetesError>,
  opts: ListOptions,
  counter: Counter,
): Promise<RoutingKindResult> {
  const result: RoutingKindResult = { kind, status: 'not-served', items: [], apiVersions: [] };
  const failures: Array<{ status: 'forbidden' | 'error'; message: string }> = [];
  const lists: SourceList[] = [];
  for (const source of SOURCES[kind]) {
    let version: string | undefined;
    for (const v of source.versions) {
      const served = discovery.get(`${source.group}/${v}`);
      if (served instanceof KubernetesError) {
        failures.push({ status: 'error', message: served.message });
        break;
      }
      if (served?.has(source.plural)) {
        version = v;
        break;
      }
    }
    if (!version) continue;
    try {
      lists.push(await listSource(client, networking, custom, source, version, opts, counter));
    } catch (err) {
      if (err instanceof KubernetesError && err.kind === 'aborted') throw err;
      const f = failure(err);
      if (f.status !== 'not-served') failures.push({ status: f.status, message: f.message });
    }
  }
  for (const l of lists) {
    result.apiVersions.push(l.apiVersion);
    for (const item of l.items) result.items.push(item);
  }
  if (lists.length === 0) {
    if (failures.length === 0) return result;
    result.status = failures.some((f) => f.status === 'error') ? 'error' : 'forbidden';
    result.message = failures.map((f) => f.message).join(' ');
    return result;
  }
  result.status = 'listed';
  if (failures.length) result.message = failures.map((f) => f.message).join(' ');
  if (lists.length === 1 && lists[0]!.resourceVersion) result.resourceVersion = lists[0]!.resourceVersion;
  const partial = lists.filter((l) => l.partial);
  if (partial.length) {
    result.partial = true;
    result.note = partial.map((l) => l.note).join(' ');
    result.namespaces = [...new Set(partial.flatMap((l) => l.namespaces ?? []))].sort();
    result.forbiddenNamespaces = [...new Set(partial.flatMap((l) => l.forbiddenNamespaces ?? []))].sort();
  }
  return result;
}

/**
 * Every routing object the cluster serves and the user may list: discovery, then each kind
 * (concurrently), paginated. Throws a KubernetesError only when discovery itself fails (the
 * cluster is unreachable, the credentials are refused) or when aborted; a kind that cannot be
 * listed has its status (`forbidden`, `error`) and message instead.
 */
export async function listRoutingObjects(client: ClusterClient, opts: ListOptions = {}): Promise<RoutingObjectsResult> {
  const counter: Counter = { requests: 0 };
  const networking = client.kc.makeApiClient(NetworkingV1Api);
  const custom = client.kc.makeApiClient(CustomObjectsApi);
  const discovery = await discover(client, custom, opts, counter);
  const results = await Promise.all(
    ROUTING_KINDS.map((kind) => listKind(client, networking, custom, kind, discovery, opts, counter)),
  );
  const kinds = Object.fromEntries(results.map((r) => [r.kind, r])) as Record<RoutingKind, RoutingKindResult>;
  return { kinds, requests: counter.requests };
}
