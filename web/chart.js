// chart.js -- incidents per day by type, as stacked bars over the
// slider's span (one SVG, drawn with attributes only: no inline style).
// The counts come from /api/timeline ({date, precision, type,
// incidents}); incidents dated only to a month or a year are counted
// apart (a day bar would invent their day).  Clicking a bar moves the
// slider there.

import { el, svg, dayOf, dateOf, TYPES, TYPE_COLORS } from './util.js';

export function drawChart(node, note, counts, lo, hi, onDay) {
  node.replaceChildren();
  const byDay = new Map();
  let coarse = 0, undated = 0, dated = 0, early = 0;
  for (const c of counts) {
    if (!c.date) { undated += c.incidents; continue; }
    if (c.precision !== 'day') { coarse += c.incidents; continue; }
    dated += c.incidents;
    const day = dayOf(c.date);
    if (day == null || day < lo || day > hi) { early += c.incidents; continue; }
    let row = byDay.get(day);
    if (!row) byDay.set(day, (row = {}));
    row[c.type] = (row[c.type] || 0) + c.incidents;
  }
  const W = 1000, H = 110, pad = 18;
  const span = Math.max(1, hi - lo + 1);
  const bw = Math.max(2, (W - 2 * pad) / span);
  let max = 1;
  for (const row of byDay.values()) max = Math.max(max, Object.values(row).reduce((a, b) => a + b, 0));
  const root = svg('svg', { viewBox: `0 0 ${W} ${H + 16}`, class: 'chartsvg', role: 'img',
    'aria-label': `Incidents per day by type from ${dateOf(lo)} to ${dateOf(hi)}` });
  root.append(svg('line', { x1: pad, y1: H, x2: W - pad, y2: H, stroke: '#999', 'stroke-width': 1 }));
  for (const [day, row] of [...byDay.entries()].sort((a, b) => a[0] - b[0])) {
    const x = pad + (day - lo) * (W - 2 * pad) / span;
    let y = H;
    const g = svg('g', { class: 'bar', 'data-day': dateOf(day) });
    const parts = [];
    for (const t of TYPES) {
      const n = row[t];
      if (!n) continue;
      const h = (H - 8) * n / max;
      y -= h;
      g.append(svg('rect', { x: x.toFixed(1), y: y.toFixed(1), width: bw.toFixed(1), height: h.toFixed(1), fill: TYPE_COLORS[t] }));
      parts.push(`${n} ${t}`);
    }
    g.append(svg('title', { text: `${dateOf(day)}: ${parts.join(', ')}` }));
    g.addEventListener('click', () => onDay(day));
    root.append(g);
  }
  // the span's ends as labels
  root.append(svg('text', { x: pad, y: H + 14, 'font-size': 11, fill: '#444', text: dateOf(lo) }));
  root.append(svg('text', { x: W - pad, y: H + 14, 'font-size': 11, fill: '#444', 'text-anchor': 'end', text: dateOf(hi) }));
  node.append(root);
  const keys = el('ul', { class: 'typekeys' }, TYPES.map((t) => el('li', null,
    svg('svg', { width: 10, height: 10, viewBox: '0 0 10 10', 'aria-hidden': 'true' }, svg('rect', { width: 10, height: 10, fill: TYPE_COLORS[t] })),
    ' ' + t.replace('_', ' '))));
  node.append(keys);
  note.textContent = `(${dated} dated to the day${early ? `, ${early} of them before ${dateOf(lo)}` : ''}; ${coarse} to a month or year only; ${undated} undated)`;
}
