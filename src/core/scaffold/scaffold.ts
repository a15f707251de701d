/**
 * "Scaffold cloudflared for Kubernetes" as plain data (field-notes §6.4): the files of a kustomize
 * folder that runs one tunnel, in either mode.
 *
 * - `local` (locally-managed tunnel): a config.yaml (ConfigMap generator) with the ingress rules,
 *   credentials.json (Secret generator) mounted where `credentials-file` says.
 * - `token` (remotely-managed tunnel): tunnel.env holding `TUNNEL_TOKEN=…` (Secret generator,
 *   `envs`), given to cloudflared as the TUNNEL_TOKEN env var; never on the command line.
 *
 * Both: a pinned image, 2 replicas, `--no-autoupdate`, metrics on 0.0.0.0:2000 probed on /ready, a
 * hardened securityContext, a NetworkPolicy (see networkPolicy.ts), a PodDisruptionBudget when
 * more than one replica runs, and a .gitignore for the secret input. Hash suffixes stay on, so a
 * changed config or secret rolls the pods. Pure: the caller writes the files.
 */
import { Document } from 'yaml';
import { parseService } from '../config/service';
import { parseURL, urlHostname } from '../go/url';
import { parseServiceHost, serviceHost } from '../kubernetes/serviceHost';
import { DEFAULT_PUBLIC_LABEL, mergeTargets, networkPolicyFor, policyTargetsFromServices } from './networkPolicy';
import type { PolicyPeer, PolicyPod, PolicyService, PolicyTarget } from './networkPolicy';

export const DEFAULT_NAMESPACE = 'cloudflared';
export const DEFAULT_ORIGIN = `http://${serviceHost('ingress-nginx-controller', 'ingress-nginx')}:80`;
export const DEFAULT_IMAGE = 'cloudflare/cloudflared:2026.8.2';
export const DEFAULT_REPLICAS = 2;
export const METRICS_PORT = 2000;

export const CONFIG_MOUNT = '/etc/cloudflared/config';
export const CREDENTIALS_MOUNT = '/etc/cloudflared/creds';
export const CONFIG_PATH = `${CONFIG_MOUNT}/config.yaml`;
export const CREDENTIALS_PATH = `${CREDENTIALS_MOUNT}/credentials.json`;

/** Generator base names (kustomize appends the content hash and rewrites the references). */
export const CONFIG_MAP_NAME = 'cloudflared-config';
export const CREDENTIALS_SECRET_NAME = 'cloudflared-credentials';
export const TOKEN_SECRET_NAME = 'cloudflared-token';

export const POD_LABELS: Readonly<Record<string, string>> = { 'app.kubernetes.io/name': 'cloudflared' };
/** The Deployment's name (and the NetworkPolicy's and the PodDisruptionBudget's) by default. */
export const DEFAULT_NAME = 'cloudflared';

/** The pod labels of a cloudflared scaffolded under another name: its own selector, apart from the default's. */
export function podLabelsForName(name: string): Record<string, string> {
  return name === DEFAULT_NAME ? { ...POD_LABELS } : { ...POD_LABELS, 'app.kubernetes.io/instance': name };
}

/** What the placeholders say, so that nobody mistakes them for real secrets (and tests can find them). */
export const PLACEHOLDER = 'REPLACE_ME';

export interface TunnelCredentials {
  AccountTag: string;
  TunnelSecret: string;
  TunnelID: string;
}

export interface ScaffoldOptions {
  mode: 'token' | 'local';
  /** The tunnel's UUID. */
  tunnelId: string;
  namespace?: string;
  /**
   * The Deployment's name, also the NetworkPolicy's and the PodDisruptionBudget's (generator base
   * names follow it: `<name>-config`, …); `cloudflared` by default.
   */
  name?: string;
  /**
   * The pod template's labels (and the Deployment's own); POD_LABELS by default, or the selector
   * when only that is given. Must contain the selector.
   */
  podLabels?: Record<string, string>;
  /**
   * The Deployment's `spec.selector.matchLabels` (also the PodDisruptionBudget's, the spread
   * constraint's and the NetworkPolicy's podSelector); the pod labels by default. An existing
   * Deployment's selector cannot change (422 "field is immutable"): pass its selector and pod
   * labels to update it in place.
   */
  selector?: Record<string, string>;
  /** Where the rules send traffic; a cluster Service URL by default (ingress-nginx). */
  origin?: string;
  /** Public hostnames routed to `origin` (local mode); none: the origin answers every hostname. */
  hostnames?: string[];
  /**
   * "All hostnames to my ingress controller" (the seed's setup): `origin` is the controller's
   * Service, the rules are `zone` and `*.zone` → origin, then `http_status:404` (the hostnames
   * default to those two), the DNS routes for both are noted, and the NetworkPolicy is the DMZ
   * (the controller's pods only).
   */
  zone?: string;
  replicas?: number;
  image?: string;
  /** The secret input; absent: an obvious placeholder is written (and `placeholder` is set). */
  secret?: { token?: string; credentials?: TunnelCredentials };
  /** Peers allowed to scrape the metrics port (absent: no ingress at all). */
  metricsIngressFrom?: PolicyPeer[];
  /** Services (workspace or cluster) that resolve the origin into pods and targetPorts. */
  services?: PolicyService[];
  /** Pods or pod templates that resolve named targetPorts. */
  pods?: PolicyPod[];
  /** `cftunnel.networkPolicy.publicLabel` (`key=value` or `key`). */
  publicLabel?: string;
  /** `cftunnel.kubernetes.clusterDomain` (`cluster.local` by default). */
  clusterDomain?: string;
}

export interface ScaffoldFile {
  /** Relative to the chosen folder (POSIX separators). */
  path: string;
  content: string;
  /** File mode to create it with (0o600 for secret inputs). */
  mode?: number;
  /** Holds a secret: keep it out of git, out of logs, never show its content. */
  secret?: boolean;
  /** Holds placeholder content that must be replaced before the tunnel can run. */
  placeholder?: boolean;
  /** A .gitignore: merged into an existing one (its lines kept, the missing ones added), never replaced. */
  merge?: 'gitignore';
}

export interface ScaffoldPlan {
  files: ScaffoldFile[];
  /** What the user should know: placeholders, assumptions the NetworkPolicy makes. */
  notes: string[];
}

export class ScaffoldError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const HOSTNAME = /^(\*\.)?([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z0-9]([-a-z0-9]*[a-z0-9])?$/i;

/**
 * The Service of the ingress-nginx Helm chart with its defaults (release `ingress-nginx` in
 * namespace `ingress-nginx`), so the default origin resolves to pods and targetPorts without a
 * cluster. Services given in the options take precedence.
 */
const INGRESS_NGINX: { service: PolicyService; pod: PolicyPod } = {
  service: {
    name: 'ingress-nginx-controller',
    namespace: 'ingress-nginx',
    selector: {
      'app.kubernetes.io/name': 'ingress-nginx',
      'app.kubernetes.io/instance': 'ingress-nginx',
      'app.kubernetes.io/component': 'controller',
    },
    ports: [
      { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
      { name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' },
    ],
  },
  pod: {
    namespace: 'ingress-nginx',
    labels: {
      'app.kubernetes.io/name': 'ingress-nginx',
      'app.kubernetes.io/instance': 'ingress-nginx',
      'app.kubernetes.io/component': 'controller',
    },
    ports: [
      { name: 'http', containerPort: 80, protocol: 'TCP' },
      { name: 'https', containerPort: 443, protocol: 'TCP' },
    ],
  },
};

/**
 * The Service of the Traefik Helm chart (release `traefik`, as k3s ships it in kube-system) in
 * `namespace`: selector `app.kubernetes.io/name=traefik` + `app.kubernetes.io/instance=traefik-<ns>`,
 * ports web 80 → 8000 and websecure 443 → 8443 (field-notes-2 §3.2). Used only for an origin
 * Service named `traefik` the options do not describe.
 */
function traefikDefaults(namespace: string): { service: PolicyService; pod: PolicyPod } {
  const labels = { 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/instance': `traefik-${namespace}` };
  return {
    service: {
      name: 'traefik',
      namespace,
      labels: { ...labels },
      selector: { ...labels },
      ports: [
        { name: 'web', port: 80, targetPort: 'web', protocol: 'TCP' },
        { name: 'websecure', port: 443, targetPort: 'websecure', protocol: 'TCP' },
      ],
    },
    pod: {
      namespace,
      labels: { ...labels },
      ports: [
        { name: 'web', containerPort: 8000, protocol: 'TCP' },
        { name: 'websecure', containerPort: 8443, protocol: 'TCP' },
      ],
    },
  };
}

/** The files (the plan's list). */
export function scaffold(options: ScaffoldOptions): ScaffoldFile[] {
  return scaffoldPlan(options).files;
}

/** The files and what the user should know about them. Throws ScaffoldError for invalid options. */
export function scaffoldPlan(options: ScaffoldOptions): ScaffoldPlan {
  const o = normalize(options);
  const notes: string[] = [];
  const files: ScaffoldFile[] = [];
  const secretFile = o.mode === 'local' ? 'credentials.json' : 'tunnel.env';

  files.push({ path: 'kustomization.yaml', content: kustomization(o) });
  files.push({ path: 'deployment.yaml', content: deployment(o) });
  if (o.mode === 'local') files.push({ path: 'config.yaml', content: config(o) });

  const { targets, skipped, throughControllers } = policyTargets(o);
  // One note per destination: several rules to the same origin are skipped for the same reason.
  for (const s of skipped) notes.push(`NetworkPolicy: ${s.what}: ${s.reason}.`);
  if (o.zone !== undefined) notes.push(...zoneNotes(o, throughControllers));
  files.push({
    path: 'networkpolicy.yaml',
    content: networkPolicyFor({
      name: o.name,
      namespace: o.namespace,
      podLabels: { ...o.selector },
      targets,
      metricsPort: METRICS_PORT,
      ...(o.metricsIngressFrom ? { metricsFrom: o.metricsIngressFrom } : {}),
      ...(throughControllers ? { throughControllers } : {}),
    }),
  });
  if (o.replicas > 1) files.push({ path: 'pdb.yaml', content: pdb(o) });

  const secret = secretInput(o);
  files.push({
    path: secretFile,
    content: secret.content,
    mode: 0o600,
    secret: true,
    ...(secret.placeholder ? { placeholder: true } : {}),
  });
  if (secret.placeholder) {
    notes.push(
      o.mode === 'local'
        ? `credentials.json holds placeholders (${PLACEHOLDER}…): put the tunnel's credentials there (the JSON \`cloudflared tunnel create\` wrote, or derived from its run token) before applying.`
        : `tunnel.env holds a placeholder: put the tunnel's run token after TUNNEL_TOKEN= (no quotes) before applying.`,
    );
  }
  files.push({
    path: '.gitignore',
    content: `# Secret inputs of the generators: never commit them.\n${secretFile}\n*.env\n`,
    merge: 'gitignore',
  });
  return { files, notes: [...new Set(notes)] };
}

interface Normalized {
  mode: 'token' | 'local';
  tunnelId: string;
  namespace: string;
  name: string;
  podLabels: Record<string, string>;
  selector: Record<string, string>;
  configMapName: string;
  credentialsSecretName: string;
  tokenSecretName: string;
  origin: string;
  hostnames: string[];
  zone?: string;
  replicas: number;
  image: string;
  secret: ScaffoldOptions['secret'];
  metricsIngressFrom?: PolicyPeer[];
  services: PolicyService[];
  pods: PolicyPod[];
  publicLabel: string;
  clusterDomain?: string;
}

function normalize(options: ScaffoldOptions): Normalized {
  if (options.mode !== 'token' && options.mode !== 'local')
    throw new ScaffoldError(`mode must be token or local, not '${String(options.mode)}'`);
  const tunnelId = options.tunnelId.trim().toLowerCase();
  if (!UUID.test(tunnelId))
    throw new ScaffoldError(
      `the tunnel ID must be the tunnel's UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), not '${options.tunnelId}'`,
    );
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  if (!DNS_LABEL.test(namespace) || namespace.length > 63)
    throw new ScaffoldError(
      `namespace '${namespace}' is not a valid Kubernetes namespace name (lower-case letters, digits and '-', at most 63)`,
    );
  const name = options.name ?? DEFAULT_NAME;
  if (!DNS_LABEL.test(name) || name.length > 63)
    throw new ScaffoldError(
      `name '${name}' is not a valid Deployment name (lower-case letters, digits and '-', at most 63)`,
    );
  const selector = options.selector ?? options.podLabels ?? podLabelsForName(name);
  const podLabels = options.podLabels ?? selector;
  checkLabels('selector', selector);
  checkLabels('pod labels', podLabels);
  for (const [k, v] of Object.entries(selector)) {
    if (podLabels[k] !== v)
      throw new ScaffoldError(
        `the pod labels must contain the selector (${k}=${v}): a Deployment's selector must match its pod template`,
      );
  }
  const origin = options.origin ?? DEFAULT_ORIGIN;
  const parsed = parseService(origin, false);
  if (!parsed.ok) throw new ScaffoldError(`origin ${origin}: ${parsed.error}`);
  if (parsed.service.kind !== 'url')
    throw new ScaffoldError(`origin ${origin} must be a URL such as http://web.apps.svc.cluster.local:8080`);
  let zone: string | undefined;
  if (options.zone !== undefined) {
    zone = options.zone.trim().toLowerCase().replace(/\.$/, '');
    if (zone.startsWith('*.') || !HOSTNAME.test(zone) || !zone.includes('.'))
      throw new ScaffoldError(`zone '${options.zone}' is not a domain name such as example.com`);
  }
  const hostnames = options.hostnames ?? (zone !== undefined ? [zone, `*.${zone}`] : []);
  for (const h of hostnames) if (!HOSTNAME.test(h)) throw new ScaffoldError(`'${h}' is not a hostname`);
  if (new Set(hostnames.map((h) => h.toLowerCase())).size !== hostnames.length)
    throw new ScaffoldError('a hostname is given twice');
  const replicas = options.replicas ?? DEFAULT_REPLICAS;
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 100)
    throw new ScaffoldError(`replicas must be a whole number from 1 to 100, not ${replicas}`);
  const image = options.image ?? DEFAULT_IMAGE;
  if (
    !/^[^\s@:]+(?::[\w][\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$/.test(image) ||
    !/[:@]/.test(image.slice(image.lastIndexOf('/') + 1)) ||
    /:latest$/.test(image)
  ) {
    throw new ScaffoldError(`image ${image} must be pinned to a version tag or digest (e.g. ${DEFAULT_IMAGE})`);
  }
  const secret = options.secret;
  if (secret?.credentials) {
    const c = secret.credentials;
    if (!c.AccountTag || !c.TunnelSecret || !c.TunnelID)
      throw new ScaffoldError('credentials need AccountTag, TunnelSecret and TunnelID');
    if (c.TunnelID.toLowerCase() !== tunnelId)
      throw new ScaffoldError(`the credentials belong to tunnel ${c.TunnelID}, not ${tunnelId}`);
  }
  if (secret?.token !== undefined) {
    if (!/^[A-Za-z0-9+/=_-]+$/.test(secret.token.trim()))
      throw new ScaffoldError('the run token must be the base64 text Cloudflare gives (no spaces or quotes)');
    const fromToken = credentialsFromToken(secret.token);
    if (fromToken && fromToken.TunnelID.toLowerCase() !== tunnelId)
      throw new ScaffoldError(`the run token belongs to tunnel ${fromToken.TunnelID}, not ${tunnelId}`);
    if (options.mode === 'local' && !secret.credentials && !fromToken)
      throw new ScaffoldError('local mode needs credentials: this run token does not decode to them');
  }
  return {
    mode: options.mode,
    tunnelId,
    namespace,
    name,
    podLabels: { ...podLabels },
    selector: { ...selector },
    configMapName: name === DEFAULT_NAME ? CONFIG_MAP_NAME : `${name}-config`,
    credentialsSecretName: name === DEFAULT_NAME ? CREDENTIALS_SECRET_NAME : `${name}-credentials`,
    tokenSecretName: name === DEFAULT_NAME ? TOKEN_SECRET_NAME : `${name}-token`,
    origin,
    hostnames,
    ...(zone !== undefined ? { zone } : {}),
    replicas,
    image,
    secret,
    ...(options.metricsIngressFrom && options.metricsIngressFrom.length > 0
      ? { metricsIngressFrom: options.metricsIngressFrom }
      : {}),
    services: options.services ?? [],
    pods: options.pods ?? [],
    publicLabel: options.publicLabel ?? DEFAULT_PUBLIC_LABEL,
    ...(options.clusterDomain ? { clusterDomain: options.clusterDomain } : {}),
  };
}

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$/;
const LABEL_PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/** Kubernetes' label syntax (IsQualifiedName keys, IsValidLabelValue values); at least one label. */
function checkLabels(what: string, labels: Record<string, string>): void {
  const entries = Object.entries(labels);
  if (entries.length === 0) throw new ScaffoldError(`the ${what} must not be empty: a Deployment needs a selector`);
  for (const [k, v] of entries) {
    const slash = k.lastIndexOf('/');
    const prefix = slash >= 0 ? k.slice(0, slash) : undefined;
    const name = slash >= 0 ? k.slice(slash + 1) : k;
    if (!LABEL_NAME.test(name) || (prefix !== undefined && (!LABEL_PREFIX.test(prefix) || prefix.length > 253)))
      throw new ScaffoldError(`'${k}' is not a valid label key`);
    if (typeof v !== 'string' || !LABEL_VALUE.test(v) || v.length > 63)
      throw new ScaffoldError(`'${String(v)}' (label ${k}) is not a valid label value`);
  }
}

/**
 * The credentials a run token stands for: the token is base64 JSON `{"a": account, "t": tunnel
 * ID, "s": tunnel secret}` (what `cloudflared tunnel token --cred-file` writes out). Undefined
 * when it does not decode so.
 */
export function credentialsFromToken(token: string): TunnelCredentials | undefined {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(
      Uint8Array.from(atob(token.trim().replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)),
    );
    const j = JSON.parse(text) as { a?: unknown; t?: unknown; s?: unknown };
    if (typeof j.a !== 'string' || typeof j.t !== 'string' || typeof j.s !== 'string') return undefined;
    return { AccountTag: j.a, TunnelSecret: j.s, TunnelID: j.t };
  } catch {
    return undefined;
  }
}

/** The rules the tunnel serves (local: written in config.yaml; token: what the remote config should hold). */
function rules(o: Normalized): Array<{ hostname?: string; service: string }> {
  if (o.hostnames.length === 0) return [{ service: o.origin }];
  return [...o.hostnames.map((hostname) => ({ hostname, service: o.origin })), { service: 'http_status:404' }];
}

/** What the user still has to do for "all hostnames to my ingress controller": DNS, the remote rules, the Ingresses. */
function zoneNotes(o: Normalized, throughControllers: string[] | undefined): string[] {
  const zone = o.zone!;
  const [apex, wildcard] = [zone, `*.${zone}`];
  const notes = [
    `DNS: route ${apex} and ${wildcard} to the tunnel (proxied CNAMEs to ${o.tunnelId}.cfargotunnel.com), e.g. cloudflared tunnel route dns ${o.tunnelId} ${apex} and cloudflared tunnel route dns ${o.tunnelId} '${wildcard}'.`,
  ];
  if (o.mode === 'token')
    notes.push(
      `The tunnel is remotely managed: its rules live on Cloudflare. Give it the public hostnames ${o.hostnames.join(' and ')} → ${o.origin}, then the catch-all http_status:404 (the NetworkPolicy allows exactly that).`,
    );
  if (!throughControllers)
    notes.push(
      `NetworkPolicy: ${o.origin} is not recognised as an ingress controller's Service, so the policy is not limited to a controller; give the scaffold its Service (connect a cluster, or keep its manifest in the workspace).`,
    );
  return notes;
}

function policyTargets(o: Normalized): {
  targets: PolicyTarget[];
  skipped: Array<{ what: string; reason: string }>;
  throughControllers?: string[];
} {
  const services = [...o.services];
  const pods = [...o.pods];
  if (!services.some((s) => s.name === INGRESS_NGINX.service.name && s.namespace === INGRESS_NGINX.service.namespace)) {
    services.push(INGRESS_NGINX.service);
    pods.push(INGRESS_NGINX.pod);
  }
  const skipped: Array<{ what: string; reason: string }> = [];
  const parsedOrigin = parseURL(o.origin);
  const originRef = parsedOrigin.ok
    ? parseServiceHost(urlHostname(parsedOrigin.url), { clusterDomain: o.clusterDomain, defaultNamespace: o.namespace })
    : undefined;
  if (
    originRef?.name === 'traefik' &&
    !services.some((s) => s.name === 'traefik' && s.namespace === originRef.namespace)
  ) {
    const traefik = traefikDefaults(originRef.namespace);
    services.push(traefik.service);
    pods.push(traefik.pod);
    skipped.push({
      what: o.origin,
      reason: `Service traefik in namespace '${originRef.namespace}' was not given: the policy assumes the Traefik Helm chart's defaults (pods app.kubernetes.io/name=traefik, app.kubernetes.io/instance=traefik-${originRef.namespace}, port web = 8000); check them against the cluster`,
    });
  }
  const result = policyTargetsFromServices(rules(o), services, pods, o.publicLabel, o.namespace, o.clusterDomain);
  const targets = [...result.targets];
  for (const s of result.skipped) {
    // A cluster Service we know nothing about: open its namespace's pods (every port) so the tunnel
    // works, and say so; narrowing it needs the Service's selector and targetPort.
    const parsed = parseURL(s.what);
    const ref = parsed.ok
      ? parseServiceHost(urlHostname(parsed.url), { clusterDomain: o.clusterDomain, defaultNamespace: o.namespace })
      : undefined;
    if (ref && /is not known$/.test(s.reason)) {
      targets.push({
        namespace: ref.namespace,
        podSelector: {},
        ports: [],
        anyPort: true,
        reason: `every pod of namespace ${ref.namespace}, every port: Service '${ref.name}' is not known, narrow this to its selector and targetPort`,
      });
      skipped.push({
        what: s.what,
        reason: `${s.reason}; the policy allows every pod and port of namespace '${ref.namespace}' until you narrow it to the Service's selector and targetPort`,
      });
    } else {
      skipped.push({ what: s.what, reason: `${s.reason}; the policy does not allow it` });
    }
  }
  return {
    targets: mergeTargets(targets),
    skipped,
    ...(result.throughControllers ? { throughControllers: result.throughControllers } : {}),
  };
}

function secretInput(o: Normalized): { content: string; placeholder: boolean } {
  const token = o.secret?.token?.trim();
  if (o.mode === 'token') {
    return token
      ? { content: `TUNNEL_TOKEN=${token}\n`, placeholder: false }
      : { content: `TUNNEL_TOKEN=${PLACEHOLDER}_WITH_THE_TUNNEL_RUN_TOKEN\n`, placeholder: true };
  }
  const creds = o.secret?.credentials ?? (token ? credentialsFromToken(token) : undefined);
  if (creds)
    return {
      content:
        JSON.stringify(
          { AccountTag: creds.AccountTag, TunnelSecret: creds.TunnelSecret, TunnelID: creds.TunnelID },
          null,
          2,
        ) + '\n',
      placeholder: false,
    };
  return {
    content:
      JSON.stringify(
        {
          AccountTag: `${PLACEHOLDER}_WITH_THE_ACCOUNT_ID`,
          TunnelSecret: `${PLACEHOLDER}_WITH_THE_TUNNEL_SECRET`,
          TunnelID: o.tunnelId,
        },
        null,
        2,
      ) + '\n',
    placeholder: true,
  };
}

function yamlText(value: unknown, comment?: string): string {
  const doc = new Document(value, { version: '1.1' });
  if (comment) doc.commentBefore = comment;
  return doc.toString({ lineWidth: 0 });
}

function kustomization(o: Normalized): string {
  const resources = ['deployment.yaml', 'networkpolicy.yaml', ...(o.replicas > 1 ? ['pdb.yaml'] : [])];
  const k: Record<string, unknown> = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: o.namespace,
    resources,
  };
  if (o.mode === 'local') {
    k.configMapGenerator = [{ name: o.configMapName, files: ['config.yaml'] }];
    k.secretGenerator = [{ name: o.credentialsSecretName, files: ['credentials.json'] }];
  } else {
    k.secretGenerator = [{ name: o.tokenSecretName, envs: ['tunnel.env'] }];
  }
  return yamlText(
    k,
    ` cloudflared for tunnel ${o.tunnelId} (${o.mode === 'local' ? 'locally-managed: config.yaml' : 'remotely-managed: run token'}).\n` +
      ` Generated names keep their hash suffix: a changed ${o.mode === 'local' ? 'config or credentials' : 'token'} rolls the pods.\n` +
      ` Apply: kubectl create namespace ${o.namespace}; kubectl apply -k .`,
  );
}

function deployment(o: Normalized): string {
  const args =
    o.mode === 'local'
      ? ['tunnel', '--no-autoupdate', '--metrics', `0.0.0.0:${METRICS_PORT}`, '--config', CONFIG_PATH, 'run']
      : ['tunnel', '--no-autoupdate', '--metrics', `0.0.0.0:${METRICS_PORT}`, 'run'];
  const probe = (period: number, failures: number): Record<string, unknown> => ({
    httpGet: { path: '/ready', port: 'metrics' },
    initialDelaySeconds: 10,
    periodSeconds: period,
    failureThreshold: failures,
  });
  const container: Record<string, unknown> = {
    name: 'cloudflared',
    image: o.image,
    args,
    ...(o.mode === 'token'
      ? {
          env: [
            { name: 'TUNNEL_TOKEN', valueFrom: { secretKeyRef: { name: o.tokenSecretName, key: 'TUNNEL_TOKEN' } } },
          ],
        }
      : {}),
    ports: [{ name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' }],
    livenessProbe: probe(10, 3),
    readinessProbe: probe(5, 2),
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
    securityContext: {
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    },
    ...(o.mode === 'local'
      ? {
          volumeMounts: [
            { name: 'config', mountPath: CONFIG_MOUNT, readOnly: true },
            { name: 'credentials', mountPath: CREDENTIALS_MOUNT, readOnly: true },
          ],
        }
      : {}),
  };
  const podSpec: Record<string, unknown> = {
    automountServiceAccountToken: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    ...(o.replicas > 1
      ? {
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: { ...o.selector } },
            },
          ],
        }
      : {}),
    containers: [container],
    ...(o.mode === 'local'
      ? {
          volumes: [
            { name: 'config', configMap: { name: o.configMapName } },
            { name: 'credentials', secret: { secretName: o.credentialsSecretName } },
          ],
        }
      : {}),
  };
  return yamlText(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: o.name, labels: { ...o.podLabels }, annotations: { 'cftunnel/tunnel-id': o.tunnelId } },
      spec: {
        replicas: o.replicas,
        selector: { matchLabels: { ...o.selector } },
        template: { metadata: { labels: { ...o.podLabels } }, spec: podSpec },
      },
    },
    o.mode === 'local'
      ? ' cloudflared runs the tunnel of config.yaml with the credentials of the generated Secret.'
      : ' cloudflared reads its run token from the TUNNEL_TOKEN env var (never from args: they show in the process list).',
  );
}

function config(o: Normalized): string {
  return yamlText(
    {
      tunnel: o.tunnelId,
      'credentials-file': CREDENTIALS_PATH,
      ingress: rules(o),
    },
    o.zone !== undefined
      ? ` Every hostname of ${o.zone} goes to the ingress controller,\n ${o.origin},\n which routes it by its Ingresses (or routes): add apps there, not here. Other hostnames: 404.`
      : o.hostnames.length === 0
        ? ` Every hostname routed to this tunnel goes to the origin. To route some only, list them\n (- hostname: app.example.com / service: …) and end with - service: http_status:404.`
        : undefined,
  );
}

function pdb(o: Normalized): string {
  return yamlText({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: o.name, namespace: o.namespace },
    spec: { minAvailable: 1, selector: { matchLabels: { ...o.selector } } },
  });
}
