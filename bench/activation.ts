/**
 * Activation in the real workbench: code-server with the packaged extension (bench/vsix.ts packages
 * it as the e2e run does), opened in chromium through the e2e harness (dev/editor/harness.ts). Each run
 * is a fresh workbench on the fixture workspace (test/e2e/workspace): once the extension host has
 * activated its eager extensions, the Problems panel is opened and deployment.yaml is opened through
 * Quick Open, which fires the extension's only activation event (`onLanguage:yaml`). Timed:
 *
 * - activation (median_ms): VS Code starting to activate the extension (`_doActivateExtension` in
 *   the extension host log) → the end of activate(), i.e. loading dist/extension.js plus activate();
 *   what "Developer: Show Running Extensions" calls activation time;
 * - activate_ms: activate() itself, language server start included (the extension logs
 *   `activated in N ms` to its "Cloudflare Tunnel" log channel);
 * - open_to_active_ms: pressing Enter on deployment.yaml in Quick Open → the end of activate();
 * - open_to_diagnostic_ms: the same Enter → the `$TOKEN` warning's row in the Problems panel.
 *
 * Log times come from the extension host's own log lines (ms resolution, same clock); the page
 * side is measured here with Date.now(). BENCH_ACTIVATION_RUNS sets the number of workbenches
 * (default 5); BENCH_VSIX=path measures that package instead of packaging the sources (a before/after
 * comparison on the same machine, at the same time: keep the old .vsix, run both). Every workbench
 * and browser is stopped, also on failure (withWorkbench).
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Type only: the harness (and playwright-core) load when the benchmark runs, not with every `npm run bench`.
import type * as HarnessModule from '../dev/editor/harness';
import type { Benchmark, Result } from './measure';
import { ensureVsix, repoRoot } from './vsix';
import { install } from '../scripts/e2e/install-code-server.mjs';

type Harness = typeof HarnessModule;

const RUNS = Math.max(1, Number(process.env.BENCH_ACTIVATION_RUNS ?? '5') || 5);
const FILE = 'deployment.yaml';
/** Text of the Problems row the file produces (the shell-style `$TOKEN` in args). */
const PROBLEM = '$(TOKEN)';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  publisher: string;
  name: string;
};
const extensionId = `${manifest.publisher}.${manifest.name}`;

interface Run {
  activation_ms: number;
  activate_ms: number;
  open_to_active_ms: number;
  open_to_diagnostic_ms: number;
}

/** Every file under `dir` (recursively) whose path ends with `suffix`. */
function filesUnder(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) found.push(...filesUnder(p, suffix));
    else if (p.endsWith(suffix)) found.push(p);
  }
  return found;
}

/** The first line matching `pattern` in any of `files`, with its VS Code log timestamp (local time, ms). */
function logLine(files: string[], pattern: RegExp): { at: number; match: RegExpMatchArray } | undefined {
  for (const f of files) {
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      const match = line.match(pattern);
      const ts = line.match(/^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3}) /);
      if (match && ts) {
        const [y, mo, d, h, mi, s, ms] = ts.slice(1).map(Number) as [
          number,
          number,
          number,
          number,
          number,
          number,
          number,
        ];
        return { at: new Date(y, mo - 1, d, h, mi, s, ms).getTime(), match };
      }
    }
  }
  return undefined;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function oneRun(h: Harness, vsix: string, n: number): Promise<Run> {
  let run: Run | undefined;
  await h.withWorkbench(`bench-activation-${n}`, { trusted: true, vsix }, async ({ workbench, page }) => {
    const logs = join(workbench.userDataDir, 'logs');
    const exthostLogs = () => filesUnder(logs, 'exthost.log'); // remoteexthost.log in code-server
    const channelLogs = () => filesUnder(logs, join(extensionId, 'Cloudflare Tunnel.log'));
    const activating = new RegExp(
      `ExtensionService#_doActivateExtension ${extensionId.replace(/\./g, '\\.')}\\b.*activationEvent: '([^']*)'`,
    );

    // A settled extension host: otherwise the open would also time the host's own start.
    await h.waitUntil(
      'the extension host to activate its eager extensions',
      () => logLine(exthostLogs(), /Eager extensions activated/),
      h.timeouts.workbench,
      50,
    );
    const early = logLine(exthostLogs(), activating);
    if (early)
      throw new Error(`${extensionId} was activated before ${FILE} was opened (activation event ${early.match[1]})`);

    await h.problemsPanelText(page); // opens the Problems panel, where the diagnostic will appear

    // Quick Open as harness.openFile does, timing from the Enter that opens the file.
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: h.timeouts.ui });
    await input.fill(FILE);
    await page
      .locator('.quick-input-widget .monaco-list-row', { hasText: FILE })
      .first()
      .waitFor({ state: 'visible', timeout: h.timeouts.ui });
    const opened = Date.now();
    await page.keyboard.press('Enter');

    const diagnostic = h
      .problemRow(page, PROBLEM)
      .waitFor({ state: 'visible', timeout: h.timeouts.diagnostics })
      .then(() => Date.now());
    diagnostic.catch(() => undefined); // awaited below; avoids an unhandled rejection while we wait on the log
    const done = await h.waitUntil(
      'the extension to log "activated in N ms"',
      () => logLine(channelLogs(), /\[info\] activated in (\d+) ms/),
      h.timeouts.diagnostics,
      20,
    );
    const start = await h.waitUntil(
      `the extension host log to show ${extensionId} activating`,
      () => logLine(exthostLogs(), activating),
      h.timeouts.ui,
      20,
    );
    if (start.match[1] !== 'onLanguage:yaml')
      throw new Error(`${extensionId} was activated by ${start.match[1]}, not onLanguage:yaml`);
    const shown = await diagnostic;
    run = {
      activation_ms: done.at - start.at,
      activate_ms: Number(done.match[1]),
      open_to_active_ms: done.at - opened,
      open_to_diagnostic_ms: shown - opened,
    };
  });
  return run!;
}

export function activationBenchmarks(): Benchmark[] {
  return [
    {
      id: 'activation',
      async run(): Promise<Result> {
        // The editor is installed as `npm run demo` and `npm run test:e2e` install it (first run: minutes).
        await install();
        const given = process.env.BENCH_VSIX;
        if (given && !existsSync(given)) throw new Error(`BENCH_VSIX: ${given} does not exist`);
        const { path, packaged } = given ? { path: given, packaged: false } : await ensureVsix();
        // A private copy: an e2e run packaging at the same time rewrites .cache/cftunnel.vsix.
        const dir = mkdtempSync(join(tmpdir(), 'cftunnel-bench-'));
        const vsix = join(dir, 'cftunnel.vsix');
        copyFileSync(path, vsix);
        try {
          const h: Harness = await import('../dev/editor/harness');
          const runs: Run[] = [];
          for (let i = 1; i <= RUNS; i++) {
            runs.push(await oneRun(h, vsix, i));
            console.error(`[bench] activation run ${i}/${RUNS}: ${JSON.stringify(runs[runs.length - 1])}`);
          }
          const of = (k: keyof Run) => median(runs.map((r) => r[k]));
          const activate = of('activate_ms');
          const toActive = of('open_to_active_ms');
          const toDiagnostic = of('open_to_diagnostic_ms');
          return {
            id: 'activation',
            median_ms: of('activation_ms'),
            runs: runs.length,
            activate_ms: activate,
            open_to_active_ms: toActive,
            open_to_diagnostic_ms: toDiagnostic,
            each: runs,
            packaged,
            ...(given ? { vsix: given } : {}),
            detail: `load + activate() (VS Code's activation time); activate() ${activate} ms, open ${FILE} → active ${toActive} ms, → first diagnostic in Problems ${toDiagnostic} ms; ${runs.length} fresh workbenches`,
          };
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    },
  ];
}
