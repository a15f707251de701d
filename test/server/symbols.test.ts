/** Document symbols over the protocol: ingress rules as `hostname[path] → service`. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SymbolKind } from 'vscode-languageserver-protocol/node';
import { yaml } from '../support/config';
import { TestClient } from '../support/lsp';

describe('document symbols', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start();
  });
  after(() => client.dispose());

  test('a config: top-level keys, rules under ingress', async () => {
    const uri = 'file:///w/config.yaml';
    await client.open(
      uri,
      yaml`
      tunnel: x
      ingress:
        - hostname: a.example.com
          path: ^/api/
          service: http://api:8080
        - hostname: "*.example.com"
          service: https://web:443
        - service: http_status:404
    `,
    );
    const symbols = await client.symbols(uri);
    assert.deepEqual(
      symbols.map((s) => [s.name, s.kind]),
      [
        ['tunnel', SymbolKind.Property],
        ['ingress', SymbolKind.Array],
      ],
    );
    const rules = symbols[1]!.children!;
    assert.deepEqual(
      rules.map((r) => r.name),
      ['a.example.com[^/api/] → http://api:8080', '*.example.com → https://web:443', '* → http_status:404'],
    );
    assert.ok(rules.every((r) => r.kind === SymbolKind.Object));
    assert.deepEqual(rules[1]!.selectionRange, { start: { line: 5, character: 14 }, end: { line: 5, character: 29 } });
  });

  test('a manifest: one symbol per embedded config', async () => {
    const uri = 'file:///w/cm.yaml';
    await client.open(
      uri,
      yaml`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: cloudflared
      data:
        config.yaml: |
          ingress:
            - service: http_status:404
    `,
    );
    const [cm] = await client.symbols(uri);
    assert.equal(cm!.name, 'cloudflared/config.yaml');
    assert.equal(cm!.kind, SymbolKind.Module);
    assert.deepEqual(
      cm!.children!.find((s) => s.name === 'ingress')!.children!.map((r) => [r.name, r.range.start.line]),
      [['* → http_status:404', 7]],
    );
  });

  test('other YAML: none', async () => {
    await client.open('file:///w/other.yaml', 'a: 1\n');
    assert.deepEqual(await client.symbols('file:///w/other.yaml'), []);
  });
});
