/**
 * compileGoRegexp against Go's own tests (golang/go src/regexp/all_test.go goodRe/badRe,
 * src/regexp/syntax/parse_test.go parseTests/invalidRegexps/onlyPerl/onlyPOSIX) and the path
 * examples of the cloudflared config spec (section 7). Where a Go test only checks that an error
 * happens, the exact text follows from src/regexp/syntax/parse.go (fragment = the slice Go passes
 * to &Error{Code, Expr}).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGoRegexp } from '../../../../src/core/go/regexp';

function errorOf(pattern: string): string {
  const r = compileGoRegexp(pattern);
  assert.ok(!r.ok, `expected ${JSON.stringify(pattern)} to be rejected`);
  return r.error;
}

function accepts(pattern: string): (s: string) => boolean {
  const r = compileGoRegexp(pattern);
  assert.ok(r.ok, `expected ${JSON.stringify(pattern.slice(0, 60))} to compile: ${r.ok ? '' : r.error}`);
  return (s: string) => r.test(s);
}

test('all_test.go goodRe compile', () => {
  for (const p of [
    '',
    '.',
    '^.$',
    'a',
    'a*',
    'a+',
    'a?',
    'a|b',
    'a*|b*',
    '(a*|b)(c*|d)',
    '[a-z]',
    '[a-abc-c\\-\\]\\[]',
    '[a-z]+',
    '[abc]',
    '[^1234]',
    '[^\\n]',
    '\\!\\\\',
  ]) {
    accepts(p);
  }
});

test('all_test.go badRe: exact error texts', () => {
  const cases: Array<[string, string]> = [
    ['*', 'missing argument to repetition operator: `*`'],
    ['+', 'missing argument to repetition operator: `+`'],
    ['?', 'missing argument to repetition operator: `?`'],
    ['(abc', 'missing closing ): `(abc`'],
    ['abc)', 'unexpected ): `abc)`'],
    ['x[a-z', 'missing closing ]: `[a-z`'],
    ['[z-a]', 'invalid character class range: `z-a`'],
    ['abc\\', 'trailing backslash at end of expression: ``'],
    ['a**', 'invalid nested repetition operator: `**`'],
    ['a*+', 'invalid nested repetition operator: `*+`'],
    ['\\x', 'invalid escape sequence: `\\x`'],
  ];
  for (const [p, msg] of cases) assert.equal(errorOf(p), `error parsing regexp: ${msg}`, p);
  // {strings.Repeat(`\pL`, 27000), "expression too large"}: Go reports the whole expression.
  const big = '\\pL'.repeat(27000);
  assert.equal(errorOf(big), `error parsing regexp: expression too large: \`${big}\``);
});

test('spec section 7 path error examples', () => {
  const cases: Array<[string, string]> = [
    ['*', 'missing argument to repetition operator: `*`'],
    ['[a-', 'missing closing ]: `[a-`'],
    ['(a', 'missing closing ): `(a`'],
    ['a)', 'unexpected ): `a)`'],
    ['a**', 'invalid nested repetition operator: `**`'],
    ['**', 'missing argument to repetition operator: `*`'],
    ['\\1', 'invalid escape sequence: `\\1`'],
    ['\\Z', 'invalid escape sequence: `\\Z`'],
    ['(?=a)', 'invalid or unsupported Perl syntax: `(?=`'],
    ['(?!a)', 'invalid or unsupported Perl syntax: `(?!`'],
    ['a{1001}', 'invalid repeat count: `{1001}`'],
    ['\\', 'trailing backslash at end of expression: ``'],
    // Lookbehind: parsePerlFlags sees `(?<` and looks for a capture name up to the next `>`.
    ['(?<=a)b', 'invalid named capture: `(?<=a)b`'],
    ['(?<!a)b', 'invalid named capture: `(?<!a)b`'],
    ['(?<=a)b>c', 'invalid named capture: `(?<=a)b>`'],
  ];
  for (const [p, msg] of cases) assert.equal(errorOf(p), `error parsing regexp: ${msg}`, p);
});

test('spec section 7 path syntax that Go accepts', () => {
  accepts('(?P<name>a)');
  accepts('(?<name>a)'); // Go 1.22+
  accepts('[[:alpha:]]+');
  accepts('\\p{Greek}');
  accepts('(?i)ADMIN');
  accepts('(?s).');
  accepts('(?m)^a$');
  accepts('(?U)a+');
  accepts('\\.png$');
});

test('matching is an unanchored search, case-sensitive unless (?i) (spec 7, Go MatchString)', () => {
  const admin = accepts('/admin');
  assert.equal(admin('/admin'), true);
  assert.equal(admin('/foo/administrator'), true);
  assert.equal(admin('/Admin'), false);
  const anchored = accepts('^/admin$');
  assert.equal(anchored('/foo/administrator'), false);
  assert.equal(anchored('/admin'), true);
  assert.equal(accepts('(?i)/admin')('/ADMIN/x'), true);
  const png = accepts('\\.png$');
  assert.equal(png('/img/a.png'), true);
  assert.equal(png('/img/apng'), false);
  assert.equal(accepts('[[:alpha:]]+')('123'), false);
  assert.equal(accepts('\\p{Greek}')('/\u03b1'), true);
  assert.equal(accepts('')('/anything'), true);
});

test('Go-only spellings still match: duplicate group names and canonical \\p names', () => {
  const dup = accepts('(?P<a>x)(?P<a>y)'); // Go has no duplicate-name check
  assert.equal(dup('--xy--'), true);
  assert.equal(accepts('^\\p{letter}+$')('abc'), true);
  assert.equal(accepts('^\\p{letter}+$')('a1'), false);
  assert.equal(accepts('^\\p{ASCII}+$')('abc'), true);
  assert.equal(accepts('^\\pl$')('x'), true);
  assert.equal(accepts('^[\\p{decimal number}]$')('7'), true);
  assert.equal(accepts('^\\P{^greek}$')('\u03b1'), true);
});

test('parse_test.go parseTests and onlyPerl parse', () => {
  const patterns = [
    'a',
    'a.',
    'a.b',
    'ab',
    'a.b.c',
    'abc',
    'a|^',
    'a|b',
    '(a)',
    '(a)|b',
    'a*',
    'a+',
    'a?',
    'a{2}',
    'a{2,3}',
    'a{2,}',
    'a*?',
    'a+?',
    'a??',
    'a{2}?',
    'a{2,3}?',
    'a{2,}?',
    'x{1001',
    'x{9876543210',
    'x{9876543210,',
    'x{2,1',
    'x{1,9876543210',
    '',
    '|',
    '|x|',
    '.',
    '^',
    '$',
    '\\|',
    '\\(',
    '\\)',
    '\\*',
    '\\+',
    '\\?',
    '{',
    '}',
    '\\.',
    '\\^',
    '\\$',
    '\\\\',
    '[ace]',
    '[abc]',
    '[a-z]',
    '[a]',
    '\\-',
    '-',
    '\\_',
    'abc|def',
    'abc|def|ghi',
    '[[:lower:]]',
    '[^[:lower:]]',
    '[[:^lower:]]',
    '(?i)[[:lower:]]',
    '(?i)[a-z]',
    '\\d',
    '\\D',
    '\\s',
    '\\S',
    '\\w',
    '\\W',
    '(?i)\\w',
    '[^\\\\]',
    '\\p{Braille}',
    '\\P{Braille}',
    '\\p{^Braille}',
    '\\P{^Braille}',
    '\\pZ',
    '[\\p{Braille}]',
    '[\\P{Braille}]',
    '[\\p{^Braille}]',
    '[\\P{^Braille}]',
    '[\\pZ]',
    '\\p{Lu}',
    '\\p{Uppercase_Letter}',
    '\\p{upper case-let ter}',
    '\\p{__upper case-let ter}',
    '[\\p{Lu}]',
    '(?i)[\\p{Lu}]',
    '\\p{Any}',
    '\\p{^Any}',
    '(?i)\\p{ascii}',
    '\\p{Assigned}',
    '\\p{^Assigned}',
    '[\\012-\\234]\\141',
    '[\\x{41}-\\x7a]\\x61',
    'a{,2}',
    '\\.\\^\\$\\\\',
    '[a-zABC]',
    '[^a]',
    '[\u03b1-\u03b5\u263a]',
    'a*{',
    '(?:ab)*',
    '(ab)*',
    'ab|cd',
    'a(b|c)d',
    '(?:a)',
    '(?:ab)(?:cd)',
    '(?:a+b+)(?:c+d+)',
    '(?:a+|b+)|(?:c+|d+)',
    '(?:a|b)|(?:c|d)',
    'a|.',
    '.|a',
    '(?:[abc]|A|Z|hello|world)',
    '\\Q+|*?{[\\E',
    '\\Q+\\E+',
    '\\Qab\\E+',
    '\\Q\\\\E',
    '\\Q\\\\\\E',
    '(?m)^',
    '(?-m)$',
    '(?m)\\A',
    '(?-m)\\z',
    '(?P<name>a)',
    '(?<name>a)',
    '[Aa]',
    '[\\x{100}\\x{101}]',
    '[\u0394\u03b4]',
    'abcde',
    '[Aa][Bb]cd',
    'abc|abd|aef|bcx|bcy',
    'ax+y|ax+z|ay+w',
    '(?:.)',
    '(?:x|(?:xa))',
    '(?s).',
    '(?-s).',
    '(?:(?:^).)',
    '[\\s\\S]a',
    'x{2}|x{2}[0-9]',
    'a.*?c|a.*?b',
    // Valid repetitions and nesting.
    '((((((((((x{2}){2}){2}){2}){2}){2}){2}){2}){2}))',
    '((((((((((x{1}){2}){2}){2}){2}){2}){2}){2}){2}){2})',
    '(?:[a-z]{4}){0,250}',
    '('.repeat(999) + ')'.repeat(999),
    '(?:'.repeat(999) + ')*'.repeat(999),
    '(' + '|'.repeat(12345) + ')',
    // onlyPerl
    '[a-b-c]',
    '\\Qabc\\E',
    '\\Q*+?{[\\E',
    '\\Q\\\\\\\\E',
    '\\Q\\\\\\\\\\E',
  ];
  for (const p of patterns) accepts(p);
});

test('parse_test.go invalidRegexps and onlyPOSIX are rejected with Go texts', () => {
  const cases: Array<[string, string]> = [
    ['(', 'missing closing ): `(`'],
    [')', 'unexpected ): `)`'],
    ['(a', 'missing closing ): `(a`'],
    ['a)', 'unexpected ): `a)`'],
    ['(a))', 'unexpected ): `(a))`'],
    ['(a|b|', 'missing closing ): `(a|b|`'],
    ['a|b|)', 'unexpected ): `a|b|)`'],
    ['(a|b|))', 'unexpected ): `(a|b|))`'],
    ['(a|b', 'missing closing ): `(a|b`'],
    ['a|b)', 'unexpected ): `a|b)`'],
    ['(a|b))', 'unexpected ): `(a|b))`'],
    ['[a-z', 'missing closing ]: `[a-z`'],
    ['([a-z)', 'missing closing ]: `[a-z)`'],
    ['[a-z)', 'missing closing ]: `[a-z)`'],
    ['([a-z]))', 'unexpected ): `([a-z]))`'],
    ['x{1001}', 'invalid repeat count: `{1001}`'],
    ['x{9876543210}', 'invalid repeat count: `{9876543210}`'],
    ['x{2,1}', 'invalid repeat count: `{2,1}`'],
    ['x{1,9876543210}', 'invalid repeat count: `{1,9876543210}`'],
    // ("\xff" etc. are invalid UTF-8: a JS string cannot hold them.)
    ['(?P<name>a', 'missing closing ): `(?P<name>a`'],
    ['(?P<name>', 'missing closing ): `(?P<name>`'],
    ['(?P<name', 'invalid named capture: `(?P<name`'],
    ['(?P<x y>a)', 'invalid named capture: `(?P<x y>`'],
    ['(?P<>a)', 'invalid named capture: `(?P<>`'],
    ['(?<name>a', 'missing closing ): `(?<name>a`'],
    ['(?<name>', 'missing closing ): `(?<name>`'],
    ['(?<name', 'invalid named capture: `(?<name`'],
    ['(?<x y>a)', 'invalid named capture: `(?<x y>`'],
    ['(?<>a)', 'invalid named capture: `(?<>`'],
    ['[a-Z]', 'invalid character class range: `a-Z`'],
    ['(?i)[a-Z]', 'invalid character class range: `a-Z`'],
    ['\\Q\\E*', 'missing argument to repetition operator: `*`'],
    ['a{100000}', 'invalid repeat count: `{100000}`'],
    ['a{100000,}', 'invalid repeat count: `{100000,}`'],
    ['((((((((((x{2}){2}){2}){2}){2}){2}){2}){2}){2}){2})', 'invalid repeat count: `{2}`'],
    ['(?:[a-z]{4}){0,251}', 'invalid repeat count: `{0,251}`'],
    // onlyPOSIX: nested repetition operators are a Perl-mode error.
    ['a++', 'invalid nested repetition operator: `++`'],
    ['a**', 'invalid nested repetition operator: `**`'],
    ['a?*', 'invalid nested repetition operator: `?*`'],
    ['a+*', 'invalid nested repetition operator: `+*`'],
    ['a{1}*', 'invalid nested repetition operator: `{1}*`'],
    ['.{1}{2}.{3}', 'invalid nested repetition operator: `{1}{2}`'],
  ];
  for (const [p, msg] of cases) assert.equal(errorOf(p), `error parsing regexp: ${msg}`, p);

  // Limits: too deep, too long, too many runes (Go reports the whole expression).
  const limits: Array<[string, string]> = [
    ['('.repeat(1000) + ')'.repeat(1000), 'expression nests too deeply'],
    ['(?:'.repeat(1000) + ')*'.repeat(1000), 'expression nests too deeply'],
    ['(' + '(xx?)'.repeat(1000) + '){1000}', 'expression too large'],
    ['(xx?){1000}'.repeat(1000), 'expression too large'],
  ];
  for (const [p, code] of limits) assert.equal(errorOf(p), `error parsing regexp: ${code}: \`${p}\``);
});

test('escape, class and flag errors follow parse.go', () => {
  const cases: Array<[string, string]> = [
    ['\\8', 'invalid escape sequence: `\\8`'],
    ['\\18', 'invalid escape sequence: `\\1`'],
    ['\\q', 'invalid escape sequence: `\\q`'],
    ['\\C', 'invalid escape sequence: `\\C`'],
    ['\\x4', 'invalid escape sequence: `\\x4`'],
    ['\\xg0', 'invalid escape sequence: `\\xg0`'],
    ['\\x{}', 'invalid escape sequence: `\\x{}`'],
    ['\\x{zz}', 'invalid escape sequence: `\\x{z`'],
    ['\\x{110000}', 'invalid escape sequence: `\\x{110000`'],
    ['\\x{41', 'invalid escape sequence: `\\x{41`'],
    ['[\\b]', 'invalid escape sequence: `\\b`'],
    ['[a-\\pL]', 'invalid escape sequence: `\\p`'],
    ['[\\', 'trailing backslash at end of expression: ``'],
    ['[]', 'missing closing ]: `[]`'],
    ['[^]', 'missing closing ]: `[^]`'],
    ['a[b', 'missing closing ]: `[b`'],
    ['[[:unknown:]]', 'invalid character class range: `[:unknown:]`'],
    ['[[:^unknown:]]', 'invalid character class range: `[:^unknown:]`'],
    ['[[:x]a:]', 'invalid character class range: `[:x]a:]`'],
    ['\\p', 'invalid character class range: `\\p`'],
    ['\\pX', 'invalid character class range: `\\pX`'],
    ['\\p{', 'invalid character class range: `\\p{`'],
    ['\\p{L', 'invalid character class range: `\\p{L`'],
    ['\\p{}', 'invalid character class range: `\\p{}`'],
    ['\\p{^}', 'invalid character class range: `\\p{^}`'],
    ['\\p{Nonexistent}', 'invalid character class range: `\\p{Nonexistent}`'],
    ['\\p{Emoji}', 'invalid character class range: `\\p{Emoji}`'], // a property, not a category/script
    ['\\p{L&}', 'invalid character class range: `\\p{L&}`'],
    ['[\\p{Foo}]', 'invalid character class range: `\\p{Foo}`'],
    ['(?i-:a)', 'invalid or unsupported Perl syntax: `(?i-:`'],
    ['(?-)a', 'invalid or unsupported Perl syntax: `(?-)`'],
    ['(?i-)a', 'invalid or unsupported Perl syntax: `(?i-)`'],
    ['(?--i)a', 'invalid or unsupported Perl syntax: `(?--`'],
    ['(?q)a', 'invalid or unsupported Perl syntax: `(?q`'],
    ['(?i', 'invalid or unsupported Perl syntax: `(?i`'],
    ['(?P=n)', 'invalid or unsupported Perl syntax: `(?P`'],
    ['(?<', 'invalid or unsupported Perl syntax: `(?<`'],
    ['(?#comment)', 'invalid or unsupported Perl syntax: `(?#`'],
    ['a{2}{3}', 'invalid nested repetition operator: `{2}{3}`'],
    ['x{2}*?+', 'invalid nested repetition operator: `{2}*?`'],
    ['*?', 'missing argument to repetition operator: `*?`'],
    ['(*)', 'missing argument to repetition operator: `*`'],
    ['a|*', 'missing argument to repetition operator: `*`'],
    ['(?i)*', 'missing argument to repetition operator: `*`'],
    ['{2}', 'missing argument to repetition operator: `{2}`'],
    ['(a{500}){3}', 'invalid repeat count: `{3}`'],
    ['(a{500}){3}?', 'invalid repeat count: `{3}?`'],
  ];
  for (const [p, msg] of cases) assert.equal(errorOf(p), `error parsing regexp: ${msg}`, p);
});

test('edge syntax Go accepts', () => {
  for (const p of [
    '^*',
    '$+',
    '\\b*',
    '()*',
    '(?:)*',
    'x{0}{',
    'a{01}',
    '[[:x]]',
    '[]a]',
    '[^]a]',
    '[a-]',
    '[-a]',
    '\\_',
    '\\Q\\E',
    '\\Qab',
    '\\x{10FFFF}',
    '\\0',
    '\\07',
    '\\101',
    '\\z\\z',
    '(?i)(?-i)a',
    '(?i-s:a)',
    '(?imsU)a',
    '\\pN',
    '\\p{Cn}',
    '\\p{LC}',
    '\\p{Lc}',
    '\\p{Cased_Letter}',
    '\\p{cntrl}',
    '\\p{greek}',
    '\\p{GREEK}',
    '\\p{Assigned}',
    '(a{500}){2}',
    '(?:a{10}){100}',
  ]) {
    accepts(p);
  }
  assert.equal(accepts('^a{01}$')('a{01}'), true); // leading zero: not a repeat, a literal
  assert.equal(accepts('^[[:x]]$')('x]'), true);
  assert.equal(accepts('^\\Q.a+?\\E$')('.a+?'), true);
  assert.equal(accepts('^\\x{1FF}$')('\u01ff'), true);
  assert.equal(accepts('^\\777$')('\u01ff'), true);
});

test('Unicode class names as Go 1.26 resolves them', () => {
  // Go 1.25+ canonicalises the name (drops _ - and spaces, first letter upper, rest lower) and
  // looks that up as is: scripts named with an underscore or inner capital are unreachable.
  assert.equal(errorOf('\\p{Old_Italic}'), 'error parsing regexp: invalid character class range: `\\p{Old_Italic}`');
  assert.equal(errorOf('\\p{old-italic}'), 'error parsing regexp: invalid character class range: `\\p{old-italic}`');
  accepts('\\p{deseret}');
  accepts('\\p{lowercaseletter}');
  accepts('\\p{Decimal_Number}');
  accepts('\\p{digit}');
});
