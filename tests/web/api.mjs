// api.mjs -- the JSON API of `sitrep serve` with a real HTTP client
// (Node's fetch, and raw sockets for what fetch refuses to send), over a
// store built by tests/web/run.  Every endpoint, every filter (each
// checked against the CLI's own output for the same filter: one code
// path), bad parameters, paging stability, ETag/304, new ingests seen
// without a restart, the log, the headers, the page's files.
//
//   node tests/web/api.mjs SITREP STORE EXTRA_REPORT

import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { start, harness } from './serve.mjs';

const [bin, db, extra] = process.argv.slice(2);
const t = harness('api');
const srv = await start(bin, db);
const base = srv.url.replace(/\/$/, '');

async function get(path, headers = {}) {
  const r = await fetch(base + path, { headers });
  const body = await r.text();
  return { status: r.status, headers: r.headers, body, json: () => JSON.parse(body) };
}

// a raw request (fetch normalizes URLs and refuses some bytes)
function raw(text, timeoutMs = 5000) {
  return new Promise((resolve) => {
    const { port } = new URL(srv.url);
    const s = net.connect(Number(port), '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => { s.destroy(); resolve({ data, timedOut: true }); }, timeoutMs);
    s.on('connect', () => s.write(text));
    s.on('data', (d) => { data += d; });
    s.on('close', () => { clearTimeout(timer); resolve({ data, status: Number((/^HTTP\/1\.\d (\d+)/.exec(data) || [])[1]) }); });
    s.on('error', () => {});
  });
}

function cli(args) {
  return execFileSync(bin, [...args, '--db', db], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

try {
  // ---- every endpoint answers, with its type and its security headers
  const endpoints = [
    ['/api/stats', 'application/json'], ['/api/places', 'application/json'],
    ['/api/places/site:al-tanf', 'application/json'], ['/api/incidents', 'application/json'],
    ['/api/events', 'application/json'], ['/api/search?q=Tanf', 'application/json'],
    ['/api/report', 'application/json'], ['/api/report?format=text', 'text/plain'],
    ['/api/timeline', 'application/json'], ['/', 'text/html'], ['/app.js', 'text/javascript'],
    ['/vendor/leaflet/leaflet.js', 'text/javascript'], ['/vendor/world-atlas/countries-50m.json', 'application/json'],
  ];
  for (const [p, type] of endpoints) {
    const r = await get(p);
    t.eq(r.status, 200, `GET ${p}`);
    t.ok((r.headers.get('content-type') || '').startsWith(type), `GET ${p} is ${type}`, r.headers.get('content-type'));
    const csp = r.headers.get('content-security-policy') || '';
    t.ok(csp.includes("script-src 'self'") && !csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'),
      `GET ${p} has a CSP with no inline script`, csp);
    t.eq(r.headers.get('x-content-type-options'), 'nosniff', `GET ${p} nosniff`);
    t.ok(r.headers.get('etag'), `GET ${p} has an ETag`);
    t.ok(r.headers.get('cache-control'), `GET ${p} has Cache-Control`);
    if (type === 'application/json') t.ok((() => { try { r.json(); return true; } catch { return false; } })(), `GET ${p} is valid JSON`);
  }
  t.eq((await get('/vendor/leaflet/leaflet.js')).headers.get('cache-control'), 'public, max-age=86400', 'vendor files are cached a day');
  t.eq((await get('/api/stats')).headers.get('cache-control'), 'no-cache', 'API answers are revalidated');

  const stats = (await get('/api/stats')).json();
  t.ok(stats.documents >= 36 && stats.events > 150 && stats.incidents > 100, 'stats counts the store', JSON.stringify(stats));

  // ---- the situation the page shows
  const tanf = (await get('/api/places/site:al-tanf')).json();
  t.eq(tanf.holder, 'Syrian Arab Army', 'al-Tanf: held by the Syrian Arab Army');
  t.eq(tanf.since, '2026-02-12', 'al-Tanf: since 2026-02-12');
  t.ok(tanf.timeline.some((iv) => iv.actor_id === 'US.MIL' && iv.end && iv.end.startsWith('2026-02')), 'al-Tanf: US forces until 2026-02', JSON.stringify(tanf.timeline));
  const dis = (await get('/api/incidents?type=transfer_detainees&disagreements=1')).json();
  const detainees = dis.incidents.find((i) => i.disagreements.some((d) => d.value === '5,700'));
  t.ok(detainees && detainees.disagreements.some((d) => d.value === 'about 7,000'), 'the detainee transfer: 5,700 and about 7,000');
  t.ok(dis.incidents.every((i) => i.disagreements.length > 0), 'disagreements=1 lists only incidents whose sources disagree');
  const one = (await get('/api/incidents/' + detainees.incident)).json();
  t.eq(one.incident.incident, detainees.incident, 'incidents/{id} gives that incident');
  t.ok(one.events.length === detainees.nreports && one.events.every((e) => e.incident === detainees.incident && e.evidence),
    'incidents/{id} gives its events with their evidence', JSON.stringify(one.events.map((e) => e.incident)));

  // ---- every filter: the API gives what the CLI gives, byte for byte
  const filters = [
    ['type', 'withdraw'], ['actor', 'US.MIL'], ['actor', 'Syrian'], ['place', 'site:al-tanf'], ['place', 'Tanf'],
    ['country', 'SY'], ['country', 'iq'], ['since', '2026-02'], ['until', '2019'], ['modality', 'expected'],
    ['source', 'Reuters'],
  ];
  for (const what of ['events', 'incidents']) {
    for (const [k, v] of filters) {
      const r = await get(`/api/${what}?${k}=${encodeURIComponent(v)}&format=jsonl&limit=5000`);
      const want = cli([what, `--${k}`, v, '--format', 'jsonl']);
      t.eq(r.status, 200, `${what} ${k}=${v}`);
      t.ok(r.body === want, `${what} ${k}=${v}: as the CLI writes it`, `api ${r.body.length} bytes, cli ${want.length} bytes`);
      t.ok(want.length > 0, `${what} ${k}=${v} finds something`);
    }
    const csv = await get(`/api/${what}?country=SY&format=csv&limit=5000`);
    t.ok(csv.body === cli([what, '--country', 'SY', '--format', 'csv']), `${what} CSV as the CLI writes it`);
    const geo = await get(`/api/${what}?country=SY&limit=5000`, { Accept: 'application/geo+json' });
    t.ok(geo.headers.get('content-type') === 'application/geo+json' && geo.body === cli([what, '--country', 'SY', '--format', 'geojson']),
      `${what} GeoJSON by Accept, as the CLI writes it`);
    t.eq(JSON.parse(geo.body).type, 'FeatureCollection', `${what} GeoJSON parses`);
    const bycsv = await get(`/api/${what}?limit=3`, { Accept: 'text/csv' });
    t.ok(bycsv.headers.get('content-type').startsWith('text/csv') && bycsv.body.startsWith('event_id_cnty'), `${what} CSV by Accept`);
  }
  for (const [k, v] of [['country', 'SY'], ['place', 'Tanf'], ['actor', 'US.MIL'], ['since', '2026']]) {
    const r = await get(`/api/places?${k}=${v}&format=jsonl&limit=5000`);
    t.ok(r.body === cli(['places', `--${k}`, v, '--format', 'jsonl']) && r.body.length > 0, `places ${k}=${v}: as the CLI writes it`);
  }
  const lean = (await get('/api/places?country=SY&timeline=0&limit=5000')).json();
  const fat = (await get('/api/places?country=SY&limit=5000')).json();
  t.ok(lean.places.length === fat.places.length && lean.places.every((p, i) => !('timeline' in p) &&
    p.place.id === fat.places[i].place.id && p.holder === fat.places[i].holder && p.status === fat.places[i].status),
    'places?timeline=0: the same places, holders and statuses without their timelines');
  const combined = (await get('/api/incidents?type=take_control&country=SY&since=2026-01&modality=asserted&limit=500')).json();
  t.ok(combined.incidents.length > 0 && combined.incidents.every((i) => i.type === 'take_control' && i.place && i.place.country === 'SY'),
    'filters combine (AND)', JSON.stringify(combined.incidents.map((i) => [i.type, i.place && i.place.country])));
  t.eq((await get('/api/search?q=' + 'a'.repeat(500))).status, 200, 'a 500-byte search is answered');
  const s = (await get('/api/search?q=Tanf&limit=500')).json();
  t.ok(s.results.length > 3 && s.results.every((x) => /tanf/i.test(x.text)), 'search finds its words');
  const text = await get('/api/report?format=text');
  t.ok(text.body === cli(['report']), 'report?format=text is `sitrep report`');
  const rep = (await get('/api/report')).json();
  t.ok(rep.counts.documents === stats.documents && rep.places.length > 0 && rep.places.every((p) => p.place && !('timeline' in p)) &&
    rep.disagreements.length > 0 && rep.disagreements.every((i) => i.disagreements.length > 0) &&
    rep.under_way.length > 0 && rep.under_way.every((p) => p.status),
    'report as JSON: counts, places with their status, under way, disagreements');
  const tanfRep = rep.places.find((p) => p.place.id === 'site:al-tanf');
  t.ok(tanfRep && tanfRep.holder === 'Syrian Arab Army' && tanfRep.since === '2026-02-12', 'report as JSON: al-Tanf');
  const tl = (await get('/api/timeline?country=SY')).json();
  const tlsum = tl.counts.reduce((a, c) => a + c.incidents, 0);
  const sy = (await get('/api/incidents?country=SY&limit=5000')).json();
  t.eq(tlsum, sy.incidents.length, 'timeline counts the filtered incidents');
  const tlTanf = (await get('/api/timeline?place=Tanf&actor=US.MIL')).json();
  const incTanf = (await get('/api/incidents?place=Tanf&actor=US.MIL&limit=5000')).json();
  t.eq(tlTanf.counts.reduce((a, c) => a + c.incidents, 0), incTanf.incidents.length, 'timeline with names in place and actor');

  // ---- bad parameters: 400 with a message that names what was wrong
  const bad = [
    ['/api/events?type=bogus', 400, 'bogus'], ['/api/events?modality=sure', 400, 'sure'],
    ['/api/events?since=2026-13-40', 400, '2026-13-40'], ['/api/events?until=yesterday', 400, 'yesterday'],
    ['/api/events?country=Syria', 400, 'Syria'], ['/api/events?limit=0', 400, 'limit'],
    ['/api/events?limit=abc', 400, 'limit'], ['/api/events?limit=99999999', 400, 'limit'],
    ['/api/events?limit=5001', 400, 'limit'], ['/api/search?q=a&limit=5001', 400, 'limit'],
    ['/api/events?cursor=zzz', 400, 'cursor'], ['/api/events?format=xml', 400, 'xml'],
    ['/api/events?colour=red', 400, 'colour'], ['/api/events?type=attack&type=deploy', 400, 'twice'],
    ['/api/places?type=attack', 400, 'type'], ['/api/places?timeline=no', 400, 'timeline'],
    ['/api/places?timeline=0&format=csv', 400, 'timeline=0'], ['/api/events?timeline=0', 400, 'timeline'], ['/api/incidents?disagreements=yes', 400, 'disagreements'],
    ['/api/search', 400, 'q'], ['/api/search?q=%22unclosed', 400, 'search'], ['/api/search?q=a&cursor=o-1', 400, 'cursor'],
    ['/api/stats?x=1', 400, "'x'"], ['/api/incidents/abc', 400, 'number'], ['/api/incidents/99999999', 404, '99999999'],
    ['/api/places/nowhere:none', 404, 'nowhere:none'], ['/api/places/a%20b', 400, 'place id'],
    ['/api/nothing', 404, 'nothing'], ['/api/report?format=csv', 400, 'csv'], ['/nothing.html', 404, 'no such page'],
    ['/api/events?q=%FF%FE', 400, 'UTF-8'], ['/api/events?type=%00', 400, 'NUL'],
    ['/api/events?' + Array.from({ length: 17 }, (_, i) => `p${i}=1`).join('&'), 400, 'parameters'],
    ['/api/events?' + Array.from({ length: 16 }, (_, i) => `p${i}=1`).join('&'), 400, "unknown parameter 'p0'"],
    ['/api/search?q=' + 'a'.repeat(1500), 414, 'longer'], ['/api/search?q=' + 'a'.repeat(501), 400, '500 bytes'],
  ];
  for (const [p, status, word] of bad) {
    const r = await get(p);
    let msg = '';
    try { const j = r.json(); msg = j.error.message; t.eq(j.error.status, status, `${p.slice(0, 60)}: status in the JSON`); } catch { msg = '(not JSON) ' + r.body.slice(0, 80); }
    t.eq(r.status, status, `${p.slice(0, 60)} -> ${status}`);
    t.ok(msg.includes(word), `${p.slice(0, 60)}: the message says '${word}'`, msg);
  }
  const longurl = await raw(`GET /api/events?type=${'x'.repeat(5000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  t.ok(longurl.status === 414, 'a 5,000-byte URL -> 414', longurl.data.slice(0, 80));
  const post = await raw('POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello');
  t.ok(post.status === 405 && /Allow: GET, HEAD/i.test(post.data), 'POST -> 405 with Allow', post.data.slice(0, 200));
  const trav = await raw('GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  t.ok(trav.status === 404 && !trav.data.includes('root:'), '/../../etc/passwd -> 404', trav.data.slice(0, 80));
  const trav2 = await raw('GET /vendor/%2e%2e/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  t.ok(trav2.status === 404 && !trav2.data.includes('root:'), 'encoded traversal -> 404', trav2.data.slice(0, 80));
  const head = await raw('HEAD /api/stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  t.ok(head.status === 200 && head.data.endsWith('\r\n\r\n'), 'HEAD: headers only', JSON.stringify(head.data.slice(-40)));

  // ---- paging: pages of 7 are the whole list, in order, nothing twice
  for (const what of ['events', 'incidents', 'places']) {
    const all = (await get(`/api/${what}?limit=5000`)).json()[what];
    const seen = [];
    let cursor = null, pages = 0;
    do {
      const r = (await get(`/api/${what}?limit=7${cursor ? '&cursor=' + cursor : ''}`)).json();
      t.ok(r.count === r[what].length && r.count <= 7, `${what} page ${pages}: count`);
      seen.push(...r[what]);
      cursor = r.next;
      pages++;
    } while (cursor && pages < 1000);
    t.ok(JSON.stringify(seen) === JSON.stringify(all), `${what}: ${pages} pages of 7 give the whole list in order`, `${seen.length} vs ${all.length}`);
    const again = (await get(`/api/${what}?limit=7&cursor=o14`)).json()[what];
    t.ok(JSON.stringify(again) === JSON.stringify(all.slice(14, 21)), `${what}: a page asked twice is the same page`);
  }
  const csvPage = await get('/api/incidents?format=csv&limit=5');
  t.ok(csvPage.headers.get('x-next-cursor') === 'o5', 'CSV pages give the next cursor in X-Next-Cursor', csvPage.headers.get('x-next-cursor'));

  // ---- ETag and 304
  const first = await get('/api/incidents?country=SY');
  const etag = first.headers.get('etag');
  const again = await get('/api/incidents?country=SY', { 'If-None-Match': etag });
  t.eq(again.status, 304, 'If-None-Match with the ETag -> 304');
  t.eq(again.body, '', '304 has no body');
  t.eq((await get('/api/incidents?country=SY', { 'If-None-Match': '"0000000000000000"' })).status, 200, 'another ETag -> 200');
  t.ok((await get('/api/incidents?country=IQ')).headers.get('etag') !== etag, 'another answer, another ETag');
  // the cache tells answers apart by the format the Accept header chooses
  const aj = await get('/api/incidents?limit=4');
  const ac = await get('/api/incidents?limit=4', { Accept: 'text/csv' });
  const aj2 = await get('/api/incidents?limit=4', { Accept: 'application/json, text/plain, */*' });
  t.ok(aj.body.startsWith('{') && ac.body.startsWith('event_id_cnty') && aj2.body === aj.body,
    'one URL, answers by Accept: JSON, CSV, JSON again', [aj.body.slice(0, 20), ac.body.slice(0, 20), aj2.body.slice(0, 20)].join(' | '));
  const page = await get('/');
  t.eq((await get('/', { 'If-None-Match': page.headers.get('etag') })).status, 304, 'the page: 304 too');

  // ---- a report ingested while the server runs is seen by the next request
  const statsEtag = (await get('/api/stats')).headers.get('etag');
  execFileSync(bin, ['ingest', '--quiet', '--db', db, extra]);
  const after = await get('/api/stats', { 'If-None-Match': statsEtag });
  t.eq(after.status, 200, 'after an ingest, the old ETag no longer matches');
  t.eq(after.json().documents, stats.documents + 1, 'the new report is counted without a restart');

  // ---- one log line per request: time, method, path, status, bytes, ms
  await get('/api/stats?log=check');
  await new Promise((r) => setTimeout(r, 100));
  const lines = srv.log().split('\n').filter((l) => l.includes('/api/stats?log=check'));
  t.eq(lines.length, 1, 'one log line for one request');
  t.ok(/^\d{4}-\d\d-\d\dT\S+Z GET \/api\/stats\?log=check 400 \d+ \d+\.\dms$/.test(lines[0] || ''), 'the log line: time method path status bytes ms', lines[0]);
} catch (e) {
  t.ok(false, 'the API test ran to its end', e.stack);
} finally {
  const r = await srv.stop();
  t.ok(r.code === 0, 'SIGTERM stops the server cleanly (exit 0)', JSON.stringify(r) + '\n' + srv.log().slice(-3000));
}

// SIGINT too, and a warning for a non-loopback --listen (TEST-NET-1:
// nothing is bound there, so nothing listens beyond loopback)
const s2 = await start(bin, db, ['--quiet']);
s2.child.kill('SIGINT');
const code = await new Promise((res) => s2.child.on('exit', (c) => res(c)));
t.eq(code, 0, 'SIGINT stops the server cleanly (exit 0)');
try {
  execFileSync(bin, ['serve', '--db', db, '--listen', '192.0.2.1:0'], { encoding: 'utf8', stdio: 'pipe', timeout: 5000 });
  t.ok(false, 'serve on 192.0.2.1 fails (not this machine\'s address)');
} catch (e) {
  t.ok(/warning: --listen 192\.0\.2\.1:0 is not a loopback address/.test(e.stderr), 'a non-loopback --listen prints a warning', e.stderr);
}
try {
  execFileSync(bin, ['serve', '--db', '/nonexistent/x.db'], { encoding: 'utf8', stdio: 'pipe', timeout: 5000 });
  t.ok(false, 'serve on a missing store fails');
} catch (e) {
  t.ok(e.status === 2 && /no such store/.test(e.stderr), 'a missing store: exit 2 and a clear message', e.stderr);
}
process.exit(t.done() ? 1 : 0);
