/**
 * The checker against files of the shapes found in public repositories (test/fixtures/real-world,
 * written for this repository), with cloudflared's verdict for each. The real files themselves are
 * checked by `npm run test:corpus` (test/corpus), which needs ../shared/corpus beside the checkout.
 */
import { describe } from 'node:test';
import { join } from 'node:path';
import { readIndex, verdictTests } from '../support/verdicts';

const DIR = join(__dirname, '..', 'fixtures', 'real-world');

describe('real-world shapes (test/fixtures/real-world)', () => {
  verdictTests(DIR, readIndex(DIR));
});
