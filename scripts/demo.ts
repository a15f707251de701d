/**
 * `npm run demo`: the extension in a real VS Code (code-server) on demo data.
 *   1. installs code-server once into .cache/code-server (first run only: 3–10 minutes, with progress),
 *   2. packages the extension (.cache/cftunnel.vsix), or reuses the package when nothing it is built
 *      from changed (scripts/e2e/package-vsix.mjs),
 *   3. starts the local Cloudflare and Kubernetes API servers with demo data,
 *   4. points the extension at them and opens a temporary copy of examples/homelab,
 *   5. prints the URL and stays up until Ctrl+C (SIGINT), SIGTERM or SIGHUP; then stops code-server,
 *      removes the temporary copy (with the credentials.json and tunnel.env the demo may have written
 *      there) and the demo kubeconfig, closes the servers and exits 0.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoState, startCloudflareApi } from '../dev/servers/cloudflare/server';
import { demoState as kubernetesDemoState, startKubernetesApi } from '../dev/servers/kubernetes/server';
import { repoRoot, startWorkbench } from '../dev/editor/harness';
import { install } from './e2e/install-code-server.mjs';
import { packageVsix } from './e2e/package-vsix.mjs';

const TOKEN = 'demo-token';
const kubeconfig = join(repoRoot, '.cache', 'demo-kubeconfig.yaml');

/** Whatever was started so far, stopped in reverse order; safe to call more than once. */
const cleanups: Array<() => Promise<void> | void> = [];
let stopping: Promise<void> | undefined;
function stopAll(): Promise<void> {
  stopping ??= (async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (err) {
        console.error(`demo: while stopping: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  })();
  return stopping;
}

let signalled = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    if (signalled) return; // a second Ctrl+C while stopping: the stop is already under way
    signalled = true;
    console.log('\ndemo: stopping…');
    void stopAll().then(() => {
      console.log('demo: stopped; the temporary workspace and the demo kubeconfig are removed.');
      process.exit(0);
    });
  });
}

/** Throws when Ctrl+C came while a step was running, so nothing more is started. */
function checkNotStopped(): void {
  if (signalled) throw new Error('stopped');
}

async function main(): Promise<void> {
  await install();
  checkNotStopped();
  console.log('demo: packaging the extension (reused when nothing changed)…');
  await packageVsix({ mode: 'package', reuse: true });
  checkNotStopped();

  const cloudflare = await startCloudflareApi({ token: TOKEN, data: demoState() });
  cleanups.push(() => cloudflare.close());
  const kubernetes = await startKubernetesApi({ data: kubernetesDemoState() });
  cleanups.push(() => kubernetes.close());
  writeFileSync(kubeconfig, kubernetes.kubeconfigYaml('homelab'), { mode: 0o600 });
  cleanups.push(() => rmSync(kubeconfig, { force: true }));
  checkNotStopped();

  const workbench = await startWorkbench({
    workspace: join(repoRoot, 'examples', 'homelab'),
    settings: { 'cftunnel.cloudflare.apiBaseUrl': cloudflare.url },
    env: { KUBECONFIG: kubeconfig },
  });
  cleanups.push(() => workbench.stop());
  checkNotStopped();

  console.log(`
Cloudflare Tunnel for Kubernetes — demo

  Open:          ${workbench.url}
  Sign in:       Command Palette → "Cloudflare Tunnel: Sign In with API Token", token: ${TOKEN}
  Cloudflare:    ${cloudflare.url} (local demo API)
  Kubernetes:    KUBECONFIG=${kubeconfig} (local demo API)
  Workspace:     a copy of examples/homelab in ${workbench.workspace}
                 try token-tunnel/deployment.yaml ($TOKEN warning + quick fix) and cloudflared/config.yaml;
                 cloudflared/ runs tunnel "homelab": its credentials.json is missing, as in a fresh clone
                 ("Write Tunnel credentials.json…" on homelab in the Tunnels view writes it, git-ignored)

Press Ctrl+C to stop (the copy is removed, with anything written into it).`);
}

main().catch(async (err: unknown) => {
  if (signalled) return; // the signal handler stops and exits
  console.error(`demo: ${err instanceof Error ? err.message : String(err)}`);
  await stopAll();
  process.exit(1);
});
