// Real-editor test of the extension's own diagnostics under the project's `.cftunnel.yaml` and
// suppression comments (issues #19, #20), against the local Cloudflare API on its demo data: signed in,
// the workspace's config.yaml routes *.example.com, which no Access application of Acme Corp covers,
// so Problems shows `access-not-protected` (information). Then, with no reload:
// - a `.cftunnel.yaml` written beside it with `rules: {access-not-protected: warning}` makes it a warning;
// - `publicHostnames: ["*.example.com"]` there silences it; deleting the file brings it back;
// - a `# cftunnel-disable-next-line access-not-protected` typed above the rule (unsaved) silences it.
// Alone: node scripts/e2e/run.mjs --no-prepublish test/e2e/accessDiagnostics.e2e.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { demoState, startCloudflareApi } from '../../dev/servers/cloudflare/server';
import {
  goToLine,
  literalTypingSettings,
  openFile,
  openViewContainer,
  problemRow,
  signInWithApiToken,
  waitForProblems,
  waitUntil,
  withWorkbench,
} from '../../dev/editor/harness';

const TOKEN = 'cfut_E2E_access_diagnostics_0123456789ab';
const FINDING = '*.example.com is public';
/** The line of `- hostname: "*.example.com"` in test/e2e/workspace/config.yaml (1-based). */
const WILDCARD_LINE = 10;

/** Waits until the Access finding's row in Problems shows `icon` (the marker's severity). */
async function expectSeverity(page: Page, icon: 'info' | 'warning'): Promise<void> {
  await waitForProblems(page, `"${FINDING}" in Problems`, (t) => t.includes(FINDING));
  await waitUntil(`"${FINDING}" to be shown as ${icon}`, async () => {
    const row = problemRow(page, FINDING);
    return (await row.locator(`.codicon-${icon}`).count()) > 0;
  });
}

/** Waits until the finding (shown before) is no longer in Problems. */
async function expectGone(page: Page, why: string): Promise<void> {
  await waitForProblems(page, `"${FINDING}" to disappear (${why})`, (t) => !t.includes(FINDING));
}

test(
  'Access diagnostics follow .cftunnel.yaml (rules, publicHostnames) and suppression comments, live',
  { timeout: 300_000 },
  async () => {
    const cf = await startCloudflareApi({ token: TOKEN, data: demoState() });
    try {
      await withWorkbench(
        'access-diagnostics',
        {
          trusted: true,
          settings: {
            ...literalTypingSettings,
            'cftunnel.cloudflare.apiBaseUrl': cf.url,
            'cftunnel.tunnels.refreshInterval': 0,
          },
        },
        async ({ page, workbench }) => {
          const projectFile = join(workbench.workspace, '.cftunnel.yaml');
          await openViewContainer(page, 'Cloudflare Tunnel');
          await signInWithApiToken(page, TOKEN);
          await openFile(page, 'config.yaml');

          // Signed in: the wildcard rule is open to the internet (information by default).
          await expectSeverity(page, 'info');
          const message = await problemRow(page, FINDING).innerText();
          assert.match(message, /access-not-protected/);

          // The project raises the code to a warning.
          writeFileSync(projectFile, 'rules:\n  access-not-protected: warning\n');
          await expectSeverity(page, 'warning');

          // The project says the wildcard is meant to be public: nothing to report.
          writeFileSync(projectFile, 'publicHostnames:\n  - "*.example.com"\n');
          await expectGone(page, 'publicHostnames in .cftunnel.yaml');

          // Without the project file, the finding is back as it was.
          rmSync(projectFile);
          await expectSeverity(page, 'info');

          // A suppression comment typed above the rule (not saved) silences it.
          await goToLine(page, WILDCARD_LINE);
          await page.keyboard.type('  # cftunnel-disable-next-line access-not-protected -- a public wiki\n');
          await expectGone(page, 'a suppression comment above the rule');
        },
      );
    } finally {
      await cf.close();
    }
  },
);
