// Real-editor test of "New cloudflared Kustomize Folder…" (not signed in to Cloudflare, no cluster): run from the
// command palette, pick the target folder in the workbench's folder dialog, answer each wizard step (locally
// managed, a typed tunnel ID, namespace, replicas, origin URL; Back once), then check the files on disk, that
// kustomization.yaml opens, and that the Problems panel shows nothing for the new folder's files. Escape part-way
// writes nothing. Saves the README screenshot "wizard" (a wizard step; see saveScreenshot for E2E_SCREENSHOTS=1).
// Signed in to the local Cloudflare API (demo data), the last step routes a zone's apex and wildcard to the
// tunnel: the plan lists the existing records, overwriting is chosen explicitly, DNS changes after the files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { demoState, startCloudflareApi } from '../../dev/servers/cloudflare/server';
import {
  activityBarItem,
  openFile,
  runCommand,
  saveScreenshot,
  timeouts,
  waitForProblems,
  waitUntil,
  withWorkbench,
} from '../../dev/editor/harness';

const COMMAND = 'Cloudflare Tunnel: New cloudflared Kustomize Folder…';
const TITLE = 'New cloudflared Kustomize Folder';
const TUNNEL_ID = '6ff42ae2-765d-4adf-8112-31c55c1551ef';
const ORIGIN = 'http://web.apps.svc.cluster.local:8080';
const FILES = [
  '.gitignore',
  'config.yaml',
  'credentials.json',
  'deployment.yaml',
  'kustomization.yaml',
  'networkpolicy.yaml',
  'pdb.yaml',
];

const quickInput = (page: Page) => page.locator('.quick-input-widget');
const quickInputBox = (page: Page) => quickInput(page).locator('.quick-input-filter input.input').first();

/** Waits until the quick input shows wizard step `step` of `total` (its title "… (step/total)"). */
async function waitForStep(page: Page, step: number, total: number): Promise<void> {
  await quickInput(page)
    .locator('.quick-input-title', { hasText: `${TITLE} (${step}/${total})` })
    .waitFor({ state: 'visible', timeout: timeouts.ui });
}

/** In an InputBox step: replaces the text, waits until the box holds it, presses Enter. */
async function answer(page: Page, text: string): Promise<void> {
  const box = quickInputBox(page);
  await box.fill(text);
  await waitUntil(`the input box to hold "${text}"`, async () => (await box.inputValue()) === text);
  await page.keyboard.press('Enter');
}

/** In a QuickPick step: clicks the row whose label is `label`. */
async function pick(page: Page, label: string): Promise<void> {
  const row = quickInput(page)
    .locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: label }) })
    .first();
  await row.waitFor({ state: 'visible', timeout: timeouts.ui });
  await row.click();
}

/**
 * Runs the wizard's command from the palette (F1) and answers the folder dialog (the workbench's own path
 * picker) with `folder`. Like the harness's runCommand, but the command opens another quick input at once, so
 * this waits for that instead of the palette closing. The palette lists the extension's commands once its
 * contributions are registered: the activity-bar entry shows that moment.
 */
async function startWizard(page: Page, folder: string, total = 5): Promise<void> {
  await activityBarItem(page, 'Cloudflare Tunnel').waitFor({ state: 'visible', timeout: timeouts.workbench });
  await page.keyboard.press('F1');
  await quickInputBox(page).waitFor({ state: 'visible', timeout: timeouts.ui });
  await quickInputBox(page).fill(`>${COMMAND}`);
  const row = quickInput(page)
    .locator('.monaco-list-row')
    .filter({
      has: page.locator('.label-name', { hasText: new RegExp(`^${COMMAND.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }),
    })
    .first();
  await row.waitFor({ state: 'visible', timeout: timeouts.ui });
  await row.click();
  await quickInput(page)
    .locator('.quick-input-title', { hasText: 'Folder for the cloudflared kustomization' })
    .waitFor({ state: 'visible', timeout: timeouts.ui });
  // The dialog lists its start folder (the workspace) asynchronously and then sets its text: type the path only
  // after that listing shows the target folder, and press Enter once the dialog has listed the typed folder
  // (empty: just "..") and still holds the typed text.
  const rows = async (): Promise<string[]> =>
    (await quickInput(page).locator('.monaco-list-row').allInnerTexts()).map((t) => t.trim());
  await waitUntil('the folder dialog to list the workspace', async () => (await rows()).includes(basename(folder)));
  const typed = `${folder}/`;
  await quickInputBox(page).fill(typed);
  await waitUntil(`the folder dialog to list ${typed}`, async () => {
    const listed = await rows();
    return (await quickInputBox(page).inputValue()) === typed && listed.length === 1 && listed[0] === '..';
  });
  await page.keyboard.press('Enter');
  await waitForStep(page, 1, total);
}

test(
  'scaffold wizard: palette → folder → steps → files on disk, kustomization.yaml open, no problems',
  { timeout: 300_000 },
  async () => {
    await withWorkbench('scaffold', { trusted: true }, async ({ page, workbench }) => {
      // 1. Escape part-way cancels and writes nothing.
      const cancelled = join(workbench.workspace, 'cancelled');
      mkdirSync(cancelled);
      await startWizard(page, cancelled);
      await pick(page, 'Locally managed');
      await waitForStep(page, 2, 5);
      await answer(page, TUNNEL_ID);
      await waitForStep(page, 3, 5);
      await page.keyboard.press('Escape');
      await quickInput(page).waitFor({ state: 'hidden', timeout: timeouts.ui });
      assert.deepEqual(readdirSync(cancelled), [], 'Escape writes nothing');

      // 2. The whole wizard, into a new folder of the workspace.
      const dir = join(workbench.workspace, 'cloudflared');
      mkdirSync(dir);
      await startWizard(page, dir);
      const mode = quickInput(page).locator('.monaco-list-row', { hasText: 'Locally managed' }).first();
      await mode.waitFor({ state: 'visible', timeout: timeouts.ui });
      // README screenshot "wizard": the first step (both modes, with what each writes), over the workbench.
      const widget = await quickInput(page).boundingBox();
      assert.ok(widget, 'the wizard is on screen');
      const x = Math.max(0, widget.x - 120);
      await saveScreenshot(page, 'wizard', {
        clip: {
          x,
          y: 0,
          width: Math.min(1600 - x, widget.width + 240),
          height: Math.min(1000, widget.y + widget.height + 60),
        },
      });
      await pick(page, 'Locally managed');

      await waitForStep(page, 2, 5);
      assert.match(await quickInput(page).innerText(), /Tunnel ID \(sign in to Cloudflare to pick a tunnel instead\)/);
      await answer(page, 'not-a-uuid');
      await quickInput(page)
        .locator('.quick-input-message', { hasText: "The tunnel's UUID" })
        .waitFor({ state: 'visible', timeout: timeouts.ui });
      await answer(page, TUNNEL_ID);

      // Back from step 3 shows step 2 again with the ID typed before.
      await waitForStep(page, 3, 5);
      await quickInput(page)
        .locator('.quick-input-titlebar a.codicon-quick-input-back, .quick-input-titlebar .codicon-quick-input-back')
        .first()
        .click();
      await waitForStep(page, 2, 5);
      await waitUntil(
        'step 2 to show the tunnel ID again',
        async () => (await quickInputBox(page).inputValue()) === TUNNEL_ID,
      );
      await page.keyboard.press('Enter');

      await waitForStep(page, 3, 5);
      await answer(page, 'edge');
      await waitForStep(page, 4, 5);
      await answer(page, '3');
      await waitForStep(page, 5, 5);
      await answer(page, ORIGIN);
      await quickInput(page).waitFor({ state: 'hidden', timeout: timeouts.ui });

      // kustomization.yaml opens in an editor once every file is written.
      await page
        .locator('.part.editor .tab.active', { hasText: 'kustomization.yaml' })
        .first()
        .waitFor({ state: 'visible', timeout: timeouts.ui });
      assert.deepEqual(readdirSync(dir).sort(), FILES);
      const kustomization = readFileSync(join(dir, 'kustomization.yaml'), 'utf8');
      assert.match(kustomization, /^namespace: edge$/m);
      assert.match(kustomization, new RegExp(`cloudflared for tunnel ${TUNNEL_ID} \\(locally-managed`));
      const config = readFileSync(join(dir, 'config.yaml'), 'utf8');
      assert.match(config, new RegExp(`^tunnel: ${TUNNEL_ID}$`, 'm'));
      assert.match(config, new RegExp(`service: ${ORIGIN.replace(/[.]/g, '\\.')}`));
      assert.match(readFileSync(join(dir, 'deployment.yaml'), 'utf8'), /replicas: 3/);
      assert.equal(statSync(join(dir, 'credentials.json')).mode & 0o777, 0o600, 'the secret input is 0600');

      // No problems for the new folder: open its YAML files, then the fixture deployment.yaml, whose known
      // $(TOKEN) warning shows that the language server has answered for the files opened before it.
      for (const f of [
        'cloudflared/config.yaml',
        'cloudflared/deployment.yaml',
        'cloudflared/networkpolicy.yaml',
        'cloudflared/pdb.yaml',
      ])
        await openFile(page, f);
      // Quick Open would rank the new folder's deployment.yaml (opened just now) first: use the Explorer row at
      // the workspace root instead.
      await page
        .locator('.part.sidebar .explorer-folders-view .monaco-list-row[aria-level="1"]')
        .filter({ has: page.locator('.label-name', { hasText: /^deployment\.yaml$/ }) })
        .first()
        .click();
      const problems = await waitForProblems(page, 'the fixture deployment.yaml warning ($(TOKEN))', (t) =>
        t.includes('$(TOKEN)'),
      );
      // File rows read "name [folder] count": only the fixture's (at the root, so no folder) may be there.
      const rows = await resourceRows(page);
      assert.ok(
        rows.length > 0 && rows.every((r) => /^deployment\.yaml \d+$/.test(r)),
        `only the fixture deployment.yaml has problems; Problems:\n${problems}`,
      );
    });
  },
);

/**
 * The text of the notification containing `text`, from the notification center (a toast may be gone already or
 * never shown): opens the center and waits until the notification is listed.
 */
async function notification(page: Page, text: string): Promise<string> {
  const center = page.locator('.notifications-center');
  if (!(await center.isVisible())) await runCommand(page, 'Notifications: Show Notifications');
  const item = center.locator('.monaco-list-row', { hasText: text }).first();
  await item.waitFor({ state: 'visible', timeout: timeouts.ui });
  return (await item.innerText()).replace(/\s+/g, ' ');
}

/** The file rows of the Problems panel, one string each: "name count" at the root, "namefolder count" below. */
async function resourceRows(page: Page): Promise<string[]> {
  const rows = page.locator('.markers-panel .monaco-list-row[aria-level="1"]');
  return (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

test(
  'scaffold wizard signed in: the tunnel from the account, Route DNS for example.dev and *.example.dev',
  { timeout: 300_000 },
  async () => {
    const token = 'cfut_E2E_scaffold_0123456789abcdef';
    const api = await startCloudflareApi({ token, data: demoState() });
    try {
      const zone = api.state.zones.find((z) => z.name === 'example.dev')!;
      const homelab = api.state.tunnels.find((t) => t.name === 'homelab')!;
      const target = `${homelab.id}.cfargotunnel.com`;
      const settings = { 'cftunnel.cloudflare.apiBaseUrl': api.url, 'cftunnel.tunnels.refreshInterval': 0 };
      await withWorkbench('scaffold-dns', { trusted: true, settings }, async ({ page, workbench }) => {
        // Sign in through the Tunnels view's welcome button; the account's tunnels show once it worked.
        await activityBarItem(page, 'Cloudflare Tunnel').click({ timeout: timeouts.workbench });
        await page
          .locator('.welcome-view-content a.monaco-button', { hasText: 'Sign In with API Token' })
          .first()
          .click({ timeout: timeouts.ui });
        await quickInputBox(page).waitFor({ state: 'visible', timeout: timeouts.ui });
        await quickInputBox(page).fill(token);
        await page.keyboard.press('Enter');
        await page
          .locator('.monaco-list-row', { hasText: 'Acme Corp' })
          .first()
          .waitFor({ state: 'visible', timeout: 60_000 });

        const dir = join(workbench.workspace, 'homelab');
        mkdirSync(dir);
        await startWizard(page, dir, 6);
        await pick(page, 'Locally managed');
        await waitForStep(page, 2, 6);
        await pick(page, 'homelab');
        await waitForStep(page, 3, 6);
        await answer(page, 'cloudflared');
        await waitForStep(page, 4, 6);
        await answer(page, '1');
        await waitForStep(page, 5, 6);
        await answer(page, ORIGIN);

        // Step 6: Skip first, then one item per zone of the account.
        await waitForStep(page, 6, 6);
        const zoneRow = quickInput(page)
          .locator('.monaco-list-row', { hasText: 'example.dev and *.example.dev → tunnel homelab' })
          .first();
        await zoneRow.waitFor({ state: 'visible', timeout: timeouts.ui });
        const zones = await quickInput(page).locator('.quick-input-list').innerText();
        const at = (text: string): number => zones.indexOf(text);
        assert.ok(
          at('Skip') >= 0 &&
            at('Skip') < at('example.com and *.example.com → tunnel homelab') &&
            at('example.com and') < at('example.dev and *.example.dev → tunnel homelab'),
          `Skip first, then the zones:\n${zones}`,
        );
        await zoneRow.click();

        // The plan: keeping the apex AAAA is the default; overwriting names the record it replaces.
        const overwrite = quickInput(page)
          .locator('.monaco-list-row', { hasText: 'Overwrite example.dev and create *.example.dev' })
          .first();
        await overwrite.waitFor({ state: 'visible', timeout: timeouts.ui });
        const plan = await quickInput(page).locator('.quick-input-list').innerText();
        assert.match(plan, /Create \*\.example\.dev only/);
        assert.match(plan, /AAAA 2001:db8::1 \(proxied\)/);
        assert.match(plan, /Replaces example\.dev AAAA 2001:db8::1 \(proxied\)/);
        assert.equal(
          api.state.records.filter((r) => r.name === '*.example.dev').length,
          0,
          'nothing changed while the wizard runs',
        );
        await overwrite.click();
        await quickInput(page).waitFor({ state: 'hidden', timeout: timeouts.ui });

        // Files first (kustomization.yaml opens), then DNS, reported per record.
        await page
          .locator('.part.editor .tab.active', { hasText: 'kustomization.yaml' })
          .first()
          .waitFor({ state: 'visible', timeout: timeouts.ui });
        const report = await notification(page, 'DNS in example.dev');
        assert.match(
          report,
          /example\.dev: overwritten \(was AAAA 2001:db8::1 \(proxied\)\); \*\.example\.dev: created/,
        );
        const records = (name: string) =>
          api.state.records
            .filter((r) => r.zoneId === zone.id && r.name === name)
            .map((r) => `${r.type} ${r.content} ${r.proxied}`);
        assert.deepEqual(records('example.dev'), [`CNAME ${target} true`]);
        assert.deepEqual(records('*.example.dev'), [`CNAME ${target} true`]);

        // Local mode: the routed hostnames are config.yaml's rules; the credentials came from the API.
        const config = readFileSync(join(dir, 'config.yaml'), 'utf8');
        assert.match(config, /- hostname: example\.dev\n/);
        assert.match(config, /- hostname: "\*\.example\.dev"|- hostname: '\*\.example\.dev'/);
        assert.match(config, /- service: http_status:404/);
        assert.equal(JSON.parse(readFileSync(join(dir, 'credentials.json'), 'utf8')).TunnelID, homelab.id);
        assert.ok(!(await page.locator('body').innerText()).includes(token), 'the token is never shown');
      });
    } finally {
      await api.close();
    }
  },
);
