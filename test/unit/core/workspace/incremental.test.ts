/**
 * Incremental updates: one changed file changes exactly the diagnostics that depend on it, and
 * nothing else is re-read or recomputed (cached results keep their identity).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONFIG,
  DEPLOYMENT,
  ID2,
  KUSTOMIZATION,
  SELECTING_SERVICES,
  SERVICES,
  cleanSetup,
  findings,
  open,
  policy,
  write,
} from './memory';

const CONFIG_PATH = '/repo/deploy/config.yaml';
const CREDS_PATH = '/repo/deploy/credentials.json';
const DEPLOY_PATH = '/repo/deploy/deployment.yaml';
const KUST_PATH = '/repo/deploy/kustomization.yaml';
const SERVICES_PATH = '/repo/apps/services.yaml';

describe('incremental updates', () => {
  test('the clean setup has no findings', () => {
    const fs = cleanSetup();
    assert.deepEqual(findings(fs, open(fs)), []);
  });

  test('editing config.yaml makes the probe diagnostics appear and disappear', () => {
    const fs = cleanSetup();
    const ws = open(fs);
    write(fs, ws, CONFIG_PATH, CONFIG.replace('metrics: 0.0.0.0:2000\n', ''));
    assert.deepEqual(findings(fs, ws), ['deploy/deployment.yaml:23 probe-metrics-unset [2000]']);
    write(fs, ws, CONFIG_PATH, CONFIG.replace('0.0.0.0:2000', '0.0.0.0:3000'));
    assert.deepEqual(findings(fs, ws), ['deploy/deployment.yaml:23 probe-port-mismatch [2000]']);
    write(fs, ws, CONFIG_PATH, CONFIG.replace('0.0.0.0:2000', '127.0.0.1:2000'));
    assert.deepEqual(findings(fs, ws), ['deploy/config.yaml:2 metrics-loopback [127.0.0.1:2000]']);
    write(fs, ws, CONFIG_PATH, CONFIG);
    assert.deepEqual(findings(fs, ws), []);
  });

  test('deleting credentials.json reports the missing input; restoring it clears it', () => {
    const fs = cleanSetup();
    const ws = open(fs);
    const text = fs.files.get(CREDS_PATH)!;
    // Git-ignored (the clean setup's .gitignore): a fresh clone, told how to create it.
    write(fs, ws, CREDS_PATH, undefined);
    assert.deepEqual(findings(fs, ws), ['deploy/kustomization.yaml:10 secret-input-missing [credentials.json]']);
    const [d] = ws.diagnostics(KUST_PATH);
    assert.equal(d?.severity, 'information');
    assert.match(d!.message, /git ignores it/);
    assert.match(d!.message, /"Cloudflare Tunnel: Write Tunnel credentials\.json…"/);
    assert.match(d!.message, /cloudflared tunnel create/);
    // Not ignored any more: a plain missing file, kustomize's error.
    write(fs, ws, '/repo/.gitignore', '*.local.yaml\n');
    assert.deepEqual(findings(fs, ws), ['deploy/kustomization.yaml:10 kustomize-missing-file [credentials.json]']);
    assert.equal(ws.diagnostics(KUST_PATH)[0]?.severity, 'error');
    write(fs, ws, '/repo/.gitignore', 'credentials.json\n');
    assert.deepEqual(findings(fs, ws), ['deploy/kustomization.yaml:10 secret-input-missing [credentials.json]']);
    write(fs, ws, CREDS_PATH, text);
    assert.deepEqual(findings(fs, ws), []);
  });

  test('a missing git-ignored envs input of a secretGenerator, and a configMapGenerator input (never downgraded)', () => {
    const fs = cleanSetup({
      '/repo/.gitignore': 'credentials.json\n*.env\n',
      '/repo/deploy/kustomization.yaml': `${KUSTOMIZATION.replace('      - config.yaml\n', '      - config.yaml\n      - extra.env\n')}  - name: tunnel-token\n    envs:\n      - token.env\n`,
    });
    const ws = open(fs);
    assert.deepEqual(findings(fs, ws), [
      'deploy/kustomization.yaml:7 kustomize-missing-file [extra.env]',
      'deploy/kustomization.yaml:14 secret-input-missing [token.env]',
    ]);
    assert.match(ws.diagnostics(KUST_PATH)[1]!.message, /Create it with the values of Secret 'tunnel-token'/);
  });

  test('credentials.json content is re-read when it changes: the TunnelID check follows', () => {
    const fs = cleanSetup();
    const ws = open(fs);
    write(fs, ws, CREDS_PATH, fs.files.get(CREDS_PATH)!.replace(/"TunnelID":"[^"]+"/, `"TunnelID":"${ID2}"`));
    assert.deepEqual(findings(fs, ws), [
      `deploy/config.yaml:0 tunnel-id-mismatch [00000000-0000-4000-8000-000000000001]`,
    ]);
    write(fs, ws, CREDS_PATH, '{"AccountTag": "x",\n');
    assert.deepEqual(findings(fs, ws), ['deploy/kustomization.yaml:10 credentials-invalid [credentials.json]']);
  });

  test('renaming a Service port reports the rule; renaming it back clears it', () => {
    const fs = cleanSetup();
    const ws = open(fs);
    write(fs, ws, SERVICES_PATH, SERVICES.replace('port: 80', 'port: 8080'));
    assert.deepEqual(findings(fs, ws), [
      'deploy/config.yaml:5 service-port-not-found [http://web.apps.svc.cluster.local]',
    ]);
    write(fs, ws, SERVICES_PATH, SERVICES.replace('name: web', 'name: website'));
    assert.deepEqual(findings(fs, ws), ['deploy/config.yaml:5 service-not-found [http://web.apps.svc.cluster.local]']);
    write(fs, ws, SERVICES_PATH, SERVICES);
    assert.deepEqual(findings(fs, ws), []);
  });

  test('a NetworkPolicy that allows the Service port, not its targetPort, blocks the rule until fixed', () => {
    const fs = cleanSetup();
    const ws = open(fs);
    const POLICY_PATH = '/repo/deploy/networkpolicy.yaml';
    write(fs, ws, SERVICES_PATH, SELECTING_SERVICES);
    assert.deepEqual(findings(fs, ws), []);
    write(fs, ws, POLICY_PATH, policy(80));
    assert.deepEqual(findings(fs, ws), ['deploy/config.yaml:5 policy-blocks-rule [http://web.apps.svc.cluster.local]']);
    assert.match(ws.diagnostics(CONFIG_PATH)[0]!.message, /port 8080\/TCP \(the Service's port 80 forwards there\)/);
    write(fs, ws, POLICY_PATH, policy(8080));
    assert.deepEqual(findings(fs, ws), []);
    // The Service changes its targetPort: the policy no longer fits.
    write(fs, ws, SERVICES_PATH, SELECTING_SERVICES.replace('targetPort: 8080', 'targetPort: 9090'));
    assert.deepEqual(findings(fs, ws), ['deploy/config.yaml:5 policy-blocks-rule [http://web.apps.svc.cluster.local]']);
    // A named targetPort cannot be judged without the pods: nothing is reported.
    write(fs, ws, SERVICES_PATH, SELECTING_SERVICES.replace('targetPort: 8080', 'targetPort: http'));
    assert.deepEqual(findings(fs, ws), []);
    // The rule goes elsewhere: the peer is unused, and its diagnostic follows the lines of the policy.
    write(fs, ws, SERVICES_PATH, SELECTING_SERVICES);
    write(fs, ws, CONFIG_PATH, CONFIG.replace('http://web.apps.svc.cluster.local', 'http_status:204'));
    assert.deepEqual(findings(fs, ws), ['deploy/networkpolicy.yaml:15 policy-target-unused [namespaceSelector:]']);
    write(fs, ws, POLICY_PATH, policy(8080, '# moved down\n'));
    assert.deepEqual(findings(fs, ws), ['deploy/networkpolicy.yaml:16 policy-target-unused [namespaceSelector:]']);
    // No policy at all: the pods can reach everything, and the nudge offers the command that writes one.
    write(fs, ws, POLICY_PATH, undefined);
    assert.deepEqual(findings(fs, ws), ['deploy/deployment.yaml:3 no-network-policy [cloudflared]']);
    assert.deepEqual(ws.diagnostics(DEPLOY_PATH)[0]!.fixes, [
      {
        title: 'Add NetworkPolicy for cloudflared…',
        edits: [],
        command: { kind: 'add-network-policy', arguments: ['/repo/deploy', 'cloudflared', '{"app":"cloudflared"}'] },
      },
    ]);
  });

  test('a kustomization that renames the Services moves them', () => {
    const fs = cleanSetup({ '/repo/apps/kustomization.yaml': 'resources:\n  - services.yaml\n' });
    const ws = open(fs);
    assert.deepEqual(findings(fs, ws), []);
    write(fs, ws, '/repo/apps/kustomization.yaml', 'namePrefix: x-\nresources:\n  - services.yaml\n');
    assert.deepEqual(findings(fs, ws), ['deploy/config.yaml:5 service-not-found [http://web.apps.svc.cluster.local]']);
    assert.match(ws.diagnostics(CONFIG_PATH)[0]!.message, /renames 'web' to 'x-web'/);
    write(fs, ws, '/repo/apps/kustomization.yaml', undefined);
    assert.deepEqual(findings(fs, ws), []);
  });

  test('.gitignore edits: the secret input is reported until git ignores it', () => {
    const fs = cleanSetup();
    const ws = open(fs);
    write(fs, ws, '/repo/.gitignore', undefined);
    assert.deepEqual(findings(fs, ws), ['deploy/kustomization.yaml:10 secret-input-not-ignored [credentials.json]']);
    const [d] = ws.diagnostics(KUST_PATH);
    assert.deepEqual(d!.fixes?.[0]?.files, [{ path: '.gitignore', content: 'credentials.json\n', append: true }]);
    write(fs, ws, '/repo/deploy/.gitignore', '*.json\n!credentials.json\n');
    assert.equal(findings(fs, ws).length, 1);
    write(fs, ws, '/repo/deploy/.gitignore', '/credentials.json\n');
    assert.deepEqual(findings(fs, ws), []);
  });

  test('deleting the deployment removes the diagnostics it caused in other files', () => {
    const fs = cleanSetup({ '/repo/deploy/config.yaml': CONFIG.replace(/^tunnel: .*$/m, `tunnel: ${ID2}`) });
    const ws = open(fs);
    assert.deepEqual(findings(fs, ws), [
      'deploy/config.yaml:0 tunnel-id-mismatch [00000000-0000-4000-8000-000000000002]',
    ]);
    write(fs, ws, DEPLOY_PATH, undefined);
    assert.deepEqual(findings(fs, ws), []);
    write(fs, ws, DEPLOY_PATH, DEPLOYMENT);
    assert.equal(findings(fs, ws).length, 1);
  });

  test('a kustomization that stops listing the deployment unlinks it', () => {
    const fs = cleanSetup();
    const ws = open(fs);
    assert.equal(ws.links()[0]?.config?.kind, 'ConfigMap');
    write(fs, ws, KUST_PATH, KUSTOMIZATION.replace('  - deployment.yaml\n', ''));
    // The ConfigMap is no longer generated for this Deployment: nothing is known about it. It now
    // lands in namespace default, where no NetworkPolicy is.
    assert.equal(ws.links()[0]?.config, undefined);
    assert.deepEqual(findings(fs, ws), ['deploy/deployment.yaml:3 no-network-policy [cloudflared]']);
    assert.match(ws.diagnostics(DEPLOY_PATH)[0]!.message, /namespace 'default'/);
  });

  test('edits re-read nothing through the reader and leave unrelated results untouched', () => {
    const fs = cleanSetup({ '/repo/ci/workflow.yml': 'on: push\njobs: {}\n' });
    const ws = open(fs);
    for (const p of [DEPLOY_PATH, CONFIG_PATH, KUST_PATH]) ws.diagnostics(p);
    const before = {
      deployment: ws.diagnostics(DEPLOY_PATH),
      kustomization: ws.diagnostics(KUST_PATH),
      reads: fs.reads.length,
    };

    write(fs, ws, '/repo/ci/workflow.yml', 'on: [push, pull_request]\njobs: {}\n');
    write(fs, ws, SERVICES_PATH, `# a comment\n${SERVICES}`); // same Services: nothing depends on the text
    assert.equal(ws.diagnostics(DEPLOY_PATH), before.deployment, 'the deployment results were recomputed');
    assert.equal(ws.diagnostics(KUST_PATH), before.kustomization, 'the kustomization results were recomputed');

    write(fs, ws, DEPLOY_PATH, `${DEPLOYMENT}# typing\n`);
    assert.equal(ws.diagnostics(KUST_PATH), before.kustomization, 'a deployment edit recomputed the kustomization');
    write(fs, ws, CONFIG_PATH, `${CONFIG}# typing\n`);
    for (const p of [DEPLOY_PATH, CONFIG_PATH, KUST_PATH]) ws.diagnostics(p);
    assert.deepEqual(fs.reads.slice(before.reads), [], 'files were read again');
  });

  test('stats', () => {
    const fs = cleanSetup();
    assert.deepEqual(open(fs).stats(), { files: 5, kustomizations: 1, containers: 1 });
  });
});
