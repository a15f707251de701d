/**
 * Status bar item: healthy / total tunnels of the pinned account (else the sign-in default, else
 * the first), hidden while signed out or untrusted. With `cftunnel.tunnels.notifyOnDegraded`, a
 * notification when a tunnel of any loaded account turns down or degraded.
 */
import * as vscode from 'vscode';
import type { TunnelHealth } from '../../core/cloudflare/tunnelsTree';
import { healthSummary, newlyUnhealthy } from './model';
import { setting } from './session';
import type { TunnelsStore } from './tunnelsView';

export function createStatusBar(store: TunnelsStore): vscode.Disposable {
  const session = store.session;
  const item = vscode.window.createStatusBarItem('cftunnel.tunnelsHealth', vscode.StatusBarAlignment.Left, 20);
  item.name = 'Cloudflare Tunnel health';
  item.command = 'cftunnel.tunnels.focus';
  let generation = 0;

  const update = async (): Promise<void> => {
    const mine = ++generation;
    if (!session.signedIn || !session.trusted) {
      item.hide();
      return;
    }
    try {
      const accounts = await store.accounts();
      const accountId = session.statusAccountId(accounts);
      if (!accountId) {
        item.hide();
        return;
      }
      const tree = await store.accountTree(accountId, accounts.find((a) => a.id === accountId)?.name);
      if (mine !== generation) return;
      const s = healthSummary(tree);
      item.text = `$(cloud) ${s.text}`;
      item.tooltip = `${s.tooltip}\nClick to show the Tunnels view.`;
      item.backgroundColor = s.unhealthy ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    } catch (err) {
      if (mine !== generation) return;
      item.text = '$(cloud) $(error)';
      item.tooltip = `Cloudflare Tunnel: ${err instanceof Error ? err.message : String(err)}`;
      item.backgroundColor = undefined;
    }
    item.show();
  };

  const previous = new Map<string, TunnelHealth>();
  const notify = (tunnels: ReturnType<typeof newlyUnhealthy>): void => {
    if (!setting('cftunnel.tunnels.notifyOnDegraded')) return;
    for (const t of tunnels) {
      void vscode.window.showWarningMessage(`Cloudflare Tunnel: tunnel "${t.name}" is ${t.status}.`, 'Show Tunnels').then((choice) => {
        if (choice) void vscode.commands.executeCommand('cftunnel.tunnels.focus');
      });
    }
  };

  const disposables = [
    item,
    // A refresh (sign-in, settings, timer, command) drops the data: load the account again.
    store.onDidChange(() => void update()),
    store.onDidLoadAccount((tree) => notify(newlyUnhealthy(previous, tree.tunnels))),
  ];
  void update();
  return vscode.Disposable.from(...disposables);
}
