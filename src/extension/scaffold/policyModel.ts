/**
 * The vscode-free part of "Add NetworkPolicy for cloudflared": the rules of a folder's config.yaml
 * or tunnel.env's remote configuration, the Services and pods of manifests, the kustomization's
 * namespace and the `resources` edit, and the policy text. The UI is in policyCommands.ts.
 */
import { isMap, isSeq } from 'yaml';
import { MAX_ALIAS_COUNT, parseYamlDocument, parseYamlDocuments } from '../../core/yaml/aliases';
import { checkConfigText } from '../../core/config/check';
import { credentialsFromToken, DEFAULT_NAMESPACE, METRICS_PORT, POD_LABELS } from '../../core/scaffold/scaffold';
import type { TunnelCredentials } from '../../core/scaffold/scaffold';
import {
  mergeTargets,
  networkPolicyFor,
  podFromObject,
  policyTargetsFromServices,
  serviceFromObject,
} from '../../core/scaffold/networkPolicy';
import type { PolicyPod, PolicyRule, PolicyService, SkippedTarget } from '../../core/scaffold/networkPolicy';

/** The ingress rules of a cloudflared config.yaml (empty when it has none or is not a mapping). */
export function rulesFromConfigText(text: string): PolicyRule[] {
  const model = checkConfigText(text).model;
  return (model?.rules ?? [])
    .filter((r) => r.service !== '')
    .map((r) => ({ service: r.service, ...(r.hostname ? { hostname: r.hostname } : {}) }));
}

/** The tunnel a tunnel.env's run token stands for (account and tunnel ID), if it decodes. */
export function tunnelFromEnvText(text: string): TunnelCredentials | undefined {
  const m = /^\s*TUNNEL_TOKEN\s*=\s*["']?([A-Za-z0-9+/=_-]+)["']?\s*$/m.exec(text);
  return m ? credentialsFromToken(m[1]!) : undefined;
}

/** Services and pod templates of a (multi-document) manifest; unparsable text gives none. */
export function objectsFromManifestText(
  text: string,
  defaultNamespace = 'default',
): { services: PolicyService[]; pods: PolicyPod[] } {
  const services: PolicyService[] = [];
  const pods: PolicyPod[] = [];
  let docs;
  try {
    docs = parseYamlDocuments(text);
  } catch {
    return { services, pods };
  }
  for (const doc of docs) {
    if (doc.errors.length > 0) continue;
    const obj: unknown = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    const items =
      typeof obj === 'object' && obj !== null && (obj as { kind?: unknown }).kind === 'List'
        ? ((obj as { items?: unknown }).items as unknown[])
        : [obj];
    for (const item of Array.isArray(items) ? items : []) {
      const svc = serviceFromObject(item, defaultNamespace);
      if (svc && svc.name) services.push(svc);
      const pod = podFromObject(item, defaultNamespace);
      if (pod) pods.push(pod);
    }
  }
  return { services, pods };
}

/** The kustomization's `namespace`, else the default (cloudflared). */
export function namespaceOfKustomization(text: string | undefined): string {
  if (!text) return DEFAULT_NAMESPACE;
  try {
    const ns: unknown = parseYamlDocument(text).get('namespace');
    return typeof ns === 'string' && ns.trim() !== '' ? ns.trim() : DEFAULT_NAMESPACE;
  } catch {
    return DEFAULT_NAMESPACE;
  }
}

/**
 * kustomization.yaml with `resource` in its `resources` (comments kept); undefined when it is
 * already there. Throws when the text is not a kustomization mapping or `resources` is no list.
 */
export function withResource(text: string, resource: string): string | undefined {
  const doc = parseYamlDocument(text);
  if (doc.errors.length > 0) throw new Error(`kustomization.yaml does not parse: ${doc.errors[0]!.message}`);
  if (!isMap(doc.contents)) throw new Error('kustomization.yaml is not a mapping');
  const list = doc.get('resources', true);
  if (list === undefined || list === null) {
    doc.set('resources', doc.createNode([resource]));
    return doc.toString({ lineWidth: 0 });
  }
  if (!isSeq(list)) throw new Error('the resources of kustomization.yaml are not a list');
  if (list.items.some((i) => String((i as { value?: unknown }).value ?? i) === resource)) return undefined;
  list.add(doc.createNode(resource));
  return doc.toString({ lineWidth: 0 });
}

export interface PolicyInput {
  namespace: string;
  /** The cloudflared pods' labels (the policy's podSelector); the scaffold's by default. */
  podLabels?: Record<string, string>;
  rules: PolicyRule[];
  services: PolicyService[];
  pods: PolicyPod[];
  publicLabel: string;
  /** The cluster's DNS domain (cftunnel.kubernetes.clusterDomain); cluster.local when not given. */
  clusterDomain?: string;
}

/**
 * networkpolicy.yaml for the cloudflared pods of the folder, the rules it could not allow, and the
 * ingress controllers every rule goes to when it is the DMZ (the controller's pods only).
 */
export function networkPolicyText(input: PolicyInput): {
  content: string;
  skipped: SkippedTarget[];
  throughControllers?: string[];
} {
  const { targets, skipped, throughControllers } = policyTargetsFromServices(
    input.rules,
    dedupeServices(input.services),
    input.pods,
    input.publicLabel,
    input.namespace,
    input.clusterDomain,
  );
  return {
    content: networkPolicyFor({
      namespace: input.namespace,
      podLabels: { ...(input.podLabels && Object.keys(input.podLabels).length > 0 ? input.podLabels : POD_LABELS) },
      targets: mergeTargets(targets),
      metricsPort: METRICS_PORT,
      ...(throughControllers ? { throughControllers } : {}),
    }),
    skipped,
    ...(throughControllers ? { throughControllers } : {}),
  };
}

/** The message after writing a DMZ policy: what cloudflared may reach, and why not the apps. */
export function dmzSummary(controllers: readonly string[]): string {
  return `Every ingress rule goes to ${controllers.join(' or ')}: cloudflared may reach its pods and nothing else of the cluster (the apps behind it are reached through the controller).`;
}

/** One Service per namespace/name: the first wins (callers put the cluster's first). */
export function dedupeServices(services: readonly PolicyService[]): PolicyService[] {
  const seen = new Set<string>();
  return services.filter((s) => {
    const k = `${s.namespace}/${s.name}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * The cloudflared pods a quick fix names: `[folder, namespace, labels as JSON]` (the language
 * server's arguments for `no-network-policy`). Undefined parts when absent or malformed.
 */
export function podsOfArguments(
  namespace: unknown,
  labels: unknown,
): { namespace?: string; podLabels?: Record<string, string> } {
  const out: { namespace?: string; podLabels?: Record<string, string> } = {};
  if (typeof namespace === 'string' && namespace !== '') out.namespace = namespace;
  if (typeof labels === 'string') {
    try {
      const parsed: unknown = JSON.parse(labels);
      if (
        parsed &&
        typeof parsed === 'object' &&
        !Array.isArray(parsed) &&
        Object.values(parsed).every((v) => typeof v === 'string')
      )
        out.podLabels = parsed as Record<string, string>;
    } catch {
      // not ours: the scaffold's labels are used
    }
  }
  return out;
}
