import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {dotModule, simdAvailable} from '../../source/ai/dot-wasm.js';
import {VectorScorer} from '../../source/ai/score-pool.js';
import {buildVectorSet, loadVectors, markRows, readVectorCache, shaAt, updateVectorCache, vectorCachePath, type VectorSet} from '../../source/ai/vector-cache.js';
import {quantize, scoreAll} from '../../source/core/vectors.js';
import {Catalog} from '../../source/db/catalog.js';
import {EmbeddingStore} from '../../source/db/embeddings.js';
import {tempDir} from '../helpers/temp.js';

function random(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
		return state / 2 ** 32 - 0.5;
	};
}

const sha = (i: number) => createHash('sha256').update(String(i)).digest('hex');
const vector = (next: () => number, dimensions: number) => Float32Array.from({length: dimensions}, next);

/** A real catalog holding `count` embeddings of width `dimensions` for model "m", committed in two batches. */
function catalogWith(count: number, dimensions: number) {
	const dir = tempDir();
	const catalog = Catalog.open(path.join(dir, 'catalog.db'));
	const store = new EmbeddingStore(catalog);
	const next = random(count * 31 + dimensions);
	const rows = Array.from({length: count}, (_, i) => ({sha256: sha(i), ...quantize(vector(next, dimensions))}));
	store.commitBatch('m', rows.slice(0, count >> 1), []);
	store.commitBatch('m', rows.slice(count >> 1), []);
	return {dir, catalog, store, rows, next};
}

test('the hand-assembled SIMD module validates and matches the scalar dot product, mask included', {skip: simdAvailable() ? false : 'no WebAssembly SIMD here'}, () => {
	const rows = 300;
	const stride = 48;
	const pages = 1;
	const memory = new WebAssembly.Memory({initial: pages, maximum: pages, shared: true});
	const matrix = new Int8Array(memory.buffer, 0, rows * stride);
	const next = random(7);
	matrix.forEach((_, i) => {
		matrix[i] = Math.round(next() * 254);
	});
	const queryAt = rows * stride;
	const query = new Int8Array(memory.buffer, queryAt, stride).map(() => Math.round(next() * 254));
	new Int8Array(memory.buffer, queryAt, stride).set(query);
	const maskAt = queryAt + stride;
	const mask = new Uint8Array(memory.buffer, maskAt, rows).map((_, i) => (i % 3 === 0 ? 0 : 1));
	new Uint8Array(memory.buffer, maskAt, rows).set(mask);
	const outAt = Math.ceil((maskAt + rows) / 16) * 16;
	const out = new Int32Array(memory.buffer, outAt, rows).fill(12_345);
	const instance = new WebAssembly.Instance(new WebAssembly.Module(dotModule(pages)), {env: {memory}});
	(instance.exports.score as (...args: number[]) => void)(0, rows, stride, queryAt, maskAt, outAt);
	for (let row = 0; row < rows; row++) {
		let expected = 0;
		for (let j = 0; j < stride; j++) {
			expected += matrix[row * stride + j]! * query[j]!;
		}

		assert.equal(out[row], mask[row] ? expected : 12_345, `row ${row}`);
	}
});

test('vectors load from the catalog in SHA-256 order, are cached in one file, and the cache is rebuilt when the catalog changes', () => {
	const {dir, catalog, store, rows, next} = catalogWith(50, 20);
	try {
		const file = vectorCachePath(dir, 'm');
		const built = loadVectors(store, dir, 'm');
		assert.equal(built.fromCache, false);
		assert.equal(built.rows, 50);
		assert.equal(built.stride, 32, 'rows padded to a multiple of 16');
		assert.ok(fs.existsSync(file));
		const order = rows.map(row => row.sha256).sort();
		assert.deepEqual(Array.from({length: 50}, (_, row) => shaAt(built, row)), order);
		const byRow = new Map(rows.map(row => [row.sha256, row]));
		const first = byRow.get(order[0]!)!;
		assert.deepEqual([...built.matrix.subarray(0, 20)], [...first.bytes]);
		assert.deepEqual([...built.matrix.subarray(20, 32)], Array.from({length: 12}, () => 0));
		assert.equal(built.scales[0], Math.fround(first.scale));

		const cached = loadVectors(store, dir, 'm');
		assert.equal(cached.fromCache, true);
		assert.deepEqual([...cached.matrix], [...built.matrix]);
		assert.deepEqual(cached.shas, built.shas);
		assert.deepEqual([...cached.scales], [...built.scales]);

		store.commitBatch('m', [{sha256: sha(1000), ...quantize(vector(next, 20))}], []);
		const fresh = loadVectors(store, dir, 'm');
		assert.equal(fresh.fromCache, false, 'a new batch makes the file stale');
		assert.equal(fresh.rows, 51);
		assert.equal(loadVectors(store, dir, 'm').fromCache, true);

		fs.truncateSync(file, fs.statSync(file).size - 1);
		const repaired = loadVectors(store, dir, 'm');
		assert.equal(repaired.fromCache, false, 'a truncated file is not trusted');
		assert.equal(repaired.rows, 51);
	} finally {
		catalog.close();
	}
});

test('after curate tag commits, the cache file is merged with the new rows (same result as a rebuild), or rebuilt when it was stale', () => {
	const {dir, catalog, store, next} = catalogWith(60, 24);
	try {
		const file = vectorCachePath(dir, 'm');
		const before = store.vectorStamp('m');
		loadVectors(store, dir, 'm');
		const added = [1001, 1002, 1003, 1004].map(i => ({sha256: sha(i), ...quantize(vector(next, 24))}));
		store.commitBatch('m', added.slice(0, 2), []);
		store.commitBatch('m', added.slice(2), []);
		assert.equal(updateVectorCache(store, dir, 'm', before, added), 'merged');
		const merged = readVectorCache(file, 'm', store.vectorStamp('m'));
		assert.ok(merged, 'the merged file carries the new stamp');
		const rebuilt = buildVectorSet(store, 'm');
		assert.equal(merged.rows, 64);
		assert.deepEqual(merged.shas, rebuilt.shas);
		assert.deepEqual([...merged.scales], [...rebuilt.scales]);
		assert.deepEqual([...merged.matrix], [...rebuilt.matrix]);

		const stale = store.vectorStamp('m');
		store.commitBatch('m', [{sha256: sha(2000), ...quantize(vector(next, 24))}], []);
		store.commitBatch('m', [{sha256: sha(2001), ...quantize(vector(next, 24))}], []);
		assert.equal(updateVectorCache(store, dir, 'm', 'not the file stamp', []), 'rebuilt');
		assert.equal(readVectorCache(file, 'm', store.vectorStamp('m'))?.rows, 66);
		assert.notEqual(stale, store.vectorStamp('m'));
	} finally {
		catalog.close();
	}
});

test('markRows marks exactly the rows of the given contents, by binary search (few) or merge (many)', () => {
	const {dir, catalog, store, rows} = catalogWith(400, 8);
	try {
		const vectors = loadVectors(store, dir, 'm');
		for (const picked of [[3, 17, 399], rows.map((_, i) => i).filter(i => i % 3 !== 0)]) {
			const expected = picked.map(i => rows[i]!.sha256).sort();
			const wanted = [...expected, sha(999), sha(5000), 'not hex'].sort();
			const mask = new Uint8Array(vectors.rows).fill(1);
			assert.equal(markRows(vectors, wanted, mask), expected.length);
			const marked = [...mask.keys()].filter(row => mask[row]).map(row => shaAt(vectors, row)).sort();
			assert.deepEqual(marked, expected);
		}
	} finally {
		catalog.close();
	}
});

async function scoresWith(vectors: VectorSet, query: Float32Array, options: {threads?: number; scalar?: boolean}, allowed?: Uint8Array) {
	const scorer = await VectorScorer.open(vectors, options);
	try {
		if (allowed) {
			scorer.mask.set(allowed);
		}

		return {scores: await scorer.score(query, Boolean(allowed)), threads: scorer.threads, simd: scorer.simd};
	} finally {
		await scorer.close();
	}
}

test('two threads with the SIMD kernel give the scalar scores, and a mask leaves rows out', async () => {
	const {dir, catalog, store, next} = catalogWith(1001, 40);
	try {
		const vectors = loadVectors(store, dir, 'm');
		const query = vector(next, 40);
		const dense = new Int8Array(vectors.rows * 40);
		for (let row = 0; row < vectors.rows; row++) {
			dense.set(vectors.matrix.subarray(row * vectors.stride, row * vectors.stride + 40), row * 40);
		}

		const expected = scoreAll(dense, vectors.scales, 40, query);
		const scalar = await scoresWith(vectors, query, {scalar: true});
		assert.equal(scalar.simd, false);
		assert.deepEqual([...scalar.scores], [...expected]);
		const parallel = await scoresWith(vectors, query, {threads: 2});
		if (simdAvailable()) {
			assert.equal(parallel.simd, true);
			assert.equal(parallel.threads, 2);
		}

		assert.deepEqual([...parallel.scores], [...expected]);
		const allowed = Uint8Array.from({length: vectors.rows}, (_, row) => (row % 7 === 2 ? 1 : 0));
		const masked = await scoresWith(vectors, query, {threads: 2}, allowed);
		assert.deepEqual([...masked.scores], [...expected].map((score, row) => (allowed[row] ? score : Number.NEGATIVE_INFINITY)));

		// A worker that died is not waited for: this thread scores its part.
		const scorer = await VectorScorer.open(vectors, {threads: 2});
		try {
			await Promise.all(scorer['workers'].map(async worker => worker.terminate()));
			assert.deepEqual([...(await scorer.score(query))], [...expected]);
		} finally {
			await scorer.close();
		}
	} finally {
		catalog.close();
	}
});
