/**
 * The property of issue #21, shared by the unit test (generated files, fixtures) and the corpus
 * suite (real files from ../shared/corpus): after every edit of a random sequence, what an
 * incremental parse and analysis give is exactly what a whole one gives — the documents (node
 * types, values, ranges) and the analysis (kind, diagnostics with their fixes).
 */
import { isRoutingDocument } from '../../src/core/routing/fromWorkspace';
import { documentPlain, toPlain } from '../../src/core/yaml/plain';
import assert from 'node:assert/strict';
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document } from 'yaml';
import fc from 'fast-check';
import { analyzeText } from '../../src/core/analyze';
import { IncrementalYaml, YAML_OPTIONS } from '../../src/core/yaml/incremental';
import { lazyParse } from '../../src/core/yaml/parsed';
import { yamlLineBreaks } from '../../src/core/text';
import { parseYamlDocuments } from '../../src/core/yaml/aliases';

function shape(n: unknown): unknown {
  if (n === null || n === undefined) return n;
  if (isPair(n)) return ['pair', shape(n.key), shape(n.value)];
  if (isMap(n)) return ['map', n.range, n.flow ?? false, n.tag, n.items.map(shape)];
  if (isSeq(n)) return ['seq', n.range, n.flow ?? false, n.tag, n.items.map(shape)];
  if (isScalar(n)) return ['scalar', n.range, n.value, n.type, n.tag];
  if (isAlias(n)) return ['alias', n.range, n.source];
  return ['?'];
}

export function documentsShape(docs: Document.Parsed[]): unknown {
  return docs.map((d) => [d.range, d.errors.map((e) => [e.code, e.pos]), d.warnings.length, shape(d.contents)]);
}

/** One edit: at a place of the text, delete some characters and insert others. */
export interface Edit {
  at: number;
  remove: number;
  insert: string;
}

/** Insertions that keep most files chunkable, and some that break the chunking on purpose. */
const INSERTS = [
  'a',
  'Z',
  '7',
  ' ',
  '  ',
  ':',
  '-',
  '- ',
  '#',
  '"',
  "'",
  '\n',
  '\r\n',
  '\t',
  '*',
  '&x ',
  '*x',
  '{',
  '[]',
  '---\n',
  '  - hostname: new.example.com\n    service: http://new:80\n',
  '  - service: http_status:404\n',
  'tunnel: 00000000-0000-4000-8000-000000000001\n',
  'originRequest:\n  connectTimeout: 10s\n',
  '# note\n',
  '\n\n',
];

/** An edit somewhere in a text of `length` characters (mostly at line starts and inside lines). */
export const editArbitrary = (length: number): fc.Arbitrary<Edit> =>
  fc.record({
    at: fc.nat({ max: Math.max(0, length) }),
    remove: fc.oneof(fc.constant(0), fc.constant(0), fc.nat({ max: 3 }), fc.nat({ max: 60 })),
    insert: fc.oneof(fc.constantFrom(...INSERTS), fc.constant('')),
  });

export function applyEdit(text: string, e: Edit): string {
  const at = Math.min(e.at, text.length);
  return text.slice(0, at) + e.insert + text.slice(at + e.remove);
}

/**
 * Applies `edits` one after the other (positions taken modulo the current length) and checks after
 * each that the incremental parse and analysis equal the whole ones. Returns how many edits took
 * the incremental path (the caller can check the property was not vacuous).
 */
export function checkEditSequence(start: string, edits: Edit[], path?: string): number {
  const yaml = new IncrementalYaml(YAML_OPTIONS, 0);
  let text = start;
  let incremental = 0;
  for (let i = -1; i < edits.length; i++) {
    if (i >= 0) text = applyEdit(text, { ...edits[i]!, at: edits[i]!.at % (text.length + 1) });
    const parsed = lazyParse(text, yaml);
    const whole = parseYamlDocuments(yamlLineBreaks(text), YAML_OPTIONS);
    const got = analyzeText(text, path, { parsed });
    const want = analyzeText(text, path);
    if (!yaml.stats.whole) incremental++;
    const where = `after edit ${i} of ${JSON.stringify(edits.slice(0, i + 1))}`;
    assert.deepEqual(documentsShape(parsed().docs), documentsShape(whole), `documents ${where}`);
    // The plain data kept per reused document (yaml/plain.ts documentPlain) is the whole parse's,
    // for the documents the trace converts (others may be alias bombs, which the trace never expands).
    assert.deepEqual(
      parsed().docs.map((d) => (isRoutingDocument(d) ? documentPlain(d) : null)),
      whole.map((d) => (isRoutingDocument(d) ? toPlain(d, d.contents) : null)),
      `plain documents ${where}`,
    );
    assert.deepEqual(
      { kind: got.kind, diagnostics: got.diagnostics },
      { kind: want.kind, diagnostics: want.diagnostics },
      `analysis ${where}`,
    );
  }
  return incremental;
}
