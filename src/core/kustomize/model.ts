/**
 * A pure model of a kustomization's ConfigMap and Secret generators, computing the generated
 * objects (names with prefix, suffix and content hash; data) exactly as kustomize v5 does.
 *
 * Ported from kubernetes-sigs/kustomize (behaviour identical from api/v0.18.0 = kustomize v5.5.0,
 * the one in kubectl 1.32, to v5.8.x):
 * - api/types/kustomization.go   `Unmarshal` (YAML → JSON → encoding/json with
 *   DisallowUnknownFields: case-insensitive field names, last duplicate wins, yaml.v2 scalar
 *   typing, Go's type-error wording), `FixKustomization` (`env` appended after `envs`,
 *   `bases` after `resources`), `EnforceFields`, `CheckEmpty`.
 * - api/types/generatoroptions.go `MergeGlobalOptionsIntoLocal`: local label/annotation keys win,
 *   a global `true` (disableNameSuffixHash, immutable) cannot be turned off locally.
 * - api/kv/kv.go                  envs files first, then literals, then files; env lines as
 *   bufio.Scanner splits them; BOM on line 1; `#` comments; values verbatim; literal quotes.
 * - api/internal/generators/*     a name is required; duplicate keys; `type` defaults to Opaque;
 *   `immutable: true` is set on the object (it is not part of the hash).
 * - kyaml/yaml/datamap.go         ConfigMap values that are not UTF-8 go to binaryData; Secret
 *   and binaryData values are base64 broken into 70-character lines, each ended by "\n" as soon as
 *   the encoding is 70 characters or longer.
 * - api/hasher/hasher.go          SHA-256 of Go's json.Marshal of {kind, name, data} (+binaryData)
 *   or {kind, type, name, data} (+stringData); first 10 hex digits with 0→g 1→h 3→k a→m e→t.
 *   `name` is always "": the hasher looks the name up with `yaml.Lookup("metadata/name")`, which
 *   is one field literally called "metadata/name" (kustomize's own hasher_test.go expects
 *   `"name":""`). The hash therefore depends on content only, and is appended as `-<hash>`
 *   after namePrefix/nameSuffix (api/internal/target/kusttarget.go `addHashesToNames` runs last).
 * - api/resmap/reswrangler.go     `behavior: merge|replace` against an earlier object.
 * - api/internal/validate/fieldvalidator.go: kustomize validates neither keys nor env names; the
 *   API server does (ConfigMap/Secret keys), so invalid keys are warnings here, not errors.
 *
 * No file system here: files are read through the injected `FileReader` (POSIX paths).
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { LineMap } from '../text';
import type { Range, Severity } from '../types';

// ───────────────────────────────────────────── public types

/** File access injected by the caller. Paths are absolute POSIX paths. */
export interface FileReader {
  /** The file's text (UTF-8), or undefined when it does not exist or is not a readable file. */
  read(path: string): string | undefined;
  isDirectory?(path: string): boolean;
  list?(dir: string): string[];
  /**
   * The file's bytes, when the caller can give them. Only needed for files that are not valid
   * UTF-8 (ConfigMap binaryData, binary Secret values); without it `read` is used.
   */
  readBytes?(path: string): Uint8Array | undefined;
}

/** The names kustomize looks for in a folder, in its order (api/konfig/general.go). */
export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export function isKustomizationFileName(pathOrName: string): boolean {
  return (KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(posix.basename(pathOrName));
}

/**
 * The kustomization file of `dir`, as kustomize's LoadKustFile picks it: exactly one of the
 * recognised names must exist. Uses `files.list` when present, else probes with `files.read`.
 */
export function findKustomizationFile(dir: string, files: FileReader): { path?: string; error?: string } {
  const listed = files.list?.(dir);
  const present = listed
    ? KUSTOMIZATION_FILE_NAMES.filter((n) => listed.includes(n))
    : KUSTOMIZATION_FILE_NAMES.filter((n) => files.read(posix.join(dir, n)) !== undefined);
  if (present.length === 1) return { path: posix.join(dir, present[0]!) };
  if (present.length === 0) {
    return { error: `unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${dir}'` };
  }
  return { error: `Found multiple kustomization files under: ${dir}` };
}

export interface Located<T> {
  value: T;
  /** Where it is written in the kustomization file (0-based). */
  range: Range;
}

export type GeneratedKind = 'ConfigMap' | 'Secret';
export type Behavior = 'create' | 'replace' | 'merge';

export interface GeneratorOptionsSpec {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  disableNameSuffixHash?: Located<boolean>;
  immutable?: Located<boolean>;
  range: Range;
}

export interface GeneratorSpec {
  kind: GeneratedKind;
  /** Index in its list (configMapGenerator or secretGenerator). */
  index: number;
  /** The whole list item. */
  range: Range;
  /** A short range for the item: its `name` value, else its first key, else the item. */
  headRange: Range;
  name?: Located<string>;
  namespace?: Located<string>;
  behavior?: Located<string>;
  /** Secrets only. */
  type?: Located<string>;
  literals: Located<string>[];
  files: Located<string>[];
  envs: Located<string>[];
  /** Deprecated singular form; kustomize reads it after `envs`. */
  env?: Located<string>;
  options?: GeneratorOptionsSpec;
}

export interface Kustomization {
  /** Folder of the kustomization (POSIX); relative inputs resolve against it. */
  dir: string;
  kind: string;
  apiVersion?: string;
  namespace?: Located<string>;
  namePrefix?: Located<string>;
  nameSuffix?: Located<string>;
  /** `resources`, then the deprecated `bases` (as FixKustomization appends them). Not followed. */
  resources: Located<string>[];
  configMapGenerator: GeneratorSpec[];
  secretGenerator: GeneratorSpec[];
  generatorOptions?: GeneratorOptionsSpec;
  /**
   * Fields present that can rewrite generated objects before the hash is taken (patches,
   * replacements, transformers, components, …). The model does not apply them.
   */
  transformers: string[];
  /** Problems found while reading the file (YAML, types, unknown fields). */
  problems: KustomizeProblem[];
}

export type KustomizeProblemCode =
  | 'kustomize-yaml'
  | 'kustomize-type'
  | 'kustomize-unknown-field'
  | 'kustomize-kind'
  | 'kustomize-empty'
  | 'kustomize-missing-name'
  | 'kustomize-missing-file'
  | 'kustomize-not-a-file'
  | 'kustomize-outside-root'
  | 'kustomize-remote-file'
  | 'kustomize-invalid-literal'
  | 'kustomize-invalid-file-source'
  | 'kustomize-invalid-utf8'
  | 'kustomize-env-line-too-long'
  | 'kustomize-duplicate-key'
  | 'kustomize-invalid-key'
  | 'kustomize-env-deprecated'
  | 'kustomize-env-quoted-value'
  | 'kustomize-env-no-value'
  | 'kustomize-unknown-behavior'
  | 'kustomize-duplicate-object'
  | 'kustomize-merge-target-missing'
  | 'kustomize-merge-external'
  | 'kustomize-tls-keys';

export interface KustomizeProblem {
  code: KustomizeProblemCode;
  severity: Severity;
  message: string;
  /** In the kustomization file. */
  range: Range;
  /** Another file the problem is about (an envs file), with the 0-based line in it. */
  related?: { path: string; line: number };
}

export interface KeySource {
  kind: 'file' | 'literal' | 'env';
  /** The input file, resolved against the kustomization folder (file and env sources). */
  path?: string;
  /** 0-based line in the envs file (env sources). */
  line?: number;
  /** The entry in the kustomization file. */
  range: Range;
}

export interface GeneratedObject {
  kind: GeneratedKind;
  /** The generator's `name`. */
  baseName: string;
  /** Final name as kustomize prints it: namePrefix + name + nameSuffix [+ "-" + hash]. */
  name: string;
  /** The 10-character content hash appended to the name (also when disabled, for reference). */
  hash: string;
  namespace?: string;
  /** Secrets: `type` (Opaque by default). */
  type?: string;
  /** Decoded text values (Secrets: before base64). */
  data: Record<string, string>;
  /** ConfigMaps: values that are not UTF-8, base64 (unbroken). Only with `FileReader.readBytes`. */
  binaryData?: Record<string, string>;
  keys: Array<{ key: string; source: KeySource }>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  immutable: boolean;
  disableNameSuffixHash: boolean;
  behavior: Behavior;
  /** The generator that produced it (the last one, after a merge/replace). */
  generator: GeneratorSpec;
  /**
   * False when the name or data may differ from kustomize's: an input could not be read, a
   * key repeats, or the object merges with/replaces something from `resources`. It does not
   * account for `Kustomization.transformers` (patches etc. that may edit the data first).
   */
  exact: boolean;
}

// ───────────────────────────────────────────── hashing (api/hasher/hasher.go)

export interface HashOptions {
  /** Secrets: the `type` (default Opaque). */
  type?: string;
  /** ConfigMaps: binaryData values (raw bytes, or base64 text as printed). */
  binaryData?: Record<string, Uint8Array | string>;
}

/**
 * The generated name kustomize prints: `${name}-${contentHash(...)}`. `name` is the final name
 * before the hash (prefix and suffix applied); it does not enter the hash (see the file header).
 * `data` holds the decoded values (for Secrets, the text before base64).
 */
export function hashName(kind: GeneratedKind, name: string, data: Record<string, string | Uint8Array>, opts: HashOptions = {}): string {
  return `${name}-${contentHash(kind, data, opts)}`;
}

/** The 10-character hash suffix of a generated ConfigMap or Secret. */
export function contentHash(kind: GeneratedKind, data: Record<string, string | Uint8Array>, opts: HashOptions = {}): string {
  return encodeHash(sha256Hex(hashInput(kind, data, opts)));
}

/** The JSON text kustomize hashes (Go's json.Marshal, sorted keys, HTML-escaped). */
export function hashInput(kind: GeneratedKind, data: Record<string, string | Uint8Array>, opts: HashOptions = {}): string {
  // Maps are built with Object.fromEntries so that a key such as "__proto__" stays a key.
  const m: Record<string, JsonLike> = { kind, name: '' };
  if (kind === 'Secret') {
    m.type = opts.type ?? 'Opaque';
    m.data = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, encodeBase64Lines(typeof v === 'string' ? utf8(v) : v)]));
  } else {
    const d: Array<[string, string]> = [];
    const b: Array<[string, string]> = [];
    for (const [k, v] of Object.entries(data)) {
      if (typeof v === 'string') d.push([k, v]);
      else if (isUtf8(v)) d.push([k, decodeUtf8(v)]);
      else b.push([k, encodeBase64Lines(v)]);
    }
    for (const [k, v] of Object.entries(opts.binaryData ?? {})) b.push([k, typeof v === 'string' ? v : encodeBase64Lines(v)]);
    // An absent `data` is looked up as "" (getNodeValues); binaryData only when present.
    m.data = d.length > 0 ? Object.fromEntries(d) : '';
    if (b.length > 0) m.binaryData = Object.fromEntries(b);
  }
  return goJson(m);
}

function encodeHash(hex: string): string {
  const map: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return hex.slice(0, 10).replace(/[013ae]/g, (c) => map[c]!);
}

function sha256Hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

type JsonLike = string | { [k: string]: JsonLike };

/** Go's encoding/json for strings and string maps: keys in byte order, HTML-safe escaping. */
function goJson(v: JsonLike): string {
  if (typeof v === 'string') return goJsonString(v);
  const keys = Object.keys(v).sort(compareCodePoints);
  return `{${keys.map((k) => `${goJsonString(k)}:${goJson(v[k]!)}`).join(',')}}`;
}

function compareCodePoints(a: string, b: string): number {
  // UTF-8 byte order is code point order; JS `<` compares UTF-16 units.
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx - cy;
  }
}

/** Go 1.22+ encodeState.string with escapeHTML: \b \f \n \r \t short, <>& and U+2028/9 as \u. */
function goJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
      } else out += '\ufffd'; // Go writes invalid UTF-8 as U+FFFD
    } else out += s[i]!;
  }
  return `${out}"`;
}

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** UTF-8 → string, keeping a BOM (Go's string(bytes) keeps it). */
function decodeUtf8(b: Uint8Array): string {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(b);
}

function isUtf8(b: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

/** kyaml's encodeBase64: 70-character lines, each followed by "\n" once there is more than one. */
export function encodeBase64Lines(bytes: Uint8Array): string {
  const enc = Buffer.from(bytes).toString('base64');
  const lineLen = 70;
  const lines = Math.floor(enc.length / lineLen) + 1;
  if (lines === 1) return enc;
  let out = '';
  for (let i = 0; i < enc.length; i += lineLen) out += `${enc.slice(i, i + lineLen)}\n`;
  return out;
}

// ───────────────────────────────────────────── sources (api/kv/kv.go, generators/utils.go)

/** parseLiteralSource + removeQuotes: split at the first `=`, strip one pair of matching quotes. */
export function parseLiteralSource(source: string): { key: string; value: string } | { error: string } {
  const eq = source.indexOf('=');
  if (eq <= 0) return { error: `invalid literal source ${source}, expected key=value` };
  return { key: source.slice(0, eq), value: removeQuotes(source.slice(eq + 1)) };
}

function removeQuotes(s: string): string {
  if (s.length < 2 || s[0] !== s[s.length - 1]) return s;
  return s[0] === '"' || s[0] === "'" ? s.slice(1, -1) : s;
}

/** ParseFileSource: `[key=]path`; the key defaults to the path's base name. */
export function parseFileSource(source: string): { key: string; path: string } | { error: string } {
  const n = source.split('=').length - 1;
  if (n === 0) return { key: goPathBase(source), path: source };
  if (n === 1 && source.startsWith('=')) {
    return { error: `missing key name for file path ${goQuote(source.slice(1))} in source ${goQuote(source)}` };
  }
  if (n === 1 && source.endsWith('=')) {
    return { error: `missing file path for key name ${goQuote(source.slice(0, -1))} in source ${goQuote(source)}` };
  }
  if (n > 1) return { error: `source ${goQuote(source)} key name or file path contains '='` };
  const [key, path] = source.split('=') as [string, string];
  return { key, path };
}

/** Go's path.Base. */
function goPathBase(p: string): string {
  if (p === '') return '.';
  let s = p.replace(/\/+$/, '');
  if (s === '') return '/';
  s = s.slice(s.lastIndexOf('/') + 1);
  return s === '' ? '/' : s;
}

/** Go's %q for the strings that appear here (printable text). */
function goQuote(s: string): string {
  return JSON.stringify(s);
}

export interface EnvLine {
  key: string;
  value: string;
  /** 0-based line in the file. */
  line: number;
  /** The line had no `=` (the value is empty). */
  noEquals: boolean;
}

/** Unicode White_Space, as Go's unicode.IsSpace. */
const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/**
 * keyValuesFromLines: lines as bufio.Scanner's ScanLines gives them (split at "\n", one trailing
 * "\r" dropped), BOM removed from the first line, leading white space trimmed, empty lines and
 * `#` comments skipped, split at the first `=`, value verbatim. kv.go ignores scanner errors, so
 * a line of 64 KiB or more silently ends the file: `truncatedAt` is its 0-based line.
 */
export function parseEnvFile(text: string): { lines: EnvLine[]; truncatedAt?: number } {
  const out: EnvLine[] = [];
  const raw = text.split('\n');
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop(); // ScanLines: no empty final token
  for (let n = 0; n < raw.length; n++) {
    let line = raw[n]!;
    if (utf8(line).length >= 64 * 1024) return { lines: out, truncatedAt: n };
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (n === 0 && line.startsWith('\ufeff')) line = line.slice(1);
    line = line.replace(GO_SPACE, '');
    if (line === '' || line[0] === '#') continue;
    const eq = line.indexOf('=');
    if (eq < 0) out.push({ key: line, value: '', line: n, noEquals: true });
    else out.push({ key: line.slice(0, eq), value: line.slice(eq + 1), line: n, noEquals: false });
  }
  return { lines: out };
}

/** First invalid-UTF-8 line (0-based) of a byte buffer, as kv.go checks each line. */
function firstInvalidUtf8Line(bytes: Uint8Array): number | undefined {
  let start = 0;
  let n = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      if (i > start || i < bytes.length) {
        if (!isUtf8(bytes.subarray(start, i))) return n;
      }
      n++;
      start = i + 1;
    }
  }
  return undefined;
}

/**
 * IsConfigMapKey (k8s.io/apimachinery validation), which the API server applies to ConfigMap and
 * Secret keys. kustomize's own validator accepts everything.
 */
export function configMapKeyErrors(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push('must be no more than 253 characters');
  if (!/^[-._a-zA-Z0-9]+$/.test(key)) {
    errs.push(
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    );
  }
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

// ───────────────────────────────────────────── YAML → JSON-like values (sigs.k8s.io/yaml)

type JKind = 'null' | 'bool' | 'number' | 'string' | 'object' | 'array';

interface JValue {
  kind: JKind;
  /** Scalar text (after YAML unescaping). */
  text: string;
  bool?: boolean;
  range: Range;
  items: JValue[];
  entries: JEntry[];
}

interface JEntry {
  key: string;
  /** How yaml.v2 types the key: plain `n`, `1` or `~` keys are not strings. */
  keyKind: JKind;
  /** The key as written. */
  keyText: string;
  keyRange: Range;
  value: JValue;
}

const V2_BOOL = new Map<string, boolean>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((s) => [s, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((s) => [s, false] as const),
]);
const V2_NULL = new Set(['', '~', 'null', 'Null', 'NULL']);
const V2_SPECIAL_FLOAT = new Set(['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN']);
const V2_INT = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)$/;
const V2_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/** gopkg.in/yaml.v2's resolve() for a plain scalar, as far as JSON types go. */
function resolvePlain(s: string): { kind: JKind; bool?: boolean } {
  if (V2_NULL.has(s)) return { kind: 'null' };
  const b = V2_BOOL.get(s);
  if (b !== undefined) return { kind: 'bool', bool: b };
  if (V2_SPECIAL_FLOAT.has(s)) return { kind: 'number' };
  const plain = s.replace(/_/g, '');
  if (V2_INT.test(plain) || V2_FLOAT.test(s)) return { kind: 'number' };
  return { kind: 'string' };
}

const TAG_KIND: Record<string, JKind> = {
  'tag:yaml.org,2002:str': 'string',
  'tag:yaml.org,2002:binary': 'string',
  'tag:yaml.org,2002:int': 'number',
  'tag:yaml.org,2002:float': 'number',
  'tag:yaml.org,2002:bool': 'bool',
  'tag:yaml.org,2002:null': 'null',
};

function toJValue(node: unknown, doc: Document, lines: LineMap, depth = 0): JValue {
  const range = nodeRange(lines, node as YamlNode | null);
  const base = { text: '', range, items: [] as JValue[], entries: [] as JEntry[] };
  if (depth > 100) return { kind: 'null', ...base };
  if (isAlias(node)) {
    const target = node.resolve(doc);
    const v = toJValue(target, doc, lines, depth + 1);
    return { ...v, range };
  }
  if (isScalar(node)) {
    const text = node.value === null || node.value === undefined ? '' : String(node.value);
    const tagged = node.tag && Object.hasOwn(TAG_KIND, node.tag) ? TAG_KIND[node.tag] : undefined;
    if (tagged) {
      return { kind: tagged, ...base, text, ...(tagged === 'bool' ? { bool: V2_BOOL.get(text) ?? false } : {}) };
    }
    if (node.tag || node.type !== 'PLAIN') return { kind: 'string', ...base, text };
    const r = resolvePlain(text);
    return { ...base, text, ...r };
  }
  if (isMap(node)) {
    const entries: JEntry[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const k = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
      if (!isScalar(k)) continue;
      const kt = k.value === null || k.value === undefined ? '' : String(k.value);
      const kr = k.type === 'PLAIN' && !k.tag ? resolvePlain(kt) : { kind: 'string' as JKind };
      const value = toJValue(pair.value, doc, lines, depth + 1);
      if (kt === '<<' && k.type === 'PLAIN' && !k.tag) {
        // yaml.v2 merge key: the merged entries land here (later keys override them); from a
        // sequence, earlier maps win, so they are merged last.
        const maps = value.kind === 'array' ? [...value.items].reverse() : [value];
        for (const m of maps) if (m.kind === 'object') entries.push(...m.entries);
        continue;
      }
      const key = kr.kind === 'bool' ? String(kr.bool) : kt;
      entries.push({ key, keyKind: kr.kind, keyText: kt, keyRange: nodeRange(lines, pair.key as YamlNode), value });
    }
    return { kind: 'object', ...base, entries };
  }
  if (isSeq(node)) {
    return { kind: 'array', ...base, items: node.items.map((i) => toJValue(i, doc, lines, depth + 1)) };
  }
  return { kind: 'null', ...base };
}

function nodeRange(lines: LineMap, node: { range?: [number, number, number] | null } | null | undefined): Range {
  const r = node?.range;
  return r ? lines.range(r[0], r[1]) : lines.range(0, 0);
}

// ───────────────────────────────────────────── decoding (encoding/json, DisallowUnknownFields)

const KUSTOMIZATION_FIELDS = [
  'apiVersion', 'kind', 'metadata', 'openapi', 'namePrefix', 'nameSuffix', 'namespace', 'commonLabels', 'labels',
  'commonAnnotations', 'patchesStrategicMerge', 'patchesJson6902', 'patches', 'images', 'imageTags', 'replacements',
  'replicas', 'vars', 'sortOptions', 'resources', 'components', 'crds', 'bases', 'configMapGenerator',
  'secretGenerator', 'helmGlobals', 'helmCharts', 'helmChartInflationGenerator', 'generatorOptions', 'configurations',
  'generators', 'transformers', 'validators', 'buildMetadata',
] as const;

/** Fields whose transformers may change a generated object's data before the hash is taken. */
const DATA_TRANSFORMING_FIELDS = new Set([
  'patches', 'patchesStrategicMerge', 'patchesJson6902', 'replacements', 'transformers', 'components', 'helmCharts', 'helmChartInflationGenerator', 'generators',
]);

const GENERATOR_FIELDS = ['namespace', 'name', 'behavior', 'literals', 'files', 'envs', 'env', 'options'] as const;
const OPTIONS_FIELDS = ['labels', 'annotations', 'disableNameSuffixHash', 'immutable'] as const;

class Decoder {
  constructor(readonly problems: KustomizeProblem[]) {}

  typeError(v: JValue, struct: string, path: string, goType: string): void {
    this.problems.push({
      code: 'kustomize-type',
      severity: 'error',
      message: `invalid Kustomization: json: cannot unmarshal ${v.kind} into Go struct field ${struct}.${path} of type ${goType}`,
      range: v.range,
    });
  }

  /** Object fields matched as encoding/json does: exact name, else case-insensitively; last wins. */
  fields(v: JValue, known: readonly string[]): Map<string, JEntry> {
    const out = new Map<string, JEntry>();
    for (const e of v.entries) {
      const name = known.find((f) => f === e.key) ?? known.find((f) => f.toLowerCase() === e.key.toLowerCase());
      if (!name) {
        this.problems.push({
          code: 'kustomize-unknown-field',
          severity: 'error',
          message: `invalid Kustomization: json: unknown field ${goQuote(e.key)}`,
          range: e.keyRange,
        });
        continue;
      }
      out.set(name, e);
    }
    return out;
  }

  string(e: JEntry | undefined, struct: string, path: string): Located<string> | undefined {
    if (!e || e.value.kind === 'null') return undefined;
    if (e.value.kind !== 'string') {
      this.typeError(e.value, struct, path, 'string');
      return undefined;
    }
    return { value: e.value.text, range: e.value.range };
  }

  bool(e: JEntry | undefined, struct: string, path: string): Located<boolean> | undefined {
    if (!e || e.value.kind === 'null') return undefined;
    if (e.value.kind !== 'bool') {
      this.typeError(e.value, struct, path, 'bool');
      return undefined;
    }
    return { value: e.value.bool ?? false, range: e.value.range };
  }

  strings(e: JEntry | undefined, struct: string, path: string): Located<string>[] {
    if (!e || e.value.kind === 'null') return [];
    if (e.value.kind !== 'array') {
      this.typeError(e.value, struct, path, '[]string');
      return [];
    }
    const out: Located<string>[] = [];
    for (const item of e.value.items) {
      if (item.kind === 'null') out.push({ value: '', range: item.range });
      else if (item.kind === 'string') out.push({ value: item.text, range: item.range });
      else this.typeError(item, struct, path, 'string');
    }
    return out;
  }

  stringMap(e: JEntry | undefined, struct: string, path: string): Record<string, string> | undefined {
    if (!e || e.value.kind === 'null') return undefined;
    if (e.value.kind !== 'object') {
      this.typeError(e.value, struct, path, 'map[string]string');
      return undefined;
    }
    const out = new Map<string, string>();
    for (const x of e.value.entries) {
      if (x.keyKind !== 'string') {
        // sigs.k8s.io/yaml refuses a null key; other keys survive until kustomize prints the
        // object: "json: unsupported type: map[interface {}]interface {}".
        this.problems.push({
          code: 'kustomize-type',
          severity: 'error',
          message: `the key ${x.keyText || '(empty)'} is read as ${x.keyKind === 'null' ? 'null' : `a ${x.keyKind}`} (YAML 1.1), not a string: kustomize fails (json: unsupported type: map[interface {}]interface {}); quote the key`,
          range: x.keyRange,
        });
        continue;
      }
      if (x.value.kind === 'null') out.set(x.key, '');
      else if (x.value.kind === 'string') out.set(x.key, x.value.text);
      else this.typeError(x.value, struct, path, 'string');
    }
    return Object.fromEntries(out);
  }

  options(e: JEntry | undefined, struct: string, path: string): GeneratorOptionsSpec | undefined {
    if (!e || e.value.kind === 'null') return undefined;
    if (e.value.kind !== 'object') {
      this.typeError(e.value, struct, path, 'types.GeneratorOptions');
      return undefined;
    }
    const f = this.fields(e.value, OPTIONS_FIELDS);
    const o: GeneratorOptionsSpec = { range: e.value.range };
    const labels = this.stringMap(f.get('labels'), 'GeneratorOptions', `${path}.labels`);
    const annotations = this.stringMap(f.get('annotations'), 'GeneratorOptions', `${path}.annotations`);
    const dis = this.bool(f.get('disableNameSuffixHash'), 'GeneratorOptions', `${path}.disableNameSuffixHash`);
    const imm = this.bool(f.get('immutable'), 'GeneratorOptions', `${path}.immutable`);
    if (labels) o.labels = labels;
    if (annotations) o.annotations = annotations;
    if (dis) o.disableNameSuffixHash = dis;
    if (imm) o.immutable = imm;
    return o;
  }

  generators(e: JEntry | undefined, kind: GeneratedKind): GeneratorSpec[] {
    const field = kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator';
    const struct = kind === 'ConfigMap' ? 'ConfigMapArgs' : 'SecretArgs';
    if (!e || e.value.kind === 'null') return [];
    if (e.value.kind !== 'array') {
      this.typeError(e.value, 'Kustomization', field, `[]types.${struct}`);
      return [];
    }
    const out: GeneratorSpec[] = [];
    e.value.items.forEach((item, index) => {
      if (item.kind !== 'object' && item.kind !== 'null') {
        this.typeError(item, 'Kustomization', field, `types.${struct}`);
        return;
      }
      const f = this.fields(item, kind === 'Secret' ? [...GENERATOR_FIELDS, 'type'] : GENERATOR_FIELDS);
      const g: GeneratorSpec = {
        kind,
        index,
        range: item.range,
        headRange: item.entries[0]?.keyRange ?? item.range,
        literals: this.strings(f.get('literals'), struct, `${field}.literals`),
        files: this.strings(f.get('files'), struct, `${field}.files`),
        envs: this.strings(f.get('envs'), struct, `${field}.envs`),
      };
      const set = <K extends 'name' | 'namespace' | 'behavior' | 'type' | 'env'>(k: K): void => {
        const v = this.string(f.get(k), struct, `${field}.${k}`);
        if (v) g[k] = v;
      };
      set('name');
      set('namespace');
      set('behavior');
      set('env');
      if (kind === 'Secret') set('type');
      const options = this.options(f.get('options'), struct, `${field}.options`);
      if (options) g.options = options;
      if (g.name) g.headRange = g.name.range;
      out.push(g);
    });
    return out;
  }
}

// ───────────────────────────────────────────── parseKustomization

/** Reads a kustomization file's text (`dir` is its folder). Never throws. */
export function parseKustomization(dir: string, text: string): Kustomization {
  const lines = new LineMap(text);
  const problems: KustomizeProblem[] = [];
  const k: Kustomization = { dir, kind: 'Kustomization', resources: [], configMapGenerator: [], secretGenerator: [], transformers: [], problems };
  const docs = parseAllDocuments(text, { schema: 'failsafe', uniqueKeys: false, prettyErrors: false });
  const doc = Array.isArray(docs) ? docs[0] : undefined;
  if (doc && doc.errors.length > 0) {
    for (const e of doc.errors) {
      problems.push({
        code: 'kustomize-yaml',
        severity: 'error',
        message: `invalid Kustomization: yaml: line ${lines.position(e.pos[0]).line + 1}: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
        range: lines.range(e.pos[0], Math.max(e.pos[1], e.pos[0] + 1)),
      });
    }
    return k;
  }
  const root = doc ? toJValue(doc.contents, doc, lines) : undefined;
  const d = new Decoder(problems);
  if (!root || root.kind === 'null') {
    problems.push({ code: 'kustomize-empty', severity: 'error', message: 'kustomization.yaml is empty', range: lines.range(0, 0) });
    return k;
  }
  if (root.kind !== 'object') {
    problems.push({
      code: 'kustomize-type',
      severity: 'error',
      message: `invalid Kustomization: json: cannot unmarshal ${root.kind} into Go value of type types.Kustomization`,
      range: root.range,
    });
    return k;
  }
  const f = d.fields(root, KUSTOMIZATION_FIELDS);
  const kind = d.string(f.get('kind'), 'Kustomization', 'kind');
  const apiVersion = d.string(f.get('apiVersion'), 'Kustomization', 'apiVersion');
  if (kind?.value) k.kind = kind.value;
  if (apiVersion?.value) k.apiVersion = apiVersion.value;
  for (const name of ['namespace', 'namePrefix', 'nameSuffix'] as const) {
    const v = d.string(f.get(name), 'Kustomization', name);
    if (v) k[name] = v;
  }
  k.resources = [...d.strings(f.get('resources'), 'Kustomization', 'resources'), ...d.strings(f.get('bases'), 'Kustomization', 'bases')];
  k.configMapGenerator = d.generators(f.get('configMapGenerator'), 'ConfigMap');
  k.secretGenerator = d.generators(f.get('secretGenerator'), 'Secret');
  const go = d.options(f.get('generatorOptions'), 'Kustomization', 'generatorOptions');
  if (go) k.generatorOptions = go;
  for (const [name, e] of f) {
    if (DATA_TRANSFORMING_FIELDS.has(name) && e.value.kind !== 'null') k.transformers.push(name);
  }

  // EnforceFields
  const kindRange = f.get('kind')?.value.range ?? lines.range(0, 0);
  if (kind?.value && kind.value !== 'Kustomization' && kind.value !== 'Component') {
    problems.push({ code: 'kustomize-kind', severity: 'error', message: 'kind should be Kustomization or Component', range: kindRange });
  }
  const required = k.kind === 'Component' ? 'kustomize.config.k8s.io/v1alpha1' : 'kustomize.config.k8s.io/v1beta1';
  if (apiVersion?.value && apiVersion.value !== required) {
    problems.push({ code: 'kustomize-kind', severity: 'error', message: `apiVersion for ${k.kind} should be ${required}`, range: apiVersion.range });
  }
  // CheckEmpty: nothing but TypeMeta
  if ([...f.keys()].every((n) => n === 'kind' || n === 'apiVersion' || f.get(n)!.value.kind === 'null')) {
    problems.push({ code: 'kustomize-empty', severity: 'error', message: 'kustomization.yaml is empty', range: root.range });
  }
  return k;
}

// ───────────────────────────────────────────── generateObjects

interface LoadedPair {
  key: string;
  value: string | Uint8Array;
  source: KeySource;
}

interface Work {
  obj: GeneratedObject;
  /** Generator name and namespace before the namespace transformer (the resource id). */
  idName: string;
  idNamespace: string;
  needsHash: boolean;
  values: Map<string, string | Uint8Array>;
}

const BEHAVIORS = new Map<string, Behavior>([['create', 'create'], ['replace', 'replace'], ['merge', 'merge']]);

/**
 * The ConfigMaps and Secrets the kustomization generates, in kustomize's order (all
 * configMapGenerator entries, then all secretGenerator entries), and every problem of the
 * kustomization (`k.problems` included). Never throws.
 */
export function generateObjects(k: Kustomization, files: FileReader): { objects: GeneratedObject[]; problems: KustomizeProblem[] } {
  const problems: KustomizeProblem[] = [...k.problems];
  const work: Work[] = [];
  const root = normalizeDir(k.dir);

  for (const g of [...k.configMapGenerator, ...k.secretGenerator]) {
    const name = g.name?.value ?? '';
    if (name === '') {
      problems.push({ code: 'kustomize-missing-name', severity: 'error', message: 'a configmap must have a name', range: g.headRange });
      continue;
    }
    let exact = true;
    const opts = mergeOptions(g.options, k.generatorOptions);

    if (g.env) {
      problems.push({
        code: 'kustomize-env-deprecated',
        severity: 'information',
        message: "'env' is the older, singular form of 'envs': kustomize reads this file after the 'envs' files ('kustomize edit fix' moves it into 'envs')",
        range: g.env.range,
      });
    }
    const reader = new InputReader(root, files, problems);
    const pairs: LoadedPair[] = [];
    // kv.Load: envs (FixKustomization appends `env`), then literals, then files
    for (const e of g.env ? [...g.envs, g.env] : g.envs) {
      const got = reader.load(e);
      if (got === undefined) {
        exact = false;
        continue;
      }
      const path = reader.resolve(e.value);
      const text = typeof got === 'string' ? got : decodeUtf8(got);
      if (typeof got !== 'string') {
        const bad = firstInvalidUtf8Line(got);
        if (bad !== undefined) {
          problems.push({ code: 'kustomize-invalid-utf8', severity: 'error', message: `line ${bad + 1} of ${e.value} has invalid utf8 bytes`, range: e.range, related: { path, line: bad } });
          exact = false;
          continue;
        }
      }
      const parsed = parseEnvFile(text);
      if (parsed.truncatedAt !== undefined) {
        problems.push({
          code: 'kustomize-env-line-too-long',
          severity: 'warning',
          message: `line ${parsed.truncatedAt + 1} of ${e.value} is 64 KiB or longer: kustomize stops reading the file there without an error (bufio.Scanner: token too long)`,
          range: e.range,
          related: { path, line: parsed.truncatedAt },
        });
      }
      for (const l of parsed.lines) {
        pairs.push({ key: l.key, value: l.value, source: { kind: 'env', path, line: l.line, range: e.range } });
        if (l.noEquals) {
          problems.push({
            code: 'kustomize-env-no-value',
            severity: 'information',
            message: `line ${l.line + 1} of ${e.value} has no '=': kustomize sets ${l.key} to an empty value`,
            range: e.range,
            related: { path, line: l.line },
          });
        } else if (/^(["']).*\1\s*$/s.test(l.value)) {
          problems.push({
            code: 'kustomize-env-quoted-value',
            severity: 'information',
            message: `${l.key} in ${e.value} keeps its quotes: envs files take values verbatim (${l.value}); only 'literals' strip one pair of quotes`,
            range: e.range,
            related: { path, line: l.line },
          });
        }
      }
    }
    for (const lit of g.literals) {
      const p = parseLiteralSource(lit.value);
      if ('error' in p) {
        problems.push({ code: 'kustomize-invalid-literal', severity: 'error', message: p.error, range: lit.range });
        exact = false;
        continue;
      }
      pairs.push({ key: p.key, value: p.value, source: { kind: 'literal', range: lit.range } });
    }
    for (const fs of g.files) {
      const p = parseFileSource(fs.value);
      if ('error' in p) {
        problems.push({ code: 'kustomize-invalid-file-source', severity: 'error', message: p.error, range: fs.range });
        exact = false;
        continue;
      }
      const got = reader.load({ value: p.path, range: fs.range });
      if (got === undefined) {
        exact = false;
        continue;
      }
      pairs.push({ key: p.key, value: got, source: { kind: 'file', path: reader.resolve(p.path), range: fs.range } });
    }

    // makeValidatedDataMap: keys (checked by the API server only), no repeats
    const values = new Map<string, string | Uint8Array>();
    const keys: GeneratedObject['keys'] = [];
    for (const pair of pairs) {
      const errs = configMapKeyErrors(pair.key);
      if (errs.length > 0) {
        problems.push({
          code: 'kustomize-invalid-key',
          severity: 'warning',
          message: `kustomize accepts the key ${goQuote(pair.key)} but the API server refuses the ${g.kind}: data[${pair.key}]: Invalid value: ${goQuote(pair.key)}: ${errs.join(', ')}`,
          range: pair.source.range,
          ...(pair.source.path !== undefined && pair.source.line !== undefined ? { related: { path: pair.source.path, line: pair.source.line } } : {}),
        });
      }
      if (values.has(pair.key)) {
        problems.push({
          code: 'kustomize-duplicate-key',
          severity: 'error',
          message: `configmap ${name} illegally repeats the key \`${pair.key}\``,
          range: pair.source.range,
          ...(pair.source.path !== undefined && pair.source.line !== undefined ? { related: { path: pair.source.path, line: pair.source.line } } : {}),
        });
        exact = false;
        continue;
      }
      values.set(pair.key, pair.value);
      keys.push({ key: pair.key, source: pair.source });
    }

    const rawBehavior = g.behavior?.value ?? '';
    const behavior = BEHAVIORS.get(rawBehavior) ?? 'create';
    if (rawBehavior !== '' && !BEHAVIORS.has(rawBehavior)) {
      problems.push({
        code: 'kustomize-unknown-behavior',
        severity: 'warning',
        message: `behavior must be create, replace or merge: kustomize treats ${goQuote(rawBehavior)} as create`,
        range: g.behavior!.range,
      });
    }
    const obj: GeneratedObject = {
      kind: g.kind,
      baseName: name,
      name,
      hash: '',
      ...(g.namespace?.value ? { namespace: g.namespace.value } : {}),
      ...(g.kind === 'Secret' ? { type: g.type?.value || 'Opaque' } : {}),
      data: {},
      keys,
      labels: { ...(opts.labels ?? {}) },
      annotations: { ...(opts.annotations ?? {}) },
      immutable: opts.immutable,
      disableNameSuffixHash: opts.disableNameSuffixHash,
      behavior,
      generator: g,
      exact,
    };
    const w: Work = { obj, idName: name, idNamespace: g.namespace?.value ?? '', needsHash: !opts.disableNameSuffixHash, values };

    // appendReplaceOrMerge against what this kustomization produced so far
    const idx = work.findIndex((o) => o.obj.kind === g.kind && o.idName === name && effectiveNs(o.idNamespace) === effectiveNs(w.idNamespace));
    if (idx < 0) {
      if (behavior === 'merge' || behavior === 'replace') {
        if (k.resources.length > 0) {
          problems.push({
            code: 'kustomize-merge-external',
            severity: 'information',
            message: `behavior: ${behavior} applies to a ${g.kind} ${goQuote(name)} from resources: its final name and data depend on that resource`,
            range: g.behavior!.range,
          });
        } else {
          problems.push({
            code: 'kustomize-merge-target-missing',
            severity: 'error',
            message: `${g.kind} ${goQuote(name)}${w.idNamespace ? ` in namespace ${goQuote(w.idNamespace)}` : ''} does not exist; cannot merge or replace`,
            range: g.behavior!.range,
          });
        }
        obj.exact = false;
      }
      work.push(w);
      continue;
    }
    const old = work[idx]!;
    if (behavior !== 'merge' && behavior !== 'replace') {
      problems.push({
        code: 'kustomize-duplicate-object',
        severity: 'error',
        message: `${g.kind} ${goQuote(name)} is generated twice; behavior must be merge or replace`,
        range: g.headRange,
      });
      obj.exact = false;
      continue;
    }
    // CopyMergeMetaDataFieldsFrom: labels/annotations merged (new wins), name/namespace and
    // build annotations from the old object; the hash stays only if both want it.
    obj.labels = { ...old.obj.labels, ...obj.labels };
    obj.annotations = { ...old.obj.annotations, ...obj.annotations };
    w.needsHash = old.needsHash && w.needsHash;
    w.idName = old.idName;
    w.idNamespace = old.idNamespace;
    if (old.obj.namespace !== undefined) obj.namespace = old.obj.namespace;
    else delete obj.namespace;
    if (behavior === 'merge') {
      w.values = new Map([...old.values, ...values]);
      const newKeys = new Set(keys.map((x) => x.key));
      obj.keys = [...old.obj.keys.filter((x) => !newKeys.has(x.key)), ...keys];
    }
    obj.exact = obj.exact && old.obj.exact;
    work[idx] = w;
  }

  // Transformers: namespace, prefix/suffix; then the hash (last).
  const ns = k.namespace?.value ?? '';
  if (ns !== '') {
    const seen = new Map<string, Work>();
    for (const w of work) {
      w.obj.namespace = ns;
      const id = `${w.obj.kind}/${w.idName}`;
      const prev = seen.get(id);
      if (prev) {
        problems.push({
          code: 'kustomize-duplicate-object',
          severity: 'error',
          message: `namespace transformation produces ID conflict: two ${w.obj.kind}s ${goQuote(w.idName)} end up in namespace ${goQuote(ns)}`,
          range: w.obj.generator.headRange,
        });
        w.obj.exact = false;
      } else seen.set(id, w);
    }
  }
  const prefix = k.namePrefix?.value ?? '';
  const suffix = k.nameSuffix?.value ?? '';
  for (const w of work) {
    const o = w.obj;
    const data: Array<[string, string]> = [];
    const binary: Array<[string, string]> = [];
    for (const [key, v] of w.values) {
      if (typeof v === 'string') data.push([key, v]);
      else if (o.kind === 'Secret' || isUtf8(v)) data.push([key, decodeUtf8(v)]);
      else binary.push([key, Buffer.from(v).toString('base64')]);
    }
    o.data = Object.fromEntries(data);
    if (binary.length > 0) o.binaryData = Object.fromEntries(binary);
    o.hash = contentHash(o.kind, Object.fromEntries(w.values), o.type !== undefined ? { type: o.type } : {});
    o.name = `${prefix}${w.idName}${suffix}${w.needsHash ? `-${o.hash}` : ''}`;
    o.disableNameSuffixHash = !w.needsHash;
    if (o.kind === 'Secret' && o.type === 'kubernetes.io/tls') {
      const missing = ['tls.crt', 'tls.key'].filter((x) => !w.values.has(x));
      if (missing.length > 0) {
        problems.push({
          code: 'kustomize-tls-keys',
          severity: 'warning',
          message: `a Secret of type kubernetes.io/tls needs the keys tls.crt and tls.key; the API server refuses this one: ${missing.map((x) => `data[${x}]: Required value`).join(', ')}`,
          range: o.generator.type?.range ?? o.generator.headRange,
        });
      }
    }
  }
  return { objects: work.map((w) => w.obj), problems };
}

function effectiveNs(ns: string): string {
  return ns === '' ? 'default' : ns;
}

/** MergeGlobalOptionsIntoLocal. */
function mergeOptions(local: GeneratorOptionsSpec | undefined, global: GeneratorOptionsSpec | undefined): {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  disableNameSuffixHash: boolean;
  immutable: boolean;
} {
  const mergeMap = (l?: Record<string, string>, g?: Record<string, string>): Record<string, string> | undefined => {
    if (!l) return g ? { ...g } : undefined;
    return { ...(g ?? {}), ...l };
  };
  const labels = mergeMap(local?.labels, global?.labels);
  const annotations = mergeMap(local?.annotations, global?.annotations);
  return {
    ...(labels ? { labels } : {}),
    ...(annotations ? { annotations } : {}),
    disableNameSuffixHash: (global?.disableNameSuffixHash?.value ?? false) || (local?.disableNameSuffixHash?.value ?? false),
    immutable: (global?.immutable?.value ?? false) || (local?.immutable?.value ?? false),
  };
}

function normalizeDir(dir: string): string {
  const d = posix.normalize(dir);
  return d.length > 1 ? d.replace(/\/+$/, '') : d;
}

/** Reads generator inputs as kustomize's fileLoader with RestrictionRootOnly does. */
class InputReader {
  constructor(
    readonly root: string,
    readonly files: FileReader,
    readonly problems: KustomizeProblem[],
  ) {}

  resolve(p: string): string {
    return posix.isAbsolute(p) ? posix.normalize(p) : posix.join(this.root, p);
  }

  load(entry: Located<string>): string | Uint8Array | undefined {
    const p = entry.value;
    if (/^https?:\/\//i.test(p)) {
      this.problems.push({
        code: 'kustomize-remote-file',
        severity: 'information',
        message: `kustomize downloads ${p}; its content (and so the name hash) is not checked here`,
        range: entry.range,
      });
      return undefined;
    }
    const abs = this.resolve(p);
    if (this.files.isDirectory?.(abs) || abs === this.root) {
      this.problems.push({ code: 'kustomize-not-a-file', severity: 'error', message: `'${abs}' must resolve to a file`, range: entry.range });
      return undefined;
    }
    const bytes = this.files.readBytes?.(abs);
    const content = bytes ?? this.files.read(abs);
    if (content === undefined) {
      this.problems.push({
        code: 'kustomize-missing-file',
        severity: 'error',
        message: `evalsymlink failure on '${abs}' : lstat ${abs}: no such file or directory`,
        range: entry.range,
      });
      return undefined;
    }
    const d = posix.dirname(abs);
    if (!(this.root === '/' || d === this.root || d.startsWith(`${this.root}/`))) {
      this.problems.push({
        code: 'kustomize-outside-root',
        severity: 'error',
        message: `security; file '${abs}' is not in or below '${this.root}'`,
        range: entry.range,
      });
      return undefined;
    }
    return content;
  }
}
