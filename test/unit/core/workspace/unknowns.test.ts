/**
 * Where the workspace does not hold the whole truth, the checks say nothing (or information that
 * says why): policies of other engines, Services operators create at runtime, files a sidecar
 * injector writes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIG, DEPLOYMENT, SELECTING_SERVICES, cleanSetup, findings, open, policy, write } from './memory';

const CILIUM = `apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata:
  name: default-deny
spec:
  endpointSelector: {}
  egress:
    - toEntities: [cluster]
`;

describe('policies of other engines', () => {
  test('a Cilium policy anywhere silences no-network-policy; removing it brings it back', () => {
    const fs = cleanSetup({ '/repo/deploy/networkpolicy.yaml': undefined });
    const ws = open(fs);
    assert.deepEqual(findings(fs, ws), ['deploy/deployment.yaml:3 no-network-policy [cloudflared]']);
    write(fs, ws, '/repo/platform/cilium.yaml', CILIUM);
    assert.deepEqual(findings(fs, ws), []);
    write(fs, ws, '/repo/platform/cilium.yaml', undefined);
    assert.deepEqual(findings(fs, ws), ['deploy/deployment.yaml:3 no-network-policy [cloudflared]']);
  });

  test('NetworkPolicy verdicts are not given next to Calico policies (whose kind may be NetworkPolicy too)', () => {
    const fs = cleanSetup({
      '/repo/deploy/networkpolicy.yaml': policy(80),
      '/repo/apps/services.yaml': SELECTING_SERVICES,
    });
    const ws = open(fs);
    assert.deepEqual(findings(fs, ws), ['deploy/config.yaml:5 policy-blocks-rule [http://web.apps.svc.cluster.local]']);
    const calico =
      'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata:\n  name: allow-web\n  namespace: cloudflared\nspec:\n  selector: app == "cloudflared"\n  types: [Egress]\n  egress:\n    - action: Allow\n';
    write(fs, ws, '/repo/deploy/calico.yaml', calico);
    assert.deepEqual(findings(fs, ws), []);
    // Read as a Kubernetes NetworkPolicy, it would have isolated egress without DNS.
    write(
      fs,
      ws,
      '/repo/deploy/calico.yaml',
      calico
        .replace('projectcalico.org/v3', 'crd.projectcalico.org/v1')
        .replace('kind: NetworkPolicy', 'kind: GlobalNetworkPolicy'),
    );
    assert.deepEqual(findings(fs, ws), []);
  });
});

describe('Services created at runtime', () => {
  const rule = (service: string): Record<string, string> => ({
    '/repo/deploy/config.yaml': CONFIG.replace('http://web.apps.svc.cluster.local', service),
  });

  test('a Knative Service of that name turns service-not-found into information, and back when it goes', () => {
    const fs = cleanSetup(rule('http://hello.apps.svc.cluster.local'));
    const ws = open(fs);
    assert.deepEqual(findings(fs, ws), [
      'deploy/config.yaml:5 service-not-found [http://hello.apps.svc.cluster.local]',
    ]);
    assert.equal(ws.diagnostics('/repo/deploy/config.yaml')[0]?.severity, 'warning');
    write(
      fs,
      ws,
      '/repo/apps/hello.yaml',
      'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: hello\n  namespace: apps\nspec: {}\n',
    );
    const [d] = ws.diagnostics('/repo/deploy/config.yaml');
    assert.equal(d?.code, 'service-not-found');
    assert.equal(d?.severity, 'information');
    assert.match(
      d!.message,
      /may be created at runtime by Service 'hello' \(serving\.knative\.dev\/v1, \.\.\/apps\/hello\.yaml\)/,
    );
    write(fs, ws, '/repo/apps/hello.yaml', undefined);
    assert.equal(ws.diagnostics('/repo/deploy/config.yaml')[0]?.severity, 'warning');
  });

  test('a HelmRelease deploying into the namespace: any Service name may come from its chart', () => {
    const fs = cleanSetup({
      ...rule('http://grafana.apps.svc.cluster.local'),
      '/repo/flux/monitoring.yaml':
        'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: monitoring\n  namespace: flux-system\nspec:\n  targetNamespace: apps\n  chart:\n    spec:\n      chart: grafana\n',
    });
    const ws = open(fs);
    const [d] = ws.diagnostics('/repo/deploy/config.yaml');
    assert.equal(d?.severity, 'information');
    assert.match(d!.message, /HelmRelease 'monitoring'.*deploys into namespace 'apps'/);
  });

  test("the cluster's own Services are never reported, nor namespaces the workspace does not hold", () => {
    const fs = cleanSetup({
      '/repo/deploy/config.yaml': CONFIG.replace(
        '  - service: http_status:404',
        '  - hostname: k8s.example.com\n    service: https://kubernetes.default.svc\n  - hostname: cd.example.com\n    service: https://argocd-server.argocd.svc.cluster.local\n  - service: http_status:404',
      ),
      '/repo/other/default.yaml':
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: something\nspec:\n  ports:\n    - port: 80\n',
    });
    assert.deepEqual(findings(fs, open(fs)), []);
  });
});

describe('files injected at admission', () => {
  test('Vault agent annotations: config-not-mounted is information; agent-inject "false" keeps the warning', () => {
    const vault = (on: string): string =>
      DEPLOYMENT.replace('/etc/cloudflared/config/config.yaml', '/vault/secrets/config.yaml').replace(
        '      labels:\n        app: cloudflared\n    spec:',
        `      labels:\n        app: cloudflared\n      annotations:\n        vault.hashicorp.com/agent-inject: "${on}"\n        vault.hashicorp.com/agent-inject-secret-config.yaml: secret/data/cloudflared\n    spec:`,
      );
    const fs = cleanSetup({ '/repo/deploy/deployment.yaml': vault('true') });
    const ws = open(fs);
    const d = ws.diagnostics('/repo/deploy/deployment.yaml').find((x) => x.code === 'config-not-mounted');
    assert.equal(d?.severity, 'information');
    assert.match(d!.message, /injected by the Vault agent injector/);
    write(fs, ws, '/repo/deploy/deployment.yaml', vault('false'));
    assert.equal(
      ws.diagnostics('/repo/deploy/deployment.yaml').find((x) => x.code === 'config-not-mounted')?.severity,
      'warning',
    );
  });
});
