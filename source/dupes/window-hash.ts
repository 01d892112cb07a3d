/**
 * Hashes for finding uneven crops (issue 15). A copy cropped unevenly (3-8 % per axis, split any way between the
 * edges) drifts too far from its original's pHash, and from its centred crop pHashes, to be found within a radius
 * that stays affordable. So each picture's 16x16 signature is hashed whole and over a set of crop windows anchored at
 * its corners and edges; a crop of the picture lands near one of those windows. The hashes are computed the same way
 * on both sides (from the signature, pHash-style: the sign of the low 8x8 DCT coefficients against their median), so
 * a copy and the matching window of its original hash alike. Pure.
 */
import {signatureSize} from '../core/signature.js';
import {resampleWindow, type Window} from './align.js';

const size = signatureSize;

/** Crop windows looked up for every picture: the picture less 6 % per axis, anchored at each corner and each edge. */
export const cropWindows: readonly Window[] = (() => {
	const keep = 0.94;
	const out: Window[] = [];
	for (const x of [0, 0.03, 0.06]) {
		for (const y of [0, 0.03, 0.06]) {
			if (x !== 0.03 || y !== 0.03) {
				out.push({x, y, w: keep, h: keep});
			}
		}
	}

	return out;
})();

const cosines = (() => {
	const table = new Float64Array(8 * size);
	for (let u = 0; u < 8; u++) {
		for (let x = 0; x < size; x++) {
			table[u * size + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * size));
		}
	}

	return table;
})();

/** pHash-style 64-bit hash of a 16x16 grey grid: bit per low DCT coefficient (DC left out), above the median. */
export function gridHash(grid: ArrayLike<number>): bigint {
	const rows = new Float64Array(size * 8);
	for (let y = 0; y < size; y++) {
		for (let u = 0; u < 8; u++) {
			let sum = 0;
			for (let x = 0; x < size; x++) {
				sum += grid[y * size + x]! * cosines[u * size + x]!;
			}

			rows[y * 8 + u] = sum;
		}
	}

	const coefficients = new Float64Array(64);
	for (let v = 0; v < 8; v++) {
		for (let u = 0; u < 8; u++) {
			let sum = 0;
			for (let y = 0; y < size; y++) {
				sum += rows[y * 8 + u]! * cosines[v * size + y]!;
			}

			coefficients[v * 8 + u] = sum;
		}
	}

	const median = [...coefficients.subarray(1)].sort((a, b) => a - b)[31]!;
	let hash = 0n;
	for (let i = 1; i < 64; i++) {
		if (coefficients[i]! > median) {
			hash |= 1n << BigInt(i);
		}
	}

	return hash;
}

/** The hash of a whole signature and those of its crop windows, in `cropWindows` order. */
export function windowHashes(signature: ArrayLike<number>): {whole: bigint; windows: bigint[]} {
	const out = new Float64Array(size * size);
	const scratch = new Float64Array(size * size);
	return {
		whole: gridHash(signature),
		windows: cropWindows.map(window => {
			resampleWindow(signature, window, out, scratch);
			return gridHash(out);
		}),
	};
}

/** Bytes of stored window hashes: the whole picture's, then each crop window's, 8 bytes each, big-endian. */
export const windowHashBytes = 8 * (1 + cropWindows.length);

/** Window hashes as scan stores them (migration 19), so duplicate finding need not read every signature. */
export function encodeWindowHashes(hashes: {readonly whole: bigint; readonly windows: readonly bigint[]}): Uint8Array {
	const bytes = new Uint8Array(windowHashBytes);
	const view = new DataView(bytes.buffer);
	for (const [index, hash] of [hashes.whole, ...hashes.windows].entries()) {
		view.setBigUint64(index * 8, hash);
	}

	return bytes;
}
