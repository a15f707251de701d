/**
 * The Traffic panel's page (no `vscode` import: test/unit covers it): a skeleton the webview's
 * script (dist/traffic.js, from src/webview/traffic.ts) fills from each `TrafficView`. The content
 * security policy allows nothing but the extension's own script (with this page's nonce) and its
 * own stylesheet (dist/traffic.css: the page's rules and uPlot's): no inline style, no remote
 * resource, no connection.
 */
import { TRAFFIC_WINDOWS, WINDOW_LABELS } from '../../shared/traffic';
import type { TrafficWindow } from '../../shared/traffic';

export interface TrafficPage {
  title: string;
  window: TrafficWindow;
  nonce: string;
  /** `webview.cspSource`. */
  cspSource: string;
  /** `webview.asWebviewUri` of dist/traffic.js and dist/traffic.css. */
  scriptUri: string;
  styleUri: string;
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function trafficCsp(p: Pick<TrafficPage, 'nonce' | 'cspSource'>): string {
  return [
    "default-src 'none'",
    `style-src ${p.cspSource}`,
    `font-src ${p.cspSource}`,
    `img-src ${p.cspSource}`,
    `script-src 'nonce-${p.nonce}'`,
  ].join('; ');
}

export function trafficHtml(p: TrafficPage): string {
  const windows = TRAFFIC_WINDOWS.map(
    (w) =>
      `<label><input type="radio" name="window" value="${w}"${w === p.window ? ' checked' : ''}> ${WINDOW_LABELS[w]}</label>`,
  ).join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${trafficCsp(p)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${esc(p.styleUri)}">
<title>Traffic: ${esc(p.title)}</title>
</head><body>
<header>
<h1 id="title">Traffic: ${esc(p.title)}</h1>
<p id="subtitle" class="meta"></p>
<fieldset id="window" class="window"><legend>Time window</legend>
${windows}
</fieldset>
<p id="summary" class="summary" role="status" aria-live="polite">Reading the pods’ metrics…</p>
</header>
<div id="notices" class="notices"></div>
<main id="charts" class="charts" aria-label="Charts"></main>
<section class="pods-section" aria-labelledby="pods-title">
<h2 id="pods-title">Pods</h2>
<div id="pods"></div>
</section>
<script nonce="${p.nonce}" src="${esc(p.scriptUri)}"></script>
</body></html>`;
}
