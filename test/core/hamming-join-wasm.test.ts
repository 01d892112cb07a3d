// The WebAssembly join of the Hamming index (issue 15) against the JavaScript join it replaces: the same pairs in the
// same order, for self-joins (pairsWithin) and lookups (queryEach), at every block count, with buckets so full that
// one join stops for room and goes on many times.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {HammingIndex, type HammingIndexOptions} from '../../source/core/hash-index.js';
import {joinModule, WasmJoin} from '../../source/core/hamming-join-wasm.js';
import {prng32} from '../helpers/prng.js';

/** Hashes of which about half are near copies (0-10 bits flipped) of earlier ones, and `crowd` copies of one hash. */
function hashes(n: number, seed: number, crowd = 0): {hi: Uint32Array; lo: Uint32Array} {
	const next = prng32(seed);
	const hi = new Uint32Array(n + crowd);
	const lo = new Uint32Array(n + crowd);
	for (let i = 0; i < n; i++) {
		if (i > 0 && next() % 2 === 0) {
			const from = next() % i;
			hi[i] = hi[from]!;
			lo[i] = lo[from]!;
			for (let flips = next() % 11; flips > 0; flips--) {
				const bit = next() % 64;
				if (bit < 32) hi[i]! ^= 1 << bit;
				else lo[i]! ^= 1 << (bit - 32);
			}
		} else {
			hi[i] = next();
			lo[i] = next();
		}
	}

	// A crowd: one hash many times, and as many one bit away, so a bucket meets its neighbour in tens of thousands of pairs.
	for (let i = n; i < n + crowd; i++) {
		hi[i] = 0x1234_5678;
		lo[i] = i % 2 === 0 ? 0x9abc_def0 : 0x9abc_def1;
	}

	return {hi, lo};
}

function pairs(set: {hi: Uint32Array; lo: Uint32Array}, radius: number, options: HammingIndexOptions): number[] {
	const out: number[] = [];
	new HammingIndex(set, options).pairsWithin(radius, (i, j, distance) => out.push(i, j, distance));
	return out;
}

function lookups(set: {hi: Uint32Array; lo: Uint32Array}, queries: {hi: Uint32Array; lo: Uint32Array}, radius: number, options: HammingIndexOptions): number[] {
	const out: number[] = [];
	new HammingIndex(set, options).queryEach(queries.hi, queries.lo, radius, (q, index, distance) => out.push(q, index, distance));
	return out;
}

test('the module compiles here, so the index joins in WebAssembly', () => {
	assert.ok(WebAssembly.validate(joinModule()));
	assert.ok(WasmJoin.create());
});

test('pairsWithin: the WebAssembly join gives the JavaScript join\'s pairs in the same order, at every block count and radius', () => {
	const set = hashes(6000, 11, 600);
	for (const blocks of [3, 4, 5, 8] as const) {
		for (const radius of [0, 2, 6, 8, 10]) {
			const expected = pairs(set, radius, {blocks, join: 'javascript'});
			assert.deepEqual(pairs(set, radius, {blocks, join: 'webassembly'}), expected, `blocks ${blocks}, radius ${radius}`);
			assert.ok(radius === 0 || expected.length / 3 > 90_000, `the crowd makes more pairs than one output holds (${expected.length / 3})`);
		}
	}
});

test('queryEach: the WebAssembly join gives the JavaScript join\'s hits in the same order, across parts and with groups', () => {
	const set = hashes(5000, 12, 400);
	const queries = hashes(20_000, 13, 400);
	for (const blocks of [3, 4, 6] as const) {
		for (const radius of [0, 4, 6, 9]) {
			const expected = lookups(set, queries, radius, {blocks, join: 'javascript'});
			assert.deepEqual(lookups(set, queries, radius, {blocks, join: 'webassembly'}), expected, `blocks ${blocks}, radius ${radius}`);
			assert.ok(expected.length / 3 > 70_000, `${expected.length / 3} hits`);
		}
	}

	// Grouped queries (a picture's whole hash ahead of its windows'): the first of each group is not looked up.
	const grouped = (join: 'javascript' | 'webassembly') => {
		const out: number[] = [];
		new HammingIndex(set, {join}).queryEach(queries.hi.subarray(0, 18_000), queries.lo.subarray(0, 18_000), 6, (q, index, distance) => out.push(q, index, distance), {groupsOf: 9});
		return out;
	};

	assert.deepEqual(grouped('webassembly'), grouped('javascript'));
});

test('a join whose output holds one row of probes stops after every row and goes on where it stopped, with the same pairs', () => {
	// Two buckets of a 2-bit block: values 0 and 1, joined under mask 1.
	const occupied = Uint32Array.from([0, 1]);
	const offsets = Uint32Array.from([0, 3, 5, 5, 5]);
	const first = Uint32Array.from([0b0001, 0b0011, 0b1111, 0b0000, 0b0111]);
	const second = Uint32Array.from([0, 0, 0, 1, 0]);
	const run = (capacity: number) => {
		const join = WasmJoin.create()!;
		join.placeIndex(occupied, {offsets, first, second});
		join.placeProbes('index', {capacity});
		const out: number[] = [];
		join.run(0, occupied.length, 1, 0b11, 1, 3, (p, x, distance) => out.push(p, x, distance));
		return out;
	};

	const expected: number[] = [];
	for (const p of [0, 1, 2]) {
		for (const x of [3, 4]) {
			const distance = popcount(first[p]! ^ first[x]!) + popcount(second[p]! ^ second[x]!);
			if (distance <= 3) expected.push(p, x, distance);
		}
	}

	assert.ok(expected.length / 3 >= 4);
	assert.deepEqual(run(1 << 16), expected);
	// The output is never smaller than a bucket of probes (two here), so each row fits and the join goes on.
	assert.deepEqual(run(1), expected);
});

function popcount(x: number): number {
	let count = 0;
	for (let bits = x >>> 0; bits !== 0; bits >>>= 1) count += bits & 1;
	return count;
}
