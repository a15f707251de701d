/**
 * cloudflared's `/metrics` and `/ready` through the API server's pod proxy (src/kubernetes/podProxy.ts)
 * with the real `@kubernetes/client-node` against the local Kubernetes API server, whose demo
 * cloudflared pods are served by dev/servers/kubernetes/cloudflaredMetrics.ts on port 2000: the page
 * parses and has the families, `/ready` 200 and 503 both answered, 403 on pods/proxy, an unknown pod,
 * ports nothing listens on (another port, metrics bound to localhost, a crash-looping container), a
 * deadline and an abort, counters that grow and reset on a restart, where the metrics port is
 * (metricsAddressOf on the Deployment summaries), and real kubectl reading the same page.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { clientFor, listCloudflaredDeployments, loadKubeconfig, scrapePod } from '../../../src/kubernetes/cluster';
import type { ClusterClient, ScrapeResult } from '../../../src/kubernetes/cluster';
import { parseExposition } from '../../../src/core/metrics/prometheus';
import { PodHistory, parseReady, readPodMetrics } from '../../../src/core/metrics/cloudflared';
import { metricsAddressOf } from '../../../src/core/metrics/port';
import { deployment, startKubernetesApi } from '../../../dev/servers/kubernetes/server';
import type { KubernetesApiServer } from '../../../dev/servers/kubernetes/server';
import { uuidFrom } from '../../../dev/servers/cloudflare/state';

const tmp = mkdtempSync(join(tmpdir(), 'cftunnel-podproxy-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

let server: KubernetesApiServer;
let client: ClusterClient;
let now = Date.now();
const kubeconfig = join(tmp, 'config');

/** The demo's cloudflared pods: prod's steady one and restarting one, homelab's unconnected and crash-looping ones. */
const pods = { steady: '', restarting: '', unconnected: '', crashing: '' };

const scrape = (namespace: string, pod: string, port: number | string = 2000, o = {}): Promise<ScrapeResult> =>
  scrapePod(client, { namespace, pod, port }, o);

function page(r: ScrapeResult): ReturnType<typeof readPodMetrics> {
  assert.equal(r.error, undefined, r.error?.message);
  const e = parseExposition(r.metrics!);
  assert.deepEqual(e.errors, []);
  return readPodMetrics(e);
}

describe('the pod proxy to cloudflared metrics', () => {
  before(async () => {
    server = await startKubernetesApi({ clock: () => now });
    writeFileSync(kubeconfig, server.kubeconfigYaml('local'));
    client = clientFor(loadKubeconfig({ path: kubeconfig, env: {}, home: tmp, allowExec: false }));
    for (const [ns, key] of [
      ['cloudflared', 'prod'],
      ['homelab', 'home'],
    ] as const) {
      for (const p of server.state.list('pods').filter((x) => x.metadata.namespace === ns)) {
        const b = server.state.cloudflaredBehaviour.get(`${ns}/${p.metadata.name}`);
        if (key === 'prod') pods[b?.restartEverySeconds ? 'restarting' : 'steady'] = p.metadata.name;
        else pods[b ? 'unconnected' : 'crashing'] = p.metadata.name;
      }
    }
    assert.ok(Object.values(pods).every(Boolean), JSON.stringify(pods));
  });
  after(() => server.close());
  afterEach(() => {
    server.clearFaults();
    now = Date.now();
  });

  it('reads /metrics as the text format: it parses without errors and has the families the panel reads', async () => {
    const start = server.requests.length;
    const r = await scrape('cloudflared', pods.steady);
    const e = parseExposition(r.metrics!);
    assert.deepEqual(e.errors, []);
    for (const f of [
      'build_info',
      'cloudflared_tunnel_total_requests',
      'cloudflared_tunnel_request_errors',
      'cloudflared_tunnel_response_by_code',
      'cloudflared_tunnel_server_locations',
      'cloudflared_tunnel_ha_connections',
      'cloudflared_orchestration_config_version',
      'cloudflared_proxy_connect_latency',
      'cloudflared_rpc_client_latency_secs',
      'quic_client_smoothed_rtt',
      'process_start_time_seconds',
      'go_gc_duration_seconds',
    ])
      assert.ok(e.families.has(f), f);
    assert.equal(e.families.get('cloudflared_rpc_client_latency_secs')!.type, 'histogram');
    assert.equal(e.families.get('go_gc_duration_seconds')!.type, 'summary');
    const m = readPodMetrics(e);
    assert.deepEqual(m.missing, []);
    assert.equal(m.version, '2026.8.2');
    assert.equal(m.haConnections, 4);
    assert.equal(m.configVersion, 3);
    // The local Cloudflare API's connector prod-1 uses the same edge locations.
    assert.deepEqual(
      m.locations.map((l) => l.location),
      ['fra08', 'ams01', 'fra10', 'ams16'],
    );
    assert.ok(m.totalRequests! > 0 && m.requestErrors! > 0);
    assert.ok([...m.responsesByCode.keys()].some((c) => c.startsWith('5')));
    // Only the two paths, through `name:port` (percent-encoded by client-node).
    const paths = server.requests.slice(start).map((q) => q.path);
    assert.deepEqual(paths.sort(), [
      `/api/v1/namespaces/cloudflared/pods/${pods.steady}%3A2000/proxy/metrics`,
      `/api/v1/namespaces/cloudflared/pods/${pods.steady}%3A2000/proxy/ready`,
    ]);
    assert.ok(server.requests.slice(start).every((q) => q.verb === 'proxy' && q.resource === 'pods'));
  });

  it('answers /ready 200 with the connector id, and 503 with 0 connections as an answer, not an error', async () => {
    const ok = await scrape('cloudflared', pods.steady);
    assert.equal(ok.readyStatus, 200);
    assert.deepEqual(parseReady(ok.ready), {
      status: 200,
      readyConnections: 4,
      connectorId: uuidFrom('connector:prod-1'),
    });
    const down = await scrape('homelab', pods.unconnected);
    assert.equal(down.error, undefined);
    assert.equal(down.readyStatus, 503);
    assert.deepEqual(parseReady(down.ready), {
      status: 503,
      readyConnections: 0,
      connectorId: uuidFrom(`connector:${pods.unconnected}`),
    });
    const m = page(down);
    assert.equal(m.version, '2026.7.0');
    assert.equal(m.haConnections, 0);
    assert.equal(m.totalRequests, 0);
    assert.deepEqual(m.locations, []);
  });

  it('403 when pods/proxy is not granted: says which permission, where, and that it reaches any port', async () => {
    server.setFault({ kind: 'rbac', clusterScope: [], subresources: ['pods/proxy'] });
    const r = await scrape('cloudflared', pods.steady);
    assert.equal(r.error?.kind, 'forbidden');
    assert.equal(r.metrics, undefined);
    assert.equal(r.ready, undefined);
    for (const t of [
      '`get` on `pods/proxy` in namespace "cloudflared"',
      'any port',
      `pods "${pods.steady}:2000" is forbidden: User "demo-user" cannot get resource "pods/proxy" in API group "" in the namespace "cloudflared"`,
    ])
      assert.ok(r.error!.message.includes(t), `${t} not in ${r.error!.message}`);
    // Listing the pods is still allowed: only the subresource is missing.
    const list = await client.core.listNamespacedPod({ namespace: 'cloudflared' });
    assert.equal(list.items.length, 2);
  });

  it('an unknown pod: not-found', async () => {
    const r = await scrape('cloudflared', 'cloudflared-gone-12345');
    assert.equal(r.error?.kind, 'not-found');
    assert.match(r.error!.message, /pods "cloudflared-gone-12345" not found/);
  });

  it('unreachable: a port nothing listens on, metrics bound to localhost inside the pod, a crash-looping container', async () => {
    const other = await scrape('cloudflared', pods.steady, 9999);
    assert.equal(other.error?.kind, 'unreachable');
    assert.match(
      other.error!.message,
      /error trying to reach service: dial tcp [\d.]+:9999: connect: connection refused/,
    );
    assert.match(other.error!.message, /localhost/);

    const crashing = await scrape('homelab', pods.crashing);
    assert.equal(crashing.error?.kind, 'unreachable');

    const local = deployment('edge', 'cloudflared-local', {
      containers: [
        {
          name: 'cloudflared',
          image: 'cloudflare/cloudflared:2026.8.2',
          args: ['tunnel', '--metrics', 'localhost:2000', 'run'],
          ports: [{ containerPort: 2000, name: 'metrics' }],
        },
      ],
    });
    server.state.add('namespaces', { metadata: { name: 'edge' } });
    server.state.add('deployments', local.deployment);
    for (const p of local.pods) server.state.add('pods', p);
    try {
      const r = await scrape('edge', local.pods[0]!.metadata.name);
      assert.equal(r.error?.kind, 'unreachable');
      // The extension knows it from the spec before asking.
      const d = (await listCloudflaredDeployments(client)).deployments.find((x) => x.namespace === 'edge')!;
      assert.deepEqual(metricsAddressOf(d), {
        port: 2000,
        source: 'args',
        loopback: true,
        address: 'localhost:2000',
      });
    } finally {
      for (const p of local.pods) server.state.remove('pods', p.metadata.namespace, p.metadata.name);
      server.state.remove('deployments', 'edge', local.deployment.metadata.name);
      server.state.remove('namespaces', undefined, 'edge');
    }
  });

  it('bounded: a delayed answer times out at the deadline, and the caller can abort', async () => {
    server.setFault({ kind: 'delay', delayMs: 3000, verb: 'proxy' });
    const t0 = Date.now();
    const slow = await scrape('cloudflared', pods.steady, 2000, { timeoutMs: 200 });
    assert.equal(slow.error?.kind, 'timeout');
    assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);

    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const t1 = Date.now();
    const stopped = await scrape('cloudflared', pods.steady, 2000, { signal: ac.signal });
    assert.equal(stopped.error?.kind, 'aborted');
    assert.ok(Date.now() - t1 < 2000);
  });

  it('counters grow between two scrapes of the same pod and reset when the process restarts', async () => {
    now = Date.now();
    const a = page(await scrape('cloudflared', pods.steady));
    now += 30_000;
    const b = page(await scrape('cloudflared', pods.steady));
    assert.ok(b.totalRequests! > a.totalRequests!, `${a.totalRequests} → ${b.totalRequests}`);
    assert.ok(b.requestErrors! >= a.requestErrors!);
    assert.equal(b.processStart, a.processStart);
    const h = new PodHistory(10);
    h.add(now - 30_000, a);
    h.add(now, b);
    const rate = h.rates()[0]!.requestsPerSecond!;
    assert.ok(rate > 12 * 0.3 && rate < 12 * 1.7, `rate ${rate}`);

    // The restarting pod: just before its next restart, then just after.
    const cur = page(await scrape('cloudflared', pods.restarting));
    const next = cur.processStart! + 900;
    now = (next - 5) * 1000;
    const before = page(await scrape('cloudflared', pods.restarting));
    now = (next + 5) * 1000;
    const afterRestart = page(await scrape('cloudflared', pods.restarting));
    assert.equal(afterRestart.processStart, next);
    assert.ok(
      afterRestart.totalRequests! < before.totalRequests!,
      `${before.totalRequests} → ${afterRestart.totalRequests}`,
    );
    const r = new PodHistory(10);
    r.add((next - 5) * 1000, before);
    r.add((next + 5) * 1000, afterRestart);
    assert.deepEqual(r.rates(), []);
  });

  it('an old cloudflared lacks the metrics added after it', async () => {
    const old = deployment('cloudflared', 'old-cloudflared', {
      labels: { app: 'old-cloudflared' },
      containers: [
        {
          name: 'cloudflared',
          image: 'cloudflare/cloudflared:2022.1.0',
          args: ['tunnel', '--metrics', '0.0.0.0:2000', 'run'],
        },
      ],
    });
    for (const p of old.pods) server.state.add('pods', p);
    try {
      const m = page(await scrape('cloudflared', old.pods[0]!.metadata.name));
      assert.equal(m.version, '2022.1.0');
      assert.deepEqual(m.missing.sort(), [
        'cloudflared_orchestration_config_version',
        'cloudflared_tcp_active_sessions',
        'cloudflared_udp_active_sessions',
      ]);
    } finally {
      for (const p of old.pods) server.state.remove('pods', p.metadata.namespace, p.metadata.name);
    }
  });

  it('the ?path= form is ignored by the API server: it redirects to …/proxy/ and the pod answers 404', async () => {
    await assert.rejects(
      client.core.connectGetNamespacedPodProxy({
        name: `${pods.steady}:2000`,
        namespace: 'cloudflared',
        path: 'metrics',
      }),
      (e: { code?: number; body?: unknown }) => e.code === 404 && String(e.body).includes('404 page not found'),
    );
  });

  it('where the metrics are: from the Deployment summaries (args, the config file, nothing set)', async () => {
    const res = await listCloudflaredDeployments(client);
    const prod = res.deployments.find((d) => d.namespace === 'cloudflared')!;
    assert.deepEqual(metricsAddressOf(prod), { port: 2000, source: 'args', loopback: false, address: '0.0.0.0:2000' });
    assert.ok(prod.pods.every((p) => typeof p.uid === 'string' && p.uid.length > 0));
    assert.deepEqual(prod.ports, [{ containerPort: 2000, name: 'metrics', protocol: 'TCP' }]);
    assert.deepEqual(prod.env, [{ name: 'TUNNEL_TOKEN' }]);
    const home = res.deployments.find((d) => d.namespace === 'homelab')!;
    // Without its config file the guess is the image's default port; with it, the configured one.
    assert.equal(metricsAddressOf(home)?.source, 'default-range');
    const cm = await client.core.readNamespacedConfigMap({ name: home.configMap!.name, namespace: 'homelab' });
    const configured = /^metrics:\s*(\S+)/m.exec(cm.data![home.configMap!.key!]!)![1];
    const address = metricsAddressOf(home, configured)!;
    assert.deepEqual(address, { port: 2000, source: 'config', loopback: false, address: '0.0.0.0:2000' });
    assert.equal((await scrape('homelab', pods.unconnected, address.port)).readyStatus, 503);
  });

  it('kubectl get --raw reads the same page through the proxy, and prints the 403', async () => {
    const run = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
      new Promise((resolve, reject) => {
        execFile(
          process.env.KUBECTL ?? 'kubectl',
          ['--kubeconfig', kubeconfig, '--cache-dir', join(tmp, 'cache'), ...args],
          { timeout: 20_000, env: { ...process.env, HOME: tmp, KUBECONFIG: '' } },
          (err, stdout, stderr) => {
            if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') reject(new Error('kubectl is not installed'));
            else resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
          },
        );
      });
    const path = `/api/v1/namespaces/cloudflared/pods/${pods.steady}:2000/proxy/metrics`;
    const r = await run('get', '--raw', path);
    assert.equal(r.code, 0, r.stderr);
    const e = parseExposition(r.stdout);
    assert.deepEqual(e.errors, []);
    assert.ok(e.families.has('cloudflared_tunnel_total_requests'));
    assert.ok(server.requests.some((q) => q.path.endsWith(`${pods.steady}:2000/proxy/metrics`) && q.verb === 'proxy'));

    const ready = await run('get', '--raw', `/api/v1/namespaces/homelab/pods/${pods.unconnected}:2000/proxy/ready`);
    // client-go turns a 503 whose body is not a Status into its generic message, as against a real cluster.
    assert.notEqual(ready.code, 0);
    assert.match(ready.stderr, /Error from server \(ServiceUnavailable\)/);

    server.setFault({ kind: 'rbac', clusterScope: [], subresources: ['pods/proxy'] });
    const denied = await run('get', '--raw', path);
    assert.notEqual(denied.code, 0);
    assert.match(
      denied.stderr,
      /Error from server \(Forbidden\): pods "[^"]+:2000" is forbidden: User "demo-user" cannot get resource "pods\/proxy" in API group "" in the namespace "cloudflared"/,
    );
  });
});
