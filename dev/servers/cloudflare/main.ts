/**
 * Starts the local Cloudflare API with demo data and prints its base URL (for the demo script and
 * manual testing). Usage:
 *   node --import tsx dev/servers/cloudflare/main.ts [--port 8787] [--token demo-token] [--quiet]
 * Point the extension at it with `cftunnel.cloudflare.apiBaseUrl` and sign in with the token.
 */
import { demoState, startCloudflareApi } from './server';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const port = Number(arg('port') ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${arg('port')}`);
  const token = arg('token') ?? 'demo-token';
  const quiet = process.argv.includes('--quiet');
  const server = await startCloudflareApi({
    port,
    token,
    data: demoState(),
    log: quiet ? undefined : (line) => console.error(line),
  });
  console.log(server.url);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
