/**
 * The language server's budgets (issue #16): a diagnostics pull the client cancelled is answered
 * "cancelled", one whose document moved on is superseded, and a file over the size budget gets
 * one information diagnostic at line 1 instead of an analysis.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CancellationTokenSource,
  DiagnosticSeverity,
  DocumentDiagnosticRequest,
  LSPErrorCodes,
  ResponseError,
} from 'vscode-languageserver-protocol/node';
import { TestClient } from '../support/lsp';

const CONFIG =
  'tunnel: x\ningress:\n  - hostname: a.example.com:8443\n    service: http://a:80\n  - service: http_status:404\n';

describe('diagnostics budgets', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start();
  });
  after(() => client.dispose());

  test('a cancelled diagnostics pull is answered RequestCancelled ($/cancelRequest honoured)', async () => {
    const uri = 'file:///work/cancel/config.yaml';
    await client.open(uri, CONFIG);
    const source = new CancellationTokenSource();
    const pending = client.connection.sendRequest(
      DocumentDiagnosticRequest.type,
      { textDocument: { uri } },
      source.token,
    );
    source.cancel();
    await assert.rejects(
      pending,
      (e: unknown) => e instanceof ResponseError && e.code === LSPErrorCodes.RequestCancelled,
    );
    assert.equal((await client.diagnostics(uri))[0]?.code, 'hostname-port');
  });

  test('a newer version of the document supersedes the pull of an older one', async () => {
    const uri = 'file:///work/supersede/config.yaml';
    await client.open(uri, CONFIG);
    const first = client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    await client.change(uri, CONFIG.replace(':8443', ''));
    await assert.rejects(first, (e: unknown) => e instanceof ResponseError && e.code === LSPErrorCodes.ServerCancelled);
    assert.deepEqual(await client.diagnostics(uri), []);
  });

  test('a file over the size budget: one information diagnostic at line 1, nothing analysed', async () => {
    const uri = 'file:///work/big/config.yaml';
    const rule = '  - hostname: a.example.com:8443\n    service: http://a:80\n';
    await client.open(uri, `tunnel: x\ningress:\n${rule.repeat(Math.ceil((2.5 * 1024 * 1024) / rule.length))}`);
    const ds = await client.diagnostics(uri);
    assert.equal(ds.length, 1);
    assert.equal(ds[0]!.code, 'file-over-budget');
    assert.equal(ds[0]!.severity, DiagnosticSeverity.Information);
    assert.match(
      ds[0]!.message as string,
      /^This file \(2\.5 MiB\) is larger than the 2\.0 MiB the checker reads: it is not checked\.$/,
    );
    assert.deepEqual(ds[0]!.range.start, { line: 0, character: 0 });
  });
});
