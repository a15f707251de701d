// Renders media/cftunnel.png, the 128×128 Marketplace and Open VSX icon (package.json "icon"), from
// media/cftunnel.svg, the line icon the views use: its paths drawn white on a Cloudflare-orange rounded
// square (the gallery banner's colour), through Debian's chromium and playwright-core (a dev dependency).
// The PNG is committed; run this again only when the SVG or the colours change:
//   node scripts/render-icon.mjs        (E2E_CHROMIUM=/path/to/chromium if it is not /usr/bin/chromium)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ICON_SIZE = 128;
export const BACKGROUND = '#F38020';

const svg = readFileSync(join(repoRoot, 'media', 'cftunnel.svg'), 'utf8')
  .replace(/<!--[\s\S]*?-->/g, '')
  .replace('width="24" height="24"', 'width="96" height="96"')
  .replace('stroke="currentColor"', 'stroke="#ffffff"');

const html = `<!doctype html><html><body style="margin:0;background:transparent">
<div id="icon" style="width:${ICON_SIZE}px;height:${ICON_SIZE}px;border-radius:24px;background:${BACKGROUND};
display:flex;align-items:center;justify-content:center">${svg}</div></body></html>`;

const browser = await chromium.launch({
  executablePath: process.env.E2E_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--force-color-profile=srgb'],
});
try {
  const page = await browser.newPage({ viewport: { width: ICON_SIZE, height: ICON_SIZE }, deviceScaleFactor: 1 });
  await page.setContent(html);
  const png = await page.locator('#icon').screenshot({ omitBackground: true });
  writeFileSync(join(repoRoot, 'media', 'cftunnel.png'), png);
  console.log(`media/cftunnel.png: ${ICON_SIZE}×${ICON_SIZE}, ${png.length} bytes`);
} finally {
  await browser.close();
}
