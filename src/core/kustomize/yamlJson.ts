/**
 * YAML → JSON-like values as sigs.k8s.io/yaml gives them to encoding/json: yaml.v2's typing of
 * plain scalars (`yes`, `~`, `0x1f`), explicit tags, aliases and `<<` merge keys, with each
 * value's range in the file.
 */
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import type { LineMap } from '../text';
import type { Range } from '../types';

export type JKind = 'null' | 'bool' | 'number' | 'string' | 'object' | 'array';

export interface JValue {
  kind: JKind;
  /** Scalar text (after YAML unescaping). */
  text: string;
  bool?: boolean;
  range: Range;
  items: JValue[];
  entries: JEntry[];
}

export interface JEntry {
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
const V2_SPECIAL_FLOAT = new Set([
  '.inf',
  '.Inf',
  '.INF',
  '+.inf',
  '+.Inf',
  '+.INF',
  '-.inf',
  '-.Inf',
  '-.INF',
  '.nan',
  '.NaN',
  '.NAN',
]);
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

export function toJValue(node: unknown, doc: Document, lines: LineMap, depth = 0): JValue {
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

export function nodeRange(lines: LineMap, node: { range?: [number, number, number] | null } | null | undefined): Range {
  const r = node?.range;
  return r ? lines.range(r[0], r[1]) : lines.range(0, 0);
}
