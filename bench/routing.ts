/**
 * `trace-5000`: 5,000 routing objects (Ingresses with their Services and Deployments behind one
 * ingress-nginx) read from manifests into the trace's model, and one URL traced through them;
 * the floor is the bare YAML parse of the same files (`yaml.parseAllDocuments`).
 */
import { parseAllDocuments } from 'yaml';
import { routingObjectsFromFiles, tunnelsFromFiles } from '../src/core/routing/fromWorkspace';
import { traceUrl } from '../src/core/routing/trace';
import { indexYaml } from '../src/core/workspace/fileSummary';
import { medianOf } from './measure';
import type { Benchmark } from './measure';

const CONTROLLER = `apiVersion: v1
kind: Service
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
  labels: {app.kubernetes.io/name: ingress-nginx, app.kubernetes.io/component: controller}
spec:
  selector: {app.kubernetes.io/name: ingress-nginx, app.kubernetes.io/component: controller}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: k8s.io/ingress-nginx}
`;

const CONFIG = `tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef
credentials-file: /etc/cloudflared/creds/credentials.json
ingress:
  - hostname: "*.example.com"
    service: http://ingress-nginx-controller.ingress-nginx.svc.cluster.local:80
  - service: http_status:404
`;

/** One app: a Deployment, its Service, and an Ingress with two paths: three routing objects, and more Ingresses. */
function app(i: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: app${i}, namespace: ns${i % 50}}
spec:
  template:
    metadata: {labels: {app: app${i}}}
    spec:
      containers: [{name: app, image: example/app:1, ports: [{name: http, containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: app${i}, namespace: ns${i % 50}}
spec:
  selector: {app: app${i}}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: app${i}, namespace: ns${i % 50}}
spec:
  ingressClassName: nginx
  rules:
    - host: app${i}.example.com
      http:
        paths:
          - {path: /api, pathType: Prefix, backend: {service: {name: app${i}, port: {number: 80}}}}
          - {path: /, pathType: Prefix, backend: {service: {name: app${i}, port: {name: http}}}}
`;
}

export function routingFiles(objects: number): Map<string, string> {
  const files = new Map<string, string>([
    ['/ws/ingress-nginx.yaml', CONTROLLER],
    ['/ws/cloudflared/config.yaml', CONFIG],
  ]);
  const apps = Math.ceil(objects / 3);
  for (let i = 0; i < apps; i++) files.set(`/ws/apps/app${i}.yaml`, app(i));
  return files;
}

export function routingBenchmarks(): Benchmark[] {
  const files = routingFiles(5000);
  const target = `https://app${Math.floor(files.size / 2)}.example.com/api/v1`;
  return [
    {
      id: 'trace-5000',
      goal: 'index 5,000 routing objects from their manifests and trace one URL; floor: the bare YAML parse',
      async run() {
        const floor = medianOf(
          () => {
            for (const text of files.values()) parseAllDocuments(text);
          },
          { warmup: 1, minRuns: 5, minMs: 2000, maxRuns: 20 },
        );
        let served = false;
        const r = medianOf(
          () => {
            const summaries = [...files].map(([path, text]) => indexYaml(path, text));
            const result = traceUrl({
              url: target,
              tunnels: tunnelsFromFiles(summaries),
              objects: routingObjectsFromFiles(summaries),
            });
            served = result.servedBy !== null;
          },
          { warmup: 1, minRuns: 5, minMs: 2000, maxRuns: 20 },
        );
        if (!served) throw new Error(`trace-5000: ${target} was not served: the benchmark is measuring the wrong path`);
        return { id: 'trace-5000', median_ms: r.median, floor_ms: floor.median, runs: r.runs, files: files.size };
      },
    },
  ];
}
