/**
 * Running kubectl for a terminal the extension owns (a VS Code Pseudoterminal): spawned with an
 * argument vector and no shell, so a folder or context name reaches kubectl exactly as it is,
 * whatever the user's shell (fish, tcsh, PowerShell…) would make of it. Output goes to the terminal
 * as it comes (line breaks as CRLF, as a terminal needs them). Plain Node, no editor: the extension
 * wraps it in `vscode.window.createTerminal({ pty })` (src/extension/kubernetes/apply.ts).
 */
import { spawn } from 'node:child_process';
import { KUBECTL_INSTALL_URL } from '../core/kubectl/apply';
import { kubectlMissingMessage } from './kubectl';

export interface KubectlTerminalSink {
  /** Text for the terminal (CRLF line breaks). */
  write(text: string): void;
  /** kubectl ended: its exit code, null when it ended through a signal or never started. */
  exit(code: number | null): void;
}

export interface KubectlTerminalOptions {
  /** The base environment (default process.env): the same as `runKubectl`'s. */
  env?: NodeJS.ProcessEnv;
  setEnv?: Record<string, string>;
  unsetEnv?: readonly string[];
  cwd?: string;
}

export interface KubectlTerminalProcess {
  /** Stops kubectl (SIGTERM). */
  stop(): void;
  /** Resolves with the exit code once kubectl ended. */
  readonly done: Promise<number | null>;
}

const crlf = (s: string): string => s.replace(/\r?\n/g, '\r\n');

/** Starts `kubectl args…` without a shell and streams its output to `sink`. */
export function startKubectlInTerminal(
  kubectl: string,
  args: readonly string[],
  opts: KubectlTerminalOptions,
  sink: KubectlTerminalSink,
): KubectlTerminalProcess {
  const env: NodeJS.ProcessEnv = { ...(opts.env ?? process.env), ...opts.setEnv };
  for (const k of opts.unsetEnv ?? []) delete env[k];
  let ended = false;
  let resolveDone!: (code: number | null) => void;
  const done = new Promise<number | null>((r) => (resolveDone = r));
  const end = (code: number | null): void => {
    if (ended) return;
    ended = true;
    sink.exit(code);
    resolveDone(code);
  };
  const child = spawn(kubectl, [...args], {
    env,
    cwd: opts.cwd,
    shell: false,
    windowsHide: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d: string) => sink.write(crlf(d)));
  child.stderr.on('data', (d: string) => sink.write(crlf(d)));
  child.on('error', (e: NodeJS.ErrnoException) => {
    const message =
      e.code === 'ENOENT'
        ? kubectlMissingMessage(`${kubectl} does not exist`)
        : e.code === 'EACCES'
          ? `${kubectl} cannot be run (permission denied). Install kubectl (${KUBECTL_INSTALL_URL}) or make it executable.`
          : e.message;
    sink.write(crlf(`${message}\n`));
    end(null);
  });
  child.on('close', (code) => end(code));
  return {
    stop: () => {
      if (!ended) child.kill('SIGTERM');
    },
    done,
  };
}
