// Real-editor test of Cloudflare Access (issue #19) against the local Cloudflare API on its demo data:
// signed in, prod-k8s's public hostnames say which are protected (grafana.example.dev by "Grafana") and
// which are open (preview.example.com: no application; app.example.com: a bypass for everyone);
// "Protect with Cloudflare Access…" on preview.example.com asks who may enter (emails), the session
// duration and the application's name, shows the policy and application it will create, creates
// them through the API, and the hostname then says it is protected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoState, startCloudflareApi } from '../../dev/servers/cloudflare/server';
import {
  clickDialogButton,
  expandTreeRow,
  modalDialog,
  notificationToast,
  openViewContainer,
  quickPickRow,
  saveScreenshot,
  setSideBarWidth,
  signInWithApiToken,
  timeouts,
  treeRow,
  viewPane,
  waitUntil,
  withWorkbench,
} from '../../dev/editor/harness';

const TOKEN = 'cfut_E2E_access_token_0123456789abcdef';

test(
  'Tunnels view: open and protected hostnames, then Protect with Cloudflare Access… turns one protected',
  { timeout: 300_000 },
  async () => {
    const cf = await startCloudflareApi({ token: TOKEN, data: demoState() });
    try {
      await withWorkbench(
        'access',
        {
          trusted: true,
          settings: { 'cftunnel.cloudflare.apiBaseUrl': cf.url, 'cftunnel.tunnels.refreshInterval': 0 },
        },
        async ({ page }) => {
          await openViewContainer(page, 'Cloudflare Tunnel');
          await signInWithApiToken(page, TOKEN);
          // Wide enough for the descriptions (service, then the Access state).
          await setSideBarWidth(page, 760);
          const pane = viewPane(page, 'Tunnels');
          await expandTreeRow(pane, 'Acme Corp', 60_000);
          await expandTreeRow(pane, 'prod-k8s', 60_000);
          await expandTreeRow(pane, 'Public hostnames', 60_000);

          const text = async (label: string): Promise<string> => treeRow(pane, label).innerText();
          const preview = treeRow(pane, 'preview.example.com');
          await preview.waitFor({ timeout: 60_000 });
          await waitUntil('preview.example.com to say it is open', async () =>
            /open to everyone/.test(await text('preview.example.com')) ? true : undefined,
          );
          assert.match(await text('grafana.example.dev'), /Access: Grafana/);
          assert.match(await text('app.example.com'), /open to everyone \(App \(public\)/);
          await saveScreenshot(page, 'access-open');

          // The inline action of an open hostname.
          await preview.hover();
          await preview
            .locator('.action-label[aria-label^="Protect with Cloudflare Access"]')
            .first()
            .click({ timeout: timeouts.ui });
          await quickPickRow(page, 'Emails…').click({ timeout: timeouts.ui });
          const input = page.locator('.quick-input-widget input');
          await input.waitFor({ state: 'visible', timeout: timeouts.ui });
          await input.fill('alice@example.com, bob@example.com');
          await page.keyboard.press('Enter');
          await quickPickRow(page, '24 hours').click({ timeout: timeouts.ui });
          // The application's name defaults to the hostname.
          await waitUntil('the name step', async () =>
            (await input.inputValue()) === 'preview.example.com' ? true : undefined,
          );
          await page.keyboard.press('Enter');

          const dialog = modalDialog(page, 'Protect preview.example.com with Cloudflare Access?');
          await dialog.waitFor({ state: 'visible', timeout: timeouts.ui });
          const shown = await dialog.innerText();
          assert.match(shown, /"decision": "allow"/, 'the policy is shown');
          assert.match(shown, /"type": "self_hosted"/, 'the application is shown');
          assert.match(shown, /alice@example\.com/);
          await clickDialogButton(dialog, 'Create Application');
          await notificationToast(page, 'Protected preview.example.com with the Access application').waitFor({
            timeout: 60_000,
          });

          const created = cf.state.access?.apps.find((a) => a.domain === 'preview.example.com');
          assert.ok(created, 'the application was created through the API');
          assert.equal(created.sessionDuration, '24h');
          assert.equal(created.name, 'preview.example.com');

          // The tree was refreshed: the hostname is protected now.
          await expandTreeRow(pane, 'Acme Corp', 60_000);
          await expandTreeRow(pane, 'prod-k8s', 60_000);
          await expandTreeRow(pane, 'Public hostnames', 60_000);
          await waitUntil(
            'preview.example.com to say it is protected',
            async () =>
              /Access: preview\.example\.com \(2 emails\)/.test(await text('preview.example.com').catch(() => ''))
                ? true
                : undefined,
            60_000,
          );
          await saveScreenshot(page, 'access-protected');
        },
      );
    } finally {
      await cf.close();
    }
  },
);
