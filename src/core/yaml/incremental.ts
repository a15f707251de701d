/**
 * Parsing a YAML file again after an edit without parsing all of it (issue #21). The text is cut
 * into line-aligned chunks that YAML parses the same alone as in place:
 *
 * - a stream of several documents: each document (between `---` lines);
 * - one document whose root is a block mapping at column 0: each top-level entry; and inside a
 *   block sequence that is the value of a top-level key (cloudflared's `ingress:`), each item.
 *
 * Each chunk's parse is kept, keyed by its text: after an edit only the chunks whose text changed
 * are parsed; the others' nodes are reused, their offsets moved by what the edit added or removed
 * before them, and put together into the documents `parseAllDocuments` gives for the whole text
 * (the same node types, values and ranges; tests/property compare them after random edits).
 * Whatever the chunking cannot vouch for — a chunk that does not parse cleanly alone (an alias
 * to another chunk's anchor, a quoted scalar running over a chunk's end), directives, a root that
 * is not a block mapping, flow collections at the top — is parsed whole, as before.
 *
 * Nodes are shared between versions and moved in place: the documents of an older version are
 * not to be read once a newer one was parsed (the language server only reads the latest).
 */
import { Document, isMap, isPair, isScalar, isSeq, Pair, parseAllDocuments, visit, YAMLMap, YAMLSeq } from 'yaml';
import type { DocumentOptions, ParseOptions, SchemaOptions } from 'yaml';
import { checkAliases } from './aliases';

type Options = ParseOptions & DocumentOptions & SchemaOptions;

/** What loadYaml and the workspace index parse with (yaml.v3's view: every scalar a string). */
export const YAML_OPTIONS: Options = { schema: 'failsafe', uniqueKeys: false, strict: true, prettyErrors: false };

/** Below this size a whole parse is cheap: no chunking. */
const MIN_CHUNKED_CHARS = 16 * 1024;

interface Chunk {
  /** 'doc': a document of a stream; 'entry': a top-level entry; 'item': an item of a top-level sequence. */
  kind: 'doc' | 'entry' | 'item';
  start: number;
  end: number;
  /** For 'entry': the items of its block sequence value (an `ingress:` list), if cut into items. */
  items?: Chunk[];
  /** For 'entry' with items: where its first item starts. */
  headerEnd?: number;
  /** For 'doc' and 'item': how many documents or items the chunk holds (a block of them). */
  count?: number;
}

interface Parsed {
  text: string;
  /** Where the nodes' offsets currently put them. */
  base: number;
  docs: Document.Parsed[];
  /** Whether the chunk holds an alias (then the whole document's alias budget is checked). */
  aliases: boolean;
}

export interface IncrementalStats {
  chunks: number;
  parsed: number;
  whole: boolean;
}

/** Documents put together from chunks: their nodes may come back in the next version's parse. */
const reusable = new WeakSet<Document.Parsed>();

/**
 * Whether work kept per node of `doc` can pay off: its nodes may be handed back by the next
 * version's parse (a document of an incremental parse), unlike a whole parse's, which are all new.
 */
export function mayReuseNodes(doc: Document.Parsed): boolean {
  return reusable.has(doc);
}

export class IncrementalYaml {
  private cache = new Map<string, Parsed[]>();
  /** How the last update went (for benchmarks and tests). */
  stats: IncrementalStats = { chunks: 0, parsed: 0, whole: true };

  /** `minChars`: below this length the text is parsed whole (tests set 0 to cut everything). */
  constructor(
    private readonly options: Options = YAML_OPTIONS,
    private readonly minChars = MIN_CHUNKED_CHARS,
  ) {}

  /** The documents of `text`, as `parseAllDocuments(text, options)` (with the alias budget) gives them. */
  parse(text: string): Document.Parsed[] {
    const chunks = text.length >= this.minChars ? chunkText(text) : undefined;
    if (chunks) {
      const docs = this.assemble(text, chunks);
      if (docs) return docs;
    }
    this.cache = new Map();
    this.stats = { chunks: 0, parsed: 1, whole: true };
    return this.whole(text);
  }

  private whole(text: string): Document.Parsed[] {
    const docs = parseAllDocuments(text, this.options);
    const list = Array.isArray(docs) ? docs : [];
    for (const doc of list) checkAliases(doc, text);
    return list;
  }

  private assemble(text: string, chunks: Chunk[]): Document.Parsed[] | undefined {
    const next = new Map<string, Parsed[]>();
    let parsed = 0;
    let count = 0;
    let aliases = false;
    const take = (chunk: Chunk): Document.Parsed[] | undefined => {
      count++;
      const t = text.slice(chunk.start, chunk.end);
      const list = this.cache.get(t);
      let hit = list?.shift();
      if (hit) {
        if (hit.base !== chunk.start) for (const d of hit.docs) shiftDocument(d, chunk.start - hit.base);
        hit.base = chunk.start;
      } else {
        parsed++;
        const docs = this.parseChunk(t, chunk.start, chunk.kind === 'doc' ? (chunk.count ?? 1) : 1);
        if (!docs) return undefined;
        hit = { text: t, base: chunk.start, docs, aliases: t.includes('*') && docs.some(hasAlias) };
      }
      if (hit.aliases) aliases = true;
      const keep = next.get(t);
      if (keep) keep.push(hit);
      else next.set(t, [hit]);
      return hit.docs;
    };

    let docs: Document.Parsed[] | undefined;
    if (chunks[0]?.kind === 'doc') {
      docs = [];
      for (const c of chunks) {
        const d = take(c);
        if (!d) return undefined;
        docs.push(...d);
      }
    } else {
      const doc = this.mapDocument(text, chunks, take, () => aliases);
      if (!doc) return undefined;
      docs = [doc];
    }
    this.cache = next;
    this.stats = { chunks: count, parsed, whole: false };
    for (const d of docs) reusable.add(d);
    return docs;
  }

  /** One document whose root mapping is put together from its entries (and an entry's sequence from its items). */
  private mapDocument(
    text: string,
    chunks: Chunk[],
    take: (c: Chunk) => Document.Parsed[] | undefined,
    aliases: () => boolean,
  ): Document.Parsed | undefined {
    const root = new YAMLMap();
    let first: Document.Parsed | undefined;
    let start = -1;
    let valueEnd = 0;
    let nodeEnd = 0;
    let docEnd = 0;
    for (const c of chunks) {
      const d = take(c)?.[0];
      if (!d || !isMap(d.contents)) return undefined;
      const map = d.contents;
      if (map.items.length !== 1 || map.flow) return undefined;
      first ??= d;
      if (start < 0) start = map.range![0];
      const pair = map.items[0]!;
      valueEnd = map.range![1];
      nodeEnd = map.range![2];
      docEnd = d.range[2];
      if (c.items) {
        // `key:` alone parsed as `key: null`; its value is the sequence of the items.
        const seq = new YAMLSeq();
        for (const item of c.items) {
          const di = take(item)?.[0];
          if (!di || !isSeq(di.contents) || di.contents.items.length !== item.count || di.contents.flow)
            return undefined;
          const s = di.contents;
          if (seq.items.length === 0) seq.range = [s.range![0], s.range![1], s.range![2]];
          else seq.range = [seq.range![0], s.range![1], s.range![2]];
          seq.items.push(...s.items);
          docEnd = di.range[2];
        }
        const alone = pair.value === null || (isScalar(pair.value) && pair.value.value === '');
        if (!alone) return undefined;
        // A pair of its own: the chunk's document stays as parsed (it is moved as a whole later).
        root.items.push(new Pair(pair.key, seq));
        valueEnd = seq.range![1];
        nodeEnd = seq.range![2];
        continue;
      }
      root.items.push(pair);
    }
    if (!first) return undefined;
    root.range = [start, valueEnd, nodeEnd];
    const doc = new Document(undefined, this.options) as Document.Parsed;
    doc.contents = root as unknown as Document.Parsed['contents'];
    doc.range = [first.range[0], valueEnd, Math.max(docEnd, nodeEnd)];
    doc.commentBefore = first.commentBefore;
    // The alias budget counts over the whole document: walked only when some chunk has an alias.
    return aliases() ? checkAliases(doc, text) : doc;
  }

  /** A chunk alone, its offsets moved to where it is; undefined when it does not parse cleanly alone. */
  private parseChunk(t: string, at: number, count: number): Document.Parsed[] | undefined {
    const docs = parseAllDocuments(t, this.options);
    if (!Array.isArray(docs) || docs.length !== count) return undefined;
    for (const doc of docs) {
      // The alias budget of each document alone (a document of a stream is whole in its chunk).
      checkAliases(doc, t);
      if (doc.errors.length > 0 || doc.warnings.length > 0) return undefined;
      if (at !== 0) shiftDocument(doc, at);
    }
    return docs;
  }
}

function hasAlias(doc: Document.Parsed): boolean {
  let found = false;
  visit(doc, {
    Alias() {
      found = true;
      return visit.BREAK;
    },
  });
  return found;
}

/** Moves every offset of a document by `delta` (each node once: a tree may hold a node twice). */
function shiftDocument(doc: Document.Parsed, delta: number): void {
  doc.range = [doc.range[0] + delta, doc.range[1] + delta, doc.range[2] + delta];
  const seen = new Set<object>();
  const shift = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    const n = node as { range?: [number, number, number] | null };
    if (n.range) n.range = [n.range[0] + delta, n.range[1] + delta, n.range[2] + delta];
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items) {
        if (isPair(item)) {
          shift(item.key);
          shift(item.value);
        } else shift(item);
      }
    }
  };
  shift(doc.contents);
}

// ── Chunking ─────────────────────────────────────────────────────────────────────────────────

/**
 * The chunks of `text`, or undefined when it cannot be cut safely (then it is parsed whole).
 * Blank and comment lines go with the chunk before them (the first chunk takes those before it).
 */
export function chunkText(text: string): Chunk[] | undefined {
  if (text.charCodeAt(0) === 0xfeff) return undefined;
  // Lines end at LF (CRLF too); a lone CR (which the parse reads as a break: yamlLineBreaks) is parsed whole.
  if (/\r(?!\n)/.test(text)) return undefined;
  // A stream of documents: cut at `---` lines (directives or `...` markers: parsed whole).
  const markers: number[] = [];
  const marker = /^(?:(---)|\.\.\.|%)(?=[ \t\r\n]|$)|^%/gm;
  for (let m = marker.exec(text); m; m = marker.exec(text)) {
    if (!m[1]) return undefined;
    markers.push(m.index);
  }
  if (markers.length > 0) {
    const docs: Chunk[] = [];
    let from = 0;
    for (const at of markers) {
      if (at > from) docs.push({ kind: 'doc', start: from, end: at, count: 1 });
      from = at;
    }
    docs.push({ kind: 'doc', start: from, end: text.length, count: 1 });
    // A leading chunk of only comments and blank lines is no document of its own: parse whole.
    return docs.length > 1 ? blocks(text, docs, DOCS_PER_BLOCK) : undefined;
  }

  const chunks: Chunk[] = [];
  let current: Chunk | undefined;
  let seqIndent = -1;
  let lineEnd = 0;
  for (let at = 0; at < text.length; at = lineEnd) {
    const lf = text.indexOf('\n', at);
    lineEnd = lf < 0 ? text.length : lf + 1;
    // Indentation (spaces; a tab in it is parsed whole), then what starts the line.
    let p = at;
    while (p < lineEnd && text.charCodeAt(p) === 32) p++;
    const c = p < lineEnd ? text.charCodeAt(p) : 10;
    if (c === 10 || c === 13 || c === 35 /* # */) continue; // blank or comment line
    if (c === 9) {
      if (/^[ \t]*(?:#.*)?(?:\r?\n|\r)?$/.test(text.slice(at, lineEnd))) continue;
      return undefined;
    }
    const indent = p - at;
    if (indent === 0 && c !== 45 /* - */) {
      // A top-level key (plain or quoted); anything else at column 0 is parsed whole.
      const line = text.slice(at, lineEnd);
      if (!TOP_LEVEL_KEY.test(line)) return undefined;
      if (current) current.end = at;
      current = { kind: 'entry', start: chunks.length === 0 ? 0 : at, end: text.length };
      chunks.push(current);
      seqIndent = -1;
      // `key:` alone (maybe a comment): its value may be a block sequence cut into items.
      if (KEY_ALONE.test(line)) current.items = [];
      continue;
    }
    if (!current) return undefined; // indented content or a sequence at the top
    const items = current.items;
    if (!items) continue;
    const next = p + 1 < lineEnd ? text.charCodeAt(p + 1) : 10;
    const isItem = c === 45 && (next === 32 || next === 9 || next === 10 || next === 13);
    if (seqIndent < 0) {
      if (!isItem) {
        current.items = undefined; // a mapping or scalar value: the entry is one chunk
        continue;
      }
      seqIndent = indent;
    }
    if (indent === seqIndent && isItem) {
      const last = items[items.length - 1];
      if (last) last.end = at;
      else current.headerEnd = at;
      items.push({ kind: 'item', start: at, end: text.length, count: 1 });
    } else if (indent <= seqIndent) {
      return undefined; // at or left of the items, and neither an item nor a key at column 0
    }
  }
  if (chunks.length === 0) return undefined;
  for (const c of chunks) {
    if (!c.items) continue;
    // An indented comment after a collection's last item is part of that collection where it
    // stands, and of no collection alone: such a file is parsed whole.
    if (indentedTrailingComment(text, c.items[c.items.length - 1]?.start ?? c.start, c.end)) return undefined;
    if (c.items.length === 0) {
      c.items = undefined;
      continue;
    }
    // The entry's own chunk ends where its first item starts; its last item ends with the entry.
    c.items[c.items.length - 1]!.end = c.end;
    c.end = c.headerEnd!;
    c.items = blocks(text, c.items, ITEMS_PER_BLOCK);
  }
  if (indentedTrailingComment(text, chunks[chunks.length - 1]!.start, text.length)) return undefined;
  return chunks;
}

/** Whether text[start, end) ends with blank and comment lines of which one is an indented comment. */
function indentedTrailingComment(text: string, start: number, end: number): boolean {
  let e = end;
  while (e > start) {
    let contentEnd = e;
    if (text.charCodeAt(contentEnd - 1) === 10) contentEnd--;
    if (text.charCodeAt(contentEnd - 1) === 13) contentEnd--;
    let lineStart = contentEnd;
    while (lineStart > start && text.charCodeAt(lineStart - 1) !== 10 && text.charCodeAt(lineStart - 1) !== 13)
      lineStart--;
    const line = text.slice(lineStart, contentEnd);
    const content = line.trimStart();
    if (content.startsWith('#')) {
      if (content.length !== line.length) return true;
    } else if (content !== '') return false;
    e = lineStart;
  }
  return false;
}

const TOP_LEVEL_KEY = /^(?:[A-Za-z0-9_][^:#]*|"[^"\n]*"|'[^'\n]*')[ \t]*:(?:[ \t]|\r?\n|\r|$)/;
const KEY_ALONE = /^[^:]+:[ \t]*(?:#.*)?(?:\r?\n|\r)?$/;

/** About how many sequence items, or documents, one chunk holds: fewer parses, each still small. */
const ITEMS_PER_BLOCK = 16;
const DOCS_PER_BLOCK = 4;

/**
 * Consecutive chunks grouped into blocks whose ends depend on content only (a block ends after a
 * chunk whose text hashes to 0 modulo `size`): an edit changes the blocks around it, never the
 * ones further away, as an index-based grouping would after an insertion.
 */
function blocks(text: string, chunks: Chunk[], size: number): Chunk[] {
  const out: Chunk[] = [];
  let open: Chunk | undefined;
  for (const c of chunks) {
    if (open) {
      open.end = c.end;
      open.count! += 1;
    } else {
      open = { kind: c.kind, start: c.start, end: c.end, count: 1 };
      out.push(open);
    }
    // The chunk's first 64 characters decide (an item's `- hostname: …` line): cheap on large files.
    if (hash(text, c.start, Math.min(c.end, c.start + 64)) % size === 0) open = undefined;
  }
  return out;
}

/** FNV-1a over the UTF-16 code units of text[start, end). */
function hash(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
