/** The one alias budget of every YAML load (src/core/yaml/aliases.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { excessiveAliasing, parseYamlDocuments } from '../../../../src/core/yaml/aliases';
import { loadYaml } from '../../../../src/core/yaml/load';
import { parseKustomization } from '../../../../src/core/kustomize/kustomization';

function bomb(levels: number, fan = 10): string {
  let text = `l0: &l0 [${Array(fan).fill('lol').join(', ')}]\n`;
  for (let i = 1; i <= levels; i++)
    text += `l${i}: &l${i} [${Array(fan)
      .fill(`*l${i - 1}`)
      .join(', ')}]\n`;
  return text;
}

test('aliases: ordinary anchors and merge keys are within the budget', () => {
  const text = 'base: &b {a: 1, b: 2}\nx: {<<: *b, c: 3}\ny: *b\nlist: [*b, *b, *b]\n';
  assert.equal(excessiveAliasing(parseYamlDocuments(text)[0]!), undefined);
  assert.deepEqual(loadYaml(text).errors, []);
});

test('aliases: a 9-level alias bomb is refused in yaml.v3 words, at its first alias', () => {
  const text = bomb(9);
  const loaded = loadYaml(text);
  assert.equal(loaded.errors.length, 1);
  assert.equal(loaded.errors[0]!.message, 'yaml: document contains excessive aliasing');
  assert.deepEqual(loaded.errors[0]!.range.start, { line: 1, character: 9 });
});

test('aliases: three levels (1,000 nodes through aliases) is refused as yaml.v3 refuses it', () => {
  assert.notEqual(excessiveAliasing(parseYamlDocuments(bomb(3))[0]!), undefined);
  assert.equal(excessiveAliasing(parseYamlDocuments(bomb(2))[0]!), undefined);
});

test('aliases: a kustomization with an alias bomb is a kustomize-yaml problem, not an expansion', () => {
  const k = parseKustomization('.', `resources: []\nopenAPI:\n${bomb(9).replace(/^/gm, '  ')}`);
  assert.deepEqual(
    k.problems.map((p) => p.message),
    ['invalid Kustomization: yaml: line 4: document contains excessive aliasing'],
  );
});
