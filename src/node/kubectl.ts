/**
 * Running kubectl (plain Node, no editor): finding it (an explicit path, else PATH), and running
 * it without a shell, with a time limit, cancellation through an AbortSignal and bounded output.
 * The command lines and the meaning of kubectl's answers live in src/core/kubectl/apply.ts.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, posix, win32 } from 'node:path';
import { KUBECTL_INSTALL_URL } from '../core/kubectl/apply';

/** kubectl is not installed (or not where it was said to be). */
export class KubectlMissing extends Error {
  constructor(
    message: string,
    /** Where it was looked for. */
    readonly looked: string,
  ) {
    super(message);
    this.name = 'KubectlMissing';
  }
}

/** kubectl did not finish within the time limit (it was stopped). */
export class KubectlTimeout extends Error {
  constructor(
    readonly ms: number,
    what: string,
  ) {
    super(`${what} did not finish within ${Math.round(ms / 1000)} s and was stopped. Is the cluster reachable?`);
    this.name = 'KubectlTimeout';
  }
}

/** The run was cancelled through its AbortSignal (kubectl was stopped). */
export class KubectlCancelled extends Error {
  constructor(what: string) {
    super(`${what} was cancelled`);
    this.name = 'AbortError';
  }
}

export interface FindKubectlOptions {
  /** An explicit kubectl executable (a setting, a test): used as is, or KubectlMissing. */
  path?: string;
  /** The environment with PATH (and PATHEXT on Windows); default process.env. */
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

function isExecutableFile(p: string, platform: NodeJS.Platform): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    if (platform !== 'win32') accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The message of a missing kubectl: what was looked for, and how to get it. */
export function kubectlMissingMessage(looked: string): string {
  return `kubectl was not found (${looked}). "Apply to Cluster" runs kubectl diff and kubectl apply: install kubectl (${KUBECTL_INSTALL_URL}) so that it is on the PATH VS Code was started with and restart VS Code, or set cftunnel.kubernetes.kubectlPath to its path.`;
}

/**
 * The kubectl executable: `path` when given (`~` is the home folder), else the first `kubectl`
 * (`kubectl.exe`, `.com` on Windows; spawning `.cmd`/`.bat` needs a shell, which is never used) on
 * PATH. Throws KubectlMissing saying where it looked and how to install it.
 */
export function findKubectl(opts: FindKubectlOptions = {}): string {
  const platform = opts.platform ?? process.platform;
  const env = opts.env ?? process.env;
  if (opts.path !== undefined && opts.path.trim() !== '') {
    let p = opts.path.trim();
    if (p === '~' || p.startsWith('~/') || p.startsWith('~\\')) p = join(homedir(), p.slice(1));
    if (isExecutableFile(p, platform)) return p;
    throw new KubectlMissing(
      `kubectl was not found at ${p} (not an executable file). Install kubectl (${KUBECTL_INSTALL_URL}) or correct the path.`,
      p,
    );
  }
  const path = platform === 'win32' ? win32 : posix;
  const pathVar = (platform === 'win32' ? (env.Path ?? env.PATH ?? env.path) : env.PATH) ?? '';
  // Relative PATH entries (".") are skipped: they would depend on the extension host's cwd.
  const dirs = pathVar
    .split(path.delimiter)
    .map((d) => d.trim().replace(/^"(.*)"$/, '$1'))
    .filter((d) => d !== '' && path.isAbsolute(d));
  const names = platform === 'win32' ? ['kubectl.exe', 'kubectl.com'] : ['kubectl'];
  for (const dir of dirs) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (isExecutableFile(candidate, platform)) return candidate;
    }
  }
  throw new KubectlMissing(
    kubectlMissingMessage(dirs.length ? `not on PATH: ${dirs.length} folders searched` : 'PATH is empty'),
    'PATH',
  );
}

export interface RunKubectlOptions {
  /** The base environment (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Variables set on top of it. */
  setEnv?: Record<string, string>;
  /** Variables removed from it. */
  unsetEnv?: readonly string[];
  /** Stop kubectl after this long (default 120 s): KubectlTimeout. */
  timeoutMs?: number;
  /** Stop kubectl when aborted: KubectlCancelled. */
  signal?: AbortSignal;
  cwd?: string;
  /** Most output kept per stream (default 32 MiB); more stops kubectl with an error. */
  maxBytes?: number;
  /** For messages: "kubectl diff". */
  what?: string;
}

export interface KubectlRun {
  /** The exit code; null when kubectl ended through a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const KILL_GRACE_MS = 2000;

/**
 * Runs `kubectl args…` (no shell: arguments reach kubectl as they are) and resolves with its exit
 * code and output, whatever the code. Rejects with KubectlMissing (it vanished), KubectlTimeout,
 * KubectlCancelled, or an Error for output beyond `maxBytes` or a failed spawn.
 */
export function runKubectl(
  kubectl: string,
  args: readonly string[],
  opts: RunKubectlOptions = {},
): Promise<KubectlRun> {
  const what = opts.what ?? `kubectl ${args[0] ?? ''}`.trim();
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const maxBytes = opts.maxBytes ?? 32 * 1024 * 1024;
  const env: NodeJS.ProcessEnv = { ...(opts.env ?? process.env), ...opts.setEnv };
  for (const k of opts.unsetEnv ?? []) delete env[k];
  return new Promise<KubectlRun>((resolvePromise, reject) => {
    if (opts.signal?.aborted) {
      reject(new KubectlCancelled(what));
      return;
    }
    const child = spawn(kubectl, [...args], {
      env,
      cwd: opts.cwd,
      shell: false,
      windowsHide: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let failure: Error | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (why: Error): void => {
      if (failure) return;
      failure = why;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
      killTimer.unref?.();
    };
    const timer = setTimeout(() => stop(new KubectlTimeout(timeoutMs, what)), timeoutMs);
    const onAbort = (): void => stop(new KubectlCancelled(what));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => {
      outBytes += d.length;
      if (outBytes > maxBytes)
        stop(new Error(`${what} printed more than ${Math.round(maxBytes / 1024 / 1024)} MiB and was stopped`));
      else out.push(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      errBytes += d.length;
      if (errBytes <= maxBytes) err.push(d);
    });
    const cleanup = (): void => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      opts.signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      cleanup();
      if (e.code === 'ENOENT') reject(new KubectlMissing(kubectlMissingMessage(`${kubectl} does not exist`), kubectl));
      else if (e.code === 'EACCES')
        reject(
          new KubectlMissing(
            `${kubectl} cannot be run (permission denied). Install kubectl (${KUBECTL_INSTALL_URL}) or make it executable.`,
            kubectl,
          ),
        );
      else reject(failure ?? e);
    });
    child.on('close', (code, signal) => {
      cleanup();
      if (failure) reject(failure);
      else
        resolvePromise({
          code,
          signal,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        });
    });
  });
}
