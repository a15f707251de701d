/**
 * "Apply to Cluster" against the real thing: the preinstalled kubectl (v1.32; a missing kubectl
 * fails these tests, it is never skipped) runs `kubectl diff -k` with the arguments
 * src/core/kubectl/apply.ts builds, through src/node/kubectl.ts, on folders written by our
 * scaffold core, against the local Kubernetes API server (dev/servers/kubernetes) with demo data.
 * Checked: what kubectl prints (the new objects and the changed Deployment, exit 1) and our summary
 * of it; the dry runs it sends (nothing stored); Secret values masked, including the
 * last-applied-configuration annotation kubectl itself leaves readable; the terminal's apply line,
 * exactly as typed into the terminal, run through a real POSIX shell (a folder with spaces and a
 * quote; kubectl reads the server's OpenAPI v3 and leaves validation to it), then diff again → exit
 * 0; an unknown field refused by that validation (and shown as a warning by the diff); kubectl's
 * errors (missing namespace, RBAC, connection refused, kustomize, no diff program) explained; a
 * missing kubectl; cancellation and the time limit.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import {
  applyInvocation,
  diffInvocation,
  interpretDiff,
  objectLines,
  summaryText,
  terminalCommand,
} from '../../src/core/kubectl/apply';
import type { DiffOutcome, KubectlTarget } from '../../src/core/kubectl/apply';
import { scaffoldPlan } from '../../src/core/scaffold/scaffold';
import { writeAll } from '../../src/node/atomicWrite';
import { KubectlCancelled, KubectlMissing, KubectlTimeout, findKubectl, runKubectl } from '../../src/node/kubectl';
import type { KubectlRun } from '../../src/node/kubectl';
import { RESOURCES, demoState, secret, startKubernetesApi } from '../../dev/servers/kubernetes/server';
import type { KubernetesApiServer, ResourceName } from '../../dev/servers/kubernetes/server';
import { unknownFields } from '../../dev/servers/kubernetes/openapi';

const ID = '6ff42ae2-765d-4adf-8112-31c55c1551ef';
const TUNNEL_SECRET = Buffer.from('fake-tunnel-secret-for-apply-tests').toString('base64');
const OLD_TOKEN = 'old-run-token-OLDSECRET';

const tmp = mkdtempSync(join(tmpdir(), 'cftunnel-apply-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** kubectl's environment: its own HOME (discovery cache), no KUBECONFIG from the machine. */
const ENV: NodeJS.ProcessEnv = { ...process.env, HOME: tmp, KUBECONFIG: '' };

let kubectl: string;
let server: KubernetesApiServer;
let kubeconfig: string;

function scaffoldInto(dir: string, options: Parameters<typeof scaffoldPlan>[0]): void {
  const result = writeAll(dir, scaffoldPlan(options).files, false);
  assert.ok(result.ok, `the scaffold was not written: ${JSON.stringify(result)}`);
}

function target(dir: string, over: Partial<KubectlTarget> = {}): KubectlTarget {
  return { dir, context: 'homelab', kubeconfig: [kubeconfig], ...over };
}

/** A terminal line run by `sh -c`, asynchronously (the API server lives in this process). */
function shell(
  line: string,
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', line], { env: { ...ENV, ...env }, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ status: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
    );
  });
}

async function diff(t: KubectlTarget, env = ENV): Promise<{ run: KubectlRun; outcome: DiffOutcome }> {
  const inv = diffInvocation(t);
  const run = await runKubectl(kubectl, inv.args, { env, setEnv: inv.env, unsetEnv: inv.unset, timeoutMs: 60_000 });
  return { run, outcome: interpretDiff(run, t) };
}

describe('Apply to Cluster with the real kubectl', () => {
  // A folder name a shell must quote.
  const local = join(tmp, 'Tunnel Configs', "it's local");
  const edge = join(tmp, 'edge');

  before(async () => {
    kubectl = findKubectl(); // fails (KubectlMissing, with how to install it) when kubectl is not on PATH
    server = await startKubernetesApi({ data: demoState() });
    kubeconfig = join(tmp, 'kubeconfig.yaml');
    writeFileSync(kubeconfig, server.kubeconfigYaml('homelab'));
    // Local mode into the demo's `cloudflared` namespace, which runs an older cloudflared Deployment.
    scaffoldInto(local, {
      mode: 'local',
      tunnelId: ID,
      secret: {
        credentials: { AccountTag: '0123456789abcdef0123456789abcdef', TunnelSecret: TUNNEL_SECRET, TunnelID: ID },
      },
    });
    // Token mode into a namespace the cluster does not have.
    scaffoldInto(edge, { mode: 'token', tunnelId: ID, namespace: 'edge', replicas: 1 });
  });
  after(() => server.close());
  afterEach(() => server.clearFaults());

  it('kubectl diff shows the new objects and the changed Deployment (exit 1), as dry runs only', async () => {
    const before = server.requests.length;
    const rvBefore = server.state.get('deployments', 'cloudflared', 'cloudflared')!.metadata.resourceVersion;
    const { run, outcome } = await diff(target(local));
    assert.equal(run.code, 1, run.stderr);
    // What kubectl prints: diff -u -N of LIVE and MERGED per object.
    assert.match(
      run.stdout,
      /^diff -u -N \S+\/LIVE-\d+\/apps\.v1\.Deployment\.cloudflared\.cloudflared \S+\/MERGED-\d+\/apps\.v1\.Deployment\.cloudflared\.cloudflared$/m,
    );
    assert.match(run.stdout, /^-  generation: 1\n\+  generation: 2$/m);
    assert.match(run.stdout, /^\+ {8}- --config\n\+ {8}- \/etc\/cloudflared\/config\/config\.yaml$/m);
    assert.match(run.stdout, /^\+kind: NetworkPolicy$/m);
    assert.match(run.stdout, /^\+kind: PodDisruptionBudget$/m);
    assert.match(run.stdout, /^\+kind: ConfigMap$/m);
    // The Secret: kubectl masks its data; the credentials never show.
    assert.match(run.stdout, /^\+ {2}credentials\.json: '\*\*\*'$/m);
    assert.ok(
      !run.stdout.includes(TUNNEL_SECRET) && !run.stdout.includes(Buffer.from(TUNNEL_SECRET).toString('base64')),
    );

    assert.equal(outcome.kind, 'changes');
    if (outcome.kind !== 'changes') return;
    assert.equal(summaryText(outcome.summary), '5 objects (1 changed, 4 new)');
    const names = outcome.summary.objects.map(
      (o) => `${o.kind} ${o.namespace}/${o.name.replace(/-[a-z0-9]{10}$/, '-HASH')} ${o.change}`,
    );
    assert.deepEqual(names, [
      'Deployment cloudflared/cloudflared changed',
      'NetworkPolicy cloudflared/cloudflared created',
      'PodDisruptionBudget cloudflared/cloudflared created',
      'ConfigMap cloudflared/cloudflared-config-HASH created',
      'Secret cloudflared/cloudflared-credentials-HASH created',
    ]);
    assert.equal(objectLines(outcome.summary)[1], 'NetworkPolicy cloudflared/cloudflared: new');

    // The requests: GET each object; PATCH the existing one and POST the new ones, all ?dryRun=All.
    const reqs = server.requests.slice(before);
    const writes = reqs.filter((r) => r.method !== 'GET');
    assert.deepEqual(writes.map((r) => `${r.method} ${r.resource}`).sort(), [
      'PATCH deployments',
      'POST configmaps',
      'POST networkpolicies',
      'POST poddisruptionbudgets',
      'POST secrets',
    ]);
    for (const w of writes) assert.equal(w.query.dryRun, 'All', `${w.method} ${w.url}`);
    assert.equal(
      reqs.find((r) => r.method === 'PATCH')!.headers['content-type'],
      'application/strategic-merge-patch+json',
    );
    for (const kind of ['configmaps', 'secrets', 'networkpolicies', 'poddisruptionbudgets', 'deployments'])
      assert.ok(
        reqs.some((r) => r.method === 'GET' && r.resource === kind && r.verb === 'get'),
        `GET ${kind}`,
      );
    // Nothing was stored.
    assert.equal(server.state.get('deployments', 'cloudflared', 'cloudflared')!.metadata.resourceVersion, rvBefore);
    assert.equal(server.state.list('networkpolicies').length, 0);
    assert.equal(server.state.list('secrets').length, 0);
  });

  it('a namespace the cluster lacks: exit 2, said so with the command that creates it', async () => {
    const { run, outcome } = await diff(target(edge));
    assert.equal(run.code, 2);
    assert.match(run.stderr, /namespaces "edge" not found/);
    assert.deepEqual(outcome.kind === 'error' && [outcome.message, outcome.hint], [
      "The namespace 'edge' does not exist in context 'homelab'.",
      'Create it first (kubectl create namespace edge --context homelab) or add a Namespace to the kustomization, then try again.',
    ]);
  });

  it("the terminal's apply line runs in a real shell, as typed; afterwards kubectl diff finds no differences (exit 0)", async () => {
    const inv = applyInvocation(target(local));
    const line = terminalCommand(inv, 'posix');
    assert.ok(line.includes(`'${join(tmp, 'Tunnel Configs')}/it'\\''s local'`), line);
    assert.ok(!line.includes('--validate'), line);
    const before = server.requests.length;
    const sh = await shell(line, inv.env);
    assert.equal(sh.status, 0, `${line}\n${sh.stdout}\n${sh.stderr}`);
    assert.match(sh.stdout, /^deployment\.apps\/cloudflared configured$/m);
    assert.match(sh.stdout, /^networkpolicy\.networking\.k8s\.io\/cloudflared created$/m);
    assert.match(sh.stdout, /^secret\/cloudflared-credentials-[a-z0-9]{10} created$/m);
    assert.equal(server.state.list('secrets', 'cloudflared').length, 1);
    // kubectl said nothing but what it says to any cluster about an object created without apply:
    // no validation or patch-computation warning.
    const stderr = sh.stderr
      .split('\n')
      .filter(
        (l) =>
          l &&
          !/^Warning: resource deployments\/cloudflared is missing the kubectl\.kubernetes\.io\/last-applied-configuration annotation/.test(
            l,
          ),
      );
    assert.deepEqual(stderr, []);
    // kubectl read the OpenAPI v3 documents (now or for an earlier diff: it caches them), left validation to the
    // server (fieldValidation=Strict, no OpenAPI v2 for client-side validation) and wrote for real.
    assert.ok(
      server.requests.some((r) => r.path === '/openapi/v3/apis/apps/v1'),
      'OpenAPI v3 was read',
    );
    const reqs = server.requests.slice(before);
    assert.ok(!reqs.some((r) => r.path.startsWith('/openapi/v2')), 'no client-side validation (OpenAPI v2)');
    const writes = reqs.filter((r) => r.method !== 'GET');
    assert.deepEqual(writes.map((r) => `${r.method} ${r.resource}`).sort(), [
      'PATCH deployments',
      'POST configmaps',
      'POST networkpolicies',
      'POST poddisruptionbudgets',
      'POST secrets',
    ]);
    for (const w of writes) assert.deepEqual([w.query.fieldValidation, w.query.dryRun], ['Strict', undefined], w.url);

    const { run, outcome } = await diff(target(local));
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(run.stdout, '');
    assert.equal(outcome.kind, 'same');
  });

  it('an unknown field: the diff warns, the apply line is refused by the server with its words, nothing is stored', async () => {
    const dir = join(tmp, 'typo');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'kustomization.yaml'), 'namespace: default\nresources:\n  - web.yaml\n');
    // The demo's default/web Deployment (a patch) with a misspelt field, and a new PodDisruptionBudget (a create) with another.
    writeFileSync(
      join(dir, 'web.yaml'),
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: web}',
        'spec:',
        '  replica: 3',
        '  selector: {matchLabels: {app: web}}',
        '  template:',
        '    metadata: {labels: {app: web}}',
        '    spec:',
        '      containers:',
        '        - {name: nginx, image: "nginx:1.27", ports: [{containerPort: 8080}]}',
        '---',
        'apiVersion: policy/v1',
        'kind: PodDisruptionBudget',
        'metadata: {name: web}',
        'spec: {maxUnavailble: 1, selector: {matchLabels: {app: web}}}',
        '',
      ].join('\n'),
    );
    const rv = server.state.get('deployments', 'default', 'web')!.metadata.resourceVersion;

    // kubectl diff sends no fieldValidation: the server's default (Warn) answers with warnings, which the confirmation lists.
    const d = await diff(target(dir));
    assert.equal(d.run.code, 1, d.run.stderr);
    assert.ok(d.outcome.kind === 'changes');
    assert.deepEqual(d.outcome.warnings, ['unknown field "spec.replica"', 'unknown field "spec.maxUnavailble"']);
    assert.doesNotMatch(d.run.stdout, /replica: 3|maxUnavailble/, 'the server drops unknown fields');

    const inv = applyInvocation(target(dir));
    const sh = await shell(terminalCommand(inv, 'posix'), inv.env);
    assert.equal(sh.status, 1, sh.stdout + sh.stderr);
    assert.match(
      sh.stderr,
      /^Error from server \(BadRequest\): error when creating "[^"]+": PodDisruptionBudget in version "v1" cannot be handled as a PodDisruptionBudget: strict decoding error: unknown field "spec\.maxUnavailble"$/m,
    );
    assert.match(sh.stderr, /^Error from server \(Invalid\): error when applying patch:$/m);
    // The patch (only what changes) as Go prints it, its strings quoted with %q.
    assert.match(
      sh.stderr,
      / "" is invalid: patch: Invalid value: "map\[metadata:map\[annotations:map\[kubectl\.kubernetes\.io\/last-applied-configuration:\{\\"apiVersion\\":\\"apps\/v1\\",.*\}\\n\]\] spec:map\[replica:3\]\]": strict decoding error: unknown field "spec\.replica"$/m,
    );
    assert.equal(
      server.state.get('deployments', 'default', 'web')!.metadata.resourceVersion,
      rv,
      'the Deployment is unchanged',
    );
    assert.equal(server.state.list('poddisruptionbudgets', 'default').length, 0, 'no PodDisruptionBudget was created');
  });

  it("the local server's schemas know every field of its demo objects", () => {
    const state = demoState();
    for (const resource of Object.keys(RESOURCES) as ResourceName[]) {
      for (const obj of state.list(resource))
        assert.deepEqual(
          unknownFields(resource, obj),
          [],
          `${resource} ${obj.metadata.namespace ?? ''}/${obj.metadata.name}`,
        );
    }
  });

  it('a Secret applied before: kubectl shows its last-applied-configuration as context; the diff we show masks it', async () => {
    const lastApplied =
      JSON.stringify({
        apiVersion: 'v1',
        data: { TUNNEL_TOKEN: Buffer.from(OLD_TOKEN).toString('base64') },
        kind: 'Secret',
        metadata: { annotations: {}, name: 'cloudflared-token', namespace: 'cloudflared' },
        type: 'Opaque',
      }) + '\n';
    server.state.add(
      'secrets',
      secret(
        'cloudflared',
        'cloudflared-token',
        { TUNNEL_TOKEN: OLD_TOKEN },
        { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } },
      ),
    );
    const dir = join(tmp, 'secret');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      [
        'namespace: cloudflared',
        'generatorOptions:',
        '  disableNameSuffixHash: true',
        '  labels:',
        '    team: edge',
        'secretGenerator:',
        '  - name: cloudflared-token',
        '    literals:',
        '      - TUNNEL_TOKEN=new-run-token-NEWSECRET',
        '',
      ].join('\n'),
    );
    const { run, outcome } = await diff(target(dir));
    assert.equal(run.code, 1, run.stderr);
    const oldB64 = Buffer.from(OLD_TOKEN).toString('base64');
    assert.ok(
      run.stdout.includes(oldB64),
      'kubectl v1.32 prints the old token inside the annotation (why redactDiff exists)',
    );
    assert.match(run.stdout, /TUNNEL_TOKEN: '\*\*\* \(before\)'/);
    assert.equal(outcome.kind, 'changes');
    if (outcome.kind !== 'changes') return;
    for (const leak of [oldB64, OLD_TOKEN, 'NEWSECRET', Buffer.from('new-run-token-NEWSECRET').toString('base64')])
      assert.ok(!outcome.text.includes(leak), leak);
    assert.match(outcome.text, /TUNNEL_TOKEN: '\*\*\* \(after\)'/);
    assert.equal(summaryText(outcome.summary), '1 object (1 changed)');
  });

  it('RBAC: Forbidden with what is missing', async () => {
    server.setFault({ kind: 'rbac', clusterScope: [], namespaces: ['default'] });
    const { run, outcome } = await diff(target(local));
    assert.equal(run.code, 2);
    assert.equal(outcome.kind, 'error');
    if (outcome.kind !== 'error') return;
    assert.match(
      outcome.message,
      /^User "demo-user" of context 'homelab' may not get \w+ in namespace cloudflared \(Forbidden\)\.$/,
    );
    assert.match(outcome.hint, /RBAC/);
  });

  it('connection refused', async () => {
    const closed = await startKubernetesApi({ data: demoState() });
    const kc = join(tmp, 'refused.yaml');
    writeFileSync(kc, closed.kubeconfigYaml('homelab'));
    const port = closed.port;
    await closed.close();
    const { run, outcome } = await diff(target(local, { kubeconfig: [kc] }));
    assert.equal(run.code, 2);
    assert.deepEqual(
      outcome.kind === 'error' && outcome.message,
      `The cluster of context 'homelab' refused the connection (127.0.0.1:${port}).`,
    );
  });

  it('kustomize errors and an unknown context', async () => {
    const broken = join(tmp, 'broken');
    mkdirSync(broken, { recursive: true });
    writeFileSync(join(broken, 'kustomization.yaml'), 'resources:\n- missing.yaml\n');
    const k = await diff(target(broken));
    assert.equal(k.run.code, 2);
    assert.match(
      k.outcome.kind === 'error' ? k.outcome.message : '',
      new RegExp(`^kustomize could not build ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: accumulating resources`),
    );
    const c = await diff(target(local, { context: 'nope' }));
    assert.equal(c.run.code, 2);
    assert.equal(
      c.outcome.kind === 'error' && c.outcome.message,
      "The context 'nope' is not in the kubeconfig kubectl reads.",
    );
  });

  it('no diff program on PATH: said so, with where to get one', async () => {
    const bin = join(tmp, 'bin-without-diff');
    mkdirSync(bin, { recursive: true });
    symlinkSync(kubectl, join(bin, 'kubectl'));
    const { run, outcome } = await diff(target(local), { ...ENV, PATH: bin });
    assert.equal(run.code, 2);
    assert.equal(
      outcome.kind === 'error' && outcome.message,
      'kubectl diff could not run "diff": executable file not found in $PATH.',
    );
  });

  it('cancelled through the AbortSignal, or stopped at the time limit', async () => {
    server.setFault({ kind: 'delay', delayMs: 10_000 });
    const inv = diffInvocation(target(local));
    const abort = new AbortController();
    const started = Date.now();
    const cancelled = runKubectl(kubectl, inv.args, {
      env: ENV,
      setEnv: inv.env,
      unsetEnv: inv.unset,
      signal: abort.signal,
      what: 'kubectl diff',
    });
    setTimeout(() => abort.abort(), 300);
    await assert.rejects(cancelled, KubectlCancelled);
    await assert.rejects(
      runKubectl(kubectl, inv.args, {
        env: ENV,
        setEnv: inv.env,
        unsetEnv: inv.unset,
        timeoutMs: 500,
        what: 'kubectl diff',
      }),
      (e: unknown) => e instanceof KubectlTimeout && /kubectl diff did not finish within 1 s/.test(e.message),
    );
    assert.ok(Date.now() - started < 8000, 'kubectl was stopped, not waited for');
  });
});

describe('a missing kubectl', () => {
  it('an explicit path that does not exist: KubectlMissing, saying how to install it', () => {
    const path = join(tmp, 'no', 'kubectl');
    assert.throws(
      () => findKubectl({ path }),
      (e: unknown) =>
        e instanceof KubectlMissing &&
        e.looked === path &&
        e.message.includes('https://kubernetes.io/docs/tasks/tools/'),
    );
  });

  it('not on PATH: KubectlMissing', () => {
    const empty = join(tmp, 'empty-bin');
    mkdirSync(empty, { recursive: true });
    assert.throws(
      () => findKubectl({ env: { PATH: empty } }),
      (e: unknown) =>
        e instanceof KubectlMissing &&
        /not on PATH/.test(e.message) &&
        /kubernetes\.io\/docs\/tasks\/tools/.test(e.message),
    );
    assert.equal(findKubectl({ env: { PATH: `${empty}:${dirname(findKubectl())}` } }), findKubectl());
  });

  it('running a kubectl path that does not exist rejects with KubectlMissing', async () => {
    await assert.rejects(runKubectl(join(tmp, 'gone', 'kubectl'), ['version', '--client']), KubectlMissing);
  });
});
