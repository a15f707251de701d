// `npm test`: every suite runs, whatever the others did, and a summary names each suite's result.
// Exit status 1 when any suite failed. Needs nothing outside the checkout (the shared corpus is
// `npm run test:corpus`, the real editor `npm run test:e2e`).
//
//   build     node esbuild.mjs (dist/: the CLI and the language server tests run the bundles)
//   tests     unit, protocol, manifest and integration tests (node --test via scripts/run-tests.mjs;
//             the integration tests run the real kubectl and the real SDKs against the local servers)
//   grammar   TextMate grammar tests (scripts/test-grammar.mjs)
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const SUITES = [
  { name: 'build', args: ['esbuild.mjs'] },
  { name: 'tests', args: ['scripts/run-tests.mjs'] },
  { name: 'grammar', args: ['scripts/test-grammar.mjs'] },
];

/** Runs each suite (a node script) in turn and returns [{ name, status, seconds }]. */
export function runSuites(suites = SUITES, { cwd = root, stdio = 'inherit' } = {}) {
  const results = [];
  for (const suite of suites) {
    console.log(`\n[npm test] ${suite.name}: node ${suite.args.join(' ')}`);
    const started = Date.now();
    const r = spawnSync(process.execPath, suite.args, { cwd, stdio });
    const status = r.error
      ? `could not start (${r.error.message})`
      : r.status === 0
        ? 'passed'
        : `failed (exit ${r.status ?? r.signal})`;
    results.push({ name: suite.name, status, seconds: (Date.now() - started) / 1000 });
  }
  return results;
}

export function summary(results) {
  const width = Math.max(...results.map((r) => r.name.length));
  return results.map((r) => `  ${r.name.padEnd(width)}  ${r.status} in ${r.seconds.toFixed(1)} s`).join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const results = runSuites();
  const failed = results.filter((r) => r.status !== 'passed');
  console.log(
    `\n[npm test] ${failed.length === 0 ? 'all suites passed' : `${failed.length} of ${results.length} suites failed`}:\n${summary(results)}`,
  );
  process.exit(failed.length === 0 ? 0 : 1);
}
