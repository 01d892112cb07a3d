import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type {Format} from '../core/types.js';
import {decodeHeicPixels, maxPixels, sharpFormats} from '../media/decode.js';
import {previewSide} from './model.js';

/** RGB pixels of a photo, oriented as it is shown, at most `previewSide` px on the longer side. */
export type FacePreview = {readonly data: Uint8Array; readonly width: number; readonly height: number};

/**
 * The picture faces are found in (issue 19): the original decoded with its EXIF orientation applied (HEIC with its
 * own rotation), reduced to 640 px on the longer side, never enlarged. Camera raws and other formats sharp cannot
 * decode fall back to the scan's 320 px thumbnail, which small faces do not survive. Throws an Error with a
 * user-facing reason when the picture cannot be read.
 */
export async function facePreview(file: {readonly absolute: string; readonly thumb: string | null; readonly format: string}, libraryDir: string): Promise<FacePreview> {
	let image;
	if (sharpFormats.has(file.format as Format)) {
		image = sharp(file.absolute, {failOn: 'none', limitInputPixels: maxPixels, animated: false}).rotate();
	} else if (file.format === 'heic') {
		const {width, height, pixels} = await decodeHeicPixels(await fs.promises.readFile(file.absolute));
		image = sharp(pixels, {raw: {width, height, channels: 4}, limitInputPixels: maxPixels});
	} else if (file.thumb) {
		image = sharp(path.join(libraryDir, file.thumb), {failOn: 'none'});
	} else {
		throw new Error(`no decodable preview of this ${file.format} file`);
	}

	try {
		const {data, info} = await image
			.resize(previewSide, previewSide, {fit: 'inside', withoutEnlargement: true})
			.flatten({background: '#ffffff'})
			.toColourspace('srgb')
			.raw()
			.toBuffer({resolveWithObject: true});
		return {data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height};
	} catch (error) {
		throw new Error(`cannot decode: ${(error as Error).message}`, {cause: error});
	}
}
