/**
 * An in-process language client and server joined by two in-memory streams, as
 * compose-language-service tests its server: the real protocol, no process, no editor.
 * No side effects on import.
 */
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  CompletionRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DiagnosticRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  DocumentSymbolRequest,
  FileChangeType,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  RegistrationRequest,
  StreamMessageReader,
  StreamMessageWriter,
  LogMessageNotification,
} from 'vscode-languageserver-protocol/node';
import type {
  ClientCapabilities,
  CodeAction,
  CompletionItem,
  CompletionList,
  Diagnostic,
  DocumentDiagnosticReport,
  DocumentSymbol,
  FileEvent,
  Hover,
  InitializeResult,
  Position,
  ProtocolConnection,
  Range,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createServer } from '../../src/server/server';

/** What VS Code announces for the features the server uses. */
export const VSCODE_CAPABILITIES: ClientCapabilities = {
  workspace: {
    applyEdit: true,
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    diagnostics: { refreshSupport: true },
    workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
  },
  textDocument: {
    diagnostic: { dynamicRegistration: false },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { snippetSupport: true } },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    codeAction: {
      isPreferredSupport: true,
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } },
    },
  },
};

export interface TestClientOptions {
  /** The `cftunnel` section answered to workspace/configuration. */
  settings?: unknown;
  capabilities?: ClientCapabilities;
  /** Absolute folder paths sent as workspaceFolders. */
  workspaceFolders?: string[];
  initializationOptions?: unknown;
}

export class TestClient {
  /** The `cftunnel` section the client answers with; change it with `changeSettings`. */
  settings: unknown;
  /** scopeUri of every workspace/configuration item the server asked for. */
  readonly configurationRequests: string[] = [];
  /** client/registerCapability registrations. */
  readonly registrations: Array<{ method: string; registerOptions?: unknown }> = [];
  refreshes = 0;
  /** The server's window/logMessage lines. */
  readonly logs: string[] = [];
  private refreshWaiters: Array<() => void> = [];
  private readonly versions = new Map<string, number>();

  private constructor(
    readonly connection: ProtocolConnection,
    private readonly serverSide: { dispose(): void },
    options: TestClientOptions,
  ) {
    this.settings = options.settings ?? {};
    connection.onRequest(ConfigurationRequest.type, (params) =>
      params.items.map((item) => {
        this.configurationRequests.push(item.scopeUri ?? '');
        return item.section === 'cftunnel' ? this.settings : null;
      }),
    );
    connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations);
    });
    connection.onNotification(LogMessageNotification.type, (p) => {
      this.logs.push(p.message);
    });
    connection.onRequest(DiagnosticRefreshRequest.type, () => {
      this.refreshes++;
      for (const w of this.refreshWaiters.splice(0)) w();
    });
  }

  static async start(options: TestClientOptions = {}): Promise<TestClient> {
    const up = new PassThrough();
    const down = new PassThrough();
    // Reader/writer objects rather than raw streams: with streams the library exits the process when they end.
    const server = createConnection(ProposedFeatures.all, new StreamMessageReader(up), new StreamMessageWriter(down));
    createServer(server);
    server.listen();
    const connection = createProtocolConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
    const client = new TestClient(connection, server, options);
    connection.listen();
    const result: InitializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: null,
      rootUri: null,
      capabilities: options.capabilities ?? VSCODE_CAPABILITIES,
      workspaceFolders: (options.workspaceFolders ?? []).map((f) => ({ uri: pathToFileURL(f).href, name: f })),
      ...(options.initializationOptions !== undefined ? { initializationOptions: options.initializationOptions } : {}),
    });
    client.serverCapabilities = result.capabilities;
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  serverCapabilities: InitializeResult['capabilities'] = {};

  async open(uri: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'yaml', version: 1, text },
    });
  }

  async change(uri: string, text: string): Promise<void> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** The raw report, as a client that remembers the last `resultId` asks (VS Code does). */
  report(uri: string, previousResultId?: string): Promise<DocumentDiagnosticReport> {
    return this.connection.sendRequest(DocumentDiagnosticRequest.type, {
      textDocument: { uri },
      ...(previousResultId !== undefined ? { previousResultId } : {}),
    });
  }

  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const report = await this.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    return report.kind === 'full' ? report.items : [];
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const result: CompletionItem[] | CompletionList | null = await this.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position,
    });
    return Array.isArray(result) ? result : (result?.items ?? []);
  }

  async symbols(uri: string): Promise<DocumentSymbol[]> {
    return ((await this.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) ??
      []) as DocumentSymbol[];
  }

  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const result = await this.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    });
    return (result ?? []) as CodeAction[];
  }

  /** Resolves at the next workspace/diagnostic/refresh request from the server. */
  nextRefresh(): Promise<void> {
    return new Promise<void>((resolve) => this.refreshWaiters.push(resolve));
  }

  async filesChanged(paths: string[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: paths.map((p): FileEvent => ({ uri: pathToFileURL(p).href, type: FileChangeType.Changed })),
    });
  }

  /** Sets the answer to workspace/configuration, notifies the server and waits for its diagnostic refresh. */
  async changeSettings(settings: unknown): Promise<void> {
    this.settings = settings;
    const refreshed = new Promise<void>((resolve) => this.refreshWaiters.push(resolve));
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await refreshed;
  }

  dispose(): void {
    this.connection.dispose();
    this.serverSide.dispose();
  }
}

/** The text edits a workspace edit makes to `uri` (from `changes` or `documentChanges`). */
export function editsFor(edit: WorkspaceEdit | undefined, uri: string): TextEdit[] {
  if (!edit) return [];
  if (edit.changes) return edit.changes[uri] ?? [];
  const out: TextEdit[] = [];
  for (const change of edit.documentChanges ?? []) {
    if ('textDocument' in change && change.textDocument.uri === uri) out.push(...(change.edits as TextEdit[]));
  }
  return out;
}

/** Applies a workspace edit to the text of `uri`, as the editor would. */
export function applyWorkspaceEdit(text: string, edit: WorkspaceEdit | undefined, uri: string): string {
  return TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, text), editsFor(edit, uri));
}
