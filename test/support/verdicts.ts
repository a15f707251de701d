/**
 * The checker against files with a real cloudflared's verdict, listed in an INDEX.json of the shape
 * ../shared/corpus uses: `{ files: [{ path, kind, expectedValid, cloudflaredSays? }] }`.
 * expectedValid true: no error-severity diagnostic; false: at least one; null (a config with no ingress
 * rules, which `ingress validate` refuses for lack of anything to check): only that nothing crashes.
 * Used by test/integration/realWorld.test.ts (our own files, in npm test) and test/corpus (the shared
 * corpus of other people's files, npm run test:corpus).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../src/core/analyze';

export interface VerdictEntry {
  path: string;
  kind: 'cloudflared-config' | 'manifest';
  expectedValid: boolean | null;
  cloudflaredSays?: string;
}

export function readIndex(dir: string): VerdictEntry[] {
  return (JSON.parse(readFileSync(join(dir, 'INDEX.json'), 'utf8')) as { files: VerdictEntry[] }).files;
}

/** One test per file. */
export function verdictTests(dir: string, entries: readonly VerdictEntry[]): void {
  test('covers both verdicts', () => {
    assert.ok(
      entries.some((f) => f.expectedValid === true),
      'no file cloudflared accepts',
    );
    assert.ok(
      entries.some((f) => f.expectedValid === false),
      'no file cloudflared refuses',
    );
  });
  for (const entry of entries) {
    const verdict = entry.expectedValid === null ? 'no verdict' : entry.expectedValid ? 'valid' : 'invalid';
    test(`${entry.path} (${verdict})`, () => {
      const text = readFileSync(join(dir, entry.path), 'utf8');
      const result = analyzeText(text, entry.path);
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      if (entry.kind === 'cloudflared-config')
        assert.equal(result.kind, 'cloudflared-config', 'not recognised as a cloudflared config');
      if (entry.expectedValid === true) {
        assert.deepEqual(
          errors.map((d) => `${d.range.start.line + 1}: ${d.message}`),
          [],
          'cloudflared accepts this file',
        );
      } else if (entry.expectedValid === false) {
        assert.ok(errors.length > 0, `cloudflared refuses this file: ${entry.cloudflaredSays}`);
      }
    });
  }
}
