/**
 * A synthetic catalog for duplicate finding at scale (issue 15), shaped like what scan stores today: every picture is
 * rendered (a scene of smooth waves and soft blobs, 64x48 pixels) and fingerprinted by scan's own functions
 * (`fingerprintPixels`: pHash, dHash, turned and crop pHashes, the 16x16 signature, crop signatures and the 32x32
 * detail grid of migration 19; `windowHashes` for uneven-crop lookup), then written through the real migrations and
 * the real upsert, in one transaction. Pixel dimensions are a camera's, and a resized or cropped copy has its own.
 *
 * The mix, seeded so every run builds the same catalog: about 15 % near copies (re-encoded copies at the same size or
 * resized, crops of 2-10 % per axis split at random between the edges, copies a viewer turned), bursts of 3-5 frames
 * 0.4 s apart in which a subject moves, exact copies, copies with the same pixels and edited metadata, RAW+JPEG pairs,
 * Live Photo movies, missing files and a few "not duplicates" decisions.
 */
import type {FileRecord} from '../../source/core/types.js';
import {rotateGray} from '../../source/core/geometry.js';
import {hashToHex} from '../../source/core/perceptual.js';
import {encodeWindowHashes, windowHashes} from '../../source/dupes/window-hash.js';
import {fingerprintPixels} from '../../source/media/decode.js';
import {Catalog} from '../../source/db/catalog.js';
import {connectionOf} from '../../source/db/connection.js';
import {prngUnit} from './prng.js';

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

type Picture = {phash: string; dhash: string; rotations: string; crops: string; signature: Uint8Array; cropSignatures: Uint8Array; detail: Uint8Array; windowHashes: Uint8Array};

/**
 * Writes `size` synthetic files into the catalog at `catalogPath` (created with the real migrations). Calls
 * `onProgress` every 50,000 rows.
 */
export function buildSyntheticCatalog(catalogPath: string, size: number, options: {seed?: number; onProgress?: (rows: number) => void} = {}): SyntheticStats {
	const random = prngUnit(options.seed ?? 15);
	const int = (n: number) => Math.floor(random() * n);
	const word = () => hex8(random() * 4_294_967_296);
	const sha = () => word() + word() + word() + word() + word() + word() + word() + word();
	/**
	 * A synthetic scene: smooth waves and a few soft blobs over the frame (normalised coordinates 0-1), so any window of
	 * it can be rendered at any size, which is what a resized or cropped copy of a photo is. A burst frame moves one blob.
	 */
	type Scene = {base: number; waves: Array<{fx: number; fy: number; phase: number; amp: number}>; blobs: Array<{x: number; y: number; s: number; amp: number}>};
	const scene = (): Scene => ({
		base: 80 + random() * 90,
		waves: Array.from({length: 5}, (_, k) => {
			const cycles = k < 2 ? 0.3 + random() * 1.2 : 1 + random() * 4;
			const angle = random() * Math.PI * 2;
			return {fx: 2 * Math.PI * cycles * Math.cos(angle), fy: 2 * Math.PI * cycles * Math.sin(angle), phase: random() * 6.28, amp: k < 2 ? 20 + random() * 30 : 6 + random() * 14};
		}),
		blobs: Array.from({length: 3}, () => ({x: random(), y: random(), s: 0.04 + random() * 0.12, amp: (random() < 0.5 ? -1 : 1) * (30 + random() * 50)})),
	});

	/** Renders `window` of a scene as a `width` x `height` grey picture, with `noise` grey levels of encoder noise. */
	const render = (scene: Scene, window: {x: number; y: number; w: number; h: number}, width: number, height: number, noise: number): Float32Array => {
		const gray = new Float32Array(width * height).fill(scene.base);
		const us = Float64Array.from({length: width}, (_, i) => window.x + ((i + 0.5) / width) * window.w);
		const vs = Float64Array.from({length: height}, (_, j) => window.y + ((j + 0.5) / height) * window.h);
		const rowA = new Float64Array(width);
		const rowB = new Float64Array(width);
		const colA = new Float64Array(height);
		const colB = new Float64Array(height);
		for (const wave of scene.waves) {
			// sin(fx u + fy v + p) = sin(fx u + p) cos(fy v) + cos(fx u + p) sin(fy v): separable, tables per axis.
			for (let i = 0; i < width; i++) {
				rowA[i] = wave.amp * Math.sin(wave.fx * us[i]! + wave.phase);
				rowB[i] = wave.amp * Math.cos(wave.fx * us[i]! + wave.phase);
			}

			for (let j = 0; j < height; j++) {
				colA[j] = Math.cos(wave.fy * vs[j]!);
				colB[j] = Math.sin(wave.fy * vs[j]!);
			}

			for (let j = 0; j < height; j++) {
				for (let i = 0; i < width; i++) {
					gray[j * width + i]! += rowA[i]! * colA[j]! + rowB[i]! * colB[j]!;
				}
			}
		}

		for (const blob of scene.blobs) {
			for (let i = 0; i < width; i++) {
				rowA[i] = blob.amp * Math.exp(-((us[i]! - blob.x) ** 2) / (2 * blob.s * blob.s));
			}

			for (let j = 0; j < height; j++) {
				colA[j] = Math.exp(-((vs[j]! - blob.y) ** 2) / (2 * blob.s * blob.s));
			}

			for (let j = 0; j < height; j++) {
				for (let i = 0; i < width; i++) {
					gray[j * width + i]! += rowA[i]! * colA[j]!;
				}
			}
		}

		for (let k = 0; k < gray.length; k++) {
			gray[k] = Math.max(0, Math.min(255, gray[k]! + (random() - 0.5) * 2 * noise));
		}

		return gray;
	};

	/** What scan stores of a picture, computed by scan's own functions (decode.ts, window-hash.ts). */
	const fingerprint = (gray: Float32Array, width: number, height: number): Picture => {
		const prints = fingerprintPixels(gray, width, height);
		return {
			phash: hashToHex(prints.phash),
			dhash: hashToHex(prints.dhash),
			rotations: prints.phashRotations.map(hash => hashToHex(hash)).join(''),
			crops: prints.crops.map(crop => hashToHex(crop.phash)).join(''),
			signature: prints.signature,
			cropSignatures: Buffer.concat(prints.crops.map(crop => crop.signature)),
			detail: prints.detail,
			windowHashes: encodeWindowHashes(windowHashes(prints.signature)),
		};
	};

	/** Pixels rendered per picture along its long side (scan fingerprints a 128 px reduction; 64 px keeps the build affordable). */
	const side = 64;
	const shortSide = 48;
	const whole = {x: 0, y: 0, w: 1, h: 1};

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

	/** A photo's record; `pixels` are its pixel dimensions (a resized or cropped copy has its own). */
	const photo = (folder: string, name: string, format: 'jpeg' | 'heic', takenMs: number | null, pic: Picture, pixels: {width: number; height: number}, extra: Partial<FileRecord> = {}): FileRecord => {
		const camera = cameras[int(cameras.length)]!;
		return {
			path: `${folder}/${name}.${format === 'jpeg' ? 'jpg' : 'heic'}`,
			size: 800_000 + int(6_000_000),
			mtimeMs: (takenMs ?? clock) + int(86_400_000),
			sha256: sha(),
			contentHash: sha(),
			format,
			kind: 'image',
			width: pixels.width,
			height: pixels.height,
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
			dhash: pic.dhash,
			phashRotations: pic.rotations,
			phashCrops: pic.crops,
			signatureCrops: pic.cropSignatures,
			contentWidth: pixels.width,
			contentHeight: pixels.height,
			signature: pic.signature,
			detail: pic.detail,
			windowHashes: pic.windowHashes,
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
			const landscape = random() < 0.7;
			const pixels = landscape ? {width: 4032, height: 3024} : {width: 3024, height: 4032};
			const [renderW, renderH] = landscape ? [side, shortSide] : [shortSide, side];
			const view = scene();
			const roll = random();
			if (roll < 0.03) {
				// A burst: frames 0.4 s apart (some within one second of the clock, which only the pixels tell apart), of
				// one scene in which something moved a little from frame to frame.
				const frames = 3 + int(3);
				const burst = `burst-${n}`;
				const subject = view.blobs[0]!;
				const dx = (random() - 0.5) * 0.16;
				const dy = (random() - 0.5) * 0.16;
				for (let f = 0; f < frames && stats.files < size; f++) {
					const moved = {...view, blobs: [{...subject, x: subject.x + f * dx, y: subject.y + f * dy}, ...view.blobs.slice(1)]};
					add(photo(folder, `${name}_${f}`, 'jpeg', clock + f * 400, fingerprint(render(moved, whole, renderW, renderH, 2), renderW, renderH), pixels, {burstId: burst}));
					stats.burstFrames++;
				}

				continue;
			}

			const pic = fingerprint(render(view, whole, renderW, renderH, 2), renderW, renderH);
			const takenMs = random() < 0.9 ? clock : null;
			const heic = random() < 0.2;
			const original = photo(folder, name, heic ? 'heic' : 'jpeg', takenMs, pic, pixels);
			stats.originals++;
			add(original);
			if (heic && random() < 0.3) {
				// A Live Photo's movie travels with its still.
				const id = `live-${n}`;
				original.livePhotoId = id;
				add({...original, path: `${folder}/${name}.mov`, format: 'mov', kind: 'video', sha256: sha(), contentHash: null, phash: null, dhash: null, phashRotations: null, phashCrops: null, signature: null, signatureCrops: null, detail: null, windowHashes: null, livePhotoId: id, size: 3_000_000});
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
						// Re-encoded, at the same size or resized: the same frame, other encoder noise.
						const scale = random() < 0.5 ? 1 : 1600 / 4032;
						const copyPixels = {width: Math.round(pixels.width * scale), height: Math.round(pixels.height * scale)};
						add(photo(where, `${name}_copy${c}`, 'jpeg', keepsDate, fingerprint(render(view, whole, renderW, renderH, 3), renderW, renderH), copyPixels, scale < 1 ? {size: 300_000 + int(200_000)} : {}));
					} else if (how < 0.9) {
						// A crop: 2-10 % of each axis, split at random between opposite edges (centred, uneven, all from one edge).
						const cutX = 0.02 + random() * 0.08;
						const cutY = 0.02 + random() * 0.08;
						const window = {x: cutX * random(), y: cutY * random(), w: 1 - cutX, h: 1 - cutY};
						const w = Math.round(renderW * window.w);
						const h = Math.round(renderH * window.h);
						const copyPixels = {width: Math.round(pixels.width * window.w), height: Math.round(pixels.height * window.h)};
						add(photo(where, `${name}_crop${c}`, 'jpeg', keepsDate, fingerprint(render(view, window, w, h, 3), w, h), copyPixels));
					} else {
						// Turned by a viewer that rewrote the pixels.
						const degrees = ([90, 180, 270] as const)[int(3)]!;
						const turned = rotateGray({gray: render(view, whole, renderW, renderH, 3), width: renderW, height: renderH}, degrees);
						const copyPixels = degrees === 180 ? pixels : {width: pixels.height, height: pixels.width};
						add(photo(where, `${name}_turned${c}`, 'jpeg', keepsDate, fingerprint(turned.gray, turned.width, turned.height), copyPixels));
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
