/**
 * Box-resampling weights of one axis of a window, shared by the crop search on 16x16 signatures (align.ts) and the
 * fine check on 32x32 detail grids (detail.ts). Pure (a bounded cache aside).
 */

const caches = new Map<number, Map<number, Float64Array>>();

/**
 * Weights of one axis of `size` cells: row i holds how much each source cell contributes to cell i of the window
 * [start, start + keep) (shares of the frame). Cached by window edge, to 1/20,000 of the frame.
 */
export function boxWeights(size: number, start: number, keep: number): Float64Array {
	let cache = caches.get(size);
	if (!cache) {
		cache = new Map();
		caches.set(size, cache);
	}

	const key = Math.round(start * 20_000) * 100_000 + Math.round(keep * 20_000);
	let weights = cache.get(key);
	if (!weights) {
		weights = new Float64Array(size * size);
		for (let i = 0; i < size; i++) {
			// Output cell i covers [from, to) in source cell units; integrate the piecewise-constant source over it.
			const from = start * size + i * keep;
			const to = from + keep;
			for (let c = Math.max(0, Math.floor(from)); c < Math.min(size, Math.ceil(to)); c++) {
				weights[i * size + c] = Math.max(0, Math.min(to, c + 1) - Math.max(from, c)) / keep;
			}
		}

		if (cache.size > 20_000) {
			cache.clear();
		}

		cache.set(key, weights);
	}

	return weights;
}
