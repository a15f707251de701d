/** The scaffold's files for its options: modes, defaults, secrets and placeholders. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import {
  credentialsFromToken,
  PLACEHOLDER,
  scaffold,
  scaffoldPlan,
  ScaffoldError,
} from '../../../../src/core/scaffold/scaffold';
import type { ScaffoldFile } from '../../../../src/core/scaffold/scaffold';

const ID = '6ff42ae2-765d-4adf-8112-31c55c1551ef';
const token = (t = ID): string =>
  Buffer.from(JSON.stringify({ a: 'acc0123', t, s: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTAxMjM=' })).toString(
    'base64',
  );

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const file = (files: ScaffoldFile[], path: string): ScaffoldFile => {
  const f = files.find((x) => x.path === path);
  assert.ok(f, `${path} is written (have ${files.map((x) => x.path).join(', ')})`);
  return f;
};
const yaml = (files: ScaffoldFile[], path: string): Obj => parseDocument(file(files, path).content).toJS() as Obj;

describe('scaffold', () => {
  test('local mode: the files of field-notes §6.4', () => {
    const files = scaffold({ mode: 'local', tunnelId: ID });
    assert.deepEqual(files.map((f) => f.path).sort(), [
      '.gitignore',
      'config.yaml',
      'credentials.json',
      'deployment.yaml',
      'kustomization.yaml',
      'networkpolicy.yaml',
      'pdb.yaml',
    ]);
    const k = yaml(files, 'kustomization.yaml');
    assert.equal(k.namespace, 'cloudflared');
    assert.deepEqual(k.resources, ['deployment.yaml', 'networkpolicy.yaml', 'pdb.yaml']);
    assert.deepEqual(k.configMapGenerator, [{ name: 'cloudflared-config', files: ['config.yaml'] }]);
    assert.deepEqual(k.secretGenerator, [{ name: 'cloudflared-credentials', files: ['credentials.json'] }]);
    assert.equal(k.generatorOptions, undefined, 'hash suffixes stay on');
    const cfg = yaml(files, 'config.yaml');
    assert.equal(cfg.tunnel, ID);
    assert.equal(cfg['credentials-file'], '/etc/cloudflared/creds/credentials.json');
    assert.deepEqual(cfg.ingress, [{ service: 'http://ingress-nginx-controller.ingress-nginx.svc.cluster.local:80' }]);
    const d = yaml(files, 'deployment.yaml');
    assert.equal(d.spec.replicas, 2);
    const c = d.spec.template.spec.containers[0];
    assert.match(c.image, /^cloudflare\/cloudflared:\d{4}\.\d+\.\d+$/);
    assert.deepEqual(c.args, [
      'tunnel',
      '--no-autoupdate',
      '--metrics',
      '0.0.0.0:2000',
      '--config',
      '/etc/cloudflared/config/config.yaml',
      'run',
    ]);
    assert.deepEqual(c.securityContext, {
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    assert.equal(c.livenessProbe.httpGet.path, '/ready');
    assert.equal(c.readinessProbe.httpGet.path, '/ready');
    assert.ok(c.resources.requests.cpu && c.resources.requests.memory);
    assert.equal(yaml(files, 'pdb.yaml').spec.minAvailable, 1);
    assert.match(file(files, '.gitignore').content, /^credentials\.json$/m);
  });

  test('hostnames become rules ending in the catch-all 404', () => {
    const files = scaffold({
      mode: 'local',
      tunnelId: ID,
      hostnames: ['a.example.com', '*.b.example.com'],
      origin: 'https://web.apps.svc.cluster.local:8443',
    });
    assert.deepEqual(yaml(files, 'config.yaml').ingress, [
      { hostname: 'a.example.com', service: 'https://web.apps.svc.cluster.local:8443' },
      { hostname: '*.b.example.com', service: 'https://web.apps.svc.cluster.local:8443' },
      { service: 'http_status:404' },
    ]);
  });

  test('token mode: TUNNEL_TOKEN from the generated Secret, no token in args, no config', () => {
    const files = scaffold({ mode: 'token', tunnelId: ID, namespace: 'edge', replicas: 3, secret: { token: token() } });
    assert.ok(!files.some((f) => f.path === 'config.yaml' || f.path === 'credentials.json'));
    const k = yaml(files, 'kustomization.yaml');
    assert.equal(k.namespace, 'edge');
    assert.deepEqual(k.secretGenerator, [{ name: 'cloudflared-token', envs: ['tunnel.env'] }]);
    assert.equal(k.configMapGenerator, undefined);
    const c = yaml(files, 'deployment.yaml').spec.template.spec.containers[0];
    assert.deepEqual(c.args, ['tunnel', '--no-autoupdate', '--metrics', '0.0.0.0:2000', 'run']);
    assert.deepEqual(c.env, [
      { name: 'TUNNEL_TOKEN', valueFrom: { secretKeyRef: { name: 'cloudflared-token', key: 'TUNNEL_TOKEN' } } },
    ]);
    const env = file(files, 'tunnel.env');
    assert.equal(env.content, `TUNNEL_TOKEN=${token()}\n`);
    assert.equal(env.mode, 0o600);
    assert.equal(env.secret, true);
    assert.equal(env.placeholder, undefined);
    for (const f of files)
      if (f.path !== 'tunnel.env') assert.ok(!f.content.includes(token()), `${f.path} holds no token`);
  });

  test('without a secret: obvious placeholders, and the plan says so', () => {
    for (const mode of ['token', 'local'] as const) {
      const plan = scaffoldPlan({ mode, tunnelId: ID });
      const secret = plan.files.find((f) => f.secret)!;
      assert.equal(secret.placeholder, true);
      assert.equal(secret.mode, 0o600);
      assert.ok(secret.content.includes(PLACEHOLDER));
      assert.ok(
        plan.notes.some((n) => n.includes('placeholder')),
        plan.notes.join('\n'),
      );
    }
  });

  test('local mode derives credentials.json from a run token; given credentials are written as they are', () => {
    const fromToken = scaffold({ mode: 'local', tunnelId: ID, secret: { token: token() } });
    assert.deepEqual(JSON.parse(file(fromToken, 'credentials.json').content), {
      AccountTag: 'acc0123',
      TunnelSecret: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTAxMjM=',
      TunnelID: ID,
    });
    const creds = { AccountTag: 'x', TunnelSecret: 'y', TunnelID: ID };
    assert.deepEqual(
      JSON.parse(
        file(scaffold({ mode: 'local', tunnelId: ID, secret: { credentials: creds } }), 'credentials.json').content,
      ),
      creds,
    );
    assert.equal(credentialsFromToken('not a token'), undefined);
  });

  test('one replica: no PodDisruptionBudget', () => {
    const files = scaffold({ mode: 'token', tunnelId: ID, replicas: 1 });
    assert.ok(!files.some((f) => f.path === 'pdb.yaml'));
    assert.deepEqual(yaml(files, 'kustomization.yaml').resources, ['deployment.yaml', 'networkpolicy.yaml']);
  });

  test('the default origin resolves to the ingress-nginx controller pods and targetPort; an unknown Service opens its namespace and says so', () => {
    const egress = (files: ScaffoldFile[]): Obj[] => yaml(files, 'networkpolicy.yaml').spec.egress;
    const nginx = egress(scaffold({ mode: 'local', tunnelId: ID }))[1]!;
    assert.deepEqual(nginx.to[0].podSelector.matchLabels, {
      'app.kubernetes.io/component': 'controller',
      'app.kubernetes.io/instance': 'ingress-nginx',
      'app.kubernetes.io/name': 'ingress-nginx',
    });
    assert.deepEqual(nginx.ports, [{ port: 80, protocol: 'TCP' }]);

    const plan = scaffoldPlan({ mode: 'local', tunnelId: ID, origin: 'http://web.apps:8080' });
    const open = egress(plan.files)[1]!;
    assert.deepEqual(open, {
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } }, podSelector: {} }],
    });
    assert.ok(plan.notes.some((n) => /web.*not known/.test(n)));
    // Several hostnames to that origin: one rule each, one note.
    const many = scaffoldPlan({
      mode: 'local',
      tunnelId: ID,
      origin: 'http://web.apps:8080',
      hostnames: ['a.example.com', 'b.example.com'],
    });
    assert.equal(many.notes.filter((n) => /web.*not known/.test(n)).length, 1, many.notes.join('\n'));

    const known = scaffold({
      mode: 'local',
      tunnelId: ID,
      origin: 'http://web.apps:8080',
      services: [
        { name: 'web', namespace: 'apps', selector: { app: 'web' }, ports: [{ port: 8080, targetPort: 'http' }] },
      ],
      pods: [{ namespace: 'apps', labels: { app: 'web' }, ports: [{ name: 'http', containerPort: 3000 }] }],
    });
    assert.deepEqual(egress(known)[1], {
      to: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } },
          podSelector: { matchLabels: { app: 'web' } },
        },
      ],
      ports: [{ port: 3000, protocol: 'TCP' }],
    });
  });

  test('invalid options are refused with a reason', () => {
    const bad: Array<[Parameters<typeof scaffold>[0], RegExp]> = [
      [{ mode: 'local', tunnelId: 'my-tunnel' }, /UUID/],
      [{ mode: 'local', tunnelId: ID, namespace: 'Bad_NS' }, /namespace/],
      [{ mode: 'local', tunnelId: ID, replicas: 0 }, /replicas/],
      [{ mode: 'local', tunnelId: ID, origin: 'localhost:8080' }, /origin/],
      [{ mode: 'local', tunnelId: ID, image: 'cloudflare/cloudflared' }, /pinned/],
      [{ mode: 'local', tunnelId: ID, image: 'cloudflare/cloudflared:latest' }, /pinned/],
      [{ mode: 'local', tunnelId: ID, hostnames: ['not a host'] }, /hostname/],
      [
        { mode: 'token', tunnelId: ID, secret: { token: token('11111111-2222-3333-4444-555555555555') } },
        /belongs to tunnel/,
      ],
      [
        {
          mode: 'local',
          tunnelId: ID,
          secret: {
            credentials: { AccountTag: 'a', TunnelSecret: 's', TunnelID: '11111111-2222-3333-4444-555555555555' },
          },
        },
        /belong to tunnel/,
      ],
    ];
    for (const [o, re] of bad)
      assert.throws(
        () => scaffold(o),
        (e: unknown) => e instanceof ScaffoldError && re.test(e.message),
        JSON.stringify(o),
      );
  });

  test('metrics ingress only when asked', () => {
    const from = [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }];
    const deny = yaml(scaffold({ mode: 'local', tunnelId: ID }), 'networkpolicy.yaml').spec;
    assert.deepEqual(deny.policyTypes, ['Ingress', 'Egress']);
    assert.ok(!('ingress' in deny), 'no ingress key (the API server omits an empty list)');
    assert.deepEqual(
      yaml(scaffold({ mode: 'local', tunnelId: ID, metricsIngressFrom: from }), 'networkpolicy.yaml').spec.ingress,
      [{ from, ports: [{ port: 2000, protocol: 'TCP' }] }],
    );
  });
  test('another name: every object and generator follows it, with pod labels of its own', () => {
    for (const mode of ['local', 'token'] as const) {
      const files = scaffold({ mode, tunnelId: ID, name: 'cloudflared-2' });
      const d = yaml(files, 'deployment.yaml');
      const labels = { 'app.kubernetes.io/name': 'cloudflared', 'app.kubernetes.io/instance': 'cloudflared-2' };
      assert.equal(d.metadata.name, 'cloudflared-2');
      assert.deepEqual(d.spec.selector.matchLabels, labels);
      assert.deepEqual(d.spec.template.metadata.labels, labels);
      assert.deepEqual(d.spec.template.spec.topologySpreadConstraints[0].labelSelector.matchLabels, labels);
      assert.equal(yaml(files, 'pdb.yaml').metadata.name, 'cloudflared-2');
      assert.deepEqual(yaml(files, 'pdb.yaml').spec.selector.matchLabels, labels);
      const np = yaml(files, 'networkpolicy.yaml');
      assert.equal(np.metadata.name, 'cloudflared-2');
      assert.deepEqual(np.spec.podSelector.matchLabels, labels);
      const k = yaml(files, 'kustomization.yaml');
      if (mode === 'local') {
        assert.deepEqual(k.configMapGenerator, [{ name: 'cloudflared-2-config', files: ['config.yaml'] }]);
        assert.deepEqual(k.secretGenerator, [{ name: 'cloudflared-2-credentials', files: ['credentials.json'] }]);
        assert.deepEqual(
          d.spec.template.spec.volumes.map((v: Obj) => v.configMap?.name ?? v.secret?.secretName),
          ['cloudflared-2-config', 'cloudflared-2-credentials'],
        );
      } else {
        assert.deepEqual(k.secretGenerator, [{ name: 'cloudflared-2-token', envs: ['tunnel.env'] }]);
        assert.equal(d.spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name, 'cloudflared-2-token');
      }
    }
  });

  test("an existing Deployment's selector and pod labels: the selector everywhere, the pod labels on the template", () => {
    const selector = { app: 'cloudflared' };
    const podLabels = { app: 'cloudflared', team: 'edge' };
    const files = scaffold({ mode: 'token', tunnelId: ID, selector, podLabels });
    const d = yaml(files, 'deployment.yaml');
    assert.equal(d.metadata.name, 'cloudflared');
    assert.deepEqual(d.spec.selector, { matchLabels: selector });
    assert.deepEqual(d.spec.template.metadata.labels, podLabels);
    assert.deepEqual(yaml(files, 'pdb.yaml').spec.selector, { matchLabels: selector });
    assert.deepEqual(yaml(files, 'networkpolicy.yaml').spec.podSelector, { matchLabels: selector });
    assert.deepEqual(
      yaml(scaffold({ mode: 'token', tunnelId: ID, selector }), 'deployment.yaml').spec.template.metadata.labels,
      selector,
      'pod labels default to the selector',
    );
    const bad: Array<[Partial<Parameters<typeof scaffold>[0]>, RegExp]> = [
      [{ selector: { app: 'a' }, podLabels: { app: 'b' } }, /must contain the selector/],
      [{ selector: {} }, /must not be empty/],
      [{ podLabels: { 'bad key!': 'x' } }, /not a valid label key/],
      [{ podLabels: { app: 'no spaces' } }, /not a valid label value/],
      [{ name: 'Cloudflared' }, /not a valid Deployment name/],
    ];
    for (const [o, re] of bad)
      assert.throws(
        () => scaffold({ mode: 'token', tunnelId: ID, ...o }),
        (e: unknown) => e instanceof ScaffoldError && re.test(e.message),
        JSON.stringify(o),
      );
  });
});
