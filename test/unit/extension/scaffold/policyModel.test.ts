/** The vscode-free part of "Add NetworkPolicy for cloudflared": rules, manifests, kustomization edit, policy. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import {
  dedupeServices,
  namespaceOfKustomization,
  networkPolicyText,
  objectsFromManifestText,
  podsOfArguments,
  rulesFromConfigText,
  tunnelFromEnvText,
  withResource,
} from '../../../../src/extension/scaffold/policyModel';

const ID = '6ff42ae2-765d-4adf-8112-31c55c1551ef';

test('rulesFromConfigText reads the ingress rules', () => {
  const rules = rulesFromConfigText(
    `tunnel: ${ID}\ncredentials-file: /etc/cloudflared/creds/credentials.json\ningress:\n  - hostname: app.example.com\n    service: http://web.apps.svc.cluster.local:8080\n  - service: http_status:404\n`,
  );
  assert.deepEqual(rules, [
    { hostname: 'app.example.com', service: 'http://web.apps.svc.cluster.local:8080' },
    { service: 'http_status:404' },
  ]);
  assert.deepEqual(rulesFromConfigText('- not a mapping'), []);
});

test('tunnelFromEnvText decodes the run token of tunnel.env', () => {
  const token = Buffer.from(JSON.stringify({ a: 'acc', t: ID, s: 'c2VjcmV0' })).toString('base64');
  assert.deepEqual(tunnelFromEnvText(`# comment\nTUNNEL_TOKEN=${token}\n`), {
    AccountTag: 'acc',
    TunnelID: ID,
    TunnelSecret: 'c2VjcmV0',
  });
  assert.equal(tunnelFromEnvText('TUNNEL_TOKEN=REPLACE_ME_WITH_THE_TUNNEL_RUN_TOKEN\n'), undefined);
  assert.equal(tunnelFromEnvText('OTHER=1\n'), undefined);
});

const MANIFEST = `apiVersion: v1
kind: Service
metadata: { name: web, namespace: apps, labels: { tier: front } }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 8080, targetPort: http }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: apps }
spec:
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: web:1, ports: [{ name: http, containerPort: 3000 }] }]
---
: broken: [
`;

test('objectsFromManifestText finds Services and pod templates, skipping broken documents', () => {
  const { services, pods } = objectsFromManifestText(MANIFEST);
  assert.deepEqual(
    services.map((s) => `${s.namespace}/${s.name}`),
    ['apps/web'],
  );
  assert.deepEqual(
    pods.map((p) => p.ports.map((x) => x.containerPort)),
    [[3000]],
  );
  assert.deepEqual(objectsFromManifestText('{{ not yaml'), { services: [], pods: [] });
});

test('networkPolicyText allows the pods and targetPort behind the rule', () => {
  const { services, pods } = objectsFromManifestText(MANIFEST);
  const { content, skipped } = networkPolicyText({
    namespace: 'cloudflared',
    rules: [{ service: 'http://web.apps.svc.cluster.local:8080' }, { service: 'http_status:404' }],
    services,
    pods,
    publicLabel: 'cftunnel/public=true',
  });
  const policy = parse(content) as { kind: string; metadata: { namespace: string } };
  assert.equal(policy.kind, 'NetworkPolicy');
  assert.equal(policy.metadata.namespace, 'cloudflared');
  assert.match(content, /port: 3000/);
  assert.doesNotMatch(content, /port: 8080/);
  assert.deepEqual(skipped, []);
});

test('namespaceOfKustomization and withResource', () => {
  assert.equal(namespaceOfKustomization('namespace: edge\nresources: []\n'), 'edge');
  assert.equal(namespaceOfKustomization(undefined), 'cloudflared');
  assert.equal(namespaceOfKustomization(': ['), 'cloudflared');
  const k = '# mine\nnamespace: edge\nresources:\n  - deployment.yaml # the pods\n';
  const out = withResource(k, 'networkpolicy.yaml')!;
  assert.deepEqual((parse(out) as { resources: string[] }).resources, ['deployment.yaml', 'networkpolicy.yaml']);
  assert.match(out, /# mine/);
  assert.match(out, /# the pods/);
  assert.equal(withResource(out, 'networkpolicy.yaml'), undefined);
  assert.deepEqual(
    (parse(withResource('namespace: edge\n', 'networkpolicy.yaml')!) as { resources: string[] }).resources,
    ['networkpolicy.yaml'],
  );
  assert.throws(() => withResource('resources: deployment.yaml\n', 'networkpolicy.yaml'), /not a list/);
});

test('dedupeServices keeps the first of each namespace/name', () => {
  const a = { name: 'web', namespace: 'apps', ports: [{ port: 1 }] };
  const b = { name: 'web', namespace: 'apps', ports: [{ port: 2 }] };
  assert.deepEqual(dedupeServices([a, b]), [a]);
});

test('the quick fix names the pods: their namespace and labels select them in the written policy', () => {
  const pods = podsOfArguments('edge', '{"app.kubernetes.io/name":"tunnel"}');
  assert.deepEqual(pods, { namespace: 'edge', podLabels: { 'app.kubernetes.io/name': 'tunnel' } });
  const { content } = networkPolicyText({
    namespace: pods.namespace!,
    podLabels: pods.podLabels!,
    rules: [],
    services: [],
    pods: [],
    publicLabel: '',
  });
  const doc = parse(content) as { metadata: { namespace: string }; spec: { podSelector: unknown } };
  assert.equal(doc.metadata.namespace, 'edge');
  assert.deepEqual(doc.spec.podSelector, { matchLabels: { 'app.kubernetes.io/name': 'tunnel' } });
  // Malformed or absent: nothing, so the scaffold's labels are used.
  assert.deepEqual(podsOfArguments(undefined, '{not json'), {});
  assert.deepEqual(podsOfArguments('', '["a"]'), {});
  assert.deepEqual(podsOfArguments(3, '{"a":1}'), {});
});
