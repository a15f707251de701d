/**
 * "Trace Hostname…" through the cluster and the cluster objects it opens (issue #17), as plain data:
 * which source is used without asking, the trace over the rules the Services tree joins (grouped
 * per tunnel, cloudflared's matching), hops with their cluster objects as openable items, and the
 * object found again in the listed kinds as read-only YAML; the tree's hostname items open it too.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostnameRuleInput } from '../../../src/core/kubernetes/servicesTree';
import { routingObjectsFromCluster } from '../../../src/core/routing/fromCluster';
import {
  clusterObjectArgument,
  listedObjectYaml,
  objectDocumentName,
} from '../../../src/extension/kubernetes/clusterObjectsModel';
import { itemSpec } from '../../../src/extension/kubernetes/model';
import {
  clusterTraceAnswer,
  defaultTraceSource,
  dnsTunnelOf,
  ruleHostnameChoices,
  sourceChoices,
  traceItems,
} from '../../../src/extension/traceModel';

const NGINX = 'http://ingress-nginx-controller.ingress-nginx.svc.cluster.local:80';
const INGRESS = {
  metadata: { name: 'shop', namespace: 'default', managedFields: [{ manager: 'kubectl' }] },
  spec: {
    ingressClassName: 'nginx',
    rules: [
      {
        host: 'shop.example.com',
        http: {
          paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'shop', port: { number: 80 } } } }],
        },
      },
    ],
  },
};
const KINDS = {
  ingresses: { status: 'listed' as const, items: [INGRESS], apiVersions: ['networking.k8s.io/v1'] },
  ingressclasses: {
    status: 'listed' as const,
    items: [{ metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } }],
    apiVersions: ['networking.k8s.io/v1'],
  },
};
const SERVICES = [
  {
    namespace: 'ingress-nginx',
    name: 'ingress-nginx-controller',
    labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
    ports: [{ port: 80 }],
  },
  { namespace: 'default', name: 'shop', selector: { app: 'shop' }, ports: [{ port: 80, targetPort: 8080 }] },
];
const RULES: HostnameRuleInput[] = [
  { hostname: 'shop.example.com', service: NGINX, source: 'remote', tunnelId: 't-1', tunnelName: 'prod-k8s' },
  { service: 'http_status:404', source: 'remote', tunnelId: 't-1', tunnelName: 'prod-k8s' },
  { hostname: 'w.example.com', service: 'http://web:80', source: 'workspace', file: '/w/config.yaml', line: 5 },
];

describe('Trace Hostname through the cluster', () => {
  it('the source: asked only when both are possible and the argument does not decide', () => {
    const both = { workspace: true, cluster: true };
    assert.equal(defaultTraceSource(undefined, { workspace: true, cluster: false }), 'workspace');
    assert.equal(defaultTraceSource(undefined, { workspace: false, cluster: true }), 'cluster');
    assert.equal(defaultTraceSource(undefined, both), undefined);
    assert.equal(
      defaultTraceSource({ type: 'hostname', hostname: { hostname: 'a.example.com', source: 'remote' } }, both),
      'cluster',
    );
    assert.equal(
      defaultTraceSource({ type: 'hostname', hostname: { hostname: 'a.example.com', source: 'workspace' } }, both),
      'workspace',
    );
    assert.equal(defaultTraceSource({ url: 'a.example.com' }, both), 'workspace');
    assert.deepEqual(
      sourceChoices('homelab', true).map((c) => c.source),
      ['cluster', 'workspace'],
    );
  });

  it('offers the rules’ hostnames, remote ones with their tunnel', () => {
    assert.deepEqual(
      ruleHostnameChoices(RULES).map((c) => [c.label, c.description]),
      [
        ['shop.example.com', `→ ${NGINX} · tunnel prod-k8s (remote)`],
        ['w.example.com', '→ http://web:80 · /w/config.yaml'],
        ['$(edit) Enter a URL…', undefined],
      ],
    );
  });

  it('traces through the cluster’s objects; the Ingress hop opens the object', () => {
    const objects = routingObjectsFromCluster({ services: SERVICES, kinds: KINDS });
    const answer = clusterTraceAnswer({
      url: 'shop.example.com',
      rules: RULES,
      deployments: [],
      objects,
      fileUri: (p) => `file://${p}`,
    });
    assert.deepEqual(answer.result.servedBy, { namespace: 'default', name: 'shop', port: 80 });
    assert.equal(answer.tunnels, 2);
    assert.ok(!answer.result.notes.some((n) => /originRequest/.test(n)), 'the rules carry their origin settings');
    const items = traceItems(answer, (p) => p);
    const ingress = items.find((i) => i.label.includes('Ingress default/shop'))!;
    assert.equal(ingress.description, 'in the cluster');
    assert.deepEqual(ingress.object, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      namespace: 'default',
      name: 'shop',
    });
    // A workspace rule's hop opens its file.
    const w = clusterTraceAnswer({
      url: 'w.example.com',
      rules: RULES,
      deployments: [],
      objects,
      fileUri: (p) => `file://${p}`,
    });
    assert.deepEqual(w.result.hops[0]!.uri, 'file:///w/config.yaml');
    assert.equal(w.result.hops[0]!.line, 6);
  });

  it("a rule's origin settings reach the controller: httpHostHeader decides the host it routes by", () => {
    const objects = routingObjectsFromCluster({ services: SERVICES, kinds: KINDS });
    const trace = (origin: HostnameRuleInput['origin']) =>
      clusterTraceAnswer({
        url: 'shop.example.com',
        rules: [{ ...RULES[0]!, ...(origin ? { origin } : {}) }, RULES[1]!],
        deployments: [],
        objects,
        fileUri: String,
      }).result;
    assert.deepEqual(trace(undefined).servedBy, { namespace: 'default', name: 'shop', port: 80 });
    const other = trace({ httpHostHeader: 'other.example.com' });
    assert.equal(other.servedBy, null);
    assert.match(JSON.stringify(other.stops), /other\.example\.com/);
    assert.deepEqual(trace({ httpHostHeader: 'shop.example.com' }).servedBy, {
      namespace: 'default',
      name: 'shop',
      port: 80,
    });
  });

  it('the tunnel the DNS record routes the host to comes first', () => {
    const objects = routingObjectsFromCluster({ services: SERVICES, kinds: KINDS });
    const rules: HostnameRuleInput[] = [
      { hostname: '*.example.com', service: 'http://web:80', source: 'workspace', file: '/w/config.yaml', line: 5 },
      ...RULES.slice(0, 2),
    ];
    const dnsTunnel = dnsTunnelOf(
      [{ hostname: 'shop.example.com', tunnelId: 'T-1' }],
      [{ id: 't-1', name: 'prod-k8s' }],
      'https://shop.example.com/',
    );
    assert.deepEqual(dnsTunnel, { id: 'T-1', name: 'prod-k8s' });
    const viaDns = clusterTraceAnswer({
      url: 'shop.example.com',
      rules,
      deployments: [],
      objects,
      fileUri: String,
      dnsTunnel,
    });
    assert.deepEqual(viaDns.result.servedBy, { namespace: 'default', name: 'shop', port: 80 });
    assert.ok(viaDns.result.notes.some((n) => /DNS record routes shop\.example\.com to tunnel prod-k8s/.test(n)));
    // Without DNS the first tunnel with a rule for the host (the workspace's wildcard) is followed.
    const first = clusterTraceAnswer({ url: 'shop.example.com', rules, deployments: [], objects, fileUri: String });
    assert.equal(first.result.hops[0]!.file, '/w/config.yaml');
    assert.equal(dnsTunnelOf([{ hostname: '*.example.com', tunnelId: 'x' }], [], 'a.example.com')?.id, 'x');
  });

  it('finds the object in the listed kinds as YAML without managedFields', () => {
    const ref = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespace: 'default', name: 'shop' };
    const text = listedObjectYaml(KINDS, ref)!;
    assert.match(text, /^apiVersion: networking\.k8s\.io\/v1\nkind: Ingress\n/);
    assert.match(text, /host: shop\.example\.com/);
    assert.doesNotMatch(text, /managedFields/);
    assert.equal(listedObjectYaml(KINDS, { ...ref, name: 'gone' }), undefined);
    assert.equal(objectDocumentName(ref), 'Ingress default∕shop.yaml');
  });

  it('a tree hostname reached through a controller opens its routing object', () => {
    const via = {
      kind: 'Ingress' as const,
      namespace: 'default',
      name: 'shop',
      object: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespace: 'default', name: 'shop' },
    };
    const node = {
      kind: 'hostname' as const,
      id: 'host:c/default/shop/0/shop.example.com',
      hostname: 'shop.example.com',
      service: NGINX,
      source: 'remote' as const,
      portMatches: true,
      shortName: false,
      via,
      controller: { namespace: 'ingress-nginx', name: 'ingress-nginx-controller', kind: 'ingress-nginx' },
      description: 'via Ingress default/shop',
    };
    const el = { type: 'hostname' as const, context: 'c', service: {} as never, node };
    const spec = itemSpec(el);
    assert.equal(spec.command?.command, 'cftunnel.showClusterObject');
    assert.equal(spec.icon, 'type-hierarchy-sub');
    assert.match(
      spec.tooltip!,
      /Reached through ingress-nginx \(Service ingress-nginx\/ingress-nginx-controller\), routed by Ingress default\/shop/,
    );
    assert.deepEqual(clusterObjectArgument(el), via.object);
    assert.deepEqual(clusterObjectArgument(via.object), via.object);
    assert.equal(clusterObjectArgument({ node: {} }), undefined);
  });
});
