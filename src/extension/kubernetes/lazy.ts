/**
 * The Kubernetes client, loaded on first use. `@kubernetes/client-node` (most of the extension's
 * code by size) and src/kubernetes/ are a bundle of their own, dist/kubernetes.js, required the
 * first time a cluster view is shown or a cluster command runs, so activation neither reads nor
 * parses it. esbuild.mjs turns the `require` below into `require('./kubernetes.js')` in
 * dist/extension.js and fails the build when anything else pulls client-node into that bundle; run
 * from source (the tests, under tsx) it is an ordinary require of src/kubernetes/cluster.ts.
 *
 * Elsewhere in src/extension/, src/kubernetes/ is imported with `import type` only; the one
 * exception is errors.ts (no client-node), whose `KubernetesError` is recognised across the two
 * bundles.
 */
import type * as Kubernetes from '../../kubernetes/cluster';

export type KubernetesModule = typeof Kubernetes;

let loaded: KubernetesModule | undefined;

/** src/kubernetes/cluster.ts's exports (dist/kubernetes.js in the package), loaded on the first call. */
export function kubernetes(): KubernetesModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('../../kubernetes/cluster') as KubernetesModule;
  return loaded;
}
