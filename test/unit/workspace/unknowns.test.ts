/**
 * Where the workspace does not hold the whole truth, the checks say nothing (or information that
 * says why): policies of other engines, Services operators create at runtime, files a sidecar
 * injector writes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SELECTING_SERVICES, cleanSetup, findings, open, policy, write } from './memory';

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
    const fs = cleanSetup({ '/repo/deploy/networkpolicy.yaml': policy(80), '/repo/apps/services.yaml': SELECTING_SERVICES });
    const ws = open(fs);
    assert.deepEqual(findings(fs, ws), ['deploy/config.yaml:5 policy-blocks-rule [http://web.apps.svc.cluster.local]']);
    const calico = 'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata:\n  name: allow-web\n  namespace: cloudflared\nspec:\n  selector: app == "cloudflared"\n  types: [Egress]\n  egress:\n    - action: Allow\n';
    write(fs, ws, '/repo/deploy/calico.yaml', calico);
    assert.deepEqual(findings(fs, ws), []);
    // Read as a Kubernetes NetworkPolicy, it would have isolated egress without DNS.
    write(fs, ws, '/repo/deploy/calico.yaml', calico.replace('projectcalico.org/v3', 'crd.projectcalico.org/v1').replace('kind: NetworkPolicy', 'kind: GlobalNetworkPolicy'));
    assert.deepEqual(findings(fs, ws), []);
  });
});
