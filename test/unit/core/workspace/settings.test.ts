/**
 * The settings the workspace checks honour (issue #15): `cftunnel.kubernetes.clusterDomain` and
 * `cftunnel.networkPolicy.publicLabel`, given through `Workspace.configure`; a change re-runs the
 * checks that read them.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../../../src/core/edits';
import { CONFIG, SELECTING_SERVICES, cleanSetup, findings, open, write } from './memory';

const CONFIG_PATH = '/repo/deploy/config.yaml';
const SERVICES_PATH = '/repo/apps/services.yaml';

describe('workspace settings', () => {
  test('the cluster domain decides which names are Services, and the name a ClusterIP fix writes', () => {
    const fs = cleanSetup({
      '/repo/deploy/config.yaml': CONFIG.replace(
        'http://web.apps.svc.cluster.local',
        'http://wbe.apps.svc.corp.example',
      ),
    });
    const ws = open(fs);
    const serviceFindings = (): string[] =>
      findings(fs, ws)
        .filter((f) => / service-/.test(f))
        .map((f) => f.replace(/ \[.*/, ''));
    assert.deepEqual(serviceFindings(), [], 'not a Service name in cluster.local');
    ws.configure({ clusterDomain: 'corp.example', publicLabel: 'cftunnel/public=true' });
    assert.deepEqual(serviceFindings(), ['deploy/config.yaml:5 service-not-found']);

    write(fs, ws, SERVICES_PATH, SELECTING_SERVICES.replace('spec:\n', 'spec:\n  clusterIP: 10.96.0.10\n'));
    write(fs, ws, CONFIG_PATH, CONFIG.replace('http://web.apps.svc.cluster.local', 'http://10.96.0.10'));
    const [d] = ws.diagnostics(CONFIG_PATH).filter((x) => x.code === 'service-cluster-ip');
    assert.equal(
      applyEdits(fs.files.get(CONFIG_PATH)!, d!.fixes![0]!.edits),
      CONFIG.replace('http://web.apps.svc.cluster.local', 'http://web.apps.svc.corp.example'),
    );
  });

  test('the public label keeps a policy peer in use, whatever label the setting names', () => {
    const fs = cleanSetup({
      [SERVICES_PATH]: SELECTING_SERVICES.replace(
        '  namespace: apps\n',
        '  namespace: apps\n  labels:\n    expose: "yes"\n',
      ),
      [CONFIG_PATH]: CONFIG.replace('http://web.apps.svc.cluster.local', 'http_status:204'),
    });
    const ws = open(fs);
    assert.deepEqual(findings(fs, ws), ['deploy/networkpolicy.yaml:15 policy-target-unused [namespaceSelector:]']);
    assert.match(
      ws.diagnostics('/repo/deploy/networkpolicy.yaml')[0]!.message,
      /labels no Service there cftunnel\/public=true/,
    );
    ws.configure({ clusterDomain: 'cluster.local', publicLabel: 'expose=yes' });
    assert.deepEqual(findings(fs, ws), []);
    ws.configure({ clusterDomain: 'cluster.local', publicLabel: 'expose' });
    assert.deepEqual(findings(fs, ws), [], 'a key alone matches any value');
    ws.configure({ clusterDomain: 'cluster.local', publicLabel: 'expose=no' });
    assert.deepEqual(findings(fs, ws), ['deploy/networkpolicy.yaml:15 policy-target-unused [namespaceSelector:]']);
  });
});
