// Runs the TextMate grammar tests: test/grammar/**/*.test.yaml against the shipped injection grammar
// (syntaxes/cftunnel-vars.injection.tmLanguage.json) hosted by a minimal YAML base grammar, both
// listed in test/grammar/grammar-config.json. Exits non-zero when any assertion fails.
// Usage: node scripts/test-grammar.mjs [vscode-tmgrammar-test options, e.g. --compact] [test files or globs]
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const toolDir = dirname(require.resolve('vscode-tmgrammar-test/package.json'));
const bin = join(toolDir, require(join(toolDir, 'package.json')).bin['vscode-tmgrammar-test']);

const options = process.argv.slice(2).filter((a) => a.startsWith('-'));
const cases = process.argv.slice(2).filter((a) => !a.startsWith('-'));
if (cases.length === 0) cases.push('test/grammar/**/*.test.yaml');

const r = spawnSync(process.execPath, [bin, '--config', 'test/grammar/grammar-config.json', ...options, ...cases], {
  cwd: root,
  stdio: 'inherit',
});
if (r.error) console.error(r.error);
process.exit(r.status === 0 ? 0 : 1);
