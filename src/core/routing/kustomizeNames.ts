/**
 * Routing objects as `kustomize build` writes them (kubectl kustomize, kustomize v5.5.0, checked by
 * test/integration/kustomize/names.test.ts): `namePrefix`/`nameSuffix` rename every object's
 * `metadata.name`, and kustomize's name references follow a renamed Service into the Ingresses of
 * the same build (`spec.defaultBackend.service.name`, the paths' `backend.service.name`, and the
 * old `serviceName`s). Nothing else is followed: an HTTPRoute's `backendRefs` and `parentRefs`, an
 * IngressRoute's `services` and an Ingress's `ingressClassName` keep the name written, so in the
 * cluster they name objects that no longer exist under it.
 *
 * "The same build" is approximated by the placement: the Services of files with the same namespace,
 * prefix and suffix.
 */

/** What the kustomizations listing a file do to its objects' names. */
export interface NamePlacement {
  namespace?: string;
  prefix: string;
  suffix: string;
}

/** The key of the build a placement stands for. */
export function buildKey(p: NamePlacement): string {
  return `${p.namespace ?? ''}\u0000${p.prefix}\u0000${p.suffix}`;
}

/** Whether the placement renames objects at all. */
export function renames(p: NamePlacement): boolean {
  return p.prefix !== '' || p.suffix !== '';
}

type Plain = Record<string, unknown>;

function isRecord(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `obj` (a plain manifest) with the names kustomize gives it: its own, and for an Ingress its
 * backends' Services that `buildServices` (the Services of the same build, as written) holds.
 * Returns `obj` itself when nothing changes.
 */
export function kustomizedObject(obj: unknown, p: NamePlacement, buildServices: ReadonlySet<string>): unknown {
  if (!isRecord(obj) || !isRecord(obj.metadata) || typeof obj.metadata.name !== 'string') return obj;
  const rename = (name: string): string => `${p.prefix}${name}${p.suffix}`;
  const out: Plain = { ...obj, metadata: { ...obj.metadata, name: rename(obj.metadata.name) } };
  if (obj.kind !== 'Ingress' || !isRecord(obj.spec)) return out;
  const follow = (name: unknown): unknown =>
    typeof name === 'string' && buildServices.has(name) ? rename(name) : name;
  const backend = (b: unknown): unknown => {
    if (!isRecord(b)) return b;
    const copy: Plain = { ...b };
    if (isRecord(b.service)) copy.service = { ...b.service, name: follow(b.service.name) };
    if ('serviceName' in b) copy.serviceName = follow(b.serviceName);
    return copy;
  };
  const spec: Plain = { ...obj.spec };
  if ('defaultBackend' in spec) spec.defaultBackend = backend(spec.defaultBackend);
  if ('backend' in spec) spec.backend = backend(spec.backend);
  if (Array.isArray(spec.rules)) {
    spec.rules = spec.rules.map((rule: unknown) => {
      if (!isRecord(rule) || !isRecord(rule.http) || !Array.isArray(rule.http.paths)) return rule;
      const paths = rule.http.paths.map((path: unknown) =>
        isRecord(path) && 'backend' in path ? { ...path, backend: backend(path.backend) } : path,
      );
      return { ...rule, http: { ...rule.http, paths } };
    });
  }
  out.spec = spec;
  return out;
}
