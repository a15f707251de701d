/** Pull diagnostics over the protocol: configs, ConfigMap-embedded configs, other YAML. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { textOf, yaml } from '../support/config';
import { TestClient } from '../support/lsp';

describe('diagnostics (pull)', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start();
  });
  after(() => client.dispose());

  test("a cloudflared config: cloudflared's message, severity, code, source and range", async () => {
    const uri = 'file:///work/config.yaml';
    await client.open(
      uri,
      'tunnel: x\ningress:\n  - hostname: a.example.com:8443\n    service: http://a:80\n  - service: http_status:404\n',
    );
    const [d, ...rest] = await client.diagnostics(uri);
    assert.equal(rest.length, 0);
    assert.equal(d!.code, 'hostname-port');
    assert.equal(d!.source, 'cftunnel');
    assert.equal(d!.severity, DiagnosticSeverity.Error);
    assert.match(d!.message as string, /Hostname cannot contain a port/);
    assert.deepEqual(d!.range, { start: { line: 2, character: 14 }, end: { line: 2, character: 32 } });
  });

  test('a config embedded in a ConfigMap: positions in the manifest', async () => {
    const uri = 'file:///work/configmap.yaml';
    const text = yaml`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: cloudflared
      data:
        config.yaml: |
          ingress:
            - service: http_status:404
            - hostname: a.example.com
              service: http://a:80
    `;
    await client.open(uri, text);
    const diagnostics = await client.diagnostics(uri);
    const d = diagnostics.find((x) => x.code === 'catch-all-not-last');
    assert.ok(d, JSON.stringify(diagnostics));
    assert.equal(d.range.start.line, 7);
    assert.equal(
      textOf(text, { code: String(d.code), severity: 'error', message: '', range: d.range }),
      'http_status:404',
    );
  });

  test('after an edit the report follows the new text', async () => {
    const uri = 'file:///work/edited.yaml';
    await client.open(uri, 'ingress:\n  - service: http_status:404\n');
    assert.deepEqual(await client.diagnostics(uri), []);
    await client.change(uri, 'ingress:\n  - service: localhost:8000\n');
    assert.deepEqual(
      (await client.diagnostics(uri)).map((d) => d.code),
      ['service-missing-scheme-or-host'],
    );
  });

  test('a pull naming the last resultId is answered unchanged while the findings are the same', async () => {
    const uri = 'file:///work/results.yaml';
    const text =
      'tunnel: x\ningress:\n  - hostname: a.example.com:8443\n    service: http://a:80\n  - service: http_status:404\n';
    await client.open(uri, text);
    const first = await client.report(uri);
    assert.equal(first.kind, 'full');
    assert.ok(first.resultId);
    assert.equal(first.kind === 'full' ? first.items.length : -1, 1);
    // An edit that changes no finding (the catch-all's status code).
    await client.change(uri, text.replace('404', '403'));
    assert.deepEqual(await client.report(uri, first.resultId), { kind: 'unchanged', resultId: first.resultId });
    // Without the id, or with another one, the list is sent again.
    assert.equal((await client.report(uri)).kind, 'full');
    const second = await client.report(uri, 'no-such-result');
    assert.equal(second.kind, 'full');
    assert.notEqual(second.resultId, first.resultId);
    // An edit that moves the finding: a full report with the new range.
    await client.change(uri, `# a comment\n${text}`);
    const moved = await client.report(uri, second.resultId);
    assert.equal(moved.kind, 'full');
    assert.equal(moved.kind === 'full' ? moved.items[0]?.range.start.line : -1, 3);
  });

  test('YAML that is neither a config nor a manifest, and unknown documents, get nothing', async () => {
    const uri = 'file:///work/.github/workflows/ci.yaml';
    await client.open(
      uri,
      'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo $HOME\n',
    );
    assert.deepEqual(await client.diagnostics(uri), []);
    assert.deepEqual(await client.diagnostics('file:///work/not-open.yaml'), []);
  });
});
