import type {StoredFile} from '../../../source/db/catalog.js';
import type {Unit} from '../../../source/dupes/types.js';

let nextId = 1;

/** A catalogued file with every field empty but its path (as sha256 too), for the pure stages of duplicate finding. */
export function storedFile(path: string, overrides: Partial<StoredFile> = {}): StoredFile {
	return {
		id: nextId++, path, size: 100, mtimeMs: 0, sha256: path, contentHash: null, format: 'jpeg', kind: 'image', width: 10, height: 10,
		orientation: 1, takenAt: null, takenAtSource: null, make: null, model: null, lens: null, gps: null, keywords: [], rating: null,
		title: null, description: null, software: null, livePhotoId: null, burstId: null, phash: null, dhash: null, phashRotations: null,
		signature: null, phashCrops: null, signatureCrops: null, contentWidth: null, contentHeight: null, thumb: null, error: null,
		status: 'present', ...overrides,
	};
}

/** Files as lone units (no companions). */
export const unitsOf = (files: StoredFile[]): Unit[] => files.map(file => ({file, companions: []}));

/** A 16x16 signature with smooth structure: a diagonal gradient plus a bright disc at (cx, cy). */
export function signature(cx = 8, cy = 8, noise = 0, seed = 1): Uint8Array {
	let state = seed;
	const random = () => {
		state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
		return state / 2_147_483_648;
	};

	const out = new Uint8Array(256);
	for (let y = 0; y < 16; y++) {
		for (let x = 0; x < 16; x++) {
			const disc = (x - cx) ** 2 + (y - cy) ** 2 < 9 ? 90 : 0;
			out[y * 16 + x] = Math.max(0, Math.min(255, Math.round(40 + x * 6 + y * 4 + disc + (random() - 0.5) * noise)));
		}
	}

	return out;
}
