// api-seeds.mjs -- the API over a store of the five seed reports alone:
// the situation they tell (al-Tanf, the detainee transfer), every
// endpoint answering, and each list as the CLI writes it.
//
//   node tests/web/api-seeds.mjs SITREP STORE

import { execFileSync } from 'node:child_process';
import { start, harness } from './serve.mjs';

const [bin, db] = process.argv.slice(2);
const t = harness('api-seeds');
const srv = await start(bin, db, ['--quiet']);
const get = async (p) => { const r = await fetch(srv.url + p.replace(/^\//, '')); return { status: r.status, body: await r.text() }; };
const cli = (args) => execFileSync(bin, [...args, '--db', db], { encoding: 'utf8' });
try {
  const stats = JSON.parse((await get('/api/stats')).body);
  t.eq(stats.documents, 5, 'five seed reports');
  const tanf = JSON.parse((await get('/api/places/site:al-tanf')).body);
  t.ok(tanf.holder === 'Syrian Arab Army' && tanf.since === '2026-02-12', 'al-Tanf: Syrian Arab Army since 2026-02-12', JSON.stringify([tanf.holder, tanf.since]));
  const inc = JSON.parse((await get('/api/incidents?type=transfer_detainees&disagreements=1')).body).incidents;
  const vals = inc.flatMap((i) => i.disagreements.map((d) => d.value));
  t.ok(vals.includes('5,700') && vals.includes('about 7,000'), 'the detainee transfer: 5,700 and about 7,000', JSON.stringify(vals));
  for (const what of ['events', 'incidents', 'places']) {
    for (const fmt of ['jsonl', 'csv', 'geojson']) {
      const r = await get(`/api/${what}?format=${fmt}&limit=5000`);
      t.ok(r.status === 200 && r.body === cli([what, '--format', fmt]), `${what} ${fmt}: as the CLI writes it`);
    }
    const j = JSON.parse((await get(`/api/${what}?limit=5000`)).body);
    t.ok(j[what].length > 0 && j.next === null, `${what} as JSON: every row, no next page`);
  }
  for (const p of ['/api/search?q=Qasrak', '/api/timeline', '/api/report', '/']) t.eq((await get(p)).status, 200, `GET ${p}`);
} catch (e) {
  t.ok(false, 'ran to its end', e.stack);
} finally {
  const r = await srv.stop();
  t.ok(r.code === 0, 'the server stops cleanly', JSON.stringify(r) + '\n' + srv.log().slice(-3000));
}
process.exit(t.done() ? 1 : 0);
