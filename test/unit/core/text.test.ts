import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineMap, editsWithEol, eolOf, yamlLineBreaks } from '../../../src/core/text';

test('LineMap maps offsets to positions across \\n and \\r\\n', () => {
  const m = new LineMap('ab\ncd\r\nef');
  assert.deepEqual(m.position(0), { line: 0, character: 0 });
  assert.deepEqual(m.position(4), { line: 1, character: 1 });
  assert.deepEqual(m.position(7), { line: 2, character: 0 });
  assert.equal(m.offset({ line: 2, character: 1 }), 8);
});

test('LineMap counts a lone \\r as a line break, as VS Code does', () => {
  const m = new LineMap('ab\rcd\ref');
  assert.equal(m.lineCount, 3);
  assert.deepEqual(m.position(4), { line: 1, character: 1 });
});

test('eolOf: the first line break; editsWithEol writes inserted breaks with it', () => {
  assert.equal(eolOf('a\r\nb\n'), '\r\n');
  assert.equal(eolOf('a\rb'), '\r');
  assert.equal(eolOf('a\nb\r\n'), '\n');
  assert.equal(eolOf('no break'), '\n');
  const edit = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'x\ny\r\n' };
  assert.deepEqual(editsWithEol([edit], 'a\r\n')[0]!.newText, 'x\r\ny\r\n');
  assert.deepEqual(editsWithEol([edit], 'a\r')[0]!.newText, 'x\ry\r');
  assert.deepEqual(editsWithEol([edit], 'a\n')[0]!.newText, 'x\ny\r\n');
});

test('yamlLineBreaks: lone CRs become LF, nothing moves', () => {
  const text = 'a:\r  b\r\nc\r';
  const out = yamlLineBreaks(text);
  assert.equal(out, 'a:\n  b\r\nc\n');
  assert.equal(out.length, text.length);
  const a = new LineMap(text);
  const b = new LineMap(out);
  for (let i = 0; i <= text.length; i++) assert.deepEqual(a.position(i), b.position(i));
});
