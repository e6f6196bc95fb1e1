// bench/chrono.js -- the reference for bench/times.sh: runs chrono-node
// (chrono.parse(text, refDate)) over every document of a JSON Lines corpus
// with its publication date as the reference date, ROUNDS times, and
// prints the median pass's wall time in seconds and the number of
// results: "seconds results".
'use strict';
const fs = require('fs');
const path = require('path');
const chrono = require(path.join(__dirname, '..', 'node_modules', 'chrono-node'));
const file = process.argv[2];
const rounds = parseInt(process.argv[3] || '1', 10);
const docs = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const refs = docs.map((d) => (d.published ? new Date(d.published + 'T12:00:00Z') : new Date(0)));
const times = [];
let n = 0;
for (let r = 0; r < rounds; r++) {
	const t0 = process.hrtime.bigint();
	n = 0;
	for (let i = 0; i < docs.length; i++)
		n += chrono.parse(docs[i].text || '', refs[i]).length;
	times.push(Number(process.hrtime.bigint() - t0) / 1e9);
}
times.sort((a, b) => a - b);
console.log(times[Math.floor(times.length / 2)].toFixed(4), n);
