/**
 * "Apply to Cluster…" (`cftunnel.applyToCluster`), on a folder or a kustomization file in the
 * explorer, on a kustomization's editor tab, or from the palette (then it asks for the folder):
 *
 * 1. never in Restricted Mode (kubectl would read the kubeconfig and run credential plugins);
 * 2. the folder must hold a kustomization; kubectl must be installed ("Get kubectl" otherwise);
 * 3. the context is the one chosen in the Cluster Services view (else asked for), with the
 *    kubeconfig file(s) the view reads;
 * 4. `kubectl diff -k DIR --context CTX` runs with progress (cancellable); its output, Secret values
 *    masked, opens in a read-only `cftunnel-diff:` document;
 * 5. a modal confirmation names the context and what changes; "Apply" runs
 *    `kubectl apply -k DIR --context CTX` in a terminal the extension owns (a Pseudoterminal: kubectl
 *    spawned with an argument vector, no shell, so no folder or context name is ever read by one),
 *    with the same kubectl and the same environment as the diff; the terminal shows the command line
 *    (quoted for the user's shell, for information) and kubectl's answer.
 *
 * The command lines, the quoting and the reading of kubectl's answers are in
 * src/core/kubectl/apply.ts; running kubectl in src/node/kubectl.ts.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import {
  KUBECTL_INSTALL_URL,
  QuoteError,
  applyPlan,
  confirmMessage,
  interpretDiff,
  objectLines,
  shellOf,
  terminalCommand,
} from '../../core/kubectl/apply';
import { KUSTOMIZATION_FILE_NAMES } from '../../core/kustomize/kustomization';
import type { KubectlTarget } from '../../core/kubectl/apply';
import { COMMANDS } from '../../shared/commands';
import { KubernetesError } from '../../kubernetes/errors';
import type { CommandDeps, CommandTable } from '../commandRegistry';
import { KubectlCancelled, KubectlMissing, findKubectl, runKubectl } from '../../node/kubectl';
import type { KubectlRun } from '../../node/kubectl';
import { startKubectlInTerminal } from '../../node/kubectlTerminal';
import type { KubectlTerminalProcess } from '../../node/kubectlTerminal';
import type { ClusterStore } from './cluster';

export interface ApplyCommandDeps extends CommandDeps {
  cluster: ClusterStore;
  /** Where kubectl's answers open (created once, disposed with the extension). */
  docs: OutputDocuments;
}

const SCHEME = 'cftunnel-diff';
const DIFF_TIMEOUT_MS = 120_000;
const MAX_KUSTOMIZATIONS = 500;

/** Read-only documents for kubectl's output: no "save?" prompt, forgotten once closed. */
export class OutputDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private next = 1;
  private readonly disposables: vscode.Disposable[];

  constructor() {
    this.disposables = [
      vscode.workspace.registerTextDocumentContentProvider(SCHEME, this),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme === SCHEME) this.texts.delete(d.uri.toString());
      }),
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  async show(name: string, text: string, language: string): Promise<void> {
    const uri = vscode.Uri.from({
      scheme: SCHEME,
      path: `/${name.replace(/[\\/]/g, '∕')}`,
      query: String(this.next++),
    });
    this.texts.set(uri.toString(), text);
    const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), language);
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.texts.clear();
  }
}

const kustomizationIn = (dir: string): string | undefined =>
  KUSTOMIZATION_FILE_NAMES.find((f) => existsSync(join(dir, f)));
/** The folder as the user knows it: relative, with the workspace folder's name only in a multi-root workspace. */
const relative = (dir: string): string => vscode.workspace.asRelativePath(vscode.Uri.file(dir));

/** The folder the command was invoked on: a folder, a kustomization file's folder, or asked for. */
async function folderOf(arg: unknown): Promise<string | undefined> {
  if (arg instanceof vscode.Uri) {
    if (arg.scheme !== 'file') {
      void vscode.window.showWarningMessage(
        `Cloudflare Tunnel: "Apply to Cluster" works on folders on this machine (kubectl reads them), not on ${arg.scheme}: resources.`,
      );
      return undefined;
    }
    try {
      return statSync(arg.fsPath).isDirectory() ? arg.fsPath : dirname(arg.fsPath);
    } catch {
      return dirname(arg.fsPath);
    }
  }
  return pickFolder();
}

interface FolderItem extends vscode.QuickPickItem {
  dir?: string;
}

/** Palette: the workspace's kustomization folders (the active editor's first), or an open dialog. */
async function pickFolder(): Promise<string | undefined> {
  const browse = async (): Promise<string | undefined> =>
    (
      await vscode.window.showOpenDialog({
        title: 'Apply to Cluster: the kustomization folder',
        canSelectFiles: false,
        canSelectFolders: true,
        openLabel: 'Diff and Apply',
        defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      })
    )?.[0]?.fsPath;
  if (!vscode.workspace.workspaceFolders?.length) return browse();
  const files = await vscode.workspace.findFiles(
    `**/{${KUSTOMIZATION_FILE_NAMES.join(',')}}`,
    '**/{node_modules,.git}/**',
    MAX_KUSTOMIZATIONS,
  );
  const active = vscode.window.activeTextEditor?.document.uri;
  const activeDir = active?.scheme === 'file' ? dirname(active.fsPath) : undefined;
  const dirs = [...new Map(files.filter((f) => f.scheme === 'file').map((f) => [dirname(f.fsPath), f])).entries()].sort(
    ([a], [b]) => (a === activeDir ? -1 : b === activeDir ? 1 : relative(a).localeCompare(relative(b))),
  );
  const items: FolderItem[] = dirs.map(([dir, file]) => ({
    label: `$(folder) ${relative(dir)}`,
    description: file.path.split('/').pop(),
    dir,
  }));
  const other: FolderItem = { label: '$(folder-opened) Choose a folder…' };
  const pick = await vscode.window.showQuickPick([...items, other], {
    title: 'Apply to Cluster: which kustomization?',
    placeHolder: items.length
      ? 'The folder whose kustomization kubectl diffs and applies'
      : 'No kustomization in the workspace: choose a folder',
    matchOnDescription: true,
  });
  if (!pick) return undefined;
  return pick.dir ?? browse();
}

/** The context of the Cluster Services view, else one asked for; and the kubeconfig file(s) the view reads. */
async function contextOf(cluster: ClusterStore): Promise<{ context: string; kubeconfig: string[] } | undefined> {
  const loaded = cluster.kubeconfig;
  if (loaded.contexts.length === 0) {
    const set = 'Set Kubeconfig Path';
    const choice = await vscode.window.showErrorMessage(
      `Cloudflare Tunnel: no kubeconfig context to apply to. ${loaded.error ?? ''}`.trim(),
      set,
    );
    if (choice === set)
      await vscode.commands.executeCommand('workbench.action.openSettings', 'cftunnel.kubernetes.kubeconfig');
    return undefined;
  }
  // The view's files, passed explicitly: the diff and the apply read the same kubeconfig.
  const kubeconfig = loaded.files;
  const chosen = cluster.contextName;
  if (chosen) return { context: chosen, kubeconfig };
  const pick = await vscode.window.showQuickPick(
    loaded.contexts.map((c) => ({
      label: c.name,
      description: c.server ?? c.cluster,
      ...(c.blocked ? { detail: c.blocked } : {}),
    })),
    {
      title: 'Apply to Cluster: which context?',
      placeHolder: 'No context is chosen in the Cluster Services view (and the kubeconfig has no current-context)',
      matchOnDescription: true,
    },
  );
  return pick ? { context: pick.label, kubeconfig } : undefined;
}

async function kubectlMissing(err: KubectlMissing): Promise<void> {
  const get = 'Get kubectl';
  const settings = 'Open Settings';
  const choice = await vscode.window.showErrorMessage(`Cloudflare Tunnel: ${err.message}`, get, settings);
  if (choice === get) await vscode.env.openExternal(vscode.Uri.parse(KUBECTL_INSTALL_URL));
  if (choice === settings) await vscode.commands.executeCommand('workbench.action.openSettings', KUBECTL_PATH_SETTING);
}

const KUBECTL_PATH_SETTING = 'cftunnel.kubernetes.kubectlPath';

/** The setting's path (user settings only: the manifest gives it application scope). */
function kubectlPathSetting(): string {
  return vscode.workspace.getConfiguration().get<string>(KUBECTL_PATH_SETTING, '');
}

/** Shown with "Manage Workspace Trust" by the command reporter (src/extension/errorReport.ts). */
const UNTRUSTED_MESSAGE =
  'Cloudflare Tunnel: "Apply to Cluster" runs kubectl with your kubeconfig (and its credential plugins), which Restricted Mode does not allow. Trust the workspace first.';

export async function applyToCluster({ cluster, docs }: ApplyCommandDeps, arg?: unknown): Promise<void> {
  if (!vscode.workspace.isTrusted) throw new KubernetesError('untrusted', UNTRUSTED_MESSAGE);
  const dir = await folderOf(arg);
  if (!dir) return;
  const rel = relative(dir);
  if (!kustomizationIn(dir)) {
    const create = 'New cloudflared Kustomize Folder…';
    const choice = await vscode.window.showWarningMessage(
      `Cloudflare Tunnel: ${rel} has no kustomization (${KUSTOMIZATION_FILE_NAMES.join(', ')}). "Apply to Cluster" runs kubectl diff -k and kubectl apply -k on a kustomization folder.`,
      create,
    );
    if (choice === create) await vscode.commands.executeCommand(COMMANDS.newKustomizeFolder, vscode.Uri.file(dir));
    return;
  }
  let kubectl: string;
  try {
    kubectl = findKubectl({ path: kubectlPathSetting() });
  } catch (err) {
    if (err instanceof KubectlMissing) return kubectlMissing(err);
    throw err;
  }
  const chosen = await contextOf(cluster);
  if (!chosen) return;
  const target: KubectlTarget = {
    dir,
    context: chosen.context,
    kubeconfig: chosen.kubeconfig,
    delimiter: process.platform === 'win32' ? ';' : ':',
  };
  // One kubectl, one kubeconfig and context, one environment for both runs (issue #16).
  const { diff, apply } = applyPlan(kubectl, target);

  let run: KubectlRun;
  try {
    run = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Cloudflare Tunnel: kubectl diff -k ${rel} (context '${chosen.context}')…`,
        cancellable: true,
      },
      (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return runKubectl(diff.program, diff.args, {
          setEnv: diff.env,
          unsetEnv: diff.unset,
          signal: abort.signal,
          timeoutMs: DIFF_TIMEOUT_MS,
          what: 'kubectl diff',
        });
      },
    );
  } catch (err) {
    if (err instanceof KubectlCancelled) return;
    if (err instanceof KubectlMissing) return kubectlMissing(err);
    // Anything else (KubectlTimeout: "Retry") goes to the command reporter.
    throw err;
  }

  const outcome = interpretDiff(run, { context: chosen.context, dir });
  if (outcome.kind === 'error') {
    const details = 'Show kubectl Output';
    const choice = await vscode.window.showErrorMessage(
      `Cloudflare Tunnel: ${outcome.message} ${outcome.hint}`,
      details,
    );
    if (choice === details)
      await docs.show(
        `kubectl diff ${rel} (${chosen.context}) errors.txt`,
        `$ kubectl ${diff.args.join(' ')}\n${outcome.stderr}`,
        'plaintext',
      );
    return;
  }
  if (outcome.kind === 'same') {
    void vscode.window.showInformationMessage(
      `Cloudflare Tunnel: no differences: context '${chosen.context}' already runs what ${rel} describes. Nothing to apply.`,
    );
    return;
  }

  const header = `# kubectl diff -k ${rel} --context ${chosen.context}: ${outcome.summary.objects.length} object(s); Secret values are masked (***).\n`;
  await docs.show(`kubectl diff ${rel} (${chosen.context}).diff`, header + outcome.text, 'diff');

  let line: string;
  try {
    line = terminalCommand(apply, shellOf(vscode.env.shell, process.platform), apply.program);
  } catch (err) {
    // A name with a control character: shown as JSON (kubectl still gets it exactly).
    if (!(err instanceof QuoteError)) throw err;
    line = JSON.stringify([apply.program, ...apply.args]);
  }
  const detail = [
    ...objectLines(outcome.summary),
    ...outcome.warnings.map((w) => `Warning: ${w}`),
    '',
    `The diff is open in the editor. Apply runs in a terminal: ${line}${Object.keys(apply.env).length ? ` (with KUBECONFIG=${apply.env.KUBECONFIG})` : ''}`,
  ].join('\n');
  const ok = 'Apply';
  if (
    (await vscode.window.showWarningMessage(
      confirmMessage(outcome.summary, chosen.context),
      { modal: true, detail },
      ok,
    )) !== ok
  )
    return;
  const terminal = vscode.window.createTerminal({
    name: `cftunnel: apply ${rel}`,
    pty: kubectlPty(line, apply.program, apply.args, { setEnv: apply.env, unsetEnv: apply.unset }),
  });
  terminal.show();
}

/**
 * A terminal that runs kubectl itself (no shell): the command line for information, kubectl's
 * output, its exit code; Ctrl+C stops kubectl, any key closes the terminal once kubectl ended.
 */
function kubectlPty(
  line: string,
  program: string,
  args: readonly string[],
  env: { setEnv: Record<string, string>; unsetEnv: readonly string[] },
): vscode.Pseudoterminal {
  const write = new vscode.EventEmitter<string>();
  const close = new vscode.EventEmitter<number | void>();
  let proc: KubectlTerminalProcess | undefined;
  let ended = false;
  return {
    onDidWrite: write.event,
    onDidClose: close.event,
    open: () => {
      write.fire(`$ ${line}\r\n`);
      proc = startKubectlInTerminal(program, args, env, {
        write: (text) => write.fire(text),
        exit: (code) => {
          ended = true;
          write.fire(
            `\r\n${code === 0 ? 'kubectl apply finished' : `kubectl apply ended with ${code === null ? 'an error' : `exit code ${code}`}`}. Press any key to close this terminal.\r\n`,
          );
        },
      });
    },
    close: () => {
      proc?.stop();
      write.dispose();
      close.dispose();
    },
    handleInput: (data) => {
      if (ended) close.fire();
      else if (data === '\x03') proc?.stop();
    },
  };
}

export const APPLY_COMMANDS: CommandTable<ApplyCommandDeps> = {
  [COMMANDS.applyToCluster]: applyToCluster,
};
