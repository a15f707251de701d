/**
 * A cluster object as the user reads it (issue #17): the routing object a Services tree hostname
 * or a trace hop came through, as YAML, found again in the kinds the cluster store listed (no
 * extra request), or a Service as the API server returns it. `managedFields` is left out; the
 * apiVersion and kind are put back (items of a typed list carry neither). No `vscode` import.
 */
import { stringify } from 'yaml';
import type { ClusterKindInput, ClusterRoutingKind } from '../../core/routing/fromCluster';
import type { SourceRef } from '../../core/routing/objects';

export type ClusterObjectRef = NonNullable<SourceRef['object']>;

const RESOURCE: Record<string, ClusterRoutingKind> = {
  Ingress: 'ingresses',
  IngressClass: 'ingressclasses',
  GatewayClass: 'gatewayclasses',
  Gateway: 'gateways',
  HTTPRoute: 'httproutes',
  ReferenceGrant: 'referencegrants',
  IngressRoute: 'ingressroutes',
};

/** The reference a command was given: a ref itself, or a Services tree hostname element with `via.object`. */
export function clusterObjectArgument(arg: unknown): ClusterObjectRef | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const o = arg as Record<string, unknown>;
  if (typeof o.kind === 'string' && typeof o.name === 'string' && typeof o.apiVersion === 'string') {
    return {
      apiVersion: o.apiVersion,
      kind: o.kind,
      name: o.name,
      ...(typeof o.namespace === 'string' ? { namespace: o.namespace } : {}),
    };
  }
  const node = o.node as { via?: { object?: unknown } } | undefined;
  return node?.via?.object ? clusterObjectArgument(node.via.object) : undefined;
}

/** An object as YAML, with its apiVersion and kind first, without `managedFields`. */
export function objectYaml(ref: ClusterObjectRef, item: object): string {
  const plain = JSON.parse(JSON.stringify(item)) as Record<string, unknown>;
  const meta = (plain.metadata ?? {}) as Record<string, unknown>;
  delete meta.managedFields;
  return stringify({ apiVersion: ref.apiVersion, kind: ref.kind, ...plain, metadata: meta });
}

/** A routing object as listed (`kinds` of the cluster snapshot), as YAML; undefined when it is not there. */
export function listedObjectYaml(
  kinds: Partial<Record<ClusterRoutingKind, ClusterKindInput>> | undefined,
  ref: ClusterObjectRef,
): string | undefined {
  const resource = RESOURCE[ref.kind];
  const list = resource ? kinds?.[resource] : undefined;
  for (const item of list?.items ?? []) {
    if (!item || typeof item !== 'object') continue;
    const obj = item as { apiVersion?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
    const meta = obj.metadata ?? {};
    if (meta.name !== ref.name || (meta.namespace ?? undefined) !== ref.namespace) continue;
    if (typeof obj.apiVersion === 'string' && obj.apiVersion !== ref.apiVersion) continue;
    return objectYaml(ref, item);
  }
  return undefined;
}

/** The document's name: `Ingress default∕shop.yaml` (a path separator would make folders). */
export function objectDocumentName(ref: ClusterObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}∕` : ''}${ref.name}.yaml`;
}
