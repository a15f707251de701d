// Real-editor test of "Trace Hostname…" (issue #17) on the routing fixture test/fixtures/routing/nginx
// (ingress-nginx behind a `*.example.com` tunnel rule, an Ingress for shop.example.com): from the palette
// with a URL typed in, the quick pick's title is the verdict and its items the hops; choosing the Ingress
// hop opens apps.yaml at the Ingress. Then the "Trace" CodeLens above the `*.example.com` rule asks for
// the name the `*` stands for. Alone: node scripts/e2e/run.mjs test/e2e/trace.e2e.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  activeEditor,
  activityBarItem,
  cursorPosition,
  openFile,
  quickPickRow,
  quickPickTitle,
  repoRoot,
  runCommand,
  saveScreenshot,
  timeouts,
  waitUntil,
  withWorkbench,
} from '../../dev/editor/harness';

const FIXTURE = join(repoRoot, 'test', 'fixtures', 'routing', 'nginx');
const VERDICT = 'shop.example.com → Service web/shop port 80';

/** Waits for the trace's quick pick and checks its hops. */
async function expectShopTrace(page: Page): Promise<void> {
  await quickPickTitle(page).filter({ hasText: VERDICT }).waitFor({ state: 'visible', timeout: timeouts.ui });
  for (const [hop, where] of [
    ['1. Tunnel rule', 'config.yaml:7'],
    ['2. Service ingress-nginx/ingress-nginx-controller', 'ingress-nginx.yaml:4'],
    ['3. Ingress web/shop', 'apps.yaml:38'],
    ['4. Service web/shop', 'apps.yaml:4'],
    ['5. Pod port web/shop', 'apps.yaml:17'],
  ] as const) {
    const row = quickPickRow(page, hop);
    await row.waitFor({ state: 'visible', timeout: timeouts.ui });
    assert.match(await row.innerText(), new RegExp(where.replace('.', '\\.')), `${hop} should show ${where}`);
  }
  assert.match(await quickPickRow(page, '3. Ingress web/shop').innerText(), /routes shop\.example\.com Prefix \//);
}

test(
  'Trace Hostname…: the verdict and the hops, the Ingress hop opens apps.yaml there; the CodeLens asks for the *',
  { timeout: 300_000 },
  async () => {
    await withWorkbench('trace', { trusted: true, workspace: FIXTURE }, async ({ page }) => {
      await activityBarItem(page, 'Cloudflare Tunnel').waitFor({ state: 'visible', timeout: timeouts.workbench });
      await openFile(page, 'cloudflared/config.yaml');

      // From the palette: the routed hostnames are offered; "Enter a URL…" takes any URL.
      await runCommand(page, 'Cloudflare Tunnel: Trace Hostname…', { opensQuickInput: true });
      await quickPickTitle(page)
        .filter({ hasText: 'Trace Hostname' })
        .waitFor({ state: 'visible', timeout: timeouts.ui });
      await quickPickRow(page, '*.example.com').waitFor({ state: 'visible', timeout: timeouts.ui });
      await quickPickRow(page, 'Enter a URL…').click();
      const input = page.locator('.quick-input-widget input');
      await waitUntil('the URL input box', async () =>
        ((await input.getAttribute('placeholder')) ?? '').includes('shop.example.com/cart'),
      );
      await input.fill('shop.example.com');
      await page.keyboard.press('Enter');

      await expectShopTrace(page);
      await saveScreenshot(page, 'trace');

      // The Ingress hop opens apps.yaml at the Ingress (its metadata.name, line 38).
      await quickPickRow(page, '3. Ingress web/shop').click();
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: timeouts.ui });
      await page
        .locator('.part.editor .tab.active', { hasText: 'apps.yaml' })
        .waitFor({ state: 'visible', timeout: timeouts.ui });
      await cursorPosition(page)
        .filter({ hasText: /^Ln 38, Col 1\b/ })
        .waitFor({ state: 'visible', timeout: timeouts.ui });

      // The CodeLens above the `*.example.com` rule: the input box has the `*` selected; "shop" replaces it.
      await openFile(page, 'cloudflared/config.yaml');
      const lenses = activeEditor(page).locator('.codelens-decoration a', { hasText: 'Trace' });
      await waitUntil('the Trace CodeLenses of the two hostname rules', async () => (await lenses.count()) === 2);
      await lenses.nth(1).click();
      await waitUntil('the input box with *.example.com', async () => (await input.inputValue()) === '*.example.com');
      await page.keyboard.type('shop');
      assert.equal(await input.inputValue(), 'shop.example.com');
      await page.keyboard.press('Enter');
      await expectShopTrace(page);
      await page.keyboard.press('Escape');
    });
  },
);
