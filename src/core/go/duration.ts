/**
 * Go's `time.ParseDuration` (src/time/format.go), ported line for line.
 *
 * cloudflared decodes every YAML duration (`originRequest.connectTimeout`, `grace-period`, ...)
 * with it, so the accepted syntax and the error texts must be Go's exactly:
 *   - `time: invalid duration "abc"`
 *   - `time: missing unit in duration "30"`
 *   - `time: unknown unit "x" in duration "30x"`
 * Strings are quoted with the time package's own `quote` (not strconv.Quote): `"` and `\` are
 * backslash-escaped, and every byte of a non-ASCII or control character is written `\xNN`.
 *
 * Arithmetic is done on BigInt, exactly like Go's uint64 (overflow checks included); the
 * fraction uses float64 exactly as Go does. `nanos` is that int64 converted to a JS number, so it
 * is exact up to 2^53 ns (about 104 days) and the nearest double beyond; `exact` keeps the int64.
 */

export type DurationResult = { ok: true; nanos: number; exact: bigint } | { ok: false; error: string };

const UNIT_NANOS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n], // U+00B5 micro sign
  ['\u03bcs', 1_000n], // U+03BC Greek small letter mu
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

const TWO_63 = 1n << 63n;

/** Parses a duration string such as `300ms`, `-1.5h` or `2h45m` the way Go does. */
export function parseDuration(s: string): DurationResult {
  const orig = s;
  const invalid = (): DurationResult => ({ ok: false, error: 'time: invalid duration ' + goTimeQuote(orig) });
  let d = 0n;
  let neg = false;

  // Consume [-+]?
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  // Special case: if all that is left is "0", this is zero.
  if (s === '0') return { ok: true, nanos: 0, exact: 0n };
  if (s === '') return invalid();

  while (s !== '') {
    // The next character must be [0-9.]
    if (!(s[0] === '.' || isDigit(s[0]!))) return invalid();

    // Consume [0-9]*
    const lead = leadingInt(s);
    if (lead === null) return invalid();
    const pre = lead.rest.length !== s.length;
    let v = lead.value;
    s = lead.rest;

    // Consume (\.[0-9]*)?
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s !== '' && s[0] === '.') {
      s = s.slice(1);
      const frac = leadingFraction(s);
      post = frac.rest.length !== s.length;
      f = frac.value;
      scale = frac.scale;
      s = frac.rest;
    }
    if (!pre && !post) return invalid(); // no digits (e.g. ".s" or "-.s")

    // Consume unit.
    let i = 0;
    while (i < s.length && !(s[i] === '.' || isDigit(s[i]!))) i++;
    if (i === 0) return { ok: false, error: 'time: missing unit in duration ' + goTimeQuote(orig) };
    const u = s.slice(0, i);
    s = s.slice(i);
    const unit = UNIT_NANOS.get(u);
    if (unit === undefined) {
      return { ok: false, error: 'time: unknown unit ' + goTimeQuote(u) + ' in duration ' + goTimeQuote(orig) };
    }
    if (v > TWO_63 / unit) return invalid(); // overflow
    v *= unit;
    if (f > 0n) {
      // float64 is needed to be nanosecond accurate for fractions of hours (as in Go).
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > TWO_63) return invalid();
    }
    d += v;
    if (d > TWO_63) return invalid();
  }
  if (neg) {
    const exact = -d;
    return { ok: true, nanos: Number(exact), exact };
  }
  if (d > TWO_63 - 1n) return invalid();
  return { ok: true, nanos: Number(d), exact: d };
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** Go's leadingInt: consumes [0-9]*, failing (null) past 1<<63. */
function leadingInt(s: string): { value: bigint; rest: string } | null {
  let x = 0n;
  let i = 0;
  for (; i < s.length && isDigit(s[i]!); i++) {
    if (x > TWO_63 / 10n) return null;
    x = x * 10n + BigInt(s.charCodeAt(i) - 48);
    if (x > TWO_63) return null;
  }
  return { value: x, rest: s.slice(i) };
}

/** Go's leadingFraction: consumes [0-9]*, silently dropping precision once it would overflow. */
function leadingFraction(s: string): { value: bigint; scale: number; rest: string } {
  let x = 0n;
  let scale = 1;
  let overflow = false;
  let i = 0;
  for (; i < s.length && isDigit(s[i]!); i++) {
    if (overflow) continue;
    if (x > (TWO_63 - 1n) / 10n) {
      overflow = true;
      continue;
    }
    const y = x * 10n + BigInt(s.charCodeAt(i) - 48);
    if (y > TWO_63) {
      overflow = true;
      continue;
    }
    x = y;
    scale *= 10;
  }
  return { value: x, scale, rest: s.slice(i) };
}

/**
 * The time package's `quote` (format.go): wraps in double quotes, escapes `"` and `\`, and writes
 * each UTF-8 byte of a non-ASCII or control character as `\xNN` (lower-case hex).
 */
export function goTimeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x80 || c < 0x20) {
      for (const b of new TextEncoder().encode(ch)) out += '\\x' + b.toString(16).padStart(2, '0');
    } else {
      if (ch === '"' || ch === '\\') out += '\\';
      out += ch;
    }
  }
  return out + '"';
}
