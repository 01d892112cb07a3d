/**
 * Near-duplicate search at library scale: how long HammingIndex takes to find every pair of 64-bit hashes within
 * radius 8, against comparing all pairs.
 *
 *   node --import tsx bench/dupes-scale.ts [--sizes 100000,1000000] [--radius 8] [--brute 20000] [--compare]
 *
 * Synthetic sets: uniform random hashes where about 15% of items are near copies of another item (0-6 random bit
 * flips each), mostly in pairs, some in groups of 3-5. Prints, per size, seconds to build the index and find all
 * pairs, pairs found, clusters and memory; then the all-pairs time on --brute hashes, its ×(n/brute)² extrapolation
 * to the largest size and the ratio to the index, and whether the index found exactly the brute-force pairs.
 * --compare also times every forced block count on the largest size, to check the cost model's choice.
 */
import {parseArgs} from 'node:util';
import {pathToFileURL} from 'node:url';
import {HammingIndex, popcount64, unionFind, type HammingIndexOptions} from '../source/core/hash-index.js';
import {prng32} from '../test/helpers/prng.js';

/** Measurements for one synthetic set. */
export type ScaleRun = {
	size: number;
	radius: number;
	strategy: string;
	/** Share of items planted as near copies of another item. */
	copyShare: number;
	buildSeconds: number;
	pairsSeconds: number;
	totalSeconds: number;
	pairs: number;
	clusters: number;
	rssMB: number;
	maxRssMB: number;
};

/** Everything {@link runScaleBench} measured. */
export type ScaleBenchResult = {
	radius: number;
	runs: ScaleRun[];
	brute: {size: number; seconds: number; pairs: number; indexSeconds: number; samePairs: boolean};
	extrapolated: {size: number; bruteSeconds: number; indexSeconds: number; ratio: number};
	compare: Array<{blocks: string; seconds: number; pairs: number}>;
};

/** Options for {@link runScaleBench}. */
export type ScaleBenchOptions = {
	sizes?: number[];
	radius?: number;
	bruteSize?: number;
	compare?: boolean;
	log?: (line: string) => void;
};

/** A synthetic library of `size` hashes with planted near-copy groups, shuffled so copies are not adjacent. */
export function syntheticHashes(size: number, seed: number): {hashes: BigUint64Array; copies: number} {
	const next = prng32(seed);
	const hi = new Uint32Array(size);
	const lo = new Uint32Array(size);
	let filled = 0;
	let copies = 0;
	while (filled < size) {
		hi[filled] = next();
		lo[filled] = next();
		const base = filled++;
		// 8% of originals get one copy, 1% each get 2, 3 or 4: about 14.5% of all items are copies.
		const roll = next() % 100;
		const extra = roll < 8 ? 1 : roll < 11 ? roll - 6 : 0;
		for (let c = 0; c < extra && filled < size; c++, copies++) {
			let h = hi[base];
			let l = lo[base];
			const flips = next() % 7;
			const used = new Set<number>();
			while (used.size < flips) used.add(next() % 64);
			for (const bit of used) {
				if (bit < 32) l ^= 1 << bit;
				else h ^= 1 << (bit - 32);
			}

			hi[filled] = h >>> 0;
			lo[filled] = l >>> 0;
			filled++;
		}
	}

	for (let i = size - 1; i > 0; i--) {
		const j = next() % (i + 1);
		[hi[i], hi[j]] = [hi[j], hi[i]];
		[lo[i], lo[j]] = [lo[j], lo[i]];
	}

	const hashes = new BigUint64Array(size);
	for (let i = 0; i < size; i++) hashes[i] = (BigInt(hi[i]) << 32n) | BigInt(lo[i]);
	return {hashes, copies};
}

const mb = (bytes: number) => bytes / 1024 / 1024;
const seconds = (start: number) => (performance.now() - start) / 1000;

function timeIndex(hashes: BigUint64Array, radius: number, blocks: HammingIndexOptions['blocks'] = 'auto') {
	let rssPeak = process.memoryUsage().rss;
	const start = performance.now();
	const index = new HammingIndex(hashes, {blocks});
	const strategy = index.planFor(radius);
	// Building happens lazily inside the first search; a zero-radius query is cheap and builds the same layout.
	if (strategy !== 'scan') index.query(0n, radius);
	const buildSeconds = seconds(start);
	rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
	const sets = unionFind(hashes.length);
	let pairs = 0;
	const pairsStart = performance.now();
	index.pairsWithin(radius, (i, j) => {
		pairs++;
		sets.union(i, j);
	});
	const pairsSeconds = seconds(pairsStart);
	rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
	return {index, strategy, buildSeconds, pairsSeconds, pairs, sets, rssPeak};
}

function countClusters(n: number, sets: ReturnType<typeof unionFind>): number {
	const sizes = new Uint32Array(n);
	for (let i = 0; i < n; i++) sizes[sets.find(i)]++;
	let clusters = 0;
	for (let i = 0; i < n; i++) if (sizes[i] >= 2) clusters++;
	return clusters;
}

/** All pairs within `radius` by comparing every pair, as sorted i * n + j codes. */
function brutePairs(hashes: BigUint64Array, radius: number): Float64Array {
	const n = hashes.length;
	const hi = new Uint32Array(n);
	const lo = new Uint32Array(n);
	for (let i = 0; i < n; i++) {
		hi[i] = Number(hashes[i] >> 32n);
		lo[i] = Number(hashes[i] & 0xff_ff_ff_ffn);
	}

	const found: number[] = [];
	for (let i = 0; i < n; i++) {
		const hiI = hi[i];
		const loI = lo[i];
		for (let j = i + 1; j < n; j++) {
			if (popcount64(hiI, loI, hi[j], lo[j]) <= radius) found.push(i * n + j);
		}
	}

	return Float64Array.from(found).sort();
}

/** Runs the scale benchmark, printing human-readable lines through `log`, and returns the measurements. */
export async function runScaleBench(options: ScaleBenchOptions = {}): Promise<ScaleBenchResult> {
	const {sizes = [100_000, 1_000_000], radius = 8, bruteSize = 20_000, compare = false, log = console.log} = options;
	log(`near-duplicate pairs within Hamming radius ${radius} of 64 bits (node ${process.version})`);

	// Brute force first, while the process is small, so it does not inherit a large heap from the big runs.
	const bruteSet = syntheticHashes(bruteSize, 1).hashes;
	const bruteStart = performance.now();
	const expected = brutePairs(bruteSet, radius);
	const bruteSeconds = seconds(bruteStart);
	const indexStart = performance.now();
	const got: number[] = [];
	new HammingIndex(bruteSet).pairsWithin(radius, (i, j) => got.push(i * bruteSize + j));
	const bruteIndexSeconds = seconds(indexStart);
	const gotSorted = Float64Array.from(got).sort();
	const samePairs = gotSorted.length === expected.length && gotSorted.every((code, t) => code === expected[t]);
	log(
		`all pairs, ${bruteSize.toLocaleString('en')} hashes: ${bruteSeconds.toFixed(2)} s, ${expected.length} pairs; ` +
			`index ${bruteIndexSeconds.toFixed(3)} s, ${got.length} pairs, ${samePairs ? 'identical to brute force' : 'MISMATCH with brute force'}`,
	);

	const runs: ScaleRun[] = [];
	for (const size of sizes) {
		const {hashes, copies} = syntheticHashes(size, size);
		const timed = timeIndex(hashes, radius);
		const clusters = countClusters(size, timed.sets);
		const run: ScaleRun = {
			size,
			radius,
			strategy: timed.strategy === 'scan' ? 'scan' : `${timed.strategy} blocks`,
			copyShare: copies / size,
			buildSeconds: timed.buildSeconds,
			pairsSeconds: timed.pairsSeconds,
			totalSeconds: timed.buildSeconds + timed.pairsSeconds,
			pairs: timed.pairs,
			clusters,
			rssMB: mb(timed.rssPeak),
			maxRssMB: process.resourceUsage().maxRSS / 1024,
		};
		runs.push(run);
		log(
			`${size.toLocaleString('en')} hashes (${(run.copyShare * 100).toFixed(1)}% near copies), ${run.strategy}: ` +
				`build ${run.buildSeconds.toFixed(2)} s + pairs ${run.pairsSeconds.toFixed(2)} s = ${run.totalSeconds.toFixed(2)} s; ` +
				`${run.pairs.toLocaleString('en')} pairs, ${clusters.toLocaleString('en')} clusters; ` +
				`rss sampled ${run.rssMB.toFixed(0)} MB, process peak (maxRSS) ${run.maxRssMB.toFixed(0)} MB`,
		);
	}

	const largest = runs.at(-1)!;
	const scale = (largest.size / bruteSize) ** 2;
	const extrapolated = {
		size: largest.size,
		bruteSeconds: bruteSeconds * scale,
		indexSeconds: largest.totalSeconds,
		ratio: (bruteSeconds * scale) / largest.totalSeconds,
	};
	log(
		`all pairs extrapolated to ${largest.size.toLocaleString('en')} (×${scale.toFixed(0)}): ${extrapolated.bruteSeconds.toFixed(0)} s ` +
			`(${(extrapolated.bruteSeconds / 60).toFixed(1)} min); index ${extrapolated.indexSeconds.toFixed(2)} s, ${extrapolated.ratio.toFixed(0)}× faster`,
	);

	const compared: ScaleBenchResult['compare'] = [];
	if (compare) {
		const {hashes} = syntheticHashes(largest.size, largest.size);
		for (const blocks of [3, 4, 5, 6, 8]) {
			const timed = timeIndex(hashes, radius, blocks);
			const total = timed.buildSeconds + timed.pairsSeconds;
			compared.push({blocks: String(blocks), seconds: total, pairs: timed.pairs});
			log(
				`  forced ${blocks} blocks on ${largest.size.toLocaleString('en')}: build ${timed.buildSeconds.toFixed(2)} s + pairs ` +
					`${timed.pairsSeconds.toFixed(2)} s = ${total.toFixed(2)} s, ${timed.pairs.toLocaleString('en')} pairs`,
			);
		}
	}

	return {
		radius,
		runs,
		brute: {size: bruteSize, seconds: bruteSeconds, pairs: expected.length, indexSeconds: bruteIndexSeconds, samePairs},
		extrapolated,
		compare: compared,
	};
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const {values} = parseArgs({
		options: {
			sizes: {type: 'string', default: '100000,1000000'},
			radius: {type: 'string', default: '8'},
			brute: {type: 'string', default: '20000'},
			compare: {type: 'boolean', default: false},
		},
	});
	const result = await runScaleBench({
		sizes: values.sizes.split(',').map(Number),
		radius: Number(values.radius),
		bruteSize: Number(values.brute),
		compare: values.compare,
	});
	if (!result.brute.samePairs) process.exitCode = 1;
}
