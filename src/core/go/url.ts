/**
 * Go's `net/url.Parse`, `URL.Hostname`, `URL.Port` and `URL.String`, ported from Go 1.26
 * (src/net/url/url.go) for a module that declares `go 1.26`, so with the GODEBUG default
 * `urlstrictcolons=1`:
 *
 * - a host (outside brackets) with more than one colon is rejected:
 *   `parse "http://localhost:80:80": invalid port ":80:80" after host`;
 * - a `[` anywhere but at the start of the host is `invalid IP-literal`;
 * - brackets must hold an IPv6 address (checked with `netip.ParseAddr`; an IPv4 address in
 *   brackets is `invalid IP-literal`, anything else `invalid host: ParseAddr(...): ...`).
 *
 * Go 1.26.0 applied the colon rule to every scheme; a later change (golang/go#78077) limits it
 * to http and https and lets other schemes take the last colon as the port separator, as Go
 * did before 1.26. Which of the two the 1.26.x that builds cloudflared has is not settled here;
 * the default is the Go 1.26.0 rule, `ParseURLOptions.strictColons` selects the other one.
 * `URL.String` is the Go 1.26.0 one, without the later golang/go#78328 hardening that escapes
 * the leading "//" of a path when there is no authority (`http:/%2F/x<`, say).
 *
 * Go strings are bytes: parsing works on the UTF-8 bytes of the input (see `toByteString` in
 * ./net), so error texts quote exactly what Go quotes. Fields of the result are decoded back to
 * JS strings (a `%`-escape that makes invalid UTF-8 shows as U+FFFD there).
 *
 * Pure module: no I/O.
 */

import { fromByteString, parseAddr, quoteBytes, toByteString } from './net';

/** Go's `url.URL`, with strings decoded from UTF-8. */
export interface GoURL {
  /** Lower-cased scheme, without ':'. */
  scheme: string;
  /** Encoded opaque data (`scheme:opaque`, when no '/' follows the scheme). */
  opaque: string;
  /**
   * Userinfo as Go's `Userinfo.String()` prints it (`username[:password]`, escaped), or null
   * when the URL has no '@' in its authority.
   */
  user: string | null;
  /** Host or host:port, `%`-decoded (`[fe80::1%en0]:8080`). */
  host: string;
  /** Decoded path. */
  path: string;
  /** Encoded path hint, set only when it differs from the default encoding of `path`. */
  rawPath: string;
  /** The URL had a '?' with an empty query. */
  forceQuery: boolean;
  /** Encoded query, without '?'. */
  rawQuery: string;
  /** Decoded fragment, without '#'. */
  fragment: string;
  /** Encoded fragment hint, set only when it differs from the default encoding of `fragment`. */
  rawFragment: string;
  /** Go's `OmitHost`: the URL had a scheme and a path but no authority (`http:/x`). */
  omitHost?: boolean;
}

export type ParseURLResult = { ok: true; url: GoURL } | { ok: false; error: string };

export interface ParseURLOptions {
  /**
   * Which schemes reject a host with more than one colon outside brackets. `all` (default) is
   * Go 1.26.0; `http` is the later rule (golang/go#78077) where only http and https do and other
   * schemes split the port at the last colon.
   */
  strictColons?: 'all' | 'http';
}

// ---------------------------------------------------------------------------------------------
// Escaping (url.go: shouldEscape, unescape, escape)
// ---------------------------------------------------------------------------------------------

const enum Mode {
  Path = 1,
  PathSegment,
  Host,
  Zone,
  UserPassword,
  QueryComponent,
  Fragment,
}

/** A Go error, carried as its `Error()` text. */
type Result<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = <T>(error: string): Result<T> => ({ ok: false, error });

const UPPER_HEX = '0123456789ABCDEF';

function isAlnum(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

function unhex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return c - 0x41 + 10;
}

/** Go's `shouldEscape`: whether byte `c` must be `%`-escaped in the given part of a URL. */
function shouldEscape(c: number, mode: Mode): boolean {
  // §2.3 Unreserved characters (alphanum)
  if (isAlnum(c)) return false;
  const ch = String.fromCharCode(c);
  if (mode === Mode.Host || mode === Mode.Zone) {
    // §3.2.2 sub-delims, plus ':' (port), '[' ']' (IPv6) and '<' '>' '"' (see Go's comment).
    if ('!$&\'()*+,;=:[]<>"'.includes(ch)) return false;
  }
  if ('-_.~'.includes(ch)) return false; // §2.3 Unreserved characters (mark)
  if ('$&+,/:;=?@'.includes(ch)) {
    // §2.2 Reserved characters
    switch (mode) {
      case Mode.Path:
        return ch === '?';
      case Mode.PathSegment:
        return ch === '/' || ch === ';' || ch === ',' || ch === '?';
      case Mode.UserPassword:
        return ch === '@' || ch === '/' || ch === '?' || ch === ':';
      case Mode.QueryComponent:
        return true;
      case Mode.Fragment:
        return false;
      default:
        break;
    }
  }
  if (mode === Mode.Fragment && '!()*'.includes(ch)) return false;
  // Everything else must be escaped.
  return true;
}

/** Go's `EscapeError` text; `s` is a byte string. */
const escapeError = (s: string): string => `invalid URL escape ${quoteBytes(s)}`;

/** Go's `InvalidHostError` text; `s` is a byte string. */
const invalidHostError = (s: string): string => `invalid character ${quoteBytes(s)} in host name`;

/** Go's `unescape` on a byte string: `%`-decodes it, validating per mode. */
function unescape(s: string, mode: Mode): Result<string> {
  let n = 0;
  let hasPlus = false;
  for (let i = 0; i < s.length;) {
    const c = s.charCodeAt(i);
    if (c === 0x25 /* % */) {
      n++;
      if (i + 2 >= s.length || !isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) {
        return fail(escapeError(s.slice(i, i + 3)));
      }
      // In the host, %-encoding can only be used for non-ASCII bytes (RFC 3986), except %25
      // which introduces an IPv6 zone (RFC 6874).
      const esc = s.slice(i, i + 3);
      if (mode === Mode.Host && unhex(s.charCodeAt(i + 1)) < 8 && esc !== '%25') return fail(escapeError(esc));
      if (mode === Mode.Zone) {
        const v = (unhex(s.charCodeAt(i + 1)) << 4) | unhex(s.charCodeAt(i + 2));
        if (esc !== '%25' && v !== 0x20 && shouldEscape(v, Mode.Host)) return fail(escapeError(esc));
      }
      i += 3;
    } else if (c === 0x2b /* + */) {
      hasPlus = mode === Mode.QueryComponent;
      i++;
    } else {
      if ((mode === Mode.Host || mode === Mode.Zone) && c < 0x80 && shouldEscape(c, mode)) {
        return fail(invalidHostError(s[i]!));
      }
      i++;
    }
  }
  if (n === 0 && !hasPlus) return ok(s);

  let t = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      t += String.fromCharCode((unhex(s.charCodeAt(i + 1)) << 4) | unhex(s.charCodeAt(i + 2)));
      i += 2;
    } else if (c === 0x2b) {
      t += mode === Mode.QueryComponent ? ' ' : '+';
    } else {
      t += s[i];
    }
  }
  return ok(t);
}

/** Go's `escape` on a byte string. */
function escape(s: string, mode: Mode): string {
  let t = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20 && mode === Mode.QueryComponent) t += '+';
    else if (shouldEscape(c, mode)) t += '%' + UPPER_HEX[c >> 4] + UPPER_HEX[c & 15];
    else t += s[i];
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// Parsing (url.go: getScheme, Parse, parse, parseAuthority, parseHost, setPath, ...)
// ---------------------------------------------------------------------------------------------

/** The URL while it is being parsed: Go's fields, as byte strings. */
interface RawURL {
  scheme: string;
  opaque: string;
  user: string | null;
  host: string;
  path: string;
  rawPath: string;
  omitHost: boolean;
  forceQuery: boolean;
  rawQuery: string;
  fragment: string;
  rawFragment: string;
}

/** Go's `getScheme`: splits `scheme:rest` when the prefix is a valid scheme. */
function getScheme(rawURL: string): Result<{ scheme: string; rest: string }> {
  for (let i = 0; i < rawURL.length; i++) {
    const c = rawURL.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) continue;
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) {
      if (i === 0) return ok({ scheme: '', rest: rawURL });
      continue;
    }
    if (c === 0x3a /* : */) {
      if (i === 0) return fail('missing protocol scheme');
      return ok({ scheme: rawURL.slice(0, i), rest: rawURL.slice(i + 1) });
    }
    // An invalid character, so there is no valid scheme.
    return ok({ scheme: '', rest: rawURL });
  }
  return ok({ scheme: '', rest: rawURL });
}

/** Go's `stringContainsCTLByte`: any ASCII control character (< 0x20 or 0x7f). */
function containsCTLByte(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** Go's `validOptionalPort`: "" or ':' followed by digits only. */
function validOptionalPort(port: string): boolean {
  if (port === '') return true;
  if (port[0] !== ':') return false;
  for (let i = 1; i < port.length; i++) {
    const c = port.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** Go's `validUserinfo` (RFC 3986 §3.2.1 characters, plus '@' and '%'). */
function validUserinfo(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isAlnum(c)) continue;
    if (!"-._:~!$&'()*+,;=%@".includes(s[i]!)) return false;
  }
  return true;
}

/** Go's `Userinfo.String()` for the parsed (decoded) username and optional password. */
function userinfoString(username: string, password: string | null): string {
  const u = escape(username, Mode.UserPassword);
  return password === null ? u : `${u}:${escape(password, Mode.UserPassword)}`;
}

function invalidPort(colonPort: string): string {
  return `invalid port ${quoteBytes(colonPort)} after host`;
}

/** Go's `parseHost` for an IP-literal host: "[fe80::1]", "[fe80::1%25en0]:80". */
function parseIPLiteralHost(host: string): Result<string> {
  const close = host.lastIndexOf(']');
  if (close < 0) return fail("missing ']' in host");
  const colonPort = host.slice(close + 1);
  if (!validOptionalPort(colonPort)) return fail(invalidPort(colonPort));
  const port = unescape(colonPort, Mode.Host);
  if (!port.ok) return port;

  // RFC 6874: %25 introduces the zone identifier, which may use any %-encoding of bytes that
  // are valid host name bytes; the address itself may only %-encode non-ASCII bytes.
  const hostname = host.slice(1, close);
  const zoneIdx = hostname.indexOf('%25');
  let unescaped: string;
  if (zoneIdx >= 0) {
    const hostPart = unescape(hostname.slice(0, zoneIdx), Mode.Host);
    if (!hostPart.ok) return hostPart;
    const zonePart = unescape(hostname.slice(zoneIdx), Mode.Zone);
    if (!zonePart.ok) return zonePart;
    unescaped = hostPart.value + zonePart.value;
  } else {
    const r = unescape(hostname, Mode.Host);
    if (!r.ok) return r;
    unescaped = r.value;
  }

  // Per RFC 3986, only a valid IPv6 address can be enclosed in brackets (IPv4-mapped IPv6
  // addresses are fine, plain IPv4 is not).
  const addr = parseAddr(fromByteString(unescaped));
  if (!addr.ok) return fail(`invalid host: ${addr.error}`);
  if (addr.addr.is4) return fail('invalid IP-literal');
  return ok(`[${unescaped}]${port.value}`);
}

/** Go's `parseHost`: parses `host[:port]` (no userinfo) and `%`-decodes it. */
function parseHost(scheme: string, host: string, options: ParseURLOptions): Result<string> {
  const openBracket = host.lastIndexOf('[');
  if (openBracket > 0) return fail('invalid IP-literal');
  if (openBracket === 0) return parseIPLiteralHost(host);

  let i = host.indexOf(':');
  if (i !== -1) {
    const lastColon = host.lastIndexOf(':');
    // RFC 3986 allows one colon in the host subcomponent (before the port). urlstrictcolons=1.
    const strict = options.strictColons !== 'http' || scheme === 'http' || scheme === 'https';
    if (lastColon !== i && !strict) i = lastColon;
    const colonPort = host.slice(i);
    if (!validOptionalPort(colonPort)) return fail(invalidPort(colonPort));
  }
  return unescape(host, Mode.Host);
}

/** Go's `parseAuthority`: `[userinfo@]host[:port]`. */
function parseAuthority(
  scheme: string,
  authority: string,
  options: ParseURLOptions,
): Result<{ user: string | null; host: string }> {
  const at = authority.lastIndexOf('@');
  const host = parseHost(scheme, authority.slice(at + 1), options);
  if (!host.ok) return host;
  if (at < 0) return ok({ user: null, host: host.value });

  const userinfo = authority.slice(0, at);
  if (!validUserinfo(userinfo)) return fail('net/url: invalid userinfo');
  const colon = userinfo.indexOf(':');
  const username = unescape(colon < 0 ? userinfo : userinfo.slice(0, colon), Mode.UserPassword);
  if (!username.ok) return username;
  if (colon < 0) return ok({ user: userinfoString(username.value, null), host: host.value });
  const password = unescape(userinfo.slice(colon + 1), Mode.UserPassword);
  if (!password.ok) return password;
  return ok({ user: userinfoString(username.value, password.value), host: host.value });
}

/** Go's `URL.setPath`: sets path and, only when it differs from the default encoding, rawPath. */
function setPath(url: RawURL, p: string): string | null {
  const path = unescape(p, Mode.Path);
  if (!path.ok) return path.error;
  url.path = path.value;
  url.rawPath = escape(path.value, Mode.Path) === p ? '' : p;
  return null;
}

/** Go's `URL.setFragment`, like setPath for fragment and rawFragment. */
function setFragment(url: RawURL, f: string): string | null {
  const frag = unescape(f, Mode.Fragment);
  if (!frag.ok) return frag.error;
  url.fragment = frag.value;
  url.rawFragment = escape(frag.value, Mode.Fragment) === f ? '' : f;
  return null;
}

/** Go's unexported `parse(rawURL, viaRequest=false)` on a byte string (no fragment). */
function parse(rawURL: string, options: ParseURLOptions): Result<RawURL> {
  if (containsCTLByte(rawURL)) return fail('net/url: invalid control character in URL');
  const url: RawURL = {
    scheme: '',
    opaque: '',
    user: null,
    host: '',
    path: '',
    rawPath: '',
    omitHost: false,
    forceQuery: false,
    rawQuery: '',
    fragment: '',
    rawFragment: '',
  };
  if (rawURL === '*') {
    url.path = '*';
    return ok(url);
  }

  // Split off possible leading "http:", "mailto:", etc.
  const scheme = getScheme(rawURL);
  if (!scheme.ok) return scheme;
  url.scheme = scheme.value.scheme.toLowerCase();
  let rest = scheme.value.rest;

  const q = rest.indexOf('?');
  if (q === rest.length - 1 && q >= 0) {
    url.forceQuery = true;
    rest = rest.slice(0, -1);
  } else if (q >= 0) {
    url.rawQuery = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }

  if (!rest.startsWith('/')) {
    if (url.scheme !== '') {
      // Rootless paths per RFC 3986 are opaque.
      url.opaque = rest;
      return ok(url);
    }
    // RFC 3986 §3.3: in a relative-path reference the first segment cannot contain a colon.
    const slash = rest.indexOf('/');
    if ((slash < 0 ? rest : rest.slice(0, slash)).includes(':')) {
      return fail('first path segment in URL cannot contain colon');
    }
  }

  if ((url.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const slash = authority.indexOf('/');
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    const auth = parseAuthority(url.scheme, authority, options);
    if (!auth.ok) return auth;
    url.user = auth.value.user;
    url.host = auth.value.host;
  } else if (url.scheme !== '' && rest.startsWith('/')) {
    // The URL has an empty authority (golang.org/issue/46059).
    url.omitHost = true;
  }

  const err = setPath(url, rest);
  return err === null ? ok(url) : fail(err);
}

/** Converts the byte-string fields of a parsed URL to JS strings. */
function toGoURL(u: RawURL): GoURL {
  return {
    scheme: u.scheme,
    opaque: fromByteString(u.opaque),
    user: u.user === null ? null : fromByteString(u.user),
    host: fromByteString(u.host),
    path: fromByteString(u.path),
    rawPath: fromByteString(u.rawPath),
    forceQuery: u.forceQuery,
    rawQuery: fromByteString(u.rawQuery),
    fragment: fromByteString(u.fragment),
    rawFragment: fromByteString(u.rawFragment),
    omitHost: u.omitHost,
  };
}

/**
 * Go's `url.Parse` (Go 1.26, `urlstrictcolons=1`). On failure `error` is exactly Go's
 * `err.Error()`, e.g. `parse "http://localhost:abc": invalid port ":abc" after host`.
 */
export function parseURL(raw: string, options: ParseURLOptions = {}): ParseURLResult {
  const b = toByteString(raw);
  const hash = b.indexOf('#');
  const u = hash < 0 ? b : b.slice(0, hash);
  const parsed = parse(u, options);
  if (!parsed.ok) return { ok: false, error: `parse ${quoteBytes(u)}: ${parsed.error}` };
  if (hash >= 0) {
    const frag = b.slice(hash + 1);
    if (frag !== '') {
      const err = setFragment(parsed.value, frag);
      if (err !== null) return { ok: false, error: `parse ${quoteBytes(b)}: ${err}` };
    }
  }
  return { ok: true, url: toGoURL(parsed.value) };
}

// ---------------------------------------------------------------------------------------------
// Hostname, Port, String
// ---------------------------------------------------------------------------------------------

/**
 * The url package's `splitHostPort`: unlike `net.SplitHostPort` the port must be numeric (else
 * the whole input is the host), and brackets are removed only when they enclose the host.
 */
function splitURLHostPort(hostPort: string): { host: string; port: string } {
  let host = hostPort;
  let port = '';
  const colon = host.lastIndexOf(':');
  if (colon !== -1 && validOptionalPort(host.slice(colon))) {
    port = host.slice(colon + 1);
    host = host.slice(0, colon);
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { host, port };
}

/** Go's `URL.Hostname()`: the host without port and without IPv6 brackets. */
export function urlHostname(u: GoURL): string {
  return splitURLHostPort(u.host).host;
}

/** Go's `URL.Port()`: the numeric port after the host, or "". */
export function urlPort(u: GoURL): string {
  return splitURLHostPort(u.host).port;
}

/** Go's `validEncoded`: `s` has no byte that `escape` would have to escape (besides sub-delims). */
function validEncoded(s: string, mode: Mode): boolean {
  for (let i = 0; i < s.length; i++) {
    if ("!$&'()*+,;=:@[]%".includes(s[i]!)) continue;
    if (shouldEscape(s.charCodeAt(i), mode)) return false;
  }
  return true;
}

/** Go's `EscapedPath` / `EscapedFragment`: the raw form when it is a valid encoding of the value. */
function escapedForm(value: string, raw: string, mode: Mode): string {
  if (raw !== '' && validEncoded(raw, mode)) {
    const v = unescape(raw, mode);
    if (v.ok && v.value === value) return raw;
  }
  if (mode === Mode.Path && value === '*') return '*'; // don't escape (Issue 11202)
  return escape(value, mode);
}

/**
 * Go's `URL.String()`: `scheme:opaque?query#fragment` or
 * `scheme://userinfo@host/path?query#fragment`, with non-ASCII host bytes `%`-escaped.
 */
export function urlString(u: GoURL): string {
  const host = toByteString(u.host);
  let buf = '';
  if (u.scheme !== '') buf += u.scheme + ':';
  if (u.opaque !== '') {
    buf += u.opaque;
  } else {
    if (u.scheme !== '' || host !== '' || u.user !== null) {
      if (!(u.omitHost && host === '' && u.user === null)) {
        if (host !== '' || u.path !== '' || u.user !== null) buf += '//';
        if (u.user !== null) buf += u.user + '@';
        if (host !== '') buf += escape(host, Mode.Host);
      }
    }
    const path = escapedForm(toByteString(u.path), toByteString(u.rawPath), Mode.Path);
    if (path !== '' && path[0] !== '/' && host !== '') buf += '/';
    if (buf === '') {
      // RFC 3986 §4.2: a first segment with a colon needs "./" to not look like a scheme.
      const slash = path.indexOf('/');
      if ((slash < 0 ? path : path.slice(0, slash)).includes(':')) buf += './';
    }
    buf += path;
  }
  if (u.forceQuery || u.rawQuery !== '') buf += '?' + u.rawQuery;
  if (u.fragment !== '') {
    buf += '#' + escapedForm(toByteString(u.fragment), toByteString(u.rawFragment), Mode.Fragment);
  }
  return buf;
}
