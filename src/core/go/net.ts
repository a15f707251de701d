/**
 * Ports of a few Go standard-library functions about network addresses, as of Go 1.26:
 *
 * - `net.SplitHostPort` (src/net/ipsock.go),
 * - `net/netip.ParseAddr` (src/net/netip/netip.go), with its exact error texts,
 * - `net.ParseIP` and `net.ParseCIDR` (src/net/ip.go, both built on `netip.ParseAddr`),
 * - `strconv.Quote` (src/strconv/quote.go), which Go uses inside those error texts and in
 *   `net/url` errors.
 *
 * Go strings are byte strings. Where the exact bytes matter (error texts that quote a byte
 * slice, `%`-decoding that can produce invalid UTF-8), the code works on "byte strings": JS
 * strings whose every char code is one byte (0-255) of the UTF-8 encoding. `toByteString` and
 * `fromByteString` convert between the two forms.
 *
 * Pure module: no I/O.
 */

// ---------------------------------------------------------------------------------------------
// UTF-8 byte strings
// ---------------------------------------------------------------------------------------------

/** UTF-8 encodes `s` into a byte string (one char per byte). Lone surrogates become U+FFFD. */
export function toByteString(s: string): string {
  let out = '';
  for (const ch of s) {
    let cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) out += ch;
    else if (cp < 0x800) out += String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) {
      out += String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    } else {
      out += String.fromCharCode(
        0xf0 | (cp >> 18),
        0x80 | ((cp >> 12) & 0x3f),
        0x80 | ((cp >> 6) & 0x3f),
        0x80 | (cp & 0x3f),
      );
    }
  }
  return out;
}

/** True when every char of `s` is ASCII (so its byte string is itself). */
export function isASCII(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

/**
 * Go's `utf8.DecodeRuneInString` on the byte string `b` at `i`: the rune and its width.
 * Invalid or truncated encodings give `{ rune: 0xFFFD, size: 1 }` (Go's `RuneError, 1`).
 */
export function decodeRune(b: string, i: number): { rune: number; size: number } {
  const bad = { rune: 0xfffd, size: 1 };
  const b0 = b.charCodeAt(i);
  if (b0 < 0x80) return { rune: b0, size: 1 };
  const cont = (k: number, lo = 0x80, hi = 0xbf): number => {
    const c = i + k < b.length ? b.charCodeAt(i + k) : -1;
    return c >= lo && c <= hi ? c & 0x3f : -1;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    const c1 = cont(1);
    return c1 < 0 ? bad : { rune: ((b0 & 0x1f) << 6) | c1, size: 2 };
  }
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const c1 = cont(1, b0 === 0xe0 ? 0xa0 : 0x80, b0 === 0xed ? 0x9f : 0xbf);
    const c2 = c1 < 0 ? -1 : cont(2);
    return c2 < 0 ? bad : { rune: ((b0 & 0x0f) << 12) | (c1 << 6) | c2, size: 3 };
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const c1 = cont(1, b0 === 0xf0 ? 0x90 : 0x80, b0 === 0xf4 ? 0x8f : 0xbf);
    const c2 = c1 < 0 ? -1 : cont(2);
    const c3 = c2 < 0 ? -1 : cont(3);
    return c3 < 0 ? bad : { rune: ((b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3, size: 4 };
  }
  return bad;
}

/** Decodes a byte string as UTF-8; each invalid byte becomes U+FFFD (as Go's `range` does). */
export function fromByteString(b: string): string {
  if (isASCII(b)) return b;
  let out = '';
  for (let i = 0; i < b.length;) {
    const { rune, size } = decodeRune(b, i);
    out += String.fromCodePoint(rune);
    i += size;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// strconv.Quote
// ---------------------------------------------------------------------------------------------

const LOWER_HEX = '0123456789abcdef';
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const C_ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v' };

/** Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and ASCII space. */
function isPrint(r: number): boolean {
  if (r < 0x80) return r >= 0x20 && r < 0x7f;
  return PRINTABLE.test(String.fromCodePoint(r));
}

/** Go's `strconv.appendEscapedRune` for a double-quoted, non-ASCII-only string. */
function escapeRune(r: number): string {
  if (r === 0x22 || r === 0x5c) return '\\' + String.fromCharCode(r);
  if (isPrint(r)) return String.fromCodePoint(r);
  const known = C_ESCAPES[r];
  if (known) return known;
  if (r < 0x20 || r === 0x7f) return '\\x' + LOWER_HEX[r >> 4] + LOWER_HEX[r & 0xf];
  if (r < 0x10000) return '\\u' + r.toString(16).padStart(4, '0');
  return '\\U' + r.toString(16).padStart(8, '0');
}

/** Go's `strconv.Quote` applied to a byte string (invalid UTF-8 bytes print as `\xNN`). */
export function quoteBytes(b: string): string {
  let out = '"';
  for (let i = 0; i < b.length;) {
    const { rune, size } = decodeRune(b, i);
    if (size === 1 && rune === 0xfffd) {
      const c = b.charCodeAt(i);
      out += '\\x' + LOWER_HEX[c >> 4] + LOWER_HEX[c & 0xf];
    } else {
      out += escapeRune(rune);
    }
    i += size;
  }
  return out + '"';
}

/** Go's `strconv.Quote(s)` (also what `%q` prints for a string), for a JS string. */
export function goQuote(s: string): string {
  return quoteBytes(toByteString(s));
}

// ---------------------------------------------------------------------------------------------
// net.SplitHostPort
// ---------------------------------------------------------------------------------------------

export type SplitHostPortResult = { ok: true; host: string; port: string } | { ok: false; error: string };

/** Go's `*net.AddrError` text: `address <addr>: <why>`. */
function addrError(addr: string, why: string): SplitHostPortResult {
  return { ok: false, error: addr !== '' ? `address ${addr}: ${why}` : why };
}

/**
 * Go's `net.SplitHostPort`: splits "host:port", "host%zone:port", "[host]:port" or
 * "[host%zone]:port". The port is whatever follows the last colon (not required to be
 * numeric, may be empty). Error texts are Go's `AddrError.Error()`, e.g.
 * `address ::1: too many colons in address`.
 */
export function splitHostPort(hostport: string): SplitHostPortResult {
  const missingPort = 'missing port in address';
  const tooManyColons = 'too many colons in address';
  const i = hostport.lastIndexOf(':');
  if (i < 0) return addrError(hostport, missingPort);

  let host: string;
  let j = 0;
  let k = 0;
  if (hostport[0] === '[') {
    // Expect the first ']' just before the last ':'.
    const end = hostport.indexOf(']');
    if (end < 0) return addrError(hostport, "missing ']' in address");
    if (end + 1 === hostport.length) return addrError(hostport, missingPort);
    if (end + 1 !== i) {
      return addrError(hostport, hostport[end + 1] === ':' ? tooManyColons : missingPort);
    }
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(':')) return addrError(hostport, tooManyColons);
  }
  if (hostport.slice(j).includes('[')) return addrError(hostport, "unexpected '[' in address");
  if (hostport.slice(k).includes(']')) return addrError(hostport, "unexpected ']' in address");
  return { ok: true, host, port: hostport.slice(i + 1) };
}

// ---------------------------------------------------------------------------------------------
// net/netip.ParseAddr
// ---------------------------------------------------------------------------------------------

/** A parsed `netip.Addr`: its 16-byte form (`As16`), whether it is IPv4 (`Is4`), its zone. */
export interface GoAddr {
  bytes: Uint8Array;
  is4: boolean;
  zone: string;
}

export type ParseAddrResult = { ok: true; addr: GoAddr } | { ok: false; error: string };

/** Go's `netip.parseAddrError` text. `input` and `at` are byte strings. */
function parseAddrError(input: string, msg: string, at = ''): { ok: false; error: string } {
  const head = `ParseAddr(${quoteBytes(input)}): ${msg}`;
  return { ok: false, error: at !== '' ? `${head} (at ${quoteBytes(at)})` : head };
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/**
 * Go's `netip.parseIPv4Fields`: parses `input[off:end]` as dotted decimal into `fields`
 * (4 bytes). Leading zeros are rejected. Returns an error text or null.
 */
function parseIPv4Fields(input: string, off: number, end: number, fields: Uint8Array): string | null {
  let val = 0;
  let pos = 0;
  let digLen = 0;
  const s = input.slice(off, end);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) {
      if (digLen === 1 && val === 0) return parseAddrError(input, 'IPv4 field has octet with leading zero').error;
      val = val * 10 + (c - 0x30);
      digLen++;
      if (val > 255) return parseAddrError(input, 'IPv4 field has value >255').error;
    } else if (c === 0x2e /* . */) {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.') {
        return parseAddrError(input, 'IPv4 field must have at least one digit', s.slice(i)).error;
      }
      if (pos === 3) return parseAddrError(input, 'IPv4 address too long').error;
      fields[pos++] = val;
      val = 0;
      digLen = 0;
    } else {
      return parseAddrError(input, 'unexpected character', s.slice(i)).error;
    }
  }
  if (pos < 3) return parseAddrError(input, 'IPv4 address too short').error;
  fields[3] = val;
  return null;
}

/** `netip.AddrFrom4(...).As16()`: the IPv4-mapped 16-byte form. */
function v4InV6(v4: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  out[10] = 0xff;
  out[11] = 0xff;
  out.set(v4, 12);
  return out;
}

function parseIPv4(s: string): ParseAddrResult {
  const fields = new Uint8Array(4);
  const err = parseIPv4Fields(s, 0, s.length, fields);
  if (err !== null) return { ok: false, error: err };
  return { ok: true, addr: { bytes: v4InV6(fields), is4: true, zone: '' } };
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** Go's `netip.parseIPv6` on the byte string `input` ("2001:db8::68", "fe80::1%eth0"). */
function parseIPv6(input: string): ParseAddrResult {
  let s = input;
  let zone = '';
  const pct = s.indexOf('%');
  if (pct !== -1) {
    zone = s.slice(pct + 1);
    s = s.slice(0, pct);
    if (zone === '') return parseAddrError(input, 'zone must be a non-empty string');
  }
  const ip = new Uint8Array(16);
  let ellipsis = -1; // position of ellipsis in ip
  if (s.length >= 2 && s[0] === ':' && s[1] === ':') {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return { ok: true, addr: { bytes: ip, is4: false, zone: fromByteString(zone) } };
  }

  let i = 0;
  while (i < 16) {
    // Hex number.
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      const h = hexValue(s.charCodeAt(off));
      if (h < 0) break;
      acc = acc * 16 + h;
      if (off > 3) return parseAddrError(input, 'each group must have 4 or less digits', s);
      if (acc > 0xffff) return parseAddrError(input, 'IPv6 field has value >=2^16', s);
    }
    if (off === 0) return parseAddrError(input, 'each colon-separated field must have at least one digit', s);

    // If followed by dot, might be in trailing IPv4.
    if (off < s.length && s[off] === '.') {
      if (ellipsis < 0 && i !== 12) {
        return parseAddrError(input, 'embedded IPv4 address must replace the final 2 fields of the address', s);
      }
      if (i + 4 > 16) {
        return parseAddrError(input, 'too many hex fields to fit an embedded IPv4 at the end of the address', s);
      }
      const end = input.length - (zone.length > 0 ? zone.length + 1 : 0);
      const fields = new Uint8Array(4);
      const err = parseIPv4Fields(input, end - s.length, end, fields);
      if (err !== null) return { ok: false, error: err };
      ip.set(fields, i);
      s = '';
      i += 4;
      break;
    }

    // Save this 16-bit chunk.
    ip[i] = acc >> 8;
    ip[i + 1] = acc & 0xff;
    i += 2;

    // Stop at end of string.
    s = s.slice(off);
    if (s.length === 0) break;

    // Otherwise must be followed by colon and more.
    if (s[0] !== ':') return parseAddrError(input, 'unexpected character, want colon', s);
    if (s.length === 1) return parseAddrError(input, 'colon must be followed by more characters', s);
    s = s.slice(1);

    // Look for ellipsis.
    if (s[0] === ':') {
      if (ellipsis >= 0) return parseAddrError(input, 'multiple :: in address', s);
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break; // can be at end
    }
  }

  // Must have used entire string.
  if (s.length !== 0) return parseAddrError(input, 'trailing garbage after address', s);

  // If didn't parse enough, expand ellipsis.
  if (i < 16) {
    if (ellipsis < 0) return parseAddrError(input, 'address string too short');
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j]!;
    ip.fill(0, ellipsis, ellipsis + n);
  } else if (ellipsis >= 0) {
    // Ellipsis must represent at least one 0 group.
    return parseAddrError(input, 'the :: must expand to at least one field of zeros');
  }
  return { ok: true, addr: { bytes: ip, is4: false, zone: fromByteString(zone) } };
}

/**
 * Go's `netip.ParseAddr`: dotted decimal IPv4 ("192.0.2.1", no leading zeros), IPv6
 * ("2001:db8::68", "::ffff:1.2.3.4") or IPv6 with a zone ("fe80::1%eth0"). Error texts are
 * Go's, e.g. `ParseAddr("1.2.3"): IPv4 address too short`.
 */
export function parseAddr(s: string): ParseAddrResult {
  const b = toByteString(s);
  for (let i = 0; i < b.length; i++) {
    switch (b[i]) {
      case '.':
        return parseIPv4(b);
      case ':':
        return parseIPv6(b);
      case '%':
        // Assume that this was trying to be an IPv6 address with a zone specifier, but the
        // address is missing.
        return parseAddrError(b, 'missing IPv6 address');
    }
  }
  return parseAddrError(b, 'unable to parse IP');
}

// ---------------------------------------------------------------------------------------------
// net.ParseIP / net.ParseCIDR
// ---------------------------------------------------------------------------------------------

/**
 * Go's `net.ParseIP`: the 16-byte form of an IPv4 (IPv4-mapped) or IPv6 address, or null.
 * Zones are rejected, and so are IPv4 fields with leading zeros ("127.001.0.1").
 */
export function parseIP(s: string): Uint8Array | null {
  const r = parseAddr(s);
  if (!r.ok || r.addr.zone !== '') return null;
  return r.addr.bytes;
}

/** True when Go's `net.ParseIP(s)` is not nil. */
export function isIP(s: string): boolean {
  return parseIP(s) !== null;
}

/** Go's `net.dtoi`: leading decimal number, stopping at 0xFFFFFF. */
function dtoi(s: string): { n: number; i: number; ok: boolean } {
  const big = 0xffffff;
  let n = 0;
  let i = 0;
  for (; i < s.length && isDigit(s.charCodeAt(i)); i++) {
    n = n * 10 + (s.charCodeAt(i) - 0x30);
    if (n >= big) return { n: big, i, ok: false };
  }
  if (i === 0) return { n: 0, i: 0, ok: false };
  return { n, i, ok: true };
}

export type ParseCIDRResult =
  { ok: true; ip: Uint8Array; prefixLength: number; bits: 32 | 128 } | { ok: false; error: string };

/**
 * Go's `net.ParseCIDR` ("192.0.2.0/24", "2001:db8::/32"). `ip` is the address as written, in
 * Go's 16-byte form; `bits` is 32 for IPv4 and 128 for IPv6. The error text is Go's
 * `invalid CIDR address: <s>`; a bare IP (no `/`) is an error.
 */
export function parseCIDR(s: string): ParseCIDRResult {
  const fail: ParseCIDRResult = { ok: false, error: `invalid CIDR address: ${s}` };
  const slash = s.indexOf('/');
  if (slash < 0) return fail;
  const addr = parseAddr(s.slice(0, slash));
  if (!addr.ok || addr.addr.zone !== '') return fail;
  const mask = s.slice(slash + 1);
  const bits = addr.addr.is4 ? 32 : 128;
  const { n, i, ok } = dtoi(mask);
  if (!ok || i !== mask.length || n < 0 || n > bits) return fail;
  return { ok: true, ip: addr.addr.bytes, prefixLength: n, bits };
}
