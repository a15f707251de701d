/** Long operations: a progress notification with Cancel, whose signal aborts the requests under way. */
import * as vscode from 'vscode';

/**
 * Runs `task` with a cancellable progress notification: Cancel aborts the signal it gets
 * (`CloudflareApi.withSignal`, the `signal` of src/kubernetes calls), and the command then ends
 * quietly (src/extension/errorReport.ts: `isCancellation`).
 */
export function withCancellableProgress<T>(title: string, task: (signal: AbortSignal) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Cloudflare Tunnel: ${title}`, cancellable: true },
    (_progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      return task(controller.signal).finally(() => sub.dispose());
    },
  );
}
