/**
 * A cluster that never answers (issue #16): the calls behind "Add NetworkPolicy" and "Mark Service
 * as Public" (listServiceObjects, listPodObjects, labelService) fail at their deadline with a
 * message that says so, stop when their signal aborts, and close the request they gave up on.
 * Each test has a generous timeout so that a call that hangs fails instead of stalling the suite.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import {
  KubernetesError,
  clientFor,
  labelService,
  listPodObjects,
  listServiceObjects,
  loadKubeconfig,
} from '../../../src/kubernetes/cluster';
import type { ClusterClient } from '../../../src/kubernetes/cluster';
import { startKubernetesApi } from '../../../dev/servers/kubernetes/server';
import type { KubernetesApiServer } from '../../../dev/servers/kubernetes/server';

const tmp = mkdtempSync(join(tmpdir(), 'cftunnel-k8s-silent-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function clientOf(server: KubernetesApiServer): ClusterClient {
  const file = join(tmp, 'config');
  writeFileSync(file, server.kubeconfigYaml('local'));
  return clientFor(loadKubeconfig({ path: file, env: {}, home: tmp, allowExec: false }));
}

async function failsWithin(ms: number, promise: Promise<unknown>, kind: string, ...texts: string[]): Promise<void> {
  const start = Date.now();
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  const took = Date.now() - start;
  assert.ok(caught instanceof KubernetesError, `expected a KubernetesError, got ${String(caught)}`);
  assert.equal(caught.kind, kind, caught.message);
  for (const t of texts) assert.ok(caught.message.includes(t), `message lacks ${JSON.stringify(t)}: ${caught.message}`);
  assert.ok(took < ms, `took ${took} ms`);
}

async function settled(server: KubernetesApiServer): Promise<number> {
  for (let i = 0; i < 100 && server.silentCount() > 0; i++) await new Promise((r) => setTimeout(r, 20));
  return server.silentCount();
}

const GUARD = { timeout: 30_000 };

describe('a cluster that never answers', () => {
  let server: KubernetesApiServer;
  before(async () => {
    server = await startKubernetesApi();
  });
  after(() => server.close());
  afterEach(() => server.clearFaults());

  const calls: Array<
    [string, (client: ClusterClient, opts: { timeoutMs?: number; signal?: AbortSignal }) => Promise<unknown>]
  > = [
    ['listServiceObjects', (c, o) => listServiceObjects(c, o)],
    ['listPodObjects', (c, o) => listPodObjects(c, o)],
    ['labelService', (c, o) => labelService(c, 'default', 'web', { a: 'b' }, o)],
  ];
  const actions: Record<string, string> = {
    listServiceObjects: 'list Services in all namespaces',
    listPodObjects: 'list pods in all namespaces',
    labelService: 'label Service default/web',
  };

  for (const [name, call] of calls) {
    it(`${name}: fails at its deadline, saying so, and closes the request`, GUARD, async () => {
      server.setFault({ kind: 'silent' });
      await failsWithin(
        3000,
        call(clientOf(server), { timeoutMs: 300 }),
        'timeout',
        'did not answer within',
        actions[name]!,
      );
      assert.equal(await settled(server), 0, 'the request it gave up on is still open');
    });

    it(`${name}: stops when its signal aborts, and closes the request`, GUARD, async () => {
      server.setFault({ kind: 'silent' });
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 200);
      await failsWithin(3000, call(clientOf(server), { signal: ac.signal }), 'aborted', 'Stopped');
      assert.equal(await settled(server), 0, 'the request it gave up on is still open');
    });
  }
});
