/**
 * Where in the YAML structure a cursor is: the keys and sequence indices from the document root
 * down to the key or value under the cursor. Works on half-typed YAML (`  conn|`, `  - |`,
 * `protocol: |`): a one-character marker is inserted at the cursor (and a `:` after a bare word,
 * so it parses as a key), the text is parsed with the `yaml` library's error-tolerant parser, and
 * the marker is looked up in the tree.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import { parseYamlDocuments } from './aliases';
import type { Pair, Scalar, YAMLMap } from 'yaml';

export type PathSegment = string | number;

export interface YamlCursor {
  /** Keys and indices from the root to the key or value at the cursor (a half-typed key as written so far). */
  path: PathSegment[];
  /** On a key (or where a new key would go), or on a value (a scalar in a mapping or a sequence). */
  on: 'key' | 'value';
  /** Offsets of the scalar under the cursor, quotes excluded; equal when nothing is typed yet. */
  start: number;
  end: number;
  quoted: boolean;
  /** The other keys of the mapping holding the key at the cursor (or the pair whose value it is). */
  siblings: string[];
  /** 0-based index of the YAML document in the stream. */
  document: number;
}

/** Private-use character: valid inside plain and quoted scalars, never in real configs. */
const MARK = '\uE000';

export function yamlCursor(text: string, offset: number): YamlCursor | undefined {
  let at = Math.max(0, Math.min(offset, text.length));
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at);
  const before = text.slice(lineStart, at);
  const after = text.slice(at, lineEnd).replace(/\r$/, '');
  // `key:|` is the end of the key, not an empty value.
  if (/:$/.test(before) && /^(\s|$)/.test(after) && !hasMappingColon(before.slice(0, -1))) at--;

  const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
  let patched = text.slice(0, at) + MARK;
  let rest = text.slice(at);
  if (!hasMappingColon(line) && !/^\s*#/.test(line)) {
    // A bare word (or nothing) on its line: make it a key so the structure around it is a mapping.
    const word = /^[^\s#]*/.exec(rest)![0].length;
    patched += rest.slice(0, word) + ':';
    rest = rest.slice(word);
  }
  patched += rest;

  const list = parseYamlDocuments(patched, { schema: 'failsafe', uniqueKeys: false });
  for (let d = 0; d < list.length; d++) {
    const doc = list[d]!;
    const [start, , end] = doc.range;
    if (at < start || at > end) continue;
    const hit = find(doc.contents, at, []);
    if (hit) return toCursor(text, hit, d);
  }
  return undefined;
}

/** A `key:` followed by a space or the end of the line, outside quotes and before any comment. */
function hasMappingColon(line: string): boolean {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      if (i === 0 || /[\s[{,:-]/.test(line[i - 1]!)) quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
      return false;
    } else if (c === ':' && (i + 1 === line.length || /\s/.test(line[i + 1]!))) {
      return true;
    }
  }
  return false;
}

interface Hit {
  path: PathSegment[];
  on: 'key' | 'value';
  node: Scalar;
  /** The mapping holding the key, or the pair whose value the scalar is (for siblings). */
  map?: YAMLMap;
  pair?: Pair;
}

function contains(node: unknown, at: number): boolean {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  return !!r && r[0] <= at && at <= r[2];
}

function holdsMark(node: unknown, at: number): node is Scalar {
  return isScalar(node) && contains(node, at) && String(node.value).includes(MARK);
}

function name(key: unknown): string {
  return isScalar(key) ? String(key.value).replace(MARK, '') : '';
}

/** Descends only into nodes whose range holds the marker, so a lookup costs one branch of the tree. */
function find(node: unknown, at: number, path: PathSegment[]): Hit | undefined {
  if (holdsMark(node, at)) return { path, on: 'value', node };
  if (isMap(node)) {
    for (const pair of node.items) {
      if (holdsMark(pair.key, at))
        return { path: [...path, name(pair.key)], on: 'key', node: pair.key, map: node, pair };
      if (holdsMark(pair.value, at))
        return { path: [...path, name(pair.key)], on: 'value', node: pair.value, map: node, pair };
      if (contains(pair.value, at)) {
        const hit = find(pair.value, at, [...path, name(pair.key)]);
        if (hit) return hit;
      }
    }
  } else if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      if (contains(node.items[i], at)) return find(node.items[i], at, [...path, i]);
    }
  }
  return undefined;
}

function toCursor(text: string, hit: Hit, document: number): YamlCursor {
  const [s, e] = hit.node.range!;
  const quoted = hit.node.type === 'QUOTE_DOUBLE' || hit.node.type === 'QUOTE_SINGLE';
  // Patched offsets before the marker equal original ones; the scalar's end moved by the marker.
  const end0 = Math.max(s, e - MARK.length);
  const start = quoted ? s + 1 : s;
  const quote = text[s];
  const end = quoted && end0 - 1 >= start && text[end0 - 1] === quote ? end0 - 1 : end0;
  const siblings = hit.map
    ? hit.map.items.filter((p) => p !== hit.pair && isScalar(p.key)).map((p) => name(p.key))
    : [];
  return {
    path: hit.path,
    on: hit.on,
    start,
    end: Math.max(start, end),
    quoted,
    siblings,
    document,
  };
}

export interface BlockScalarText {
  /** Keys and indices from the root to the block scalar. */
  path: PathSegment[];
  /** The block's lines with its indentation removed (as its content reads, blank lines kept). */
  text: string;
  /** The cursor's offset in `text`. */
  offset: number;
  /** Maps an offset in `text` back to the host text. */
  toHost(inner: number): number;
}

/**
 * The literal block scalar (`key: |`) whose content holds `offset`, as a text of its own: a
 * ConfigMap's embedded config.yaml, for example. Undefined when the cursor is not in one.
 */
export function blockScalarAt(text: string, offset: number): BlockScalarText | undefined {
  for (const doc of parseYamlDocuments(text, { schema: 'failsafe', uniqueKeys: false })) {
    const found = findBlock(doc.contents, offset, []);
    if (found) return blockText(text, offset, found.node, found.path);
  }
  return undefined;
}

function findBlock(node: unknown, at: number, path: PathSegment[]): { node: Scalar; path: PathSegment[] } | undefined {
  if (isScalar(node)) return node.type === 'BLOCK_LITERAL' && contains(node, at) ? { node, path } : undefined;
  if (isMap(node)) {
    for (const pair of node.items)
      if (contains(pair.value, at)) return findBlock(pair.value, at, [...path, name(pair.key)]);
  } else if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++)
      if (contains(node.items[i], at)) return findBlock(node.items[i], at, [...path, i]);
  }
  return undefined;
}

function blockText(text: string, offset: number, node: Scalar, path: PathSegment[]): BlockScalarText | undefined {
  const [headerAt, , end] = node.range!;
  // The block's lines, from the one after the `|` header to the scalar's end.
  const lines: Array<{ start: number; text: string }> = [];
  for (let s = text.indexOf('\n', headerAt) + 1; s > 0 && s < end;) {
    const nl = text.indexOf('\n', s);
    lines.push({ start: s, text: text.slice(s, nl < 0 ? text.length : nl).replace(/\r$/, '') });
    s = nl + 1;
  }
  const indentOf = (l: string): number => l.length - l.trimStart().length;
  const content = lines.find((l) => l.text.trim() !== '');
  const indent = content ? indentOf(content.text) : 0;
  // Per line: where its content starts in the host and in the block's own text.
  const spans: Array<{ host: number; inner: number }> = [];
  let inner = 0;
  let innerOffset: number | undefined;
  for (const l of lines) {
    const cut = Math.min(indent, indentOf(l.text));
    spans.push({ host: l.start + cut, inner });
    if (offset >= l.start && offset <= l.start + l.text.length)
      innerOffset = inner + Math.max(0, offset - l.start - cut);
    inner += l.text.length - cut + 1;
  }
  if (innerOffset === undefined) return undefined;
  const toHost = (at: number): number => {
    let i = spans.length - 1;
    while (i > 0 && spans[i]!.inner > at) i--;
    return spans[i]!.host + (at - spans[i]!.inner);
  };
  return {
    path,
    text: lines.map((l) => l.text.slice(Math.min(indent, indentOf(l.text)))).join('\n'),
    offset: innerOffset,
    toHost,
  };
}
