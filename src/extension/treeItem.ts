/** Plain item specs (from the vscode-free view models) → TreeItems, shared by every tree view. */
import * as vscode from 'vscode';
import type { TreeItemSpec } from '../shared/treeItemSpec';

const COLLAPSE = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
} as const;

export function toTreeItem<E>(spec: TreeItemSpec, el: E): vscode.TreeItem {
  const item = new vscode.TreeItem(spec.label, COLLAPSE[spec.collapsible]);
  item.id = spec.id;
  item.description = spec.description;
  item.tooltip = spec.tooltip;
  item.contextValue = spec.contextValue;
  item.iconPath = new vscode.ThemeIcon(spec.icon, spec.iconColor ? new vscode.ThemeColor(spec.iconColor) : undefined);
  if (spec.command) item.command = { ...spec.command, arguments: [el] };
  else if (spec.open) {
    const line = spec.open.line ?? 0;
    item.command = {
      command: 'vscode.open',
      title: 'Open',
      arguments: [vscode.Uri.file(spec.open.file), { selection: new vscode.Range(line, 0, line, 0) }],
    };
  }
  return item;
}
