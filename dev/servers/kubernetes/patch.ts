/**
 * The patch formats of the local Kubernetes API server's PATCH, as the API server applies them:
 *
 * - `application/merge-patch+json`: RFC 7386 (null deletes a key, objects merge, anything else
 *   replaces);
 * - `application/strategic-merge-patch+json`: Kubernetes' strategic merge patch
 *   (k8s.io/apimachinery/pkg/util/strategicpatch) for the built-in kinds this server holds: lists
 *   with a `patchMergeKey` merge element by element (containers by `name`, container ports by
 *   `containerPort`, Service ports by `port`, …), `finalizers` merge as a set, every other list is
 *   replaced; the directives `$patch` (merge, replace, delete), `$retainKeys`,
 *   `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>` are honoured.
 *
 * The merge keys come from the Go types' `patchMergeKey`/`patchStrategy` tags; they are looked up
 * by the list's field name and its parent (enough for Namespaces, Services, Pods, ConfigMaps,
 * Secrets, Deployments, NetworkPolicies and PodDisruptionBudgets, which have no conflicting
 * names). `$setElementOrder` puts the listed elements first in its order, then the server-only
 * ones in their previous order (the real algorithm interleaves server-only elements where they
 * were; no kubectl output this server is checked against depends on the difference).
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export class PatchError extends Error {}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k] ?? null, v);
  }
  return out;
}

/** `patchMergeKey` of a list field, by the list's name and the name of the object holding it. */
function mergeKeyOf(field: string, parent: string | undefined): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'volumes':
    case 'imagePullSecrets':
    case 'env':
    case 'resourceClaims':
    case 'schedulingGates':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'volumeDevices':
      return 'devicePath';
    case 'hostAliases':
      return 'ip';
    case 'topologySpreadConstraints':
      return 'topologyKey';
    case 'ownerReferences':
      return 'uid';
    case 'conditions':
      return 'type';
    case 'ports':
      // Container ports merge by containerPort; Service ports by port (EndpointPort is atomic).
      if (parent === 'containers' || parent === 'initContainers' || parent === 'ephemeralContainers')
        return 'containerPort';
      if (parent === 'spec') return 'port';
      return undefined;
    default:
      return undefined;
  }
}

/** Primitive lists with `patchStrategy:"merge"` (a set union). */
const MERGED_PRIMITIVE_LISTS = new Set(['finalizers']);

const SET_ORDER = '$setElementOrder/';
const DELETE_FROM = '$deleteFromPrimitiveList/';

/**
 * Applies a strategic merge patch. `parent` is the field `original` sits in (`spec`, or
 * `containers` for a container), which picks the merge key of lists named alike (`ports`).
 */
export function strategicMergePatch(original: Json, patch: Json, parent?: string): Json {
  if (!isObject(patch)) return clone(patch);
  const directive = patch.$patch;
  if (directive === 'delete') return null;
  if (directive === 'replace') {
    const out = clone(patch);
    delete out.$patch;
    return stripDirectives(out);
  }
  if (directive !== undefined && directive !== 'merge')
    throw new PatchError(`Unknown patch type: ${JSON.stringify(directive)}`);
  const out: JsonObject = isObject(original) ? clone(original) : {};
  const retain = patch.$retainKeys;
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith(SET_ORDER) || key.startsWith(DELETE_FROM)) continue;
    if (value === null) {
      delete out[key];
      continue;
    }
    const current = out[key];
    if (Array.isArray(value)) out[key] = mergeList(key, parent, Array.isArray(current) ? current : [], value);
    else if (isObject(value)) {
      const merged = strategicMergePatch(current ?? null, value, key);
      if (merged === null) delete out[key];
      else out[key] = merged;
    } else out[key] = value;
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(DELETE_FROM) && Array.isArray(value)) {
      const field = key.slice(DELETE_FROM.length);
      const list = out[field];
      if (Array.isArray(list))
        out[field] = list.filter((x) => !value.some((d) => JSON.stringify(d) === JSON.stringify(x)));
    }
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(SET_ORDER) && Array.isArray(value)) {
      const field = key.slice(SET_ORDER.length);
      const list = out[field];
      if (Array.isArray(list)) out[field] = reorder(list, value, mergeKeyOf(field, parent));
    }
  }
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw new PatchError('$retainKeys must be a list of strings');
    for (const key of Object.keys(out)) if (!retain.includes(key)) delete out[key];
  }
  return out;
}

function mergeList(field: string, parent: string | undefined, current: Json[], patch: Json[]): Json[] {
  const key = mergeKeyOf(field, parent);
  // `$patch: replace` as an element replaces the whole list with the other elements.
  if (patch.some((e) => isObject(e) && e.$patch === 'replace'))
    return patch.filter((e) => !(isObject(e) && e.$patch === 'replace')).map((e) => stripDirectives(clone(e)));
  if (key === undefined) {
    if (MERGED_PRIMITIVE_LISTS.has(field)) {
      const out = clone(current);
      for (const v of patch) if (!out.some((x) => JSON.stringify(x) === JSON.stringify(v))) out.push(clone(v));
      return out;
    }
    return patch.map((e) => stripDirectives(clone(e)));
  }
  const out = clone(current);
  for (const element of patch) {
    if (!isObject(element)) throw new PatchError(`the list ${field} merges by ${key}: its elements must be objects`);
    const id = element[key];
    if (id === undefined)
      throw new PatchError(`map: ${JSON.stringify(element)} does not contain declared merge key: ${key}`);
    const i = out.findIndex((x) => isObject(x) && JSON.stringify(x[key]) === JSON.stringify(id));
    if (element.$patch === 'delete') {
      if (i >= 0) out.splice(i, 1);
      continue;
    }
    if (i >= 0) out[i] = strategicMergePatch(out[i]!, element, field);
    else out.push(strategicMergePatch(null, element, field));
  }
  return out;
}

function reorder(list: Json[], order: Json[], key: string | undefined): Json[] {
  const idOf = (x: Json): string => JSON.stringify(key !== undefined && isObject(x) ? x[key] : x);
  const wanted = order.map(idOf);
  const ranked = list.map((x, i) => ({ x, i, rank: wanted.indexOf(idOf(x)) }));
  ranked.sort((a, b) => (a.rank < 0 ? Infinity : a.rank) - (b.rank < 0 ? Infinity : b.rank) || a.i - b.i);
  return ranked.map((r) => r.x);
}

function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith(SET_ORDER) || k.startsWith(DELETE_FROM)) continue;
    out[k] = stripDirectives(x);
  }
  return out;
}
