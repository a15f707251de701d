/**
 * What the scaffold writes is what a real API server stores: no empty list or empty map for a field
 * the server drops when empty (`omitempty`). Such a field is sent again by every `kubectl apply`,
 * bumps `generation`, and `kubectl diff -k` never comes back clean after an apply.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { scaffoldPlan } from '../../../../src/core/scaffold/scaffold';
import type { ScaffoldOptions } from '../../../../src/core/scaffold/scaffold';
import { networkPolicyText } from '../../../../src/extension/scaffold/policyModel';

const ID = '6ff42ae2-765d-4adf-8112-31c55c1551ef';

/**
 * Empty values the server keeps: a NetworkPolicy peer's `podSelector: {}` is a pointer to an empty
 * LabelSelector (non-nil, so stored: "every pod of the namespace"), and the policy's own
 * `spec.podSelector` is required, not omitempty.
 */
const KEPT_EMPTY = [
  /^NetworkPolicy: spec\.(egress|ingress)\[\d+\]\.(to|from)\[\d+\]\.podSelector$/,
  /^NetworkPolicy: spec\.podSelector$/,
];

/** Paths (`Kind: a.b[0].c`) of empty lists and maps in an object. */
function empties(kind: string, value: unknown, path = ''): string[] {
  const here = `${kind}: ${path}`;
  if (Array.isArray(value)) {
    if (value.length === 0) return [here];
    return value.flatMap((v, i) => empties(kind, v, `${path}[${i}]`));
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) return [here];
    return entries.flatMap(([k, v]) => empties(kind, v, path ? `${path}.${k}` : k));
  }
  return [];
}

/** The Kubernetes objects of a plan's files (those with apiVersion and kind, kustomization.yaml too). */
function objectsOf(options: ScaffoldOptions): Array<{ file: string; kind: string; obj: unknown }> {
  return scaffoldPlan(options)
    .files.filter((f) => f.path.endsWith('.yaml'))
    .flatMap((f) =>
      parseAllDocuments(f.content).flatMap((d) => {
        const obj = d.toJS() as { apiVersion?: unknown; kind?: unknown } | null;
        return obj && typeof obj.kind === 'string' && typeof obj.apiVersion === 'string'
          ? [{ file: f.path, kind: obj.kind, obj }]
          : [];
      }),
    );
}

const SERVICES: ScaffoldOptions['services'] = [
  {
    name: 'web',
    namespace: 'apps',
    selector: { app: 'web' },
    ports: [{ port: 80, targetPort: 'http', protocol: 'TCP' }],
  },
  {
    name: 'grafana',
    namespace: 'monitoring',
    labels: { 'cftunnel/public': 'true' },
    selector: { app: 'grafana' },
    ports: [{ port: 3000 }],
  },
];

const OPTION_SETS: Array<{ name: string; options: Omit<ScaffoldOptions, 'mode'> }> = [
  { name: 'defaults', options: { tunnelId: ID } },
  { name: 'one replica (no PDB, no spread)', options: { tunnelId: ID, replicas: 1 } },
  {
    name: 'hostnames, namespace, 3 replicas, metrics scraping',
    options: {
      tunnelId: ID,
      namespace: 'edge',
      replicas: 3,
      hostnames: ['app.example.com', '*.example.org'],
      metricsIngressFrom: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
    },
  },
  {
    name: 'an unknown origin Service (the whole namespace, every port)',
    options: { tunnelId: ID, origin: 'http://web.apps.svc.cluster.local:8080' },
  },
  {
    name: 'a known origin Service and a public one',
    options: {
      tunnelId: ID,
      origin: 'http://web.apps.svc.cluster.local:80',
      services: SERVICES,
      pods: [{ namespace: 'apps', labels: { app: 'web' }, ports: [{ name: 'http', containerPort: 8080 }] }],
    },
  },
  { name: 'an origin outside the cluster (no target)', options: { tunnelId: ID, origin: 'https://example.com' } },
  { name: 'another name (own pod labels)', options: { tunnelId: ID, name: 'cloudflared-2' } },
  {
    name: "an existing Deployment's selector and pod labels",
    options: { tunnelId: ID, selector: { app: 'cloudflared' }, podLabels: { app: 'cloudflared', team: 'edge' } },
  },
  { name: 'empty metricsIngressFrom (no ingress at all)', options: { tunnelId: ID, metricsIngressFrom: [] } },
];

describe('no empty list or map for an omitempty field', () => {
  for (const mode of ['local', 'token'] as const) {
    for (const set of OPTION_SETS) {
      test(`${mode}: ${set.name}`, () => {
        const objs = objectsOf({ mode, ...set.options });
        assert.ok(objs.some((o) => o.kind === 'NetworkPolicy') && objs.some((o) => o.kind === 'Deployment'));
        const found = objs.flatMap((o) =>
          empties(o.kind, o.obj)
            .filter((p) => !KEPT_EMPTY.some((re) => re.test(p)))
            .map((p) => `${o.file}: ${p}`),
        );
        assert.deepEqual(found, []);
      });
    }
  }

  test('the policy of "Add NetworkPolicy for cloudflared" (no metrics ingress)', () => {
    const { content } = networkPolicyText({
      namespace: 'cloudflared',
      rules: [{ service: 'http://web.apps:80' }],
      services: SERVICES ?? [],
      pods: [],
      publicLabel: 'cftunnel/public=true',
    });
    const obj = parseAllDocuments(content)[0]!.toJS() as { spec: Record<string, unknown> };
    assert.ok(!('ingress' in obj.spec), 'no `ingress: []`: policyTypes Ingress without rules denies all ingress');
    assert.deepEqual(obj.spec.policyTypes, ['Ingress', 'Egress']);
    assert.deepEqual(
      empties('NetworkPolicy', obj).filter((p) => !KEPT_EMPTY.some((re) => re.test(p))),
      [],
    );
  });
});
