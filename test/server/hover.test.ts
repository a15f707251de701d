/** Hover over the protocol: markdown on config keys and originRequest options, nothing elsewhere. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver-protocol/node';
import { cursor } from '../support/cursor';
import { TestClient } from '../support/lsp';

describe('hover', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start();
  });
  after(() => client.dispose());

  async function hover(uri: string, marked: string): Promise<{ value: string; range: unknown } | null> {
    const c = cursor(marked);
    await client.open(uri, c.text);
    const h = await client.hover(uri, c.position);
    return h && { value: (h.contents as MarkupContent).value, range: h.range };
  }

  test('a top-level key', async () => {
    const h = await hover('file:///w/a.yaml', 'no-autoup|date: true\ningress:\n  - service: http_status:404\n');
    assert.ok(h);
    assert.match(h.value, /^`no-autoupdate` · `bool` · default `false`/);
    assert.deepEqual(h.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 13 } });
  });

  test('an originRequest option of a rule', async () => {
    const h = await hover(
      'file:///w/b.yaml',
      'ingress:\n  - service: http://a:80\n    originRequest:\n      keepAlive|Timeout: 2m\n',
    );
    assert.ok(h);
    assert.match(h.value, /`keepAliveTimeout` · `time\.Duration` · default `1m30s`/);
    assert.match(h.value, /\*\*Checked:\*\*/);
  });

  test('nothing in other YAML files', async () => {
    assert.equal(
      await hover('file:///w/compose.yaml', 'services:\n  web:\n    image: nginx\n    proto|col: x\n'),
      null,
    );
  });

  test('a file named after cloudflared counts as a config while it is being written', async () => {
    const h = await hover('file:///w/cloudflared/config.yaml', 'proto|col: quic\n');
    assert.ok(h);
    assert.match(h.value, /`protocol`/);
  });
});
