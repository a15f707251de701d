/**
 * The setups people actually run (../shared/seeds) as fixture folders, each with the diagnostics
 * we expect in expected.json: [code, severity, 0-based line, covered text].
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../src/core/analyze';
import { textOf } from '../support/config';

const SEEDS = join(__dirname, '../fixtures/seeds');

for (const folder of readdirSync(SEEDS).sort()) {
  describe(`fixture ${folder}`, () => {
    const expected = JSON.parse(readFileSync(join(SEEDS, folder, 'expected.json'), 'utf8')) as Record<
      string,
      Array<[string, string, number, string]>
    >;
    const yamlFiles = readdirSync(join(SEEDS, folder))
      .filter((f) => /\.ya?ml$/.test(f))
      .sort();
    test('every YAML file has an expectation', () => {
      assert.deepEqual(Object.keys(expected).sort(), yamlFiles);
    });
    for (const file of yamlFiles) {
      test(file, () => {
        const path = join(SEEDS, folder, file);
        const text = readFileSync(path, 'utf8');
        const got = analyzeText(text, path).diagnostics.map((d) => [
          d.code,
          d.severity,
          d.range.start.line,
          textOf(text, d),
        ]);
        assert.deepEqual(got, expected[file]);
      });
    }
  });
}
