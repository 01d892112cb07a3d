/**
 * Face crops for the people review grid (issue 19): the face's box, widened by a margin and made square, cut from the
 * library's cached preview (`.curate/previews`, orientation applied, the same oriented picture the boxes were found
 * in), then drawn as half-block cells (core/cells) or, where the terminal has them, with kitty or iTerm2 graphics
 * placed over the grid outside Ink's frame (the way media/terminal-graphics draws the large view).
 */
import process from 'node:process';
import sharp from 'sharp';
import {type CellMode, centreCells, encodeCells, fitCells} from '../core/cells.js';
import {RenderCache} from '../media/render-cache.js';
import {type GraphicsProtocol, GraphicsOverlay} from '../media/terminal-graphics.js';
import type {CropPlacement, FaceBox, FaceCropRequest, FaceCropSource, FaceGraphicsSource} from './people-review-types.js';

/** Share of the face's larger side added on each side: enough hair and chin to tell people apart. */
export const cropMargin = 0.3;

/** A rectangle in pixels. */
export type PixelRegion = {readonly left: number; readonly top: number; readonly width: number; readonly height: number};

/**
 * The square region of a `width` x `height` picture to show for a face: centred on the box, its side the box's
 * larger side plus `margin` of it on each side, moved (not cut) to stay inside the picture, and only as large as
 * the picture allows. Pure.
 */
export function cropRegion(box: FaceBox, width: number, height: number, margin = cropMargin): PixelRegion {
	const faceSide = Math.max(box.w * width, box.h * height);
	const side = Math.max(1, Math.min(width, height, Math.round(faceSide * (1 + 2 * margin))));
	const centreX = (box.x + box.w / 2) * width;
	const centreY = (box.y + box.h / 2) * height;
	const clamp = (value: number, size: number) => Math.max(0, Math.min(size - side, Math.round(value - side / 2)));
	return {left: clamp(centreX, width), top: clamp(centreY, height), width: side, height: side};
}

async function croppedImage(preview: string, box: FaceBox): Promise<{image: sharp.Sharp; region: PixelRegion}> {
	// Previews are written upright (render's rotate()); rotate() again honours an orientation tag left in any case.
	const {data, info} = await sharp(preview, {failOn: 'none'}).rotate().removeAlpha().raw().toBuffer({resolveWithObject: true});
	if (!info.width || !info.height) {
		throw new Error('unreadable preview');
	}

	const region = cropRegion(box, info.width, info.height);
	return {image: sharp(data, {raw: {width: info.width, height: info.height, channels: info.channels}}).extract(region), region};
}

/** Renders a face of a preview into exactly `rows` lines of `columns` half-block (or ASCII shade) cells. */
export async function renderFaceCrop(preview: string, box: FaceBox, columns: number, rows: number, mode: CellMode): Promise<string> {
	const {image, region} = await croppedImage(preview, box);
	const fitted = fitCells(region.width, region.height, columns, rows);
	const {data} = await image.resize({width: fitted.width, height: fitted.height, fit: 'fill', kernel: 'lanczos3'}).raw().toBuffer({resolveWithObject: true});
	return centreCells(encodeCells(data, fitted.width, fitted.height, mode), fitted.width, columns, rows);
}

/** A face of a preview as a PNG of at most `side` pixels, for terminal graphics. */
export async function faceCropPng(preview: string, box: FaceBox, side: number): Promise<Buffer> {
	const {image} = await croppedImage(preview, box);
	return image.resize(side, side, {fit: 'inside', withoutEnlargement: true}).png({compressionLevel: 3}).toBuffer();
}

const keyOf = (request: FaceCropRequest) => `${request.faceId}:${request.sha256}:${request.columns}x${request.rows}`;

/**
 * A `FaceCropSource` over cached previews, with a bounded cache and a one-at-a-time background queue. `previewOf`
 * returns the preview file of a face's photo (rendering it into the cache first when needed).
 */
export class FaceCropCache extends RenderCache<FaceCropRequest> implements FaceCropSource {
	constructor(mode: CellMode, previewOf: (request: FaceCropRequest) => Promise<string>, capacity = 400) {
		super(keyOf, async request => renderFaceCrop(await previewOf(request), request.box, request.columns, request.rows, mode), undefined, capacity);
	}
}

/** Pixels per cell assumed when sizing what is sent: generous, so the terminal only ever scales down. */
const cellPixels = 24;

/**
 * Face crops drawn with kitty's graphics protocol or iTerm2's inline images over the half-block grid (issue 19), each
 * at its cell after Ink's frame, the way the large view is drawn.
 */
export class FaceGraphics extends GraphicsOverlay implements FaceGraphicsSource {
	constructor(
		protocol: GraphicsProtocol,
		private readonly previewOf: (request: FaceCropRequest) => Promise<string>,
		stdout: NodeJS.WritableStream = process.stdout,
	) {
		super(protocol, stdout);
	}

	show = async (placements: readonly CropPlacement[]): Promise<void> => {
		const generation = ++this.generation;
		const started = Date.now();
		const images = await Promise.all(
			placements.map(async placement => {
				const {request} = placement;
				try {
					const png = await faceCropPng(await this.previewOf(request), request.box, Math.max(request.columns, request.rows * 2) * cellPixels);
					return {placement, png};
				} catch {
					// The half-block placeholder stays where a crop cannot be made.
					return undefined;
				}
			}),
		);
		await this.afterInkFrame(started);
		if (generation !== this.generation) {
			return;
		}

		// The previous page's crops go first.
		this.deleteKittyImages();
		for (const image of images) {
			if (!image) {
				continue;
			}

			const {placement, png} = image;
			// eslint-disable-next-line no-await-in-loop
			await this.drawAt(png, placement.row, placement.column, placement.request.columns, placement.request.rows);
		}
	};
}
