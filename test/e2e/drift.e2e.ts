// Real-editor test of the drift report against both local API servers on their demo data
// (dev/servers/cloudflare and dev/servers/kubernetes): signed in to Cloudflare and connected to the
// cluster, the Cluster Services view lists the drift under "Problems", "Show Drift Report" opens the report
// (a panel that stays open, every finding in full with its actions as links), which shows the orphan DNS
// record of the demo data (old.example.com, a CNAME to the deleted tunnel old-ingress), and its action
// deletes the record through the API. Also takes the README screenshots of both trees and of the report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { demoState as cloudflareDemo, startCloudflareApi } from '../../dev/servers/cloudflare/server';
import { demoState as kubernetesDemo, startKubernetesApi } from '../../dev/servers/kubernetes/server';
import {
  clickDialogButton,
  expandTreeRow,
  modalDialog,
  notificationToast,
  openViewContainer,
  runCommand,
  saveScreenshot,
  setSideBarWidth,
  setViewExpanded,
  signInWithApiToken,
  timeouts,
  treeRow,
  viewPane,
  waitUntil,
  withWorkbench,
} from '../../dev/editor/harness';

const TOKEN = 'cfut_E2E_drift_token_0123456789abcdef';
/** The orphan of the demo data: a proxied CNAME to the tunnel old-ingress, which was deleted. */
const ORPHAN = 'old.example.com';

test(
  'drift report: the orphan CNAME of the demo data, and its action deletes the record',
  { timeout: 300_000 },
  async () => {
    const cf = await startCloudflareApi({ token: TOKEN, data: cloudflareDemo() });
    const k8s = await startKubernetesApi({ data: kubernetesDemo() });
    const dir = mkdtempSync(join(tmpdir(), 'cftunnel-kube-'));
    const kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, k8s.kubeconfigYaml('homelab'));
    const orphan = cf.state.records.find((r) => r.name === ORPHAN);
    assert.ok(orphan, `the demo data has the orphan record ${ORPHAN}`);
    try {
      await withWorkbench(
        'drift',
        {
          trusted: true,
          settings: { 'cftunnel.cloudflare.apiBaseUrl': cf.url, 'cftunnel.tunnels.refreshInterval': 0 },
          env: { KUBECONFIG: kubeconfig },
        },
        async ({ page }) => {
          await openViewContainer(page, 'Cloudflare Tunnel');
          await setSideBarWidth(page, 640);
          await signInWithApiToken(page, TOKEN);

          // Both trees on demo data (README screenshot "trees"): tunnels with health, Services by namespace with hostnames.
          const tunnels = viewPane(page, 'Tunnels');
          await expandTreeRow(tunnels, 'Acme Corp', 60_000);
          const prod = await expandTreeRow(tunnels, 'prod-k8s', 60_000);
          assert.match(await prod.innerText(), /healthy/);
          await expandTreeRow(tunnels, 'Public hostnames');
          await tunnels
            .locator('.monaco-list-row', { hasText: 'grafana.example.dev' })
            .first()
            .waitFor({ timeout: timeouts.ui });

          const services = viewPane(page, 'Cluster Services');
          await services
            .locator('.monaco-list-row', { hasText: /homelab\s*16 Services/ })
            .first()
            .waitFor({ timeout: 60_000 });
          // The hostnames come from the tunnels' remote configurations: wait until the join has them.
          await expandTreeRow(services, 'default');
          const web = await expandTreeRow(services, 'web');
          // web's hostnames: one from the workspace config.yaml, one from prod-k8s's remote configuration.
          await treeRow(services, 'app.example.com').waitFor({ timeout: 60_000 });
          assert.match(await treeRow(services, 'app.example.com').innerText(), /remote config · tunnel prod-k8s/);
          assert.match(await web.innerText(), /2 hostnames/);
          await saveScreenshot(page, 'trees', { clip: await leftSide(page) });

          // The view lists the drift under Problems, the orphan among it (room for it: Tunnels collapsed).
          await setViewExpanded(page, 'Tunnels', false);
          await treeRow(services, 'default').locator('.monaco-tl-twistie').click();
          const problems = await expandTreeRow(services, 'Problems', 60_000);
          assert.match(await problems.innerText(), /\d+ findings?/);
          const orphanRow = services.locator('.monaco-list-row', { hasText: ORPHAN }).first();
          await orphanRow.waitFor({ timeout: timeouts.ui });
          assert.match(await orphanRow.innerText(), /1016/);

          // The report (command palette) shows it too, in full: cloudflared's consequence and the record's actions.
          await runCommand(page, 'Cloudflare Tunnel: Show Drift Report');
          const report = driftReport(page);
          await report.locator('.summary', { hasText: /\d+ findings?/ }).waitFor({ timeout: 60_000 });
          const finding = report.locator('section.finding', { hasText: ORPHAN });
          await finding.waitFor({ timeout: timeouts.ui });
          const text = (await finding.innerText()).replace(/\s+/g, ' ');
          assert.match(text, /The DNS record old\.example\.com points at tunnel .*(deleted|not in this account)/);
          // The whole sentence, not cut.
          assert.match(text, /visitors get Cloudflare error 1016 \(Origin DNS error\)\./);
          assert.match(text, /Delete the DNS record old\.example\.com/);
          await notificationToast(page, 'checking for drift').waitFor({ state: 'hidden', timeout: timeouts.ui });
          // README screenshot "drift": the report beside the view's Problems.
          await saveScreenshot(page, 'drift');

          // Its action deletes the record (after a confirmation), through the API.
          await finding
            .locator('a.action', { hasText: `Delete the DNS record ${ORPHAN}` })
            .click({ timeout: timeouts.ui });
          await clickDialogButton(modalDialog(page, `Delete the DNS record ${ORPHAN}?`), 'Delete DNS Record');
          await waitUntil('the DELETE of the orphan record', () =>
            cf.requests.some((r) => r.method === 'DELETE' && r.path.endsWith(`/dns_records/${orphan.id}`)),
          );
          assert.ok(!cf.state.records.some((r) => r.name === ORPHAN), 'the record is gone from the zone');
          // The report stays open and follows: the finding goes.
          await waitUntil(
            `the ${ORPHAN} finding to disappear from the report`,
            async () => (await report.locator('section.finding', { hasText: ORPHAN }).count()) === 0,
            60_000,
          );
          // The view refreshes: the finding goes.
          await waitUntil(
            `the ${ORPHAN} finding to disappear from the view`,
            async () => (await services.locator('.monaco-list-row', { hasText: ORPHAN }).count()) === 0,
            60_000,
          );
          assert.equal(cf.requests.filter((r) => r.method === 'DELETE').length, 1, 'only that record was deleted');
          assert.ok(!(await page.locator('body').innerText()).includes(TOKEN), 'the token is never shown');
        },
      );
    } finally {
      await cf.close();
      await k8s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

type Clip = { x: number; y: number; width: number; height: number };

/** The activity bar and side bar (CSS px). */
async function leftSide(page: Page): Promise<Clip> {
  const sidebar = await page.locator('.part.sidebar').first().boundingBox();
  if (!sidebar) throw new Error('the side bar has no size');
  return {
    x: 0,
    y: Math.round(sidebar.y),
    width: Math.round(sidebar.x + sidebar.width + 4),
    height: Math.round(sidebar.height),
  };
}

/** The drift report's page: the content frame inside the webview's frame. */
function driftReport(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview >> nth=-1').frameLocator('iframe#active-frame');
}
