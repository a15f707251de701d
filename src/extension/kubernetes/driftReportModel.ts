/**
 * The drift report's page, as plain HTML (no `vscode` import: test/unit covers it): every finding
 * in full — severity, message, hostname, where it is — with its actions as links that the page
 * posts back (`{ type: 'action', finding, action }`, `{ type: 'open', finding }`, `{ type: 'refresh' }`).
 */
import type { DriftFinding } from '../../core/drift';

export interface DriftReportPage {
  findings: readonly DriftFinding[];
  /** Whether a cluster state has been read (else the page says why it is empty). */
  connected: boolean;
  /** The finding to scroll to and highlight. */
  selected?: string;
  /** Relative path of a location, for display. */
  relativePath(path: string): string;
  nonce: string;
  cspSource: string;
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const LABEL = { error: 'Error', warning: 'Warning', information: 'Info' } as const;

export function driftReportHtml(p: DriftReportPage): string {
  const counts = (['error', 'warning', 'information'] as const)
    .map((s) => [s, p.findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0);
  const summary = !p.connected
    ? 'No cluster is connected: open the Cluster Services view and choose a context (the report compares the cluster, the tunnels and their DNS routes).'
    : p.findings.length === 0
      ? 'No drift between the cluster, the tunnels and their DNS routes.'
      : `${p.findings.length} finding${p.findings.length === 1 ? '' : 's'}: ${counts.map(([s, n]) => `${n} ${LABEL[s].toLowerCase()}${n === 1 || s === 'information' ? '' : 's'}`).join(', ')}.`;
  const items = p.findings
    .map((f, i) => {
      const where = f.location
        ? `<a href="#" class="open" data-finding="${i}">${esc(p.relativePath(f.location.path))}:${f.location.range.start.line + 1}</a>`
        : '';
      const meta = [f.hostname ? `<code>${esc(f.hostname)}</code>` : '', where].filter(Boolean).join(' · ');
      const actions = f.actions
        .map(
          (a, j) =>
            `<li><a href="#" class="action${a.preferred ? ' preferred' : ''}" data-finding="${i}" data-action="${j}">${esc(a.title)}</a></li>`,
        )
        .join('');
      return `<section class="finding ${f.severity}${f.id === p.selected ? ' selected' : ''}" id="f${i}" data-id="${esc(f.id)}">
<p class="message"><span class="severity">${LABEL[f.severity]}</span> ${esc(f.message)}</p>
${meta ? `<p class="meta">${meta}</p>` : ''}
${actions ? `<ul class="actions">${actions}</ul>` : '<p class="meta">No action.</p>'}
</section>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${p.cspSource} 'nonce-${p.nonce}'; script-src 'nonce-${p.nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Drift Report</title>
<style nonce="${p.nonce}">
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 20px 20px; line-height: 1.45; }
h1 { font-size: 1.4em; font-weight: 600; }
.finding { border-left: 3px solid var(--vscode-editorInfo-foreground); padding: 6px 12px; margin: 12px 0; background: var(--vscode-editorWidget-background); }
.finding.error { border-left-color: var(--vscode-editorError-foreground); }
.finding.warning { border-left-color: var(--vscode-editorWarning-foreground); }
.finding.selected { outline: 1px solid var(--vscode-focusBorder); }
.severity { font-weight: 600; margin-right: 4px; }
.message { margin: 4px 0; white-space: pre-wrap; }
.meta { margin: 4px 0; opacity: 0.85; }
.actions { margin: 4px 0; padding-left: 18px; }
.preferred { font-weight: 600; }
a { color: var(--vscode-textLink-foreground); }
</style></head>
<body>
<h1>Drift Report</h1>
<p class="summary">${esc(summary)} <a href="#" id="refresh">Check again</a></p>
${items}
<script nonce="${p.nonce}">
const vscode = acquireVsCodeApi();
document.addEventListener('click', (e) => {
  const a = e.target.closest('a');
  if (!a) return;
  e.preventDefault();
  if (a.id === 'refresh') vscode.postMessage({ type: 'refresh' });
  else if (a.classList.contains('open')) vscode.postMessage({ type: 'open', finding: Number(a.dataset.finding) });
  else if (a.classList.contains('action')) vscode.postMessage({ type: 'action', finding: Number(a.dataset.finding), action: Number(a.dataset.action) });
});
document.querySelector('.selected')?.scrollIntoView({ block: 'center' });
</script>
</body></html>`;
}
