// hostile.mjs -- 1,000 malformed or hostile requests (bad parameters,
// huge URLs and headers, invalid UTF-8, path traversal, SQL and FTS5
// injection, odd methods and bodies, garbage), then a slowloris: the
// server must answer each with a 4xx (never a 5xx, never a crash), keep
// answering normal requests, cut the slow connections, and leave the
// store byte for byte as it was.  Then the limits of a request at their
// edges: URL, query string, parameters, rows, request head, a body never
// read, idle and half-sent connections, and (on servers started with
// small --max-body and --max-ms) the size of an answer and the time of a
// query.
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

  // the limits of a request (include/sitrep.h, SR_SERVE_*), at their edges
  const status = async (path, headers) => (await fetch(srv.url + path.replace(/^\//, ''), { headers })).status;
  t.eq(await status('/' + 'a'.repeat(2047)), 404, 'a URL of 2,048 bytes is read (404: no such page)');
  t.eq(await status('/' + 'a'.repeat(2048)), 414, 'a URL of 2,049 bytes is refused with 414');
  const qs = (n) => '/api/search?q=' + 'a'.repeat(n);   // q=...: n + 3 bytes of query
  t.eq(await status(qs(1021)), 400, 'a query string of 1,024 bytes is read (400: q is longer than 500 bytes)');
  t.eq(await status(qs(1022)), 414, 'a query string of 1,025 bytes is refused with 414');
  const params = (n) => '/api/events?' + Array.from({ length: n }, (_, i) => `x${i}=1`).join('&');
  const p16 = await (await fetch(srv.url + params(16).slice(1))).json();
  t.ok(/unknown parameter 'x0'/.test(p16.error.message), '16 parameters are read (the first unknown one is named)', JSON.stringify(p16));
  const p17 = await fetch(srv.url + params(17).slice(1));
  t.ok(p17.status === 400 && /more than 16 parameters/.test((await p17.json()).error.message), '17 parameters are refused with 400');
  {
    // a name quoted in part in the message (its first 40 bytes) ends
    // inside a UTF-8 character: the answer is still UTF-8 JSON
    const r = await fetch(srv.url + 'api/events?' + encodeURIComponent('a' + 'é'.repeat(30)) + '=1');
    const bytes = new Uint8Array(await r.arrayBuffer());
    let text = null;
    try { text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch (e) { text = null; }
    t.ok(r.status === 400 && text !== null && JSON.parse(text).error.message.includes('unknown parameter'),
      'an error message quoting a parameter cut inside a UTF-8 character is valid UTF-8 JSON', `${r.status} ${Buffer.from(bytes).toString('latin1').slice(0, 120)}`);
  }
  t.eq(await status('/api/events?limit=5000'), 200, 'limit=5000 is answered');
  t.eq(await status('/api/events?limit=5001'), 400, 'limit=5001 is refused with 400');
  t.eq(await status('/api/stats', { 'X-Big': 'b'.repeat(70000) }), 431, 'a request head of 70 KB (over 64 KB) is refused with 431');
  {
    // a body announced as 20 MB: 405 at once, the body never read
    const t0 = Date.now();
    const r = await send(Buffer.from(`POST /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 20000000\r\n\r\n`), 5000);
    t.ok(r.status === 405 && Date.now() - t0 < 3000, 'a POST announcing 20 MB is refused with 405 without its body', `${r.status} in ${Date.now() - t0} ms`);
  }

  // slowloris: 40 connections send their request a byte a second, 10 open
  // a connection and send nothing, 10 send half a request and stop
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
  const silent = (first) => new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    const t0 = Date.now();
    let got = '';
    s.on('connect', () => { if (first) s.write(first); });
    s.on('data', (d) => { got += d; });
    s.on('error', () => {});
    s.on('close', () => resolve(got ? -1 : Date.now() - t0));
    setTimeout(() => { s.destroy(); resolve(Infinity); }, 20000);
  });
  const idle = [];
  for (let i = 0; i < 10; i++) idle.push(silent(null), silent('GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
  await new Promise((r) => setTimeout(r, 1500));
  const t0 = Date.now();
  const during = await fetch(srv.url + 'api/places?limit=5');
  const ms = Date.now() - t0;
  t.ok(during.status === 200 && ms < 2000, 'while 40 slow clients hold connections, a request is answered', `${during.status} in ${ms} ms`);
  const cut = await Promise.all(slow);
  t.ok(cut.every((x) => x <= 14000), 'every slow connection is cut within the idle limit (10 s) + 4 s',
    JSON.stringify(cut.map((x) => Math.round(x / 100) / 10)));
  const idleCut = await Promise.all(idle);
  t.ok(idleCut.every((x) => x >= 8000 && x <= 14000), 'every silent or half-sent connection is closed, unanswered, after the idle limit (10 s) and within 14 s',
    JSON.stringify(idleCut.map((x) => Math.round(x / 100) / 10)));
  t.eq((await fetch(srv.url + 'api/stats')).status, 200, 'the server still answers after the slowloris');
} catch (e) {
  t.ok(false, 'ran to its end', e.stack);
} finally {
  const r = await srv.stop();
  t.ok(r.code === 0, 'the server stops cleanly', JSON.stringify(r) + '\n' + srv.log().slice(-3000));
}

// the size of an answer and the time of a query, with limits small enough
// to reach on this store (--max-body, --max-ms; 16 MB and 2 s by default)
for (const [opts, path, want, words, what] of [
  [['--max-body', '4096'], 'api/events?limit=5000', 413, /larger than 4096 bytes/, 'an answer over --max-body 4096 is refused with 413'],
  [['--max-ms', '1', '--no-cache'], 'api/events?limit=5000&format=csv', 503, /took longer than 1 ms/, 'a query over --max-ms 1 is stopped with 503'],
]) {
  const small = await start(bin, db, ['--quiet', ...opts]);
  try {
    const r = await fetch(small.url + path);
    const body = await r.json().catch(() => ({}));
    t.ok(r.status === want && words.test(body.error && body.error.message), what, `${r.status} ${JSON.stringify(body).slice(0, 200)}`);
    const again = await fetch(small.url + 'api/stats');
    t.eq(again.status, 200, `after it the server still answers (${opts.join(' ')})`);
  } catch (e) {
    t.ok(false, 'the limits ran to their end', e.stack);
  } finally {
    const r = await small.stop();
    t.ok(r.code === 0, `the server with ${opts.join(' ')} stops cleanly`, JSON.stringify(r));
  }
}
t.eq(hash(), before, 'the store is byte for byte unchanged');
process.exit(t.done() ? 1 : 0);
