// app.js -- the page of `sitrep serve`: reads the view from the URL
// (filters, search, day, selected place or incident), asks the API, and
// keeps the URL in step so that a view can be shared.

import { FILTERS, PLACE_FILTERS, PAGE, readView, pick, placesParams, incidentsParams, timelineParams } from './boot.js';
import { el, api, apiUrl, dayOf, dateOf, dateRange } from './util.js';
import { SituationMap, legendItem } from './map.js';
import { drawChart } from './chart.js';
import { placeList, placeView, incidentList, incidentView, searchView } from './panel.js';

const state = {
  view: {},          // from the URL
  places: [],
  incidents: [], incNext: null,
  counts: [],        // incidents per date and type (/api/timeline)
  lo: 0, hi: 0,      // the slider's span, as day numbers
  day: 0,
  map: null,
};

const $ = (id) => document.getElementById(id);

function status(msg, isError) {
  const s = $('status');
  s.textContent = msg || '';
  s.classList.toggle('error', !!isError);
}


function writeUrl(push) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(state.view)) if (v) p.set(k, v);
  const url = location.pathname + (p.toString() ? '?' + p : '');
  if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
}

function filters(keys) {
  return pick(state.view, keys);
}

function fillForm() {
  const form = $('filters');
  // the filters stay folded on a phone unless the view uses one
  $('more').open = !matchMedia('(max-width: 760px)').matches || FILTERS.some((k) => state.view[k]);
  for (const k of [...FILTERS, 'q']) {
    const e = form.elements[k];
    if (e.type === 'checkbox') e.checked = state.view[k] === '1';
    else e.value = state.view[k] || '';
  }
}

function exportLinks() {
  const f = filters(FILTERS);
  const pf = filters(PLACE_FILTERS);
  $('x-inc-csv').href = apiUrl('incidents', { ...f, format: 'csv', limit: 5000 });
  $('x-inc-geo').href = apiUrl('incidents', { ...f, format: 'geojson', limit: 5000 });
  $('x-pl-csv').href = apiUrl('places', { ...pf, format: 'csv', limit: 5000 });
  $('x-pl-geo').href = apiUrl('places', { ...pf, format: 'geojson', limit: 5000 });
}

// ---- data

// lean: without the timelines (the first drawing of the map needs only
// who holds each place now; the slider needs the timelines)
async function loadPlaces(lean) {
  const all = [];
  let cursor = null;
  do {
    const page = await api('places', placesParams(state.view, lean, cursor));
    all.push(...page.places);
    cursor = page.next;
  } while (cursor && all.length < 20000);
  return all;
}

async function loadIncidents(cursor) {
  const page = await api('incidents', incidentsParams(state.view, cursor));
  return page;
}

// The slider's span: from the earliest to the latest day any status
// interval or incident names, the latest being the store's "as of".
function span(asOf) {
  let lo = Infinity, hi = -Infinity;
  const see = (s) => { const r = dateRange(s); if (r) { lo = Math.min(lo, r[0]); hi = Math.max(hi, r[1]); } };
  for (const p of state.places) for (const iv of p.timeline || []) { see(iv.start); if (!iv.end_expected) see(iv.end); }
  for (const c of state.counts) if (c.precision === 'day') see(c.date);
  const now = dayOf(asOf);
  if (now != null) hi = Math.max(Math.min(hi, now), now);
  if (!Number.isFinite(lo)) { lo = now ?? 0; hi = now ?? 0; }
  // a long history starts at most 10 years back: the recent past is what the slider is for
  lo = Math.max(lo, hi - 3650);
  return [lo, hi];
}

// ---- drawing

function drawMap() {
  const now = state.day >= state.hi;
  const { seen, bounds } = state.map.draw(state.places, state.day, now, state.view.sel);
  const lab = dateOf(state.day) + (now ? ' (now)' : '');
  $('daylabel').textContent = lab;
  $('day').setAttribute('aria-valuetext', lab);
  const legend = $('legend');
  legend.replaceChildren(
    el('h3', { text: 'Holders on ' + dateOf(state.day) }),
    el('ul', null, [...seen.entries()].sort((a, b) => a[1].localeCompare(b[1])).map(([id, name]) =>
      legendItem(state.map.colors.get(id) || '#555', name, false))),
    el('ul', { class: 'shapes' },
      legendItem('circle', 'held or present', true), legendItem('triangle', 'withdrawal under way', true),
      legendItem('diamond', 'change expected', true), legendItem('ring', 'nobody known', true)));
  return bounds;
}

function showHome() {
  const panel = $('panel');
  panel.replaceChildren(
    el('h2', { text: `Incidents (${state.incidents.length}${state.incNext ? '+' : ''})` }),
    incidentList(state.incidents, openIncident, state.incNext ? moreIncidents : null),
    el('h2', { text: `Places (${state.places.length})` }),
    placeList(state.places, openPlace));
}

async function moreIncidents() {
  try {
    const page = await loadIncidents(state.incNext);
    state.incidents.push(...page.incidents);
    state.incNext = page.next;
    showHome();
  } catch (e) { status(e.message, true); }
}

async function openPlace(p, keepUrl) {
  state.view.sel = p.place.id;
  if (!keepUrl) writeUrl(true);
  const panel = $('panel');
  panel.replaceChildren(back(), placeView(p, null, openIncident));
  drawMap();
  try {
    const page = await api('incidents', { place: p.place.id, limit: PAGE });
    // the place filter also matches places whose names hold this one's
    const here = page.incidents.filter((i) => i.place && i.place.id === p.place.id);
    panel.replaceChildren(back(), placeView(p, here, openIncident));
  } catch (e) { status(e.message, true); }
  panel.focus();
}

async function openIncident(inc, keepUrl) {
  state.view.sel = 'incident:' + inc.incident;
  if (!keepUrl) writeUrl(true);
  const panel = $('panel');
  try {
    const full = await api('incidents/' + inc.incident);
    // the reports' documents: outlet, date and URL, from the incident's events
    const docs = new Map(full.events.map((e) => [e.doc, e]));
    panel.replaceChildren(back(), incidentView(full.incident, docs));
    panel.focus();
  } catch (e) { status(e.message, true); }
}

function back() {
  return el('button', { type: 'button', class: 'back', onclick: () => { delete state.view.sel; writeUrl(true); showHome(); drawMap(); } }, '← All incidents and places');
}

async function runSearch(q, offset) {
  try {
    const page = await api('search', { q, limit: 50, cursor: offset });
    $('panel').replaceChildren(back(), searchView(q, page.results, page.next ? () => runSearch(q, page.next) : null));
  } catch (e) { status(e.message, true); }
}

// ---- the whole view

// After the browser has painted what was drawn (a frame, then a task).
const painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

async function load() {
  state.view = readView(location.search);
  fillForm();
  exportLinks();
  status('Loading…');
  try {
    // the map is first drawn from who holds each place now; the timelines
    // (most of the bytes of a large store: 4.6 MB of JSON for 20 places
    // over 100,000 events) are asked for once that is on the screen, so
    // that reading them does not delay it
    const [stats, places, inc, counts] = await Promise.all([api('stats'), loadPlaces(true), loadIncidents(null),
      api('timeline', timelineParams(state.view))]);
    state.places = places;
    state.counts = counts.counts;
    state.incidents = inc.incidents;
    state.incNext = inc.next;
    $('asof').textContent = stats.as_of ? `as of ${stats.as_of} · ${stats.documents} reports, ${stats.incidents} incidents` : '';
    [state.lo, state.hi] = span(stats.as_of);
    const slider = $('day');
    slider.min = 0;
    slider.max = state.hi - state.lo;
    const want = dayOf(state.view.day);
    state.day = want != null ? Math.min(Math.max(want, state.lo), state.hi) : state.hi;
    slider.value = state.day - state.lo;
    state.map.assignColors(places);
    slider.disabled = true;
    const bounds = drawMap();
    if (!state.fitted) { state.map.fit(bounds); state.fitted = true; }
    drawChart($('chart'), $('chartnote'), counts.counts, state.lo, state.hi, setDay);
    showHome();
    document.body.dataset.drawn = '1';
    await state.basemap.catch(() => {});
    await painted();
    // for bench/web-load.mjs: the first frame with the map drawn is out
    if (!performance.getEntriesByName('sitrep:drawn').length) performance.mark('sitrep:drawn');
    state.map.finer();
    // then the timelines: the slider's span and the day of the view.  On
    // a server that has not answered them yet they are the slowest
    // question (every report's URL): past its time limit (503) it is asked
    // once more, the store's pages then read
    try {
      state.places = await loadPlaces(false);
    } catch (e) {
      if (e.status !== 503) throw e;
      status('The timelines are slow to come; asking again…');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      state.places = await loadPlaces(false);
    }
    state.map.assignColors(state.places);
    const [lo, hi] = [state.lo, state.hi];
    [state.lo, state.hi] = span(stats.as_of);
    slider.max = state.hi - state.lo;
    state.day = want != null ? Math.min(Math.max(want, state.lo), state.hi) : state.hi;
    slider.value = state.day - state.lo;
    slider.disabled = false;
    drawMap();
    if (lo !== state.lo || hi !== state.hi) drawChart($('chart'), $('chartnote'), counts.counts, state.lo, state.hi, setDay);
    showHome();
    status('');
    const sel = state.view.sel;
    if (sel && sel.startsWith('incident:')) {
      const id = sel.slice(9);
      const hit = state.incidents.find((i) => String(i.incident) === id) || { incident: id };
      await openIncident(hit, true);
    } else if (sel) {
      const p = state.places.find((x) => x.place.id === sel);
      if (p) await openPlace(p, true);
    }
    if (state.view.q) await runSearch(state.view.q);
    if (!performance.getEntriesByName('sitrep:ready').length) performance.mark('sitrep:ready');
    document.body.dataset.ready = '1';
  } catch (e) {
    status('Could not load the situation: ' + e.message, true);
    document.body.dataset.ready = 'error';
  }
}

function setDay(day) {
  state.day = day;
  $('day').value = day - state.lo;
  state.view.day = day >= state.hi ? '' : dateOf(day);
  writeUrl(false);
  drawMap();
}

function init() {
  state.map = new SituationMap($('map'), (p) => openPlace(p));
  state.basemap = state.map.basemap();
  state.basemap.catch((e) => status(e.message, true));
  $('day').addEventListener('input', (e) => setDay(state.lo + Number(e.target.value)));
  $('osm').addEventListener('change', (e) => state.map.setOsm(e.target.checked));
  $('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    const form = e.target;
    for (const k of [...FILTERS, 'q']) {
      const e = form.elements[k];
      state.view[k] = e.type === 'checkbox' ? (e.checked ? '1' : '') : e.value.trim();
    }
    delete state.view.sel;
    writeUrl(true);
    load();
  });
  $('clear').addEventListener('click', () => {
    history.pushState(null, '', location.pathname);
    load();
  });
  window.addEventListener('popstate', load);
  load();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
