// Real-editor test of Restricted Mode with both local API servers running and the settings and kubeconfig
// pointing at them: the language features work on open documents (the $TOKEN warning), the Cloudflare Tunnel
// views show their Restricted Mode welcome with a way to manage trust, cluster and Cloudflare commands ask for
// trust instead of running, and neither server receives a single request until the folder is trusted (then
// the Cluster Services view connects without a reload).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoState as cloudflareDemo, startCloudflareApi } from '../../dev/servers/cloudflare/server';
import { demoState as kubernetesDemo, startKubernetesApi } from '../../dev/servers/kubernetes/server';
import {
  notificationButton,
  notificationToast,
  openFile,
  openViewContainer,
  problemRow,
  runCommand,
  timeouts,
  viewPane,
  viewWelcome,
  waitForProblems,
  withWorkbench,
} from '../../dev/editor/harness';

const TOKEN = 'cfut_E2E_restricted_token_0123456789';

test(
  'Restricted Mode: language features work, the views and commands ask for trust, no request reaches either server',
  { timeout: 300_000 },
  async () => {
    const cf = await startCloudflareApi({ token: TOKEN, data: cloudflareDemo() });
    const k8s = await startKubernetesApi({ data: kubernetesDemo() });
    const dir = mkdtempSync(join(tmpdir(), 'cftunnel-kube-'));
    const kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, k8s.kubeconfigYaml('homelab'));
    const requests = () => [
      ...cf.requests.map((r) => `cloudflare ${r.method} ${r.url}`),
      ...k8s.requests.map((r) => `kubernetes ${r.method} ${r.url}`),
    ];
    try {
      await withWorkbench(
        'restricted',
        {
          trusted: false,
          settings: { 'cftunnel.cloudflare.apiBaseUrl': cf.url, 'cftunnel.tunnels.refreshInterval': 0 },
          env: { KUBECONFIG: kubeconfig },
        },
        async ({ page }) => {
          await page
            .locator('.part.statusbar .statusbar-item', { hasText: 'Restricted Mode' })
            .first()
            .waitFor({ state: 'visible', timeout: timeouts.ui });

          // (a) The language server checks open documents: the $TOKEN warning of the fixture Deployment.
          await openFile(page, 'deployment.yaml');
          await waitForProblems(
            page,
            'the $(TOKEN) warning for deployment.yaml',
            (t) => t.includes('deployment.yaml') && t.includes('$(TOKEN)'),
          );
          assert.ok(
            (await problemRow(page, '$(TOKEN)').locator('.codicon-warning').count()) > 0,
            'the $(TOKEN) problem is a warning',
          );

          // (b) Both views show their Restricted Mode welcome with a way to manage trust, and no items.
          await openViewContainer(page, 'Cloudflare Tunnel');
          for (const view of ['Tunnels', 'Cluster Services']) {
            const welcome = viewWelcome(page, view);
            await welcome.filter({ hasText: 'Restricted Mode' }).waitFor({ timeout: 60_000 });
            await welcome
              .locator('a.monaco-button', { hasText: 'Manage Workspace Trust' })
              .first()
              .waitFor({ timeout: timeouts.ui });
            assert.equal(
              await viewPane(page, view).locator('.monaco-list-row').count(),
              0,
              `the ${view} view lists nothing`,
            );
          }
          assert.match(await viewWelcome(page, 'Cluster Services').innerText(), /cluster is not contacted/);

          // (c) A cluster command asks for trust instead of listing anything ...
          await runCommand(page, 'Cloudflare Tunnel: Refresh Cluster Services');
          const clusterToast = notificationToast(page, /Restricted Mode: the cluster is not contacted/);
          await clusterToast.waitFor({ timeout: timeouts.ui });
          // ... and so does signing in to Cloudflare (before the token is even asked for).
          await runCommand(page, 'Cloudflare Tunnel: Sign In with API Token');
          const cloudflareToast = notificationToast(page, /Restricted Mode: Cloudflare is not contacted/);
          await cloudflareToast.waitFor({ timeout: timeouts.ui });
          assert.equal(await page.locator('.quick-input-widget').isVisible(), false, 'no token prompt');
          // "Manage Workspace Trust" opens the Workspace Trust editor.
          await notificationButton(clusterToast, 'Manage Workspace Trust').click({ timeout: timeouts.ui });
          const trustEditor = page
            .locator('.workspace-trust-editor')
            .filter({ hasText: 'You are in Restricted Mode' })
            .first();
          await trustEditor.waitFor({ timeout: timeouts.ui });
          // Still restricted, still empty.
          await viewWelcome(page, 'Cluster Services')
            .filter({ hasText: 'Restricted Mode' })
            .waitFor({ state: 'attached', timeout: timeouts.ui });

          // (d) Nothing touched the cluster or Cloudflare while the folder was untrusted.
          assert.deepEqual(requests(), [], 'no request reaches the Kubernetes or Cloudflare API in Restricted Mode');

          // Trusting the folder connects the view (no reload): the same kubeconfig, now listed.
          await trustEditor
            .locator('.monaco-button', { hasText: /^\s*Trust\s*$/ })
            .first()
            .click({ timeout: timeouts.ui });
          await page
            .locator('.part.statusbar .statusbar-item', { hasText: 'Restricted Mode' })
            .first()
            .waitFor({ state: 'hidden', timeout: timeouts.ui });
          await page.keyboard.press('Escape');
          await viewPane(page, 'Cluster Services')
            .locator('.monaco-list-row', { hasText: /homelab\s*\d+ Services/ })
            .first()
            .waitFor({ timeout: 60_000 });
          assert.ok(
            k8s.requests.some((r) => r.path.includes('/services')),
            'once trusted, the Services are listed from the API',
          );
          assert.equal(cf.requests.length, 0, 'Cloudflare: still not signed in, nothing to ask');
        },
      );
    } finally {
      await cf.close();
      await k8s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
