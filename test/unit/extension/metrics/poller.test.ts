// The metrics poller's logic (src/extension/metrics/pollerModel.ts): which Deployments a watch
// reads, one poll over a fake pod proxy, the problems it names, dropping gone pods, aborting.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PollerCore,
  deploymentsToRead,
  historyPoints,
  podMatches,
  requestTimeoutMs,
  configFileOf,
  configMetricsOf,
} from '../../../../src/extension/metrics/pollerModel';
import type { PodState, PollDeployment, Scrape, WatchTarget } from '../../../../src/extension/metrics/pollerModel';
import type { ScrapeResult } from '../../../../src/kubernetes/cluster';
import { metricsPage } from './fixtures';

const TUNNEL = '5f2b7c1e-0000-4000-8000-000000000001';
const deployment = (over: Partial<PollDeployment> = {}): PollDeployment => ({
  namespace: 'cloudflared',
  name: 'cloudflared',
  address: { port: 2000, source: 'args', loopback: false, address: '0.0.0.0:2000' },
  pods: [
    { name: 'cloudflared-a', uid: 'uid-a' },
    { name: 'cloudflared-b', uid: 'uid-b' },
  ],
  ...over,
});

/** A pod proxy answering from a table (pod → result), counting calls. */
function fakeScrape(answers: Record<string, ScrapeResult | (() => ScrapeResult)>): Scrape & { calls: string[] } {
  const calls: string[] = [];
  const fn = (async (
    target: { pod: string; port: number | string },
    opts: { signal: AbortSignal; timeoutMs: number },
  ) => {
    calls.push(`${target.pod}:${target.port}`);
    assert.ok(opts.timeoutMs > 0 && opts.timeoutMs <= 8000);
    const a = answers[target.pod];
    if (!a) return { error: { kind: 'not-found', message: `pod ${target.pod} not found` } };
    return typeof a === 'function' ? a() : a;
  }) as unknown as Scrape & { calls: string[] };
  fn.calls = calls;
  return fn;
}

const ok = (requests: number, connectorId = 'c-a'): ScrapeResult => ({
  metrics: metricsPage({ requests }),
  ready: { status: 200, readyConnections: 4, connectorId },
  readyStatus: 200,
});

describe('deploymentsToRead and podMatches', () => {
  const ds = [
    { namespace: 'a', name: 'x', tunnelId: TUNNEL },
    { namespace: 'b', name: 'y' },
    { namespace: 'c', name: 'z', tunnelId: 'other' },
  ];
  test('all, one Deployment, a tunnel (those that run it and those whose tunnel is unknown)', () => {
    assert.equal(deploymentsToRead([{ kind: 'all' }], ds).length, 3);
    assert.deepEqual(deploymentsToRead([{ kind: 'deployment', namespace: 'b', name: 'y' }], ds), [ds[1]]);
    assert.deepEqual(
      deploymentsToRead([{ kind: 'tunnel', tunnelId: TUNNEL.toUpperCase() }], ds).map((d) => d.name),
      ['x', 'y'],
    );
    assert.deepEqual(deploymentsToRead([], ds), []);
  });

  test('a pod belongs to a tunnel by its Deployment, else by its connector id', () => {
    const pod = (o: Partial<PodState>): PodState =>
      ({ deployment: { namespace: 'b', name: 'y' }, pod: 'p', history: undefined, ...o }) as unknown as PodState;
    const t: WatchTarget = { kind: 'tunnel', tunnelId: TUNNEL, connectorIds: ['C-1'] };
    assert.ok(podMatches(t, pod({ tunnelId: TUNNEL })));
    assert.ok(!podMatches(t, pod({ tunnelId: 'other' })));
    assert.ok(podMatches(t, pod({ connectorId: 'c-1' })));
    assert.ok(!podMatches(t, pod({ connectorId: 'c-2' })));
    assert.ok(podMatches({ kind: 'deployment', namespace: 'b', name: 'y' }, pod({})));
    assert.ok(!podMatches({ kind: 'deployment', namespace: 'b', name: 'z' }, pod({})));
  });

  test('an hour of history at the interval; requests bounded below it', () => {
    assert.equal(historyPoints(10), 361);
    assert.equal(historyPoints(5), 721);
    assert.equal(requestTimeoutMs(5), 4000);
    assert.equal(requestTimeoutMs(10), 8000);
    assert.equal(requestTimeoutMs(60), 8000);
  });
});

describe('PollerCore.poll', () => {
  test('reads every pod; rates from the second poll; readiness and connector ids kept', async () => {
    let requests = 0;
    const scrape = fakeScrape({
      'cloudflared-a': () => ok((requests += 100), 'C-A'),
      'cloudflared-b': {
        ...ok(0, 'c-b'),
        ready: { status: 503, readyConnections: 0, connectorId: 'c-b' },
        readyStatus: 503,
      },
    });
    let t = 1_000_000;
    const core = new PollerCore({ scrape, pollSeconds: 10, now: () => t });
    const d = deployment();
    await core.poll([d], [d]);
    t += 10_000;
    await core.poll([d], [d]);
    assert.deepEqual(scrape.calls, [
      'cloudflared-a:2000',
      'cloudflared-b:2000',
      'cloudflared-a:2000',
      'cloudflared-b:2000',
    ]);
    const [a, b] = core.pods();
    assert.equal(a!.pod, 'cloudflared-a');
    assert.equal(a!.connectorId, 'c-a');
    assert.equal(a!.history.size, 2);
    assert.equal(a!.history.maxPoints, 361);
    assert.deepEqual(
      a!.history.rates().map((p) => p.requestsPerSecond),
      [10],
    );
    assert.equal(a!.error, undefined);
    assert.equal(b!.ready!.status, 503);
    assert.equal(b!.latest!.totalRequests, 0);
  });

  test('forbidden: the message names pods/proxy and the Role to create; nothing is added to the history', async () => {
    const forbidden: ScrapeResult = { error: { kind: 'forbidden', message: '403' } };
    const core = new PollerCore({
      scrape: fakeScrape({ 'cloudflared-a': forbidden, 'cloudflared-b': forbidden }),
      pollSeconds: 10,
    });
    await core.poll([deployment()]);
    for (const p of core.pods()) {
      assert.equal(p.error!.kind, 'forbidden');
      assert.match(p.error!.message, /"get" on pods\/proxy in namespace cloudflared/);
      assert.equal(p.history.size, 0);
    }
  });

  test('a loopback address or a port it cannot use: nothing is requested, the reason is kept', async () => {
    const scrape = fakeScrape({});
    const core = new PollerCore({ scrape, pollSeconds: 10 });
    await core.poll([
      deployment({ name: 'lo', address: { port: 2000, source: 'args', loopback: true, address: 'localhost:2000' } }),
      deployment({
        name: 'named',
        pods: [{ name: 'n', uid: 'n' }],
        address: { port: 'metrics', source: 'probe', loopback: false },
      }),
      deployment({ name: 'none', pods: [{ name: 'z', uid: 'z' }], address: undefined }),
    ]);
    assert.deepEqual(scrape.calls, []);
    const byDeployment = new Map(core.pods().map((p) => [p.deployment.name, p.error!]));
    assert.equal(byDeployment.get('lo')!.kind, 'loopback');
    assert.match(byDeployment.get('lo')!.message, /pod proxy cannot reach: set --metrics 0\.0\.0\.0:2000/);
    assert.equal(byDeployment.get('named')!.kind, 'no-port');
    assert.equal(byDeployment.get('none')!.kind, 'no-port');
  });

  test('nothing at the guessed default port: "no metrics address", not "unreachable"', async () => {
    const core = new PollerCore({
      scrape: fakeScrape({ p: { error: { kind: 'unreachable', message: 'connection refused' } } }),
      pollSeconds: 10,
    });
    await core.poll([
      deployment({ pods: [{ name: 'p' }], address: { port: 20241, source: 'default-range', loopback: false } }),
    ]);
    assert.equal(core.pods()[0]!.error!.kind, 'no-port');
    assert.match(core.pods()[0]!.error!.message, /sets no metrics address/);
  });

  test('an answer that is not cloudflared’s metrics', async () => {
    const core = new PollerCore({ scrape: fakeScrape({ p: { metrics: 'up 1\n' } }), pollSeconds: 10 });
    await core.poll([deployment({ pods: [{ name: 'p' }] })]);
    assert.equal(core.pods()[0]!.error!.kind, 'not-cloudflared');
  });

  test('a pod the listing no longer has is dropped with its history; a pod that is gone (404) too', async () => {
    const core = new PollerCore({
      scrape: fakeScrape({ 'cloudflared-a': ok(1), 'cloudflared-b': ok(1) }),
      pollSeconds: 10,
    });
    const d = deployment();
    await core.poll([d], [d]);
    assert.equal(core.pods().length, 2);
    const replaced = deployment({
      pods: [
        { name: 'cloudflared-a', uid: 'uid-a' },
        { name: 'cloudflared-c', uid: 'uid-c' },
      ],
    });
    await core.poll([replaced], [replaced]);
    assert.deepEqual(
      core.pods().map((p) => p.pod),
      ['cloudflared-a'],
    );
  });

  test('abort(): requests in flight are abandoned and add nothing', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const seen: AbortSignal[] = [];
    const core = new PollerCore({
      scrape: async (_t, opts) => {
        seen.push(opts.signal);
        await gate;
        return ok(5);
      },
      pollSeconds: 10,
    });
    const polling = core.poll([deployment()]);
    await new Promise((r) => setImmediate(r));
    core.abort();
    assert.ok(seen.length > 0 && seen.every((s) => s.aborted));
    release();
    await polling;
    for (const p of core.pods()) assert.equal(p.history.size, 0);
  });

  test('a tunnel known by its connectors: the pod gets its tunnel id', async () => {
    const core = new PollerCore({ scrape: fakeScrape({ p: ok(1, 'conn-1') }), pollSeconds: 10 });
    core.connectorTunnels.set('conn-1', TUNNEL);
    await core.poll([deployment({ pods: [{ name: 'p' }] })]);
    assert.equal(core.pods()[0]!.tunnelId, TUNNEL);
  });
});

describe('the config file’s metrics key', () => {
  test('read from the mounted ConfigMap key (or the file name), parsed as YAML', () => {
    assert.equal(configMetricsOf('tunnel: x\nmetrics: 0.0.0.0:2000\ningress: []\n'), '0.0.0.0:2000');
    assert.equal(configMetricsOf('metrics: "127.0.0.1:9000"'), '127.0.0.1:9000');
    assert.equal(configMetricsOf('tunnel: x\n'), undefined);
    assert.equal(configMetricsOf(': : :'), undefined);
    const d = { configMap: { name: 'cfg' }, configPath: '/etc/cloudflared/config/config.yaml' } as never;
    assert.deepEqual(configFileOf(d), { name: 'cfg', key: 'config.yaml' });
  });
});
