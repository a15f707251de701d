// Packages the extension as .cache/cftunnel.vsix for the real-editor end-to-end tests.
//
//   node scripts/e2e/package-vsix.mjs                 `vsce package`: runs the manifest's own vscode:prepublish
//                                                     (npm run typecheck && node esbuild.mjs --production), so the
//                                                     e2e tests check the package a release would ship
//   node scripts/e2e/package-vsix.mjs --no-prepublish npm run build (development bundles), then vsce's pack()
//                                                     without vscode:prepublish (for when typecheck fails in code
//                                                     the e2e tests do not touch)
//   node scripts/e2e/package-vsix.mjs --stub          package.json + a do-nothing dist/extension.js staged in a temp
//                                                     folder (checks the harness itself, or that a test fails
//                                                     without the language server; never touches dist/ or src/)
//   node scripts/e2e/package-vsix.mjs --reuse         keep .cache/cftunnel.vsix when it is a `package` build of
//                                                     exactly the current inputs (see packageInputsHash)
//
// Reuse: a `package` build records the SHA-256 of everything it is built from (PACKAGE_INPUTS) next to the
// .vsix (cftunnel.vsix.inputs.json); `npm run demo`, `npm run test:e2e` and `npm run bench` repackage only
// when that hash changed, so a second demo starts in seconds instead of the 100+ s of typecheck + build.
//
// What goes into the package is the repo's own allow-list, .vscodeignore. vsce flags used, and why (vsce 3.9):
//   --no-dependencies            dist/ bundles are self-contained (esbuild); node_modules is not shipped
//   --allow-missing-repository   package.json has a "repository" now; kept so a fork without one never prompts y/N
//   --skip-license               no prompt should LICENSE ever be missing (the repo has one)
//   --no-rewrite-relative-links  this package is installed locally (e2e, demo, bench), never published: the
//                                README's relative links stay as written. The published package is built by
//                                `npm run package` (scripts/package.mjs), which makes them absolute at the tag
// stdin is closed so any further vsce prompt fails at once instead of hanging.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
export const vsixPath = join(repoRoot, '.cache', 'cftunnel.vsix');
const stampPath = `${vsixPath}.inputs.json`;

/** What a `package` build is made from (dist/ is its output, so it is not an input). */
export const PACKAGE_INPUTS = [
  'package.json',
  'package-lock.json',
  'esbuild.mjs',
  'tsconfig.json',
  '.vscodeignore',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'src',
  'media',
  'syntaxes',
];

function listFiles(root, rel, out) {
  const abs = join(root, rel);
  if (!existsSync(abs)) return;
  if (!statSync(abs).isDirectory()) {
    out.push(rel);
    return;
  }
  for (const name of readdirSync(abs).sort()) listFiles(root, `${rel}/${name}`, out);
}

/** SHA-256 over the path and bytes of every input file, in a stable order. */
export function packageInputsHash(root = repoRoot) {
  const files = [];
  for (const input of PACKAGE_INPUTS) listFiles(root, input, files);
  const hash = createHash('sha256');
  for (const rel of files) {
    hash.update(`${rel}\0`);
    hash.update(readFileSync(join(root, rel)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** The reason the cached package cannot be reused, or undefined when it is current. */
export function staleReason(hash = packageInputsHash()) {
  if (!existsSync(vsixPath)) return `${vsixPath} does not exist`;
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampPath, 'utf8'));
  } catch {
    return 'it was not built by `vsce package` from known inputs';
  }
  if (stamp.mode !== 'package') return `it is a ${stamp.mode} package`;
  if (stamp.inputsHash !== hash) return 'its sources changed since it was packaged';
  return undefined;
}

class PackageError extends Error {}

function log(msg) {
  console.log(`[e2e package] ${msg}`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], cwd: repoRoot, ...opts });
  if (r.error) throw new PackageError(`${cmd} ${args.join(' ')} could not start: ${r.error.message}`);
  if (r.status !== 0) throw new PackageError(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

const vsceOptions = (cwd) => ({
  cwd,
  packagePath: vsixPath,
  dependencies: false,
  allowMissingRepository: true,
  skipLicense: true,
  rewriteRelativeLinks: false,
});

/** vsce's pack() without the vscode:prepublish step that `vsce package` always runs. */
async function packWithoutPrepublish(cwd) {
  const require = createRequire(join(repoRoot, 'package.json'));
  const vscePackage = require('@vscode/vsce/out/package.js');
  const manifest = await vscePackage.readManifest(cwd);
  const options = vsceOptions(cwd);
  // Same as `vsce package`: apply the manifest's own "vsce" options, then pack.
  require('@vscode/vsce/out/util.js').patchOptionsWithManifest(options, manifest);
  const { files } = await vscePackage.pack(options);
  return files.length;
}

/** A temp folder with the real package.json and a do-nothing extension entry point. */
function stageStub() {
  const dir = mkdtempSync(join(tmpdir(), 'cftunnel-vsix-stub-'));
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  delete manifest.scripts; // no prepublish in the staging folder
  if (!manifest.activationEvents && !manifest.contributes) {
    // vsce refuses a manifest with "main" but neither activationEvents nor contributions that imply one.
    log(
      'package.json has neither activationEvents nor contributes: the stub gets activationEvents ["onStartupFinished"]',
    );
    manifest.activationEvents = ['onStartupFinished'];
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  const main = (manifest.main ?? './dist/extension.js').replace(/^\.\//, '');
  mkdirSync(dirname(join(dir, main)), { recursive: true });
  writeFileSync(
    join(dir, main),
    "'use strict';\n// e2e stub entry point (scripts/e2e/package-vsix.mjs --stub)\n" +
      'exports.activate = function () {};\nexports.deactivate = function () {};\n',
  );
  // Static contributions the manifest may point at (grammars, icons, language configuration).
  for (const name of ['.vscodeignore', 'media', 'syntaxes', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
    if (existsSync(join(repoRoot, name))) cpSync(join(repoRoot, name), join(dir, name), { recursive: true });
  }
  for (const f of ['language-configuration.json']) {
    if (existsSync(join(repoRoot, f))) cpSync(join(repoRoot, f), join(dir, f));
  }
  return dir;
}

export async function packageVsix({ mode = 'package', reuse = false } = {}) {
  const started = Date.now();
  // Hashed before packaging: an edit made while vsce runs makes the next run package again.
  const inputsHash = mode === 'package' ? packageInputsHash() : undefined;
  if (reuse && mode === 'package') {
    const stale = staleReason(inputsHash);
    if (!stale) {
      log(`${vsixPath} is current (nothing it is built from changed): reused`);
      return vsixPath;
    }
    log(`packaging: ${stale}`);
  }
  mkdirSync(dirname(vsixPath), { recursive: true });
  rmSync(vsixPath, { force: true });
  rmSync(stampPath, { force: true });
  if (mode === 'stub') {
    const dir = stageStub();
    try {
      log(`Packaging a stub extension (do-nothing dist/extension.js) from ${dir}…`);
      await packWithoutPrepublish(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else if (!existsSync(join(repoRoot, '.vscodeignore'))) {
    // Without it (and without "files") vsce would pack src/, test/ and .cache/ (code-server, ~800 MB).
    throw new PackageError('.vscodeignore is missing: the package would hold the whole repo, .cache/ included');
  } else if (mode === 'no-prepublish') {
    log('npm run build…');
    run('npm', ['run', 'build']);
    log('vsce pack (without vscode:prepublish)…');
    await packWithoutPrepublish(repoRoot);
  } else {
    log('vsce package (runs vscode:prepublish: typecheck + production build)…');
    const vsce = [
      '--no-install',
      'vsce',
      'package',
      '--no-dependencies',
      '--allow-missing-repository',
      '--skip-license',
      '--no-rewrite-relative-links',
      '-o',
      vsixPath,
    ];
    try {
      run('npx', vsce);
    } catch (err) {
      // Most often the typecheck in vscode:prepublish, in code the e2e tests may not even touch.
      throw new PackageError(
        `${err.message}\n(vscode:prepublish = typecheck + production build; to test the ` +
          'current code without the typecheck: node scripts/e2e/run.mjs --no-prepublish)',
      );
    }
  }
  if (!existsSync(vsixPath)) throw new PackageError(`vsce finished but ${vsixPath} does not exist`);
  writeFileSync(stampPath, JSON.stringify({ mode, inputsHash, packagedAt: new Date().toISOString() }, null, 2) + '\n');
  log(
    `${vsixPath} (${Math.round(statSync(vsixPath).size / 1024)} KiB) in ${((Date.now() - started) / 1000).toFixed(1)}s`,
  );
  return vsixPath;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const mode = args.includes('--stub') ? 'stub' : args.includes('--no-prepublish') ? 'no-prepublish' : 'package';
  packageVsix({ mode, reuse: args.includes('--reuse') }).catch((err) => {
    console.error(`[e2e package] FAILED: ${err instanceof PackageError ? err.message : (err?.stack ?? err)}`);
    process.exit(1);
  });
}
