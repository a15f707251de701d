/**
 * `npm run test:corpus`: the property of issue #21 on real files (../shared/corpus, never copied into
 * this repository): random edit sequences, and after every edit the incremental parse and analysis
 * equal the whole ones (test/support/incremental.ts). `npm test` runs the same property on
 * generated files and this repository's fixtures (test/unit/core/yaml/incremental.test.ts).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { checkEditSequence, editArbitrary } from '../support/incremental';
import { filesUnder } from '../support/files';

const CORPUS = resolve(__dirname, '../../../shared/corpus');

describe('incremental analysis on the shared corpus (../shared/corpus)', () => {
  test('random edit sequences on every real file: incremental = whole after every edit', () => {
    assert.ok(existsSync(CORPUS), `${CORPUS} is missing: npm run test:corpus reads ../shared beside the checkout`);
    const files = filesUnder(CORPUS, (n) => /\.ya?ml$/i.test(n));
    assert.ok(files.length >= 50, `${files.length} corpus files`);
    let incremental = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      fc.assert(
        fc.property(fc.array(editArbitrary(text.length), { minLength: 1, maxLength: 8 }), (edits) => {
          incremental += checkEditSequence(text, edits, file.slice(CORPUS.length));
        }),
        { numRuns: 8, seed: 2121 },
      );
    }
    assert.ok(incremental > files.length * 4, `the incremental path was taken ${incremental} times`);
  });
});
