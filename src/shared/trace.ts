/**
 * `cftunnel/trace`: where a public URL goes, over the language server's workspace model (issue #17):
 * the tunnel rule that takes it, the ingress controller and routing object, the Service and pod port
 * that answer it, or where and why it stops (src/core/routing/trace.ts). The server holds the model,
 * so it answers; the extension shows the hops ("Trace Hostname…"). Pure: types and names only.
 */
import type { TraceHop, TraceResult } from '../core/routing/trace';

/** Request `TraceParams` → `TraceAnswer`; a URL that `parseTraceUrl` refuses is answered InvalidParams. */
export const TRACE_REQUEST = 'cftunnel/trace';

export interface TraceParams {
  /** As typed: a scheme is optional (`shop.example.com/cart`). */
  url: string;
}

/** A hop, with the `file:` URI of its file (the server's paths are its own: the client opens the URI). */
export interface TraceHopAt extends TraceHop {
  uri?: string;
}

export interface TraceAnswer {
  result: Omit<TraceResult, 'hops'> & { hops: TraceHopAt[] };
  /**
   * The cloudflared configs the trace started from (standalone files and configs held in ConfigMaps).
   * 0: the workspace has none, so no URL can be traced.
   */
  tunnels: number;
  /** Restricted Mode: only the open documents were read. */
  openDocumentsOnly: boolean;
}
