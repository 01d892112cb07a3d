/**
 * Finds near-duplicate perceptual hashes without comparing every pair: multi-index hashing (Norouzi, Punjani and
 * Fleet, "Fast Search in Hamming Space with Multi-Index Hashing", CVPR 2012). Pure: no I/O.
 *
 * The 64 bits are split into m disjoint blocks. If two hashes differ in at most r bits, the per-block distances sum
 * to at most r, so (pigeonhole, refined form) with r = s·m + a and 0 <= a < m, one of the first a + 1 blocks differs
 * in at most s bits or one of the others differs in at most s - 1 bits. Each block is bucketed by its value; pairs
 * are gathered by joining every bucket with the buckets whose value lies within that block's radius, and every
 * candidate is then verified with a popcount over all 64 bits.
 *
 * A pair can match in several blocks; it is reported only from the first block in which it is within that block's
 * radius, so every pair comes out exactly once. The number of blocks is chosen per query from a cost model whose
 * constants were measured (see bench/dupes-scale.ts), because the best m depends on both n and the radius.
 */
import {WasmJoin} from './hamming-join-wasm.js';
import {type UnionFind, unionFind} from './union-find.js';

/** Widest block with a dense bucket table: 2^24 offsets are 64 MB, beyond that the table costs more than it saves. */
const maxBlockBits = 24;

/** Fewest and most blocks considered; 3 is the least that keeps blocks within {@link maxBlockBits}. */
const minBlocks = 3;
const maxBlocks = 16;

// Cost model constants, relative to one verified candidate. Only their ratios matter; they were fitted to
// bench/dupes-scale.ts at radius 8 (300,000 hashes: 4 blocks 0.9-1.1 s vs 3 blocks 1.7-2.2 s; 1,000,000: 4 blocks
// 11 s vs 3 blocks 6.9 s), where a step cost about 1.2 verifications.
/** One candidate pair verified with a 64-bit popcount, streaming through contiguous arrays. */
const costCheck = 1;
/** One step over a non-empty bucket while joining under one neighbour mask (bucket lookup included). */
const costStep = 1.2;
/** One item placed into one block's buckets when a layout is built (random writes into three arrays). */
const costPlace = 8;
/**
 * One entry of a block's dense offset table, allocated, zeroed and prefix-summed when a layout is built. Page faults
 * make this vary (3 blocks at 1,000,000 built in 0.24 s in one run, 1.3 s in another); it only decides small sets.
 */
const costTable = 4;
/** One bucket probed by a single-hash query (random access into the offset table). */
const costProbe = 10;

/** Which 32-bit word of a 64-bit typed array element holds its high half on this platform. */
const highWord = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 1 : 0;

/** Popcount of a 32-bit value with the SWAR method; exact for any int32 or uint32 input. */
function popcount32(x: number): number {
	x -= (x >>> 1) & 0x55_55_55_55;
	x = (x & 0x33_33_33_33) + ((x >>> 2) & 0x33_33_33_33);
	x = (x + (x >>> 4)) & 0x0f_0f_0f_0f;
	return Math.imul(x, 0x01_01_01_01) >>> 24;
}

/** Hamming distance between two 64-bit values given as high and low 32-bit halves. */
export function popcount64(hiA: number, loA: number, hiB: number, loB: number): number {
	let x = (hiA ^ hiB) >>> 0;
	let y = (loA ^ loB) >>> 0;
	x -= (x >>> 1) & 0x55_55_55_55;
	y -= (y >>> 1) & 0x55_55_55_55;
	x = (x & 0x33_33_33_33) + ((x >>> 2) & 0x33_33_33_33);
	y = (y & 0x33_33_33_33) + ((y >>> 2) & 0x33_33_33_33);
	// Each nibble now holds at most 4, so the halves can be added before the last folds without overflow.
	x += y;
	x = (x & 0x0f_0f_0f_0f) + ((x >>> 4) & 0x0f_0f_0f_0f);
	return Math.imul(x, 0x01_01_01_01) >>> 24;
}

/** The bits [start, start + bits) of a 64-bit value given as halves, as an unsigned number; bits <= 31. */
function blockKey(hi: number, lo: number, start: number, bits: number): number {
	const mask = (1 << bits) - 1;
	if (start >= 32) return (hi >>> (start - 32)) & mask;
	if (start + bits <= 32) return (lo >>> start) & mask;
	// Straddles the halves; start > 0 here, so the shift of hi is by less than 32 (JS shifts are mod 32).
	return ((lo >>> start) | (hi << (32 - start))) & mask;
}

function binomial(n: number, k: number): number {
	let result = 1;
	for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
	return result;
}

/** Number of values within Hamming distance `radius` of a given `bits`-bit value, itself included. */
function ballSize(bits: number, radius: number): number {
	let total = 0;
	for (let t = 0; t <= Math.min(radius, bits); t++) total += binomial(bits, t);
	return total;
}

const maskCache = new Map<string, Uint32Array>();

/** All non-zero `bits`-bit masks with at most `radius` bits set, cached because every join and query reuses them. */
function neighbourMasks(bits: number, radius: number): Uint32Array {
	const cacheKey = `${bits}/${radius}`;
	let masks = maskCache.get(cacheKey);
	if (masks) return masks;
	const found: number[] = [];
	const extend = (mask: number, lowest: number, left: number) => {
		for (let bit = lowest; bit < bits; bit++) {
			const next = mask | (1 << bit);
			found.push(next);
			if (left > 1) extend(next, bit + 1, left - 1);
		}
	};

	if (radius > 0) extend(0, 0, Math.min(radius, bits));
	masks = Uint32Array.from(found);
	maskCache.set(cacheKey, masks);
	return masks;
}

/** Block widths for m blocks over 64 bits, widest first, and where each starts. */
function blockShape(blocks: number): {starts: number[]; bits: number[]} {
	const starts: number[] = [];
	const bits: number[] = [];
	let start = 0;
	for (let k = 0; k < blocks; k++) {
		const width = Math.floor(64 / blocks) + (k < 64 % blocks ? 1 : 0);
		starts.push(start);
		bits.push(width);
		start += width;
	}

	return {starts, bits};
}

/**
 * Radius searched in each block for a total radius (refined pigeonhole): the first a + 1 blocks get s, the rest
 * s - 1, where -1 means the block need not be searched at all.
 */
function blockRadii(blocks: number, radius: number): readonly number[] {
	// Asked once per lookup: a million photos make five million lookups (issue 15), so each answer is kept.
	const key = blocks * 256 + radius;
	let radii = radiiCache.get(key);
	if (!radii) {
		const s = Math.floor(radius / blocks);
		const a = radius % blocks;
		radii = Array.from({length: blocks}, (_, k) => (k <= a ? s : s - 1));
		radiiCache.set(key, radii);
	}

	return radii;
}

const radiiCache = new Map<number, readonly number[]>();

/** One way of splitting the hashes into blocks: per block, the items sorted into buckets by block value. */
type Layout = {
	readonly blocks: number;
	readonly starts: number[];
	readonly bits: number[];
	/** Per block: bucket v holds sorted positions offsets[v] .. offsets[v + 1] - 1. */
	readonly offsets: Uint32Array[];
	/** Per block: the bucket values that hold at least one item, ascending, so joins skip empty buckets. */
	readonly occupied: Uint32Array[];
	/** Per block: the original index of each sorted position. */
	readonly ids: Uint32Array[];
	// Per block, the hash halves copied into bucket order so verifying candidates streams through memory.
	readonly hi: Uint32Array[];
	readonly lo: Uint32Array[];
};

/** How the index answers a search: a linear scan over all hashes, or multi-index hashing with m blocks. */
type Plan = {readonly kind: 'scan'} | {readonly kind: 'blocks'; readonly blocks: number};

/** Options for {@link HammingIndex}. */
export type HammingIndexOptions = {
	/**
	 * Force a strategy instead of the cost model: 'scan' compares against every hash; a number uses that many blocks
	 * (3-16). Meant for tests and benchmarks.
	 */
	readonly blocks?: 'auto' | 'scan' | number;
	/**
	 * Which code joins the buckets: WebAssembly (the default where it runs: hamming-join-wasm.ts) or JavaScript. Both
	 * give the same pairs in the same order; meant for tests and benchmarks.
	 */
	readonly join?: 'webassembly' | 'javascript';
};

/** A hash found by {@link HammingIndex.query}. */
export type HammingMatch = {index: number; distance: number};

function checkRadius(radius: number): number {
	if (!Number.isInteger(radius) || radius < 0) throw new RangeError(`radius must be a non-negative integer, got ${radius}`);
	// Distances never exceed 64, so larger radii mean the same as 64 and keep the cost arithmetic finite.
	return Math.min(radius, 64);
}

/**
 * An index over 64-bit hashes (index i = photo i) answering "which pairs differ in at most r bits" and "which hashes
 * are within r bits of this one" far faster than comparing all pairs. Hashes are held as two Uint32Arrays so
 * distances are 32-bit integer math rather than BigInt.
 */
export class HammingIndex {
	/** Number of hashes indexed. */
	readonly size: number;
	private readonly hi: Uint32Array;
	private readonly lo: Uint32Array;
	private readonly forced: 'auto' | 'scan' | number;
	private readonly joinCode: 'webassembly' | 'javascript';
	// Built on first use per block count, since the best count depends on the radius asked for.
	private readonly layouts = new Map<number, Layout>();
	private readonly queryPlans = new Map<number, Plan>();

	/**
	 * Indexes `hashes`, given as 64-bit values or as their high and low 32-bit halves (no BigInt work at all); the
	 * arrays are copied, so later changes to them are not seen.
	 */
	constructor(hashes: BigUint64Array | {readonly hi: Uint32Array; readonly lo: Uint32Array}, options: HammingIndexOptions = {}) {
		const forced = options.blocks ?? 'auto';
		if (typeof forced === 'number' && (!Number.isInteger(forced) || forced < minBlocks || forced > maxBlocks)) {
			throw new RangeError(`blocks must be an integer from ${minBlocks} to ${maxBlocks}, got ${forced}`);
		}

		this.forced = forced;
		this.joinCode = options.join ?? 'webassembly';
		if (!(hashes instanceof BigUint64Array)) {
			if (hashes.hi.length !== hashes.lo.length) throw new RangeError('hash halves differ in length');
			this.size = hashes.hi.length;
			this.hi = hashes.hi.slice();
			this.lo = hashes.lo.slice();
			return;
		}

		this.size = hashes.length;
		this.hi = new Uint32Array(this.size);
		this.lo = new Uint32Array(this.size);
		// Read through 32-bit views of the same memory: avoids a BigInt conversion per hash (slow at a million).
		const words = new Uint32Array(hashes.buffer, hashes.byteOffset, this.size * 2);
		for (let i = 0; i < this.size; i++) {
			this.hi[i] = words[2 * i + highWord];
			this.lo[i] = words[2 * i + 1 - highWord];
		}
	}

	/** Number of blocks in each layout built so far (for benchmarks and tests). */
	get builtLayouts(): number[] {
		return [...this.layouts.keys()];
	}

	/** The strategy {@link pairsWithin} would use for `radius`: 'scan' or a number of blocks. */
	planFor(radius: number): 'scan' | number {
		const plan = this.pairPlan(checkRadius(radius));
		return plan.kind === 'scan' ? 'scan' : plan.blocks;
	}

	/**
	 * Calls `onPair(i, j, distance)` once for every unordered pair of indexed hashes with i < j whose Hamming distance
	 * is at most `radius`. Exact: no pair is missed and none is reported twice. Order is unspecified.
	 */
	pairsWithin(radius: number, onPair: (i: number, j: number, distance: number) => void): void {
		const r = checkRadius(radius);
		if (this.size < 2) return;
		const plan = this.pairPlan(r);
		if (plan.kind === 'scan') {
			this.scanPairs(r, onPair);
			return;
		}

		const layout = this.layout(plan.blocks);
		const radii = blockRadii(layout.blocks, r);
		// One join for every block: each block's buckets are copied into its memory in turn.
		const wasm = this.wasmJoin();
		for (let k = 0; k < layout.blocks; k++) {
			if (radii[k] < 0) continue;
			const offsets = layout.offsets[k];
			const occupied = layout.occupied[k];
			const hi = layout.hi[k];
			const lo = layout.lo[k];
			const ids = layout.ids[k];
			// Verified pairs are rare next to candidates, so the once-only rule is checked only for those.
			const report = (p: number, q: number, distance: number) => {
				const i = ids[p];
				const j = ids[q];
				if (k > 0 && matchedEarlier(layout, radii, k, hi[p] ^ hi[q], lo[p] ^ lo[q])) return;
				if (i < j) onPair(i, j, distance);
				else onPair(j, i, distance);
			};

			// The half without this block's bits is counted first: it alone rejects nearly every candidate.
			const [first, second] = layout.starts[k] < 32 ? [hi, lo] : [lo, hi];
			joinWithinBuckets(offsets, occupied, first, second, r, report);
			// Mask-major order: for a fixed mask, v ^ mask walks the offset table in nearly ascending order, so the
			// neighbour lookups stream through memory instead of jumping around a table of up to 16 M entries.
			const masks = neighbourMasks(layout.bits[k], radii[k]);
			wasm?.placeIndex(occupied, {offsets, first, second});
			wasm?.placeProbes('index');
			for (let t = 0; t < masks.length; t++) {
				if (wasm) wasm.run(0, occupied.length, masks[t], 0xff_ff_ff_ff, 1 << (31 - Math.clz32(masks[t])), r, report);
				else joinAcrossBuckets(offsets, occupied, first, second, masks[t], r, report);
			}
		}
	}

	/**
	 * Indexed hashes within `radius` bits of `hash` (for example the hash of a rotated copy), nearest first, ties by
	 * index.
	 */
	query(hash: bigint, radius: number): HammingMatch[] {
		const r = checkRadius(radius);
		if (typeof hash !== 'bigint' || hash < 0n || hash > 0xff_ff_ff_ff_ff_ff_ff_ffn) {
			throw new RangeError('hash must be a bigint from 0 to 2^64 - 1');
		}

		const qHi = Number(hash >> 32n);
		const qLo = Number(hash & 0xff_ff_ff_ffn);
		const matches: HammingMatch[] = [];
		const plan = this.queryPlan(r);
		if (plan.kind === 'scan') {
			for (let i = 0; i < this.size; i++) {
				const distance = popcount64(qHi, qLo, this.hi[i], this.lo[i]);
				if (distance <= r) matches.push({index: i, distance});
			}
		} else {
			const layout = this.layout(plan.blocks);
			const radii = blockRadii(layout.blocks, r);
			for (let k = 0; k < layout.blocks; k++) {
				if (radii[k] < 0) continue;
				const key = blockKey(qHi, qLo, layout.starts[k], layout.bits[k]);
				const masks = neighbourMasks(layout.bits[k], radii[k]);
				for (let t = -1; t < masks.length; t++) {
					const value = t < 0 ? key : key ^ masks[t];
					const end = layout.offsets[k][value + 1];
					for (let p = layout.offsets[k][value]; p < end; p++) {
						const distance = popcount64(qHi, qLo, layout.hi[k][p], layout.lo[k][p]);
						if (distance > r) continue;
						if (k > 0 && matchedEarlier(layout, radii, k, qHi ^ layout.hi[k][p], qLo ^ layout.lo[k][p])) continue;
						matches.push({index: layout.ids[k][p], distance});
					}
				}
			}
		}

		return matches.sort((a, b) => a.distance - b.distance || a.index - b.index);
	}

	/**
	 * Looks up many hashes at once, given as high and low 32-bit halves (query q is `(qHi[q], qLo[q])`): calls
	 * `onHit(q, index, distance)` for every indexed hash within `radius` bits of query q, queries in order, each one's
	 * hits nearest first and ties by index: exactly what calling {@link query} for each would give. At a million photos
	 * the turned and cropped lookups are five million queries (issue 15); one at a time each probes a few hundred
	 * random buckets, while here the queries are bucketed like the index and joined bucket against bucket in streaming
	 * order, and only the hits are sorted.
	 *
	 * With `groupsOf` g > 1, the halves come in groups of g hashes of which the first is not looked up (a picture's
	 * whole hash ahead of its crop windows' in a window-hash table), and query q is the (q mod (g - 1))-th of the others
	 * in group ⌊q / (g - 1)⌋: the table is read where it is rather than copied without its first hashes.
	 */
	queryEach(qHi: Uint32Array, qLo: Uint32Array, radius: number, onHit: (q: number, index: number, distance: number) => void, options: {readonly groupsOf?: number} = {}): void {
		const r = checkRadius(radius);
		if (qHi.length !== qLo.length) throw new RangeError('query halves differ in length');
		const group = options.groupsOf ?? 0;
		if (group !== 0 && (!Number.isInteger(group) || group < 2 || qHi.length % group !== 0)) throw new RangeError(`groupsOf must be an integer above 1 dividing the number of hashes, got ${group}`);
		const count = group ? (qHi.length / group) * (group - 1) : qHi.length;
		if (count === 0 || this.size === 0) return;
		const queries: Queries = {hi: qHi, lo: qLo, group};
		const plan = this.joinPlan(count, r);
		if (plan.kind === 'scan') {
			for (let q = 0; q < count; q++) {
				const at = position(queries, q);
				const matches: HammingMatch[] = [];
				for (let i = 0; i < this.size; i++) {
					const distance = popcount64(qHi[at], qLo[at], this.hi[i], this.lo[i]);
					if (distance <= r) matches.push({index: i, distance});
				}

				matches.sort((a, b) => a.distance - b.distance || a.index - b.index);
				for (const match of matches) onHit(q, match.index, match.distance);
			}

			return;
		}

		// A hit is held as one 64-bit sort key (query, distance, index), so query numbers must fit in 25 bits: larger
		// batches are joined a slice at a time (none this size is made below a million photos' worth of 32).
		for (let start = 0; start < count; start += maxJoinQueries) {
			const end = Math.min(count, start + maxJoinQueries);
			this.joinQueries(this.layout(plan.blocks), queries, start, end - start, r, start === 0 ? onHit : (q, index, distance) => onHit(start + q, index, distance));
		}
	}

	/** The WebAssembly join for one lookup, unless this index joins in JavaScript (by choice, or where it cannot run). */
	private wasmJoin(): WasmJoin | undefined {
		return this.joinCode === 'webassembly' ? WasmJoin.create() : undefined;
	}

	/** {@link queryEach} over the blocks of `layout` for queries `from` to `from + count - 1`, fewer than 2^25. */
	private joinQueries(layout: Layout, queries: Queries, from: number, count: number, r: number, onHit: (q: number, index: number, distance: number) => void): void {
		const radii = blockRadii(layout.blocks, r);
		const hits = new HitList();
		const wasm = this.wasmJoin();
		const {hi: qHi, lo: qLo, group} = queries;
		// Where query from + q is in the halves (see position()), inline: this runs for every query in every block.
		const perGroup = group - 1;
		// The queries are sorted into one block's buckets (a counting sort, as the index's own layout) a part at a time: a
		// part is the buckets whose values share their top bits, so each part meets the index's buckets of one part under
		// each mask, and every bucket is still walked once per mask. At a million photos there are eight million window
		// queries; sorted all at once, their copies were 128 MB. Arrays are shared by the blocks and parts.
		const partOf = new Uint8Array(count > joinPart ? count : 0);
		// The queries listed part by part (ascending within each), so that sorting a part into its buckets reads only its
		// own queries: reading all of them for each part took longer than joining them once the join ran in WebAssembly
		// (2^5 parts of 8 million windows: 1.9 s of a 7 s lookup, now 0.6 s less).
		const byPart = new Uint32Array(count > joinPart ? count : 0);
		let qIds = new Uint32Array(0);
		let sortedHi = new Uint32Array(0);
		let sortedLo = new Uint32Array(0);
		for (let k = 0; k < layout.blocks; k++) {
			if (radii[k] < 0) continue;
			const start = layout.starts[k];
			const bits = layout.bits[k];
			// At most 2^5 parts: count < 2^25.
			const partBits = Math.min(bits, Math.max(0, Math.ceil(Math.log2(count / joinPart))));
			const lowBits = bits - partBits;
			const parts = 2 ** partBits;
			const buckets = 2 ** lowBits;
			const low = buckets - 1;
			const partSizes = new Uint32Array(parts);
			if (parts === 1) partSizes[0] = count;
			else {
				for (let q = 0; q < count; q++) {
					const at = group ? from + q + Math.floor((from + q) / perGroup) + 1 : from + q;
					const part = blockKey(qHi[at], qLo[at], start, bits) >>> lowBits;
					partOf[q] = part;
					partSizes[part]++;
				}
			}

			const partStarts = new Uint32Array(parts + 1);
			if (parts > 1) {
				for (let part = 0; part < parts; part++) partStarts[part + 1] = partStarts[part] + partSizes[part];
				const cursors = partStarts.slice(0, parts);
				for (let q = 0; q < count; q++) byPart[cursors[partOf[q]]++] = q;
			}

			const largest = Math.max(...partSizes);
			if (qIds.length < largest) {
				qIds = new Uint32Array(largest);
				sortedHi = new Uint32Array(largest);
				sortedLo = new Uint32Array(largest);
			}

			const occupied = layout.occupied[k];
			// Where each part's buckets start in the index's occupied ones (ascending).
			const occupiedStarts = new Uint32Array(parts + 1);
			for (let u = 0; u < occupied.length; u++) occupiedStarts[(occupied[u] >>> lowBits) + 1]++;
			for (let part = 0; part < parts; part++) occupiedStarts[part + 1] += occupiedStarts[part];
			const qOffsets = new Uint32Array(buckets + 1);
			// Most candidates are far apart: the half of the hash without this block's bits (which are near by construction)
			// rejects nearly all of them on its own, so it is counted first.
			const hiFirst = start < 32;
			const qFirst = hiFirst ? sortedHi : sortedLo;
			const qSecond = hiFirst ? sortedLo : sortedHi;
			const masks = neighbourMasks(bits, radii[k]);
			wasm?.placeIndex(occupied, {offsets: layout.offsets[k], first: hiFirst ? layout.hi[k] : layout.lo[k], second: hiFirst ? layout.lo[k] : layout.hi[k]});
			for (let part = 0; part < parts; part++) {
				if (partSizes[part] === 0) continue;
				qOffsets.fill(0);
				const [first, last] = parts > 1 ? [partStarts[part], partStarts[part + 1]] : [0, count];
				for (let i = first; i < last; i++) {
					const q = parts > 1 ? byPart[i] : i;
					const at = group ? from + q + Math.floor((from + q) / perGroup) + 1 : from + q;
					qOffsets[(blockKey(qHi[at], qLo[at], start, bits) & low) + 1]++;
				}

				for (let v = 0; v < buckets; v++) qOffsets[v + 1] += qOffsets[v];
				for (let i = first; i < last; i++) {
					const q = parts > 1 ? byPart[i] : i;
					const at = group ? from + q + Math.floor((from + q) / perGroup) + 1 : from + q;
					const p = qOffsets[blockKey(qHi[at], qLo[at], start, bits) & low]++;
					qIds[p] = q;
					sortedHi[p] = qHi[at];
					sortedLo[p] = qLo[at];
				}

				for (let v = buckets; v > 0; v--) qOffsets[v] = qOffsets[v - 1];
				qOffsets[0] = 0;
				const sorted: SortedQueries = {offsets: qOffsets, ids: qIds, first: qFirst, second: qSecond, hi: sortedHi, lo: sortedLo};
				wasm?.placeProbes(sorted);
				joinQueryPart(layout, radii, k, sorted, part, lowBits, occupiedStarts, masks, r, hits, wasm);
			}
		}

		hits.each(onHit);
	}

	/** The strategy {@link queryEach} uses for `count` queries: a join's cost, as {@link pairPlan} with queries on one side. */
	private joinPlan(count: number, radius: number): Plan {
		if (this.forced === 'scan') return {kind: 'scan'};
		if (typeof this.forced === 'number') return {kind: 'blocks', blocks: this.forced};
		const n = this.size;
		const pairs = count * n;
		let best: Plan = {kind: 'scan'};
		let bestCost = pairs * costCheck;
		for (let m = minBlocks; m <= maxBlocks; m++) {
			const {bits} = blockShape(m);
			const radii = blockRadii(m, radius);
			// The queries are sorted into every block as the index's items are, so both count as built.
			let cost = (this.layouts.has(m) ? 0 : buildCost(n, bits)) + buildCost(count, bits);
			for (let k = 0; k < m; k++) {
				if (radii[k] < 0) continue;
				const buckets = 2 ** bits[k];
				const volume = ballSize(bits[k], radii[k]);
				const occupied = buckets * (1 - Math.exp(-n / buckets));
				cost += pairs * (volume / buckets) * costCheck + volume * occupied * costStep;
			}

			if (cost < bestCost) {
				bestCost = cost;
				best = {kind: 'blocks', blocks: m};
			}
		}

		return best;
	}

	private pairPlan(radius: number): Plan {
		if (this.forced === 'scan') return {kind: 'scan'};
		if (typeof this.forced === 'number') return {kind: 'blocks', blocks: this.forced};
		const n = this.size;
		const pairs = (n * (n - 1)) / 2;
		let best: Plan = {kind: 'scan'};
		let bestCost = pairs * costCheck;
		for (let m = minBlocks; m <= maxBlocks; m++) {
			const {bits} = blockShape(m);
			const radii = blockRadii(m, radius);
			let cost = this.layouts.has(m) ? 0 : buildCost(n, bits);
			for (let k = 0; k < m; k++) {
				if (radii[k] < 0) continue;
				const buckets = 2 ** bits[k];
				const volume = ballSize(bits[k], radii[k]);
				// Expected figures for uniform hashes; planted duplicates add verified pairs, not candidates.
				const occupied = buckets * (1 - Math.exp(-n / buckets));
				cost += pairs * (volume / buckets) * costCheck + (volume - 1) * occupied * costStep;
			}

			if (cost < bestCost) {
				bestCost = cost;
				best = {kind: 'blocks', blocks: m};
			}
		}

		return best;
	}

	private queryPlan(radius: number): Plan {
		if (this.forced === 'scan') return {kind: 'scan'};
		if (typeof this.forced === 'number') return {kind: 'blocks', blocks: this.forced};
		// Planning costs more than a lookup: the plan is kept per radius until another layout is built (issue 15).
		const known = this.queryPlans.get(radius);
		if (known) return known;
		const n = this.size;
		let best: Plan = {kind: 'scan'};
		let bestCost = n * costCheck;
		for (let m = minBlocks; m <= maxBlocks; m++) {
			const {bits} = blockShape(m);
			const radii = blockRadii(m, radius);
			// A layout is built once and serves many lookups (one per rotated copy, say), so building is charged as
			// if shared by n / 16 queries rather than in full; an already built layout is free.
			let cost = this.layouts.has(m) ? 0 : buildCost(n, bits) / Math.max(1, n / 16);
			for (let k = 0; k < m; k++) {
				if (radii[k] < 0) continue;
				const volume = ballSize(bits[k], radii[k]);
				cost += volume * costProbe + n * (volume / 2 ** bits[k]) * costCheck;
			}

			if (cost < bestCost) {
				bestCost = cost;
				best = {kind: 'blocks', blocks: m};
			}
		}

		this.queryPlans.set(radius, best);
		return best;
	}

	private scanPairs(radius: number, onPair: (i: number, j: number, distance: number) => void): void {
		const {hi, lo, size} = this;
		for (let i = 0; i < size; i++) {
			const hiI = hi[i];
			const loI = lo[i];
			for (let j = i + 1; j < size; j++) {
				const distance = popcount64(hiI, loI, hi[j], lo[j]);
				if (distance <= radius) onPair(i, j, distance);
			}
		}
	}

	private layout(blocks: number): Layout {
		let layout = this.layouts.get(blocks);
		if (!layout) {
			layout = buildLayout(this.hi, this.lo, blocks);
			this.layouts.set(blocks, layout);
			// A built layout is free for later searches, which may change their plans.
			this.queryPlans.clear();
		}

		return layout;
	}
}

/** The halves a batch lookup reads, and the size of the groups whose first hash is not a query (0: no groups). */
type Queries = {readonly hi: Uint32Array; readonly lo: Uint32Array; readonly group: number};

/** Where query q is in the halves of `queries`. */
function position(queries: Queries, q: number): number {
	return queries.group ? q + Math.floor(q / (queries.group - 1)) + 1 : q;
}

/** Most queries one join takes: a hit's sort key holds the query number in 25 bits (see {@link HitList}). */
const maxJoinQueries = 2 ** 25;

/**
 * About how many queries a join sorts into buckets at once (12 bytes each while it runs): more are sorted a range of
 * buckets at a time, so that at a million photos the eight million window queries are not 128 MB of sorted copies.
 */
const joinPart = 2 ** 20;

/**
 * Hits of a batch lookup, handed out sorted by query, distance and index. Each hit is one 64-bit key, the query and
 * distance in its high word (query << 7 | distance, distances being at most 64) and the index in its low word, so one
 * native sort of the keys orders them, with no comparator called and no object made per hit.
 */
class HitList {
	private keys = new BigUint64Array(1024);
	private words = new Uint32Array(this.keys.buffer);
	private length = 0;

	push(q: number, index: number, distance: number): void {
		if (this.length === this.keys.length) {
			const next = new BigUint64Array(this.keys.length * 2);
			next.set(this.keys);
			this.keys = next;
			this.words = new Uint32Array(next.buffer);
		}

		this.words[2 * this.length + highWord] = ((q << 7) | distance) >>> 0;
		this.words[2 * this.length + 1 - highWord] = index;
		this.length++;
	}

	each(onHit: (q: number, index: number, distance: number) => void): void {
		const keys = this.keys.subarray(0, this.length);
		keys.sort();
		const {words} = this;
		for (let h = 0; h < this.length; h++) {
			const top = words[2 * h + highWord];
			onHit(top >>> 7, words[2 * h + 1 - highWord], top & 0x7f);
		}
	}
}

function buildCost(n: number, bits: number[]): number {
	let cost = 0;
	for (const width of bits) cost += n * costPlace + 2 ** width * costTable;
	return cost;
}

/** Counting sort of the items by each block's value: compact typed arrays, no per-bucket objects. */
function buildLayout(hiAll: Uint32Array, loAll: Uint32Array, blocks: number): Layout {
	const n = hiAll.length;
	const {starts, bits} = blockShape(blocks);
	const layout: Layout = {blocks, starts, bits, offsets: [], occupied: [], ids: [], hi: [], lo: []};
	const keys = new Uint32Array(n);
	for (let k = 0; k < blocks; k++) {
		const buckets = 2 ** bits[k];
		if (bits[k] > maxBlockBits) throw new RangeError(`block of ${bits[k]} bits is too wide`);
		const offsets = new Uint32Array(buckets + 1);
		for (let i = 0; i < n; i++) {
			const key = blockKey(hiAll[i], loAll[i], starts[k], bits[k]);
			keys[i] = key;
			offsets[key + 1]++;
		}

		let occupiedCount = 0;
		for (let v = 0; v < buckets; v++) {
			if (offsets[v + 1] > 0) occupiedCount++;
			offsets[v + 1] += offsets[v];
		}

		const occupied = new Uint32Array(occupiedCount);
		for (let v = 0, t = 0; v < buckets; v++) {
			if (offsets[v + 1] > offsets[v]) occupied[t++] = v;
		}

		const ids = new Uint32Array(n);
		const hi = new Uint32Array(n);
		const lo = new Uint32Array(n);
		// Fill cursors borrow the offsets and are restored after, saving a second table of up to 64 MB.
		for (let i = 0; i < n; i++) {
			const p = offsets[keys[i]]++;
			ids[p] = i;
			hi[p] = hiAll[i];
			lo[p] = loAll[i];
		}

		for (let v = buckets; v > 0; v--) offsets[v] = offsets[v - 1];
		offsets[0] = 0;
		layout.offsets.push(offsets);
		layout.occupied.push(occupied);
		layout.ids.push(ids);
		layout.hi.push(hi);
		layout.lo.push(lo);
	}

	return layout;
}

/** Whether a pair with this XOR is within its radius in some block before `block`, and so was reported there. */
function matchedEarlier(layout: Layout, radii: readonly number[], block: number, xHi: number, xLo: number): boolean {
	for (let k = 0; k < block; k++) {
		if (radii[k] >= 0 && popcount32(blockKey(xHi, xLo, layout.starts[k], layout.bits[k])) <= radii[k]) return true;
	}

	return false;
}

/** Verifies every pair inside each bucket (block distance 0); `first` and `second` are the hash halves, either way round. */
function joinWithinBuckets(
	offsets: Uint32Array,
	occupied: Uint32Array,
	first: Uint32Array,
	second: Uint32Array,
	radius: number,
	report: (p: number, q: number, distance: number) => void,
): void {
	for (let t = 0; t < occupied.length; t++) {
		const value = occupied[t];
		const end = offsets[value + 1];
		for (let p = offsets[value]; p < end; p++) {
			const firstP = first[p];
			const secondP = second[p];
			for (let q = p + 1; q < end; q++) {
				const near = popcount32(firstP ^ first[q]);
				if (near > radius) continue;
				const distance = near + popcount32(secondP ^ second[q]);
				if (distance <= radius) report(p, q, distance);
			}
		}
	}
}

/**
 * Verifies every pair across buckets v and v ^ mask. Only v below its partner (the mask's top bit clear in v) is
 * joined, so each pair of buckets, and hence each pair of items, is visited once per block. `first` and `second` are
 * the hash halves, either way round.
 */
function joinAcrossBuckets(
	offsets: Uint32Array,
	occupied: Uint32Array,
	first: Uint32Array,
	second: Uint32Array,
	mask: number,
	radius: number,
	report: (p: number, q: number, distance: number) => void,
): void {
	const top = 1 << (31 - Math.clz32(mask));
	for (let t = 0; t < occupied.length; t++) {
		const value = occupied[t];
		if ((value & top) !== 0) continue;
		const other = value ^ mask;
		const otherStart = offsets[other];
		const otherEnd = offsets[other + 1];
		if (otherStart === otherEnd) continue;
		const end = offsets[value + 1];
		for (let p = offsets[value]; p < end; p++) {
			const firstP = first[p];
			const secondP = second[p];
			for (let q = otherStart; q < otherEnd; q++) {
				const near = popcount32(firstP ^ first[q]);
				if (near > radius) continue;
				const distance = near + popcount32(secondP ^ second[q]);
				if (distance <= radius) report(p, q, distance);
			}
		}
	}
}

/** One part of a block's buckets holding queries (see {@link HammingIndex.queryEach}): bucket v's are offsets[v] .. offsets[v + 1] - 1. */
type SortedQueries = {
	readonly offsets: Uint32Array;
	readonly ids: Uint32Array;
	/** The query halves in bucket order, the half without the block's bits first. */
	readonly first: Uint32Array;
	readonly second: Uint32Array;
	readonly hi: Uint32Array;
	readonly lo: Uint32Array;
};

/**
 * Joins the queries of one part of block k's buckets with the indexed hashes, pushing every pair within `r` that no
 * earlier block reported. Mask-major, over the index's occupied buckets in the part the mask maps onto this one: for
 * a fixed mask, v ^ mask walks the query table in nearly ascending order. Every (query, indexed hash) pair within the
 * block's radius is met exactly once.
 */
function joinQueryPart(
	layout: Layout,
	radii: readonly number[],
	k: number,
	queries: SortedQueries,
	part: number,
	lowBits: number,
	occupiedStarts: Uint32Array,
	masks: Uint32Array,
	r: number,
	hits: HitList,
	wasm?: WasmJoin,
): void {
	const offsets = layout.offsets[k];
	const occupied = layout.occupied[k];
	const ids = layout.ids[k];
	const hiFirst = layout.starts[k] < 32;
	const first = hiFirst ? layout.hi[k] : layout.lo[k];
	const second = hiFirst ? layout.lo[k] : layout.hi[k];
	const {offsets: qOffsets, ids: qIds, first: qFirst, second: qSecond} = queries;
	const low = 2 ** lowBits - 1;
	// Each pair within the radius, from either join: the WebAssembly one (with the index and this part's queries in it)
	// meets them in the same order. Hits are rare next to the pairs compared, so the call costs nothing measurable.
	const report = (p: number, x: number, distance: number) => {
		if (k > 0 && matchedEarlier(layout, radii, k, layout.hi[k][p] ^ queries.hi[x], layout.lo[k][p] ^ queries.lo[x])) return;
		hits.push(qIds[x], ids[p], distance);
	};

	for (let t = -1; t < masks.length; t++) {
		const mask = t < 0 ? 0 : masks[t];
		const partner = part ^ (mask >>> lowBits);
		if (wasm) {
			wasm.run(occupiedStarts[partner], occupiedStarts[partner + 1], mask, low, 0, r, report);
			continue;
		}

		const uEnd = occupiedStarts[partner + 1];
		for (let u = occupiedStarts[partner]; u < uEnd; u++) {
			const value = occupied[u];
			const other = (value ^ mask) & low;
			const qStart = qOffsets[other];
			const qEnd = qOffsets[other + 1];
			if (qStart === qEnd) continue;
			const end = offsets[value + 1];
			for (let p = offsets[value]; p < end; p++) {
				const firstP = first[p];
				const secondP = second[p];
				for (let x = qStart; x < qEnd; x++) {
					const near = popcount32(firstP ^ qFirst[x]);
					if (near > r) continue;
					const distance = near + popcount32(secondP ^ qSecond[x]);
					if (distance <= r) report(p, x, distance);
				}
			}
		}
	}
}

export {type UnionFind, unionFind} from './union-find.js';

/**
 * Groups 0 .. n - 1 transitively by the given pairs. Returns only groups of two or more, members ascending, groups
 * ordered by their first member.
 */
export function clustersFromPairs(n: number, pairs: Iterable<readonly [number, number]>): number[][] {
	const sets = unionFind(n);
	for (const [a, b] of pairs) sets.union(a, b);
	return clustersOf(n, sets);
}

/** The groups of two or more in `sets`, in the order {@link clustersFromPairs} documents. */
export function clustersOf(n: number, sets: UnionFind): number[][] {
	const byRoot = new Map<number, number[]>();
	// Ascending i makes members ascending and, since a group is created at its first member, groups ordered too.
	for (let i = 0; i < n; i++) {
		const root = sets.find(i);
		const group = byRoot.get(root);
		if (group) group.push(i);
		else byRoot.set(root, [i]);
	}

	return [...byRoot.values()].filter(group => group.length >= 2);
}
