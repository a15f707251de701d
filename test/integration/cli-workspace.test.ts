/**
 * `cftunnel check DIR` reports the cross-file findings of the workspace model with the same
 * codes and ranges as the editor (the fixtures' expected.json, checked by workspace.test.ts).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { main } from '../../src/cli/main';

const ROOT = join(__dirname, '../fixtures/workspaces');

function checkJson(dir: string): {
  code: number;
  files: Array<{
    path: string;
    diagnostics: Array<{ code: string; severity: string; range: { start: { line: number } } }>;
  }>;
} {
  let out = '';
  const code = main(['check', '--format', 'json', dir], { out: (t) => (out += t), err: () => undefined });
  return { code, files: JSON.parse(out).files };
}

describe('cftunnel check on workspace fixtures', () => {
  const cases = readdirSync(ROOT)
    .filter((d) => !d.includes('.'))
    .sort();
  test('there are fixtures', () => assert.ok(cases.length > 10));
  for (const name of cases) {
    test(name, () => {
      const dir = join(ROOT, name);
      const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Array<
        [string, string, string, number, string]
      >;
      const { code, files } = checkJson(dir);
      const found = files.flatMap((f) =>
        f.diagnostics.map((d) => `${relative(dir, f.path)} ${d.code} ${d.severity} ${d.range.start.line}`),
      );
      for (const [file, c, severity, line] of expected) {
        assert.ok(
          found.includes(`${file} ${c} ${severity} ${line}`),
          `${file} ${c} ${severity} ${line} missing from:\n${found.join('\n')}`,
        );
      }
      const hasError = files.some((f) => f.diagnostics.some((d) => d.severity === 'error'));
      assert.equal(code, hasError ? 1 : 0);
    });
  }
});
