/**
 * How containers are linked to their files: default config paths, subPath/items/projected
 * volumes, flag/env/config precedence, manifests without kustomize, envFrom through generators.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../../../src/core/edits';
import {
  CONFIG,
  CREDENTIALS,
  DEPLOYMENT,
  ID2,
  KUSTOMIZATION,
  MemoryFs,
  cleanSetup,
  findings,
  open,
  policy,
  write,
} from './memory';

const DEPLOY_PATH = '/repo/deploy/deployment.yaml';

function withDeployment(replace: (d: string) => string, overrides: Record<string, string | undefined> = {}): MemoryFs {
  return cleanSetup({ [DEPLOY_PATH]: replace(DEPLOYMENT), ...overrides });
}

describe('links', () => {
  test('the clean setup: config and credentials through generators', () => {
    const fs = cleanSetup();
    const [link] = open(fs).links();
    assert.equal(link?.namespace, 'cloudflared');
    assert.equal(link?.build, '/repo/deploy');
    assert.deepEqual(
      { ...link?.config, name: link?.config?.name.replace(/-[a-z0-9]{10}$/, '-HASH') },
      {
        path: '/etc/cloudflared/config/config.yaml',
        kind: 'ConfigMap',
        name: 'cloudflared-config-HASH',
        key: 'config.yaml',
        volume: 'config',
        source: '/repo/deploy/config.yaml',
        kustomization: '/repo/deploy/kustomization.yaml',
      },
    );
    assert.equal(link?.credentials?.source, '/repo/deploy/credentials.json');
  });

  test('without --config cloudflared finds config.yaml in /etc/cloudflared', () => {
    const fs = withDeployment((d) =>
      d
        .replace('args: [tunnel, --config, /etc/cloudflared/config/config.yaml, run]', 'args: [tunnel, run]')
        .replace('mountPath: /etc/cloudflared/config', 'mountPath: /etc/cloudflared'),
    );
    const ws = open(fs);
    assert.equal(ws.links()[0]?.config?.path, '/etc/cloudflared/config.yaml');
    assert.deepEqual(findings(fs, ws), []);
  });

  test('a subPath mount and items', () => {
    const subPath = withDeployment((d) =>
      d
        .replace('--config, /etc/cloudflared/config/config.yaml', '--config, /etc/cloudflared/config.yaml')
        .replace(
          'mountPath: /etc/cloudflared/config\n',
          'mountPath: /etc/cloudflared/config.yaml\n              subPath: config.yaml\n',
        ),
    );
    assert.equal(open(subPath).links()[0]?.config?.key, 'config.yaml');

    const items = withDeployment((d) =>
      d
        .replace('--config, /etc/cloudflared/config/config.yaml', '--config, /etc/cloudflared/config/cloudflared.yml')
        .replace(
          'name: cloudflared-config\n',
          'name: cloudflared-config\n            items:\n              - key: config.yaml\n                path: cloudflared.yml\n',
        ),
    );
    assert.equal(open(items).links()[0]?.config?.key, 'config.yaml');

    const notProjected = withDeployment((d) =>
      d.replace(
        'name: cloudflared-config\n',
        'name: cloudflared-config\n            items:\n              - key: config.yaml\n                path: cloudflared.yml\n',
      ),
    );
    const ws = open(notProjected);
    assert.deepEqual(findings(notProjected, ws), [
      'deploy/deployment.yaml:19 config-key-missing [/etc/cloudflared/config/config.yaml]',
    ]);
    const d = ws.diagnostics(DEPLOY_PATH)[0]!;
    assert.match(d.message, /projects only cloudflared\.yml/);
    assert.equal(d.fixes?.[0]?.title, 'Read /etc/cloudflared/config/cloudflared.yml');
  });

  test('a --config path the ConfigMap does not hold: its one cloudflared config is checked as the intended one', () => {
    const wrongPath = (d: string): string =>
      d.replace('/etc/cloudflared/config/config.yaml', '/etc/cloudflared/config/config.yml');
    const fs = withDeployment(wrongPath, {
      '/repo/deploy/config.yaml': CONFIG.replace(
        '/etc/cloudflared/creds/credentials.json',
        '/etc/cloudflared/creds/creds.json',
      ),
    });
    const ws = open(fs);
    assert.deepEqual(findings(fs, ws), [
      'deploy/config.yaml:1 credentials-key-missing [/etc/cloudflared/creds/creds.json]',
      'deploy/deployment.yaml:19 config-key-missing [/etc/cloudflared/config/config.yml]',
    ]);
    assert.match(
      ws.diagnostics(DEPLOY_PATH)[0]!.message,
      /The other checks read \/etc\/cloudflared\/config\/config\.yaml, the one cloudflared config the volume holds/,
    );
    assert.equal(ws.links()[0]?.config, undefined, 'cloudflared does not read it: no link');

    // Two configs in the ConfigMap: which one was meant is unknown, so nothing else is judged.
    const two = withDeployment(wrongPath, {
      '/repo/deploy/config.yaml': CONFIG.replace(
        '/etc/cloudflared/creds/credentials.json',
        '/etc/cloudflared/creds/creds.json',
      ),
      '/repo/deploy/staging.yaml': CONFIG.replace('0.0.0.0:2000', '0.0.0.0:3000'),
      '/repo/deploy/kustomization.yaml': KUSTOMIZATION.replace(
        '      - config.yaml\n',
        '      - config.yaml\n      - staging.yaml\n',
      ),
    });
    const ws2 = open(two);
    assert.deepEqual(findings(two, ws2), [
      'deploy/deployment.yaml:19 config-key-missing [/etc/cloudflared/config/config.yml]',
    ]);
    assert.doesNotMatch(ws2.diagnostics(DEPLOY_PATH)[0]!.message, /intended/);

    // A second key that is no cloudflared config does not make it ambiguous.
    const other = withDeployment(wrongPath, {
      '/repo/deploy/config.yaml': CONFIG.replace('0.0.0.0:2000', '0.0.0.0:3000'),
      '/repo/deploy/nginx.yaml': 'server:\n  listen: 80\n',
      '/repo/deploy/kustomization.yaml': KUSTOMIZATION.replace(
        '      - config.yaml\n',
        '      - config.yaml\n      - nginx.yaml\n',
      ),
    });
    assert.deepEqual(findings(other, open(other)), [
      'deploy/deployment.yaml:19 config-key-missing [/etc/cloudflared/config/config.yml]',
      'deploy/deployment.yaml:23 probe-port-mismatch [2000]',
    ]);
  });

  test('a projected volume holds both files', () => {
    const fs = withDeployment(
      (d) =>
        d
          .replace('--config, /etc/cloudflared/config/config.yaml', '--config, /etc/cloudflared/all/config.yaml')
          .replace(
            / {12}- name: config\n {14}mountPath: \/etc\/cloudflared\/config\n {12}- name: creds\n {14}mountPath: \/etc\/cloudflared\/creds\n/,
            '            - name: all\n              mountPath: /etc/cloudflared/all\n',
          )
          .replace(
            / {8}- name: config\n[\s\S]*?secretName: tunnel-credentials\n/,
            '        - name: all\n          projected:\n            sources:\n              - configMap:\n                  name: cloudflared-config\n              - secret:\n                  name: tunnel-credentials\n',
          ),
      {
        '/repo/deploy/config.yaml': CONFIG.replace(
          '/etc/cloudflared/creds/credentials.json',
          '/etc/cloudflared/all/credentials.json',
        ),
      },
    );
    const ws = open(fs);
    const [link] = ws.links();
    assert.deepEqual(
      [link?.config?.kind, link?.credentials?.kind, link?.credentials?.volume],
      ['ConfigMap', 'Secret', 'all'],
    );
    assert.deepEqual(findings(fs, ws), []);
  });

  test('--metrics in args and TUNNEL_METRICS win over the config', () => {
    const config = { '/repo/deploy/config.yaml': CONFIG.replace('0.0.0.0:2000', '0.0.0.0:3000') };
    const args = withDeployment(
      (d) => d.replace('args: [tunnel, --config', 'args: [tunnel, --metrics, 0.0.0.0:2000, --config'),
      config,
    );
    assert.deepEqual(findings(args, open(args)), []);
    const env = withDeployment(
      (d) =>
        d.replace(
          '          livenessProbe:',
          '          env:\n            - name: TUNNEL_METRICS\n              value: 127.0.0.1:2000\n          livenessProbe:',
        ),
      config,
    );
    assert.deepEqual(findings(env, open(env)), ['deploy/deployment.yaml:22 metrics-loopback [127.0.0.1:2000]']);
  });

  test('the unset-metrics fix adds --metrics after tunnel, in flow and block args', () => {
    const config = { '/repo/deploy/config.yaml': CONFIG.replace('metrics: 0.0.0.0:2000\n', '') };
    const flow = withDeployment((d) => d, config);
    const ws = open(flow);
    const [d] = ws.diagnostics(DEPLOY_PATH);
    const fixed = applyEdits(flow.files.get(DEPLOY_PATH)!, d!.fixes![0]!.edits);
    assert.match(fixed, /args: \[tunnel, --metrics, 0\.0\.0\.0:2000, --config,/);
    write(flow, ws, DEPLOY_PATH, fixed);
    assert.deepEqual(findings(flow, ws), []);

    const block = withDeployment(
      (d) =>
        d.replace(
          'args: [tunnel, --config, /etc/cloudflared/config/config.yaml, run]',
          'args:\n            - tunnel # the command\n            - --config\n            - /etc/cloudflared/config/config.yaml\n            - run',
        ),
      config,
    );
    const ws2 = open(block);
    const [d2] = ws2.diagnostics(DEPLOY_PATH);
    const fixed2 = applyEdits(block.files.get(DEPLOY_PATH)!, d2!.fixes![0]!.edits);
    assert.match(fixed2, /- tunnel # the command\n {12}- --metrics\n {12}- 0\.0\.0\.0:2000\n {12}- --config/);
    write(block, ws2, DEPLOY_PATH, fixed2);
    assert.deepEqual(findings(block, ws2), []);
  });

  test('tunnel run <UUID> is checked against the credentials too', () => {
    const fs = withDeployment((d) =>
      d.replace('/etc/cloudflared/config/config.yaml, run]', `/etc/cloudflared/config/config.yaml, run, ${ID2}]`),
    );
    assert.deepEqual(findings(fs, open(fs)), [`deploy/deployment.yaml:19 tunnel-id-mismatch [${ID2}]`]);
  });

  test('a token-based container is not asked for credentials', () => {
    const fs = withDeployment(
      (d) =>
        d.replace(
          '          livenessProbe:',
          '          env:\n            - name: TUNNEL_TOKEN\n              valueFrom:\n                secretKeyRef:\n                  name: tunnel-token\n                  key: token\n          livenessProbe:',
        ),
      {
        '/repo/deploy/config.yaml': CONFIG.replace(
          'credentials-file: /etc/cloudflared/creds/credentials.json',
          'credentials-file: /nowhere/credentials.json',
        ),
      },
    );
    assert.deepEqual(findings(fs, open(fs)), []);
  });

  test('a config the workspace cannot see leaves metrics and credentials unjudged', () => {
    const fs = withDeployment((d) => d.replace('name: cloudflared-config', 'name: defined-in-the-cluster'));
    const ws = open(fs);
    assert.deepEqual(findings(fs, ws), []);
    assert.equal(ws.links()[0]?.config, undefined);
  });

  test('envFrom resolved through a secretGenerator envs file (with prefix)', () => {
    const fs = withDeployment(
      (d) =>
        d
          .replace(
            'args: [tunnel, --config',
            'args: [tunnel, --loglevel, $(CF_LEVEL), --origincert, $(CF_CERT), --config',
          )
          .replace(
            '          livenessProbe:',
            '          envFrom:\n            - prefix: CF_\n              secretRef:\n                name: tunnel-env\n          livenessProbe:',
          ),
      {
        '/repo/deploy/kustomization.yaml': `${KUSTOMIZATION}  - name: tunnel-env\n    envs:\n      - tunnel.env\n`,
        '/repo/deploy/tunnel.env': 'LEVEL=debug\n',
        '/repo/.gitignore': 'credentials.json\n*.env\n',
      },
    );
    const ws = open(fs);
    assert.deepEqual(findings(fs, ws), ['deploy/deployment.yaml:19 unresolved-var [$(CF_CERT)]']);
    write(fs, ws, '/repo/deploy/tunnel.env', 'LEVEL=debug\nCERT=/etc/cert.pem\n');
    assert.deepEqual(findings(fs, ws), []);
  });

  test('optional key references are not reported', () => {
    const fs = withDeployment((d) =>
      d.replace(
        '          livenessProbe:',
        '          env:\n            - name: X\n              valueFrom:\n                secretKeyRef:\n                  name: tunnel-credentials\n                  key: nope\n                  optional: true\n          livenessProbe:',
      ),
    );
    assert.deepEqual(findings(fs, open(fs)), []);
  });

  test('plain manifests: the config embedded in a ConfigMap, positions mapped, fix applied', () => {
    const manifest = `apiVersion: v1
kind: ConfigMap
metadata:
  name: cloudflared
data:
  config.yaml: |
    tunnel: t
    credentials-file: /etc/cloudflared/creds/credentials.json
    metrics: 0.0.0.0:2000
    ingress:
      - service: http://web:8081
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - port: 8080
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: cloudflared-any-egress
spec:
  podSelector:
    matchLabels:
      app: cloudflared
  policyTypes: [Egress]
  egress:
    - {}
---
${DEPLOYMENT.replace('name: cloudflared-config', 'name: cloudflared')}`;
    const fs = new MemoryFs({ '/repo/all.yaml': manifest });
    const ws = open(fs);
    assert.deepEqual(findings(fs, ws), ['all.yaml:10 service-port-not-found [http://web:8081]']);
    const [d] = ws.diagnostics('/repo/all.yaml');
    assert.match(d!.message, /namespace 'default'/);
    write(fs, ws, '/repo/all.yaml', applyEdits(manifest, d!.fixes![0]!.edits));
    assert.deepEqual(findings(fs, ws), []);
    assert.equal(ws.links()[0]?.config?.source, '/repo/all.yaml');
  });

  test('a rule to a cluster IP the workspace knows gets its DNS name', () => {
    const fs = cleanSetup({
      '/repo/apps/services.yaml':
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: apps\nspec:\n  clusterIP: 10.96.0.10\n  ports:\n    - port: 80\n',
      '/repo/deploy/config.yaml': CONFIG.replace('http://web.apps.svc.cluster.local', 'http://10.96.0.10'),
    });
    const ws = open(fs);
    const [d] = ws.diagnostics('/repo/deploy/config.yaml');
    assert.equal(d?.code, 'service-cluster-ip');
    assert.equal(applyEdits(fs.files.get('/repo/deploy/config.yaml')!, d!.fixes![0]!.edits), CONFIG);
  });

  test('a secret input outside any repository is not judged', () => {
    const fs = new MemoryFs(
      {
        '/repo/deploy/kustomization.yaml': KUSTOMIZATION,
        '/repo/deploy/config.yaml': CONFIG,
        '/repo/deploy/credentials.json': CREDENTIALS,
        '/repo/deploy/deployment.yaml': DEPLOYMENT,
        '/repo/deploy/networkpolicy.yaml': policy(8080),
      },
      [],
    );
    assert.deepEqual(findings(fs, open(fs)), []);
  });
});
