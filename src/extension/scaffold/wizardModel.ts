/**
 * The vscode-free part of "New cloudflared Kustomize Folder…": the step runner (Back and cancel),
 * input validation, the origin URL of a cluster Service, the "Route DNS" step's choices and
 * changes (planned by src/core/scaffold/dnsRoutes.ts), the origin's Service as the cluster has it
 * (for the NetworkPolicy), and the question when the Deployment the folder would write exists with
 * another (immutable) selector. The UI is in wizard.ts.
 */
import type { CloudflareApi } from '../../cloudflare/api';
import type { DnsRecord } from '../../cloudflare/types';
import { describeRecord, planDnsRoutes, reconcileDnsPlan, zoneHostnames } from '../../core/scaffold/dnsRoutes';
import type { DnsRoutePlan, DnsRouteResult, DnsStep, HostnameRoute } from '../../core/scaffold/dnsRoutes';
import { DEFAULT_NAME, DEFAULT_NAMESPACE, DEFAULT_REPLICAS, podLabelsForName } from '../../core/scaffold/scaffold';
import type { ScaffoldOptions } from '../../core/scaffold/scaffold';
import { podFromObject, serviceFromObject } from '../../core/scaffold/networkPolicy';
import type { PolicyPod, PolicyService } from '../../core/scaffold/networkPolicy';
import { parseURL, urlHostname } from '../../core/go/url';
import { parseServiceHost, serviceHost } from '../../core/kubernetes/serviceHost';
import { controllerChoices } from '../../core/scaffold/controllers';
import type { ControllerChoice } from '../../core/scaffold/controllers';

/** What a step returns: go on, go back one step, or cancel the whole wizard (Escape). */
export type StepResult = 'next' | 'back' | 'cancel';
export type Step<S> = (state: S) => Promise<StepResult>;

/**
 * Runs `steps` in order on `state`; 'back' re-runs the previous step (the first step's Back
 * cancels). Returns true when every step completed, false when cancelled.
 */
export async function runSteps<S>(state: S, steps: ReadonlyArray<Step<S>>): Promise<boolean> {
  let i = 0;
  while (i < steps.length) {
    const r = await steps[i]!(state);
    if (r === 'cancel') return false;
    if (r === 'back') {
      if (i === 0) return false;
      i--;
    } else {
      i++;
    }
  }
  return true;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function validateTunnelId(text: string): string | undefined {
  return UUID.test(text.trim()) ? undefined : "The tunnel's UUID: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
}

export function validateNamespace(text: string): string | undefined {
  const ns = text.trim() || DEFAULT_NAMESPACE;
  return DNS_LABEL.test(ns) && ns.length <= 63
    ? undefined
    : "A namespace name: lower-case letters, digits and '-', at most 63";
}

export function parseReplicas(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return DEFAULT_REPLICAS;
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return n >= 1 && n <= 100 ? n : undefined;
}

export function validateReplicas(text: string): string | undefined {
  return parseReplicas(text) === undefined ? 'A whole number from 1 to 100' : undefined;
}

export function validateOriginUrl(text: string): string | undefined {
  try {
    const u = new URL(text.trim());
    return /^(https?|tcp|ssh|rdp|unix|unix\+tls):$/.test(u.protocol)
      ? undefined
      : 'A URL such as http://web.apps.svc.cluster.local:8080';
  } catch {
    return 'A URL such as http://web.apps.svc.cluster.local:8080';
  }
}

export interface ServicePortLike {
  name?: string;
  port: number;
  protocol?: string;
  appProtocol?: string;
}

/** The origin URL cloudflared uses for a Service port: its cluster DNS name, https for 443/https ports. */
export function originForService(
  svc: { name: string; namespace: string },
  port: ServicePortLike,
  clusterDomain?: string,
): string {
  const https = port.port === 443 || port.name === 'https' || port.appProtocol === 'https';
  return `${https ? 'https' : 'http'}://${serviceHost(svc.name, svc.namespace, { clusterDomain })}:${port.port}`;
}

/** The TCP ports of a Service an HTTP origin can use. */
export function originPorts<P extends ServicePortLike>(ports: readonly P[]): P[] {
  return ports.filter((p) => (p.protocol ?? 'TCP').toUpperCase() === 'TCP');
}

/** The modal's text for files that would change. */
export function conflictMessage(folder: string, conflicts: readonly string[]): { message: string; detail: string } {
  return {
    message: `${conflicts.length === 1 ? 'A file' : `${conflicts.length} files`} in ${folder} would change. Overwrite?`,
    detail: `These files exist with different content:\n${conflicts.map((c) => `• ${c}`).join('\n')}\n\nOther files are written or left as they are.`,
  };
}

// ── "All hostnames to my ingress controller" ──────────────────────────────────────────────────

/** A Service as the cluster's Services list summarises it (no labels, no selector). */
export interface ListedService {
  namespace: string;
  name: string;
  type?: string;
  ports: Array<{ name?: string; port: number; protocol?: string; targetPort?: number | string }>;
}

/** A controller the origin step offers, and where it was found. */
export interface WizardController extends ControllerChoice {
  from: 'cluster' | 'workspace';
}

/**
 * The ingress controllers (or Gateways' Services) "All hostnames to my ingress controller" offers:
 * the connected cluster's Services (its list has names only, so by their well-known names), then
 * the workspace's manifests (labels, selectors and pod images too); one per Service, the cluster's first.
 */
export function wizardControllers(
  listed: readonly ListedService[],
  workspace: { services: readonly PolicyService[]; pods: readonly PolicyPod[] },
  clusterDomain?: string,
): WizardController[] {
  const fromCluster = controllerChoices(
    listed.map((s) => ({
      name: s.name,
      namespace: s.namespace,
      ...(s.type ? { type: s.type } : {}),
      ports: s.ports.map((p) => ({
        port: p.port,
        ...(p.name !== undefined ? { name: p.name } : {}),
        ...(p.protocol !== undefined ? { protocol: p.protocol } : {}),
        ...(p.targetPort !== undefined ? { targetPort: p.targetPort } : {}),
      })),
    })),
    [],
    clusterDomain,
  ).map((c): WizardController => ({ ...c, from: 'cluster' }));
  const seen = new Set(fromCluster.map((c) => `${c.service.namespace}/${c.service.name}`));
  const fromWorkspace = controllerChoices(workspace.services, workspace.pods, clusterDomain)
    .filter((c) => !seen.has(`${c.service.namespace}/${c.service.name}`))
    .map((c): WizardController => ({ ...c, from: 'workspace' }));
  return [...fromCluster, ...fromWorkspace];
}

/** The origin step's item for a controller. */
export function controllerItem(c: WizardController): { label: string; description: string; detail: string } {
  return {
    label: `$(globe) All hostnames to my ingress controller`,
    description: `${c.controller.label} · ${c.service.namespace}/${c.service.name}${c.from === 'workspace' ? ' (workspace)' : ''}`,
    detail: `ZONE and *.ZONE → ${c.origin}, then http_status:404; DNS for both; the NetworkPolicy allows only the controller`,
  };
}

/** The zone input's check: a domain such as example.com (no wildcard, no scheme). */
export function validateZone(text: string): string | undefined {
  const z = text.trim().toLowerCase().replace(/\.$/, '');
  return /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(z)
    ? undefined
    : 'A domain such as example.com: its apex and every subdomain go to the controller';
}

// ── The "Route DNS" step ──────────────────────────────────────────────────────────────────────

/** The wrapper calls the DNS step makes (CloudflareApi has them). */
export type DnsRouteApi = Pick<CloudflareApi, 'listDnsRecords' | 'createTunnelCname' | 'pointRecordAtTunnel'>;

/** The records at `zone` and `*.zone` (two exact-name lists). */
export async function recordsAtZoneHostnames(api: DnsRouteApi, zoneId: string, zone: string): Promise<DnsRecord[]> {
  const lists = await Promise.all(zoneHostnames(zone).map((name) => api.listDnsRecords(zoneId, { name })));
  return lists.flat();
}

/** What the plan step offers: choices (first is the default) and the records it lists. */
export interface DnsPlanChoice {
  label: string;
  description?: string;
  detail?: string;
  /** undefined: leave DNS alone. */
  value?: { overwrite: boolean };
}

export interface DnsPlanLine {
  label: string;
  description: string;
  detail: string;
}

/**
 * The plan step's content. The default (first) choice never overwrites: overwriting is its own,
 * explicit choice that names the records it replaces.
 */
export function dnsPlanChoices(
  plan: DnsRoutePlan,
  tunnelLabel: string,
): { choices: DnsPlanChoice[]; lines: DnsPlanLine[] } {
  const of = (kind: string): HostnameRoute[] => plan.routes.filter((r) => r.kind === kind);
  const creates = of('create');
  const overwrites = of('overwrite');
  const names = (rs: HostnameRoute[]): string => rs.map((r) => r.hostname).join(' and ');
  const choices: DnsPlanChoice[] = [];
  if (overwrites.length === 0) {
    if (creates.length > 0) {
      choices.push({
        label: `$(check) Create ${names(creates)}`,
        description: `proxied CNAME${creates.length > 1 ? 's' : ''} → ${plan.target}`,
        value: { overwrite: false },
      });
    } else {
      const conflicts = of('conflict');
      choices.push({
        label: '$(check) Continue',
        description:
          conflicts.length === 0
            ? `both already route to ${tunnelLabel}`
            : `${names(conflicts)} cannot be changed automatically`,
        value: { overwrite: false },
      });
    }
  } else {
    if (creates.length > 0) {
      choices.push({
        label: `$(check) Create ${names(creates)} only`,
        description: `keep the existing record${overwrites.length > 1 ? 's' : ''} of ${names(overwrites)}`,
        value: { overwrite: false },
      });
    } else {
      choices.push({
        label: '$(check) Keep the existing records',
        description: 'overwrite nothing',
        value: { overwrite: false },
      });
    }
    choices.push({
      label: `$(warning) Overwrite ${names(overwrites)}${creates.length > 0 ? ` and create ${names(creates)}` : ''}`,
      description: `route to ${tunnelLabel}`,
      detail: `Replaces ${overwrites.map((r) => `${r.hostname} ${describeRecord(r.records[0]!)}`).join(', ')} with a proxied CNAME → ${plan.target}`,
      value: { overwrite: true },
    });
  }
  choices.push({ label: '$(close) Skip DNS', description: 'change no DNS record' });

  const lines: DnsPlanLine[] = [];
  for (const r of plan.routes) {
    const what =
      r.kind === 'create'
        ? 'created'
        : r.kind === 'routed'
          ? 'already routed: nothing to do'
          : r.kind === 'overwrite'
            ? 'overwritten only if you choose Overwrite'
            : 'not changed';
    if (r.records.length === 0)
      lines.push({
        label: `$(add) ${r.hostname}`,
        description: 'no A, AAAA or CNAME record',
        detail: `Will be created: proxied CNAME → ${plan.target}`,
      });
    for (const rec of r.records) {
      const icon = r.kind === 'routed' ? '$(pass)' : r.kind === 'overwrite' ? '$(warning)' : '$(error)';
      lines.push({ label: `${icon} ${r.hostname}`, description: describeRecord(rec), detail: `${what}: ${r.reason}` });
    }
    for (const rec of r.kept)
      lines.push({
        label: `$(circle-outline) ${r.hostname}`,
        description: describeRecord(rec),
        detail: 'kept as it is',
      });
  }
  return { choices, lines };
}

/**
 * Carries out the confirmed plan: re-reads the two names, reconciles (nothing is overwritten that
 * changed since it was shown), then makes each change on its own, so one failure does not stop or
 * hide the others. `progress` is told each hostname before its call.
 */
export async function applyDnsRoutes(
  api: DnsRouteApi,
  zoneId: string,
  confirmed: DnsRoutePlan,
  overwrite: boolean,
  progress: (hostname: string) => void = () => undefined,
): Promise<DnsRouteResult[]> {
  let steps: DnsStep[];
  try {
    const fresh = planDnsRoutes(
      confirmed.zone,
      confirmed.tunnelId,
      await recordsAtZoneHostnames(api, zoneId, confirmed.zone),
    );
    steps = reconcileDnsPlan(confirmed, overwrite, fresh);
  } catch (err) {
    const detail = `could not read the current records: ${err instanceof Error ? err.message : String(err)}`;
    return confirmed.routes.map((r) => ({ hostname: r.hostname, outcome: 'failed', detail }));
  }
  const results: DnsRouteResult[] = [];
  for (const step of steps) {
    if ('result' in step) {
      results.push(step.result);
      continue;
    }
    const { change } = step;
    progress(change.hostname);
    try {
      if (change.kind === 'create') {
        await api.createTunnelCname(zoneId, change.hostname, confirmed.tunnelId);
        results.push({ hostname: change.hostname, outcome: 'created', detail: `proxied CNAME → ${confirmed.target}` });
      } else {
        await api.pointRecordAtTunnel(zoneId, change.record.id, change.hostname, confirmed.tunnelId);
        results.push({
          hostname: change.hostname,
          outcome: 'overwritten',
          detail: `was ${describeRecord(change.record)}`,
        });
      }
    } catch (err) {
      results.push({
        hostname: change.hostname,
        outcome: 'failed',
        detail: err instanceof Error ? err.message : String(err),
      });
    }
  }
  return results;
}

// ── The origin's Service, for the NetworkPolicy ───────────────────────────────────────────────

/** The cluster Service an origin URL names (`web.apps.svc.cluster.local`, `web.apps`, or a bare name in `namespace`). */
export function originServiceRef(
  origin: string,
  namespace: string,
  clusterDomain?: string,
): { namespace: string; name: string } | undefined {
  const parsed = parseURL(origin.trim());
  if (!parsed.ok || !parsed.url.host) return undefined;
  const ref = parseServiceHost(urlHostname(parsed.url), { clusterDomain, defaultNamespace: namespace });
  return ref && { namespace: ref.namespace, name: ref.name };
}

/** What was read of the origin's Service: the Service object, the pods it selects, or why it could not be read. */
export interface OriginRead {
  service?: unknown;
  pods?: unknown[];
  error?: string;
}

/**
 * The Services and pods the scaffold's NetworkPolicy resolves the origin with: the Service as the
 * cluster has it (selector, ports with targetPort), and the pods it selects (named targetPorts).
 * Never a Service rebuilt from the Services list's summary: that has no selector, and the policy
 * would call the origin "no selector (manual Endpoints)" and block it. A Service that could not be
 * read is left out (the scaffold then allows its namespace and says so), with a note saying why.
 */
export function originPolicyInputs(
  ref: { name: string; namespace: string },
  read: OriginRead,
): { services: PolicyService[]; pods: PolicyPod[]; note?: string } {
  const svc =
    read.service === undefined
      ? undefined
      : serviceFromObject({ kind: 'Service', ...(read.service as object) }, ref.namespace);
  if (!svc || svc.name !== ref.name || svc.namespace !== ref.namespace) {
    return {
      services: [],
      pods: [],
      ...(read.error ? { note: `Service ${ref.namespace}/${ref.name} could not be read (${read.error}).` } : {}),
    };
  }
  const pods = (read.pods ?? []).flatMap((p) => podFromObject({ kind: 'Pod', ...(p as object) }, ref.namespace) ?? []);
  return { services: [svc], pods };
}

// ── An existing Deployment of the same name ───────────────────────────────────────────────────

/** What the wizard needs of a Deployment that already exists where the folder would put its own. */
export interface ExistingDeployment {
  namespace: string;
  name: string;
  /** `spec.selector.matchLabels`. */
  matchLabels: Record<string, string>;
  /** `spec.selector.matchExpressions` as text (`key In (a,b)`); none: the selector is labels only. */
  matchExpressions: string[];
  /** The pod template's labels. */
  templateLabels: Record<string, string>;
  /** The selector's matchLabels of the last `kubectl apply` (its last-applied-configuration annotation), if any. */
  lastAppliedMatchLabels?: Record<string, string>;
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
const strMap = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(asObj(v) ?? {}).map(([k, x]) => [k, String(x)]));

/** The parts of a Deployment (as the API returns it) the conflict check reads; undefined for anything else. */
export function existingDeployment(obj: unknown): ExistingDeployment | undefined {
  const o = asObj(obj);
  const meta = asObj(o?.metadata);
  const spec = asObj(o?.spec);
  if (!o || !meta || typeof meta.name !== 'string') return undefined;
  const selector = asObj(spec?.selector);
  const expressions = (Array.isArray(selector?.matchExpressions) ? selector.matchExpressions : []).map((e) => {
    const x = asObj(e) ?? {};
    const values = Array.isArray(x.values) ? ` (${x.values.map(String).join(',')})` : '';
    return `${String(x.key)} ${String(x.operator)}${values}`;
  });
  let lastApplied: Record<string, string> | undefined;
  const annotation = asObj(meta.annotations)?.['kubectl.kubernetes.io/last-applied-configuration'];
  if (typeof annotation === 'string') {
    try {
      lastApplied = strMap(asObj(asObj(asObj(JSON.parse(annotation))?.spec)?.selector)?.matchLabels);
    } catch {
      lastApplied = undefined;
    }
  }
  return {
    ...(lastApplied ? { lastAppliedMatchLabels: lastApplied } : {}),
    namespace: typeof meta.namespace === 'string' ? meta.namespace : '',
    name: meta.name,
    matchLabels: strMap(selector?.matchLabels),
    matchExpressions: expressions,
    templateLabels: strMap(asObj(asObj(asObj(spec?.template)?.metadata))?.labels),
  };
}

/** The selector the scaffold writes for these options (see ScaffoldOptions.selector). */
export function plannedSelector(
  options: Pick<ScaffoldOptions, 'name' | 'selector' | 'podLabels'>,
): Record<string, string> {
  return { ...(options.selector ?? options.podLabels ?? podLabelsForName(options.name ?? DEFAULT_NAME)) };
}

export type DeploymentChoice =
  | { kind: 'rename'; label: string; name: string }
  | { kind: 'keep'; label: string; selector: Record<string, string>; podLabels: Record<string, string> };

export interface DeploymentConflict {
  /** kubectl apply would change the selector: the API server refuses (422 "field is immutable"). */
  refused: boolean;
  message: string;
  detail: string;
  /** What the user may do (Cancel is always there besides). */
  choices: DeploymentChoice[];
}

const labelsText = (labels: Record<string, string>): string =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',') || '(none)';
const sameLabels = (a: Record<string, string>, b: Record<string, string>): boolean => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
};

/**
 * The selector `kubectl apply` leaves on the existing Deployment: its three-way merge keeps the
 * labels it did not apply itself, removes those of its last apply that the folder drops, and sets
 * the folder's. Different from the existing selector: the API server refuses the change.
 */
export function appliedSelector(existing: ExistingDeployment, planned: Record<string, string>): Record<string, string> {
  const out = { ...existing.matchLabels };
  for (const k of Object.keys(existing.lastAppliedMatchLabels ?? {})) if (!(k in planned)) delete out[k];
  return { ...out, ...planned };
}

/**
 * The question to ask when the Deployment the folder would write exists with another selector:
 * `spec.selector` is immutable, so `kubectl apply` is refused (422 "field is immutable") when its
 * merge changes it (`refused`), and otherwise takes over a Deployment the folder did not write.
 * Undefined when the selectors are the same: applying is an update. `freeName` is the name the
 * "Use another name" choice suggests. "Keep the existing labels" is offered when the existing
 * selector is labels only (matchExpressions cannot be written by the scaffold).
 */
export function deploymentConflict(
  existing: ExistingDeployment,
  planned: Record<string, string>,
  freeName: string,
): DeploymentConflict | undefined {
  if (existing.matchExpressions.length === 0 && sameLabels(existing.matchLabels, planned)) return undefined;
  const where = `${existing.namespace}/${existing.name}`;
  const refused = !sameLabels(appliedSelector(existing, planned), existing.matchLabels);
  const theirs =
    [
      ...(Object.keys(existing.matchLabels).length > 0 ? [labelsText(existing.matchLabels)] : []),
      ...existing.matchExpressions,
    ].join(', ') || '(empty)';
  const choices: DeploymentChoice[] = [{ kind: 'rename', label: `Use another name (${freeName})`, name: freeName }];
  const keepable = existing.matchExpressions.length === 0 && Object.keys(existing.matchLabels).length > 0;
  if (keepable) {
    // A valid Deployment's template carries its selector's labels; add them should it not.
    choices.push({
      kind: 'keep',
      label: 'Keep the existing labels',
      selector: { ...existing.matchLabels },
      podLabels: { ...existing.templateLabels, ...existing.matchLabels },
    });
  }
  const detail = [
    refused
      ? `Deployment ${where} exists with selector ${theirs}; the folder's would be ${labelsText(planned)}. A Deployment's selector cannot change: kubectl apply -k would be refused (422 "field is immutable").`
      : `Deployment ${where} exists with selector ${theirs}; the folder's would be ${labelsText(planned)}. kubectl apply -k would merge the labels and take that Deployment over: its pods would be replaced by this folder's.`,
    '',
    `• Use another name: Deployment ${freeName} (and its NetworkPolicy and PodDisruptionBudget) with labels of its own, next to the existing one.`,
    keepable
      ? `• Keep the existing labels: the folder uses selector ${labelsText(existing.matchLabels)} and updates ${where} in place; its pods are replaced by this folder's.`
      : `• Keeping the existing labels is not offered: its selector uses matchExpressions, which the folder does not write.`,
  ].join('\n');
  return {
    refused,
    message: `Deployment ${existing.name} already exists in namespace ${existing.namespace} with another selector.`,
    detail,
    choices,
  };
}

/**
 * A Deployment name not in `taken`: `cloudflared-<tunnel name>` when the tunnel has a name that
 * makes a valid one, else `cloudflared-2`, `cloudflared-3`, ….
 */
export function suggestDeploymentName(taken: readonly string[], tunnelName?: string): string {
  const used = new Set(taken);
  const slug = (tunnelName ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  if (slug) {
    const base = (slug.startsWith(DEFAULT_NAME) ? slug : `${DEFAULT_NAME}-${slug}`).slice(0, 63).replace(/-+$/, '');
    if (DNS_LABEL.test(base) && !used.has(base)) return base;
  }
  for (let i = 2; ; i++) if (!used.has(`${DEFAULT_NAME}-${i}`)) return `${DEFAULT_NAME}-${i}`;
}

/** The "another name" input's check. */
export function validateDeploymentName(text: string, taken: readonly string[]): string | undefined {
  const name = text.trim();
  if (!DNS_LABEL.test(name) || name.length > 63)
    return "A Deployment name: lower-case letters, digits and '-', at most 63";
  return taken.includes(name) ? `Deployment ${name} exists too` : undefined;
}

/** The summary's note when the existing Deployment could not be looked up (RBAC, network). */
export function deploymentCheckNote(namespace: string, name: string, err: unknown): string {
  const kind = (err as { kind?: unknown } | undefined)?.kind;
  const why = err instanceof Error ? err.message : String(err);
  return `Could not check whether Deployment ${namespace}/${name} already exists${kind === 'forbidden' ? ' (not allowed to read Deployments there)' : ''}: if it does with another selector, kubectl apply will refuse to change it. ${why}`;
}
