/**
 * Terminal pictures of catalogued photos for the review screen (issue 5): the scan's cached thumbnail, decoded with
 * sharp, fitted to a box of character cells and encoded by core/cells. Rendered strings are cached per
 * (content, size), and the next clusters' pictures are rendered ahead in the background.
 */
import fs from 'node:fs/promises';
import sharp from 'sharp';
import {type CellMode, centreCells, encodeCells, fitCells} from '../core/cells.js';
import type {PictureRequest, PictureSource} from './picture-types.js';

/** Renders one image file into exactly `rows` lines of `columns` cells. */
export async function renderPicture(file: string, columns: number, rows: number, mode: CellMode): Promise<string> {
	const data = await fs.readFile(file);
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
export class PictureCache implements PictureSource {
	private readonly cache = new Map<string, string>();
	private readonly pending = new Map<string, Promise<string>>();
	private queue: PictureRequest[] = [];
	private draining = false;

	constructor(
		private readonly mode: CellMode,
		private readonly capacity = 400,
	) {}

	peek = (request: PictureRequest): string | undefined => {
		const hit = this.cache.get(key(request));
		if (hit !== undefined) {
			// Refresh its place in the LRU order.
			this.cache.delete(key(request));
			this.cache.set(key(request), hit);
		}

		return hit;
	};

	load = async (request: PictureRequest): Promise<string> => {
		const id = key(request);
		const hit = this.peek(request);
		if (hit !== undefined) {
			return hit;
		}

		let running = this.pending.get(id);
		if (!running) {
			if (!request.thumb) {
				throw new Error('no preview');
			}

			running = renderPicture(request.thumb, request.columns, request.rows, this.mode)
				.then(picture => {
					this.cache.set(id, picture);
					if (this.cache.size > this.capacity) {
						this.cache.delete(this.cache.keys().next().value!);
					}

					return picture;
				})
				.finally(() => {
					this.pending.delete(id);
				});
			this.pending.set(id, running);
		}

		return running;
	};

	preload = (requests: readonly PictureRequest[]): void => {
		// The newest wish replaces the old queue: after a fast run of keys only the clusters near the current one matter.
		this.queue = requests.filter(request => request.thumb && !this.cache.has(key(request)));
		if (!this.draining) {
			void this.drain();
		}
	};

	private async drain(): Promise<void> {
		this.draining = true;
		try {
			while (this.queue.length > 0) {
				const next = this.queue.shift()!;
				// A broken thumbnail only costs its picture; the screen shows a placeholder when it asks for it.
				await this.load(next).catch(() => undefined);
				// Yield between pictures so a keypress is handled before the next render starts.
				await new Promise(resolve => setImmediate(resolve));
			}
		} finally {
			this.draining = false;
		}
	}
}
