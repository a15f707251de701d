/**
 * The name hash of generated ConfigMaps and Secrets (api/hasher/hasher.go): SHA-256 of Go's
 * json.Marshal of {kind, name, data} (+binaryData) or {kind, type, name, data} (+stringData);
 * first 10 hex digits with 0→g 1→h 3→k a→m e→t. `name` is always "" (see model.ts), so the
 * hash depends on content only.
 */
import { createHash } from 'node:crypto';
import { decodeUtf8, encodeBase64Lines, isUtf8, utf8 } from './datamap';
import type { GeneratedKind } from './types';

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
export function hashName(
  kind: GeneratedKind,
  name: string,
  data: Record<string, string | Uint8Array>,
  opts: HashOptions = {},
): string {
  return `${name}-${contentHash(kind, data, opts)}`;
}

/** The 10-character hash suffix of a generated ConfigMap or Secret. */
export function contentHash(
  kind: GeneratedKind,
  data: Record<string, string | Uint8Array>,
  opts: HashOptions = {},
): string {
  return encodeHash(sha256Hex(hashInput(kind, data, opts)));
}

/** The JSON text kustomize hashes (Go's json.Marshal, sorted keys, HTML-escaped). */
export function hashInput(
  kind: GeneratedKind,
  data: Record<string, string | Uint8Array>,
  opts: HashOptions = {},
): string {
  // Maps are built with Object.fromEntries so that a key such as "__proto__" stays a key.
  const m: Record<string, JsonLike> = { kind, name: '' };
  if (kind === 'Secret') {
    m.type = opts.type ?? 'Opaque';
    m.data = Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, encodeBase64Lines(typeof v === 'string' ? utf8(v) : v)]),
    );
  } else {
    const d: Array<[string, string]> = [];
    const b: Array<[string, string]> = [];
    for (const [k, v] of Object.entries(data)) {
      if (typeof v === 'string') d.push([k, v]);
      else if (isUtf8(v)) d.push([k, decodeUtf8(v)]);
      else b.push([k, encodeBase64Lines(v)]);
    }
    for (const [k, v] of Object.entries(opts.binaryData ?? {}))
      b.push([k, typeof v === 'string' ? v : encodeBase64Lines(v)]);
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
