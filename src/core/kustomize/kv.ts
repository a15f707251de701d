/**
 * Generator sources (api/kv/kv.go, api/internal/generators/utils.go): `literals` and `files`
 * entries, envs files as bufio.Scanner splits them, and the key check the API server applies
 * (kustomize itself accepts any key).
 */
import { isUtf8, utf8 } from './datamap';

/** parseLiteralSource + removeQuotes: split at the first `=`, strip one pair of matching quotes. */
export function parseLiteralSource(source: string): { key: string; value: string } | { error: string } {
  const eq = source.indexOf('=');
  if (eq <= 0) return { error: `invalid literal source ${source}, expected key=value` };
  return { key: source.slice(0, eq), value: removeQuotes(source.slice(eq + 1)) };
}

function removeQuotes(s: string): string {
  if (s.length < 2 || s[0] !== s[s.length - 1]) return s;
  return s[0] === '"' || s[0] === "'" ? s.slice(1, -1) : s;
}

/** ParseFileSource: `[key=]path`; the key defaults to the path's base name. */
export function parseFileSource(source: string): { key: string; path: string } | { error: string } {
  const n = source.split('=').length - 1;
  if (n === 0) return { key: goPathBase(source), path: source };
  if (n === 1 && source.startsWith('=')) {
    return { error: `missing key name for file path ${goQuote(source.slice(1))} in source ${goQuote(source)}` };
  }
  if (n === 1 && source.endsWith('=')) {
    return { error: `missing file path for key name ${goQuote(source.slice(0, -1))} in source ${goQuote(source)}` };
  }
  if (n > 1) return { error: `source ${goQuote(source)} key name or file path contains '='` };
  const [key, path] = source.split('=') as [string, string];
  return { key, path };
}

/** Go's path.Base. */
function goPathBase(p: string): string {
  if (p === '') return '.';
  let s = p.replace(/\/+$/, '');
  if (s === '') return '/';
  s = s.slice(s.lastIndexOf('/') + 1);
  return s === '' ? '/' : s;
}

/** Go's %q for the strings that appear here (printable text). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

export interface EnvLine {
  key: string;
  value: string;
  /** 0-based line in the file. */
  line: number;
  /** The line had no `=` (the value is empty). */
  noEquals: boolean;
}

/** Unicode White_Space, as Go's unicode.IsSpace. */
const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/**
 * keyValuesFromLines: lines as bufio.Scanner's ScanLines gives them (split at "\n", one trailing
 * "\r" dropped), BOM removed from the first line, leading white space trimmed, empty lines and
 * `#` comments skipped, split at the first `=`, value verbatim. kv.go ignores scanner errors, so
 * a line of 64 KiB or more silently ends the file: `truncatedAt` is its 0-based line.
 */
export function parseEnvFile(text: string): { lines: EnvLine[]; truncatedAt?: number } {
  const out: EnvLine[] = [];
  const raw = text.split('\n');
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop(); // ScanLines: no empty final token
  for (let n = 0; n < raw.length; n++) {
    let line = raw[n]!;
    if (utf8(line).length >= 64 * 1024) return { lines: out, truncatedAt: n };
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (n === 0 && line.startsWith('\ufeff')) line = line.slice(1);
    line = line.replace(GO_SPACE, '');
    if (line === '' || line[0] === '#') continue;
    const eq = line.indexOf('=');
    if (eq < 0) out.push({ key: line, value: '', line: n, noEquals: true });
    else out.push({ key: line.slice(0, eq), value: line.slice(eq + 1), line: n, noEquals: false });
  }
  return { lines: out };
}

/** First invalid-UTF-8 line (0-based) of a byte buffer, as kv.go checks each line. */
export function firstInvalidUtf8Line(bytes: Uint8Array): number | undefined {
  let start = 0;
  let n = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      if (i > start || i < bytes.length) {
        if (!isUtf8(bytes.subarray(start, i))) return n;
      }
      n++;
      start = i + 1;
    }
  }
  return undefined;
}

/**
 * IsConfigMapKey (k8s.io/apimachinery validation), which the API server applies to ConfigMap and
 * Secret keys. kustomize's own validator accepts everything.
 */
export function configMapKeyErrors(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push('must be no more than 253 characters');
  if (!/^[-._a-zA-Z0-9]+$/.test(key)) {
    errs.push(
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    );
  }
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}
