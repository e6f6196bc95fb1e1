// bench/chrono-cli.js -- chrono-node as a command, the counterpart of
// `sitrep times` for bench/times.sh's whole-command figure: reads a JSON
// Lines corpus, runs chrono.parse(text, refDate) on every document (its
// publication date as the reference date) and writes one JSON line per
// date found: doc, span (UTF-16 offsets, chrono's own), text and the day.
//
//   node bench/chrono-cli.js CORPUS > OUT
'use strict';
const fs = require('fs');
const path = require('path');
const chrono = require(path.join(__dirname, '..', 'node_modules', 'chrono-node'));

const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n');
let out = [];
let size = 0;
for (const line of lines) {
	if (!line)
		continue;
	const d = JSON.parse(line);
	const ref = d.published ? new Date(d.published + 'T12:00:00Z') : new Date(0);
	for (const r of chrono.parse(d.text || '', ref)) {
		const s = JSON.stringify({
			doc: d.id,
			span: [r.index, r.index + r.text.length],
			text: r.text,
			value: r.start.date().toISOString().slice(0, 10),
		});
		out.push(s);
		size += s.length + 1;
	}
	if (size > 1 << 18) {
		fs.writeSync(1, out.join('\n') + '\n');
		out = [];
		size = 0;
	}
}
if (out.length)
	fs.writeSync(1, out.join('\n') + '\n');
