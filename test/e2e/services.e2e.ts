// Real-editor test of the Cluster Services view against the local Kubernetes API
// (dev/servers/kubernetes): the kubeconfig's context, see namespaces, Services and the
// cloudflared Deployment. The kubeconfig file must not be written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoState, startKubernetesApi } from '../../dev/servers/kubernetes/server';
import { activityBarItem, expandTreeRow, treeRow, viewPane, withWorkbench } from '../../dev/editor/harness';

test(
  'Cluster Services view: the current context, namespaces, Services, cloudflared',
  { timeout: 300_000 },
  async () => {
    const api = await startKubernetesApi({ data: demoState() });
    const dir = mkdtempSync(join(tmpdir(), 'cftunnel-kube-'));
    const kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, api.kubeconfigYaml('homelab'));
    const before = readFileSync(kubeconfig, 'utf8');
    try {
      await withWorkbench('services', { trusted: true, env: { KUBECONFIG: kubeconfig } }, async ({ page }) => {
        await activityBarItem(page, 'Cloudflare Tunnel').click();
        // The kubeconfig's current context is used until another is chosen in the view.
        const services = viewPane(page, 'Cluster Services');
        await services
          .locator('.monaco-list-row', { hasText: /homelab\s*16 Services/ })
          .first()
          .waitFor({ timeout: 60_000 });
        // The tree redraws as the cluster's data arrives: click until this namespace is expanded.
        await expandTreeRow(services, 'monitoring');
        await treeRow(services, 'grafana').waitFor({ timeout: 30_000 });
        await treeRow(services, 'cloudflared').waitFor({ timeout: 30_000 });
        assert.ok(
          api.requests.some((r) => r.path.includes('/services')),
          'Services were listed from the API',
        );
      });
      assert.equal(readFileSync(kubeconfig, 'utf8'), before, 'the kubeconfig file is never written');
    } finally {
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
