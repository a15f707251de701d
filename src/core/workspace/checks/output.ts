/** What one check run produces: diagnostics by file, and the links it found. */
import type { Scalar } from 'yaml';
import type { LineMap } from '../../text';
import type { Diagnostic, Range, TextEdit } from '../../types';
import { yamlRange } from '../../yaml/load';

/** One side of a cloudflared container's links: a file inside the container and where it comes from. */
export interface LinkedFile {
  /** The path inside the container. */
  path: string;
  kind: 'ConfigMap' | 'Secret';
  /** The object's name as applied: for generated objects kustomize's name (prefix, suffix, hash). */
  name: string;
  key: string;
  /** The pod volume that mounts it. */
  volume: string;
  /** The workspace file that holds the value (a generator input, or the manifest of the resource). */
  source?: string;
  /** The kustomization whose generator produces the object. */
  kustomization?: string;
}

/** A cloudflared container and the files it reads. */
export interface ContainerLink {
  file: string;
  workload: { kind: string; name: string };
  container: string;
  namespace: string;
  /** The outermost kustomization that includes the workload: `kubectl kustomize <build>` prints these names. */
  build?: string;
  config?: LinkedFile;
  credentials?: LinkedFile;
}

export class Output {
  readonly byFile = new Map<string, Diagnostic[]>();
  readonly links: ContainerLink[] = [];

  add(path: string, d: Diagnostic): void {
    const list = this.byFile.get(path);
    if (list) list.push(d);
    else this.byFile.set(path, [d]);
  }
}

export function rangeOf(lines: LineMap, node: { range?: [number, number, number] | null } | null | undefined): Range {
  return yamlRange(lines, node);
}

/**
 * An edit that replaces a scalar's value, keeping its quoting style. Undefined for block
 * scalars and for plain scalars the new value cannot be written as.
 */
export function replaceScalar(lines: LineMap, node: Scalar, value: string): TextEdit | undefined {
  const r = node.range;
  if (!r) return undefined;
  let text: string;
  if (node.type === 'QUOTE_DOUBLE') text = JSON.stringify(value);
  else if (node.type === 'QUOTE_SINGLE') text = `'${value.replace(/'/g, "''")}'`;
  else if (node.type === 'PLAIN' && /^[\w./@:-]+$/.test(value) && !/: |:$|^-/.test(value)) text = value;
  else if (node.type === 'PLAIN') text = JSON.stringify(value);
  else return undefined;
  return { range: lines.range(r[0], r[1]), newText: text };
}

/** The range of `needle` inside a scalar as written (plain or simply quoted), else the scalar. */
export function rangeInScalar(lines: LineMap, node: Scalar, needle: string): { range: Range; exact: boolean } {
  const r = node.range!;
  const source = lines.text.slice(r[0], r[1]);
  const at = source.indexOf(needle);
  if (at < 0 || needle === '') return { range: lines.range(r[0], r[1]), exact: false };
  return { range: lines.range(r[0] + at, r[0] + at + needle.length), exact: true };
}
