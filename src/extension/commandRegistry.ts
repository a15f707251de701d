/**
 * The one way the extension registers commands. Each area keeps a table of top-level handlers,
 * `{ [COMMANDS.x]: handler }` (ids in src/shared/commands.ts), each handler taking the area's
 * dependency bag and the command's arguments (a tree element, a URI, or nothing from the palette):
 *
 *   registerCommands(context, CLOUDFLARE_COMMANDS, { session, store, output });
 *
 * A handler that throws is never thrown at VS Code: the error goes to the output channel and to
 * the user as src/extension/errorReport.ts decides (Manage Workspace Trust, Sign In, Retry, or the
 * error's own message).
 */
import * as vscode from 'vscode';
import { COMMANDS } from '../shared/commands';
import type { CommandId } from '../shared/commands';
import { ERROR_ACTIONS, errorReport, isCancellation } from './errorReport';

/** What every dependency bag carries: the extension's output channel, where failures are logged. */
export interface CommandDeps {
  output: vscode.LogOutputChannel;
}

/** A command's handler: the area's dependencies, then the arguments VS Code passes. */
export type CommandHandler<D extends CommandDeps> = (deps: D, ...args: unknown[]) => unknown;

/** An area's commands: id → handler. */
export type CommandTable<D extends CommandDeps> = { readonly [K in CommandId]?: CommandHandler<D> };

/** Registers every handler of `table` with `deps` for the extension's lifetime. */
export function registerCommands<D extends CommandDeps>(
  context: vscode.ExtensionContext,
  table: CommandTable<D>,
  deps: D,
): void {
  for (const [id, handler] of Object.entries(table) as Array<[CommandId, CommandHandler<D>]>) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, (...args: unknown[]) => runCommand(id, handler, deps, args)),
    );
  }
}

async function runCommand<D extends CommandDeps>(
  id: CommandId,
  handler: CommandHandler<D>,
  deps: D,
  args: unknown[],
): Promise<void> {
  try {
    await handler(deps, ...args);
  } catch (err) {
    // Not awaited: the command is over; the notification stays until the user answers it.
    void reportCommandError(id, err, args, deps.output);
  }
}

/** Logs the failure and shows it with its action; "Retry" runs the same command with the same arguments. */
export async function reportCommandError(
  id: CommandId,
  err: unknown,
  args: readonly unknown[],
  output: vscode.LogOutputChannel,
): Promise<void> {
  const report = errorReport(err, { command: id });
  if (isCancellation(err)) {
    // The user pressed Cancel on the progress notification: nothing to show.
    output.info(report.log);
    return;
  }
  output.error(report.log);
  const choice =
    report.severity === 'warning'
      ? await vscode.window.showWarningMessage(report.message, ...report.actions)
      : await vscode.window.showErrorMessage(report.message, ...report.actions);
  if (choice === ERROR_ACTIONS.retry) await vscode.commands.executeCommand(id, ...args);
  else if (choice === ERROR_ACTIONS.signIn) await vscode.commands.executeCommand(COMMANDS.signIn);
  else if (choice === ERROR_ACTIONS.manageTrust) await vscode.commands.executeCommand('workbench.trust.manage');
}
