import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {extractRawPreview, readMetadata, readSidecarMetadata} from '../adapters/exif.js';
import {hashToHex} from '../core/perceptual.js';
import type {FileRecord, Format, MediaKind, PhotoMetadata} from '../core/types.js';
import {contentHash} from '../media/content-hash.js';
import {readEmbeddedMetadata} from '../media/embedded-metadata.js';
import {findSidecar} from '../media/sidecar-file.js';
import {type Analysis, analyseHeic, analyseWithSharp, DecodeError, sharpFormats} from '../media/decode.js';
import {sniffFormat} from '../media/sniff.js';
import {encodeWindowHashes, windowHashes} from '../dupes/window-hash.js';
import type {WalkedFile} from './walk.js';
import {writeFileInside} from '../safe-path.js';
import {readWhole} from './read-whole.js';

/** Files up to this size are read into memory once and hashed, sniffed and decoded from that one read. */
const inMemoryLimit = 512 * 1024 * 1024;

/** The bytes of a file read once, with its SHA-256 and content-sniffed format. */
export type ReadFile = {
	readonly sha256: string;
	readonly format: Format;
	readonly kind: MediaKind;
	/** The whole file, unless it was too large to hold (then decoders read from the path). */
	readonly buffer?: Buffer;
};

async function streamHash(file: string): Promise<{sha256: string; head: Buffer}> {
	const hash = createHash('sha256');
	let head: Buffer | undefined;
	for await (const chunk of fs.createReadStream(file, {highWaterMark: 4 * 1024 * 1024})) {
		head ??= Buffer.from((chunk as Buffer).subarray(0, 4096));
		hash.update(chunk as Buffer);
	}

	return {sha256: hash.digest('hex'), head: head ?? Buffer.alloc(0)};
}

/** Reads a file once: SHA-256 of every byte and the format from its first bytes. Throws on I/O errors. */
export async function readAndHash(file: WalkedFile): Promise<ReadFile> {
	const extension = path.extname(file.path).slice(1).toLowerCase();
	if (file.size <= inMemoryLimit) {
		const buffer = await readWhole(file.absolute);
		const sha256 = createHash('sha256').update(buffer).digest('hex');
		const {format, kind} = sniffFormat(buffer.subarray(0, 4096), extension);
		return {sha256, format, kind, buffer};
	}

	const {sha256, head} = await streamHash(file.absolute);
	const {format, kind} = sniffFormat(head, extension);
	return {sha256, format, kind};
}

/** A record with only what the walk knows; analysis fills in the rest. */
export function emptyRecord(file: WalkedFile, known: Partial<FileRecord> = {}): FileRecord {
	return {
		path: file.path,
		size: file.size,
		mtimeMs: file.mtimeMs,
		sha256: null,
		contentHash: null,
		format: 'unknown',
		kind: 'other',
		width: null,
		height: null,
		orientation: null,
		takenAt: null,
		takenAtSource: null,
		make: null,
		model: null,
		lens: null,
		gps: null,
		keywords: [],
		rating: null,
		title: null,
		description: null,
		software: null,
		livePhotoId: null,
		burstId: null,
		phash: null,
		dhash: null,
		phashRotations: null,
		signature: null,
		phashCrops: null,
		signatureCrops: null,
		contentWidth: null,
		contentHeight: null,
		thumb: null,
		error: null,
		frames: null,
		grey: null,
		...known,
	};
}

/** Containers whose EXIF/XMP/IPTC blocks sharp exposes in full (PNG and TIFF keep some of theirs elsewhere). */
const embeddedFormats: ReadonlySet<Format> = new Set<Format>(['jpeg', 'webp', 'avif']);

/** Why a file that is not a photo was found under a photo's name, in words a user understands. */
function notMediaReason(format: Format, name: string): string {
	switch (format) {
		case 'empty': {
			return 'empty file (0 bytes)';
		}

		case 'html': {
			return `not an image: an HTML page saved as ${name} (often a failed download)`;
		}

		case 'text': {
			return `not an image: a text file saved as ${name}`;
		}

		case 'xmp': {
			return 'not an image: an XMP sidecar';
		}

		default: {
			return 'not an image: unrecognised file content';
		}
	}
}

const swapAxes = (orientation: number | undefined) => orientation !== undefined && orientation >= 5;

/**
 * Everything the catalog records about one file, from one read of its bytes and one decode of its pixels.
 * Per-file problems become `error`, never exceptions: the scan goes on.
 */
export async function analyseFile(file: WalkedFile, read: ReadFile, thumbsDir: string, options: {readonly fullMetadata?: boolean} = {}): Promise<FileRecord> {
	const name = path.basename(file.path);
	const record = emptyRecord(file, {sha256: read.sha256, format: read.format, kind: read.kind});

	if (read.kind === 'other' || read.kind === 'sidecar') {
		record.error = notMediaReason(read.format, name);
		return withFallbackDate(record);
	}

	// JPEG, WebP and AVIF carry their metadata in blocks sharp hands over during the decode; reading those in-process
	// costs 0.4 ms instead of exiftool's ~8 ms of Perl per 12 MP photo. Everything else (and --full-metadata, which
	// adds maker-note lens names) goes to exiftool, which runs in its own processes while the pixels decode here.
	const inProcess = !options.fullMetadata && read.kind === 'image' && embeddedFormats.has(read.format);
	const metadataPromise: Promise<PhotoMetadata> = inProcess ? Promise.resolve({}) : readMetadata(file.absolute).catch(() => ({}));
	const decoding = decodePixels(file, read, metadataPromise);
	// The metadata-blind hash runs on this thread while libuv's threads decode the pixels, not after them (issue 16).
	if (read.buffer && read.kind === 'image') {
		record.contentHash = contentHash(read.buffer, read.format);
	}

	const decoded = await decoding;
	const analysis = decoded.analysis;
	if (decoded.error) {
		record.error = decoded.error;
	}

	// The thumbnail goes to disk (libuv's threads) while this thread parses metadata and hashes the coded data, instead of
	// after them (issue 16). One that cannot be written (disk full, read-only .curate) costs the preview, never the record.
	const thumbnailWrite = analysis ? writeThumbnail(thumbsDir, read.sha256, analysis.thumbnail).catch(() => null) : Promise.resolve(null);
	let metadata = await metadataPromise;
	if (inProcess) {
		metadata = analysis?.embedded?.exif || analysis?.embedded?.xmp || analysis?.embedded?.iptc ? readEmbeddedMetadata(analysis.embedded) : analysis ? {} : await readMetadata(file.absolute).catch(() => ({}));
	}

	record.orientation = metadata.orientation ?? null;
	record.takenAt = metadata.takenAt ?? null;
	record.takenAtSource = metadata.takenAtSource ?? null;
	record.make = metadata.make ?? null;
	record.model = metadata.model ?? null;
	record.lens = metadata.lens ?? null;
	record.gps = metadata.gps ?? null;
	record.keywords = metadata.keywords ?? [];
	record.rating = metadata.rating ?? null;
	record.title = metadata.title ?? null;
	record.description = metadata.description ?? null;
	record.software = metadata.software ?? null;
	record.livePhotoId = metadata.livePhotoId ?? null;
	record.burstId = metadata.burstId ?? null;
	await overlaySidecar(record, file.absolute);

	if (analysis) {
		record.width = analysis.width;
		record.height = analysis.height;
		record.phash = hashToHex(analysis.phash);
		record.dhash = hashToHex(analysis.dhash);
		record.phashRotations = analysis.phashRotations.map(hash => hashToHex(hash)).join('');
		record.signature = analysis.signature;
		record.detail = analysis.detail;
		record.windowHashes = encodeWindowHashes(windowHashes(analysis.signature));
		record.phashCrops = analysis.crops.map(crop => hashToHex(crop.phash)).join('');
		record.signatureCrops = Buffer.concat(analysis.crops.map(crop => crop.signature));
		record.contentWidth = Math.round(analysis.width * analysis.content.x);
		record.contentHeight = Math.round(analysis.height * analysis.content.y);
		record.frames = analysis.frames;
		record.grey = analysis.grey;
		if (read.format === 'heic') {
			record.decodedFully = analysis.fullDecode !== false;
		}
		if (analysis.damage) {
			record.error = analysis.damage;
		}
	} else if (metadata.width && metadata.height) {
		const swap = swapAxes(metadata.orientation);
		record.width = swap ? metadata.height : metadata.width;
		record.height = swap ? metadata.width : metadata.height;
	}

	record.thumb = await thumbnailWrite;
	return withFallbackDate(record);
}

/** The pixels' analysis, or the per-file error that stopped it. */
async function decodePixels(file: WalkedFile, read: ReadFile, metadataPromise: Promise<PhotoMetadata>): Promise<{analysis?: Analysis; error?: string}> {
	try {
		if (read.kind === 'image') {
			if (read.format === 'heic') {
				const buffer = read.buffer ?? (await fs.promises.readFile(file.absolute));
				return {analysis: await analyseHeic(buffer, {file: file.absolute})};
			}

			if (sharpFormats.has(read.format)) {
				return {analysis: await analyseWithSharp(read.buffer ?? file.absolute)};
			}

			throw new DecodeError(`unsupported image format: ${read.format}`);
		}

		if (read.kind === 'raw') {
			const [preview, metadata] = await Promise.all([extractRawPreview(file.absolute), metadataPromise]);
			if (!preview) {
				throw new DecodeError('RAW file has no decodable embedded preview');
			}

			return {analysis: await analyseWithSharp(preview, {orientation: metadata.orientation})};
		}

		return {};
	} catch (error) {
		return {error: error instanceof DecodeError ? error.message : `cannot decode: ${error instanceof Error ? error.message : String(error)}`};
	}
}

/**
 * The photo's XMP sidecar (`IMG_1.jpg.xmp` as digiKam, darktable and Curate write it, or else Lightroom's `IMG_1.xmp`;
 * when both exist the first, the one `curate edit` writes: see core/sidecar-names.ts) holds the edits people made:
 * its keywords, rating, title, description, GPS and capture date win over the file's own, as they do in those apps,
 * so a rescan keeps what a review or `curate edit` wrote. Its keywords replace the file's only when it holds keyword
 * tags. A sidecar that cannot be read is ignored: the photo's own metadata stands.
 */
async function overlaySidecar(record: FileRecord, absolute: string): Promise<void> {
	const sidecar = findSidecar(absolute);
	if (!sidecar) {
		return;
	}

	const {metadata: edits, holdsKeywords} = await readSidecarMetadata(sidecar);
	if (holdsKeywords && edits.keywords !== undefined) {
		record.keywords = edits.keywords;
	}

	record.rating = edits.rating ?? record.rating;
	record.title = edits.title ?? record.title;
	record.description = edits.description ?? record.description;
	record.gps = edits.gps ?? record.gps;
	if (edits.takenAt) {
		record.takenAt = edits.takenAt;
		record.takenAtSource = edits.takenAtSource ?? 'other';
	}
}

function withFallbackDate(record: FileRecord): FileRecord {
	if (!record.takenAt) {
		record.takenAt = new Date(record.mtimeMs).toISOString();
		record.takenAtSource = 'mtime';
	}

	return record;
}

let thumbnailWrites = 0;

/** Thumbnails are keyed by content, so copies share one and a moved file keeps its own. */
async function writeThumbnail(thumbsDir: string, sha256: string, data: Buffer): Promise<string> {
	const relative = `thumbs/${sha256.slice(0, 2)}/${sha256}.jpg`;
	const absolute = path.join(thumbsDir, sha256.slice(0, 2), `${sha256}.jpg`);
	if (!fs.existsSync(absolute)) {
		// Write then rename, so a scan killed mid-write never leaves a half thumbnail behind under the final name. The
		// temporary name is unique per write: exact copies of one photo are analysed at the same time. `thumbsDir` is
		// `<library>/.curate/thumbs`: no folder on the way may be a link out of the library (issue 13).
		await writeFileInside(path.dirname(path.dirname(thumbsDir)), absolute, data, `.${process.pid}-${++thumbnailWrites}.tmp`);
	}

	return relative;
}
