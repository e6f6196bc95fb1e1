// web-load.mjs -- the page's first load in headless Chromium (Debian's,
// driven by playwright-core), from navigation to the first frame painted
// with the map drawn (the outlines, every place's marker as it stands
// now, the chart, the lists: the page's performance mark sitrep:drawn)
// and to the status timelines in (the slider usable: sitrep:ready), with
// the browser's cache emptied before each load.
// Prints the medians of ROUNDS and each round.
//
//   node bench/web-load.mjs URL [ROUNDS]

import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg || 5);
const profile = mkdtempSync(join(tmpdir(), 'sitrep-chromium-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 800 },
});
const origin = new URL(url).origin;
await ctx.route('**/*', (r) => (r.request().url().startsWith(origin + '/') ? r.continue() : r.abort()));
const page = ctx.pages()[0] || await ctx.newPage();
const cdp = await ctx.newCDPSession(page);
const times = [], ready = [];
try {
  for (let i = 0; i < rounds; i++) {
    await cdp.send('Network.clearBrowserCache');
    await page.goto('about:blank');
    await page.goto(url, { waitUntil: 'commit' });
    // the page marks the first frame painted with the map drawn (the
    // outlines, the markers of who holds each place now, the chart, the
    // lists: sitrep:drawn) and the timelines in (the slider usable:
    // sitrep:ready); the times are from the start of navigation
    await page.waitForFunction(() => performance.getEntriesByName('sitrep:drawn').length > 0, null,
      { timeout: 30000, polling: 10 });
    const drawn = await page.evaluate(() => ({
      at: performance.getEntriesByName('sitrep:drawn')[0].startTime,
      basemap: document.getElementById('map').dataset.basemap || '',
      markers: document.querySelectorAll('.leaflet-marker-icon').length,
    }));
    if (!drawn.basemap || !drawn.markers) throw new Error('marked drawn without outlines or markers: ' + JSON.stringify(drawn));
    times.push(drawn.at);
    await page.waitForFunction(() => performance.getEntriesByName('sitrep:ready').length > 0, null,
      { timeout: 30000, polling: 10 });
    ready.push(await page.evaluate(() => performance.getEntriesByName('sitrep:ready')[0].startTime));
  }
} finally {
  await ctx.close();
  rmSync(profile, { recursive: true, force: true });
}
const median = (xs) => Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]);
console.log(JSON.stringify({ median_ms: median(times), rounds_ms: times.map(Math.round),
  timelines_median_ms: median(ready), timelines_rounds_ms: ready.map(Math.round) }));
