/**
 * Property-based robustness: random and mutated YAML never makes the checker or the matcher
 * throw, and analysis time grows linearly with the input.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeText } from '../../../../src/core/analyze';
import { checkConfigText } from '../../../../src/core/config/check';
import { matchConfigText } from '../../../../src/core/config/match';
import { generateConfig } from '../../../../dev/generate';

const SEED_CONFIG = generateConfig(12);

const fragments = fc.constantFrom(
  'ingress:',
  '  - hostname: ',
  '    service: ',
  '    path: ',
  '    originRequest:',
  '      connectTimeout: ',
  '"*.example.com"',
  '*.example.com',
  'http://a:1',
  'http_status:404',
  '- ',
  ': ',
  '\t',
  '"',
  "'",
  '&a ',
  '*a',
  '<<: *a',
  '[',
  ']',
  '{',
  '}',
  '\n',
  '  ',
  'tunnel: ',
  'credentials-file: ',
  '---\n',
  '30',
  'true',
  '"true"',
  '~',
  'null',
  '0x1F',
  '1e9',
  '\\',
  '\u00e9',
  '\u{1F600}',
  '\u200d',
  '#',
);

const mutated = fc
  .tuple(fc.nat(SEED_CONFIG.length), fc.nat(200), fc.array(fragments, { maxLength: 8 }))
  .map(
    ([at, cut, inserts]) =>
      SEED_CONFIG.slice(0, at) + inserts.join('') + SEED_CONFIG.slice(Math.min(SEED_CONFIG.length, at + cut)),
  );

const randomYaml = fc.array(fragments, { maxLength: 60 }).map((parts) => parts.join(''));

function mustNotThrow(text: string): void {
  const result = analyzeText(text);
  assert.ok(Array.isArray(result.diagnostics));
  for (const d of result.diagnostics) {
    assert.ok(d.range.start.line >= 0 && d.range.start.character >= 0, 'positions are non-negative');
    assert.ok(d.code.length > 0 && d.message.length > 0);
  }
  checkConfigText(text);
  matchConfigText(text, 'https://a.example.com/api');
}

describe('fuzzing', () => {
  test('mutations of a real config never throw', () => {
    fc.assert(fc.property(mutated, mustNotThrow), { numRuns: 600 });
  });

  test('random YAML-ish text never throws', () => {
    fc.assert(fc.property(randomYaml, mustNotThrow), { numRuns: 600 });
  });

  test('arbitrary unicode strings never throw', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (s) => mustNotThrow('ingress:\n' + s)),
      { numRuns: 300 },
    );
  });

  test('wrong types everywhere never throw', () => {
    const value = fc.oneof(
      fc.constant('[]'),
      fc.constant('{}'),
      fc.constant('~'),
      fc.integer().map(String),
      fc.constant('[[[]]]'),
      fc.constant('{a: [1, {b: 2}]}'),
    );
    const key = fc.constantFrom(
      'ingress',
      'tunnel',
      'originRequest',
      'warp-routing',
      'tag',
      'retries',
      'hostname',
      'service',
      'path',
      'ipRules',
      'access',
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 10 }), (pairs) => {
        mustNotThrow(pairs.map(([k, v]) => `${k}: ${v}`).join('\n'));
        mustNotThrow(
          'ingress:\n' + pairs.map(([k, v]) => `  - ${k}: ${v}\n    originRequest:\n      ${k}: ${v}`).join('\n'),
        );
      }),
      { numRuns: 300 },
    );
  });

  test('deep nesting and huge scalars', () => {
    mustNotThrow('ingress:\n' + '  '.repeat(1) + '- originRequest: ' + '['.repeat(500) + ']'.repeat(500) + '\n');
    mustNotThrow(
      'ingress:\n  - hostname: ' + 'a'.repeat(200_000) + '\n    service: http://' + 'b'.repeat(100_000) + '\n',
    );
    let nested = 'x: 1';
    for (let i = 0; i < 200; i++)
      nested =
        `k${i}:\n` +
        nested
          .split('\n')
          .map((l) => '  ' + l)
          .join('\n');
    mustNotThrow('ingress:\n  - service: http_status:404\n' + nested + '\n');
  });
});

describe('linear time', () => {
  /** Median wall time of `fn` over a few runs, in ms. */
  function medianMs(fn: () => void, runs = 5): number {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = process.hrtime.bigint();
      fn();
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
  }

  // Growth ratio, not a time limit: 8x the input must cost far less than 64x (quadratic) the time.
  for (const [name, make] of [
    ['rules', (n: number) => generateConfig(n)],
    [
      'long scalars',
      (n: number) =>
        `ingress:\n  - hostname: ${'a'.repeat(n * 50)}\n    path: ${'(a|b)'.repeat(n)}\n    service: http://x:1\n  - service: http_status:404\n`,
    ],
    [
      'unknown keys',
      (n: number) =>
        Array.from({ length: n }, (_, i) => `key${i}: value`).join('\n') + '\ningress:\n  - service: http_status:404\n',
    ],
  ] as const) {
    test(`analysis grows linearly with ${name}`, () => {
      const small = make(250);
      const large = make(2000);
      analyzeText(small);
      analyzeText(large);
      // On a busy machine one measurement can be disturbed; quadratic growth (~64x) fails every attempt,
      // so the best of three attempts is compared with the bound.
      let best = { ratio: Infinity, tSmall: 0, tLarge: 0 };
      for (let attempt = 0; attempt < 3 && best.ratio >= 24; attempt++) {
        const tSmall = medianMs(() => analyzeText(small));
        const tLarge = medianMs(() => analyzeText(large));
        const ratio = tLarge / Math.max(tSmall, 0.05);
        if (ratio < best.ratio) best = { ratio, tSmall, tLarge };
      }
      assert.ok(
        best.ratio < 24,
        `8x input took ${best.ratio.toFixed(1)}x the time (${best.tSmall.toFixed(2)} ms → ${best.tLarge.toFixed(2)} ms)`,
      );
    });
  }
});
