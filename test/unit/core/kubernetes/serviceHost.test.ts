// Tests for src/core/kubernetes/serviceHost.ts: the one reading and writing of Service DNS names (issue #15).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeClusterDomain, parseServiceHost, serviceHost } from '../../../../src/core/kubernetes/serviceHost';

test('parseServiceHost: every form Kubernetes DNS resolves', () => {
  const web = (namespace: string, form: string) => ({ name: 'web', namespace, form });
  assert.deepEqual(parseServiceHost('web', { defaultNamespace: 'tunnel' }), web('tunnel', 'short'));
  assert.deepEqual(parseServiceHost('web.apps'), web('apps', 'ns'));
  assert.deepEqual(parseServiceHost('web.apps.svc'), web('apps', 'svc'));
  assert.deepEqual(parseServiceHost('web.apps.svc.cluster.local'), web('apps', 'fqdn'));
  assert.deepEqual(parseServiceHost('WEB.Apps.SVC.Cluster.Local.'), web('apps', 'fqdn'));
  assert.deepEqual(parseServiceHost('web.apps.svc.'), web('apps', 'svc'));
});

test('parseServiceHost: other cluster domains', () => {
  assert.deepEqual(parseServiceHost('web.apps.svc.corp.example', { clusterDomain: 'corp.example' }), {
    name: 'web',
    namespace: 'apps',
    form: 'fqdn',
  });
  assert.deepEqual(parseServiceHost('web.apps.svc.corp.example', { clusterDomain: '.Corp.Example.' }), {
    name: 'web',
    namespace: 'apps',
    form: 'fqdn',
  });
  assert.equal(parseServiceHost('web.apps.svc.cluster.local', { clusterDomain: 'corp.example' }), undefined);
  assert.equal(parseServiceHost('web.apps.svc.corp.example'), undefined);
});

test('parseServiceHost: what is not a Service', () => {
  assert.equal(parseServiceHost('web'), undefined, 'a bare name without the pod namespace');
  assert.equal(parseServiceHost('localhost', { defaultNamespace: 'tunnel' }), undefined);
  assert.equal(parseServiceHost('app.example.com'), undefined);
  assert.equal(parseServiceHost('web..apps'), undefined);
  assert.equal(parseServiceHost(''), undefined);
  assert.equal(parseServiceHost('web.apps.pod.cluster.local'), undefined);
});

test('serviceHost composes each form', () => {
  assert.equal(serviceHost('web', 'apps'), 'web.apps.svc.cluster.local');
  assert.equal(serviceHost('web', 'apps', { clusterDomain: 'corp.example.' }), 'web.apps.svc.corp.example');
  assert.equal(serviceHost('web', 'apps', { form: 'svc' }), 'web.apps.svc');
  assert.equal(serviceHost('web', 'apps', { form: 'ns' }), 'web.apps');
  assert.equal(serviceHost('web', 'apps', { form: 'short' }), 'web');
  for (const form of ['ns', 'svc', 'fqdn'] as const)
    assert.deepEqual(
      parseServiceHost(serviceHost('web', 'apps', { form, clusterDomain: 'k8s.internal' }), {
        clusterDomain: 'k8s.internal',
      }),
      { name: 'web', namespace: 'apps', form },
    );
});

test('normalizeClusterDomain: empty is cluster.local', () => {
  assert.equal(normalizeClusterDomain(undefined), 'cluster.local');
  assert.equal(normalizeClusterDomain('  '), 'cluster.local');
  assert.equal(normalizeClusterDomain('Cluster.Local.'), 'cluster.local');
});
