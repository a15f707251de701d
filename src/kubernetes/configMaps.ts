/**
 * One value of a ConfigMap: the Traffic panel reads a cloudflared config file mounted from one
 * (its `metrics:` key says where the metrics server listens). A missing ConfigMap or key is
 * undefined; anything else (403, a deadline) is a KubernetesError.
 */
import { toKubernetesError } from './errors';
import type { ClusterClient } from './kubeconfig';
import { withTimeout } from './paging';
import type { ListOptions } from './paging';

export async function readConfigMapValue(
  client: ClusterClient,
  namespace: string,
  name: string,
  key: string,
  opts: ListOptions = {},
): Promise<string | undefined> {
  const action = `read ConfigMap ${namespace}/${name}`;
  try {
    const cm = await withTimeout(
      client.core.readNamespacedConfigMap({ namespace, name }),
      opts.timeoutMs ?? 10_000,
      action,
      opts.signal,
    );
    return cm.data?.[key];
  } catch (err) {
    const e = toKubernetesError(err, { action, server: client.server, context: client.context.name });
    if (e.kind === 'not-found') return undefined;
    throw e;
  }
}
