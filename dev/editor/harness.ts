// Real-editor harness: a code-server workbench (the VS Code workbench and server, from npm) with the
// packaged extension installed, driven through Debian's chromium by playwright-core. Used by test/e2e,
// `npm run demo` (scripts/demo.ts) and bench/activation.ts.
//
// Library only: importing this module starts nothing. Prerequisites (scripts/e2e/run.mjs does both):
//   node scripts/e2e/install-code-server.mjs   → .cache/code-server/installed.json
//   node scripts/e2e/package-vsix.mjs          → .cache/cftunnel.vsix
//
// Every wait here waits on something the page shows or a process reports, with a deadline; there are no
// fixed sleeps. Everything started is stopped (process groups killed, temp folders removed) by stop()/close(),
// by withWorkbench() on failure, and as a last resort when the test process exits.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

/** This file is dev/editor/harness.ts: the repository is two folders up. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixtureWorkspace = join(repoRoot, 'test', 'e2e', 'workspace');
/** The packaged extension under test; E2E_VSIX points at another build (absolute path). */
export const defaultVsix = process.env.E2E_VSIX ?? join(repoRoot, '.cache', 'cftunnel.vsix');
export const resultsDir = join(repoRoot, 'test-results', 'e2e');
const markerFile = join(repoRoot, '.cache', 'code-server', 'installed.json');
const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
/** E2E_KEEP=1 keeps the temp folders (user data, extensions, workspace copy, logs) for inspection. */
const KEEP = process.env.E2E_KEEP === '1';

/** Default deadlines (ms). E2E_TIMEOUT_SCALE multiplies them on slow machines. */
const SCALE = Number(process.env.E2E_TIMEOUT_SCALE ?? '1') || 1;
export const timeouts = {
  serverStart: 60_000 * SCALE,
  workbench: 90_000 * SCALE,
  ui: 20_000 * SCALE,
  diagnostics: 60_000 * SCALE,
};

interface Installed {
  codeServerVersion: string;
  nodeVersion: string;
  node: string;
  nodeBinDir: string;
  codeServerEntry: string;
}

function installed(): Installed {
  let m: Installed;
  try {
    m = JSON.parse(readFileSync(markerFile, 'utf8')) as Installed;
  } catch {
    throw new Error(
      `code-server is not installed (${markerFile} missing). Run: node scripts/e2e/install-code-server.mjs`,
    );
  }
  if (!existsSync(m.node) || !existsSync(m.codeServerEntry)) {
    throw new Error(
      `code-server install in .cache/code-server is incomplete. Run: node scripts/e2e/install-code-server.mjs --force`,
    );
  }
  return m;
}

// ---------------------------------------------------------------------------------------------------
// Process bookkeeping: every process group and temp folder we create, so that exit cleans up.

const liveGroups = new Set<number>();
const liveDirs = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort (a crash, process.exit in a test): kill what is left, wait for it to be gone (a dying
  // code-server still writes into its folder, and removing it then fails with ENOTEMPTY), remove the folders.
  process.once('exit', () => {
    for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
    const deadline = Date.now() + 5_000;
    while ([...liveGroups].some(groupAlive) && Date.now() < deadline) sleepSync(50);
    if (!KEEP) for (const d of liveDirs) removeDir(d);
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      // A program that handles the signal itself (npm run demo) stops its workbench in its own order.
      if (process.listenerCount(sig) > 0) return;
      void stopEverything().finally(() => process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGHUP' ? 1 : 15)));
    });
  }
}

/** Stops every process group this process started and removes every temp folder (Ctrl+C, SIGTERM). */
export async function stopEverything(): Promise<void> {
  await Promise.all([...liveGroups].map((pgid) => stopPgid(pgid)));
  if (!KEEP) for (const d of [...liveDirs]) removeDir(d);
}

/** rm -rf that retries while a process that just died still releases the folder, and says what it left. */
function removeDir(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    liveDirs.delete(dir);
  } catch (err) {
    console.error(`could not remove ${dir}: ${(err as Error).message}; remove it by hand`);
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM the whole process group, wait for it to go, SIGKILL what is left after `graceMs`. */
async function stopGroup(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.pid !== undefined) await stopPgid(child.pid, graceMs);
}

async function stopPgid(pgid: number, graceMs = 5_000): Promise<void> {
  killGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await delay(100);
  if (groupAlive(pgid)) {
    killGroup(pgid, 'SIGKILL');
    const hard = Date.now() + 5_000;
    while (groupAlive(pgid) && Date.now() < hard) await delay(100);
  }
  liveGroups.delete(pgid);
}

/** Polling interval for condition waits (not a fixed sleep: every caller waits on a condition). */
function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` until it returns a truthy value or the deadline passes; then throws with `what`. */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = timeouts.ui,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await delay(intervalMs);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolvePort(port) : reject(new Error('no free port'))));
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// code-server

export interface WorkbenchOptions {
  /** Folder to open. Copied to a temp folder first unless copyWorkspace is false. Default: test/e2e/workspace. */
  workspace?: string;
  /** Copy the workspace so tests may change files freely (default true). */
  copyWorkspace?: boolean;
  /** Trusted workspace (default true). false opens it in Restricted Mode. */
  trusted?: boolean;
  /** Extra User/settings.json entries (override the defaults below). */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server and so the extension host (e.g. KUBECONFIG, fake API URLs). */
  env?: Record<string, string>;
  /** The .vsix to install (default .cache/cftunnel.vsix); null installs nothing. */
  vsix?: string | null;
}

export interface Workbench {
  /** URL that opens the workspace folder. */
  url: string;
  port: number;
  /** The folder the workbench has open (the temp copy unless copyWorkspace is false). */
  workspace: string;
  userDataDir: string;
  extensionsDir: string;
  /** Temp root holding user data, extensions, home, the workspace copy and code-server.log. */
  root: string;
  logFile: string;
  /** Output of `code-server --list-extensions --show-versions` for this extensions dir. */
  listExtensions(): string[];
  stop(): Promise<void>;
}

const baseSettings = (trusted: boolean): Record<string, unknown> => ({
  'security.workspace.trust.enabled': !trusted,
  // An untrusted folder would otherwise open with a modal trust prompt in front of everything.
  'security.workspace.trust.startupPrompt': 'never',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'files.autoSave': 'off',
  'editor.minimap.enabled': false,
  'editor.stickyScroll.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // Ports other processes open on the machine would otherwise show up as a badge (and vary screenshots).
  'remote.autoForwardPorts': false,
});

function codeServerEnv(inst: Installed, root: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${inst.nodeBinDir}:${process.env.PATH ?? ''}`,
    // Hermetic: code-server's config.yaml and logs, and anything the extension reads from ~ (kubeconfig…).
    HOME: join(root, 'home'),
    XDG_CONFIG_HOME: join(root, 'home', '.config'),
    XDG_DATA_HOME: join(root, 'home', '.local', 'share'),
    XDG_CACHE_HOME: join(root, 'home', '.cache'),
    ...extra,
  };
}

function runCodeServerCli(inst: Installed, env: NodeJS.ProcessEnv, args: string[]): string {
  const r = spawnSync(inst.node, [inst.codeServerEntry, ...args], { encoding: 'utf8', env, timeout: 120_000 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.error || r.status !== 0) {
    throw new Error(`code-server ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}):\n${out}`);
  }
  return out;
}

/** Installs the vsix into a fresh extensions dir, writes settings, starts code-server, waits for HTTP. */
export async function startWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  const inst = installed();
  installExitHook();
  const trusted = options.trusted ?? true;
  const vsix = options.vsix === undefined ? defaultVsix : options.vsix;
  if (vsix && !existsSync(vsix)) {
    throw new Error(`${vsix} does not exist. Run: node scripts/e2e/package-vsix.mjs`);
  }
  const root = mkdtempSync(join(tmpdir(), 'cftunnel-e2e-'));
  liveDirs.add(root);
  let child: ChildProcess | undefined;
  try {
    const userDataDir = join(root, 'user-data');
    const extensionsDir = join(root, 'extensions');
    for (const d of [userDataDir, extensionsDir, join(root, 'home')]) mkdirSync(d, { recursive: true });
    const source = resolve(options.workspace ?? fixtureWorkspace);
    let workspace = source;
    if (options.copyWorkspace ?? true) {
      workspace = join(root, 'workspace');
      cpSync(source, workspace, { recursive: true });
    }
    const env = codeServerEnv(inst, root, options.env);

    mkdirSync(join(userDataDir, 'User'), { recursive: true });
    writeFileSync(
      join(userDataDir, 'User', 'settings.json'),
      JSON.stringify({ ...baseSettings(trusted), ...options.settings }, null, 2) + '\n',
    );

    const cli = (args: string[]) =>
      runCodeServerCli(inst, env, ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, ...args]);
    if (vsix) {
      const out = cli(['--install-extension', vsix, '--force']);
      if (!/successfully installed/i.test(out)) throw new Error(`Installing ${vsix} did not report success:\n${out}`);
    }

    const port = await freePort();
    const logFile = join(root, 'code-server.log');
    const log = createWriteStream(logFile);
    const args = [
      inst.codeServerEntry,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      ...(trusted ? ['--disable-workspace-trust'] : []),
      workspace,
    ];
    // detached: code-server leads its own process group, so stop() takes the extension host,
    // language server and any other descendants with it.
    child = spawn(inst.node, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = child.pid;
    if (pid === undefined) throw new Error('code-server did not start');
    liveGroups.add(pid);
    // Unreferenced: a test that times out must not be kept alive by code-server (the exit hook kills it).
    child.unref();
    (child.stdout as unknown as { unref?: () => void }).unref?.();
    (child.stderr as unknown as { unref?: () => void }).unref?.();
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    let exited: string | undefined;
    child.once('exit', (code, signal) => {
      exited = `code-server exited (${signal ?? code})`;
      log.end();
    });

    const base = `http://127.0.0.1:${port}`;
    await waitUntil(
      `code-server to answer on ${base}/healthz`,
      async () => {
        if (exited) throw new Error(`${exited}; log:\n${tail(logFile)}`);
        const res = await fetch(`${base}/healthz`).catch(() => undefined);
        return res?.ok === true;
      },
      timeouts.serverStart,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n--- ${logFile} ---\n${tail(logFile)}`);
    });

    const started = child;
    let stopped = false;
    return {
      url: `${base}/?folder=${encodeURIComponent(workspace)}`,
      port,
      workspace,
      userDataDir,
      extensionsDir,
      root,
      logFile,
      listExtensions: () =>
        cli(['--list-extensions', '--show-versions'])
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => /^[\w-]+\.[\w-]+@/.test(l)),
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopGroup(started);
        if (!KEEP) removeDir(root);
      },
    };
  } catch (err) {
    if (child) await stopGroup(child);
    if (!KEEP) removeDir(root);
    throw err;
  }
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// ---------------------------------------------------------------------------------------------------
// Browser

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface BrowserSession {
  page: Page;
  browser: Browser;
  /** Uncaught page errors and console errors seen so far (for failure reports). */
  pageErrors: string[];
  close(): Promise<void>;
}

/** Launches chromium (fresh profile) and opens `url`. Does not wait for the workbench: see waitForWorkbench. */
export async function openBrowser(url: string): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} not found. Install Debian's chromium (apt-get install -y chromium) or set E2E_CHROMIUM.`,
    );
  }
  // playwright gives every launch() a fresh temporary --user-data-dir and removes it on close.
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: chromiumArgs });
  try {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`);
    });
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeouts.workbench });
    return {
      page,
      browser,
      pageErrors,
      close: async () => {
        await browser.close().catch(() => undefined);
      },
    };
  } catch (err) {
    await browser.close().catch(() => undefined);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------------
// Workbench helpers (wait on what the page shows)

/** The workbench is rendered and the editor area and status bar are there. */
export async function waitForWorkbench(page: Page, timeout = timeouts.workbench): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout });
  await page.locator('.monaco-workbench .part.editor').waitFor({ state: 'visible', timeout });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout });
}

const quickInput = '.quick-input-widget';

async function openQuickInput(page: Page, key: string): Promise<void> {
  // A picker left open from an earlier step would swallow the keybinding.
  if (await page.locator(quickInput).isVisible()) {
    await page.keyboard.press('Escape');
    await page.locator(quickInput).waitFor({ state: 'hidden', timeout: timeouts.ui });
  }
  await page.keyboard.press(key);
  await page.locator(`${quickInput} input`).waitFor({ state: 'visible', timeout: timeouts.ui });
}

/** Opens `relativePath` (relative to the workspace folder) through Quick Open and waits for its editor. */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  const name = relativePath.split('/').pop()!;
  await openQuickInput(page, 'Control+P');
  await page.locator(`${quickInput} input`).fill(relativePath);
  // Wait until the picker's focused row is the file itself: file search runs asynchronously, and
  // until it answers the list shows recently opened editors, whose first row Enter would open.
  const row = page.locator(`${quickInput} .monaco-list-row.focused`, { hasText: name }).first();
  await row.waitFor({ state: 'visible', timeout: timeouts.ui });
  await page.keyboard.press('Enter');
  await page.locator(quickInput).waitFor({ state: 'hidden', timeout: timeouts.ui });
  await page
    .locator(`.part.editor .tab.active`, { hasText: name })
    .first()
    .waitFor({ state: 'visible', timeout: timeouts.ui });
  await activeEditor(page).locator('.view-lines').waitFor({ state: 'visible', timeout: timeouts.ui });
}

/** The text editor of the active editor group. */
export function activeEditor(page: Page) {
  return page.locator('.part.editor .editor-group-container.active .monaco-editor').first();
}

/** The status-bar item showing the cursor position ("Ln 7, Col 1"). */
export function cursorPosition(page: Page) {
  return page.locator('.part.statusbar .statusbar-item[id="status.editor.selection"]').first();
}

/**
 * Moves the active editor's cursor to column 1 of `line` (1-based) with Go to Line (Ctrl+G) and waits until
 * the status bar shows it and the editor has keyboard focus (ready for page.keyboard.type).
 */
export async function goToLine(page: Page, line: number): Promise<void> {
  await openQuickInput(page, 'Control+G');
  await page.locator(`${quickInput} input`).fill(`:${line}`);
  await page.keyboard.press('Enter');
  await page.locator(quickInput).waitFor({ state: 'hidden', timeout: timeouts.ui });
  await cursorPosition(page)
    .filter({ hasText: new RegExp(`^Ln ${line}, Col 1\\b`) })
    .waitFor({ state: 'visible', timeout: timeouts.ui });
  await activeEditor(page).and(page.locator('.focused')).waitFor({ timeout: timeouts.ui });
}

/** Error / warning squiggles currently drawn in the active editor. */
export function squiggles(page: Page, severity: 'error' | 'warning' = 'error') {
  return activeEditor(page).locator(`.squiggly-${severity}`);
}

/** Editor settings for tests that type: the keyboard input lands in the file exactly as typed. */
export const literalTypingSettings: Record<string, unknown> = (() => {
  const editor = {
    'editor.autoIndent': 'none',
    'editor.autoClosingBrackets': 'never',
    'editor.autoClosingQuotes': 'never',
    'editor.autoSurround': 'never',
    'editor.formatOnType': false,
    'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
    'editor.suggestOnTriggerCharacters': false,
    'editor.wordBasedSuggestions': 'off',
    'editor.acceptSuggestionOnEnter': 'off',
    'editor.inlineSuggest.enabled': false,
  };
  // Language defaults (the built-in YAML extension sets "[yaml]": autoIndent "keep") beat plain user settings.
  return { ...editor, '[yaml]': editor };
})();

/** Text of the active editor's rendered lines, in line order (Monaco renders only the lines in view). */
export async function editorText(page: Page): Promise<string> {
  return activeEditor(page)
    .locator('.view-lines')
    .evaluate((el) => {
      // Runs in the page; typed structurally because the repo's tsconfig has no DOM lib.
      type Line = { style: { top: string }; textContent: string | null };
      const root = el as unknown as { querySelectorAll(selector: string): ArrayLike<Line> };
      return Array.from(root.querySelectorAll('.view-line'))
        .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
        .map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' '))
        .join('\n');
    });
}

/** Waits until the active editor shows text matching `pattern`; returns that text. */
export async function waitForEditorText(page: Page, pattern: RegExp | string, timeout = timeouts.ui): Promise<string> {
  const matches = (t: string) => (typeof pattern === 'string' ? t.includes(pattern) : pattern.test(t));
  return waitUntil(
    `the editor to show ${pattern}`,
    async () => {
      const t = await editorText(page);
      return matches(t) ? t : undefined;
    },
    timeout,
  );
}

/**
 * Runs a command by its title through the command palette (F1), e.g. "View: Toggle Terminal", and waits for the
 * palette to close. `opensQuickInput`: the command opens its own quick pick or input box (which takes the
 * palette's place), so only the palette's entry is waited for.
 */
export async function runCommand(
  page: Page,
  title: string,
  options: { opensQuickInput?: boolean } = {},
): Promise<void> {
  // Exact label match: palette rows are labelled "<title>" (plus keybinding / category details).
  const row = page
    .locator(`${quickInput} .monaco-list-row`)
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) })
    .first();
  // The palette lists the commands known when it opens: while the workbench is still registering
  // them (extensions starting, contributions loading), open it again until the command is there.
  const deadline = Date.now() + timeouts.ui;
  for (let attempt = 1; ; attempt++) {
    await openQuickInput(page, 'F1');
    await page.locator(`${quickInput} input`).fill(`>${title}`);
    const found = await row
      .waitFor({ state: 'visible', timeout: Math.min(5_000 * attempt, Math.max(1_000, deadline - Date.now())) })
      .then(() => true)
      .catch(() => false);
    if (found) break;
    if (Date.now() >= deadline)
      throw new Error(`The command palette never listed "${title}" (${attempt} attempts in ${timeouts.ui} ms).`);
    await page.keyboard.press('Escape');
    await page.locator(quickInput).waitFor({ state: 'hidden', timeout: timeouts.ui });
  }
  await row.click();
  if (options.opensQuickInput) {
    // The palette's own text (">title") goes once the command's quick input replaces it or it closes.
    await waitUntil(`the command palette to give way after "${title}"`, async () => {
      if (!(await page.locator(quickInput).isVisible())) return true;
      return !(await page.locator(`${quickInput} input`).inputValue()).startsWith('>');
    });
    return;
  }
  await page.locator(quickInput).waitFor({ state: 'hidden', timeout: timeouts.ui });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Opens the Problems panel (if needed) and returns its visible text. */
export async function problemsPanelText(page: Page): Promise<string> {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) {
    await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
    await panel.waitFor({ state: 'visible', timeout: timeouts.ui });
  }
  return (await panel.innerText()).replace(/\u00a0/g, ' ');
}

/** Waits until the Problems panel text satisfies `check`; returns the text. */
export async function waitForProblems(
  page: Page,
  what: string,
  check: (text: string) => boolean,
  timeout = timeouts.diagnostics,
): Promise<string> {
  let last = '';
  try {
    return await waitUntil(
      what,
      async () => {
        last = await problemsPanelText(page);
        return check(last) ? last : undefined;
      },
      timeout,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}\nProblems panel showed:\n${last || '(nothing)'}`);
  }
}

/** A problem (marker) row in the Problems panel whose text contains `text`. */
export function problemRow(page: Page, text: string) {
  return page.locator('.markers-panel .monaco-list-row[aria-level="2"]', { hasText: text }).first();
}

/**
 * Double-clicks the Problems panel row containing `text`: the editor opens with the problem's range selected
 * and keyboard focus (ready for applyQuickFix). Returns the problem's message.
 */
export async function revealProblem(page: Page, text: string): Promise<string> {
  await problemsPanelText(page); // makes sure the panel is open
  const row = problemRow(page, text);
  await row.waitFor({ state: 'visible', timeout: timeouts.ui });
  const message = (await row.locator('.marker-message').innerText()).replace(/\u00a0/g, ' ').trim();
  await row.dblclick();
  await activeEditor(page).and(page.locator('.focused')).waitFor({ timeout: timeouts.ui });
  return message;
}

/** The quick-fix / code-action menu (the action widget). */
export function quickFixMenu(page: Page) {
  return page.locator('.action-widget:not(.action-list-submenu-panel)').first();
}

/**
 * Opens the light-bulb / quick-fix menu at the cursor (Ctrl+., the editor must have focus, e.g. right after
 * revealProblem or goToNextProblem) and picks the action titled `title`.
 */
export async function applyQuickFix(page: Page, title: string): Promise<void> {
  try {
    await openQuickFixMenu(page);
  } catch (err) {
    if (err instanceof Error) err.message = `Quick fix "${title}" not offered: ${err.message}`;
    throw err;
  }
  await pickQuickFix(page, title);
}

/**
 * Opens the quick-fix menu at the cursor (Ctrl+., the editor must have focus) and waits until it shows; throws
 * if the editor says there is nothing to offer. Returns the menu (see pickQuickFix).
 */
export async function openQuickFixMenu(page: Page) {
  const widget = quickFixMenu(page);
  // With nothing to offer, the editor shows a hint instead of the menu.
  const none = activeEditor(page)
    .locator('.monaco-editor-overlaymessage', { hasText: /no code actions/i })
    .first();
  // Ctrl+. goes to whatever has focus: give it to the editor (keeping its selection) and ask again
  // if the first press landed elsewhere (e.g. the Problems panel that revealed the problem).
  for (let attempt = 1; ; attempt++) {
    await activeEditor(page)
      .locator('textarea.inputarea, .native-edit-context')
      .first()
      .focus()
      .catch(() => undefined);
    await page.keyboard.press('Control+.');
    try {
      await widget.or(none).waitFor({ state: 'visible', timeout: attempt < 3 ? timeouts.ui / 4 : timeouts.ui });
      break;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
  if (await none.isVisible()) {
    throw new Error(`No quick fix offered: the editor says "${(await none.innerText()).trim()}"`);
  }
  return widget;
}

/** In the open quick-fix menu (openQuickFixMenu), clicks the action titled `title` and waits for the menu to close. */
export async function pickQuickFix(page: Page, title: string): Promise<void> {
  const widget = quickFixMenu(page);
  const item = widget.locator('.monaco-list-row', { hasText: title }).first();
  try {
    await item.waitFor({ state: 'visible', timeout: timeouts.ui });
  } catch {
    throw new Error(`Quick fix "${title}" not offered; the menu showed:\n${await widget.innerText().catch(() => '?')}`);
  }
  await item.click();
  await widget.waitFor({ state: 'hidden', timeout: timeouts.ui });
}

/** Moves the cursor to the next problem in the active editor (F8 then Escape closes the peek). */
export async function goToNextProblem(page: Page): Promise<void> {
  await runCommand(page, 'Go to Next Problem (Error, Warning, Info)');
  const peek = page.locator('.marker-widget');
  await peek.waitFor({ state: 'visible', timeout: timeouts.ui });
  await page.keyboard.press('Escape');
  await peek.waitFor({ state: 'hidden', timeout: timeouts.ui });
}

/** Activity bar entry (view container) by its title, e.g. "Cloudflare Tunnel". */
export function activityBarItem(page: Page, title: string) {
  return page.locator(`.part.activitybar .action-item a[aria-label^="${title.replace(/"/g, '\\"')}"]`).first();
}

/**
 * A view of the side bar by its title as the manifest spells it ("Tunnels", "Cluster Services"): the whole pane,
 * header and body. Rows: `viewPane(page, 'Tunnels').locator('.monaco-list-row', { hasText })`.
 */
export function viewPane(page: Page, title: string) {
  const header = page.locator('.pane-header', {
    has: page.locator('h3.title', { hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`, 'i') }),
  });
  return page.locator('.part.sidebar .pane', { has: header }).first();
}

/** Expands or collapses a view of the side bar (see viewPane) by clicking its header; waits until it has. */
export async function setViewExpanded(page: Page, title: string, expanded: boolean): Promise<void> {
  const header = viewPane(page, title).locator('.pane-header').first();
  await header.waitFor({ state: 'visible', timeout: timeouts.ui });
  const state = async () => (await header.getAttribute('aria-expanded')) === 'true';
  if ((await state()) !== expanded) await header.locator('h3.title').click();
  await waitUntil(`the ${title} view to ${expanded ? 'expand' : 'collapse'}`, async () => (await state()) === expanded);
}

/** The welcome content (viewsWelcome) a view shows while it has no items. */
export function viewWelcome(page: Page, title: string) {
  return viewPane(page, title).locator('.welcome-view-content').first();
}

/** Opens the view container `container` in the side bar ("Cloudflare Tunnel") unless it is already open. */
export async function openViewContainer(page: Page, container: string): Promise<void> {
  const item = activityBarItem(page, container);
  await item.waitFor({ state: 'visible', timeout: timeouts.ui });
  // The side bar's title names the open container.
  const title = page
    .locator('.part.sidebar .composite.title .title-label', {
      hasText: new RegExp(`^\\s*${escapeRegExp(container)}\\s*$`, 'i'),
    })
    .first();
  if (!(await title.isVisible())) await item.click();
  await title.waitFor({ state: 'visible', timeout: timeouts.ui });
}

/**
 * Signs in to Cloudflare with an API token through the Tunnels view's welcome button (the view container must
 * be open, see openViewContainer) and waits until the token prompt has closed.
 */
export async function signInWithApiToken(page: Page, token: string): Promise<void> {
  await viewWelcome(page, 'Tunnels')
    .locator('a.monaco-button', { hasText: 'Sign In with API Token' })
    .first()
    .click({ timeout: timeouts.ui });
  const input = page.locator(`${quickInput} input`);
  await input.waitFor({ state: 'visible', timeout: timeouts.ui });
  await input.fill(token);
  await page.keyboard.press('Enter');
  await page.locator(quickInput).waitFor({ state: 'hidden', timeout: 60_000 * SCALE });
}

/** The first tree row of `pane` (a viewPane) whose label (not its description) is exactly `label`. */
export function treeRow(pane: ReturnType<typeof viewPane>, label: string) {
  return pane
    .locator('.monaco-list-row', {
      has: pane.page().locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }),
    })
    .first();
}

/** Expands the tree row labelled `label` (see treeRow) if it is collapsed and returns it. Waits for the row first. */
export async function expandTreeRow(pane: ReturnType<typeof viewPane>, label: string, timeout = timeouts.ui) {
  const row = treeRow(pane, label);
  await row.waitFor({ state: 'visible', timeout });
  // A tree that redraws while the click is on its way (live descriptions, a row added above) can
  // move the row from under the pointer: the click then lands on another row. Click again (the
  // row found anew) until this one is expanded. A row drawn as a leaf (no aria-expanded) may get
  // children when later data arrives (a Service's hostnames once the tunnels are read): wait for it.
  let clickedAt = -Infinity;
  await waitUntil(
    `the tree row "${label}" to expand`,
    async () => {
      const expanded = await row.getAttribute('aria-expanded');
      if (expanded === 'true') return true;
      if (expanded === null) return false;
      if (Date.now() - clickedAt > 3000) {
        clickedAt = Date.now();
        await row
          .locator('.monaco-tl-twistie')
          .click({ timeout: 5000 })
          .catch(() => undefined);
      }
      return false;
    },
    timeout,
  );
  return row;
}

/** A row of the open quick pick (command palette, showQuickPick) containing `text`. */
export function quickPickRow(page: Page, text: string | RegExp) {
  return page.locator(`${quickInput} .monaco-list-row`, { hasText: text }).first();
}

/** The open quick pick's title bar (showQuickPick's `title`). */
export function quickPickTitle(page: Page) {
  return page.locator(`${quickInput} .quick-input-title`).first();
}

/** A notification toast whose message contains `text` (info, warning or error messages, progress). */
export function notificationToast(page: Page, text: string | RegExp) {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
}

/** A button of a notification toast (`toast` from notificationToast), by its label. */
export function notificationButton(toast: ReturnType<typeof notificationToast>, label: string) {
  return toast.locator('.monaco-button', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }).first();
}

/** The modal dialog (showWarningMessage with modal: true), whose message contains `text`. */
export function modalDialog(page: Page, text: string | RegExp) {
  return page.locator('.monaco-dialog-box', { hasText: text }).first();
}

/** Clicks the button labelled `label` of a modal dialog and waits for the dialog to close. */
export async function clickDialogButton(dialog: ReturnType<typeof modalDialog>, label: string): Promise<void> {
  await dialog.waitFor({ state: 'visible', timeout: timeouts.ui });
  await dialog
    .locator('.dialog-buttons .monaco-button', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) })
    .first()
    .click();
  await dialog.waitFor({ state: 'hidden', timeout: timeouts.ui });
}

/**
 * Drags the sash between the side bar and the editor so the side bar is `width` CSS pixels wide (for screenshots
 * and long tree labels). Waits until the side bar has that width (±8 px).
 */
export async function setSideBarWidth(page: Page, width: number): Promise<void> {
  const sidebar = page.locator('.part.sidebar').first();
  await sidebar.waitFor({ state: 'visible', timeout: timeouts.ui });
  const box = await sidebar.boundingBox();
  if (!box) throw new Error('the side bar has no size');
  if (Math.abs(box.width - width) <= 8) return;
  // The vertical sash nearest to the side bar's right edge (it sits in the gap between side bar and editor).
  const right = box.x + box.width;
  let sash: { x: number; y: number; width: number; height: number } | undefined;
  for (const s of await page.locator('.monaco-sash.vertical').all()) {
    const b = await s.boundingBox().catch(() => null);
    if (!b || b.height < box.height / 2) continue;
    if (!sash || Math.abs(b.x + b.width / 2 - right) < Math.abs(sash.x + sash.width / 2 - right)) sash = b;
  }
  if (!sash || Math.abs(sash.x + sash.width / 2 - right) > 16) throw new Error('no sash next to the side bar');
  const x = sash.x + sash.width / 2;
  const y = sash.y + sash.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + (width - box.width) / 2, y, { steps: 4 });
  await page.mouse.move(x + width - box.width, y, { steps: 4 });
  await page.mouse.up();
  await waitUntil(`the side bar to be ${width} px wide`, async () => {
    const b = await sidebar.boundingBox();
    return b !== null && Math.abs(b.width - width) <= 8;
  });
}

/** Saves a screenshot to test-results/e2e/<name>.png and returns its path. Never throws. */
export async function screenshotOnFailure(page: Page | undefined, name: string): Promise<string | undefined> {
  if (!page) return undefined;
  try {
    mkdirSync(resultsDir, { recursive: true });
    const file = join(resultsDir, `${safeName(name)}.png`);
    await page.screenshot({ path: file, timeout: 15_000 });
    return file;
  } catch {
    return undefined;
  }
}

/** Where saveScreenshot writes on every run (git-ignored with the rest of test-results/). */
export const screenshotsDir = join(resultsDir, 'screenshots');
/** Where saveScreenshot also writes when E2E_SCREENSHOTS=1: the committed README screenshots. */
export const readmeScreenshotsDir = join(repoRoot, 'media', 'screenshots');

/**
 * Screenshot for the README: writes test-results/e2e/screenshots/<name>.png always, and also
 * media/screenshots/<name>.png when E2E_SCREENSHOTS=1 (so an ordinary run never changes the checkout).
 * The page has the fixed 1600×1000 viewport openBrowser sets. Moves the mouse out of the way first unless
 * `keepMouse` (a hover would otherwise be in the picture); `clip` narrows the picture to a region (CSS px).
 * Returns the paths written. Throws if the screenshot cannot be taken (it is part of the test).
 */
export async function saveScreenshot(
  page: Page,
  name: string,
  options: { keepMouse?: boolean; clip?: { x: number; y: number; width: number; height: number } } = {},
): Promise<string[]> {
  if (!options.keepMouse) await page.mouse.move(1, 999);
  mkdirSync(screenshotsDir, { recursive: true });
  const file = join(screenshotsDir, `${safeName(name)}.png`);
  await page.screenshot({ path: file, timeout: 15_000, animations: 'disabled', caret: 'hide', clip: options.clip });
  const written = [file];
  if (process.env.E2E_SCREENSHOTS === '1') {
    mkdirSync(readmeScreenshotsDir, { recursive: true });
    const committed = join(readmeScreenshotsDir, `${safeName(name)}.png`);
    cpSync(file, committed);
    written.push(committed);
  }
  return written;
}

function safeName(name: string): string {
  return (
    name
      .replace(/[^\w.-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 120) || 'failure'
  );
}

export interface Session {
  workbench: Workbench;
  browser: BrowserSession;
  page: Page;
}

/**
 * Starts a workbench, opens it in chromium, waits for the workbench, runs `body`, and always stops both.
 * On failure: screenshot, code-server log and VS Code logs go to test-results/e2e/<name>*, then it rethrows.
 */
export async function withWorkbench(
  name: string,
  options: WorkbenchOptions,
  body: (s: Session) => Promise<void>,
): Promise<void> {
  let workbench: Workbench | undefined;
  let browser: BrowserSession | undefined;
  try {
    workbench = await startWorkbench(options);
    browser = await openBrowser(workbench.url);
    await waitForWorkbench(browser.page);
    await body({ workbench, browser, page: browser.page });
  } catch (err) {
    const saved = await saveFailureArtifacts(name, workbench, browser);
    if (err instanceof Error && saved.length) err.message += `\nFailure artifacts:\n  ${saved.join('\n  ')}`;
    throw err;
  } finally {
    await browser?.close();
    await workbench?.stop();
  }
}

async function saveFailureArtifacts(name: string, wb?: Workbench, br?: BrowserSession): Promise<string[]> {
  const saved: string[] = [];
  const shot = await screenshotOnFailure(br?.page, name);
  if (shot) saved.push(shot);
  try {
    mkdirSync(resultsDir, { recursive: true });
    if (wb && existsSync(wb.logFile)) {
      const f = join(resultsDir, `${safeName(name)}.code-server.log`);
      cpSync(wb.logFile, f);
      saved.push(f);
    }
    if (wb && existsSync(join(wb.userDataDir, 'logs'))) {
      const d = join(resultsDir, `${safeName(name)}.vscode-logs`);
      rmSync(d, { recursive: true, force: true });
      cpSync(join(wb.userDataDir, 'logs'), d, { recursive: true });
      saved.push(d);
    }
    if (br?.pageErrors.length) {
      const f = join(resultsDir, `${safeName(name)}.page-errors.txt`);
      writeFileSync(f, br.pageErrors.join('\n') + '\n');
      saved.push(f);
    }
  } catch {
    // artifacts are best effort
  }
  return saved;
}
