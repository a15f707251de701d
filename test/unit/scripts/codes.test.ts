/**
 * The list of codes `.cftunnel.yaml` may name and its JSON schema are generated from
 * docs/DIAGNOSTICS.md (scripts/codes.mjs): both are current, and the schema accepts the project
 * files the checker accepts and refuses the ones it refuses.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { CODES } from '../../../src/core/project/codes.generated';
import { parseProjectConfig } from '../../../src/core/project/config';

const root = join(__dirname, '../../..');
// ajv 6 (draft-07 by default), the one the SARIF test takes from @microsoft/jest-sarif, a dev dependency.
const Ajv = createRequire(join(dirname(require.resolve('@microsoft/jest-sarif/package.json')), 'package.json'))(
  'ajv',
) as new (opts: object) => { compile(s: object): (data: unknown) => boolean };
const schema = JSON.parse(readFileSync(join(root, 'schemas/cftunnel.schema.json'), 'utf8')) as {
  properties: { rules: { properties: Record<string, unknown> } };
};

describe('scripts/codes.mjs', () => {
  test('the generated code list and schema match docs/DIAGNOSTICS.md', () => {
    const r = spawnSync(process.execPath, [join(root, 'scripts/codes.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const documented = [
      ...readFileSync(join(root, 'docs/DIAGNOSTICS.md'), 'utf8').matchAll(/^\| `([a-z0-9-]+)` \|/gm),
    ].map((m) => m[1]);
    assert.deepEqual(Object.keys(CODES), documented);
    assert.deepEqual(Object.keys(schema.properties.rules.properties), documented);
  });

  test('the schema and the checker agree on project files', () => {
    const ajv = new Ajv({ allErrors: true });
    const validate = ajv.compile(schema);
    const cases: Array<[string, boolean]> = [
      [readFileSync(join(root, 'test/fixtures/project-config/.cftunnel.yaml'), 'utf8'), true],
      [
        'rules: {shell-style-var: error, single-replica: off}\npublicHostnames: [a.example.com]\nclusterDomain: cluster.local\nignore: [vendor/]\n',
        true,
      ],
      ['rules: {shell-style-var: loud}\n', false],
      ['clusterDomain: Not_A_Domain\n', false],
      ['ignore: vendor/\n', false],
      ['publicHostname: [a.example.com]\n', false],
    ];
    for (const [text, valid] of cases) {
      assert.equal(validate(parse(text)), valid, `schema: ${text}`);
      assert.equal(
        parseProjectConfig(text).problems.filter((p) => p.severity === 'error').length === 0,
        valid,
        `checker: ${text}`,
      );
    }
  });
});
