/** Settings over the protocol: pulled per resource, cached, refreshed on change; diagnostics off. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestClient, VSCODE_CAPABILITIES } from '../support/lsp';

const broken = 'ingress:\n  - hostname: a.com\n    service: http://a:1\n';

describe('settings', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ settings: { diagnostics: { enable: false } } });
  });
  after(() => client.dispose());

  test('cftunnel.diagnostics.enable: false turns diagnostics off, and back on after a change', async () => {
    const uri = 'file:///w/config.yaml';
    await client.open(uri, broken);
    assert.deepEqual(await client.diagnostics(uri), []);
    await client.changeSettings({ diagnostics: { enable: true } });
    assert.equal(client.refreshes, 1);
    assert.deepEqual(
      (await client.diagnostics(uri)).map((d) => d.code),
      ['last-rule-not-catch-all'],
    );
  });

  test('the server asks to be told about changes of the cftunnel section', async () => {
    await client.diagnostics('file:///w/none.yaml');
    assert.deepEqual(
      client.registrations.map((r) => [r.method, r.registerOptions]),
      [['workspace/didChangeConfiguration', { section: 'cftunnel' }]],
    );
  });

  test('pulled per resource and cached until the configuration changes or the document closes', async () => {
    const uri = 'file:///w/other/config.yaml';
    await client.open(uri, broken);
    const before = client.configurationRequests.filter((u) => u === uri).length;
    await client.diagnostics(uri);
    await client.diagnostics(uri);
    assert.equal(client.configurationRequests.filter((u) => u === uri).length, before + 1);
    await client.close(uri);
    await client.open(uri, broken);
    await client.diagnostics(uri);
    assert.equal(client.configurationRequests.filter((u) => u === uri).length, before + 2);
  });

  test('a client without workspace/configuration gets the defaults', async () => {
    const plain = await TestClient.start({
      capabilities: { textDocument: VSCODE_CAPABILITIES.textDocument! },
      settings: { diagnostics: { enable: false } },
    });
    try {
      await plain.open('file:///w/c.yaml', broken);
      assert.equal((await plain.diagnostics('file:///w/c.yaml')).length, 1);
      assert.deepEqual(plain.configurationRequests, []);
    } finally {
      plain.dispose();
    }
  });
});
