// map.js -- the map: an offline basemap drawn from the Natural Earth
// country outlines (world-atlas, served from vendor/), an optional
// OpenStreetMap tile layer, and one marker per place, coloured by who
// held it on the slider's day and shaped by what was under way:
//   circle    held or present
//   triangle  a withdrawal under way
//   diamond   a change expected (to pass to, to be left by, to host)
//   ring      nobody known (left)
// Markers are reachable with Tab and open the place on Enter.

/* global L, topojson */
import { el, svg } from './util.js';
import { BASEMAP, early } from './boot.js';
import { statusOn } from './status.js';

const PALETTE = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf',
  '#e377c2', '#8c564b', '#bcbd22', '#393b79', '#637939', '#843c39'];

export class SituationMap {
  constructor(node, onPlace) {
    this.onPlace = onPlace;
    this.map = L.map(node, { worldCopyJump: true, minZoom: 2, maxZoom: 12, keyboard: true })
      .setView([33.5, 40], 5);
    this.map.attributionControl.setPrefix(false);
    this.map.attributionControl.addAttribution('Outlines: Natural Earth (public domain)');
    this.markers = L.layerGroup().addTo(this.map);
    this.colors = new Map();
    this.osm = null;
  }

  // The outlines at 1:110m first (boot.js asked for them as the page
  // came), drawn as soon as Leaflet is there; finer() draws 1:50m once the
  // map is on the screen (756 KB to read: it must not delay the first
  // drawing).
  async basemap() {
    await this.outline(BASEMAP, '110m');
  }

  finer() {
    if (this.finerAsked) return;
    this.finerAsked = true;
    const later = window.requestIdleCallback || ((f) => setTimeout(f, 200));
    later(() => this.outline('vendor/world-atlas/countries-50m.json', '50m').catch(() => {}));
  }

  async outline(url, scale) {
    const r = await (early(url) || fetch(url));
    if (!r.ok) throw new Error('the basemap (vendor/world-atlas) is missing: run make');
    const topo = await r.json();
    const land = topojson.feature(topo, topo.objects.countries);
    // on a canvas: hundreds of outlines draw far faster than in SVG
    const layer = L.geoJSON(land, {
      interactive: false,
      renderer: this.canvas || (this.canvas = L.canvas({ padding: 0.5 })),
      style: { color: '#8a8f98', weight: 0.7, fillColor: '#eef0ea', fillOpacity: 1 },
    });
    if (this.outlines) this.map.removeLayer(this.outlines);
    this.outlines = layer.addTo(this.map);
    this.map.getContainer().dataset.basemap = scale + ':' + land.features.length;
  }

  setOsm(on) {
    if (on && !this.osm) {
      this.osm = L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png', {
        maxZoom: 19, attribution: '© OpenStreetMap contributors',
      }).addTo(this.map);
    } else if (!on && this.osm) {
      this.map.removeLayer(this.osm);
      this.osm = null;
    }
  }

  // Colours are given to actors (by name) in a fixed order, so a holder
  // keeps its colour whatever the day or the filter.
  assignColors(places) {
    const names = new Set();
    for (const p of places) {
      if (p.holder) names.add(p.holder);
      for (const iv of p.timeline || []) if (iv.actor) names.add(iv.actor);
    }
    [...names].sort().forEach((n) => { if (!this.colors.has(n)) this.colors.set(n, PALETTE[this.colors.size % PALETTE.length]); });
  }

  color(iv) {
    return iv ? this.colors.get(iv.actor) || '#555' : '#fff';
  }

  // Draws the places as they stood on day d (now: d is the latest day);
  // returns the holders seen, for the legend.
  draw(places, d, now, selected) {
    this.markers.clearLayers();
    const seen = new Map();
    const bounds = [];
    for (const p of places) {
      const pl = p.place;
      if (pl.lat == null || pl.lon == null) continue;
      const s = statusOn(p, d, now);
      const top = s.holders[0] || null;
      const shape = s.underway ? 'triangle' : s.expected ? 'diamond' : top ? 'circle' : 'ring';
      const fill = this.color(top);
      for (const h of s.holders) seen.set(h.actor, h.actor);
      const label = describe(pl.name, s);
      const icon = L.divIcon({
        className: 'mk' + (selected === pl.id ? ' mk-sel' : ''),
        html: markerSvg(shape, fill),
        iconSize: [22, 22], iconAnchor: [11, 11],
      });
      const m = L.marker([pl.lat, pl.lon], { icon, keyboard: true, title: label, riseOnHover: true });
      m.on('add', () => {
        const e = m.getElement();
        if (!e) return;
        e.setAttribute('role', 'button');
        e.setAttribute('aria-label', label);
        e.dataset.placeId = pl.id;
        e.dataset.holder = top ? top.actor : '';
        e.dataset.shape = shape;
      });
      m.on('click', () => this.onPlace(p));
      m.on('keypress', (ev) => { if (ev.originalEvent.key === 'Enter') this.onPlace(p); });
      m.addTo(this.markers);
      bounds.push([pl.lat, pl.lon]);
    }
    return { seen, bounds };
  }

  // Frames the places, leaving out the farthest tenth on each side when
  // there are many (a few far-away places should not zoom the map out to
  // the whole world); the others are a drag away.
  fit(bounds) {
    if (!bounds.length) return;
    let box = bounds;
    if (bounds.length >= 10) {
      const lats = bounds.map((b) => b[0]).sort((a, b) => a - b);
      const lons = bounds.map((b) => b[1]).sort((a, b) => a - b);
      const k = Math.floor(bounds.length / 10);
      box = [[lats[k], lons[k]], [lats[lats.length - 1 - k], lons[lons.length - 1 - k]]];
    }
    this.map.fitBounds(box, { padding: [30, 30], maxZoom: 7, animate: false });
  }
}

// The words a marker says (its title and its label for screen readers).
export function describe(name, s) {
  let t = name + ': ';
  if (s.holders.length) {
    t += s.holders.map((h) => h.actor + (h.role === 'held' ? '' : ' (' + h.role + ')') +
      (h.start ? ' since ' + h.start : '')).join(' + ');
  } else if (s.left) {
    t += 'nobody known; left' + (s.left.end ? ' ' + s.left.end : '') + ' by ' + s.left.actor;
  } else {
    t += 'nobody known';
  }
  if (s.underway) t += '; withdrawal under way' + (s.underway.end ? ', to end ~' + s.underway.end : '');
  if (s.expected) t += '; expected: ' + s.expected.role.replace('expected_', '') + ' ' + (s.expected.actor || '');
  return t;
}

function markerSvg(shape, fill) {
  const dark = '#222';
  let body;
  if (shape === 'triangle') body = svg('path', { d: 'M2 4 L20 4 L11 20 Z', fill, stroke: dark, 'stroke-width': 1.5 });
  else if (shape === 'diamond') body = svg('path', { d: 'M11 1 L21 11 L11 21 L1 11 Z', fill, stroke: dark, 'stroke-width': 1.5, 'stroke-dasharray': '3 2' });
  else if (shape === 'ring') body = svg('circle', { cx: 11, cy: 11, r: 7, fill: '#fff', stroke: '#666', 'stroke-width': 2.5 });
  else body = svg('circle', { cx: 11, cy: 11, r: 8, fill, stroke: dark, 'stroke-width': 1.5 });
  return svg('svg', { width: 22, height: 22, viewBox: '0 0 22 22', 'aria-hidden': 'true', focusable: 'false' }, body);
}

export function legendItem(shapeOrColor, text, isShape) {
  const icon = isShape ? markerSvg(shapeOrColor, '#bbb')
    : svg('svg', { width: 14, height: 14, viewBox: '0 0 14 14', 'aria-hidden': 'true' },
      svg('circle', { cx: 7, cy: 7, r: 6, fill: shapeOrColor, stroke: '#222' }));
  return el('li', null, icon, ' ', text);
}
