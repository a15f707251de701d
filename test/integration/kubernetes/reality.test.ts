/**
 * The local Kubernetes API server held to kube-apiserver v1.32 where they used to differ
 * (issue #13): validation with the real 422 Invalid Statuses, Secret data decoded and answered
 * canonical, cluster IPs allocated from the service range, field selectors of v1.31+, empty
 * omitempty lists dropped on storage, generation bumped as the strategies do. Checked with
 * @kubernetes/client-node (the Status bodies as the API server writes them) and with the real
 * kubectl (`apply -k` / `diff -k` of a kustomization with a NetworkPolicy and a secretGenerator).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startKubernetesApi } from '../../../dev/servers/kubernetes/server';
import type { KubernetesApiServer } from '../../../dev/servers/kubernetes/server';
import { goBase64Decode } from '../../../dev/servers/kubernetes/validation';

const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const tmp = mkdtempSync(join(tmpdir(), 'cftunnel-reality-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

let server: KubernetesApiServer;
let kubeconfig: string;

async function call(
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': contentType },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
const create = (path: string, body: unknown) => call('POST', path, body);
const patch = (path: string, body: unknown, type = 'application/strategic-merge-patch+json') =>
  call('PATCH', path, body, type);

function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      KUBECTL,
      ['--kubeconfig', kubeconfig, '--cache-dir', join(tmp, 'cache'), ...args],
      { timeout: 30_000, env: { ...process.env, HOME: tmp, KUBECONFIG: '' } },
      (err, stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT')
          return reject(new Error(`kubectl is not installed (${KUBECTL}); this test needs it`));
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

const RFC1123_SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const RFC1123_LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

const deploymentBody = (name: string, labels: Record<string, string>, containerPort = 8080) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    selector: { matchLabels: labels },
    template: {
      metadata: { labels },
      spec: { containers: [{ name: 'c', image: 'nginx:1.27', ports: [{ containerPort }] }] },
    },
  },
});

describe('the local API server validates as kube-apiserver v1.32', () => {
  before(async () => {
    server = await startKubernetesApi();
    kubeconfig = join(tmp, 'kubeconfig');
    writeFileSync(kubeconfig, server.kubeconfigYaml('local'));
  });
  after(() => server.close());

  it("a Deployment's selector is immutable (apps/v1): 422 Invalid with the Go-printed value", async () => {
    assert.equal(
      (await create('/apis/apps/v1/namespaces/default/deployments', deploymentBody('sel', { app: 'sel' }))).status,
      201,
    );
    const r = await patch('/apis/apps/v1/namespaces/default/deployments/sel', {
      spec: { selector: { matchLabels: { tier: 'x' } }, template: { metadata: { labels: { app: 'sel', tier: 'x' } } } },
    });
    assert.equal(r.status, 422);
    const cause =
      'Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"sel", "tier":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable';
    assert.deepEqual(r.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Deployment.apps "sel" is invalid: spec.selector: ${cause}`,
      reason: 'Invalid',
      details: {
        name: 'sel',
        group: 'apps',
        kind: 'Deployment',
        causes: [{ reason: 'FieldValueInvalid', message: cause, field: 'spec.selector' }],
      },
      code: 422,
    });
  });

  it('object names: DNS-1035 labels for Services, RFC 1123 labels for Namespaces, subdomains for the rest', async () => {
    const svc = await create('/api/v1/namespaces/default/services', {
      metadata: { name: '1web' },
      spec: { ports: [{ port: 80 }] },
    });
    assert.equal(svc.status, 422);
    assert.equal(svc.json.message, `Service "1web" is invalid: metadata.name: Invalid value: "1web": ${DNS1035}`);
    const ns = await create('/api/v1/namespaces', { metadata: { name: 'team.a' } });
    assert.equal(
      ns.json.message,
      'Namespace "team.a" is invalid: metadata.name: Invalid value: "team.a": must not contain dots',
    );
    const ns2 = await create('/api/v1/namespaces', { metadata: { name: 'Team' } });
    assert.equal(
      ns2.json.message,
      `Namespace "Team" is invalid: metadata.name: Invalid value: "Team": ${RFC1123_LABEL}`,
    );
    const cm = await create('/api/v1/namespaces/default/configmaps', { metadata: { name: 'My_Config' } });
    assert.equal(cm.status, 422);
    assert.equal(
      cm.json.message,
      `ConfigMap "My_Config" is invalid: metadata.name: Invalid value: "My_Config": ${RFC1123_SUBDOMAIN}`,
    );
    assert.deepEqual((cm.json.details as { causes: unknown[] }).causes, [
      {
        reason: 'FieldValueInvalid',
        message: `Invalid value: "My_Config": ${RFC1123_SUBDOMAIN}`,
        field: 'metadata.name',
      },
    ]);
    const np = await create('/apis/networking.k8s.io/v1/namespaces/default/networkpolicies', {
      metadata: { name: 'Allow' },
      spec: { podSelector: {} },
    });
    assert.equal(
      np.json.message,
      `NetworkPolicy.networking.k8s.io "Allow" is invalid: metadata.name: Invalid value: "Allow": ${RFC1123_SUBDOMAIN}`,
    );
  });

  it('ports out of 1-65535: Service port and targetPort, containerPort', async () => {
    const svc = await create('/api/v1/namespaces/default/services', {
      metadata: { name: 'ports' },
      spec: { ports: [{ port: 70000, targetPort: 65536 }] },
    });
    assert.equal(svc.status, 422);
    assert.equal(
      svc.json.message,
      'Service "ports" is invalid: [spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive, spec.ports[0].targetPort: Invalid value: 65536: must be between 1 and 65535, inclusive]',
    );
    const dep = await create(
      '/apis/apps/v1/namespaces/default/deployments',
      deploymentBody('bigport', { app: 'bigport' }, 99999),
    );
    assert.equal(
      dep.json.message,
      'Deployment.apps "bigport" is invalid: spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 99999: must be between 1 and 65535, inclusive',
    );
  });

  it('Services get a cluster IP from 10.96.0.0/12; a requested one out of range or in use is refused; headless and ExternalName get none', async () => {
    const a = await create('/api/v1/namespaces/default/services', {
      metadata: { name: 'alloc' },
      spec: { selector: { app: 'x' }, ports: [{ port: 80 }] },
    });
    assert.equal(a.status, 201);
    const spec = a.json.spec as Record<string, unknown>;
    assert.match(String(spec.clusterIP), /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
    assert.deepEqual(spec.clusterIPs, [spec.clusterIP]);
    assert.deepEqual(
      {
        ipFamilies: spec.ipFamilies,
        ipFamilyPolicy: spec.ipFamilyPolicy,
        internalTrafficPolicy: spec.internalTrafficPolicy,
        sessionAffinity: spec.sessionAffinity,
        type: spec.type,
      },
      {
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        internalTrafficPolicy: 'Cluster',
        sessionAffinity: 'None',
        type: 'ClusterIP',
      },
    );
    assert.deepEqual(a.json.status, { loadBalancer: {} });
    const out = await create('/api/v1/namespaces/default/services', {
      metadata: { name: 'out' },
      spec: { clusterIP: '1.1.1.1', ports: [{ port: 80 }] },
    });
    assert.equal(out.status, 422);
    assert.equal(
      out.json.message,
      'Service "out" is invalid: spec.clusterIPs: Invalid value: []string{"1.1.1.1"}: failed to allocate IP 1.1.1.1: the provided IP (1.1.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
    const taken = await create('/api/v1/namespaces/default/services', {
      metadata: { name: 'taken' },
      spec: { clusterIP: '10.96.0.10', ports: [{ port: 53 }] },
    });
    assert.equal(
      taken.json.message,
      'Service "taken" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    );
    const h = await create('/api/v1/namespaces/default/services', {
      metadata: { name: 'headless' },
      spec: { clusterIP: 'None', selector: { app: 'x' }, ports: [{ port: 80 }] },
    });
    assert.deepEqual((h.json.spec as Record<string, unknown>).clusterIPs, ['None']);
    const e = await create('/api/v1/namespaces/default/services', {
      metadata: { name: 'ext' },
      spec: { type: 'ExternalName', externalName: 'example.com' },
    });
    const es = e.json.spec as Record<string, unknown>;
    assert.equal(es.clusterIP, undefined);
    assert.equal(es.ipFamilies, undefined);
    assert.equal(es.sessionAffinity, 'None');
  });

  it("a Service's cluster IP may not change once set; a patch that leaves it out keeps it", async () => {
    const a = await create('/api/v1/namespaces/default/services', {
      metadata: { name: 'keep' },
      spec: { selector: { app: 'k' }, ports: [{ port: 80 }] },
    });
    const ip = String((a.json.spec as { clusterIP: string }).clusterIP);
    const ok = await patch(
      '/api/v1/namespaces/default/services/keep',
      { spec: { clusterIP: '', ports: [{ port: 80, targetPort: 8080 }] } },
      'application/merge-patch+json',
    );
    assert.equal(ok.status, 200, JSON.stringify(ok.json));
    assert.equal((ok.json.spec as { clusterIP: string }).clusterIP, ip);
    const r = await patch('/api/v1/namespaces/default/services/keep', { spec: { clusterIP: '10.96.200.200' } });
    assert.equal(r.status, 422);
    assert.equal(
      r.json.message,
      'Service "keep" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.200.200"}: may not change once set',
    );
    assert.deepEqual((r.json.details as { causes: unknown[] }).causes, [
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: []string{"10.96.200.200"}: may not change once set',
        field: 'spec.clusterIPs[0]',
      },
    ]);
  });

  it('Secret data: base64 decoded as Go does (line breaks skipped), answered canonical; stringData merged; invalid base64 is 400', async () => {
    const value = Buffer.from('a value longer than fifty-two bytes, so kustomize wraps its base64 text');
    const b64 = value.toString('base64');
    const wrapped = `${b64.slice(0, 70)}\n${b64.slice(70)}\n`;
    const r = await create('/api/v1/namespaces/default/secrets', {
      metadata: { name: 'wrapped' },
      data: { v: wrapped },
      stringData: { s: 'plain' },
    });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    assert.deepEqual(r.json.data, { v: b64, s: Buffer.from('plain').toString('base64') });
    assert.equal(r.json.stringData, undefined);
    const bad = await create('/api/v1/namespaces/default/secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'bad' },
      data: { v: 'not base64!' },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.reason, 'BadRequest');
    assert.equal(
      bad.json.message,
      'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3',
    );
    // The decoder's offsets: Go's base64.StdEncoding.
    assert.throws(() => goBase64Decode('YWJj='), /illegal base64 data at input byte 4/);
    assert.throws(() => goBase64Decode('YW'), /illegal base64 data at input byte 0/);
    assert.equal(goBase64Decode('YW\r\nJj').toString(), 'abc');
  });

  it('field selectors: Services by spec.type and spec.clusterIP (client-node), other fields refused with the real words', async () => {
    const { CoreV1Api, KubeConfig } = await import('@kubernetes/client-node');
    const kc = new KubeConfig();
    kc.loadFromString(server.kubeconfigYaml('local'));
    const core = kc.makeApiClient(CoreV1Api);
    const lb = await core.listServiceForAllNamespaces({ fieldSelector: 'spec.type=LoadBalancer' });
    assert.deepEqual(
      lb.items.map((s) => s.metadata?.name),
      ['ingress-nginx-controller'],
    );
    const ip = await core.listServiceForAllNamespaces({ fieldSelector: 'spec.clusterIP=10.96.0.10' });
    assert.deepEqual(
      ip.items.map((s) => s.metadata?.name),
      ['kube-dns'],
    );
    await assert.rejects(
      core.listNamespace({ fieldSelector: 'metadata.namespace=x' }),
      (e: { code?: number; body?: string }) =>
        e.code === 400 && JSON.parse(e.body!).message === 'field label not supported: metadata.namespace',
    );
  });

  it('an empty `ingress: []` is dropped on storage; kubectl keeps resending it, and each patch bumps the generation (reflect.DeepEqual)', async () => {
    const body = {
      metadata: { name: 'np' },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [],
        egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }],
      },
    };
    const c = await create('/apis/networking.k8s.io/v1/namespaces/default/networkpolicies', body);
    assert.equal(c.status, 201);
    assert.equal('ingress' in (c.json.spec as object), false);
    assert.equal((c.json.metadata as { generation: number }).generation, 1);
    const p1 = await patch('/apis/networking.k8s.io/v1/namespaces/default/networkpolicies/np', {
      spec: { ingress: [] },
    });
    assert.equal((p1.json.metadata as { generation: number }).generation, 2);
    assert.equal('ingress' in (p1.json.spec as object), false);
    // A patch that changes nothing (no empty list): same generation, same resourceVersion.
    const rv = (p1.json.metadata as { resourceVersion: string }).resourceVersion;
    const p2 = await patch('/apis/networking.k8s.io/v1/namespaces/default/networkpolicies/np', {
      metadata: { labels: null },
    });
    assert.equal((p2.json.metadata as { generation: number }).generation, 2);
    assert.equal((p2.json.metadata as { resourceVersion: string }).resourceVersion, rv);
    // Deployments compare with Semantic.DeepEqual: an empty list is no change.
    await create('/apis/apps/v1/namespaces/default/deployments', deploymentBody('gen', { app: 'gen' }));
    const d = await patch('/apis/apps/v1/namespaces/default/deployments/gen', {
      spec: { template: { spec: { imagePullSecrets: [] } } },
    });
    assert.equal((d.json.metadata as { generation: number }).generation, 1);
    const d2 = await patch('/apis/apps/v1/namespaces/default/deployments/gen', {
      metadata: { annotations: { note: 'x' } },
    });
    assert.equal((d2.json.metadata as { generation: number }).generation, 2, 'annotations bump a Deployment');
  });
});

describe('kubectl apply -k / diff -k against it', () => {
  before(async () => {
    server = await startKubernetesApi();
    kubeconfig = join(tmp, 'kubeconfig-k');
    writeFileSync(kubeconfig, server.kubeconfigYaml('local'));
  });
  after(() => server.close());

  /** A kustomization: a NetworkPolicy (with or without `ingress: []`) and a secretGenerator whose value kustomize wraps. */
  function folder(name: string, emptyIngress: boolean): string {
    const dir = join(tmp, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        `namespace: staging`,
        'resources:',
        '- policy.yaml',
        'secretGenerator:',
        `- name: ${name}-creds`,
        '  literals:',
        `  - token=${'t0ken-'.repeat(12)}`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'policy.yaml'),
      [
        'apiVersion: networking.k8s.io/v1',
        'kind: NetworkPolicy',
        'metadata:',
        `  name: ${name}`,
        'spec:',
        '  podSelector:',
        '    matchLabels:',
        `      app: ${name}`,
        '  policyTypes: [Ingress, Egress]',
        ...(emptyIngress ? ['  ingress: []'] : []),
        '  egress:',
        '  - ports:',
        '    - port: 53',
        '      protocol: UDP',
        '',
      ].join('\n'),
    );
    return dir;
  }

  it('with `ingress: []`: after apply -k, diff -k exits 1 (the NetworkPolicy generation moves), as on a real cluster', async () => {
    const dir = folder('empty-list', true);
    const built = await kubectl('kustomize', dir);
    assert.match(
      built.stdout,
      /token: \|\n {4}[A-Za-z0-9+/=]{70}\n {4}[A-Za-z0-9+/=]+\n/,
      'kustomize wraps the base64 at 70 columns',
    );
    const applied = await kubectl('apply', '-k', dir);
    assert.equal(applied.code, 0, applied.stderr);
    const diff = await kubectl('diff', '-k', dir);
    assert.equal(diff.code, 1, diff.stderr);
    assert.match(diff.stdout, /NetworkPolicy\.staging\.empty-list/);
    assert.match(diff.stdout, /^-  generation: 1\n\+  generation: 2$/m);
    assert.doesNotMatch(diff.stdout, /Secret/);
  });

  it('without it: diff -k is clean right after apply -k; a second apply leaves everything unchanged except the Secret kubectl re-patches', async () => {
    const dir = folder('clean', false);
    const applied = await kubectl('apply', '-k', dir);
    assert.equal(applied.code, 0, applied.stderr);
    const stored = server.state.list('secrets', 'staging')[0]!;
    assert.match(
      String((stored.data as { token: string }).token),
      /^[A-Za-z0-9+/]+=*$/,
      'stored canonical, without line breaks',
    );
    const diff = await kubectl('diff', '-k', dir);
    assert.equal(diff.code, 0, diff.stdout + diff.stderr);
    const rv = stored.metadata.resourceVersion;
    const again = await kubectl('apply', '-k', dir);
    assert.equal(again.code, 0, again.stderr);
    // kubectl's three-way patch compares the wrapped text it sends with the canonical text the
    // server answers, so it sends the data again and prints "configured" (as against a real
    // cluster); the server finds the decoded bytes equal and stores nothing.
    assert.deepEqual(
      again.stdout.trim().split('\n').sort(),
      [`networkpolicy.networking.k8s.io/clean unchanged`, `secret/${stored.metadata.name} configured`].sort(),
    );
    assert.equal(server.state.list('secrets', 'staging')[0]!.metadata.resourceVersion, rv);
  });
});
