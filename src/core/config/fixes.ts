/** Quick fixes for config problems, computed with the diagnostics (core-side, no editor state). */
import type { YAMLSeq } from 'yaml';
import type { LineMap } from '../text';
import type { Fix } from '../types';

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
  while (end > 0 && (lines.text[end - 1] === '\n' || lines.text[end - 1] === '\r') && end > lines.lineStart(line)) end--;
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
