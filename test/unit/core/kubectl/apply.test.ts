/**
 * "Apply to Cluster" core (src/core/kubectl/apply.ts): kubectl argument lists, quoting for the
 * terminal, kubectl diff's exit status, its output summarized and its Secrets kept masked, and
 * kubectl's errors explained. Diff and error samples are real kubectl v1.32 output (against
 * dev/servers/kubernetes; test/integration/apply.test.ts runs kubectl itself).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HOSTILE_NAMES } from '../../../support/hostileNames';
import {
  applyPlan,
  QuoteError,
  applyInvocation,
  commandLine,
  confirmMessage,
  diffInvocation,
  explainKubectlError,
  interpretDiff,
  mainError,
  objectLines,
  parseObjectFileName,
  quoteArg,
  redactDiff,
  shellOf,
  summarizeDiff,
  summaryText,
  terminalCommand,
} from '../../../../src/core/kubectl/apply';

const lines = (...l: string[]): string => l.join('\n') + '\n';

/** kubectl diff -k of a scaffolded folder: the Deployment changes (two of its hunks kept), the rest is new. */
const SCAFFOLD_DIFF = lines(
  'diff -u -N /tmp/LIVE-1090386306/apps.v1.Deployment.cloudflared.cloudflared /tmp/MERGED-176887603/apps.v1.Deployment.cloudflared.cloudflared',
  '--- /tmp/LIVE-1090386306/apps.v1.Deployment.cloudflared.cloudflared\t2026-11-24 00:20:53.156457868 +0000',
  '+++ /tmp/MERGED-176887603/apps.v1.Deployment.cloudflared.cloudflared\t2026-11-24 00:20:53.156457868 +0000',
  '@@ -2,11 +2,13 @@',
  ' kind: Deployment',
  ' metadata:',
  '   annotations:',
  '+    cftunnel/tunnel-id: 6ff42ae2-765d-4adf-8112-31c55c1551ef',
  '     deployment.kubernetes.io/revision: "1"',
  '   creationTimestamp: "2026-11-21T00:20:50Z"',
  '-  generation: 1',
  '+  generation: 2',
  '   labels:',
  '     app: cloudflared',
  '+    app.kubernetes.io/name: cloudflared',
  '   name: cloudflared',
  '   namespace: cloudflared',
  '   resourceVersion: "1026"',
  '@@ -18,6 +20,7 @@',
  '   selector:',
  '     matchLabels:',
  '       app: cloudflared',
  '+      app.kubernetes.io/name: cloudflared',
  '   strategy:',
  '     rollingUpdate:',
  '       maxSurge: 25%',
  'diff -u -N /tmp/LIVE-1090386306/policy.v1.PodDisruptionBudget.cloudflared.cloudflared /tmp/MERGED-176887603/policy.v1.PodDisruptionBudget.cloudflared.cloudflared',
  '--- /tmp/LIVE-1090386306/policy.v1.PodDisruptionBudget.cloudflared.cloudflared\t2026-11-24 00:20:53.160457868 +0000',
  '+++ /tmp/MERGED-176887603/policy.v1.PodDisruptionBudget.cloudflared.cloudflared\t2026-11-24 00:20:53.160457868 +0000',
  '@@ -0,0 +1,18 @@',
  '+apiVersion: policy/v1',
  '+kind: PodDisruptionBudget',
  '+metadata:',
  '+  creationTimestamp: "2026-11-24T00:20:53Z"',
  '+  generation: 1',
  '+  name: cloudflared',
  '+  namespace: cloudflared',
  '+  uid: 02db2c79-0308-4f4d-862d-c4e17e696d31',
  '+spec:',
  '+  minAvailable: 1',
  '+  selector:',
  '+    matchLabels:',
  '+      app.kubernetes.io/name: cloudflared',
  '+status:',
  '+  currentHealthy: 0',
  '+  desiredHealthy: 0',
  '+  disruptionsAllowed: 0',
  '+  expectedPods: 0',
  'diff -u -N /tmp/LIVE-1090386306/v1.ConfigMap.cloudflared.cloudflared-config-94h7548m76 /tmp/MERGED-176887603/v1.ConfigMap.cloudflared.cloudflared-config-94h7548m76',
  '--- /tmp/LIVE-1090386306/v1.ConfigMap.cloudflared.cloudflared-config-94h7548m76\t2026-11-24 00:20:53.136457867 +0000',
  '+++ /tmp/MERGED-176887603/v1.ConfigMap.cloudflared.cloudflared-config-94h7548m76\t2026-11-24 00:20:53.136457867 +0000',
  '@@ -0,0 +1,16 @@',
  '+apiVersion: v1',
  '+data:',
  '+  config.yaml: |',
  '+    # Every hostname routed to this tunnel goes to the origin. To route some only, list them',
  '+    # (- hostname: app.example.com / service: …) and end with - service: http_status:404.',
  '+',
  '+    tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef',
  '+    credentials-file: /etc/cloudflared/creds/credentials.json',
  '+    ingress:',
  '+      - service: http://ingress-nginx-controller.ingress-nginx.svc.cluster.local:80',
  '+kind: ConfigMap',
  '+metadata:',
  '+  creationTimestamp: "2026-11-24T00:20:53Z"',
  '+  name: cloudflared-config-94h7548m76',
  '+  namespace: cloudflared',
  '+  uid: ed14f5ab-b5f0-48b0-86ed-c5f2941556d4',
  'diff -u -N /tmp/LIVE-1090386306/v1.Secret.cloudflared.cloudflared-credentials-7kft4gth86 /tmp/MERGED-176887603/v1.Secret.cloudflared.cloudflared-credentials-7kft4gth86',
  '--- /tmp/LIVE-1090386306/v1.Secret.cloudflared.cloudflared-credentials-7kft4gth86\t2026-11-24 00:20:53.148457868 +0000',
  '+++ /tmp/MERGED-176887603/v1.Secret.cloudflared.cloudflared-credentials-7kft4gth86\t2026-11-24 00:20:53.148457868 +0000',
  '@@ -1 +1,10 @@',
  '-null',
  '+apiVersion: v1',
  '+data:',
  "+  credentials.json: '***'",
  '+kind: Secret',
  '+metadata:',
  '+  creationTimestamp: "2026-11-24T00:20:53Z"',
  '+  name: cloudflared-credentials-7kft4gth86',
  '+  namespace: cloudflared',
  '+  uid: 3dfb9078-3d6e-4fff-b2f7-9749453d85f7',
  '+type: Opaque',
);

const OLD_TOKEN_B64 = 'b2xkLXRva2VuLU9MRFNFQ1JFVA=='; // "old-token-OLDSECRET"

/** A Secret applied before (client-side apply) whose label changes: kubectl masks data, not the annotation. */
const SECRET_DIFF = lines(
  'diff -u -N /tmp/LIVE-679428463/v1.Secret.cloudflared.cloudflared-token /tmp/MERGED-2362365551/v1.Secret.cloudflared.cloudflared-token',
  '--- /tmp/LIVE-679428463/v1.Secret.cloudflared.cloudflared-token\t2026-11-24 00:26:50.828493468 +0000',
  '+++ /tmp/MERGED-2362365551/v1.Secret.cloudflared.cloudflared-token\t2026-11-24 00:26:50.828493468 +0000',
  '@@ -1,12 +1,14 @@',
  ' apiVersion: v1',
  ' data:',
  "-  TUNNEL_TOKEN: '*** (before)'",
  "+  TUNNEL_TOKEN: '*** (after)'",
  ' kind: Secret',
  ' metadata:',
  '   annotations:',
  '     kubectl.kubernetes.io/last-applied-configuration: |',
  `       {"apiVersion":"v1","data":{"TUNNEL_TOKEN":"${OLD_TOKEN_B64}"},"kind":"Secret","metadata":{"annotations":{},"name":"cloudflared-token","namespace":"cloudflared"},"type":"Opaque"}`,
  '   creationTimestamp: "2026-11-19T00:26:49Z"',
  '+  labels:',
  '+    team: edge',
  '   name: cloudflared-token',
  '   namespace: cloudflared',
  '   resourceVersion: "1041"',
);

describe('kubectl command lines', () => {
  const t = { dir: '/home/me/deploy/cloudflared', context: 'homelab' };

  test('diff and apply: -k DIR --context CTX, nothing else (no flag unmasks Secrets)', () => {
    assert.deepEqual(diffInvocation(t), {
      args: ['diff', '-k', '/home/me/deploy/cloudflared', '--context', 'homelab'],
      env: {},
      unset: ['KUBECTL_EXTERNAL_DIFF'],
    });
    assert.deepEqual(applyInvocation(t), {
      args: ['apply', '-k', '/home/me/deploy/cloudflared', '--context', 'homelab'],
      env: {},
      unset: [],
    });
  });

  test('one kubeconfig file is passed with --kubeconfig, several through KUBECONFIG', () => {
    assert.deepEqual(diffInvocation({ ...t, kubeconfig: ['/home/me/.kube/homelab.yaml'] }).args, [
      'diff',
      '-k',
      t.dir,
      '--context',
      'homelab',
      '--kubeconfig',
      '/home/me/.kube/homelab.yaml',
    ]);
    const several = applyInvocation({ ...t, kubeconfig: ['/a/one.yaml', '/b/two.yaml'] });
    assert.deepEqual(several.args, ['apply', '-k', t.dir, '--context', 'homelab']);
    assert.deepEqual(several.env, { KUBECONFIG: '/a/one.yaml:/b/two.yaml' });
    assert.deepEqual(
      applyInvocation({ dir: 'C:\\deploy', context: 'x', kubeconfig: ['C:\\a.yaml', 'D:\\b.yaml'], delimiter: ';' })
        .env,
      { KUBECONFIG: 'C:\\a.yaml;D:\\b.yaml' },
    );
    assert.deepEqual(diffInvocation({ ...t, kubeconfig: [] }).args, ['diff', '-k', t.dir, '--context', 'homelab']);
  });

  test('values that look like flags are attached with =', () => {
    assert.deepEqual(diffInvocation({ dir: '/x', context: '-weird' }).args, ['diff', '-k', '/x', '--context=-weird']);
    assert.deepEqual(diffInvocation({ dir: '-x', context: 'c' }).args, ['diff', '--kustomize=-x', '--context', 'c']);
  });

  test('an empty folder or context is refused', () => {
    assert.throws(() => diffInvocation({ dir: '', context: 'c' }), /folder/);
    assert.throws(() => applyInvocation({ dir: '/x', context: '' }), /context/);
  });
});

describe('quoting for the terminal', () => {
  test('POSIX: plain words stay, anything else is single-quoted', () => {
    assert.equal(quoteArg('/home/me/deploy/cloudflared', 'posix'), '/home/me/deploy/cloudflared');
    assert.equal(
      quoteArg('arn:aws:eks:eu-west-1:123456789012:cluster/prod', 'posix'),
      'arn:aws:eks:eu-west-1:123456789012:cluster/prod',
    );
    assert.equal(quoteArg('/home/me/my folder', 'posix'), "'/home/me/my folder'");
    assert.equal(quoteArg("/home/me/it's", 'posix'), "'/home/me/it'\\''s'");
    assert.equal(quoteArg('/x/$HOME/`id`/"q"', 'posix'), `'/x/$HOME/\`id\`/"q"'`);
    assert.equal(quoteArg('~/deploy', 'posix'), "'~/deploy'");
    assert.equal(quoteArg('=cmd', 'posix'), "'=cmd'"); // zsh would expand =cmd
    assert.equal(quoteArg('a*b?[c]', 'posix'), "'a*b?[c]'");
    assert.equal(quoteArg('', 'posix'), "''");
  });

  test('PowerShell: single quotes, quotes doubled; a quoted program is called with &', () => {
    assert.equal(quoteArg('C:\\deploy\\cloudflared', 'powershell'), 'C:\\deploy\\cloudflared');
    assert.equal(quoteArg('C:\\my folder\\x', 'powershell'), "'C:\\my folder\\x'");
    assert.equal(quoteArg("C:\\it's", 'powershell'), "'C:\\it''s'");
    assert.equal(quoteArg('C:\\it\u2019s', 'powershell'), "'C:\\it\u2019\u2019s'");
    assert.equal(quoteArg('$env:x', 'powershell'), "'$env:x'");
    assert.equal(quoteArg('a,b', 'powershell'), "'a,b'"); // an array otherwise
    assert.equal(quoteArg('1e3', 'powershell'), "'1e3'"); // a number otherwise
    assert.equal(
      commandLine('C:\\Program Files\\kubectl.exe', ['apply', '-k', 'C:\\my dir'], 'powershell'),
      "& 'C:\\Program Files\\kubectl.exe' apply -k 'C:\\my dir'",
    );
  });

  test('cmd.exe: double quotes; " and % cannot be passed on and are refused', () => {
    assert.equal(quoteArg('C:\\deploy', 'cmd'), 'C:\\deploy');
    assert.equal(quoteArg('C:\\my folder & more', 'cmd'), '"C:\\my folder & more"');
    assert.throws(() => quoteArg('C:\\100%', 'cmd'), QuoteError);
    assert.throws(() => quoteArg('a"b', 'cmd'), QuoteError);
  });

  test('control characters are refused in every shell', () => {
    for (const shell of ['posix', 'powershell', 'cmd'] as const)
      assert.throws(() => quoteArg('/x\n rm -rf ~', shell), QuoteError);
  });

  test('the apply line for the terminal', () => {
    const inv = applyInvocation({
      dir: "/home/me/Tunnel Configs/it's here",
      context: 'kind-home lab',
      kubeconfig: ['/home/me/.kube/home lab.yaml'],
    });
    assert.equal(
      terminalCommand(inv, 'posix'),
      "kubectl apply -k '/home/me/Tunnel Configs/it'\\''s here' --context 'kind-home lab' --kubeconfig '/home/me/.kube/home lab.yaml'",
    );
    assert.equal(
      terminalCommand(applyInvocation({ dir: 'C:\\Users\\me\\deploy', context: 'homelab' }), 'cmd'),
      'kubectl apply -k C:\\Users\\me\\deploy --context homelab',
    );
  });

  test('the shell of a terminal', () => {
    assert.equal(shellOf('/bin/bash', 'linux'), 'posix');
    assert.equal(shellOf('/usr/bin/fish', 'darwin'), 'fish');
    assert.equal(shellOf('/bin/tcsh', 'linux'), 'csh');
    assert.equal(shellOf('/usr/local/bin/zsh', 'darwin'), 'posix');
    assert.equal(shellOf('C:\\Program Files\\PowerShell\\7\\pwsh.exe', 'win32'), 'powershell');
    assert.equal(shellOf('C:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'win32'), 'powershell');
    assert.equal(shellOf('C:\\WINDOWS\\System32\\cmd.exe', 'win32'), 'cmd');
    assert.equal(shellOf('C:\\Program Files\\Git\\bin\\bash.exe', 'win32'), 'posix');
    assert.equal(shellOf('', 'win32'), 'powershell');
    assert.equal(shellOf(undefined, 'linux'), 'posix');
  });
});

describe('kubectl diff output', () => {
  test('file names: [group.]version.Kind.namespace.name', () => {
    assert.deepEqual(parseObjectFileName('apps.v1.Deployment.cloudflared.cloudflared'), {
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      namespace: 'cloudflared',
      name: 'cloudflared',
    });
    assert.deepEqual(parseObjectFileName('networking.k8s.io.v1.NetworkPolicy.cloudflared.cloudflared'), {
      group: 'networking.k8s.io',
      version: 'v1',
      kind: 'NetworkPolicy',
      namespace: 'cloudflared',
      name: 'cloudflared',
    });
    assert.deepEqual(parseObjectFileName('v1.Secret.cloudflared.cloudflared-credentials-7kft4gth86'), {
      group: '',
      version: 'v1',
      kind: 'Secret',
      namespace: 'cloudflared',
      name: 'cloudflared-credentials-7kft4gth86',
    });
    assert.deepEqual(parseObjectFileName('v1.Namespace..edge'), {
      group: '',
      version: 'v1',
      kind: 'Namespace',
      namespace: '',
      name: 'edge',
    });
    assert.deepEqual(parseObjectFileName('cert-manager.io.v1.Certificate.web.www.example.com'), {
      group: 'cert-manager.io',
      version: 'v1',
      kind: 'Certificate',
      namespace: 'web',
      name: 'www.example.com',
    });
    assert.deepEqual(parseObjectFileName('autoscaling.v2beta2.HorizontalPodAutoscaler.a.b'), {
      group: 'autoscaling',
      version: 'v2beta2',
      kind: 'HorizontalPodAutoscaler',
      namespace: 'a',
      name: 'b',
    });
    assert.equal(parseObjectFileName('notes.txt'), undefined);
  });

  test('a scaffolded folder against a cluster that runs an older cloudflared: 1 changed, 3 new', () => {
    const s = summarizeDiff(SCAFFOLD_DIFF);
    assert.deepEqual(
      s.objects.map((o) => [o.kind, o.namespace, o.name, o.change, o.added, o.removed]),
      [
        ['Deployment', 'cloudflared', 'cloudflared', 'changed', 4, 1],
        ['PodDisruptionBudget', 'cloudflared', 'cloudflared', 'created', 18, 0],
        ['ConfigMap', 'cloudflared', 'cloudflared-config-94h7548m76', 'created', 16, 0],
        ['Secret', 'cloudflared', 'cloudflared-credentials-7kft4gth86', 'created', 10, 0], // LIVE is "null" for a new Secret
      ],
    );
    assert.deepEqual([s.created, s.changed, s.deleted], [3, 1, 0]);
    assert.equal(summaryText(s), '4 objects (1 changed, 3 new)');
    assert.equal(confirmMessage(s, 'homelab'), "Apply 4 objects (1 changed, 3 new) to context 'homelab'?");
    assert.deepEqual(objectLines(s, 2), [
      'Deployment cloudflared/cloudflared: changed (+4 −1 lines)',
      'PodDisruptionBudget cloudflared/cloudflared: new',
      '…and 2 more',
    ]);
  });

  test('a removed line that reads "-- x" is not taken for a file header', () => {
    const text = lines(
      '--- /tmp/LIVE-1/v1.ConfigMap.a.b\t2026-01-01 00:00:00.000000000 +0000',
      '+++ /tmp/MERGED-2/v1.ConfigMap.a.b\t2026-01-01 00:00:00.000000000 +0000',
      '@@ -1,2 +1,2 @@',
      '--- x',
      '+++ y',
      ' kind: ConfigMap',
    );
    const s = summarizeDiff(text);
    assert.equal(s.objects.length, 1);
    assert.deepEqual([s.objects[0]!.change, s.objects[0]!.added, s.objects[0]!.removed], ['changed', 1, 1]);
  });

  test('pruned objects (MERGED empty) count as deleted; Windows paths work', () => {
    const text = lines(
      'diff -u -N C:\\Users\\me\\AppData\\Local\\Temp\\LIVE-1\\v1.ConfigMap.cloudflared.old C:\\Users\\me\\AppData\\Local\\Temp\\MERGED-2\\v1.ConfigMap.cloudflared.old',
      '--- C:\\Users\\me\\AppData\\Local\\Temp\\LIVE-1\\v1.ConfigMap.cloudflared.old\t2026-01-01 00:00:00.000000000 +0000',
      '+++ C:\\Users\\me\\AppData\\Local\\Temp\\MERGED-2\\v1.ConfigMap.cloudflared.old\t1970-01-01 00:00:00.000000000 +0000',
      '@@ -1,3 +0,0 @@',
      '-apiVersion: v1',
      '-kind: ConfigMap',
      '-metadata: {}',
    );
    const s = summarizeDiff(text);
    assert.deepEqual(
      s.objects.map((o) => [o.kind, o.name, o.change, o.removed]),
      [['ConfigMap', 'old', 'deleted', 3]],
    );
    assert.equal(summaryText(s), '1 object (1 deleted)');
  });

  test('no output: no objects', () => {
    assert.deepEqual(summarizeDiff(''), { objects: [], created: 0, changed: 0, deleted: 0 });
  });
});

describe('Secrets stay masked', () => {
  test('the last-applied-configuration annotation of a Secret is masked (kubectl shows it as context)', () => {
    assert.ok(SECRET_DIFF.includes(OLD_TOKEN_B64), 'the sample holds the leak kubectl prints');
    const out = redactDiff(SECRET_DIFF);
    assert.ok(!out.includes(OLD_TOKEN_B64));
    assert.ok(!out.includes('TUNNEL_TOKEN":'));
    assert.match(out, /^ {5}kubectl\.kubernetes\.io\/last-applied-configuration: \|\n {7}\*\*\*$/m);
    // kubectl's own masks and every other line are kept; the summary is unchanged.
    assert.match(out, /^-  TUNNEL_TOKEN: '\*\*\* \(before\)'$/m);
    assert.match(out, /^\+  TUNNEL_TOKEN: '\*\*\* \(after\)'$/m);
    assert.equal(out.split('\n').length, SECRET_DIFF.split('\n').length);
    assert.deepEqual(summarizeDiff(out), summarizeDiff(SECRET_DIFF));
  });

  test('a hunk that starts inside the annotation (the JSON without its key) is masked too', () => {
    const text = lines(
      '--- /tmp/LIVE-1/v1.Secret.ns.s\t2026-01-01 00:00:00.000000000 +0000',
      '+++ /tmp/MERGED-2/v1.Secret.ns.s\t2026-01-01 00:00:00.000000000 +0000',
      '@@ -8,4 +8,4 @@',
      '       {"apiVersion":"v1","data":{"token":"c2VjcmV0"},"kind":"Secret"}',
      '   creationTimestamp: "2026-01-01T00:00:00Z"',
      '-  name: s',
      '+  name: s',
    );
    assert.ok(!redactDiff(text).includes('c2VjcmV0'));
  });

  test('inline annotation values and unmasked data or stringData values are masked', () => {
    const text = lines(
      '--- /tmp/LIVE-1/v1.Secret.ns.s\t2026-01-01 00:00:00.000000000 +0000',
      '+++ /tmp/MERGED-2/v1.Secret.ns.s\t2026-01-01 00:00:00.000000000 +0000',
      '@@ -0,0 +1,12 @@',
      '+apiVersion: v1',
      '+data:',
      '+  token: c2VjcmV0',
      "+  masked: '***'",
      '+kind: Secret',
      '+metadata:',
      '+  annotations:',
      `+    kubectl.kubernetes.io/last-applied-configuration: '{"data":{"token":"c2VjcmV0"}}'`,
      '+stringData:',
      '+  pem: |',
      '+    -----BEGIN PRIVATE KEY-----',
      '+type: Opaque',
    );
    const out = redactDiff(text);
    assert.ok(!out.includes('c2VjcmV0') && !out.includes('PRIVATE KEY'), out);
    assert.match(out, /^\+ {2}token: '\*\*\*'$/m);
    assert.match(out, /^\+ {2}masked: '\*\*\*'$/m);
    assert.match(out, /^\+ {4}kubectl\.kubernetes\.io\/last-applied-configuration: '\*\*\*'$/m);
    assert.match(out, /^\+type: Opaque$/m);
  });

  test('other kinds are left as they are', () => {
    assert.equal(redactDiff(SCAFFOLD_DIFF), SCAFFOLD_DIFF);
    const cm = SECRET_DIFF.replace(/v1\.Secret\./g, 'v1.ConfigMap.');
    assert.equal(redactDiff(cm), cm);
  });
});

describe('kubectl diff exit status', () => {
  const t = { context: 'homelab', dir: '/home/me/deploy' };

  test('0: no differences', () => {
    assert.deepEqual(interpretDiff({ code: 0, stdout: '', stderr: '' }, t), { kind: 'same', warnings: [] });
  });

  test('1: differences, summarized, Secrets masked, warnings kept', () => {
    const warning =
      'Warning: resource deployments/cloudflared is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. The missing annotation will be patched automatically.';
    const o = interpretDiff({ code: 1, stdout: SCAFFOLD_DIFF + SECRET_DIFF, stderr: warning + '\n' }, t);
    assert.equal(o.kind, 'changes');
    if (o.kind !== 'changes') return;
    assert.equal(summaryText(o.summary), '5 objects (2 changed, 3 new)');
    assert.ok(!o.text.includes(OLD_TOKEN_B64));
    assert.deepEqual(o.warnings, [warning.slice('Warning: '.length)]);
  });

  test('more than 1: an error with what to do', () => {
    const o = interpretDiff(
      { code: 2, stdout: '', stderr: 'Error from server (NotFound): namespaces "edge" not found\n' },
      t,
    );
    assert.deepEqual(o, {
      kind: 'error',
      message: "The namespace 'edge' does not exist in context 'homelab'.",
      hint: 'Create it first (kubectl create namespace edge --context homelab) or add a Namespace to the kustomization, then try again.',
      stderr: 'Error from server (NotFound): namespaces "edge" not found\n',
    });
  });

  test('killed (no exit code): stopped', () => {
    const o = interpretDiff({ code: null, stdout: 'diff -u -N …', stderr: '' }, t);
    assert.equal(o.kind, 'error');
    assert.match((o as { message: string }).message, /stopped/);
  });
});

describe("kubectl's errors explained", () => {
  const t = { context: 'homelab', dir: '/work/deploy' };
  const explain = (stderr: string): { message: string; hint: string } => explainKubectlError(stderr, t);

  test('connection refused (klog noise ignored)', () => {
    const stderr = lines(
      'E1124 00:21:09.733930   27231 memcache.go:265] "Unhandled Error" err="couldn\'t get current server API group list: Get \\"http://127.0.0.1:1/api?timeout=32s\\": dial tcp 127.0.0.1:1: connect: connection refused"',
      'error: unable to recognize "edge": Get "http://127.0.0.1:1/api?timeout=32s": dial tcp 127.0.0.1:1: connect: connection refused',
    );
    assert.equal(
      mainError(stderr),
      'unable to recognize "edge": Get "http://127.0.0.1:1/api?timeout=32s": dial tcp 127.0.0.1:1: connect: connection refused',
    );
    assert.deepEqual(explain(stderr), {
      message: "The cluster of context 'homelab' refused the connection (127.0.0.1:1).",
      hint: "Is the cluster running, and is the context's server address right? (For a tunnel or VPN to the API server: is it up?)",
    });
  });

  test('Forbidden with RBAC wording', () => {
    const e = explain(
      'Error from server (Forbidden): configmaps "cloudflared-config-94h7548m76" is forbidden: User "demo-user" cannot get resource "configmaps" in API group "" in the namespace "cloudflared"\n',
    );
    assert.equal(
      e.message,
      `User "demo-user" of context 'homelab' may not get configmaps in namespace cloudflared (Forbidden).`,
    );
    assert.match(e.hint, /get, and create and patch as dry runs/);
    const apply = explainKubectlError(
      'Error from server (Forbidden): error when creating "/x": deployments.apps is forbidden: User "u" cannot create resource "deployments" in API group "apps" in the namespace "edge"',
      { ...t, verb: 'apply' },
    );
    assert.equal(
      apply.message,
      `User "u" of context 'homelab' may not create deployments.apps in namespace edge (Forbidden).`,
    );
  });

  test('Unauthorized', () => {
    const e = explain(
      lines(
        'E1124 00:27:12.624605    6631 memcache.go:265] "Unhandled Error" err="couldn\'t get current server API group list: the server has asked for the client to provide credentials"',
        'error: unable to recognize "/x": the server has asked for the client to provide credentials',
      ),
    );
    assert.match(e.message, /does not accept your credentials/);
    assert.match(explain('error: You must be logged in to the server (Unauthorized)').message, /Unauthorized/);
  });

  test('kustomize build errors', () => {
    const e = explain(
      "error: accumulating resources: accumulation err='accumulating resources from 'missing.yaml': evalsymlink failure on '/work/deploy/missing.yaml' : lstat /work/deploy/missing.yaml: no such file or directory': must build at directory: not a valid directory: evalsymlink failure on '/work/deploy/missing.yaml' : lstat /work/deploy/missing.yaml: no such file or directory\n",
    );
    assert.match(e.message, /^kustomize could not build \/work\/deploy: accumulating resources: /);
    assert.match(e.hint, /kubectl kustomize \/work\/deploy/);
    assert.match(
      explain(
        "error: accumulating resources: accumulating resources from 'a.yaml': MalformedYAMLError: yaml: line 4: did not find expected key in File: a.yaml",
      ).message,
      /^kustomize could not build/,
    );
    assert.deepEqual(
      explain(
        "error: unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '/work/deploy'",
      ),
      {
        message: '/work/deploy has no kustomization (kustomization.yaml, kustomization.yml or Kustomization).',
        hint: 'Run the command on the folder that holds the kustomization.',
      },
    );
  });

  test('unknown kinds, missing context, kubeconfig or diff program', () => {
    assert.equal(
      explain(
        'error: resource mapping not found for name: "x" namespace: "default" from "crd": no matches for kind "Widget" in version "example.com/v1"\nensure CRDs are installed first\n',
      ).message,
      "The cluster of context 'homelab' does not know kind Widget (example.com/v1).",
    );
    assert.equal(
      explain('error: context "nope" does not exist').message,
      "The context 'nope' is not in the kubeconfig kubectl reads.",
    );
    assert.equal(
      explain('error: stat /nonexistent: no such file or directory').message,
      'kubectl cannot read /nonexistent: no such file.',
    );
    const diff = explain('error: failed to run "diff": executable file not found in $PATH');
    assert.equal(diff.message, 'kubectl diff could not run "diff": executable file not found in $PATH.');
    assert.match(diff.hint, /diffutils/);
  });

  test('TLS, credential plugins, timeouts, conflicts, invalid objects, anything else', () => {
    assert.match(
      explain(
        'Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority',
      ).message,
      /does not trust the cluster/,
    );
    assert.match(
      explain('Unable to connect to the server: getting credentials: exec: executable gke-gcloud-auth-plugin not found')
        .message,
      /credential plugin/,
    );
    assert.match(
      explain('Unable to connect to the server: dial tcp 10.0.0.1:6443: i/o timeout').message,
      /cannot reach the cluster/,
    );
    assert.match(
      explain(
        'Error from server (Conflict): Operation cannot be fulfilled on deployments.apps "x": the object has been modified',
      ).hint,
      /again/,
    );
    assert.match(
      explain(
        'The Deployment "cloudflared" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      ).message,
      /rejects an object/,
    );
    assert.deepEqual(explain('error: something new'), {
      message: 'kubectl diff failed: something new',
      hint: 'Run kubectl diff -k /work/deploy --context homelab in a terminal for details.',
    });
  });
});

test('applyPlan: hostile folder and context names give exactly the intended argv, one kubectl for both runs (issue #16)', () => {
  for (const name of HOSTILE_NAMES) {
    const dir = `/ws/${name}`;
    const plan = applyPlan('/opt/k 8s/kubectl', { dir, context: name, kubeconfig: [`/k/${name}`] });
    const ctx = name.startsWith('-') ? [`--context=${name}`] : ['--context', name];
    for (const [verb, run] of [
      ['diff', plan.diff],
      ['apply', plan.apply],
    ] as const) {
      assert.equal(run.program, '/opt/k 8s/kubectl');
      assert.deepEqual(run.args, [verb, '-k', dir, ...ctx, '--kubeconfig', `/k/${name}`], JSON.stringify(name));
      assert.deepEqual(run.env, {});
    }
  }
});

test("quoteArg for fish and tcsh: fish's backslash escapes, tcsh's history", () => {
  assert.equal(quoteArg("x\\'; touch PWNED; echo \\", 'fish'), "'x\\\\\\'; touch PWNED; echo \\\\'");
  assert.equal(quoteArg("x\\'; touch PWNED; echo \\", 'posix'), "'x\\'\\''; touch PWNED; echo \\'");
  assert.equal(quoteArg('a!b', 'csh'), "'a\\!b'");
  assert.equal(quoteArg("it's!", 'csh'), "'it'\\''s\\!'");
});
