/** An in-memory WorkspaceReader and the clean kustomize setup, for the workspace tests (no side effects). */
import { posix } from 'node:path';
import { isWorkspaceFile, Workspace } from '../../../../src/core/workspace/workspace';
import type { WorkspaceReader } from '../../../../src/core/workspace/workspace';
import type { Diagnostic } from '../../../../src/core/types';
import { textOf } from '../../../support/config';

export class MemoryFs implements WorkspaceReader {
  readonly files: Map<string, string>;
  /** Every path read through the reader, in order. */
  readonly reads: string[] = [];

  constructor(
    files: Record<string, string>,
    readonly dirs: string[] = ['/repo/.git'],
  ) {
    this.files = new Map(Object.entries(files));
  }

  read(path: string): string | undefined {
    this.reads.push(path);
    return this.files.get(path);
  }

  isDirectory(path: string): boolean {
    return this.dirs.includes(path) || [...this.files.keys()].some((f) => f.startsWith(`${path}/`));
  }
}

/** A workspace with every YAML file (and .gitignore) of `fs` given to `update`. */
export function open(fs: MemoryFs): Workspace {
  const ws = new Workspace(fs);
  for (const [p, text] of fs.files) if (isWorkspaceFile(p)) ws.update(p, text);
  return ws;
}

/** Writes a file and tells the workspace (undefined: deletes it). */
export function write(fs: MemoryFs, ws: Workspace, path: string, text: string | undefined): void {
  if (text === undefined) fs.files.delete(path);
  else fs.files.set(path, text);
  ws.update(path, text);
}

/** Every finding as `file:line code [covered text]`, files relative to /repo. */
export function findings(fs: MemoryFs, ws: Workspace): string[] {
  return ws.files().flatMap((f) => ws.diagnostics(f).map((d) => describe(fs, f, d)));
}

export function describe(fs: MemoryFs, file: string, d: Diagnostic): string {
  return `${posix.relative('/repo', file)}:${d.range.start.line} ${d.code} [${textOf(fs.files.get(file) ?? '', d)}]`;
}

export const ID1 = '00000000-0000-4000-8000-000000000001';
export const ID2 = '00000000-0000-4000-8000-000000000002';

export const CREDENTIALS = `${JSON.stringify({ AccountTag: '0'.repeat(32), TunnelSecret: 'ZmFrZS10dW5uZWwtc2VjcmV0LWZvci10ZXN0cw==', TunnelID: ID1 })}\n`;

export const CONFIG = `tunnel: ${ID1}
credentials-file: /etc/cloudflared/creds/credentials.json
metrics: 0.0.0.0:2000
ingress:
  - hostname: app.example.com
    service: http://web.apps.svc.cluster.local
  - service: http_status:404
`;

export const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: cloudflared
spec:
  replicas: 2
  selector:
    matchLabels:
      app: cloudflared
  template:
    metadata:
      labels:
        app: cloudflared
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - name: cloudflared
          image: cloudflare/cloudflared:2026.8.2
          args: [tunnel, --config, /etc/cloudflared/config/config.yaml, run]
          livenessProbe:
            httpGet:
              path: /ready
              port: 2000
          securityContext:
            readOnlyRootFilesystem: true
            allowPrivilegeEscalation: false
            capabilities:
              drop: [ALL]
          volumeMounts:
            - name: config
              mountPath: /etc/cloudflared/config
            - name: creds
              mountPath: /etc/cloudflared/creds
      volumes:
        - name: config
          configMap:
            name: cloudflared-config
        - name: creds
          secret:
            secretName: tunnel-credentials
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: cloudflared
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app: cloudflared
`;

export const KUSTOMIZATION = `namespace: cloudflared
resources:
  - deployment.yaml
configMapGenerator:
  - name: cloudflared-config
    files:
      - config.yaml
secretGenerator:
  - name: tunnel-credentials
    files:
      - credentials.json
`;

export const SERVICES = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: apps
spec:
  ports:
    - name: http
      port: 80
`;

/** The clean setup: /repo/deploy (kustomization) and /repo/apps/services.yaml. No findings. */
export function cleanSetup(overrides: Record<string, string | undefined> = {}): MemoryFs {
  const files: Record<string, string | undefined> = {
    '/repo/.gitignore': 'credentials.json\n',
    '/repo/deploy/kustomization.yaml': KUSTOMIZATION,
    '/repo/deploy/config.yaml': CONFIG,
    '/repo/deploy/credentials.json': CREDENTIALS,
    '/repo/deploy/deployment.yaml': DEPLOYMENT,
    '/repo/apps/services.yaml': SERVICES,
    '/repo/deploy/networkpolicy.yaml': policy(8080),
    ...overrides,
  };
  return new MemoryFs(
    Object.fromEntries(Object.entries(files).filter((e): e is [string, string] => e[1] !== undefined)),
  );
}

/** A policy for the cloudflared pods of the clean setup that allows the web pods on `port`. */
export function policy(port: number | string, extra = ''): string {
  return `${extra}apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: cloudflared
  namespace: cloudflared
spec:
  podSelector:
    matchLabels:
      app: cloudflared
  policyTypes: [Egress]
  egress:
    - ports:
        - port: 53
          protocol: UDP
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: apps
          podSelector:
            matchLabels:
              app: web
      ports:
        - port: ${port}
`;
}

/** SERVICES with a selector (pods app=web) and targetPort 8080. */
export const SELECTING_SERVICES = SERVICES.replace('spec:\n', 'spec:\n  selector:\n    app: web\n').replace(
  'port: 80\n',
  'port: 80\n      targetPort: 8080\n',
);
