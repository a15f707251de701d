// Runs node's test runner over TypeScript test files (tsx loader). Node 20's `--test` takes no
// globs, so the files are listed here. Usage: node scripts/run-tests.mjs [dir-or-file ...]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const passThrough = process.argv.slice(2).filter((a) => a.startsWith('-'));
if (roots.length === 0) roots.push('test/unit', 'test/server', 'test/manifest', 'test/integration');

function collect(p, out) {
  let st;
  try {
    st = statSync(p);
  } catch {
    return;
  }
  if (st.isFile()) {
    if (/\.test\.ts$/.test(p)) out.push(p);
    return;
  }
  for (const name of readdirSync(p).sort()) {
    if (name === 'fixtures' || name === 'node_modules') continue;
    collect(join(p, name), out);
  }
}

const files = [];
for (const r of roots) collect(r, files);
if (files.length === 0) {
  console.error(`no test files under ${roots.join(', ')}`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...passThrough, ...files], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
