/** Inline cursor markers for tests: `originRequest:\n  conn|` (no side effects on import). */

export interface Cursor {
  text: string;
  offset: number;
  position: { line: number; character: number };
}

/** Removes the one `marker` from `marked` and tells where it was. Use another marker when the YAML needs `|`. */
export function cursor(marked: string, marker = '|'): Cursor {
  const offset = marked.indexOf(marker);
  if (offset < 0 || marked.indexOf(marker, offset + 1) >= 0)
    throw new Error(`expected exactly one ${marker} in ${JSON.stringify(marked)}`);
  const text = marked.slice(0, offset) + marked.slice(offset + marker.length);
  const before = text.slice(0, offset).split('\n');
  return { text, offset, position: { line: before.length - 1, character: before[before.length - 1]!.length } };
}
