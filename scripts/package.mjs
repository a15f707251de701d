// `npm run package`: the release artefacts, built once; the release workflow (.github/workflows/release.yml)
// publishes exactly these files:
//
//   .cache/release/cftunnel-<version>.vsix  `vsce package --no-dependencies`: runs the manifest's vscode:prepublish
//                                           (typecheck + production build); what ships is .vscodeignore's
//                                           allow-list (test/manifest/vsix-files.test.ts checks `vsce ls`)
//   .cache/release/cftunnel-<version>.tgz   the CLI's npm package (scripts/pack-cli.mjs)
//
// README links: vsce turns the README's and CHANGELOG's relative links into absolute ones from package.json's
// "repository"; here they point at the release's own tag (`--ref v0.1.0`, or GITHUB_REF_NAME on a tag build;
// default main), so the screenshots shown on the Marketplace are the ones of that release. The screenshots
// are not in the .vsix (.vscodeignore): README images load from raw.githubusercontent.com.
//
// In GitHub Actions it writes vsix=… and tgz=… (paths relative to the repository) to $GITHUB_OUTPUT.
// Usage: node scripts/package.mjs [--ref REF] [--skip-cli]
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packCli } from './pack-cli.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const releaseDir = join(repoRoot, '.cache', 'release');

/** owner/name of package.json's GitHub repository. */
export function githubRepository(manifest) {
  const url = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
  const m = /github\.com[/:]([^/]+\/[^/.]+?)(?:\.git)?$/.exec(url ?? '');
  if (!m) throw new Error(`package.json "repository" is not a GitHub repository: ${url}`);
  return m[1];
}

/**
 * The options `npm run package` gives vsce (also given to vsce's README processor by the tests): relative
 * links and images of README.md and CHANGELOG.md against the repository at `ref`, and no turning of
 * "#20" into a link to GitHub issue 20 (the issue numbers in the changelog are not GitHub's).
 */
export function vsceOptions(manifest, ref) {
  const repo = githubRepository(manifest);
  return {
    baseContentUrl: `https://github.com/${repo}/blob/${ref}/`,
    baseImagesUrl: `https://raw.githubusercontent.com/${repo}/${ref}/`,
    gitHubIssueLinking: false,
  };
}

/** `vsce package` arguments for vsceOptions. */
export function vsceArgs(manifest, ref, out) {
  const o = vsceOptions(manifest, ref);
  return [
    'package',
    '--no-dependencies',
    '--baseContentUrl',
    o.baseContentUrl,
    '--baseImagesUrl',
    o.baseImagesUrl,
    '--no-gitHubIssueLinking',
    '--out',
    out,
  ];
}

export function releasePaths(version) {
  return {
    vsix: join(releaseDir, `cftunnel-${version}.vsix`),
    tgz: join(releaseDir, `cftunnel-${version}.tgz`),
  };
}

function refFrom(args, env = process.env) {
  const i = args.indexOf('--ref');
  if (i >= 0 && args[i + 1]) return args[i + 1];
  if (env.GITHUB_REF_TYPE === 'tag' && env.GITHUB_REF_NAME) return env.GITHUB_REF_NAME;
  return 'main';
}

async function main(args) {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const ref = refFrom(args);
  if (/^v\d/.test(ref) && ref !== `v${manifest.version}`) {
    throw new Error(`tag ${ref} does not name package.json's version ${manifest.version}`);
  }
  const paths = releasePaths(manifest.version);
  rmSync(releaseDir, { recursive: true, force: true });
  mkdirSync(releaseDir, { recursive: true });

  console.log(`[package] vsce package (vscode:prepublish: typecheck + production build), links at ${ref}…`);
  const r = spawnSync('npx', ['--no-install', 'vsce', ...vsceArgs(manifest, ref, paths.vsix)], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0 || !existsSync(paths.vsix)) throw new Error(`vsce package failed (exit ${r.status ?? r.signal})`);

  const outputs = { vsix: paths.vsix };
  if (!args.includes('--skip-cli')) {
    console.log('[package] the CLI npm package…');
    const cli = await packCli({ destination: releaseDir });
    if (cli.tarball !== paths.tgz) throw new Error(`npm pack wrote ${cli.tarball}, expected ${paths.tgz}`);
    outputs.tgz = cli.tarball;
  }
  for (const [key, path] of Object.entries(outputs)) {
    console.log(`[package] ${key}: ${relative(repoRoot, path)} (${(statSync(path).size / 1024).toFixed(1)} KiB)`);
    if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `${key}=${relative(repoRoot, path)}\n`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(`[package] FAILED: ${err?.message ?? err}`);
    process.exit(1);
  });
}
