// Time the npm `mrz` package's parse() over the records in argv[2] (JSON Lines), argv[3] rounds.
import { readFileSync } from 'node:fs';
import { parse } from 'mrz';

const records = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).lines);
const rounds = Number(process.argv[3] ?? 1);
let valid = 0;
for (const lines of records.slice(0, 500)) parse(lines); // warm-up
const t0 = process.hrtime.bigint();
for (let r = 0; r < rounds; r++) for (const lines of records) if (parse(lines).valid) valid++;
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
const n = records.length * rounds;
console.log(JSON.stringify({ impl: 'npm mrz', records: n, valid, seconds: secs, per_second: n / secs }));
