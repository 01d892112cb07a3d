import assert from 'node:assert/strict';
import {test} from 'node:test';
import {dequantize, quantize, scoreAll, softmax, topK} from '../../source/core/vectors.js';

/** A deterministic generator, so failures reproduce. */
function random(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
		return state / 2 ** 32;
	};
}

function gaussian(next: () => number) {
	return Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next());
}

/**
 * Unit vectors shaped like CLIP image embeddings: a direction all photos share, a few themes (topics) and noise,
 * so many photos are near-ties, which is where quantization could reorder results.
 */
function clipLike(count: number, dimensions: number, seed: number): Float32Array[] {
	const next = random(seed);
	const unit = (vector: Float32Array) => {
		const norm = Math.hypot(...vector);
		return vector.map(value => value / norm);
	};

	const common = unit(Float32Array.from({length: dimensions}, () => gaussian(next)));
	const themes = Array.from({length: 20}, () => unit(Float32Array.from({length: dimensions}, () => gaussian(next))));
	return Array.from({length: count}, () => {
		const theme = themes[Math.floor(next() * themes.length)]!;
		return unit(Float32Array.from({length: dimensions}, (_, i) => common[i]! * 2 + theme[i]! * 1.2 + gaussian(next) * 0.05));
	});
}

test('int8 quantization restores each value within half a step', () => {
	const vector = Float32Array.from([0.5, -0.25, 0.125, 0, -0.5, 0.3333]);
	const quantized = quantize(vector);
	assert.equal(Math.max(...quantized.bytes.map(Math.abs)), 127);
	const restored = dequantize(quantized);
	for (const [i, value] of vector.entries()) {
		assert.ok(Math.abs(restored[i]! - value) <= quantized.scale / 2 + 1e-7);
	}
});

test('scoreAll over int8 rows matches float32 cosines closely', () => {
	const dimensions = 512;
	const vectors = clipLike(200, dimensions, 7);
	const query = clipLike(1, dimensions, 99)[0]!;
	const matrix = new Int8Array(vectors.length * dimensions);
	const scales = new Float32Array(vectors.length);
	for (const [row, vector] of vectors.entries()) {
		const {scale, bytes} = quantize(vector);
		matrix.set(bytes, row * dimensions);
		scales[row] = scale;
	}

	const scores = scoreAll(matrix, scales, dimensions, query);
	for (const [row, vector] of vectors.entries()) {
		const exact = vector.reduce((sum, value, i) => sum + value * query[i]!, 0);
		assert.ok(Math.abs(scores[row]! - exact) < 0.01, `row ${row}: ${scores[row]} vs ${exact}`);
	}
});

test('int8 search keeps the float32 ranking: top-10 overlap at least 0.9 on CLIP-like vectors', () => {
	const dimensions = 512;
	const vectors = clipLike(5000, dimensions, 1);
	const queries = clipLike(20, dimensions, 2);
	const matrix = new Int8Array(vectors.length * dimensions);
	const scales = new Float32Array(vectors.length);
	for (const [row, vector] of vectors.entries()) {
		const {scale, bytes} = quantize(vector);
		matrix.set(bytes, row * dimensions);
		scales[row] = scale;
	}

	let overlap = 0;
	for (const query of queries) {
		const exact = Float32Array.from(vectors, vector => vector.reduce((sum, value, i) => sum + value * query[i]!, 0));
		const expected = new Set(topK(exact, 10));
		const got = topK(scoreAll(matrix, scales, dimensions, query), 10);
		overlap += got.filter(row => expected.has(row)).length / 10;
	}

	const mean = overlap / queries.length;
	assert.ok(mean >= 0.9, `mean top-10 overlap ${mean}`);
});

test('topK: the k best in order, ties by row, honouring a filter', () => {
	const next = random(3);
	const scores = Float32Array.from({length: 1000}, () => Math.round(next() * 200) / 200);
	const sorted = [...scores.keys()].sort((a, b) => scores[b]! - scores[a]! || a - b);
	assert.deepEqual(topK(scores, 25), sorted.slice(0, 25));
	assert.deepEqual(topK(scores, 5, row => row % 2 === 0), sorted.filter(row => row % 2 === 0).slice(0, 5));
	assert.deepEqual(topK(scores, 0), []);
	assert.equal(topK(scores, 5000).length, 1000);
});

test('softmax at CLIP scale: a 0.05 cosine lead is a confident choice', () => {
	const shares = softmax([0.3, 0.25, 0.25], 100);
	assert.ok(Math.abs(shares.reduce((a, b) => a + b, 0) - 1) < 1e-9);
	assert.ok(shares[0]! > 0.98);
});
