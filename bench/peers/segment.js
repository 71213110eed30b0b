#!/usr/bin/env node
// Segmentation peers in Node: nodejieba (cppjieba behind N-API) and @node-rs/jieba (jieba-rs
// behind N-API), precise mode with HMM, on one post text a line. Prints one JSON line.
//   node bench/peers/segment.js nodejieba|node-rs TEXTS [REPS]
'use strict';
const fs = require('fs');
const path = require('path');
const [which, file, repsArg] = process.argv.slice(2);
const reps = Number(repsArg || 3);
const texts = fs.readFileSync(file, 'utf8').split('\n');
if (texts.length && texts[texts.length - 1] === '') texts.pop();
const nm = path.join(__dirname, 'node_modules');
const t0 = process.hrtime.bigint();
let cut;
if (which === 'nodejieba') {
  const nodejieba = require(path.join(nm, 'nodejieba'));
  nodejieba.load();
  cut = (s) => nodejieba.cut(s, true);
} else if (which === 'node-rs') {
  const jieba = require(path.join(nm, '@node-rs/jieba'));
  if (jieba.load) jieba.load();
  cut = (s) => jieba.cut(s, true);
} else {
  console.error('unknown peer ' + which);
  process.exit(2);
}
cut('预热');
const loadS = Number(process.hrtime.bigint() - t0) / 1e9;
const times = [];
let tokens = 0;
for (let r = 0; r < reps; r++) {
  const s = process.cpuUsage();  // CPU seconds (user + system), as the other peers
  tokens = 0;
  for (const t of texts) tokens += cut(t).length;
  const d = process.cpuUsage(s);
  times.push((d.user + d.system) / 1e6);
}
times.sort((a, b) => a - b);
const med = times.length % 2 ? times[(times.length - 1) / 2] : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
console.log(JSON.stringify({ peer: which, posts: texts.length, seconds: med, posts_per_s: texts.length / med,
  us_per_post: med * 1e6 / texts.length, tokens, reps, load_s: loadS,
  peak_rss_mib: process.resourceUsage().maxRSS / 1024 }));
