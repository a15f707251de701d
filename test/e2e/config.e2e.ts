// Real-editor test of the config.yaml checker: errors typed into an open cloudflared config.yaml (unsaved, real
// keyboard input) show up in the Problems panel and as squiggles with cloudflared's wording, and go away again
// when the text is fixed by typing. Fails if the language server reports nothing (checked against --stub).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  activeEditor,
  goToLine,
  literalTypingSettings,
  openFile,
  problemRow,
  squiggles,
  timeouts,
  waitForEditorText,
  waitForProblems,
  waitUntil,
  withWorkbench,
} from '../../dev/editor/harness';

// test/e2e/workspace/config.yaml, by line number.
const CATCH_ALL_LINE = 12; //   - service: http_status:404
const PATH_LINE = 8; //     path: ^/v1/
const CATCH_ALL_TEXT = '  - service: http_status:404';
const PATH_TEXT = '    path: ^/v1/';

const NEW_RULE = ['  - hostname: late.example.com', '    service: http://late.default.svc.cluster.local:80'];
// cloudflared's own messages (ingress/ingress.go validateIngress, regexp.Compile).
const CATCH_ALL_NOT_LAST = "Rule #4 is matching the hostname '', but this will match every hostname";
const LAST_NOT_CATCH_ALL =
  'The last ingress rule must match all URLs (i.e. it should not have a hostname or path filter)';
const BAD_REGEX = 'Rule #2 has an invalid regex: error parsing regexp: missing closing ): `^/v1/(`';

/** The rendered editor line whose whole text is `text`. */
function viewLine(page: Page, text: string) {
  return activeEditor(page)
    .locator('.view-lines .view-line')
    .filter({ hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[ \\u00a0]')}$`) })
    .first();
}

/** Waits until an error squiggle is drawn on the editor line whose text is `text`. */
async function waitForSquiggleOn(page: Page, text: string): Promise<void> {
  await waitUntil(
    `an error squiggle on the line "${text}"`,
    async () => {
      const line = await viewLine(page, text).boundingBox();
      if (!line) return false;
      for (const s of await squiggles(page).all()) {
        const box = await s.boundingBox();
        if (box && box.y + box.height / 2 >= line.y && box.y + box.height / 2 <= line.y + line.height) return true;
      }
      return false;
    },
    timeouts.diagnostics,
  );
}

async function waitForNoSquiggles(page: Page): Promise<void> {
  await waitUntil(
    'the error squiggles to disappear',
    async () => (await squiggles(page).count()) === 0,
    timeouts.diagnostics,
  );
}

async function assertErrorRow(page: Page, text: string): Promise<void> {
  const row = problemRow(page, text);
  assert.ok(
    (await row.locator('.codicon-error').count()) > 0,
    `"${text}" should be an error in Problems; row: ${await row.innerText()}`,
  );
}

test(
  'config.yaml: errors typed into the editor appear in Problems and as squiggles, and go when fixed',
  { timeout: 300_000 },
  async () => {
    await withWorkbench('config-typing', { trusted: true, settings: literalTypingSettings }, async ({ page }) => {
      await openFile(page, 'config.yaml');
      await waitForEditorText(page, CATCH_ALL_TEXT);

      // 1. A rule typed after the catch-all: cloudflared rejects both the catch-all (no longer last) and the
      //    new last rule (not a catch-all).
      await goToLine(page, CATCH_ALL_LINE);
      await page.keyboard.press('End');
      await page.keyboard.type(`\n${NEW_RULE.join('\n')}`);
      await waitForEditorText(page, [CATCH_ALL_TEXT, ...NEW_RULE].join('\n'));

      await waitForProblems(
        page,
        'the catch-all-not-last and last-rule-not-catch-all errors for config.yaml',
        (t) => t.includes('config.yaml') && t.includes(CATCH_ALL_NOT_LAST) && t.includes(LAST_NOT_CATCH_ALL),
      );
      await assertErrorRow(page, CATCH_ALL_NOT_LAST);
      await assertErrorRow(page, LAST_NOT_CATCH_ALL);
      await waitForSquiggleOn(page, CATCH_ALL_TEXT);
      await waitForSquiggleOn(page, NEW_RULE[0]!);
      // Diagnostics follow the unsaved buffer.
      await page
        .locator('.part.editor .tab.active.dirty', { hasText: 'config.yaml' })
        .waitFor({ timeout: timeouts.ui });

      // Fix by typing: select the two new lines (from the end of the catch-all line) and delete them.
      await goToLine(page, CATCH_ALL_LINE + NEW_RULE.length);
      await page.keyboard.press('End');
      for (let i = 0; i < NEW_RULE.length; i++) await page.keyboard.press('Shift+ArrowUp');
      await page.keyboard.press('Backspace');
      await waitUntil('the typed rule to be gone from the editor', async () => {
        const lines = await activeEditor(page).locator('.view-lines').innerText();
        return !lines.includes('late.example.com');
      });
      await waitForProblems(
        page,
        'the catch-all errors to disappear',
        (t) => !t.includes(CATCH_ALL_NOT_LAST) && !t.includes(LAST_NOT_CATCH_ALL),
      );
      await waitForNoSquiggles(page);

      // 2. An unbalanced "(" typed into a path regex, then undone (Ctrl+Z).
      await goToLine(page, PATH_LINE);
      await page.keyboard.press('End');
      await page.keyboard.type('(');
      await waitForEditorText(page, `${PATH_TEXT}(\n`);
      await waitForProblems(page, 'the invalid-regex error for config.yaml', (t) => t.includes(BAD_REGEX));
      await assertErrorRow(page, BAD_REGEX);
      await waitForSquiggleOn(page, `${PATH_TEXT}(`);

      await goToLine(page, PATH_LINE); // keyboard focus back in the editor (Problems may have taken it)
      await page.keyboard.press('Control+Z');
      await waitForEditorText(page, `${PATH_TEXT}\n`);
      await waitForProblems(
        page,
        'no problems left in config.yaml',
        (t) => !t.includes(BAD_REGEX) && !t.includes('config.yaml'),
      );
      await waitForNoSquiggles(page);
    });
  },
);
