import type { Position, Range } from './types';

/**
 * Maps UTF-16 offsets of one text to line/character positions. Built once per text in O(n),
 * each lookup is a binary search.
 */
export class LineMap {
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* \n */) starts.push(i + 1);
      else if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))]!;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo]! };
  }

  offset(pos: Position): number {
    const start = this.lineStart(pos.line);
    return Math.min(start + pos.character, this.text.length);
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }
}

export type Eol = '\n' | '\r\n' | '\r';

/** The line break a text is written with: its first one (CRLF, LF or a lone CR, as VS Code counts them); LF when it has none. */
export function eolOf(text: string): Eol {
  const i = text.search(/[\r\n]/);
  if (i < 0 || text[i] === '\n') return '\n';
  return text[i + 1] === '\n' ? '\r\n' : '\r';
}

/** Edits whose inserted line breaks are the text's own (a fix writes `\n`; a CRLF file keeps CRLF). */
export function editsWithEol<E extends { newText: string }>(edits: readonly E[], text: string): E[] {
  const eol = eolOf(text);
  if (eol === '\n') return [...edits];
  return edits.map((e) => ({ ...e, newText: e.newText.replace(/\r\n|\r|\n/g, eol) }));
}

/**
 * The text as the YAML parser should read it: a lone CR (old Mac line endings, which yaml.v3 and
 * VS Code take as line breaks, the `yaml` package does not) becomes LF. Same length, and LineMap
 * already counts a lone CR as a line break: offsets and positions of the result are the text's.
 */
export function yamlLineBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}
