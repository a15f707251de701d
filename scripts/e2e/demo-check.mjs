// Runs the README's demo command as a person would in a terminal, then presses Ctrl+C:
//   node scripts/e2e/demo-check.mjs ["npm install && npm run demo"]      (default: "npm run demo")
// The command runs in its own process group (a terminal's foreground job); the check waits until it
// prints "Press Ctrl+C", loads the workbench URL it printed, writes a secret-like file into the temporary
// workspace (as "Write Tunnel credentials.json…" would), then sends SIGINT to the whole group, as Ctrl+C
// does. It passes when the demo stops within 30 s (the demo exits 0; npm then reports 130, as it does for
// any Ctrl+C), says it stopped, prints no error, and leaves behind neither its
// temporary folder (with that file) nor the demo kubeconfig nor a running process.
// .ci/run runs it on the README's first line; test/e2e/demo.e2e.ts on `npm run demo`.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

const delay = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Returns { ok, problems: string[], output, workspace, url }. `readyMs`: how long the command may take
 * to come up (a first run installs code-server: up to 10 minutes on a slow machine).
 */
export async function checkDemo({
  command = 'npm run demo',
  readyMs = 25 * 60_000,
  stopMs = 30_000,
  echo = true,
} = {}) {
  const problems = [];
  let output = '';
  const child = spawn('bash', ['-c', command], { cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pgid = child.pid;
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const onData = (chunk) => {
    const text = chunk.toString();
    output += text;
    if (echo) process.stdout.write(text);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exit;
  void exited.then((e) => (exit = e));

  const deadline = Date.now() + readyMs;
  while (!/Press Ctrl\+C to stop/.test(output) && exit === undefined && Date.now() < deadline) await delay(250);
  const url = /Open:\s+(\S+)/.exec(output)?.[1];
  const workspace = /a copy of examples\/homelab in (\S+)/.exec(output)?.[1];
  const kubeconfig = /KUBECONFIG=(\S+)/.exec(output)?.[1];
  if (exit !== undefined) problems.push(`the demo exited before it was ready (${exit.code ?? exit.signal})`);
  else if (!url || !workspace) problems.push(`the demo did not print its URL and workspace within ${readyMs / 1000} s`);

  let secret;
  if (url && workspace && exit === undefined) {
    const res = await fetch(url).catch((err) => ({ ok: false, status: err.message, text: async () => '' }));
    const html = await res.text();
    if (!res.ok || !/workbench/i.test(html))
      problems.push(`GET ${url} did not answer with the workbench (${res.status})`);
    if (!existsSync(workspace)) problems.push(`the printed workspace ${workspace} does not exist`);
    else {
      secret = join(workspace, 'cloudflared', 'credentials.json');
      writeFileSync(secret, '{"TunnelSecret":"demo-check"}\n', { mode: 0o600 });
    }
  }

  const exitedEarly = exit !== undefined;
  // Ctrl+C: SIGINT to every process of the foreground job.
  if (groupAlive(pgid)) process.kill(-pgid, 'SIGINT');
  const stopDeadline = Date.now() + stopMs;
  while (exit === undefined && Date.now() < stopDeadline) await delay(100);
  if (exit === undefined) {
    problems.push(`the demo did not stop within ${stopMs / 1000} s of Ctrl+C`);
    if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
    exit = await exited;
  } else if (!exitedEarly) {
    // npm itself ends with 130 (or dies of SIGINT under bash) after Ctrl+C, whatever its script returned:
    // the demo's own clean stop is its "stopped" line, printed only after everything was stopped.
    const byCtrlC = exit.code === 0 || exit.code === 130 || exit.signal === 'SIGINT';
    if (!byCtrlC)
      problems.push(`the demo exited with ${exit.code ?? exit.signal} after Ctrl+C (expected 0, or npm's 130)`);
    if (!/demo: stopped/.test(output)) problems.push('the demo did not say it stopped cleanly ("demo: stopped")');
  }
  await delay(500);
  if (groupAlive(pgid)) problems.push('processes of the demo are still running after it exited');
  for (const [what, re] of [
    ['a crash', /\bENOTEMPTY\b|Unhandled|uncaught|^\s+at .+:\d+:\d+\)?$/im],
    ['an npm error', /^npm (ERR!|error)/m],
  ]) {
    if (re.test(output)) problems.push(`the output shows ${what}: ${re.exec(output)[0].trim()}`);
  }
  if (workspace && existsSync(dirname(workspace)))
    problems.push(`the temporary folder ${dirname(workspace)} is left behind`);
  if (secret && existsSync(secret)) problems.push(`the credentials written during the demo are left behind: ${secret}`);
  if (kubeconfig && existsSync(kubeconfig)) problems.push(`the demo kubeconfig is left behind: ${kubeconfig}`);
  return { ok: problems.length === 0, problems, output, url, workspace };
}

// No top-level await: the e2e test imports this file through tsx's CommonJS loader.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const command = process.argv[2] ?? 'npm run demo';
  console.log(`[demo check] running: ${command}`);
  const started = Date.now();
  void checkDemo({ command }).then((result) => {
    const seconds = Math.round((Date.now() - started) / 1000);
    if (result.ok) {
      console.log(
        `\n[demo check] OK in ${seconds} s: "${command}" brought the workbench up and Ctrl+C stopped it cleanly.`,
      );
    } else {
      console.error(`\n[demo check] FAILED after ${seconds} s ("${command}"):\n  ${result.problems.join('\n  ')}`);
      process.exit(1);
    }
  });
}
