/**
 * `cftunnel check --format sarif` against the published SARIF 2.1.0 schema (the copy npm
 * `@microsoft/jest-sarif` ships, validated with the ajv it depends on): a fixture with problems of
 * every severity, rules per code, regions, and a log with no results.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { main } from '../../../src/cli/main';

const sarifPackage = dirname(require.resolve('@microsoft/jest-sarif/package.json'));
const schema = JSON.parse(readFileSync(join(sarifPackage, 'lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
// The schema is draft-04: ajv 6 takes it with the draft-04 meta-schema added (as jest-sarif itself does).
const requireFromSarif = createRequire(join(sarifPackage, 'package.json'));
const Ajv = requireFromSarif('ajv') as new (opts: object) => {
  addMetaSchema(s: object): void;
  compile(s: object): ((data: unknown) => boolean) & { errors?: unknown[] | null };
};
const ajv = new Ajv({ allErrors: true, schemaId: 'auto', logger: false });
ajv.addMetaSchema(requireFromSarif('ajv/lib/refs/json-schema-draft-04.json') as object);
const validate = ajv.compile(schema);

function run(args: string[]): { code: number; out: string } {
  let out = '';
  const code = main(args, { out: (t) => (out += t), err: () => {} });
  return { code, out };
}

interface SarifLog {
  version: string;
  runs: Array<{
    tool: { driver: { name: string; rules: Array<{ id: string }> } };
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
    }>;
  }>;
}

describe('cftunnel check --format sarif', () => {
  test('the routing fixture: valid SARIF 2.1.0, a rule per code, results with regions', () => {
    const r = run(['check', '--format', 'sarif', join(__dirname, '../../fixtures/routing/nginx')]);
    const log = JSON.parse(r.out) as SarifLog;
    assert.equal(validate(log), true, JSON.stringify(validate.errors, null, 1));
    const run0 = log.runs[0]!;
    assert.equal(run0.tool.driver.name, 'cftunnel');
    const ids = run0.tool.driver.rules.map((x) => x.id);
    assert.ok(ids.includes('route-backend-missing') && ids.includes('route-not-found'), ids.join());
    assert.equal(new Set(ids).size, ids.length, 'one rule per code');
    const backend = run0.results.find((x) => x.ruleId === 'route-backend-missing')!;
    assert.equal(ids[backend.ruleIndex], 'route-backend-missing');
    assert.equal(backend.level, 'warning');
    assert.match(backend.locations[0]!.physicalLocation.artifactLocation.uri, /fixtures\/routing\/nginx\/apps\.yaml$/);
    assert.equal(backend.locations[0]!.physicalLocation.region.startLine, 69);
  });

  test('errors are level error; information is note; an empty log is valid too', () => {
    const withError = run(['check', '--format=sarif', join(__dirname, '../../fixtures/real-world')]);
    const log = JSON.parse(withError.out) as SarifLog;
    assert.equal(validate(log), true, JSON.stringify(validate.errors, null, 1));
    const levels = new Set(log.runs[0]!.results.map((x) => x.level));
    assert.ok(levels.has('error'), [...levels].join());
    const empty = JSON.parse(
      run(['check', '--format', 'sarif', join(__dirname, '../../fixtures/routing/precedence/services.yaml')]).out,
    ) as SarifLog;
    assert.equal(validate(empty), true);
    assert.deepEqual(empty.runs[0]!.results, []);
  });

  test('the schema check can fail: a result without a message is refused', () => {
    const r = JSON.parse(run(['check', '--format', 'sarif', join(__dirname, '../../fixtures/routing/nginx')]).out) as {
      runs: Array<{ results: Array<Record<string, unknown>> }>;
    };
    delete r.runs[0]!.results[0]!.message;
    assert.equal(validate(r), false);
  });
});
