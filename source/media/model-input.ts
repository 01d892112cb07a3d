import path from 'node:path';
import sharp from 'sharp';
import {maxPixels, sharpFormats} from './decode.js';
import type {Format} from '../core/types.js';

/** RGB pixels at a model's square input size. */
export type ModelInput = {readonly data: Uint8Array; readonly width: number; readonly height: number};

/**
 * Pixels for CLIP (issue 6): the photo cut to a centred `size`×`size` square, as CLIP's own resize-then-crop does,
 * read from the scan's cached 320 px thumbnail (already oriented) so no 12 MP original or HEIC is decoded again.
 * Without a thumbnail, the original is decoded with sharp (orientation applied); formats sharp cannot decode need
 * a scan first. Throws an Error with a user-facing reason when the picture cannot be read.
 */
export async function modelInput(
	file: {readonly absolute: string; readonly thumb: string | null; readonly format: string},
	libraryDir: string,
	size: number,
): Promise<ModelInput> {
	let image;
	if (file.thumb) {
		image = sharp(path.join(libraryDir, file.thumb), {failOn: 'none'});
	} else if (sharpFormats.has(file.format as Format)) {
		image = sharp(file.absolute, {failOn: 'none', limitInputPixels: maxPixels, animated: false}).rotate();
	} else {
		throw new Error(`no thumbnail of this ${file.format} file: run curate scan first`);
	}

	try {
		const {data, info} = await image
			.resize(size, size, {fit: 'cover', position: 'centre', kernel: 'cubic'})
			.flatten({background: '#ffffff'})
			.toColourspace('srgb')
			.raw()
			.toBuffer({resolveWithObject: true});
		return {data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height};
	} catch (error) {
		throw new Error(`cannot decode: ${(error as Error).message}`, {cause: error});
	}
}
