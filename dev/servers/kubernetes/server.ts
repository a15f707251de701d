/**
 * A local Kubernetes API server for tests and the demo: plain HTTP on 127.0.0.1, serving what the
 * extension (and `kubectl get`/`logs`) use, with the API's own semantics:
 *
 * - discovery: `/version`, `/api`, `/api/v1`, `/apis`, `/apis/{apps,networking.k8s.io,policy}` and
 *   their `/v1` (legacy discovery; kubectl's request for aggregated discovery falls back to it);
 *   custom resources as a cluster with their CRDs installed serves them: `gateway.networking.k8s.io`
 *   (Gateway API v1.2 standard channel: gatewayclasses, gateways, httproutes in `v1`, referencegrants
 *   in `v1beta1`) and `traefik.io/v1alpha1` (ingressroutes), each group only while it is in
 *   `state.crdGroups` (`demoState()` has both; without it the group is missing from discovery, its
 *   paths and OpenAPI answer 404, as on a cluster without the CRDs);
 * - list and get of namespaces, services, pods, configmaps, secrets (core/v1), deployments
 *   (apps/v1), networkpolicies, ingresses and ingressclasses (networking.k8s.io/v1),
 *   poddisruptionbudgets (policy/v1) and the custom resources above,
 *   all-namespaces and namespaced paths, `labelSelector`/`fieldSelector`, `resourceVersion` on
 *   objects and lists, `limit`/`continue` with opaque tokens over a consistent snapshot (a token
 *   older than the compacted revision answers 410 Expired, as etcd does);
 * - server-side tables (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`) as kubectl asks;
 * - watch (`?watch=true`): newline-delimited ADDED/MODIFIED/DELETED events from `resourceVersion`
 *   on, BOOKMARK events with `allowWatchBookmarks`, `sendInitialEvents`, `timeoutSeconds`, and an
 *   ERROR event with a 410 Expired Status when the resourceVersion is too old;
 * - pod logs (`…/pods/{name}/log`, `container`, `tailLines`, `timestamps`, `follow` streaming);
 * - the pod proxy, `GET …/pods/{name}[:{port}]/proxy/{path}`, as pkg/registry/core/pod
 *   `ResourceLocation` and apimachinery's proxy handler answer it: `name`, `name:port` or
 *   `scheme:name:port` (else 400 `invalid pod request`), 404 `pods "x" not found`, the first
 *   container port when none is given, 400 `address not allowed` for a pod without an IP, 301 to
 *   `…/proxy/` when the path is empty (so a `?path=` query, which the real server overrides with the
 *   empty subpath, ends at the pod's `/`), the pod's answer as it is (status, Content-Type, gzip when
 *   accepted), and 503 `error trying to reach service: dial tcp IP:PORT: connect: connection refused`
 *   where nothing listens; RBAC as `get` on `pods/proxy` with the raw `name:port` in the message
 *   (the `rbac` fault's `subresources`), the recorded verb `proxy` (for delay/silent/… faults). What
 *   listens: the metrics server of each running cloudflared container (podListener.ts: `--metrics`,
 *   env TUNNEL_METRICS, `metrics:` of the config file in its mounted ConfigMap, else 20241; a
 *   loopback address is not reachable), played by cloudflaredMetrics.ts with
 *   `state.cloudflaredBehaviour` and the `clock` option;
 * - create (POST to a collection) and patch (PATCH with a strategic merge patch or a JSON merge
 *   patch, see patch.ts), stored, or with `?dryRun=All` only answered with what would be stored
 *   (as `kubectl diff` relies on): the API's defaults (defaults.ts), `generation`, a 404 for a
 *   missing namespace, 409 AlreadyExists, and 409 Conflict for a stale `metadata.resourceVersion`
 *   in a patch (kubectl's optimistic lock). That is what `kubectl diff` and `kubectl apply`
 *   (client-side) send; bodies are JSON only (protobuf, which `kubectl create` sends, answers 415),
 *   PUT, DELETE, JSON patch and server-side apply answer 405/415;
 * - OpenAPI v3 (`/openapi/v3` and a document per group-version, see openapi.ts), which is what
 *   `kubectl apply` reads to leave validation to the server and to compute its patches, and
 *   server-side field validation: `fieldValidation=Strict` (what kubectl apply sends) refuses
 *   unknown fields with the API server's errors (400 on create, 422 on patch), `Warn` (the
 *   default) answers with a `Warning` header per field, and both, like `Ignore`, store the object
 *   without them;
 * - `Status` bodies for every error (NotFound, Forbidden with RBAC's wording, BadRequest, …);
 * - fault modes: RBAC (forbidden at cluster scope, or outside some namespaces), expired watches,
 *   status errors, delays and dropped connections, per verb/resource/path and for N requests.
 *
 * - validation as kube-apiserver v1.32 (validation.ts), answered with its 422 Invalid Statuses
 *   (message, details.causes): object names (DNS-1035 labels for Services, RFC 1123 labels for
 *   Namespaces, subdomains for the rest), port numbers, a Deployment's immutable `spec.selector`,
 *   a Service's cluster IPs (`may not change once set`; a patch leaving them out keeps them);
 *   cluster IPs allocated from 10.96.0.0/12 (a requested one out of range or in use refused with
 *   the allocator's words), IP families, node ports; Secret `data` (and ConfigMap `binaryData`)
 *   decoded with Go's base64 (line breaks skipped, invalid data a 400 BadRequest) and answered
 *   canonical; empty lists and maps of `omitempty` fields dropped on storage; `generation` bumped
 *   as each strategy compares (NetworkPolicy: reflect.DeepEqual, so a resent `ingress: []` bumps
 *   it; Deployment: spec and annotations, semantically); the field selectors of v1.32 (Services
 *   by `spec.type` and `spec.clusterIP` since v1.31; other kinds' errors in their words);
 * - Ingress and IngressClass as pkg/apis/networking/validation (v1): `pathType` required, Exact and
 *   Prefix paths absolute (and without `//`, `/./`, …), hosts DNS names (not IPs, no port, a wildcard
 *   only as the first label), backends a Service with a port number or name (not both) or a
 *   resource, TLS hosts, the class name, an IngressClass's controller (a domain-prefixed path,
 *   immutable); on create the legacy `kubernetes.io/ingress.class` annotation together with
 *   `spec.ingressClassName` refused ("can not be set when the class field is also set"), and the
 *   DefaultIngressClass admission: a new Ingress without either gets the IngressClass annotated
 *   `ingressclass.kubernetes.io/is-default-class: "true"` (the newest of several); `status` reset
 *   on create, `generation` as the strategies count it; kubectl's Ingress/IngressClass tables;
 * - custom resources checked as their CRDs' structural schemas require what readers rely on
 *   (Gateway `gatewayClassName` and listeners' `name`/`port`/`protocol`, HTTPRoute parentRef and
 *   backendRef names and a Service backendRef's `port` — the CEL rule's "Must have port for Service
 *   reference" —, ReferenceGrant `from`/`to`, IngressRoute `routes[].match`), the Gateway API schema
 *   defaults (backendRef group/kind/weight, parentRef group/kind, the `/` PathPrefix match, listener
 *   allowedRoutes `Same`), the CRDs' printer columns, JSON merge patches only (415 for a strategic
 *   merge patch), status subresources for the Gateway API kinds.
 *
 * Where it still differs from a real v1.32 (known, none of it read by the extension or its tests):
 * - only the checks above: no validation of labels, annotations, container names/images, probes,
 *   Secret keys, selectors matching template labels, NetworkPolicy peers, PDB fields, …; several
 *   errors of one request come in this server's order, which may not be the API server's;
 * - single-stack IPv4 only; an unparsable requested cluster IP is refused as out of range (the
 *   real server says it is not a valid IP); addresses are picked deterministically, not at random;
 * - the wording of a base64 error found while *patching* (422 `patch: Invalid value`) is this
 *   server's guess; on create it is the real 400;
 * - no PUT, DELETE, JSON patch, server-side apply, managedFields, admission webhooks, finalizers,
 *   controllers (Deployments never roll out, Services get no endpoints), or protobuf;
 * - `$setElementOrder` ordering and some strategic-merge corner cases (patch.ts);
 * - custom resources: only the schema checks above (no pruning of unknown nested fields, no enums,
 *   patterns, lengths or the other CEL rules of the Gateway API CRDs, no conversion webhooks); the
 *   Gateway API kinds are served in one version each (a real install also serves gatewayclasses,
 *   gateways and httproutes in v1beta1); the legacy `traefik.containo.us` group is not served;
 *   their OpenAPI documents have open `spec`/`status` objects; no Gateway or Ingress controller
 *   writes statuses (the demo's are seeded);
 * - Ingress: no check that `spec.tls[].secretName` exists (neither does the API server, but the
 *   demo's `secure` Ingress names a Secret that is absent); field selectors only on metadata;
 * - the pod proxy: GET only (the real one forwards every method, and upgrades); only cloudflared's
 *   metrics listener answers (every other port of every pod is "connection refused", where a real
 *   pod's nginx would answer); no TLS to the pod (`https:` scheme fails); cloudflared's `/debug/*`,
 *   `/config`, `/diag/*`, `/quicktunnel` answer 404 here; no 502 from a konnectivity/egress proxy;
 *   no request headers rewritten (X-Forwarded-*) and no HTML link rewriting; a generated restart
 *   moves `process_start_time_seconds` but not the pod's `restartCount`; the RBAC wording is the
 *   authorizer's, checked against kubectl's output, not against a live cluster.
 *
 * Mutations for tests go through `state` (add/update/patch/remove/appendLog); open watch and log
 * streams see them at once; they are not validated.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  GROUPS,
  RESOURCES,
  StateError,
  apiVersionOf,
  containersOf,
  demoState,
  keyOf,
  lowerBound,
  versionsOf,
} from './state';
import type { Change, Entry, GroupName, KObject, KubernetesState, ResourceInfo, ResourceName } from './state';
import { applyDefaults } from './defaults';
import {
  dropEmptyOmitempty,
  dropUnknownFields,
  goPrint,
  openApiDocument,
  openApiIndex,
  unknownFields,
} from './openapi';
import {
  Base64Error,
  SERVICE_CIDR,
  allocateNodePort,
  allocateServiceIP,
  canonicalBytesMap,
  goStringSlice,
  inServiceRange,
  invalidStatus,
  invalidValue,
  serviceUpdate,
  DEFAULT_INGRESS_CLASS_ANNOTATION,
  INGRESS_CLASS_ANNOTATION,
  goQuote,
  validateIngressCreate,
  validateObject,
  validateUpdate,
} from './validation';
import type { FieldError } from './validation';
import { PatchError, mergePatch, strategicMergePatch } from './patch';
import type { Json } from './patch';
import { globToRegExp } from '../glob';
import { gzipSync } from 'node:zlib';
import { defaultBehaviour, instance, metricsPage, readyAnswer } from './cloudflaredMetrics';
import { cloudflaredListener } from './podListener';

export * from './state';
export * from './cloudflaredMetrics';

export type Verb = 'discovery' | 'list' | 'watch' | 'get' | 'log' | 'proxy' | 'create' | 'patch';

/** Which requests a fault applies to (all given conditions must hold). */
export interface FaultMatch {
  verb?: Verb | Verb[];
  resource?: ResourceName | ResourceName[];
  /** true: only all-namespaces/cluster-scope collection requests; false: only namespaced ones. */
  clusterScope?: boolean;
  namespace?: string;
  /** Path to match: exact, a glob (`*` one segment, `**` any), or a RegExp (query not included). */
  path?: string | RegExp;
  /** Apply to this many matching requests, then stop (default: always). */
  times?: number;
}

export type Fault =
  /**
   * RBAC: `clusterScope` resources cannot be listed/watched across namespaces; when `namespaces`
   * is given, namespaced requests outside those namespaces are forbidden too (namespaces
   * themselves stay listable unless named in `clusterScope`).
   */
  | {
      kind: 'rbac';
      clusterScope: ResourceName[];
      namespaces?: string[];
      /**
       * Subresources not granted anywhere (a Role with `pods` but not `pods/proxy`): `get` on them
       * answers 403 in every namespace.
       */
      subresources?: Array<'pods/log' | 'pods/proxy'>;
    }
  /** The next `times` (default 1) watches answer 410 Expired: an ERROR event (or the HTTP status with `http`). */
  | ({ kind: 'expire-watch'; http?: boolean } & FaultMatch)
  /** A Status error with this code (500 InternalError, 503 ServiceUnavailable, 429 TooManyRequests, …). */
  | ({ kind: 'status'; status: number; message?: string; reason?: string; retryAfterSeconds?: number } & FaultMatch)
  /** Wait before answering normally. */
  | ({ kind: 'delay'; delayMs: number } & FaultMatch)
  /** Destroy the connection without an answer. */
  | ({ kind: 'drop' } & FaultMatch)
  /** Never answer: the request stays open until the client gives up (`silentCount()` counts those still open). */
  | ({ kind: 'silent' } & FaultMatch);

export interface RecordedRequest {
  method: string;
  path: string;
  /** Path and query as received. */
  url: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  verb?: Verb;
  resource?: ResourceName;
  namespace?: string;
}

export interface KubernetesApiOptions {
  port?: number;
  /** Initial state (default: `demoState()`); the server mutates it. */
  state?: KubernetesState;
  /** Same as `state` (the name the Cloudflare server's options use). */
  data?: KubernetesState;
  /**
   * The bearer token (default `test-token`): a request with another Authorization header gets 401.
   * null accepts any header.
   */
  token?: string | null;
  /**
   * Serve requests without an Authorization header (default true). kubectl (client-go) sends no
   * bearer token over plain HTTP, so this is how kubectl reaches the server, as through
   * `kubectl proxy`; set false to test 401 handling.
   */
  anonymous?: boolean;
  /** Interval of BOOKMARK events on watches that allow them (default 5000 ms). */
  bookmarkIntervalMs?: number;
  /** Longest watch when the client gives no `timeoutSeconds` (default 1800 s, as the API server's range). */
  maxWatchSeconds?: number;
  faults?: Fault[];
  /** Called with one line per request (for the CLI). */
  log?: (line: string) => void;
  /** The clock of the cloudflared metrics behind the pod proxy, ms since the epoch (default Date.now). */
  clock?: () => number;
}

export interface KubernetesApiServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  state: KubernetesState;
  requests: RecordedRequest[];
  setFault(fault: Fault): void;
  clearFaults(): void;
  /** A kubeconfig for this server (plain HTTP with insecure-skip-tls-verify, the bearer token). */
  kubeconfigYaml(contextName?: string, opts?: { namespace?: string; user?: string }): string;
  /** Open watch streams. */
  watchCount(): number;
  /** Requests held by a `silent` fault whose connection the client has not closed yet. */
  silentCount(): number;
  /** Ends every open watch stream (as the API server does at its timeout); clients re-watch. */
  closeWatches(): void;
  /** Sends a BOOKMARK now on every watch that allows them. */
  sendBookmarks(): void;
  close(): Promise<void>;
}

/** The columns every table of the real API server has (kubectl prints them as NAME and AGE). */
const NAME_COLUMN = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
};
const AGE_COLUMN = {
  name: 'Age',
  type: 'string',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
};

/** A CRD's additionalPrinterColumn `.metadata.creationTimestamp` (type date), as the Gateway API CRDs declare Age. */
const CRD_AGE = { name: 'Age', type: 'date', description: '' };

const TABLE_COLUMNS: Record<
  ResourceName,
  Array<{ name: string; type: string; format?: string; priority?: number; description: string }>
> = {
  namespaces: [NAME_COLUMN, { name: 'Status', type: 'string', description: 'The status of the namespace' }, AGE_COLUMN],
  services: [
    NAME_COLUMN,
    { name: 'Type', type: 'string', description: 'type determines how the Service is exposed.' },
    { name: 'Cluster-IP', type: 'string', description: 'clusterIP is the IP address of the service.' },
    {
      name: 'External-IP',
      type: 'string',
      description:
        'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
    },
    { name: 'Port(s)', type: 'string', description: 'The list of ports that are exposed by this service.' },
    AGE_COLUMN,
    {
      name: 'Selector',
      type: 'string',
      priority: 1,
      description: 'Route service traffic to pods with label keys and values matching this selector.',
    },
  ],
  pods: [
    NAME_COLUMN,
    { name: 'Ready', type: 'string', description: 'The aggregate readiness state of this pod for accepting traffic.' },
    { name: 'Status', type: 'string', description: 'The aggregate status of the containers in this pod.' },
    {
      name: 'Restarts',
      type: 'string',
      description:
        'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    },
    AGE_COLUMN,
    { name: 'IP', type: 'string', priority: 1, description: 'podIP is the IP address allocated to the pod.' },
    { name: 'Node', type: 'string', priority: 1, description: 'nodeName is the node the pod is scheduled to.' },
  ],
  configmaps: [
    NAME_COLUMN,
    { name: 'Data', type: 'string', description: 'Data contains the configuration data.' },
    AGE_COLUMN,
  ],
  secrets: [
    NAME_COLUMN,
    { name: 'Type', type: 'string', description: 'Used to facilitate programmatic handling of secret data.' },
    { name: 'Data', type: 'string', description: 'Data contains the secret data.' },
    AGE_COLUMN,
  ],
  networkpolicies: [
    NAME_COLUMN,
    {
      name: 'Pod-Selector',
      type: 'string',
      description: 'podSelector selects the pods to which this NetworkPolicy object applies.',
    },
    AGE_COLUMN,
  ],
  poddisruptionbudgets: [
    NAME_COLUMN,
    {
      name: 'Min Available',
      type: 'string',
      description: 'minAvailable is the minimum number of pods that must be available.',
    },
    {
      name: 'Max Unavailable',
      type: 'string',
      description: 'maxUnavailable is the maximum number of pods that may be unavailable.',
    },
    {
      name: 'Allowed Disruptions',
      type: 'integer',
      description: 'Number of pod disruptions that are currently allowed.',
    },
    AGE_COLUMN,
  ],
  deployments: [
    NAME_COLUMN,
    { name: 'Ready', type: 'string', description: 'Number of the pod with ready state' },
    {
      name: 'Up-to-date',
      type: 'string',
      description:
        'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
    },
    {
      name: 'Available',
      type: 'string',
      description: 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
    },
    AGE_COLUMN,
    { name: 'Containers', type: 'string', priority: 1, description: 'Names of each container in the template.' },
    {
      name: 'Images',
      type: 'string',
      priority: 1,
      description: 'Images referenced by each container in the template.',
    },
    { name: 'Selector', type: 'string', priority: 1, description: 'Label selector for pods.' },
  ],
  ingresses: [
    NAME_COLUMN,
    { name: 'Class', type: 'string', description: 'The name of the IngressClass resource.' },
    {
      name: 'Hosts',
      type: 'string',
      description: 'Hosts that incoming requests are matched against before the ingress rule',
    },
    {
      name: 'Address',
      type: 'string',
      description: 'Address is a list containing ingress points for the load-balancer',
    },
    { name: 'Ports', type: 'string', description: 'Ports of TLS configurations that open' },
    AGE_COLUMN,
  ],
  ingressclasses: [
    NAME_COLUMN,
    { name: 'Controller', type: 'string', description: 'Controller that is responsible for handling this class' },
    { name: 'Parameters', type: 'string', description: 'A reference to a resource with additional parameters' },
    AGE_COLUMN,
  ],
  // Custom resources: Name and the CRDs' additionalPrinterColumns (Age only when there are none).
  gatewayclasses: [
    NAME_COLUMN,
    { name: 'Controller', type: 'string', description: '' },
    { name: 'Accepted', type: 'string', description: '' },
    CRD_AGE,
    { name: 'Description', type: 'string', priority: 1, description: '' },
  ],
  gateways: [
    NAME_COLUMN,
    { name: 'Class', type: 'string', description: '' },
    { name: 'Address', type: 'string', description: '' },
    { name: 'Programmed', type: 'string', description: '' },
    CRD_AGE,
  ],
  httproutes: [NAME_COLUMN, { name: 'Hostnames', type: 'string', description: '' }, CRD_AGE],
  referencegrants: [NAME_COLUMN, CRD_AGE],
  ingressroutes: [NAME_COLUMN, CRD_AGE],
};

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'AlreadyExists',
  410: 'Expired',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

class StatusError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly reason = REASONS[code] ?? 'Unknown',
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

function statusJson(code: number, message: string, reason?: string, details?: Record<string, unknown>): string {
  const body: Record<string, unknown> = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: reason ?? REASONS[code] ?? 'Unknown',
  };
  if (details) body.details = details;
  body.code = code;
  return JSON.stringify(body);
}

const expired = (message: string): StatusError => new StatusError(410, message, 'Expired');

const CONTINUE_TOO_OLD =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

// ── Selectors ─────────────────────────────────────────────────────────────────────────────

type Predicate = (obj: KObject) => boolean;

/** Label selector requirements: `k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`. */
export function parseLabelSelector(selector: string): Predicate {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  const tests: Predicate[] = [];
  const labels = (o: KObject): Record<string, string> => o.metadata.labels ?? {};
  for (const raw of parts) {
    const p = raw.trim();
    if (!p) continue;
    let m: RegExpExecArray | null;
    if ((m = /^([^\s!=(),]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p))) {
      const key = m[1]!;
      const values = new Set(m[3]!.split(',').map((v) => v.trim()));
      tests.push(
        m[2] === 'in'
          ? (o) => key in labels(o) && values.has(labels(o)[key]!)
          : (o) => !(key in labels(o)) || !values.has(labels(o)[key]!),
      );
    } else if ((m = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(p))) {
      const [, key, op, value] = m as unknown as [string, string, string, string];
      tests.push(op === '!=' ? (o) => labels(o)[key] !== value : (o) => labels(o)[key] === value);
    } else if ((m = /^!\s*([^\s!=(),]+)$/.exec(p))) {
      const key = m[1]!;
      tests.push((o) => !(key in labels(o)));
    } else if ((m = /^([^\s!=(),]+)$/.exec(p))) {
      const key = m[1]!;
      tests.push((o) => key in labels(o));
    } else {
      throw new StatusError(400, `unable to parse requirement: found '${p}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }
  return (o) => tests.every((t) => t(o));
}

const specField =
  (key: string) =>
  (o: KObject): string =>
    String((o.spec as Record<string, unknown> | undefined)?.[key] ?? '');
const META_FIELDS: Record<string, (o: KObject) => string> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
};

/**
 * The field selectors of each kind: the field label conversion funcs of pkg/apis/core/v1
 * (conversion.go) in v1.32, whose error is `field label not supported: …`; the kinds without one
 * (ConfigMaps, Deployments, NetworkPolicies, PodDisruptionBudgets) use
 * runtime.DefaultMetaV1FieldSelectorConversion, with its own wording.
 */
const FIELDS: Record<ResourceName, Record<string, (o: KObject) => string> | undefined> = {
  namespaces: {
    'metadata.name': (o) => o.metadata.name,
    'status.phase': (o) => String((o.status as { phase?: string } | undefined)?.phase ?? ''),
  },
  // Since v1.31: spec.type and spec.clusterIP (kubernetes#122541, #123905).
  services: { ...META_FIELDS, 'spec.clusterIP': specField('clusterIP'), 'spec.type': specField('type') },
  configmaps: undefined,
  secrets: { ...META_FIELDS, type: (o) => String(o.type ?? '') },
  deployments: undefined,
  networkpolicies: undefined,
  poddisruptionbudgets: undefined,
  ingresses: undefined,
  ingressclasses: undefined,
  gatewayclasses: undefined,
  gateways: undefined,
  httproutes: undefined,
  referencegrants: undefined,
  ingressroutes: undefined,
  pods: {
    ...META_FIELDS,
    'spec.nodeName': specField('nodeName'),
    'spec.restartPolicy': specField('restartPolicy'),
    'spec.schedulerName': specField('schedulerName'),
    'spec.serviceAccountName': specField('serviceAccountName'),
    'spec.hostNetwork': (o) => String((o.spec as { hostNetwork?: boolean } | undefined)?.hostNetwork ?? false),
    'status.phase': (o) => String((o.status as { phase?: string } | undefined)?.phase ?? ''),
    'status.podIP': (o) => String((o.status as { podIP?: string } | undefined)?.podIP ?? ''),
    'status.nominatedNodeName': (o) =>
      String((o.status as { nominatedNodeName?: string } | undefined)?.nominatedNodeName ?? ''),
  },
};

export function parseFieldSelector(selector: string, resource: ResourceName): Predicate {
  const tests: Predicate[] = [];
  for (const raw of selector.split(',')) {
    const p = raw.trim();
    if (!p) continue;
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(p);
    if (!m) throw new StatusError(400, `invalid selector: '${selector}'; can't understand '${p}'`);
    const [, field, op, value] = m as unknown as [string, string, string, string];
    const fields = FIELDS[resource];
    const get = fields ? fields[field] : META_FIELDS[field];
    if (!get)
      throw new StatusError(
        400,
        fields
          ? `field label not supported: ${field}`
          : `${JSON.stringify(field)} is not a known field selector: only "metadata.name", "metadata.namespace"`,
      );
    const g = get;
    tests.push(op === '!=' ? (o) => g(o) !== value : (o) => g(o) === value);
  }
  return (o) => tests.every((t) => t(o));
}

// ── Tables ────────────────────────────────────────────────────────────────────────────────

/** Kubernetes' `duration.HumanDuration`. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8)
    return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

const age = (o: KObject): string =>
  o.metadata.creationTimestamp ? humanDuration(Date.now() - Date.parse(o.metadata.creationTimestamp)) : '<unknown>';
const selectorText = (sel: Record<string, string> | undefined): string =>
  sel && Object.keys(sel).length
    ? Object.entries(sel)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')
    : '<none>';

interface SvcSpec {
  type?: string;
  clusterIP?: string;
  externalName?: string;
  externalIPs?: string[];
  selector?: Record<string, string>;
  ports?: Array<{ port: number; protocol?: string; nodePort?: number }>;
}

function cells(resource: ResourceName, o: KObject): unknown[] {
  switch (resource) {
    case 'namespaces':
      return [o.metadata.name, (o.status as { phase?: string } | undefined)?.phase ?? '', age(o)];
    case 'configmaps':
      return [
        o.metadata.name,
        Object.keys((o.data as object | undefined) ?? {}).length +
          Object.keys((o.binaryData as object | undefined) ?? {}).length,
        age(o),
      ];
    case 'secrets':
      return [
        o.metadata.name,
        String(o.type ?? 'Opaque'),
        Object.keys((o.data as object | undefined) ?? {}).length,
        age(o),
      ];
    case 'networkpolicies': {
      const sel = (
        o.spec as { podSelector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } } | undefined
      )?.podSelector;
      const labels = sel?.matchLabels && Object.keys(sel.matchLabels).length ? selectorText(sel.matchLabels) : '';
      return [o.metadata.name, labels || (sel?.matchExpressions?.length ? '<expressions>' : '<none>'), age(o)];
    }
    case 'poddisruptionbudgets': {
      const spec = (o.spec ?? {}) as { minAvailable?: number | string; maxUnavailable?: number | string };
      return [
        o.metadata.name,
        spec.minAvailable ?? 'N/A',
        spec.maxUnavailable ?? 'N/A',
        (o.status as { disruptionsAllowed?: number } | undefined)?.disruptionsAllowed ?? 0,
        age(o),
      ];
    }
    case 'services': {
      const spec = (o.spec ?? {}) as SvcSpec;
      const type = spec.type ?? 'ClusterIP';
      const lb =
        (o.status as { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> } } | undefined)
          ?.loadBalancer?.ingress ?? [];
      let external: string;
      if (type === 'ExternalName') external = spec.externalName ?? '<none>';
      else if (type === 'LoadBalancer') {
        const ips = [...lb.map((i) => i.ip ?? i.hostname ?? ''), ...(spec.externalIPs ?? [])].filter(Boolean);
        external = ips.length ? ips.join(',') : '<pending>';
      } else external = spec.externalIPs?.length ? spec.externalIPs.join(',') : '<none>';
      const ports =
        (spec.ports ?? [])
          .map((p) =>
            p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`,
          )
          .join(',') || '<none>';
      return [o.metadata.name, type, spec.clusterIP || '<none>', external, ports, age(o), selectorText(spec.selector)];
    }
    case 'pods': {
      const st = (o.status ?? {}) as {
        phase?: string;
        podIP?: string;
        containerStatuses?: Array<{
          ready?: boolean;
          restartCount?: number;
          state?: { waiting?: { reason?: string }; terminated?: { reason?: string } };
        }>;
      };
      const cs = st.containerStatuses ?? [];
      let status = st.phase ?? 'Unknown';
      for (const c of cs) {
        if (c.state?.waiting?.reason) status = c.state.waiting.reason;
        else if (c.state?.terminated?.reason) status = c.state.terminated.reason;
      }
      if (o.metadata.deletionTimestamp) status = 'Terminating';
      const total = containersOf(o).length;
      return [
        o.metadata.name,
        `${cs.filter((c) => c.ready).length}/${total}`,
        status,
        cs.reduce((n, c) => n + (c.restartCount ?? 0), 0),
        age(o),
        st.podIP ?? '<none>',
        (o.spec as { nodeName?: string } | undefined)?.nodeName ?? '<none>',
      ];
    }
    case 'deployments': {
      const spec = (o.spec ?? {}) as {
        replicas?: number;
        selector?: { matchLabels?: Record<string, string> };
        template?: { spec?: { containers?: Array<{ name: string; image: string }> } };
      };
      const st = (o.status ?? {}) as { readyReplicas?: number; updatedReplicas?: number; availableReplicas?: number };
      const containers = spec.template?.spec?.containers ?? [];
      return [
        o.metadata.name,
        `${st.readyReplicas ?? 0}/${spec.replicas ?? 1}`,
        st.updatedReplicas ?? 0,
        st.availableReplicas ?? 0,
        age(o),
        containers.map((c) => c.name).join(','),
        containers.map((c) => c.image).join(','),
        selectorText(spec.selector?.matchLabels),
      ];
    }
    case 'ingresses':
      return ingressCells(o);
    case 'ingressclasses': {
      const spec = (o.spec ?? {}) as {
        controller?: string;
        parameters?: { apiGroup?: string; kind?: string; name?: string };
      };
      const p = spec.parameters;
      const params = p ? `${p.kind ?? ''}${p.apiGroup ? `.${p.apiGroup}` : ''}/${p.name ?? ''}` : '<none>';
      return [o.metadata.name, spec.controller ?? '', params, age(o)];
    }
    case 'gatewayclasses': {
      const spec = (o.spec ?? {}) as { controllerName?: string; description?: string };
      return [
        o.metadata.name,
        spec.controllerName ?? null,
        conditionStatus(o, 'Accepted'),
        age(o),
        spec.description ?? null,
      ];
    }
    case 'gateways': {
      const addresses =
        (o.status as { addresses?: Array<{ value?: string }> } | undefined)?.addresses?.map((a) => a.value ?? '') ?? [];
      return [
        o.metadata.name,
        (o.spec as { gatewayClassName?: string } | undefined)?.gatewayClassName ?? null,
        addresses.length ? addresses.join(' ') : null,
        conditionStatus(o, 'Programmed'),
        age(o),
      ];
    }
    case 'httproutes': {
      const hostnames = (o.spec as { hostnames?: string[] } | undefined)?.hostnames;
      return [o.metadata.name, hostnames?.length ? JSON.stringify(hostnames) : null, age(o)];
    }
    case 'referencegrants':
    case 'ingressroutes':
      return [o.metadata.name, age(o)];
  }
}

/** A condition's status (`.status.conditions[?(@.type=="…")].status`), null when absent as the JSONPath column. */
function conditionStatus(o: KObject, type: string): string | null {
  const conditions = (o.status as { conditions?: Array<{ type?: string; status?: string }> } | undefined)?.conditions;
  return conditions?.find((c) => c.type === type)?.status ?? null;
}

/** kubectl's printIngress: hosts (at most 3, then `+ N more...`), addresses, `80` or `80, 443` with TLS. */
function ingressCells(o: KObject): unknown[] {
  const spec = (o.spec ?? {}) as {
    ingressClassName?: string;
    rules?: Array<{ host?: string }>;
    tls?: unknown[];
  };
  const hosts = (spec.rules ?? []).map((r) => r.host ?? '').filter(Boolean);
  const hostText = hosts.length
    ? hosts.length > 3
      ? `${hosts.slice(0, 3).join(',')} + ${hosts.length - 3} more...`
      : hosts.join(',')
    : '*';
  const lb =
    (o.status as { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> } } | undefined)?.loadBalancer
      ?.ingress ?? [];
  const address = lb.map((i) => i.ip || i.hostname || '').filter(Boolean);
  return [
    o.metadata.name,
    spec.ingressClassName ?? '<none>',
    hostText,
    address.join(','),
    spec.tls?.length ? '80, 443' : '80',
    age(o),
  ];
}

function rowObject(o: KObject, include: string): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

function tableJson(
  resource: ResourceName,
  objs: KObject[],
  listMeta: Record<string, unknown>,
  include: string,
): string {
  const columnDefinitions = TABLE_COLUMNS[resource].map((c) => ({
    name: c.name,
    type: c.type,
    format: c.format ?? '',
    description: c.description,
    priority: c.priority ?? 0,
  }));
  const rows = objs.map((o) => {
    const row: Record<string, unknown> = { cells: cells(resource, o) };
    const obj = rowObject(o, include);
    if (obj !== undefined) row.object = obj;
    return row;
  });
  return JSON.stringify({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: listMeta, columnDefinitions, rows });
}

/** Whether the Accept header asks for a meta.k8s.io Table (kubectl's human-readable `get`). */
function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const params = part.split(';').map((x) => x.trim());
    return (
      params[0] === 'application/json' &&
      params.includes('as=Table') &&
      params.includes('g=meta.k8s.io') &&
      (params.includes('v=v1') || params.includes('v=v1beta1'))
    );
  });
}

// ── Discovery ─────────────────────────────────────────────────────────────────────────────

/** The verbs this server implements (advertised in discovery). */
const VERBS = ['create', 'get', 'list', 'patch', 'watch'];

/** `versions` and `preferredVersion` of an APIGroup. */
function groupVersions(group: GroupName): {
  versions: Array<{ groupVersion: string; version: string }>;
  preferredVersion: { groupVersion: string; version: string };
} {
  const versions = versionsOf(group).map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { versions, preferredVersion: versions[0]! };
}

function resourceList(group: GroupName, version: string): string {
  const resources: Array<Record<string, unknown>> = [];
  for (const r of Object.values(RESOURCES)) {
    if (r.group !== group || r.version !== version) continue;
    const entry: Record<string, unknown> = {
      name: r.name,
      singularName: r.singularName,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: VERBS,
    };
    if (r.shortNames.length) entry.shortNames = r.shortNames;
    if (r.categories) entry.categories = r.categories;
    entry.storageVersionHash = Buffer.from(r.name).toString('base64').slice(0, 11);
    resources.push(entry);
    if (r.name === 'pods')
      resources.push({ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
  }
  return JSON.stringify({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : 'v1',
    resources,
  });
}

const isOpenApiPath = (path: string): boolean => path === '/openapi/v3' || path.startsWith('/openapi/v3/');

const isGroupPath = (segments: string[], state: KubernetesState): boolean =>
  segments.length === 2 &&
  segments[0] === 'apis' &&
  segments[1] !== '' &&
  GROUPS.includes(segments[1] as GroupName) &&
  state.serves(segments[1] as GroupName);

// ── Writes ────────────────────────────────────────────────────────────────────────────────

/** The API server's request body limit (3 MiB). */
const MAX_BODY = 3 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY)
        reject(new StatusError(413, 'Request entity too large: limit is 3145728', 'RequestEntityTooLarge'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (err) {
    throw new StatusError(400, `the body of the request was in an unknown format: ${(err as Error).message}`);
  }
}

/** `dryRun` must be absent or `All` (the only value the API accepts). */
function isDryRun(q: URLSearchParams): boolean {
  const values = q.getAll('dryRun');
  for (const v of values)
    if (v !== 'All') throw new StatusError(400, `dryRun: Unsupported value: "${v}": supported values: "All"`);
  return values.length > 0;
}

type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

/** `fieldValidation`: Ignore, Warn (the default, as on the API server since 1.27) or Strict. */
function fieldValidation(q: URLSearchParams): FieldValidation {
  const v = q.get('fieldValidation') ?? '';
  if (v === '') return 'Warn';
  if (v === 'Ignore' || v === 'Warn' || v === 'Strict') return v;
  throw new StatusError(
    400,
    `fieldValidation: Unsupported value: "${v}": supported values: "", "Ignore", "Strict", "Warn"`,
  );
}

const unknownField = (path: string): string => `unknown field "${path}"`;
const strictDecodingError = (paths: string[]): string => `strict decoding error: ${paths.map(unknownField).join(', ')}`;

/** `Warning: 299 - "…"` headers, as the API server sends warnings (kubectl prints `Warning: …`). */
function warningHeaders(warnings: string[]): Record<string, string[]> {
  return warnings.length ? { warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`) } : {};
}

/** JSON with object keys sorted, as Go's encoding/json writes a map. */
function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

const isJsonObject = (v: unknown): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const qualified = (r: ResourceInfo): string => `${r.name}${r.group ? `.${r.group}` : ''}`;
/** Kinds whose metadata.generation counts spec changes. */
const GENERATION: ReadonlySet<ResourceName> = new Set<ResourceName>([
  'deployments',
  'networkpolicies',
  'poddisruptionbudgets',
  'ingresses',
  'ingressclasses',
  'gatewayclasses',
  'gateways',
  'httproutes',
  'referencegrants',
  'ingressroutes',
]);
/** Custom resources whose CRD has a status subresource: a create or a patch of the object leaves `status` alone. */
const STATUS_SUBRESOURCE: ReadonlySet<ResourceName> = new Set<ResourceName>([
  'gatewayclasses',
  'gateways',
  'httproutes',
]);
const now = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

// ── Continue tokens ───────────────────────────────────────────────────────────────────────

function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url');
}

function decodeContinue(token: string): { rv: number; start: string } {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      v?: string;
      rv?: number;
      start?: string;
    };
    if (v.v === 'meta.k8s.io/v1' && typeof v.rv === 'number' && typeof v.start === 'string')
      return { rv: v.rv, start: v.start };
  } catch {
    // fall through
  }
  throw new StatusError(
    400,
    'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
  );
}

// ── The server ────────────────────────────────────────────────────────────────────────────

interface Target {
  info: ResourceInfo;
  /** Namespace of a namespaced path. */
  namespace?: string;
  name?: string;
  log?: boolean;
  /** `…/pods/{id}/proxy[/{path}]`: the raw `{id}` (`name`, `name:port`, `scheme:name:port`) and the path. */
  proxy?: { id: string; path: string };
}

interface WatchStream {
  bookmarks: boolean;
  bookmark(): void;
  end(): void;
}

export async function startKubernetesApi(opts: KubernetesApiOptions = {}): Promise<KubernetesApiServer> {
  const state = opts.state ?? opts.data ?? demoState();
  const token = opts.token === undefined ? 'test-token' : opts.token;
  const anonymous = opts.anonymous ?? true;
  const bookmarkMs = opts.bookmarkIntervalMs ?? 5000;
  const maxWatchSeconds = opts.maxWatchSeconds ?? 1800;
  const requests: RecordedRequest[] = [];
  const silent = new Set<ServerResponse>();
  const faults: Array<{ fault: Fault; re?: RegExp; remaining: number }> = [];
  const timers = new Set<NodeJS.Timeout>();
  const watches = new Set<WatchStream>();
  const logStreams = new Set<ServerResponse>();
  let port = 0;

  const setFault = (fault: Fault): void => {
    if (fault.kind === 'rbac') {
      faults.push({ fault, remaining: Infinity });
      return;
    }
    const re =
      fault.path === undefined ? undefined : typeof fault.path === 'string' ? globToRegExp(fault.path) : fault.path;
    faults.push({ fault, re, remaining: fault.times ?? (fault.kind === 'expire-watch' ? 1 : Infinity) });
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

  const send = (
    res: ServerResponse,
    code: number,
    body: string,
    contentType = 'application/json',
    headers: Record<string, string | string[]> = {},
  ): void => {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(code, {
      'content-type': contentType,
      'content-length': String(Buffer.byteLength(body)),
      'cache-control': 'no-cache, private',
      ...headers,
    });
    res.end(body);
  };

  /**
   * `GET /openapi/v3` (the index) and `/openapi/v3/{group-version}`: a document requested with its
   * current `hash` may be cached for good, an old hash is redirected to the current one (as the API
   * server does).
   */
  function openApi(res: ServerResponse, path: string, url: URL): void {
    if (path === '/openapi/v3') {
      send(
        res,
        200,
        openApiIndex((g) => state.serves(g)),
      );
      return;
    }
    const doc = openApiDocument(path.slice('/openapi/v3/'.length), (g) => state.serves(g));
    if (!doc) throw new StatusError(404, 'the server could not find the requested resource', 'NotFound');
    const hash = url.searchParams.get('hash');
    if (hash !== null && hash !== doc.hash) {
      send(res, 301, '', 'text/plain', { location: `${path}?hash=${doc.hash}` });
      return;
    }
    const caching: Record<string, string> =
      hash === null
        ? {}
        : { 'cache-control': 'public, immutable', expires: new Date(Date.now() + 365 * 24 * 3600_000).toUTCString() };
    send(res, 200, doc.json, 'application/json', { etag: `"${doc.hash}"`, ...caching });
  }

  // ── Routing ──────────────────────────────────────────────────────────────────────────────

  function target(segments: string[], trailingSlash = false): Target | 'discovery' | undefined {
    let group: GroupName;
    let version = 'v1';
    let rest: string[];
    if (segments[0] === 'api' && segments[1] === 'v1') {
      group = '';
      rest = segments.slice(2);
    } else if (
      segments[0] === 'apis' &&
      segments[1] &&
      segments[1] !== '' &&
      GROUPS.includes(segments[1] as GroupName) &&
      state.serves(segments[1] as GroupName) &&
      segments[2] !== undefined &&
      versionsOf(segments[1] as GroupName).includes(segments[2])
    ) {
      group = segments[1] as GroupName;
      version = segments[2];
      rest = segments.slice(3);
    } else return undefined;
    if (rest.length === 0) return 'discovery';
    const res = (name: string | undefined): ResourceInfo | undefined => {
      const info = name && Object.hasOwn(RESOURCES, name) ? RESOURCES[name as ResourceName] : undefined;
      return info && info.group === group && info.version === version ? info : undefined;
    };
    if (rest.length <= 2 && rest[0] !== 'namespaces') {
      const info = res(rest[0]);
      if (!info || (rest.length === 2 && info.namespaced)) return undefined;
      return { info, name: rest[1] };
    }
    if (rest[0] === 'namespaces') {
      if (rest.length <= 2) {
        if (group !== '') return undefined;
        return { info: RESOURCES.namespaces, name: rest[1] };
      }
      const info = res(rest[2]);
      if (!info || !info.namespaced) return undefined;
      if (rest.length === 3) return { info, namespace: rest[1] };
      if (rest.length === 4) return { info, namespace: rest[1], name: rest[3] };
      if (rest.length === 5 && info.name === 'pods' && rest[4] === 'log')
        return { info, namespace: rest[1], name: rest[3], log: true };
      if (rest.length >= 5 && info.name === 'pods' && rest[4] === 'proxy') {
        // As getRequestOptions: the subpath (parts after `proxy`), with a leading slash and the
        // request's trailing one; empty for `…/proxy` itself (a `?path=` query is overridden).
        let sub = rest.slice(5).join('/');
        if (sub !== '' && !sub.startsWith('/')) sub = `/${sub}`;
        if (trailingSlash && !sub.endsWith('/')) sub += '/';
        return { info, namespace: rest[1], name: rest[3], proxy: { id: rest[3]!, path: sub } };
      }
    }
    return undefined;
  }

  function rbacCheck(verb: Verb, t: Target): void {
    for (const { fault } of faults) {
      if (fault.kind !== 'rbac') continue;
      const r = t.info;
      const sub = t.log ? 'pods/log' : t.proxy ? 'pods/proxy' : undefined;
      const resource = sub ?? r.name;
      const rbacVerb = sub ? 'get' : verb;
      const what = `${r.name}${r.group ? `.${r.group}` : ''}`;
      // The request's name is the raw segment: `pod:2000` for a proxy request (requestinfo.go).
      const name = t.proxy ? t.proxy.id : t.name;
      const subject = name ? `${what} "${name}"` : what;
      const details: Record<string, unknown> = {};
      if (name) details.name = name;
      if (r.group) details.group = r.group;
      details.kind = sub ? 'pods' : r.name;
      if (sub && t.namespace !== undefined && fault.subresources?.includes(sub as 'pods/log' | 'pods/proxy')) {
        throw new StatusError(
          403,
          `${subject} is forbidden: User "${state.user}" cannot ${rbacVerb} resource "${resource}" in API group "${r.group}" in the namespace "${t.namespace}"`,
          'Forbidden',
          details,
        );
      }
      const clusterWide = t.namespace === undefined && (r.namespaced || t.name === undefined);
      if (clusterWide && fault.clusterScope.includes(r.name)) {
        throw new StatusError(
          403,
          `${subject} is forbidden: User "${state.user}" cannot ${rbacVerb} resource "${resource}" in API group "${r.group}" at the cluster scope`,
          'Forbidden',
          details,
        );
      }
      if (t.namespace !== undefined && fault.namespaces && !fault.namespaces.includes(t.namespace)) {
        throw new StatusError(
          403,
          `${subject} is forbidden: User "${state.user}" cannot ${rbacVerb} resource "${resource}" in API group "${r.group}" in the namespace "${t.namespace}"`,
          'Forbidden',
          details,
        );
      }
    }
  }

  function matches(
    f: FaultMatch & { re?: RegExp },
    rec: RecordedRequest,
    clusterScope: boolean | undefined,
    re: RegExp | undefined,
  ): boolean {
    const any = <T>(want: T | T[] | undefined, have: T | undefined): boolean =>
      want === undefined || (Array.isArray(want) ? have !== undefined && want.includes(have) : want === have);
    if (!any(f.verb, rec.verb)) return false;
    if (!any(f.resource, rec.resource)) return false;
    if (f.namespace !== undefined && f.namespace !== rec.namespace) return false;
    if (f.clusterScope !== undefined && f.clusterScope !== clusterScope) return false;
    if (re && !re.test(rec.path)) return false;
    return true;
  }

  // ── Lists ────────────────────────────────────────────────────────────────────────────────

  function predicate(t: Target, q: URLSearchParams): Predicate | undefined {
    const ls = q.get('labelSelector');
    const fs = q.get('fieldSelector');
    const tests: Predicate[] = [];
    if (ls) tests.push(parseLabelSelector(ls));
    if (fs) tests.push(parseFieldSelector(fs, t.info.name));
    return tests.length ? (o) => tests.every((x) => x(o)) : undefined;
  }

  function list(t: Target, q: URLSearchParams, table: boolean): string {
    const r = t.info;
    const limit = Math.max(0, Math.floor(Number(q.get('limit') ?? '0')) || 0);
    const token = q.get('continue');
    const rvParam = q.get('resourceVersion');
    const match = q.get('resourceVersionMatch');
    let rv = state.resourceVersion;
    let start = '';
    if (token) {
      if (rvParam) throw new StatusError(400, 'specifying resource version is not allowed when using continue');
      const c = decodeContinue(token);
      rv = c.rv;
      start = c.start;
    } else if (rvParam && match === 'Exact') {
      rv = Number(rvParam);
      if (!Number.isInteger(rv) || rv <= 0)
        throw new StatusError(400, `resourceVersion: Invalid value: "${rvParam}": must be a positive integer`);
      if (rv > state.resourceVersion)
        throw new StatusError(504, `Too large resource version: ${rv}, current: ${state.resourceVersion}`, 'Timeout');
    } else if (match && !rvParam) {
      throw new StatusError(
        422,
        'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
      );
    }
    const snap = state.snapshotAt(r.name, rv);
    if (!snap) throw expired(token ? CONTINUE_TOO_OLD : `The resourceVersion for the provided list is too old.`);
    const pred = predicate(t, q);
    let keys = snap.keys;
    if (t.namespace !== undefined && r.namespaced) {
      const prefix = `${t.namespace}/`;
      const from = lowerBound(keys, prefix);
      let to = from;
      while (to < keys.length && keys[to]!.startsWith(prefix)) to++;
      keys = keys.slice(from, to);
    }
    let i = start ? lowerBound(keys, start) : 0;
    const items: Entry[] = [];
    let next: string | undefined;
    for (; i < keys.length; i++) {
      const e = snap.get(keys[i]!)!;
      if (pred && !pred(e.obj)) continue;
      if (limit && items.length === limit) {
        next = encodeContinue(
          rv,
          `${keyOf(items[items.length - 1]!.obj.metadata.namespace, items[items.length - 1]!.obj.metadata.name)}\u0000`,
        );
        break;
      }
      items.push(e);
    }
    const meta: Record<string, unknown> = { resourceVersion: String(rv) };
    if (next) {
      meta.continue = next;
      if (!pred) meta.remainingItemCount = keys.length - i;
    }
    if (table)
      return tableJson(
        r.name,
        items.map((e) => e.obj),
        meta,
        q.get('includeObject') ?? 'Metadata',
      );
    return `{"kind":"${r.kind}List","apiVersion":"${apiVersionOf(r)}","metadata":${JSON.stringify(meta)},"items":[${items.map((e) => e.json).join(',')}]}`;
  }

  function get(t: Target, q: URLSearchParams, table: boolean): string {
    const r = t.info;
    const obj = state.get(r.name, t.namespace, t.name!);
    if (!obj)
      throw new StatusError(404, `${r.name}${r.group ? `.${r.group}` : ''} "${t.name}" not found`, 'NotFound', {
        name: t.name,
        ...(r.group ? { group: r.group } : {}),
        kind: r.name,
      });
    if (table)
      return tableJson(
        r.name,
        [obj],
        { resourceVersion: obj.metadata.resourceVersion },
        q.get('includeObject') ?? 'Metadata',
      );
    return state.entry(r.name, keyOf(r.namespaced ? t.namespace : undefined, t.name!))!.json;
  }

  // ── Create and patch ─────────────────────────────────────────────────────────────────────

  function notFound(r: ResourceInfo, name: string): StatusError {
    return new StatusError(404, `${qualified(r)} "${name}" not found`, 'NotFound', {
      name,
      ...(r.group ? { group: r.group } : {}),
      kind: r.name,
    });
  }

  function requireNamespace(namespace: string | undefined): void {
    if (namespace !== undefined && !state.get('namespaces', undefined, namespace))
      throw new StatusError(404, `namespaces "${namespace}" not found`, 'NotFound', {
        name: namespace,
        kind: 'namespaces',
      });
  }

  /** A 422 Invalid Status (errors.NewInvalid) when there are field errors. */
  function throwInvalid(r: ResourceInfo, name: string, errs: FieldError[]): void {
    if (errs.length === 0) return;
    const { message, details } = invalidStatus(r.kind, r.group, name, errs);
    throw new StatusError(422, message, 'Invalid', details);
  }

  /** `[]byte` fields decoded from base64 (Go's decoder) and written back canonical. */
  function decodeBytes(resource: ResourceName, obj: KObject): void {
    if (resource === 'secrets') canonicalBytesMap(obj.data);
    if (resource === 'configmaps') canonicalBytesMap(obj.binaryData);
  }

  /**
   * The Service storage's allocation (pkg/registry/core/service/storage/alloc.go, single-stack
   * IPv4): a cluster IP from the service range unless headless or ExternalName (a requested one
   * must be in the range and free), IP families, and node ports for NodePort and LoadBalancer.
   */
  function allocateService(obj: KObject, old: KObject | undefined, key: string): FieldError[] {
    const spec = (obj.spec ?? {}) as Record<string, unknown>;
    if (spec.type === 'ExternalName') return [];
    const oldSpec = (old?.spec ?? {}) as Record<string, unknown>;
    const others = state.list('services').filter((s) => `${s.metadata.namespace}/${s.metadata.name}` !== key);
    if (spec.clusterIP && !Array.isArray(spec.clusterIPs)) spec.clusterIPs = [spec.clusterIP];
    const headless = spec.clusterIP === 'None';
    const selector = spec.selector as Record<string, string> | undefined;
    spec.ipFamilyPolicy ??=
      headless && (!selector || Object.keys(selector).length === 0) ? 'RequireDualStack' : 'SingleStack';
    spec.ipFamilies ??= ['IPv4'];
    const hadIP = old !== undefined && oldSpec.type !== 'ExternalName' && Boolean(oldSpec.clusterIP);
    if (!headless && !hadIP) {
      const used = new Set(others.flatMap((s) => (s.spec as { clusterIPs?: string[] } | undefined)?.clusterIPs ?? []));
      if (!spec.clusterIP) {
        const ip = allocateServiceIP(key, used);
        spec.clusterIP = ip;
        spec.clusterIPs = [ip];
      } else {
        const ip = String(spec.clusterIP);
        const failure = !inServiceRange(ip)
          ? `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${SERVICE_CIDR}`
          : used.has(ip)
            ? 'provided IP is already allocated'
            : undefined;
        if (failure)
          return [
            invalidValue('spec.clusterIPs', goStringSlice(spec.clusterIPs), `failed to allocate IP ${ip}: ${failure}`),
          ];
      }
    }
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
      const ports = (Array.isArray(spec.ports) ? spec.ports : []) as Array<Record<string, unknown>>;
      const used = new Set(
        others.flatMap((s) =>
          ((s.spec as { ports?: Array<{ nodePort?: number }> } | undefined)?.ports ?? []).map((p) => p.nodePort ?? 0),
        ),
      );
      for (const p of ports) if (typeof p.nodePort === 'number' && p.nodePort) used.add(p.nodePort);
      for (const p of ports) {
        if (!p.nodePort) {
          p.nodePort = allocateNodePort(`${key}/${String(p.port)}`, used);
          used.add(p.nodePort as number);
        }
      }
    }
    return [];
  }

  /**
   * plugin/pkg/admission/network/defaultingressclass: a new Ingress with neither
   * `spec.ingressClassName` nor the `kubernetes.io/ingress.class` annotation gets the class annotated
   * `ingressclass.kubernetes.io/is-default-class: "true"` (of several, the newest; then by name).
   */
  function defaultIngressClass(obj: KObject): void {
    const spec = (isJsonObject(obj.spec) ? obj.spec : (obj.spec = {})) as Record<string, unknown>;
    if (typeof spec.ingressClassName === 'string') return;
    if (obj.metadata.annotations && INGRESS_CLASS_ANNOTATION in obj.metadata.annotations) return;
    const defaults = state
      .list('ingressclasses')
      .filter((c) => c.metadata.annotations?.[DEFAULT_INGRESS_CLASS_ANNOTATION] === 'true')
      .sort(
        (a, b) =>
          Date.parse(b.metadata.creationTimestamp ?? '') - Date.parse(a.metadata.creationTimestamp ?? '') ||
          a.metadata.name.localeCompare(b.metadata.name),
      );
    if (defaults[0]) spec.ingressClassName = defaults[0].metadata.name;
  }

  /**
   * POST to a collection: 201 with the stored object (dry run: what would be stored, no
   * resourceVersion). Unknown fields: refused with `fieldValidation=Strict`, else dropped (and
   * added to `warnings` unless Ignore).
   */
  function create(t: Target, body: Json, q: URLSearchParams, warnings: string[]): string {
    const r = t.info;
    const dryRun = isDryRun(q);
    const validation = fieldValidation(q);
    if (!isJsonObject(body))
      throw new StatusError(400, `the body of the request was in an unknown format - it must be a JSON object`);
    const unknown = unknownFields(r.name, body);
    if (unknown.length && validation === 'Strict') {
      const kind = typeof body.kind === 'string' && body.kind ? body.kind : r.kind;
      const version = typeof body.apiVersion === 'string' ? body.apiVersion.split('/').pop()! : r.version;
      throw new StatusError(
        400,
        `${kind} in version "${version}" cannot be handled as a ${r.kind}: ${strictDecodingError(unknown)}`,
      );
    }
    if (validation === 'Warn') warnings.push(...unknown.map(unknownField));
    const apiVersion = apiVersionOf(r);
    if (body.apiVersion !== undefined && body.apiVersion !== apiVersion)
      throw new StatusError(
        400,
        `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersion})`,
      );
    if (body.kind !== undefined && body.kind !== r.kind)
      throw new StatusError(
        400,
        `the kind in the data (${String(body.kind)}) does not match the expected kind (${r.kind})`,
      );
    const obj = JSON.parse(JSON.stringify(body)) as KObject;
    dropUnknownFields(r.name, obj);
    obj.metadata = isJsonObject(obj.metadata) ? obj.metadata : ({} as KObject['metadata']);
    const name = obj.metadata.name;
    if (typeof name !== 'string' || name === '')
      throw new StatusError(
        422,
        `${r.kind} "" is invalid: metadata.name: Required value: name or generateName is required`,
        'Invalid',
        { kind: r.kind },
      );
    if (r.namespaced) {
      if (
        obj.metadata.namespace !== undefined &&
        obj.metadata.namespace !== '' &&
        obj.metadata.namespace !== t.namespace
      )
        throw new StatusError(
          400,
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      obj.metadata.namespace = t.namespace;
    } else delete obj.metadata.namespace;
    try {
      decodeBytes(r.name, obj);
    } catch (err) {
      if (!(err instanceof Base64Error)) throw err;
      const kind = typeof body.kind === 'string' && body.kind ? body.kind : r.kind;
      const version = typeof body.apiVersion === 'string' ? body.apiVersion.split('/').pop()! : r.version;
      throw new StatusError(400, `${kind} in version "${version}" cannot be handled as a ${r.kind}: ${err.message}`);
    }
    requireNamespace(r.namespaced ? t.namespace : undefined);
    obj.apiVersion = apiVersion;
    obj.kind = r.kind;
    delete obj.metadata.resourceVersion;
    delete obj.metadata.uid;
    delete obj.metadata.creationTimestamp;
    if (
      r.name === 'deployments' ||
      r.name === 'pods' ||
      r.name === 'namespaces' ||
      r.name === 'services' ||
      STATUS_SUBRESOURCE.has(r.name)
    )
      delete obj.status;
    applyDefaults(r.name, obj);
    if (r.name === 'services' || r.name === 'ingresses') obj.status = { loadBalancer: {} };
    dropEmptyOmitempty(r.name, obj);
    // The DefaultIngressClass admission plugin (mutating admission, before validation).
    if (r.name === 'ingresses') defaultIngressClass(obj);
    // Validation (the strategy's Validate), then the Service storage's allocation (BeginCreate), then the store.
    throwInvalid(r, name, [
      ...validateObject(r.name, obj),
      ...(r.name === 'ingresses' ? validateIngressCreate(obj) : []),
    ]);
    if (r.name === 'services') throwInvalid(r, name, allocateService(obj, undefined, `${t.namespace}/${name}`));
    if (state.get(r.name, t.namespace, name))
      throw new StatusError(409, `${qualified(r)} "${name}" already exists`, 'AlreadyExists', {
        name,
        ...(r.group ? { group: r.group } : {}),
        kind: r.name,
      });
    if (GENERATION.has(r.name)) obj.metadata.generation = 1;
    else delete obj.metadata.generation;
    if (dryRun) {
      obj.metadata.uid = randomUUID();
      obj.metadata.creationTimestamp = now();
      return JSON.stringify(obj);
    }
    state.add(r.name, obj);
    return state.entry(r.name, keyOf(r.namespaced ? t.namespace : undefined, name))!.json;
  }

  /**
   * PATCH of one object: strategic merge patch or JSON merge patch (dry run: the result, not
   * stored). Unknown fields of the patched object: refused with `fieldValidation=Strict` (422, the
   * patch in the message as the API server prints it), else dropped (and added to `warnings`
   * unless Ignore).
   */
  function patch(
    t: Target,
    contentType: string | undefined,
    body: Json,
    q: URLSearchParams,
    warnings: string[],
  ): string {
    const r = t.info;
    const dryRun = isDryRun(q);
    const validation = fieldValidation(q);
    const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    // Custom resources take no strategic merge patch (they have no Go struct with patch tags).
    if (
      r.crd
        ? type !== 'application/merge-patch+json'
        : type !== 'application/strategic-merge-patch+json' && type !== 'application/merge-patch+json'
    ) {
      throw new StatusError(
        415,
        `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json${r.crd ? '' : ', application/strategic-merge-patch+json'}`,
        'UnsupportedMediaType',
      );
    }
    const entry = state.entry(r.name, keyOf(r.namespaced ? t.namespace : undefined, t.name!));
    if (!entry) throw notFound(r, t.name!);
    const current = entry.obj;
    if (!isJsonObject(body))
      throw new StatusError(400, 'the body of the request was in an unknown format - a patch must be a JSON object');
    let patched: Json;
    try {
      patched =
        type === 'application/merge-patch+json'
          ? mergePatch(current as unknown as Json, body)
          : strategicMergePatch(current as unknown as Json, body);
    } catch (err) {
      if (err instanceof PatchError) throw new StatusError(400, err.message);
      throw err;
    }
    if (!isJsonObject(patched) || !isJsonObject(patched.metadata))
      throw new StatusError(422, `${r.kind} "${t.name}" is invalid: metadata: Required value`, 'Invalid');
    const unknown = unknownFields(r.name, patched);
    if (unknown.length && validation === 'Strict') {
      // The API server prints a strategic merge patch as Go prints the decoded map, a JSON merge patch's result as JSON.
      const value = type === 'application/merge-patch+json' ? sortedJson(patched) : goPrint(body);
      const cause = `Invalid value: ${JSON.stringify(value)}: ${strictDecodingError(unknown.sort())}`;
      throw new StatusError(422, ` "" is invalid: patch: ${cause}`, 'Invalid', {
        causes: [{ reason: 'FieldValueInvalid', message: cause, field: 'patch' }],
      });
    }
    if (validation === 'Warn') warnings.push(...[...unknown].sort().map(unknownField));
    dropUnknownFields(r.name, patched);
    const obj = patched as unknown as KObject;
    const sent = obj.metadata.resourceVersion;
    if (sent !== undefined && sent !== current.metadata.resourceVersion) {
      throw new StatusError(
        409,
        `Operation cannot be fulfilled on ${qualified(r)} "${t.name}": the object has been modified; please apply your changes to the latest version and try again`,
        'Conflict',
        { name: t.name, ...(r.group ? { group: r.group } : {}), kind: r.name },
      );
    }
    if (
      obj.metadata.name !== current.metadata.name ||
      (r.namespaced && obj.metadata.namespace !== current.metadata.namespace)
    ) {
      throw new StatusError(
        422,
        `${r.kind} "${t.name}" is invalid: metadata.name: Invalid value: "${String(obj.metadata.name)}": field is immutable`,
        'Invalid',
      );
    }
    // What a patch cannot change: identity, the type, and the status (the status subresource's).
    obj.apiVersion = current.apiVersion;
    obj.kind = current.kind;
    obj.metadata.uid = current.metadata.uid;
    obj.metadata.creationTimestamp = current.metadata.creationTimestamp;
    obj.metadata.resourceVersion = current.metadata.resourceVersion;
    // (Custom resources without a status subresource take their status from the patch.)
    if (!r.crd || STATUS_SUBRESOURCE.has(r.name)) {
      if ('status' in current) obj.status = current.status;
      else delete obj.status;
    }
    try {
      decodeBytes(r.name, obj);
    } catch (err) {
      if (!(err instanceof Base64Error)) throw err;
      const value = type === 'application/merge-patch+json' ? sortedJson(patched) : goPrint(body);
      const cause = `Invalid value: ${JSON.stringify(value)}: ${err.message}`;
      throw new StatusError(422, ` "" is invalid: patch: ${cause}`, 'Invalid', {
        causes: [{ reason: 'FieldValueInvalid', message: cause, field: 'patch' }],
      });
    }
    applyDefaults(r.name, obj);
    const oldSpec = (current.spec ?? {}) as Record<string, unknown>;
    if (r.name === 'services') serviceUpdate((obj.spec ?? {}) as Record<string, unknown>, oldSpec);
    // PrepareForUpdate compares the decoded Go structs: NetworkPolicies with reflect.DeepEqual, so
    // an empty list the patch brings (`ingress: []`) differs from the stored nil one and bumps the
    // generation; Deployments (spec and annotations) and PDBs with Semantic.DeepEqual (empty = nil).
    const rawSpec = structuredClone(obj.spec);
    dropEmptyOmitempty(r.name, obj);
    if (GENERATION.has(r.name)) {
      const changed =
        r.name === 'networkpolicies'
          ? !isDeepStrictEqual(rawSpec, current.spec)
          : !isDeepStrictEqual(obj.spec, current.spec) ||
            (r.name === 'deployments' && !isDeepStrictEqual(obj.metadata.annotations, current.metadata.annotations));
      obj.metadata.generation = (current.metadata.generation ?? 1) + (changed ? 1 : 0);
    }
    throwInvalid(r, t.name!, validateUpdate(r.name, obj, current));
    if (r.name === 'services') throwInvalid(r, t.name!, allocateService(obj, current, `${t.namespace}/${t.name}`));
    // An unchanged object is not written: same resourceVersion, no watch event.
    if (dryRun || isDeepStrictEqual(obj, current)) return JSON.stringify(obj);
    state.update(r.name, obj);
    return state.entry(r.name, keyOf(r.namespaced ? t.namespace : undefined, t.name!))!.json;
  }

  // ── Watch ────────────────────────────────────────────────────────────────────────────────

  function watch(
    req: IncomingMessage,
    res: ServerResponse,
    t: Target,
    q: URLSearchParams,
    table: boolean,
    expire: { http?: boolean } | undefined,
  ): void {
    const r = t.info;
    const pred = predicate(t, q);
    const rvParam = q.get('resourceVersion');
    const bookmarks = q.get('allowWatchBookmarks') === 'true';
    const initialEvents = q.get('sendInitialEvents') === 'true';
    const timeoutSeconds = Math.min(
      Number(q.get('timeoutSeconds') ?? maxWatchSeconds) || maxWatchSeconds,
      maxWatchSeconds,
    );
    if (initialEvents && (q.get('resourceVersionMatch') !== 'NotOlderThan' || !bookmarks)) {
      throw new StatusError(
        422,
        'sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled and resourceVersionMatch is set to NotOlderThan and allowWatchBookmarks is set',
      );
    }
    const from = rvParam && rvParam !== '0' ? Number(rvParam) : undefined;
    if (from !== undefined && (!Number.isInteger(from) || from < 0))
      throw new StatusError(400, `resourceVersion: Invalid value: "${rvParam}": must be an integer`);
    const tooOld = expire !== undefined || (from !== undefined && from < state.compactedRevision);
    const tooOldMessage = `too old resource version: ${from ?? 0} (${state.compactedRevision + 1})`;
    if (tooOld && expire?.http) throw expired(tooOldMessage);

    res.writeHead(200, {
      'content-type': 'application/json',
      'cache-control': 'no-cache, private',
      'transfer-encoding': 'chunked',
    });
    res.flushHeaders();
    const inScope = (o: KObject): boolean =>
      (t.namespace === undefined || !r.namespaced || o.metadata.namespace === t.namespace) &&
      (t.name === undefined || o.metadata.name === t.name);
    const objectJson = (e: Entry): string =>
      table
        ? tableJson(
            r.name,
            [e.obj],
            { resourceVersion: e.obj.metadata.resourceVersion },
            q.get('includeObject') ?? 'Metadata',
          )
        : e.json;
    const write = (type: string, json: string): void => {
      if (!res.destroyed && !res.writableEnded) res.write(`{"type":"${type}","object":${json}}\n`);
    };
    if (tooOld) {
      write('ERROR', statusJson(410, tooOldMessage, 'Expired'));
      res.end();
      return;
    }
    let lastRv = from ?? state.resourceVersion;
    const bookmark = (annotations?: Record<string, string>): void => {
      const metadata: Record<string, unknown> = { resourceVersion: String(Math.max(lastRv, state.resourceVersion)) };
      if (annotations) metadata.annotations = annotations;
      write('BOOKMARK', JSON.stringify({ kind: r.kind, apiVersion: apiVersionOf(r), metadata }));
    };
    const deliver = (c: Change): void => {
      if (c.resource !== r.name) return;
      lastRv = c.rv;
      const now = inScope(c.entry.obj) && (!pred || pred(c.entry.obj));
      const before = c.previous !== undefined && inScope(c.previous.obj) && (!pred || pred(c.previous.obj));
      if (c.type === 'ADDED' && now) write('ADDED', objectJson(c.entry));
      else if (c.type === 'DELETED' && before) write('DELETED', objectJson(c.entry));
      else if (c.type === 'MODIFIED') {
        // An object leaving or entering a selector is DELETED or ADDED for that watcher.
        if (now && before) write('MODIFIED', objectJson(c.entry));
        else if (now) write('ADDED', objectJson(c.entry));
        else if (before) write('DELETED', objectJson(c.entry));
      }
    };
    if (from === undefined || initialEvents) {
      // "Get state and start at most recent": synthetic ADDED events for what exists now.
      for (const key of state.keys(r.name, t.namespace !== undefined && r.namespaced ? t.namespace : undefined)) {
        const e = state.entry(r.name, key)!;
        if (inScope(e.obj) && (!pred || pred(e.obj))) write('ADDED', objectJson(e));
      }
      lastRv = state.resourceVersion;
      if (initialEvents) bookmark({ 'k8s.io/initial-events-end': 'true' });
    } else {
      for (const c of state.changesSince(from)) deliver(c);
    }
    const unsubscribe = state.onChange(deliver);
    const timer = setInterval(() => {
      if (bookmarks) bookmark();
    }, bookmarkMs);
    const stop = setTimeout(() => stream.end(), timeoutSeconds * 1000);
    const stream: WatchStream = {
      bookmarks,
      bookmark: () => bookmark(),
      end: () => {
        unsubscribe();
        clearInterval(timer);
        clearTimeout(stop);
        watches.delete(stream);
        if (!res.writableEnded) res.end();
      },
    };
    watches.add(stream);
    req.on('close', () => stream.end());
  }

  // ── Logs ─────────────────────────────────────────────────────────────────────────────────

  function logs(req: IncomingMessage, res: ServerResponse, t: Target, q: URLSearchParams): void {
    const pod = state.get('pods', t.namespace, t.name!);
    if (!pod) throw new StatusError(404, `pods "${t.name}" not found`, 'NotFound', { name: t.name, kind: 'pods' });
    const containers = containersOf(pod);
    let container = q.get('container') ?? undefined;
    if (!container) {
      if (containers.length !== 1)
        throw new StatusError(
          400,
          `a container name must be specified for pod ${t.name}, choose one of: [${containers.join(' ')}]`,
        );
      container = containers[0]!;
    } else if (!containers.includes(container)) {
      throw new StatusError(400, `container ${container} is not valid for pod ${t.name}`);
    }
    const timestamps = q.get('timestamps') === 'true';
    const follow = q.get('follow') === 'true';
    const tail = q.get('tailLines');
    const limitBytes = Number(q.get('limitBytes') ?? '0') || 0;
    let lines = state.logLines(t.namespace!, t.name!, container);
    if (tail !== null && Number(tail) >= 0) lines = Number(tail) === 0 ? [] : lines.slice(-Number(tail));
    const fmt = (line: string): string => `${timestamps ? `${new Date().toISOString()} ` : ''}${line}\n`;
    if (!follow) {
      let body = lines.map(fmt).join('');
      if (limitBytes) body = body.slice(0, limitBytes);
      send(res, 200, body, 'text/plain');
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/plain',
      'cache-control': 'no-cache, private',
      'transfer-encoding': 'chunked',
    });
    for (const line of lines) res.write(fmt(line));
    const key = state.logKey(t.namespace!, t.name!, container);
    const offLog = state.onLog((k, line) => {
      if (k === key && !res.writableEnded) res.write(fmt(line));
    });
    const offChange = state.onChange((c) => {
      if (c.resource === 'pods' && c.type === 'DELETED' && c.key === `${t.namespace}/${t.name}`) end();
    });
    const end = (): void => {
      offLog();
      offChange();
      logStreams.delete(res);
      if (!res.writableEnded) res.end();
    };
    logStreams.add(res);
    req.on('close', end);
  }

  // ── The pod proxy ────────────────────────────────────────────────────────────────────────

  /**
   * `GET …/pods/{id}/proxy[/{path}]` as the API server answers it (pkg/registry/core/pod
   * ResourceLocation, apimachinery's UpgradeAwareHandler and proxy Transport): `{id}` split as
   * SplitSchemeNamePort (400 `invalid pod request`), 404 for an unknown pod, the first container
   * port when none is given, 400 `address not allowed` without a pod IP, 301 to `…/proxy/` for an
   * empty path, then the pod's answer as it is — or 503 `error trying to reach service: dial tcp
   * IP:PORT: connect: connection refused` when nothing listens there: only a running cloudflared
   * container's metrics listener is simulated (cloudflaredMetrics.ts), at the address its args, env
   * or config give it; a loopback address is not reachable from the API server.
   */
  function proxy(res: ServerResponse, t: Target, url: URL, headers: Record<string, string>): void {
    const id = t.proxy!.id;
    const parts = id.split(':');
    const [scheme, name, port] =
      parts.length === 1
        ? ['', parts[0]!, '']
        : parts.length === 2
          ? ['', parts[0]!, parts[1]!]
          : parts.length === 3
            ? [parts[0]!, parts[1]!, parts[2]!]
            : ['', '', ''];
    if (name === '' || !['', 'http', 'https'].includes(scheme))
      throw new StatusError(400, `invalid pod request ${goQuote(id)}`);
    const pod = state.get('pods', t.namespace, name);
    if (!pod) throw new StatusError(404, `pods "${name}" not found`, 'NotFound', { name, kind: 'pods' });
    const spec = (pod.spec ?? {}) as { containers?: Array<{ ports?: Array<{ containerPort: number }> }> };
    const podPort = port || String(spec.containers?.find((c) => c.ports?.length)?.ports?.[0]?.containerPort ?? '');
    const ip = (pod.status as { podIPs?: Array<{ ip: string }> } | undefined)?.podIPs?.[0]?.ip;
    if (!ip) throw new StatusError(400, 'address not allowed');
    if (t.proxy!.path === '') {
      send(res, 301, '', 'text/plain; charset=utf-8', { location: `${url.pathname}/${url.search}` });
      return;
    }
    const host = podPort === '' ? ip : `${ip}:${podPort}`;
    const unreachable = (why: string): StatusError =>
      new StatusError(503, `error trying to reach service: ${why}`, 'ServiceUnavailable');
    if (podPort !== '' && !/^\d+$/.test(podPort)) throw unreachable(`dial tcp: lookup tcp/${podPort}: unknown port`);
    const listener = cloudflaredListener(state, pod);
    const dialed = podPort === '' ? '80' : podPort;
    if (!listener || listener.loopback || String(listener.port) !== dialed)
      throw unreachable(`dial tcp ${host.includes(':') ? host : `${host}:80`}: connect: connection refused`);
    if (scheme === 'https') throw unreachable(`http: server gave HTTP response to HTTPS client`);
    const b = state.cloudflaredBehaviour.get(`${t.namespace}/${name}`) ?? defaultBehaviour(name);
    const cf = instance(name, b, listener.defaults);
    const now = opts.clock?.() ?? Date.now();
    const path = t.proxy!.path;
    if (path === '/metrics') {
      const text = metricsPage(cf, now);
      const type = 'text/plain; version=0.0.4; charset=utf-8; escaping=underscores';
      if (/\bgzip\b/.test(headers['accept-encoding'] ?? '')) {
        const body = gzipSync(text);
        if (res.destroyed || res.writableEnded) return;
        res.writeHead(200, {
          'content-type': type,
          'content-encoding': 'gzip',
          'content-length': String(body.length),
          'cache-control': 'no-cache, private',
        });
        res.end(body);
        return;
      }
      send(res, 200, text, type);
      return;
    }
    if (path === '/ready') {
      const r = readyAnswer(cf);
      send(res, r.status, r.body, 'text/plain; charset=utf-8');
      return;
    }
    if (path === '/healthcheck') {
      send(res, 200, 'OK\n', 'text/plain; charset=utf-8');
      return;
    }
    send(res, 404, '404 page not found\n', 'text/plain; charset=utf-8', { 'x-content-type-options': 'nosniff' });
  }

  // ── Handling ─────────────────────────────────────────────────────────────────────────────

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const q = url.searchParams;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    const tgt = target(segments, url.pathname.length > 1 && url.pathname.endsWith('/'));
    const isWatch = q.get('watch') === 'true' || q.get('watch') === '1';
    const rec: RecordedRequest = { method, path, url: req.url ?? '/', query: Object.fromEntries(q), headers };
    let clusterScope: boolean | undefined;
    if (tgt && tgt !== 'discovery') {
      rec.resource = tgt.info.name;
      if (tgt.namespace !== undefined) rec.namespace = tgt.namespace;
      rec.verb =
        method === 'POST'
          ? 'create'
          : method === 'PATCH'
            ? 'patch'
            : tgt.log
              ? 'log'
              : tgt.proxy
                ? 'proxy'
                : tgt.name !== undefined && !isWatch
                  ? 'get'
                  : isWatch
                    ? 'watch'
                    : 'list';
      clusterScope = tgt.namespace === undefined && tgt.name === undefined;
    } else if (
      tgt === 'discovery' ||
      ['/api', '/apis', '/version'].includes(path) ||
      isGroupPath(segments, state) ||
      isOpenApiPath(path)
    )
      rec.verb = 'discovery';
    requests.push(rec);
    opts.log?.(`${method} ${req.url}`);

    // Authentication comes first, as in the API server.
    const auth = headers.authorization;
    const authOk = auth === undefined ? anonymous : token === null || auth === `Bearer ${token}`;
    if (!authOk && !['/healthz', '/readyz', '/livez'].includes(path)) {
      send(res, 401, statusJson(401, 'Unauthorized', 'Unauthorized'));
      return;
    }

    let expire: { http?: boolean } | undefined;
    for (const f of faults) {
      const fault = f.fault;
      if (fault.kind === 'rbac' || f.remaining <= 0) continue;
      if (!matches(fault, rec, clusterScope, f.re)) continue;
      if (fault.kind === 'expire-watch') {
        if (rec.verb !== 'watch' || expire) continue;
        f.remaining--;
        expire = { http: fault.http };
        continue;
      }
      f.remaining--;
      if (fault.kind === 'delay') {
        await sleep(fault.delayMs);
        continue;
      }
      if (fault.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (fault.kind === 'silent') {
        silent.add(res);
        res.once('close', () => silent.delete(res));
        return;
      }
      const extra: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined) extra['retry-after'] = String(fault.retryAfterSeconds);
      const details =
        fault.retryAfterSeconds !== undefined ? { retryAfterSeconds: fault.retryAfterSeconds } : undefined;
      send(
        res,
        fault.status,
        statusJson(fault.status, fault.message ?? defaultMessage(fault.status), fault.reason, details),
        'application/json',
        extra,
      );
      return;
    }

    try {
      const write = method === 'POST' || method === 'PATCH';
      if (!write && method !== 'GET' && method !== 'HEAD')
        throw new StatusError(
          405,
          `the server does not allow this method on the requested resource`,
          'MethodNotAllowed',
        );
      if (
        write &&
        tgt &&
        (tgt === 'discovery' || tgt.log || tgt.proxy || (method === 'POST') !== (tgt.name === undefined))
      ) {
        throw new StatusError(
          405,
          `the server does not allow this method on the requested resource`,
          'MethodNotAllowed',
        );
      }
      const accept = headers.accept;
      if (path === '/version') {
        send(
          res,
          200,
          JSON.stringify({
            major: '1',
            minor: '32',
            emulationMajor: '1',
            emulationMinor: '32',
            gitVersion: 'v1.32.0',
            gitCommit: '0000000000000000000000000000000000000000',
            gitTreeState: 'clean',
            buildDate: '2026-01-01T00:00:00Z',
            goVersion: 'go1.23.4',
            compiler: 'gc',
            platform: 'linux/amd64',
          }),
        );
        return;
      }
      if (path === '/healthz' || path === '/readyz' || path === '/livez') {
        send(res, 200, 'ok', 'text/plain');
        return;
      }
      if (path === '/api') {
        send(
          res,
          200,
          JSON.stringify({
            kind: 'APIVersions',
            versions: ['v1'],
            serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${port}` }],
          }),
        );
        return;
      }
      if (path === '/apis') {
        const groups = GROUPS.filter((g) => g !== '' && state.serves(g)).map((g) => ({
          name: g,
          ...groupVersions(g),
        }));
        send(res, 200, JSON.stringify({ kind: 'APIGroupList', apiVersion: 'v1', groups }));
        return;
      }
      if (isGroupPath(segments, state)) {
        const g = segments[1] as GroupName;
        send(res, 200, JSON.stringify({ kind: 'APIGroup', apiVersion: 'v1', name: g, ...groupVersions(g) }));
        return;
      }
      if (tgt === 'discovery') {
        send(
          res,
          200,
          segments[0] === 'api' ? resourceList('', 'v1') : resourceList(segments[1] as GroupName, segments[2]!),
        );
        return;
      }
      if (isOpenApiPath(path) && method !== 'POST' && method !== 'PATCH') {
        openApi(res, path, url);
        return;
      }
      if (!tgt) throw new StatusError(404, 'the server could not find the requested resource', 'NotFound');
      rbacCheck(rec.verb!, tgt);
      if (method === 'POST') {
        const type = (headers['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase();
        if (type !== 'application/json')
          throw new StatusError(
            415,
            `the body of the request was in an unknown format - accepted media types include: application/json`,
            'UnsupportedMediaType',
          );
        const warnings: string[] = [];
        send(
          res,
          201,
          create(tgt, parseBody(await readBody(req)), q, warnings),
          'application/json',
          warningHeaders(warnings),
        );
        return;
      }
      if (method === 'PATCH') {
        const warnings: string[] = [];
        send(
          res,
          200,
          patch(tgt, headers['content-type'], parseBody(await readBody(req)), q, warnings),
          'application/json',
          warningHeaders(warnings),
        );
        return;
      }
      const table = wantsTable(accept);
      if (tgt.log) return logs(req, res, tgt, q);
      if (tgt.proxy) return proxy(res, tgt, url, headers);
      if (isWatch) {
        if (tgt.name !== undefined)
          q.set('fieldSelector', [q.get('fieldSelector'), `metadata.name=${tgt.name}`].filter(Boolean).join(','));
        return watch(req, res, { ...tgt, name: undefined }, q, table, expire);
      }
      send(res, 200, tgt.name !== undefined ? get(tgt, q, table) : list(tgt, q, table));
    } catch (err) {
      if (err instanceof StatusError) send(res, err.code, statusJson(err.code, err.message, err.reason, err.details));
      else if (err instanceof StateError) send(res, err.code, statusJson(err.code, err.message));
      else send(res, 500, statusJson(500, `Internal error occurred: ${(err as Error).message}`));
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, statusJson(500, `Internal error occurred: ${(err as Error).message}`));
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    port,
    state,
    requests,
    silentCount: () => silent.size,
    setFault,
    clearFaults: () => void faults.splice(0),
    kubeconfigYaml: (contextName = 'local', o = {}) =>
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: local-cluster',
        '  cluster:',
        `    server: ${url}`,
        '    insecure-skip-tls-verify: true',
        'users:',
        `- name: ${o.user ?? 'local-user'}`,
        '  user:',
        `    token: ${token ?? 'anything'}`,
        'contexts:',
        `- name: ${contextName}`,
        '  context:',
        '    cluster: local-cluster',
        `    user: ${o.user ?? 'local-user'}`,
        `    namespace: ${o.namespace ?? 'default'}`,
        `current-context: ${contextName}`,
        'preferences: {}',
        '',
      ].join('\n'),
    watchCount: () => watches.size,
    closeWatches: () => {
      for (const w of [...watches]) w.end();
    },
    sendBookmarks: () => {
      for (const w of watches) if (w.bookmarks) w.bookmark();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        for (const w of [...watches]) w.end();
        for (const r of [...logStreams]) if (!r.writableEnded) r.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function defaultMessage(code: number): string {
  switch (code) {
    case 500:
      return 'Internal error occurred: etcdserver: request timed out';
    case 503:
      return 'the server is currently unable to handle the request';
    case 429:
      return 'the server has received too many requests and has asked us to try again later';
    case 504:
      return 'the server was unable to return a response in the time allotted, but may still be processing the request';
    default:
      return REASONS[code] ?? `HTTP ${code}`;
  }
}
