/**
 * `cftunnel scaffold` against the real thing: for both modes and several option sets the CLI
 * writes a folder (with a fake run token or credentials), `kubectl kustomize` renders it (the
 * oracle, field-notes §8.2; a missing kubectl fails the test), the rendered objects are checked
 * (hashed generator names wired into the volumes and env, no token in args, probe port = metrics
 * port, the policy selects the pods), and our own checker finds nothing at all in the folder.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { main } from '../../src/cli/main';
import { analyzeText } from '../../src/core/analyze';
import { isWorkspaceFile, Workspace } from '../../src/core/workspace/workspace';
import type { WorkspaceReader } from '../../src/core/workspace/workspace';
import { scaffoldPlan } from '../../src/core/scaffold/scaffold';
import { writeAll } from '../../src/node/atomicWrite';
import {
  deploymentCheckNote,
  deploymentConflict,
  existingDeployment,
  originPolicyInputs,
  plannedSelector,
  suggestDeploymentName,
} from '../../src/extension/scaffold/wizardModel';
import {
  KubernetesError,
  clientFor,
  listDeploymentNames,
  listPodsSelectedBy,
  loadKubeconfig,
  readDeployment,
  readService,
} from '../../src/kubernetes/cluster';
import type { ClusterClient } from '../../src/kubernetes/cluster';
import { deployment, startKubernetesApi } from '../../dev/servers/kubernetes/server';
import type { KubernetesApiServer } from '../../dev/servers/kubernetes/server';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ID = '6ff42ae2-765d-4adf-8112-31c55c1551ef';
const SECRET = Buffer.from('fake-tunnel-secret-for-tests-only-0123456789').toString('base64');
const TOKEN = Buffer.from(JSON.stringify({ a: '0123456789abcdef0123456789abcdef', t: ID, s: SECRET })).toString(
  'base64',
);

function kubectlKustomize(dir: string): Obj[] {
  const r = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error)
    assert.fail(
      `kubectl could not be run (${r.error.message}). This test renders scaffolded folders with \`kubectl kustomize\` and needs kubectl on PATH.`,
    );
  assert.equal(r.status, 0, `kubectl kustomize ${dir} failed:\n${r.stderr}`);
  return parseAllDocuments(r.stdout).map((d) => d.toJS() as Obj);
}

function run(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  return { code, out, err };
}

/** Every diagnostic of the folder: analyzeText per YAML file, plus the workspace's cross-file checks. */
function findings(dir: string): string[] {
  const reader: WorkspaceReader = {
    read: (p) => {
      try {
        return readFileSync(p, 'utf8');
      } catch {
        return undefined;
      }
    },
    readBytes: (p) => {
      try {
        return readFileSync(p);
      } catch {
        return undefined;
      }
    },
    isDirectory: (p) => {
      try {
        return statSync(p).isDirectory();
      } catch {
        return false;
      }
    },
    list: (d) => {
      try {
        return readdirSync(d);
      } catch {
        return [];
      }
    },
  };
  const ws = new Workspace(reader);
  const files = readdirSync(dir).map((n) => join(dir, n));
  const out: string[] = [];
  for (const f of files) {
    if (!isWorkspaceFile(f)) continue;
    const text = readFileSync(f, 'utf8');
    ws.update(f, text);
    if (/\.ya?ml$/.test(f))
      for (const d of analyzeText(text, f).diagnostics) out.push(`${f}: ${d.severity} ${d.code}: ${d.message}`);
  }
  for (const f of new Set([...files, ...ws.files()]))
    for (const d of ws.diagnostics(f)) out.push(`${f}: ${d.severity} ${d.code}: ${d.message}`);
  return out;
}

interface Case {
  name: string;
  mode: 'token' | 'local';
  args: string[];
  namespace: string;
  replicas: number;
  hostnames?: string[];
  metricsFrom?: string;
  /** What the origin rule's policy target must be. */
  target: { namespace: string; podSelector: Obj; ports: Obj[] | undefined };
}

const nginx = {
  namespace: 'ingress-nginx',
  podSelector: {
    matchLabels: {
      'app.kubernetes.io/component': 'controller',
      'app.kubernetes.io/instance': 'ingress-nginx',
      'app.kubernetes.io/name': 'ingress-nginx',
    },
  },
  ports: [{ port: 80, protocol: 'TCP' }],
};
const CASES: Case[] = [
  { name: 'local, defaults', mode: 'local', args: [], namespace: 'cloudflared', replicas: 2, target: nginx },
  {
    name: 'local, hostnames, namespace, 3 replicas, metrics scraping',
    mode: 'local',
    args: [
      '--namespace',
      'edge',
      '--replicas',
      '3',
      '--hostname',
      'app.example.com',
      '--hostname',
      '*.example.org',
      '--metrics-from-namespace',
      'monitoring',
    ],
    namespace: 'edge',
    replicas: 3,
    hostnames: ['app.example.com', '*.example.org'],
    metricsFrom: 'monitoring',
    target: nginx,
  },
  { name: 'token, defaults', mode: 'token', args: [], namespace: 'cloudflared', replicas: 2, target: nginx },
  {
    name: 'local, all hostnames to the ingress controller (--to-controller, --zone): the DMZ policy',
    mode: 'local',
    args: ['--to-controller', 'ingress-nginx-controller.ingress-nginx:80', '--zone', 'example.com'],
    namespace: 'cloudflared',
    replicas: 2,
    hostnames: ['example.com', '*.example.com'],
    target: nginx,
  },
  {
    name: 'token, all hostnames to Traefik (k3s kube-system/traefik): its pods on the web container port',
    mode: 'token',
    args: ['--to-controller', 'traefik.kube-system', '--zone', 'example.org'],
    namespace: 'cloudflared',
    replicas: 2,
    target: {
      namespace: 'kube-system',
      podSelector: {
        matchLabels: { 'app.kubernetes.io/instance': 'traefik-kube-system', 'app.kubernetes.io/name': 'traefik' },
      },
      ports: [{ port: 8000, protocol: 'TCP' }],
    },
  },
  {
    name: 'token, other origin and namespace, pinned image',
    mode: 'token',
    args: [
      '--namespace',
      'tunnels',
      '--origin',
      'http://web.apps.svc.cluster.local:8080',
      '--replicas',
      '4',
      '--image',
      'cloudflare/cloudflared:2026.7.0',
    ],
    namespace: 'tunnels',
    replicas: 4,
    target: { namespace: 'apps', podSelector: {}, ports: undefined },
  },
];

let root = '';
before(() => {
  root = mkdtempSync(join(tmpdir(), 'cftunnel-scaffold-'));
  writeFileSync(join(root, 'token.txt'), TOKEN + '\n');
});
after(() => rmSync(root, { recursive: true, force: true }));

describe('cftunnel scaffold → kubectl kustomize → our checker', () => {
  for (const [i, c] of CASES.entries()) {
    test(c.name, () => {
      const dir = join(root, `case${i}`);
      // A fake secret from the API: a run token (local mode derives credentials.json from it).
      const r = run([
        'scaffold',
        dir,
        '--mode',
        c.mode,
        '--tunnel-id',
        ID,
        '--token-file',
        join(root, 'token.txt'),
        ...c.args,
      ]);
      assert.equal(r.code, 0, r.err);
      assert.ok(!r.out.includes(TOKEN) && !r.err.includes(TOKEN));
      const secretInput = c.mode === 'local' ? 'credentials.json' : 'tunnel.env';
      assert.equal(statSync(join(dir, secretInput)).mode & 0o777, 0o600);

      const objs = kubectlKustomize(dir);
      const of = (kind: string): Obj[] => objs.filter((o) => o.kind === kind);
      for (const o of objs)
        assert.equal(o.metadata.namespace, c.namespace, `${o.kind} ${o.metadata.name} is in ${c.namespace}`);

      // Generators: hashed names, the secret's data.
      const secrets = of('Secret');
      assert.equal(secrets.length, 1);
      const secret = secrets[0]!;
      const configMaps = of('ConfigMap');
      if (c.mode === 'local') {
        assert.match(secret.metadata.name, /^cloudflared-credentials-[a-z0-9]{10}$/);
        const creds = JSON.parse(Buffer.from(secret.data['credentials.json'], 'base64').toString('utf8')) as Obj;
        assert.deepEqual(creds, { AccountTag: '0123456789abcdef0123456789abcdef', TunnelSecret: SECRET, TunnelID: ID });
        assert.equal(configMaps.length, 1);
        assert.match(configMaps[0]!.metadata.name, /^cloudflared-config-[a-z0-9]{10}$/);
        const cfg = parseAllDocuments(configMaps[0]!.data['config.yaml'] as string)[0]!.toJS() as Obj;
        assert.equal(cfg.tunnel, ID);
        assert.equal(cfg['credentials-file'], '/etc/cloudflared/creds/credentials.json');
        const last = cfg.ingress[cfg.ingress.length - 1];
        if (c.hostnames) {
          assert.deepEqual(
            cfg.ingress.slice(0, -1).map((x: Obj) => x.hostname),
            c.hostnames,
          );
          assert.deepEqual(last, { service: 'http_status:404' });
        } else {
          assert.equal(cfg.ingress.length, 1);
          assert.equal(last.hostname, undefined, 'the only rule is the catch-all');
        }
      } else {
        assert.match(secret.metadata.name, /^cloudflared-token-[a-z0-9]{10}$/);
        assert.equal(Buffer.from(secret.data.TUNNEL_TOKEN, 'base64').toString('utf8'), TOKEN);
        assert.equal(configMaps.length, 0);
      }

      // The Deployment.
      const [dep] = of('Deployment');
      assert.ok(dep);
      assert.equal(dep.spec.replicas, c.replicas);
      const pod = dep.spec.template.spec;
      const podLabels = dep.spec.template.metadata.labels as Obj;
      const [ctr] = pod.containers as Obj[];
      assert.ok(ctr);
      assert.match(ctr.image, /^cloudflare\/cloudflared:\d{4}\.\d+\.\d+$/);
      const args = ctr.args as string[];
      assert.ok(
        !args.some((a) => a.includes(TOKEN) || a.includes(SECRET) || /^--token/.test(a) || /\$\(/.test(a)),
        `no token in args: ${args.join(' ')}`,
      );
      assert.ok(args.includes('--no-autoupdate'));
      const metrics = args[args.indexOf('--metrics') + 1];
      assert.equal(metrics, '0.0.0.0:2000');
      const metricsPort = Number(metrics!.split(':')[1]);
      for (const probe of [ctr.livenessProbe, ctr.readinessProbe] as Obj[]) {
        assert.equal(probe.httpGet.path, '/ready');
        const port =
          typeof probe.httpGet.port === 'number'
            ? probe.httpGet.port
            : (ctr.ports as Obj[]).find((p) => p.name === probe.httpGet.port)?.containerPort;
        assert.equal(port, metricsPort, 'probe port = metrics port');
      }
      const sc = ctr.securityContext as Obj;
      assert.deepEqual(
        [sc.runAsNonRoot, sc.readOnlyRootFilesystem, sc.allowPrivilegeEscalation, sc.capabilities.drop],
        [true, true, false, ['ALL']],
      );
      assert.ok(ctr.resources.requests.cpu && ctr.resources.requests.memory);
      if (c.mode === 'local') {
        const volumes = pod.volumes as Obj[];
        assert.equal(
          volumes.find((v) => v.configMap)?.configMap.name,
          configMaps[0]!.metadata.name,
          'hashed ConfigMap name wired into the volume',
        );
        assert.equal(
          volumes.find((v) => v.secret)?.secret.secretName,
          secret.metadata.name,
          'hashed Secret name wired into the volume',
        );
        const mounts = ctr.volumeMounts as Obj[];
        const mountOf = (vol: Obj | undefined): string | undefined =>
          mounts.find((m) => m.name === vol?.name)?.mountPath;
        assert.equal(`${mountOf(volumes.find((v) => v.configMap))}/config.yaml`, args[args.indexOf('--config') + 1]);
        assert.equal(
          `${mountOf(volumes.find((v) => v.secret))}/credentials.json`,
          '/etc/cloudflared/creds/credentials.json',
        );
      } else {
        assert.deepEqual(ctr.env, [
          { name: 'TUNNEL_TOKEN', valueFrom: { secretKeyRef: { name: secret.metadata.name, key: 'TUNNEL_TOKEN' } } },
        ]);
        assert.equal(pod.volumes, undefined);
      }

      // The PodDisruptionBudget and the NetworkPolicy select the pods.
      const selects = (sel: Obj): boolean =>
        Object.entries(sel.matchLabels as Obj).every(([k, v]) => podLabels[k] === v);
      const [pdb] = of('PodDisruptionBudget');
      assert.equal(pdb?.spec.minAvailable, 1);
      assert.ok(selects(pdb.spec.selector));
      const [np] = of('NetworkPolicy');
      assert.ok(np);
      assert.ok(selects(np.spec.podSelector), 'the policy selects the cloudflared pods');
      assert.deepEqual(np.spec.policyTypes, ['Ingress', 'Egress']);
      if (c.metricsFrom) {
        assert.deepEqual(np.spec.ingress, [
          {
            from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': c.metricsFrom } } }],
            ports: [{ port: metricsPort, protocol: 'TCP' }],
          },
        ]);
      } else {
        assert.deepEqual(np.spec.ingress ?? [], []);
      }
      const egress = np.spec.egress as Obj[];
      assert.equal(egress.length, 3);
      assert.deepEqual(egress[0], {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { port: 53, protocol: 'UDP' },
          { port: 53, protocol: 'TCP' },
        ],
      });
      assert.deepEqual(egress[1]!.to, [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': c.target.namespace } },
          podSelector: c.target.podSelector,
        },
      ]);
      assert.deepEqual(egress[1]!.ports, c.target.ports);
      assert.ok(egress[2]!.to.some((p: Obj) => p.ipBlock?.cidr === '0.0.0.0/0'));
      assert.deepEqual(egress[2]!.ports, [
        { port: 7844, protocol: 'TCP' },
        { port: 7844, protocol: 'UDP' },
        { port: 443, protocol: 'TCP' },
        { port: 853, protocol: 'TCP' },
      ]);
      assert.ok(!JSON.stringify(np).includes('clusterIP'));

      // Our own checker: nothing at all (errors, warnings and information).
      assert.deepEqual(findings(dir), []);
    });
  }

  test('one replica renders without a PodDisruptionBudget; the checker then only advises a second replica', () => {
    const dir = join(root, 'single');
    const r = run([
      'scaffold',
      dir,
      '--mode',
      'token',
      '--tunnel-id',
      ID,
      '--replicas',
      '1',
      '--token-file',
      join(root, 'token.txt'),
    ]);
    assert.equal(r.code, 0, r.err);
    const objs = kubectlKustomize(dir);
    assert.deepEqual(objs.map((o) => o.kind).sort(), ['Deployment', 'NetworkPolicy', 'Secret']);
    const f = findings(dir);
    assert.equal(f.length, 1, f.join('\n'));
    assert.match(f[0]!, /information single-replica/);
  });

  test('the checker follows the scaffolded policy: narrowed to the Service port instead of its targetPort, the rule is blocked', () => {
    const dir = join(root, 'policy');
    const r = run([
      'scaffold',
      dir,
      '--mode',
      'local',
      '--tunnel-id',
      ID,
      '--origin',
      'http://web.apps.svc.cluster.local',
      '--token-file',
      join(root, 'token.txt'),
    ]);
    assert.equal(r.code, 0, r.err);
    // The origin's Service, as the workspace would define it next to the folder.
    const service = [
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: web',
      '  namespace: apps',
      'spec:',
      '  selector:',
      '    app: web',
      '  ports:',
      '    - port: 80',
      '      targetPort: 8080',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'web-service.yaml'), service);
    assert.deepEqual(findings(dir), []);

    const path = join(dir, 'networkpolicy.yaml');
    const doc = parseAllDocuments(readFileSync(path, 'utf8'))[0]!;
    const egress = doc.toJS().spec.egress as Obj[];
    const apps = egress.findIndex(
      (e) => e.to?.[0]?.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'apps',
    );
    assert.ok(apps >= 0, 'the policy allows the origin namespace');
    doc.setIn(['spec', 'egress', apps, 'to', 0, 'podSelector'], doc.createNode({ matchLabels: { app: 'web' } }));
    doc.setIn(['spec', 'egress', apps, 'ports'], doc.createNode([{ port: 80, protocol: 'TCP' }]));
    writeFileSync(path, doc.toString());
    const f = findings(dir);
    assert.equal(f.length, 1, f.join('\n'));
    assert.match(
      f[0]!,
      /config\.yaml: warning policy-blocks-rule: .*Service 'web' in namespace 'apps' \(app=web\) on port 8080\/TCP \(the Service's port 80 forwards there\)/,
    );

    doc.setIn(['spec', 'egress', apps, 'ports'], doc.createNode([{ port: 8080, protocol: 'TCP' }]));
    writeFileSync(path, doc.toString());
    assert.deepEqual(findings(dir), []);
  });

  test('all hostnames to the ingress controller: rules, DMZ comment, and the checker against the seed’s controller and apps', () => {
    const dir = join(root, 'dmz');
    const r = run([
      'scaffold',
      dir,
      '--mode',
      'local',
      '--tunnel-id',
      ID,
      '--to-controller',
      'ingress-nginx-controller.ingress-nginx:80',
      '--zone',
      'Example.com.',
      '--token-file',
      join(root, 'token.txt'),
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /note: DNS: route example\.com and \*\.example\.com to the tunnel/);
    const objs = kubectlKustomize(dir);
    const cm = objs.find((o) => o.kind === 'ConfigMap')!;
    const cfg = parseAllDocuments(cm.data['config.yaml'] as string)[0]!.toJS() as Obj;
    const origin = 'http://ingress-nginx-controller.ingress-nginx.svc.cluster.local:80';
    assert.deepEqual(cfg.ingress, [
      { hostname: 'example.com', service: origin },
      { hostname: '*.example.com', service: origin },
      { service: 'http_status:404' },
    ]);
    const np = objs.find((o) => o.kind === 'NetworkPolicy')!;
    const namespaces = (np.spec.egress as Obj[]).flatMap((e) =>
      ((e.to ?? []) as Obj[]).flatMap((p) => p.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] ?? []),
    );
    assert.deepEqual(
      namespaces,
      ['kube-system', 'ingress-nginx'],
      'DNS and the controller, nothing else in the cluster',
    );
    assert.match(
      readFileSync(join(dir, 'networkpolicy.yaml'), 'utf8'),
      /^# DMZ: every ingress rule goes to\n#   the ingress-nginx ingress controller/,
    );

    // The seed's controller and apps next to the folder: the policy checks see the controller rules allowed.
    const fixture = join(__dirname, '../fixtures/routing/nginx');
    for (const f of ['ingress-nginx.yaml', 'apps.yaml'])
      writeFileSync(join(dir, f), readFileSync(join(fixture, f), 'utf8'));
    const policyFindings = (): string[] => findings(dir).filter((f) => / (policy-|no-network-policy)/.test(f));
    assert.deepEqual(policyFindings(), []);

    // Allow the app (web/shop) instead of the controller: each controller rule is blocked, and says why.
    const path = join(dir, 'networkpolicy.yaml');
    const doc = parseAllDocuments(readFileSync(path, 'utf8'))[0]!;
    const egress = doc.toJS().spec.egress as Obj[];
    const at = egress.findIndex(
      (e) => e.to?.[0]?.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'ingress-nginx',
    );
    doc.setIn(
      ['spec', 'egress', at, 'to', 0],
      doc.createNode({
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'web' } },
        podSelector: { matchLabels: { app: 'shop' } },
      }),
    );
    doc.setIn(['spec', 'egress', at, 'ports'], doc.createNode([{ port: 8080, protocol: 'TCP' }]));
    writeFileSync(path, doc.toString());
    const blocked = policyFindings();
    assert.equal(blocked.filter((f) => /warning policy-blocks-rule/.test(f)).length, 2, blocked.join('\n'));
    assert.ok(blocked.every((f) => !/policy-blocks-rule/.test(f) || /allowing the apps' pods does not help/.test(f)));
    assert.ok(
      blocked.some((f) => /policy-target-unused: .*app=shop.*cloudflared needs only the controller's pods/.test(f)),
    );
  });

  test('placeholders render too (kubectl accepts the folder before the secret is filled in), and the checker stays quiet', () => {
    for (const mode of ['local', 'token'] as const) {
      const dir = join(root, `placeholder-${mode}`);
      const r = run(['scaffold', dir, '--mode', mode, '--tunnel-id', ID]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.err, /placeholder/);
      kubectlKustomize(dir);
      assert.deepEqual(findings(dir), []);
    }
  });
});

/**
 * The wizard's look before writing, through the real @kubernetes/client-node against the local
 * Kubernetes API server (demo state: Deployment cloudflared/cloudflared, whose selector is not the
 * scaffold's): the lookup finds it, the conflict is reported, and with "Keep the existing labels"
 * the folder `kubectl kustomize` renders has that Deployment's selector, so applying it is an
 * update (real `kubectl apply -k`, then `kubectl diff -k` comes back clean), where the defaults are
 * refused (422 "field is immutable"). The origin Service is read as the cluster has it.
 */
describe('the wizard against the local Kubernetes API: an existing cloudflared, the origin Service', () => {
  let server: KubernetesApiServer;
  let client: ClusterClient;
  let kubeconfig = '';
  // Asynchronous: the API server answers from this process, so kubectl must not block it.
  const kubectl = (...args: string[]): Promise<{ code: number; out: string }> =>
    new Promise((resolve, reject) => {
      execFile(
        'kubectl',
        ['--kubeconfig', kubeconfig, '--cache-dir', join(root, 'kube-cache'), ...args],
        { timeout: 30_000, env: { ...process.env, HOME: root, KUBECONFIG: '' } },
        (err, stdout, stderr) => {
          if (err && (err as NodeJS.ErrnoException).code === 'ENOENT')
            return reject(new Error('kubectl is not installed; this test needs it'));
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: `${stdout}${stderr}` });
        },
      );
    });
  before(async () => {
    server = await startKubernetesApi();
    kubeconfig = join(root, 'kubeconfig');
    writeFileSync(kubeconfig, server.kubeconfigYaml('local'));
    client = clientFor(loadKubeconfig({ path: kubeconfig, env: {}, home: root, allowExec: false }));
  });
  after(() => server.close());

  test('the lookup finds the demo Deployment; the conflict is reported; "keep the existing labels" renders the same selector and applies as an update', async () => {
    const found = await readDeployment(client, 'cloudflared', 'cloudflared');
    assert.ok(found, 'Deployment cloudflared/cloudflared is found');
    const existing = existingDeployment(found)!;
    const theirs = found.spec!.selector!.matchLabels!;
    assert.deepEqual(existing.matchLabels, theirs);
    assert.notDeepEqual(theirs, plannedSelector({}), "the demo's selector is not the scaffold's");
    const taken = await listDeploymentNames(client, 'cloudflared');
    assert.deepEqual(taken, ['cloudflared']);
    const conflict = deploymentConflict(existing, plannedSelector({}), suggestDeploymentName(taken, 'prod-k8s'));
    assert.ok(conflict, 'the defaults would change an immutable selector');
    const text = Object.entries(theirs)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    assert.ok(
      conflict.detail.includes(
        `exists with selector ${text}; the folder's would be app.kubernetes.io/name=cloudflared`,
      ),
      conflict.detail,
    );
    assert.deepEqual(
      conflict.choices.map((c) => c.label),
      ['Use another name (cloudflared-prod-k8s)', 'Keep the existing labels'],
    );
    assert.equal(
      await readDeployment(client, 'cloudflared', 'cloudflared-prod-k8s'),
      undefined,
      'the suggested name is free (404 → undefined)',
    );

    // The demo's selector holds the scaffold's label and was not applied by kubectl: apply's merge
    // keeps its labels, so the defaults are accepted, taking that Deployment over; the detail says so.
    assert.equal(
      conflict.refused,
      Object.keys(plannedSelector({})).some((k) => theirs[k] !== plannedSelector({})[k]),
    );
    const defaults = join(root, 'defaults-over-demo');
    writeAll(defaults, scaffoldPlan({ mode: 'token', tunnelId: ID, secret: { token: TOKEN } }).files, true);
    const dryDefaults = await kubectl('apply', '-k', defaults, '--dry-run=server');
    if (conflict.refused) {
      assert.notEqual(dryDefaults.code, 0, dryDefaults.out);
      assert.match(dryDefaults.out, /field is immutable/);
    } else {
      assert.equal(dryDefaults.code, 0, dryDefaults.out);
      assert.match(conflict.detail, /take that Deployment over/);
    }

    // A cloudflared whose selector the defaults would change: refused by the API server, as predicted.
    server.state.add(
      'deployments',
      deployment('staging', 'cloudflared', {
        labels: { app: 'tunnel' },
        containers: [{ name: 'cloudflared', image: 'cloudflare/cloudflared:2026.8.2', args: ['tunnel', 'run'] }],
      }).deployment,
    );
    const other = existingDeployment(await readDeployment(client, 'staging', 'cloudflared'))!;
    const otherConflict = deploymentConflict(other, plannedSelector({}), 'cloudflared-2');
    assert.ok(otherConflict?.refused);
    assert.match(otherConflict.detail, /selector app=tunnel; .*422 "field is immutable"/);
    const stagingDefaults = join(root, 'defaults-over-staging');
    writeAll(
      stagingDefaults,
      scaffoldPlan({ mode: 'token', tunnelId: ID, namespace: 'staging', secret: { token: TOKEN } }).files,
      true,
    );
    const refused = await kubectl('apply', '-k', stagingDefaults, '--dry-run=server');
    assert.notEqual(refused.code, 0, refused.out);
    assert.match(refused.out, /field is immutable/);
    const keepOther = otherConflict.choices.find((c) => c.kind === 'keep');
    assert.ok(keepOther && keepOther.kind === 'keep');
    const stagingKept = join(root, 'kept-over-staging');
    writeAll(
      stagingKept,
      scaffoldPlan({
        mode: 'token',
        tunnelId: ID,
        namespace: 'staging',
        secret: { token: TOKEN },
        selector: keepOther.selector,
        podLabels: keepOther.podLabels,
      }).files,
      true,
    );
    const accepted = await kubectl('apply', '-k', stagingKept, '--dry-run=server');
    assert.equal(accepted.code, 0, accepted.out);

    const keep = conflict.choices.find((c) => c.kind === 'keep');
    assert.ok(keep && keep.kind === 'keep');
    for (const mode of ['local', 'token'] as const) {
      const dir = join(root, `keep-${mode}`);
      writeAll(
        dir,
        scaffoldPlan({
          mode,
          tunnelId: ID,
          secret: { token: TOKEN },
          selector: keep.selector,
          podLabels: keep.podLabels,
        }).files,
        true,
      );
      const objs = kubectlKustomize(dir);
      const dep = objs.find((o) => o.kind === 'Deployment')!;
      assert.equal(dep.metadata.name, 'cloudflared');
      assert.deepEqual(dep.spec.selector, { matchLabels: { ...theirs } }, 'the existing selector: apply is an update');
      assert.deepEqual(dep.spec.template.metadata.labels, { ...found.spec!.template.metadata!.labels });
      assert.deepEqual(objs.find((o) => o.kind === 'NetworkPolicy')!.spec.podSelector, { matchLabels: theirs });
      assert.deepEqual(objs.find((o) => o.kind === 'PodDisruptionBudget')!.spec.selector, { matchLabels: theirs });
    }
    // Applied for real: an update, and then `kubectl diff -k` is clean (no `ingress: []` resent).
    const applied = await kubectl('apply', '-k', join(root, 'keep-token'));
    assert.equal(applied.code, 0, applied.out);
    assert.match(applied.out, /deployment\.apps\/cloudflared configured/);
    const diff = await kubectl('diff', '-k', join(root, 'keep-token'));
    assert.equal(diff.code, 0, `kubectl diff -k after apply -k:\n${diff.out}`);

    // "Use another name": labels of its own, accepted next to the existing one.
    const renamed = join(root, 'renamed');
    writeAll(
      renamed,
      scaffoldPlan({ mode: 'token', tunnelId: ID, secret: { token: TOKEN }, name: 'cloudflared-prod-k8s' }).files,
      true,
    );
    const dep = kubectlKustomize(renamed).find((o) => o.kind === 'Deployment')!;
    assert.equal(dep.metadata.name, 'cloudflared-prod-k8s');
    assert.deepEqual(dep.spec.selector.matchLabels, {
      'app.kubernetes.io/name': 'cloudflared',
      'app.kubernetes.io/instance': 'cloudflared-prod-k8s',
    });
    const dry = await kubectl('apply', '-k', renamed, '--dry-run=server');
    assert.equal(dry.code, 0, dry.out);
  });

  test('RBAC forbids reading Deployments there: no question, the summary says it could not check', async () => {
    server.setFault({ kind: 'rbac', clusterScope: ['deployments'], namespaces: ['default'] });
    try {
      let error: unknown;
      try {
        await readDeployment(client, 'cloudflared', 'cloudflared');
      } catch (err) {
        error = err;
      }
      assert.ok(error instanceof KubernetesError && error.kind === 'forbidden', String(error));
      assert.match(
        deploymentCheckNote('cloudflared', 'cloudflared', error),
        /^Could not check whether Deployment cloudflared\/cloudflared already exists \(not allowed to read Deployments there\).*forbidden/,
      );
    } finally {
      server.clearFaults();
    }
  });

  test('the origin Service as the cluster has it: egress to its selector on the targetPort, no "no selector" note', async () => {
    const service = await readService(client, 'default', 'web');
    assert.ok(service);
    const pods = await listPodsSelectedBy(client, 'default', service.spec!.selector!);
    const inputs = originPolicyInputs({ namespace: 'default', name: 'web' }, { service, pods });
    const plan = scaffoldPlan({
      mode: 'token',
      tunnelId: ID,
      origin: 'http://web.default.svc.cluster.local:80',
      services: inputs.services,
      pods: inputs.pods,
    });
    assert.ok(!plan.notes.some((n) => /no selector|not known/.test(n)), plan.notes.join('\n'));
    const dir = join(root, 'origin-web');
    writeAll(dir, plan.files, true);
    const np = kubectlKustomize(dir).find((o) => o.kind === 'NetworkPolicy')!;
    const egress = np.spec.egress as Obj[];
    assert.deepEqual(egress[1], {
      to: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'default' } },
          podSelector: { matchLabels: { app: 'web' } },
        },
      ],
      ports: [{ port: 8080, protocol: 'TCP' }],
    });
    assert.equal(await readService(client, 'default', 'nope'), undefined);
  });
});
