/** Applying text edits (quick fixes) to a document, as an editor would. */
import { LineMap } from './text';
import type { Diagnostic, Fix, TextEdit } from './types';

/** Applies non-overlapping edits (positions refer to the original text). Overlapping ones are skipped. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = new LineMap(text);
  const spans = edits
    .map((e) => ({ start: lines.offset(e.range.start), end: lines.offset(e.range.end), text: e.newText }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let cursor = 0;
  for (const s of spans) {
    if (s.start < cursor) continue;
    out += text.slice(cursor, s.start) + s.text;
    cursor = s.end;
  }
  return out + text.slice(cursor);
}

/** The preferred fix of each diagnostic, dropping any whose edits overlap one already chosen. */
export function preferredFixes(diagnostics: Diagnostic[], text: string): Fix[] {
  const lines = new LineMap(text);
  const taken: Array<[number, number]> = [];
  const chosen: Fix[] = [];
  for (const d of diagnostics) {
    const fix = d.fixes?.find((f) => f.isPreferred);
    if (!fix) continue;
    const spans = fix.edits.map((e) => [lines.offset(e.range.start), lines.offset(e.range.end)] as [number, number]);
    const overlaps = spans.some(([a, b]) => taken.some(([c, e]) => (a < e && c < b) || (a === b && a === c)));
    if (overlaps) continue;
    taken.push(...spans);
    chosen.push(fix);
  }
  return chosen;
}
