// `npm run pack:cli`: the `cftunnel` CLI alone as an npm package (packages/cli), packed into .cache/.
//
//   1. esbuild bundles src/cli/main.ts into packages/cli/dist/cftunnel.js (minified, Node 20, CJS, no
//      source map): every npm package it uses is inside the bundle, so the package has no dependencies
//      (its only runtime requires are Node's built-ins; the test checks that);
//   2. packages/cli/ThirdPartyNotices.txt lists the licences of what the bundle holds (scripts/notices.mjs),
//      and the repository's LICENSE is copied beside package.json (npm packs README and LICENSE by name);
//   3. `npm pack --json` writes .cache/cftunnel-<version>.tgz and says its size, unpacked size and files.
//
// The package's version must be the extension's (package.json): the CLI prints it (--version, SARIF).
// Its own esbuild call, not esbuild.mjs: the extension's build stays as it is, and this one never
// touches dist/. Usage: node scripts/pack-cli.mjs [--json]
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { bundledPackages, noticesText } from './notices.mjs';
import { versionOnlyManifest } from './version-only-manifest.mjs';
// An npm started from a script run by `npm run`, without the outer npm's configuration (as the code-server install's).
import { cleanNpmEnv } from './e2e/install-code-server.mjs';
export { cleanNpmEnv };

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const cliPackageDir = join(repoRoot, 'packages', 'cli');
export const cliBundle = join(cliPackageDir, 'dist', 'cftunnel.js');
const cacheDir = join(repoRoot, '.cache');

/** Node's built-in modules the bundle may require at run time (with or without the node: prefix). */
export function runtimeRequires(bundleText) {
  const found = new Set();
  for (const m of bundleText.matchAll(/\brequire\((["'`])([^"'`]+)\1\)/g)) found.add(m[2]);
  return [...found].sort();
}

/** Builds packages/cli/dist/cftunnel.js and packages/cli/ThirdPartyNotices.txt; returns the bundle's size. */
export async function buildCli() {
  const rootManifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const cliManifest = JSON.parse(readFileSync(join(cliPackageDir, 'package.json'), 'utf8'));
  if (cliManifest.version !== rootManifest.version) {
    throw new Error(
      `packages/cli/package.json has version ${cliManifest.version}, the extension ${rootManifest.version}: ` +
        'they are released together, set the same version',
    );
  }
  rmSync(join(cliPackageDir, 'dist'), { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: repoRoot,
    entryPoints: ['src/cli/main.ts'],
    outfile: cliBundle,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
    metafile: true,
    plugins: [versionOnlyManifest(repoRoot)],
  });
  const packages = bundledPackages([result.metafile], repoRoot);
  writeFileSync(
    join(cliPackageDir, 'ThirdPartyNotices.txt'),
    noticesText(packages, repoRoot, 'cftunnel (the CLI of Cloudflare Tunnel for Kubernetes)'),
  );
  copyFileSync(join(repoRoot, 'LICENSE'), join(cliPackageDir, 'LICENSE'));
  return readFileSync(cliBundle).length;
}

/**
 * Builds and packs the CLI package into `destination` (default .cache/).
 * Returns { tarball, size, unpackedSize, files: [{ path, size }], bundleSize }.
 */
export async function packCli({ destination = cacheDir } = {}) {
  const bundleSize = await buildCli();
  mkdirSync(destination, { recursive: true });
  const r = spawnSync('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: cliPackageDir,
    env: cleanNpmEnv(),
    encoding: 'utf8',
  });
  if (r.error) throw new Error(`npm pack could not start: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`npm pack failed (exit ${r.status ?? r.signal}):\n${r.stderr}`);
  const [info] = JSON.parse(r.stdout);
  return {
    tarball: join(destination, info.filename),
    size: info.size,
    unpackedSize: info.unpackedSize,
    files: info.files.map((f) => ({ path: f.path, size: f.size })).sort((a, b) => a.path.localeCompare(b.path)),
    bundleSize,
  };
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  packCli().then(
    (p) => {
      if (process.argv.includes('--json')) {
        console.log(JSON.stringify(p, null, 2));
        return;
      }
      console.log(`${p.tarball}: ${kib(p.size)} packed, ${kib(p.unpackedSize)} unpacked`);
      for (const f of p.files) console.log(`  ${f.path.padEnd(24)} ${kib(f.size).padStart(10)}`);
    },
    (err) => {
      console.error(`[pack:cli] FAILED: ${err?.message ?? err}`);
      process.exit(1);
    },
  );
}
