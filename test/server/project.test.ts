/**
 * Suppression comments and `.cftunnel.yaml` in the language server: the editor reports exactly what
 * `cftunnel check` reports on the same folder, offers "Disable CODE for this line", follows changes of
 * the project file, and says nothing in ignored files.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyWorkspaceEdit, TestClient } from '../support/lsp';
import { main } from '../../src/cli/main';

const FIXTURE = join(__dirname, '../fixtures/project-config');

function cliDiagnostics(path: string): unknown[] {
  let out = '';
  main(['check', '--format', 'json', path], { out: (t) => (out += t), err: () => undefined });
  const files = (JSON.parse(out) as { files: Array<{ diagnostics: unknown[] }> }).files;
  return files[0]!.diagnostics;
}

const shape = (d: { code?: unknown; severity?: unknown; range: unknown; message: unknown }) => ({
  code: d.code,
  severity: typeof d.severity === 'number' ? ['', 'error', 'warning', 'information', 'hint'][d.severity] : d.severity,
  message: d.message,
  range: d.range,
});

/** A server on the workspace folder `dir`, indexed, for `fn`; stopped after it. */
async function withServer(dir: string, fn: (client: TestClient) => Promise<void>): Promise<void> {
  const client = await TestClient.start({ workspaceFolders: [dir] });
  try {
    await client.nextRefresh();
    await fn(client);
  } finally {
    client.dispose();
  }
}

/** Opens the file at `path` (its text on disk unless given); its URI. */
async function openPath(client: TestClient, path: string, text = readFileSync(path, 'utf8')): Promise<string> {
  const uri = pathToFileURL(path).href;
  await client.open(uri, text);
  return uri;
}

describe('suppressions and .cftunnel.yaml in the language server', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cftunnel-project-ls-'));
    cpSync(FIXTURE, dir, { recursive: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the editor and cftunnel check report the same findings for the same file', () =>
    withServer(dir, async (client) => {
      const path = join(dir, 'k8s', 'deployment.yaml');
      const uri = await openPath(client, path);
      const editor = (await client.diagnostics(uri)).map(shape);
      const cli = (cliDiagnostics(path) as Parameters<typeof shape>[0][]).map(shape);
      assert.deepEqual(editor, cli);
      assert.deepEqual(
        editor.map((d) => `${d.code}:${d.severity}`),
        ['no-network-policy:warning', 'suppression-unused:information'],
      );
    }));

  test('"Disable CODE for this line" adds the comment that silences the finding', () =>
    withServer(dir, async (client) => {
      const text = readFileSync(join(dir, 'k8s', 'deployment.yaml'), 'utf8').replace(/^\s*# cftunnel-.*\n/gm, '');
      const uri = await openPath(client, join(dir, 'k8s', 'other.yaml'), text);
      const found = (await client.diagnostics(uri)).find((d) => d.code === 'shell-style-var');
      assert.ok(found, 'the $TOKEN warning without its comment');
      const actions = await client.codeActions(uri, found.range, [found]);
      const disable = actions.find((a) => a.title === 'Disable shell-style-var for this line');
      assert.ok(disable, JSON.stringify(actions.map((a) => a.title)));
      const edited = applyWorkspaceEdit(text, disable.edit, uri);
      assert.match(edited, /\n {10}# cftunnel-disable-next-line shell-style-var\n {10}args: \[tunnel/);
      await client.change(uri, edited);
      const after = await client.diagnostics(uri);
      assert.ok(
        !after.some((d) => d.code === 'shell-style-var' || d.code === 'suppression-unused'),
        JSON.stringify(after),
      );
    }));

  test('a changed .cftunnel.yaml applies after the watched-file event; an ignored file reports nothing', () =>
    withServer(dir, async (client) => {
      const uri = await openPath(client, join(dir, 'k8s', 'deployment.yaml'));
      assert.ok((await client.diagnostics(uri)).some((d) => d.code === 'no-network-policy'));
      const config = join(dir, '.cftunnel.yaml');
      writeFileSync(
        config,
        readFileSync(config, 'utf8').replace('no-network-policy: warning', 'no-network-policy: off'),
      );
      const refreshed = client.nextRefresh();
      await client.filesChanged([config]);
      await refreshed;
      assert.ok(!(await client.diagnostics(uri)).some((d) => d.code === 'no-network-policy'));

      const vendor = join(dir, 'vendor', 'config.yaml');
      assert.deepEqual(await client.diagnostics(await openPath(client, vendor)), []);
      // The same file outside vendor/ has its missing catch-all reported.
      const outside = await openPath(client, join(dir, 'k8s', 'config.yaml'), readFileSync(vendor, 'utf8'));
      assert.ok((await client.diagnostics(outside)).length > 0);
    }));

  test('the problems of .cftunnel.yaml itself are shown on it', async () => {
    const client = await TestClient.start({});
    try {
      const uri = pathToFileURL(join(dir, '.cftunnel.yaml')).href;
      await client.open(uri, 'rules:\n  shell-style-vars: off\n');
      const found = await client.diagnostics(uri);
      assert.deepEqual(
        found.map((d) => d.code),
        ['project-config-unknown-code'],
      );
    } finally {
      client.dispose();
    }
  });
});
