/**
 * yaml.v3's decoding of config.yaml into cloudflared's Go structs (spec §1.2): the lenient pass
 * (type errors are fatal) and the strict pass (unknown fields are warnings). The result keeps
 * every node so diagnostics can point at the exact key or value.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Document, Scalar, YAMLMap } from 'yaml';
import { decodeScalarInto, goTypeString, resolvePlain, unmarshalError as scalarUnmarshalError } from '../go/yamlv3';
import type { GoType } from '../go/yamlv3';
import type { LineMap } from '../text';
import type { Diagnostic, Fix } from '../types';
import { deref, mapEntries, yamlLine, yamlRange } from '../yaml/load';
import type { KeyValue, YNode } from '../yaml/load';
import type { FieldSpec, StructSpec } from './schema';
import { editDistance } from '../strings';

export interface DecodeContext {
  doc: Document.Parsed;
  lines: LineMap;
  diagnostics: Diagnostic[];
}

/** A decoded struct: the fields present in the file, by YAML key. */
export interface StructValue {
  node: YAMLMap;
  fields: Map<string, FieldValue>;
}

export interface FieldValue {
  entry: KeyValue;
  /** Decoded Go value: string/number/boolean/string[]/number[] for scalars, StructValue, or StructValue[]; null for a YAML null. */
  value: unknown;
  /** False when yaml.v3 refused the value (a type error was reported). */
  ok: boolean;
}

/** yaml.v3's short tag of a node: what `cannot unmarshal !!x …` names. */
export function nodeTag(node: YNode): string {
  if (isMap(node)) return '!!map';
  if (isSeq(node)) return '!!seq';
  const s = node as Scalar;
  if (s.tag && s.tag.startsWith('tag:yaml.org,2002:')) return '!!' + s.tag.slice('tag:yaml.org,2002:'.length);
  if (s.type === 'PLAIN') return resolvePlain(String(s.source ?? s.value)).tag;
  return '!!str';
}

/** yaml.v3's `cannot unmarshal !!str \`x\` into T` (scalars shown shortened, collections not shown). */
export function unmarshalError(node: YNode, goTypeName: string): string {
  if (isScalar(node))
    return scalarUnmarshalError(nodeTag(node), String((node as Scalar).source ?? (node as Scalar).value), goTypeName);
  return `cannot unmarshal ${nodeTag(node)} into ${goTypeName}`;
}

export function isNull(node: YNode | null): boolean {
  return node === null || (isScalar(node) && node.type === 'PLAIN' && nodeTag(node) === '!!null');
}

export function typeError(ctx: DecodeContext, node: YNode, message: string, fixes?: Fix[]): void {
  ctx.diagnostics.push({
    code: 'type-error',
    severity: 'error',
    message: `line ${yamlLine(ctx.lines, node)}: ${message}`,
    range: yamlRange(ctx.lines, node),
    ...(fixes ? { fixes } : {}),
  });
}

/** Decodes a scalar-typed field. Returns [value, ok]. */
export function decodeGo(ctx: DecodeContext, node: YNode | null, type: GoType): [unknown, boolean] {
  if (node === null || isNull(node)) return [null, true];
  if (type === 'stringSlice' || type === 'intSlice') {
    if (!isSeq(node)) {
      typeError(ctx, node, unmarshalError(node, goTypeString(type)));
      return [null, false];
    }
    const element: GoType = type === 'stringSlice' ? 'string' : 'int';
    const out: unknown[] = [];
    let ok = true;
    for (const item of node.items) {
      const [v, itemOk] = decodeGo(ctx, deref(ctx.doc, item), element);
      ok &&= itemOk;
      out.push(v);
    }
    return [out, ok];
  }
  if (!isScalar(node)) {
    typeError(ctx, node, unmarshalError(node, goTypeString(type)));
    return [null, false];
  }
  const s = node as Scalar;
  const quoted = s.type !== 'PLAIN';
  const r = decodeScalarInto({ source: String(s.source ?? s.value), quoted, kind: 'scalar' }, type);
  if (!r.ok) {
    typeError(ctx, node, r.error, type === 'duration' ? durationFix(ctx, s) : undefined);
    return [null, false];
  }
  return [r.value, true];
}

/** `30` → `30s`: a bare integer where cloudflared wants a Go duration string. */
function durationFix(ctx: DecodeContext, s: Scalar): Fix[] | undefined {
  if (s.type !== 'PLAIN' || nodeTag(s) !== '!!int' || !/^[0-9]+$/.test(String(s.source))) return undefined;
  const seconds = `${String(s.source)}s`;
  return [
    {
      title: `Use ${seconds} (a duration needs a unit)`,
      isPreferred: true,
      edits: [{ range: yamlRange(ctx.lines, s), newText: seconds }],
    },
  ];
}

/** Decodes a mapping into a struct; unknown keys become cloudflared's unused-key warnings. */
export function decodeStruct(ctx: DecodeContext, node: YNode | null, spec: StructSpec): StructValue | null {
  if (node === null || isNull(node)) return null;
  if (!isMap(node)) {
    typeError(ctx, node, unmarshalError(node, spec.goName));
    return null;
  }
  const fields = new Map<string, FieldValue>();
  for (const entry of mapEntries(ctx.doc, node as YAMLMap)) {
    const field = spec.fields[entry.name];
    if (!field) {
      unknownField(ctx, entry, spec);
      continue;
    }
    const [value, ok] = decodeField(ctx, entry.value, field);
    fields.set(entry.name, { entry, value, ok });
  }
  return { node: node as YAMLMap, fields };
}

export function decodeField(ctx: DecodeContext, node: YNode | null, field: FieldSpec): [unknown, boolean] {
  const t = field.type;
  if (typeof t === 'string') return decodeGo(ctx, node, t);
  if ('listOf' in t) return decodeList(ctx, node, t.listOf);
  const before = ctx.diagnostics.length;
  const v = decodeStruct(ctx, node, t);
  return [v, !ctx.diagnostics.slice(before).some((d) => d.severity === 'error')];
}

export function decodeList(
  ctx: DecodeContext,
  node: YNode | null,
  spec: StructSpec,
): [Array<StructValue | null> | null, boolean] {
  if (node === null || isNull(node)) return [null, true];
  if (!isSeq(node)) {
    typeError(ctx, node, unmarshalError(node, `[]${spec.goName}`));
    return [null, false];
  }
  const before = ctx.diagnostics.length;
  const out = node.items.map((item) => decodeStruct(ctx, deref(ctx.doc, item), spec));
  return [out, !ctx.diagnostics.slice(before).some((d) => d.severity === 'error')];
}

function unknownField(ctx: DecodeContext, entry: KeyValue, spec: StructSpec): void {
  const suggestion = closestKey(entry.name, Object.keys(spec.fields));
  const fix = suggestion
    ? [
        {
          title: `Rename to '${suggestion}'`,
          isPreferred: true,
          edits: [{ range: yamlRange(ctx.lines, entry.key), newText: suggestion }],
        },
      ]
    : undefined;
  ctx.diagnostics.push({
    code: 'unknown-key',
    severity: 'warning',
    message:
      `line ${yamlLine(ctx.lines, entry.key)}: field ${entry.name} not found in type ${spec.goName}` +
      (suggestion ? ` (did you mean '${suggestion}'?)` : '') +
      '. cloudflared ignores it.',
    range: yamlRange(ctx.lines, entry.key),
    ...(fix ? { fixes: fix } : {}),
  });
}

/** The known key closest to a misspelt one (case-insensitive, small edit distance), if any. */
export function closestKey(name: string, known: string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    if (k.toLowerCase() === lower) return k;
    const d = Math.abs(lower.length - k.length) > 3 ? 99 : editDistance(lower, k.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(name.length / 4)) ? best : undefined;
}

/** Convenience accessors for decoded structs. */
export function fieldString(s: StructValue | null | undefined, name: string): string {
  const v = s?.fields.get(name)?.value;
  return typeof v === 'string' ? v : '';
}

export function fieldBool(s: StructValue | null | undefined, name: string): boolean | undefined {
  const v = s?.fields.get(name)?.value;
  return typeof v === 'boolean' ? v : undefined;
}
