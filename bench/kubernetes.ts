/**
 * services-tree-20000: time from nothing to the complete Services tree model for 20,000 Services
 * in 1,000 namespaces, against the local Kubernetes API server (loopback HTTP, the real
 * `@kubernetes/client-node`): kubeconfig → client → one paginated all-namespaces list of
 * Services (500 per page, as kubectl) and the cloudflared Deployments → `buildServicesTree`
 * joined with 1,000 ingress rules.
 *
 * Floor: `kubectl get services -A -o json` against the same server in the same run (kubectl
 * pages by 500 too), i.e. what the official client needs to fetch and decode the same list.
 *
 * Memory: the heap the ServiceWatcher's cache holds for those Services after its first sync
 * (`informer_heap_mb`), next to client-node's own informer holding the full V1Service objects
 * (`client_node_informer_heap_mb`), both measured after a forced GC.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { makeInformer } from '@kubernetes/client-node';
import type { V1Service, V1ServiceList } from '@kubernetes/client-node';
import { buildServicesTree } from '../src/core/kubernetes/servicesTree';
import type { HostnameRuleInput } from '../src/core/kubernetes/servicesTree';
import {
  ServiceWatcher,
  clientFor,
  listAllServices,
  listCloudflaredDeployments,
  loadKubeconfig,
} from '../src/kubernetes/cluster';
import { largeState, startKubernetesApi } from '../dev/servers/kubernetes/server';
import type { Benchmark, Result } from './measure';

const SERVICES = 20_000;
const NAMESPACES = 1_000;
const MB = 1024 * 1024;

function gcFunction(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function heapUsed(gc: () => void): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

function kubectlJson(kubeconfig: string, cacheDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    execFile(
      'kubectl',
      ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, 'get', 'services', '-A', '-o', 'json'],
      { maxBuffer: 1 << 30, timeout: 120_000 },
      (err, stdout) => {
        if (err) reject(new Error(`kubectl failed: ${err.message}`));
        else if (!stdout.includes('"kind": "List"')) reject(new Error('kubectl printed no list'));
        else resolve(performance.now() - t);
      },
    );
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function servicesTreeBenchmark(id: string): Promise<Result> {
  const state = largeState(SERVICES, NAMESPACES);
  const server = await startKubernetesApi({ state });
  const dir = mkdtempSync(join(tmpdir(), 'cftunnel-bench-k8s-'));
  try {
    const kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, server.kubeconfigYaml('bench'));
    const rules: HostnameRuleInput[] = [];
    for (let i = 0; i < 1000; i++) {
      const svc = state.list('services', `ns-${String((i * 20) % NAMESPACES).padStart(4, '0')}`)[0]!;
      rules.push({
        hostname: `h${i}.example.com`,
        service: `http://${svc.metadata.name}.${svc.metadata.namespace}.svc.cluster.local:8080`,
        source: i % 2 ? 'remote' : 'workspace',
        tunnelId: '6ff42ae2-765d-4adf-8112-31c55c1551ef',
      });
    }

    let requests = 0;
    let nodes = 0;
    const run = async (): Promise<number> => {
      const t = performance.now();
      const loaded = loadKubeconfig({ path: kubeconfig, env: {}, home: dir, allowExec: false });
      const client = clientFor(loaded);
      const [svcs, cfd] = await Promise.all([
        listAllServices(client, { pageSize: 500 }),
        listCloudflaredDeployments(client),
      ]);
      const tree = buildServicesTree({
        context: { name: client.context.name, server: client.server },
        services: svcs.services,
        deployments: cfd.deployments,
        rules,
        partial: svcs.partial,
        note: svcs.note,
      });
      const elapsed = performance.now() - t;
      requests = svcs.requests + cfd.requests;
      nodes = tree.counts.services;
      if (nodes !== SERVICES || tree.counts.exposed === 0)
        throw new Error(`incomplete tree: ${nodes} Services, ${tree.counts.exposed} exposed`);
      return elapsed;
    };
    for (let i = 0; i < 2; i++) await run();
    const times: number[] = [];
    const start = performance.now();
    while (times.length < 30 && (times.length < 7 || performance.now() - start < 8000)) times.push(await run());
    times.sort((a, b) => a - b);

    // Floor: kubectl fetching and decoding the same list (first run fills its discovery cache).
    const cacheDir = join(dir, 'kubectl-cache');
    await kubectlJson(kubeconfig, cacheDir);
    const kubectlTimes: number[] = [];
    for (let i = 0; i < 3; i++) kubectlTimes.push(await kubectlJson(kubeconfig, cacheDir));

    // Memory held by the caches, after a forced GC. Each cache is built twice and both are kept:
    // the second increment is what one more cache holds (the first also pays one-time costs:
    // lazily compiled code, the HTTP agent's last response).
    const gc = gcFunction();
    const client = clientFor(loadKubeconfig({ path: kubeconfig, env: {}, home: dir, allowExec: false }));
    const held = async (make: () => Promise<unknown>): Promise<number> => {
      const keep: unknown[] = [await make()];
      const before = heapUsed(gc);
      keep.push(await make());
      const bytes = heapUsed(gc) - before;
      keep.length = 0;
      return bytes;
    };
    const informerBytes = await held(async () => {
      const watcher = new ServiceWatcher(client);
      await watcher.start();
      watcher.stop(); // the cache stays; no open watch skews the figure
      if (watcher.size !== SERVICES) throw new Error(`watcher holds ${watcher.size} Services`);
      return watcher;
    });
    const fullBytes = await held(async () => {
      const informer = makeInformer<V1Service>(client.kc, '/api/v1/services', async () => {
        const items: V1Service[] = [];
        let cont: string | undefined;
        let rv: string | undefined;
        do {
          const page = await client.core.listServiceForAllNamespaces({ limit: 500, _continue: cont });
          rv ??= page.metadata?.resourceVersion;
          items.push(...page.items);
          cont = page.metadata?._continue;
        } while (cont);
        return { items, metadata: { resourceVersion: rv } } as V1ServiceList;
      });
      await informer.start();
      await informer.stop();
      if (informer.list().length !== SERVICES) throw new Error(`informer holds ${informer.list().length} Services`);
      return informer;
    });

    return {
      id,
      median_ms: median(times),
      floor_ms: median(kubectlTimes),
      runs: times.length,
      p90_ms: times[Math.floor(times.length * 0.9)]!,
      requests,
      services: SERVICES,
      namespaces: NAMESPACES,
      floor: 'kubectl get services -A -o json (same server, same run)',
      kubectl_runs: kubectlTimes.length,
      informer_heap_mb: Math.round((informerBytes / MB) * 10) / 10,
      client_node_informer_heap_mb: Math.round((fullBytes / MB) * 10) / 10,
    };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function kubernetesBenchmarks(): Benchmark[] {
  return [
    {
      id: 'services-tree-20000',
      goal: 'tree model complete no slower than kubectl get services -A -o json; cache far below full objects',
      run: () => servicesTreeBenchmark('services-tree-20000'),
    },
  ];
}
