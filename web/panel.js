// panel.js -- the side panel: the lists of places and incidents in view,
// a place's timeline, an incident's reports, sources, evidence (the
// sentence, with the figures or words in question highlighted, and a
// link to the report) and its disagreements side by side, and search
// results.  Every string from a report is set as text, never parsed as
// HTML.

import { el, count } from './util.js';

const TYPE_WORDS = {
  withdraw: 'withdrawal', take_control: 'take-over', deploy: 'deployment',
  attack: 'attack', transfer_detainees: 'detainee transfer', agreement: 'agreement',
};

function dateText(d) {
  if (!d || !d.value) return 'undated';
  return d.value + (d.precision && d.precision !== 'day' ? ' (' + d.precision + ')' : '');
}

function who(e) {
  return e ? e.name || e.text || e.id : null;
}

export function incidentTitle(inc) {
  const parts = [TYPE_WORDS[inc.type] || inc.type];
  if (inc.place) parts.push('at ' + who(inc.place));
  if (inc.actor) parts.push('by ' + who(inc.actor));
  if (inc.other) parts.push('(' + (inc.type === 'take_control' ? 'from ' : inc.type === 'attack' ? 'on ' : 'to ') + who(inc.other) + ')');
  return parts.join(' ');
}

// A list of incidents as buttons.
export function incidentList(incidents, onIncident, more) {
  const ul = el('ul', { class: 'list incidents' });
  for (const inc of incidents) {
    const dis = inc.disagreements && inc.disagreements.length;
    ul.append(el('li', null, el('button', {
      type: 'button', class: 'item', 'data-incident': inc.incident,
      onclick: () => onIncident(inc),
    }, el('span', { class: 'date', text: dateText(inc.date) }), ' ',
    el('span', { class: 'tag t-' + inc.type, text: inc.type.replace('_', ' ') }), ' ',
    incidentTitle(inc),
    dis ? el('span', { class: 'dis', title: 'the reports disagree', text: ' ! sources disagree' }) : null,
    el('span', { class: 'meta', text: ` ${inc.nreports} report${inc.nreports === 1 ? '' : 's'}, ${inc.nsources} source${inc.nsources === 1 ? '' : 's'}` }))));
  }
  if (more) ul.append(el('li', null, el('button', { type: 'button', class: 'more', onclick: more }, 'More incidents…')));
  return ul;
}

export function placeList(places, onPlace) {
  const ul = el('ul', { class: 'list places' });
  for (const p of places) {
    ul.append(el('li', null, el('button', { type: 'button', class: 'item', 'data-place': p.place.id, onclick: () => onPlace(p) },
      el('strong', { text: p.place.name }), ' ',
      el('span', { class: 'meta', text: (p.place.country || '') + ' · ' + (p.holder ? p.holder + (p.since ? ' since ' + p.since : '') : 'nobody known') + (p.status ? ' · ' + p.status : '') }))));
  }
  return ul;
}

// A place: its current status and its whole timeline.
export function placeView(p, incidents, onIncident) {
  const pl = p.place;
  const rows = (p.timeline || []).map((iv) => el('tr', { class: iv.current ? 'current' : null },
    el('td', { text: iv.actor || '?' }),
    el('td', { text: iv.role.replace('_', ' ') }),
    el('td', { text: iv.start || '?' }),
    el('td', { text: (iv.end || (iv.current ? 'now' : '?')) + (iv.end_expected ? ' (expected)' : '') }),
    el('td', { text: (iv.sources || []).join(', ') }),
    el('td', { text: iv.note || '' })));
  return el('section', { class: 'place', 'data-place': pl.id },
    el('h2', { text: pl.name }),
    el('p', { class: 'meta', text: [pl.kind, pl.country, pl.lat != null ? pl.lat.toFixed(3) + ', ' + pl.lon.toFixed(3) : null, pl.id].filter(Boolean).join(' · ') }),
    el('p', null, p.holder ? ['Held by ', el('strong', { text: p.holder }), p.since ? ' since ' + p.since : ''] : 'Nobody known to hold it now.', p.status ? el('span', { class: 'status-note', text: ' · ' + p.status }) : null),
    el('h3', { text: 'Timeline' }),
    el('table', { class: 'timeline' },
      el('thead', null, el('tr', null, ['actor', 'role', 'from', 'to', 'sources', 'note'].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', null, rows)),
    el('h3', { text: 'Incidents here' }),
    incidents ? incidentList(incidents, onIncident) : el('p', { text: 'Loading…' }));
}

// The evidence sentence with the given words marked.
function highlighted(text, words) {
  const q = el('blockquote', { class: 'evidence' });
  const marks = words.filter((w) => w && w.length > 1 && text.includes(w));
  let i = 0;
  while (i < text.length) {
    let best = -1, bw = '';
    for (const w of marks) {
      const k = text.indexOf(w, i);
      if (k >= 0 && (best < 0 || k < best || (k === best && w.length > bw.length))) { best = k; bw = w; }
    }
    if (best < 0) { q.append(text.slice(i)); break; }
    q.append(text.slice(i, best), el('mark', { text: bw }));
    i = best + bw.length;
  }
  return q;
}

// The ways a count may be written in a report: 5700, 5,700, "about 7,000" -> 7,000
function figureWords(value) {
  const v = String(value).replace(/^(about|around|some|nearly|over|more than|at least)\s+/i, '');
  const n = Number(v.replace(/,/g, ''));
  return Number.isFinite(n) ? [v, String(n), count(n)] : [v];
}

// An incident: disagreements side by side, then every report with its
// evidence and sources.
export function incidentView(inc, docs) {
  const byEvent = new Map((inc.reports || []).map((r) => [r.event_id, r]));
  const sec = el('section', { class: 'incident', 'data-incident': inc.incident },
    el('h2', { text: incidentTitle(inc) }),
    el('p', { class: 'meta', text: [dateText(inc.date), inc.modality, `${inc.nreports} reports`, `${inc.nsources} independent sources`, `#${inc.incident}`].join(' · ') }));
  const dis = inc.disagreements || [];
  const words = [];
  if (dis.length) {
    sec.append(el('h3', { text: 'The sources disagree' }));
    const fields = [...new Set(dis.map((g) => g.field))];
    for (const f of fields) {
      const vals = dis.filter((g) => g.field === f);
      sec.append(el('p', { class: 'field', text: f.replace('count:', 'number of ') }));
      sec.append(el('div', { class: 'sidebyside', role: 'list' }, vals.map((g) => {
        for (const w of figureWords(g.value)) words.push(w);
        return el('div', { class: 'claim', role: 'listitem' },
          el('div', { class: 'value', text: g.value }),
          el('div', { class: 'by' }, 'according to ', el('ul', null, (g.sources || []).map((s) => el('li', { text: s })))),
          el('div', { class: 'docs' }, 'in ', (g.docs || []).map((d, i) => [i ? ', ' : '', docLink(d, docs)])),
          (g.events || []).map((id) => byEvent.get(id)).filter(Boolean).map((r) => highlighted(r.evidence || '', figureWords(g.value))));
      })));
    }
  }
  for (const q of inc.quantities || []) for (const w of figureWords(q.value)) words.push(w);
  sec.append(el('h3', { text: 'Sources' }), el('ul', { class: 'sources' }, (inc.sources || []).map((s) => el('li', { text: s }))));
  sec.append(el('h3', { text: 'Reports' }));
  for (const r of inc.reports || []) {
    sec.append(el('article', { class: 'report' },
      el('p', { class: 'meta' }, docLink(r.doc, docs), ' · ', r.modality, r.date ? ' · ' + r.date : '', r.actor ? ' · ' + r.actor : '',
        r.sources && r.sources.length ? ' · according to ' + r.sources.map((s) => s.name || s).join(', ') : ''),
      highlighted(r.evidence || '', [...words, r.place, r.actor].filter(Boolean))));
  }
  return sec;
}

// A document's name, linked to its URL when the report has one (http(s)
// only: a javascript: URL from a report is never a link).
function docLink(doc, docs) {
  const d = docs && docs.get ? docs.get(doc) : null;
  const url = d && d.url;
  const label = (d && d.outlet ? d.outlet + ', ' : '') + doc + (d && d.published ? ' (' + d.published + ')' : '');
  if (url && /^https?:\/\//i.test(url)) return el('a', { href: url, rel: 'noopener noreferrer nofollow', target: '_blank', text: label });
  return el('span', { class: 'doc', text: label });
}

export function searchView(q, results, onMore) {
  return el('section', { class: 'search' },
    el('h2', { text: `Sentences matching “${q}”` }),
    results.length ? el('ol', { class: 'results' }, results.map((r) => el('li', null,
      el('p', { class: 'meta', text: `${r.doc} #${r.sentence}${r.published ? ' · ' + r.published : ''}` }),
      el('blockquote', { class: 'evidence', text: r.text })))) : el('p', { text: 'No sentence matches.' }),
    onMore ? el('button', { type: 'button', class: 'more', onclick: onMore }, 'More…') : null);
}
