/**
 * npm run bench:fine-check — the two per-pair checks of duplicate verification, on the grids of rendered pictures:
 * the fine check on 32x32 detail grids (source/dupes/detail.ts `compareDetail`) and signature matching on 16x16
 * signatures (source/core/signature.ts `matchSignatures`). At a million photos verification runs them on hundreds of
 * thousands of candidate pairs, so their cost per pair is most of `curate dupes`' CPU after the hash index.
 *
 * The pictures are those of the synthetic bench catalog (test/helpers/synthetic-catalog.ts: rendered scenes
 * fingerprinted by scan's own functions), built in a temp dir. The pairs are each original with its re-encoded,
 * resized, turned and cropped copies (the first as found, the last through the crop search) and neighbouring burst
 * frames (rejected as found). Each check is timed against the plain version kept in test/dupes/fine-check-reference.ts
 * (what they were before they were made cheaper), alternating rounds in the same run so the ratio survives a loaded
 * machine, and every result is compared with the reference's, bit for bit.
 *
 *   node --import tsx bench/fine-check.ts [--size 6000] [--rounds 5]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {isDeepStrictEqual, parseArgs} from 'node:util';
import {matchSignatures} from '../source/core/signature.js';
import {Catalog} from '../source/db/catalog.js';
import {compareDetail, type DetailOptions} from '../source/dupes/detail.js';
import {sensitivities} from '../source/dupes/types.js';
import {mayBeCrop} from '../source/dupes/verify.js';
import {buildSyntheticCatalog} from '../test/helpers/synthetic-catalog.js';
import {referenceCompareDetail, referenceMatchSignatures} from '../test/dupes/fine-check-reference.js';

const {values} = parseArgs({options: {size: {type: 'string', default: '6000'}, rounds: {type: 'string', default: '5'}}});
const load = () => os.loadavg()[0]!.toFixed(1);
const cpuMs = (start: NodeJS.CpuUsage) => {
	const {user, system} = process.cpuUsage(start);
	return (user + system) / 1000;
};

console.log(`fine check and signature matching (node ${process.version}, ${os.cpus().length} cores, load ${load()})`);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'curate-bench-fine-'));
process.on('exit', () => fs.rmSync(root, {recursive: true, force: true}));
const catalogPath = path.join(root, 'catalog.db');
buildSyntheticCatalog(catalogPath, Number(values.size));
const catalog = Catalog.open(catalogPath);
const files = catalog.allPresent().filter(file => file.kind === 'image' && file.detail && file.signature && !/^(Backup|Tagged)\//.test(file.path));
catalog.close();

// Group each original with its copies and burst frames by name (IMG_0000012, IMG_0000012_copy0, IMG_0000012_3).
type File = (typeof files)[number];
const groups = new Map<string, {original?: File; copies: File[]; frames: File[]}>();
for (const file of files) {
	const match = /(IMG_\d+)(?:_(copy|crop|turned)\d+|_(\d+))?\.\w+$/.exec(file.path);
	if (!match) {
		continue;
	}

	const group = groups.get(match[1]!) ?? {copies: [], frames: []};
	groups.set(match[1]!, group);
	if (match[2]) {
		group.copies.push(file);
	} else if (match[3]) {
		group.frames.push(file);
	} else {
		group.original = file;
	}
}

type Pair = {a: Uint8Array; b: Uint8Array; signatureA: Uint8Array; signatureB: Uint8Array; options: DetailOptions; kind: 'as found' | 'crop search'};
const pairs: Pair[] = [];
const rotations = [0, 90, 180, 270] as const;
for (const {original, copies, frames} of groups.values()) {
	for (const copy of original ? copies : []) {
		// Turned the way the signatures say (verification takes the rotation the candidate was found under).
		const rotation = rotations.reduce((best, degrees) =>
			referenceMatchSignatures(copy.signature!, original!.signature!, degrees).correlation > referenceMatchSignatures(copy.signature!, original!.signature!, best).correlation ? degrees : best);
		const cropped = copy.path.includes('_crop');
		const options: DetailOptions = {rotation, hints: cropped ? [{x: 0.025, y: 0.025, w: 0.95, h: 0.95}] : [], crops: mayBeCrop(copy, original!)};
		pairs.push({a: copy.detail!, b: original!.detail!, signatureA: copy.signature!, signatureB: original!.signature!, options, kind: 'as found'});
	}

	for (let f = 1; f < frames.length; f++) {
		pairs.push({a: frames[f - 1]!.detail!, b: frames[f]!.detail!, signatureA: frames[f - 1]!.signature!, signatureB: frames[f]!.signature!, options: {crops: false}, kind: 'as found'});
	}
}

const tuning = sensitivities.normal.detail;
// Which pairs reach the crop search: those the first judgement as found does not pass and that may be a crop.
for (const pair of pairs) {
	const asFound = referenceCompareDetail(pair.a, pair.b, tuning, {...pair.options, crops: false});
	if (!asFound.passes && pair.options.crops !== false) {
		pair.kind = 'crop search';
	}
}

let differing = 0;
for (const pair of pairs) {
	const want = referenceCompareDetail(pair.a, pair.b, tuning, pair.options);
	const got = compareDetail(pair.a, pair.b, tuning, pair.options);
	const wantSignature = referenceMatchSignatures(pair.signatureA, pair.signatureB, pair.options.rotation);
	const gotSignature = matchSignatures(pair.signatureA, pair.signatureB, pair.options.rotation);
	if (!isDeepStrictEqual(got, want) || !isDeepStrictEqual(gotSignature, wantSignature)) {
		differing++;
		if (differing <= 5) {
			console.log(`differs:\n  reference ${JSON.stringify(want)} ${JSON.stringify(wantSignature)}\n  now       ${JSON.stringify(got)} ${JSON.stringify(gotSignature)}`);
		}
	}
}

const rounds = Number(values.rounds);
/** CPU milliseconds of `check` over `subset`, each of `rounds` rounds alternating with the reference. */
function time(subset: readonly Pair[], check: (pair: Pair) => unknown, reference: (pair: Pair) => unknown): {ms: number; referenceMs: number} {
	let ms = 0;
	let referenceMs = 0;
	for (let round = 0; round < rounds; round++) {
		let started = process.cpuUsage();
		for (const pair of subset) {
			reference(pair);
		}

		referenceMs += cpuMs(started);
		started = process.cpuUsage();
		for (const pair of subset) {
			check(pair);
		}

		ms += cpuMs(started);
	}

	return {ms, referenceMs};
}

const report = (label: string, count: number, {ms, referenceMs}: {ms: number; referenceMs: number}) => {
	const calls = count * rounds;
	console.log(
		`${label.padEnd(26)} ${String(count).padStart(6)} pairs: ${(calls / ms * 1000).toFixed(0).padStart(8)}/s (${(ms * 1000 / calls).toFixed(1)} µs a pair), `
			+ `before ${(calls / referenceMs * 1000).toFixed(0)}/s (${(referenceMs * 1000 / calls).toFixed(1)} µs): ${(referenceMs / ms).toFixed(2)}x; load ${load()}`,
	);
};

console.log(`${files.length} pictures of a ${values.size}-photo synthetic catalog, ${pairs.length} pairs, ${rounds} rounds`);
for (const kind of ['as found', 'crop search'] as const) {
	const subset = pairs.filter(pair => pair.kind === kind);
	report(`fine check, ${kind}`, subset.length, time(subset, pair => compareDetail(pair.a, pair.b, tuning, pair.options), pair => referenceCompareDetail(pair.a, pair.b, tuning, pair.options)));
}

report('signature matches', pairs.length, time(
	pairs,
	pair => matchSignatures(pair.signatureA, pair.signatureB, pair.options.rotation),
	pair => referenceMatchSignatures(pair.signatureA, pair.signatureB, pair.options.rotation),
));
console.log(differing === 0 ? 'every pair gave the same result as the reference, bit for bit' : `${differing} pairs differ from the reference`);
process.exitCode = differing === 0 ? 0 : 1;
