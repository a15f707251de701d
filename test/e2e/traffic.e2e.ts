// Real-editor test of the Traffic panel (issue #18) against the local Kubernetes API, whose demo
// cloudflared pods serve generated metrics behind the pod proxy: "Show Traffic" from the palette on
// the demo's cloudflared Deployment draws its charts (uPlot canvases in the webview), the numbers
// change between two polls (the interval set to its 5 s minimum), the latency chart says why it has
// none; on homelab/cloudflared the unconnected pod is called out as not ready and the crash-looping
// one's reason replaces its numbers; the window control works from the keyboard; closing the panel
// stops the reads. Screenshot: media/screenshots/traffic.png (E2E_SCREENSHOTS=1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { demoState, startKubernetesApi } from '../../dev/servers/kubernetes/server';
import { quickPickRow, runCommand, saveScreenshot, timeouts, waitUntil, withWorkbench } from '../../dev/editor/harness';

/** The Traffic panel's page: the content frame inside the (last) webview's frame. */
function trafficPanel(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview >> nth=-1').frameLocator('iframe#active-frame');
}

async function openTraffic(page: Page, deployment: string): Promise<FrameLocator> {
  await runCommand(page, 'Cloudflare Tunnel: Show Traffic', { opensQuickInput: true });
  await quickPickRow(page, deployment).waitFor({ timeout: 60_000 });
  await quickPickRow(page, deployment).click();
  const frame = trafficPanel(page);
  await frame.locator('h1', { hasText: `Traffic: ${deployment}` }).waitFor({ timeout: 60_000 });
  return frame;
}

test(
  'Traffic panel: live charts of the demo cloudflared, numbers that change, a pod that is not ready',
  { timeout: 420_000 },
  async () => {
    const api = await startKubernetesApi({ data: demoState() });
    const dir = mkdtempSync(join(tmpdir(), 'cftunnel-traffic-'));
    const kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, api.kubeconfigYaml('homelab'));
    const proxied = (): number => api.requests.filter((r) => /\/pods\/[^/]+\/proxy\//.test(r.path)).length;
    try {
      await withWorkbench(
        'traffic',
        { trusted: true, env: { KUBECONFIG: kubeconfig }, settings: { 'cftunnel.metrics.pollInterval': 5 } },
        async ({ page }) => {
          assert.equal(proxied(), 0, 'nothing is read before a panel shows traffic');
          const frame = await openTraffic(page, 'cloudflared/cloudflared');
          // The charts draw: a uPlot canvas for the requests, with the total and both pods in its legend.
          const requests = frame.locator('#chart-requests');
          await requests.locator('canvas').first().waitFor({ timeout: 60_000 });
          for (const label of ['Total', 'cloudflared-'])
            await requests.locator('.u-legend', { hasText: label }).waitFor();
          for (const id of ['errors', 'ratio', 'status', 'concurrent', 'ha'])
            await frame.locator(`#chart-${id} canvas`).first().waitFor({ timeout: timeouts.ui });
          // No HTTP origin latency in cloudflared: said in place of the chart, never an empty chart.
          await frame
            .locator('#chart-latency .message', { hasText: 'no origin-latency metric for HTTP' })
            .waitFor({ timeout: timeouts.ui });
          assert.equal(await frame.locator('#chart-latency canvas').count(), 0);
          // The numbers change between two polls.
          const summary = frame.locator('#summary');
          await waitUntil('a rate in the summary', async () => /req\/s/.test((await summary.textContent()) ?? ''));
          const first = {
            text: await summary.textContent(),
            at: await frame.locator('body').getAttribute('data-updated'),
          };
          await waitUntil(
            'the next poll to change the numbers',
            async () =>
              (await frame.locator('body').getAttribute('data-updated')) !== first.at &&
              (await summary.textContent()) !== first.text,
            30_000,
          );
          // The pods' table: edge locations and versions.
          const pods = frame.locator('table.pods tbody tr');
          assert.equal(await pods.count(), 2);
          assert.match((await pods.first().textContent()) ?? '', /ready · 4 connections to the edge.*2026\.8\.2/);
          // A few more polls, for a picture with some history.
          await new Promise((r) => setTimeout(r, 15_000));
          // The window control is a radio group: reachable and changed from the keyboard.
          await frame.locator('input[name="window"][value="15m"]').focus();
          await page.keyboard.press('ArrowLeft');
          await waitUntil('the 5 min window to be chosen', () =>
            frame.locator('input[name="window"][value="5m"]').isChecked(),
          );
          // The text alternative of a chart: its numbers in a table.
          await requests.locator('summary', { hasText: 'Numbers' }).click();
          await requests.locator('details table th', { hasText: 'Total' }).waitFor();
          // The side bar closed: the panel has the window's width for the README's picture.
          await page.keyboard.press('Control+B');
          await new Promise((r) => setTimeout(r, 800));
          await saveScreenshot(page, 'traffic');

          // homelab: one pod runs without an edge connection, the other crash-loops.
          const home = await openTraffic(page, 'homelab/cloudflared');
          await home
            .locator('table.pods tr', { hasText: /Not ready: \/ready answers 503 with 0 registered connections/ })
            .waitFor({ timeout: 60_000 });
          await home
            .locator('table.pods tr', { hasText: /Nothing answers on port 2000/ })
            .waitFor({ timeout: timeouts.ui });
          await home.locator('#chart-requests .message, #chart-requests canvas').first().waitFor({ timeout: 30_000 });

          // Closing every panel stops the reads.
          await page.keyboard.press('Control+K');
          await page.keyboard.press('W');
          await waitUntil(
            'the panels to close',
            async () => (await page.locator('iframe.webview').count()) === 0,
            15_000,
          );
          await new Promise((r) => setTimeout(r, 1_000));
          const before = proxied();
          assert.ok(before > 0, 'pods were read through the pod proxy');
          await new Promise((r) => setTimeout(r, 12_000));
          assert.equal(proxied(), before, 'no pod is read once no panel shows traffic');
        },
      );
    } finally {
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
