import fs from 'node:fs';
import sharp, {type Sharp} from 'sharp';
import {extractRawPreview} from '../adapters/exif.js';
import type {Format, MediaKind} from '../core/types.js';
import {applyOrientation, decodeHeicPixels, maxPixels, sharpFormats} from './decode.js';

/** How an export is encoded. */
export type RenderSettings = {
	/** Long side in pixels; never enlarged. Undefined keeps the full size. */
	readonly maxSize?: number;
	readonly format: 'jpeg' | 'webp';
	/** 1–100. */
	readonly quality: number;
};

/** A master as render needs it. */
export type RenderSource = {
	readonly absolute: string;
	readonly format: Format;
	readonly kind: MediaKind;
	/** Catalogued EXIF orientation: applies to RAW previews, which do not carry their RAW's. */
	readonly orientation: number | null;
};

/** Encoded export pixels with their size. */
export type Rendered = {readonly data: Buffer; readonly width: number; readonly height: number};

/** Whether `render` can make a shareable copy of a file of this kind and format. */
export function canRender(source: Pick<RenderSource, 'format' | 'kind'>): boolean {
	return source.kind === 'raw' || (source.kind === 'image' && (sharpFormats.has(source.format) || source.format === 'heic'));
}

async function open(source: RenderSource, buffer: Buffer): Promise<Sharp> {
	if (source.format === 'heic') {
		// HEVC is beyond sharp's bundled libvips; libheif has already applied the HEIF rotation.
		const {width, height, pixels} = await decodeHeicPixels(buffer);
		return sharp(pixels, {raw: {width, height, channels: 4}, limitInputPixels: maxPixels});
	}

	if (source.kind === 'raw') {
		const preview = await extractRawPreview(source.absolute);
		if (!preview) {
			throw new Error('this RAW file has no embedded preview to export');
		}

		const image = sharp(preview, {limitInputPixels: maxPixels});
		const meta = await image.metadata();
		return meta.orientation && meta.orientation > 1 ? image.rotate() : applyOrientation(image, source.orientation ?? undefined);
	}

	// Strict decoding: a damaged master is reported, not exported with grey blocks.
	return sharp(buffer, {limitInputPixels: maxPixels, failOn: 'warning', animated: false}).rotate();
}

/**
 * Decodes a master (sharp; libheif for HEIC; the embedded preview for RAW), turns it upright, converts it to sRGB,
 * shrinks it to `maxSize` if asked and encodes it with an embedded sRGB profile. The result carries no other
 * metadata; copying what may be kept is the exif-write adapter's job.
 */
export async function render(source: RenderSource, buffer: Buffer, settings: RenderSettings): Promise<Rendered> {
	let image = await open(source, buffer);
	if (settings.maxSize) {
		image = image.resize(settings.maxSize, settings.maxSize, {fit: 'inside', withoutEnlargement: true});
	}

	// Tagged, not just converted: without a profile some viewers guess, and a wide-gamut master looks washed out.
	image = image.toColourspace('srgb').withIccProfile('srgb');
	image = settings.format === 'jpeg' ? image.flatten({background: '#ffffff'}).jpeg({quality: settings.quality, mozjpeg: false}) : image.webp({quality: settings.quality});
	const {data, info} = await image.toBuffer({resolveWithObject: true});
	return {data, width: info.width, height: info.height};
}

/** Reads a master whole (exports are of photos, which fit in memory). */
export async function readMaster(absolute: string): Promise<Buffer> {
	return fs.promises.readFile(absolute);
}
