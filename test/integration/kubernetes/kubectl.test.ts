/**
 * The local Kubernetes API server speaks real Kubernetes: the preinstalled kubectl (v1.32) runs
 * against it — discovery, `get services -A` as a server-side table and as JSON, pagination with
 * `--chunk-size` (and a continue token that expires), label/field selectors, `--watch` with
 * events made while it runs, pods, deployments, logs (also `-f`), the error Statuses kubectl
 * prints (Forbidden with RBAC's wording, NotFound, BadRequest), Ingresses and IngressClasses (tables,
 * `apply` with the default class and the validation refusal) and the Gateway API and Traefik custom
 * resources found by discovery (and unknown once their CRD group is switched off). Without kubectl this test fails:
 * it is the oracle for the server, so it must not be skipped.
 *
 * kubectl runs asynchronously (the server lives in this process) with its own kubeconfig and
 * cache dir, a time limit, and is killed after watch/follow runs.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { service, startKubernetesApi } from '../../../dev/servers/kubernetes/server';
import type { KubernetesApiServer } from '../../../dev/servers/kubernetes/server';

const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const tmp = mkdtempSync(join(tmpdir(), 'cftunnel-kubectl-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let server: KubernetesApiServer;
let kubeconfig: string;

function kubectl(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      KUBECTL,
      ['--kubeconfig', kubeconfig, '--cache-dir', join(tmp, 'cache'), ...args],
      { timeout: 20_000, maxBuffer: 64 << 20, env: { ...process.env, HOME: tmp, KUBECONFIG: '' } },
      (err, stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(
            new Error(
              `kubectl is not installed (${KUBECTL} not found on PATH). This test needs the preinstalled kubectl v1.32 to prove the local Kubernetes API server speaks real Kubernetes; install kubectl or set KUBECTL.`,
            ),
          );
          return;
        }
        if (err && err.killed) {
          reject(new Error(`kubectl ${args.join(' ')} timed out after 20 s\n${stderr}`));
          return;
        }
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/** Runs a long-lived kubectl (watch, follow) until `until` holds or time runs out, then kills it. */
async function kubectlWhile(
  args: string[],
  during: (out: () => string) => Promise<void>,
  until: (out: string) => boolean,
  timeoutMs = 10_000,
): Promise<string> {
  const child = spawn(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', join(tmp, 'cache'), ...args], {
    env: { ...process.env, HOME: tmp, KUBECONFIG: '' },
  });
  let out = '';
  let spawnError: Error | undefined;
  child.on('error', (e) => (spawnError = e));
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  try {
    await during(() => out);
    const deadline = Date.now() + timeoutMs;
    while (!until(out) && Date.now() < deadline && child.exitCode === null && !spawnError) await sleep(20);
    if (spawnError) throw new Error(`kubectl could not be started: ${spawnError.message}`);
    return out;
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** Table rows as arrays of cells (columns split on 2+ spaces). */
const rows = (table: string): string[][] =>
  table
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/));

describe('kubectl against the local Kubernetes API server', () => {
  before(async () => {
    server = await startKubernetesApi();
    kubeconfig = join(tmp, 'kubeconfig');
    writeFileSync(kubeconfig, server.kubeconfigYaml('local-test'));
  });
  after(() => server.close());
  afterEach(() => server.clearFaults());

  it('kubectl is installed (v1.32)', async () => {
    const r = await kubectl('version', '--client', '-o', 'json');
    assert.equal(r.code, 0, r.stderr);
    const v = JSON.parse(r.stdout) as { clientVersion: { major: string; minor: string } };
    assert.match(`${v.clientVersion.major}.${v.clientVersion.minor}`, /^1\.32\+?$/);
  });

  it('get services -A: discovery, then a server-side table of every Service', async () => {
    const start = server.requests.length;
    const r = await kubectl('get', 'services', '-A');
    assert.equal(r.code, 0, r.stderr);
    const [header, ...body] = rows(r.stdout);
    assert.deepEqual(header, ['NAMESPACE', 'NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    const expected = server.state.list('services').map((s) => `${s.metadata.namespace}/${s.metadata.name}`);
    assert.deepEqual(
      body.map((c) => `${c[0]}/${c[1]}`),
      expected,
    );
    const lb = body.find((c) => c[1] === 'ingress-nginx-controller')!;
    assert.deepEqual(lb.slice(2, 6), ['LoadBalancer', '10.96.80.10', '192.0.2.80', '80:31080/TCP,443:31443/TCP']);
    assert.deepEqual(body.find((c) => c[1] === 'nas')!.slice(2, 6), [
      'ExternalName',
      '<none>',
      'nas.home.arpa',
      '<none>',
    ]);
    assert.deepEqual(body.find((c) => c[1] === 'db')!.slice(2, 5), ['ClusterIP', 'None', '<none>']);
    const paths = server.requests.slice(start).map((q) => q.path);
    for (const p of ['/api', '/apis', '/api/v1', '/apis/apps/v1', '/api/v1/services'])
      assert.ok(paths.includes(p), `kubectl requested ${p}`);
    const list = server.requests.slice(start).find((q) => q.path === '/api/v1/services')!;
    assert.match(list.headers.accept!, /as=Table;v=v1;g=meta\.k8s\.io/);
    assert.equal(list.query.limit, '500');
  });

  it('get services -A -o json: the objects as the server holds them', async () => {
    const r = await kubectl('get', 'services', '-A', '-o', 'json');
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout) as {
      kind: string;
      items: Array<{
        kind: string;
        apiVersion: string;
        metadata: { name: string; namespace: string; resourceVersion: string };
        spec: unknown;
      }>;
    };
    assert.equal(list.kind, 'List');
    const state = server.state.list('services');
    assert.equal(list.items.length, state.length);
    for (const [i, item] of list.items.entries()) {
      assert.equal(item.kind, 'Service');
      assert.equal(item.apiVersion, 'v1');
      assert.equal(item.metadata.name, state[i]!.metadata.name);
      assert.equal(item.metadata.resourceVersion, state[i]!.metadata.resourceVersion);
      assert.deepEqual(item.spec, state[i]!.spec);
    }
  });

  it('--chunk-size pages with limit and continue tokens (table and JSON)', async () => {
    const start = server.requests.length;
    const r = await kubectl('get', 'svc', '-A', '--chunk-size=4');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(rows(r.stdout).length - 1, server.state.count('services'));
    const reqs = server.requests.slice(start).filter((q) => q.path === '/api/v1/services');
    assert.equal(reqs.length, Math.ceil(server.state.count('services') / 4));
    assert.ok(reqs.every((q) => q.query.limit === '4'));
    assert.equal(reqs[0]!.query.continue, undefined);
    assert.ok(reqs.slice(1).every((q) => q.query.continue));
    const j = await kubectl('get', 'svc', '-A', '--chunk-size=3', '-o', 'json');
    assert.equal(j.code, 0, j.stderr);
    assert.equal((JSON.parse(j.stdout) as { items: unknown[] }).items.length, server.state.count('services'));
  });

  it('continues from a consistent snapshot, and says when the continue token expired', async () => {
    server.setFault({ kind: 'delay', delayMs: 300, verb: 'list', resource: 'services', times: 2 });
    let start = server.requests.length;
    let pending = kubectl('get', 'svc', '-A', '--chunk-size=5', '-o', 'name');
    await waitFor(
      'the second chunk',
      () => server.requests.slice(start).filter((q) => q.resource === 'services').length === 2,
    );
    server.state.add('services', service('aaa', 'early', { clusterIP: '10.96.99.1', ports: [{ port: 80 }] }));
    server.state.add('services', service('zzz', 'late', { clusterIP: '10.96.99.2', ports: [{ port: 80 }] }));
    let r = await pending;
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes('service/late'), 'created after the first chunk: not in this list');
    assert.equal(r.stdout.trim().split('\n').length, server.state.count('services') - 2);

    server.setFault({ kind: 'delay', delayMs: 300, verb: 'list', resource: 'services', times: 2 });
    start = server.requests.length;
    pending = kubectl('get', 'svc', '-A', '--chunk-size=5');
    await waitFor(
      'the second chunk',
      () => server.requests.slice(start).filter((q) => q.resource === 'services').length === 2,
    );
    server.state.remove('services', 'aaa', 'early');
    server.state.compact();
    r = await pending;
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^Error from server \(Expired\): The provided continue parameter is too old to display a consistent list result\./,
    );
    server.state.remove('services', 'zzz', 'late');
  });

  it('label and field selectors', async () => {
    const l = await kubectl('get', 'svc', '-A', '-l', 'k8s-app=kube-dns', '-o', 'name');
    assert.equal(l.stdout.trim(), 'service/kube-dns');
    const f = await kubectl(
      'get',
      'pods',
      '-A',
      '--field-selector',
      'status.phase=Running,metadata.namespace=homelab',
      '-o',
      'name',
    );
    assert.equal(f.stdout.trim().split('\n').length, 2);
    // Since v1.31 Services select on spec.type and spec.clusterIP too.
    const nodePorts = await kubectl('get', 'svc', '-A', '--field-selector', 'spec.type=NodePort', '-o', 'name');
    assert.equal(nodePorts.code, 0, nodePorts.stderr);
    assert.equal(nodePorts.stdout.trim(), 'service/home-assistant');
    const headless = await kubectl('get', 'svc', '-A', '--field-selector', 'spec.clusterIP=None', '-o', 'name');
    assert.equal(headless.stdout.trim(), 'service/db');
    const bad = await kubectl('get', 'svc', '-A', '--field-selector', 'spec.selector=x');
    assert.equal(bad.code, 1);
    assert.equal(
      bad.stderr.trim(),
      'Error from server (BadRequest): Unable to find "/v1, Resource=services" that match label selector "", field selector "spec.selector=x": field label not supported: spec.selector',
    );
    // Kinds without their own field labels: runtime.DefaultMetaV1FieldSelectorConversion's wording.
    const cm = await kubectl('get', 'cm', '-A', '--field-selector', 'data.x=y');
    assert.equal(
      cm.stderr.trim(),
      'Error from server (BadRequest): Unable to find "/v1, Resource=configmaps" that match label selector "", field selector "data.x=y": "data.x" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
  });

  it('get svc -A --watch prints the events made while it runs', async () => {
    const watchesBefore = server.requests.filter((q) => q.verb === 'watch').length;
    const out = await kubectlWhile(
      ['get', 'svc', '-A', '--watch', '--output-watch-events'],
      async () => {
        await waitFor('kubectl to watch', () => server.watchCount() === 1);
        server.state.add('services', service('staging', 'api', { clusterIP: '10.96.40.3', ports: [{ port: 8080 }] }));
        server.state.patch(
          'services',
          'staging',
          'api',
          (o) => ((o.spec as { ports: Array<{ port: number }> }).ports[0]!.port = 9000),
        );
        server.state.remove('services', 'staging', 'api');
      },
      (o) => /DELETED\s+staging\s+api/.test(o),
    );
    const lines = rows(out).filter((c) => c[1] === 'staging' && c[2] === 'api');
    assert.deepEqual(
      lines.map((c) => [c[0], c[6]]),
      [
        ['ADDED', '8080/TCP'],
        ['MODIFIED', '9000/TCP'],
        ['DELETED', '9000/TCP'],
      ],
    );
    const watch = server.requests.filter((q) => q.verb === 'watch').slice(watchesBefore)[0]!;
    assert.equal(watch.path, '/api/v1/services');
    assert.equal(watch.query.watch, 'true');
    assert.ok(Number(watch.query.resourceVersion) > 0, 'kubectl watches from the list resourceVersion');
  });

  it('prints the 410 Expired ERROR event of a watch', async () => {
    server.setFault({ kind: 'expire-watch' });
    const r = await kubectl('get', 'svc', '-n', 'default', '--watch', '--output-watch-events');
    const error = rows(r.stdout).find((c) => c[0] === 'ERROR');
    assert.ok(error, r.stdout + r.stderr);
    assert.deepEqual(error.slice(1, 3), ['Failure', 'Expired']);
    assert.match(error[3]!, /^too old resource version: \d+ \(\d+\)$/);
  });

  it('get pods and deployments show readiness as the API reports it', async () => {
    const pods = await kubectl('get', 'pods', '-n', 'homelab');
    assert.equal(pods.code, 0, pods.stderr);
    const [header, ...body] = rows(pods.stdout);
    assert.deepEqual(header, ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    assert.deepEqual(body.map((c) => c.slice(1, 4)).sort(), [
      ['0/1', 'CrashLoopBackOff', '7'],
      ['1/1', 'Running', '0'],
    ]);
    const deps = await kubectl('get', 'deploy', '-A');
    const cf = rows(deps.stdout).filter((c) => c[1] === 'cloudflared');
    assert.deepEqual(
      cf.map((c) => [c[0], c[2]]),
      [
        ['cloudflared', '2/2'],
        ['homelab', '1/2'],
      ],
    );
    const one = await kubectl(
      'get',
      'deploy',
      'cloudflared',
      '-n',
      'homelab',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image}',
    );
    assert.equal(one.stdout, 'registry.example.com/mirror/cloudflared:2026.7.0');
  });

  it('logs (tail, of a deployment) and logs -f streaming new lines', async () => {
    const pod = server.state.list('pods', 'cloudflared')[0]!.metadata.name;
    const tail = await kubectl('logs', '-n', 'cloudflared', pod, '--tail=2');
    assert.equal(tail.code, 0, tail.stderr);
    assert.deepEqual(tail.stdout.trimEnd().split('\n'), server.state.logLines('cloudflared', pod).slice(-2));
    const dep = await kubectl('logs', '-n', 'homelab', 'deploy/cloudflared', '--tail=1');
    assert.equal(dep.code, 0, dep.stderr);
    assert.match(dep.stdout, /^Found 2 pods, using pod\/cloudflared-|INF|ERR/);
    const follow = await kubectlWhile(
      ['logs', '-f', '-n', 'cloudflared', pod, '--tail=1'],
      async (out) => {
        await waitFor('the first line', () => out().includes('connIndex=3'));
        server.state.appendLog(
          'cloudflared',
          pod,
          '2026-01-15T12:00:00Z INF Lost connection with the edge connIndex=0',
        );
      },
      (o) => o.includes('Lost connection'),
    );
    assert.match(follow, /connIndex=3[^\n]*\n2026-01-15T12:00:00Z INF Lost connection with the edge connIndex=0\n/);
    const log = server.requests.filter((q) => q.verb === 'log').at(-1)!;
    assert.equal(log.query.follow, 'true');
  });

  it('prints the Forbidden and NotFound Statuses as for a real cluster', async () => {
    server.setFault({ kind: 'rbac', clusterScope: ['services'], namespaces: ['default'] });
    const all = await kubectl('get', 'services', '-A');
    assert.equal(all.code, 1);
    assert.equal(
      all.stderr.trim(),
      'Error from server (Forbidden): services is forbidden: User "demo-user" cannot list resource "services" in API group "" at the cluster scope',
    );
    const allowed = await kubectl('get', 'services', '-n', 'default', '-o', 'name');
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.ok(allowed.stdout.includes('service/web'));
    const other = await kubectl('get', 'services', '-n', 'kube-system');
    assert.equal(
      other.stderr.trim(),
      'Error from server (Forbidden): services is forbidden: User "demo-user" cannot list resource "services" in API group "" in the namespace "kube-system"',
    );
    server.clearFaults();
    const missing = await kubectl('get', 'svc', 'nope', '-n', 'default');
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr.trim(), 'Error from server (NotFound): services "nope" not found');
    const noPod = await kubectl('logs', '-n', 'default', 'nope');
    // kubectl logs words the GET pod's NotFound itself (as against a real cluster).
    assert.equal(
      noPod.stderr.trim(),
      'error: error from server (NotFound): pods "nope" not found in namespace "default"',
    );
  });

  it('get ingress and ingressclass: the tables kubectl prints for them', async () => {
    const ing = await kubectl('get', 'ingress', '-A');
    assert.equal(ing.code, 0, ing.stderr);
    const [header, ...body] = rows(ing.stdout);
    assert.deepEqual(header, ['NAMESPACE', 'NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE']);
    assert.deepEqual(
      body.map((c) => c.slice(0, 6)),
      [
        ['default', 'docs', 'nginx', 'docs.example.com', '192.0.2.80', '80'],
        ['default', 'secure', 'nginx', 'secure.example.com', '192.0.2.80', '80, 443'],
        ['default', 'shop', 'nginx', 'shop.example.com', '192.0.2.80', '80'],
      ],
    );
    const classes = await kubectl('get', 'ingressclass');
    assert.equal(classes.code, 0, classes.stderr);
    assert.deepEqual(
      rows(classes.stdout).map((c) => c.slice(0, 3)),
      [
        ['NAME', 'CONTROLLER', 'PARAMETERS'],
        ['nginx', 'k8s.io/ingress-nginx', '<none>'],
        ['traefik', 'traefik.io/ingress-controller', '<none>'],
      ],
    );
    const backend = await kubectl(
      'get',
      'ing',
      'docs',
      '-n',
      'default',
      '-o',
      'jsonpath={.spec.rules[0].http.paths[0].backend.service.name}',
    );
    assert.equal(backend.stdout, 'docs-missing');
  });

  it('get httproutes.gateway.networking.k8s.io, gateways, referencegrants and ingressroutes (custom resources by discovery)', async () => {
    const routes = await kubectl('get', 'httproutes.gateway.networking.k8s.io', '-A');
    assert.equal(routes.code, 0, routes.stderr);
    assert.deepEqual(
      rows(routes.stdout).map((c) => c.slice(0, 3)),
      [
        ['NAMESPACE', 'NAME', 'HOSTNAMES'],
        ['default', 'api', '["api.example.dev"]'],
        ['default', 'grafana', '["grafana.example.dev"]'],
      ],
    );
    const gateways = await kubectl('get', 'gtw', '-A');
    assert.deepEqual(rows(gateways.stdout)[1]!.slice(0, 5), [
      'kube-system',
      'traefik-gateway',
      'traefik',
      '10.96.90.10',
      'True',
    ]);
    const grants = await kubectl('get', 'referencegrants', '-A', '-o', 'json');
    assert.equal(grants.code, 0, grants.stderr);
    const grantList = JSON.parse(grants.stdout) as { items: Array<{ apiVersion: string; metadata: { name: string } }> };
    assert.deepEqual(
      grantList.items.map((i) => [i.apiVersion, i.metadata.name]),
      [['gateway.networking.k8s.io/v1beta1', 'httproutes-from-default']],
    );
    const ir = await kubectl('get', 'ingressroutes', '-A');
    assert.equal(ir.code, 0, ir.stderr);
    assert.deepEqual(
      rows(ir.stdout).map((c) => c.slice(0, 2)),
      [
        ['NAMESPACE', 'NAME'],
        ['default', 'whoami'],
      ],
    );
    const match = await kubectl(
      'get',
      'ingressroute',
      'whoami',
      '-n',
      'default',
      '-o',
      'jsonpath={.spec.routes[0].match}',
    );
    assert.equal(match.stdout, 'Host(`whoami.example.dev`) && PathPrefix(`/`)');
    // Without the Traefik CRDs (and with a fresh discovery cache) the type is unknown, as on such a cluster.
    server.state.crdGroups.delete('traefik.io');
    try {
      const none = await kubectl('--cache-dir', join(tmp, 'cache-no-crds'), 'get', 'ingressroutes', '-A');
      assert.equal(none.code, 1);
      assert.equal(none.stderr.trim(), 'error: the server doesn\'t have a resource type "ingressroutes"');
    } finally {
      server.state.crdGroups.add('traefik.io');
    }
  });

  it('apply -f an Ingress: created with the default class, configured, and refused when invalid', async () => {
    const file = join(tmp, 'ingress.yaml');
    const manifest = (port: string, extra = ''): string =>
      [
        'apiVersion: networking.k8s.io/v1',
        'kind: Ingress',
        'metadata:',
        '  name: blog',
        '  namespace: default',
        extra,
        'spec:',
        '  rules:',
        '  - host: blog.example.com',
        '    http:',
        '      paths:',
        '      - path: /',
        '        pathType: Prefix',
        '        backend:',
        '          service:',
        '            name: web',
        '            port:',
        `              ${port}`,
        '',
      ]
        .filter((l) => l !== '')
        .join('\n');
    writeFileSync(file, manifest('number: 80'));
    const created = await kubectl('apply', '-f', file);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout.trim(), 'ingress.networking.k8s.io/blog created');
    assert.equal(
      (server.state.get('ingresses', 'default', 'blog')!.spec as { ingressClassName?: string }).ingressClassName,
      'nginx',
    );
    const again = await kubectl('apply', '-f', file);
    assert.equal(again.stdout.trim(), 'ingress.networking.k8s.io/blog unchanged');
    writeFileSync(file, manifest('name: http'));
    const changed = await kubectl('apply', '-f', file);
    assert.equal(changed.code, 0, changed.stderr);
    assert.equal(changed.stdout.trim(), 'ingress.networking.k8s.io/blog configured');
    const stored = server.state.get('ingresses', 'default', 'blog')!;
    assert.deepEqual(
      (stored.spec as { rules: Array<{ http: { paths: Array<{ backend: unknown }> } }> }).rules[0]!.http.paths[0]!
        .backend,
      { service: { name: 'web', port: { name: 'http' } } },
    );
    assert.equal(stored.metadata.generation, 2);
    writeFileSync(
      file,
      manifest('number: 80', '  annotations:\n    kubernetes.io/ingress.class: nginx')
        .replace('name: blog', 'name: both')
        .replace('spec:', 'spec:\n  ingressClassName: nginx'),
    );
    const both = await kubectl('apply', '-f', file);
    assert.equal(both.code, 1);
    assert.equal(
      both.stderr.trim(),
      'The Ingress "both" is invalid: annotations.kubernetes.io/ingress.class: Invalid value: "nginx": can not be set when the class field is also set',
    );
  });
});
