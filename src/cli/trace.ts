/**
 * `cftunnel trace URL [PATH...] [--format text|json]`: where a public URL goes, through the
 * workspace's tunnel rules and its cluster's routing objects (src/core/routing/trace.ts).
 * Exit 0 when a Service serves it, 1 when the trace stops, 2 on bad input.
 */
import { relative } from 'node:path';
import { Workspace } from '../core/workspace/workspace';
import { fsReader, readFiles } from './files';
import { routingObjectsFromFiles, tunnelsFromFiles } from '../core/routing/fromWorkspace';
import { parseTraceUrl, traceUrl } from '../core/routing/trace';
import type { TraceResult } from '../core/routing/trace';

export interface TraceIo {
  out(text: string): void;
  err(text: string): void;
}

export class TraceUsageError extends Error {}

export const TRACE_USAGE = 'cftunnel trace URL [PATH...] [--format text|json] [--cluster-domain DOMAIN]';

export function runTrace(args: string[], io: TraceIo): number {
  let format = 'text';
  let clusterDomain: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--format' || a.startsWith('--format=')) {
      format = a === '--format' ? (args[++i] ?? '') : a.slice('--format='.length);
      if (format !== 'text' && format !== 'json')
        throw new TraceUsageError(`--format must be text or json, not '${format}'`);
    } else if (a === '--cluster-domain' || a.startsWith('--cluster-domain=')) {
      clusterDomain = a === '--cluster-domain' ? args[++i] : a.slice('--cluster-domain='.length);
      if (!clusterDomain) throw new TraceUsageError('--cluster-domain needs a domain');
    } else if (a.startsWith('-') && a !== '-') {
      throw new TraceUsageError(`unknown option '${a}'`);
    } else {
      positional.push(a);
    }
  }
  const [url, ...paths] = positional;
  if (url === undefined) throw new TraceUsageError('trace needs a URL');
  const parsed = parseTraceUrl(url);
  if (!parsed.ok) {
    io.err(`cftunnel: ${parsed.error}`);
    return 2;
  }
  if (paths.length === 0) paths.push('.');

  const workspace = new Workspace(fsReader());
  if (!readFiles(paths, io, (_file, absolute, text) => workspace.update(absolute, text))) return 2;
  const summaries = [...workspace.summaries()];
  const result = traceUrl({
    url,
    tunnels: tunnelsFromFiles(summaries, workspace.links()),
    objects: routingObjectsFromFiles(summaries, (path) => workspace.placementOf(path)),
    ...(clusterDomain ? { clusterDomain } : {}),
  });
  const shown = relativeFiles(result);
  if (format === 'json') io.out(JSON.stringify(traceJson(shown)));
  else for (const line of traceText(shown)) io.out(line);
  return result.servedBy ? 0 : 1;
}

function relativeFiles(result: TraceResult): TraceResult {
  return {
    ...result,
    hops: result.hops.map((h) =>
      h.file === undefined ? h : { ...h, file: relative(process.cwd(), h.file) || h.file },
    ),
  };
}

/** The JSON the issue specifies (`url`, `hops`, `servedBy`, `stops`), plus what the model knows besides. */
export function traceJson(r: TraceResult): Record<string, unknown> {
  return {
    url: r.url,
    hops: r.hops.map((h) => ({
      kind: h.kind,
      namespace: h.namespace ?? null,
      name: h.name ?? null,
      file: h.file ?? null,
      line: h.line ?? null,
      detail: h.detail,
    })),
    servedBy: r.servedBy,
    stops: r.servedBy ? null : (r.stops ?? null),
    status: r.status ?? null,
    certain: r.certain,
    notes: r.notes,
    warnings: r.warnings,
  };
}

export function traceText(r: TraceResult): string[] {
  const lines: string[] = [];
  const head = r.servedBy
    ? `${r.url} → Service ${r.servedBy.namespace}/${r.servedBy.name} port ${r.servedBy.port}`
    : `${r.url} → not served: ${r.stops ?? 'unknown'}`;
  lines.push(head + (r.certain ? '' : ' (uncertain: see notes)'));
  r.hops.forEach((h, i) => {
    const where = h.file !== undefined ? `${h.file}${h.line !== undefined ? `:${h.line}` : ''}` : '';
    lines.push(`  ${i + 1}. ${h.kind.padEnd(12)} ${h.detail}${where ? `  (${where})` : ''}`);
  });
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  return lines;
}
