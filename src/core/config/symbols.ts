/**
 * Document symbols of a cloudflared config: its top-level keys, and under `ingress` every rule
 * as `hostname[path] → service`. A manifest's ConfigMap-embedded configs get the same outline
 * under one symbol per embedded config.
 */
import { isScalar } from 'yaml';
import type { Scalar } from 'yaml';
import { blockScalarMapper, embeddedConfigs } from '../analyze';
import type { ParsedText } from '../yaml/parsed';
import type { FileAnalysis } from '../analyze';
import { LineMap } from '../text';
import type { Position, Range } from '../types';
import { loadYaml, yamlRange } from '../yaml/load';
import type { ConfigModel, IngressRule } from './model';

export interface ConfigSymbol {
  name: string;
  detail?: string;
  kind: 'key' | 'ingress' | 'rule' | 'config';
  /** The whole entry. */
  range: Range;
  /** What to reveal when the symbol is picked (the key, or the rule's hostname). */
  selectionRange: Range;
  children?: ConfigSymbol[];
}

/** `hostname[path] → service`; `*` for a rule without hostname. */
export function ruleLabel(rule: Pick<IngressRule, 'hostname' | 'path' | 'service'>): string {
  const host = rule.hostname === '' ? '*' : rule.hostname;
  const path = rule.path === '' ? '' : `[${rule.path}]`;
  return `${host}${path} → ${rule.service === '' ? '(no service)' : rule.service}`;
}

type Mapper = (p: Position) => Position;
type Ranged = { range?: [number, number, number] | null } | null;

export function configSymbols(model: ConfigModel, map: Mapper = (p) => p): ConfigSymbol[] {
  const mapRange = (r: Range): Range => ({ start: map(r.start), end: map(r.end) });
  const text = model.lines.text;
  /** From the start of `from` to the end of `to`, trailing line breaks excluded. */
  const span = (from: Ranged, to: Ranged): Range => {
    const start = from?.range?.[0] ?? 0;
    let end = to?.range?.[1] ?? start;
    while (end > start && /\s/.test(text[end - 1]!)) end--;
    return mapRange(model.lines.range(start, end));
  };
  return model.entries.map((entry): ConfigSymbol => {
    const selectionRange = mapRange(yamlRange(model.lines, entry.key));
    const range = span(entry.key, entry.written ?? entry.key);
    if (entry === model.ingressEntry) {
      const children = model.rules.map((rule): ConfigSymbol => {
        const hostname = rule.struct?.fields.get('hostname')?.entry.written ?? null;
        return {
          name: ruleLabel(rule),
          detail: `rule #${rule.index + 1}`,
          kind: 'rule',
          range: span(rule.node, rule.node),
          selectionRange: span(hostname ?? rule.node, hostname ?? rule.node),
        };
      });
      return {
        name: entry.name,
        detail: `${model.rules.length} rules`,
        kind: 'ingress',
        range,
        selectionRange,
        children,
      };
    }
    const detail = isScalar(entry.value) ? String((entry.value as Scalar).value) : undefined;
    return { name: entry.name, ...(detail !== undefined ? { detail } : {}), kind: 'key', range, selectionRange };
  });
}

/** One symbol per ConfigMap-embedded config (`name/config.yaml`), with the config's outline inside. */
export function manifestSymbols(text: string, analysis: FileAnalysis, parsed?: ParsedText): ConfigSymbol[] {
  if (analysis.kind !== 'manifest' || analysis.embedded.length === 0) return [];
  const lines = parsed?.lines ?? new LineMap(text);
  const out: ConfigSymbol[] = [];
  let i = 0;
  for (const doc of parsed?.docs ?? loadYaml(text, lines).docs) {
    for (const found of embeddedConfigs(doc)) {
      const model = analysis.embedded[i++]?.model;
      const value = found.value;
      const mapper = blockScalarMapper(value, String(value.value), lines);
      out.push({
        name: `${found.configMap}/${found.key}`,
        detail: 'cloudflared config',
        kind: 'config',
        range: yamlRange(lines, value),
        selectionRange: yamlRange(lines, value),
        children: model && mapper ? configSymbols(model, mapper) : [],
      });
    }
  }
  return out;
}
