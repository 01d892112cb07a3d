/**
 * node --import tsx bench/dupes-pairs.ts [sensitivity] — a diagnostic beside `npm run bench:dupes`: every candidate
 * pair of the labelled set (built and scanned by bench:dupes) judged on its detail grids, printing the look-alike
 * pairs that pass and how the true pairs that pass only once aligned score, per half, so that thresholds of aligned
 * matches can be chosen on the tuning half and checked on the test half. Each row has the pair's placement (window,
 * rotation, which picture holds the window) and its cached thumbnails, for the thumbnail check (thumb-check.ts);
 * ALL_PAIRS=1 writes the pairs the grids reject too.
 */
import fs from 'node:fs';
import path from 'node:path';
import {matchSignatures} from '../source/core/signature.js';
import {Catalog} from '../source/db/catalog.js';
import {findCandidates, windowHashTable} from '../source/dupes/candidates.js';
import {compareDetail} from '../source/dupes/detail.js';
import type {Label} from '../source/dupes/evaluate.js';
import {type Sensitivity, sensitivities} from '../source/dupes/types.js';
import {groupUnits, usableFiles} from '../source/dupes/units.js';
import {windowHashes} from '../source/dupes/window-hash.js';
import {libraryAt} from '../source/library.js';

const sensitivity = (process.argv[2] ?? 'normal') as Sensitivity;
const tuning = sensitivities[sensitivity];
const corpus = path.resolve(import.meta.dirname, '../../shared/photos');
const root = path.resolve(import.meta.dirname, '.data', fs.existsSync(path.join(corpus, 'MANIFEST.md')) ? 'near-dup-set-corpus' : 'near-dup-set');
const labels = new Map((JSON.parse(fs.readFileSync(path.join(root, 'labels.json'), 'utf8')) as {files: Label[]}).files.map(label => [label.path, label]));
const catalog = Catalog.open(libraryAt(root).catalogPath);
const units = groupUnits(usableFiles(catalog.allPresent()));
const radius = tuning.distance;
const pairs = findCandidates(units, {
	radius,
	lookupRadius: Math.min(radius, 6),
	windowHashes: () => windowHashTable(units.length, unit => (units[unit]!.file.signature && units[unit]!.file.phash ? windowHashes(units[unit]!.file.signature!) : undefined)),
	windowRadius: Math.min(radius, 6),
});
const rows: string[] = [];
for (const pair of pairs) {
	let best: (typeof pair.ways)[number] | undefined;
	let bestCorrelation = -1;
	for (const way of pair.ways) {
		const first = units[way.i]!.file;
		const second = units[way.j]!.file;
		const signature = way.crop < 0 ? first.signature : first.signatureCrops?.subarray(way.crop * 256, way.crop * 256 + 256);
		if (signature && second.signature) {
			const {correlation} = matchSignatures(signature, second.signature, way.rotation);
			if (correlation > bestCorrelation) {
				bestCorrelation = correlation;
				best = way;
			}
		}
	}

	const way = best;
	if (!way || bestCorrelation < 0.5) {
		continue;
	}

	const a = units[way.i]!.file;
	const b = units[way.j]!.file;
	if (!a.detail || !b.detail) {
		continue;
	}

	const fraction = way.crop >= 0 ? [0.95, 0.9][way.crop]! : undefined;
	const hints = fraction === undefined ? [] : [{x: (1 - fraction) / 2, y: (1 - fraction) / 2, w: fraction, h: fraction}];
	const match = compareDetail(a.detail, b.detail, tuning.detail, {rotation: way.rotation, hints});
	if (!match.passes && !process.env.ALL_PAIRS) {
		continue;
	}

	const la = labels.get(a.path);
	const lb = labels.get(b.path);
	if (!la || !lb) {
		continue;
	}

	const same = la.group === lb.group;
	const {window} = match;
	const aligned = window.w < 0.985 || window.h < 0.985 || window.x > 0.015 || window.y > 0.015;
	rows.push(JSON.stringify({
		same, half: la.half, aligned, passes: match.passes, kinds: `${la.kind}/${lb.kind}`, a: a.path, b: b.path,
		correlation: +match.correlation.toFixed(4), worstBlock: +match.worstBlock.toFixed(3), worstLevel: +match.worstLevel.toFixed(1), overlay: match.overlay,
		window: [window.x, window.y, window.w, window.h].map(value => +value.toFixed(4)), rotation: way.rotation, within: match.within,
		thumbs: [a.thumb, b.thumb],
		...Object.fromEntries(Object.entries(match).filter(([key, value]) => typeof value === 'number' && !['correlation', 'worstBlock', 'worstLevel', 'overlay', 'within'].includes(key)).map(([key, value]) => [key, +(value as number).toFixed(4)])),
	}));
}

fs.writeFileSync(`/tmp/dupes-pairs-${sensitivity}.jsonl`, rows.join('\n') + '\n');
console.log(`${rows.length} passing pairs written to /tmp/dupes-pairs-${sensitivity}.jsonl`);
catalog.close();
