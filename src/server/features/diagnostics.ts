/** Pull diagnostics (textDocument/diagnostic) for cloudflared configs and manifests. */
import { DocumentDiagnosticReportKind, LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import type {
  CancellationToken,
  Connection,
  Diagnostic as LspDiagnostic,
  DocumentDiagnosticReport,
} from 'vscode-languageserver';
import { toLspDiagnostic } from '../convert';
import { withCrossFile } from '../../core/analyze';
import type { Diagnostic } from '../../core/types';
import { uriPath } from '../documents';
import type { DocumentStore } from '../documents';
import type { ProjectSettings } from './project';
import type { SettingsCache } from './settings';

/**
 * `crossFile(path)` adds what the workspace model finds between files (cross-file diagnostics
 * located in this document); `project` takes out what the document's suppression comments cover and
 * applies the project's `.cftunnel.yaml` rules.
 *
 * A pull the client cancelled (`$/cancelRequest`) is answered RequestCancelled, and one whose
 * document got a newer version meanwhile ServerCancelled (the newer version's pull supersedes it):
 * the checks run only after the settings round trip and one turn of the event loop, when both are
 * known, so a burst of keystrokes analyses the latest text once.
 *
 * Each full report has a `resultId`; a pull that names the last one (`previousResultId`, as VS Code
 * sends) and finds the very same diagnostics is answered `unchanged`: a keystroke that changes no
 * finding sends no list (on 200 manifests, 475 diagnostics: 350 KB of JSON) and the editor redraws
 * nothing.
 */
export function registerDiagnostics(
  connection: Connection,
  store: DocumentStore,
  settings: SettingsCache,
  crossFile: (path: string) => Diagnostic[],
  project: ProjectSettings,
): void {
  const last = new Map<string, { resultId: string; items: LspDiagnostic[] }>();
  let results = 0;
  store.documents.onDidClose((e) => last.delete(e.document.uri));
  connection.languages.diagnostics.on(async (params, token): Promise<DocumentDiagnosticReport> => {
    const uri = params.textDocument.uri;
    const version = store.get(uri)?.version;
    const enabled = (await settings.get(uri)).diagnostics.enable;
    await new Promise((resolve) => setImmediate(resolve));
    stopIfStale(token, store.get(uri)?.version, version);
    const analysis = enabled ? store.analysis(uri) : undefined;
    const path = uriPath(uri);
    const extra = enabled && path && uri.startsWith('file:') ? crossFile(path) : [];
    stopIfStale(token, store.get(uri)?.version, version);
    const found = withCrossFile(analysis?.diagnostics ?? [], extra);
    const items = (enabled ? project.report(uri, found) : found).map(toLspDiagnostic);
    const previous = last.get(uri);
    if (previous && params.previousResultId === previous.resultId && sameJson(previous.items, items))
      return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: previous.resultId };
    const resultId = String(++results);
    last.set(uri, { resultId, items });
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items };
  });
}

function stopIfStale(token: CancellationToken, now: number | undefined, asked: number | undefined): void {
  if (token.isCancellationRequested)
    throw new ResponseError(LSPErrorCodes.RequestCancelled, 'The diagnostics request was cancelled.');
  if (now !== asked)
    throw new ResponseError(
      LSPErrorCodes.ServerCancelled,
      'A newer version of the document superseded this diagnostics request.',
      { retriggerRequest: false },
    );
}

/** Whether two JSON-like values (objects, arrays, primitives; no cycles) are equal: fast, where node:util's isDeepStrictEqual is not. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}
