/**
 * parseDuration against Go's own tests: parseDurationTests and parseDurationErrorTests in
 * golang/go src/time/time_test.go, plus the duration examples of the cloudflared config spec
 * (sections 1.3 and 2.3).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goTimeQuote, parseDuration } from '../../../../src/core/go/duration';

const NS = 1n;
const US = 1000n * NS;
const MS = 1000n * US;
const S = 1000n * MS;
const M = 60n * S;
const H = 60n * M;

/** src/time/time_test.go: parseDurationTests (input, expected Duration). */
const VALID: Array<[string, bigint]> = [
  // simple
  ['0', 0n],
  ['5s', 5n * S],
  ['30s', 30n * S],
  ['1478s', 1478n * S],
  // sign
  ['-5s', -5n * S],
  ['+5s', 5n * S],
  ['-0', 0n],
  ['+0', 0n],
  // decimal
  ['5.0s', 5n * S],
  ['5.6s', 5n * S + 600n * MS],
  ['5.s', 5n * S],
  ['.5s', 500n * MS],
  ['1.0s', 1n * S],
  ['1.00s', 1n * S],
  ['1.004s', 1n * S + 4n * MS],
  ['1.0040s', 1n * S + 4n * MS],
  ['100.00100s', 100n * S + 1n * MS],
  // different units
  ['10ns', 10n * NS],
  ['11us', 11n * US],
  ['12\u00b5s', 12n * US], // U+00B5
  ['12\u03bcs', 12n * US], // U+03BC
  ['13ms', 13n * MS],
  ['14s', 14n * S],
  ['15m', 15n * M],
  ['16h', 16n * H],
  // composite durations
  ['3h30m', 3n * H + 30n * M],
  ['10.5s4m', 4n * M + 10n * S + 500n * MS],
  ['-2m3.4s', -(2n * M + 3n * S + 400n * MS)],
  ['1h2m3s4ms5us6ns', 1n * H + 2n * M + 3n * S + 4n * MS + 5n * US + 6n * NS],
  ['39h9m14.425s', 39n * H + 9n * M + 14n * S + 425n * MS],
  // large value
  ['52763797000ns', 52763797000n * NS],
  // more than 9 digits after decimal point, see https://golang.org/issue/6617
  ['0.3333333333333333333h', 20n * M],
  // 9007199254740993 = 1<<53+1 cannot be stored precisely in a float64
  ['9007199254740993ns', ((1n << 53n) + 1n) * NS],
  // largest duration that can be represented by int64 in nanoseconds
  ['9223372036854775807ns', (1n << 63n) - 1n],
  ['9223372036854775.807us', (1n << 63n) - 1n],
  ['9223372036s854ms775us807ns', (1n << 63n) - 1n],
  ['-9223372036854775808ns', -(1n << 63n)],
  ['-9223372036854775.808us', -(1n << 63n)],
  ['-9223372036s854ms775us808ns', -(1n << 63n)],
  // largest negative round trip value, see https://golang.org/issue/48629
  ['-2562047h47m16.854775808s', -(1n << 63n)],
  // huge string; issue 15011.
  ['0.100000000000000000000h', 6n * M],
  // This value tests the first overflow check in leadingFraction.
  ['0.830103483285477580700h', 49n * M + 48n * S + 372539827n * NS],
];

test('parseDuration accepts what Go accepts, with the same value (time_test.go)', () => {
  for (const [input, want] of VALID) {
    const got = parseDuration(input);
    assert.ok(got.ok, `${input}: ${got.ok ? '' : got.error}`);
    assert.equal(got.exact, want, input);
    assert.equal(got.nanos, Number(want), input);
  }
});

/** src/time/time_test.go: parseDurationErrorTests (input, quoted text the error must contain). */
const INVALID: Array<[string, string]> = [
  // invalid
  ['', '""'],
  ['3', '"3"'],
  ['-', '"-"'],
  ['s', '"s"'],
  ['.', '"."'],
  ['-.', '"-."'],
  ['.s', '".s"'],
  ['+.s', '"+.s"'],
  ['1d', '"1d"'],
  // ("\x85\x85", "\xffff" and "hello \xffff world" are invalid UTF-8: not representable in JS.)
  ['\uFFFD', '"\\xef\\xbf\\xbd"'], // utf8.RuneError
  ['\uFFFD hello \uFFFD world', '"\\xef\\xbf\\xbd hello \\xef\\xbf\\xbd world"'],
  // overflow
  ['9223372036854775810ns', '"9223372036854775810ns"'],
  ['9223372036854775808ns', '"9223372036854775808ns"'],
  ['-9223372036854775809ns', '"-9223372036854775809ns"'],
  ['9223372036854776us', '"9223372036854776us"'],
  ['3000000h', '"3000000h"'],
  ['9223372036854775.808us', '"9223372036854775.808us"'],
  ['9223372036854ms775us808ns', '"9223372036854ms775us808ns"'],
];

test('parseDuration rejects what Go rejects, quoting the input like Go (time_test.go)', () => {
  for (const [input, quoted] of INVALID) {
    const got = parseDuration(input);
    assert.ok(!got.ok, input);
    assert.ok(got.error.includes(quoted), `${input}: ${got.error}`);
  }
});

test('the three error texts of ParseDuration (format.go; spec 2.3)', () => {
  assert.deepEqual(parseDuration('abc'), { ok: false, error: 'time: invalid duration "abc"' });
  assert.deepEqual(parseDuration('30x'), { ok: false, error: 'time: unknown unit "x" in duration "30x"' });
  assert.deepEqual(parseDuration('30'), { ok: false, error: 'time: missing unit in duration "30"' });
  assert.deepEqual(parseDuration(''), { ok: false, error: 'time: invalid duration ""' });
  assert.deepEqual(parseDuration('1d'), { ok: false, error: 'time: unknown unit "d" in duration "1d"' });
  assert.deepEqual(parseDuration('30 seconds'), {
    ok: false,
    error: 'time: unknown unit " seconds" in duration "30 seconds"',
  });
  assert.deepEqual(parseDuration('9223372036854775808ns'), {
    ok: false,
    error: 'time: invalid duration "9223372036854775808ns"',
  });
});

test('spec 1.3 duration examples', () => {
  const ok = (s: string, nanos: number): void =>
    assert.deepEqual(parseDuration(s), { ok: true, nanos, exact: BigInt(nanos) }, s);
  ok('30s', 30e9);
  ok('1m30s', 90e9);
  ok('1.5h', 5400e9);
  ok('-5s', -5e9); // accepted, no range check
  ok('0', 0);
  ok('10\u00b5s', 10_000);
  ok('10\u03bcs', 10_000);
  ok('24h', 86_400e9);
});

test("time's quote escapes quotes, backslashes, control and non-ASCII bytes (format.go quote)", () => {
  assert.equal(goTimeQuote('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(goTimeQuote('\t'), '"\\x09"');
  assert.equal(goTimeQuote('\u00b5'), '"\\xc2\\xb5"');
  assert.equal(goTimeQuote('\u{1F600}'), '"\\xf0\\x9f\\x98\\x80"');
  assert.equal(parseDuration('1\u00b5').ok, false);
  assert.deepEqual(parseDuration('5\u00e9'), {
    ok: false,
    error: 'time: unknown unit "\\xc3\\xa9" in duration "5\\xc3\\xa9"',
  });
});
