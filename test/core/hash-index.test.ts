import assert from 'node:assert/strict';
import {test} from 'node:test';
import {clustersFromPairs, HammingIndex, popcount64, unionFind, type HammingIndexOptions} from '../../source/core/hash-index.js';
import {hamming} from '../../source/core/perceptual.js';
import {prng32} from '../helpers/prng.js';

function flipBits(hash: bigint, flips: number, next: () => number): bigint {
	const chosen = new Set<number>();
	while (chosen.size < flips) chosen.add(next() % 64);
	for (const bit of chosen) hash ^= 1n << BigInt(bit);
	return hash;
}

/**
 * Random hashes where about a third are near copies (0-12 flips) of an earlier hash, so every radius up to 12 has
 * many true pairs, including pairs split across block boundaries in every way.
 */
function plantedSet(n: number, seed: number): BigUint64Array {
	const next = prng32(seed);
	const hashes = new BigUint64Array(n);
	for (let i = 0; i < n; i++) {
		if (i > 0 && next() % 3 === 0) {
			hashes[i] = flipBits(hashes[next() % i], next() % 13, next);
		} else {
			hashes[i] = (BigInt(next()) << 32n) | BigInt(next());
		}
	}

	return hashes;
}

/** Every pair within 64 bits, by the independent BigInt distance, computed once per set and filtered per radius. */
function allDistances(hashes: BigUint64Array): Array<{key: string; distance: number}> {
	const found: Array<{key: string; distance: number}> = [];
	for (let i = 0; i < hashes.length; i++) {
		for (let j = i + 1; j < hashes.length; j++) {
			const distance = hamming(hashes[i], hashes[j]);
			if (distance <= 24) found.push({key: `${i},${j},${distance}`, distance});
		}
	}

	return found;
}

function within(all: Array<{key: string; distance: number}>, radius: number): string[] {
	return all
		.filter(pair => pair.distance <= radius)
		.map(pair => pair.key)
		.sort();
}

function brutePairs(hashes: BigUint64Array, radius: number): string[] {
	const found: string[] = [];
	for (let i = 0; i < hashes.length; i++) {
		for (let j = i + 1; j < hashes.length; j++) {
			const distance = hamming(hashes[i], hashes[j]);
			if (distance <= radius) found.push(`${i},${j},${distance}`);
		}
	}

	return found.sort();
}

function indexPairs(index: HammingIndex, radius: number): string[] {
	const found: string[] = [];
	index.pairsWithin(radius, (i, j, distance) => {
		assert.ok(i < j, `pair ${i},${j} is not ordered`);
		found.push(`${i},${j},${distance}`);
	});
	return found.sort();
}

const strategies: Array<HammingIndexOptions['blocks']> = ['auto', 'scan', 3, 4, 5, 6, 8, 16];

test('pairsWithin matches brute force for radii 0-12 and every strategy, each pair once', () => {
	const hashes = plantedSet(3000, 1);
	const all = allDistances(hashes);
	const indexes = strategies.map(blocks => ({blocks, index: new HammingIndex(hashes, {blocks})}));
	for (let radius = 0; radius <= 12; radius++) {
		const expected = within(all, radius);
		assert.ok(expected.length >= 20, `radius ${radius} has too few pairs to be a test`);
		for (const {blocks, index} of indexes) {
			// deepEqual of sorted lists also catches duplicates: any repeat makes the lists differ.
			assert.deepEqual(indexPairs(index, radius), expected, `radius ${radius}, blocks ${blocks}`);
		}
	}
});

test('pairsWithin at larger radii and on a second seed', () => {
	const hashes = plantedSet(800, 2);
	const all = allDistances(hashes);
	for (const radius of [13, 17, 24]) {
		const expected = within(all, radius);
		// Few blocks at these radii enumerate millions of neighbour masks: correct but too slow for a unit test.
		for (const blocks of ['auto', 'scan', 6, 8, 16] as const) {
			assert.deepEqual(indexPairs(new HammingIndex(hashes, {blocks}), radius), expected, `radius ${radius}, blocks ${blocks}`);
		}
	}

	// Radii of 64 and more take every pair.
	for (const radius of [40, 64, 100]) {
		let count = 0;
		new HammingIndex(hashes.subarray(0, 300)).pairsWithin(radius, () => count++);
		assert.equal(count, radius >= 64 ? (300 * 299) / 2 : brutePairs(hashes.subarray(0, 300), radius).length);
	}
});

test('query matches brute force, nearest first', () => {
	const hashes = plantedSet(3000, 3);
	const next = prng32(99);
	const queries = [0n, 0xff_ff_ff_ff_ff_ff_ff_ffn, ...Array.from({length: 40}, (_, i) => flipBits(hashes[i * 70], next() % 8, next))];
	const indexes = strategies.map(blocks => ({blocks, index: new HammingIndex(hashes, {blocks})}));
	for (const radius of [0, 1, 4, 8, 10, 12]) {
		for (const hash of queries) {
			const expected = [...hashes]
				.map((h, index) => ({index, distance: hamming(h, hash)}))
				.filter(match => match.distance <= radius)
				.sort((a, b) => a.distance - b.distance || a.index - b.index);
			for (const {blocks, index} of indexes) {
				assert.deepEqual(index.query(hash, radius), expected, `radius ${radius}, blocks ${blocks}, hash ${hash}`);
			}
		}
	}
});

test('queryEach gives what one query per hash gives, in query order, for every strategy', () => {
	// Five lookups a photo made dupes at a million photos take minutes one at a time (issue 15); the batch must not
	// change a single hit or its order.
	const hashes = plantedSet(4000, 5);
	const next = prng32(123);
	const queries = [0n, 0xff_ff_ff_ff_ff_ff_ff_ffn, hashes[7], ...Array.from({length: 600}, (_, i) => (i % 3 === 0 ? flipBits(hashes[(i * 37) % 4000], next() % 9, next) : (BigInt(next()) << 32n) | BigInt(next())))];
	const hi = Uint32Array.from(queries, hash => Number(hash >> 32n));
	const lo = Uint32Array.from(queries, hash => Number(hash & 0xff_ff_ff_ffn));
	for (const blocks of [...strategies, 'auto'] as const) {
		const index = new HammingIndex(hashes, {blocks});
		for (const radius of [0, 3, 6, 8]) {
			const expected = queries.flatMap((hash, q) => index.query(hash, radius).map(match => [q, match.index, match.distance]));
			const got: number[][] = [];
			index.queryEach(hi, lo, radius, (q, hit, distance) => got.push([q, hit, distance]));
			assert.deepEqual(got, expected, `radius ${radius}, blocks ${blocks}`);
			assert.ok(radius < 6 || expected.length > 100, `near copies are found (${expected.length})`);
		}
	}
});

test('queryEach over groups reads the hashes in place: the same hits as the group members without their first, queries numbered without it', () => {
	// The window lookup of issue 15 reads each picture's crop-window hashes from a table that also holds its whole hash;
	// a copy of the table without them cost 64 MB at a million photos.
	const hashes = plantedSet(3000, 11);
	const next = prng32(77);
	const group = 9;
	const table = Array.from({length: 90 * group}, (_, i) => (i % 4 === 0 ? flipBits(hashes[(i * 53) % 3000], next() % 8, next) : (BigInt(next()) << 32n) | BigInt(next())));
	const members = table.filter((_, i) => i % group !== 0);
	const halves = (list: bigint[]) => [Uint32Array.from(list, hash => Number(hash >> 32n)), Uint32Array.from(list, hash => Number(hash & 0xff_ff_ff_ffn))] as const;
	const [hi, lo] = halves(table);
	const [memberHi, memberLo] = halves(members);
	for (const blocks of [...strategies, 'auto'] as const) {
		const index = new HammingIndex(hashes, {blocks});
		for (const radius of [0, 4, 6]) {
			const expected: number[][] = [];
			index.queryEach(memberHi, memberLo, radius, (q, hit, distance) => expected.push([q, hit, distance]));
			const got: number[][] = [];
			index.queryEach(hi, lo, radius, (q, hit, distance) => got.push([q, hit, distance]), {groupsOf: group});
			assert.deepEqual(got, expected, `radius ${radius}, blocks ${blocks}`);
			assert.ok(radius < 4 || expected.length > 20, `near copies are found (${expected.length})`);
		}
	}

	const index = new HammingIndex(hashes);
	assert.throws(() => index.queryEach(hi, lo, 4, () => {}, {groupsOf: 1}), RangeError);
	assert.throws(() => index.queryEach(hi.subarray(1), lo.subarray(1), 4, () => {}, {groupsOf: group}), RangeError);
});

test('a batch of more window queries than one join sorts at once gives every hit once, in query order', () => {
	// At a million photos the eight million window queries are sorted into each block's buckets a range of buckets at a
	// time (2^20 queries or so each), not as 128 MB of copies at once; no hit may be lost, repeated or reordered.
	const next = prng32(2026);
	// Indexed hashes have a zero high half and every other query an all-ones one: only the planted queries can hit.
	const indexed = Array.from({length: 2000}, () => BigInt(next()));
	indexed[1999] = indexed[3]! ^ 1n;
	const group = 9;
	const groups = 140_000;
	const count = groups * (group - 1);
	const slice = 2 ** 20;
	const planted = new Map<number, bigint>();
	for (const q of [0, 5, slice - 2, slice - 1, slice, slice + 1, slice + 8, count - 1]) {
		planted.set(q, flipBits(indexed[q % 7 === 0 ? 3 : (q * 31) % 2000]!, q % 5, next));
	}

	const hi = new Uint32Array(groups * group).fill(0xff_ff_ff_ff);
	const lo = Uint32Array.from({length: groups * group}, () => next());
	for (const [q, hash] of planted) {
		const at = Math.floor(q / (group - 1)) * group + 1 + (q % (group - 1));
		hi[at] = Number(hash >> 32n);
		lo[at] = Number(hash & 0xff_ff_ff_ffn);
	}

	assert.ok(count > slice, 'more queries than one join sorts at once');
	for (const blocks of [4, 'auto'] as const) {
		const index = new HammingIndex(BigUint64Array.from(indexed), {blocks});
		const expected = [...planted].sort(([x], [y]) => x - y).flatMap(([q, hash]) => index.query(hash, 6).map(match => [q, match.index, match.distance]));
		const got: number[][] = [];
		index.queryEach(hi, lo, 6, (q, hit, distance) => got.push([q, hit, distance]), {groupsOf: group});
		assert.deepEqual(got, expected, `blocks ${blocks}`);
		assert.ok(expected.length > planted.size, `every planted query hits, some twice (${expected.length})`);
	}
});

test('an index made from 32-bit halves answers as one made from 64-bit hashes', () => {
	const hashes = plantedSet(2000, 13);
	const hi = Uint32Array.from(hashes, hash => Number(hash >> 32n));
	const lo = Uint32Array.from(hashes, hash => Number(hash & 0xff_ff_ff_ffn));
	for (const blocks of strategies) {
		const fromHalves = new HammingIndex({hi, lo}, {blocks});
		assert.deepEqual(indexPairs(fromHalves, 8), indexPairs(new HammingIndex(hashes, {blocks}), 8), `blocks ${blocks}`);
		assert.deepEqual(fromHalves.query(hashes[5], 6), new HammingIndex(hashes, {blocks}).query(hashes[5], 6));
	}

	hi[0] ^= 1;
	assert.equal(new HammingIndex({hi: hi.slice(), lo}).query(hashes[0], 0).some(match => match.index === 0), false, 'the halves are read as given');
	assert.throws(() => new HammingIndex({hi, lo: lo.subarray(1)}), RangeError);
});

test('identical hashes, all-zero and all-one hashes', () => {
	const ones = 0xff_ff_ff_ff_ff_ff_ff_ffn;
	const hashes = new BigUint64Array([ones, 0n, ones, 0n, 0n, ones ^ 1n, 1n << 63n]);
	for (const blocks of strategies) {
		const index = new HammingIndex(hashes, {blocks});
		assert.deepEqual(indexPairs(index, 0), ['0,2,0', '1,3,0', '1,4,0', '3,4,0'].sort(), `blocks ${blocks}`);
		assert.deepEqual(indexPairs(index, 1), brutePairs(hashes, 1), `blocks ${blocks}`);
		assert.deepEqual(indexPairs(index, 64).length, (7 * 6) / 2, `blocks ${blocks}`);
		assert.deepEqual(index.query(ones, 1), [{index: 0, distance: 0}, {index: 2, distance: 0}, {index: 5, distance: 1}]);
		assert.deepEqual(index.query(0n, 1), [{index: 1, distance: 0}, {index: 3, distance: 0}, {index: 4, distance: 0}, {index: 6, distance: 1}]);
	}

	const many = new BigUint64Array(500).fill(0x1234_5678_9abc_def0n);
	let count = 0;
	new HammingIndex(many).pairsWithin(0, () => count++);
	assert.equal(count, (500 * 499) / 2);
});

test('empty and single-hash indexes', () => {
	for (const blocks of strategies) {
		for (const hashes of [new BigUint64Array(0), new BigUint64Array([42n])]) {
			const index = new HammingIndex(hashes, {blocks});
			assert.deepEqual(indexPairs(index, 10), []);
			assert.deepEqual(index.query(42n, 0), hashes.length === 1 ? [{index: 0, distance: 0}] : []);
		}
	}
});

test('a subarray view is read from its own offset', () => {
	const backing = new BigUint64Array([5n, 7n, 7n, 9n]);
	const index = new HammingIndex(backing.subarray(1, 3));
	assert.equal(index.size, 2);
	assert.deepEqual(indexPairs(index, 0), ['0,1,0']);
});

test('bad arguments are rejected', () => {
	const index = new HammingIndex(new BigUint64Array([1n, 2n]));
	assert.throws(() => index.pairsWithin(-1, () => {}), RangeError);
	assert.throws(() => index.pairsWithin(1.5, () => {}), RangeError);
	assert.throws(() => index.query(-1n, 2), RangeError);
	assert.throws(() => index.query(1n << 64n, 2), RangeError);
	assert.throws(() => new HammingIndex(new BigUint64Array(0), {blocks: 2}), RangeError);
});

test('the cost model prefers a scan for tiny sets and blocks for large ones', () => {
	assert.equal(new HammingIndex(new BigUint64Array(10)).planFor(8), 'scan');
	const large = new HammingIndex(new BigUint64Array(200_000));
	assert.equal(typeof large.planFor(8), 'number');
	assert.equal(large.planFor(63), 'scan');
});

test('popcount64 counts differing bits of both halves', () => {
	assert.equal(popcount64(0, 0, 0, 0), 0);
	assert.equal(popcount64(0xff_ff_ff_ff, 0xff_ff_ff_ff, 0, 0), 64);
	assert.equal(popcount64(-1, -1, 0, 0), 64);
	assert.equal(popcount64(0x8000_0000, 1, 0, 0), 2);
	const next = prng32(5);
	for (let t = 0; t < 1000; t++) {
		const [a, b, c, d] = [next(), next(), next(), next()];
		assert.equal(popcount64(a, b, c, d), hamming((BigInt(a) << 32n) | BigInt(b), (BigInt(c) << 32n) | BigInt(d)));
	}
});

test('clustersFromPairs groups transitively, sorted, singletons left out', () => {
	const pairs: Array<[number, number]> = [
		[9, 4],
		[4, 7],
		[1, 3],
		[7, 9],
		[8, 8],
		[2, 0],
	];
	assert.deepEqual(clustersFromPairs(10, pairs), [
		[0, 2],
		[1, 3],
		[4, 7, 9],
	]);
	assert.deepEqual(clustersFromPairs(0, []), []);
	assert.deepEqual(
		clustersFromPairs(6, [
			[5, 4],
			[3, 4],
			[2, 3],
			[1, 2],
			[0, 1],
		]),
		[[0, 1, 2, 3, 4, 5]],
	);
	assert.throws(() => clustersFromPairs(3, [[0, 3]]), RangeError);
});

test('unionFind reports whether a union merged anything', () => {
	const sets = unionFind(4);
	assert.equal(sets.union(0, 1), true);
	assert.equal(sets.union(1, 0), false);
	assert.equal(sets.union(2, 3), true);
	assert.equal(sets.union(3, 0), true);
	assert.equal(sets.find(2), sets.find(1));
});
