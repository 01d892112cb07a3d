/**
 * A synthetic catalog for duplicate finding at scale (issue 15): photos with fingerprints shaped like the ones scan
 * stores (16-hex pHash and dHash, 48-hex turned pHashes, 32-hex crop pHashes, a 256-byte signature and 512 bytes of
 * crop signatures), written through the real migrations and the real upsert, in one transaction.
 *
 * The mix, seeded so every run builds the same catalog: about 15 % near copies (re-encoded or resized copies with a
 * few pHash bits flipped and a noisy signature, centre crops, turned copies), bursts of 3-5 frames a second apart
 * whose pHashes lie close but whose signatures differ in one region (a moved subject), exact copies, copies with the
 * same pixels and edited metadata, RAW+JPEG pairs, Live Photo movies, missing files and a few "not duplicates"
 * decisions.
 */
import type {FileRecord} from '../../source/core/types.js';
import {rotateGray} from '../../source/core/geometry.js';
import {Catalog} from '../../source/db/catalog.js';
import {connectionOf} from '../../source/db/connection.js';

/** Seeded PRNG (mulberry32). */
function prng(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d_2b_79_f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

const hex8 = (value: number) => (value >>> 0).toString(16).padStart(8, '0');

/** What the generator planted, for the benchmark's summary. */
export type SyntheticStats = {
	files: number;
	originals: number;
	nearCopies: number;
	exactCopies: number;
	pixelCopies: number;
	burstFrames: number;
	companions: number;
	missing: number;
	distinctPairs: number;
};

type Picture = {phash: string; rotations: string; crops: string; signature: Uint8Array; cropSignatures: Uint8Array};

/**
 * Writes `size` synthetic files into the catalog at `catalogPath` (created with the real migrations). Calls
 * `onProgress` every 50,000 rows.
 */
export function buildSyntheticCatalog(catalogPath: string, size: number, options: {seed?: number; onProgress?: (rows: number) => void} = {}): SyntheticStats {
	const random = prng(options.seed ?? 15);
	const int = (n: number) => Math.floor(random() * n);
	const word = () => hex8(random() * 4_294_967_296);
	const sha = () => word() + word() + word() + word() + word() + word() + word() + word();
	const hash64 = () => word() + word();
	/** Flips `bits` distinct random bits of a 16-hex hash. */
	const flip = (hash: string, bits: number) => {
		let hi = Number.parseInt(hash.slice(0, 8), 16);
		let lo = Number.parseInt(hash.slice(8), 16);
		const used = new Set<number>();
		while (used.size < bits) {
			used.add(int(64));
		}

		for (const bit of used) {
			if (bit < 32) {
				lo ^= 1 << bit;
			} else {
				hi ^= 1 << (bit - 32);
			}
		}

		return hex8(hi) + hex8(lo);
	};

	/** A smooth 16x16 grey picture: a few random low-frequency waves, like a photo scaled down to 16x16. */
	const smooth = (): Uint8Array => {
		const waves = Array.from({length: 4}, () => ({fx: random() * 0.6, fy: random() * 0.6, phase: random() * 6.28, amp: 20 + random() * 40}));
		const base = 70 + random() * 110;
		const out = new Uint8Array(256);
		for (let y = 0; y < 16; y++) {
			for (let x = 0; x < 16; x++) {
				let value = base;
				for (const wave of waves) {
					value += wave.amp * Math.sin(wave.fx * x + wave.fy * y + wave.phase);
				}

				out[y * 16 + x] = Math.max(0, Math.min(255, Math.round(value + (random() - 0.5) * 8)));
			}
		}

		return out;
	};

	/** The centre `fraction` of a signature resampled to 16x16 (what scan stores for its crops). */
	const centre = (signature: Uint8Array, fraction: number): Uint8Array => {
		const out = new Uint8Array(256);
		const offset = ((1 - fraction) * 16) / 2;
		for (let y = 0; y < 16; y++) {
			for (let x = 0; x < 16; x++) {
				const sx = Math.min(15, Math.max(0, offset + (x + 0.5) * fraction - 0.5));
				const sy = Math.min(15, Math.max(0, offset + (y + 0.5) * fraction - 0.5));
				const x0 = Math.floor(sx);
				const y0 = Math.floor(sy);
				const x1 = Math.min(15, x0 + 1);
				const y1 = Math.min(15, y0 + 1);
				const fx = sx - x0;
				const fy = sy - y0;
				const top = signature[y0 * 16 + x0]! * (1 - fx) + signature[y0 * 16 + x1]! * fx;
				const bottom = signature[y1 * 16 + x0]! * (1 - fx) + signature[y1 * 16 + x1]! * fx;
				out[y * 16 + x] = Math.round(top * (1 - fy) + bottom * fy);
			}
		}

		return out;
	};

	const noisy = (signature: Uint8Array, amount: number) => signature.map(value => Math.max(0, Math.min(255, Math.round(value + (random() - 0.5) * 2 * amount))));
	const picture = (signature: Uint8Array, phash: string): Picture => {
		const cropSignatures = new Uint8Array(512);
		cropSignatures.set(centre(signature, 0.95), 0);
		cropSignatures.set(centre(signature, 0.9), 256);
		// Crops of one picture keep most of its pHash; turned pictures get unrelated ones.
		return {phash, rotations: hash64() + hash64() + hash64(), crops: flip(phash, 3 + int(4)) + flip(phash, 5 + int(5)), signature, cropSignatures};
	};

	const catalog = Catalog.open(catalogPath);
	const stats: SyntheticStats = {files: 0, originals: 0, nearCopies: 0, exactCopies: 0, pixelCopies: 0, burstFrames: 0, companions: 0, missing: 0, distinctPairs: 0};
	const cameras = [
		['Apple', 'iPhone 12'],
		['Canon', 'Canon EOS R5'],
		['NIKON CORPORATION', 'NIKON D750'],
		['SONY', 'ILCE-7M3'],
		['Google', 'Pixel 7'],
	] as const;
	let clock = Date.UTC(2008, 0, 1);
	const batch: FileRecord[] = [];
	const missingPaths: string[] = [];
	const distinct: Array<[string, string]> = [];
	const scanId = catalog.beginScan();
	const flush = () => {
		catalog.commitBatch({records: batch, moves: [], present: []}, scanId);
		batch.length = 0;
	};

	const add = (record: FileRecord) => {
		batch.push(record);
		stats.files++;
		if (random() < 0.01) {
			missingPaths.push(record.path);
		}

		if (batch.length === 5000) {
			flush();
		}

		if (stats.files % 50_000 === 0) {
			options.onProgress?.(stats.files);
		}
	};

	const photo = (folder: string, name: string, format: 'jpeg' | 'heic', takenMs: number | null, pic: Picture, extra: Partial<FileRecord> = {}): FileRecord => {
		const camera = cameras[int(cameras.length)]!;
		const landscape = random() < 0.7;
		return {
			path: `${folder}/${name}.${format === 'jpeg' ? 'jpg' : 'heic'}`,
			size: 800_000 + int(6_000_000),
			mtimeMs: (takenMs ?? clock) + int(86_400_000),
			sha256: sha(),
			contentHash: sha(),
			format,
			kind: 'image',
			width: landscape ? 4032 : 3024,
			height: landscape ? 3024 : 4032,
			orientation: 1,
			takenAt: takenMs === null ? null : new Date(takenMs).toISOString().slice(0, 19),
			takenAtSource: takenMs === null ? null : 'original',
			make: camera[0],
			model: camera[1],
			lens: null,
			gps: random() < 0.4 ? {lat: -60 + random() * 120, lon: -180 + random() * 360} : null,
			keywords: random() < 0.1 ? ['holiday'] : [],
			rating: random() < 0.05 ? 1 + int(5) : null,
			title: null,
			description: null,
			software: null,
			livePhotoId: null,
			burstId: null,
			phash: pic.phash,
			dhash: hash64(),
			phashRotations: pic.rotations,
			phashCrops: pic.crops,
			signatureCrops: pic.cropSignatures,
			contentWidth: landscape ? 4032 : 3024,
			contentHeight: landscape ? 3024 : 4032,
			signature: pic.signature,
			thumb: null,
			error: null,
			frames: 1,
			grey: false,
			...extra,
		};
	};

	connectionOf(catalog).pragma('cache_size = -262144');
	connectionOf(catalog).transaction(() => {
		let n = 0;
		while (stats.files < size) {
			clock += 60_000 + int(6 * 3_600_000);
			const date = new Date(clock);
			const folder = `Photos/${date.getUTCFullYear()}/${date.toISOString().slice(5, 10)}`;
			const name = `IMG_${String(n++).padStart(7, '0')}`;
			const roll = random();
			if (roll < 0.03) {
				// A burst: frames 0.4 s apart (some within one second of the clock, which only the signatures tell apart), pHashes a few bits apart, one region changed (something moved).
				const frames = 3 + int(3);
				const first = smooth();
				const phash = hash64();
				const burst = `burst-${n}`;
				for (let f = 0; f < frames && stats.files < size; f++) {
					const signature = noisy(first, 3);
					if (f > 0) {
						const bx = int(3) * 4;
						const by = int(3) * 4;
						for (let y = by; y < by + 5; y++) {
							for (let x = bx; x < bx + 5; x++) {
								signature[y * 16 + x] = 255 - signature[y * 16 + x]!;
							}
						}
					}

					add(photo(folder, `${name}_${f}`, 'jpeg', clock + f * 400, picture(signature, flip(phash, f === 0 ? 0 : 2 + int(4))), {burstId: burst}));
					stats.burstFrames++;
				}

				continue;
			}

			const pic = picture(smooth(), hash64());
			const takenMs = random() < 0.9 ? clock : null;
			const heic = random() < 0.2;
			const original = photo(folder, name, heic ? 'heic' : 'jpeg', takenMs, pic);
			stats.originals++;
			add(original);
			if (heic && random() < 0.3) {
				// A Live Photo's movie travels with its still.
				const id = `live-${n}`;
				original.livePhotoId = id;
				add({...original, path: `${folder}/${name}.mov`, format: 'mov', kind: 'video', sha256: sha(), contentHash: null, phash: null, dhash: null, phashRotations: null, phashCrops: null, signature: null, signatureCrops: null, livePhotoId: id, size: 3_000_000});
				stats.companions++;
			} else if (!heic && random() < 0.04) {
				add({...original, path: `${folder}/${name}.CR2`, format: 'cr2', kind: 'raw', sha256: sha(), contentHash: sha(), size: 25_000_000});
				stats.companions++;
			}

			const copy = random();
			if (copy < 0.18) {
				// Near copies: exported, shared, edited or cropped elsewhere in the library.
				const copies = random() < 0.85 ? 1 : 2 + int(2);
				for (let c = 0; c < copies && stats.files < size; c++) {
					const how = random();
					const where = `Shared/${date.getUTCFullYear()}/${['WhatsApp', 'Exports', 'Edited', 'Downloads'][int(4)]}`;
					const keepsDate = random() < 0.6 ? takenMs : null;
					if (how < 0.7) {
						const smaller = random() < 0.5;
						add(photo(where, `${name}_copy${c}`, 'jpeg', keepsDate, {...pic, phash: flip(pic.phash, int(5)), signature: noisy(pic.signature, 4), crops: flip(pic.crops.slice(0, 16), int(3)) + flip(pic.crops.slice(16), int(3))}, smaller ? {width: 1600, height: 1200, contentWidth: 1600, contentHeight: 1200, size: 300_000 + int(200_000)} : {}));
					} else if (how < 0.9) {
						// A centre crop: its pHash is the original's crop pHash, its signature the crop signature.
						const crop = int(2);
						const signature = noisy(pic.cropSignatures.subarray(crop * 256, crop * 256 + 256), 3);
						add(photo(where, `${name}_crop${c}`, 'jpeg', keepsDate, picture(signature, flip(pic.crops.slice(crop * 16, crop * 16 + 16), int(3))), {width: 3600, height: 2700}));
					} else {
						// Turned by a viewer that rewrote the pixels.
						const step = int(3);
						const turned = rotateGray({gray: Float32Array.from(pic.signature), width: 16, height: 16}, ([90, 180, 270] as const)[step]!).gray;
						add(photo(where, `${name}_turned${c}`, 'jpeg', keepsDate, picture(noisy(Uint8Array.from(turned, value => Math.round(value)), 3), flip(pic.rotations.slice(step * 16, step * 16 + 16), int(3)))));
					}

					stats.nearCopies++;
				}

				if (random() < 0.01) {
					distinct.push([original.sha256!, batch.at(-1)!.sha256!]);
				}
			} else if (copy < 0.22 && stats.files < size) {
				// An exact copy (backup folder, re-import).
				add({...original, path: `Backup/${original.path}`, livePhotoId: null});
				stats.exactCopies++;
			} else if (copy < 0.23 && stats.files < size) {
				// The same pixels with edited metadata.
				add({...original, path: `Tagged/${original.path}`, sha256: sha(), keywords: ['family'], livePhotoId: null});
				stats.pixelCopies++;
			}
		}

		flush();
	})();
	catalog.finishScan(scanId, 'done', {synthetic: true});
	const ids = missingPaths.map(file => catalog.fileByPath(file)!.id);
	catalog.markMissing(ids);
	stats.missing = ids.length;
	for (const pair of distinct) {
		stats.distinctPairs += catalog.markDistinct(pair).length;
	}

	connectionOf(catalog).pragma('wal_checkpoint(TRUNCATE)');
	catalog.close();
	return stats;
}
