// chart.js -- incidents per day by type, as stacked bars over the
// slider's span (one SVG, drawn with attributes only: no inline style).
// The counts come from /api/timeline ({date, precision, type,
// incidents}); incidents dated only to a month or a year are counted
// apart (a day bar would invent their day).  The bars of a type are one
// path (a few elements whatever the span: a thousand days of bars as
// elements of their own took longer to lay out than the map to draw); a
// transparent layer over them names the day under the pointer and its
// counts, and a click there moves the slider to that day.

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
  const parts = Object.fromEntries(TYPES.map((t) => [t, []]));
  for (const [day, row] of byDay) {
    const x = (pad + (day - lo) * (W - 2 * pad) / span).toFixed(1);
    let y = H;
    for (const t of TYPES) {
      const n = row[t];
      if (!n) continue;
      const h = (H - 8) * n / max;
      y -= h;
      parts[t].push(`M${x} ${y.toFixed(1)}h${bw.toFixed(1)}v${h.toFixed(1)}h-${bw.toFixed(1)}z`);
    }
  }
  for (const t of TYPES) if (parts[t].length) root.append(svg('path', { d: parts[t].join(''), fill: TYPE_COLORS[t], class: 't-' + t }));
  const hit = svg('rect', { x: pad, y: 0, width: W - 2 * pad, height: H, fill: 'none', 'pointer-events': 'all', class: 'bar' });
  const tip = svg('title', { text: 'Click a day to see who held what then' });
  hit.append(tip);
  const dayAt = (ev) => {
    const r = hit.getBoundingClientRect();
    const k = Math.floor((ev.clientX - r.left) / Math.max(1, r.width) * span);
    return lo + Math.min(span - 1, Math.max(0, k));
  };
  hit.addEventListener('mousemove', (ev) => {
    const day = dayAt(ev);
    const row = byDay.get(day);
    const said = row ? TYPES.filter((t) => row[t]).map((t) => `${row[t]} ${t}`).join(', ') : 'no incident';
    hit.dataset.day = dateOf(day);
    tip.textContent = `${dateOf(day)}: ${said}`;
  });
  hit.addEventListener('click', (ev) => onDay(dayAt(ev)));
  root.append(hit);
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
