/**
 * The Services tree model: namespaces and Services in order, ports, the join of ingress rules to
 * Services (every DNS form of the name, the ClusterIP, ports, bare names scoped by where the
 * tunnel's cloudflared runs), exposure per tunnel, unresolved rules, cloudflared Deployments.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildServicesTree, parseOrigin } from '../../../../src/core/kubernetes/servicesTree';
import type {
  ContextNode,
  HostnameRuleInput,
  ServiceNode,
  ServicesTreeInput,
  TreeServiceInput,
} from '../../../../src/core/kubernetes/servicesTree';

const PROD = '6ff42ae2-765d-4adf-8112-31c55c1551ef';
const HOME = 'c1744f8b-faa1-48a4-9e5c-02ac921467fa';

const SERVICES: TreeServiceInput[] = [
  {
    namespace: 'default',
    name: 'web',
    type: 'ClusterIP',
    clusterIP: '10.96.12.40',
    ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
  },
  {
    namespace: 'default',
    name: 'api',
    type: 'ClusterIP',
    clusterIP: '10.96.12.41',
    ports: [
      { name: 'http', port: 8080 },
      { name: 'grpc', port: 9090 },
    ],
  },
  { namespace: 'default', name: 'db', type: 'ClusterIP', clusterIP: 'None', ports: [{ port: 5432, targetPort: 5433 }] },
  { namespace: 'staging', name: 'web', clusterIP: '10.96.40.2', ports: [{ port: 80 }] },
  { namespace: 'monitoring', name: 'grafana', clusterIP: '10.96.30.5', ports: [{ name: 'http', port: 3000 }] },
  {
    namespace: 'ingress-nginx',
    name: 'ingress-nginx-controller',
    type: 'LoadBalancer',
    clusterIP: '10.96.80.10',
    externalIPs: ['192.0.2.80'],
    ports: [
      { name: 'http', port: 80, nodePort: 31080 },
      { name: 'https', port: 443, nodePort: 31443 },
    ],
  },
  { namespace: 'homelab', name: 'nas', type: 'ExternalName', externalName: 'nas.home.arpa', ports: [] },
];

function build(rules: HostnameRuleInput[], extra: Partial<ServicesTreeInput> = {}): ContextNode {
  return buildServicesTree({
    context: { name: 'kind-dev', server: 'https://127.0.0.1:6443' },
    services: SERVICES,
    rules,
    ...extra,
  });
}

function svc(tree: ContextNode, ns: string, name: string): ServiceNode {
  const node = tree.namespaces.find((n) => n.name === ns)?.services.find((s) => s.name === name);
  assert.ok(node, `no Service ${ns}/${name}`);
  return node;
}

const rule = (
  hostname: string | undefined,
  service: string,
  more: Partial<HostnameRuleInput> = {},
): HostnameRuleInput => ({ hostname, service, source: 'remote', tunnelId: PROD, tunnelName: 'prod-k8s', ...more });

describe('parseOrigin', () => {
  it('reads scheme, host and port, with scheme defaults', () => {
    assert.deepEqual(parseOrigin('http://web.default.svc.cluster.local:80'), {
      scheme: 'http',
      host: 'web.default.svc.cluster.local',
      port: 80,
    });
    assert.deepEqual(parseOrigin('https://Web.Default/'), { scheme: 'https', host: 'web.default', port: 443 });
    assert.deepEqual(parseOrigin('ssh://bastion'), { scheme: 'ssh', host: 'bastion', port: 22 });
    assert.deepEqual(parseOrigin('rdp://10.0.0.5'), { scheme: 'rdp', host: '10.0.0.5', port: 3389 });
    assert.deepEqual(parseOrigin('tcp://db:5432'), { scheme: 'tcp', host: 'db', port: 5432 });
    assert.deepEqual(parseOrigin('tcp://db'), { scheme: 'tcp', host: 'db', port: 7864 }); // cloudflared's default tcp port (ORIGIN_DEFAULT_PORTS)
    assert.deepEqual(parseOrigin('http://[fd00::1]:8080/x'), { scheme: 'http', host: 'fd00::1', port: 8080 });
  });

  it('ignores services that are not origins', () => {
    assert.equal(parseOrigin('http_status:404'), undefined);
    assert.equal(parseOrigin('hello_world'), undefined);
    assert.equal(parseOrigin('unix:/var/run/app.sock'), undefined);
  });
});

describe('buildServicesTree: structure', () => {
  const tree = build([]);

  it('has the context, namespaces in order, Services in order', () => {
    assert.equal(tree.kind, 'context');
    assert.equal(tree.id, 'ctx:kind-dev');
    assert.equal(tree.server, 'https://127.0.0.1:6443');
    assert.deepEqual(
      tree.namespaces.map((n) => n.name),
      ['default', 'homelab', 'ingress-nginx', 'monitoring', 'staging'],
    );
    assert.deepEqual(
      tree.namespaces[0]!.services.map((s) => s.name),
      ['api', 'db', 'web'],
    );
    assert.equal(tree.counts.services, SERVICES.length);
    assert.equal(tree.counts.exposed, 0);
    assert.equal(tree.partial, false);
  });

  it('describes type, ClusterIP and ports', () => {
    const web = svc(tree, 'default', 'web');
    assert.equal(web.type, 'ClusterIP');
    assert.equal(web.clusterIP, '10.96.12.40');
    assert.equal(web.id, 'svc:kind-dev/default/web');
    assert.deepEqual(web.ports, [
      { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080, label: 'http 80→8080/TCP' },
    ]);
    assert.equal(web.description, 'ClusterIP · 10.96.12.40 · 80/TCP');
    const lb = svc(tree, 'ingress-nginx', 'ingress-nginx-controller');
    assert.equal(lb.description, 'LoadBalancer · 10.96.80.10 · 192.0.2.80 · 80:31080/TCP,443:31443/TCP');
    assert.equal(lb.ports[1]!.label, 'https 443:31443/TCP');
    assert.equal(svc(tree, 'default', 'db').description, 'ClusterIP · headless · 5432/TCP');
    assert.equal(svc(tree, 'homelab', 'nas').description, 'ExternalName · → nas.home.arpa');
  });

  it('shows listed namespaces without Services and marks a partial list', () => {
    const t = build([], {
      namespaces: ['empty'],
      partial: true,
      note: 'Listing Services across all namespaces is forbidden',
    });
    assert.ok(t.namespaces.some((n) => n.name === 'empty' && n.services.length === 0));
    assert.equal(t.partial, true);
    assert.match(t.note!, /forbidden/);
    assert.match(t.description, /partial \(RBAC\)/);
  });
});

describe('buildServicesTree: hostnames', () => {
  it('matches every DNS form of a Service name and the ClusterIP', () => {
    const tree = build([
      rule('a.example.com', 'http://web.default.svc.cluster.local:80'),
      rule('b.example.com', 'http://web.default.svc'),
      rule('c.example.com', 'http://web.default'),
      rule('d.example.com', 'http://10.96.12.40:80'),
      rule('e.example.com', 'https://WEB.default.svc.cluster.local.:80/'),
    ]);
    const web = svc(tree, 'default', 'web');
    assert.deepEqual(
      web.hostnames.map((h) => h.hostname),
      ['a.example.com', 'b.example.com', 'c.example.com', 'd.example.com', 'e.example.com'],
    );
    assert.ok(web.hostnames.every((h) => h.portMatches && !h.shortName));
    assert.equal(svc(tree, 'staging', 'web').hostnames.length, 0, 'same name in another namespace is not matched');
    assert.match(web.description, /5 hostnames$/);
    assert.equal(tree.counts.hostnames, 5);
    assert.equal(tree.counts.exposed, 1);
  });

  it('keeps the rule details: path, source, tunnel, file and line', () => {
    const tree = build([
      rule('api.example.com', 'http://api.default.svc.cluster.local:8080', {
        path: '^/v1/',
        source: 'workspace',
        file: '/ws/config.yaml',
        line: 7,
      }),
    ]);
    const h = svc(tree, 'default', 'api').hostnames[0]!;
    assert.equal(h.kind, 'hostname');
    assert.equal(h.path, '^/v1/');
    assert.equal(h.source, 'workspace');
    assert.equal(h.tunnelId, PROD);
    assert.equal(h.port, 8080);
    assert.equal(h.file, '/ws/config.yaml');
    assert.equal(h.line, 7);
    assert.equal(h.description, 'workspace config · tunnel prod-k8s');
  });

  it('flags a port the Service does not expose, and uses scheme default ports', () => {
    const tree = build([
      rule('x.example.com', 'http://grafana.monitoring:8080'),
      rule('y.example.com', 'http://web.default'),
      rule('z.example.com', 'https://web.default'),
    ]);
    const g = svc(tree, 'monitoring', 'grafana').hostnames[0]!;
    assert.equal(g.portMatches, false);
    assert.match(g.description, /port 8080 is not a port of this Service/);
    const web = svc(tree, 'default', 'web').hostnames;
    assert.equal(web.find((h) => h.hostname === 'y.example.com')!.portMatches, true, 'http → 80');
    assert.equal(web.find((h) => h.hostname === 'z.example.com')!.portMatches, false, 'https → 443');
  });

  it('matches a headless Service by its target port and an ExternalName by name', () => {
    const tree = build([
      rule('db.example.com', 'tcp://db.default:5433'),
      rule('nas.example.com', 'http://nas.homelab:5000'),
    ]);
    assert.equal(svc(tree, 'default', 'db').hostnames[0]!.portMatches, true);
    assert.equal(svc(tree, 'homelab', 'nas').hostnames[0]!.portMatches, true);
  });

  it('scopes a bare name to the namespaces where the tunnel runs', () => {
    const deployments = [{ namespace: 'staging', name: 'cloudflared', desired: 1, ready: 1, tunnelId: PROD }];
    const tree = build([rule('s.example.com', 'http://web:80')], { deployments });
    assert.equal(svc(tree, 'staging', 'web').hostnames.length, 1);
    assert.equal(svc(tree, 'default', 'web').hostnames.length, 0);
    assert.equal(svc(tree, 'staging', 'web').hostnames[0]!.shortName, false);
    const explicit = build([rule('s.example.com', 'http://web:80', { namespaces: ['default'] })]);
    assert.equal(svc(explicit, 'default', 'web').hostnames.length, 1);
    assert.equal(svc(explicit, 'staging', 'web').hostnames.length, 0);
  });

  it('without knowing where cloudflared runs, a bare name matches every Service of that name, flagged', () => {
    const tree = build([rule('s.example.com', 'http://web:80', { tunnelId: undefined })]);
    const a = svc(tree, 'default', 'web').hostnames[0]!;
    const b = svc(tree, 'staging', 'web').hostnames[0]!;
    assert.equal(a.shortName, true);
    assert.equal(b.shortName, true);
    assert.match(a.description, /bare name/);
  });

  it('lists rules that name a missing Service as unresolved; external origins are ignored', () => {
    const tree = build([
      rule('preview.example.com', 'http://preview.default.svc.cluster.local:80'),
      rule('gone.example.com', 'http://gone.monitoring:3000'),
      rule('ext.example.com', 'https://example.org'),
      rule('local.example.com', 'http://localhost:8080'),
      rule(undefined, 'http_status:404'),
    ]);
    assert.deepEqual(
      tree.unresolved.map((h) => h.hostname),
      ['gone.example.com', 'preview.example.com'],
    );
    assert.match(tree.unresolved[0]!.description, /no such Service/);
    assert.equal(tree.counts.hostnames, 0);
  });

  it('groups exposure per tunnel, with its sources and connectors', () => {
    const deployments = [
      { namespace: 'cloudflared', name: 'cloudflared', desired: 2, ready: 2, tunnelId: PROD },
      { namespace: 'homelab', name: 'cloudflared', desired: 2, ready: 1, tunnelId: HOME },
    ];
    const tree = build(
      [
        rule('app.example.com', 'http://web.default.svc.cluster.local:80'),
        rule('www.example.com', 'http://web.default:80', { source: 'workspace' }),
        rule('home.example.dev', 'http://10.96.12.40', { tunnelId: HOME, tunnelName: 'homelab', source: 'workspace' }),
        rule(undefined, 'http://web.default:80'),
      ],
      { deployments },
    );
    const web = svc(tree, 'default', 'web');
    assert.equal(web.exposure.length, 2);
    const prod = web.exposure.find((e) => e.tunnelId === PROD)!;
    assert.deepEqual(prod.sources, ['remote', 'workspace']);
    assert.deepEqual(prod.hostnames, ['app.example.com', 'www.example.com', '(catch-all)']);
    assert.deepEqual(prod.connectors, ['cloudflared/cloudflared']);
    const home = web.exposure.find((e) => e.tunnelId === HOME)!;
    assert.deepEqual(home.connectors, ['homelab/cloudflared']);
    assert.equal(web.hostnames.at(-1)!.hostname, undefined, 'catch-all sorts last');
    assert.match(web.description, /3 hostnames$/);
  });
});

describe('buildServicesTree: cloudflared Deployments', () => {
  const tree = build([], {
    deployments: [
      {
        namespace: 'homelab',
        name: 'cloudflared',
        desired: 2,
        ready: 1,
        image: 'registry.example.com/mirror/cloudflared:2026.7.0',
        version: '2026.7.0',
        tunnelName: 'homelab',
        mode: 'config',
        pods: [
          { name: 'cloudflared-abc-1', ready: true, phase: 'Running' },
          { name: 'cloudflared-abc-2', ready: false, phase: 'Running', restarts: 7, reason: 'CrashLoopBackOff' },
        ],
      },
      { namespace: 'cloudflared', name: 'cloudflared', desired: 2, ready: 2, version: '2026.8.2' },
      { namespace: 'cloudflared', name: 'old', desired: 0, ready: 0 },
      { namespace: 'edge', name: 'tunnel', desired: 1, ready: 0, podsError: 'pods is forbidden' },
    ],
  });

  it('puts each under its namespace with ready/desired, version and health', () => {
    const home = tree.namespaces.find((n) => n.name === 'homelab')!.cloudflared[0]!;
    assert.equal(home.kind, 'cloudflared');
    assert.equal(home.id, 'cfd:kind-dev/homelab/cloudflared');
    assert.equal(home.health, 'degraded');
    assert.equal(home.description, '1/2 ready · 2026.7.0 · tunnel homelab');
    assert.equal(home.mode, 'config');
    const cf = tree.namespaces.find((n) => n.name === 'cloudflared')!;
    assert.deepEqual(
      cf.cloudflared.map((d) => [d.name, d.health]),
      [
        ['cloudflared', 'ready'],
        ['old', 'scaled-down'],
      ],
    );
    assert.equal(cf.description, '0 Services · 2 cloudflared');
    const edge = tree.namespaces.find((n) => n.name === 'edge')!.cloudflared[0]!;
    assert.equal(edge.health, 'down');
    assert.equal(edge.podsError, 'pods is forbidden');
    assert.equal(tree.counts.cloudflared, 4);
  });

  it("shows its pods' readiness", () => {
    const pods = tree.namespaces.find((n) => n.name === 'homelab')!.cloudflared[0]!.pods;
    assert.deepEqual(
      pods.map((p) => [p.name, p.ready, p.description]),
      [
        ['cloudflared-abc-1', true, 'ready · Running'],
        ['cloudflared-abc-2', false, 'not ready · CrashLoopBackOff · 7 restarts'],
      ],
    );
    assert.equal(pods[1]!.id, 'pod:kind-dev/homelab/cloudflared-abc-2');
  });
});

describe('buildServicesTree: scale', () => {
  it('builds 20,000 Services in 1,000 namespaces with 2,000 rules', () => {
    const services: TreeServiceInput[] = [];
    for (let i = 0; i < 20_000; i++)
      services.push({
        namespace: `ns-${String(i % 1000).padStart(4, '0')}`,
        name: `svc-${i}`,
        clusterIP: `10.96.${i >> 8}.${i & 255}`,
        ports: [{ port: 80 }],
      });
    const rules: HostnameRuleInput[] = [];
    for (let i = 0; i < 2000; i++)
      rules.push(
        rule(
          `h${i}.example.com`,
          `http://svc-${i * 10}.ns-${String((i * 10) % 1000).padStart(4, '0')}.svc.cluster.local:80`,
        ),
      );
    const tree = buildServicesTree({ context: { name: 'big' }, services, rules });
    assert.equal(tree.counts.namespaces, 1000);
    assert.equal(tree.counts.services, 20_000);
    assert.equal(tree.counts.exposed, 2000);
    assert.equal(tree.counts.hostnames, 2000);
    assert.equal(tree.unresolved.length, 0);
  });
});
