// Tests for src/core/go/url.ts (Go 1.26 net/url.Parse, urlstrictcolons=1).
// Expected values come from Go's src/net/url/url_test.go (urltests, TestParseErrors,
// stringURLTests, TestURLHostnameAndPort, TestRejectControlCharacters, TestInvalidUserPassword),
// from the error constructors in src/net/url/url.go and src/net/netip/netip.go where Go's tests
// only check that an error happens, and from the cloudflared config spec (sections 5, 10.2, 11).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseURL, urlHostname, urlPort, urlString } from '../../../../src/core/go/url';
import type { GoURL } from '../../../../src/core/go/url';

/** A GoURL with Go's zero values for the fields not given. */
function goURL(fields: Partial<GoURL>): GoURL {
  return {
    scheme: '',
    opaque: '',
    user: null,
    host: '',
    path: '',
    rawPath: '',
    forceQuery: false,
    rawQuery: '',
    fragment: '',
    rawFragment: '',
    omitHost: false,
    ...fields,
  };
}

function parsed(raw: string): GoURL {
  const r = parseURL(raw);
  assert.ok(r.ok, `${raw}: ${r.ok ? '' : r.error}`);
  return r.url;
}

function parseError(raw: string): string {
  const r = parseURL(raw);
  assert.ok(!r.ok, `${raw} parsed`);
  return r.error;
}

// --- url_test.go urltests: parse result and String() round trip ("" = same as input) ---
// `user` is Userinfo.String(): User("john doe") prints as "john%20doe".

const urltests: [string, Partial<GoURL>, string][] = [
  ['http://www.google.com', { scheme: 'http', host: 'www.google.com' }, ''],
  ['http://www.google.com/', { scheme: 'http', host: 'www.google.com', path: '/' }, ''],
  [
    'http://www.google.com/file%20one%26two',
    { scheme: 'http', host: 'www.google.com', path: '/file one&two', rawPath: '/file%20one%26two' },
    '',
  ],
  [
    'http://www.google.com/#file%20one%26two',
    { scheme: 'http', host: 'www.google.com', path: '/', fragment: 'file one&two', rawFragment: 'file%20one%26two' },
    '',
  ],
  ['ftp://webmaster@www.google.com/', { scheme: 'ftp', user: 'webmaster', host: 'www.google.com', path: '/' }, ''],
  [
    'ftp://john%20doe@www.google.com/',
    { scheme: 'ftp', user: 'john%20doe', host: 'www.google.com', path: '/' },
    'ftp://john%20doe@www.google.com/',
  ],
  ['http://www.google.com/?', { scheme: 'http', host: 'www.google.com', path: '/', forceQuery: true }, ''],
  ['http://www.google.com/?foo=bar?', { scheme: 'http', host: 'www.google.com', path: '/', rawQuery: 'foo=bar?' }, ''],
  [
    'http://www.google.com/?q=go+language',
    { scheme: 'http', host: 'www.google.com', path: '/', rawQuery: 'q=go+language' },
    '',
  ],
  [
    'http://www.google.com/?q=go%20language',
    { scheme: 'http', host: 'www.google.com', path: '/', rawQuery: 'q=go%20language' },
    '',
  ],
  [
    'http://www.google.com/a%20b?q=c+d',
    { scheme: 'http', host: 'www.google.com', path: '/a b', rawQuery: 'q=c+d' },
    '',
  ],
  [
    'http:www.google.com/?q=go+language',
    { scheme: 'http', opaque: 'www.google.com/', rawQuery: 'q=go+language' },
    'http:www.google.com/?q=go+language',
  ],
  [
    'http:%2f%2fwww.google.com/?q=go+language',
    { scheme: 'http', opaque: '%2f%2fwww.google.com/', rawQuery: 'q=go+language' },
    'http:%2f%2fwww.google.com/?q=go+language',
  ],
  ['mailto:/webmaster@golang.org', { scheme: 'mailto', path: '/webmaster@golang.org', omitHost: true }, ''],
  ['mailto:webmaster@golang.org', { scheme: 'mailto', opaque: 'webmaster@golang.org' }, ''],
  ['/foo?query=http://bad', { path: '/foo', rawQuery: 'query=http://bad' }, ''],
  ['//foo', { host: 'foo' }, ''],
  ['//user@foo/path?a=b', { user: 'user', host: 'foo', path: '/path', rawQuery: 'a=b' }, ''],
  ['///threeslashes', { path: '///threeslashes' }, ''],
  [
    'http://user:password@google.com',
    { scheme: 'http', user: 'user:password', host: 'google.com' },
    'http://user:password@google.com',
  ],
  [
    'http://j@ne:password@google.com',
    { scheme: 'http', user: 'j%40ne:password', host: 'google.com' },
    'http://j%40ne:password@google.com',
  ],
  [
    'http://jane:p@ssword@google.com',
    { scheme: 'http', user: 'jane:p%40ssword', host: 'google.com' },
    'http://jane:p%40ssword@google.com',
  ],
  [
    'http://j@ne:password@google.com/p@th?q=@go',
    { scheme: 'http', user: 'j%40ne:password', host: 'google.com', path: '/p@th', rawQuery: 'q=@go' },
    'http://j%40ne:password@google.com/p@th?q=@go',
  ],
  [
    'http://www.google.com/?q=go+language#foo',
    { scheme: 'http', host: 'www.google.com', path: '/', rawQuery: 'q=go+language', fragment: 'foo' },
    '',
  ],
  [
    'http://www.google.com/?q=go+language#foo&bar',
    { scheme: 'http', host: 'www.google.com', path: '/', rawQuery: 'q=go+language', fragment: 'foo&bar' },
    'http://www.google.com/?q=go+language#foo&bar',
  ],
  [
    'http://www.google.com/?q=go+language#foo%26bar',
    {
      scheme: 'http',
      host: 'www.google.com',
      path: '/',
      rawQuery: 'q=go+language',
      fragment: 'foo&bar',
      rawFragment: 'foo%26bar',
    },
    'http://www.google.com/?q=go+language#foo%26bar',
  ],
  ['file:///home/adg/rabbits', { scheme: 'file', path: '/home/adg/rabbits' }, 'file:///home/adg/rabbits'],
  ['file:///C:/FooBar/Baz.txt', { scheme: 'file', path: '/C:/FooBar/Baz.txt' }, 'file:///C:/FooBar/Baz.txt'],
  ['MaIlTo:webmaster@golang.org', { scheme: 'mailto', opaque: 'webmaster@golang.org' }, 'mailto:webmaster@golang.org'],
  ['a/b/c', { path: 'a/b/c' }, 'a/b/c'],
  ['http://%3Fam:pa%3Fsword@google.com', { scheme: 'http', user: '%3Fam:pa%3Fsword', host: 'google.com' }, ''],
  ['http://192.168.0.1/', { scheme: 'http', host: '192.168.0.1', path: '/' }, ''],
  ['http://192.168.0.1:8080/', { scheme: 'http', host: '192.168.0.1:8080', path: '/' }, ''],
  ['http://[fe80::1]/', { scheme: 'http', host: '[fe80::1]', path: '/' }, ''],
  ['http://[fe80::1]:8080/', { scheme: 'http', host: '[fe80::1]:8080', path: '/' }, ''],
  ['https://[2001:db8::1]:8443/test/path', { scheme: 'https', host: '[2001:db8::1]:8443', path: '/test/path' }, ''],
  ['http://[fe80::1%25en0]/', { scheme: 'http', host: '[fe80::1%en0]', path: '/' }, ''],
  ['http://[fe80::1%25en0]:8080/', { scheme: 'http', host: '[fe80::1%en0]:8080', path: '/' }, ''],
  [
    'http://[fe80::1%25%65%6e%301-._~]/',
    { scheme: 'http', host: '[fe80::1%en01-._~]', path: '/' },
    'http://[fe80::1%25en01-._~]/',
  ],
  [
    'http://[fe80::1%25%65%6e%301-._~]:8080/',
    { scheme: 'http', host: '[fe80::1%en01-._~]:8080', path: '/' },
    'http://[fe80::1%25en01-._~]:8080/',
  ],
  [
    'http://rest.rsc.io/foo%2fbar/baz%2Fquux?alt=media',
    {
      scheme: 'http',
      host: 'rest.rsc.io',
      path: '/foo/bar/baz/quux',
      rawPath: '/foo%2fbar/baz%2Fquux',
      rawQuery: 'alt=media',
    },
    '',
  ],
  ['mysql://a,b,c/bar', { scheme: 'mysql', host: 'a,b,c', path: '/bar' }, ''],
  ["scheme://!$&'()*+,;=hello!:1/path", { scheme: 'scheme', host: "!$&'()*+,;=hello!:1", path: '/path' }, ''],
  [
    "http://host/!$&'()*+,;=:@[hello]",
    { scheme: 'http', host: 'host', path: "/!$&'()*+,;=:@[hello]", rawPath: "/!$&'()*+,;=:@[hello]" },
    '',
  ],
  [
    'http://example.com/oid/[order_id]',
    { scheme: 'http', host: 'example.com', path: '/oid/[order_id]', rawPath: '/oid/[order_id]' },
    '',
  ],
  ['http://192.168.0.2:8080/foo', { scheme: 'http', host: '192.168.0.2:8080', path: '/foo' }, ''],
  ['http://192.168.0.2:/foo', { scheme: 'http', host: '192.168.0.2:', path: '/foo' }, ''],
  [
    'http://[2b01:e34:ef40:7730:8e70:5aff:fefe:edac]:8080/foo',
    { scheme: 'http', host: '[2b01:e34:ef40:7730:8e70:5aff:fefe:edac]:8080', path: '/foo' },
    '',
  ],
  [
    'http://[2b01:e34:ef40:7730:8e70:5aff:fefe:edac]:/foo',
    { scheme: 'http', host: '[2b01:e34:ef40:7730:8e70:5aff:fefe:edac]:', path: '/foo' },
    '',
  ],
  [
    'http://hello.世界.com/foo',
    { scheme: 'http', host: 'hello.世界.com', path: '/foo' },
    'http://hello.%E4%B8%96%E7%95%8C.com/foo',
  ],
  [
    'http://hello.%e4%b8%96%e7%95%8c.com/foo',
    { scheme: 'http', host: 'hello.世界.com', path: '/foo' },
    'http://hello.%E4%B8%96%E7%95%8C.com/foo',
  ],
  ['http://hello.%E4%B8%96%E7%95%8C.com/foo', { scheme: 'http', host: 'hello.世界.com', path: '/foo' }, ''],
  ['http://example.com//foo', { scheme: 'http', host: 'example.com', path: '//foo' }, ''],
  ['myscheme://authority<"hi">/foo', { scheme: 'myscheme', host: 'authority<"hi">', path: '/foo' }, ''],
  [
    'tcp://[2020::2020:20:2020:2020%25Windows%20Loves%20Spaces]:2020',
    { scheme: 'tcp', host: '[2020::2020:20:2020:2020%Windows Loves Spaces]:2020' },
    '',
  ],
  [
    'magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn',
    { scheme: 'magnet', rawQuery: 'xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn' },
    'magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn',
  ],
  ['mailto:?subject=hi', { scheme: 'mailto', rawQuery: 'subject=hi' }, 'mailto:?subject=hi'],
];

test('url_test.go urltests: parseURL fields', () => {
  for (const [raw, fields] of urltests) assert.deepEqual(parsed(raw), goURL(fields), raw);
});

test('url_test.go urltests: urlString round trips', () => {
  for (const [raw, , roundtrip] of urltests) assert.equal(urlString(parsed(raw)), roundtrip || raw, raw);
});

test('url_test.go stringURLTests: urlString of built URLs', () => {
  assert.equal(
    urlString(goURL({ scheme: 'http', host: 'www.google.com', path: 'search' })),
    'http://www.google.com/search',
  );
  assert.equal(urlString(goURL({ path: 'this:that' })), './this:that');
  assert.equal(urlString(goURL({ path: 'here/this:that' })), 'here/this:that');
  assert.equal(
    urlString(goURL({ scheme: 'http', host: 'www.google.com', path: 'this:that' })),
    'http://www.google.com/this:that',
  );
  assert.equal(urlString(goURL({})), '');
});

// --- url_test.go TestParseErrors (which error: url.go / netip.go error constructors) ---

test('url_test.go TestParseErrors: accepted', () => {
  for (const raw of [
    'http://[::1]',
    'http://[::1]:80',
    'http://[::1]/',
    'http://[::1%25en0]',
    'http://[::1]:',
    'http://x:',
    'http://[::1%25%41]',
    'http://[::1]/%48',
    'ahttp://foo.com',
    'cache_object/:foo/bar',
    'http://[::ffff:192.168.0.1]/',
    'http://[::ffff:192.168.0.1]:8080/',
    'http://[::ffff:c0a8:1]/',
  ]) {
    parsed(raw);
  }
});

test('url_test.go TestParseErrors: rejected with Go error text', () => {
  const cases: [string, string][] = [
    ['http://[::1]:namedport', 'invalid port ":namedport" after host'],
    ['http://x:namedport', 'invalid port ":namedport" after host'],
    ['http://[::1]a', 'invalid port "a" after host'],
    ['http://[::1]%23', 'invalid port "%23" after host'],
    ['http://[::1]:%38%30', 'invalid port ":%38%30" after host'],
    ['http://[%10::1]', 'invalid URL escape "%10"'],
    ['http://%41:8080/', 'invalid URL escape "%41"'],
    ['mysql://x@y(z:123)/foo', 'invalid port ":123)" after host'],
    ['mysql://x@y(1.2.3.4:123)/foo', 'invalid port ":123)" after host'],
    [' http://foo.com', 'first path segment in URL cannot contain colon'],
    ['ht tp://foo.com', 'first path segment in URL cannot contain colon'],
    ['1http://foo.com', 'first path segment in URL cannot contain colon'],
    ['http://a b.com/', 'invalid character " " in host name'],
    ['cache_object://foo', 'first path segment in URL cannot contain colon'],
    ['cache_object:foo', 'first path segment in URL cannot contain colon'],
    ['cache_object:foo/bar', 'first path segment in URL cannot contain colon'],
    ['http://[192.168.0.1]/', 'invalid IP-literal'],
    ['http://[192.168.0.1]:8080/', 'invalid IP-literal'],
    ['http://[::ffff:192.168.0.1000]/', 'invalid host: ParseAddr("::ffff:192.168.0.1000"): IPv4 field has value >255'],
    ['http://[not-an-ip]/', 'invalid host: ParseAddr("not-an-ip"): unable to parse IP'],
    ['http://[fe80::1%foo]/', 'invalid URL escape "%fo"'],
    ['http://[fe80::1', "missing ']' in host"],
    ['http://fe80::1]/', 'invalid port "::1]" after host'],
    ['http://[test.com]/', 'invalid host: ParseAddr("test.com"): unexpected character (at "test.com")'],
  ];
  for (const [raw, err] of cases) assert.equal(parseError(raw), `parse "${raw}": ${err}`, raw);
  // golang.org/issue/11208: %-escapes after the IP literal are not a port.
  assert.match(parseError('http://[]%20%48%54%54%50%2f%31%2e%31%0a/'), /^parse ".*": invalid port "%20%48/);
});

test('url_test.go TestParseRequestURI cases that Parse also rejects', () => {
  const cases: [string, string][] = [
    ['http://192.168.0.%31/', 'invalid URL escape "%31"'],
    ['http://192.168.0.%31:8080/', 'invalid URL escape "%31"'],
    ['http://[fe80::%31]/', 'invalid URL escape "%31"'],
    ['http://[fe80::%31%25en0]/', 'invalid URL escape "%31"'],
    ['http://[fe80::1%en0]/', 'invalid URL escape "%en"'],
    [
      'https://[1:2:3:4:5:6:7:8:9]',
      'invalid host: ParseAddr("1:2:3:4:5:6:7:8:9"): trailing garbage after address (at "9")',
    ],
    ['https://[1::1::1]', 'invalid host: ParseAddr("1::1::1"): multiple :: in address (at ":1")'],
    ['https://[test.com]', 'invalid host: ParseAddr("test.com"): unexpected character (at "test.com")'],
  ];
  for (const [raw, err] of cases) assert.equal(parseError(raw), `parse "${raw}": ${err}`, raw);
  for (const raw of [
    'https://[1:2:3:4:5:6:7:8]',
    'https://[fe80::1%25eth0]/path?query=1',
    'https://[::ffff:192.0.2.1]',
  ]) {
    parsed(raw);
  }
});

test('url_test.go TestRejectControlCharacters and TestInvalidUserPassword', () => {
  assert.equal(
    parseError('http://foo.com/?foo\nbar'),
    'parse "http://foo.com/?foo\\nbar": net/url: invalid control character in URL',
  );
  assert.equal(
    parseError('http\r://foo.com/'),
    'parse "http\\r://foo.com/": net/url: invalid control character in URL',
  );
  assert.equal(
    parseError('http://foo\x7f.com/'),
    'parse "http://foo\\x7f.com/": net/url: invalid control character in URL',
  );
  // But don't reject non-ASCII CTLs, at least for now.
  parsed('http://foo.com/ctl\u0080');
  assert.equal(
    parseError('http://user^:passwo^rd@foo.com/'),
    'parse "http://user^:passwo^rd@foo.com/": net/url: invalid userinfo',
  );
});

test('url_test.go TestURLHostnameAndPort', () => {
  const cases: [string, string, string][] = [
    ['foo.com:80', 'foo.com', '80'],
    ['foo.com', 'foo.com', ''],
    ['foo.com:', 'foo.com', ''],
    ['FOO.COM', 'FOO.COM', ''],
    ['1.2.3.4', '1.2.3.4', ''],
    ['1.2.3.4:80', '1.2.3.4', '80'],
    ['[1:2:3:4]', '1:2:3:4', ''],
    ['[1:2:3:4]:80', '1:2:3:4', '80'],
    ['[::1]:80', '::1', '80'],
    ['[::1]', '::1', ''],
    ['[::1]:', '::1', ''],
    ['localhost', 'localhost', ''],
    ['localhost:443', 'localhost', '443'],
    ['some.super.long.domain.example.org:8080', 'some.super.long.domain.example.org', '8080'],
    ['[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:17000', '2001:0db8:85a3:0000:0000:8a2e:0370:7334', '17000'],
    ['[2001:0db8:85a3:0000:0000:8a2e:0370:7334]', '2001:0db8:85a3:0000:0000:8a2e:0370:7334', ''],
    ['[google.com]:80', 'google.com', '80'],
    ['google.com]:80', 'google.com]', '80'],
    ['google.com:80_invalid_port', 'google.com:80_invalid_port', ''],
    ['[::1]extra]:80', '::1]extra', '80'],
    ['google.com]extra:extra', 'google.com]extra:extra', ''],
  ];
  for (const [host, hostname, port] of cases) {
    const u = goURL({ host });
    assert.equal(urlHostname(u), hostname, host);
    assert.equal(urlPort(u), port, host);
  }
});

// --- cloudflared spec section 5: service URLs ---

test('spec 5: service URL parse errors', () => {
  assert.equal(
    parseError('https://local host:8000'),
    'parse "https://local host:8000": invalid character " " in host name',
  );
  assert.equal(parseError('http://localhost:abc'), 'parse "http://localhost:abc": invalid port ":abc" after host');
  assert.equal(parseError('127.0.0.1:8000'), 'parse "127.0.0.1:8000": first path segment in URL cannot contain colon');
  assert.equal(parseError('http://%41:80'), 'parse "http://%41:80": invalid URL escape "%41"');
});

test('spec 5: URLs without a scheme or host parse, with an empty scheme or hostname', () => {
  const cases: [string, string, string][] = [
    // [service, scheme, hostname]
    ['localhost:8000', 'localhost', ''],
    ['localhost', '', ''],
    ['http://:8080', 'http', ''],
    ['http:/x', 'http', ''],
    ['mailto:a@b', 'mailto', ''],
    ['file:///x', 'file', ''],
    ['', '', ''],
    ['Hello_World', '', ''],
    ['socks5', '', ''],
    ['warp-routing', '', ''],
  ];
  for (const [raw, scheme, hostname] of cases) {
    const u = parsed(raw);
    assert.equal(u.scheme, scheme, raw);
    assert.equal(urlHostname(u), hostname, raw);
  }
  assert.deepEqual(parsed('localhost:8000'), goURL({ scheme: 'localhost', opaque: '8000' }));
  assert.deepEqual(parsed('http:/x'), goURL({ scheme: 'http', path: '/x', omitHost: true }));
});

test('spec 5: accepted services, paths, lower-cased scheme, unchecked port range', () => {
  for (const raw of [
    'https://localhost:8443',
    'wss://localhost:9000',
    'tcp://localhost:5432',
    'ssh://localhost',
    'rdp://localhost',
    'smb://fileserver',
    'ftp://localhost:21',
    'socks5://h:1080',
    'http://localhost:99999',
    'http://localhost:0',
    'http://u:p@localhost:80?q=1#f',
  ]) {
    assert.equal(parsed(raw).path, '', raw);
    assert.notEqual(urlHostname(parsed(raw)), '', raw);
  }
  assert.equal(parsed('http://localhost:8000/').path, '/');
  assert.equal(parsed('http://localhost:8000/api').path, '/api');
  assert.equal(parsed('HTTPS://Example.COM').scheme, 'https');
  assert.equal(parsed('HTTPS://Example.COM').host, 'Example.COM');
});

test('spec 10.2: matching input is the hostname without port or brackets and the decoded path', () => {
  const u = parsed('https://[::1]:8443/a%2Fb?q=1#f');
  assert.equal(urlHostname(u), '::1');
  assert.equal(urlPort(u), '8443');
  assert.equal(u.path, '/a/b');
  assert.equal(urlString(u), 'https://[::1]:8443/a%2Fb?q=1#f');
  const s = parsed('TCP://localhost');
  assert.equal(urlString({ ...s, host: `${s.host}:7864` }), 'tcp://localhost:7864');
  assert.equal(urlString(parsed('https://')), 'https:');
});

// --- cloudflared spec section 11: Go 1.26 strictness ---

test('spec 11: more than one colon in a host is an error (urlstrictcolons=1)', () => {
  assert.equal(
    parseError('http://localhost:80:80'),
    'parse "http://localhost:80:80": invalid port ":80:80" after host',
  );
  assert.equal(parseError('http://::1:8080'), 'parse "http://::1:8080": invalid port "::1:8080" after host');
  // url_test.go "Malformed IPv6 but still accepted" before Go 1.26.
  assert.equal(
    parseError('http://2b01:e34:ef40:7730:8e70:5aff:fefe:edac:8080/foo'),
    'parse "http://2b01:e34:ef40:7730:8e70:5aff:fefe:edac:8080/foo": invalid port ":e34:ef40:7730:8e70:5aff:fefe:edac:8080" after host',
  );
  // Go 1.26.0 applied the rule to every scheme (the default here)...
  assert.equal(parseError('tcp://localhost:80:80'), 'parse "tcp://localhost:80:80": invalid port ":80:80" after host');
  assert.equal(parseError('ws://a:b:80'), 'parse "ws://a:b:80": invalid port ":b:80" after host');
  // ...golang/go#78077 limits it to http and https; other schemes then take the last colon.
  const lax = parseURL('tcp://localhost:80:80', { strictColons: 'http' });
  assert.ok(lax.ok);
  assert.equal(lax.url.host, 'localhost:80:80');
  assert.equal(urlPort(lax.url), '80');
  assert.equal(parseURL('tcp://a:b:c', { strictColons: 'http' }).ok, false);
  assert.equal(parseURL('https://localhost:80:80', { strictColons: 'http' }).ok, false);
});

test('spec 11: brackets must hold an IPv6 address and start the host', () => {
  assert.equal(parseError('http://[127.0.0.1]:80'), 'parse "http://[127.0.0.1]:80": invalid IP-literal');
  assert.equal(parseError('http://a[::1]:80'), 'parse "http://a[::1]:80": invalid IP-literal');
  assert.equal(
    parseError('http://[::1]]'),
    'parse "http://[::1]]": invalid host: ParseAddr("::1]"): unexpected character, want colon (at "]")',
  );
});

// --- byte-level behaviour: Go quotes bytes, and errors slice bytes ---

test('errors quote the raw URL and escape slices like strconv.Quote', () => {
  assert.equal(parseError('http://ñ:abc'), 'parse "http://ñ:abc": invalid port ":abc" after host');
  // "%a" followed by the first byte of é: EscapeError(s[i:i+3]) cuts the UTF-8 sequence.
  assert.equal(parseError('http://x/%aé'), 'parse "http://x/%aé": invalid URL escape "%a\\xc3"');
  // A fragment error quotes the whole input, '#' included.
  assert.equal(parseError('http://x/#%zz'), 'parse "http://x/#%zz": invalid URL escape "%zz"');
  assert.equal(parseError('http://x/%'), 'parse "http://x/%": invalid URL escape "%"');
  assert.equal(parseError(':foo'), 'parse ":foo": missing protocol scheme');
});

test('non-ASCII hosts are kept, and escaped by urlString', () => {
  const u = parsed('http://a\u00a0b');
  assert.equal(u.host, 'a\u00a0b');
  assert.equal(urlString(u), 'http://a%C2%A0b');
});
