/**
 * yaml.v3 v3.0.1 scalar semantics. Expected values come from go-yaml/yaml v3.0.1 decode_test.go
 * (unmarshalTests: what a plain scalar decodes to in interface{} / typed fields), resolve.go and
 * decode.go (resolve(), (*decoder).scalar, terror), cloudflared config/configuration.go
 * (CustomDuration unmarshals into time.Duration) and the config spec sections 1.3 and 2.3.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeScalarInto,
  goTypeName,
  resolvePlain,
  sliceElementType,
  unmarshalError,
} from '../../../../src/core/go/yamlv3';
import type { GoType } from '../../../../src/core/go/yamlv3';

const plain = (source: string) => ({ source, quoted: false, kind: 'scalar' as const });
const quoted = (source: string) => ({ source, quoted: true, kind: 'scalar' as const });

test('resolvePlain: null, bool and special floats (resolve.go resolveMap)', () => {
  for (const s of ['', '~', 'null', 'Null', 'NULL'])
    assert.deepEqual(resolvePlain(s), { tag: '!!null', value: null }, s);
  for (const s of ['true', 'True', 'TRUE']) assert.deepEqual(resolvePlain(s), { tag: '!!bool', value: true }, s);
  for (const s of ['false', 'False', 'FALSE']) assert.deepEqual(resolvePlain(s), { tag: '!!bool', value: false }, s);
  // YAML 1.1 words are strings when resolved (spec 1.3).
  for (const s of ['yes', 'Yes', 'no', 'on', 'off', 'y', 'n', 'tRUE', 'nULL', 'NuLL']) {
    assert.deepEqual(resolvePlain(s), { tag: '!!str', value: s }, s);
  }
  for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'])
    assert.deepEqual(resolvePlain(s), { tag: '!!float', value: Infinity }, s);
  for (const s of ['-.inf', '-.Inf', '-.INF'])
    assert.deepEqual(resolvePlain(s), { tag: '!!float', value: -Infinity }, s);
  for (const s of ['.nan', '.NaN', '.NAN']) {
    const r = resolvePlain(s);
    assert.equal(r.tag, '!!float');
    assert.ok(Number.isNaN(r.value as number));
  }
  assert.equal(resolvePlain('.iNF').tag, '!!str');
  assert.equal(resolvePlain('+.nan').tag, '!!str');
});

test('resolvePlain: ints (decode_test.go "Ints from spec" and cross-type cases)', () => {
  const ints: Array<[string, bigint]> = [
    ['10', 10n],
    ['-10', -10n],
    ['0b10', 2n],
    ['0xA', 10n],
    ['4294967296', 4294967296n],
    ['685230', 685230n],
    ['+685_230', 685230n],
    ['02472256', 685230n], // YAML 1.1 octal
    ['-02472256', -685230n],
    ['0o2472256', 685230n],
    ['-0o2472256', -685230n],
    ['0x_0A_74_AE', 685230n],
    ['0b1010_0111_0100_1010_1110', 685230n],
    ['-0b101010', -42n],
    ['-0b1000000000000000000000000000000000000000000000000000000000000000', -9223372036854775808n],
    ['2147483647', 2147483647n],
    ['-2147483648', -2147483648n],
    ['9223372036854775807', 9223372036854775807n],
    ['-9223372036854775808', -9223372036854775808n],
    ['0b111111111111111111111111111111111111111111111111111111111111111', 9223372036854775807n],
    ['18446744073709551615', 18446744073709551615n], // uint64
    ['0b1111111111111111111111111111111111111111111111111111111111111111', 18446744073709551615n],
    ['0', 0n],
    ['0X1F', 31n],
    ['0O17', 15n],
    ['0B101', 5n],
    ['1__0', 10n],
  ];
  for (const [s, v] of ints) assert.deepEqual(resolvePlain(s), { tag: '!!int', value: v }, s);
  // resolve.go's explicit 0b/0o retries parse the rest with its own sign.
  assert.deepEqual(resolvePlain('0b-101'), { tag: '!!int', value: -5n });
  assert.deepEqual(resolvePlain('0o-17'), { tag: '!!int', value: -15n });
});

test('resolvePlain: floats (decode_test.go "Floats from spec")', () => {
  const floats: Array<[string, number]> = [
    ['0.1', 0.1],
    ['.1', 0.1],
    ['-.1', -0.1],
    ['6.8523e+5', 6.8523e5],
    ['685.230_15e+03', 685.23015e3],
    ['685_230.15', 685230.15],
    ['1e5', 1e5],
    ['1.', 1],
    ['+.5', 0.5],
    ['08', 8], // not octal, not an int: yamlStyleFloat
    ['18446744073709551616', 18446744073709551616], // beyond uint64
    ['-9223372036854775809', -9223372036854775809],
    ['1.797693134862315708145274237317043567981e+308', Number.MAX_VALUE],
    ['4.940656458412465441765687928682213723651e-324', Number.MIN_VALUE],
    ['.5_5', 0.55], // ParseFloat allows _ between digits
  ];
  for (const [s, v] of floats) assert.deepEqual(resolvePlain(s), { tag: '!!float', value: v }, s);
  // ParseFloat overflow is an error, so the scalar stays a string.
  assert.deepEqual(resolvePlain('1e400'), { tag: '!!str', value: '1e400' });
  assert.deepEqual(resolvePlain('.'), { tag: '!!str', value: '.' });
  assert.deepEqual(resolvePlain('._5'), { tag: '!!str', value: '._5' });
});

test('resolvePlain: strings', () => {
  for (const s of [
    'hi',
    '-',
    '+',
    '1.2.3',
    '12:30',
    '30s',
    '1m30s',
    'http://x',
    '_1',
    '<<',
    'a b',
    '0x',
    '0b',
    '1_000x',
    '*',
    '0xG',
  ]) {
    assert.deepEqual(resolvePlain(s), { tag: '!!str', value: s }, s);
  }
});

test('resolvePlain: timestamps (decode_test.go "Timestamps", resolve.go allowedTimestampFormats)', () => {
  const ts: Array<[string, string]> = [
    ['2015-01-01', '2015-01-01T00:00:00.000Z'],
    ['2015-02-24T18:19:39.12Z', '2015-02-24T18:19:39.120Z'],
    ['2015-2-3T3:4:5Z', '2015-02-03T03:04:05.000Z'],
    ['2015-02-24t18:19:39Z', '2015-02-24T18:19:39.000Z'],
    ['2015-02-24 18:19:39', '2015-02-24T18:19:39.000Z'],
    ['2001-12-14t21:59:43.10-05:00', '2001-12-15T02:59:43.100Z'],
    ['2001-12-14 21:59:43,5', '2001-12-14T21:59:43.500Z'],
    ['2000-02-29', '2000-02-29T00:00:00.000Z'],
  ];
  for (const [s, iso] of ts) {
    const r = resolvePlain(s);
    assert.equal(r.tag, '!!timestamp', s);
    assert.equal((r.value as Date).toISOString(), iso, s);
  }
  // Not timestamps: the "-5" zone form time.Parse cannot handle, no zone after T, bad ranges.
  for (const s of [
    '2001-12-14 21:59:43.10 -5',
    '2001-12-14T21:59:43',
    '2001-13-01',
    '2001-02-29',
    '2001-12-14 24:00:00',
    '12345-01-01',
    '2001-001-02',
  ]) {
    assert.equal(resolvePlain(s).tag, '!!str', s);
  }
});

test('decodeScalarInto string: any scalar as written; null leaves the zero value (spec 1.3)', () => {
  assert.deepEqual(decodeScalarInto(plain('12345'), 'string'), { ok: true, value: '12345' }); // tunnel: 12345
  assert.deepEqual(decodeScalarInto(plain('true'), 'string'), { ok: true, value: 'true' });
  assert.deepEqual(decodeScalarInto(plain('2015-01-01'), 'string'), { ok: true, value: '2015-01-01' });
  assert.deepEqual(decodeScalarInto(plain('0x10'), 'string'), { ok: true, value: '0x10' });
  assert.deepEqual(decodeScalarInto(quoted('hi'), 'string'), { ok: true, value: 'hi' });
  assert.deepEqual(decodeScalarInto(quoted(''), 'string'), { ok: true, value: '' });
  for (const s of ['~', 'null', ''])
    assert.deepEqual(decodeScalarInto(plain(s), 'string'), { ok: true, value: null }, s);
  assert.deepEqual(decodeScalarInto({ source: '', quoted: false, kind: 'seq' }, 'string'), {
    ok: false,
    error: 'cannot unmarshal !!seq into string',
  });
  assert.deepEqual(decodeScalarInto({ source: '', quoted: false, kind: 'map' }, 'string'), {
    ok: false,
    error: 'cannot unmarshal !!map into string',
  });
});

test('decodeScalarInto bool: true/false words, YAML 1.1 words quoted or not (decode.go, spec 1.3)', () => {
  for (const s of ['true', 'True', 'TRUE'])
    assert.deepEqual(decodeScalarInto(plain(s), 'bool'), { ok: true, value: true }, s);
  for (const s of ['false', 'False', 'FALSE'])
    assert.deepEqual(decodeScalarInto(plain(s), 'bool'), { ok: true, value: false }, s);
  for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']) {
    assert.deepEqual(decodeScalarInto(plain(s), 'bool'), { ok: true, value: true }, s);
    assert.deepEqual(decodeScalarInto(quoted(s), 'bool'), { ok: true, value: true }, `"${s}"`);
  }
  for (const s of ['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']) {
    assert.deepEqual(decodeScalarInto(plain(s), 'bool'), { ok: true, value: false }, s);
    assert.deepEqual(decodeScalarInto(quoted(s), 'bool'), { ok: true, value: false }, `"${s}"`);
  }
  assert.deepEqual(decodeScalarInto(quoted('true'), 'bool'), {
    ok: false,
    error: 'cannot unmarshal !!str `true` into bool',
  });
  assert.deepEqual(decodeScalarInto(plain('1'), 'bool'), { ok: false, error: 'cannot unmarshal !!int `1` into bool' });
  assert.deepEqual(decodeScalarInto(plain('other'), 'bool'), {
    ok: false,
    error: 'cannot unmarshal !!str `other` into bool',
  });
  assert.deepEqual(decodeScalarInto(plain('yEs'), 'bool'), {
    ok: false,
    error: 'cannot unmarshal !!str `yEs` into bool',
  });
  assert.deepEqual(decodeScalarInto(plain('~'), 'bool'), { ok: true, value: null });
});

test('decodeScalarInto int: ints, truncated floats; quoted numbers and overflow fail (spec 1.3, decode_test.go)', () => {
  assert.deepEqual(decodeScalarInto(plain('100'), 'int'), { ok: true, value: 100 });
  assert.deepEqual(decodeScalarInto(plain('+685_230'), 'int'), { ok: true, value: 685230 });
  assert.deepEqual(decodeScalarInto(plain('1.0'), 'int'), { ok: true, value: 1 });
  assert.deepEqual(decodeScalarInto(plain('1.5'), 'int'), { ok: true, value: 1 });
  assert.deepEqual(decodeScalarInto(plain('-1.5'), 'int'), { ok: true, value: -1 });
  assert.deepEqual(decodeScalarInto(plain('-2147483648'), 'int'), { ok: true, value: -2147483648 });
  assert.deepEqual(decodeScalarInto(quoted('100'), 'int'), {
    ok: false,
    error: 'cannot unmarshal !!str `100` into int',
  });
  assert.deepEqual(decodeScalarInto(plain('A'), 'int'), { ok: false, error: 'cannot unmarshal !!str `A` into int' });
  assert.deepEqual(decodeScalarInto(plain('true'), 'int'), {
    ok: false,
    error: 'cannot unmarshal !!bool `true` into int',
  });
  assert.deepEqual(decodeScalarInto(plain('9223372036854775808'), 'int'), {
    ok: false,
    error: 'cannot unmarshal !!int `9223372...` into int',
  });
  assert.deepEqual(decodeScalarInto(plain('.nan'), 'int'), {
    ok: false,
    error: 'cannot unmarshal !!float `.nan` into int',
  });
  assert.deepEqual(decodeScalarInto(plain('.inf'), 'int'), {
    ok: false,
    error: 'cannot unmarshal !!float `.inf` into int',
  });
  assert.deepEqual(decodeScalarInto(plain('30s'), 'int'), {
    ok: false,
    error: 'cannot unmarshal !!str `30s` into int',
  });
});

test('decodeScalarInto uint/uint64: no negative ints (spec 1.3, decode_test.go)', () => {
  assert.deepEqual(decodeScalarInto(plain('42'), 'uint'), { ok: true, value: 42 });
  assert.deepEqual(decodeScalarInto(plain('1.0'), 'uint'), { ok: true, value: 1 });
  assert.deepEqual(decodeScalarInto(plain('4294967295'), 'uint'), { ok: true, value: 4294967295 });
  assert.deepEqual(decodeScalarInto(plain('4294967296'), 'uint64'), { ok: true, value: 4294967296 });
  assert.deepEqual(decodeScalarInto(plain('18446744073709551615'), 'uint64'), {
    ok: true,
    value: 18446744073709551615,
  });
  assert.deepEqual(decodeScalarInto(plain('-1'), 'uint'), {
    ok: false,
    error: 'cannot unmarshal !!int `-1` into uint',
  });
  assert.deepEqual(decodeScalarInto(plain('-1'), 'uint64'), {
    ok: false,
    error: 'cannot unmarshal !!int `-1` into uint64',
  });
  assert.deepEqual(decodeScalarInto(plain('-42'), 'uint'), {
    ok: false,
    error: 'cannot unmarshal !!int `-42` into uint',
  });
  assert.deepEqual(decodeScalarInto(plain('-4294967296'), 'uint64'), {
    ok: false,
    error: 'cannot unmarshal !!int `-429496...` into uint64',
  });
  assert.deepEqual(decodeScalarInto(quoted('8080'), 'uint'), {
    ok: false,
    error: 'cannot unmarshal !!str `8080` into uint',
  });
  assert.deepEqual(decodeScalarInto(plain('18446744073709551616'), 'uint64').ok, true); // float64 2^64 <= MaxUint64
  assert.deepEqual(decodeScalarInto(plain('1e20'), 'uint64'), {
    ok: false,
    error: 'cannot unmarshal !!float `1e20` into uint64',
  });
});

test('decodeScalarInto duration: a string for time.ParseDuration, nothing else (configuration.go, spec 1.3)', () => {
  assert.deepEqual(decodeScalarInto(plain('30s'), 'duration'), { ok: true, value: 30e9 });
  assert.deepEqual(decodeScalarInto(plain('1m30s'), 'duration'), { ok: true, value: 90e9 });
  assert.deepEqual(decodeScalarInto(plain('1.5h'), 'duration'), { ok: true, value: 5400e9 });
  assert.deepEqual(decodeScalarInto(plain('-5s'), 'duration'), { ok: true, value: -5e9 });
  assert.deepEqual(decodeScalarInto(quoted('0'), 'duration'), { ok: true, value: 0 });
  assert.deepEqual(decodeScalarInto(quoted('10s'), 'duration'), { ok: true, value: 10e9 });
  assert.deepEqual(decodeScalarInto(plain('3s'), 'duration'), { ok: true, value: 3e9 }); // decode_test.go "a: 3s"
  // A YAML integer, even 0, is refused (decode_test.go TestUnmarshalDurationInt: `123`).
  assert.deepEqual(decodeScalarInto(plain('30'), 'duration'), {
    ok: false,
    error: 'cannot unmarshal !!int `30` into time.Duration',
  });
  assert.deepEqual(decodeScalarInto(plain('0'), 'duration'), {
    ok: false,
    error: 'cannot unmarshal !!int `0` into time.Duration',
  });
  assert.deepEqual(decodeScalarInto(plain('123'), 'duration'), {
    ok: false,
    error: 'cannot unmarshal !!int `123` into time.Duration',
  });
  assert.deepEqual(decodeScalarInto(plain('1.5'), 'duration'), {
    ok: false,
    error: 'cannot unmarshal !!float `1.5` into time.Duration',
  });
  assert.deepEqual(decodeScalarInto(plain('true'), 'duration'), {
    ok: false,
    error: 'cannot unmarshal !!bool `true` into time.Duration',
  });
  // A string ParseDuration refuses gives the same error shape with !!str (not the time: message).
  assert.deepEqual(decodeScalarInto(plain('30 seconds'), 'duration'), {
    ok: false,
    error: 'cannot unmarshal !!str `30 seconds` into time.Duration',
  });
  assert.deepEqual(decodeScalarInto(plain('30 seconds long'), 'duration'), {
    ok: false,
    error: 'cannot unmarshal !!str `30 seco...` into time.Duration',
  });
  assert.deepEqual(decodeScalarInto(quoted('30'), 'duration'), {
    ok: false,
    error: 'cannot unmarshal !!str `30` into time.Duration',
  });
  assert.deepEqual(decodeScalarInto(plain('1d'), 'duration'), {
    ok: false,
    error: 'cannot unmarshal !!str `1d` into time.Duration',
  });
  assert.deepEqual(decodeScalarInto(plain('2015-01-01'), 'duration'), {
    ok: false,
    error: 'cannot unmarshal !!timestamp `2015-01-01` into time.Duration',
  });
  assert.deepEqual(decodeScalarInto(plain(''), 'duration'), { ok: true, value: null });
  assert.deepEqual(decodeScalarInto({ source: '', quoted: false, kind: 'seq' }, 'duration'), {
    ok: false,
    error: 'cannot unmarshal !!seq into time.Duration',
  });
});

test('decodeScalarInto slices: a scalar is refused, a sequence is decoded item by item (spec 8)', () => {
  assert.deepEqual(decodeScalarInto(plain('x'), 'stringSlice'), {
    ok: false,
    error: 'cannot unmarshal !!str `x` into []string',
  });
  assert.deepEqual(decodeScalarInto(plain('80'), 'intSlice'), {
    ok: false,
    error: 'cannot unmarshal !!int `80` into []int',
  });
  assert.deepEqual(decodeScalarInto({ source: '', quoted: false, kind: 'map' }, 'stringSlice'), {
    ok: false,
    error: 'cannot unmarshal !!map into []string',
  });
  assert.deepEqual(decodeScalarInto({ source: '', quoted: false, kind: 'seq' }, 'stringSlice'), {
    ok: true,
    value: undefined,
  });
  assert.equal(sliceElementType('stringSlice'), 'string');
  assert.equal(sliceElementType('intSlice'), 'int');
  assert.equal(sliceElementType('int'), null);
  // decode_test.go: "seq: [A,1,C]" into []string is ["A","1","C"]; into []int only 1 survives.
  const items = ['A', '1', 'C'].map(plain);
  assert.deepEqual(
    items.map((n) => decodeScalarInto(n, 'string')),
    [
      { ok: true, value: 'A' },
      { ok: true, value: '1' },
      { ok: true, value: 'C' },
    ],
  );
  assert.deepEqual(
    items.map((n) => decodeScalarInto(n, 'int').ok),
    [false, true, false],
  );
});

test('terror shortens values longer than 10 bytes to 7 bytes + "..." (decode.go)', () => {
  assert.equal(unmarshalError('!!str', '0123456789', 'int'), 'cannot unmarshal !!str `0123456789` into int');
  assert.equal(unmarshalError('!!str', '0123456789a', 'int'), 'cannot unmarshal !!str `0123456...` into int');
  assert.equal(
    unmarshalError('!!str', 'h\u00e9llo w\u00f6rld', 'bool'),
    'cannot unmarshal !!str `h\u00e9llo ...` into bool',
  );
  const types: GoType[] = ['string', 'bool', 'int', 'uint', 'uint64', 'duration', 'stringSlice', 'intSlice'];
  const names = types.map((t) => decodeScalarInto({ source: '', quoted: false, kind: 'map' }, t));
  assert.deepEqual(
    names.map((r) => (r.ok ? '' : r.error.replace('cannot unmarshal !!map into ', ''))),
    ['string', 'bool', 'int', 'uint', 'uint64', 'time.Duration', '[]string', '[]int'],
  );
  // A plain `<<` is tagged !!merge by yaml.v3's parser.
  assert.deepEqual(decodeScalarInto(plain('<<'), 'int'), {
    ok: false,
    error: 'cannot unmarshal !!merge `<<` into int',
  });
  assert.deepEqual(decodeScalarInto(plain('<<'), 'string'), { ok: true, value: '<<' });
});

test('goTypeName: %T of values decoded into interface{} (spec 2.3)', () => {
  const t = (s: string): string => goTypeName(resolvePlain(s).value);
  assert.equal(t('4'), 'int'); // expected string found int for edge-ip-version
  assert.equal(t('1.5'), 'float64');
  assert.equal(t('1.0'), 'float64');
  assert.equal(t('true'), 'bool');
  assert.equal(t('yes'), 'string');
  assert.equal(t('on'), 'string');
  assert.equal(t(''), '<nil>'); // loglevel:
  assert.equal(t('~'), '<nil>');
  assert.equal(t('.inf'), 'float64');
  assert.equal(t('18446744073709551615'), 'uint64');
  assert.equal(t('2015-01-01'), 'time.Time');
  assert.equal(goTypeName('true'), 'string'); // a quoted "true"
  assert.equal(goTypeName(['a', 1n]), '[]interface {}');
  assert.equal(goTypeName({ KEY1: 'VALUE1' }), 'map[string]interface {}'); // tag: {KEY1=VALUE1, ...}
  assert.equal(goTypeName(new Map([['a', 'b']])), 'map[string]interface {}');
  assert.equal(goTypeName(new Map<unknown, unknown>([[1n, 'd']])), 'map[interface {}]interface {}');
  assert.equal(goTypeName(null), '<nil>');
});
