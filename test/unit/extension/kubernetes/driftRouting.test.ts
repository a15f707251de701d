/**
 * The drift monitor's routing (issue #17): the snapshot's routing kinds become the trace's model,
 * and route findings are published (with diagnostics on the rule hostname).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DriftEngine, driftRouting } from '../../../../src/extension/kubernetes/driftMonitorModel';
import type { DriftClusterState, DriftPublication } from '../../../../src/extension/kubernetes/driftMonitorModel';
import { driftWorkspaceConfigs } from '../../../../src/extension/workspaceConfigsModel';
import { readConfigs } from '../../../../src/server/workspace';
import type { ClusterKindInput, ClusterRoutingKind } from '../../../../src/core/routing/fromCluster';
import { yaml } from '../../../support/config';

const HOME = 'c1744f8b-faa1-48a4-9e5c-02ac921467fa';
const PATH = '/ws/cloudflared/config.yaml';
const NGINX = 'http://ingress-nginx-controller.ingress-nginx.svc.cluster.local:80';

const CONFIG = yaml`
  tunnel: home
  credentials-file: /etc/cloudflared/creds/credentials.json
  ingress:
    - hostname: shop.example.com
      service: ${NGINX}
    - hostname: docs.example.com
      service: ${NGINX}
    - hostname: none.example.com
      service: ${NGINX}
    - service: http_status:404
`;

const SERVICES = [
  {
    namespace: 'ingress-nginx',
    name: 'ingress-nginx-controller',
    type: 'LoadBalancer',
    labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
    ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }],
  },
  { namespace: 'default', name: 'shop', type: 'ClusterIP', ports: [{ port: 80, protocol: 'TCP' }] },
];

function ingress(name: string, host: string, service: string) {
  return {
    metadata: { name, namespace: 'default' },
    spec: {
      ingressClassName: 'nginx',
      rules: [
        {
          host,
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port: { number: 80 } } } }],
          },
        },
      ],
    },
  };
}

const KINDS: Partial<Record<ClusterRoutingKind, ClusterKindInput>> = {
  ingressclasses: {
    status: 'listed',
    items: [{ metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } }],
    apiVersions: ['networking.k8s.io/v1'],
  },
  ingresses: {
    status: 'listed',
    items: [ingress('shop', 'shop.example.com', 'shop'), ingress('docs', 'docs.example.com', 'docs-missing')],
    apiVersions: ['networking.k8s.io/v1'],
  },
  httproutes: { status: 'not-served', items: [], apiVersions: [] },
};

function state(kinds: typeof KINDS | undefined): DriftClusterState {
  const routing = driftRouting(SERVICES, kinds);
  return {
    services: SERVICES.map((s) => ({ name: s.name, namespace: s.namespace, ports: s.ports })),
    deployments: [],
    tunnels: [{ id: HOME, name: 'home', status: 'healthy', configSrc: 'local' }],
    dnsRecords: [],
    zones: [],
    known: [],
    ...(routing ? { routing } : {}),
  };
}

async function publish(kinds: typeof KINDS | undefined): Promise<DriftPublication> {
  let last: DriftPublication | undefined;
  const engine = new DriftEngine({
    configs: async () => driftWorkspaceConfigs(readConfigs(PATH, CONFIG).map((c) => ({ uri: `file://${PATH}`, ...c }))),
    publish: (p) => (last = p),
  });
  await engine.setCluster(state(kinds));
  assert.ok(last);
  return last;
}

test('the monitor passes the routing objects: route findings and their diagnostics on the rule hostname', async () => {
  const p = await publish(KINDS);
  const route = p.findings.filter((f) => f.code.startsWith('drift-route-'));
  assert.deepEqual(
    route.map((f) => [f.code, f.hostname]),
    [
      ['drift-route-backend-missing', 'docs.example.com'],
      ['drift-route-not-found', 'none.example.com'],
    ],
  );
  const lines = CONFIG.split('\n');
  const diagnostics = (p.diagnostics.get(PATH) ?? []).filter((d) => d.code.startsWith('drift-route-'));
  assert.deepEqual(
    diagnostics.map((d) => lines[d.range.start.line]!.trim()),
    ['- hostname: docs.example.com', '- hostname: none.example.com'],
  );
});

test('without listed routing kinds: no route findings', async () => {
  assert.equal(driftRouting(SERVICES, undefined), undefined);
  const p = await publish(undefined);
  assert.deepEqual(
    p.findings.filter((f) => f.code.startsWith('drift-route-')),
    [],
  );
});
