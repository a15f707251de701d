/**
 * `cftunnel/trace` (src/shared/trace.ts): a URL through the workspace's tunnel rules and routing
 * objects, over the index the cross-file checks already keep (each file parsed once per change),
 * or over the open documents only in Restricted Mode. The cluster domain is the window's setting.
 *
 * A request the client cancelled (`$/cancelRequest`) is answered RequestCancelled: the trace runs
 * after the first indexing and one turn of the event loop, and its answer is dropped if the client
 * gave up meanwhile.
 */
import { pathToFileURL } from 'node:url';
import { ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import type { CancellationToken, Connection } from 'vscode-languageserver';
import { routingObjectsFromFiles, tunnelsFromFiles } from '../../core/routing/fromWorkspace';
import { TraceInputError, traceUrl } from '../../core/routing/trace';
import type { Workspace } from '../../core/workspace/workspace';
import { TRACE_REQUEST } from '../../shared/trace';
import type { TraceAnswer, TraceParams } from '../../shared/trace';
import { uriPath } from '../documents';
import type { DocumentStore } from '../documents';
import { textsWorkspace } from '../workspace';
import type { WorkspaceIndex } from '../workspace';
import type { SettingsCache } from './settings';

export function registerTrace(
  connection: Connection,
  store: DocumentStore,
  index: WorkspaceIndex,
  settings: SettingsCache,
  trusted: () => boolean,
): void {
  connection.onRequest(TRACE_REQUEST, async (params: TraceParams, token: CancellationToken): Promise<TraceAnswer> => {
    if (typeof params?.url !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'trace needs a url');
    const { clusterDomain } = await settings.workspace();
    const openOnly = !trusted();
    const model = openOnly ? openDocumentsModel(store) : await index.model();
    await new Promise((resolve) => setImmediate(resolve));
    stopIfCancelled(token);
    const summaries = [...model.summaries()];
    const tunnels = tunnelsFromFiles(summaries, model.links());
    let result;
    try {
      result = traceUrl({
        url: params.url,
        tunnels,
        objects: routingObjectsFromFiles(summaries, (p) => model.placementOf(p)),
        ...(clusterDomain ? { clusterDomain } : {}),
      });
    } catch (e) {
      if (e instanceof TraceInputError) throw new ResponseError(ErrorCodes.InvalidParams, e.message);
      throw e;
    }
    stopIfCancelled(token);
    return {
      result: {
        ...result,
        hops: result.hops.map((h) => (h.file === undefined ? h : { ...h, uri: pathToFileURL(h.file).href })),
      },
      tunnels: tunnels.length,
      openDocumentsOnly: openOnly,
    };
  });
}

/** Restricted Mode: a model of the open `file:` documents only (nothing is read from the disk). */
function openDocumentsModel(store: DocumentStore): Workspace {
  const open = new Map<string, string>();
  for (const d of store.documents.all()) {
    const path = d.uri.startsWith('file:') ? uriPath(d.uri) : undefined;
    if (path) open.set(path, d.getText());
  }
  return textsWorkspace(open);
}

function stopIfCancelled(token: CancellationToken): void {
  if (token.isCancellationRequested)
    throw new ResponseError(LSPErrorCodes.RequestCancelled, 'The trace request was cancelled.');
}
