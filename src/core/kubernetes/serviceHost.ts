/**
 * Kubernetes Service DNS names (the DNS specification of Kubernetes, cluster add-on DNS): the one
 * place that reads and writes them. A pod reaches Service `name` in namespace `ns` as
 * - `name.ns.svc.<cluster domain>` (`fqdn`; the cluster domain is `cluster.local` unless the
 *   cluster is set up otherwise: setting `cftunnel.kubernetes.clusterDomain`),
 * - `name.ns.svc` and `name.ns` (`svc`, `ns`: through the pod's DNS search path),
 * - `name` (`short`) when the pod itself runs in `ns`.
 * Case-insensitive; one trailing dot (an absolute name) is accepted. `localhost` is never a Service.
 */

export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';

export type ServiceHostForm = 'short' | 'ns' | 'svc' | 'fqdn';

export interface ServiceHostRef {
  name: string;
  namespace: string;
  form: ServiceHostForm;
}

/** The cluster domain as compared: lower case, no leading or trailing dots; empty → `cluster.local`. */
export function normalizeClusterDomain(clusterDomain: string | undefined): string {
  const d = (clusterDomain ?? '')
    .trim()
    .toLowerCase()
    .replace(/^\.+|\.+$/g, '');
  return d === '' ? DEFAULT_CLUSTER_DOMAIN : d;
}

/**
 * The Service a host names, or undefined when it names none. `defaultNamespace`: the namespace of
 * the pod that resolves the name (a bare name is a Service there); without it a bare name is
 * undefined.
 */
export function parseServiceHost(
  host: string,
  opts: { clusterDomain?: string; defaultNamespace?: string } = {},
): ServiceHostRef | undefined {
  const labels = host.trim().toLowerCase().replace(/\.$/, '').split('.');
  if (labels.some((l) => l === '')) return undefined;
  const [name, namespace] = labels as [string, string | undefined];
  if (labels.length === 1)
    return opts.defaultNamespace && name !== 'localhost'
      ? { name, namespace: opts.defaultNamespace, form: 'short' }
      : undefined;
  if (labels.length === 2) return { name, namespace: namespace!, form: 'ns' };
  if (labels[2] !== 'svc') return undefined;
  if (labels.length === 3) return { name, namespace: namespace!, form: 'svc' };
  if (labels.slice(3).join('.') === normalizeClusterDomain(opts.clusterDomain))
    return { name, namespace: namespace!, form: 'fqdn' };
  return undefined;
}

/** The host that names Service `name` in `namespace`: by default its full name, `name.namespace.svc.<cluster domain>`. */
export function serviceHost(
  name: string,
  namespace: string,
  opts: { clusterDomain?: string; form?: ServiceHostForm } = {},
): string {
  switch (opts.form ?? 'fqdn') {
    case 'short':
      return name;
    case 'ns':
      return `${name}.${namespace}`;
    case 'svc':
      return `${name}.${namespace}.svc`;
    case 'fqdn':
      return `${name}.${namespace}.svc.${normalizeClusterDomain(opts.clusterDomain)}`;
  }
}
