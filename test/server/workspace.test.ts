/** Cross-file diagnostics over the protocol: workspace folders indexed, file events followed. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient } from '../support/lsp';

const FIXTURE = join(__dirname, '../fixtures/workspaces/probe-port-mismatch');

describe('workspace (cross-file) diagnostics', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cftunnel-ws-'));
    cpSync(FIXTURE, dir, { recursive: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('an indexed workspace reports the probe/metrics mismatch in the Deployment, and follows file changes', async () => {
    const client = await TestClient.start({ workspaceFolders: [dir] });
    try {
      await client.nextRefresh();
      const uri = pathToFileURL(join(dir, 'deployment.yaml')).href;
      await client.open(uri, readFileSync(join(dir, 'deployment.yaml'), 'utf8'));
      const before = await client.diagnostics(uri);
      assert.ok(
        before.some((d) => d.code === 'probe-port-mismatch'),
        JSON.stringify(before.map((d) => d.code)),
      );

      const config = join(dir, 'config.yaml');
      writeFileSync(config, readFileSync(config, 'utf8').replace('0.0.0.0:3000', '0.0.0.0:2000'));
      const refreshed = client.nextRefresh();
      await client.filesChanged([config]);
      await refreshed;
      const afterFix = await client.diagnostics(uri);
      assert.ok(!afterFix.some((d) => d.code === 'probe-port-mismatch'), JSON.stringify(afterFix.map((d) => d.code)));
    } finally {
      client.dispose();
    }
  });

  test('a Deployment no NetworkPolicy restricts offers the "Add NetworkPolicy" command as its quick fix', async () => {
    const client = await TestClient.start({ workspaceFolders: [dir] });
    try {
      await client.nextRefresh();
      const uri = pathToFileURL(join(dir, 'deployment.yaml')).href;
      await client.open(uri, readFileSync(join(dir, 'deployment.yaml'), 'utf8'));
      const nudge = (await client.diagnostics(uri)).find((d) => d.code === 'no-network-policy');
      assert.ok(nudge, 'the fixture has no NetworkPolicy');
      // Beside the suppression comment every finding offers (test/server/project.test.ts):
      const actions = (await client.codeActions(uri, nudge.range, [nudge])).filter(
        (a) => a.title !== 'Disable no-network-policy for this line',
      );
      assert.deepEqual(
        actions.map((a) => ({ title: a.title, kind: a.kind, edit: a.edit, command: a.command })),
        [
          {
            title: 'Add NetworkPolicy for cloudflared…',
            kind: 'quickfix',
            edit: undefined,
            command: {
              title: 'Add NetworkPolicy for cloudflared…',
              command: 'cftunnel.addNetworkPolicy',
              arguments: [dir, 'cloudflared', '{"app":"cloudflared"}'],
            },
          },
        ],
      );
    } finally {
      client.dispose();
    }
  });

  test('Restricted Mode reads only open documents: no cross-file findings', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'cftunnel-ws-'));
    cpSync(FIXTURE, fresh, { recursive: true });
    const client = await TestClient.start({ workspaceFolders: [fresh], initializationOptions: { trusted: false } });
    try {
      const uri = pathToFileURL(join(fresh, 'deployment.yaml')).href;
      await client.open(uri, readFileSync(join(fresh, 'deployment.yaml'), 'utf8'));
      const got = await client.diagnostics(uri);
      assert.ok(!got.some((d) => String(d.code).startsWith('probe-')), JSON.stringify(got.map((d) => d.code)));
    } finally {
      client.dispose();
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
