// status.js -- who held a place on a given day, read from its status
// timeline (the intervals of /api/places), by the rule `sitrep places`
// uses for today: the intervals in force that day; if one of them is a
// hold ("held"), the holds only, else every presence; expected changes
// are not holdings.  An interval is in force on day d when it may have
// begun by d and may not have ended before d (a start or end given as a
// month or a year covers all of it; an open end is "still").

import { dateRange } from './util.js';

function inForce(iv, d) {
  const s = dateRange(iv.start);
  const e = dateRange(iv.end);
  if (s && s[0] > d) return false;                 // begun after d
  if (e) return e[1] >= d;                         // ended before d?
  if (iv.current) return true;                     // open: still in force
  return s ? s[1] >= d : false;                    // ended, unknown when
}

const expected = (iv) => iv.role && iv.role.startsWith('expected');

// What the map shows for place p on day d: { holders: [intervals],
// underway: interval|null, expected: interval|null, left: interval|null }.
// now: d is the latest day (expected changes are shown only then).
export function statusOn(p, d, now) {
  if (!p.timeline) return summary(p);
  const tl = p.timeline;
  const live = tl.filter((iv) => !expected(iv) && inForce(iv, d));
  const held = live.filter((iv) => iv.role === 'held');
  const holders = (held.length ? held : live).slice();
  // the most recent first: it colours the marker
  holders.sort((a, b) => ((dateRange(b.start) || [-1e9])[0]) - ((dateRange(a.start) || [-1e9])[0]));
  const underway = tl.find((iv) => iv.role === 'withdrawing' && inForce(iv, d)) || null;
  const exp = now ? tl.find((iv) => expected(iv) && iv.current) || null : null;
  let left = null;
  if (!holders.length) {
    for (const iv of tl) {
      const e = dateRange(iv.end);
      if (!expected(iv) && e && e[1] < d) left = iv;
    }
  }
  return { holders, underway, expected: exp, left };
}

// Before the timelines have come (the page's first drawing), what the API
// says of today: the holder(s), since when, and the status's words.
function summary(p) {
  const holders = p.holder ? [{ actor: p.holder, role: 'held', start: p.since }] : [];
  const st = p.status || '';
  const m = /withdrawing, to end ~(\S+)/.exec(st);
  return {
    holders,
    underway: m ? { role: 'withdrawing', end: m[1] } : null,
    expected: /expected to (pass to|be left by|host): ([^;]+)/.test(st)
      ? { role: 'expected_' + RegExp.$1.replace(/ /g, '_'), actor: RegExp.$2 } : null,
    left: null,
  };
}
