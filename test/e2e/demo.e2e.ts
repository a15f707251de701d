// `npm run demo` as a person runs it: it comes up (code-server installed and the package current, as
// scripts/e2e/run.mjs leaves them), serves the workbench, and Ctrl+C stops it cleanly — the demo exits 0 (npm reports 130, as for any Ctrl+C), no
// crash printed, the temporary workspace (with the credentials written while it ran) and the demo
// kubeconfig removed, no process left. The check itself is scripts/e2e/demo-check.mjs (.ci/run runs it
// on the README's `npm install && npm run demo`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDemo } from '../../scripts/e2e/demo-check.mjs';
import { timeouts } from '../../dev/editor/harness';

test('npm run demo comes up, and Ctrl+C stops it leaving nothing behind', { timeout: 600_000 }, async () => {
  const result = await checkDemo({ command: 'npm run demo', readyMs: 5 * timeouts.workbench, echo: false });
  assert.deepEqual(result.problems, [], `npm run demo printed:\n${result.output}`);
  assert.match(result.output, /demo: stopped/);
});
