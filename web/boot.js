// boot.js -- the page's first requests, sent as soon as the page is read.
// An async module with no imports: it runs before Leaflet and the page's
// other modules have loaded, so the API's answers and the basemap come
// over the network while the scripts are parsed.  It also holds what
// both need to build the same URLs: the view read from the address bar
// and the parameters of each request the page makes.  app.js imports
// this same module (one instance) and takes the answers with early(url),
// each once; a view changed later asks the API again.

export const FILTERS = ['country', 'actor', 'place', 'type', 'modality', 'source', 'since', 'until', 'disagreements'];
// the filters the places endpoint takes (the rest apply to incidents)
export const PLACE_FILTERS = ['country', 'actor', 'place', 'since'];
export const PAGE = 200;
// the outlines drawn first (1:110m: 39 KB compressed); 1:50m follows
// once the map is drawn
export const BASEMAP = 'vendor/world-atlas/countries-110m.json';

// The view in the address bar: filters, search, day, selection.
export function readView(search) {
  const p = new URLSearchParams(search);
  const v = {};
  for (const k of [...FILTERS, 'q', 'day', 'sel']) if (p.get(k)) v[k] = p.get(k);
  return v;
}

export function pick(view, keys) {
  const f = {};
  for (const k of keys) if (view[k]) f[k] = view[k];
  return f;
}

export function apiUrl(path, params) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== '' && v != null) qs.set(k, v);
  return '/api/' + path + (qs.toString() ? '?' + qs : '');
}

// The parameters of the page's requests (one place, so that the early
// requests are the very URLs app.js asks for).
// lean: the places without their timelines (what the first drawing needs)
export const placesParams = (view, lean, cursor) =>
  ({ ...pick(view, PLACE_FILTERS), limit: 5000, cursor, timeline: lean ? 0 : null });
export const incidentsParams = (view, cursor) => ({ ...pick(view, FILTERS), limit: PAGE, cursor });
export const timelineParams = (view) => pick(view, FILTERS);

const pending = new Map();

function send(url, init) {
  const p = fetch(url, init);
  p.catch(() => {});   // a failure is reported by whoever takes it
  pending.set(url, p);
}

// The Response of an early request for url (once), or null.
export function early(url) {
  const p = pending.get(url);
  pending.delete(url);
  return p || null;
}

const view = readView(location.search);
const json = { headers: { Accept: 'application/json' } };
send(BASEMAP);
send(apiUrl('stats'), json);
send(apiUrl('places', placesParams(view, true, null)), json);
send(apiUrl('incidents', incidentsParams(view, null)), json);
send(apiUrl('timeline', timelineParams(view)), json);
