/** A remote configuration document (`cftunnel-remote:`) is checked against the API's schema (issue #14). */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { yaml } from '../support/config';
import { TestClient } from '../support/lsp';

describe('remote configuration documents', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start();
  });
  after(() => client.dispose());

  // The shape Cloudflare returns for a dashboard-managed tunnel, as the extension opens it.
  const text = yaml`
    # Remote configuration of tunnel homelab (6ff42ae2-765d-4adf-8112-31c55c1551ef), version 3 on Cloudflare.
    ingress:
      - hostname: app.example.com
        service: http://app.default.svc.cluster.local:80
      - service: http_status:404
    warp-routing:
      enabled: false
  `;

  test('warp-routing.enabled in a cftunnel-remote: document is not an unknown key', async () => {
    const uri = 'cftunnel-remote:/0123456789abcdef0123456789abcdef/6ff42ae2-765d-4adf-8112-31c55c1551ef/homelab.yaml';
    await client.open(uri, text);
    assert.deepEqual(await client.diagnostics(uri), []);
  });

  test("the same text in a local file keeps cloudflared's unused-key warning", async () => {
    const uri = 'file:///work/cloudflared/config.yaml';
    await client.open(uri, text);
    assert.deepEqual(
      (await client.diagnostics(uri)).map((d) => d.code),
      ['unknown-key'],
    );
  });
});
