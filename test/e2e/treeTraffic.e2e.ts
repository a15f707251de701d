// Real-editor test of the trees' traffic (issue #18) against both local API servers on their demo
// data: the Cluster Services view, while visible, reads the demo's cloudflared pods through the pod
// proxy (poll 5 s) and each cloudflared pod and Deployment says its request rate and error ratio,
// which changes between polls; the Tunnels view (signed in to the demo Cloudflare API) joins
// prod-k8s's connectors to the pods they run in (/ready's connectorId); with alerts on, the status
// bar shows the alert raised for homelab's pod without an edge connection, and one notification says it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoState as cloudflareDemo, startCloudflareApi } from '../../dev/servers/cloudflare/server';
import { demoState as kubernetesDemo, startKubernetesApi } from '../../dev/servers/kubernetes/server';
import {
  expandTreeRow,
  notificationToast,
  openViewContainer,
  signInWithApiToken,
  timeouts,
  viewPane,
  waitUntil,
  withWorkbench,
} from '../../dev/editor/harness';

const TOKEN = 'cfut_E2E_tree_traffic_0123456789abcdef';

test(
  'Trees: cloudflared pods show live request rates, connectors are joined to their pods, alerts in the status bar',
  { timeout: 420_000 },
  async () => {
    const cf = await startCloudflareApi({ token: TOKEN, data: cloudflareDemo() });
    const k8s = await startKubernetesApi({ data: kubernetesDemo() });
    const dir = mkdtempSync(join(tmpdir(), 'cftunnel-tree-traffic-'));
    const kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, k8s.kubeconfigYaml('homelab'));
    try {
      await withWorkbench(
        'treeTraffic',
        {
          trusted: true,
          env: { KUBECONFIG: kubeconfig },
          settings: {
            'cftunnel.cloudflare.apiBaseUrl': cf.url,
            'cftunnel.tunnels.refreshInterval': 0,
            'cftunnel.metrics.pollInterval': 5,
            'cftunnel.metrics.alerts.enabled': true,
          },
        },
        async ({ page }) => {
          await openViewContainer(page, 'Cloudflare Tunnel');
          const services = viewPane(page, 'Cluster Services');
          await services
            .locator('.monaco-list-row', { hasText: /homelab/ })
            .first()
            .waitFor({ timeout: 60_000 });
          // The demo's cloudflared namespace: its Deployment and its two pods.
          await expandTreeRow(services, 'cloudflared', 60_000);
          const deployment = services.locator('.monaco-list-row', { hasText: /cloudflared · \d+\/\d+ ready/ }).first();
          await deployment.waitFor({ timeout: 30_000 });
          // The tree redraws as rates arrive: a click can land on a row that moved; click until it is expanded.
          await waitUntil(
            'the cloudflared Deployment to expand',
            async () => {
              const expanded = await deployment.getAttribute('aria-expanded');
              if (expanded === 'true') return true;
              if (expanded === null) return false;
              await deployment
                .locator('.monaco-tl-twistie')
                .click({ timeout: 5000 })
                .catch(() => undefined);
              return false;
            },
            30_000,
            3000,
          );
          const pod = services.locator('.monaco-list-row', { hasText: /^\s*cloudflared-[a-z0-9]+-[a-z0-9]+/ }).first();
          const rate = /\d+(\.\d+)? req\/s · [\d.<]+% errors/;
          await waitUntil('a request rate on a cloudflared pod', async () => rate.test(await pod.innerText()), 60_000);
          const first = await pod.innerText();
          await waitUntil(
            "the next poll to change the pod's rate",
            async () => (await pod.innerText()) !== first,
            30_000,
          );
          assert.match(await pod.innerText(), rate);
          assert.match(await deployment.innerText(), rate);

          // With alerts on: homelab's pod without an edge connection raises one episode.
          await page
            .locator('.statusbar-item', { hasText: /\d+ alerts?/ })
            .first()
            .waitFor({ timeout: 60_000 });
          await notificationToast(page, /fewer than 1 ready edge connection/).waitFor({ timeout: timeouts.ui });

          // Tunnels: prod-k8s's connectors are the demo pods.
          await signInWithApiToken(page, TOKEN);
          const tunnels = viewPane(page, 'Tunnels');
          await expandTreeRow(tunnels, 'Acme Corp', 60_000);
          await expandTreeRow(tunnels, 'prod-k8s', 60_000);
          await expandTreeRow(tunnels, 'Connectors', 30_000);
          const joined = tunnels.locator('.monaco-list-row', {
            hasText:
              /pod cloudflared-[a-z0-9-]+ on cluster homelab, 4 connections, ams\/cdg\/fra|pod cloudflared-[a-z0-9-]+ on cluster homelab, 4 connections, ams\/fra/,
          });
          await waitUntil('both connectors joined to their pods', async () => (await joined.count()) === 2, 60_000);
        },
      );
    } finally {
      await cf.close();
      await k8s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
