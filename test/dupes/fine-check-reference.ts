/**
 * The fine check (source/dupes/detail.ts `compareDetail`) and signature matching (source/core/signature.ts
 * `matchSignatures`) as they were written before they were made cheaper: plain, allocating, one step after another.
 * Kept verbatim so a test and bench/fine-check.ts can check that the fast versions give the same results bit for bit,
 * and time the two in one run. Do not optimise this file.
 */
import {rotateGray} from '../../source/core/geometry.js';
import {signatureSize} from '../../source/core/signature.js';
import {boxWeights} from '../../source/dupes/box-weights.js';
import {type DetailMatch, type DetailOptions, type DetailThresholds, type DetailTuning, detailSize, type Window} from '../../source/dupes/detail.js';

const size = detailSize;

/**
 * Writes `values` less their mean, divided by their standard deviation, into `out` (a constant grid stays at zero):
 * what every grid comparison (signatures, crop alignment, detail grids) correlates. With `keep`, the mean and deviation
 * come from the kept cells only, as when a corner overlay is set aside; every cell is still written.
 */
function standardise<T extends Float32Array | Float64Array>(values: ArrayLike<number>, out: T, keep?: Uint8Array): T {
	let mean = 0;
	let n = 0;
	for (let i = 0; i < values.length; i++) {
		if (!keep || keep[i]) {
			mean += values[i]!;
			n++;
		}
	}

	mean /= n || 1;
	let variance = 0;
	for (let i = 0; i < values.length; i++) {
		if (!keep || keep[i]) {
			variance += (values[i]! - mean) ** 2;
		}
	}

	const deviation = Math.sqrt(variance / (n || 1)) || 1;
	for (let i = 0; i < values.length; i++) {
		out[i] = (values[i]! - mean) / deviation;
	}

	return out;
}

function normaliseSignature(values: ArrayLike<number>): Float64Array {
	return standardise(values, new Float64Array(values.length));
}

/** Bilinear sample of the centre `fraction` of a square signature back onto the full grid: a centre crop. */
function centreCrop(signature: ArrayLike<number>, fraction: number): Float64Array {
	const size = signatureSize;
	const out = new Float64Array(size * size);
	const offset = ((1 - fraction) * size) / 2;
	for (let y = 0; y < size; y++) {
		for (let x = 0; x < size; x++) {
			// Cell centres of the crop window, in source cell coordinates.
			const sx = Math.min(size - 1, Math.max(0, offset + (x + 0.5) * fraction - 0.5));
			const sy = Math.min(size - 1, Math.max(0, offset + (y + 0.5) * fraction - 0.5));
			const x0 = Math.floor(sx);
			const y0 = Math.floor(sy);
			const x1 = Math.min(size - 1, x0 + 1);
			const y1 = Math.min(size - 1, y0 + 1);
			const fx = sx - x0;
			const fy = sy - y0;
			const top = signature[y0 * size + x0]! * (1 - fx) + signature[y0 * size + x1]! * fx;
			const bottom = signature[y1 * size + x0]! * (1 - fx) + signature[y1 * size + x1]! * fx;
			out[y * size + x] = top * (1 - fy) + bottom * fy;
		}
	}

	return out;
}

type SignatureMatch = {
	/** Pearson correlation of the normalised cells, 1 for identical pictures. */
	readonly correlation: number;
	/** Mean absolute difference of the worst 4x4-cell block, in standard deviations: large when something moved. */
	readonly worstBlock: number;
	/** The crop (1 = none) under which the pair matched best. */
	readonly crop: number;
};

function compare(a: Float64Array, b: Float64Array): {correlation: number; worstBlock: number} {
	const size = signatureSize;
	let sum = 0;
	for (let i = 0; i < a.length; i++) {
		sum += a[i]! * b[i]!;
	}

	let worstBlock = 0;
	for (let by = 0; by < size; by += 4) {
		for (let bx = 0; bx < size; bx += 4) {
			let block = 0;
			for (let y = by; y < by + 4; y++) {
				for (let x = bx; x < bx + 4; x++) {
					block += Math.abs(a[y * size + x]! - b[y * size + x]!);
				}
			}

			worstBlock = Math.max(worstBlock, block / 16);
		}
	}

	return {correlation: sum / a.length, worstBlock};
}

/**
 * Compares two signatures, the first turned by `rotation` degrees clockwise first (for rotated copies). With `crops`
 * it also tries those centre crops of either side, resampled from the 16x16 cells (coarse; exact crop signatures
 * stored at scan time are better where they exist).
 */
export function referenceMatchSignatures(a: Uint8Array, b: Uint8Array, rotation: 0 | 90 | 180 | 270 = 0, crops: readonly number[] = [1]): SignatureMatch {
	const size = signatureSize;
	const turned = rotation === 0 ? a : rotateGray({gray: Float32Array.from(a), width: size, height: size}, rotation).gray;
	let best: SignatureMatch = {correlation: -1, worstBlock: Infinity, crop: 1};
	for (const crop of crops) {
		const pairs: Array<[ArrayLike<number>, ArrayLike<number>]> = crop === 1 ? [[turned, b]] : [[centreCrop(turned, crop), b], [turned, centreCrop(b, crop)]];
		for (const [x, y] of pairs) {
			const result = compare(normaliseSignature(x), normaliseSignature(y));
			if (result.correlation > best.correlation) {
				best = {...result, crop};
			}
		}
	}

	return best;
}

const identity: Window = {x: 0, y: 0, w: 1, h: 1};

const axisWeights = (start: number, keep: number) => boxWeights(size, start, keep);

/** Box-averages `source` over the cells of a window (separable: rows, then columns). */
function resample(source: Float32Array, window: Window, out: Float32Array, rows: Float32Array): void {
	const wx = axisWeights(window.x, window.w);
	const wy = axisWeights(window.y, window.h);
	for (let row = 0; row < size; row++) {
		for (let x = 0; x < size; x++) {
			let sum = 0;
			const base = x * size;
			const lo = Math.max(0, Math.floor(window.x * size + x * window.w));
			const hi = Math.min(size, Math.ceil(window.x * size + (x + 1) * window.w));
			for (let c = lo; c < hi; c++) {
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
	return standardise(values, new Float32Array(values.length), keep);
}

function correlation(a: Float32Array, b: Float32Array): number {
	let sum = 0;
	for (let i = 0; i < a.length; i++) {
		sum += a[i]! * b[i]!;
	}

	return sum / a.length;
}

type Scratch = {out: Float32Array; rows: Float32Array};

function scoreWindow(big: Float32Array, small: Float32Array, window: Window, scratch: Scratch): number {
	resample(big, window, scratch.out, scratch.rows);
	return correlation(normalise(scratch.out), small);
}

function valid(window: Window, maxCrop: number): boolean {
	return window.x >= -1e-9 && window.y >= -1e-9 && window.x + window.w <= 1 + 1e-9 && window.y + window.h <= 1 + 1e-9 && window.w >= 1 - maxCrop && window.h >= 1 - maxCrop;
}

/** Pearson correlation of two equal-length series. */
function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
	const n = a.length;
	let ma = 0;
	let mb = 0;
	for (let i = 0; i < n; i++) {
		ma += a[i]!;
		mb += b[i]!;
	}

	ma /= n;
	mb /= n;
	let ab = 0;
	let aa = 0;
	let bb = 0;
	for (let i = 0; i < n; i++) {
		const da = a[i]! - ma;
		const db = b[i]! - mb;
		ab += da * db;
		aa += da * da;
		bb += db * db;
	}

	return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
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

/** The span [start, start + keep) of `big`'s profile that best matches `small`'s whole profile, on a fine grid. */
function searchAxis(big: Float32Array, small: Float32Array, maxCrop: number): [number, number] {
	let best: [number, number] = [0, 1];
	let bestScore = -2;
	const out = new Float32Array(size);
	for (let keep = 1; keep >= 1 - maxCrop - 1e-9; keep -= 0.005) {
		for (let start = 0; start <= 1 - keep + 1e-9; start += 0.005) {
			const w = axisWeights(start, keep);
			for (let i = 0; i < size; i++) {
				let sum = 0;
				for (let c = 0; c < size; c++) {
					sum += w[i * size + c]! * big[c]!;
				}

				out[i] = sum;
			}

			const score = pearson(out, small);
			if (score > bestScore) {
				bestScore = score;
				best = [start, keep];
			}
		}
	}

	return best;
}

/**
 * Where `small` lies in `big`: each axis is searched on profiles (column means, row means), the other axis restricted
 * to the span found for it, twice round. Cheap (1-D), and enough to start the 2-D refinement near the answer.
 */
function profileSearch(big: Float32Array, small: Float32Array, maxCrop: number, scratch: Scratch): {window: Window; score: number} {
	const smallColumns = profile(small, 0, 1, false);
	const smallRows = profile(small, 0, 1, true);
	let x: [number, number] = [0, 1];
	let y: [number, number] = [0, 1];
	for (let round = 0; round < 2; round++) {
		x = searchAxis(profile(big, y[0], y[1], false), smallColumns, maxCrop);
		y = searchAxis(profile(big, x[0], x[1], true), smallRows, maxCrop);
	}

	const window = {x: x[0], y: y[0], w: x[1], h: y[1]};
	return {window, score: scoreWindow(big, normalise(small), window, scratch)};
}

/** Coordinate descent on the window's four edges in shrinking steps. */
function refine(big: Float32Array, small: Float32Array, start: {window: Window; score: number}, maxCrop: number, scratch: Scratch) {
	let best = start;
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

				const score = scoreWindow(big, small, window, scratch);
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
 * Cells that disagree by more than `limit` deviations, when they are few and all lie in one corner region (where
 * people put text, logos and date imprints): those are set aside. Otherwise none are.
 */
function cornerOverlay(a: Float32Array, b: Float32Array, limit: number, maxCells: number, region: number): Uint8Array | undefined {
	const outliers: number[] = [];
	for (let i = 0; i < a.length; i++) {
		if (Math.abs(a[i]! - b[i]!) > limit) {
			outliers.push(i);
			if (outliers.length > maxCells) {
				return undefined;
			}
		}
	}

	if (outliers.length === 0) {
		return undefined;
	}

	const reach = Math.ceil(size * region);
	const xs = outliers.map(i => i % size);
	const ys = outliers.map(i => Math.floor(i / size));
	const left = Math.max(...xs) < reach;
	const right = Math.min(...xs) >= size - reach;
	const top = Math.max(...ys) < reach;
	const bottom = Math.min(...ys) >= size - reach;
	if (!((left || right) && (top || bottom))) {
		return undefined;
	}

	// Set aside the outliers and their neighbours (the soft edge of the mark).
	const keep = new Uint8Array(a.length).fill(1);
	for (const i of outliers) {
		const x = i % size;
		const y = Math.floor(i / size);
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
function judge(big: Float32Array, small: Float32Array, smallLevels: Float32Array, window: Window, scratch: Scratch, within: 0 | 1, overlays = true): DetailMatch {
	resample(big, window, scratch.out, scratch.rows);
	const aligned = Float32Array.from(scratch.out);
	let na = normalise(aligned);
	let nb = normalise(small);
	const keep = overlays ? cornerOverlay(na, nb, 1.5, 48, 0.3) : undefined;
	if (keep) {
		na = normalise(aligned, keep);
		nb = normalise(small, keep);
	}

	let sum = 0;
	let n = 0;
	for (let i = 0; i < na.length; i++) {
		if (!keep || keep[i]) {
			sum += na[i]! * nb[i]!;
			n++;
		}
	}

	const worstBlock = worstBlockOf(Float64Array.from(na, (value, i) => Math.abs(value - nb[i]!)), keep);

	const overlay = keep ? keep.length - keep.reduce((total, value) => total + value, 0) : 0;
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
	return worstBlockOf(Float64Array.from(a, (value, i) => Math.abs(alpha * (value - ma) + mb - b[i]!)), keep);
}

/** The largest mean of `differences` over the kept cells of a 4x4-cell block (a block with fewer than 8 kept is skipped). */
function worstBlockOf(differences: Float64Array, keep: Uint8Array | undefined): number {
	let worst = 0;
	for (let by = 0; by < size; by += 4) {
		for (let bx = 0; bx < size; bx += 4) {
			let block = 0;
			let cells = 0;
			for (let y = by; y < by + 4; y++) {
				for (let x = bx; x < bx + 4; x++) {
					const i = y * size + x;
					if (!keep || keep[i]) {
						block += differences[i]!;
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
 * Compares two detail grids: as they are, or, when that fails, with one inside a crop window of the other (either
 * way round, searched coarse to fine). Returns the best match found; `passes` it when it meets the tuning.
 */
export function referenceCompareDetail(a: Uint8Array, b: Uint8Array, tuning: DetailTuning, options: DetailOptions = {}): DetailMatch & {passes: boolean} {
	const maxCrop = options.maxCrop ?? 0.13;
	const rotation = options.rotation ?? 0;
	const first = rotation === 0 ? Float32Array.from(a) : rotateGray({gray: Float32Array.from(a), width: size, height: size}, rotation).gray;
	const second = Float32Array.from(b);
	const scratch = {out: new Float32Array(size * size), rows: new Float32Array(size * size)};
	const sides = [
		{big: first, small: normalise(second), levels: second},
		{big: second, small: normalise(first), levels: first},
	];
	let best: DetailMatch | undefined;
	const consider = (match: DetailMatch, thresholds: DetailThresholds = tuning) => {
		if (!best || match.correlation - match.worstBlock / 4 > best.correlation - best.worstBlock / 4) {
			best = match;
		}

		return passes(match, thresholds);
	};

	// As found: the whole picture, or the centre crop it was found through.
	for (const window of [identity, ...(options.hints ?? [])]) {
		if (consider(judge(sides[0]!.big, sides[0]!.small, sides[0]!.levels, window, scratch, 0))) {
			return {...best!, passes: true};
		}
	}

	if (options.crops === false) {
		return {...best!, passes: false};
	}

	// A crop of either picture, wherever it lies, judged on the aligned thresholds and with no overlay set aside (tuned
	// on the tuning half of the labelled set: no copy there needs both, and another viewpoint of a scene passed with both).
	for (const [index, side] of sides.entries()) {
		const found = refine(side.big, side.small, profileSearch(side.big, side.levels, maxCrop, scratch), maxCrop, scratch);
		const match = judge(side.big, side.small, side.levels, found.window, scratch, index as 0 | 1, false);
		if (consider(match, tuning.aligned ?? tuning)) {
			return {...best!, passes: true};
		}
	}

	return {...best!, passes: false};
}

export function referenceDecodedMatch(intact: Uint8Array, damaged: Uint8Array, share: {readonly x: number; readonly y: number}): number {
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
