/** The language server's commands (registered by src/extension/commandRegistry.ts; ids in src/shared/commands.ts). */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { COMMANDS } from '../shared/commands';
import type { CommandDeps, CommandTable } from './commandRegistry';

export interface LanguageCommandDeps extends CommandDeps {
  /** The client, once created (activation creates it before registering commands). */
  client: () => LanguageClient | undefined;
}

async function restartServer({ client }: LanguageCommandDeps): Promise<void> {
  const running = client();
  if (!running) return;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Restarting the Cloudflare Tunnel language server' },
    () => running.restart(),
  );
}

export const LANGUAGE_COMMANDS: CommandTable<LanguageCommandDeps> = {
  [COMMANDS.restartServer]: restartServer,
};
