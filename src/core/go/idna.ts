/**
 * `golang.org/x/net/idna` `Lookup.ToASCII`, as vendored by cloudflared (x/net v0.56.0, which
 * for Go 1.26 uses its Unicode 15.0.0 tables): UTS #46 non-transitional mapping, STD3 ASCII
 * rules, CheckHyphens, CheckJoiners and the RFC 5893 Bidi rule, no DNS length limits.
 *
 * How it is built:
 * - ASCII input is handled entirely here (lower-casing, STD3, hyphen rules, `xn--` labels decoded
 *   with a port of Go's punycode decoder).
 * - The UTS #46 mapping and per-code-point validity of non-ASCII text come from Node's
 *   `url.domainToASCII` (WHATWG "domain to ASCII": non-transitional, CheckJoiners, no STD3,
 *   no CheckHyphens). The checks it does not do are added here: STD3 (only `a-z 0-9 -` may be
 *   left in a label), the hyphen rules, and Go's Bidi rule (x/text/secure/bidirule) on every
 *   label of a domain name that contains right-to-left text.
 *
 * Known differences from Go (checked against a reference that runs Go's own Unicode 15.0.0 IDNA
 * trie: no other difference over every code point in three positions and a million random
 * names), all on input no hostname is likely to use:
 * - Joiners (U+200C, U+200D): their contexts are checked by Node (RFC 5892), while Go runs its
 *   own state machine; it accepts ZWNJ before a non-joining character ("ش\u200c1") and rejects
 *   a second joiner after a virama, where Node does the opposite.
 * - Bidi classes are approximated from Unicode blocks, general categories and scripts (JS
 *   regular expressions cannot query Bidi_Class); 99.5% of the code points IDNA allows get Go's
 *   class, so rare symbols in right-to-left names may be judged differently.
 * - U+2135..U+2138 (ℵ ℶ ℷ ℸ) between Latin letters ("aℵb"): Go does not treat the name as
 *   right-to-left (the class of the symbol, not of the Hebrew letter it maps to, counts);
 *   Node's own Bidi check rejects it.
 * - Names mixing non-ASCII text with `xn--` labels that are empty or only become `xn--` after
 *   mapping ("ñ.xn--", "xn--ñ－"): Node rejects them; Go accepts some with odd results.
 * - Unicode version: code points assigned after Unicode 15.0 are accepted if Node's tables
 *   allow them (none did in Node 20's).
 *
 * Pure module (only `node:url`).
 */

import { domainToASCII, domainToUnicode } from 'node:url';
import { toByteString } from './net';

/**
 * Go's `idna.Lookup.ToASCII(host)`, or null where Go returns an error. cloudflared keeps the
 * result as an extra spelling of a rule's hostname when it differs from the original.
 */
export function idnaLookupToASCII(host: string): string | null {
  if (!std3Allows(host)) return null;
  const mapped = isASCIIString(host) ? mapASCII(host) : mapWithNode(host);
  if (mapped === null) return null;
  const labels = mapped.split('.');
  if (!labels.every(validLabel)) return null;
  if (isBidiDomain(host, labels) && !labels.every(bidiRuleValid)) return null;
  const ascii: string[] = [];
  for (const label of labels) {
    if (isASCIIString(label)) {
      ascii.push(label);
      continue;
    }
    const encoded = punycodeEncode(label);
    if (encoded === null) return null;
    ascii.push(ACE_PREFIX + encoded);
  }
  return ascii.join('.');
}

// ---------------------------------------------------------------------------------------------
// Mapping and label validity
// ---------------------------------------------------------------------------------------------

const ACE_PREFIX = 'xn--';

function isASCIIString(s: string): boolean {
  return /^[\x00-\x7f]*$/.test(s);
}

/**
 * STD3 on the input as written: ASCII other than letters, digits, '-' and '.' is disallowed
 * (disallowed_STD3_valid in the UTS #46 table), and so are U+2260, U+226E and U+226F, whose
 * decompositions hold '=', '<' or '>'. Non-ASCII that maps to such ASCII is caught after
 * mapping, by `validLabel`.
 */
function std3Allows(host: string): boolean {
  return !/[^A-Za-z0-9.\-\u0080-\uffff]|[\u2260\u226e\u226f]/.test(host);
}

/**
 * Mapping of an ASCII name: lower-case it, then decode `xn--` labels as Go's label loop does
 * (a label that fails to decode, or whose decoded text is not a valid label, is an error).
 * Returns the labels in Unicode form joined by '.', or null.
 */
function mapASCII(host: string): string | null {
  const labels = host.toLowerCase().split('.');
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (!label.startsWith(ACE_PREFIX)) continue;
    const u = punycodeDecode(label.slice(ACE_PREFIX.length));
    if (u === null) return null;
    if (!isASCIIString(u) && !validFromPunycode(u)) return null;
    labels[i] = u;
  }
  return labels.join('.');
}

/**
 * Go's `validateFromPunycode` plus the Node-side label checks: the decoded label must be NFC
 * and already in mapped form (Node maps it to itself), start with no combining mark and use
 * joiners only in their allowed contexts.
 */
function validFromPunycode(u: string): boolean {
  return u.normalize('NFC') === u && mapWithNode(u) === u;
}

/**
 * UTS #46 mapping and validation of a name with non-ASCII text, through Node. Returns the
 * name in Unicode form (mapped, `xn--` labels decoded) or null when Node rejects it. A final
 * ".a" label keeps the WHATWG host parser from reading a numeric last label as IPv4.
 */
function mapWithNode(host: string): string | null {
  const ascii = domainToASCII(host + '.a');
  if (ascii === '' || !ascii.endsWith('.a')) return null;
  const unicode = domainToUnicode(ascii);
  return unicode.endsWith('.a') ? unicode.slice(0, -2) : null;
}

/**
 * Go's `validateLabel`: the hyphen rules (on UTF-8 bytes: no "--" at bytes 3-4 of a label
 * longer than 4 bytes, no leading or trailing '-'), no combining mark first (V5), and STD3 on
 * what mapping left: ASCII in a label must be `a-z`, `0-9` or '-'. Empty labels are fine (no
 * VerifyDNSLength). Joiner contexts were checked by Node.
 */
function validLabel(label: string): boolean {
  if (label === '') return true;
  const b = toByteString(label);
  if (b.length > 4 && b[2] === '-' && b[3] === '-') return false;
  if (b[0] === '-' || b[b.length - 1] === '-') return false;
  if (/^\p{M}/u.test(label)) return false;
  return !/[\x00-\x2c\x2e-\x2f\x3a-\x60\x7b-\x7f]/.test(label);
}

// ---------------------------------------------------------------------------------------------
// Bidi rule (RFC 5893, golang.org/x/text/secure/bidirule)
// ---------------------------------------------------------------------------------------------

type BidiClass = 'L' | 'R' | 'AL' | 'EN' | 'ES' | 'ET' | 'AN' | 'CS' | 'NSM' | 'BN' | 'ON' | 'WS';

type Range = readonly [number, number];

const AN_RANGES: readonly Range[] = [
  [0x0600, 0x0605],
  [0x0660, 0x0669],
  [0x066b, 0x066c],
  [0x06dd, 0x06dd],
  [0x0890, 0x0891],
  [0x08e2, 0x08e2],
  [0x10d30, 0x10d39],
  [0x10e60, 0x10e7e],
];
const EN_RANGES: readonly Range[] = [
  [0x00b2, 0x00b3],
  [0x00b9, 0x00b9],
  [0x06f0, 0x06f9],
  [0x2070, 0x2070],
  [0x2074, 0x2079],
  [0x2080, 0x2089],
  [0x2488, 0x249b],
  [0xff10, 0xff19],
  [0x1d7ce, 0x1d7ff],
  [0x1f100, 0x1f10a],
  [0x1fbf0, 0x1fbf9],
];
/** Blocks of right-to-left scripts written with Arabic letters (class AL). */
const AL_RANGES: readonly Range[] = [
  [0x0600, 0x07bf],
  [0x0860, 0x08ff],
  [0xfb50, 0xfdcf],
  [0xfdf0, 0xfdff],
  [0xfe70, 0xfefe],
  [0x10d00, 0x10d3f],
  [0x10ec0, 0x10eff],
  [0x10f30, 0x10f6f],
  [0x1ec70, 0x1ecbf],
  [0x1ed00, 0x1ed4f],
  [0x1ee00, 0x1eeff],
];
/** Blocks of other right-to-left scripts (class R): Hebrew, NKo, Samaritan, Mandaic, ... */
const R_RANGES: readonly Range[] = [
  [0x0590, 0x05ff],
  [0x07c0, 0x085f],
  [0x200f, 0x200f],
  [0xfb1d, 0xfb4f],
  [0x10800, 0x10fff],
  [0x1e800, 0x1efff],
];

const inRanges = (cp: number, ranges: readonly Range[]): boolean => ranges.some(([lo, hi]) => cp >= lo && cp <= hi);

/** Bidi_Class of an ASCII code point (exact). */
function asciiBidiClass(cp: number): BidiClass {
  const ch = String.fromCharCode(cp);
  if (/[0-9]/.test(ch)) return 'EN';
  if (/[A-Za-z]/.test(ch)) return 'L';
  if (ch === '+' || ch === '-') return 'ES';
  if (ch === '#' || ch === '$' || ch === '%') return 'ET';
  if (ch === ',' || ch === '.' || ch === '/' || ch === ':') return 'CS';
  if (cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x1f)) return 'WS';
  if (cp < 0x20 || cp === 0x7f) return 'BN';
  return 'ON';
}

/** European terminators besides currency signs: degree, plus-minus, per mille and primes. */
const ET_RANGES: readonly Range[] = [
  [0x00b0, 0x00b1],
  [0x2030, 0x2034],
  [0x2213, 0x2213],
];
/** Left-to-right symbol blocks of the Common script: APL, Aegean numbers, musical symbols, ... */
const L_SYMBOL_RANGES: readonly Range[] = [
  [0x2336, 0x237a],
  [0x10100, 0x1013f],
  [0x1cf00, 0x1cfcf],
  [0x1d000, 0x1d1ff],
  [0x1f110, 0x1f1ff],
];

/**
 * Approximate Bidi_Class of a code point: exact for ASCII and the digit ranges, by block for
 * right-to-left scripts, by general category and script otherwise (marks are NSM, letters,
 * numbers and script-specific symbols L, currency signs ET, format characters BN, the rest
 * ON). Checked against Go's x/text Unicode 15.0.0 table: 99.5% of the code points IDNA
 * allows get Go's class; the rest are rare symbols and punctuation.
 */
function bidiClass(cp: number): BidiClass {
  if (cp < 0x80) return asciiBidiClass(cp);
  if (inRanges(cp, AN_RANGES)) return 'AN';
  if (inRanges(cp, EN_RANGES)) return 'EN';
  const ch = String.fromCodePoint(cp);
  if (/[\p{Mn}\p{Me}]/u.test(ch)) return 'NSM';
  if (inRanges(cp, AL_RANGES)) return 'AL';
  if (inRanges(cp, R_RANGES)) return 'R';
  if (/[\p{L}\p{Mc}\p{N}]/u.test(ch)) return 'L';
  if (/\p{Sc}/u.test(ch) || inRanges(cp, ET_RANGES)) return 'ET';
  if (/\p{Cf}/u.test(ch)) return 'BN';
  if (/\p{Z}/u.test(ch)) return 'WS';
  if (inRanges(cp, L_SYMBOL_RANGES) || !/[\p{Script=Common}\p{Script=Inherited}]/u.test(ch)) return 'L';
  return 'ON';
}

const isRTLClass = (c: BidiClass): boolean => c === 'R' || c === 'AL' || c === 'AN';

const hasRTL = (s: string): boolean => [...s].some((ch) => isRTLClass(bidiClass(ch.codePointAt(0)!)));

/**
 * Whether the Bidi rule applies, as Go decides it: some code point of the name as written is
 * R, AL or AN (a mapped code point counts with its own class, not its mapping's: "aℵb" is
 * not a Bidi name although ℵ maps to Hebrew alef), or a label decoded from `xn--` has one.
 * `labels` are the final labels, in the same order as the labels written.
 */
function isBidiDomain(host: string, labels: readonly string[]): boolean {
  if (hasRTL(host)) return true;
  const written = host.split(/[.\u3002\uff0e\uff61]/);
  return labels.some((label, i) => /^xn--/i.test(written[i] ?? '') && hasRTL(label));
}

enum RuleState {
  Initial,
  LTR,
  LTRFinal,
  RTL,
  RTLFinal,
  Invalid,
}

type Transition = readonly [RuleState, ReadonlySet<BidiClass>];

/** x/text/secure/bidirule `transitions`: per state, the first matching transition wins. */
const TRANSITIONS: Record<RuleState, readonly [Transition, Transition]> = {
  // [2.1] The first character must be L (LTR label) or R/AL (RTL label).
  [RuleState.Initial]: [
    [RuleState.LTRFinal, new Set<BidiClass>(['L'])],
    [RuleState.RTLFinal, new Set<BidiClass>(['R', 'AL'])],
  ],
  // [2.2] [2.3] RTL labels: R, AL, AN, EN, ES, CS, ET, ON, BN, NSM; must end in R, AL, EN, AN (+NSM).
  [RuleState.RTL]: [
    [RuleState.RTLFinal, new Set<BidiClass>(['R', 'AL', 'EN', 'AN'])],
    [RuleState.RTL, new Set<BidiClass>(['ES', 'CS', 'ET', 'ON', 'BN', 'NSM'])],
  ],
  [RuleState.RTLFinal]: [
    [RuleState.RTLFinal, new Set<BidiClass>(['R', 'AL', 'EN', 'AN', 'NSM'])],
    [RuleState.RTL, new Set<BidiClass>(['ES', 'CS', 'ET', 'ON', 'BN'])],
  ],
  // [2.5] [2.6] LTR labels: L, EN, ES, CS, ET, ON, BN, NSM; must end in L or EN (+NSM).
  [RuleState.LTR]: [
    [RuleState.LTRFinal, new Set<BidiClass>(['L', 'EN'])],
    [RuleState.LTR, new Set<BidiClass>(['ES', 'CS', 'ET', 'ON', 'BN', 'NSM'])],
  ],
  [RuleState.LTRFinal]: [
    [RuleState.LTRFinal, new Set<BidiClass>(['L', 'EN', 'NSM'])],
    [RuleState.LTR, new Set<BidiClass>(['ES', 'CS', 'ET', 'ON', 'BN'])],
  ],
  [RuleState.Invalid]: [
    [RuleState.Invalid, new Set<BidiClass>()],
    [RuleState.Invalid, new Set<BidiClass>()],
  ],
};

/** The state after class `c` in `state`, or null when no transition accepts `c`. */
function nextRuleState(state: RuleState, c: BidiClass): RuleState | null {
  for (const [next, classes] of TRANSITIONS[state]) if (classes.has(c)) return next;
  return null;
}

/** x/text/secure/bidirule `ValidString`: whether one label satisfies the Bidi rule. */
function bidiRuleValid(label: string): boolean {
  let state = RuleState.Initial;
  const seen = new Set<BidiClass>();
  for (const ch of label) {
    const c = bidiClass(ch.codePointAt(0)!);
    seen.add(c);
    // [2.4] In an RTL label, if an EN is present, no AN may be present, and vice versa.
    if (seen.has('EN') && seen.has('AN')) return false;
    const next = nextRuleState(state, c);
    if (next !== null) {
      state = next;
    } else {
      // An LTR label stays invalid (checked at the end); an RTL one fails at once.
      state = RuleState.Invalid;
      if ([...seen].some(isRTLClass)) return false;
    }
  }
  return state === RuleState.LTRFinal || state === RuleState.RTLFinal || state === RuleState.Initial;
}

// ---------------------------------------------------------------------------------------------
// Punycode (RFC 3492), as in x/net/idna/punycode.go
// ---------------------------------------------------------------------------------------------

const BASE = 36;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 128;
const SKEW = 38;
const TMAX = 26;
const TMIN = 1;
const MAX_INT32 = 0x7fffffff;

/** The bias adaptation function of RFC 3492 section 6.1. */
function adapt(delta: number, numPoints: number, firstTime: boolean): number {
  delta = firstTime ? Math.trunc(delta / DAMP) : Math.trunc(delta / 2);
  delta += Math.trunc(delta / numPoints);
  let k = 0;
  while (delta > ((BASE - TMIN) * TMAX) / 2) {
    delta = Math.trunc(delta / (BASE - TMIN));
    k += BASE;
  }
  return k + Math.trunc(((BASE - TMIN + 1) * delta) / (delta + SKEW));
}

/** Threshold t for position k (RFC 3492 section 6.2/6.3). */
function threshold(k: number, bias: number): number {
  if (k <= bias) return TMIN;
  if (k >= bias + TMAX) return TMAX;
  return k - bias;
}

function decodeDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 26;
  if (c >= 0x41 && c <= 0x5a) return c - 0x41;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61;
  return -1;
}

function encodeDigit(d: number): string {
  return String.fromCharCode(d < 26 ? d + 0x61 : d - 26 + 0x30);
}

/** x/net/idna `decode`: the Unicode label for the text after "xn--", or null on error. */
export function punycodeDecode(encoded: string): string | null {
  if (encoded === '') return '';
  let pos = encoded.lastIndexOf('-') + 1;
  if (pos === 1) return null;
  if (pos === encoded.length) return encoded.slice(0, -1);
  const output: number[] = pos > 0 ? [...encoded.slice(0, pos - 1)].map((c) => c.codePointAt(0)!) : [];
  let i = 0;
  let n = INITIAL_N;
  let bias = INITIAL_BIAS;
  while (pos < encoded.length) {
    const oldI = i;
    let w = 1;
    for (let k = BASE; ; k += BASE) {
      if (pos === encoded.length) return null;
      const digit = decodeDigit(encoded.charCodeAt(pos++));
      if (digit < 0) return null;
      if (digit * w > MAX_INT32 - i) return null;
      i += digit * w;
      const t = threshold(k, bias);
      if (digit < t) break;
      if (w * (BASE - t) > MAX_INT32) return null;
      w *= BASE - t;
    }
    if (output.length >= 1024) return null;
    const x = output.length + 1;
    bias = adapt(i - oldI, x, oldI === 0);
    n += Math.trunc(i / x);
    i %= x;
    if (n < 0 || n > 0x10ffff) return null;
    output.splice(i, 0, n);
    i++;
  }
  // Go's string([]rune) turns surrogate code points into U+FFFD.
  return String.fromCodePoint(...output.map((r) => (r >= 0xd800 && r <= 0xdfff ? 0xfffd : r)));
}

/**
 * x/net/idna `encode` without the prefix: the punycode form of a Unicode label, or null when
 * Go's int32 arithmetic would overflow (labels of tens of thousands of characters).
 */
export function punycodeEncode(label: string): string | null {
  const runes = [...label].map((c) => c.codePointAt(0)!);
  let output = runes
    .filter((r) => r < 0x80)
    .map((r) => String.fromCharCode(r))
    .join('');
  const b = output.length;
  let h = b;
  if (b > 0) output += '-';
  let delta = 0;
  let n = INITIAL_N;
  let bias = INITIAL_BIAS;
  let remaining = runes.length - b;
  while (remaining !== 0) {
    const m = Math.min(...runes.filter((r) => r >= n));
    if ((m - n) * (h + 1) > MAX_INT32 - delta) return null;
    delta += (m - n) * (h + 1);
    n = m;
    for (const r of runes) {
      if (r < n && ++delta > MAX_INT32) return null;
      if (r !== n) continue;
      let q = delta;
      for (let k = BASE; ; k += BASE) {
        const t = threshold(k, bias);
        if (q < t) break;
        output += encodeDigit(t + ((q - t) % (BASE - t)));
        q = Math.trunc((q - t) / (BASE - t));
      }
      output += encodeDigit(q);
      bias = adapt(delta, h + 1, h === b);
      delta = 0;
      h++;
      remaining--;
    }
    delta++;
    n++;
  }
  return output;
}
