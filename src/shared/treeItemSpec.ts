/** What a tree element looks like, as the vscode-free view models describe it (src/extension/treeItem.ts maps it). */
export interface TreeItemSpec<C extends string = string> {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon id, with an optional theme color id. */
  icon: string;
  iconColor?: string;
  contextValue: C;
  collapsible: 'none' | 'collapsed' | 'expanded';
  /** A command run on click; its argument is the element. */
  command?: { command: string; title: string };
  /** Open this file (at a 0-based line) on click. */
  open?: { file: string; line?: number };
}
