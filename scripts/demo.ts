/**
 * `npm run demo`: the extension in a real VS Code (code-server) on demo data.
 *   1. builds and packages the extension (.cache/cftunnel.vsix),
 *   2. installs code-server once into .cache/code-server (first run only, with progress),
 *   3. starts the local Cloudflare API (and, when available, Kubernetes API) servers with demo data,
 *   4. points the extension at them and opens a copy of examples/homelab,
 *   5. prints the URL and stays up until Ctrl+C, then stops everything it started.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoState, startCloudflareApi } from '../test/servers/cloudflare/server';
import { repoRoot, startWorkbench } from '../test/e2e/harness';

const TOKEN = 'demo-token';

function run(script: string, args: string[] = []): void {
  const r = spawnSync(process.execPath, [join(repoRoot, script), ...args], { stdio: 'inherit', cwd: repoRoot });
  if (r.status !== 0) {
    console.error(`demo: ${script} failed (exit ${r.status ?? r.signal}).`);
    process.exit(1);
  }
}

/** The Kubernetes demo server, when this checkout has one (test/servers/kubernetes). */
async function startKubernetes(): Promise<{ kubeconfig: string; close(): Promise<void> } | undefined> {
  const module = join(repoRoot, 'test/servers/kubernetes/server.ts');
  if (!existsSync(module)) return undefined;
  const k8s = (await import(module)) as {
    startKubernetesApi(opts: { data?: unknown }): Promise<{ url: string; kubeconfigYaml(context?: string): string; close(): Promise<void> }>;
    demoState(): unknown;
  };
  const server = await k8s.startKubernetesApi({ data: k8s.demoState() });
  const kubeconfig = join(repoRoot, '.cache', 'demo-kubeconfig.yaml');
  writeFileSync(kubeconfig, server.kubeconfigYaml('homelab'), { mode: 0o600 });
  return { kubeconfig, close: () => server.close() };
}

async function main(): Promise<void> {
  console.log('demo: building and packaging the extension…');
  run('scripts/e2e/package-vsix.mjs');
  run('scripts/e2e/install-code-server.mjs');

  const cloudflare = await startCloudflareApi({ token: TOKEN, data: demoState() });
  const kubernetes = await startKubernetes();
  const workbench = await startWorkbench({
    workspace: join(repoRoot, 'examples', 'homelab'),
    settings: { 'cftunnel.cloudflare.apiBaseUrl': cloudflare.url },
    env: kubernetes ? { KUBECONFIG: kubernetes.kubeconfig } : {},
  });

  console.log(`
Cloudflare Tunnel for Kubernetes — demo

  Open:          ${workbench.url}
  Sign in:       Command Palette → "Cloudflare Tunnel: Sign In with API Token", token: ${TOKEN}
  Cloudflare:    ${cloudflare.url} (local demo API)${kubernetes ? `\n  Kubernetes:    KUBECONFIG=${kubernetes.kubeconfig} (local demo API)` : ''}
  Workspace:     a copy of examples/homelab in ${workbench.workspace}
                 try token-tunnel/deployment.yaml ($TOKEN warning + quick fix) and cloudflared/config.yaml;
                 cloudflared/ runs tunnel "homelab": its credentials.json is missing, as in a fresh clone
                 ("Write Tunnel credentials.json…" on homelab in the Tunnels view writes it, git-ignored)

Press Ctrl+C to stop.`);

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log('\ndemo: stopping…');
    await workbench.stop();
    await cloudflare.close();
    await kubernetes?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(`demo: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
