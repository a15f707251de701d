/**
 * Status bar item: healthy / total tunnels of the pinned account, else of every account the token
 * sees, hidden while signed out or untrusted. With `cftunnel.tunnels.notifyOnDegraded`, a
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
      // The pinned account alone, else every account the token sees (not only the first).
      const pinned = accounts.filter((a) => a.id === session.pinnedAccountId);
      const counted = pinned.length > 0 ? pinned : accounts;
      if (counted.length === 0) {
        item.hide();
        return;
      }
      const trees = await Promise.all(counted.map((a) => store.accountTree(a.id, a.name)));
      if (mine !== generation) return;
      const s = healthSummary(trees);
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
      void vscode.window
        .showWarningMessage(`Cloudflare Tunnel: tunnel "${t.name}" is ${t.status}.`, 'Show Tunnels')
        .then((choice) => {
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
