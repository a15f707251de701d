/**
 * The checker against real files (../shared/corpus): no error where a real cloudflared accepts
 * the config, at least one where it refuses, and never a crash.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeText } from '../../src/core/analyze';

const CORPUS = resolve(__dirname, '../../../shared/corpus');

interface Entry {
  path: string;
  kind: string;
  expectedValid: boolean | null;
  cloudflaredSays?: string;
}

describe('shared corpus', () => {
  test('the corpus is present', () => {
    assert.ok(existsSync(join(CORPUS, 'INDEX.json')), `missing ${CORPUS}/INDEX.json: CI clones shared/ beside the checkout`);
  });
  if (!existsSync(join(CORPUS, 'INDEX.json'))) return;
  const index = JSON.parse(readFileSync(join(CORPUS, 'INDEX.json'), 'utf8')) as { files: Entry[] };

  test('covers both verdicts', () => {
    assert.ok(index.files.some((f) => f.expectedValid === true));
    assert.ok(index.files.some((f) => f.expectedValid === false));
  });

  for (const entry of index.files) {
    test(`${entry.path} (${entry.expectedValid === null ? 'no verdict' : entry.expectedValid ? 'valid' : 'invalid'})`, () => {
      const text = readFileSync(join(CORPUS, entry.path), 'utf8');
      const result = analyzeText(text, entry.path);
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      if (entry.kind === 'cloudflared-config') assert.equal(result.kind, 'cloudflared-config', 'not recognised as a cloudflared config');
      if (entry.expectedValid === true) {
        assert.deepEqual(errors.map((d) => `${d.range.start.line + 1}: ${d.message}`), [], 'cloudflared accepts this file');
      } else if (entry.expectedValid === false) {
        assert.ok(errors.length > 0, `cloudflared refuses this file: ${entry.cloudflaredSays}`);
      }
    });
  }
});
