/**
 * Issue #17, NetworkPolicy and Scaffold: recognising an ingress controller's Service among the
 * generator's Services, the "DMZ" policy when every rule goes to one (the controller's pods only),
 * and "all hostnames to my ingress controller" (zone option, CLI flags, the wizard's choices).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { controllerChoices, controllerHttpPort, controllerOfService } from '../../../../src/core/scaffold/controllers';
import {
  networkPolicyFor,
  podFromObject,
  policyTargetsFromServices,
} from '../../../../src/core/scaffold/networkPolicy';
import type { PolicyPod, PolicyService } from '../../../../src/core/scaffold/networkPolicy';
import { scaffoldPlan, ScaffoldError } from '../../../../src/core/scaffold/scaffold';
import { main } from '../../../../src/cli/main';
import { validateZone, wizardControllers, controllerItem } from '../../../../src/extension/scaffold/wizardModel';
import { objectsFromManifestText } from '../../../../src/extension/scaffold/policyModel';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const ID = '6ff42ae2-765d-4adf-8112-31c55c1551ef';
const FIXTURE = join(__dirname, '../../../fixtures/routing');
const nginxObjects = objectsFromManifestText(readFileSync(join(FIXTURE, 'nginx/ingress-nginx.yaml'), 'utf8'));
const appObjects = objectsFromManifestText(readFileSync(join(FIXTURE, 'nginx/apps.yaml'), 'utf8'));
const gatewayObjects = objectsFromManifestText(readFileSync(join(FIXTURE, 'gateway/gateway.yaml'), 'utf8'));
const NGINX_URL = 'http://ingress-nginx-controller.ingress-nginx.svc.cluster.local:80';

const svc = (over: Partial<PolicyService>): PolicyService => ({
  name: 'edge',
  namespace: 'infra',
  selector: { app: 'edge' },
  ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
  ...over,
});

describe('controllerOfService', () => {
  test('ingress-nginx by its labels, its name or its pods’ image; never its admission webhook', () => {
    const [controller, admission] = nginxObjects.services;
    assert.equal(controllerOfService(controller!, nginxObjects.pods)?.kind, 'ingress-nginx');
    assert.equal(controllerOfService(admission!, nginxObjects.pods), undefined);
    assert.match(controllerOfService(svc({ name: 'ingress-nginx-controller' }))!.why, /Service name/);
    const pod: PolicyPod = {
      namespace: 'infra',
      labels: { app: 'edge' },
      ports: [],
      images: ['registry.k8s.io/ingress-nginx/controller:v1.12.1'],
    };
    assert.equal(controllerOfService(svc({}), [pod])?.kind, 'ingress-nginx');
    assert.equal(
      controllerOfService(svc({}), [{ ...pod, namespace: 'other' }]),
      undefined,
      'pods of another namespace',
    );
    assert.equal(
      controllerOfService(svc({}), [{ ...pod, images: ['nginx:1.27'] }]),
      undefined,
      'plain nginx is an app',
    );
  });

  test('Traefik by label; a Gateway’s Service by the Envoy Gateway, GEP-1762 and Cilium labels', () => {
    assert.equal(controllerOfService(svc({ labels: { 'app.kubernetes.io/name': 'traefik' } }))?.label, 'Traefik');
    const envoy = gatewayObjects.services[0]!;
    assert.deepEqual(controllerOfService(envoy), {
      kind: 'gateway',
      label: 'Gateway infra/edge',
      why: 'label gateway.envoyproxy.io/owning-gateway-name',
    });
    assert.equal(
      controllerOfService(svc({ labels: { 'gateway.networking.k8s.io/gateway-name': 'gw' } }))?.label,
      'Gateway infra/gw',
    );
    assert.equal(controllerOfService(appObjects.services[0]!, appObjects.pods), undefined, 'an app Service');
  });

  test('the HTTP port: named http/web, else 80, never the TLS or webhook port', () => {
    assert.equal(controllerHttpPort(nginxObjects.services[0]!)?.port, 80);
    assert.equal(
      controllerHttpPort(
        svc({
          ports: [
            { name: 'websecure', port: 443, protocol: 'TCP' },
            { name: 'web', port: 8000, protocol: 'TCP' },
          ],
        }),
      )?.port,
      8000,
    );
    assert.equal(controllerHttpPort(svc({ ports: [{ name: 'https', port: 443 }] })), undefined);
  });

  test('podFromObject keeps the containers’ images', () => {
    assert.deepEqual(
      nginxObjects.pods.map((p) => p.images),
      [['registry.k8s.io/ingress-nginx/controller:v1.12.1']],
    );
    assert.equal(
      podFromObject({ kind: 'Pod', metadata: {}, spec: { containers: [{ name: 'x' }] } })?.images,
      undefined,
    );
  });
});

describe('the DMZ policy', () => {
  const services = [...nginxObjects.services, ...appObjects.services];
  const pods = [...nginxObjects.pods, ...appObjects.pods];
  const seed = [
    { hostname: 'example.com', service: NGINX_URL },
    { hostname: '*.example.com', service: NGINX_URL },
    { service: 'http_status:404' },
  ];

  test('every rule to the controller: its pods on the resolved target port only, said in the header', () => {
    const r = policyTargetsFromServices(seed, services, pods);
    assert.deepEqual(r.throughControllers, [
      'the ingress-nginx ingress controller (Service ingress-nginx/ingress-nginx-controller)',
    ]);
    assert.deepEqual(
      r.targets.map((t) => [t.namespace, t.podSelector, t.ports]),
      [
        [
          'ingress-nginx',
          { 'app.kubernetes.io/component': 'controller', 'app.kubernetes.io/name': 'ingress-nginx' },
          [{ port: 80, protocol: 'TCP' }],
        ],
      ],
    );
    const text = networkPolicyFor({
      namespace: 'cloudflared',
      podLabels: { app: 'cloudflared' },
      targets: r.targets,
      throughControllers: r.throughControllers!,
    });
    assert.match(text, /^# DMZ: every ingress rule goes to\n# {3}the ingress-nginx ingress controller/);
    assert.match(text, /reached through the controller, never by cloudflared/);
    assert.doesNotMatch(text, /metadata\.name: web/);
  });

  test('the controller’s named target port stays a name when its pods are not known', () => {
    const r = policyTargetsFromServices(seed, services, appObjects.pods);
    assert.deepEqual(r.targets[0]!.ports, [{ port: 'http', protocol: 'TCP' }]);
    assert.ok(r.throughControllers);
  });

  test('a rule to an ordinary Service too: today’s behaviour (no DMZ header), both targets', () => {
    const r = policyTargetsFromServices(
      [...seed.slice(0, 2), { hostname: 'shop.example.org', service: 'http://shop.web:80' }],
      services,
      pods,
    );
    assert.equal(r.throughControllers, undefined);
    assert.deepEqual(
      r.targets.map((t) => t.namespace),
      ['ingress-nginx', 'web'],
    );
    const text = networkPolicyFor({ namespace: 'cloudflared', podLabels: { app: 'c' }, targets: r.targets });
    assert.doesNotMatch(text, /DMZ/);
  });

  test('a rule to an unknown Service breaks the DMZ; a Gateway Service without selector is skipped with the reason', () => {
    assert.equal(
      policyTargetsFromServices([...seed, { service: 'http://nope.web:80' }], services, pods).throughControllers,
      undefined,
    );
    const cilium = svc({
      name: 'cilium-gateway-edge',
      labels: { 'gateway.networking.k8s.io/gateway-name': 'edge' },
      selector: undefined,
    });
    const r = policyTargetsFromServices([{ service: 'http://cilium-gateway-edge.infra:80' }], [cilium]);
    assert.match(
      r.skipped[0]!.reason,
      /the Service of Gateway infra\/edge and has no selector: its endpoints are written by the Gateway implementation/,
    );
  });

  test('Envoy Gateway’s Service: its proxy pods on the shifted target port', () => {
    const r = policyTargetsFromServices(
      [{ service: 'http://envoy-infra-edge-4c2b7e1a.envoy-gateway-system:80' }],
      gatewayObjects.services,
    );
    assert.deepEqual(r.throughControllers, [
      'the Service envoy-gateway-system/envoy-infra-edge-4c2b7e1a of Gateway infra/edge',
    ]);
    assert.deepEqual(r.targets[0]!.ports, [{ port: 10080, protocol: 'TCP' }]);
  });
});

describe('scaffold: all hostnames to the ingress controller', () => {
  test('zone: rules apex and wildcard to the controller, then 404; DNS note; DMZ policy', () => {
    const plan = scaffoldPlan({ mode: 'local', tunnelId: ID, origin: NGINX_URL, zone: 'Example.COM.' });
    const config = plan.files.find((f) => f.path === 'config.yaml')!.content;
    assert.deepEqual((parseDocument(config).toJS() as Obj).ingress, [
      { hostname: 'example.com', service: NGINX_URL },
      { hostname: '*.example.com', service: NGINX_URL },
      { service: 'http_status:404' },
    ]);
    assert.match(config, /^# Every hostname of example\.com goes to the ingress controller/);
    assert.ok(plan.notes.some((n) => n.startsWith('DNS: route example.com and *.example.com to the tunnel')));
    const policy = plan.files.find((f) => f.path === 'networkpolicy.yaml')!.content;
    assert.match(policy, /^# DMZ: every ingress rule goes to/);
  });

  test('token mode says where the rules go; an origin that is no controller says the policy is not a DMZ', () => {
    const plan = scaffoldPlan({ mode: 'token', tunnelId: ID, origin: 'http://shop.web:80', zone: 'example.com' });
    assert.ok(
      plan.notes.some((n) => /remotely managed.*example\.com and \*\.example\.com → http:\/\/shop\.web:80/.test(n)),
    );
    assert.ok(plan.notes.some((n) => /is not recognised as an ingress controller's Service/.test(n)));
    assert.doesNotMatch(plan.files.find((f) => f.path === 'networkpolicy.yaml')!.content, /DMZ/);
  });

  test('Traefik without its Service: the chart’s defaults, said in a note', () => {
    const plan = scaffoldPlan({
      mode: 'local',
      tunnelId: ID,
      origin: 'http://traefik.kube-system.svc.cluster.local:80',
      zone: 'example.org',
    });
    const np = parseDocument(plan.files.find((f) => f.path === 'networkpolicy.yaml')!.content).toJS() as Obj;
    assert.deepEqual(np.spec.egress[1], {
      to: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
          podSelector: {
            matchLabels: { 'app.kubernetes.io/instance': 'traefik-kube-system', 'app.kubernetes.io/name': 'traefik' },
          },
        },
      ],
      ports: [{ port: 8000, protocol: 'TCP' }],
    });
    assert.ok(plan.notes.some((n) => /Traefik Helm chart's defaults/.test(n)));
  });

  test('a zone that is no domain is refused', () => {
    for (const zone of ['*.example.com', 'localhost', 'exa mple.com'])
      assert.throws(() => scaffoldPlan({ mode: 'local', tunnelId: ID, zone }), ScaffoldError);
  });
});

describe('cftunnel scaffold --to-controller --zone', () => {
  let root = '';
  before(() => (root = mkdtempSync(join(tmpdir(), 'cftunnel-dmz-'))));
  after(() => rmSync(root, { recursive: true, force: true }));
  const run = (args: string[]): { code: number; err: string } => {
    let err = '';
    const code = main(args, { out: () => undefined, err: (t) => (err += t + '\n') });
    return { code, err };
  };

  test('writes the controller’s rules for the zone', () => {
    const dir = join(root, 'ok');
    const r = run([
      'scaffold',
      dir,
      '--mode',
      'local',
      '--tunnel-id',
      ID,
      '--to-controller',
      'traefik.kube-system:8000',
      '--zone',
      'example.net',
    ]);
    assert.equal(r.code, 0, r.err);
    const cfg = parseDocument(readFileSync(join(dir, 'config.yaml'), 'utf8')).toJS() as Obj;
    assert.deepEqual(
      cfg.ingress.map((x: Obj) => [x.hostname, x.service]),
      [
        ['example.net', 'http://traefik.kube-system.svc.cluster.local:8000'],
        ['*.example.net', 'http://traefik.kube-system.svc.cluster.local:8000'],
        [undefined, 'http_status:404'],
      ],
    );
  });

  test('usage errors exit 2 and write nothing', () => {
    const dir = join(root, 'bad');
    const base = ['scaffold', dir, '--mode', 'local', '--tunnel-id', ID];
    for (const [args, message] of [
      [['--to-controller', 'ingress-nginx-controller.ingress-nginx'], /--to-controller needs --zone/],
      [['--to-controller', 'ingress-nginx-controller', '--zone', 'example.com'], /SERVICE\.NAMESPACE\[:PORT\]/],
      [['--to-controller', 'a.b:70000', '--zone', 'example.com'], /SERVICE\.NAMESPACE\[:PORT\]/],
      [['--to-controller', 'a.b', '--origin', 'http://x.y', '--zone', 'example.com'], /not both/],
      [['--zone', 'example.com', '--hostname', 'a.example.com'], /--zone or --hostname/],
      [['--zone', '*.example.com'], /is not a domain name/],
    ] as Array<[string[], RegExp]>) {
      const r = run([...base, ...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, message);
      assert.ok(!existsSync(dir));
    }
  });
});

describe('the wizard’s controllers', () => {
  test('the cluster’s by name, then the workspace’s (labels, images), one per Service', () => {
    const listed = [
      {
        namespace: 'ingress-nginx',
        name: 'ingress-nginx-controller',
        type: 'LoadBalancer',
        ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
      },
      { namespace: 'web', name: 'shop', ports: [{ port: 80 }] },
    ];
    const found = wizardControllers(listed, {
      services: [...nginxObjects.services, ...gatewayObjects.services],
      pods: nginxObjects.pods,
    });
    assert.deepEqual(
      found.map((c) => [c.from, `${c.service.namespace}/${c.service.name}`, c.origin]),
      [
        ['cluster', 'ingress-nginx/ingress-nginx-controller', NGINX_URL],
        [
          'workspace',
          'envoy-gateway-system/envoy-infra-edge-4c2b7e1a',
          'http://envoy-infra-edge-4c2b7e1a.envoy-gateway-system.svc.cluster.local:80',
        ],
      ],
    );
    assert.match(controllerItem(found[0]!).label, /All hostnames to my ingress controller/);
    assert.equal(controllerChoices(appObjects.services, appObjects.pods).length, 0);
  });

  test('the zone input', () => {
    assert.equal(validateZone('example.com'), undefined);
    assert.equal(validateZone('Example.com.'), undefined);
    assert.ok(validateZone('*.example.com'));
    assert.ok(validateZone('https://example.com'));
  });
});
