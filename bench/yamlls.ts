/**
 * Issue #21's yardstick, side by side in one run: edit → diagnostics of yaml-language-server (with a
 * cloudflared JSON schema) against this server's, on the same generated 2,000-rule config.yaml with
 * the same one-character incremental edits (bench/lsp.ts). yaml-language-server validates 200 ms
 * after the last change (its fixed `validationDelayMs`) and pushes its diagnostics: its *work* is the
 * time from the change to its publishDiagnostics less those 200 ms. The result's floor is that work,
 * so the ratio is this server's edit → diagnostics over yaml-language-server's work (goal ≤ 0.2×).
 *
 * Only with YAML_LANGUAGE_SERVER=<the yaml-language-server package folder> (it is not a dependency:
 * `npm install yaml-language-server` in a scratch folder), since `npm run bench` needs no network.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { generateConfig } from '../dev/generate';
import { editLatency } from './lsp';
import type { Benchmark, Result } from './measure';

const DEBOUNCE_MS = 200;

/** A JSON schema of a cloudflared config.yaml: its keys, an ingress rule's fields, no others. */
const SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {
    tunnel: { type: 'string' },
    'credentials-file': { type: 'string' },
    metrics: { type: 'string' },
    'no-autoupdate': { type: 'boolean' },
    originRequest: { $ref: '#/definitions/originRequest' },
    ingress: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['service'],
        properties: {
          hostname: { type: 'string' },
          path: { type: 'string' },
          service: { type: 'string', pattern: '^(https?|tcp|ssh|rdp|smb|unix|unix\\+tls|http_status|hello_world)' },
          originRequest: { $ref: '#/definitions/originRequest' },
        },
      },
    },
  },
  definitions: {
    originRequest: {
      type: 'object',
      additionalProperties: false,
      properties: {
        connectTimeout: { type: 'string' },
        noTLSVerify: { type: 'boolean' },
        httpHostHeader: { type: 'string' },
        keepAliveTimeout: { type: 'string' },
        originServerName: { type: 'string' },
      },
    },
  },
};

async function yamlLsWork(packageDir: string, text: string, offset: number): Promise<{ median: number; runs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'cftunnel-yamlls-'));
  const schemaPath = join(dir, 'cloudflared.schema.json');
  writeFileSync(schemaPath, JSON.stringify(SCHEMA));
  const settings = {
    yaml: {
      validate: true,
      schemas: { [pathToFileURL(schemaPath).href]: ['*config.yaml'] },
      format: { enable: false },
    },
  };
  const child = spawn(process.execPath, [join(packageDir, 'bin', 'yaml-language-server'), '--stdio'], {
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const connection = createProtocolConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  connection.onRequest(ConfigurationRequest.type, (params) =>
    params.items.map((i) => (i.section === 'yaml' ? settings.yaml : i.section ? null : settings)),
  );
  connection.onRequest(RegistrationRequest.type, () => undefined);
  let waiter: (() => void) | undefined;
  connection.onNotification(PublishDiagnosticsNotification.type, () => waiter?.());
  const published = (): Promise<void> => new Promise((resolve) => (waiter = resolve));
  connection.listen();
  try {
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: {} } },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    await connection.sendNotification(DidChangeConfigurationNotification.type, { settings });
    const uri = 'file:///bench/config.yaml';
    const first = published();
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'yaml', version: 1, text },
    });
    await first;
    const line = text.slice(0, offset).split('\n').length - 1;
    const character = offset - (text.lastIndexOf('\n', offset - 1) + 1);
    const range = { start: { line, character }, end: { line, character: character + 1 } };
    const times: number[] = [];
    for (let version = 2; version < 2 + 25; version++) {
      const done = published();
      const t = performance.now();
      await connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: [{ range, text: version % 2 === 0 ? 'b' : 'a' }],
      });
      await done;
      if (version >= 5) times.push(performance.now() - t - DEBOUNCE_MS);
    }
    times.sort((a, b) => a - b);
    return { median: times[Math.floor(times.length / 2)]!, runs: times.length };
  } finally {
    await connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
    await connection.sendNotification(ExitNotification.type).catch(() => undefined);
    await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 2000))]);
    if (child.exitCode === null) child.kill();
    connection.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function yamlLsBenchmarks(): Benchmark[] {
  const packageDir = process.env.YAML_LANGUAGE_SERVER;
  if (!packageDir) return [];
  return [
    {
      id: 'lsp-edit-config-2000-vs-yaml-language-server',
      goal: "this server's edit → diagnostics ≤ 0.2× yaml-language-server's work (beyond its 200 ms debounce)",
      async run(): Promise<Result> {
        const text = generateConfig(2000);
        const at = text.indexOf('\n', text.indexOf('service: http://svc1000.')) - 1;
        const theirs = await yamlLsWork(packageDir, text, at);
        const ours = await editLatency('ours', text, at);
        return {
          id: 'lsp-edit-config-2000-vs-yaml-language-server',
          median_ms: ours.median_ms,
          floor_ms: theirs.median,
          runs: ours.runs,
          yaml_language_server_work_ms: theirs.median,
        };
      },
    },
  ];
}
