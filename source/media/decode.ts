import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {createRequire} from 'node:module';
import {Worker} from 'node:worker_threads';
import sharp, {type Sharp} from 'sharp';
import {registerCleanup} from '../cleanup.js';
import {rotateGray, trimUniformBorder} from '../core/geometry.js';
import {dHash, pHash, resizeArea, toGray} from '../core/perceptual.js';
import type {Format} from '../core/types.js';
import {heifTruncation} from './content-hash.js';
import {heicWorkerSource} from './heic-worker.js';

const require = createRequire(import.meta.url);

// One libvips thread per image: the scanner runs several images at once, which uses cores better than
// splitting one small shrink-on-load decode across threads.
sharp.concurrency(1);
sharp.cache(false);

/** Long side of cached thumbnails and of the image the perceptual hashes are computed on. */
export const thumbnailSize = 320;

/** Images above this many pixels are refused as possible decompression bombs (sharp's own default limit). */
export const maxPixels = 16_383 * 16_383;

/** What one decode of an image yields: everything the catalog needs from the pixels. */
export type Analysis = {
	/** Size as displayed, after EXIF/HEIF orientation. */
	readonly width: number;
	readonly height: number;
	readonly phash: bigint;
	readonly dhash: bigint;
	/** pHash of the picture turned 90, 180 and 270 degrees clockwise. */
	readonly phashRotations: readonly [bigint, bigint, bigint];
	/** 16x16 grey signature of the border-trimmed picture. */
	readonly signature: Uint8Array;
	/**
	 * 32x32 grey grid of the border-trimmed picture (issue 15): finer than the signature, so verification can align a
	 * cropped copy on it and tell a moved subject or another viewpoint from a re-encode.
	 */
	readonly detail: Uint8Array;
	/** pHashes and signatures of the centre 95% and 90% of the picture. */
	readonly crops: ReadonlyArray<{readonly phash: bigint; readonly signature: Uint8Array}>;
	/** Share of the width and height left after trimming a uniform frame (1 when there is none). */
	readonly content: {readonly x: number; readonly y: number};
	/** JPEG thumbnail, orientation applied, long side at most `thumbnailSize`. */
	readonly thumbnail: Buffer;
	/** Set when the pixels decoded only partially (truncated or corrupt data): damage the user must see. */
	readonly damage?: string;
	/** The raw metadata blocks the container holds, as sharp exposes them (for the in-process metadata reader). */
	readonly embedded?: {readonly exif?: Buffer; readonly xmp?: Buffer; readonly iptc?: Buffer};
	/**
	 * False when the fingerprints came from a HEIF's thumbnail item, not the full picture: its full decode (which finds
	 * damage inside the coded data) is left to `curate verify --deep`. Absent means true.
	 */
	readonly fullDecode?: boolean;
	/** Frames or pages in the file (animated GIF, WebP or PNG, multi-page TIFF); 1 for a still. */
	readonly frames: number;
	/** The picture has no colour: every pixel of the thumbnail is (near) neutral grey. */
	readonly grey: boolean;
};

/** A file that cannot be decoded; the message is the per-file error shown to the user. */
export class DecodeError extends Error {
	override readonly name = 'DecodeError';
}

/** Sharp's orientation steps for EXIF orientations 2–8 (rotation first, then the vertical flip or horizontal flop). */
const orientationSteps: Record<number, {rotate: number; flip?: boolean; flop?: boolean}> = {
	2: {rotate: 0, flop: true},
	3: {rotate: 180},
	4: {rotate: 0, flip: true},
	5: {rotate: 270, flip: true},
	6: {rotate: 90},
	7: {rotate: 90, flip: true},
	8: {rotate: 270},
};

/** Applies an EXIF orientation explicitly (for RAW previews, whose orientation lives in the RAW, not the JPEG). */
export function applyOrientation(image: Sharp, orientation: number | undefined): Sharp {
	const step = orientation ? orientationSteps[orientation] : undefined;
	if (!step) {
		return image;
	}

	let result = step.rotate ? image.rotate(step.rotate) : image;
	if (step.flip) {
		result = result.flip();
	}

	if (step.flop) {
		result = result.flop();
	}

	return result;
}

function reason(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return message.split('\n')[0]!.replace(/^Vips\w*:\s*/, '').trim();
}

/**
 * Whether a decoded picture is greyscale: at most 1 pixel in 500 with a channel spread over 12 (of 255), which JPEG
 * chroma noise in a grey picture stays under and any colour photo exceeds.
 */
export function isGrey(data: Uint8Array, channels: number): boolean {
	if (channels < 3) {
		return true;
	}

	const pixels = Math.floor(data.length / channels);
	let coloured = 0;
	for (let i = 0; i < pixels * channels; i += channels) {
		const r = data[i]!;
		const g = data[i + 1]!;
		const b = data[i + 2]!;
		if (Math.max(r, g, b) - Math.min(r, g, b) > 12) {
			coloured++;
		}
	}

	return coloured * 500 <= pixels;
}

/** Frames of an animated PNG (its acTL chunk comes before the first IDAT); 1 for a plain PNG or anything else. */
export function apngFrames(buffer: Buffer): number {
	let offset = 8;
	while (offset + 12 <= buffer.length) {
		const length = buffer.readUInt32BE(offset);
		const type = buffer.toString('latin1', offset + 4, offset + 8);
		if (type === 'acTL' && offset + 12 <= buffer.length) {
			return Math.max(1, buffer.readUInt32BE(offset + 8));
		}

		if (type === 'IDAT' || type === 'IEND') {
			return 1;
		}

		offset += 12 + length;
	}

	return 1;
}

async function finish(data: Buffer, info: {width: number; height: number; channels: number}, display: {width: number; height: number}, damage?: string, frames = 1): Promise<Analysis> {
	const fingerprint = fingerprintPixels(toGray(data, info.width, info.height, info.channels), info.width, info.height);
	const thumbnail = await sharp(data, {raw: {width: info.width, height: info.height, channels: info.channels as 3}})
		.jpeg({quality: 78})
		.toBuffer();
	return {
		width: display.width,
		height: display.height,
		...fingerprint,
		thumbnail,
		frames,
		grey: isGrey(data, info.channels),
		...(damage ? {damage} : {}),
	};
}

/**
 * Perceptual fingerprints of a picture. A uniform frame is trimmed first, so a bordered copy hashes like its
 * original; the rotated pHashes come from the 32x32 reduction (area resampling commutes with quarter turns), so
 * they cost little.
 */
export function fingerprintPixels(gray: Float32Array, width: number, height: number) {
	const trimmed = trimUniformBorder({gray, width, height});
	// Every fingerprint is a reduction to 32x32 or less: computing them from one 128 px reduction instead of the
	// 320 px thumbnail cut their cost from 3.3 to about 0.8 ms per photo.
	const scale = Math.min(1, 128 / Math.max(trimmed.width, trimmed.height));
	const picture =
		scale < 1
			? (() => {
					const w = Math.max(1, Math.round(trimmed.width * scale));
					const h = Math.max(1, Math.round(trimmed.height * scale));
					return {gray: resizeArea(trimmed.gray, trimmed.width, trimmed.height, w, h), width: w, height: h};
				})()
			: trimmed;
	const small = {gray: resizeArea(picture.gray, picture.width, picture.height, 32, 32), width: 32, height: 32};
	const turned = ([90, 180, 270] as const).map(degrees => {
		const rotated = rotateGray(small, degrees);
		return pHash(rotated.gray, 32, 32);
	}) as [bigint, bigint, bigint];
	const signatureOf = (image: {gray: Float32Array; width: number; height: number}) =>
		Uint8Array.from(resizeArea(image.gray, image.width, image.height, 16, 16), value => Math.round(value));
	const signature = signatureOf(picture);
	const detail = Uint8Array.from(resizeArea(picture.gray, picture.width, picture.height, detailSize, detailSize), value => Math.round(value));
	// A cropped copy is (close to) a centre crop of its original; fingerprints of two centre crops let it be found.
	const crops = cropFractions.map(fraction => {
		const cropped = centreCrop(picture, fraction);
		return {phash: pHash(cropped.gray, cropped.width, cropped.height), signature: signatureOf(cropped)};
	});
	return {
		crops,
		phash: pHash(small.gray, 32, 32),
		dhash: dHash(picture.gray, picture.width, picture.height),
		phashRotations: turned,
		signature,
		detail,
		content: {x: trimmed.width / width, y: trimmed.height / height},
	};
}

/** Side of the detail grid in cells. */
export const detailSize = 32;

/** Centre crops fingerprinted at scan time. */
export const cropFractions = [0.95, 0.9] as const;

function centreCrop(image: {gray: Float32Array; width: number; height: number}, fraction: number) {
	const width = Math.max(1, Math.round(image.width * fraction));
	const height = Math.max(1, Math.round(image.height * fraction));
	const left = Math.floor((image.width - width) / 2);
	const top = Math.floor((image.height - height) / 2);
	const gray = new Float32Array(width * height);
	for (let y = 0; y < height; y++) {
		gray.set(image.gray.subarray((y + top) * image.width + left, (y + top) * image.width + left + width), y * width);
	}

	return {gray, width, height};
}

/** Shrink-on-load decode to thumbnail size, orientation applied, alpha flattened on white, as sRGB. */
function pipeline(image: Sharp, orientation: 'auto' | number | undefined): Sharp {
	const oriented = orientation === 'auto' ? image.rotate() : applyOrientation(image, orientation);
	return oriented
		.flatten({background: '#ffffff'})
		.resize(thumbnailSize, thumbnailSize, {fit: 'inside', withoutEnlargement: true})
		.toColourspace('srgb')
		.raw();
}

/**
 * Decodes a sharp-readable image once (JPEG shrink-on-load applies because the pipeline ends in a resize) and derives
 * thumbnail, pHash and dHash from that one decode. Strict first, so truncated or corrupt data is reported; then a
 * tolerant decode keeps the partial pixels so a damaged copy can still be matched to its intact twin.
 */
export async function analyseWithSharp(input: Buffer | string, options: {readonly orientation?: number} = {}): Promise<Analysis> {
	const open = (failOn: 'warning' | 'none') => sharp(input, {failOn, limitInputPixels: maxPixels, sequentialRead: true, animated: false});
	let meta;
	try {
		meta = await open('none').metadata();
	} catch (error) {
		throw new DecodeError(`cannot read image header: ${reason(error)}`);
	}

	const width = meta.width ?? 0;
	const height = meta.pageHeight ?? meta.height ?? 0;
	if (!width || !height) {
		throw new DecodeError('image has no dimensions');
	}

	if (width * height > maxPixels) {
		throw new DecodeError(`image is ${width}x${height}, over the ${Math.round(maxPixels / 1e6)} MP limit (possible decompression bomb)`);
	}

	// Embedded orientation wins; an explicit one (from a RAW's own tags) only applies when the preview has none.
	const orientation = meta.orientation && meta.orientation > 1 ? 'auto' : options.orientation;
	const effective = orientation === 'auto' ? meta.orientation : orientation;
	const display = effective && effective >= 5 ? {width: height, height: width} : {width, height};
	const embedded = {exif: meta.exif, xmp: meta.xmp, iptc: meta.iptc};
	// libvips counts GIF, WebP and TIFF frames as pages; it reads an animated PNG as its first frame only.
	const frames = meta.format === 'png' && Buffer.isBuffer(input) ? apngFrames(input) : Math.max(1, meta.pages ?? 1);
	try {
		const {data, info} = await pipeline(open('warning'), orientation ?? 'auto').toBuffer({resolveWithObject: true});
		return {...(await finish(data, info, display, undefined, frames)), embedded};
	} catch (error) {
		const strictReason = reason(error);
		try {
			const {data, info} = await pipeline(open('none'), orientation ?? 'auto').toBuffer({resolveWithObject: true});
			return {...(await finish(data, info, display, `damaged image data: ${strictReason}`, frames)), embedded};
		} catch (error_) {
			throw new DecodeError(`cannot decode image: ${reason(error_)}`);
		}
	}
}

type HeicPixels = {width: number; height: number; pixels: Uint8Array};
type HeicRequest = 'thumbnail' | 'full';
type HeicReply =
	| {
			id: number;
			ok: true;
			width: number;
			height: number;
			source: 'thumbnail' | 'primary' | 'none';
			pixelWidth: number;
			pixelHeight: number;
			pixels?: Uint8Array;
			/** Errors the HEVC decoder reported while still producing a picture (corrupt coded data), and the first one. */
			warnings?: number;
			warning?: string;
	  }
	| {id: number; ok: false; error: string};

/** A small pool of worker threads running libheif, one image per worker at a time. */
class HeicPool {
	private readonly idle: Worker[] = [];
	private readonly all: Worker[] = [];
	private readonly waiting: Array<(worker: Worker) => void> = [];
	private nextId = 0;

	constructor(private readonly size: number) {}

	async decode(buffer: Uint8Array, mode: HeicRequest): Promise<Extract<HeicReply, {ok: true}>> {
		const worker = await this.acquire();
		// Keep the process alive while a decode is in flight; an idle pool must not hold the process open.
		worker.ref();
		try {
			const id = this.nextId++;
			const reply = await new Promise<HeicReply>((resolve, reject) => {
				const onMessage = (message: HeicReply) => {
					if (message.id === id) {
						cleanup();
						resolve(message);
					}
				};

				const onError = (error: Error) => {
					cleanup();
					this.discard(worker);
					reject(new DecodeError(`HEIF decoder failed: ${error.message}`));
				};

				// A worker that dies (e.g. WASM out of memory) must fail its decode, not leave it waiting forever.
				const onExit = (code: number) => {
					onError(new Error(`stopped with exit code ${code}`));
				};

				const cleanup = () => {
					worker.off('message', onMessage);
					worker.off('error', onError);
					worker.off('exit', onExit);
				};

				worker.on('message', onMessage);
				worker.on('error', onError);
				worker.on('exit', onExit);
				worker.postMessage({id, buffer, mode, maxPixels, minThumbnail: minThumbnailSide});
			});
			if (!reply.ok) {
				throw new DecodeError(`cannot decode HEIF image: ${reply.error.split('\n')[0]}`);
			}

			return reply;
		} finally {
			worker.unref();
			this.release(worker);
		}
	}

	async close(): Promise<void> {
		const workers = this.all.splice(0);
		this.idle.length = 0;
		await Promise.all(workers.map(async worker => worker.terminate()));
	}

	private async acquire(): Promise<Worker> {
		const worker = this.idle.pop();
		if (worker) {
			return worker;
		}

		if (this.all.length < this.size) {
			const created = spawnHeicWorker();
			created.unref();
			this.all.push(created);
			return created;
		}

		return new Promise(resolve => {
			this.waiting.push(resolve);
		});
	}

	private discard(worker: Worker): void {
		const index = this.all.indexOf(worker);
		if (index !== -1) {
			this.all.splice(index, 1);
		}

		void worker.terminate();
		const next = this.waiting.shift();
		if (next) {
			const replacement = spawnHeicWorker();
			replacement.unref();
			this.all.push(replacement);
			next(replacement);
		}
	}

	private release(worker: Worker): void {
		if (!this.all.includes(worker)) {
			return;
		}

		const next = this.waiting.shift();
		if (next) {
			next(worker);
		} else {
			this.idle.push(worker);
		}
	}
}

function spawnHeicWorker(): Worker {
	// libheif-js is heic-decode's own dependency: resolve it from there, so no second copy or direct dependency is needed.
	const libheifPath = createRequire(require.resolve('heic-decode')).resolve('libheif-js/wasm-bundle');
	return new Worker(heicWorkerSource, {eval: true, workerData: {libheifPath}});
}

let heicPool: HeicPool | undefined;

function pool(): HeicPool {
	heicPool ??= new HeicPool(Math.max(1, os.availableParallelism()));
	return heicPool;
}

/** Stops the HEIF worker threads (they are unref'd, so this is only needed for a tidy shutdown). */
export async function closeDecoders(): Promise<void> {
	await heicPool?.close();
	heicPool = undefined;
}

registerCleanup(closeDecoders);

/**
 * The smallest thumbnail item (long side, pixels) the fingerprints are taken from instead of the full picture. Every
 * fingerprint is a reduction to 32x32 or less of a 128 px reduction, and the cached thumbnail is 320 px: measured on
 * every HEIC of the corpus (test/media/heic-preview.test.ts), thumbnails of 240 px and up give pHashes within 2 bits of
 * the full decode's.
 */
export const minThumbnailSide = 240;

/** Which full HEIC decoder `decodeHeicFull` uses: the native libheif command when installed, or WebAssembly libheif. */
export function heicFullDecoder(): 'native' | 'wasm' {
	return nativeHeifCommand() ? 'native' : 'wasm';
}

/**
 * Decodes a HEIC/HEIF's fingerprints (HEVC-coded, which sharp's libvips cannot read). From the thumbnail item when it
 * is large enough and has the primary's shape (`fullDecode: false`; `curate verify --deep` decodes the rest later),
 * otherwise from the full picture, with the native libheif command when the system has one. libheif applies the HEIF
 * rotation itself. `full` forces the full decode.
 */
export async function analyseHeic(buffer: Uint8Array, options: {readonly file?: string; readonly full?: boolean} = {}): Promise<Analysis> {
	// libheif fills the tiles a truncated grid image lacks and reports nothing, so the container is checked here: the
	// item extents against the file's length, on every scan, whatever is decoded.
	const truncation = heifTruncation(buffer);
	if (truncation) {
		let decoded;
		try {
			decoded = await pool().decode(buffer, 'full');
		} catch {
			throw new DecodeError(`cannot decode HEIF image: ${truncation}`);
		}

		return {...(await reduceHeic(pixelsOf(decoded), {width: decoded.width, height: decoded.height}, `damaged image data: ${truncation}`)), fullDecode: true};
	}

	let megapixels: number | undefined;
	if (!options.full) {
		const preview = await heicPreview(buffer);
		if (preview.analysis) {
			return preview.analysis;
		}

		megapixels = preview.megapixels;
	}

	// Starting a process costs more than decoding a small picture in a worker that is already running.
	return analyseHeicFull(buffer, megapixels === undefined || megapixels >= 2 ? options.file : undefined);
}

/**
 * A HEIC's fingerprints from its thumbnail item alone (`analysis`, with `fullDecode: false`), or undefined when it has
 * no thumbnail of at least `minThumbnailSide` with the picture's shape; `megapixels` is the picture's size either way.
 * Checks nothing else (`analyseHeic` checks the container first).
 */
export async function heicPreview(buffer: Uint8Array): Promise<{analysis?: Analysis; megapixels: number}> {
	const preview = await pool().decode(buffer, 'thumbnail');
	const megapixels = (preview.width * preview.height) / 1e6;
	if (preview.source !== 'thumbnail') {
		return {megapixels};
	}

	return {analysis: {...(await reduceHeic(pixelsOf(preview), {width: preview.width, height: preview.height})), fullDecode: false}, megapixels};
}

function pixelsOf(reply: Extract<HeicReply, {ok: true}>): HeicPixels {
	return {width: reply.pixelWidth, height: reply.pixelHeight, pixels: reply.pixels!};
}

async function reduceHeic({width, height, pixels}: HeicPixels, display: {width: number; height: number}, damage?: string): Promise<Analysis> {
	const {data, info} = await sharp(pixels, {raw: {width, height, channels: 4}, limitInputPixels: maxPixels})
		.flatten({background: '#ffffff'})
		.resize(thumbnailSize, thumbnailSize, {fit: 'inside', withoutEnlargement: true})
		.toColourspace('srgb')
		.raw()
		.toBuffer({resolveWithObject: true});
	return finish(data, info, display, damage);
}

async function analyseHeicFull(buffer: Uint8Array, file: string | undefined): Promise<Analysis> {
	const command = file ? nativeHeifCommand() : undefined;
	if (command && file) {
		const jpeg = await nativeDecodeToJpeg(command, file).catch(() => undefined);
		if (jpeg) {
			try {
				// heif-convert writes the picture already turned but keeps the EXIF orientation tag: never apply it again.
				const {data, info} = await sharp(jpeg, {limitInputPixels: maxPixels})
					.flatten({background: '#ffffff'})
					.resize(thumbnailSize, thumbnailSize, {fit: 'inside', withoutEnlargement: true})
					.toColourspace('srgb')
					.raw()
					.toBuffer({resolveWithObject: true});
				const meta = await sharp(jpeg).metadata();
				return {...(await finish(data, info, {width: meta.width ?? info.width, height: meta.height ?? info.height})), fullDecode: true};
			} finally {
				await fs.promises.rm(jpeg, {force: true});
			}
		}
	}

	const decoded = await pool().decode(buffer, 'full');
	const damage = decoded.warnings ? `damaged image data: the HEVC decoder reported ${decoded.warnings === 1 ? 'an error' : `${decoded.warnings} errors`} (${decoded.warning || 'no details'})` : undefined;
	return {...(await reduceHeic(pixelsOf(decoded), {width: decoded.width, height: decoded.height}, damage)), fullDecode: true};
}

let nativeCommand: string | null | undefined;

/**
 * The native libheif decoder on PATH (`heif-dec`, called `heif-convert` before libheif 1.17; Debian's and Ubuntu's
 * `libheif-examples`, Alpine's `libheif-tools`), or undefined. It decodes HEVC about twice as fast per core as the
 * WebAssembly build. CURATE_HEIF_DECODER=wasm turns it off (benchmarks compare the two).
 */
export function nativeHeifCommand(): string | undefined {
	if (nativeCommand === undefined) {
		nativeCommand = null;
		if (process.env.CURATE_HEIF_DECODER !== 'wasm') {
			for (const folder of (process.env.PATH ?? '').split(path.delimiter)) {
				const found = ['heif-dec', 'heif-convert'].map(name => path.join(folder, name)).find(candidate => {
					try {
						fs.accessSync(candidate, fs.constants.X_OK);
						return true;
					} catch {
						return false;
					}
				});
				if (folder && found) {
					nativeCommand = found;
					break;
				}
			}
		}
	}

	return nativeCommand ?? undefined;
}

let scratch: string | undefined;
let scratchFiles = 0;

async function nativeDecodeToJpeg(command: string, file: string): Promise<string> {
	scratch ??= await fs.promises.mkdtemp(path.join(os.tmpdir(), 'curate-heif-'));
	const output = path.join(scratch, `${++scratchFiles}.jpg`);
	await new Promise<void>((resolve, reject) => {
		execFile(command, ['--quiet', '-q', '92', path.resolve(file), output], {timeout: 120_000}, error => {
			if (error) {
				reject(error);
			} else {
				resolve();
			}
		});
	});
	return output;
}

registerCleanup(async () => {
	if (scratch) {
		await fs.promises.rm(scratch, {recursive: true, force: true});
		scratch = undefined;
	}
});

/** Formats whose pixels sharp decodes directly. */
export const sharpFormats: ReadonlySet<Format> = new Set<Format>(['jpeg', 'png', 'gif', 'webp', 'tiff', 'avif']);

/**
 * Full-size HEIC/HEIF pixels (RGBA, HEIF rotation applied) for callers that need the whole picture, such as export;
 * the scan only needs `analyseHeic`'s reduction.
 */
export async function decodeHeicPixels(buffer: Uint8Array): Promise<{width: number; height: number; pixels: Uint8Array}> {
	return pixelsOf(await pool().decode(buffer, 'full'));
}
