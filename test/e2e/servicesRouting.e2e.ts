// Real-editor test of the Services tree through an ingress controller (issue #17), against both local
// API servers on their demo data: prod-k8s's remote configuration sends shop.example.com to the demo
// cluster's ingress-nginx, whose Ingress default/shop routes it to the Service shop. The Cluster
// Services view shows shop.example.com on shop "via Ingress default/shop" (the controller's Service
// says it is routed onward), and clicking it opens the Ingress read-only from the cluster. Then
// "Trace Hostname…" through the cluster (the source asked for, both being available) follows it to
// Service default/shop, and its Ingress hop opens the same object.
// Alone: node scripts/e2e/run.mjs --no-prepublish test/e2e/servicesRouting.e2e.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { demoState as cloudflareDemo, startCloudflareApi } from '../../dev/servers/cloudflare/server';
import { demoState as kubernetesDemo, startKubernetesApi } from '../../dev/servers/kubernetes/server';
import {
  expandTreeRow,
  openViewContainer,
  quickPickRow,
  quickPickTitle,
  runCommand,
  setSideBarWidth,
  setViewExpanded,
  signInWithApiToken,
  timeouts,
  treeRow,
  viewPane,
  withWorkbench,
} from '../../dev/editor/harness';

const TOKEN = 'cfut_E2E_routing_token_0123456789abcdef';

/** The read-only Ingress document the tree and the trace open. */
async function expectIngressDocument(page: Page): Promise<void> {
  await page
    .locator('.part.editor .tab.active', { hasText: 'Ingress default∕shop.yaml' })
    .waitFor({ state: 'visible', timeout: timeouts.ui });
  await page
    .locator('.part.editor .view-line', { hasText: 'shop.example.com' })
    .first()
    .waitFor({ state: 'visible', timeout: timeouts.ui });
}

/** "Trace Hostname…" through the cluster, for shop.example.com (offered from prod-k8s's remote rules). */
async function traceFromCluster(page: Page): Promise<void> {
  await runCommand(page, 'Cloudflare Tunnel: Trace Hostname…', { opensQuickInput: true });
  await quickPickRow(page, 'Cluster homelab').click();
  await quickPickTitle(page)
    .filter({ hasText: /^Trace Hostname$/ })
    .waitFor({ state: 'visible', timeout: 60_000 });
  const offered = quickPickRow(page, /^shop\.example\.com/);
  await offered.waitFor({ state: 'visible', timeout: 60_000 });
  await offered.click();
  await quickPickTitle(page)
    .filter({ hasText: 'shop.example.com → Service default/shop port 80' })
    .waitFor({ state: 'visible', timeout: 60_000 });
}

test(
  'Services tree: shop shows shop.example.com through Ingress default/shop; the trace follows it from the cluster',
  { timeout: 300_000 },
  async () => {
    const cf = await startCloudflareApi({ token: TOKEN, data: cloudflareDemo() });
    const k8s = await startKubernetesApi({ data: kubernetesDemo() });
    const dir = mkdtempSync(join(tmpdir(), 'cftunnel-kube-'));
    const kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, k8s.kubeconfigYaml('homelab'));
    try {
      await withWorkbench(
        'services-routing',
        {
          trusted: true,
          settings: { 'cftunnel.cloudflare.apiBaseUrl': cf.url, 'cftunnel.tunnels.refreshInterval': 0 },
          env: { KUBECONFIG: kubeconfig },
        },
        async ({ page }) => {
          await openViewContainer(page, 'Cloudflare Tunnel');
          await setSideBarWidth(page, 720);
          await signInWithApiToken(page, TOKEN);
          await setViewExpanded(page, 'Tunnels', false);

          const services = viewPane(page, 'Cluster Services');
          await services
            .locator('.monaco-list-row', { hasText: /homelab\s*\d+ Services/ })
            .first()
            .waitFor({ timeout: 60_000 });

          // The controller's Service keeps the hostname: routed onward by ingress-nginx.
          await expandTreeRow(services, 'ingress-nginx');
          await expandTreeRow(services, 'ingress-nginx-controller', 60_000);
          const onward = treeRow(services, 'shop.example.com');
          await onward.waitFor({ timeout: 60_000 });
          assert.match(
            await onward.innerText(),
            /routed onward by ingress-nginx via Ingress default\/shop → Service default\/shop/,
          );
          await treeRow(services, 'ingress-nginx').locator('.monaco-tl-twistie').click();

          // The backend Service shows the hostname with the Ingress between.
          await expandTreeRow(services, 'default');
          const shop = await expandTreeRow(services, 'shop', 60_000);
          assert.match(await shop.innerText(), /1 hostname/);
          const row = treeRow(services, 'shop.example.com');
          await row.waitFor({ timeout: timeouts.ui });
          assert.match(await row.innerText(), /via Ingress default\/shop · ingress-nginx/);
          assert.match(await row.innerText(), /remote config · tunnel prod-k8s/);

          // Clicking it opens the Ingress read-only, as the cluster listed it.
          await row.click();
          await expectIngressDocument(page);

          // Trace Hostname… from the cluster: both sources are available, so it asks.
          await traceFromCluster(page);
          for (const hop of [
            '1. Tunnel rule',
            '2. Service ingress-nginx/ingress-nginx-controller',
            '3. Ingress default/shop',
            '4. Service default/shop',
          ]) {
            await quickPickRow(page, hop).waitFor({ state: 'visible', timeout: timeouts.ui });
          }
          assert.match(await quickPickRow(page, '3. Ingress default/shop').innerText(), /in the cluster/);
          // Its Ingress hop opens the object from the cluster.
          await page.keyboard.press('Escape');
          await traceFromCluster(page);
          await quickPickRow(page, '3. Ingress default/shop').click();
          await expectIngressDocument(page);
        },
      );
    } finally {
      await cf.close();
      await k8s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
