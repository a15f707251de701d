/**
 * Child process of test/integration/hostile.test.ts and bench/hostile.ts: the language server (in
 * process, over the real protocol) indexes DIR as a workspace folder, opens FILE and pulls its
 * diagnostics. Prints one JSON line: the diagnostics, the server's log lines, the time taken.
 *   node --import tsx test/support/hostileServer.ts DIR FILE
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { WORKSPACE_CONFIGS_REQUEST } from '../../src/shared/workspaceConfigs';
import { TestClient } from './lsp';

async function main(): Promise<void> {
  const [dir, file] = process.argv.slice(2) as [string, string];
  const started = performance.now();
  const client = await TestClient.start({ workspaceFolders: [dir] });
  try {
    await client.connection.sendRequest(WORKSPACE_CONFIGS_REQUEST); // answers once indexing is done
    const uri = pathToFileURL(file).href;
    await client.open(uri, readFileSync(file, 'utf8'));
    const diagnostics = (await client.diagnostics(uri)).map((d) => ({ code: d.code, message: d.message }));
    const ms = performance.now() - started;
    process.stdout.write(JSON.stringify({ diagnostics, logs: client.logs, ms }) + '\n');
  } finally {
    client.dispose();
  }
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
