/** What the cloudflared NetworkPolicy allows: pods and targetPorts behind the rules, never Service ports. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import {
  networkPolicyFor,
  parsePublicLabel,
  podFromObject,
  policyTargetsFromServices,
  serviceFromObject,
} from '../../../../src/core/scaffold/networkPolicy';
import type { PolicyPod, PolicyService } from '../../../../src/core/scaffold/networkPolicy';

const web: PolicyService = {
  name: 'web',
  namespace: 'apps',
  selector: { app: 'web' },
  ports: [
    { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
    { name: 'admin', port: 9000, targetPort: 9090 },
  ],
};
const webPod: PolicyPod = {
  namespace: 'apps',
  labels: { app: 'web', tier: 'front' },
  ports: [{ name: 'http', containerPort: 8080 }],
};

describe('policyTargetsFromServices', () => {
  test('a named targetPort is resolved against the pods the Service selects', () => {
    const r = policyTargetsFromServices([{ service: 'http://web.apps.svc.cluster.local:80' }], [web], [webPod]);
    assert.deepEqual(r.targets, [
      {
        namespace: 'apps',
        podSelector: { app: 'web' },
        ports: [{ port: 8080, protocol: 'TCP' }],
        reason: 'Service apps/web (http://web.apps.svc.cluster.local:80)',
      },
    ]);
    assert.deepEqual(r.skipped, []);
  });

  test('the rule’s default port (http → 80) picks the Service port; a numeric targetPort is used, never the Service port', () => {
    const r = policyTargetsFromServices(
      [{ service: 'http://web.apps:9000' }, { service: 'http://web.apps' }],
      [web],
      [webPod],
    );
    assert.deepEqual(r.targets[0]!.ports, [
      { port: 9090, protocol: 'TCP' },
      { port: 8080, protocol: 'TCP' },
    ]);
  });

  test('a named targetPort stays a name when no selected pod declares it (NetworkPolicy resolves names per pod)', () => {
    const other: PolicyPod = {
      namespace: 'other',
      labels: { app: 'web' },
      ports: [{ name: 'http', containerPort: 1234 }],
    };
    const r = policyTargetsFromServices([{ service: 'http://web.apps:80' }], [web], [other]);
    assert.deepEqual(r.targets[0]!.ports, [{ port: 'http', protocol: 'TCP' }]);
  });

  test('pods that disagree on a named port keep the name', () => {
    const p2: PolicyPod = { namespace: 'apps', labels: { app: 'web' }, ports: [{ name: 'http', containerPort: 8081 }] };
    const r = policyTargetsFromServices([{ service: 'http://web.apps:80' }], [web], [webPod, p2]);
    assert.deepEqual(r.targets[0]!.ports, [{ port: 'http', protocol: 'TCP' }]);
  });

  test('an absent targetPort is the port itself', () => {
    const s: PolicyService = { name: 'api', namespace: 'apps', selector: { app: 'api' }, ports: [{ port: 8080 }] };
    const r = policyTargetsFromServices([{ service: 'https://api.apps.svc:8080' }], [s]);
    assert.deepEqual(r.targets[0]!.ports, [{ port: 8080, protocol: 'TCP' }]);
  });

  test('bare names resolve in cloudflared’s namespace', () => {
    const s: PolicyService = {
      name: 'api',
      namespace: 'edge',
      selector: { app: 'api' },
      ports: [{ port: 80, targetPort: 3000 }],
    };
    const r = policyTargetsFromServices([{ service: 'http://api' }], [s], [], undefined, 'edge');
    assert.equal(r.targets[0]!.namespace, 'edge');
    assert.deepEqual(r.targets[0]!.ports, [{ port: 3000, protocol: 'TCP' }]);
  });

  test('non-URL services are ignored; unknown Services, missing ports, ExternalName and selector-less Services are reported', () => {
    const ext: PolicyService = { name: 'ext', namespace: 'apps', type: 'ExternalName', ports: [] };
    const manual: PolicyService = { name: 'manual', namespace: 'apps', ports: [{ port: 80 }] };
    const r = policyTargetsFromServices(
      [
        { service: 'http_status:404' },
        { service: 'hello_world' },
        { service: 'http://nope.apps:80' },
        { service: 'http://web.apps:81' },
        { service: 'http://ext.apps:80' },
        { service: 'http://manual.apps:80' },
        { service: 'https://example.com' },
      ],
      [web, ext, manual],
    );
    assert.deepEqual(r.targets, []);
    assert.deepEqual(
      r.skipped.map((s) => s.what),
      [
        'http://nope.apps:80',
        'http://web.apps:81',
        'http://ext.apps:80',
        'http://manual.apps:80',
        'https://example.com',
      ],
    );
    assert.match(r.skipped[0]!.reason, /not known/);
    assert.match(r.skipped[1]!.reason, /has no port 81/);
    assert.match(r.skipped[2]!.reason, /ExternalName/);
    assert.match(r.skipped[3]!.reason, /no selector/);
  });

  test('Services with the public label are allowed without a rule (all their targetPorts); the label is configurable', () => {
    const pub: PolicyService = {
      name: 'blog',
      namespace: 'www',
      labels: { 'cftunnel/public': 'true' },
      selector: { app: 'blog' },
      ports: [
        { port: 80, targetPort: 'web' },
        { port: 53, targetPort: 5353, protocol: 'UDP' },
      ],
    };
    const no: PolicyService = {
      name: 'db',
      namespace: 'www',
      labels: { 'cftunnel/public': 'false' },
      selector: { app: 'db' },
      ports: [{ port: 5432 }],
    };
    const pods: PolicyPod[] = [
      {
        namespace: 'www',
        labels: { app: 'blog' },
        ports: [
          { name: 'web', containerPort: 2368 },
          { name: 'dns', containerPort: 5353, protocol: 'UDP' },
        ],
      },
    ];
    const r = policyTargetsFromServices([], [pub, no], pods);
    assert.equal(r.targets.length, 1);
    assert.deepEqual(r.targets[0]!.podSelector, { app: 'blog' });
    assert.deepEqual(r.targets[0]!.ports, [
      { port: 2368, protocol: 'TCP' },
      { port: 5353, protocol: 'UDP' },
    ]);

    const custom = policyTargetsFromServices([], [pub, { ...no, labels: { exposed: 'yes' } }], pods, 'exposed');
    assert.deepEqual(
      custom.targets.map((t) => t.podSelector),
      [{ app: 'db' }],
    );
    assert.deepEqual(parsePublicLabel('a/b = c'), { key: 'a/b', value: 'c' });
    assert.equal(parsePublicLabel(' '), undefined);
  });

  test('a rule and the public label on the same Service merge into one target', () => {
    const labelled = { ...web, labels: { 'cftunnel/public': 'true' } };
    const r = policyTargetsFromServices([{ service: 'http://web.apps:80' }], [labelled], [webPod]);
    assert.equal(r.targets.length, 1);
    assert.deepEqual(r.targets[0]!.ports, [
      { port: 8080, protocol: 'TCP' },
      { port: 9090, protocol: 'TCP' },
    ]);
  });

  test('Kubernetes objects convert: Services, and pod templates for named ports', () => {
    const svc = serviceFromObject({
      kind: 'Service',
      metadata: { name: 'web', namespace: 'apps', labels: { a: 'b' } },
      spec: {
        selector: { app: 'web' },
        ports: [
          { port: 80, targetPort: 'http', name: 'http' },
          { port: 81, targetPort: '8081' },
        ],
      },
    });
    assert.deepEqual(svc, {
      name: 'web',
      namespace: 'apps',
      labels: { a: 'b' },
      selector: { app: 'web' },
      ports: [
        { port: 80, targetPort: 'http', name: 'http' },
        { port: 81, targetPort: 8081 },
      ],
    });
    const pod = podFromObject(
      {
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: {
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }] },
          },
        },
      },
      'apps',
    );
    assert.deepEqual(pod, {
      namespace: 'apps',
      labels: { app: 'web' },
      ports: [{ name: 'http', containerPort: 8080 }],
    });
    assert.equal(serviceFromObject({ kind: 'Pod' }), undefined);
    assert.equal(podFromObject({ kind: 'Service' }), undefined);
  });
});

describe('networkPolicyFor', () => {
  const policy = (metricsFrom?: Array<Record<string, unknown>>): Record<string, unknown> =>
    parseDocument(
      networkPolicyFor({
        namespace: 'cloudflared',
        podLabels: { 'app.kubernetes.io/name': 'cloudflared' },
        targets: [{ namespace: 'apps', podSelector: { app: 'web' }, ports: [{ port: 8080, protocol: 'TCP' }] }],
        ...(metricsFrom ? { metricsFrom } : {}),
      }),
    ).toJS() as Record<string, unknown>;

  test('default deny, DNS, the targets and the edge ports; no ingress', () => {
    const p = policy() as {
      metadata: { namespace: string };
      spec: {
        podSelector: unknown;
        policyTypes: string[];
        ingress?: unknown[];
        egress: Array<{ to: unknown[]; ports?: Array<{ port: unknown; protocol: string }> }>;
      };
    };
    assert.equal(p.metadata.namespace, 'cloudflared');
    assert.deepEqual(p.spec.podSelector, { matchLabels: { 'app.kubernetes.io/name': 'cloudflared' } });
    assert.deepEqual(p.spec.policyTypes, ['Ingress', 'Egress']);
    assert.ok(
      !('ingress' in p.spec),
      'no ingress key: policyTypes Ingress with no rule denies all, as the API server stores it',
    );
    const [dns, app, edge] = p.spec.egress;
    assert.deepEqual(dns!.to, [
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
        podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      },
    ]);
    assert.deepEqual(dns!.ports, [
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
    ]);
    assert.deepEqual(app!.to, [
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } },
        podSelector: { matchLabels: { app: 'web' } },
      },
    ]);
    assert.deepEqual(app!.ports, [{ port: 8080, protocol: 'TCP' }]);
    assert.deepEqual(edge!.ports, [
      { port: 7844, protocol: 'TCP' },
      { port: 7844, protocol: 'UDP' },
      { port: 443, protocol: 'TCP' },
      { port: 853, protocol: 'TCP' },
    ]);
    assert.equal(p.spec.egress.length, 3);
  });

  test('metrics ingress only when asked, on the metrics port', () => {
    const from = [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }];
    const p = policy(from) as { spec: { ingress: unknown[] } };
    assert.deepEqual(p.spec.ingress, [{ from, ports: [{ port: 2000, protocol: 'TCP' }] }]);
  });
});
