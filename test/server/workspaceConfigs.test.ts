/**
 * `cftunnel/workspaceConfigs`: the one reader of the workspace's cloudflared configs (issue #15).
 * A config held in a ConfigMap is returned beside a standalone one, with ranges in the ConfigMap's
 * file; edits of open documents are followed (with `cftunnel/workspaceConfigsChanged`); in Restricted
 * Mode only open documents are read. And the drift report, fed from this reader, sees the
 * ConfigMap's rules (its old reader took only files starting with `tunnel:`).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findDrift } from '../../src/core/drift';
import { driftWorkspaceConfigs, workspaceRules } from '../../src/extension/workspaceConfigsModel';
import { WORKSPACE_CONFIGS_CHANGED, WORKSPACE_CONFIGS_REQUEST } from '../../src/shared/workspaceConfigs';
import type { WorkspaceConfig } from '../../src/shared/workspaceConfigs';
import { yaml } from '../support/config';
import { TestClient } from '../support/lsp';

const TUNNEL = '6ff42ae2-765d-4adf-8112-31c55c1551ef';

const STANDALONE = yaml`
  tunnel: home
  credentials-file: /etc/cloudflared/creds/credentials.json
  ingress:
    - hostname: home.example.com
      service: http://web.apps.svc.cluster.local:80
    - service: http_status:404
`;

const CONFIGMAP = yaml`
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: cloudflared
    namespace: cloudflared
  data:
    config.yaml: |
      tunnel: ${TUNNEL}
      credentials-file: /etc/cloudflared/creds/credentials.json
      ingress:
        - hostname: app.example.com
          service: http://webb.apps.svc.cluster.local:8080
        - service: http_status:404
  ---
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: cloudflared
    namespace: cloudflared
  spec:
    replicas: 1
    selector:
      matchLabels: { app: cloudflared }
    template:
      metadata:
        labels: { app: cloudflared }
      spec:
        containers:
          - name: cloudflared
            image: cloudflare/cloudflared:2025.4.0
            args: [tunnel, --config, /etc/cloudflared/config/config.yaml, run]
`;

const request = (client: TestClient): Promise<WorkspaceConfig[]> =>
  client.connection.sendRequest(WORKSPACE_CONFIGS_REQUEST);
const notified = (client: TestClient): Promise<void> =>
  new Promise((resolve) => client.connection.onNotification(WORKSPACE_CONFIGS_CHANGED, () => resolve()));

describe('cftunnel/workspaceConfigs', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cftunnel-configs-'));
    writeFileSync(join(dir, 'config.yaml'), STANDALONE);
    writeFileSync(join(dir, 'cloudflared.yaml'), CONFIGMAP);
    writeFileSync(join(dir, 'values.yaml'), 'replicas: 2\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('returns the standalone config and the one in a ConfigMap, with ranges in the ConfigMap file', async () => {
    const client = await TestClient.start({ workspaceFolders: [dir] });
    try {
      await client.nextRefresh(); // indexed
      const configs = await request(client);
      assert.deepEqual(
        configs.map((c) => ({
          path: c.path,
          tunnel: c.tunnel,
          embedded: c.embedded,
          exact: c.exact,
          configMap: c.configMap,
          key: c.key,
          hosts: c.rules.map((r) => r.hostname),
        })),
        [
          {
            path: join(dir, 'cloudflared.yaml'),
            tunnel: TUNNEL,
            embedded: true,
            exact: true,
            configMap: 'cloudflared',
            key: 'config.yaml',
            hosts: ['app.example.com', undefined],
          },
          {
            path: join(dir, 'config.yaml'),
            tunnel: 'home',
            embedded: false,
            exact: true,
            configMap: undefined,
            key: undefined,
            hosts: ['home.example.com', undefined],
          },
        ],
      );
      const embedded = configs[0]!;
      assert.equal(embedded.uri, pathToFileURL(join(dir, 'cloudflared.yaml')).href);
      // `service: http://webb…` is line 11 of the ConfigMap file, indented by 8.
      const lines = CONFIGMAP.split('\n');
      const s = embedded.rules[0]!.serviceRange!;
      assert.equal(
        lines[s.start.line]!.slice(s.start.character, s.end.character),
        'http://webb.apps.svc.cluster.local:8080',
      );
      // The Tunnels view's join gets the rules with their lines.
      assert.deepEqual(workspaceRules([embedded])[0], {
        tunnel: TUNNEL,
        service: 'http://webb.apps.svc.cluster.local:8080',
        file: embedded.path,
        hostname: 'app.example.com',
        line: s.start.line - 1,
      });
    } finally {
      client.dispose();
    }
  });

  test('follows the edits of an open document and says so', async () => {
    const client = await TestClient.start({ workspaceFolders: [dir] });
    try {
      await client.nextRefresh(); // indexed
      await request(client);
      const uri = pathToFileURL(join(dir, 'cloudflared.yaml')).href;
      await client.open(uri, CONFIGMAP);
      const changed = notified(client);
      await client.change(uri, CONFIGMAP.replace('app.example.com', 'shop.example.com'));
      await changed;
      const configs = await request(client);
      assert.deepEqual(
        configs.find((c) => c.embedded)?.rules.map((r) => r.hostname),
        ['shop.example.com', undefined],
      );
    } finally {
      client.dispose();
    }
  });

  test('Restricted Mode: only open documents', async () => {
    const client = await TestClient.start({ workspaceFolders: [dir], initializationOptions: { trusted: false } });
    try {
      assert.deepEqual(await request(client), []);
      const uri = pathToFileURL(join(dir, 'config.yaml')).href;
      const changed = notified(client);
      await client.open(uri, STANDALONE);
      await changed;
      assert.deepEqual(
        (await request(client)).map((c) => c.path),
        [join(dir, 'config.yaml')],
      );
    } finally {
      client.dispose();
    }
  });

  test('the drift report sees the rules of the ConfigMap config', async () => {
    const client = await TestClient.start({ workspaceFolders: [dir] });
    try {
      await client.nextRefresh(); // indexed
      const configs = await request(client);
      const findings = findDrift({
        clusterConnected: true,
        services: [{ name: 'web', namespace: 'apps', clusterIP: '10.96.0.10', ports: [{ port: 8080 }] }],
        tunnels: [{ id: TUNNEL, name: 'prod', status: 'healthy', configSrc: 'local' }],
        dnsRecords: [],
        workspaceConfigs: driftWorkspaceConfigs(configs),
      });
      const missing = findings.find((f) => f.code === 'drift-service-missing');
      assert.ok(missing, JSON.stringify(findings.map((f) => f.code)));
      assert.match(missing.message, /No Service 'webb' in namespace 'apps'/);
      assert.equal(missing.location?.path, join(dir, 'cloudflared.yaml'));
      assert.equal(missing.location?.range.start.line, configs[0]!.rules[0]!.serviceRange!.start.line);
      assert.deepEqual(missing.actions[0], {
        kind: 'rewrite-service',
        title: "Use Service 'web' in namespace 'apps'",
        preferred: true,
        data: {
          target: {
            source: 'workspace',
            path: join(dir, 'cloudflared.yaml'),
            ruleIndex: 0,
            range: configs[0]!.rules[0]!.range,
            serviceRange: configs[0]!.rules[0]!.serviceRange,
          },
          from: 'http://webb.apps.svc.cluster.local:8080',
          to: 'http://web.apps.svc.cluster.local:8080',
        },
      });
    } finally {
      client.dispose();
    }
  });
});
