/**
 * One parse of a text, shared by everything that reads it in one version (issue #21): the
 * document analysis (analyze.ts), the workspace index (workspace/fileSummary.ts) and the features
 * that need the tree (symbols, hover). The language server makes it with an IncrementalYaml per
 * open document (./incremental.ts); elsewhere `parseText` parses whole.
 */
import type { Document } from 'yaml';
import { LineMap, yamlLineBreaks } from '../text';
import { parseYamlDocuments } from './aliases';
import { YAML_OPTIONS } from './incremental';
import type { IncrementalYaml } from './incremental';

export interface ParsedText {
  /** The text as parsed: lone CRs read as LF (same offsets; yamlLineBreaks). */
  text: string;
  lines: LineMap;
  docs: Document.Parsed[];
}

/** A lazy parse: nothing is parsed until someone asks, and then once. */
export type ParsedTextSource = () => ParsedText;

export function parseText(written: string, incremental?: IncrementalYaml): ParsedText {
  const text = yamlLineBreaks(written);
  return {
    text,
    lines: new LineMap(text),
    docs: incremental ? incremental.parse(text) : parseYamlDocuments(text, YAML_OPTIONS),
  };
}

/** `parseText` once, on first use. */
export function lazyParse(written: string, incremental?: IncrementalYaml): ParsedTextSource {
  let parsed: ParsedText | undefined;
  return () => (parsed ??= parseText(written, incremental));
}
