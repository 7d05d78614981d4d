/**
 * The console's stylesheet and script, served by Linka itself under /console/assets/ (no
 * external requests, no inline code: the Content-Security-Policy allows only 'self').
 * Kept as modules so the compiled dist/ carries them without a copy step.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Chart.js's browser build, from the installed package (the dashboard's charts). */
const CHART_JS = readFileSync(path.join(path.dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js'), 'utf8');

const CSS = `
:root { --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg: #fff; --accent: #0b5cad; --warn: #9a3412; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
header.top { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; justify-content: space-between; padding: .5rem 1rem; border-bottom: 1px solid var(--line); background: var(--soft); }
header.top .brand { font-weight: 700; text-decoration: none; color: var(--fg); }
nav.main ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; margin: 0; padding: 0; }
nav.main a[aria-current="page"] { font-weight: 700; }
.who { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; color: var(--muted); }
.who form { display: inline; margin: 0; }
main { padding: 1rem; max-width: 72rem; margin: 0 auto; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
label { display: block; font-weight: 600; margin: .5rem 0 .25rem; }
input[type=text], input[type=password], input[type=number], input[type=search], input[type=datetime-local], input[type=email], input[type=date], input[type=month], input[type=file], select, textarea {
  width: 100%; max-width: 32rem; padding: .5rem; font: inherit; border: 1px solid #8c959f; border-radius: 4px; background: #fff; color: var(--fg); }
textarea { min-height: 5rem; }
button { font: inherit; padding: .45rem .9rem; border: 1px solid var(--accent); border-radius: 4px; background: var(--accent); color: #fff; cursor: pointer; }
button.link { background: none; border: none; color: var(--accent); padding: 0; text-decoration: underline; }
.filters { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: .5rem 1rem; align-items: end; margin-bottom: 1rem; }
.filters .check label { display: inline; font-weight: 400; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
.table-wrap { overflow-x: auto; }
.badge { display: inline-block; padding: 0 .4rem; border-radius: 3px; font-size: .85rem; background: var(--soft); border: 1px solid var(--line); }
.badge.emergency { background: #fff1e6; border-color: var(--warn); color: var(--warn); }
.notice { padding: .5rem .75rem; border: 1px solid var(--line); background: var(--soft); border-radius: 4px; }
.notice.error { border-color: var(--warn); color: var(--warn); background: #fff7ed; }
ol.history { list-style: none; padding: 0; margin: 0; }
ol.history li { padding: .5rem .75rem; margin: .4rem 0; border-left: 4px solid var(--line); background: var(--soft); white-space: pre-wrap; overflow-wrap: anywhere; }
ol.history li.in { border-left-color: #1a7f37; }
ol.history li.out { border-left-color: var(--accent); }
ol.history li.technician { border-left-color: #8250df; }
ol.history li.note { border-left-color: #bf8700; background: #fff8c5; }
ol.history li.failed { border-left-color: var(--warn); }
ol.history .meta { display: block; font-size: .85rem; color: var(--muted); white-space: normal; }
.actions { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 1rem; }
.actions form { border: 1px solid var(--line); border-radius: 4px; padding: .75rem; margin: 0; }
.card { max-width: 28rem; margin: 2rem auto; padding: 1rem 1.5rem; border: 1px solid var(--line); border-radius: 6px; }
.pager { display: flex; gap: 1rem; align-items: center; margin: 1rem 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
fieldset.group { border: 1px solid var(--line); border-radius: 4px; margin: 1rem 0; padding: .5rem .75rem .75rem; max-width: 48rem; }
fieldset.group legend { font-weight: 600; padding: 0 .25rem; }
fieldset.picks { border: 0; margin: .5rem 0 0; padding: 0; }
fieldset.picks legend { font-weight: 600; color: var(--muted); padding: 0; }
.pick-list { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: .25rem 1rem; max-height: 18rem; overflow-y: auto; }
.pick-list label, .check label { display: inline; font-weight: 400; margin: 0; }
.hint { color: var(--muted); font-size: .9rem; margin: .25rem 0; }
a.button { display: inline-block; padding: .45rem .9rem; border: 1px solid var(--accent); border-radius: 4px; text-decoration: none; }
.links { display: flex; flex-wrap: wrap; gap: .5rem; }
.preview { border: 2px solid var(--accent); border-radius: 6px; padding: .75rem 1rem; margin: 1rem 0; max-width: 48rem; }
.preview-line { font-size: 1.1rem; font-weight: 600; }
dd.text { white-space: pre-wrap; overflow-wrap: anywhere; }
td.text { min-width: 11rem; overflow-wrap: break-word; }
table.lines { font-size: .875rem; }
table.lines th, table.lines td { padding: .35rem .3rem; }
td.num, th.num { text-align: right; }
td.num, td.nowrap { white-space: nowrap; }
tfoot th, tfoot td { border-top: 2px solid var(--fg); font-weight: 600; }
caption { text-align: left; font-weight: 600; padding: .5rem 0; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.inline-forms { display: flex; flex-wrap: wrap; gap: .5rem; margin: .5rem 0; }
.inline-forms form { margin: 0; }
section.account { border-top: 1px solid var(--line); margin-top: 1rem; }
button.danger { background: var(--warn); border-color: var(--warn); }
code.secret { font-size: 1.1rem; padding: .2rem .4rem; background: #fff; border: 1px solid var(--line); user-select: all; }
dl.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: .75rem; margin: 0 0 1.5rem; }
dl.tiles .tile { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; background: var(--soft); }
dl.tiles dt { font-weight: 600; color: var(--muted); font-size: .95rem; }
dl.tiles dd { margin: 0; }
dl.tiles .big { display: block; font-size: 1.6rem; font-weight: 700; }
dl.tiles .detail { display: block; color: var(--muted); font-size: .9rem; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); gap: 1rem; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: .75rem; min-width: 0; }
figure.chart figcaption { font-weight: 700; margin-bottom: .5rem; }
figure.chart .chart-box { position: relative; height: 16rem; }
figure.chart details { margin-top: .5rem; }
.period-line { color: var(--muted); }
.field-error { margin: .25rem 0 0; color: var(--warn); font-weight: 600; }
.field.invalid input, .field.invalid select { border: 2px solid var(--warn); }
form.edit { max-width: 40rem; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: .9rem; }
details { margin: 1rem 0; }
summary { cursor: pointer; font-weight: 600; }
@media (max-width: 40rem) { main { padding: .75rem; } dl.facts { grid-template-columns: minmax(0, 1fr); gap: 0; } dl.facts dd { margin-bottom: .5rem; } th, td { padding: .35rem; } header.top { padding: .5rem; } }
`;

const JS = `
'use strict';
// The customers' upload: a file larger than the server takes is refused before it is sent.
(function () {
  var inputs = document.querySelectorAll('input[type=file][data-max-bytes]');
  Array.prototype.forEach.call(inputs, function (input) {
    input.addEventListener('change', function () {
      var max = Number(input.getAttribute('data-max-bytes'));
      var file = input.files && input.files[0];
      input.setCustomValidity(file && file.size > max ? input.getAttribute('data-too-large') || '' : '');
      input.reportValidity();
    });
  });
})();
// The live ticket page: new messages arrive as server-sent events and are appended as text.
(function () {
  var list = document.querySelector('ol.history[data-events]');
  if (!list || typeof EventSource === 'undefined') return;
  var source = new EventSource(list.getAttribute('data-events') + '?after=' + encodeURIComponent(list.getAttribute('data-last') || '0'));
  source.addEventListener('message', function (e) {
    var m;
    try { m = JSON.parse(e.data); } catch (err) { return; }
    if (document.getElementById('m-' + m.id)) return;
    var li = document.createElement('li');
    li.id = 'm-' + m.id;
    li.className = m.kind;
    var meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = m.meta;
    li.appendChild(meta);
    li.appendChild(document.createTextNode(m.text));
    list.appendChild(li);
  });
})();

// The dashboard: each figure.chart is drawn by Chart.js from the table under it (first cell the
// label, one series per further column); the table stays the data for screen readers.
(function () {
  var figures = document.querySelectorAll('figure.chart[data-chart]');
  if (!figures.length || typeof Chart === 'undefined') return;
  var palette = ['#0b5cad', '#1a7f37', '#bf8700', '#9a3412', '#8250df', '#57606a'];
  Array.prototype.forEach.call(figures, function (figure) {
    var kind = figure.getAttribute('data-chart');
    var canvas = figure.querySelector('canvas');
    var table = figure.querySelector('table');
    if (!canvas || !table) return;
    var heads = Array.prototype.map.call(table.querySelectorAll('thead th'), function (th) { return th.textContent; });
    var rows = table.querySelectorAll('tbody tr');
    var labels = Array.prototype.map.call(rows, function (tr) { return tr.querySelector('th').textContent; });
    var datasets = heads.slice(1).map(function (name, i) {
      return {
        label: name,
        data: Array.prototype.map.call(rows, function (tr) { return Number(tr.querySelectorAll('td')[i].getAttribute('data-value')); }),
        backgroundColor: kind === 'doughnut' ? palette : palette[i % palette.length],
      };
    });
    new Chart(canvas, {
      type: kind,
      data: { labels: labels, datasets: datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: { legend: { display: kind === 'doughnut' || datasets.length > 1, position: 'bottom' } },
        scales: kind === 'bar' ? { y: { beginAtZero: true, ticks: { precision: 0 } } } : {},
      },
    });
  });
})();
`;

/** An asset: its body, type and a content hash for the URL (so it can be cached for good). */
export interface Asset {
  body: string;
  type: string;
  hash: string;
}

const asset = (body: string, type: string): Asset => ({ body, type, hash: createHash('sha256').update(body).digest('hex').slice(0, 12) });

export const ASSETS: Record<string, Asset> = {
  'console.css': asset(CSS, 'text/css; charset=utf-8'),
  'console.js': asset(JS, 'text/javascript; charset=utf-8'),
  'chart.js': asset(CHART_JS, 'text/javascript; charset=utf-8'),
  // The tab's icon (else the browser asks for /favicon.ico, which is not the console's).
  'icon.svg': asset(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b5cad"/><path d="M10 7v18h12" stroke="#fff" stroke-width="4" fill="none"/></svg>',
    'image/svg+xml',
  ),
};

/** The URL of an asset, with its hash as a query so a new version is fetched anew. */
export function assetUrl(name: keyof typeof ASSETS & string): string {
  return `/console/assets/${name}?v=${ASSETS[name]?.hash ?? ''}`;
}
