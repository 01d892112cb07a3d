/**
 * Crop-robust comparison of two 16x16 grey signatures (issue 15). A cropped copy is a window of its original: the
 * window's scale and offset are searched per axis (coarse, then fine), the original's signature is resampled over the
 * window, and the two are compared where they overlap. A small local difference (a watermark, a date imprint, a logo
 * in a corner) is set aside when it is confined to a few cells near the frame's edge; a moved subject or a different
 * viewpoint leaves a difference spread too wide or a correlation too low. Pure.
 */
import {signatureSize, standardise} from '../core/signature.js';
import {boxWeights} from './box-weights.js';

const size = signatureSize;

/** A window of a picture in its own normalised coordinates: left and top, width and height as shares of the frame. */
export type Window = {readonly x: number; readonly y: number; readonly w: number; readonly h: number};

/** The result of aligning one signature onto another. */
export type Alignment = {
	/** Pearson correlation over the cells kept (after setting aside a confined local difference). */
	readonly correlation: number;
	/** Correlation over every cell. */
	readonly full: number;
	/** Cells set aside as a local overlay. */
	readonly outliers: number;
	/** Mean absolute difference of the worst 4x4-cell block after alignment, overlay cells left out: large where something moved. */
	readonly worstBlock: number;
	/** Where the second picture lies inside the first (or the first inside the second when `inverse`). */
	readonly window: Window;
	readonly inverse: boolean;
};

function normalise(values: ArrayLike<number>, keep?: Uint8Array): Float64Array {
	return standardise(values, new Float64Array(values.length), keep);
}

const axisWeights = (start: number, keep: number) => boxWeights(size, start, keep);

/** The horizontal pass of `resampleWindow`: each row of `source` box-averaged over the window's columns. */
function resampleColumns(source: ArrayLike<number>, wx: Float64Array, rows: Float64Array): void {
	for (let row = 0; row < size; row++) {
		for (let x = 0; x < size; x++) {
			let sum = 0;
			for (let c = 0; c < size; c++) {
				sum += wx[x * size + c]! * source[row * size + c]!;
			}

			rows[row * size + x] = sum;
		}
	}
}

/** The vertical pass of `resampleWindow`, over rows already averaged across the window's columns. */
function resampleRows(rows: Float64Array, wy: Float64Array, out: Float64Array): void {
	for (let y = 0; y < size; y++) {
		for (let x = 0; x < size; x++) {
			let sum = 0;
			for (let r = 0; r < size; r++) {
				sum += wy[y * size + r]! * rows[r * size + x]!;
			}

			out[y * size + x] = sum;
		}
	}
}

/** Box-averages `source` (size x size cells covering the frame) over the cells of a window: the window's own signature. */
export function resampleWindow(source: ArrayLike<number>, window: Window, out: Float64Array, rows: Float64Array): void {
	resampleColumns(source, axisWeights(window.x, window.w), rows);
	resampleRows(rows, axisWeights(window.y, window.h), out);
}

function correlate(a: Float64Array, b: Float64Array): number {
	let sum = 0;
	for (let i = 0; i < a.length; i++) {
		sum += a[i]! * b[i]!;
	}

	return sum / a.length;
}

/**
 * Searches the window of `big` that correlates best with `small`. Windows are visited column window first, so the
 * horizontal pass (half the work of resampling) is done once per column window rather than once per window: the
 * search is most of duplicate verification's time on a catalog without detail grids.
 */
/** Windows of one axis: kept share from `minKeep` to 1 in `step`, every offset within the frame in `step`. */
function axis(minKeep: number, step: number): Array<[number, number]> {
	const out: Array<[number, number]> = [];
	for (let keep = 1; keep >= minKeep - 1e-9; keep -= step) {
		for (let offset = 0; offset <= 1 - keep + 1e-9; offset += step) {
			out.push([offset, keep]);
		}
	}

	return out;
}

const coarse = axis(0.88, 0.03);

function search(big: ArrayLike<number>, small: Float64Array): {window: Window; correlation: number} {
	const rows = new Float64Array(size * size);
	const out = new Float64Array(size * size);
	let best = {window: {x: 0, y: 0, w: 1, h: 1} as Window, correlation: -2};
	const consider = (window: Window) => {
		resampleRows(rows, axisWeights(window.y, window.h), out);
		const correlation = correlate(normalise(out), small);
		if (correlation > best.correlation) {
			best = {window, correlation};
		}
	};

	for (const [x, w] of coarse) {
		resampleColumns(big, axisWeights(x, w), rows);
		for (const [y, h] of coarse) {
			consider({x, y, w, h});
		}
	}

	// Refine around the best coarse window in finer steps.
	const inside = (window: Window) => !(window.x < -1e-9 || window.y < -1e-9 || window.x + window.w > 1 + 1e-9 || window.y + window.h > 1 + 1e-9 || window.w > 1 || window.h > 1);
	for (const step of [0.015, 0.0075]) {
		const center = best.window;
		for (const dx of [-step, 0, step]) {
			for (const dw of [-step, 0, step]) {
				const x = center.x + dx;
				const w = center.w + dw;
				let columns = false;
				for (const dy of [-step, 0, step]) {
					for (const dh of [-step, 0, step]) {
						const window = {x, y: center.y + dy, w, h: center.h + dh};
						if (!inside(window)) {
							continue;
						}

						if (!columns) {
							resampleColumns(big, axisWeights(x, w), rows);
							columns = true;
						}

						consider(window);
					}
				}
			}
		}
	}

	return best;
}

/**
 * Cells that disagree by more than `limit` standard deviations, when they are few and lie in one corner or along one
 * edge band (where people put text, logos and date imprints); otherwise none.
 */
function confinedOutliers(a: Float64Array, b: Float64Array, limit: number, maxCells: number): Uint8Array | undefined {
	const outliers: number[] = [];
	for (let i = 0; i < a.length; i++) {
		if (Math.abs(a[i]! - b[i]!) > limit) {
			outliers.push(i);
		}
	}

	if (outliers.length === 0 || outliers.length > maxCells) {
		return undefined;
	}

	// Confined: inside one quarter of the frame that touches a corner.
	const xs = outliers.map(i => i % size);
	const ys = outliers.map(i => Math.floor(i / size));
	const quarter = size / 2;
	const left = Math.max(...xs) < quarter;
	const right = Math.min(...xs) >= quarter;
	const top = Math.max(...ys) < quarter;
	const bottom = Math.min(...ys) >= quarter;
	if (!((left || right) && (top || bottom))) {
		return undefined;
	}

	const keep = new Uint8Array(a.length).fill(1);
	for (const i of outliers) {
		keep[i] = 0;
	}

	return keep;
}

/** Correlation over the kept cells, each side normalised over them. */
function keptCorrelation(a: ArrayLike<number>, b: ArrayLike<number>, keep: Uint8Array): number {
	const na = normalise(a, keep);
	const nb = normalise(b, keep);
	let sum = 0;
	let n = 0;
	for (let i = 0; i < keep.length; i++) {
		if (keep[i]) {
			sum += na[i]! * nb[i]!;
			n++;
		}
	}

	return sum / (n || 1);
}

function worstBlockOf(a: Float64Array, b: Float64Array, keep: Uint8Array | undefined): number {
	let worst = 0;
	for (let by = 0; by < size; by += 4) {
		for (let bx = 0; bx < size; bx += 4) {
			let block = 0;
			for (let y = by; y < by + 4; y++) {
				for (let x = bx; x < bx + 4; x++) {
					const i = y * size + x;
					if (!keep || keep[i]) {
						block += Math.abs(a[i]! - b[i]!);
					}
				}
			}

			worst = Math.max(worst, block / 16);
		}
	}

	return worst;
}

/** Options of an alignment. */
export type AlignOptions = {
	/** Cells further apart than this many standard deviations are candidates for a local overlay. */
	readonly outlierLimit?: number;
	/** Most cells a local overlay may cover. */
	readonly maxOutliers?: number;
};

/**
 * Aligns two signatures allowing a crop of up to 12 % per axis on either side, and compares them where they overlap,
 * setting aside a confined overlay.
 */
export function alignSignatures(a: ArrayLike<number>, b: ArrayLike<number>, options: AlignOptions = {}): Alignment {
	const limit = options.outlierLimit ?? 1.2;
	const maxCells = options.maxOutliers ?? 10;
	let best: Alignment | undefined;
	for (const inverse of [false, true]) {
		const big = inverse ? b : a;
		const small = inverse ? a : b;
		const smallNorm = normalise(small);
		const found = search(big, smallNorm);
		const resampled = new Float64Array(size * size);
		resampleWindow(big, found.window, resampled, new Float64Array(size * size));
		const bigNorm = normalise(resampled);
		const keep = confinedOutliers(bigNorm, smallNorm, limit, maxCells);
		const correlation = keep ? keptCorrelation(resampled, small, keep) : found.correlation;
		const outliers = keep ? keep.length - keep.reduce((sum, value) => sum + value, 0) : 0;
		const worstBlock = keep ? worstBlockOf(normalise(resampled, keep), normalise(small, keep), keep) : worstBlockOf(bigNorm, smallNorm, undefined);
		const result: Alignment = {correlation, full: found.correlation, outliers, worstBlock, window: found.window, inverse};
		if (!best || result.correlation > best.correlation) {
			best = result;
		}
	}

	return best!;
}
