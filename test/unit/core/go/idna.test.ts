// Tests for src/core/go/idna.ts (x/net/idna v0.56.0 Lookup.ToASCII, Go 1.26 / Unicode 15.0.0).
// Expected values come from golang.org/x/net idna/idna_test.go (TestIDNA, TestIDNASeparators) and
// idna/punycode_test.go, from the rules in idna/idna.go (validateLabel, labelIter, decode) and
// x/text secure/bidirule, and from the cloudflared config spec (sections 4, 6, 10.3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idnaLookupToASCII, punycodeDecode, punycodeEncode } from '../../../../src/core/go/idna';

test('idna_test.go TestIDNA cases (valid under Lookup too)', () => {
  const cases: [string, string][] = [
    ['books', 'books'],
    ['bücher', 'xn--bcher-kva'],
    ['foo--xn--bar.org', 'foo--xn--bar.org'],
    ['golang.org', 'golang.org'],
    ['example.рф', 'example.xn--p1ai'],
    ['商業.tw', 'xn--czrw28b.tw'],
    ['www.müller.de', 'www.xn--mller-kva.de'],
  ];
  for (const [unicode, ascii] of cases) {
    assert.equal(idnaLookupToASCII(unicode), ascii, unicode);
    // An A-label is decoded, validated and encoded again: the same spelling comes back.
    assert.equal(idnaLookupToASCII(ascii), ascii, ascii);
  }
  // The Punycode profile accepts this; Lookup has CheckHyphens ("--" at bytes 3-4, V2).
  assert.equal(idnaLookupToASCII('0-------------------------------------------------------------5.com'), null);
});

test('idna_test.go TestIDNASeparators, Lookup profile', () => {
  assert.equal(idnaLookupToASCII('example\u3002jp'), 'example.jp');
  assert.equal(idnaLookupToASCII('東京\uFF0Ejp'), 'xn--1lqs71d.jp');
  assert.equal(idnaLookupToASCII('大阪\uFF61jp'), 'xn--pssu33l.jp');
});

test('spec 4 / 10.3: extra spellings cloudflared keeps', () => {
  // Upper case maps to lower case, so the lower-case spelling is also matched.
  assert.equal(idnaLookupToASCII('Example.COM'), 'example.com');
  assert.equal(idnaLookupToASCII('BÜCHER.example'), 'xn--bcher-kva.example');
  // A rule written in punycode gets no other spelling.
  assert.equal(idnaLookupToASCII('xn--bcher-kva.example'), 'xn--bcher-kva.example');
  assert.equal(idnaLookupToASCII('XN--BCHER-KVA.example'), 'xn--bcher-kva.example');
  // Wildcard rules get no punycode spelling: IDNA rejects '*' (STD3).
  assert.equal(idnaLookupToASCII('*.example.com'), null);
  assert.equal(idnaLookupToASCII('*.môô.org'), null);
  assert.equal(idnaLookupToASCII('*'), null);
  // The Unicode and upper-case Unicode spellings agree.
  const moo = idnaLookupToASCII('môô.org');
  assert.ok(moo?.startsWith('xn--') && moo.endsWith('.org'));
  assert.equal(idnaLookupToASCII('MÔÔ.org'), moo);
});

test('STD3 rules: only letters, digits and hyphens in labels', () => {
  for (const h of ['a_b.com', 'exa mple.com', 'a/b', 'a:80', 'a%41.com', 'a@b', 'a!b', '[::1]', 'a\tb']) {
    assert.equal(idnaLookupToASCII(h), null, h);
  }
  // Fullwidth forms map to ASCII (UTS #46 mapping, x/net tables15.0.0.go).
  assert.equal(idnaLookupToASCII('ｅｘａｍｐｌｅ.com'), 'example.com');
  assert.equal(idnaLookupToASCII('a\uFF0Db.com'), 'a-b.com'); // FULLWIDTH HYPHEN-MINUS is mapped
  assert.equal(idnaLookupToASCII('a\uFF3Fb.com'), null); // FULLWIDTH LOW LINE maps to '_'
});

test('CheckHyphens (validateLabel): no leading/trailing hyphen, no "--" at 3-4 except xn-- labels', () => {
  for (const h of ['-x-.com', '-x.com', 'x-.com', 'a.-b', 'ab--cd.com', 'ab--.com', 'ñ-.com', '-ñ.com']) {
    assert.equal(idnaLookupToASCII(h), null, h);
  }
  assert.equal(idnaLookupToASCII('a-b.com'), 'a-b.com');
  assert.equal(idnaLookupToASCII('ab-cd.com'), 'ab-cd.com');
  assert.equal(idnaLookupToASCII('abc--d.com'), 'abc--d.com');
  // "ab--" is 4 bytes: only the V3 (trailing hyphen) rule applies; "a--" too.
  assert.equal(idnaLookupToASCII('a--b.com'), 'a--b.com');
});

test('labels: empty labels and trailing dots are kept (no VerifyDNSLength)', () => {
  assert.equal(idnaLookupToASCII(''), '');
  assert.equal(idnaLookupToASCII('.'), '.');
  assert.equal(idnaLookupToASCII('a..b'), 'a..b');
  assert.equal(idnaLookupToASCII('example.com.'), 'example.com.');
  assert.equal(idnaLookupToASCII('.example.com'), '.example.com');
  assert.equal(idnaLookupToASCII('bücher.'), 'xn--bcher-kva.');
  assert.equal(idnaLookupToASCII('a'.repeat(100) + '.com'), 'a'.repeat(100) + '.com');
});

test('non-transitional mapping: deviation characters are kept', () => {
  // transitionalLookup = false (idna.go, go1.18+): ß stays ß, punycode "zca" (RFC 3492 by hand).
  assert.equal(idnaLookupToASCII('ß.de'), 'xn--zca.de');
  assert.equal(idnaLookupToASCII('xn--zca.de'), 'xn--zca.de');
});

test('xn-- labels: decoded, validated, encoded again (process, decode, validateFromPunycode)', () => {
  assert.equal(idnaLookupToASCII('xn---.com'), null); // a sole '-' after the prefix is invalid
  assert.equal(idnaLookupToASCII('xn--9.com'), null); // truncated
  assert.equal(idnaLookupToASCII('xn--99999a.com'), null); // decodes beyond U+10FFFF
  assert.equal(idnaLookupToASCII('xn--u-ccb.com'), null); // "u" + U+0308 is not NFC (V1)
  // Pre-Unicode-16 x/net: an xn-- label that decodes to ASCII becomes that ASCII label.
  assert.equal(idnaLookupToASCII('xn--abc-.com'), 'abc.com');
  // ... and an empty one becomes an empty label.
  assert.equal(idnaLookupToASCII('xn--.com'), '.com');
});

test('CheckJoiners and combining marks', () => {
  assert.equal(idnaLookupToASCII('a\u200Cb.com'), null); // ZWNJ without joining context
  assert.equal(idnaLookupToASCII('a\u200Db.com'), null); // ZWJ not after a virama
  assert.notEqual(idnaLookupToASCII('\u0915\u094D\u200C\u0937.in'), null); // ZWNJ after a virama
  assert.equal(idnaLookupToASCII('\u0301a.com'), null); // label starts with a combining mark (V5)
  assert.equal(idnaLookupToASCII('a.\u0301'), null);
});

test('Bidi rule (bidirule.ValidString on every label of a right-to-left name)', () => {
  // א is "4db" (RFC 3492 by hand: n=0x5D0, digits 30, 3, 1).
  assert.equal(idnaLookupToASCII('א.com'), 'xn--4db.com');
  assert.equal(idnaLookupToASCII('xn--4db.com'), 'xn--4db.com');
  // An LTR label in a Bidi name must start with L: '1' is EN.
  assert.equal(idnaLookupToASCII('א.1a'), null);
  assert.equal(idnaLookupToASCII('xn--4db.1a'), null);
  assert.equal(idnaLookupToASCII('1a.com'), '1a.com'); // no RTL text, no Bidi rule
  // An RTL label must not contain L.
  assert.equal(idnaLookupToASCII('אa.com'), null);
  // EN and AN may not both appear: Arabic-Indic digit zero (AN) and extended zero (EN).
  assert.equal(idnaLookupToASCII('\u0634\u06F0\u0660.com'), null);
});

// --- punycode_test.go ---

const punycodeTestCases: [string, string][] = [
  ['', ''],
  ['-', '--'],
  ['-a', '-a-'],
  ['-a-', '-a--'],
  ['a', 'a-'],
  ['a-', 'a--'],
  ['a-b', 'a-b-'],
  ['books', 'books-'],
  ['bücher', 'bcher-kva'],
  ['Hello世界', 'Hello-ck1hg65u'],
  ['ü', 'tda'],
  ['üý', 'tdac'],
  // RFC 3492 section 7.1 with Errata 3026.
  [
    '\u0644\u064A\u0647\u0645\u0627\u0628\u062A\u0643\u0644\u0645\u0648\u0634\u0639\u0631\u0628\u064A\u061F',
    'egbpdaj6bu4bxfgehfvwxn',
  ],
  ['\u4ED6\u4EEC\u4E3A\u4EC0\u4E48\u4E0D\u8BF4\u4E2D\u6587', 'ihqwcrb4cv8a8dqg056pqjye'],
  ['\u4ED6\u5011\u7232\u4EC0\u9EBD\u4E0D\u8AAA\u4E2D\u6587', 'ihqwctvzc91f659drss3x8bo0yb'],
  [
    '\u0050\u0072\u006F\u010D\u0070\u0072\u006F\u0073\u0074\u011B\u006E\u0065\u006D\u006C\u0075\u0076\u00ED\u010D\u0065\u0073\u006B\u0079',
    'Proprostnemluvesky-uyb24dma41a',
  ],
  [
    '\u05DC\u05DE\u05D4\u05D4\u05DD\u05E4\u05E9\u05D5\u05D8\u05DC\u05D0\u05DE\u05D3\u05D1\u05E8\u05D9\u05DD\u05E2\u05D1\u05E8\u05D9\u05EA',
    '4dbcagdahymbxekheh6e0a7fei0b',
  ],
  [
    '\u092F\u0939\u0932\u094B\u0917\u0939\u093F\u0928\u094D\u0926\u0940\u0915\u094D\u092F\u094B\u0902\u0928\u0939\u0940\u0902\u092C\u094B\u0932\u0938\u0915\u0924\u0947\u0939\u0948\u0902',
    'i1baa7eci9glrd9b2ae1bj0hfcgg6iyaf8o0a1dig0cd',
  ],
  [
    '\u306A\u305C\u307F\u3093\u306A\u65E5\u672C\u8A9E\u3092\u8A71\u3057\u3066\u304F\u308C\u306A\u3044\u306E\u304B',
    'n8jok5ay5dzabd5bym9f0cm5685rrjetr6pdxa',
  ],
  [
    '\uC138\uACC4\uC758\uBAA8\uB4E0\uC0AC\uB78C\uB4E4\uC774\uD55C\uAD6D\uC5B4\uB97C\uC774\uD574\uD55C\uB2E4\uBA74\uC5BC\uB9C8\uB098\uC88B\uC744\uAE4C',
    '989aomsvi5e83db1d2a355cv1e0vak1dwrv93d5xbh15a0dt30a5jpsd879ccm6fea98c',
  ],
  [
    '\u043F\u043E\u0447\u0435\u043C\u0443\u0436\u0435\u043E\u043D\u0438\u043D\u0435\u0433\u043E\u0432\u043E\u0440\u044F\u0442\u043F\u043E\u0440\u0443\u0441\u0441\u043A\u0438',
    'b1abfaaepdrnnbgefbadotcwatmq2g4l',
  ],
  [
    '\u0050\u006F\u0072\u0071\u0075\u00E9\u006E\u006F\u0070\u0075\u0065\u0064\u0065\u006E\u0073\u0069\u006D\u0070\u006C\u0065\u006D\u0065\u006E\u0074\u0065\u0068\u0061\u0062\u006C\u0061\u0072\u0065\u006E\u0045\u0073\u0070\u0061\u00F1\u006F\u006C',
    'PorqunopuedensimplementehablarenEspaol-fmd56a',
  ],
  [
    '\u0054\u1EA1\u0069\u0073\u0061\u006F\u0068\u1ECD\u006B\u0068\u00F4\u006E\u0067\u0074\u0068\u1EC3\u0063\u0068\u1EC9\u006E\u00F3\u0069\u0074\u0069\u1EBF\u006E\u0067\u0056\u0069\u1EC7\u0074',
    'TisaohkhngthchnitingVit-kjcr8268qyxafd2f1b9g',
  ],
  ['\u0033\u5E74\u0042\u7D44\u91D1\u516B\u5148\u751F', '3B-ww4c5e180e575a65lsy2b'],
  [
    '\u5B89\u5BA4\u5948\u7F8E\u6075\u002D\u0077\u0069\u0074\u0068\u002D\u0053\u0055\u0050\u0045\u0052\u002D\u004D\u004F\u004E\u004B\u0045\u0059\u0053',
    '-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n',
  ],
  [
    '\u0048\u0065\u006C\u006C\u006F\u002D\u0041\u006E\u006F\u0074\u0068\u0065\u0072\u002D\u0057\u0061\u0079\u002D\u305D\u308C\u305E\u308C\u306E\u5834\u6240',
    'Hello-Another-Way--fc4qua05auwb3674vfr0b',
  ],
  ['\u3072\u3068\u3064\u5C4B\u6839\u306E\u4E0B\u0032', '2-u9tlzr9756bt3uc0v'],
  ['\u004D\u0061\u006A\u0069\u3067\u004B\u006F\u0069\u3059\u308B\u0035\u79D2\u524D', 'MajiKoi5-783gue6qz075azm5e'],
  ['\u30D1\u30D5\u30A3\u30FC\u0064\u0065\u30EB\u30F3\u30D0', 'de-jg4avhby1noc0d'],
  ['\u305D\u306E\u30B9\u30D4\u30FC\u30C9\u3067', 'd9juau41awczczp'],
  ['\u002D\u003E\u0020\u0024\u0031\u002E\u0030\u0030\u0020\u003C\u002D', '-> $1.00 <--'],
];

test('punycode_test.go TestPunycode', () => {
  for (const [s, encoded] of punycodeTestCases) {
    assert.equal(punycodeDecode(encoded), s, encoded);
    assert.equal(punycodeEncode(s), encoded, s);
  }
});

test('punycode_test.go TestPunycodeErrors', () => {
  for (const encoded of ['-', 'foo\x00bar', 'foo#bar', 'foo\u00A3bar', '9', '99999a', '9999999999a']) {
    assert.equal(punycodeDecode(encoded), null, JSON.stringify(encoded));
  }
  assert.equal(punycodeEncode('x'.repeat(65536) + '\uff00'), null); // int32 overflow
});
