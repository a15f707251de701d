/**
 * Code actions over the protocol: every quick fix the checker offers, applied to the text and
 * compared with the expected text; "fix all" per code; source.fixAll; fixes that write files.
 */
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ApplyWorkspaceEditRequest,
  CodeActionKind,
  ExecuteCommandRequest,
  ShowMessageRequest,
} from 'vscode-languageserver-protocol/node';
import type { ApplyWorkspaceEditParams, CodeAction, Diagnostic } from 'vscode-languageserver-protocol/node';
import { yaml } from '../support/config';
import { applyWorkspaceEdit, editsFor, TestClient, VSCODE_CAPABILITIES } from '../support/lsp';

const deployment = (args: string, env = ''): string => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: cloudflared
  spec:
    template:
      spec:
        containers:
          - name: cloudflared
            image: cloudflare/cloudflared:2026.8.2
            env:
              - name: TOKEN
                valueFrom:
                  secretKeyRef:
                    name: cloudflared-token
                    key: token${env}
            args: ${args}
`;

const token = Buffer.from(
  JSON.stringify({ a: 'acc0123456789', t: '6ff42ae2-765d-4adf-8112-31c55c1551ef', s: 'c2VjcmV0c2VjcmV0c2VjcmV0' }),
).toString('base64');

describe('code actions', () => {
  let client: TestClient;
  let n = 0;
  before(async () => {
    client = await TestClient.start();
  });
  after(() => client.dispose());

  /** Opens `text`, pulls diagnostics, asks for code actions on the one with `code`. */
  async function actionsFor(
    text: string,
    code: string,
    uri = `file:///w/doc-${n++}.yaml`,
    c = client,
  ): Promise<{ uri: string; d: Diagnostic; actions: CodeAction[] }> {
    await c.open(uri, text);
    const d = (await c.diagnostics(uri)).find((x) => x.code === code);
    assert.ok(d, `${code} reported`);
    return { uri, d, actions: await c.codeActions(uri, d.range, [d]) };
  }

  /** The text after applying the action titled `title`. */
  async function fixed(text: string, code: string, title: string | RegExp): Promise<string> {
    const { uri, d, actions } = await actionsFor(text, code);
    const action = actions.find((a) => (typeof title === 'string' ? a.title === title : title.test(a.title)));
    assert.ok(action, `"${title}" among ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(action.kind, CodeActionKind.QuickFix);
    assert.deepEqual(action.diagnostics, [d]);
    return applyWorkspaceEdit(text, action.edit, uri);
  }

  describe('config quick fixes', () => {
    test('quote a *. hostname', async () => {
      const text = 'ingress:\n  - hostname: *.example.com\n    service: http://a:1\n  - service: http_status:404\n';
      assert.equal(
        await fixed(text, 'yaml-alias-syntax', 'Quote the hostname: "*.example.com"'),
        'ingress:\n  - hostname: "*.example.com"\n    service: http://a:1\n  - service: http_status:404\n',
      );
    });

    test('a bare integer duration becomes seconds', async () => {
      const text = 'originRequest:\n  connectTimeout: 30\ningress:\n  - service: http_status:404\n';
      assert.equal(
        await fixed(text, 'type-error', 'Use 30s (a duration needs a unit)'),
        'originRequest:\n  connectTimeout: 30s\ningress:\n  - service: http_status:404\n',
      );
    });

    test('rename a misspelt rule key', async () => {
      const text = 'ingress:\n  - hostname: a.com\n    servce: http://a:1\n  - service: http_status:404\n';
      assert.equal(
        await fixed(text, 'unknown-key', "Rename to 'service'"),
        'ingress:\n  - hostname: a.com\n    service: http://a:1\n  - service: http_status:404\n',
      );
    });

    test('rename a misspelt top-level key', async () => {
      const text = 'protocl: quic\ningress:\n  - service: http_status:404\n';
      assert.equal(
        await fixed(text, 'unknown-top-level-key', "Rename to 'protocol'"),
        'protocol: quic\ningress:\n  - service: http_status:404\n',
      );
    });

    test('add the missing catch-all', async () => {
      const text = 'ingress:\n  - hostname: a.com\n    service: http://a:1\n';
      assert.equal(
        await fixed(text, 'last-rule-not-catch-all', 'Add a catch-all rule (service: http_status:404) at the end'),
        'ingress:\n  - hostname: a.com\n    service: http://a:1\n  - service: http_status:404\n',
      );
    });

    test("a fix inserts the document's own line breaks: CRLF stays CRLF, CR stays CR (issue #16)", async () => {
      for (const eol of ['\r\n', '\r']) {
        const text = ['ingress:', '  - hostname: a.com', '    service: http://a:1', ''].join(eol);
        assert.equal(
          await fixed(text, 'last-rule-not-catch-all', 'Add a catch-all rule (service: http_status:404) at the end'),
          ['ingress:', '  - hostname: a.com', '    service: http://a:1', '  - service: http_status:404', ''].join(eol),
        );
      }
    });

    test('move the catch-all last', async () => {
      const text =
        'ingress:\n  - service: http://web:80\n  - hostname: a.example.com\n    service: http://a:80\ntunnel: x\n';
      assert.equal(
        await fixed(text, 'catch-all-not-last', 'Move the catch-all rule to the end'),
        'ingress:\n  - hostname: a.example.com\n    service: http://a:80\n  - service: http://web:80\ntunnel: x\n',
      );
    });
  });

  describe('manifest quick fixes', () => {
    test('$TOKEN becomes $(TOKEN) (preferred)', async () => {
      const text = deployment('["tunnel", "run", "--token", "$TOKEN"]');
      const { actions } = await actionsFor(text, 'shell-style-var');
      assert.deepEqual(
        actions.map((a) => [a.title, a.isPreferred]),
        [
          ['Replace $TOKEN with $(TOKEN)', true],
          ["Drop --token and pass the token as TUNNEL_TOKEN from Secret 'cloudflared-token'", undefined],
          ['Disable shell-style-var for this line', undefined],
        ],
      );
      assert.equal(
        await fixed(text, 'shell-style-var', 'Replace $TOKEN with $(TOKEN)'),
        deployment('["tunnel", "run", "--token", "$(TOKEN)"]'),
      );
    });

    test('drop --token and pass TUNNEL_TOKEN from the Secret', async () => {
      const expected = deployment('["tunnel", "run"]').replace('- name: TOKEN', '- name: TUNNEL_TOKEN');
      assert.equal(
        await fixed(deployment('["tunnel", "run", "--token", "$TOKEN"]'), 'shell-style-var', /^Drop --token/),
        expected,
      );
      assert.equal(
        await fixed(deployment('["tunnel", "run", "--token", "$(TOKEN)"]'), 'token-in-args', /^Drop --token/),
        expected,
      );
    });
  });

  describe('fix all', () => {
    const text =
      'ingress:\n  - hostname: a.com\n    servce: http://a:1\n  - hostname: b.com\n    servce: http://b:1\n  - service: http_status:404\n';
    const clean =
      'ingress:\n  - hostname: a.com\n    service: http://a:1\n  - hostname: b.com\n    service: http://b:1\n  - service: http_status:404\n';

    test("Fix all '<code>' problems in file, when a code has fixes on several diagnostics", async () => {
      const { uri, actions } = await actionsFor(text, 'unknown-key');
      const all = actions.find((a) => a.title === "Fix all 'unknown-key' problems in file")!;
      assert.equal(all.kind, CodeActionKind.QuickFix);
      assert.equal(all.diagnostics!.length, 2);
      assert.equal(applyWorkspaceEdit(text, all.edit, uri), clean);
    });

    test('not offered for a single problem', async () => {
      const { actions } = await actionsFor(
        'ingress:\n  - hostname: a.com\n    servce: http://a:1\n  - service: http_status:404\n',
        'unknown-key',
      );
      assert.deepEqual(
        actions.map((a) => a.title),
        ["Rename to 'service'", 'Disable unknown-key for this line'],
      );
    });

    test('source.fixAll applies every preferred fix, only when asked for', async () => {
      const mixed = text.replace('ingress:', 'protocl: quic\ningress:');
      const uri = `file:///w/doc-${n++}.yaml`;
      await client.open(uri, mixed);
      const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      assert.deepEqual(await client.codeActions(uri, range, []), []);
      const [action, ...rest] = await client.codeActions(uri, range, [], [CodeActionKind.SourceFixAll]);
      assert.equal(rest.length, 0);
      assert.equal(action!.kind, 'source.fixAll.cftunnel');
      assert.equal(applyWorkspaceEdit(mixed, action!.edit, uri), clean.replace('ingress:', 'protocol: quic\ningress:'));
    });
  });

  describe('a fix that writes a file beside the document (the server writes it, then edits the document)', () => {
    const text = deployment('[tunnel, run]', `\n              - name: TUNNEL_TOKEN\n                value: ${token}`);
    const expected = deployment(
      '[tunnel, run]',
      '\n              - name: TUNNEL_TOKEN\n                valueFrom:\n                  secretKeyRef:\n                    name: cloudflared-token\n                    key: token',
    );
    const folders: string[] = [];
    const tempFolder = (): string => {
      folders.push(mkdtempSync(join(tmpdir(), 'cftunnel-')));
      return folders[folders.length - 1]!;
    };
    after(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));
    const title = "Move the token to Secret 'cloudflared-token' (written to cloudflared-token.env, git-ignored)";

    /** What the editor saw: the edits the server asked it to apply, and the messages it showed. */
    const seen: { edits: ApplyWorkspaceEditParams[]; messages: string[]; refuse: boolean } = {
      edits: [],
      messages: [],
      refuse: false,
    };
    before(() => {
      client.connection.onRequest(ApplyWorkspaceEditRequest.type, (params) => {
        seen.edits.push(params);
        return seen.refuse ? { applied: false, failureReason: 'the document is dirty' } : { applied: true };
      });
      // window/showMessageRequest: what vscode-languageserver's showErrorMessage/showInformationMessage send.
      client.connection.onRequest(ShowMessageRequest.type, (p) => {
        seen.messages.push(p.message);
        return null;
      });
    });
    afterEach(() => {
      seen.edits = [];
      seen.messages = [];
      seen.refuse = false;
    });

    /** Runs the quick fix in `folder` as the editor does; the manifest text afterwards (unchanged unless applied). */
    async function runFix(folder: string): Promise<{ result: unknown; manifest: string }> {
      const uri = `${pathToFileURL(folder).href}/deployment.yaml`;
      const { actions } = await actionsFor(text, 'literal-token', uri);
      const action = actions.find((a) => a.title === title)!;
      assert.equal(action.isPreferred, true);
      assert.equal(action.edit, undefined, 'no workspace edit: the editor would create the file 0644, through links');
      assert.equal(action.command?.command, 'cftunnel.server.writeFixFiles');
      const result = await client.connection.sendRequest(ExecuteCommandRequest.type, {
        command: action.command.command,
        arguments: action.command.arguments!,
      });
      const manifest = seen.edits.reduce((t, e) => applyWorkspaceEdit(t, e.edit, uri), text);
      return { result, manifest };
    }

    test('the server announces its command', () => {
      assert.deepEqual(client.serverCapabilities.executeCommandProvider?.commands, ['cftunnel.server.writeFixFiles']);
    });

    test('writes the env file (mode 0600) and a .gitignore listing it, then edits the manifest', async () => {
      const folder = tempFolder();
      const { result, manifest } = await runFix(folder);
      assert.deepEqual(result, { applied: true });
      assert.equal(manifest, expected);
      const env = join(folder, 'cloudflared-token.env');
      assert.equal(readFileSync(env, 'utf8'), `token=${token}\n`);
      assert.equal(statSync(env).mode & 0o777, 0o600);
      assert.equal(readFileSync(join(folder, '.gitignore'), 'utf8'), 'cloudflared-token.env\n');
    });

    test('the env file cannot be created (a dangling link there): nothing written, the manifest unchanged', async () => {
      const folder = tempFolder();
      const outside = tempFolder();
      symlinkSync(join(outside, 'stolen.env'), join(folder, 'cloudflared-token.env'));
      const { result, manifest } = await runFix(folder);
      assert.equal((result as { applied: boolean }).applied, false);
      assert.equal(manifest, text, 'the token stays in the manifest: it was saved nowhere');
      assert.equal(seen.edits.length, 0);
      assert.equal(existsSync(join(outside, 'stolen.env')), false);
      assert.equal(existsSync(join(folder, '.gitignore')), false);
      assert.match(seen.messages.join('\n'), /cloudflared-token\.env is a symbolic link: not writing through it/);
    });

    test('the env file cannot be created (its folder is read-only to the write): the manifest unchanged', async () => {
      const folder = tempFolder();
      mkdirSync(join(folder, 'cloudflared-token.env')); // a folder in the way: no file can be created there
      const { result, manifest } = await runFix(folder);
      assert.equal((result as { applied: boolean }).applied, false);
      assert.equal(manifest, text);
      assert.equal(seen.edits.length, 0);
      assert.match(seen.messages.join('\n'), /nothing was changed/);
    });

    test('never overwrites an env file holding something else; the manifest unchanged', async () => {
      const folder = tempFolder();
      writeFileSync(join(folder, 'cloudflared-token.env'), 'token=old\n');
      writeFileSync(join(folder, '.gitignore'), 'node_modules');
      const { manifest } = await runFix(folder);
      assert.equal(manifest, text);
      assert.equal(readFileSync(join(folder, 'cloudflared-token.env'), 'utf8'), 'token=old\n');
      assert.equal(readFileSync(join(folder, '.gitignore'), 'utf8'), 'node_modules');
    });

    test('an env file that already holds the token is kept; an existing .gitignore gets the entry', async () => {
      const folder = tempFolder();
      writeFileSync(join(folder, 'cloudflared-token.env'), `token=${token}\n`);
      writeFileSync(join(folder, '.gitignore'), 'node_modules\r\n');
      const { manifest } = await runFix(folder);
      assert.equal(manifest, expected);
      assert.equal(readFileSync(join(folder, '.gitignore'), 'utf8'), 'node_modules\r\ncloudflared-token.env\r\n');
    });

    test('a linked .gitignore: refused and said so; the outside file and the manifest unchanged', async () => {
      const folder = tempFolder();
      const outside = tempFolder();
      writeFileSync(join(outside, 'ignore'), 'dist\n');
      symlinkSync(join(outside, 'ignore'), join(folder, '.gitignore'));
      const { manifest } = await runFix(folder);
      assert.equal(manifest, text);
      assert.equal(readFileSync(join(outside, 'ignore'), 'utf8'), 'dist\n');
      assert.equal(existsSync(join(folder, 'cloudflared-token.env')), false, 'taken back: git would not ignore it');
      assert.match(seen.messages.join('\n'), /\.gitignore is a symbolic link/);
    });

    test('the editor refuses the manifest edit: the files written are taken back', async () => {
      const folder = tempFolder();
      seen.refuse = true;
      const { result } = await runFix(folder);
      assert.equal((result as { applied: boolean }).applied, false);
      assert.deepEqual(readdirSync(folder), []);
      assert.match(seen.messages.join('\n'), /did not apply the change \(the document is dirty\)/);
    });

    test('the document changed since the fix was offered: nothing written', async () => {
      const folder = tempFolder();
      const uri = `${pathToFileURL(folder).href}/deployment.yaml`;
      const { actions } = await actionsFor(text, 'literal-token', uri);
      const action = actions.find((a) => a.title === title)!;
      await client.change(uri, `${text}# edited\n`);
      const result = await client.connection.sendRequest(ExecuteCommandRequest.type, {
        command: action.command!.command,
        arguments: action.command!.arguments!,
      });
      assert.equal((result as { applied: boolean }).applied, false);
      assert.deepEqual(readdirSync(folder), []);
    });

    test('not offered to a client that cannot apply server edits, nor for an untitled document', async () => {
      const plain = await TestClient.start({
        capabilities: { ...VSCODE_CAPABILITIES, workspace: { ...VSCODE_CAPABILITIES.workspace, applyEdit: false } },
      });
      try {
        const { actions } = await actionsFor(text, 'literal-token', 'file:///w/deployment.yaml', plain);
        // Only the suppression comment, a plain edit of the document.
        assert.deepEqual(
          actions.map((a) => a.title),
          ['Disable literal-token for this line'],
        );
      } finally {
        plain.dispose();
      }
      const { actions } = await actionsFor(text, 'literal-token', 'untitled:Untitled-1');
      assert.deepEqual(
        actions.map((a) => a.title),
        ['Disable literal-token for this line'],
      );
    });
  });

  test('diagnostics from another source, or with malformed data, give no actions', async () => {
    const uri = `file:///w/doc-${n++}.yaml`;
    await client.open(uri, 'tunnel: x\n');
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 6 } };
    const fix = { title: 'x', edits: [{ range, newText: 'y' }] };
    const foreign: Diagnostic = { range, message: 'm', source: 'yaml', data: { fixes: [fix] } };
    const malformed: Diagnostic = {
      range,
      message: 'm',
      source: 'cftunnel',
      data: { fixes: [{ title: 'x', edits: [{ newText: 'y' }] }] },
    };
    assert.deepEqual(await client.codeActions(uri, range, [foreign, malformed]), []);
    assert.equal(editsFor(undefined, uri).length, 0);
  });
});
