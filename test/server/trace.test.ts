/**
 * `cftunnel/trace` (issue #17): the server traces a URL over its own workspace model (the routing
 * fixture as a workspace folder), gives each hop's file as a `file:` URI, says when the workspace has
 * no cloudflared config, refuses a bad URL with InvalidParams, honours cancellation, and in
 * Restricted Mode reads the open documents only.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource, ErrorCodes, LSPErrorCodes } from 'vscode-languageserver-protocol/node';
import { TRACE_REQUEST } from '../../src/shared/trace';
import type { TraceAnswer } from '../../src/shared/trace';
import { TestClient } from '../support/lsp';

const NGINX = join(__dirname, '../fixtures/routing/nginx');
const APPS = join(NGINX, 'apps.yaml');
const CONFIG = join(NGINX, 'cloudflared', 'config.yaml');

const trace = (client: TestClient, url: string, token?: CancellationTokenSource['token']): Promise<TraceAnswer> =>
  token
    ? client.connection.sendRequest(TRACE_REQUEST, { url }, token)
    : client.connection.sendRequest(TRACE_REQUEST, { url });

async function errorOf(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: number; message: string };
  }
  assert.fail('the request should have failed');
}

describe('cftunnel/trace', () => {
  test('follows shop.example.com from the tunnel rule through the Ingress to the pod port', async () => {
    const client = await TestClient.start({ workspaceFolders: [NGINX] });
    try {
      const answer = await trace(client, 'shop.example.com');
      assert.equal(answer.tunnels, 1);
      assert.equal(answer.openDocumentsOnly, false);
      const r = answer.result;
      assert.deepEqual(r.servedBy, { namespace: 'web', name: 'shop', port: 80 });
      assert.equal(r.certain, true);
      assert.deepEqual(
        r.hops.map((h) => [h.kind, h.file, h.line]),
        [
          ['rule', CONFIG, 7],
          ['service', join(NGINX, 'ingress-nginx.yaml'), 4],
          ['ingress', APPS, 38],
          ['service', APPS, 4],
          ['pod-port', APPS, 17],
        ],
      );
      for (const h of r.hops) assert.equal(h.uri, pathToFileURL(h.file!).href);
      // The Ingress hop's line is its metadata.name.
      assert.equal(readFileSync(APPS, 'utf8').split('\n')[r.hops[2]!.line! - 1], '  name: shop');
    } finally {
      client.dispose();
    }
  });

  test('a host no Ingress routes stops at the controller with its 404', async () => {
    const client = await TestClient.start({ workspaceFolders: [NGINX] });
    try {
      const { result } = await trace(client, 'https://nothing.example.com/x');
      assert.equal(result.servedBy, null);
      assert.equal(result.status, 404);
      assert.ok(result.stops);
      assert.equal(result.hops[0]!.kind, 'rule');
    } finally {
      client.dispose();
    }
  });

  test('a bad URL is InvalidParams; a cancelled request is RequestCancelled', async () => {
    const client = await TestClient.start({ workspaceFolders: [NGINX] });
    try {
      const bad = await errorOf(trace(client, 'ftp://shop.example.com'));
      assert.equal(bad.code, ErrorCodes.InvalidParams);
      assert.match(bad.message, /only http and https/);
      const source = new CancellationTokenSource();
      const pending = trace(client, 'shop.example.com', source.token);
      source.cancel();
      assert.equal((await errorOf(pending)).code, LSPErrorCodes.RequestCancelled);
    } finally {
      client.dispose();
    }
  });

  test('a workspace without a cloudflared config has no tunnel to trace from', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cftunnel-trace-'));
    copyFileSync(APPS, join(dir, 'apps.yaml'));
    const client = await TestClient.start({ workspaceFolders: [dir] });
    try {
      const answer = await trace(client, 'shop.example.com');
      assert.equal(answer.tunnels, 0);
      assert.equal(answer.result.servedBy, null);
    } finally {
      client.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('Restricted Mode: only the open documents are read', async () => {
    const client = await TestClient.start({ workspaceFolders: [NGINX], initializationOptions: { trusted: false } });
    try {
      assert.equal((await trace(client, 'shop.example.com')).tunnels, 0);
      await client.open(pathToFileURL(CONFIG).href, readFileSync(CONFIG, 'utf8'));
      const answer = await trace(client, 'shop.example.com');
      assert.equal(answer.openDocumentsOnly, true);
      assert.equal(answer.tunnels, 1);
      // The rule is read; the controller's Service is in a file that is not open.
      assert.deepEqual(
        answer.result.hops.map((h) => h.kind),
        ['rule'],
      );
      assert.equal(answer.result.servedBy, null);
    } finally {
      client.dispose();
    }
  });
});
