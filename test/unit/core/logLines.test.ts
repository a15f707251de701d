/** The pod log line splitter: linear, bounded, every line passed on once. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter, MAX_LOG_LINE } from '../../../src/core/logLines';

function split(chunks: string[]): string[] {
  const out: string[] = [];
  const s = new LineSplitter((l) => out.push(l));
  for (const c of chunks) s.push(c);
  s.end();
  return out;
}

test('LineSplitter: lines across chunks, CRLF, a last line without newline, empty lines', () => {
  assert.deepEqual(split(['a\nb', 'c\r', '\n\nd']), ['a', 'bc', '', 'd']);
  assert.deepEqual(split(['x\n']), ['x']);
  assert.deepEqual(split([]), []);
});

test('LineSplitter: a 50 MB line without a newline is cut at 64 KiB, held memory stays bounded', () => {
  const out: string[] = [];
  const s = new LineSplitter((l) => out.push(l));
  const chunk = 'x'.repeat(64 * 1024);
  let maxPending = 0;
  for (let sent = 0; sent < 50 * 1024 * 1024; sent += chunk.length) {
    s.push(chunk);
    maxPending = Math.max(maxPending, s.pending);
  }
  s.push('\nnext\n');
  s.end();
  assert.ok(maxPending <= MAX_LOG_LINE, `held ${maxPending} characters`);
  assert.equal(out.length, 2);
  assert.equal(out[0]!.slice(0, MAX_LOG_LINE), 'x'.repeat(MAX_LOG_LINE));
  assert.match(out[0]!.slice(MAX_LOG_LINE), /^ … \[line cut at 64 KiB: 52363264 more character\(s\) not shown\]$/);
  assert.equal(out[1], 'next');
});

test('LineSplitter: many short lines in one big chunk are each passed on', () => {
  const out = split(['l\n'.repeat(100_000)]);
  assert.equal(out.length, 100_000);
});
