/**
 * Terminal pictures of catalogued photos for the review screen (issue 5): the scan's cached thumbnail, decoded with
 * sharp, fitted to a box of character cells and encoded by core/cells. Rendered strings are cached per
 * (content, size), and the next clusters' pictures are rendered ahead in the background.
 */
import fs from 'node:fs/promises';
import {type CellMode, centreCells, encodeCells, fitCells} from '../core/cells.js';
import type {PictureRequest, PictureSource} from './picture-types.js';
import {RenderCache} from './render-cache.js';

/** Renders one image file into exactly `rows` lines of `columns` cells. */
export async function renderPicture(file: string, columns: number, rows: number, mode: CellMode): Promise<string> {
	// sharp is loaded with the first picture, not at start-up: a review screen is drawn before its pictures (issue 15).
	const [data, {default: sharp}] = await Promise.all([fs.readFile(file), import('sharp')]);
	const image = sharp(data, {failOn: 'none'});
	const meta = await image.metadata();
	if (!meta.width || !meta.height) {
		throw new Error('unreadable preview');
	}

	const {width, height} = fitCells(meta.width, meta.height, columns, rows);
	const {data: pixels} = await image.removeAlpha().resize({width, height, fit: 'fill', kernel: 'lanczos3'}).raw().toBuffer({resolveWithObject: true});
	return centreCells(encodeCells(pixels, width, height, mode), width, columns, rows);
}

/** The cell mode for a terminal: none of colour under NO_COLOR, 24-bit where the terminal says so, else 256 colours. */
export function cellModeFor(env: NodeJS.ProcessEnv, hasColour: boolean): CellMode {
	if (!hasColour || 'NO_COLOR' in env) {
		return 'grey';
	}

	return /truecolor|24bit/i.test(env.COLORTERM ?? '') ? 'truecolor' : 'ansi256';
}

const key = (request: PictureRequest) => `${request.sha256}:${request.columns}x${request.rows}`;

/** A `PictureSource` over the scan thumbnails, with a bounded cache and a one-at-a-time background queue. */
export class PictureCache extends RenderCache<PictureRequest> implements PictureSource {
	constructor(mode: CellMode, capacity = 400) {
		super(
			key,
			async request => {
				if (!request.thumb) {
					throw new Error('no preview');
				}

				return renderPicture(request.thumb, request.columns, request.rows, mode);
			},
			request => Boolean(request.thumb),
			capacity,
		);
	}
}
