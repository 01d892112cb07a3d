import assert from 'node:assert/strict';
import {test} from 'node:test';
import {HammingIndex} from '../../source/core/hash-index.js';
import {hamming, hashToHex, hexToHash} from '../../source/core/perceptual.js';
import {type CandidatePair, type CandidateWay, findCandidates, takenMs, type WindowHashTable} from '../../source/dupes/candidates.js';
import {storedFile, unitsOf} from './helpers/stored-file.js';
import {prng32} from '../helpers/prng.js';

const random64 = (next: () => number) => (BigInt(next()) << 32n) | BigInt(next());
const flips = (hash: bigint, count: number, next: () => number) => {
	let out = hash;
	for (let k = 0; k < count; k++) out ^= 1n << BigInt(next() % 64);
	return out;
};

/**
 * Candidate lookup as it was before pairs were keyed by numbers and lookups streamed (the order verification depends
 * on): a Map keyed by "a,b" strings, every lookup one `query` at a time, in the same sequence.
 */
function previousCandidates(units: ReturnType<typeof unitsOf>, options: {radius: number; lookupRadius: number; windowRadius: number; similarWindowMs?: number; table: WindowHashTable}): CandidatePair[] {
	const hashed = [...units.keys()].filter(index => units[index]!.file.phash);
	const hashes = BigUint64Array.from(hashed, index => hexToHash(units[index]!.file.phash!));
	const index = new HammingIndex(hashes);
	const pairs = new Map<string, {a: number; b: number; ways: CandidateWay[]}>();
	const consider = (i: number, j: number, rotation: 0 | 90 | 180 | 270, distance: number, crop = -1, window = false) => {
		if (i === j) return;
		const ui = window ? i : hashed[i]!;
		const uj = window ? j : hashed[j]!;
		if (ui === uj) return;
		const key = ui < uj ? `${ui},${uj}` : `${uj},${ui}`;
		let pair = pairs.get(key);
		if (!pair) {
			pair = {a: Math.min(ui, uj), b: Math.max(ui, uj), ways: []};
			pairs.set(key, pair);
		}

		pair.ways.push((window ? {i: ui, j: uj, rotation, crop, distance, window} : {i: ui, j: uj, rotation, crop, distance}) as CandidateWay);
	};

	index.pairsWithin(options.radius, (i, j, distance) => consider(i, j, 0, distance));
	for (const [position, unit] of hashed.entries()) {
		const turned = units[unit]!.file.phashRotations;
		if (turned?.length === 48) {
			for (const [k, rotation] of ([90, 180, 270] as const).entries()) {
				for (const match of index.query(hexToHash(turned.slice(16 * k, 16 * k + 16)), options.lookupRadius)) consider(position, match.index, rotation, match.distance);
			}
		}
	}

	for (const [position, unit] of hashed.entries()) {
		const crops = units[unit]!.file.phashCrops;
		if (crops?.length === 32) {
			for (const crop of [0, 1]) {
				for (const match of index.query(hexToHash(crops.slice(16 * crop, 16 * crop + 16)), options.lookupRadius)) consider(position, match.index, 0, match.distance, crop);
			}
		}
	}

	const {table} = options;
	const per = table.perUnit;
	const joined = (at: number) => (BigInt(table.hi[at]!) << 32n) | BigInt(table.lo[at]!);
	const wholes = new HammingIndex(BigUint64Array.from(table.units, (_, k) => joined(k * per)));
	for (let k = 0; k < table.units.length; k++) {
		for (let w = 1; w < per; w++) {
			for (const match of wholes.query(joined(k * per + w), options.windowRadius)) consider(table.units[k]!, table.units[match.index]!, 0, match.distance, -1, true);
		}
	}

	if (options.similarWindowMs !== undefined) {
		const timed = [...hashed.keys()]
			.map(i => ({i, ms: takenMs(units[hashed[i]!]!.file)}))
			.filter((entry): entry is {i: number; ms: number} => entry.ms !== undefined)
			.sort((x, y) => x.ms - y.ms);
		for (let x = 0; x < timed.length; x++) {
			for (let y = x + 1; y < timed.length && timed[y]!.ms - timed[x]!.ms <= options.similarWindowMs; y++) {
				consider(timed[x]!.i, timed[y]!.i, 0, hamming(hashes[timed[x]!.i]!, hashes[timed[y]!.i]!));
			}
		}
	}

	return [...pairs.values()];
}

/**
 * A seeded library: pictures with turned, cropped and window hashes, a third of them near copies of an earlier one
 * (pHash and window hashes a few bits off, or one picture's hash as another's crop or turned hash), some without a
 * pHash or window hashes, capture times in bursts.
 */
function seededLibrary(count: number, seed: number) {
	const next = prng32(seed);
	const per = 9;
	const files = [];
	const listed: number[] = [];
	const hi: number[] = [];
	const lo: number[] = [];
	const kept: Array<{phash: bigint; windows: bigint[]}> = [];
	for (let n = 0; n < count; n++) {
		const source = n > 0 && next() % 3 === 0 ? kept[next() % kept.length]! : undefined;
		const phash = source ? flips(source.phash, next() % 9, next) : random64(next);
		const windows = Array.from({length: per}, (_, w) => (source && next() % 2 === 0 ? flips(source.windows[(w + (next() % per)) % per]!, next() % 7, next) : random64(next)));
		kept.push({phash, windows});
		// Turned and crop hashes: now and then exactly another picture's pHash, a few bits off.
		const other = () => (kept.length > 1 && next() % 4 === 0 ? flips(kept[next() % kept.length]!.phash, next() % 7, next) : random64(next));
		const hasPhash = next() % 20 !== 0;
		files.push(
			storedFile(`${n}.jpg`, {
				phash: hasPhash ? hashToHex(phash) : null,
				phashRotations: next() % 10 === 0 ? null : [other(), other(), other()].map(hashToHex).join(''),
				phashCrops: next() % 10 === 0 ? null : [other(), other()].map(hashToHex).join(''),
				takenAt: next() % 3 === 0 ? null : new Date(Date.UTC(2020, 0, 1) + (next() % 4000) * 1000).toISOString(),
				takenAtSource: 'original',
			}),
		);
		if (hasPhash && next() % 15 !== 0) {
			listed.push(n);
			for (const hash of windows) {
				hi.push(Number(hash >> 32n));
				lo.push(Number(hash & 0xff_ff_ff_ffn));
			}
		}
	}

	const table: WindowHashTable = {units: Uint32Array.from(listed), perUnit: per, hi: Uint32Array.from(hi), lo: Uint32Array.from(lo)};
	return {units: unitsOf(files), table};
}

test('candidate lookup gives the pairs, ways and order the previous lookup gave, on a seeded library', () => {
	// Verification skips a pair whose photos earlier links already joined, so the order pairs come in decides which are
	// judged: `curate dupes` must print the same clusters byte for byte after lookup got cheaper (issue 15).
	for (const seed of [1, 2, 3]) {
		const {units, table} = seededLibrary(2500, seed);
		for (const similarWindowMs of [undefined, 120_000]) {
			const options = {radius: 8, lookupRadius: 6, windowRadius: 6, similarWindowMs, table};
			const expected = previousCandidates(units, options);
			// Compared as plain pairs: the pairs lookup returns make their ways when read.
			const got = findCandidates(units, {...options, windowHashes: table}).map(({a, b, ways}) => ({a, b, ways: [...ways]}));
			assert.deepEqual(got, expected, `seed ${seed}, similar ${similarWindowMs}`);
			const ways = expected.flatMap(pair => pair.ways);
			assert.ok(ways.some(way => way.window) && ways.some(way => way.rotation !== 0) && ways.some(way => way.crop >= 0), 'every kind of lookup finds pairs');
			assert.ok(expected.some(pair => pair.ways.length > 1), 'some pairs are found more than one way');
			assert.ok(expected.length > 500, `many pairs (${expected.length})`);
		}
	}
});

test('a malformed pHash is refused as before', () => {
	const units = unitsOf([storedFile('a.jpg', {phash: '0123456789abcdef'}), storedFile('b.jpg', {phash: 'not hex'})]);
	assert.throws(() => findCandidates(units, {radius: 8, lookupRadius: 6}), /not a 64-bit hex hash: "not hex"/);
	const short = unitsOf([storedFile('a.jpg', {phash: 'ff'}), storedFile('b.jpg', {phash: '0fe'})]);
	assert.deepEqual(findCandidates(short, {radius: 2, lookupRadius: 2}).map(pair => pair.ways.map(way => way.distance)), [[hamming(hexToHash('ff'), hexToHash('0fe'))]], 'short hex reads as hexToHash reads it');
});
