// Real-editor test of the language server's `$NAME` in args rule (field notes §6.2): Kubernetes expands only
// `$(NAME)` in command/args, so `$TOKEN` reaches cloudflared literally. Run by default with every other
// test/e2e/*.e2e.ts (or alone: node scripts/e2e/run.mjs test/e2e/diagnostics.e2e.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  openFile,
  openQuickFixMenu,
  pickQuickFix,
  problemRow,
  revealProblem,
  saveScreenshot,
  waitForEditorText,
  waitForProblems,
  withWorkbench,
} from '../../dev/editor/harness';

const FIX_TITLE = 'Replace $TOKEN with $(TOKEN)';

test(
  '$TOKEN in args: a warning in Problems, and the quick fix rewrites it to $(TOKEN)',
  { timeout: 300_000 },
  async () => {
    await withWorkbench('diagnostics-token', { trusted: true }, async ({ page }) => {
      await openFile(page, 'deployment.yaml');

      await waitForProblems(
        page,
        'a warning mentioning $(TOKEN) for deployment.yaml',
        (t) => t.includes('deployment.yaml') && t.includes('$(TOKEN)'),
      );
      const row = problemRow(page, '$(TOKEN)');
      assert.ok(
        (await row.locator('.codicon-warning').count()) > 0,
        `the $(TOKEN) problem should be a warning; row: ${await row.innerText()}`,
      );
      const message = await revealProblem(page, '$(TOKEN)');

      // README screenshot "quick-fix": the warning with its quick-fix menu open (editor and Problems panel).
      const menu = await openQuickFixMenu(page);
      await menu.locator('.monaco-list-row', { hasText: FIX_TITLE }).first().hover();
      const editor = await page.locator('.part.editor').boundingBox();
      const panel = await page.locator('.part.panel').boundingBox();
      const box = await menu.boundingBox();
      if (editor && panel && box) {
        const width = Math.min(editor.width, Math.max(900, box.x + box.width + 24 - editor.x));
        const clip = { x: editor.x, y: editor.y, width, height: panel.y + Math.min(panel.height, 150) - editor.y };
        await saveScreenshot(page, 'quick-fix', { keepMouse: true, clip });
      }
      await pickQuickFix(page, FIX_TITLE);

      const text = await waitForEditorText(page, 'args: [tunnel, --no-autoupdate, run, --token, $(TOKEN)]');
      assert.doesNotMatch(text, /\$TOKEN\b/);

      // That exact warning goes away (other rules may still report on the line, e.g. the token in args).
      await waitForProblems(page, `the warning "${message}" to disappear`, (t) => !t.includes(message));
    });
  },
);

test(
  '"Disable shell-style-var for this line": the suppression comment goes above the line and the warning goes away',
  { timeout: 300_000 },
  async () => {
    await withWorkbench('diagnostics-suppress', { trusted: true }, async ({ page }) => {
      await openFile(page, 'deployment.yaml');
      await waitForProblems(
        page,
        'the $(TOKEN) warning for deployment.yaml',
        (t) => t.includes('deployment.yaml') && t.includes('$(TOKEN)'),
      );
      const message = await revealProblem(page, '$(TOKEN)');
      await openQuickFixMenu(page);
      await pickQuickFix(page, 'Disable shell-style-var for this line');

      await waitForEditorText(
        page,
        '# cftunnel-disable-next-line shell-style-var\n          args: [tunnel, --no-autoupdate, run, --token, $TOKEN]',
      );
      await waitForProblems(page, `the warning "${message}" to disappear`, (t) => !t.includes(message));
      // The comment is used: no "this suppression can go".
      await waitForProblems(page, 'no unused-suppression note', (t) => !t.includes('this suppression can go'));
    });
  },
);
