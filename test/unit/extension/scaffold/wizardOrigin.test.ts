/**
 * The wizard's origin Service for the NetworkPolicy: the Service as the cluster has it (selector,
 * ports with targetPort), never rebuilt from the Services list's summary (which has no selector, so
 * the policy called it "no selector (manual Endpoints)" and blocked the very origin picked).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { scaffoldPlan } from '../../../../src/core/scaffold/scaffold';
import { originPolicyInputs, originServiceRef } from '../../../../src/extension/scaffold/wizardModel';

const ID = '6ff42ae2-765d-4adf-8112-31c55c1551ef';
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** `web` in `default` as the Services list summarises it (what the wizard's origin step lists). */
const LISTED = {
  namespace: 'default',
  name: 'web',
  type: 'ClusterIP',
  clusterIP: '10.96.12.40',
  ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
};
/** The same Service as the API server returns it (GET /api/v1/namespaces/default/services/web). */
const LIVE = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default', resourceVersion: '42' },
  spec: {
    type: 'ClusterIP',
    clusterIP: '10.96.12.40',
    selector: { app: 'web' },
    ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
    sessionAffinity: 'None',
  },
};
const ORIGIN = 'http://web.default.svc.cluster.local:80';

const policyOf = (services: ReturnType<typeof originPolicyInputs>): { egress: Obj[]; notes: string[] } => {
  const plan = scaffoldPlan({
    mode: 'token',
    tunnelId: ID,
    origin: ORIGIN,
    services: services.services,
    pods: services.pods,
  });
  const np = parseDocument(plan.files.find((f) => f.path === 'networkpolicy.yaml')!.content).toJS() as Obj;
  return { egress: np.spec.egress as Obj[], notes: [...plan.notes, ...(services.note ? [services.note] : [])] };
};

test('originServiceRef: the Service an origin URL names', () => {
  assert.deepEqual(originServiceRef(ORIGIN, 'cloudflared'), { namespace: 'default', name: 'web' });
  assert.deepEqual(originServiceRef('https://api.apps:8443', 'cloudflared'), { namespace: 'apps', name: 'api' });
  assert.deepEqual(originServiceRef('http://web:80', 'edge'), { namespace: 'edge', name: 'web' });
  assert.equal(originServiceRef('https://www.example.com', 'edge'), undefined);
  assert.equal(originServiceRef('http://203.0.113.5:8080', 'edge'), undefined);
  assert.equal(originServiceRef('not a url', 'edge'), undefined);
});

test("the wizard's origin Service keeps the cluster's selector: egress to its pods on the targetPort, no 'no selector' note", () => {
  const { egress, notes } = policyOf(originPolicyInputs(LISTED, { service: LIVE, pods: [] }));
  const web = egress.find(
    (e) => e.to?.[0]?.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'default',
  );
  assert.ok(web, `an egress rule to namespace default: ${JSON.stringify(egress)}`);
  assert.deepEqual(web.to, [
    {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'default' } },
      podSelector: { matchLabels: { app: 'web' } },
    },
  ]);
  assert.deepEqual(web.ports, [{ port: 8080, protocol: 'TCP' }], 'the targetPort, never the Service port');
  assert.ok(!notes.some((n) => /no selector/.test(n)), notes.join('\n'));
  assert.deepEqual(
    notes.filter((n) => /NetworkPolicy|Service/.test(n)),
    [],
    'no NetworkPolicy note at all',
  );
});

test('a named targetPort is resolved against the pods the Service selects', () => {
  const live = {
    ...LIVE,
    spec: { ...LIVE.spec, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }] },
  };
  const pod = {
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web', 'pod-template-hash': 'abc' } },
    spec: { containers: [{ name: 'nginx', ports: [{ name: 'http', containerPort: 8081, protocol: 'TCP' }] }] },
  };
  const { egress } = policyOf(originPolicyInputs(LISTED, { service: live, pods: [pod] }));
  assert.deepEqual(egress[1]!.ports, [{ port: 8081, protocol: 'TCP' }]);
});

test('a Service that could not be read is not made up: the namespace is opened and the note says why', () => {
  const inputs = originPolicyInputs(LISTED, { error: 'services "web" is forbidden' });
  assert.deepEqual(inputs.services, []);
  assert.match(inputs.note ?? '', /could not be read.*forbidden/);
  const { egress, notes } = policyOf(inputs);
  assert.deepEqual(egress[1]!.to, [
    { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'default' } }, podSelector: {} },
  ]);
  assert.ok(!notes.some((n) => /no selector/.test(n)), notes.join('\n'));
});

test('a Service that really has no selector still says so (manual Endpoints)', () => {
  const live = { ...LIVE, spec: { type: 'ClusterIP', ports: [{ port: 80, targetPort: 8080 }] } };
  const { notes } = policyOf(originPolicyInputs(LISTED, { service: live }));
  assert.ok(
    notes.some((n) => /no selector \(manual Endpoints\)/.test(n)),
    notes.join('\n'),
  );
});
