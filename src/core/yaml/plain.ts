/**
 * A YAML node as plain JSON-like data, the way the Kubernetes API reads a manifest: plain scalars
 * resolved by type (`80` is a number, `true` a boolean, `~` null), quoted and block scalars kept as
 * strings, merge keys applied, aliases followed. Used for objects whose readers take what the API
 * server would return (Ingress, Gateway API, Traefik routes), from files parsed with the
 * failsafe schema (every scalar a string) for their ranges.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Document, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { resolvePlain } from '../go/yamlv3';
import { mayReuseNodes } from './incremental';
import { deref, mapEntries } from './load';

/** Nesting deeper than this is cut (null): no manifest needs it, and aliases can fan out. */
const MAX_DEPTH = 64;

function scalarValue(s: Scalar): unknown {
  const text = String(s.source ?? s.value ?? '');
  if (s.type !== 'PLAIN') return String(s.value ?? '');
  const r = resolvePlain(text);
  switch (r.tag) {
    case '!!null':
      return null;
    case '!!bool':
      return r.value;
    case '!!int':
      return Number(r.value as bigint);
    case '!!float':
      return r.value;
    default:
      return text;
  }
}

/** The node (an alias is followed) as plain data; undefined for nothing. */
export function toPlain(doc: Document.Parsed, node: unknown, depth = 0): unknown {
  const n = deref(doc, node);
  if (n === null || depth > MAX_DEPTH) return null;
  if (isScalar(n)) return scalarValue(n as Scalar);
  if (isSeq(n)) return (n as YAMLSeq).items.map((i) => toPlain(doc, i, depth + 1));
  if (isMap(n)) {
    const out: Record<string, unknown> = {};
    for (const e of mapEntries(doc, n as YAMLMap)) out[e.name] = toPlain(doc, e.value, depth + 1);
    return out;
  }
  return null;
}

const documents = new WeakMap<Document.Parsed, unknown>();

/**
 * The whole document as plain data (`toPlain` of its contents). Plain data carries no offsets, so
 * for a document an incremental parse may hand back unchanged (yaml/incremental.ts) it is kept with
 * the document: an edit of a manifest stream converts the documents it touched. Callers never
 * modify the result.
 */
export function documentPlain(doc: Document.Parsed): unknown {
  if (!mayReuseNodes(doc)) return toPlain(doc, doc.contents);
  if (documents.has(doc)) return documents.get(doc);
  const plain = toPlain(doc, doc.contents);
  documents.set(doc, plain);
  return plain;
}
