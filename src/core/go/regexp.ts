/**
 * Go's `regexp.Compile` and `(*Regexp).MatchString`, as cloudflared uses them for ingress `path`.
 *
 * Syntax errors come from a port of the error-producing half of Go's parser
 * (src/regexp/syntax/parse.go, Go 1.26: Perl flags, `(?<name>` accepted), so the text is Go's
 * exactly: `error parsing regexp: <code>: \`<fragment>\``. The port tracks only what decides an
 * error: the parse stack (open groups, `|` markers, operands), the previous repetition operator
 * and the nesting of counted repetitions (`repeatIsValid`). Character classes, escapes, flag
 * groups and `\p{...}` names are checked exactly as Go checks them.
 *
 * Matching uses re2js (a port of RE2/J, the same RE2 semantics). Before handing the pattern over,
 * Go-only spellings are rewritten to ones re2js knows, without changing what matches:
 * named groups become plain groups (re2js refuses duplicate names, Go does not) and `\p{...}`
 * names are replaced by the table name Go resolved them to (`\p{letter}` -> `\p{L}`).
 * re2js also reports Go's size limits (`expression too large`, `expression nests too deeply`),
 * which this module translates to Go's message with the whole pattern as fragment.
 *
 * Known gaps: re2js's Unicode tables are newer (Unicode 17) than Go 1.26's (15.0), so `\pL`
 * etc. also match the few letters added since; a size-limit error is reported only if the rest of
 * the pattern is valid (Go stops at whichever comes first); invalid UTF-8 cannot occur in a JS
 * string, so `invalid UTF-8` is never produced.
 */
import { RE2JS } from 're2js';

export type GoRegexp = { ok: true; test(s: string): boolean } | { ok: false; error: string };

/** Go's `regexp.Compile(pattern)`; `test` is `MatchString` (unanchored search). */
export function compileGoRegexp(pattern: string): GoRegexp {
  let translated: string;
  try {
    translated = new GoSyntaxChecker(pattern).check();
  } catch (e) {
    if (e instanceof GoSyntaxError) return { ok: false, error: e.message };
    throw e;
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(translated);
  } catch (e) {
    const code = (e as { error?: unknown }).error;
    if (code === ERR.large || code === ERR.nestingDepth) {
      return { ok: false, error: new GoSyntaxError(code, pattern).message };
    }
    // Go accepts the pattern but re2js does not: report it as valid, never matching.
    return { ok: true, test: () => false };
  }
  return { ok: true, test: (s: string) => re.test(s) };
}

/** Go's syntax error for `pattern` (the text `regexp.Compile` would return), or null; nothing is compiled. */
export function goRegexpSyntaxError(pattern: string): string | null {
  try {
    new GoSyntaxChecker(pattern).check();
    return null;
  } catch (e) {
    if (e instanceof GoSyntaxError) return e.message;
    throw e;
  }
}

/** Go's ErrorCode strings (regexp/syntax). */
const ERR = {
  invalidCharRange: 'invalid character class range',
  invalidEscape: 'invalid escape sequence',
  invalidNamedCapture: 'invalid named capture',
  invalidPerlOp: 'invalid or unsupported Perl syntax',
  invalidRepeatOp: 'invalid nested repetition operator',
  invalidRepeatSize: 'invalid repeat count',
  missingBracket: 'missing closing ]',
  missingParen: 'missing closing )',
  missingRepeatArgument: 'missing argument to repetition operator',
  trailingBackslash: 'trailing backslash at end of expression',
  unexpectedParen: 'unexpected )',
  nestingDepth: 'expression nests too deeply',
  large: 'expression too large',
} as const;

/** Go's `*syntax.Error`: `error parsing regexp: <code>: \`<expr>\``. */
class GoSyntaxError extends Error {
  constructor(code: string, expr: string) {
    super(`error parsing regexp: ${code}: \`${expr}\``);
  }
}

/** Go's maxRepeat: the largest count in x{n,m}, and the largest product of nested counts. */
const MAX_REPEAT = 1000;

/** A parsed expression, reduced to what repeatIsValid needs. */
interface Node {
  /** Counted repetition `{min,max}` (max -1 = unbounded); every other operator is 'other'. */
  op: 'repeat' | 'other';
  min: number;
  max: number;
  subs: Node[];
}

/** Parse-stack entries: expressions and the pseudo-operators `(` and `|`. */
type StackItem = Node | { pseudo: 'leftParen' } | { pseudo: 'verticalBar' };

const leaf = (): Node => ({ op: 'other', min: 0, max: 0, subs: [] });
const isPseudo = (item: StackItem | undefined): boolean => item !== undefined && 'pseudo' in item;

/** Port of the error paths of Go's `syntax.Parse(s, syntax.Perl)`. */
class GoSyntaxChecker {
  private readonly stack: StackItem[] = [];
  /** Rewrites for re2js: [start, end, replacement]. */
  private readonly rewrites: Array<[number, number, string]> = [];

  constructor(private readonly s: string) {}

  /** Throws GoSyntaxError for an invalid pattern; returns the pattern as re2js should see it. */
  check(): string {
    const s = this.s;
    let i = 0;
    let lastRepeat = -1; // start of the previous repetition operator, -1 for none
    while (i < s.length) {
      let repeat = -1;
      const c = s[i]!;
      switch (c) {
        case '(':
          if (s[i + 1] === '?') i = this.parsePerlFlags(i);
          else {
            this.stack.push({ pseudo: 'leftParen' });
            i++;
          }
          break;
        case '|':
          this.parseVerticalBar();
          i++;
          break;
        case ')':
          this.parseRightParen();
          i++;
          break;
        case '[':
          i = this.parseClass(i);
          this.stack.push(leaf());
          break;
        case '*':
        case '+':
        case '?':
          repeat = i;
          i = this.repeat('other', 0, 0, i, i + 1, lastRepeat);
          break;
        case '{': {
          const r = this.parseRepeat(i);
          if (r === null) {
            this.stack.push(leaf()); // not a repetition: a literal {
            i++;
            break;
          }
          if (r.min < 0 || r.min > MAX_REPEAT || r.max > MAX_REPEAT || (r.max >= 0 && r.min > r.max)) {
            throw new GoSyntaxError(ERR.invalidRepeatSize, s.slice(i, r.end));
          }
          repeat = i;
          i = this.repeat('repeat', r.min, r.max, i, r.end, lastRepeat);
          break;
        }
        case '\\':
          i = this.parseBackslash(i);
          break;
        default:
          this.stack.push(leaf());
          i += runeLength(s, i);
      }
      lastRepeat = repeat;
    }
    this.concat();
    if (this.swapVerticalBar()) this.stack.pop();
    this.alternate();
    if (this.stack.length !== 1) throw new GoSyntaxError(ERR.missingParen, s);
    return this.applyRewrites();
  }

  /** A backslash outside a class: \A \b \B \z \Q..\E, \C (refused), \p{..}, \d etc., or an escape. */
  private parseBackslash(i: number): number {
    const s = this.s;
    switch (s[i + 1]) {
      case 'A':
      case 'b':
      case 'B':
      case 'z':
        this.stack.push(leaf());
        return i + 2;
      case 'C':
        throw new GoSyntaxError(ERR.invalidEscape, s.slice(i, i + 2));
      case 'Q': {
        const end = s.indexOf('\\E', i + 2);
        const lit = end < 0 ? s.slice(i + 2) : s.slice(i + 2, end);
        for (let k = 0; k < lit.length; k += runeLength(lit, k)) this.stack.push(leaf());
        return end < 0 ? s.length : end + 2;
      }
    }
    const unicode = this.parseUnicodeClass(i);
    if (unicode !== null) {
      this.stack.push(leaf());
      return unicode;
    }
    if (isPerlClassEscape(s, i)) {
      this.stack.push(leaf());
      return i + 2;
    }
    const next = this.parseEscape(i).next;
    this.stack.push(leaf());
    return next;
  }

  /**
   * Applies a repetition operator to the top of the stack. `before` is where the operator starts,
   * `after` where it ends; a following `?` (non-greedy) is part of it. Returns the new position.
   */
  private repeat(op: Node['op'], min: number, max: number, before: number, after: number, lastRepeat: number): number {
    if (this.s[after] === '?') after++;
    if (lastRepeat >= 0) throw new GoSyntaxError(ERR.invalidRepeatOp, this.s.slice(lastRepeat, after));
    const top = this.stack[this.stack.length - 1];
    if (top === undefined || isPseudo(top)) {
      throw new GoSyntaxError(ERR.missingRepeatArgument, this.s.slice(before, after));
    }
    const node: Node = { op, min, max, subs: [top as Node] };
    this.stack[this.stack.length - 1] = node;
    if (op === 'repeat' && (min >= 2 || max >= 2) && !repeatIsValid(node, MAX_REPEAT)) {
      throw new GoSyntaxError(ERR.invalidRepeatSize, this.s.slice(before, after));
    }
    return after;
  }

  /** Go's parseRepeat: `{min}`, `{min,}` or `{min,max}`; null when the text is not of that form. */
  private parseRepeat(i: number): { min: number; max: number; end: number } | null {
    const s = this.s;
    let j = i + 1;
    const lo = parseRepeatInt(s, j);
    if (lo === null) return null;
    let min = lo.n;
    let max: number;
    j = lo.end;
    if (j >= s.length) return null;
    if (s[j] !== ',') {
      max = min;
    } else {
      j++;
      if (j >= s.length) return null;
      if (s[j] === '}') {
        max = -1;
      } else {
        const hi = parseRepeatInt(s, j);
        if (hi === null) return null;
        max = hi.n;
        j = hi.end;
        if (max < 0) min = -1; // too big
      }
    }
    if (j >= s.length || s[j] !== '}') return null;
    return { min, max, end: j + 1 };
  }

  /** Go's parsePerlFlags: named groups `(?P<n>` / `(?<n>`, flag groups `(?i)`, `(?i-s:`. */
  private parsePerlFlags(i: number): number {
    const s = this.s;
    const t = s.slice(i);
    const startsWithP = t.length > 4 && t[2] === 'P' && t[3] === '<';
    const startsWithName = t.length > 3 && t[2] === '<';
    if (startsWithP || startsWithName) {
      const exprStart = startsWithP ? 4 : 3;
      const end = t.indexOf('>');
      if (end < 0) throw new GoSyntaxError(ERR.invalidNamedCapture, t);
      const name = t.slice(exprStart, end);
      if (!/^[A-Za-z0-9_]+$/.test(name)) throw new GoSyntaxError(ERR.invalidNamedCapture, t.slice(0, end + 1));
      this.stack.push({ pseudo: 'leftParen' });
      this.rewrites.push([i, i + end + 1, '(']); // names don't affect matching; re2js refuses duplicates
      return i + end + 1;
    }
    let j = i + 2;
    let sign = 1;
    let sawFlag = false;
    while (j < s.length) {
      const c = String.fromCodePoint(s.codePointAt(j)!);
      j += c.length;
      if (c === 'i' || c === 'm' || c === 's' || c === 'U') {
        sawFlag = true;
      } else if (c === '-') {
        if (sign < 0) break;
        sign = -1;
        sawFlag = false;
      } else if (c === ':' || c === ')') {
        if (sign < 0 && !sawFlag) break;
        if (c === ':') this.stack.push({ pseudo: 'leftParen' });
        return j;
      } else {
        break;
      }
    }
    throw new GoSyntaxError(ERR.invalidPerlOp, s.slice(i, j));
  }

  /** Go's parseVerticalBar: close the current alternative and leave one `|` marker on top. */
  private parseVerticalBar(): void {
    this.concat();
    if (!this.swapVerticalBar()) this.stack.push({ pseudo: 'verticalBar' });
  }

  /** Go's parseRightParen. */
  private parseRightParen(): void {
    this.concat();
    if (this.swapVerticalBar()) this.stack.pop();
    this.alternate();
    const n = this.stack.length;
    if (
      n < 2 ||
      !('pseudo' in this.stack[n - 2]!) ||
      (this.stack[n - 2] as { pseudo: string }).pseudo !== 'leftParen'
    ) {
      throw new GoSyntaxError(ERR.unexpectedParen, this.s);
    }
    const body = this.stack.pop() as Node;
    this.stack.pop();
    this.stack.push({ op: 'other', min: 0, max: 0, subs: [body] });
  }

  /** If a `|` marker sits just below the top, moves it above the top (Go's swapVerticalBar). */
  private swapVerticalBar(): boolean {
    const n = this.stack.length;
    const below = this.stack[n - 2];
    if (n >= 2 && below !== undefined && 'pseudo' in below && below.pseudo === 'verticalBar') {
      this.stack[n - 2] = this.stack[n - 1]!;
      this.stack[n - 1] = below;
      return true;
    }
    return false;
  }

  /** Replaces the expressions above the topmost pseudo-operator by one node (concat/alternate). */
  private collapseTop(): void {
    let k = this.stack.length;
    while (k > 0 && !isPseudo(this.stack[k - 1])) k--;
    const subs = this.stack.splice(k) as Node[];
    this.stack.push(subs.length === 1 ? subs[0]! : { op: 'other', min: 0, max: 0, subs });
  }

  private concat(): void {
    this.collapseTop();
  }

  private alternate(): void {
    this.collapseTop();
  }

  /** Go's parseClass: returns the index after the closing `]`. */
  private parseClass(start: number): number {
    const s = this.s;
    let j = start + 1;
    if (s[j] === '^') j++;
    let first = true; // ] and - are okay as first char in class
    while (j >= s.length || s[j] !== ']' || first) {
      first = false;
      if (s.length - j > 2 && s[j] === '[' && s[j + 1] === ':') {
        const named = this.parseNamedClass(j);
        if (named !== null) {
          j = named;
          continue;
        }
      }
      const unicode = this.parseUnicodeClass(j);
      if (unicode !== null) {
        j = unicode;
        continue;
      }
      if (isPerlClassEscape(s, j)) {
        j += 2;
        continue;
      }
      const rangeStart = j;
      const lo = this.parseClassChar(j, start);
      j = lo.next;
      if (s.length - j >= 2 && s[j] === '-' && s[j + 1] !== ']') {
        const hi = this.parseClassChar(j + 1, start);
        j = hi.next;
        if (hi.rune < lo.rune) throw new GoSyntaxError(ERR.invalidCharRange, s.slice(rangeStart, j));
      }
    }
    return j + 1;
  }

  /** Go's parseClassChar: one (possibly escaped) character of a class. */
  private parseClassChar(j: number, classStart: number): { rune: number; next: number } {
    const s = this.s;
    if (j >= s.length) throw new GoSyntaxError(ERR.missingBracket, s.slice(classStart));
    if (s[j] === '\\') return this.parseEscape(j);
    return { rune: s.codePointAt(j)!, next: j + runeLength(s, j) };
  }

  /** Go's parseNamedClass: `[:alpha:]`, `[:^alpha:]`; null when there is no `:]` at all. */
  private parseNamedClass(j: number): number | null {
    const rest = this.s.slice(j);
    const close = rest.indexOf(':]', 2);
    if (close < 0) return null;
    const name = rest.slice(0, close + 2);
    if (!POSIX_CLASSES.has(name)) throw new GoSyntaxError(ERR.invalidCharRange, name);
    return j + name.length;
  }

  /**
   * Go's parseUnicodeClass: `\pL`, `\p{Greek}`, `\P{^Lu}`. Returns null if s[j:] does not start
   * with `\p`/`\P`, the index after the class otherwise; throws for an unknown name.
   */
  private parseUnicodeClass(j: number): number | null {
    const s = this.s;
    if (s[j] !== '\\' || (s[j + 1] !== 'p' && s[j + 1] !== 'P')) return null;
    let end: number;
    let name: string;
    let braces = false;
    if (s[j + 2] !== '{') {
      end = j + 2 + (j + 2 < s.length ? runeLength(s, j + 2) : 0);
      name = s.slice(j + 2, end);
    } else {
      const close = s.indexOf('}', j);
      if (close < 0) throw new GoSyntaxError(ERR.invalidCharRange, s.slice(j));
      end = close + 1;
      name = s.slice(j + 3, close);
      braces = true;
    }
    const caret = name.startsWith('^');
    const table = unicodeTableName(caret ? name.slice(1) : name);
    if (table === null) throw new GoSyntaxError(ERR.invalidCharRange, s.slice(j, end));
    if (braces || table !== name) this.rewrites.push([j, end, `\\${s[j + 1]}{${caret ? '^' : ''}${table}}`]);
    return end;
  }

  /** Go's parseEscape: a single-character escape; returns the rune and the index after it. */
  private parseEscape(j: number): { rune: number; next: number } {
    const s = this.s;
    let t = j + 1;
    if (t >= s.length) throw new GoSyntaxError(ERR.trailingBackslash, '');
    const c = s.codePointAt(t)!;
    t += runeLength(s, t);
    const fail = (): never => {
      throw new GoSyntaxError(ERR.invalidEscape, s.slice(j, t));
    };
    const ch = String.fromCodePoint(c);
    if (ch >= '1' && ch <= '7' && !isOctal(s[t])) fail(); // backreference: not supported
    if (ch >= '0' && ch <= '7') {
      // Up to three octal digits; already have one.
      let r = c - 48;
      for (let k = 1; k < 3 && isOctal(s[t]); k++, t++) r = r * 8 + (s.charCodeAt(t) - 48);
      return { rune: r, next: t };
    }
    if (ch === 'x') return this.parseHexEscape(j, t);
    const control = C_ESCAPES[ch];
    if (control !== undefined) return { rune: control, next: t };
    if (c < 0x80 && !/[0-9A-Za-z]/.test(ch)) return { rune: c, next: t }; // escaped punctuation
    return fail();
  }

  /** `\x41` or `\x{10FFFF}`; `t` is just after the `x`. */
  private parseHexEscape(j: number, t: number): { rune: number; next: number } {
    const s = this.s;
    const fail = (at: number): never => {
      throw new GoSyntaxError(ERR.invalidEscape, s.slice(j, at));
    };
    if (t >= s.length) return fail(t);
    const c = s.codePointAt(t)!;
    t += runeLength(s, t);
    if (c === 0x7b /* { */) {
      let r = 0;
      let nhex = 0;
      for (;;) {
        if (t >= s.length) return fail(t);
        const d = s.codePointAt(t)!;
        t += runeLength(s, t);
        if (d === 0x7d /* } */) break;
        const v = unhex(d);
        if (v < 0) return fail(t);
        r = r * 16 + v;
        if (r > 0x10ffff) return fail(t);
        nhex++;
      }
      if (nhex === 0) return fail(t);
      return { rune: r, next: t };
    }
    const x = unhex(c);
    let y = -1;
    if (t < s.length) {
      y = unhex(s.codePointAt(t)!);
      t += runeLength(s, t);
    }
    if (x < 0 || y < 0) return fail(t);
    return { rune: x * 16 + y, next: t };
  }

  private applyRewrites(): string {
    let out = '';
    let at = 0;
    for (const [start, end, text] of this.rewrites.sort((a, b) => a[0] - b[0])) {
      out += this.s.slice(at, start) + text;
      at = end;
    }
    return out + this.s.slice(at);
  }
}

/**
 * Go's repeatIsValid: the product of the counts of nested x{n,m} must not exceed n (1000).
 * Only counted repetitions count; `{0}` ends the walk; `{n,}` counts as n.
 */
function repeatIsValid(re: Node, n: number): boolean {
  if (re.op === 'repeat') {
    let m = re.max;
    if (m === 0) return true;
    if (m < 0) m = re.min;
    if (m > n) return false;
    if (m > 0) n = Math.trunc(n / m);
  }
  return re.subs.every((sub) => repeatIsValid(sub, n));
}

/** Go's parseInt for repeat counts: no leading zeros; -1 once the value reaches 1e8. */
function parseRepeatInt(s: string, j: number): { n: number; end: number } | null {
  if (!isDigit(s[j])) return null;
  if (s[j] === '0' && isDigit(s[j + 1])) return null; // disallow leading zeros
  let end = j;
  while (isDigit(s[end])) end++;
  let n = 0;
  for (let k = j; k < end; k++) {
    if (n >= 1e8) {
      n = -1;
      break;
    }
    n = n * 10 + (s.charCodeAt(k) - 48);
  }
  return { n, end };
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isOctal(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '7';
}

function unhex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** UTF-16 length of the code point at s[i] (1 or 2). */
function runeLength(s: string, i: number): number {
  return s.codePointAt(i)! > 0xffff ? 2 : 1;
}

/** `\d \D \s \S \w \W` (Go's perlGroup). */
function isPerlClassEscape(s: string, j: number): boolean {
  return s[j] === '\\' && j + 1 < s.length && 'dDsSwW'.includes(s[j + 1]!);
}

/** C escapes Go accepts: \a \f \n \r \t \v (no \b: that is a word boundary). */
const C_ESCAPES: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };

/** Go's posixGroup keys. */
const POSIX_CLASSES = new Set(
  [
    'alnum',
    'alpha',
    'ascii',
    'blank',
    'cntrl',
    'digit',
    'graph',
    'lower',
    'print',
    'punct',
    'space',
    'upper',
    'word',
    'xdigit',
  ].flatMap((n) => [`[:${n}:]`, `[:^${n}:]`]),
);

/**
 * Go's canonicalName (Go 1.25+): drops `_`, `-` and spaces, upper-cases the first letter and
 * lower-cases the rest, so `\p{upper case-let ter}` finds `Uppercaseletter`.
 */
function canonicalName(name: string): string {
  let out = '';
  let first = true;
  for (const c of name) {
    if (c === '_' || c === '-' || c === ' ') continue;
    if (first) {
      out += c >= 'a' && c <= 'z' ? c.toUpperCase() : c;
      first = false;
    } else {
      out += c >= 'A' && c <= 'Z' ? c.toLowerCase() : c;
    }
  }
  return out;
}

/** unicode.Categories keys (Go 1.25+ adds Cn and LC; LC is reached through the special case Lc). */
const CATEGORIES = new Set(
  'C Cc Cf Cn Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(' '),
);

/**
 * unicode.Scripts keys (Unicode 15.0, Go 1.21-1.26) that canonicalName can reach. Go looks the
 * canonicalised name up in the map as is, so the scripts spelled with an underscore or an inner
 * capital (Old_Italic, Canadian_Aboriginal, SignWriting, ...) cannot be named at all in Go 1.26.
 */
const SCRIPTS = new Set(
  (
    'Adlam Ahom Arabic Armenian Avestan Balinese Bamum Batak Bengali Bhaiksuki Bopomofo Brahmi Braille Buginese Buhid ' +
    'Carian Chakma Cham Cherokee Chorasmian Common Coptic Cuneiform Cypriot Cyrillic Deseret Devanagari Dogra Duployan ' +
    'Elbasan Elymaic Ethiopic Georgian Glagolitic Gothic Grantha Greek Gujarati Gurmukhi Han Hangul Hanunoo Hatran ' +
    'Hebrew Hiragana Inherited Javanese Kaithi Kannada Katakana Kawi Kharoshthi Khmer Khojki Khudawadi Lao Latin ' +
    'Lepcha Limbu Lisu Lycian Lydian Mahajani Makasar Malayalam Mandaic Manichaean Marchen Medefaidrin Miao Modi ' +
    'Mongolian Mro Multani Myanmar Nabataean Nandinagari Newa Nko Nushu Ogham Oriya Osage Osmanya Palmyrene ' +
    'Phoenician Rejang Runic Samaritan Saurashtra Sharada Shavian Siddham Sinhala Sogdian Soyombo Sundanese Syriac ' +
    'Tagalog Tagbanwa Takri Tamil Tangsa Tangut Telugu Thaana Thai Tibetan Tifinagh Tirhuta Toto Ugaritic Vai ' +
    'Vithkuqi Wancho Yezidi Yi'
  ).split(' '),
);

/** unicode.CategoryAliases (General_Category aliases of PropertyValueAliases.txt), by canonical name. */
const CATEGORY_ALIASES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    Other: 'C',
    Control: 'Cc',
    Cntrl: 'Cc',
    Format: 'Cf',
    Unassigned: 'Cn',
    Privateuse: 'Co',
    Surrogate: 'Cs',
    Letter: 'L',
    Casedletter: 'LC',
    Lowercaseletter: 'Ll',
    Modifierletter: 'Lm',
    Otherletter: 'Lo',
    Titlecaseletter: 'Lt',
    Uppercaseletter: 'Lu',
    Mark: 'M',
    Combiningmark: 'M',
    Spacingmark: 'Mc',
    Enclosingmark: 'Me',
    Nonspacingmark: 'Mn',
    Number: 'N',
    Decimalnumber: 'Nd',
    Digit: 'Nd',
    Letternumber: 'Nl',
    Othernumber: 'No',
    Punctuation: 'P',
    Punct: 'P',
    Connectorpunctuation: 'Pc',
    Dashpunctuation: 'Pd',
    Closepunctuation: 'Pe',
    Finalpunctuation: 'Pf',
    Initialpunctuation: 'Pi',
    Otherpunctuation: 'Po',
    Openpunctuation: 'Ps',
    Symbol: 'S',
    Currencysymbol: 'Sc',
    Modifiersymbol: 'Sk',
    Mathsymbol: 'Sm',
    Othersymbol: 'So',
    Separator: 'Z',
    Lineseparator: 'Zl',
    Paragraphseparator: 'Zp',
    Spaceseparator: 'Zs',
  }),
);

/**
 * Go's unicodeTable, returning the name re2js knows the same table by, or null when Go does not
 * know the name. Special names: Any, Assigned (the complement of Cn), ASCII, LC.
 */
function unicodeTableName(name: string): string | null {
  const canon = canonicalName(name);
  switch (canon) {
    case 'Any':
    case 'Assigned':
    case 'Ascii':
      return canon;
    case 'Lc':
      return 'LC';
  }
  if (CATEGORIES.has(canon) || SCRIPTS.has(canon)) return canon;
  return CATEGORY_ALIASES.get(canon) ?? null;
}
