/**
 * Incremental parsing and analysis (issue #21): equal to a whole parse after every edit of random
 * sequences, on generated files and this repository's fixtures (the corpus suite runs the same
 * property on real public files: test/corpus/incremental.test.ts).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { chunkText, IncrementalYaml } from '../../../../src/core/yaml/incremental';
import { generateConfig, generateManifests } from '../../../../dev/generate';
import { checkEditSequence, editArbitrary } from '../../../support/incremental';
import { filesUnder } from '../../../support/files';

const config = generateConfig(60);
const manifests = generateManifests(12);

describe('IncrementalYaml', () => {
  test('cuts a config into its top-level entries and blocks of ingress rules, a stream into blocks of documents', () => {
    const c = chunkText(config)!;
    assert.ok(
      c.some((x) => x.items && x.items.length > 1),
      'ingress cut into blocks',
    );
    const m = chunkText(manifests)!;
    assert.ok(m.length > 1 && m.every((x) => x.kind === 'doc'));
  });

  test('an edit inside one rule parses one block, and the result equals a whole parse', () => {
    const yaml = new IncrementalYaml(undefined, 0);
    yaml.parse(config);
    const at = config.indexOf('app30.example.com');
    const edited = config.slice(0, at) + 'b' + config.slice(at + 1);
    yaml.parse(edited);
    assert.deepEqual(yaml.stats.parsed, 1);
    assert.equal(yaml.stats.whole, false);
    assert.equal(checkEditSequence(config, [{ at, remove: 1, insert: 'b' }]), 2);
  });

  for (const [name, text, path] of [
    ['a generated config', config, 'cloudflared/config.yaml'],
    ['generated manifests', manifests, 'k8s/apps.yaml'],
  ] as const) {
    test(`random edit sequences on ${name}: incremental = whole after every edit`, () => {
      let incremental = 0;
      fc.assert(
        fc.property(fc.array(editArbitrary(text.length), { minLength: 1, maxLength: 12 }), (edits) => {
          incremental += checkEditSequence(text, edits, path);
        }),
        { numRuns: 40, seed: 2106 },
      );
      assert.ok(incremental > 50, `the incremental path was taken ${incremental} times`);
    });
  }

  test('a stream with an alias bomb in one document: the alias budget applies per document, as whole', () => {
    const bomb = readFileSync(join(__dirname, '../../../fixtures/hostile/alias-bomb-config/config.yaml'), 'utf8');
    const stream = `${manifests}---\n${bomb}---\n${generateManifests(2)}`;
    const yaml = new IncrementalYaml(undefined, 0);
    const docs = yaml.parse(stream);
    assert.ok(
      docs.some((d) => d.errors.some((e) => e.code === ('EXCESSIVE_ALIASING' as never))),
      'the bomb is refused',
    );
    assert.ok(
      checkEditSequence(stream, [
        { at: 10, remove: 1, insert: 'x' },
        { at: stream.length - 5, remove: 0, insert: 'y' },
      ]) >= 0,
    );
  });

  test("this repository's YAML fixtures: random edit sequences, incremental = whole", () => {
    const files = filesUnder(join(__dirname, '../../../fixtures'), (n) => /\.ya?ml$/.test(n));
    assert.ok(files.length > 50, `${files.length} fixtures`);
    let incremental = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      fc.assert(
        fc.property(fc.array(editArbitrary(text.length), { minLength: 1, maxLength: 4 }), (edits) => {
          incremental += checkEditSequence(text, edits, file);
        }),
        { numRuns: 3, seed: 21 },
      );
    }
    assert.ok(incremental > files.length, `the incremental path was taken ${incremental} times`);
  });
});
