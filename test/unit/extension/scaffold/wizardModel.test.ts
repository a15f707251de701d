/** The vscode-free part of the scaffold wizard: step runner (Back/cancel), validation, origin URLs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  conflictMessage,
  originForService,
  originPorts,
  parseReplicas,
  runSteps,
  validateNamespace,
  validateOriginUrl,
  validateReplicas,
  validateTunnelId,
} from '../../../../src/extension/scaffold/wizardModel';
import type { StepResult } from '../../../../src/extension/scaffold/wizardModel';

const scripted = (answers: StepResult[], log: number[]) => {
  let n = 0;
  const step = (i: number) => async (): Promise<StepResult> => {
    log.push(i);
    return answers[n++] ?? 'next';
  };
  return [step(0), step(1), step(2)];
};

test('runSteps: all next completes; back re-runs the previous step', async () => {
  const log: number[] = [];
  assert.equal(await runSteps({}, scripted(['next', 'back', 'next', 'next', 'next'], log)), true);
  assert.deepEqual(log, [0, 1, 0, 1, 2]);
});

test('runSteps: cancel anywhere stops; back on the first step cancels', async () => {
  const log: number[] = [];
  assert.equal(await runSteps({}, scripted(['next', 'cancel'], log)), false);
  assert.deepEqual(log, [0, 1]);
  const log2: number[] = [];
  assert.equal(await runSteps({}, scripted(['back'], log2)), false);
  assert.deepEqual(log2, [0]);
});

test('runSteps passes the shared state', async () => {
  const state = { n: 0 };
  const inc = async (s: { n: number }): Promise<StepResult> => {
    s.n++;
    return 'next';
  };
  assert.equal(await runSteps(state, [inc, inc]), true);
  assert.equal(state.n, 2);
});

test('validation', () => {
  assert.equal(validateTunnelId('c1744f8b-faa1-48a4-9e5c-02ac921467fa'), undefined);
  assert.ok(validateTunnelId('my-tunnel'));
  assert.equal(validateNamespace('cloudflared'), undefined);
  assert.equal(validateNamespace(''), undefined, 'empty: the default');
  assert.ok(validateNamespace('Bad_NS'));
  assert.equal(parseReplicas(''), 2);
  assert.equal(parseReplicas('3'), 3);
  assert.equal(parseReplicas('0'), undefined);
  assert.equal(parseReplicas('1.5'), undefined);
  assert.equal(parseReplicas('101'), undefined);
  assert.ok(validateReplicas('x'));
  assert.equal(validateOriginUrl('http://web.apps.svc.cluster.local:8080'), undefined);
  assert.ok(validateOriginUrl('web:8080'));
  assert.ok(validateOriginUrl('not a url'));
});

test('originForService: cluster DNS name, https for 443 or https ports', () => {
  assert.equal(
    originForService({ name: 'web', namespace: 'apps' }, { port: 8080 }),
    'http://web.apps.svc.cluster.local:8080',
  );
  assert.equal(
    originForService({ name: 'web', namespace: 'apps' }, { port: 443 }),
    'https://web.apps.svc.cluster.local:443',
  );
  assert.equal(
    originForService({ name: 'web', namespace: 'apps' }, { port: 8443, name: 'https' }),
    'https://web.apps.svc.cluster.local:8443',
  );
  assert.deepEqual(
    originPorts([{ port: 53, protocol: 'UDP' }, { port: 80, protocol: 'TCP' }, { port: 81 }]).map((p) => p.port),
    [80, 81],
  );
});

test('conflictMessage lists the files that would change', () => {
  const m = conflictMessage('k8s/cloudflared', ['deployment.yaml', 'networkpolicy.yaml']);
  assert.match(m.message, /2 files in k8s\/cloudflared would change/);
  assert.match(m.detail, /• deployment.yaml\n• networkpolicy.yaml/);
  assert.match(conflictMessage('x', ['a']).message, /^A file/);
});
