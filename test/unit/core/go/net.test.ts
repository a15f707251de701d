// Tests for src/core/go/net.ts. Expected values come from Go's own tests, cited per block:
// src/net/ip_test.go (ParseIP, ParseCIDR, SplitHostPort), src/net/netip/netip_test.go
// (ParseAddr), src/strconv/quote_test.go (Quote), and from the cloudflared config spec
// (docs: cloudflared-config-spec.md section 6, hostname port check).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goQuote, isIP, parseAddr, parseCIDR, parseIP, splitHostPort } from '../../../../src/core/go/net';

/** Go's `net.IPv4(a, b, c, d)`: the 16-byte IPv4-mapped form. */
function ipv4(a: number, b: number, c: number, d: number): Uint8Array {
  return Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, a, b, c, d]);
}

// --- SplitHostPort: src/net/ip_test.go TestSplitHostPort ---

test('splitHostPort splits what Go splits', () => {
  const cases: [string, string, string][] = [
    // Host name
    ['localhost:http', 'localhost', 'http'],
    ['localhost:80', 'localhost', '80'],
    // Go-specific host name with zone identifier
    ['localhost%lo0:http', 'localhost%lo0', 'http'],
    ['localhost%lo0:80', 'localhost%lo0', '80'],
    ['[localhost%lo0]:http', 'localhost%lo0', 'http'],
    ['[localhost%lo0]:80', 'localhost%lo0', '80'],
    // IP literal
    ['127.0.0.1:http', '127.0.0.1', 'http'],
    ['127.0.0.1:80', '127.0.0.1', '80'],
    ['[::1]:http', '::1', 'http'],
    ['[::1]:80', '::1', '80'],
    // IP literal with zone identifier
    ['[::1%lo0]:http', '::1%lo0', 'http'],
    ['[::1%lo0]:80', '::1%lo0', '80'],
    // Go-specific wildcard for host name
    [':http', '', 'http'],
    [':80', '', '80'],
    // Go-specific wildcard for service name or transport port number
    ['golang.org:', 'golang.org', ''],
    ['127.0.0.1:', '127.0.0.1', ''],
    ['[::1]:', '::1', ''],
    // Opaque service name
    ['golang.org:https%foo', 'golang.org', 'https%foo'],
  ];
  for (const [hostPort, host, port] of cases) {
    assert.deepEqual(splitHostPort(hostPort), { ok: true, host, port }, hostPort);
  }
});

test('splitHostPort fails where Go fails, with the AddrError text', () => {
  const cases: [string, string][] = [
    ['golang.org', 'missing port in address'],
    ['127.0.0.1', 'missing port in address'],
    ['[::1]', 'missing port in address'],
    ['[fe80::1%lo0]', 'missing port in address'],
    ['[localhost%lo0]', 'missing port in address'],
    ['localhost%lo0', 'missing port in address'],
    ['::1', 'too many colons in address'],
    ['fe80::1%lo0', 'too many colons in address'],
    ['fe80::1%lo0:80', 'too many colons in address'],
    ['[foo:bar]', 'missing port in address'],
    ['[foo:bar]baz', 'missing port in address'],
    ['[foo]bar:baz', 'missing port in address'],
    ['[foo]:[bar]:baz', 'too many colons in address'],
    ['[foo]:[bar]baz', "unexpected '[' in address"],
    ['foo[bar]:baz', "unexpected '[' in address"],
    ['foo]bar:baz', "unexpected ']' in address"],
  ];
  for (const [hostPort, why] of cases) {
    // AddrError.Error() is "address " + Addr + ": " + Err (src/net/net.go).
    assert.deepEqual(splitHostPort(hostPort), { ok: false, error: `address ${hostPort}: ${why}` }, hostPort);
  }
  assert.deepEqual(splitHostPort(''), { ok: false, error: 'missing port in address' });
});

test('spec section 6: hostnames with a port are exactly those SplitHostPort accepts', () => {
  for (const h of ['a.com:8443', 'a.com:', 'a.com:https', ':80', '*:80', '[::1]:80']) {
    assert.equal(splitHostPort(h).ok, true, h);
  }
  for (const h of ['::1', 'a.com', '*.example.com', '[::1]', '']) {
    assert.equal(splitHostPort(h).ok, false, h);
  }
});

// --- ParseIP: src/net/ip_test.go parseIPTests (netip-based parser, Go 1.17+ rules) ---

test('parseIP accepts what Go accepts, in the 16-byte form', () => {
  const v6 = Uint8Array.from([0x20, 0x01, 0x48, 0x60, 0, 0, 0x20, 0x01, 0, 0, 0, 0, 0, 0, 0x00, 0x68]);
  const cases: [string, Uint8Array][] = [
    ['127.0.1.2', ipv4(127, 0, 1, 2)],
    ['127.0.0.1', ipv4(127, 0, 0, 1)],
    ['::ffff:127.1.2.3', ipv4(127, 1, 2, 3)],
    ['::ffff:7f01:0203', ipv4(127, 1, 2, 3)],
    ['0:0:0:0:0000:ffff:127.1.2.3', ipv4(127, 1, 2, 3)],
    ['0:0:0:0::ffff:127.1.2.3', ipv4(127, 1, 2, 3)],
    ['2001:4860:0:2001::68', v6],
    ['2001:4860:0000:2001:0000:0000:0000:0068', v6],
  ];
  for (const [s, want] of cases) {
    assert.deepEqual(parseIP(s), want, s);
    assert.equal(isIP(s), true, s);
  }
});

test('parseIP rejects what Go rejects (leading zeros, zones, garbage)', () => {
  const bad = [
    '-0.0.0.0',
    '0.-1.0.0',
    '0.0.-2.0',
    '0.0.0.-3',
    '127.0.0.256',
    'abc',
    '123:',
    'fe80::1%lo0',
    'fe80::1%911',
    '',
    '0:0:0:0:000000:ffff:127.1.2.3',
    '0:0:0:0:00000:ffff:127.1.2.3',
    'a1:a2:a3:a4::b1:b2:b3:b4',
    '127.001.002.003',
    '::ffff:127.001.002.003',
    '123.000.000.000',
    '1.2..4',
    '0123.0.0.1',
  ];
  for (const s of bad) {
    assert.equal(parseIP(s), null, s);
    assert.equal(isIP(s), false, s);
  }
});

// --- netip.ParseAddr: src/net/netip/netip_test.go TestParseAddr ---

test('parseAddr error texts match netip', () => {
  const cases: [string, string][] = [
    ['010.000.015.001', 'ParseAddr("010.000.015.001"): IPv4 field has octet with leading zero'],
    [
      '000001.00000002.00000003.000000004',
      'ParseAddr("000001.00000002.00000003.000000004"): IPv4 field has octet with leading zero',
    ],
    ['::ffff:1.2.03.4', 'ParseAddr("::ffff:1.2.03.4"): IPv4 field has octet with leading zero'],
    ['::ffff:1.2.3.z', 'ParseAddr("::ffff:1.2.3.z"): unexpected character (at "z")'],
  ];
  for (const [s, error] of cases) assert.deepEqual(parseAddr(s), { ok: false, error }, s);
});

test('parseAddr accepts netip valid addresses', () => {
  const ok: [string, boolean, string][] = [
    ['0.0.0.0', true, ''],
    ['192.168.140.255', true, ''],
    ['::', false, ''],
    ['::1', false, ''],
    ['fd7a:115c:a1e0:ab12:4843:cd96:626b:430b', false, ''],
    ['fd7a:115c::626b:430b', false, ''],
    ['fd7a:115c:a1e0:ab12:4843:cd96::', false, ''],
    ['fd7a:115c:a1e0:ab12:4843:cd96:626b::', false, ''],
    ['fd7a:115c:a1e0::4843:cd96:626b:430b', false, ''],
    ['::ffff:192.168.140.255', false, ''],
    ['fd7a:115c:a1e0:ab12:4843:cd96:626b:430b%eth0', false, 'eth0'],
    ['1:2::ffff:192.168.140.255%eth1', false, 'eth1'],
    ['::ffff:192.168.140.255%eth1', false, 'eth1'],
    ['FD9E:1A04:F01D::1', false, ''],
  ];
  for (const [s, is4, zone] of ok) {
    const r = parseAddr(s);
    assert.ok(r.ok, s);
    assert.equal(r.addr.is4, is4, s);
    assert.equal(r.addr.zone, zone, s);
  }
  const r = parseAddr('fd7a:115c::626b:430b');
  assert.ok(r.ok);
  assert.deepEqual(
    r.addr.bytes,
    Uint8Array.from([0xfd, 0x7a, 0x11, 0x5c, 0, 0, 0, 0, 0, 0, 0, 0, 0x62, 0x6b, 0x43, 0x0b]),
  );
});

test('parseAddr rejects netip invalid addresses', () => {
  const invalid = [
    '',
    'bad',
    '1234',
    '1.2.3.4%eth0',
    '.1.2.3',
    '1.2.3.',
    '1..2.3',
    '1.2.3.4.5',
    '0300.0250.0214.0377',
    '0xc0.0xa8.0x8c.0xff',
    '192.168.12345',
    '127.0.1',
    '192.1234567',
    '127.1',
    '192.168.300.1',
    '192.168.0.1.5.6',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4::5:6:7:8',
    'fe801::1',
    'fe80:tail:scal:e::',
    'fe80::1%',
    'ffff:ffff:ffff:ffff:ffff:ffff:ffff:192.168.140.255',
    'ffff::ffff:ffff:ffff:ffff:ffff:ffff:192.168.140.255',
    '::ffff:192.168.140.bad',
    'fe80::1::1',
    'fe80:1?:1',
    'fe80:',
    '0:0:0:0:0:ffff:0:00000',
    '0:0:0:0:00000:ffff:127.1.2.3',
  ];
  for (const s of invalid) {
    assert.equal(parseAddr(s).ok, false, s);
    assert.equal(parseIP(s), null, s);
  }
});

// --- ParseCIDR: src/net/ip_test.go parseCIDRTests; error text is ParseError{"CIDR address", s} ---

test('parseCIDR accepts Go CIDRs', () => {
  const cases: [string, Uint8Array | null, number][] = [
    ['135.104.0.0/32', ipv4(135, 104, 0, 0), 32],
    ['0.0.0.0/24', ipv4(0, 0, 0, 0), 24],
    ['135.104.0.0/24', ipv4(135, 104, 0, 0), 24],
    ['135.104.0.1/32', ipv4(135, 104, 0, 1), 32],
    ['135.104.0.1/24', ipv4(135, 104, 0, 1), 24],
    ['::1/128', parseIP('::1'), 128],
    ['abcd:2345::/127', parseIP('abcd:2345::'), 127],
    ['abcd:2345::/65', parseIP('abcd:2345::'), 65],
    ['abcd:2345::/64', parseIP('abcd:2345::'), 64],
    ['abcd:2345::/63', parseIP('abcd:2345::'), 63],
    ['abcd:2345::/33', parseIP('abcd:2345::'), 33],
    ['abcd:2345::/32', parseIP('abcd:2345::'), 32],
    ['abcd:2344::/31', parseIP('abcd:2344::'), 31],
    ['abcd:2300::/24', parseIP('abcd:2300::'), 24],
    ['abcd:2345::/24', parseIP('abcd:2345::'), 24],
    ['2001:DB8::/48', parseIP('2001:DB8::'), 48],
    ['2001:DB8::1/48', parseIP('2001:DB8::1'), 48],
  ];
  for (const [s, ip, prefixLength] of cases) {
    const r = parseCIDR(s);
    assert.ok(r.ok, s);
    assert.deepEqual(r.ip, ip, s);
    assert.equal(r.prefixLength, prefixLength, s);
    assert.equal(r.bits, s.includes(':') ? 128 : 32, s);
  }
});

test('parseCIDR errors are "invalid CIDR address: <s>"', () => {
  const bad = [
    '192.168.1.1/255.255.255.0',
    '192.168.1.1/35',
    '2001:db8::1/-1',
    '2001:db8::1/-0',
    '-0.0.0.0/32',
    '0.-1.0.0/32',
    '0.0.-2.0/32',
    '0.0.0.-3/32',
    '0.0.0.0/-0',
    '',
    // spec section 5: a bare IP is not a CIDR
    '10.0.0.1',
    '::1',
  ];
  for (const s of bad) assert.deepEqual(parseCIDR(s), { ok: false, error: `invalid CIDR address: ${s}` }, s);
});

// --- strconv.Quote: src/strconv/quote_test.go quotetests ---

test('goQuote matches strconv.Quote', () => {
  const cases: [string, string][] = [
    ['\x07\b\f\r\n\t\v', '"\\a\\b\\f\\r\\n\\t\\v"'],
    ['\\', '"\\\\"'],
    ['\u263a', '"☺"'],
    ['\u{10ffff}', '"\\U0010ffff"'],
    ['\x04', '"\\x04"'],
    // Some non-printable but graphic runes.
    ['!\u00a0!\u2000!\u3000!', '"!\\u00a0!\\u2000!\\u3000!"'],
    ['\x7f', '"\\x7f"'],
  ];
  for (const [s, want] of cases) assert.equal(goQuote(s), want, JSON.stringify(s));
});
