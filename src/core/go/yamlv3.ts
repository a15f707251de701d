/**
 * gopkg.in/yaml.v3 (v3.0.1) scalar semantics, as cloudflared's config decoding sees them.
 *
 * - `resolvePlain`: yaml.v3's `resolve("", text)` (resolve.go) for a plain scalar: which of
 *   !!null, !!bool, !!int, !!float, !!timestamp or !!str it is, and its value. Quoted and block
 *   scalars are always !!str (`indicatedString` in yaml.go).
 * - `decodeScalarInto`: `(*decoder).scalar` (decode.go) for the Go field types cloudflared uses,
 *   with the type error yaml.v3 records (`cannot unmarshal !!int \`30\` into time.Duration`),
 *   without its `line N: ` prefix.
 * - `goTypeName`: `fmt.Sprintf("%T", v)` of a value yaml.v3 decoded into interface{}.
 *
 * Value representation (so that Go's int and float64 stay distinguishable):
 *   !!null -> null, !!bool -> boolean, !!int -> bigint (exact int64 or uint64), !!float -> number,
 *   !!timestamp -> Date (UTC instant; sub-millisecond digits dropped), !!str -> string.
 */
import { parseDuration } from './duration';

export type ScalarTag = '!!null' | '!!bool' | '!!int' | '!!float' | '!!str' | '!!timestamp';

export interface Resolved {
  tag: ScalarTag;
  value: unknown;
}

/** Go field types of cloudflared's config structs. */
export type GoType = 'string' | 'bool' | 'int' | 'uint' | 'uint64' | 'duration' | 'stringSlice' | 'intSlice';

/** A YAML node as decodeScalarInto needs it. */
export interface NodeLike {
  /** The scalar's value as yaml.v3 sees it (after unescaping/folding); ignored for seq/map. */
  source: string;
  /** Quoted ('…', "…") or block (|, >) scalar: yaml.v3 never resolves those, they are !!str. */
  quoted: boolean;
  kind: 'scalar' | 'seq' | 'map';
}

export type DecodeResult = { ok: true; value: unknown } | { ok: false; error: string };

const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64 = -(1n << 63n);
const MAX_UINT64 = (1n << 64n) - 1n;
const TWO_63 = 2 ** 63; // float64(math.MaxInt64) rounds to this
const TWO_64 = 2 ** 64; // float64(math.MaxUint64) rounds to this

// ---------------------------------------------------------------------------------------------
// resolve.go

/** Exact-match plain scalars (yaml.v3's resolveMap; `<<` is only reached by the parser). */
const RESOLVE_MAP: ReadonlyMap<string, Resolved> = new Map<string, Resolved>([
  ...['true', 'True', 'TRUE'].map((s): [string, Resolved] => [s, { tag: '!!bool', value: true }]),
  ...['false', 'False', 'FALSE'].map((s): [string, Resolved] => [s, { tag: '!!bool', value: false }]),
  ...['', '~', 'null', 'Null', 'NULL'].map((s): [string, Resolved] => [s, { tag: '!!null', value: null }]),
  ...['.nan', '.NaN', '.NAN'].map((s): [string, Resolved] => [s, { tag: '!!float', value: NaN }]),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((s): [string, Resolved] => [
    s,
    { tag: '!!float', value: Infinity },
  ]),
  ...['-.inf', '-.Inf', '-.INF'].map((s): [string, Resolved] => [s, { tag: '!!float', value: -Infinity }]),
]);

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/**
 * yaml.v3's resolve() for an untagged plain scalar. The first character decides what is tried:
 * a sign or digit (timestamp, int, float), a `.` (float), one of `yYnNtTfFoO~` (the fixed words
 * above only: `yes`, `on`, `y` stay strings), anything else is a string.
 */
export function resolvePlain(text: string): Resolved {
  const hint = text === '' ? 'N' : resolveHint(text[0]!);
  if (hint === null) return { tag: '!!str', value: text };
  const fixed = RESOLVE_MAP.get(text);
  if (fixed) return fixed;
  if (hint === '.') {
    const f = goParseFloat(text);
    if (f !== null) return { tag: '!!float', value: f };
  } else if (hint === 'D' || hint === 'S') {
    const number = resolveNumber(text);
    if (number) return number;
  }
  return { tag: '!!str', value: text };
}

/** yaml.v3's resolveTable: S(ign), D(igit), M(ap word), '.', or null for plain strings. */
function resolveHint(c: string): 'S' | 'D' | 'M' | '.' | 'N' | null {
  if (c === '+' || c === '-') return 'S';
  if (c >= '0' && c <= '9') return 'D';
  if ('yYnNtTfFoO~'.includes(c)) return 'M';
  if (c === '.') return '.';
  return null;
}

/** The 'D'/'S' branch of resolve(): timestamp, int (any base), uint64, float, 0b/0o oddities. */
function resolveNumber(text: string): Resolved | null {
  const time = parseTimestamp(text);
  if (time) return { tag: '!!timestamp', value: time };

  const plain = text.replaceAll('_', '');
  const asInt = goParseInt(plain, 0);
  if (asInt !== null) return { tag: '!!int', value: asInt };
  const asUint = goParseUint(plain, 0);
  if (asUint !== null) return { tag: '!!int', value: asUint };
  if (YAML_STYLE_FLOAT.test(plain)) {
    const f = goParseFloat(plain);
    if (f !== null) return { tag: '!!float', value: f };
  }
  // Explicit-base retries; as in yaml.v3 the digits after the prefix may carry their own sign.
  for (const [prefix, base] of [
    ['0b', 2],
    ['0o', 8],
  ] as const) {
    if (plain.startsWith(prefix)) {
      const v = goParseInt(plain.slice(2), base) ?? goParseUint(plain.slice(2), base);
      if (v !== null) return { tag: '!!int', value: v };
    } else if (plain.startsWith('-' + prefix)) {
      const v = goParseInt('-' + plain.slice(3), base);
      if (v !== null) return { tag: '!!int', value: v };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// strconv

/** strconv.ParseUint(s, base, 64) (s without underscores); null on syntax or range error. */
function goParseUint(s: string, base: number): bigint | null {
  if (s === '') return null;
  if (base === 0) {
    base = 10;
    if (s[0] === '0') {
      const p = s.length >= 3 ? s[1]!.toLowerCase() : '';
      if (p === 'b' || p === 'o' || p === 'x') {
        base = p === 'b' ? 2 : p === 'o' ? 8 : 16;
        s = s.slice(2);
      } else {
        base = 8;
        s = s.slice(1);
      }
    }
  }
  let n = 0n;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const lower = c | 0x20; // Go's lower(): only meaningful for ASCII letters
    let d: number;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if (c < 0x80 && lower >= 0x61 && lower <= 0x7a) d = lower - 0x61 + 10;
    else return null;
    if (d >= base) return null;
    n = n * BigInt(base) + BigInt(d);
    if (n > MAX_UINT64) return null;
  }
  return n;
}

/** strconv.ParseInt(s, base, 64); null on syntax or range error. */
function goParseInt(s: string, base: number): bigint | null {
  if (s === '') return null;
  let neg = false;
  if (s[0] === '+') s = s.slice(1);
  else if (s[0] === '-') {
    neg = true;
    s = s.slice(1);
  }
  const un = goParseUint(s, base);
  if (un === null) return null;
  if (!neg && un > MAX_INT64) return null;
  if (neg && un > -MIN_INT64) return null;
  return neg ? -un : un;
}

/**
 * strconv.ParseFloat(s, 64) for the decimal forms resolve() passes it (a leading `.`, or text
 * matching yamlStyleFloat): digits with one optional `.`, an optional exponent, underscores only
 * between digits. null on a syntax error or overflow (Go returns ±Inf with ErrRange).
 */
function goParseFloat(s: string): number | null {
  if (!/^[+-]?[0-9_]*(\.[0-9_]*)?([eE][+-]?[0-9][0-9_]*)?$/.test(s)) return null;
  const mantissa = s.replace(/[eE].*$/, '');
  if (!/[0-9]/.test(mantissa)) return null;
  if (s.includes('_') && !underscoreOK(s)) return null;
  const f = Number(s.replaceAll('_', ''));
  return Number.isFinite(f) ? f : null;
}

/** strconv's underscoreOK (decimal case): `_` only between digits. */
function underscoreOK(s: string): boolean {
  let saw = '^';
  if (s[0] === '+' || s[0] === '-') s = s.slice(1);
  for (const c of s) {
    if (c >= '0' && c <= '9') {
      saw = '0';
    } else if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
    } else {
      if (saw === '_') return false;
      saw = '!';
    }
  }
  return saw !== '_';
}

// ---------------------------------------------------------------------------------------------
// Timestamps: yaml.v3's parseTimestamp over Go's time.Parse with its four layouts.

type Field = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'frac' | 'zone';
type LayoutPart = Field | { literal: string };

const DATE: LayoutPart[] = ['year', { literal: '-' }, 'month', { literal: '-' }, 'day'];
const CLOCK: LayoutPart[] = ['hour', { literal: ':' }, 'minute', { literal: ':' }, 'second', 'frac'];

/** "2006-1-2T15:4:5.999999999Z07:00", "2006-1-2t15:4:5.999999999Z07:00", "2006-1-2 15:4:5.999999999", "2006-1-2". */
const TIMESTAMP_LAYOUTS: LayoutPart[][] = [
  [...DATE, { literal: 'T' }, ...CLOCK, 'zone'],
  [...DATE, { literal: 't' }, ...CLOCK, 'zone'],
  [...DATE, { literal: ' ' }, ...CLOCK],
  DATE,
];

/** yaml.v3's parseTimestamp: only values starting with exactly four digits and `-` are tried. */
function parseTimestamp(s: string): Date | null {
  if (!/^[0-9]{4}-/.test(s)) return null;
  for (const layout of TIMESTAMP_LAYOUTS) {
    const t = parseTimeLayout(layout, s);
    if (t) return t;
  }
  return null;
}

/** Go's time.Parse restricted to the layout elements yaml.v3 uses (in UTC unless a zone is given). */
function parseTimeLayout(layout: LayoutPart[], value: string): Date | null {
  const f = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, nanos: 0, offset: 0 };
  let v = value;
  for (const part of layout) {
    if (typeof part === 'object') {
      const rest = skipLiteral(v, part.literal);
      if (rest === null) return null;
      v = rest;
      continue;
    }
    const r = parseTimeField(part, v, f);
    if (r === null) return null;
    v = r;
  }
  if (v !== '') return null; // extra text
  if (f.day < 1 || f.day > daysIn(f.month, f.year)) return null;
  const d = new Date(0);
  d.setUTCFullYear(f.year, f.month - 1, f.day);
  d.setUTCHours(f.hour, f.minute, f.second, Math.trunc(f.nanos / 1e6));
  return new Date(d.getTime() - f.offset * 1000);
}

/** Go's skip(): literal text must match, and a space in the layout matches any run of spaces. */
function skipLiteral(value: string, prefix: string): string | null {
  while (prefix !== '') {
    if (prefix[0] === ' ') {
      if (value !== '' && value[0] !== ' ') return null;
      prefix = prefix.replace(/^ +/, '');
      value = value.replace(/^ +/, '');
      continue;
    }
    if (value === '' || value[0] !== prefix[0]) return null;
    prefix = prefix.slice(1);
    value = value.slice(1);
  }
  return value;
}

/** One layout element of time.Parse; returns the rest of the value or null (bad value or range). */
function parseTimeField(
  field: Field,
  v: string,
  f: {
    year: number;
    month: number;
    day: number;
    hour: number;
    minute: number;
    second: number;
    nanos: number;
    offset: number;
  },
): string | null {
  switch (field) {
    case 'year': {
      if (!/^[0-9]{4}/.test(v)) return null;
      f.year = Number(v.slice(0, 4));
      return v.slice(4);
    }
    case 'frac': {
      // stdFracSecond9: optional; a comma or period followed by any number of digits.
      const m = /^[.,]([0-9]+)/.exec(v);
      if (!m) return v;
      f.nanos = Number(m[1]!.slice(0, 9).padEnd(9, '0'));
      return v.slice(m[0].length);
    }
    case 'zone':
      return parseZone(v, f);
  }
  // getnum(value, false): one or two digits, then the range check Go makes for the element.
  const m = /^[0-9]{1,2}/.exec(v);
  if (!m) return null;
  const n = Number(m[0]);
  const limits: Record<string, [number, number]> = {
    month: [1, 12],
    day: [0, 99],
    hour: [0, 23],
    minute: [0, 59],
    second: [0, 59],
  };
  const [lo, hi] = limits[field]!;
  if (n < lo || n > hi) return null;
  f[field as 'month' | 'day' | 'hour' | 'minute' | 'second'] = n;
  return v.slice(m[0].length);
}

/** stdISO8601ColonTZ (`Z07:00`): `Z`, or a sign, two-digit hours, `:`, two-digit minutes. */
function parseZone(v: string, f: { offset: number }): string | null {
  if (v.startsWith('Z')) return v.slice(1);
  const m = /^([+-])([0-9]{2}):([0-9]{2})/.exec(v);
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  if (hours > 24 || minutes > 60) return null;
  f.offset = (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes) * 60;
  return v.slice(6);
}

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// ---------------------------------------------------------------------------------------------
// decode.go

/** Go's name of a field type, as yaml.v3 prints it after `into`. */
export function goTypeString(type: GoType): string {
  const names: Record<GoType, string> = {
    string: 'string',
    bool: 'bool',
    int: 'int',
    uint: 'uint',
    uint64: 'uint64',
    duration: 'time.Duration',
    stringSlice: '[]string',
    intSlice: '[]int',
  };
  return names[type];
}

/** The element type of a slice type (for decoding a sequence item by item), else null. */
export function sliceElementType(type: GoType): GoType | null {
  return type === 'stringSlice' ? 'string' : type === 'intSlice' ? 'int' : null;
}

/**
 * yaml.v3's decoding of one node into a field of the given Go type. Scalars are fully handled;
 * a map never fits these types; a sequence fits only a slice type, and is then accepted with an
 * undefined value: decode its items one by one with `sliceElementType(type)` (yaml.v3 reports
 * each bad item on its own line and silently drops items that fail or are null).
 * A null scalar (`~`, `null`, empty) leaves the zero value: ok with value null.
 * Errors are yaml.v3's text without the `line N: ` prefix.
 */
export function decodeScalarInto(node: NodeLike, type: GoType): DecodeResult {
  const into = goTypeString(type);
  if (node.kind === 'map') return { ok: false, error: `cannot unmarshal !!map into ${into}` };
  if (node.kind === 'seq') {
    return sliceElementType(type)
      ? { ok: true, value: undefined }
      : { ok: false, error: `cannot unmarshal !!seq into ${into}` };
  }
  // A plain `<<` is tagged !!merge by the parser and stays a string.
  const merge = !node.quoted && node.source === '<<';
  const { tag, value } =
    node.quoted || merge ? { tag: '!!str' as const, value: node.source } : resolvePlain(node.source);
  if (tag === '!!null') return { ok: true, value: null };
  const decoded = decodeResolved(node.source, tag, value, type);
  if (decoded !== undefined) return { ok: true, value: decoded };
  return { ok: false, error: unmarshalError(merge ? '!!merge' : tag, node.source, into) };
}

/** The switch on out.Kind() in (*decoder).scalar; undefined when yaml.v3 records a type error. */
function decodeResolved(source: string, tag: ScalarTag, value: unknown, type: GoType): unknown {
  switch (type) {
    case 'string':
      return source; // any scalar: its text as written
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (tag === '!!str' && typeof value === 'string') return YAML11_BOOLS.get(value);
      return undefined;
    case 'int':
      return decodeInt(value);
    case 'uint':
    case 'uint64':
      return decodeUint(value);
    case 'duration': {
      // cloudflared's CustomDuration unmarshals into time.Duration: yaml.v3 refuses every
      // non-string and passes strings to time.ParseDuration; both failures read the same.
      if (typeof value !== 'string') return undefined;
      const d = parseDuration(value);
      return d.ok ? d.nanos : undefined;
    }
    case 'stringSlice':
    case 'intSlice':
      return undefined;
  }
}

/** YAML 1.1 booleans that yaml.v3 still accepts into a Go bool (decode.go), quoted or not. */
const YAML11_BOOLS: ReadonlyMap<string, boolean> = new Map([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON'].map((s): [string, boolean] => [s, true]),
  ...['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF'].map((s): [string, boolean] => [s, false]),
]);

/**
 * Into a Go int (64-bit): ints that fit, and floats <= MaxInt64 truncated toward zero. Go's
 * float-to-int conversion of out-of-range values is left to the hardware; this follows amd64
 * (MinInt64), e.g. for `-.inf`. Result as a JS number (exact up to 2^53).
 */
function decodeInt(value: unknown): number | undefined {
  if (typeof value === 'bigint') return value <= MAX_INT64 ? Number(value) : undefined;
  if (typeof value === 'number') {
    if (!(value <= TWO_63)) return undefined; // NaN and > MaxInt64 fail
    return Number(amd64FloatToInt64(value));
  }
  return undefined;
}

/**
 * Into a Go uint/uint64: non-negative ints, and floats <= MaxUint64 converted the amd64 way
 * (a negative float such as -1.5 wraps to 2^64-1 and is accepted, as in Go on amd64).
 */
function decodeUint(value: unknown): number | undefined {
  if (typeof value === 'bigint') return value >= 0n ? Number(value) : undefined;
  if (typeof value === 'number') {
    if (!(value <= TWO_64)) return undefined;
    if (value < TWO_63) return Number(BigInt.asUintN(64, amd64FloatToInt64(value)));
    return Number(BigInt.asUintN(64, amd64FloatToInt64(value - TWO_63)) | (1n << 63n));
  }
  return undefined;
}

/** CVTTSD2SQ: truncation, and MinInt64 for NaN or anything outside the int64 range. */
function amd64FloatToInt64(f: number): bigint {
  if (Number.isNaN(f) || f >= TWO_63 || f < -TWO_63) return MIN_INT64;
  return BigInt(Math.trunc(f));
}

/**
 * `(*decoder).terror`: `cannot unmarshal <tag> \`<value>\` into <type>`, the value cut to its
 * first 7 bytes plus `...` when longer than 10 bytes (a UTF-8 sequence cut in two shows as U+FFFD).
 */
export function unmarshalError(tag: string, value: string, into: string): string {
  const bytes = new TextEncoder().encode(value);
  const shown = bytes.length > 10 ? new TextDecoder().decode(bytes.slice(0, 7)) + '...' : value;
  return `cannot unmarshal ${tag} \`${shown}\` into ${into}`;
}

// ---------------------------------------------------------------------------------------------
// %T

/**
 * Go's `%T` of a value yaml.v3 decoded into interface{}, given in this module's representation:
 * null -> `<nil>`, boolean -> `bool`, string -> `string`, bigint -> `int` (or `uint64` above
 * MaxInt64), number -> `float64`, Date -> `time.Time`, array -> `[]interface {}`, object ->
 * `map[string]interface {}`, and a Map with any non-string key -> `map[interface {}]interface {}`.
 */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'bigint':
      return v > MAX_INT64 ? 'uint64' : 'int';
    case 'number':
      return 'float64';
  }
  if (v instanceof Date) return 'time.Time';
  if (Array.isArray(v)) return '[]interface {}';
  if (v instanceof Map && [...v.keys()].some((k) => typeof k !== 'string')) return 'map[interface {}]interface {}';
  return 'map[string]interface {}';
}
