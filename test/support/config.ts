/** Helpers for checker tests (no side effects on import). */
import assert from 'node:assert/strict';
import { checkConfigText } from '../../src/core/config/check';
import type { Diagnostic, Severity } from '../../src/core/types';

/** Dedents a template literal so inline YAML reads naturally in tests. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

export function check(text: string): Diagnostic[] {
  return checkConfigText(text).diagnostics;
}

export function errors(text: string): Diagnostic[] {
  return check(text).filter((d) => d.severity === 'error');
}

export interface Expected {
  code: string;
  severity?: Severity;
  /** Substring the message must contain (cloudflared's wording). */
  message?: string;
  /** 0-based line of the range start. */
  line?: number;
  /** The text the range covers. */
  covers?: string;
}

/** Asserts that exactly one diagnostic with `code` exists and matches the expectation. */
export function expectOne(text: string, e: Expected): Diagnostic {
  const all = check(text);
  const found = all.filter((d) => d.code === e.code);
  assert.equal(
    found.length,
    1,
    `expected one ${e.code}, got: ${JSON.stringify(
      all.map((d) => [d.code, d.message]),
      null,
      1,
    )}`,
  );
  const d = found[0]!;
  if (e.severity) assert.equal(d.severity, e.severity, `severity of ${e.code}`);
  if (e.message)
    assert.ok(d.message.includes(e.message), `message of ${e.code}:\n  ${d.message}\nlacks\n  ${e.message}`);
  if (e.line !== undefined) assert.equal(d.range.start.line, e.line, `line of ${e.code}`);
  if (e.covers !== undefined) assert.equal(textOf(text, d), e.covers, `range of ${e.code}`);
  return d;
}

export function textOf(text: string, d: Diagnostic): string {
  const lines = text.split('\n');
  const { start, end } = d.range;
  if (start.line === end.line) return lines[start.line]!.slice(start.character, end.character);
  return [
    lines[start.line]!.slice(start.character),
    ...lines.slice(start.line + 1, end.line),
    lines[end.line]!.slice(0, end.character),
  ].join('\n');
}

export function expectNoErrors(text: string): void {
  const errs = errors(text);
  assert.deepEqual(
    errs.map((d) => `${d.code}: ${d.message}`),
    [],
  );
}

export function codes(text: string): string[] {
  return check(text).map((d) => d.code);
}
