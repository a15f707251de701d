/**
 * `npm run test:corpus`: the checker against ../shared/corpus, real files from public repositories
 * with a real cloudflared's verdicts (INDEX.json). They are other people's files and are never copied
 * into this repository; without the folder beside the checkout this suite fails and says so.
 * `npm test` runs the same assertions on files of the same shapes written for this repository
 * (test/fixtures/real-world, test/integration/realWorld.test.ts).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readIndex, verdictTests } from '../support/verdicts';

const CORPUS = resolve(__dirname, '../../../shared/corpus');

describe('shared corpus (../shared/corpus)', () => {
  if (!existsSync(join(CORPUS, 'INDEX.json'))) {
    test('the corpus is present', () => {
      assert.fail(
        `${CORPUS}/INDEX.json is missing. npm run test:corpus checks the shared corpus of real-world files, ` +
          'which lives beside the checkout (CI clones shared/ there); npm test does not need it.',
      );
    });
    return;
  }
  verdictTests(CORPUS, readIndex(CORPUS));
});
