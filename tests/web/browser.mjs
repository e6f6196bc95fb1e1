// browser.mjs -- the page of `sitrep serve` in headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core; no browser is
// downloaded), over a store of the seeds, the dev reports and a hostile
// fixture.  Every request that does not go to the test's own server is
// refused, so nothing reaches the network.
//
//   node tests/web/browser.mjs SITREP STORE FIXTURE OUTDIR [DOCSDIR]
//
// STORE holds the seeds and the dev reports; FIXTURE (a report with
// markup in its text) is ingested into it while the server runs, before
// the test that it is shown as text.  Screenshots go to OUTDIR (build/);
// with DOCSDIR they are also copied there (docs/, for the README).

import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, copyFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { start, harness } from './serve.mjs';

const [bin, db, fixture, outdir, docsdir] = process.argv.slice(2);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const t = harness('browser');

const srv = await start(bin, db, ['--quiet']);
const profile = mkdtempSync(join(tmpdir(), 'sitrep-chromium-'));
let ctx;
try {
  ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
  });
  const origin = new URL(srv.url).origin;
  const offsite = [];
  await ctx.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(origin + '/') || u.startsWith('data:')) return route.continue();
    offsite.push(u);
    return route.abort();
  });
  const page = ctx.pages()[0] || await ctx.newPage();
  const errors = [];
  const dialogs = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });

  const ready = async () => {
    await page.waitForFunction(() => document.body.dataset.ready, null, { timeout: 15000 });
    return page.evaluate(() => document.body.dataset.ready);
  };
  const marker = (id) => page.locator(`.leaflet-marker-icon[data-place-id="${id}"]`);
  const label = async (id) => (await marker(id).count()) ? marker(id).getAttribute('aria-label') : null;

  // 1. the page loads with no console error, the map drawn; the first
  // requests (sent early by boot.js) are taken by the page, none asked twice
  const asked = [];
  const onRequest = (r) => asked.push(r.url().slice(origin.length));
  page.on('request', onRequest);
  await page.goto(srv.url);
  t.eq(await ready(), '1', 'the page loads (data-ready)');
  page.off('request', onRequest);
  const twice = asked.filter((u, i) => asked.indexOf(u) !== i);
  t.ok(twice.length === 0 && ['/api/stats', '/api/places?limit=5000&timeline=0', '/api/incidents?limit=200', '/api/timeline',
    '/vendor/world-atlas/countries-110m.json'].every((u) => asked.includes(u)),
  'the first requests are sent once each (boot.js and the page ask for the same URLs)', asked.join(' '));
  await page.waitForSelector('#map[data-basemap]', { timeout: 10000 });
  t.ok(Number((await page.getAttribute('#map', 'data-basemap')).split(':')[1]) > 170 && (await page.locator('.leaflet-overlay-pane canvas').count()) > 0,
    'the Natural Earth outlines are drawn');
  await page.waitForSelector('#map[data-basemap^="50m"]', { timeout: 10000 });
  t.ok(true, 'the 1:50m outlines follow');
  t.ok((await page.locator('.leaflet-marker-icon[data-place-id]').count()) >= 20, 'the places have markers');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(outdir, 'web-map.png') });

  // 2. al-Tanf: the Syrian Arab Army since 2026-02-12
  const tanf = await label('site:al-tanf');
  t.ok(tanf && tanf.includes('Syrian Arab Army since 2026-02-12'), "al-Tanf's marker: Syrian Arab Army since 2026-02-12", tanf);
  t.eq(await marker('site:al-tanf').getAttribute('data-holder'), 'Syrian Arab Army', "al-Tanf's marker is coloured by the Syrian Arab Army");

  // 3. the slider on 2026-02-01: US forces
  const moved = await page.evaluate(() => {
    const s = document.getElementById('day');
    const hi = Date.parse(document.getElementById('daylabel').textContent.slice(0, 10)) / 86400000;
    const want = Date.UTC(2026, 1, 1) / 86400000;
    s.value = String(Number(s.max) - (hi - want));
    s.dispatchEvent(new Event('input', { bubbles: true }));
    return document.getElementById('daylabel').textContent;
  });
  t.eq(moved, '2026-02-01', 'the slider moves to 2026-02-01');
  const tanf0201 = await label('site:al-tanf');
  t.ok(tanf0201 && /^al-Tanf base: United States Armed Forces/.test(tanf0201) && !tanf0201.includes('Syrian Arab Army'),
    'on 2026-02-01 al-Tanf is held by US forces', tanf0201);
  t.eq(await marker('site:al-tanf').getAttribute('data-holder'), 'United States Armed Forces', 'on 2026-02-01 the marker has the US colour');
  t.ok(page.url().includes('day=2026-02-01'), 'the day is in the URL', page.url());
  await page.screenshot({ path: join(outdir, 'web-slider-2026-02-01.png') });

  // 3b. the chart: the day under the pointer is named, a click moves the slider there
  const hit = page.locator('#chart svg rect.bar');
  const hb = await hit.boundingBox();
  await page.mouse.move(hb.x + hb.width * 0.4, hb.y + hb.height / 2);
  const hovered = await hit.getAttribute('data-day');
  const tip = await page.locator('#chart svg rect.bar title').textContent();
  t.ok(/^\d{4}-\d{2}-\d{2}$/.test(hovered || '') && tip.startsWith(hovered + ': '), 'the chart names the day under the pointer', `${hovered} / ${tip}`);
  await page.mouse.click(hb.x + hb.width * 0.4, hb.y + hb.height / 2);
  t.eq(await page.locator('#daylabel').textContent(), hovered, 'a click on the chart moves the slider to that day');
  t.eq(await page.locator('#chart svg path').count() <= 6, true, 'the chart is a path per type, not an element per bar');

  // 4. the detainee transfer: 5,700 and about 7,000 side by side, with sources
  await page.goto(srv.url + '?type=transfer_detainees');
  await ready();
  t.eq(await page.locator('#filters [name=type]').inputValue(), 'transfer_detainees', 'the filter from the URL fills the form');
  const item = page.locator('#panel button.item', { hasText: 'sources disagree' }).filter({ hasText: 'detainee transfer' }).first();
  t.ok(await item.count(), 'the detainee transfer with disagreeing sources is listed');
  await item.click();
  await page.waitForSelector('#panel .sidebyside .claim');
  const claims = await page.$$eval('#panel .sidebyside .claim', (cs) => cs.map((c) => ({
    value: c.querySelector('.value').textContent,
    sources: [...c.querySelectorAll('.by li')].map((l) => l.textContent),
    top: c.getBoundingClientRect().top,
  })));
  const v5700 = claims.find((c) => c.value === '5,700');
  const v7000 = claims.find((c) => c.value === 'about 7,000');
  t.ok(v5700 && v7000, 'the incident shows 5,700 and about 7,000', JSON.stringify(claims));
  t.ok(v5700 && v7000 && v5700.sources.length > 0 && v7000.sources.length > 0, 'each value with its sources', JSON.stringify(claims));
  t.ok(v5700 && v7000 && Math.abs(v5700.top - v7000.top) < 2, '5,700 and about 7,000 side by side (one row)', JSON.stringify(claims));
  t.ok((await page.locator('#panel .sidebyside mark', { hasText: '5,700' }).count()) > 0, 'the evidence sentence has 5,700 highlighted');
  t.ok(/sel=incident%3A\d+|sel=incident:\d+/.test(page.url()), 'the open incident is in the URL', page.url());
  await page.screenshot({ path: join(outdir, 'web-disagreement.png') });

  // 5. a report with <script> is shown as text (ingested now: the
  // running server sees it)
  execFileSync(bin, ['ingest', '--quiet', '--db', db, fixture]);
  await page.goto(srv.url + '?actor=IT.MIL&type=withdraw');
  await ready();
  const hostile = page.locator('#panel button.item', { hasText: 'Kandahar Airfield' }).first();
  t.ok(await hostile.count(), 'the hostile fixture\'s incident is listed');
  await hostile.click();
  await page.waitForSelector('#panel .report .evidence');
  const panelText = await page.locator('#panel').innerText();
  t.ok(panelText.includes("<script>alert('sitrep-xss')</script>"), 'the <script> of the report is shown as text');
  t.ok(panelText.includes('<img src=x onerror=alert(2)>'), 'the <img> of the report is shown as text');
  t.eq(await page.locator('#panel script, #panel img').count(), 0, 'no element made from report text');
  t.eq(await page.locator('script').count(), 4, 'the page has only its own four scripts');
  t.eq(await page.locator('#panel a[href^="javascript"]').count(), 0, 'a javascript: URL of a report is no link');
  t.eq(dialogs.length, 0, 'no script of a report ran (no dialog)');

  // 6. keyboard: Tab reaches a marker, Enter opens its place
  await page.goto(srv.url);
  await ready();
  let onMarker = false;
  for (let i = 0; i < 80 && !onMarker; i++) {
    await page.keyboard.press('Tab');
    onMarker = await page.evaluate(() => !!document.activeElement && document.activeElement.classList.contains('leaflet-marker-icon'));
  }
  t.ok(onMarker, 'Tab reaches a marker');
  if (onMarker) {
    await page.keyboard.press('Enter');
    await page.waitForSelector('#panel section.place', { timeout: 5000 }).catch(() => null);
    t.ok(await page.locator('#panel section.place h2').count(), 'Enter on a marker opens its place');
  }

  // 7. filters and search go into the URL
  await page.goto(srv.url);
  await ready();
  await page.fill('#filters [name=country]', 'SY');
  await page.fill('#filters [name=q]', 'Tanf');
  await page.click('#filters button[type=submit]');
  await ready();
  await page.waitForSelector('#panel section.search');
  t.ok(page.url().includes('country=SY') && page.url().includes('q=Tanf'), 'filters and search are in the URL', page.url());
  t.ok((await page.locator('#panel .results li').count()) > 0, 'the search finds sentences');
  const hrefs = await page.$$eval('.exports a', (as) => as.map((a) => a.getAttribute('href')));
  t.ok(hrefs.every((h) => h.includes('country=SY')) && hrefs.some((h) => h.includes('format=csv')) && hrefs.some((h) => h.includes('format=geojson')),
    'the export links carry the view\'s filters', hrefs.join(' '));
  const csv = await page.evaluate(async (h) => { const r = await fetch(h); return [r.status, r.headers.get('content-type'), (await r.text()).split('\n')[0]]; }, hrefs[0]);
  t.ok(csv[0] === 200 && csv[1].startsWith('text/csv') && csv[2].startsWith('event_id_cnty'), 'the CSV export answers', JSON.stringify(csv));

  // 8. a phone: one column, nothing wider than the screen
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(srv.url);
  await ready();
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  t.ok(wide <= 391, 'on a phone nothing is wider than the screen', String(wide));
  const boxes = await page.evaluate(() => ['map', 'panel'].map((id) => document.getElementById(id).getBoundingClientRect().toJSON()));
  t.ok(boxes[0].width > 300 && boxes[1].top >= boxes[0].bottom - 1, 'on a phone the panel comes under the map', JSON.stringify(boxes));
  await page.screenshot({ path: join(outdir, 'web-phone.png'), fullPage: false });

  t.ok(errors.length === 0, 'no console error on any page', errors.join('\n     '));
  t.eq(offsite.length, 0, 'no request left the test server', offsite.join(' '));
  if (docsdir) {
    copyFileSync(join(outdir, 'web-map.png'), join(docsdir, 'web-map.png'));
  }
} catch (e) {
  t.ok(false, 'the browser test ran to its end', e.stack);
} finally {
  if (ctx) await ctx.close();
  const r = await srv.stop();
  t.ok(r.code === 0, 'the server stops cleanly on SIGTERM', JSON.stringify(r) + '\n' + srv.log().slice(-3000));
  rmSync(profile, { recursive: true, force: true });
}
process.exit(t.done() ? 1 : 0);
