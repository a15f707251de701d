import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineMap } from '../../../src/core/text';

test('LineMap maps offsets to positions across \\n and \\r\\n', () => {
  const m = new LineMap('ab\ncd\r\nef');
  assert.deepEqual(m.position(0), { line: 0, character: 0 });
  assert.deepEqual(m.position(4), { line: 1, character: 1 });
  assert.deepEqual(m.position(7), { line: 2, character: 0 });
  assert.equal(m.offset({ line: 2, character: 1 }), 8);
});
