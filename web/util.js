// util.js -- small helpers of the page: building elements (text always
// through textContent, never as HTML: report text is untrusted), dates
// as day numbers, and fetching the API (taking the answers boot.js asked
// for early when the URL is the same).

import { apiUrl, early } from './boot.js';

export { apiUrl };

export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children) append(e, c);
  return e;
}

function append(e, c) {
  if (c === null || c === undefined || c === false) return;
  if (Array.isArray(c)) { for (const x of c) append(e, x); return; }
  e.append(c instanceof Node ? c : document.createTextNode(String(c)));
}

const SVGNS = 'http://www.w3.org/2000/svg';
export function svg(tag, attrs, ...children) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'text') e.textContent = v;
    else e.setAttribute(k, String(v));
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

// ---- dates: day numbers since 1970-01-01 (UTC), as the store counts

export function dayOf(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) / 86400000 : null;
}

export function dateOf(day) {
  return new Date(day * 86400000).toISOString().slice(0, 10);
}

// The first and the last day a date of any precision (YYYY, YYYY-MM,
// YYYY-MM-DD) may mean; null for null.
export function dateRange(s) {
  if (!s) return null;
  let m;
  if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s))) { const d = dayOf(s); return [d, d]; }
  if ((m = /^(\d{4})-(\d{2})$/.exec(s)))
    return [Date.UTC(+m[1], +m[2] - 1, 1) / 86400000, Date.UTC(+m[1], +m[2], 0) / 86400000];
  if ((m = /^(\d{4})$/.exec(s)))
    return [Date.UTC(+m[1], 0, 1) / 86400000, Date.UTC(+m[1], 11, 31) / 86400000];
  return null;
}

// 5700 -> "5,700"
export function count(n) {
  return Number(n).toLocaleString('en-US');
}

// ---- the API

export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

export async function api(path, params) {
  const url = apiUrl(path, params);
  const r = await (early(url) || fetch(url, { headers: { Accept: 'application/json' } }));
  let body = null;
  try { body = await r.json(); } catch (e) { body = null; }
  if (!r.ok) {
    const msg = body && body.error ? body.error.message : r.status + ' ' + r.statusText;
    throw new ApiError(r.status, msg);
  }
  return body;
}

export const TYPES = ['withdraw', 'take_control', 'deploy', 'attack', 'transfer_detainees', 'agreement'];
export const TYPE_COLORS = {
  withdraw: '#1f77b4', take_control: '#d62728', deploy: '#2ca02c', attack: '#ff7f0e',
  transfer_detainees: '#9467bd', agreement: '#8c564b',
};
