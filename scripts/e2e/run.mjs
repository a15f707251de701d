// Real-editor end-to-end tests: installs code-server (first run only), packages the extension, then runs
// the e2e test files with node's test runner.
//
//   node scripts/e2e/run.mjs                               every test/e2e/*.e2e.ts, sorted by name
//   node scripts/e2e/run.mjs test/e2e/diagnostics.e2e.ts   just these files
//   node scripts/e2e/run.mjs --no-prepublish               package without vscode:prepublish (see package-vsix.mjs)
//   node scripts/e2e/run.mjs --stub                        a do-nothing extension (checks the harness only)
//   node scripts/e2e/run.mjs --skip-package                reuse .cache/cftunnel.vsix as it is
//   node scripts/e2e/run.mjs --repackage                   package even when the cached package is current
// The package is reused when nothing it is built from changed (package-vsix.mjs --reuse).
// Other --flags go to `node --test` (e.g. --test-name-pattern=Restricted).
// Environment: E2E_KEEP=1 keeps temp folders, E2E_TIMEOUT_SCALE=2 doubles deadlines, E2E_VSIX=<file> tests
// another package. Failure screenshots and logs: test-results/e2e/.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { install } from './install-code-server.mjs';
import { packageVsix } from './package-vsix.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Files run by default: every test/e2e/*.e2e.ts, listed explicitly and sorted (stable order in logs). */
const DEFAULT_FILES = readdirSync(join(repoRoot, 'test', 'e2e'))
  .filter((f) => f.endsWith('.e2e.ts'))
  .sort()
  .map((f) => `test/e2e/${f}`);

const OWN_FLAGS = new Set(['--no-prepublish', '--stub', '--skip-package', '--skip-install', '--repackage']);
const args = process.argv.slice(2);
const files = args.filter((a) => !a.startsWith('-'));
const passThrough = args.filter((a) => a.startsWith('-') && !OWN_FLAGS.has(a));
const testFiles = files.length > 0 ? files : DEFAULT_FILES;

const missing = testFiles.filter((f) => !existsSync(resolve(repoRoot, f)));
if (missing.length > 0) {
  console.error(`[e2e] no such test file: ${missing.join(', ')}`);
  process.exit(2);
}

const seconds = (t) => `${((Date.now() - t) / 1000).toFixed(1)}s`;
try {
  let t = Date.now();
  if (!args.includes('--skip-install')) {
    await install();
    console.log(`[e2e] install step: ${seconds(t)}`);
  }
  t = Date.now();
  if (!args.includes('--skip-package')) {
    const mode = args.includes('--stub') ? 'stub' : args.includes('--no-prepublish') ? 'no-prepublish' : 'package';
    await packageVsix({ mode, reuse: !args.includes('--repackage') });
    console.log(`[e2e] package step: ${seconds(t)}`);
  }
} catch (err) {
  console.error(`[e2e] FAILED before the tests: ${err?.message ?? err}`);
  process.exit(1);
}

const t = Date.now();
// One file at a time: each test starts its own code-server and chromium.
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', ...passThrough, ...testFiles],
  { stdio: 'inherit', cwd: repoRoot },
);
console.log(`[e2e] tests: ${seconds(t)} (${testFiles.join(' ')})`);
if (r.status !== 0) console.log('[e2e] failure screenshots and logs: test-results/e2e/');
process.exit(r.status ?? 1);
