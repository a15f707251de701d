/**
 * Suppression comments, as linters write them, in any YAML file the checks read:
 *
 *   # cftunnel-disable-next-line CODE[, CODE] [-- why]   the next line (not a blank or comment line: the next line)
 *   # cftunnel-disable CODE[, CODE] [-- why]             from here to `# cftunnel-enable` (or the end of the file)
 *   # cftunnel-enable [CODE[, CODE]]                     ends the block of those codes (all when none are named)
 *
 * No code means every code. A diagnostic is suppressed by the line it starts on. Only whole-line
 * comments count (a `#` after a value may be part of it); in a block scalar such a line is text to
 * YAML but still a comment to cloudflared when the scalar is an embedded config.yaml, whose
 * findings are located in the ConfigMap's lines: the same line rule serves both.
 *
 * A suppression that suppresses nothing is reported (`suppression-unused`, information) with a fix
 * that removes it, except for codes the caller says it cannot see (the editor's Cloudflare Access
 * and drift findings are computed elsewhere: the checker cannot tell whether they are used).
 */
import type { Diagnostic, Range, TextEdit } from '../types';

export const SUPPRESSION_UNUSED = 'suppression-unused';

type Directive = 'disable-next-line' | 'disable' | 'enable';

interface Named {
  code: string;
  /** Where the code is written in the comment (the whole comment for "every code"). */
  range: Range;
  /** The text to delete to remove this code alone (with its comma), or the whole line. */
  removal: Range;
  used: boolean;
}

export interface Suppression {
  directive: Directive;
  line: number;
  /** Empty: every code. */
  codes: Named[];
  /** The comment's line (from its first character to the line break). */
  range: Range;
  /** Lines covered (inclusive); a `disable` block ends at the matching `enable` or the file's end. */
  from: number;
  to: number;
  /** `disable` without codes: used when it suppresses anything. */
  usedAll?: boolean;
}

const COMMENT = /^([ \t]*)#[ \t]*cftunnel-(disable-next-line|disable|enable)(?=$|[ \t])(.*)$/;

/** Every suppression comment of `text`, with the lines each covers. */
export function findSuppressions(text: string): Suppression[] {
  if (!text.includes('cftunnel-disable') && !text.includes('cftunnel-enable')) return [];
  const lines = text.split(/\r\n|\r|\n/);
  const out: Suppression[] = [];
  const open: Suppression[] = [];
  const count = lines.length;
  for (let line = 0; line < count; line++) {
    const content = lines[line]!;
    const m = COMMENT.exec(content);
    if (!m) continue;
    const directive = m[2] as Directive;
    const restStart = content.length - m[3]!.length;
    const body = m[3]!.split(/[ \t]--(?:[ \t]|$)/)[0]!;
    const range = { start: { line, character: m[1]!.length }, end: { line, character: content.length } };
    const whole = { start: { line, character: 0 }, end: { line: line + 1, character: 0 } };
    const codes = namedCodes(body, restStart, line, whole);
    if (directive === 'enable') {
      const names = new Set(codes.map((c) => c.code));
      for (const block of open) {
        if (names.size === 0) block.to = Math.min(block.to, line);
        else {
          // `enable A` ends A's part of a `disable A, B` block: B stays disabled (a new block of its own).
          const ended = block.codes.filter((c) => names.has(c.code));
          if (ended.length === 0) continue;
          const kept = block.codes.filter((c) => !names.has(c.code));
          block.codes = ended;
          block.to = Math.min(block.to, line);
          if (kept.length > 0) {
            const rest: Suppression = { ...block, codes: kept, to: count - 1 };
            out.push(rest);
            open.push(rest);
          }
        }
      }
      for (let i = open.length - 1; i >= 0; i--) if (open[i]!.to !== count - 1) open.splice(i, 1);
      continue;
    }
    const s: Suppression =
      directive === 'disable-next-line'
        ? { directive, line, codes, range, from: line + 1, to: line + 1 }
        : { directive, line, codes, range, from: line + 1, to: count - 1 };
    out.push(s);
    if (directive === 'disable') open.push(s);
  }
  return out;
}

function namedCodes(body: string, offset: number, line: number, whole: Range): Named[] {
  const out: Named[] = [];
  const re = /[^\s,]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) {
    const start = offset + m.index;
    out.push({
      code: m[0],
      range: { start: { line, character: start }, end: { line, character: start + m[0].length } },
      removal: whole,
      used: false,
    });
  }
  // Removing one of several codes: from the end of the previous code (its comma) to this one's end.
  if (out.length > 1)
    for (let i = 0; i < out.length; i++) {
      const c = out[i]!;
      c.removal =
        i === 0
          ? { start: c.range.start, end: out[1]!.range.start }
          : { start: out[i - 1]!.range.end, end: c.range.end };
    }
  return out;
}

export interface SuppressOptions {
  /** Codes this caller never produces (their suppressions are never reported unused here). */
  unseen?: (code: string) => boolean;
  /** Report suppressions that suppressed nothing (default true). */
  reportUnused?: boolean;
}

/**
 * The diagnostics no suppression covers, plus one `suppression-unused` per code (or per comment for
 * "every code") that suppressed nothing. `suppressions` from {@link findSuppressions} of the same text.
 */
export function applySuppressions<D extends Diagnostic>(
  diagnostics: readonly D[],
  suppressions: readonly Suppression[],
  options: SuppressOptions = {},
): Array<D | Diagnostic> {
  if (suppressions.length === 0) return [...diagnostics];
  for (const s of suppressions) {
    s.usedAll = false;
    for (const c of s.codes) c.used = false;
  }
  const kept: Array<D | Diagnostic> = [];
  for (const d of diagnostics) {
    const line = d.range.start.line;
    let suppressed = false;
    for (const s of suppressions) {
      if (line < s.from || line > s.to) continue;
      if (s.codes.length === 0) {
        s.usedAll = true;
        suppressed = true;
        continue;
      }
      for (const c of s.codes)
        if (c.code === d.code) {
          c.used = true;
          suppressed = true;
        }
    }
    if (!suppressed) kept.push(d);
  }
  if (options.reportUnused === false) return kept;
  const unseen = options.unseen ?? (() => false);
  for (const s of suppressions) {
    const where = s.directive === 'disable-next-line' ? 'on the next line' : 'in this block';
    if (s.codes.length === 0) {
      if (!s.usedAll) kept.push(unused(s.range, `Nothing is reported ${where}: this suppression can go.`, s.range));
      continue;
    }
    const unusedCodes = s.codes.filter((c) => !c.used && !unseen(c.code));
    const allUnused = unusedCodes.length === s.codes.length;
    for (const c of unusedCodes) {
      const removal = allUnused
        ? { start: { line: s.line, character: 0 }, end: { line: s.line + 1, character: 0 } }
        : c.removal;
      kept.push(unused(c.range, `'${c.code}' is not reported ${where}: this suppression can go.`, removal));
    }
  }
  return kept;
}

function unused(range: Range, message: string, removal: Range): Diagnostic {
  return {
    code: SUPPRESSION_UNUSED,
    severity: 'information',
    message,
    range,
    fixes: [{ title: 'Remove the unused suppression', edits: [{ range: removal, newText: '' }] }],
  };
}

/**
 * The edit of "Disable CODE for this line": a `# cftunnel-disable-next-line CODE` comment above
 * the diagnostic's line, indented as that line; or CODE added to such a comment already there.
 */
export function disableNextLineEdit(text: string, line: number, code: string): TextEdit {
  const lines = text.split(/\r\n|\r|\n/);
  const target = lines[line] ?? '';
  const indent = /^[ \t]*/.exec(target)![0];
  if (line > 0) {
    const above = lines[line - 1]!;
    const m = /^([ \t]*#[ \t]*cftunnel-disable-next-line)((?:[ \t]+[^\s-][^\s,]*(?:[ \t]*,[ \t]*[^\s,]+)*)?)/.exec(
      above,
    );
    if (m) {
      const at = { line: line - 1, character: m[0].length };
      return { range: { start: at, end: at }, newText: m[2] ? `, ${code}` : ` ${code}` };
    }
  }
  const at = { line, character: 0 };
  return { range: { start: at, end: at }, newText: `${indent}# cftunnel-disable-next-line ${code}\n` };
}
