/**
 * node --import tsx bench/thumb-check-replay.ts DIR — replays the thumbnail check (source/dupes/thumb-check.ts) on every
 * pair a traced `npm run bench:dupes -- --skip-scale --trace DIR` judged, and checks that it sees exactly what it saw
 * then (every count and score, not only the decision), timing the comparisons alone (CPU, user + system) and the reads.
 * Made to show that a faster check decides every pair of the labelled set as before.
 */
import fs from 'node:fs';
import path from 'node:path';
import {isDeepStrictEqual} from 'node:util';
import {compareThumbnails} from '../source/dupes/thumb-check.js';
import type {JudgedPair} from '../source/dupes/thumb-judge.js';
import {sensitivities} from '../source/dupes/types.js';
import {asGray, type GrayThumbnail, ThumbnailReader} from '../source/media/thumbnail-gray.js';

const dir = process.argv[2];
if (!dir) {
	throw new Error('usage: bench/thumb-check-replay.ts DIR (written by npm run bench:dupes -- --skip-scale --trace DIR)');
}

const cpuMs = (start: NodeJS.CpuUsage) => {
	const {user, system} = process.cpuUsage(start);
	return (user + system) / 1000;
};

const reader = new ThumbnailReader();
let differing = 0;
for (const sensitivity of ['strict', 'normal', 'loose'] as const) {
	const file = path.join(dir, `thumb-judged-${sensitivity}.jsonl`);
	if (!fs.existsSync(file)) {
		continue;
	}

	const pairs = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map(line => JSON.parse(line) as Omit<JudgedPair, 'a' | 'b'> & {a: string; b: string});
	const wanted = [...new Set(pairs.flatMap(pair => pair.thumbnails))];
	let started = process.cpuUsage();
	const read = reader.read(wanted);
	const readMs = cpuMs(started);
	const pictures = new Map<string, GrayThumbnail | undefined>(wanted.map((thumbnail, index) => [thumbnail, read[index]]));
	const tuning = sensitivities[sensitivity].thumbnail!;
	started = process.cpuUsage();
	let rejected = 0;
	for (const pair of pairs) {
		const [first, second] = pair.thumbnails.map(thumbnail => pictures.get(thumbnail)!);
		const match = compareThumbnails(asGray(first!), asGray(second!), pair.placement, tuning);
		rejected += match.passes ? 0 : 1;
		if (!isDeepStrictEqual(match, pair.match)) {
			differing++;
			console.log(`${sensitivity}: ${pair.a} ~ ${pair.b}\n  then ${JSON.stringify(pair.match)}\n  now  ${JSON.stringify(match)}`);
		}
	}

	const compareMs = cpuMs(started);
	console.log(
		`${sensitivity}: ${pairs.length} pairs (${rejected} rejected), ${wanted.length} thumbnails read in ${readMs.toFixed(0)} ms CPU (the worker included); `
			+ `comparing ${compareMs.toFixed(0)} ms CPU, ${(compareMs / pairs.length).toFixed(2)} ms a pair`,
	);
}

reader.close();
console.log(differing === 0 ? 'every pair judged exactly as traced' : `${differing} pairs judged differently`);
process.exitCode = differing === 0 ? 0 : 1;
