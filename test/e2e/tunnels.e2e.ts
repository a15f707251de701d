// Real-editor test of the Cloudflare side against the local Cloudflare API (dev/servers/cloudflare):
// sign in with a token through the welcome view, see the tunnels with their health, expand one, and
// check the status bar (healthy/total over both accounts). The token must never be shown on the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoState, startCloudflareApi } from '../../dev/servers/cloudflare/server';
import { activityBarItem, expandTreeRow, timeouts, viewPane, withWorkbench } from '../../dev/editor/harness';

const TOKEN = 'cfut_E2E_token_0123456789abcdef';

test(
  'Tunnels view: sign in with an API token, tunnels with health, connectors, status bar',
  { timeout: 300_000 },
  async () => {
    const api = await startCloudflareApi({ token: TOKEN, data: demoState() });
    try {
      await withWorkbench(
        'tunnels',
        {
          trusted: true,
          settings: { 'cftunnel.cloudflare.apiBaseUrl': api.url, 'cftunnel.tunnels.refreshInterval': 0 },
        },
        async ({ page }) => {
          await activityBarItem(page, 'Cloudflare Tunnel').click();
          await page
            .locator('.welcome-view-content a.monaco-button', { hasText: 'Sign In with API Token' })
            .first()
            .click({ timeout: timeouts.ui });
          const input = page.locator('.quick-input-widget input');
          await input.waitFor({ state: 'visible', timeout: timeouts.ui });
          await input.fill(TOKEN);
          await page.keyboard.press('Enter');

          // The tree redraws as accounts and tunnels load: click until each row is expanded.
          const tunnels = viewPane(page, 'Tunnels');
          await expandTreeRow(tunnels, 'Acme Corp', 60_000);
          const tunnel = tunnels.locator('.monaco-list-row', { hasText: 'prod-k8s' }).first();
          await tunnel.waitFor({ timeout: 60_000 });
          assert.match(await tunnel.innerText(), /healthy/);
          assert.match(await tunnels.locator('.monaco-list-row', { hasText: 'legacy-vm' }).first().innerText(), /down/);

          await expandTreeRow(tunnels, 'prod-k8s', 60_000);
          await page
            .locator('.monaco-list-row .label-name', { hasText: /^Connectors$/ })
            .first()
            .waitFor({ timeout: 30_000 });
          // Every account counts: Acme Corp (prod-k8s healthy of 4 live tunnels) and Side Projects (side-tunnel healthy).
          await page.locator('.statusbar-item', { hasText: '2/5 healthy' }).first().waitFor({ timeout: timeouts.ui });

          const body = await page.locator('body').innerText();
          assert.ok(!body.includes(TOKEN), 'the token is never shown');
          assert.ok(
            api.requests.some((r) => r.path.endsWith('/cfd_tunnel')),
            'the tunnels were listed from the API',
          );
        },
      );
    } finally {
      await api.close();
    }
  },
);
