/** The checker's budgets (src/core/budgets.ts, docs/DIAGNOSTICS.md "Budgets"). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_DOCUMENT_CHARS, regexCost } from '../../../src/core/budgets';
import { analyzeText } from '../../../src/core/analyze';

test('regexCost: atoms count one, counted repetitions multiply', () => {
  assert.equal(regexCost('^/api$'), 6);
  assert.equal(regexCost('[a-z]{1,1000}'), 1000);
  assert.equal(regexCost('(ab){3}'), 9);
  assert.equal(regexCost('a{2,}'), 3);
  assert.equal(regexCost('\\{1,1000}'), 8); // an escaped brace is a literal
  assert.equal(regexCost('[{]x'), 2);
});

test('a file over the size budget is not analysed: one information at line 1', () => {
  const text = `ingress:\n  - service: localhost:8000\n${'#'.repeat(MAX_DOCUMENT_CHARS)}\n`;
  const a = analyzeText(text, 'config.yaml');
  assert.deepEqual(
    a.diagnostics.map((d) => [d.code, d.severity, d.range.start.line, d.message]),
    [
      [
        'file-over-budget',
        'information',
        0,
        'This file (2.0 MiB) is larger than the 2.0 MiB the checker reads: it is not checked.',
      ],
    ],
  );
});

test('a path regex over the per-pattern budget is not compiled: information, syntax errors still errors', () => {
  const big = '[a-z]{1,1000}'.repeat(25);
  const text = `ingress:\n  - hostname: a.example.com\n    path: '${big}'\n    service: http://a:80\n  - hostname: b.example.com\n    path: '${big}('\n    service: http://a:80\n  - service: http_status:404\n`;
  const ds = analyzeText(text, 'config.yaml').diagnostics;
  assert.deepEqual(
    ds.map((d) => [d.code, d.severity, d.range.start.line]),
    [
      ['regex-budget', 'information', 2],
      ['invalid-path-regex', 'error', 5],
    ],
  );
  assert.match(
    ds[0]!.message,
    /^The path regex of rule #1 is too large for the checker \(about 25,000 instructions, budget 20,000\)/,
  );
});

test('a config with more than 20,000 rules is not checked', () => {
  const text = `ingress:\n${'  - service: localhost:8000\n'.repeat(20_001)}`;
  const ds = analyzeText(text, 'config.yaml').diagnostics;
  assert.deepEqual(
    ds.map((d) => [d.code, d.message]),
    [
      [
        'file-over-budget',
        'This config has 20,001 ingress rules, more than 20,000 the checker reads: it is not checked.',
      ],
    ],
  );
});
