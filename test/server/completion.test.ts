/** Completion over the protocol: keys without duplicates, values with a fixed set. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CompletionItemKind } from 'vscode-languageserver-protocol/node';
import type { CompletionItem, TextEdit } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { cursor } from '../support/cursor';
import { TestClient } from '../support/lsp';

describe('completion', () => {
  let client: TestClient;
  let n = 0;
  before(async () => {
    client = await TestClient.start();
  });
  after(() => client.dispose());

  async function complete(marked: string): Promise<{ items: CompletionItem[]; text: string }> {
    const c = cursor(marked);
    const uri = `file:///w/config-${n++}.yaml`;
    await client.open(uri, c.text);
    return { items: await client.completion(uri, c.position), text: c.text };
  }

  function apply(text: string, item: CompletionItem): string {
    return TextDocument.applyEdits(TextDocument.create('file:///x', 'yaml', 1, text), [item.textEdit as TextEdit]);
  }

  test('rule keys, never one the rule already has', async () => {
    const { items, text } = await complete(
      'ingress:\n  - hostname: a.example.com\n    serv|\n  - service: http_status:404\n',
    );
    assert.deepEqual(
      items.map((i) => i.label),
      ['path', 'service', 'originRequest'],
    );
    const service = items.find((i) => i.label === 'service')!;
    assert.equal(service.kind, CompletionItemKind.Property);
    assert.equal(service.detail, 'string');
    assert.match((service.documentation as { value: string }).value, /Where to send matching traffic/);
    assert.equal(
      apply(text, service),
      'ingress:\n  - hostname: a.example.com\n    service: \n  - service: http_status:404\n',
    );
  });

  test('top-level keys leave out the present ones', async () => {
    const { items } = await complete(
      'tunnel: x\ncredentials-file: /c.json\n|\ningress:\n  - service: http_status:404\n',
    );
    const labels = items.map((i) => i.label);
    assert.ok(labels.includes('originRequest') && labels.includes('loglevel'));
    assert.ok(!labels.includes('tunnel') && !labels.includes('credentials-file') && !labels.includes('ingress'));
  });

  test('service schemes and keywords', async () => {
    const { items, text } = await complete('ingress:\n  - service: hel|\n');
    assert.ok(items.every((i) => i.kind === CompletionItemKind.Value));
    for (const v of ['http://', 'https://', 'tcp://', 'unix:', 'http_status:', 'hello_world', 'bastion', 'socks-proxy'])
      assert.ok(
        items.some((i) => i.label === v),
        v,
      );
    assert.equal(
      apply(
        text,
        items.find((i) => i.label === 'hello_world')!,
      ),
      'ingress:\n  - service: hello_world\n',
    );
  });

  test('booleans, protocol, loglevel and proxyType', async () => {
    const labels = async (marked: string) => (await complete(marked)).items.map((i) => i.label);
    assert.deepEqual(await labels('originRequest:\n  http2Origin: |\n'), ['true', 'false']);
    assert.deepEqual(await labels('protocol: |\ningress:\n  - service: http_status:404\n'), [
      'auto',
      'quic',
      'http2',
      'h2mux',
    ]);
    assert.deepEqual(await labels('loglevel: d|\ningress:\n  - service: http_status:404\n'), [
      'trace',
      'debug',
      'info',
      'warn',
      'error',
      'fatal',
      'panic',
    ]);
    assert.deepEqual(await labels('ingress:\n  - service: socks-proxy\n    originRequest:\n      proxyType: |\n'), [
      '""',
      'socks',
    ]);
  });

  test('nothing in other YAML files', async () => {
    const c = cursor('services:\n  web:\n    |\n');
    await client.open('file:///w/compose.yaml', c.text);
    assert.deepEqual(await client.completion('file:///w/compose.yaml', c.position), []);
  });
});
