/**
 * The wizard's check for a Deployment that already runs where the folder would write its own: a
 * Deployment's `spec.selector` is immutable, so applying the folder over one with another selector
 * is refused (422 "field is immutable"). The pure part: the conflict, the choices, the labels.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { scaffold } from '../../../../src/core/scaffold/scaffold';
import {
  deploymentCheckNote,
  deploymentConflict,
  existingDeployment,
  plannedSelector,
  suggestDeploymentName,
  validateDeploymentName,
} from '../../../../src/extension/scaffold/wizardModel';
import { KubernetesError } from '../../../../src/kubernetes/errors';

const ID = '6ff42ae2-765d-4adf-8112-31c55c1551ef';
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The demo cluster's cloudflared (dev/servers/kubernetes: namespace cloudflared, labels app=cloudflared). */
const DEMO = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'cloudflared', namespace: 'cloudflared', labels: { app: 'cloudflared' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'cloudflared' } },
    template: { metadata: { labels: { app: 'cloudflared', tier: 'edge' } }, spec: { containers: [] } },
  },
};

test('existingDeployment reads the selector and the template labels', () => {
  assert.deepEqual(existingDeployment(DEMO), {
    namespace: 'cloudflared',
    name: 'cloudflared',
    matchLabels: { app: 'cloudflared' },
    matchExpressions: [],
    templateLabels: { app: 'cloudflared', tier: 'edge' },
  });
  const withExpr = {
    ...DEMO,
    spec: {
      ...DEMO.spec,
      selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['cloudflared', 'tunnel'] }] },
    },
  };
  assert.deepEqual(existingDeployment(withExpr)!.matchExpressions, ['app In (cloudflared,tunnel)']);
  assert.equal(existingDeployment(null), undefined);
  assert.equal(existingDeployment({ kind: 'Deployment' }), undefined);
});

test('plannedSelector: the default labels, labels of its own under another name, or the selector given', () => {
  assert.deepEqual(plannedSelector({}), { 'app.kubernetes.io/name': 'cloudflared' });
  assert.deepEqual(plannedSelector({ name: 'cloudflared-2' }), {
    'app.kubernetes.io/name': 'cloudflared',
    'app.kubernetes.io/instance': 'cloudflared-2',
  });
  assert.deepEqual(plannedSelector({ selector: { app: 'x' }, podLabels: { app: 'x', b: 'c' } }), { app: 'x' });
  assert.deepEqual(plannedSelector({ podLabels: { app: 'y' } }), { app: 'y' });
  // What the scaffold writes is what plannedSelector says.
  for (const o of [{}, { name: 'cloudflared-2' }, { selector: { app: 'x' } }]) {
    const d = parseDocument(
      scaffold({ mode: 'token', tunnelId: ID, ...o }).find((f) => f.path === 'deployment.yaml')!.content,
    ).toJS() as Obj;
    assert.deepEqual(d.spec.selector.matchLabels, plannedSelector(o));
  }
});

test("the demo's cloudflared conflicts with the defaults: another name or the existing labels, and the message says why", () => {
  const c = deploymentConflict(existingDeployment(DEMO)!, plannedSelector({}), 'cloudflared-2');
  assert.ok(c);
  assert.match(c.message, /Deployment cloudflared already exists in namespace cloudflared with another selector/);
  assert.match(c.detail, /selector app=cloudflared; the folder's would be app\.kubernetes\.io\/name=cloudflared/);
  assert.match(c.detail, /422 "field is immutable"/);
  assert.deepEqual(c.choices, [
    { kind: 'rename', label: 'Use another name (cloudflared-2)', name: 'cloudflared-2' },
    {
      kind: 'keep',
      label: 'Keep the existing labels',
      selector: { app: 'cloudflared' },
      podLabels: { app: 'cloudflared', tier: 'edge' },
    },
  ]);
  // "Keep": the scaffold then writes the existing selector and template labels (apply is an update).
  const keep = c.choices[1]!;
  assert.equal(keep.kind, 'keep');
  if (keep.kind !== 'keep') return;
  const d = parseDocument(
    scaffold({ mode: 'token', tunnelId: ID, selector: keep.selector, podLabels: keep.podLabels }).find(
      (f) => f.path === 'deployment.yaml',
    )!.content,
  ).toJS() as Obj;
  assert.deepEqual(d.spec.selector, DEMO.spec.selector);
  assert.deepEqual(d.spec.template.metadata.labels, DEMO.spec.template.metadata.labels);
  // Kept, the check finds nothing more to ask.
  assert.equal(
    deploymentConflict(
      existingDeployment(DEMO)!,
      plannedSelector({ selector: keep.selector, podLabels: keep.podLabels }),
      'x',
    ),
    undefined,
  );
});

test("refused or taken over: kubectl apply's merge keeps labels it did not apply, and drops those of its last apply", () => {
  const planned = plannedSelector({});
  // The scaffold adds a label: the selector would change → refused.
  assert.equal(deploymentConflict(existingDeployment(DEMO)!, planned, 'x')!.refused, true);
  // The existing selector already holds the scaffold's label (and one more, not applied by kubectl): merged, unchanged.
  const both = {
    ...DEMO,
    spec: { ...DEMO.spec, selector: { matchLabels: { app: 'cloudflared', 'app.kubernetes.io/name': 'cloudflared' } } },
  };
  const taken = deploymentConflict(existingDeployment(both)!, planned, 'x')!;
  assert.equal(taken.refused, false);
  assert.match(taken.detail, /take that Deployment over/);
  // The same, applied by kubectl with `app`: the next apply drops `app` → refused.
  const applied = {
    ...both,
    metadata: {
      ...both.metadata,
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
          spec: { selector: { matchLabels: { app: 'cloudflared', 'app.kubernetes.io/name': 'cloudflared' } } },
        }),
      },
    },
  };
  assert.deepEqual(existingDeployment(applied)!.lastAppliedMatchLabels, {
    app: 'cloudflared',
    'app.kubernetes.io/name': 'cloudflared',
  });
  assert.equal(deploymentConflict(existingDeployment(applied)!, planned, 'x')!.refused, true);
});

test('no question when the existing Deployment has the same selector (applying is an update)', () => {
  const same = {
    ...DEMO,
    spec: { ...DEMO.spec, selector: { matchLabels: { 'app.kubernetes.io/name': 'cloudflared' } } },
  };
  assert.equal(deploymentConflict(existingDeployment(same)!, plannedSelector({}), 'cloudflared-2'), undefined);
  // A selector that only adds a label is another selector too.
  const more = {
    ...DEMO,
    spec: { ...DEMO.spec, selector: { matchLabels: { 'app.kubernetes.io/name': 'cloudflared', extra: 'x' } } },
  };
  assert.ok(deploymentConflict(existingDeployment(more)!, plannedSelector({}), 'cloudflared-2'));
});

test('matchExpressions cannot be kept: only another name is offered, and the detail says why', () => {
  const withExpr = {
    ...DEMO,
    spec: {
      ...DEMO.spec,
      selector: { matchLabels: { app: 'cloudflared' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
    },
  };
  const c = deploymentConflict(existingDeployment(withExpr)!, { app: 'cloudflared' }, 'cloudflared-2');
  assert.ok(c, 'same matchLabels plus expressions is another selector');
  assert.deepEqual(
    c.choices.map((x) => x.kind),
    ['rename'],
  );
  assert.match(c.detail, /matchExpressions/);
  assert.match(c.detail, /app=cloudflared, tier Exists/);
});

test('suggestDeploymentName: from the tunnel name, else cloudflared-2, -3, … never a taken one', () => {
  assert.equal(suggestDeploymentName(['cloudflared']), 'cloudflared-2');
  assert.equal(suggestDeploymentName(['cloudflared', 'cloudflared-2', 'cloudflared-3']), 'cloudflared-4');
  assert.equal(suggestDeploymentName(['cloudflared'], 'prod-k8s'), 'cloudflared-prod-k8s');
  assert.equal(suggestDeploymentName(['cloudflared'], 'Home Lab!'), 'cloudflared-home-lab');
  assert.equal(suggestDeploymentName(['cloudflared'], 'cloudflared-edge'), 'cloudflared-edge');
  assert.equal(suggestDeploymentName(['cloudflared', 'cloudflared-prod-k8s'], 'prod-k8s'), 'cloudflared-2');
  assert.equal(suggestDeploymentName(['cloudflared'], '!!!'), 'cloudflared-2');
  assert.ok(suggestDeploymentName([], 'x'.repeat(100)).length <= 63);
});

test('validateDeploymentName refuses invalid and taken names', () => {
  assert.equal(validateDeploymentName('cloudflared-2', ['cloudflared']), undefined);
  assert.match(validateDeploymentName('cloudflared', ['cloudflared'])!, /exists/);
  assert.match(validateDeploymentName('Cloud_flared', [])!, /lower-case/);
});

test('a lookup that is forbidden says in the summary that it could not check', () => {
  const err = new KubernetesError(
    'forbidden',
    'Not allowed to read Deployment cloudflared/cloudflared: deployments.apps "cloudflared" is forbidden',
    { status: 403 },
  );
  const note = deploymentCheckNote('cloudflared', 'cloudflared', err);
  assert.match(
    note,
    /^Could not check whether Deployment cloudflared\/cloudflared already exists \(not allowed to read Deployments there\)/,
  );
  assert.match(note, /is forbidden/);
});
