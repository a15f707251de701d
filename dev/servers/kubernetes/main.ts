/**
 * Starts the local Kubernetes API with demo data, writes a kubeconfig for it and prints the
 * kubeconfig's path (for the demo script and manual testing). Usage:
 *   node --import tsx dev/servers/kubernetes/main.ts [--port 6443] [--kubeconfig out.yaml]
 *     [--context local-demo] [--token demo-token] [--large 20000x1000] [--quiet]
 * Then: kubectl --kubeconfig out.yaml get services -A
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoState, largeState, startKubernetesApi } from './server';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const port = Number(arg('port') ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${arg('port')}`);
  const large = arg('large');
  let state = demoState();
  if (large) {
    const m = /^(\d+)x(\d+)$/.exec(large);
    if (!m) throw new Error(`invalid --large ${large} (want SERVICESxNAMESPACES)`);
    state = largeState(Number(m[1]), Number(m[2]));
  }
  const quiet = process.argv.includes('--quiet');
  const server = await startKubernetesApi({
    port,
    token: arg('token') ?? 'demo-token',
    state,
    log: quiet ? undefined : (line) => console.error(line),
  });
  const file = arg('kubeconfig') ?? join(tmpdir(), `cftunnel-kube-${server.port}.yaml`);
  writeFileSync(file, server.kubeconfigYaml(arg('context') ?? 'local-demo'), { mode: 0o600 });
  console.log(file);
  console.error(`Kubernetes API on ${server.url}; kubeconfig ${file}`);
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
