/**
 * "Show logs": a pod's log streamed (follow, last 200 lines) into an output channel of its own.
 * Running it again on the same pod restarts the stream; closing the extension stops them all.
 */
import * as vscode from 'vscode';
import type { ClusterClient } from '../../kubernetes/cluster';
import { kubernetes } from './lazy';

const TAIL_LINES = 200;

export class PodLogs implements vscode.Disposable {
  private readonly streams = new Map<string, { channel: vscode.OutputChannel; abort?: AbortController }>();

  /** Streams `namespace/pod` into the output channel "cloudflared: namespace/pod" and shows it. */
  show(client: ClusterClient, namespace: string, pod: string, container?: string): void {
    const key = `${client.context.name}/${namespace}/${pod}`;
    let entry = this.streams.get(key);
    if (!entry) {
      entry = { channel: vscode.window.createOutputChannel(`cloudflared: ${namespace}/${pod}`) };
      this.streams.set(key, entry);
    }
    entry.abort?.abort();
    const abort = new AbortController();
    entry.abort = abort;
    const channel = entry.channel;
    channel.clear();
    channel.appendLine(
      `── ${namespace}/${pod}${container ? ` (${container})` : ''} in context ${client.context.name}: last ${TAIL_LINES} lines, following ──`,
    );
    channel.show(true);
    kubernetes()
      .streamPodLogs(client, namespace, pod, container, (line) => channel.appendLine(line), abort.signal, {
        follow: true,
        tailLines: TAIL_LINES,
      })
      .then(() => {
        if (!abort.signal.aborted) channel.appendLine('── the log stream ended (the pod stopped or went away) ──');
      })
      .catch((err: Error) => {
        channel.appendLine(`── ${err.message} ──`);
        void vscode.window.showErrorMessage(`Cloudflare Tunnel: ${err.message}`);
      });
  }

  dispose(): void {
    for (const { channel, abort } of this.streams.values()) {
      abort?.abort();
      channel.dispose();
    }
    this.streams.clear();
  }
}
