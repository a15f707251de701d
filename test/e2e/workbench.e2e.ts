// Real-editor smoke tests: code-server's VS Code workbench with the packaged extension installed.
// Run through scripts/e2e/run.mjs (installs code-server, packages the vsix, then runs these files).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  activityBarItem,
  repoRoot,
  openFile,
  runCommand,
  timeouts,
  waitForEditorText,
  withWorkbench,
} from '../../dev/editor/harness';

interface Manifest {
  name: string;
  publisher: string;
  displayName?: string;
  contributes?: { viewsContainers?: { activitybar?: { id: string; title: string }[] } };
}
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;
const extensionId = `${manifest.publisher}.${manifest.name}`.toLowerCase();

test(
  'the workbench opens the fixture workspace, shows deployment.yaml, and has the extension installed',
  { timeout: 300_000 },
  async () => {
    await withWorkbench('workbench-opens', { trusted: true }, async ({ workbench, page }) => {
      const installed = workbench.listExtensions().map((l) => l.toLowerCase());
      assert.ok(
        installed.some((l) => l.startsWith(`${extensionId}@`)),
        `code-server --list-extensions should list ${extensionId}; got ${JSON.stringify(installed)}`,
      );

      // Trusted: no Restricted Mode indicator.
      assert.equal(await page.locator('.part.statusbar', { hasText: 'Restricted Mode' }).count(), 0);

      await openFile(page, 'deployment.yaml');
      const text = await waitForEditorText(page, 'kind: Deployment');
      assert.match(text, /args: \[tunnel, --no-autoupdate, run, --token, \$TOKEN\]/);
      assert.match(text, /secretKeyRef:/);

      // The workbench itself knows the extension (not only the extensions folder on disk).
      await runCommand(page, 'Extensions: Show Installed Extensions');
      const title = manifest.displayName ?? manifest.name;
      await page
        .locator('.extensions-viewlet .monaco-list-row', { hasText: title })
        .first()
        .waitFor({ state: 'visible', timeout: timeouts.ui });

      // Once the manifest contributes an activity-bar container, it must show up.
      for (const container of manifest.contributes?.viewsContainers?.activitybar ?? []) {
        await activityBarItem(page, container.title).waitFor({ state: 'visible', timeout: timeouts.ui });
      }
    });
  },
);

test('an untrusted workspace opens in Restricted Mode', { timeout: 300_000 }, async () => {
  await withWorkbench('workbench-restricted', { trusted: false }, async ({ page }) => {
    await page
      .locator('.part.statusbar .statusbar-item', { hasText: 'Restricted Mode' })
      .first()
      .waitFor({ state: 'visible', timeout: timeouts.ui });
  });
});
