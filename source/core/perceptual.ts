/**
 * Perceptual hashes (pHash, dHash) over a grayscale image. Pure: callers decode pixels (e.g. with sharp, after
 * applying EXIF orientation and shrinking to ~320px) and pass raw samples in.
 *
 * Bit order, shared by both hashes and stable across versions: the 64 cells are visited row-major (top row first,
 * left to right within a row) and the first visited cell is the most-significant bit (bit 63) of the bigint, the
 * last is bit 0. So `hashToHex` reads cells in visiting order, four per hex digit, like the common `imagehash`
 * string form.
 */

/**
 * Convert interleaved 8-bit samples to luma in [0, 255] with Rec. 601 weights (0.299 R + 0.587 G + 0.114 B).
 * One channel is gray already; with 2 channels (gray + alpha) the gray sample is used; with 4 (RGBA) alpha is
 * ignored. Channel counts other than 1-4 are rejected.
 */
export function toGray(data: Uint8Array, width: number, height: number, channels: number): Float32Array {
	if (!Number.isInteger(channels) || channels < 1 || channels > 4) throw new RangeError(`unsupported channel count ${channels}`);
	const pixels = width * height;
	if (data.length < pixels * channels) throw new RangeError(`need ${pixels * channels} samples, got ${data.length}`);
	const gray = new Float32Array(pixels);
	if (channels <= 2) {
		for (let i = 0; i < pixels; i++) gray[i] = data[i * channels];
		return gray;
	}
	for (let i = 0, p = 0; i < pixels; i++, p += channels) {
		gray[i] = 0.299 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2];
	}
	return gray;
}

/**
 * For each output index along one axis, the source indices it covers and their weights (fractions of the output
 * cell's footprint, summing to 1). Exact for any ratio: a source pixel straddling a cell boundary contributes its
 * overlapping fraction to both neighbours.
 */
function areaWeights(inSize: number, outSize: number): {start: Int32Array; count: Int32Array; weights: Float64Array[]} {
	const scale = inSize / outSize;
	const start = new Int32Array(outSize);
	const count = new Int32Array(outSize);
	const weights: Float64Array[] = [];
	for (let o = 0; o < outSize; o++) {
		const lo = o * scale;
		const hi = (o + 1) * scale;
		const first = Math.floor(lo);
		// Guard against floating-point overshoot of the last cell.
		const last = Math.min(inSize, Math.ceil(hi - 1e-9));
		const w = new Float64Array(Math.max(1, last - first));
		for (let i = first; i < last; i++) w[i - first] = (Math.min(hi, i + 1) - Math.max(lo, i)) / scale;
		start[o] = first;
		count[o] = w.length;
		weights.push(w);
	}
	return {start, count, weights};
}

/**
 * Area-average (box) resampling of a single-channel image to `outW` x `outH`. Each output pixel is the mean of
 * the input area it covers, weighting partially covered input pixels by their overlap, so non-integer ratios are
 * exact and no input pixel is skipped. Box filtering is separable, so rows are resampled first, then columns.
 * Also correct for upscaling (each output pixel then averages the one or two inputs under it).
 */
export function resizeArea(gray: Float32Array, width: number, height: number, outW: number, outH: number): Float32Array {
	if (width < 1 || height < 1 || outW < 1 || outH < 1) throw new RangeError('image sizes must be positive');
	if (gray.length < width * height) throw new RangeError(`need ${width * height} samples, got ${gray.length}`);
	const horizontal = areaWeights(width, outW);
	const vertical = areaWeights(height, outH);

	// Intermediate buffer in double precision: the sums feed hash decisions, and float32 drift could flip a bit.
	const rows = new Float64Array(outW * height);
	for (let y = 0; y < height; y++) {
		const rowStart = y * width;
		for (let o = 0; o < outW; o++) {
			const first = horizontal.start[o];
			const w = horizontal.weights[o];
			let sum = 0;
			for (let k = 0; k < horizontal.count[o]; k++) sum += w[k] * gray[rowStart + first + k];
			rows[y * outW + o] = sum;
		}
	}

	const out = new Float32Array(outW * outH);
	for (let o = 0; o < outH; o++) {
		const first = vertical.start[o];
		const w = vertical.weights[o];
		for (let x = 0; x < outW; x++) {
			let sum = 0;
			for (let k = 0; k < vertical.count[o]; k++) sum += w[k] * rows[(first + k) * outW + x];
			out[o * outW + x] = sum;
		}
	}
	return out;
}

const DCT_SIZE = 32;
const PHASH_SIZE = 8;

/**
 * cos((2x + 1) * k * pi / 64) for k = 1..8 (row k - 1) and x = 0..31: the only DCT-II basis functions pHash needs,
 * computed once at module load. The DCT's scale factors are left out: they are equal for every k >= 1 and so
 * cannot change which coefficients exceed the median.
 */
const DCT_COSINES: Float64Array = (() => {
	const table = new Float64Array(PHASH_SIZE * DCT_SIZE);
	for (let k = 1; k <= PHASH_SIZE; k++) {
		for (let x = 0; x < DCT_SIZE; x++) table[(k - 1) * DCT_SIZE + x] = Math.cos(((2 * x + 1) * k * Math.PI) / (2 * DCT_SIZE));
	}
	return table;
})();

/** Pack 64 booleans (cell order as in the module doc) into a bigint, first cell most significant. */
function packBits(bits: ArrayLike<boolean>): bigint {
	let hi = 0;
	let lo = 0;
	for (let i = 0; i < 32; i++) {
		hi = (hi << 1) | (bits[i] ? 1 : 0);
		lo = (lo << 1) | (bits[i + 32] ? 1 : 0);
	}
	return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/**
 * Classic DCT pHash (64 bits). The image is area-resized to 32x32, transformed with a 2-D DCT-II, and the 8x8
 * block of coefficients at vertical and horizontal frequencies 1..8 is kept (the DC row and column say little
 * about structure and are dominated by overall brightness). Bit = coefficient > median of those 64 (median of an
 * even count = mean of the two middle values). Cells are visited row-major: vertical frequency 1 first, and within
 * it horizontal frequencies 1..8; the first cell is the most-significant bit.
 */
export function pHash(gray: Float32Array, width: number, height: number): bigint {
	const small = resizeArea(gray, width, height, DCT_SIZE, DCT_SIZE);
	// Separable DCT restricted to the needed frequencies: first along each row (32 rows x 8 horizontal freqs)...
	const rowDct = new Float64Array(DCT_SIZE * PHASH_SIZE);
	for (let y = 0; y < DCT_SIZE; y++) {
		for (let u = 0; u < PHASH_SIZE; u++) {
			let sum = 0;
			for (let x = 0; x < DCT_SIZE; x++) sum += small[y * DCT_SIZE + x] * DCT_COSINES[u * DCT_SIZE + x];
			rowDct[y * PHASH_SIZE + u] = sum;
		}
	}
	// ...then down each of those 8 columns for the 8 vertical freqs.
	const coefficients = new Float64Array(PHASH_SIZE * PHASH_SIZE);
	for (let v = 0; v < PHASH_SIZE; v++) {
		for (let u = 0; u < PHASH_SIZE; u++) {
			let sum = 0;
			for (let y = 0; y < DCT_SIZE; y++) sum += rowDct[y * PHASH_SIZE + u] * DCT_COSINES[v * DCT_SIZE + y];
			coefficients[v * PHASH_SIZE + u] = sum;
		}
	}
	const sorted = Float64Array.from(coefficients).sort();
	const median = (sorted[31] + sorted[32]) / 2;
	const bits = Array.from(coefficients, (c) => c > median);
	return packBits(bits);
}

/**
 * Difference hash (64 bits). The image is area-resized to 9 wide x 8 high; for each row (top first) and each of the
 * 8 adjacent pairs (left first), bit = left pixel > right pixel. The first pair (row 0, columns 0/1) is the
 * most-significant bit.
 */
export function dHash(gray: Float32Array, width: number, height: number): bigint {
	const small = resizeArea(gray, width, height, 9, 8);
	const bits: boolean[] = [];
	for (let y = 0; y < 8; y++) {
		for (let x = 0; x < 8; x++) bits.push(small[y * 9 + x] > small[y * 9 + x + 1]);
	}
	return packBits(bits);
}

/** Population count of a 32-bit integer (SWAR). */
function popcount32(n: number): number {
	n -= (n >>> 1) & 0x55555555;
	n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
	n = (n + (n >>> 4)) & 0x0f0f0f0f;
	return Math.imul(n, 0x01010101) >>> 24;
}

/** Number of differing bits between two 64-bit hashes (only the low 64 bits of each are compared). */
export function hamming(a: bigint, b: bigint): number {
	const x = BigInt.asUintN(64, a ^ b);
	// Two 32-bit halves as plain numbers: much faster than bigint bit loops.
	return popcount32(Number(x & 0xffffffffn)) + popcount32(Number(x >> 32n));
}

/** A 64-bit hash as exactly 16 lowercase hex digits, zero padded (the first digit holds bits 63-60). */
export function hashToHex(h: bigint): string {
	return BigInt.asUintN(64, h).toString(16).padStart(16, '0');
}

/** Inverse of {@link hashToHex}. Accepts 1-16 hex digits in either case; throws a TypeError on anything else. */
export function hexToHash(s: string): bigint {
	if (!/^[0-9a-fA-F]{1,16}$/.test(s)) throw new TypeError(`not a 64-bit hex hash: ${JSON.stringify(s)}`);
	return BigInt(`0x${s}`);
}
