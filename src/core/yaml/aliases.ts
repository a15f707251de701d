/**
 * The one alias budget of every YAML load in the product. The `yaml` library parses aliases as
 * references; whoever walks the tree (the config checker's merge keys and decoding, kustomize's
 * JSON values, `toJS`) expands them, so nine levels of ten aliases each ("billion laughs") would
 * expand to a billion nodes. yaml.v3 (cloudflared) and sigs.k8s.io/yaml (kubectl, kustomize)
 * refuse such a document with "document contains excessive aliasing"; so do we, before anything
 * walks it.
 *
 * The rule is yaml.v3's (decode.go, allowedAliasRatio), applied to the whole document's totals:
 * more than 100 nodes decoded through aliases, more than 1,000 in all, and a share decoded through
 * aliases above 99 % (up to 400,000 nodes) falling to 10 % (4,000,000). On top of it, no document
 * may expand to more than MAX_EXPANDED_NODES nodes. Counting is linear in the written document
 * (each node's expanded size is computed once).
 */
import { YAMLParseError, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, parseDocument } from 'yaml';
import type { Document, DocumentOptions, ErrorCode, ParseOptions, SchemaOptions } from 'yaml';

/** The most nodes one document may expand to (its aliases followed). */
export const MAX_EXPANDED_NODES = 500_000;
/** `toJS({ maxAliasCount })` for the few callers that convert a document to plain values. */
export const MAX_ALIAS_COUNT = 100;
/** The error code of an over-budget document among its `errors`. */
export const EXCESSIVE_ALIASING = 'EXCESSIVE_ALIASING' as ErrorCode;
/** yaml.v3's and sigs.k8s.io/yaml's words. */
export const EXCESSIVE_ALIASING_MESSAGE = 'document contains excessive aliasing';

/** yaml.v3's allowedAliasRatio. */
function allowedAliasRatio(decoded: number): number {
  if (decoded <= 400_000) return 0.99;
  if (decoded >= 4_000_000) return 0.1;
  return 0.99 - 0.89 * ((decoded - 400_000) / 3_600_000);
}

/** The first alias of a document that expands beyond the budget, or undefined when it is within. */
export function excessiveAliasing(doc: Document): { range?: [number, number, number] | null } | undefined {
  const sizes = new Map<unknown, number>();
  const open = new Set<unknown>();
  let written = 0;
  let firstAlias: { range?: [number, number, number] | null } | undefined;
  // Expanded size of a node; `counting` while walking the text as written (not through an alias).
  const size = (node: unknown, counting: boolean): number => {
    if (node === null || typeof node !== 'object') return 0;
    if (counting) written++;
    if (isAlias(node)) {
      firstAlias ??= node;
      const target = node.resolve(doc);
      return 1 + (target ? size(target, false) : 0);
    }
    if (!counting) {
      const known = sizes.get(node);
      if (known !== undefined) return known;
      if (open.has(node)) return 1; // an alias inside its own anchor: yaml reports that itself
      open.add(node);
    }
    let n = 1;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isPair(pair)) n += size(pair.key, counting) + size(pair.value, counting);
        if (n > MAX_EXPANDED_NODES * 10) break;
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        n += size(item, counting);
        if (n > MAX_EXPANDED_NODES * 10) break;
      }
    } else if (!isScalar(node)) {
      n = 0;
    }
    if (!counting) {
      open.delete(node);
      sizes.set(node, n);
    }
    return n;
  };
  const decoded = size(doc.contents, true);
  const aliased = decoded - written;
  const tooMany = decoded > MAX_EXPANDED_NODES;
  const ratio = aliased > 100 && decoded > 1000 && aliased / decoded > allowedAliasRatio(decoded);
  return tooMany || ratio ? (firstAlias ?? doc.contents ?? {}) : undefined;
}

/** Adds the excessive-aliasing error to a document over the budget. */
export function checkAliases<T extends Document>(doc: T, text: string): T {
  if (!text.includes('*')) return doc; // no alias at all
  const at = excessiveAliasing(doc);
  if (at) {
    const start = at.range?.[0] ?? 0;
    doc.errors.push(
      new YAMLParseError([start, at.range?.[1] ?? start + 1], EXCESSIVE_ALIASING, EXCESSIVE_ALIASING_MESSAGE),
    );
  }
  return doc;
}

type Options = ParseOptions & DocumentOptions & SchemaOptions;

/** `parseAllDocuments` with the alias budget: an over-budget document carries the error. */
export function parseYamlDocuments(text: string, options?: Options): Document.Parsed[] {
  const docs = parseAllDocuments(text, options);
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) checkAliases(doc, text);
  return list;
}

/** `parseDocument` with the alias budget. */
export function parseYamlDocument(text: string, options?: Options): Document.Parsed {
  return checkAliases(parseDocument(text, options), text);
}
