// Real-editor tests of editing a remotely managed tunnel's configuration against both local API servers on
// their demo data (issue #15): "Expose through Tunnel…" shows its diff in read-only documents and leaves no
// untitled editor to save; saving the remote configuration refreshes the header's version after each save,
// leaves no diff tab behind, and a refused save says why in a notification of ours with what to do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { demoState as cloudflareDemo, startCloudflareApi } from '../../dev/servers/cloudflare/server';
import type { CloudflareApiServer } from '../../dev/servers/cloudflare/server';
import { demoState as kubernetesDemo, startKubernetesApi } from '../../dev/servers/kubernetes/server';
import {
  activeEditor,
  clickDialogButton,
  literalTypingSettings,
  modalDialog,
  notificationButton,
  notificationToast,
  openViewContainer,
  quickPickRow,
  runCommand,
  signInWithApiToken,
  timeouts,
  waitForEditorText,
  waitUntil,
  withWorkbench,
} from '../../dev/editor/harness';

const TOKEN = 'cfut_E2E_remote_token_0123456789abcdef';

/** The editor tabs' titles, with "(dirty)" after those with unsaved changes. */
async function tabs(page: Page): Promise<string[]> {
  return page
    .locator('.tabs-container .tab')
    .evaluateAll((els) =>
      els.map(
        (el) =>
          `${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim()}${el.classList.contains('dirty') ? ' (dirty)' : ''}`,
      ),
    );
}

/** Types at the end of the active editor and waits until the editor shows it. */
async function typeAtEnd(page: Page, text: string): Promise<void> {
  await activeEditor(page).locator('.view-lines').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
  await waitForEditorText(page, text.split('\n').at(-1)!);
}

async function withServers(name: string, body: (page: Page, cf: CloudflareApiServer) => Promise<void>): Promise<void> {
  const cf = await startCloudflareApi({ token: TOKEN, data: cloudflareDemo() });
  const k8s = await startKubernetesApi({ data: kubernetesDemo() });
  const dir = mkdtempSync(join(tmpdir(), 'cftunnel-kube-'));
  const kubeconfig = join(dir, 'config');
  writeFileSync(kubeconfig, k8s.kubeconfigYaml('homelab'));
  try {
    await withWorkbench(
      name,
      {
        trusted: true,
        settings: {
          ...literalTypingSettings,
          'cftunnel.cloudflare.apiBaseUrl': cf.url,
          'cftunnel.tunnels.refreshInterval': 0,
        },
        env: { KUBECONFIG: kubeconfig },
      },
      async ({ page }) => {
        await openViewContainer(page, 'Cloudflare Tunnel');
        await signInWithApiToken(page, TOKEN);
        await body(page, cf);
      },
    );
  } finally {
    await cf.close();
    await k8s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test(
  'Expose through Tunnel… on a remotely managed tunnel: a read-only diff, closed after the answer, no untitled editors left',
  { timeout: 300_000 },
  async () => {
    await withServers('remote-expose', async (page, cf) => {
      await runCommand(page, 'Cloudflare Tunnel: Expose through Tunnel…', { opensQuickInput: true });
      await quickPickRow(page, 'prometheus').click({ timeout: 60_000 });
      await quickPickRow(page, 'prod-k8s').click({ timeout: 60_000 });
      await quickPickRow(page, /^\s*example\.com/).click({ timeout: 60_000 });
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: timeouts.ui });
      await input.fill('metrics.example.com');
      await page.keyboard.press('Enter');

      const dialog = modalDialog(page, 'Add metrics.example.com');
      await dialog.waitFor({ state: 'visible', timeout: 60_000 });
      // The diff is open while the question is asked, with both sides read-only documents.
      await waitUntil('the diff tab', async () =>
        (await tabs(page)).some((t) => t.includes('prod-k8s: remote configuration')) ? true : undefined,
      );
      await clickDialogButton(dialog, 'Update Configuration');
      await notificationToast(page, 'Exposed monitoring/prometheus as metrics.example.com').waitFor({
        timeout: 60_000,
      });

      const prod = cf.state.tunnels.find((t) => t.name === 'prod-k8s')!;
      assert.ok(
        JSON.stringify(prod.config.config).includes('metrics.example.com'),
        'the rule is in the remote configuration',
      );
      const open = await tabs(page);
      assert.deepEqual(
        open.filter((t) => /Untitled|\(dirty\)/.test(t)),
        [],
        `no untitled or unsaved editor is left: ${open.join(' | ')}`,
      );
      assert.deepEqual(
        open.filter((t) => t.includes('prod-k8s: remote configuration')),
        [],
        'the diff is closed',
      );
    });
  },
);

test(
  'saving the remote configuration: the header follows each new version, no diff tab is left, a refusal says why',
  { timeout: 300_000 },
  async () => {
    await withServers('remote-save', async (page, cf) => {
      const prod = cf.state.tunnels.find((t) => t.name === 'prod-k8s')!;
      const start = prod.config.version;
      await runCommand(page, 'Cloudflare Tunnel: Edit Remote Tunnel Configuration', { opensQuickInput: true });
      await quickPickRow(page, 'prod-k8s').click({ timeout: 60_000 });
      await waitForEditorText(page, `version ${start} on Cloudflare`, 60_000);

      for (const n of [1, 2]) {
        await typeAtEnd(page, `\n# edit ${n}`);
        await page.keyboard.press('Control+S');
        await clickDialogButton(modalDialog(page, 'Update the configuration of tunnel prod-k8s'), 'Save to Cloudflare');
        await notificationToast(page, `Saved the configuration of tunnel prod-k8s (version ${start + n})`).waitFor({
          timeout: 60_000,
        });
        // The document is read again: its header names the version just saved.
        await waitForEditorText(page, `version ${start + n} on Cloudflare`, 30_000);
      }
      assert.equal(prod.config.version, start + 2);
      const open = await tabs(page);
      assert.deepEqual(
        open.filter((t) => t.includes('on Cloudflare ↔ your edit')),
        [],
        `no diff tab is left: ${open.join(' | ')}`,
      );

      // cloudflared would refuse this: the reason in plain words, with what to do.
      await typeAtEnd(page, '\noriginRequest:\n  noTLSVerify: maybe');
      await page.keyboard.press('Control+S');
      const toast = notificationToast(
        page,
        /Cloudflare Tunnel: Not saved: cloudflared would refuse this configuration/,
      );
      await toast.waitFor({ timeout: 60_000 });
      await notificationButton(toast, 'Show Problems').waitFor({ timeout: timeouts.ui });
      assert.equal(prod.config.version, start + 2, 'nothing was sent');
      assert.ok(
        (await tabs(page)).some((t) => t.includes('(dirty)')),
        'the edit is kept',
      );
    });
  },
);
