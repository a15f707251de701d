/**
 * The cloudflared config checker: load (yaml.v3 rules), decode (Go types, unknown keys), flag
 * type checks, ingress validation, then our own lint. Severity contract: `error` exactly when
 * `cloudflared tunnel ingress validate` would refuse the file.
 */
import { isMap, isSeq } from 'yaml';
import type { Document, YAMLMap } from 'yaml';
import { LineMap } from '../text';
import type { Diagnostic } from '../types';
import { deref, loadYaml, mapEntries } from '../yaml/load';
import { mayReuseNodes } from '../yaml/incremental';
import type { LoadedYaml, YNode } from '../yaml/load';
import { decodeStruct, isNull, typeError, unmarshalError } from './decode';
import type { DecodeContext, StructValue } from './decode';
import { checkTopLevelKeys } from './flags';
import { validateIngress } from './ingress';
import { MAX_INGRESS_RULES, rulesBudgetNote } from '../budgets';
import { lintConfig } from './lint';
import type { ConfigModel } from './model';
import { INGRESS_RULE, ORIGIN_REQUEST, REMOTE_WARP_ROUTING, WARP_ROUTING } from './schema';

export interface ConfigCheckResult {
  diagnostics: Diagnostic[];
  /** Null when the text is not a YAML mapping at all. */
  model: ConfigModel | null;
}

export interface ConfigCheckOptions {
  /**
   * The document is a remote (dashboard-managed) configuration in the API's schema (the
   * `cftunnel-remote:` documents), not a config.yaml: `warp-routing.enabled` is part of it.
   */
  remote?: boolean;
}

/** Checks the text of a standalone config.yaml. */
export function checkConfigText(text: string, options: ConfigCheckOptions = {}): ConfigCheckResult {
  return checkLoadedConfig(loadYaml(text, new LineMap(text)), options);
}

/** Checks a config whose text was already loaded (so callers parse once). */
export function checkLoadedConfig(loaded: LoadedYaml, options: ConfigCheckOptions = {}): ConfigCheckResult {
  if (!loaded.doc) return { diagnostics: loaded.errors, model: null };
  if (loaded.errors.some((e) => e.code === 'yaml-syntax')) return { diagnostics: loaded.errors, model: null };
  const result = checkConfigDocument(loaded.doc, loaded.lines, options);
  return { diagnostics: withUnmarshalHeader([...loaded.errors, ...result.diagnostics]), model: result.model };
}

/**
 * yaml.v3 reports every type error and repeated key of the file at once, as one error:
 * `yaml: unmarshal errors:` and one indented `line N: …` per problem. Each problem keeps its own
 * place; the first one in the file carries cloudflared's whole text, so a search for what cloudflared printed finds it.
 */
export function withUnmarshalHeader(diagnostics: Diagnostic[]): Diagnostic[] {
  const problems = diagnostics.filter((d) => d.code === 'type-error' || d.code === 'duplicate-key');
  if (problems.length === 0) return diagnostics;
  const order = (d: Diagnostic): [number, number] => [d.range.start.line, d.range.start.character];
  const sorted = [...problems].sort((a, b) => {
    const [al, ac] = order(a);
    const [bl, bc] = order(b);
    return al - bl || ac - bc;
  });
  const first = sorted[0]!;
  const text = `yaml: unmarshal errors:\n${sorted.map((d) => `  ${d.message}`).join('\n')}`;
  return diagnostics.map((d) => (d === first ? { ...d, message: text } : d));
}

/**
 * The last result per document: the analysis and the workspace index check the same document of
 * one version once between them (they share its parse: ../yaml/parsed.ts). Keyed by the document
 * and the line map, which are new for every version (a document reused by an incremental parse
 * comes with a new line map), so a result is never one of another text.
 */
const checked = new WeakMap<Document.Parsed, { lines: LineMap; remote: boolean; result: ConfigCheckResult }>();

/** Checks an already parsed document (the first YAML document of the file). */
export function checkConfigDocument(
  doc: Document.Parsed,
  lines: LineMap,
  options: ConfigCheckOptions = {},
): ConfigCheckResult {
  const remote = options.remote === true;
  const hit = checked.get(doc);
  if (hit && hit.lines === lines && hit.remote === remote) return hit.result;
  const result = checkDocument(doc, lines, options);
  checked.set(doc, { lines, remote, result });
  return result;
}

function checkDocument(doc: Document.Parsed, lines: LineMap, options: ConfigCheckOptions): ConfigCheckResult {
  const ctx: DecodeContext = { doc, lines, diagnostics: [] };
  const root = deref(doc, doc.contents);
  if (root === null || isNull(root)) return { diagnostics: [], model: null };
  if (!isMap(root)) {
    typeError(ctx, root, unmarshalError(root, 'config.configFileSettings'));
    return { diagnostics: ctx.diagnostics, model: null };
  }

  const entries = mapEntries(doc, root as YAMLMap);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const model: ConfigModel = { doc, lines, entries, rules: [], originRequest: null, warpRouting: null };

  const tunnel = byName.get('tunnel');
  if (tunnel?.value) {
    if (isMap(tunnel.value) || isSeq(tunnel.value))
      typeError(ctx, tunnel.value, unmarshalError(tunnel.value, 'string'));
    else if (!isNull(tunnel.value)) model.tunnel = String((tunnel.value as { value: unknown }).value);
  }
  model.originRequest = decodeStruct(ctx, byName.get('originRequest')?.value ?? null, ORIGIN_REQUEST);
  model.warpRouting = decodeStruct(
    ctx,
    byName.get('warp-routing')?.value ?? null,
    options.remote ? REMOTE_WARP_ROUTING : WARP_ROUTING,
  );

  const ingress = byName.get('ingress');
  if (ingress && isSeq(ingress.value) && ingress.value.items.length > MAX_INGRESS_RULES) {
    return { diagnostics: [rulesBudgetNote(ingress.value.items.length)], model: null };
  }
  if (ingress) {
    model.ingressEntry = ingress;
    const items = decodeIngressItems(ctx, ingress.value);
    if (items.length > 0 && isSeq(ingress.value)) {
      model.rules = validateIngress(ctx, items, model.originRequest, ingress.key as YNode, ingress.value);
    }
  }

  checkTopLevelKeys(ctx, entries, model.rules.length > 0);
  lintConfig(ctx, model);
  return { diagnostics: ctx.diagnostics, model };
}

function decodeIngressItems(
  ctx: DecodeContext,
  node: YNode | null,
): Array<{ node: YNode | null; struct: StructValue | null }> {
  if (node === null || isNull(node)) return [];
  if (!isSeq(node)) {
    typeError(ctx, node, unmarshalError(node, '[]config.UnvalidatedIngressRule'));
    return [];
  }
  // Kept per rule only where the next version's parse may hand the same nodes back.
  const reuse = mayReuseNodes(ctx.doc);
  return node.items.map((item) => {
    const n = deref(ctx.doc, item);
    return {
      node: (item ?? null) as YNode | null,
      struct: reuse ? decodeItem(ctx, n) : decodeStruct(ctx, n, INGRESS_RULE),
    };
  });
}

/**
 * A rule's decoding, kept per node: an incremental parse (../yaml/incremental.ts) hands back the
 * same node for a rule whose text did not change, so only the edited rule is decoded again. Its
 * findings carry line numbers in their words, so they are reused only where the rule still starts
 * on the same line (or when there are none); otherwise the rule is decoded again.
 */
const decoded = new WeakMap<object, { line: number; struct: StructValue | null; diagnostics: Diagnostic[] }>();

function decodeItem(ctx: DecodeContext, n: YNode | null): StructValue | null {
  if (!n?.range) return decodeStruct(ctx, n, INGRESS_RULE);
  const line = ctx.lines.position(n.range[0]).line;
  const hit = decoded.get(n);
  if (hit && (hit.line === line || hit.diagnostics.length === 0)) {
    ctx.diagnostics.push(...hit.diagnostics);
    return hit.struct;
  }
  const own: DecodeContext = { ...ctx, diagnostics: [] };
  const struct = decodeStruct(own, n, INGRESS_RULE);
  decoded.set(n, { line, struct, diagnostics: own.diagnostics });
  ctx.diagnostics.push(...own.diagnostics);
  return struct;
}
