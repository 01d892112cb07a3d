/**
 * Second-stage check of near-duplicate candidates on 16x16 grey signatures. pHash alone cannot tell a re-encoded copy
 * from a burst neighbour (both land a few bits apart); the signatures can: a copy correlates almost perfectly once
 * brightness and contrast are normalised, while a frame in which something moved differs strongly in a few cells.
 * Pure.
 */
import {rotateGray} from './geometry.js';

/** Side of a signature in cells. */
export const signatureSize = 16;

/**
 * Writes `values` less their mean, divided by their standard deviation, into `out` (a constant grid stays at zero):
 * what every grid comparison (signatures, crop alignment, detail grids) correlates. With `keep`, the mean and deviation
 * come from the kept cells only, as when a corner overlay is set aside; every cell is still written.
 */
export function standardise<T extends Float32Array | Float64Array>(values: ArrayLike<number>, out: T, keep?: Uint8Array): T {
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

/*
 * `standardise` step for step, each for one kind of array: V8 compiles a function for the kinds of arrays it has met,
 * and the one function, met with four (the fine check's, signatures', crops' and alignment's), was the costliest step
 * of verification. Each must stay the same arithmetic in the same order (test/dupes/fine-check.test.ts checks it).
 */

/** `standardise` of a detail grid; `stats` receives the mean (of the kept cells). */
export function standardiseFloat32(values: Float32Array, out: Float32Array, keep?: Uint8Array, stats?: {mean: number}): Float32Array {
	let mean = 0;
	let n = 0;
	for (let i = 0; i < values.length; i++) {
		if (!keep || keep[i]) {
			mean += values[i]!;
			n++;
		}
	}

	mean /= n || 1;
	if (stats) {
		stats.mean = mean;
	}

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

/** `standardise` of a signature, every cell kept. */
function standardiseFloat64(values: Float64Array, out: Float64Array): Float64Array {
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
	for (let i = 0; i < values.length; i++) {
		out[i] = (values[i]! - mean) / deviation;
	}

	return out;
}

/**
 * Buffers `matchSignatures` reuses from call to call (verification runs it on every candidate pair, and allocating
 * them cost more than the comparison). Nothing returned refers to them; matching is synchronous.
 */
const cells = signatureSize * signatureSize;
const buffers = {
	/** The signatures' cells as doubles (exact: they are bytes), so one compiled standardiseFloat64 serves every call. */
	turned: new Float64Array(cells),
	b: new Float64Array(cells),
	first: new Float64Array(cells),
	second: new Float64Array(cells),
	cropFirst: new Float64Array(cells),
	cropSecond: new Float64Array(cells),
};

/** Bilinear sample of the centre `fraction` of a square signature back onto the full grid, into `out`: a centre crop. */
function centreCrop(signature: Float64Array, fraction: number, out: Float64Array): Float64Array {
	const size = signatureSize;
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

/** How two signatures compare: correlation after normalisation, and the worst local disagreement. */
export type SignatureMatch = {
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
 * Where each cell of a turned signature comes from, per rotation: cell i of the first signature turned is cell
 * `turns[rotation][i]` of it as stored (found by turning the cells' own numbers with rotateGray, so it is that turn).
 */
const turns = Object.fromEntries(
	([90, 180, 270] as const).map(degrees => {
		const numbers = Float32Array.from({length: cells}, (_, i) => i);
		return [degrees, Int32Array.from(rotateGray({gray: numbers, width: signatureSize, height: signatureSize}, degrees).gray)];
	}),
) as Record<90 | 180 | 270, Int32Array>;

/**
 * `standardiseFloat64` of two signatures' bytes as doubles, the first turned by `turn` when given, into `outA` and
 * `outB`: each with the same sums in the same order, the two side by side in each loop. Each sum waits on the one
 * before it, so a loop over one signature was bound by the adder's latency; two independent sums fill that wait.
 */
function standardiseBoth(a: Uint8Array, turn: Int32Array | undefined, b: Uint8Array, outA: Float64Array, outB: Float64Array): void {
	if (turn) {
		for (let i = 0; i < cells; i++) {
			outA[i] = a[turn[i]!]!;
		}
	} else {
		for (let i = 0; i < cells; i++) {
			outA[i] = a[i]!;
		}
	}

	let meanA = 0;
	let meanB = 0;
	for (let i = 0; i < cells; i++) {
		meanA += outA[i]!;
		const value = b[i]!;
		outB[i] = value;
		meanB += value;
	}

	meanA /= cells;
	meanB /= cells;
	let varianceA = 0;
	let varianceB = 0;
	for (let i = 0; i < cells; i++) {
		varianceA += (outA[i]! - meanA) ** 2;
		varianceB += (outB[i]! - meanB) ** 2;
	}

	const deviationA = Math.sqrt(varianceA / cells) || 1;
	const deviationB = Math.sqrt(varianceB / cells) || 1;
	for (let i = 0; i < cells; i++) {
		outA[i] = (outA[i]! - meanA) / deviationA;
		outB[i] = (outB[i]! - meanB) / deviationB;
	}
}

/** The sums of the four 4x4 blocks of a band of signature rows, in double precision (as `let` sums are). */
const bandBlocks = new Float64Array(4);

/**
 * `matchSignatures` with no crops, the way verification calls it for every way of every candidate pair (a million
 * and more calls at a million photos): the same arithmetic, the first signature turned through a table of where each
 * cell comes from rather than a new grid, both standardised side by side and compared in one pass (3.4 to 1.5 µs a
 * call; bit for bit the same: test/dupes/fine-check.test.ts).
 */
function matchWhole(a: Uint8Array, b: Uint8Array, rotation: 0 | 90 | 180 | 270): SignatureMatch {
	const {first, second} = buffers;
	standardiseBoth(a, rotation === 0 ? undefined : turns[rotation], b, first, second);
	// `compare` in one pass down the rows: the products summed in the cells' order, and the four blocks of a band of
	// rows each summed in its own order (its rows in turn, each row's four cells left to right), side by side.
	const size = signatureSize;
	const blocks = bandBlocks;
	let sum = 0;
	let worstBlock = 0;
	for (let by = 0; by < size; by += 4) {
		blocks.fill(0);
		for (let y = by; y < by + 4; y++) {
			for (let bx = 0; bx < 4; bx++) {
				let block = blocks[bx]!;
				for (let i = y * size + bx * 4, end = i + 4; i < end; i++) {
					sum += first[i]! * second[i]!;
					block += Math.abs(first[i]! - second[i]!);
				}

				blocks[bx] = block;
			}
		}

		worstBlock = Math.max(worstBlock, blocks[0]! / 16, blocks[1]! / 16, blocks[2]! / 16, blocks[3]! / 16);
	}

	const correlation = sum / cells;
	return correlation > -1 ? {correlation, worstBlock, crop: 1} : {correlation: -1, worstBlock: Infinity, crop: 1};
}

/**
 * Compares two signatures, the first turned by `rotation` degrees clockwise first (for rotated copies). With `crops`
 * it also tries those centre crops of either side, resampled from the 16x16 cells (coarse; exact crop signatures
 * stored at scan time are better where they exist).
 */
export function matchSignatures(a: Uint8Array, b: Uint8Array, rotation: 0 | 90 | 180 | 270 = 0, crops: readonly number[] = [1]): SignatureMatch {
	if (crops.length === 1 && crops[0] === 1 && a.length === cells && b.length === cells) {
		return matchWhole(a, b, rotation);
	}

	const size = signatureSize;
	const turned = buffers.turned;
	turned.set(rotation === 0 ? a : rotateGray({gray: Float32Array.from(a), width: size, height: size}, rotation).gray);
	const second = buffers.b;
	second.set(b);
	let best: SignatureMatch = {correlation: -1, worstBlock: Infinity, crop: 1};
	for (const crop of crops) {
		for (let side = 0; side < (crop === 1 ? 1 : 2); side++) {
			const x = crop === 1 || side === 1 ? turned : centreCrop(turned, crop, buffers.cropFirst);
			const y = crop === 1 || side === 0 ? second : centreCrop(second, crop, buffers.cropSecond);
			const result = compare(standardiseFloat64(x, buffers.first), standardiseFloat64(y, buffers.second));
			if (result.correlation > best.correlation) {
				best = {...result, crop};
			}
		}
	}

	return best;
}
