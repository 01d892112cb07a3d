/**
 * The turned and cropped lookups of candidate lookup as one batch (issue 15): every picture's three turned pHashes,
 * then every picture's two centre-crop pHashes, as 32-bit halves for `HammingIndex.queryEach`. Looked up one at a
 * time, these five lookups a photo were most of duplicate finding at a million photos.
 */
import type {HashWordField} from '../db/dupes-data.js';

/**
 * A record that keeps its hashes packed (a light record: source/db/dupes-data.ts) gives their 32-bit words without
 * making the hex strings: word `word` of the field (what its digits 8·word to 8·word + 7 spell), or -1 when it does not
 * keep that field packed, whose string is then read. Making and parsing the strings of every photo's turned and crop
 * pHashes took 1.2 s at a million photos, on the thread candidate lookup waits for.
 */
export type HashWords = {readonly hashWord?: (field: HashWordField, word: number) => number};

/** The hex fingerprints a lookup reads: 48 hex digits of turned pHashes (90, 180, 270), 32 of crop pHashes. */
type LookupFingerprint = {readonly phashRotations: string | null; readonly phashCrops: string | null} & HashWords;

/** Query hashes and, per query, which picture (position in the given list) asks, turned how or cropped how. */
export type Lookups = {
	readonly hi: Uint32Array;
	readonly lo: Uint32Array;
	readonly owner: Uint32Array;
	/** 0, 90, 180 or 270. */
	readonly rotation: Uint16Array;
	/** Centre crop number, -1 for a turned lookup. */
	readonly crop: Int8Array;
};

/** One hex digit's value, or -1. */
function digit(code: number): number {
	if (code >= 48 && code <= 57) return code - 48;
	if (code >= 97 && code <= 102) return code - 87;
	if (code >= 65 && code <= 70) return code - 55;
	return -1;
}

/**
 * Eight hex digits from `start` as an unsigned 32-bit number; throws on anything else, as `hexToHash` does, naming
 * `shown` when given (else the 16 digits around `start`).
 */
function word(hex: string, start: number, shown?: string): number {
	let value = 0;
	for (let i = start; i < start + 8; i++) {
		const d = digit(hex.charCodeAt(i));
		if (d < 0) throw new TypeError(`not a 64-bit hex hash: ${JSON.stringify(shown ?? hex.slice(start - (start % 16), start - (start % 16) + 16))}`);
		value = value * 16 + d;
	}

	return value;
}

/**
 * One pHash (1 to 16 hex digits, as `hexToHash` reads them) as its 32-bit halves, parsed straight from the hex with no
 * BigInt made: at a million photos a BigInt and a regular expression a photo were a measurable part of candidate
 * lookup. Throws what `hexToHash` throws on anything else.
 */
export function halvesOf(hex: string): [hi: number, lo: number] {
	if (hex.length === 0 || hex.length > 16) throw new TypeError(`not a 64-bit hex hash: ${JSON.stringify(hex)}`);
	const padded = hex.length === 16 ? hex : hex.padStart(16, '0');
	return [word(padded, 0, hex), word(padded, 8, hex)];
}

/** The rotations of a photo's turned pHashes, in the order they are stored (16 hex digits each). */
export const turnedRotations = [90, 180, 270] as const;

/** How many centre-crop pHashes a photo stores (16 hex digits each), numbered from 0. */
export const cropCount = 2;

/**
 * The photo's turned pHashes when it has all of them ({@link turnedRotations}), else undefined: what candidate lookup
 * and a new photo's partners (partners.ts) look up for a copy a viewer turned.
 */
export function turnedHashes(file: LookupFingerprint): string | undefined {
	// Read once: a light record makes the string anew on each read.
	const hashes = file.phashRotations;
	return hashes?.length === 16 * turnedRotations.length ? hashes : undefined;
}

/** The photo's centre-crop pHashes when it has all of them ({@link cropCount}), else undefined. */
export function cropHashes(file: LookupFingerprint): string | undefined {
	const hashes = file.phashCrops;
	return hashes?.length === 16 * cropCount ? hashes : undefined;
}

/** Hash `index` (0-based, 16 hex digits each) of a run of hex pHashes as its 32-bit halves; throws on anything else. */
export function halvesIn(hexes: string, index: number): [hi: number, lo: number] {
	return [word(hexes, index * 16), word(hexes, index * 16 + 8)];
}

/**
 * The lookups of these pictures, in the order candidate lookup made them one at a time: turned ones first (picture by
 * picture, 90, 180, 270), then crops (picture by picture, crop 0, 1). Pictures without well-formed hashes of a kind
 * make no lookups of it.
 */
export function turnedAndCropLookups(files: readonly LookupFingerprint[]): Lookups {
	// Made for every picture having both kinds and cut to what was made: each picture's hashes are asked for once (a
	// light record makes a new string each time: source/db/packed-hex.ts), not once to count and again to read.
	const most = files.length * (turnedRotations.length + cropCount);
	const made: Lookups = {hi: new Uint32Array(most), lo: new Uint32Array(most), owner: new Uint32Array(most), rotation: new Uint16Array(most), crop: new Int8Array(most)};
	let q = 0;
	const add = (hi: number, lo: number, owner: number, rotation: number, crop: number) => {
		made.hi[q] = hi;
		made.lo[q] = lo;
		made.owner[q] = owner;
		made.rotation[q] = rotation;
		made.crop[q] = crop;
		q++;
	};

	for (const [i, file] of files.entries()) {
		// A packed field is whole (all three turned hashes); one kept as given is read as its string, as are plain records'.
		if ((file.hashWord?.('phashRotations', 0) ?? -1) >= 0) {
			for (let t = 0; t < turnedRotations.length; t++) add(file.hashWord!('phashRotations', 2 * t), file.hashWord!('phashRotations', 2 * t + 1), i, turnedRotations[t]!, -1);
			continue;
		}

		const turned = turnedHashes(file);
		if (turned) {
			for (let t = 0; t < turnedRotations.length; t++) add(word(turned, 16 * t), word(turned, 16 * t + 8), i, turnedRotations[t]!, -1);
		}
	}

	for (const [i, file] of files.entries()) {
		if ((file.hashWord?.('phashCrops', 0) ?? -1) >= 0) {
			for (let crop = 0; crop < cropCount; crop++) add(file.hashWord!('phashCrops', 2 * crop), file.hashWord!('phashCrops', 2 * crop + 1), i, 0, crop);
			continue;
		}

		const crops = cropHashes(file);
		if (crops) {
			for (let crop = 0; crop < cropCount; crop++) add(word(crops, 16 * crop), word(crops, 16 * crop + 8), i, 0, crop);
		}
	}

	return {hi: made.hi.subarray(0, q), lo: made.lo.subarray(0, q), owner: made.owner.subarray(0, q), rotation: made.rotation.subarray(0, q), crop: made.crop.subarray(0, q)};
}
