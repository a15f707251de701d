/**
 * Loads YAML the way gopkg.in/yaml.v3 (cloudflared's decoder) does, on top of the `yaml`
 * library's positions: only the first document counts, syntax errors are reported in
 * yaml.v3's words, alias names follow yaml.v3's stricter grammar, and duplicate keys in
 * any mapping are errors.
 */
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Alias } from 'yaml';
import type { Document, Node, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { LineMap } from '../text';
import { EXCESSIVE_ALIASING, EXCESSIVE_ALIASING_MESSAGE, parseYamlDocuments } from './aliases';
import type { Diagnostic, Range } from '../types';

export type YNode = Scalar | YAMLMap | YAMLSeq | Alias;

export interface LoadedYaml {
  /** The first document, or null when the text holds no document at all. */
  doc: Document.Parsed | null;
  /** Every document of the stream (manifests hold several; cloudflared reads only the first). */
  docs: Document.Parsed[];
  lines: LineMap;
  /** yaml.v3 load errors (syntax, anchors, duplicate keys): each makes cloudflared refuse the file. */
  errors: Diagnostic[];
}

/** yaml.v3's wording for the `yaml` library's error codes (best match of the same condition). */
const YAML_V3_WORDING: Record<string, string> = {
  TAB_AS_INDENT: 'found character that cannot start any token',
  BAD_DQ_ESCAPE: 'found unknown escape character',
  BAD_INDENT: 'did not find expected key',
  MISSING_CHAR: 'did not find expected node content',
  MULTILINE_IMPLICIT_KEY: "could not find expected ':'",
  BLOCK_AS_IMPLICIT_KEY: 'mapping values are not allowed in this context',
  UNEXPECTED_TOKEN: 'did not find expected key',
  BAD_SCALAR_START: 'found character that cannot start any token',
  BLOCK_IN_FLOW: "did not find expected ',' or ']'",
  KEY_OVER_1024_CHARS: "could not find expected ':'",
  BAD_ALIAS: 'did not find expected alphabetic or numeric character',
  MULTIPLE_ANCHORS: 'did not find expected key',
  MULTIPLE_TAGS: 'did not find expected key',
  BAD_PROP_ORDER: 'did not find expected key',
};

const ANCHOR_NAME = /^[0-9A-Za-z_-]+$/;

export function yamlRange(lines: LineMap, node: { range?: [number, number, number] | null } | null | undefined): Range {
  const r = node?.range;
  if (!r) return lines.range(0, 0);
  return lines.range(r[0], r[1]);
}

/** 1-based line of a node, as yaml.v3 prints it. */
export function yamlLine(lines: LineMap, node: { range?: [number, number, number] | null } | null | undefined): number {
  return lines.position(node?.range?.[0] ?? 0).line + 1;
}

export function loadYaml(text: string, lines = new LineMap(text)): LoadedYaml {
  return loadDocuments(
    parseYamlDocuments(text, { schema: 'failsafe', uniqueKeys: false, strict: true, prettyErrors: false }),
    lines,
  );
}

/** loadYaml over documents already parsed with those options (a shared parse: ./parsed.ts). */
export function loadDocuments(list: Document.Parsed[], lines: LineMap): LoadedYaml {
  const doc = list[0] ?? null;
  const errors: Diagnostic[] = [];
  if (!doc) return { doc: null, docs: list, lines, errors };

  const syntax = syntaxError(doc, lines);
  if (syntax) return { doc, docs: list, lines, errors: [syntax] };

  checkAnchorsAndKeys(doc, lines, errors);
  return { doc, docs: list, lines, errors };
}

/** yaml.v3's wording where the `yaml` library's code alone does not tell the condition. */
function wordingOf(e: { code: string; message: string }): string | undefined {
  const text = e.message.split('\n')[0]!;
  if (e.code === 'MISSING_CHAR' && /^Missing closing .?quote/.test(text)) return 'found unexpected end of stream';
  if (/^Flow sequence .* end with a \]/.test(text)) return "did not find expected ',' or ']'";
  if (/^Flow map .* end with a \}/.test(text)) return "did not find expected ',' or '}'";
  return YAML_V3_WORDING[e.code];
}

/**
 * The syntax error of one document as yaml.v3 reports it: only the first one (yaml.v3 stops at
 * it, where the `yaml` library goes on and reports what follows from it too), in its words.
 */
export function syntaxError(doc: Document.Parsed, lines: LineMap): Diagnostic | null {
  let first: (typeof doc.errors)[number] | undefined;
  for (const e of doc.errors) if (!first || e.pos[0] < first.pos[0]) first = e;
  if (!first) return null;
  const start = first.pos[0];
  if (first.code === EXCESSIVE_ALIASING) {
    // yaml.v3 prints no line for it; the range is the first alias.
    const range = lines.range(start, Math.max(first.pos[1], start + 1));
    return { code: 'yaml-syntax', severity: 'error', message: `yaml: ${EXCESSIVE_ALIASING_MESSAGE}`, range };
  }
  let wording = wordingOf(first) ?? first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  if (wording === 'did not find expected key' && inBlockSequence(lines, start))
    wording = "did not find expected '-' indicator";
  // libyaml's parser errors ("did not find expected …") print the 0-based line of the token they
  // stopped at, its scanner errors the 1-based one: `kubectl` says "line 6: did not find expected
  // key" for a key mis-indented on line 7 (checked against kubectl 1.32's goyaml).
  const parserError = wording.startsWith('did not find expected') && !wording.includes('alphabetic');
  const line = Math.max(1, lines.position(start).line + (parserError ? 0 : 1));
  return {
    code: 'yaml-syntax',
    severity: 'error',
    message: `yaml: line ${line}: ${wording}`,
    range: lines.range(start, Math.max(first.pos[1], start + 1)),
  };
}

/**
 * Whether the token at `offset` stands where a block sequence expects its next `- ` entry: the
 * closest line above at the same indentation is an entry (`  - a: 1` … `  b: 2`).
 */
function inBlockSequence(lines: LineMap, offset: number): boolean {
  let at = offset;
  while (lines.text[at] === ' ') at++;
  const { line, character } = lines.position(at);
  for (let l = line - 1; l >= 0; l--) {
    const text = lines.text.slice(
      lines.lineStart(l),
      l + 1 < lines.lineCount ? lines.lineStart(l + 1) : lines.text.length,
    );
    const indent = text.length - text.trimStart().length;
    const rest = text.trim();
    if (rest === '' || rest.startsWith('#')) continue;
    if (indent < character) return false;
    if (indent === character) return /^-(\s|$)/.test(rest);
  }
  return false;
}

/**
 * One walk for yaml.v3's anchor/alias grammar and its duplicate-key rule (any mapping, any
 * depth). Hand-written rather than `visit` from yaml: this runs on every keystroke.
 */
function checkAnchorsAndKeys(doc: Document.Parsed, lines: LineMap, errors: Diagnostic[]): void {
  const defined = new Set<string>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor !== undefined) {
      if (!ANCHOR_NAME.test(anchor)) errors.push(aliasSyntaxError(lines, node as Node));
      defined.add(anchor);
    }
    if (isAlias(node)) {
      if (!ANCHOR_NAME.test(node.source)) {
        errors.push(aliasSyntaxError(lines, node));
      } else if (!defined.has(node.source)) {
        errors.push({
          code: 'yaml-unknown-anchor',
          severity: 'error',
          message: `yaml: unknown anchor '${node.source}' referenced`,
          range: yamlRange(lines, node),
        });
      }
    } else if (isMap(node)) {
      checkDuplicateKeys(node as YAMLMap, lines, errors);
      for (const pair of (node as YAMLMap).items) {
        walk(pair.key);
        walk(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of (node as YAMLSeq).items) walk(item);
    }
  };
  walk(doc.contents);
}

function aliasSyntaxError(lines: LineMap, node: Node): Diagnostic {
  const text = isAlias(node) ? `*${node.source}` : 'anchor';
  const wildcard = isAlias(node) && node.source.startsWith('.');
  const hint = wildcard ? ` (quote the hostname: "${text}")` : '';
  const range = yamlRange(lines, node);
  return {
    code: 'yaml-alias-syntax',
    severity: 'error',
    message: `yaml: line ${yamlLine(lines, node)}: did not find expected alphabetic or numeric character${hint}`,
    range,
    ...(wildcard
      ? {
          fixes: [
            { title: `Quote the hostname: "${text}"`, isPreferred: true, edits: [{ range, newText: `"${text}"` }] },
          ],
        }
      : {}),
  };
}

/** yaml.v3 refuses a repeated key: `mapping key "x" already defined at line N`. */
function checkDuplicateKeys(map: YAMLMap, lines: LineMap, errors: Diagnostic[]): void {
  if (map.items.length < 2) return;
  const seen = new Map<string, Node>();
  for (const pair of map.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const key = pair.key as Scalar;
    const name = String(key.value);
    if (name === '<<' && key.type === 'PLAIN') continue;
    const first = seen.get(name);
    if (first) {
      errors.push({
        code: 'duplicate-key',
        severity: 'error',
        message: `line ${yamlLine(lines, key)}: mapping key ${JSON.stringify(name)} already defined at line ${yamlLine(lines, first)}`,
        range: yamlRange(lines, key),
      });
    } else {
      seen.set(name, key);
    }
  }
}

/** Follows aliases to the node they name (yaml.v3 resolves them transparently). */
export function deref(doc: Document.Parsed, node: unknown, depth = 0): YNode | null {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    if (depth > 32) return null;
    return deref(doc, (node as Alias).resolve(doc), depth + 1);
  }
  if (isScalar(node) || isMap(node) || isSeq(node)) return node as YNode;
  return null;
}

export interface KeyValue {
  key: Scalar;
  name: string;
  value: YNode | null;
  /** The value node as written (an alias stays an alias), for ranges. */
  written: YNode | null;
}

/**
 * The key/value pairs of a mapping with yaml.v3's merge-key semantics: `<<: *a` (or a list of
 * aliases) contributes the pairs of the merged mappings that the mapping does not set itself.
 */
export function mapEntries(doc: Document.Parsed, map: YAMLMap): KeyValue[] {
  const own: KeyValue[] = [];
  const merged: KeyValue[] = [];
  for (const pair of map.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const key = pair.key as Scalar;
    const name = String(key.value);
    const written = (pair.value ?? null) as YNode | null;
    if (name === '<<' && key.type === 'PLAIN') {
      const target = deref(doc, written);
      const sources = isSeq(target) ? target.items.map((i) => deref(doc, i)) : [target];
      for (const s of sources) if (isMap(s)) merged.push(...mapEntries(doc, s as YAMLMap));
      continue;
    }
    own.push({ key, name, value: deref(doc, written), written });
  }
  const names = new Set(own.map((e) => e.name));
  const inherited: KeyValue[] = [];
  for (const m of merged) {
    if (names.has(m.name)) continue;
    names.add(m.name);
    inherited.push(m);
  }
  return [...own, ...inherited];
}
