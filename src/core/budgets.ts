/**
 * What one document may cost the checker (issue #16): beyond these budgets a file is not checked,
 * or a path regex is not compiled, and a diagnostic says so. They are far above real files: the
 * largest config of the shared corpus is 6 KB with 75 rules. docs/DIAGNOSTICS.md ("Budgets")
 * documents them.
 */
import type { Diagnostic } from './types';

/** The largest file checked: 2 MiB of text (UTF-16 code units, about the size in bytes). */
export const MAX_DOCUMENT_CHARS = 2 * 1024 * 1024;
/** The most ingress rules one config may have and still be checked. */
export const MAX_INGRESS_RULES = 20_000;
/** The largest estimated regexp program of one path pattern that is compiled. */
export const MAX_REGEX_COST = 20_000;
/** The estimated regexp program size all path patterns of one document may compile to together. */
export const MAX_REGEX_COST_PER_DOCUMENT = 200_000;

const LINE_1 = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function mib(chars: number): string {
  return `${(chars / 1024 / 1024).toFixed(1)} MiB`;
}

/** The note on a file larger than MAX_DOCUMENT_CHARS, or null when it is within the budget. */
export function sizeBudgetNote(text: string): Diagnostic | null {
  if (text.length <= MAX_DOCUMENT_CHARS) return null;
  return {
    code: 'file-over-budget',
    severity: 'information',
    message: `This file (${mib(text.length)}) is larger than the ${mib(MAX_DOCUMENT_CHARS)} the checker reads: it is not checked.`,
    range: LINE_1,
  };
}

/** The note on a config with more than MAX_INGRESS_RULES rules. */
export function rulesBudgetNote(rules: number): Diagnostic {
  return {
    code: 'file-over-budget',
    severity: 'information',
    message: `This config has ${rules.toLocaleString('en-US')} ingress rules, more than ${MAX_INGRESS_RULES.toLocaleString('en-US')} the checker reads: it is not checked.`,
    range: LINE_1,
  };
}

/**
 * An upper estimate of the instructions RE2 compiles `pattern` to: every atom costs one, a counted
 * repetition `x{n,m}` multiplies the cost of `x` by m (by n + 1 when unbounded), `*`, `+` and `?`
 * add one. Linear in the pattern; escapes and character classes count as one atom.
 */
export function regexCost(pattern: string): number {
  const stack: number[][] = [[]]; // the costs of the atoms of each open group
  for (let i = 0; i < pattern.length; i++) {
    const atoms = stack[stack.length - 1]!;
    const c = pattern[i]!;
    if (c === '\\') {
      i++;
      if (pattern[i] === 'p' || pattern[i] === 'P') if (pattern[i + 1] === '{') i = skipTo(pattern, i, '}');
      atoms.push(1);
    } else if (c === '[') {
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']')
        j += pattern[j] === '\\' ? 2 : pattern.startsWith('[:', j) ? Math.max(pattern.indexOf(':]', j) - j + 2, 1) : 1;
      i = j;
      atoms.push(1);
    } else if (c === '(') {
      stack.push([]);
    } else if (c === ')') {
      if (stack.length > 1) {
        const group = stack.pop()!;
        stack[stack.length - 1]!.push(1 + group.reduce((a, b) => a + b, 0));
      }
    } else if (c === '{' && /^\{(\d+)(,(\d*))?\}/.test(pattern.slice(i, i + 16))) {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i, i + 16))!;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? min + 1 : Number(m[3]);
      const last = atoms.length ? atoms.pop()! : 1;
      atoms.push(last * Math.max(max, min, 1));
      i += m[0].length - 1;
    } else {
      atoms.push(1);
    }
  }
  let total = 0;
  for (const atoms of stack) total += atoms.reduce((a, b) => a + b, 0);
  return total;
}

function skipTo(s: string, from: number, ch: string): number {
  const at = s.indexOf(ch, from);
  return at < 0 ? s.length : at;
}
