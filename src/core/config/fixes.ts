/** Quick fixes for config problems, computed with the diagnostics (core-side, no editor state). */
import { isMap, isScalar } from 'yaml';
import type { Scalar, YAMLSeq } from 'yaml';
import type { LineMap } from '../text';
import type { Fix } from '../types';
import type { KeyValue, YNode } from '../yaml/load';

/** Column of the `- ` that introduces a block sequence item starting at `offset`. */
function dashColumn(lines: LineMap, offset: number): number | undefined {
  const pos = lines.position(offset);
  const lineText = lines.text.slice(lines.lineStart(pos.line), lines.lineStart(pos.line) + pos.character);
  const i = lineText.lastIndexOf('-');
  return i >= 0 && lineText.slice(0, i).trim() === '' ? i : undefined;
}

/** Offset of the end of the line holding `offset` (before its line break). */
function lineEnd(lines: LineMap, offset: number): number {
  const line = lines.position(offset).line;
  const next = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : lines.text.length;
  let end = next;
  while (end > 0 && (lines.text[end - 1] === '\n' || lines.text[end - 1] === '\r') && end > lines.lineStart(line))
    end--;
  return end;
}

/** `- service: http_status:404` appended to a block `ingress` sequence. */
export function appendCatchAllFix(lines: LineMap, seq: YAMLSeq): Fix | undefined {
  if (seq.flow || seq.items.length === 0) return undefined;
  const last = seq.items[seq.items.length - 1] as { range?: [number, number, number] };
  const first = seq.items[0] as { range?: [number, number, number] };
  if (!last?.range || !first?.range) return undefined;
  const col = dashColumn(lines, first.range[0]);
  if (col === undefined) return undefined;
  const at = lineEnd(lines, Math.max(last.range[0], last.range[1] - 1));
  return {
    title: 'Add a catch-all rule (service: http_status:404) at the end',
    isPreferred: true,
    edits: [{ range: lines.range(at, at), newText: `\n${' '.repeat(col)}- service: http_status:404` }],
  };
}

/** Moves the catch-all item `index` of a block sequence to its end. */
export function moveCatchAllLastFix(lines: LineMap, seq: YAMLSeq, index: number): Fix | undefined {
  if (seq.flow) return undefined;
  const item = seq.items[index] as { range?: [number, number, number] };
  const next = seq.items[index + 1] as { range?: [number, number, number] };
  const last = seq.items[seq.items.length - 1] as { range?: [number, number, number] };
  if (!item?.range || !next?.range || !last?.range) return undefined;
  const col = dashColumn(lines, item.range[0]);
  const nextCol = dashColumn(lines, next.range[0]);
  if (col === undefined || nextCol === undefined) return undefined;
  const startLine = lines.position(item.range[0]).line;
  const nextLine = lines.position(next.range[0]).line;
  const cut = lines.text.slice(lines.lineStart(startLine), lines.lineStart(nextLine)).replace(/\s+$/, '');
  const at = lineEnd(lines, Math.max(last.range[0], last.range[1] - 1));
  return {
    title: 'Move the catch-all rule to the end',
    isPreferred: true,
    edits: [
      { range: { start: { line: startLine, character: 0 }, end: { line: nextLine, character: 0 } }, newText: '' },
      { range: lines.range(at, at), newText: '\n' + cut },
    ],
  };
}

/** `http://app:80/api?x` → the URL without its path (`http://app:80`) and the path alone (`/api`). */
export function splitServicePath(service: string): { base: string; path: string } | undefined {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*)([/?#].*)$/.exec(service);
  if (!m) return undefined;
  return { base: m[1]!, path: m[2]!.replace(/[?#].*$/, '') };
}

/** A scalar's new value written as the old one was (plain, single- or double-quoted). */
function sameStyle(lines: LineMap, node: Scalar, value: string): string {
  const q = lines.text[node.range![0]];
  if (q === '"') return `"${value.replace(/["\\]/g, '\\$&')}"`;
  if (q === "'" || /: | #|^[-?:,[\]{}#&*!|>'"%@`]/.test(value)) return `'${value.replace(/'/g, "''")}'`;
  return value;
}

/**
 * `service: http://app:80/api` (cloudflared: "… don't support proxying to a different path"):
 * drop the path; or, when the rule has no `path:` yet and the map is a block, move it to the rule
 * as an anchored regular expression (the request path is then sent to the service unchanged).
 */
export function servicePathFixes(
  lines: LineMap,
  service: string,
  entry: KeyValue | undefined,
  ruleNode: YNode | null,
  ruleHasPath: boolean,
): Fix[] {
  const split = splitServicePath(service);
  const node = entry?.written;
  if (!split || !node || !isScalar(node) || !node.range || typeof node.value !== 'string') return [];
  const replace = { range: lines.range(node.range[0], node.range[1]), newText: sameStyle(lines, node, split.base) };
  const onlySlash = split.path === '/' || split.path === '';
  const fixes: Fix[] = [
    {
      title: onlySlash
        ? 'Drop the trailing / from the service URL'
        : `Drop the path ${split.path} from the service URL`,
      ...(onlySlash ? { isPreferred: true } : {}),
      edits: [replace],
    },
  ];
  const block = isMap(ruleNode) && !ruleNode.flow;
  const keyRange = entry.key.range;
  if (
    onlySlash ||
    ruleHasPath ||
    !block ||
    !keyRange ||
    lines.position(keyRange[0]).line !== lines.position(node.range[0]).line
  )
    return fixes;
  const regex = `^${split.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
  const column = lines.position(keyRange[0]).character;
  const at = lineEnd(lines, Math.max(node.range[0], node.range[1] - 1));
  fixes.push({
    title: `Move ${split.path} to the rule: path: ${regex} (only requests for ${split.path}… go to this service)`,
    edits: [replace, { range: lines.range(at, at), newText: `\n${' '.repeat(column)}path: ${regex}` }],
  });
  return fixes;
}
