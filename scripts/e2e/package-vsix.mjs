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
//
// What goes into the package is the repo's own allow-list, .vscodeignore. vsce flags used, and why (vsce 3.9):
//   --no-dependencies            dist/ bundles are self-contained (esbuild); node_modules is not shipped
//   --allow-missing-repository   package.json has no "repository" (vsce would prompt y/N)
//   --skip-license               no prompt should LICENSE ever be missing (the repo has one)
//   --no-rewrite-relative-links  README.md has relative links (CHANGELOG.md, docs/…); without "repository"
//                                (or --baseContentUrl) vsce cannot turn them into absolute URLs and fails
// stdin is closed so any further vsce prompt fails at once instead of hanging.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
export const vsixPath = join(repoRoot, '.cache', 'cftunnel.vsix');

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
    log('package.json has neither activationEvents nor contributes: the stub gets activationEvents ["onStartupFinished"]');
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

export async function packageVsix({ mode = 'package' } = {}) {
  const started = Date.now();
  mkdirSync(dirname(vsixPath), { recursive: true });
  rmSync(vsixPath, { force: true });
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
      throw new PackageError(`${err.message}\n(vscode:prepublish = typecheck + production build; to test the ` +
        'current code without the typecheck: node scripts/e2e/run.mjs --no-prepublish)');
    }
  }
  if (!existsSync(vsixPath)) throw new PackageError(`vsce finished but ${vsixPath} does not exist`);
  log(`${vsixPath} (${Math.round(statSync(vsixPath).size / 1024)} KiB) in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return vsixPath;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const mode = args.includes('--stub') ? 'stub' : args.includes('--no-prepublish') ? 'no-prepublish' : 'package';
  packageVsix({ mode }).catch((err) => {
    console.error(`[e2e package] FAILED: ${err instanceof PackageError ? err.message : err?.stack ?? err}`);
    process.exit(1);
  });
}
