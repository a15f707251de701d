/**
 * The language server's edit → diagnostics latency over the real protocol: `node dist/server.js
 * --stdio` as a process, one document open, then repeated one-character incremental edits, each
 * followed by a pull for diagnostics; timed from sending didChange to receiving the report.
 * Floor: the in-process analysis of the same text (what the server cannot avoid).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { analyzeText } from '../src/core/analyze';
import { generateConfig, generateManifests } from '../dev/generate';
import { medianOf } from './measure';
import type { Benchmark, Result } from './measure';

const SERVER = join(__dirname, '..', 'dist', 'server.js');

/** Edits toggle the character at `offset` between `a` and `b`. */
export async function editLatency(
  id: string,
  text: string,
  offset: number,
  opts = { warmup: 5, minRuns: 30, minMs: 3000, maxRuns: 300 },
): Promise<Result> {
  // BENCH_SERVER_ARGS: Node options for the server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it.
  const nodeArgs = process.env.BENCH_SERVER_ARGS ? process.env.BENCH_SERVER_ARGS.split(' ') : [];
  const child = spawn(process.execPath, [...nodeArgs, SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const connection = createProtocolConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => ({})));
  connection.onRequest(RegistrationRequest.type, () => undefined);
  connection.listen();
  try {
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        workspace: {
          configuration: true,
          didChangeConfiguration: { dynamicRegistration: true },
          diagnostics: { refreshSupport: true },
        },
        textDocument: { diagnostic: {} },
      },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    const uri = 'file:///bench/config.yaml';
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'yaml', version: 1, text },
    });
    await connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });

    const line = text.slice(0, offset).split('\n').length - 1;
    const character = offset - (text.lastIndexOf('\n', offset - 1) + 1);
    const range = { start: { line, character }, end: { line, character: character + 1 } };
    let version = 1;
    let resultId: string | undefined;
    let fullReports = 0;
    const edit = async (): Promise<number> => {
      version++;
      const t = performance.now();
      await connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: [{ range, text: version % 2 === 0 ? 'b' : 'a' }],
      });
      // As VS Code asks: with the last report's id, so an edit that changes no finding is `unchanged`.
      const report = await connection.sendRequest(DocumentDiagnosticRequest.type, {
        textDocument: { uri },
        ...(resultId !== undefined ? { previousResultId: resultId } : {}),
      });
      const elapsed = performance.now() - t;
      if (report.kind === 'full') fullReports++;
      resultId = report.resultId;
      return elapsed;
    };
    for (let i = 0; i < opts.warmup; i++) await edit();
    const times: number[] = [];
    const start = performance.now();
    while (times.length < opts.maxRuns && (times.length < opts.minRuns || performance.now() - start < opts.minMs))
      times.push(await edit());
    times.sort((a, b) => a - b);
    const floor = medianOf(() => analyzeText(text));
    return {
      id,
      median_ms: times[Math.floor(times.length / 2)]!,
      floor_ms: floor.median,
      runs: times.length,
      p90_ms: times[Math.floor(times.length * 0.9)]!,
      bytes: text.length,
      full_reports: fullReports,
    };
  } finally {
    await connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
    await connection.sendNotification(ExitNotification.type).catch(() => undefined);
    const exited =
      child.exitCode !== null ||
      (await Promise.race([
        once(child, 'exit').then(() => true),
        new Promise((r) => setTimeout(() => r(false), 2000)),
      ]));
    if (!exited) child.kill();
    connection.dispose();
  }
}

/**
 * The incremental benches (issue #21): one-character edits inside one middle rule, or one document
 * of the stream, sent as incremental changes; the floor is the in-process whole analysis of the file,
 * so below 1.0× an edit costs less than analysing the file again.
 */
const INCREMENTAL_GOAL = 'didChange → diagnostics < 1× in-process whole analysis (well under)';

export function lspBenchmarks(): Benchmark[] {
  return [
    {
      id: 'lsp-edit-config-2000-incremental',
      goal: INCREMENTAL_GOAL,
      run() {
        const text = generateConfig(2000);
        // The port of rule #1001's service: `…svc.cluster.local:80NN`, its last digit toggled.
        const at = text.indexOf('\n', text.indexOf('service: http://svc1000.')) - 1;
        return editLatency('lsp-edit-config-2000-incremental', text, at);
      },
    },
    {
      id: 'lsp-edit-manifests-200-incremental',
      goal: INCREMENTAL_GOAL,
      run() {
        const text = generateManifests(200);
        // A letter of the image name of document #101's container.
        const at = text.indexOf('registry.example.com/app100:') + 'registry.'.length;
        return editLatency('lsp-edit-manifests-200-incremental', text, at);
      },
    },
    {
      id: 'lsp-edit-config-2000',
      goal: 'didChange → diagnostics ≤ 1.5× in-process analysis',
      run() {
        const text = generateConfig(2000);
        return editLatency('lsp-edit-config-2000', text, text.indexOf('app1000.example.com'));
      },
    },
    {
      id: 'lsp-edit-manifests-200',
      goal: 'didChange → diagnostics ≤ 1.5× in-process analysis',
      run() {
        const text = generateManifests(200);
        return editLatency('lsp-edit-manifests-200', text, text.indexOf('app100'));
      },
    },
  ];
}
