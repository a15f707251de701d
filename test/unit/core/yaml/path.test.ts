/** The YAML path at a cursor, on complete and on half-typed YAML. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { blockScalarAt, yamlCursor } from '../../../../src/core/yaml/path';
import { cursor } from '../../../support/cursor';

function at(marked: string, marker = '|') {
  const c = cursor(marked, marker);
  const r = yamlCursor(c.text, c.offset);
  return (
    r && { path: r.path, on: r.on, text: c.text.slice(r.start, r.end), siblings: r.siblings, document: r.document }
  );
}

describe('yamlCursor', () => {
  test('keys and values', () => {
    assert.deepEqual(at('originRequest:\n  conn|ectTimeout: 10s\n'), {
      path: ['originRequest', 'connectTimeout'],
      on: 'key',
      text: 'connectTimeout',
      siblings: [],
      document: 0,
    });
    assert.deepEqual(at('ingress:\n  - hostname: a\n    service: ht|tp://a:80\n'), {
      path: ['ingress', 0, 'service'],
      on: 'value',
      text: 'http://a:80',
      siblings: ['hostname'],
      document: 0,
    });
    assert.deepEqual(at('tag: [a, b|]\n')?.path, ['tag', 1]);
    assert.deepEqual(at('protocol: "q|"\n')?.text, 'q');
  });

  test('half-typed: an empty line, a bare word, a new list item, an empty value', () => {
    assert.deepEqual(at('originRequest:\n  connectTimeout: 10s\n  |'), {
      path: ['originRequest', ''],
      on: 'key',
      text: '',
      siblings: ['connectTimeout'],
      document: 0,
    });
    assert.deepEqual(at('originRequest:\n  connectTimeout: 10s\n  conn|')?.path, ['originRequest', 'conn']);
    assert.deepEqual(at('ingress:\n  - hostname: a\n  - |\n')?.path, ['ingress', 1, '']);
    assert.deepEqual(at('protocol: |\n'), { path: ['protocol'], on: 'value', text: '', siblings: [], document: 0 });
    assert.deepEqual(at('|')?.path, ['']);
  });

  test('right after the colon is still the key', () => {
    assert.deepEqual(at('protocol:| quic\n')?.on, 'key');
  });

  test('comments and later documents', () => {
    assert.equal(at('tunnel: x # com|ment\n'), undefined);
    assert.deepEqual(at('a: 1\n---\nb:\n  c: |\n')?.document, 1);
  });
});

describe('blockScalarAt', () => {
  test('the block as its own text, with offsets mapped both ways', () => {
    const c = cursor('data:\n  config.yaml: |\n    ingress:\n      - serv$0ice: x\n  other: 1\n', '$0');
    const b = blockScalarAt(c.text, c.offset)!;
    assert.deepEqual(b.path, ['data', 'config.yaml']);
    assert.equal(b.text, 'ingress:\n  - service: x');
    assert.equal(b.text.slice(0, b.offset), 'ingress:\n  - serv');
    assert.equal(b.toHost(b.offset), c.offset);
    assert.equal(b.toHost(0), c.text.indexOf('ingress'));
  });

  test('not on the header line nor outside a block', () => {
    const text = 'data:\n  config.yaml: |\n    a: 1\n';
    assert.equal(blockScalarAt(text, text.indexOf('|')), undefined);
    assert.equal(blockScalarAt(text, 2), undefined);
  });
});
