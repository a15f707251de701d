/** Suppression comments: what they cover, what is reported unused, and the "Disable … for this line" edit. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applySuppressions,
  disableNextLineEdit,
  findSuppressions,
  SUPPRESSION_UNUSED,
} from '../../../../src/core/project/suppressions';
import type { Diagnostic } from '../../../../src/core/types';

const at = (code: string, line: number, character = 4): Diagnostic => ({
  code,
  severity: 'warning',
  message: code,
  range: { start: { line, character }, end: { line, character: character + 1 } },
});

const run = (text: string, diagnostics: Diagnostic[], unseen?: (c: string) => boolean) =>
  applySuppressions(diagnostics, findSuppressions(text), unseen ? { unseen } : {});

describe('cftunnel-disable-next-line', () => {
  const text = [
    'a: 1',
    '  # cftunnel-disable-next-line shell-style-var, single-replica -- why',
    '  b: $X',
    'c: 2',
  ].join('\n');

  test('covers the next line only, for the codes named', () => {
    const kept = run(text, [
      at('shell-style-var', 2),
      at('single-replica', 2),
      at('shell-style-var', 3),
      at('other', 2),
    ]);
    assert.deepEqual(
      kept.map((d) => `${d.code}@${d.range.start.line}`),
      ['shell-style-var@3', 'other@2'],
    );
  });

  test('a code that suppressed nothing is reported at its place in the comment; the comment after -- is not a code', () => {
    const kept = run(text, [at('shell-style-var', 2)]);
    const unused = kept.filter((d) => d.code === SUPPRESSION_UNUSED);
    assert.equal(unused.length, 1);
    assert.equal(unused[0]!.severity, 'information');
    assert.match(unused[0]!.message, /'single-replica' is not reported on the next line/);
    const line = text.split('\n')[1]!;
    assert.equal(line.slice(unused[0]!.range.start.character, unused[0]!.range.end.character), 'single-replica');
    // Its removal takes the code and its comma, and leaves the rest of the comment.
    const edit = unused[0]!.fixes![0]!.edits[0]!;
    const removed = line.slice(0, edit.range.start.character) + line.slice(edit.range.end.character);
    assert.equal(removed, '  # cftunnel-disable-next-line shell-style-var -- why');
  });

  test('when every code is unused, the removal takes the whole line', () => {
    const unused = run(text, []).filter((d) => d.code === SUPPRESSION_UNUSED);
    assert.equal(unused.length, 2);
    for (const d of unused)
      assert.deepEqual(d.fixes![0]!.edits[0]!.range, {
        start: { line: 1, character: 0 },
        end: { line: 2, character: 0 },
      });
  });

  test('codes the checker never produces are not called unused (the editor computes them)', () => {
    const t = '# cftunnel-disable-next-line access-not-protected\n- hostname: a.example.com\n';
    assert.deepEqual(
      run(t, [], (c) => c.startsWith('access-')),
      [],
    );
    assert.equal(run(t, []).length, 1);
  });

  test('without a code it covers every code, and is unused only when nothing is on the next line', () => {
    const t = '# cftunnel-disable-next-line\nx: $Y\n';
    assert.deepEqual(run(t, [at('a', 1), at('b', 1)]), []);
    const unused = run(t, [at('a', 0)]);
    assert.deepEqual(
      unused.map((d) => d.code),
      ['a', SUPPRESSION_UNUSED],
    );
    assert.match(unused[1]!.message, /Nothing is reported on the next line/);
  });

  test('only whole-line comments count; a value holding the words is not a suppression', () => {
    const t = 'a: "# cftunnel-disable-next-line x"\nb: 1 # cftunnel-disable-next-line x\nc: 1\n';
    assert.deepEqual(findSuppressions(t), []);
    assert.deepEqual(findSuppressions('#cftunnel-disable-next-linex y\n'), []);
  });

  test('CRLF and lone CR line breaks count lines as the checker does', () => {
    for (const eol of ['\r\n', '\r']) {
      const t = ['a: 1', '# cftunnel-disable-next-line x', 'b: 2'].join(eol);
      assert.deepEqual(run(t, [at('x', 2)]), [], JSON.stringify(eol));
    }
  });
});

describe('cftunnel-disable … cftunnel-enable', () => {
  test('a block covers the lines up to enable; after it the codes are reported again', () => {
    const t = ['# cftunnel-disable a, b', 'x: 1', 'y: 2', '# cftunnel-enable', 'z: 3'].join('\n');
    const kept = run(t, [at('a', 1), at('b', 2), at('a', 4)]);
    assert.deepEqual(
      kept.map((d) => `${d.code}@${d.range.start.line}`),
      ['a@4'],
    );
  });

  test('without enable it lasts to the end of the file', () => {
    const t = '# cftunnel-disable a\nx: 1\n\n\ny: 2\n';
    assert.deepEqual(run(t, [at('a', 4)]), []);
  });

  test('enable naming a code ends only that code', () => {
    const t = ['# cftunnel-disable a, b', 'x: 1', '# cftunnel-enable a', 'y: 2'].join('\n');
    const kept = run(t, [at('a', 1), at('a', 3), at('b', 3)]);
    assert.deepEqual(
      kept.map((d) => `${d.code}@${d.range.start.line}`),
      ['a@3'],
    );
  });

  test('a block that covers nothing is reported unused', () => {
    const t = ['# cftunnel-disable a', 'x: 1', '# cftunnel-enable', 'y: 2'].join('\n');
    const kept = run(t, [at('a', 3)]);
    assert.deepEqual(
      kept.map((d) => d.code),
      ['a', SUPPRESSION_UNUSED],
    );
    assert.match(kept[1]!.message, /in this block/);
  });

  test('applying twice to the same suppressions gives the same answer (no state left over)', () => {
    const t = '# cftunnel-disable-next-line a\nx: 1\n';
    const s = findSuppressions(t);
    assert.deepEqual(applySuppressions([at('a', 1)], s), []);
    assert.equal(applySuppressions([], s).length, 1);
  });
});

describe('Disable CODE for this line', () => {
  test('inserts an indented comment above the line', () => {
    const t = 'spec:\n    args: [$TOKEN]\n';
    assert.deepEqual(disableNextLineEdit(t, 1, 'shell-style-var'), {
      range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } },
      newText: '    # cftunnel-disable-next-line shell-style-var\n',
    });
  });

  test('adds the code to a disable-next-line comment already above it', () => {
    const t = '  # cftunnel-disable-next-line a -- why\n  x: 1\n';
    const edit = disableNextLineEdit(t, 1, 'b');
    const line = t.split('\n')[0]!;
    assert.equal(
      line.slice(0, edit.range.start.character) + edit.newText + line.slice(edit.range.end.character),
      '  # cftunnel-disable-next-line a, b -- why',
    );
    assert.equal(disableNextLineEdit('# cftunnel-disable-next-line\nx: 1\n', 1, 'b').newText, ' b');
  });

  test('the edited text suppresses the finding', () => {
    const t = 'a:\n  b: $X\n';
    const edit = disableNextLineEdit(t, 1, 'shell-style-var');
    const lines = t.split('\n');
    lines.splice(1, 0, edit.newText.replace(/\n$/, ''));
    assert.deepEqual(run(lines.join('\n'), [at('shell-style-var', 2)]), []);
  });
});
