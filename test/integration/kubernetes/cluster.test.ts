/**
 * The cluster client (`src/kubernetes`) through the real `@kubernetes/client-node` against the
 * local Kubernetes API server (HTTP on 127.0.0.1): kubeconfig loading and its errors, contexts
 * chosen without touching the file, pagination over a consistent snapshot, the RBAC fallback, the
 * watcher (events, restart with backoff after a 500, relist after 410), cloudflared Deployments
 * and pod logs. Every wait is bounded.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import {
  KubernetesError,
  ServiceWatcher,
  backoffDelay,
  clientFor,
  imageVersion,
  isLocalhostFallback,
  labelService,
  listAllServices,
  listCloudflaredDeployments,
  listPodObjects,
  listServiceObjects,
  loadKubeconfig,
  streamPodLogs,
} from '../../../src/kubernetes/cluster';
import type { ClusterClient, LoadedKubeconfig, ServiceWatchEvent } from '../../../src/kubernetes/cluster';
import { buildServicesTree } from '../../../src/core/kubernetes/servicesTree';
import {
  DEMO_TUNNELS,
  deployment,
  largeState,
  service,
  startKubernetesApi,
} from '../../../dev/servers/kubernetes/server';
import type { KubernetesApiServer } from '../../../dev/servers/kubernetes/server';

const tmp = mkdtempSync(join(tmpdir(), 'cftunnel-k8s-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const dir = (): string => {
  const d = join(tmp, `d${n++}`);
  mkdirSync(d, { recursive: true });
  return d;
};

async function waitFor(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function load(server: KubernetesApiServer, opts: { context?: string; allowExec?: boolean } = {}): LoadedKubeconfig {
  const d = dir();
  const file = join(d, 'config');
  writeFileSync(file, server.kubeconfigYaml(opts.context ?? 'local'));
  return loadKubeconfig({ path: file, env: {}, home: d, allowExec: opts.allowExec ?? true });
}

const clientOf = (server: KubernetesApiServer): ClusterClient => clientFor(load(server));

async function rejects(
  promise: Promise<unknown>,
  kind: KubernetesError['kind'],
  ...texts: string[]
): Promise<KubernetesError> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof KubernetesError, `expected a KubernetesError, got ${String(caught)}`);
  assert.equal(caught.kind, kind, caught.message);
  for (const t of texts) assert.ok(caught.message.includes(t), `message lacks ${JSON.stringify(t)}: ${caught.message}`);
  return caught;
}

describe('kubeconfig', () => {
  it('reports a missing ~/.kube/config with where it looked', () => {
    const home = dir();
    const loaded = loadKubeconfig({ env: {}, home, allowExec: true });
    assert.deepEqual(loaded.contexts, []);
    assert.match(loaded.error!, /^No kubeconfig found at ~\/\.kube\/config and KUBECONFIG is not set\./);
    assert.throws(
      () => clientFor(loaded),
      (e: unknown) => e instanceof KubernetesError && e.kind === 'config',
    );
  });

  it('reports a missing file set in the setting, and KUBECONFIG lists with none present', () => {
    const home = dir();
    const bySetting = loadKubeconfig({
      path: join(home, 'nope.yaml'),
      env: { KUBECONFIG: '/also/missing' },
      home,
      allowExec: true,
    });
    assert.equal(bySetting.error, 'The kubeconfig set in cftunnel.kubernetes.kubeconfig does not exist: ~/nope.yaml.');
    const byEnv = loadKubeconfig({
      env: { KUBECONFIG: [join(home, 'a'), join(home, 'b')].join(delimiter) },
      home,
      allowExec: true,
    });
    assert.equal(byEnv.error, 'No kubeconfig found: none of the files in KUBECONFIG exists (~/a, ~/b).');
  });

  it("detects client-node's silent localhost:8080 fallback", () => {
    const home = dir();
    const saved = { KUBECONFIG: process.env.KUBECONFIG, HOME: process.env.HOME };
    let kc: KubeConfig;
    try {
      delete process.env.KUBECONFIG;
      process.env.HOME = home;
      kc = new KubeConfig();
      kc.loadFromDefault();
    } finally {
      if (saved.KUBECONFIG === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved.KUBECONFIG;
      process.env.HOME = saved.HOME;
    }
    // What the library did with nothing to load:
    assert.equal(kc.getCurrentCluster()?.server, 'http://localhost:8080');
    assert.equal(isLocalhostFallback(kc), true);
    // Our loader with the same environment says so instead of pointing at localhost.
    const loaded = loadKubeconfig({ env: {}, home, allowExec: true });
    assert.equal(loaded.contexts.length, 0);
    assert.match(loaded.error!, /No kubeconfig found/);
    // And a file holding that very config (exported by something that used loadFromDefault):
    const file = join(home, 'exported.json');
    writeFileSync(file, kc.exportConfig());
    const exported = loadKubeconfig({ path: file, env: {}, home, allowExec: true });
    assert.match(exported.error!, /empty default that points at http:\/\/localhost:8080/);
    assert.equal(exported.contexts.length, 0);
  });

  it('reports a kubeconfig without contexts, and one that is not YAML', () => {
    const d = dir();
    writeFileSync(join(d, 'empty'), 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
    assert.match(
      loadKubeconfig({ path: join(d, 'empty'), env: {}, home: d, allowExec: true }).error!,
      /defines no contexts/,
    );
    writeFileSync(join(d, 'bad'), 'clusters: [\n');
    const bad = loadKubeconfig({ path: join(d, 'bad'), env: {}, home: d, allowExec: true });
    assert.match(bad.error!, /is not a valid kubeconfig/);
  });

  it('merges KUBECONFIG files as client-go does: first definition and first current-context win', () => {
    const d = dir();
    const a = join(d, 'a');
    const b = join(d, 'b');
    writeFileSync(
      a,
      [
        'clusters:',
        '- name: c1',
        '  cluster: {server: "https://a.example:6443"}',
        'users:',
        '- name: u1',
        '  user: {token: t}',
        'contexts:',
        '- name: one',
        '  context: {cluster: c1, user: u1}',
        'current-context: one',
        '',
      ].join('\n'),
    );
    writeFileSync(
      b,
      [
        'clusters:',
        '- name: c1',
        '  cluster: {server: "https://b.example:6443"}',
        '- name: c2',
        '  cluster: {server: "https://c.example:6443"}',
        'users:',
        '- name: u1',
        '  user: {token: other}',
        'contexts:',
        '- name: two',
        '  context: {cluster: c2, user: u1, namespace: team}',
        'current-context: two',
        '',
      ].join('\n'),
    );
    const loaded = loadKubeconfig({
      env: { KUBECONFIG: [a, join(d, 'missing'), b].join(delimiter) },
      home: d,
      allowExec: true,
    });
    assert.equal(loaded.error, undefined);
    assert.equal(loaded.current, 'one');
    assert.deepEqual(
      loaded.contexts.map((c) => [c.name, c.server, c.namespace, c.auth]),
      [
        ['one', 'https://a.example:6443', undefined, 'token'],
        ['two', 'https://c.example:6443', 'team', 'token'],
      ],
    );
    assert.deepEqual(loaded.files, [a, b]);
    assert.match(loaded.warnings.join('\n'), /Not found \(skipped\): .*missing/);
  });

  it('lists all contexts and connects to the one chosen, without writing the file', async () => {
    const server = await startKubernetesApi();
    try {
      const d = dir();
      const file = join(d, 'config');
      const text = [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: local',
        `  cluster: {server: "${server.url}", insecure-skip-tls-verify: true}`,
        '- name: far',
        '  cluster: {server: "https://far.example.invalid:6443"}',
        'users:',
        '- name: me',
        '  user: {token: test-token}',
        'contexts:',
        '- name: far-away',
        '  context: {cluster: far, user: me}',
        '- name: here',
        '  context: {cluster: local, user: me, namespace: monitoring}',
        'current-context: far-away',
        '',
      ].join('\n');
      writeFileSync(file, text);
      const before = readFileSync(file);
      const loaded = loadKubeconfig({ path: file, env: {}, home: d, allowExec: true });
      assert.deepEqual(
        loaded.contexts.map((c) => c.name),
        ['far-away', 'here'],
      );
      assert.equal(loaded.current, 'far-away');
      const client = clientFor(loaded, 'here');
      assert.equal(client.namespace, 'monitoring');
      assert.equal(client.server, server.url);
      const res = await listAllServices(client);
      assert.ok(res.services.length > 0);
      assert.equal(server.requests.at(-1)!.headers.authorization, 'Bearer test-token');
      // Nothing written, nothing changed in the loaded config either.
      assert.deepEqual(readFileSync(file), before);
      assert.equal(loaded.config!.getCurrentContext(), 'far-away');
      assert.equal(clientFor(loaded).context.name, 'far-away');
      assert.throws(() => clientFor(loaded, 'nope'), /no context named "nope" \(contexts: far-away, here\)/);
    } finally {
      await server.close();
    }
  });

  it('refuses plain HTTP clusters without insecure-skip-tls-verify, with the reason', () => {
    const d = dir();
    writeFileSync(
      join(d, 'c'),
      [
        'clusters:',
        '- name: h',
        '  cluster: {server: "http://127.0.0.1:1"}',
        'users:',
        '- name: u',
        '  user: {token: t}',
        'contexts:',
        '- name: plain',
        '  context: {cluster: h, user: u}',
        '',
      ].join('\n'),
    );
    const loaded = loadKubeconfig({ path: join(d, 'c'), env: {}, home: d, allowExec: true });
    assert.match(loaded.contexts[0]!.blocked!, /uses plain HTTP .*insecure-skip-tls-verify: true/);
    assert.throws(
      () => clientFor(loaded, 'plain'),
      (e: unknown) => e instanceof KubernetesError && e.kind === 'config',
    );
  });

  describe('untrusted workspace', () => {
    let server: KubernetesApiServer;
    let d: string;
    let marker: string;
    let file: string;
    before(async () => {
      server = await startKubernetesApi({ anonymous: false });
      d = dir();
      marker = join(d, 'plugin-ran');
      const plugin = join(d, 'plugin.cjs');
      writeFileSync(
        plugin,
        `require('fs').writeFileSync(process.argv[2], 'ran');\nprocess.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'test-token' } }));\n`,
      );
      file = join(d, 'config');
      writeFileSync(
        file,
        [
          'clusters:',
          '- name: local',
          `  cluster: {server: "${server.url}", insecure-skip-tls-verify: true}`,
          'users:',
          '- name: static',
          '  user: {token: test-token}',
          '- name: plugin',
          '  user:',
          '    exec:',
          '      apiVersion: client.authentication.k8s.io/v1',
          `      command: ${JSON.stringify(process.execPath)}`,
          `      args: [${JSON.stringify(plugin)}, ${JSON.stringify(marker)}]`,
          '      interactiveMode: Never',
          '- name: gcp',
          '  user:',
          '    auth-provider:',
          '      name: gcp',
          '      config: {cmd-path: /usr/bin/gcloud, cmd-args: "config config-helper --format=json"}',
          'contexts:',
          '- name: with-token',
          '  context: {cluster: local, user: static}',
          '- name: with-plugin',
          '  context: {cluster: local, user: plugin}',
          '- name: with-gcp',
          '  context: {cluster: local, user: gcp}',
          'current-context: with-plugin',
          '',
        ].join('\n'),
      );
    });
    after(() => server.close());

    it('refuses contexts that need a credential plugin, and never runs it', async () => {
      const loaded = loadKubeconfig({ path: file, env: {}, home: d, allowExec: false });
      assert.equal(loaded.error, undefined, 'one context is usable');
      const plugin = loaded.contexts.find((c) => c.name === 'with-plugin')!;
      assert.equal(plugin.auth, 'exec');
      assert.equal(plugin.blockedKind, 'untrusted');
      assert.match(
        plugin.blocked!,
        /^Context "with-plugin" gets its credentials from the plugin ".*node.*" \(user "plugin"\)\. Credential plugins do not run in an untrusted workspace: trust the workspace to use this context\.$/,
      );
      assert.equal(loaded.contexts.find((c) => c.name === 'with-gcp')!.plugin, '/usr/bin/gcloud');
      assert.equal(loaded.contexts.find((c) => c.name === 'with-token')!.blocked, undefined);
      assert.throws(
        () => clientFor(loaded),
        (e: unknown) => e instanceof KubernetesError && e.kind === 'untrusted' && /trust the workspace/.test(e.message),
      );
      // The plugin is stripped from the loaded config too, so no path can spawn it.
      assert.equal(loaded.config!.getUsers().find((u) => u.name === 'plugin')!.exec, undefined);
      const res = await listAllServices(clientFor(loaded, 'with-token'));
      assert.ok(res.services.length > 0);
      assert.equal(existsSync(marker), false, 'the plugin must not have run');
    });

    it('runs the plugin in a trusted workspace', async () => {
      const loaded = loadKubeconfig({ path: file, env: {}, home: d, allowExec: true });
      const client = clientFor(loaded);
      assert.equal(client.context.name, 'with-plugin');
      const res = await listAllServices(client);
      assert.ok(res.services.length > 0);
      assert.equal(existsSync(marker), true);
      assert.equal(server.requests.at(-1)!.headers.authorization, 'Bearer test-token');
    });

    it('does not read kubeconfig files inside the workspace', () => {
      const ws = dir();
      const inside = join(ws, '.kube', 'config');
      mkdirSync(join(ws, '.kube'));
      writeFileSync(inside, server.kubeconfigYaml());
      const reads: string[] = [];
      const loaded = loadKubeconfig({
        env: { KUBECONFIG: inside },
        home: d,
        allowExec: false,
        untrustedFolders: [ws],
        readFile: (p) => {
          reads.push(p);
          return readFileSync(p, 'utf8');
        },
      });
      assert.deepEqual(reads, []);
      assert.match(loaded.error!, /inside the workspace, which is not trusted/);
      const all = loadKubeconfig({
        env: { KUBECONFIG: [inside, file].join(delimiter) },
        home: d,
        allowExec: false,
        untrustedFolders: [ws],
      });
      assert.deepEqual(all.files, [file]);
      assert.match(all.warnings[0]!, /^Not reading .*config: it is inside the workspace/);
    });
  });
});

describe('listAllServices', () => {
  let server: KubernetesApiServer;
  before(async () => {
    server = await startKubernetesApi({ state: largeState(1234, 10) });
  });
  after(() => server.close());
  afterEach(() => server.clearFaults());

  it('pages through all namespaces with limit and continue', async () => {
    const start = server.requests.length;
    const res = await listAllServices(clientOf(server), { pageSize: 100 });
    assert.equal(res.services.length, 1234);
    assert.equal(res.partial, false);
    assert.equal(res.requests, 13);
    const reqs = server.requests.slice(start);
    assert.deepEqual(
      reqs.map((r) => r.path),
      Array(13).fill('/api/v1/services'),
    );
    assert.equal(reqs[0]!.query.limit, '100');
    assert.equal(reqs[0]!.query.continue, undefined);
    assert.ok(reqs.slice(1).every((r) => r.query.limit === '100' && r.query.continue));
    assert.equal(new Set(res.services.map((s) => `${s.namespace}/${s.name}`)).size, 1234);
    assert.equal(res.resourceVersion, String(server.state.resourceVersion));
    const s0 = res.services.find((s) => s.name === 'svc-00000')!;
    assert.deepEqual(s0, {
      namespace: 'ns-0000',
      name: 'svc-00000',
      resourceVersion: s0.resourceVersion,
      type: 'ClusterIP',
      clusterIP: '10.96.0.0',
      ports: [
        { port: 80, protocol: 'TCP', name: 'http', targetPort: 8080 },
        { port: 443, protocol: 'TCP', name: 'https', targetPort: 8443 },
      ],
      labels: s0.labels,
      selector: s0.selector,
    });
    assert.equal(s0.labels?.app, 'svc-00000', 'labels recognise an ingress controller');
    assert.ok(s0.selector && Object.keys(s0.selector).length > 0);
  });

  it('continues from a consistent snapshot while Services change', async () => {
    server.setFault({ kind: 'delay', delayMs: 300, verb: 'list', resource: 'services', times: 2 });
    const start = server.requests.length;
    const pending = listAllServices(clientOf(server), { pageSize: 1000 });
    await waitFor(
      'the second page request',
      () => server.requests.slice(start).filter((r) => r.resource === 'services').length === 2,
    );
    server.state.add('services', service('ns-0009', 'zz-late', { clusterIP: '10.99.0.1', ports: [{ port: 80 }] }));
    server.state.remove('services', 'ns-0009', 'svc-01229');
    const res = await pending;
    assert.equal(res.services.length, 1234, 'the snapshot of the first page');
    assert.ok(!res.services.some((s) => s.name === 'zz-late'));
    assert.ok(res.services.some((s) => s.name === 'svc-01229'));
    // A new list sees the changes.
    const now = await listAllServices(clientOf(server));
    assert.ok(now.services.some((s) => s.name === 'zz-late'));
    assert.ok(!now.services.some((s) => s.name === 'svc-01229'));
    server.state.remove('services', 'ns-0009', 'zz-late');
    server.state.add(
      'services',
      service('ns-0009', 'svc-01229', { clusterIP: '10.96.4.205', ports: [{ port: 8080 }] }),
    );
  });

  it('restarts with a full list when the continue token expired (410)', async () => {
    server.setFault({ kind: 'delay', delayMs: 300, verb: 'list', resource: 'services', times: 2 });
    const start = server.requests.length;
    const pending = listAllServices(clientOf(server), { pageSize: 1000 });
    await waitFor(
      'the second page request',
      () => server.requests.slice(start).filter((r) => r.resource === 'services').length === 2,
    );
    server.state.add('services', service('ns-0001', 'aa-new', { clusterIP: '10.99.0.2', ports: [{ port: 80 }] }));
    server.state.compact();
    const res = await pending;
    const reqs = server.requests.slice(start).filter((r) => r.resource === 'services');
    assert.equal(reqs.length, 3);
    assert.equal(reqs[2]!.query.limit, undefined, 'the retry is one unpaginated list');
    assert.equal(res.services.length, 1235);
    assert.ok(res.services.some((s) => s.name === 'aa-new'));
    server.state.remove('services', 'ns-0001', 'aa-new');
  });

  it('reports a server error with its Status message', async () => {
    server.setFault({ kind: 'status', status: 500, verb: 'list', times: 1 });
    const err = await rejects(
      listAllServices(clientOf(server)),
      'server',
      'Internal error occurred: etcdserver: request timed out',
      '(500 InternalError)',
    );
    assert.equal(err.status, 500);
    assert.equal(err.transient, true);
  });

  it('reports an unreachable cluster and a 401 clearly', async () => {
    const gone = await startKubernetesApi();
    const client = clientOf(gone);
    await gone.close();
    await rejects(
      listAllServices(client),
      'offline',
      `Cannot reach the cluster at ${gone.url} of context "local": connection refused (ECONNREFUSED)`,
    );
    const strict = await startKubernetesApi({ token: 'right', anonymous: false });
    try {
      const d = dir();
      writeFileSync(join(d, 'c'), strict.kubeconfigYaml('strict').replace('token: right', 'token: wrong'));
      await rejects(
        listAllServices(clientFor(loadKubeconfig({ path: join(d, 'c'), env: {}, home: d, allowExec: true }))),
        'unauthorized',
        'rejected the credentials of context "strict" (401 Unauthorized)',
      );
    } finally {
      await strict.close();
    }
  });
});

describe('RBAC fallback', () => {
  let server: KubernetesApiServer;
  before(async () => {
    server = await startKubernetesApi();
  });
  after(() => server.close());
  afterEach(() => server.clearFaults());

  const RBAC_MESSAGE =
    'services is forbidden: User "demo-user" cannot list resource "services" in API group "" at the cluster scope';

  it('lists the namespaces where listing is allowed, says so, and marks the result partial', async () => {
    server.setFault({ kind: 'rbac', clusterScope: ['services'], namespaces: ['default', 'monitoring'] });
    const res = await listAllServices(clientOf(server));
    assert.equal(res.partial, true);
    assert.deepEqual([...new Set(res.services.map((s) => s.namespace))].sort(), ['default', 'monitoring']);
    assert.deepEqual(res.namespaces, ['default', 'monitoring']);
    assert.equal(res.forbiddenNamespaces!.length, 7);
    assert.equal(
      res.note,
      `Listing Services across all namespaces is forbidden (${RBAC_MESSAGE}); showing Services of the 2 namespaces where that is allowed (7 namespaces forbidden too).`,
    );
    assert.ok(res.namespaceVersions!.default);
  });

  it("falls back to the context's namespace when namespaces cannot be listed either", async () => {
    server.setFault({ kind: 'rbac', clusterScope: ['services', 'namespaces'], namespaces: ['monitoring'] });
    const d = dir();
    writeFileSync(join(d, 'c'), server.kubeconfigYaml('team', { namespace: 'monitoring' }));
    const client = clientFor(loadKubeconfig({ path: join(d, 'c'), env: {}, home: d, allowExec: true }));
    const res = await listAllServices(client);
    assert.equal(res.partial, true);
    assert.deepEqual(
      res.services.map((s) => s.name),
      ['grafana', 'prometheus'],
    );
    assert.match(
      res.note!,
      /showing Services of namespace "monitoring"\. Namespaces cannot be listed either, so only the context's namespace "monitoring" is shown\.$/,
    );
  });

  it('fails with the RBAC message when no namespace allows it', async () => {
    server.setFault({ kind: 'rbac', clusterScope: ['services'], namespaces: [] });
    const err = await rejects(
      listAllServices(clientOf(server)),
      'forbidden',
      'Not allowed to list Services in any namespace',
      RBAC_MESSAGE,
    );
    assert.equal(err.serverMessage, RBAC_MESSAGE);
  });

  it('also lists cloudflared Deployments per namespace', async () => {
    server.setFault({ kind: 'rbac', clusterScope: ['services', 'deployments'], namespaces: ['homelab'] });
    const res = await listCloudflaredDeployments(clientOf(server));
    assert.equal(res.partial, true);
    assert.deepEqual(
      res.deployments.map((d) => `${d.namespace}/${d.name}`),
      ['homelab/cloudflared'],
    );
    assert.match(
      res.note!,
      /^Listing Deployments across all namespaces is forbidden \(deployments\.apps is forbidden: User "demo-user" cannot list resource "deployments" in API group "apps" at the cluster scope\)/,
    );
  });
});

describe('"Add NetworkPolicy" lists and "Mark Service as Public"', () => {
  let server: KubernetesApiServer;
  before(async () => {
    server = await startKubernetesApi();
  });
  after(() => server.close());
  afterEach(() => server.clearFaults());

  it('lists whole Services and pods, paginated, with the RBAC fallback', async () => {
    const all = await listServiceObjects(clientOf(server), { pageSize: 3 });
    assert.equal(all.partial, false);
    const web = all.items.find((s) => s.metadata?.namespace === 'default' && s.metadata.name === 'web')!;
    assert.deepEqual(web.spec?.selector, { app: 'web' });
    const pods = await listPodObjects(clientOf(server), { pageSize: 1 });
    assert.ok(pods.items.length > 1 && pods.items.every((p) => p.metadata?.labels !== undefined));
    server.setFault({ kind: 'rbac', clusterScope: ['services', 'pods'], namespaces: ['homelab'] });
    const partial = await listServiceObjects(clientOf(server));
    assert.equal(partial.partial, true);
    assert.deepEqual(partial.namespaces, ['homelab']);
    assert.match(partial.note!, /^Listing Services across all namespaces is forbidden/);
    const homelabPods = await listPodObjects(clientOf(server), { namespaces: partial.namespaces! });
    assert.ok(homelabPods.items.length > 0 && homelabPods.items.every((p) => p.metadata?.namespace === 'homelab'));
  });

  it('labels a Service with a merge patch, keeping its other labels', async () => {
    const before = server.state.get('services', 'default', 'kubernetes')!;
    assert.deepEqual(before.metadata?.labels, { component: 'apiserver', provider: 'kubernetes' });
    const start = server.requests.length;
    const patched = await labelService(clientOf(server), 'default', 'kubernetes', { 'cftunnel.dev/public': 'true' });
    assert.deepEqual(patched.metadata?.labels, {
      component: 'apiserver',
      provider: 'kubernetes',
      'cftunnel.dev/public': 'true',
    });
    assert.deepEqual(server.state.get('services', 'default', 'kubernetes')!.metadata?.labels, patched.metadata?.labels);
    assert.deepEqual(
      server.requests.slice(start).map((r) => [r.verb, r.path]),
      [['patch', '/api/v1/namespaces/default/services/kubernetes']],
    );
  });

  it('says what failed: a Service that is gone, RBAC, a deadline', async () => {
    await rejects(
      labelService(clientOf(server), 'default', 'gone', { a: 'b' }),
      'not-found',
      'services "gone" not found',
    );
    server.setFault({ kind: 'rbac', clusterScope: [], namespaces: ['homelab'] });
    await rejects(
      labelService(clientOf(server), 'default', 'web', { a: 'b' }),
      'forbidden',
      'cannot patch resource "services" in API group "" in the namespace "default"',
    );
    server.clearFaults();
    server.setFault({ kind: 'delay', delayMs: 500, times: 1 });
    await rejects(
      labelService(clientOf(server), 'default', 'web', { a: 'b' }, { timeoutMs: 50 }),
      'timeout',
      'label Service default/web',
    );
  });
});

describe('ServiceWatcher', () => {
  let server: KubernetesApiServer;
  let watcher: ServiceWatcher | undefined;
  let events: ServiceWatchEvent[];
  before(async () => {
    server = await startKubernetesApi({ bookmarkIntervalMs: 100 });
  });
  after(() => server.close());
  afterEach(() => {
    watcher?.stop();
    watcher = undefined;
    server.clearFaults();
  });

  async function started(opts: ConstructorParameters<typeof ServiceWatcher>[1] = {}): Promise<ServiceWatcher> {
    events = [];
    watcher = new ServiceWatcher(clientOf(server), {
      initialBackoffMs: 100,
      maxBackoffMs: 400,
      minWatchMs: 50,
      ...opts,
    });
    watcher.on((e) => events.push(e));
    await watcher.start();
    await waitFor('the watch', () => watcher!.state === 'watching' && server.watchCount() > 0);
    // Past minWatchMs: a watch the server ends now is a normal end, not "ended at once".
    await new Promise((r) => setTimeout(r, 80));
    return watcher;
  }
  const names = (type: string): string[] =>
    events
      .filter((e) => e.type === type)
      .map((e) => ('service' in e ? `${e.service.namespace}/${e.service.name}` : ''));

  it('backs off from 1 s doubling to 30 s', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map((a) => backoffDelay(a)),
      [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000],
    );
  });

  it('lists, then receives added, modified and deleted Services', async () => {
    const w = await started();
    const initial = events[0];
    assert.equal(initial?.type, 'synced');
    assert.equal(initial.type === 'synced' && initial.services.length, server.state.count('services'));
    const watchReq = server.requests.filter((r) => r.verb === 'watch').at(-1)!;
    assert.equal(watchReq.path, '/api/v1/services');
    assert.equal(watchReq.query.allowWatchBookmarks, 'true');
    assert.equal(watchReq.query.resourceVersion, String(server.state.resourceVersion));

    server.state.add('services', service('staging', 'api', { clusterIP: '10.96.40.3', ports: [{ port: 8080 }] }));
    server.state.patch(
      'services',
      'staging',
      'api',
      (o) => ((o.spec as { ports: Array<{ port: number }> }).ports[0]!.port = 9000),
    );
    server.state.remove('services', 'staging', 'api');
    await waitFor('three events', () => events.length >= 4);
    assert.deepEqual(
      events.slice(1).map((e) => e.type),
      ['added', 'modified', 'deleted'],
    );
    const modified = events[2]!;
    assert.equal(modified.type === 'modified' && modified.service.ports[0]!.port, 9000);
    assert.equal(w.get('staging', 'api'), undefined);
    assert.equal(w.size, server.state.count('services'));
  });

  it('resumes a watch the server ended, from the last resourceVersion (bookmarks move it on)', async () => {
    await started();
    // Another resource changes: no Service event, but the next bookmark carries the new revision.
    const listRv = server.state.resourceVersion;
    server.state.patch('configmaps', 'kube-system', 'coredns', (o) => ((o.data as Record<string, string>).extra = 'x'));
    assert.equal(server.state.resourceVersion, listRv + 1);
    await new Promise((r) => setTimeout(r, 250));
    const watchesBefore = server.requests.filter((r) => r.verb === 'watch').length;
    server.closeWatches();
    await waitFor(
      'the re-watch',
      () => server.requests.filter((r) => r.verb === 'watch').length === watchesBefore + 1 && server.watchCount() === 1,
    );
    const rewatch = server.requests.filter((r) => r.verb === 'watch').at(-1)!;
    assert.equal(rewatch.query.resourceVersion, String(listRv + 1), 'resumed from the bookmark');
    assert.equal(events.filter((e) => e.type === 'synced').length, 1, 'no relist');
  });

  it('restarts with backoff after a 500 and catches up on what changed meanwhile', async () => {
    const w = await started();
    server.setFault({ kind: 'status', status: 500, verb: 'watch', times: 2 });
    server.closeWatches();
    await waitFor('two errors', () => events.filter((e) => e.type === 'error').length === 2);
    const errors = events.filter((e): e is Extract<ServiceWatchEvent, { type: 'error' }> => e.type === 'error');
    assert.deepEqual(
      errors.map((e) => e.retryInMs),
      [100, 200],
    );
    assert.equal(errors[0]!.error.kind, 'server');
    assert.equal(errors[0]!.error.status, 500);
    server.state.add(
      'services',
      service('default', 'during-outage', { clusterIP: '10.96.9.9', ports: [{ port: 80 }] }),
    );
    await waitFor('the missed event', () => names('added').includes('default/during-outage'));
    assert.equal(w.state, 'watching');
    assert.equal(
      events.filter((e) => e.type === 'synced').length,
      1,
      'a re-watch from the last resourceVersion, no relist',
    );
    server.state.remove('services', 'default', 'during-outage');
  });

  it('lists again after 410 Gone (ERROR event) and reports the difference', async () => {
    const w = await started();
    const lists = w.lists;
    server.state.compact();
    server.setFault({ kind: 'expire-watch' });
    server.closeWatches();
    await waitFor('the relist', () => events.some((e) => e.type === 'synced' && e.reason === 'expired'));
    assert.equal(w.lists, lists + 1);
    assert.equal(events.filter((e) => e.type === 'error').length, 0, '410 is not an error');
    await waitFor('the new watch', () => server.watchCount() === 1 && w.state === 'watching');
    server.state.add('services', service('default', 'after-relist', { clusterIP: '10.96.9.8', ports: [{ port: 80 }] }));
    await waitFor('the event', () => names('added').includes('default/after-relist'));
    server.state.remove('services', 'default', 'after-relist');
  });

  it('lists again after an HTTP 410, and after a watch from a compacted resourceVersion', async () => {
    const w = await started();
    server.setFault({ kind: 'expire-watch', http: true });
    server.closeWatches();
    await waitFor('the relist', () => w.lists === 2 && w.state === 'watching');
    // Changes while the watch is down, then the history is compacted: the re-watch gets 410.
    await new Promise((r) => setTimeout(r, 60));
    server.setFault({ kind: 'status', status: 503, verb: 'watch', times: 1 });
    server.closeWatches();
    await waitFor('the error', () => events.some((e) => e.type === 'error'));
    server.state.add('services', service('default', 'missed', { clusterIP: '10.96.9.7', ports: [{ port: 80 }] }));
    server.state.compact();
    await waitFor('the second relist', () => w.lists === 3 && names('added').includes('default/missed'));
    const last = events.filter((e) => e.type === 'synced').at(-1)!;
    assert.equal(last.type === 'synced' && last.services.some((s) => s.name === 'missed'), true);
    server.state.remove('services', 'default', 'missed');
  });

  it('watches each allowed namespace when the list was partial', async () => {
    server.setFault({ kind: 'rbac', clusterScope: ['services'], namespaces: ['default', 'staging'] });
    const w = await started();
    assert.equal(w.partial, true);
    assert.match(w.note!, /forbidden/);
    await waitFor('two watches', () => server.watchCount() === 2);
    assert.deepEqual(
      server.requests
        .filter((r) => r.verb === 'watch')
        .slice(-2)
        .map((r) => r.path)
        .sort(),
      ['/api/v1/namespaces/default/services', '/api/v1/namespaces/staging/services'],
    );
    server.state.add('services', service('monitoring', 'hidden', { clusterIP: '10.96.9.6', ports: [{ port: 80 }] }));
    server.state.add('services', service('staging', 'visible', { clusterIP: '10.96.9.5', ports: [{ port: 80 }] }));
    await waitFor('the visible event', () => names('added').includes('staging/visible'));
    assert.deepEqual(names('added'), ['staging/visible']);
    server.state.remove('services', 'monitoring', 'hidden');
    server.state.remove('services', 'staging', 'visible');
  });

  it('retries a failed first list with backoff, then syncs', async () => {
    server.setFault({ kind: 'status', status: 503, verb: 'list', resource: 'services', times: 1 });
    events = [];
    watcher = new ServiceWatcher(clientOf(server), { initialBackoffMs: 50 });
    watcher.on((e) => events.push(e));
    await watcher.start();
    assert.deepEqual(
      events.map((e) => e.type),
      ['error', 'synced'],
    );
    const sync = events[1]!;
    assert.equal(sync.type === 'synced' && sync.reason, 'retry');
  });

  it('stops watching on stop()', async () => {
    const w = await started();
    w.stop();
    await waitFor('no open watch', () => server.watchCount() === 0);
    assert.equal(w.state, 'stopped');
    const count = events.length;
    server.state.add('services', service('default', 'unseen', { clusterIP: '10.96.9.4', ports: [{ port: 80 }] }));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(events.length, count);
    server.state.remove('services', 'default', 'unseen');
  });
});

describe('cloudflared Deployments and logs', () => {
  let server: KubernetesApiServer;
  before(async () => {
    server = await startKubernetesApi();
    const named = deployment('edge', 'runner', {
      containers: [
        {
          name: 'main',
          image: 'ghcr.io/acme/tunnel-runner@sha256:0123456789abcdef0123456789abcdef',
          args: ['tunnel', '--no-autoupdate', 'run', '--protocol', 'quic', 'edge-tunnel'],
        },
      ],
    });
    server.state.add('namespaces', { metadata: { name: 'edge' } });
    server.state.add('deployments', named.deployment);
    for (const p of named.pods) server.state.add('pods', p);
  });
  after(() => server.close());

  it('finds them by image or args, with replicas, version, tunnel and pods', async () => {
    const res = await listCloudflaredDeployments(clientOf(server));
    assert.equal(res.partial, false);
    assert.deepEqual(
      res.deployments.map((d) => `${d.namespace}/${d.name}`),
      ['cloudflared/cloudflared', 'edge/runner', 'homelab/cloudflared'],
    );
    const [prod, edge, home] = res.deployments as [
      (typeof res.deployments)[0],
      (typeof res.deployments)[0],
      (typeof res.deployments)[0],
    ];
    assert.deepEqual(
      [prod.desired, prod.ready, prod.version, prod.mode, prod.image],
      [2, 2, '2026.8.2', 'token', 'cloudflare/cloudflared:2026.8.2'],
    );
    assert.ok(prod.pods.every((p) => p.ready && p.phase === 'Running'));
    assert.equal(prod.pods.length, 2);
    assert.deepEqual([edge.mode, edge.tunnelRef, edge.version], ['named', 'edge-tunnel', 'sha256:0123456789ab…']);
    assert.deepEqual(
      [home.desired, home.ready, home.version, home.mode, home.configPath],
      [2, 1, '2026.7.0', 'config', '/etc/cloudflared/config/config.yaml'],
    );
    assert.deepEqual(home.configMap, { name: 'cloudflared-config', key: 'config.yaml' });
    assert.deepEqual(home.pods.map((p) => [p.ready, p.reason ?? p.phase, p.restarts]).sort(), [
      [false, 'CrashLoopBackOff', 7],
      [true, 'Running', 0],
    ]);
    const podQuery = server.requests.find((r) => r.resource === 'pods' && r.namespace === 'homelab')!;
    assert.equal(podQuery.query.labelSelector, 'app=cloudflared,tunnel=homelab');
  });

  it('feeds the Services tree (model complete from the lists)', async () => {
    const client = clientOf(server);
    const [svcs, cfd] = await Promise.all([listAllServices(client), listCloudflaredDeployments(client)]);
    const tree = buildServicesTree({
      context: { name: client.context.name, server: client.server },
      services: svcs.services,
      deployments: cfd.deployments.map((d) => ({
        ...d,
        tunnelId: d.namespace === 'homelab' ? DEMO_TUNNELS.homelab : undefined,
      })),
      rules: [
        {
          hostname: 'home.example.dev',
          service: 'http://home-assistant.homelab.svc.cluster.local:8123',
          source: 'workspace',
          tunnelId: DEMO_TUNNELS.homelab,
        },
        {
          hostname: 'app.example.com',
          service: 'http://web.default.svc.cluster.local:80',
          source: 'remote',
          tunnelId: DEMO_TUNNELS.prod,
        },
      ],
    });
    const ha = tree.namespaces.find((n) => n.name === 'homelab')!.services.find((s) => s.name === 'home-assistant')!;
    assert.deepEqual(ha.exposure[0]!.connectors, ['homelab/cloudflared']);
    assert.equal(tree.counts.exposed, 2);
    assert.equal(tree.namespaces.find((n) => n.name === 'homelab')!.cloudflared[0]!.health, 'degraded');
  });

  it('streams a pod log until aborted, including lines written meanwhile', async () => {
    const pod = server.state.list('pods', 'cloudflared')[0]!.metadata.name;
    const lines: string[] = [];
    const ac = new AbortController();
    const done = streamPodLogs(clientOf(server), 'cloudflared', pod, undefined, (l) => lines.push(l), ac.signal, {
      tailLines: 2,
    });
    await waitFor('the tail', () => lines.length === 2);
    assert.match(lines[1]!, /Registered tunnel connection connIndex=3/);
    server.state.appendLog(
      'cloudflared',
      pod,
      '2026-01-15T11:00:00Z INF Updated to new configuration config="{}" version=4',
    );
    await waitFor('the new line', () => lines.length === 3);
    assert.match(lines[2]!, /Updated to new configuration/);
    ac.abort();
    await done;
    const req = server.requests.filter((r) => r.verb === 'log').at(-1)!;
    assert.equal(req.query.follow, 'true');
    assert.equal(req.query.tailLines, '2');
  });

  it('ends the stream when the pod goes away', async () => {
    const pod = server.state.list('pods', 'edge')[0]!;
    server.state.appendLog('edge', pod.metadata.name, 'hello');
    const lines: string[] = [];
    const done = streamPodLogs(
      clientOf(server),
      'edge',
      pod.metadata.name,
      'main',
      (l) => lines.push(l),
      new AbortController().signal,
    );
    await waitFor('the line', () => lines.length === 1);
    server.state.remove('pods', 'edge', pod.metadata.name);
    await done;
    assert.deepEqual(lines, ['hello']);
  });

  it("reports the API server's reason for a log that cannot be read", async () => {
    const signal = new AbortController().signal;
    await rejects(
      streamPodLogs(clientOf(server), 'cloudflared', 'nope', undefined, () => {}, signal),
      'not-found',
      'pods "nope" not found',
    );
    const pod = server.state.list('pods', 'cloudflared')[0]!.metadata.name;
    await rejects(
      streamPodLogs(clientOf(server), 'cloudflared', pod, 'sidecar', () => {}, signal),
      'bad-request',
      `container sidecar is not valid for pod ${pod}`,
    );
  });

  it('reads image versions', () => {
    assert.equal(imageVersion('cloudflare/cloudflared:2026.8.2'), '2026.8.2');
    assert.equal(imageVersion('registry.local:5000/cloudflared'), 'latest');
    assert.equal(imageVersion('registry.local:5000/cloudflared:2025.1.0@sha256:abc'), '2025.1.0');
  });
});
