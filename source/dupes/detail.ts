/**
 * The fine check of a near-duplicate pair on the 32x32 detail grids scan stores (issue 15). The 16x16 signatures
 * cannot always tell a subject in another place, a stereo partner or another viewpoint from a crop of the same
 * picture: once a crop window is allowed, a coarse grid bends to fit almost anything. On 32x32 cells a copy, cropped
 * or not, aligns to within JPEG noise, while another shot leaves a residual: a block where a subject moved, or a
 * disagreement spread over the frame where the geometry is not a crop. A small difference confined to a corner (a
 * watermark, a date imprint, a logo) is set aside first. Pure.
 */
import {rotateGray} from '../core/geometry.js';
import {standardiseFloat32} from '../core/signature.js';
import {boxWeights} from './box-weights.js';

/** Side of a detail grid in cells (decode.ts writes them). */
export const detailSize = 32;
const size = detailSize;

/** A window of a picture in its own normalised coordinates: left and top, width and height as shares of the frame. */
export type Window = {readonly x: number; readonly y: number; readonly w: number; readonly h: number};

/** How two detail grids compare once aligned. */
export type DetailMatch = {
	/** Pearson correlation over the kept cells. */
	readonly correlation: number;
	/** Mean absolute difference (in standard deviations) of the worst 4x4-cell block, overlay cells left out. */
	readonly worstBlock: number;
	/**
	 * The same worst block in grey levels (0-255), once one picture's levels are fitted linearly to the other's: a
	 * picture that is mostly a smooth gradient (a sky) has a large deviation, so a subject moved in it stays small in
	 * deviations but not in levels.
	 */
	readonly worstLevel: number;
	/** Cells set aside as a corner overlay. */
	readonly overlay: number;
	/** Where the contained picture lies in the containing one. */
	readonly window: Window;
	/** Which picture contains the window: 0 the first (turned by `rotation`), 1 the second. */
	readonly within: 0 | 1;
};

/** Thresholds of one judgement of the fine check. */
export type DetailThresholds = {readonly correlation: number; readonly worstBlock: number; readonly worstLevel?: number};

/**
 * Thresholds of the fine check: as found, and, when stricter, `aligned` for a window found by searching, which is free
 * to fit a look-alike (a stereo partner or another viewpoint of a scene is close to a crop of it).
 */
export type DetailTuning = DetailThresholds & {readonly aligned?: DetailThresholds};

const identity: Window = {x: 0, y: 0, w: 1, h: 1};

const axisWeights = (start: number, keep: number) => boxWeights(size, start, keep);

/** Box-averages `source` over the cells of a window (separable: rows, then columns). */
function resample(source: Float32Array, window: Window, out: Float32Array, rows: Float32Array): void {
	const wx = axisWeights(window.x, window.w);
	const wy = axisWeights(window.y, window.h);
	const {low, high} = spans;
	for (let x = 0; x < size; x++) {
		low[x] = Math.max(0, Math.floor(window.x * size + x * window.w));
		high[x] = Math.min(size, Math.ceil(window.x * size + (x + 1) * window.w));
	}

	for (let row = 0; row < size; row++) {
		for (let x = 0; x < size; x++) {
			let sum = 0;
			const base = x * size;
			const hi = high[x]!;
			for (let c = low[x]!; c < hi; c++) {
				sum += wx[base + c]! * source[row * size + c]!;
			}

			rows[row * size + x] = sum;
		}
	}

	for (let y = 0; y < size; y++) {
		const lo = Math.max(0, Math.floor(window.y * size + y * window.h));
		const hi = Math.min(size, Math.ceil(window.y * size + (y + 1) * window.h));
		for (let x = 0; x < size; x++) {
			let sum = 0;
			for (let r = lo; r < hi; r++) {
				sum += wy[y * size + r]! * rows[r * size + x]!;
			}

			out[y * size + x] = sum;
		}
	}
}

/** Values less their mean over the kept cells, divided by their deviation there. */
function normalise(values: Float32Array, keep?: Uint8Array): Float32Array {
	return standardiseFloat32(values, new Float32Array(values.length), keep);
}

/**
 * Buffers the fine check reuses from call to call (it runs hundreds of thousands of times in a search, and allocating
 * its grids each time cost more than comparing them). Nothing returned refers to them. The check is synchronous, so
 * one set serves every call.
 */
const grids = {
	first: new Float32Array(size * size),
	second: new Float32Array(size * size),
	/** Each side's small grid normalised, and normalised again (what `judge` compares with no overlay set aside). */
	small: [new Float32Array(size * size), new Float32Array(size * size)],
	twice: [new Float32Array(size * size), new Float32Array(size * size)],
	/** `judge`'s normalised grids. */
	na: new Float32Array(size * size),
	nb: new Float32Array(size * size),
	keep: new Uint8Array(size * size),
	outliers: new Int32Array(size * size),
	stats: {mean: 0},
};

const cells = size * size;
/** A corner overlay: at most `overlayCells` cells that disagree by more than `overlayLimit` deviations, within `overlayRegion` of the frame of a corner. */
const overlayLimit = 1.5;
const overlayCells = 48;
const overlayRegion = 0.3;

/** The source columns each window cell of `resample` sums, per cell. */
const spans = {low: new Int32Array(size), high: new Int32Array(size)};

function isIdentity(window: Window): boolean {
	return window.x === 0 && window.y === 0 && window.w === 1 && window.h === 1;
}

type Scratch = {out: Float32Array; rows: Float32Array};

const sharedScratch: Scratch = {out: new Float32Array(size * size), rows: new Float32Array(size * size)};

function scoreWindow(big: Float32Array, small: Float32Array, window: Window, scratch: Scratch): number {
	resample(big, window, scratch.out, scratch.rows);
	return correlationStandardised(scratch.out, small);
}

/**
 * The mean of the products of `small` and `standardiseFloat32(values)` (the window's correlation), without writing the
 * standardised grid: each cell rounded to single precision as the store did (Math.fround), summed in the same order.
 * The refinement of a crop window scores dozens a pair.
 */
function correlationStandardised(values: Float32Array, small: Float32Array): number {
	let mean = 0;
	let n = 0;
	for (let i = 0; i < values.length; i++) {
		mean += values[i]!;
		n++;
	}

	mean /= n || 1;
	let variance = 0;
	for (let i = 0; i < values.length; i++) {
		variance += (values[i]! - mean) ** 2;
	}

	const deviation = Math.sqrt(variance / (n || 1)) || 1;
	let sum = 0;
	for (let i = 0; i < values.length; i++) {
		sum += Math.fround((values[i]! - mean) / deviation) * small[i]!;
	}

	return sum / values.length;
}

function valid(window: Window, maxCrop: number): boolean {
	return window.x >= -1e-9 && window.y >= -1e-9 && window.x + window.w <= 1 + 1e-9 && window.y + window.h <= 1 + 1e-9 && window.w >= 1 - maxCrop && window.h >= 1 - maxCrop;
}

/** Mean of each column over the rows of [start, start + keep) (or of each row over those columns, `transposed`). */
function profile(grid: Float32Array, start: number, keep: number, transposed: boolean): Float32Array {
	const weights = axisWeights(start, keep);
	// The window's cells are each a weighted mix of source lines: summed, the weight of each source line.
	const lineWeights = new Float32Array(size);
	let total = 0;
	for (let i = 0; i < size; i++) {
		for (let line = 0; line < size; line++) {
			lineWeights[line]! += weights[i * size + line]!;
		}
	}

	for (let line = 0; line < size; line++) {
		total += lineWeights[line]!;
	}

	const out = new Float32Array(size);
	for (let cell = 0; cell < size; cell++) {
		let sum = 0;
		for (let line = 0; line < size; line++) {
			const weight = lineWeights[line]!;
			if (weight > 0) {
				sum += weight * (transposed ? grid[cell * size + line]! : grid[line * size + cell]!);
			}
		}

		out[cell] = sum / (total || 1);
	}

	return out;
}

const nonZeroSpans = new WeakMap<Float64Array, Int32Array>();
const axisScratch = {out: new Float64Array(size), differences: new Float64Array(size)};

/**
 * Per row of box weights, the first and one past the last column with a weight other than 0 (cached with the weights).
 * A sum over a row may skip the columns outside: it starts at +0, so adding 0 * x (+0 or -0) never changes it.
 */
function nonZero(weights: Float64Array): Int32Array {
	let span = nonZeroSpans.get(weights);
	if (!span) {
		span = new Int32Array(2 * size);
		for (let i = 0; i < size; i++) {
			let from = 0;
			while (from < size && weights[i * size + from] === 0) {
				from++;
			}

			let to = size;
			while (to > from && weights[i * size + to - 1] === 0) {
				to--;
			}

			span[2 * i] = from;
			span[2 * i + 1] = to;
		}

		nonZeroSpans.set(weights, span);
	}

	return span;
}

/**
 * The windows {@link searchAxis} tries for a largest crop, in the order it tries them (keep from the whole frame down,
 * start from the leading edge, each in steps of 0.005 from the last, so the same floating-point values every time),
 * with each window cell's box weights packed from its first to its last non-zero one: cell i of window k sums source
 * cells from[k·size + i] to to[k·size + i] - 1 with the weights from at[k·size + i]. Made once per largest crop: the
 * search tries 378 windows a call, and finding each one's weights in the caches (a Map, then a WeakMap) cost about as
 * much as summing with them.
 */
type AxisWindows = {
	readonly start: Float64Array;
	readonly keep: Float64Array;
	readonly from: Int32Array;
	readonly to: Int32Array;
	readonly at: Int32Array;
	readonly weights: Float64Array;
};

const axisWindowsByCrop = new Map<number, AxisWindows>();

function axisWindows(maxCrop: number): AxisWindows {
	let windows = axisWindowsByCrop.get(maxCrop);
	if (!windows) {
		const tried: Array<[start: number, keep: number]> = [];
		for (let keep = 1; keep >= 1 - maxCrop - 1e-9; keep -= 0.005) {
			for (let start = 0; start <= 1 - keep + 1e-9; start += 0.005) {
				tried.push([start, keep]);
			}
		}

		const from = new Int32Array(tried.length * size);
		const to = new Int32Array(tried.length * size);
		const at = new Int32Array(tried.length * size);
		const packed: number[] = [];
		for (const [k, [start, keep]] of tried.entries()) {
			const w = axisWeights(start, keep);
			const span = nonZero(w);
			for (let i = 0; i < size; i++) {
				const cell = k * size + i;
				from[cell] = span[2 * i]!;
				to[cell] = span[2 * i + 1]!;
				at[cell] = packed.length;
				for (let c = from[cell]!; c < to[cell]!; c++) {
					packed.push(w[i * size + c]!);
				}
			}
		}

		windows = {start: Float64Array.from(tried, ([start]) => start), keep: Float64Array.from(tried, ([, keep]) => keep), from, to, at, weights: Float64Array.from(packed)};
		axisWindowsByCrop.set(maxCrop, windows);
	}

	return windows;
}

/** The span [start, start + keep) of `big`'s profile that best matches `small`'s whole profile, on a fine grid. */
function searchAxis(big: Float32Array, small: Float32Array, maxCrop: number): [number, number] {
	let best = 0;
	let bestScore = -2;
	// The Pearson correlation of `out` and `small` for every window, in parts: small's mean, differences and square sum
	// are the same each time.
	const n = size;
	let mb = 0;
	for (let i = 0; i < n; i++) {
		mb += small[i]!;
	}

	mb /= n;
	const db = axisScratch.differences;
	let bb = 0;
	for (let i = 0; i < n; i++) {
		db[i] = small[i]! - mb;
		bb += db[i]! * db[i]!;
	}

	const out = axisScratch.out;
	const windows = axisWindows(maxCrop);
	const {from, to, at, weights} = windows;
	const count = from.length / size;
	for (let k = 0; k < count; k++) {
		let ma = 0;
		for (let i = 0; i < size; i++) {
			const cell = k * size + i;
			let sum = 0;
			let weight = at[cell]!;
			const end = to[cell]!;
			for (let c = from[cell]!; c < end; c++) {
				sum += weights[weight++]! * big[c]!;
			}

			// The window's profile is kept in single precision (it was a Float32Array).
			out[i] = Math.fround(sum);
			ma += out[i]!;
		}

		ma /= n;
		let ab = 0;
		let aa = 0;
		for (let i = 0; i < n; i++) {
			const da = out[i]! - ma;
			ab += da * db[i]!;
			aa += da * da;
		}

		const score = aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
		if (score > bestScore) {
			bestScore = score;
			best = k;
		}
	}

	return [windows.start[best]!, windows.keep[best]!];
}

/**
 * Where `small` lies in `big`: each axis is searched on profiles (column means, row means), the other axis restricted
 * to the span found for it, twice round. Cheap (1-D), and enough to start the 2-D refinement near the answer.
 */
function profileSearch(big: Float32Array, small: Float32Array, normalisedSmall: Float32Array, maxCrop: number, scratch: Scratch): {window: Window; score: number} {
	const smallColumns = profile(small, 0, 1, false);
	const smallRows = profile(small, 0, 1, true);
	let x: [number, number] = [0, 1];
	let y: [number, number] = [0, 1];
	for (let round = 0; round < 2; round++) {
		x = searchAxis(profile(big, y[0], y[1], false), smallColumns, maxCrop);
		y = searchAxis(profile(big, x[0], x[1], true), smallRows, maxCrop);
	}

	const window = {x: x[0], y: y[0], w: x[1], h: y[1]};
	return {window, score: scoreWindow(big, normalisedSmall, window, scratch)};
}

/**
 * The windows one refinement has scored, with their scores: a move and the move back from where it led give the same
 * window again (a fifth of the windows a refinement tries), whose score is taken from here instead of resampling. At
 * most 73 a refinement (its start and 3 steps of 3 rounds of 8 moves).
 */
const scored = {x: new Float64Array(80), y: new Float64Array(80), w: new Float64Array(80), h: new Float64Array(80), score: new Float64Array(80), count: 0};

function scoredBefore(window: Window): number | undefined {
	const {x, y, w, h, score, count} = scored;
	for (let k = 0; k < count; k++) {
		if (x[k] === window.x && y[k] === window.y && w[k] === window.w && h[k] === window.h) {
			return score[k];
		}
	}

	return undefined;
}

function rememberScore(window: Window, score: number): void {
	if (scored.count === scored.x.length) {
		// Never, as refine is written; a refinement that tried more would only resample what it cannot find here.
		return;
	}

	const k = scored.count++;
	scored.x[k] = window.x;
	scored.y[k] = window.y;
	scored.w[k] = window.w;
	scored.h[k] = window.h;
	scored.score[k] = score;
}

/** Coordinate descent on the window's four edges in shrinking steps. */
function refine(big: Float32Array, small: Float32Array, start: {window: Window; score: number}, maxCrop: number, scratch: Scratch) {
	let best = start;
	scored.count = 0;
	rememberScore(start.window, start.score);
	for (const step of [0.008, 0.004, 0.002]) {
		let improved = true;
		for (let round = 0; improved && round < 3; round++) {
			improved = false;
			for (const [dx, dy, dw, dh] of [
				[step, 0, -step, 0], [-step, 0, step, 0], [0, step, 0, -step], [0, -step, 0, step],
				[0, 0, step, 0], [0, 0, -step, 0], [0, 0, 0, step], [0, 0, 0, -step],
			] as const) {
				const {x, y, w, h} = best.window;
				const window = {x: x + dx, y: y + dy, w: w + dw, h: h + dh};
				if (!valid(window, maxCrop)) {
					continue;
				}

				let score = scoredBefore(window);
				if (score === undefined) {
					score = scoreWindow(big, small, window, scratch);
					rememberScore(window, score);
				}

				if (score > best.score + 1e-6) {
					best = {window, score};
					improved = true;
				}
			}
		}
	}

	return best;
}

/**
 * Cells that disagree by more than `overlayLimit` deviations (the first `count` of `grids.outliers`: `judge` finds them,
 * and passes them only when they are at most `overlayCells`), when they all lie in one corner region (where people put
 * text, logos and date imprints): those are set aside. Otherwise none are.
 */
function cornerOverlay(count: number, region: number): Uint8Array | undefined {
	const {outliers, keep} = grids;
	const reach = Math.ceil(size * region);
	let minX = size;
	let maxX = -1;
	let minY = size;
	let maxY = -1;
	for (let k = 0; k < count; k++) {
		const x = outliers[k]! % size;
		const y = Math.floor(outliers[k]! / size);
		minX = Math.min(minX, x);
		maxX = Math.max(maxX, x);
		minY = Math.min(minY, y);
		maxY = Math.max(maxY, y);
	}

	const left = maxX < reach;
	const right = minX >= size - reach;
	const top = maxY < reach;
	const bottom = minY >= size - reach;
	if (!((left || right) && (top || bottom))) {
		return undefined;
	}

	// Set aside the outliers and their neighbours (the soft edge of the mark).
	keep.fill(1);
	for (let k = 0; k < count; k++) {
		const x = outliers[k]! % size;
		const y = Math.floor(outliers[k]! / size);
		for (let dy = -1; dy <= 1; dy++) {
			for (let dx = -1; dx <= 1; dx++) {
				if (x + dx >= 0 && x + dx < size && y + dy >= 0 && y + dy < size) {
					keep[(y + dy) * size + x + dx] = 0;
				}
			}
		}
	}

	return keep;
}

/**
 * Judges `small` against `big`'s window. A corner overlay is set aside only when `overlays` is true: a window found by
 * searching is already free to shift, and freed of a corner too it fits look-alikes (another viewpoint of the scene
 * matched as a crop with its disagreeing corner set aside).
 */
function judge(big: Float32Array, small: Float32Array, twice: Float32Array, smallLevels: Float32Array, levelsMean: number, window: Window, scratch: Scratch, within: 0 | 1, overlays = true): DetailMatch {
	// Box weights of the whole frame are 1, one source cell to a window cell: resampling it copies the grid. Its weights
	// are still asked for, so the weights cache fills and empties exactly as when they were used.
	let aligned = big;
	if (isIdentity(window)) {
		axisWeights(0, 1);
		axisWeights(0, 1);
	} else {
		resample(big, window, scratch.out, scratch.rows);
		aligned = scratch.out;
	}

	const {stats} = grids;
	const na = standardiseFloat32(aligned, grids.na, undefined, stats);
	return judgeStandardised(aligned, na, stats.mean, small, twice, smallLevels, levelsMean, window, within, overlays);
}

/** `judge` once the window's cells are `aligned` and standardised into `na` (their mean `ma`). */
function judgeStandardised(aligned: Float32Array, na: Float32Array, ma: number, small: Float32Array, twice: Float32Array, smallLevels: Float32Array, levelsMean: number, window: Window, within: 0 | 1, overlays: boolean): DetailMatch {
	const {outliers} = grids;
	const mb = levelsMean;
	// One pass over the cells for what a judgement with nothing set aside needs (the usual case): the cells a corner
	// overlay would set aside, the correlation and the least-squares fit of the levels, each summed in the order of the
	// cells as the separate passes of the plain version did.
	let count = 0;
	let many = !overlays;
	let sum = 0;
	let ab = 0;
	let aa = 0;
	for (let i = 0; i < cells; i++) {
		const x = na[i]!;
		const y = twice[i]!;
		if (!many && Math.abs(x - y) > overlayLimit) {
			if (count === overlayCells) {
				many = true;
			} else {
				outliers[count++] = i;
			}
		}

		sum += x * y;
		ab += (aligned[i]! - ma) * (smallLevels[i]! - mb);
		aa += (aligned[i]! - ma) ** 2;
	}

	const keep = many || count === 0 ? undefined : cornerOverlay(count, overlayRegion);
	if (keep) {
		return judgeKept(aligned, na, small, smallLevels, keep, window, within);
	}

	const alpha = aa === 0 ? 0 : ab / aa;
	// Every 4x4 block's two sums, a band of 4 rows at a time: each block's cells in their order (its rows in turn, each
	// row's four cells left to right), the 8 blocks of a band side by side (each sum waits on the one before it, so one
	// block at a time was bound by the adder's latency).
	const {blocks, levels} = bandSums;
	let worstBlock = 0;
	let worstLevel = 0;
	for (let by = 0; by < size; by += 4) {
		blocks.fill(0);
		levels.fill(0);
		for (let y = by; y < by + 4; y++) {
			for (let bx = 0; bx < size / 4; bx++) {
				let block = blocks[bx]!;
				let level = levels[bx]!;
				for (let i = y * size + bx * 4, end = i + 4; i < end; i++) {
					block += Math.abs(na[i]! - twice[i]!);
					level += Math.abs(alpha * (aligned[i]! - ma) + mb - smallLevels[i]!);
				}

				blocks[bx] = block;
				levels[bx] = level;
			}
		}

		for (let bx = 0; bx < size / 4; bx++) {
			worstBlock = Math.max(worstBlock, blocks[bx]! / 16);
			worstLevel = Math.max(worstLevel, levels[bx]! / 16);
		}
	}

	return {correlation: sum / cells, worstBlock, worstLevel, overlay: 0, window, within};
}

/** The two sums of each 4x4 block of a band of rows, in double precision (as `let` sums are). */
const bandSums = {blocks: new Float64Array(size / 4), levels: new Float64Array(size / 4)};

/** `judge` with a corner overlay set aside: everything measured over the kept cells only. */
function judgeKept(aligned: Float32Array, na: Float32Array, small: Float32Array, smallLevels: Float32Array, keep: Uint8Array, window: Window, within: 0 | 1): DetailMatch {
	standardiseFloat32(aligned, na, keep);
	const nb = standardiseFloat32(small, grids.nb, keep);
	let sum = 0;
	let n = 0;
	for (let i = 0; i < na.length; i++) {
		if (keep[i]) {
			sum += na[i]! * nb[i]!;
			n++;
		}
	}

	const worstBlock = worstBlockOf(na, nb, keep, false, 1, 0, 0);
	let overlay = 0;
	for (let i = 0; i < keep.length; i++) {
		overlay += 1 - keep[i]!;
	}

	return {correlation: sum / (n || 1), worstBlock, worstLevel: worstLevelOf(aligned, smallLevels, keep), overlay, window, within};
}

/** Worst 4x4 block of |alpha * a + beta - b| (least squares over the kept cells), in grey levels. */
function worstLevelOf(a: Float32Array, b: Float32Array, keep: Uint8Array | undefined): number {
	let n = 0;
	let ma = 0;
	let mb = 0;
	for (let i = 0; i < a.length; i++) {
		if (!keep || keep[i]) {
			ma += a[i]!;
			mb += b[i]!;
			n++;
		}
	}

	ma /= n || 1;
	mb /= n || 1;
	let ab = 0;
	let aa = 0;
	for (let i = 0; i < a.length; i++) {
		if (!keep || keep[i]) {
			ab += (a[i]! - ma) * (b[i]! - mb);
			aa += (a[i]! - ma) ** 2;
		}
	}

	const alpha = aa === 0 ? 0 : ab / aa;
	return worstBlockOf(a, b, keep, true, alpha, ma, mb);
}

/**
 * The largest mean over the kept cells of a 4x4-cell block (a block with fewer than 8 kept is skipped) of the
 * differences |a - b|, or, `fitted`, |alpha * (a - ma) + mb - b| (each in double precision).
 */
function worstBlockOf(a: Float32Array, b: Float32Array, keep: Uint8Array | undefined, fitted: boolean, alpha: number, ma: number, mb: number): number {
	let worst = 0;
	for (let by = 0; by < size; by += 4) {
		for (let bx = 0; bx < size; bx += 4) {
			let block = 0;
			let cells = 0;
			for (let y = by; y < by + 4; y++) {
				for (let x = bx; x < bx + 4; x++) {
					const i = y * size + x;
					if (!keep || keep[i]) {
						block += fitted ? Math.abs(alpha * (a[i]! - ma) + mb - b[i]!) : Math.abs(a[i]! - b[i]!);
						cells++;
					}
				}
			}

			if (cells >= 8) {
				worst = Math.max(worst, block / cells);
			}
		}
	}

	return worst;
}

function passes(match: DetailMatch, tuning: DetailThresholds): boolean {
	return match.correlation >= tuning.correlation && match.worstBlock <= tuning.worstBlock && match.worstLevel <= (tuning.worstLevel ?? Infinity);
}

/**
 * The grids compareDetail judges the second picture in the first with: the second standardised (`small`) and
 * standardised again (`twice`), and the whole first standardised as judge would (into `grids.na`), the three side by
 * side: the same sums in the same order each, the first and second grids' in one loop, then the second's
 * standardised grid's (`twice`). Each sum waits on the one before it, so one grid at a time was bound by the adder's
 * latency; the as-found judgement of every candidate pair with detail grids runs this.
 */
function standardiseSides(first: Float32Array, second: Float32Array) {
	const small = grids.small[0]!;
	const twice = grids.twice[0]!;
	const na = grids.na;
	let firstMean = 0;
	let levelsMean = 0;
	for (let i = 0; i < cells; i++) {
		firstMean += first[i]!;
		levelsMean += second[i]!;
	}

	firstMean /= cells;
	levelsMean /= cells;
	let firstVariance = 0;
	let levelsVariance = 0;
	for (let i = 0; i < cells; i++) {
		firstVariance += (first[i]! - firstMean) ** 2;
		levelsVariance += (second[i]! - levelsMean) ** 2;
	}

	const firstDeviation = Math.sqrt(firstVariance / cells) || 1;
	const levelsDeviation = Math.sqrt(levelsVariance / cells) || 1;
	let smallMean = 0;
	for (let i = 0; i < cells; i++) {
		na[i] = (first[i]! - firstMean) / firstDeviation;
		small[i] = (second[i]! - levelsMean) / levelsDeviation;
		smallMean += small[i]!;
	}

	smallMean /= cells;
	let smallVariance = 0;
	for (let i = 0; i < cells; i++) {
		smallVariance += (small[i]! - smallMean) ** 2;
	}

	const smallDeviation = Math.sqrt(smallVariance / cells) || 1;
	for (let i = 0; i < cells; i++) {
		twice[i] = (small[i]! - smallMean) / smallDeviation;
	}

	return {big: first, small, twice, levels: second, levelsMean, firstMean};
}

/** Options of one fine comparison. */
export type DetailOptions = {
	/** The first grid is turned by this many degrees clockwise first (a rotated copy). */
	readonly rotation?: 0 | 90 | 180 | 270;
	/** Windows of the first picture worth trying before a search (a centre crop the pair was found through). */
	readonly hints?: readonly Window[];
	/** Largest crop per axis searched for. */
	readonly maxCrop?: number;
	/** Whether one may be a crop of the other at all (default true); when not, the crop search is skipped. */
	readonly crops?: boolean;
};

/**
 * Compares two detail grids: as they are, or, when that fails, with one inside a crop window of the other (either
 * way round, searched coarse to fine). Returns the best match found; `passes` it when it meets the tuning.
 */
export function compareDetail(a: Uint8Array, b: Uint8Array, tuning: DetailTuning, options: DetailOptions = {}): DetailMatch & {passes: boolean} {
	const maxCrop = options.maxCrop ?? 0.13;
	const rotation = options.rotation ?? 0;
	const {first, second} = grids;
	if (rotation === 0) {
		first.set(a);
	} else {
		first.set(rotateGray({gray: Float32Array.from(a), width: size, height: size}, rotation).gray);
	}

	second.set(b);
	const scratch = sharedScratch;

	let best: DetailMatch | undefined;
	const consider = (match: DetailMatch, thresholds: DetailThresholds = tuning) => {
		if (!best || match.correlation - match.worstBlock / 4 > best.correlation - best.worstBlock / 4) {
			best = match;
		}

		return passes(match, thresholds);
	};

	// As found: the whole picture, or the centre crop it was found through. The whole picture is judged on the first
	// grid standardised beside the second's two standardisations (standardiseSides), as judge would have it.
	const asFound = standardiseSides(first, second);
	axisWeights(0, 1);
	axisWeights(0, 1);
	if (consider(judgeStandardised(first, grids.na, asFound.firstMean, asFound.small, asFound.twice, second, asFound.levelsMean, identity, 0, true))) {
		return {...best!, passes: true};
	}

	for (const hint of options.hints ?? []) {
		if (consider(judge(asFound.big, asFound.small, asFound.twice, asFound.levels, asFound.levelsMean, hint, scratch, 0))) {
			return {...best!, passes: true};
		}
	}

	if (options.crops === false) {
		return {...best!, passes: false};
	}

	// A crop of either picture, wherever it lies, judged on the aligned thresholds and with no overlay set aside (tuned
	// on the tuning half of the labelled set: no copy there needs both, and another viewpoint of a scene passed with both).
	// As found, the second picture is judged in a window of the first; the other way round is needed only by the crop
	// search, so its grids are standardised only when the search runs.
	const otherWay = () => {
		const small = standardiseFloat32(first, grids.small[1]!, undefined, grids.stats);
		const levelsMean = grids.stats.mean;
		return {big: second, small, twice: standardiseFloat32(small, grids.twice[1]!), levels: first, levelsMean};
	};

	for (const index of [0, 1] as const) {
		const {big, small, twice, levels, levelsMean} = index === 0 ? asFound : otherWay();
		const found = refine(big, small, profileSearch(big, levels, small, maxCrop, scratch), maxCrop, scratch);
		const match = judge(big, small, twice, levels, levelsMean, found.window, scratch, index, false);
		if (consider(match, tuning.aligned ?? tuning)) {
			return {...best!, passes: true};
		}
	}

	return {...best!, passes: false};
}

/**
 * How well a damaged picture matches the part of an intact one that decoded. A truncated JPEG decodes its first rows
 * and fills the rest with one grey, which scan trims as a uniform border: its grid then covers only the part that
 * decoded, stretched to the frame. That part starts at the top of the coded picture, which the EXIF orientation may
 * have turned to the bottom or a side: the best of the four edges, the intact picture's window resampled onto the
 * cells. `share` is the decoded part's share of the height (of the width, for a side).
 */
export function decodedMatch(intact: Uint8Array, damaged: Uint8Array, share: {readonly x: number; readonly y: number}): number {
	const scratch = {out: new Float32Array(size * size), rows: new Float32Array(size * size)};
	const big = Float32Array.from(intact);
	const small = normalise(Float32Array.from(damaged));
	const windows: Window[] = [];
	if (share.y < 0.98) {
		windows.push({x: 0, y: 0, w: 1, h: share.y}, {x: 0, y: 1 - share.y, w: 1, h: share.y});
	}

	if (share.x < 0.98) {
		windows.push({x: 0, y: 0, w: share.x, h: 1}, {x: 1 - share.x, y: 0, w: share.x, h: 1});
	}

	return Math.max(-1, ...windows.map(window => scoreWindow(big, small, window, scratch)));
}
