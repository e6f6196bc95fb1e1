// hostile.mjs -- 1,000 malformed or hostile requests (bad parameters,
// huge URLs and headers, invalid UTF-8, path traversal, SQL and FTS5
// injection, odd methods and bodies, garbage), then a slowloris: the
// server must answer each with a 4xx (never a 5xx, never a crash), keep
// answering normal requests, cut the slow connections, and leave the
// store byte for byte as it was.
//
//   node tests/web/hostile.mjs SITREP STORE

import net from 'node:net';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { start, harness } from './serve.mjs';

const [bin, db] = process.argv.slice(2);
const t = harness('hostile');
const hash = () => createHash('sha256').update(readFileSync(db)).digest('hex');
const before = hash();
const srv = await start(bin, db, ['--quiet']);
const port = Number(new URL(srv.url).port);

// a deterministic generator, so that a failure can be replayed
let seed = 15;
const rnd = (n) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return (seed >>> 12) % n; };
const pick = (a) => a[rnd(a.length)];
const junk = (n) => Buffer.from(Array.from({ length: n }, () => rnd(256)));
const pct = (b) => [...b].map((x) => '%' + x.toString(16).padStart(2, '0')).join('');

const keys = ['type', 'actor', 'place', 'country', 'since', 'until', 'modality', 'source', 'limit', 'cursor',
  'format', 'q', 'disagreements', 'x', '', '%00', 'type[]'];
const values = ["' OR 1=1 --", "';DROP TABLE events;--", '") OR 1=1', '2026-02-30', '-1', '1e9', '0x10',
  '99999999999999999999', 'o-5', 'o99999999', 'NEAR(a b)', '*', 'a OR b OR c OR d', '"', '\\', '%', '%zz',
  '<script>alert(1)</script>', '../../etc/passwd', 'SY\r\nX-Injected: 1', 'ÿþ', pct(junk(12)), 'a'.repeat(900)];
const paths = ['/api/events', '/api/incidents', '/api/places', '/api/search', '/api/timeline', '/api/report',
  '/api/stats', '/api/incidents/1', '/api/places/site:al-tanf'];

function request() {
  const kind = rnd(10);
  const host = 'Host: 127.0.0.1\r\nConnection: close\r\n';
  switch (kind) {
  case 0: case 1: { // bad parameters
    const n = 1 + rnd(4);
    const qs = Array.from({ length: n }, () => encodeURIComponent(pick(keys)) + '=' + encodeURIComponent(pick(values))).join('&');
    return Buffer.from(`GET ${pick(paths)}?${qs} HTTP/1.1\r\n${host}\r\n`);
  }
  case 2: // a huge URL
    return Buffer.from(`GET /api/events?q=${'A'.repeat(pick([3000, 10000, 70000]))} HTTP/1.1\r\n${host}\r\n`);
  case 3: // raw invalid UTF-8 in the path and query
    return Buffer.concat([Buffer.from('GET /api/'), junk(8), Buffer.from('?place='), junk(8),
      Buffer.from(` HTTP/1.1\r\n${host}\r\n`)]);
  case 4: // path traversal
    return Buffer.from(`GET ${pick(['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/vendor/../../../etc/passwd',
      '//etc/passwd', '/api/../../etc/passwd', '/..%2f..%2fetc%2fpasswd', '/vendor/leaflet/..\\..\\..\\etc\\passwd',
      '/.git/config', '/%00index.html', '/index.html%00.js', '/./././../sitrep.db'])} HTTP/1.1\r\n${host}\r\n`);
  case 5: // too many or too large headers
    return Buffer.from(`GET /api/stats HTTP/1.1\r\n${host}` +
      (rnd(2) ? Array.from({ length: 300 }, (_, i) => `X-H${i}: ${'v'.repeat(100)}\r\n`).join('') : `X-Big: ${'b'.repeat(100000)}\r\n`) + '\r\n');
  case 6: // garbage
    return pick([junk(64), Buffer.from('GET\r\n\r\n'), Buffer.from('GET / HTTP/9.9\r\n\r\n'),
      Buffer.from('\r\n\r\n\r\n'), Buffer.from('GET /api/stats HTTP/1.1\r\nHost\r\n\r\n'), Buffer.concat([Buffer.from('GET /'), junk(200)])]);
  case 7: { // methods and bodies
    const m = pick(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND']);
    const body = 'x'.repeat(rnd(3000));
    return Buffer.from(rnd(2)
      ? `${m} /api/events HTTP/1.1\r\n${host}Content-Length: ${body.length}\r\n\r\n${body}`
      : `${m} /api/events HTTP/1.1\r\n${host}Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n`);
  }
  case 8: // FTS5 and filters that try to make the store work hard
    return Buffer.from(`GET /api/search?q=${encodeURIComponent(Array.from({ length: 150 }, () => pick(['a*', 'the', 'OR', 'NEAR(a b, 9)', '"x y"'])).join(' ')).slice(0, 900)}&limit=5000 HTTP/1.1\r\n${host}\r\n`);
  default: // smuggling-shaped and absurd headers
    return Buffer.from(`GET /api/stats HTTP/1.1\r\n${host}Content-Length: 10\r\nTransfer-Encoding: chunked\r\n` +
      `If-None-Match: ${'"'.repeat(500)}\r\nAccept: ${'text/csv,'.repeat(300)}\r\n\r\n0\r\n\r\nGET /x HTTP/1.1\r\n\r\n`);
  }
}

// Sends one request; resolves with the status of the answer (as soon as
// its head has come, plus a moment for the body) or null when the
// server closed the connection without one.
function send(buf, timeoutMs = 15000) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let data = Buffer.alloc(0), done = false;
    const finish = (timedOut) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      const text = data.toString('latin1');
      const m = /^HTTP\/1\.\d (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : null, text, timedOut: timedOut && !m });
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    s.on('connect', () => { s.write(buf); });
    s.on('data', (d) => {
      data = Buffer.concat([data, d]);
      if (data.includes('\r\n\r\n')) setTimeout(() => finish(false), 100);
    });
    s.on('error', () => {});
    s.on('close', () => finish(false));
  });
}

try {
  const counts = {};
  let fivexx = [], leaks = [], hung = 0, reqs = [];
  for (let i = 0; i < 1000; i++) reqs.push(request());
  // 64 clients at a time (under the per-address limit of connections)
  let next = 0;
  const worker = async () => {
    while (next < reqs.length) {
      const i = next++;
      const r = await send(reqs[i]);
      if (r.timedOut) { hung++; continue; }
      counts[r.status ?? 'closed'] = (counts[r.status ?? 'closed'] || 0) + 1;
      if (process.env.HOSTILE_DEBUG && r.status == null) console.log('closed:', JSON.stringify(reqs[i].toString('latin1').slice(0, 100)));
      if (r.status >= 500 && !(r.status === 505 && /^GET \/ HTTP\/9/.test(reqs[i].toString('latin1')))) fivexx.push(`${r.status} for ${reqs[i].toString('latin1').slice(0, 120)}`);
      if (/root:x:0|\[core\]|SQLite format/.test(r.text)) leaks.push(reqs[i].toString('latin1').slice(0, 120));
    }
  };
  const tAll = Date.now();
  await Promise.all(Array.from({ length: 64 }, worker));
  console.log(`hostile: 1,000 requests in ${((Date.now() - tAll) / 1000).toFixed(1)} s`);
  console.log('hostile: answers to 1,000 requests:', JSON.stringify(counts));
  t.eq(hung, 0, 'no request left hanging');
  t.ok(fivexx.length === 0, 'no 5xx answer', fivexx.slice(0, 5).join('\n     '));
  t.ok(leaks.length === 0, 'no file outside the page was served', leaks.join('\n     '));
  t.ok((counts[400] || 0) + (counts[404] || 0) + (counts[414] || 0) + (counts[405] || 0) > 500,
    'most hostile requests are refused with a 4xx', JSON.stringify(counts));
  const ok = await fetch(srv.url + 'api/stats');
  t.eq(ok.status, 200, 'the server still answers after 1,000 hostile requests');

  // slowloris: 40 connections send their request a byte a second
  const slow = [];
  for (let i = 0; i < 40; i++) {
    slow.push(new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      const t0 = Date.now();
      let timer;
      s.on('connect', () => {
        s.write('GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
        timer = setInterval(() => { if (!s.destroyed) s.write('a'); }, 1000);
      });
      s.on('error', () => {});
      s.on('close', () => { clearInterval(timer); resolve(Date.now() - t0); });
      setTimeout(() => { clearInterval(timer); s.destroy(); resolve(Infinity); }, 20000);
    }));
  }
  await new Promise((r) => setTimeout(r, 1500));
  const t0 = Date.now();
  const during = await fetch(srv.url + 'api/places?limit=5');
  const ms = Date.now() - t0;
  t.ok(during.status === 200 && ms < 2000, 'while 40 slow clients hold connections, a request is answered', `${during.status} in ${ms} ms`);
  const cut = await Promise.all(slow);
  t.ok(cut.every((x) => x <= 14000), 'every slow connection is cut within the idle limit (10 s) + 4 s',
    JSON.stringify(cut.map((x) => Math.round(x / 100) / 10)));
  t.eq((await fetch(srv.url + 'api/stats')).status, 200, 'the server still answers after the slowloris');
} catch (e) {
  t.ok(false, 'ran to its end', e.stack);
} finally {
  const r = await srv.stop();
  t.ok(r.code === 0, 'the server stops cleanly', JSON.stringify(r) + '\n' + srv.log().slice(-3000));
}
t.eq(hash(), before, 'the store is byte for byte unchanged');
process.exit(t.done() ? 1 : 0);
