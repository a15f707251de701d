/**
 * Workspace model speed: indexing a generated workspace of 500 kustomizations, 5,000
 * manifests and 500 NetworkPolicies (all cross-file diagnostics computed), and re-checking
 * after one file changes.
 */
import { Workspace } from '../src/core/workspace/workspace';
import type { WorkspaceReader } from '../src/core/workspace/workspace';
import { generateConfig } from '../dev/generate';
import { medianOf } from './measure';
import type { Benchmark } from './measure';

/** One app folder: a kustomization with generators, a cloudflared Deployment, Services, the NetworkPolicy of its pods. */
function appFolder(i: number, manifests: number): Map<string, string> {
  const dir = `/ws/apps/app${i}`;
  const files = new Map<string, string>();
  const resources: string[] = [];
  files.set(`${dir}/config.yaml`, generateConfig(8).replace(/svc(\d+)\.ns\d+/g, `web$1.app${i}`));
  files.set(
    `${dir}/credentials.json`,
    JSON.stringify({ AccountTag: 'acc', TunnelSecret: 'c2VjcmV0', TunnelID: '6ff42ae2-765d-4adf-8112-31c55c1551ef' }),
  );
  files.set(`${dir}/.gitignore`, 'credentials.json\n');
  for (let m = 0; m < manifests; m++) {
    const name = m === 0 ? 'deployment.yaml' : `service${m}.yaml`;
    resources.push(name);
    files.set(
      `${dir}/${name}`,
      m === 0
        ? `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cloudflared\nspec:\n  template:\n    metadata:\n      labels: {app: cloudflared}\n    spec:\n      containers:\n        - name: cloudflared\n          image: cloudflare/cloudflared:2026.8.2\n          args: [tunnel, --config, /etc/cloudflared/config/config.yaml, run]\n          livenessProbe:\n            httpGet: {path: /ready, port: 2000}\n          volumeMounts:\n            - {name: config, mountPath: /etc/cloudflared/config}\n            - {name: creds, mountPath: /etc/cloudflared/creds}\n      volumes:\n        - name: config\n          configMap: {name: cloudflared}\n        - name: creds\n          secret: {secretName: tunnel-credentials}\n`
        : `apiVersion: v1\nkind: Service\nmetadata:\n  name: web${m}\nspec:\n  selector: {app: web${m}}\n  ports:\n    - port: ${8000 + m}\n      targetPort: http\n`,
    );
  }
  // Egress to every Service's pods on its named targetPort, DNS and the edge.
  const peers = Array.from(
    { length: manifests - 1 },
    (_, m) =>
      `    - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: app${i}}}, podSelector: {matchLabels: {app: web${m + 1}}}}]\n      ports: [{port: http}]\n`,
  ).join('');
  files.set(
    `${dir}/networkpolicy.yaml`,
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: cloudflared\nspec:\n  podSelector: {matchLabels: {app: cloudflared}}\n  policyTypes: [Ingress, Egress]\n  egress:\n    - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]\n      ports: [{port: 53, protocol: UDP}]\n${peers}    - to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]}}]\n      ports: [{port: 7844}, {port: 7844, protocol: UDP}, {port: 443}]\n`,
  );
  resources.push('networkpolicy.yaml');
  files.set(
    `${dir}/kustomization.yaml`,
    `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: app${i}\nresources:\n${resources.map((r) => `  - ${r}`).join('\n')}\nconfigMapGenerator:\n  - name: cloudflared\n    files: [config.yaml]\nsecretGenerator:\n  - name: tunnel-credentials\n    files: [credentials.json]\n`,
  );
  return files;
}

export function generateWorkspace(kustomizations: number, manifests: number): Map<string, string> {
  const files = new Map<string, string>();
  const perApp = Math.max(1, Math.floor(manifests / kustomizations));
  for (let i = 0; i < kustomizations; i++) for (const [k, v] of appFolder(i, perApp)) files.set(k, v);
  return files;
}

/** An in-memory reader with a precomputed folder listing (so the reader costs nothing). */
function memoryReader(files: Map<string, string>): WorkspaceReader {
  const children = new Map<string, Set<string>>();
  for (const path of files.keys()) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/') || '/';
      if (!children.has(dir)) children.set(dir, new Set());
      children.get(dir)!.add(parts[i]!);
    }
  }
  return {
    read: (p) => files.get(p),
    isDirectory: (p) => children.has(p),
    list: (dir) => [...(children.get(dir) ?? [])],
  };
}

function indexAll(files: Map<string, string>): Workspace {
  const ws = new Workspace(memoryReader(files));
  for (const [path, text] of files) if (/\.ya?ml$/.test(path)) ws.update(path, text);
  for (const path of files.keys()) ws.diagnostics(path);
  return ws;
}

export function workspaceBenchmarks(): Benchmark[] {
  const files = generateWorkspace(500, 5000);
  return [
    {
      id: 'workspace-index-5000',
      goal: 'index + every cross-file diagnostic of 500 kustomizations, 5,000 manifests and 500 NetworkPolicies',
      async run() {
        const r = medianOf(() => indexAll(files), { warmup: 1, minRuns: 5, minMs: 3000, maxRuns: 20 });
        return { id: 'workspace-index-5000', median_ms: r.median, runs: r.runs, files: files.size };
      },
    },
    {
      id: 'workspace-update-1',
      goal: 'one config.yaml edited: re-index it and recompute the diagnostics it affects',
      async run() {
        const ws = indexAll(files);
        const path = '/ws/apps/app250/config.yaml';
        const original = files.get(path)!;
        let flip = false;
        const r = medianOf(
          () => {
            flip = !flip;
            const text = flip ? original.replace('metrics: 0.0.0.0:2000', 'metrics: 0.0.0.0:2001') : original;
            files.set(path, text);
            ws.update(path, text);
            for (const p of [
              '/ws/apps/app250/config.yaml',
              '/ws/apps/app250/deployment.yaml',
              '/ws/apps/app250/kustomization.yaml',
            ])
              ws.diagnostics(p);
          },
          { warmup: 5, minRuns: 50, minMs: 1500 },
        );
        return { id: 'workspace-update-1', median_ms: r.median, runs: r.runs };
      },
    },
  ];
}
