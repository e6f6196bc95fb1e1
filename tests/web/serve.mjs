// serve.mjs -- starts `sitrep serve` on a free loopback port for a test
// and stops it: the tests import start() and call stop() in finally.

import { spawn } from 'node:child_process';

export async function start(bin, db, extra = []) {
  const child = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0', ...extra],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('sitrep serve did not start in 10 s: ' + log)), 10000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`sitrep serve exited (${code}): ${log}`)); });
  });
  const exited = new Promise((resolve) => child.on('exit', (code, sig) => resolve({ code, sig })));
  return {
    url,
    child,
    log: () => log,
    async stop() {
      if (child.exitCode !== null) return { code: child.exitCode };
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      const r = await exited;
      clearTimeout(t);
      return r;
    },
  };
}

// a tiny test harness: named checks, a count, a non-zero exit on failure
export function harness(name) {
  let pass = 0, fail = 0;
  return {
    ok(cond, what, detail) {
      if (cond) { pass++; } else { fail++; console.log(`FAIL ${name}: ${what}${detail ? '\n     ' + detail : ''}`); }
      return !!cond;
    },
    eq(a, b, what) {
      return this.ok(a === b, what, `got ${JSON.stringify(a)}, want ${JSON.stringify(b)}`);
    },
    done() {
      console.log(`${name}: ${pass} passed, ${fail} failed`);
      return fail;
    },
  };
}
