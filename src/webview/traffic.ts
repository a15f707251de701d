/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The Traffic panel's script, in the webview (bundled by esbuild.mjs into dist/traffic.js, with
 * uPlot and this folder's stylesheet into dist/traffic.css). It draws each `TrafficView` the
 * extension posts (src/shared/traffic.ts): one uPlot chart per metric, or the reason in its place;
 * each chart with a table of its numbers (the text alternative); the pods' table; the window control.
 *
 * Colours are the theme's (`--vscode-charts-*`, `--vscode-foreground`…), read when a chart is made:
 * when the theme changes (VS Code swaps the body's class and the root's style), every chart is made
 * again. Nothing is fetched: the page's CSP allows only this script and its stylesheet.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './traffic.css';
import { isToWebview, isTrafficWindow } from '../shared/traffic';
import type { FromWebview, TrafficChart, TrafficPod, TrafficSeries, TrafficView } from '../shared/traffic';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

let current: TrafficView | undefined;
const plots = new Map<string, { plot: uPlot; shape: string }>();

// ── Colours ──────────────────────────────────────────────────────────────────────────────────

const cssVar = (name: string, fallback: string): string =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() ||
  getComputedStyle(document.body).getPropertyValue(name).trim() ||
  fallback;

const POD_COLOURS = [
  '--vscode-charts-blue',
  '--vscode-charts-purple',
  '--vscode-charts-orange',
  '--vscode-charts-green',
  '--vscode-charts-yellow',
  '--vscode-charts-red',
];

function colourOf(s: TrafficSeries): string {
  switch (s.tone) {
    case 'total':
      return cssVar('--vscode-charts-foreground', cssVar('--vscode-foreground', '#888'));
    case 'pod':
      return cssVar(POD_COLOURS[(s.index ?? 0) % POD_COLOURS.length]!, '#3794ff');
    case 'error':
      return cssVar('--vscode-charts-red', '#f14c4c');
    case 'ok':
      return cssVar('--vscode-charts-green', '#89d185');
    case 'redirect':
    case 'tcp':
      return cssVar('--vscode-charts-blue', '#3794ff');
    case 'client-error':
      return cssVar('--vscode-charts-orange', '#d18616');
    case 'other':
    case 'udp':
      return cssVar('--vscode-charts-purple', '#b180d7');
  }
}

// ── Numbers ──────────────────────────────────────────────────────────────────────────────────

function fmt(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  if (Number.isInteger(n)) return String(n);
  const a = Math.abs(n);
  return a >= 100 ? n.toFixed(0) : a >= 10 ? n.toFixed(1) : n.toFixed(2);
}

function stats(values: ReadonlyArray<number | null>): { now?: number; min?: number; max?: number; avg?: number } {
  const nums = values.filter((v): v is number => v !== null);
  if (nums.length === 0) return {};
  let now: number | undefined;
  for (let i = values.length - 1; i >= 0; i--) {
    if (values[i] !== null) {
      now = values[i]!;
      break;
    }
  }
  return {
    now,
    min: Math.min(...nums),
    max: Math.max(...nums),
    avg: nums.reduce((a, b) => a + b, 0) / nums.length,
  };
}

// ── Elements ─────────────────────────────────────────────────────────────────────────────────

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

/** The figure of a chart, made once and kept (so a focused table or an open details stays put). */
function figureOf(chart: TrafficChart): HTMLElement {
  const id = `chart-${chart.id}`;
  let fig = document.getElementById(id);
  if (!fig) {
    fig = el(
      'figure',
      { id, class: 'chart', 'data-chart': chart.id, 'aria-labelledby': `${id}-title` },
      el('figcaption', { id: `${id}-title` }),
      el('div', { class: 'plot', role: 'img', tabindex: '0' }),
      el('p', { class: 'message', role: 'note' }),
      el('p', { class: 'note' }),
      el('details', { class: 'data' }, el('summary', {}, 'Numbers'), el('div', { class: 'table' })),
    );
    $('charts').append(fig);
  }
  return fig;
}

function chartTable(chart: TrafficChart): HTMLTableElement {
  const head = el(
    'tr',
    {},
    el('th', { scope: 'col' }, 'Series'),
    el('th', { scope: 'col' }, `Now (${chart.unit})`),
    el('th', { scope: 'col' }, 'Min'),
    el('th', { scope: 'col' }, 'Average'),
    el('th', { scope: 'col' }, 'Max'),
  );
  const rows = chart.series.map((s) => {
    const st = stats(s.values);
    return el(
      'tr',
      {},
      el('th', { scope: 'row' }, s.label),
      el('td', {}, fmt(st.now)),
      el('td', {}, fmt(st.min)),
      el('td', {}, fmt(st.avg)),
      el('td', {}, fmt(st.max)),
    );
  });
  return el('table', {}, el('thead', {}, head), el('tbody', {}, ...rows));
}

function describe(chart: TrafficChart, windowLabel: string): string {
  if (chart.message) return `${chart.title}: ${chart.message}`;
  const parts = chart.series.map((s) => {
    const st = stats(s.values);
    return `${s.label} ${fmt(st.now)} ${chart.unit} now (max ${fmt(st.max)})`;
  });
  return `${chart.title}, last ${windowLabel}: ${parts.join('; ')}.`;
}

// ── Charts ───────────────────────────────────────────────────────────────────────────────────

function makePlot(host: HTMLElement, chart: TrafficChart, view: TrafficView): uPlot {
  const fg = cssVar('--vscode-foreground', '#ccc');
  const grid = cssVar('--vscode-charts-lines', 'rgba(128,128,128,0.3)');
  const font = `11px ${cssVar('--vscode-font-family', 'sans-serif')}`;
  const axis: uPlot.Axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font };
  const percent = chart.unit === '%';
  const opts: uPlot.Options = {
    width: Math.max(240, host.clientWidth),
    height: 170,
    legend: { show: true, live: true },
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: { time: true },
      y: {
        range: (_u, _min, max) => [0, percent ? Math.max(1, Math.min(100, max * 1.15)) : max > 0 ? max * 1.15 : 1],
      },
    },
    axes: [
      { ...axis },
      {
        ...axis,
        size: percent ? 64 : 54,
        values: (_u, splits) => splits.map((v) => (percent ? `${fmt(v)} %` : fmt(v))),
      },
    ],
    series: [
      {},
      ...chart.series.map((s): uPlot.Series => ({
        label: s.label,
        stroke: colourOf(s),
        width: s.tone === 'total' ? 2 : 1.5,
        dash: s.tone === 'total' ? [6, 3] : undefined,
        spanGaps: false,
        points: { show: view.times.length < 3 },
        value: (_u, v) => (v === null || v === undefined ? '—' : `${fmt(v)} ${chart.unit}`),
      })),
    ],
  };
  return new uPlot(opts, data(chart, view), host);
}

function data(chart: TrafficChart, view: TrafficView): uPlot.AlignedData {
  return [view.times, ...chart.series.map((s) => s.values)] as unknown as uPlot.AlignedData;
}

function drawChart(chart: TrafficChart, view: TrafficView, windowLabel: string): void {
  const fig = figureOf(chart);
  fig.querySelector('figcaption')!.textContent = chart.title;
  const host = fig.querySelector<HTMLElement>('.plot')!;
  const message = fig.querySelector<HTMLElement>('.message')!;
  const note = fig.querySelector<HTMLElement>('.note')!;
  const table = fig.querySelector<HTMLElement>('.table')!;
  const details = fig.querySelector<HTMLDetailsElement>('details')!;
  note.textContent = chart.note ?? '';
  note.hidden = !chart.note;
  host.setAttribute('aria-label', describe(chart, windowLabel));
  const existing = plots.get(chart.id);
  if (chart.message) {
    existing?.plot.destroy();
    plots.delete(chart.id);
    host.hidden = true;
    details.hidden = true;
    message.hidden = false;
    message.textContent = chart.message;
    fig.classList.add('has-message');
    return;
  }
  fig.classList.remove('has-message');
  message.hidden = true;
  host.hidden = false;
  details.hidden = false;
  table.replaceChildren(chartTable(chart));
  const shape = chart.series.map((s) => `${s.tone}:${s.label}`).join('|');
  if (existing && existing.shape === shape) {
    existing.plot.setData(data(chart, view));
    return;
  }
  existing?.plot.destroy();
  plots.set(chart.id, { plot: makePlot(host, chart, view), shape });
}

// ── Pods ─────────────────────────────────────────────────────────────────────────────────────

function podRow(p: TrafficPod): HTMLTableRowElement {
  const notes = [...p.callouts, ...(p.message ? [p.message] : []), ...(p.missing ? [p.missing] : [])];
  const state = el('td', { class: `state ${p.state}` }, p.stateText);
  return el(
    'tr',
    { 'data-pod': p.name, class: notes.length ? 'has-notes' : '' },
    el('th', { scope: 'row' }, p.name, el('div', { class: 'meta' }, p.deployment)),
    state,
    el('td', {}, p.requestsPerSecond !== undefined ? `${fmt(p.requestsPerSecond)} req/s` : '—'),
    el('td', {}, p.errorRatio !== undefined ? `${fmt(p.errorRatio * 100)} %` : '—'),
    el('td', {}, p.locations.length ? p.locations.join(', ') : '—'),
    el('td', {}, p.version ?? '—'),
    el('td', {}, p.configVersion !== undefined ? String(p.configVersion) : '—'),
    el('td', { class: 'notes' }, ...notes.map((n) => el('p', { class: 'callout' }, n))),
  );
}

function drawPods(pods: readonly TrafficPod[]): void {
  const host = $('pods');
  if (pods.length === 0) {
    host.replaceChildren(el('p', { class: 'message' }, 'No cloudflared pod.'));
    return;
  }
  const head = el(
    'tr',
    {},
    ...['Pod', 'State', 'Requests', 'Errors', 'Edge locations', 'cloudflared', 'Config version', 'Notes'].map((h) =>
      el('th', { scope: 'col' }, h),
    ),
  );
  host.replaceChildren(el('table', { class: 'pods' }, el('thead', {}, head), el('tbody', {}, ...pods.map(podRow))));
}

// ── The view ─────────────────────────────────────────────────────────────────────────────────

function render(view: TrafficView): void {
  current = view;
  vscode.setState({ window: view.window });
  const windowLabel =
    document.querySelector(`input[name="window"][value="${view.window}"]`)?.parentElement?.textContent?.trim() ??
    view.window;
  $('title').textContent = `Traffic: ${view.title}`;
  document.title = `Traffic: ${view.title}`;
  $('subtitle').textContent = view.updatedAt
    ? `${view.subtitle} · last read ${new Date(view.updatedAt).toLocaleTimeString()}`
    : view.subtitle;
  $('summary').textContent = view.summary;
  for (const input of document.querySelectorAll<HTMLInputElement>('input[name="window"]'))
    input.checked = input.value === view.window;
  $('notices').replaceChildren(...view.notices.map((n) => el('p', { class: 'notice', role: 'alert' }, n)));
  for (const chart of view.charts) drawChart(chart, view, windowLabel);
  drawPods(view.pods);
  document.body.dataset.updated = String(view.updatedAt ?? 0);
}

/** Makes every chart again (the theme changed: colours are read when a chart is made). */
function redraw(): void {
  for (const { plot } of plots.values()) plot.destroy();
  plots.clear();
  if (current) render(current);
}

window.addEventListener('message', (e: MessageEvent) => {
  if (isToWebview(e.data)) render(e.data.view);
});

$('window').addEventListener('change', (e) => {
  const value = (e.target as HTMLInputElement).value;
  if (isTrafficWindow(value)) vscode.postMessage({ type: 'window', window: value });
});

new MutationObserver(() => redraw()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
new MutationObserver(() => redraw()).observe(document.documentElement, {
  attributes: true,
  attributeFilter: ['style'],
});

let resizeTimer: number | undefined;
new ResizeObserver(() => {
  clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(() => {
    for (const [id, { plot }] of plots) {
      const host = document.querySelector<HTMLElement>(`#chart-${id} .plot`);
      if (host && host.clientWidth > 0) plot.setSize({ width: Math.max(240, host.clientWidth), height: 170 });
    }
  }, 100);
}).observe($('charts'));

vscode.postMessage({ type: 'ready' });
