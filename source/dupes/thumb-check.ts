/**
 * The finest check of a near-duplicate pair, on the 320-pixel thumbnails scan keeps (issue 15), for the few pairs the
 * 32x32 detail grids pass only near their limit. On a 32x32 grid a stereo partner (the scene seen from a little to the
 * side: near things shift more than far ones) or a subject moved on a low-contrast part of the picture can score like
 * a copy; on the thumbnails they do not. The thumbnails are aligned by the window the grid check found, then every
 * textured block of one is looked for around its place in the other: a copy's blocks are all found, where the window
 * put them, give or take a pixel; a stereo partner's are found shifted by an amount that changes across the frame (no
 * crop or resize moves rows differently), and a moved subject's edge is found nowhere. Blocks that differ only in one
 * corner (a watermark, a date imprint, a logo) are set aside, as on the grids. Pure.
 */
import {type Gray, rotateGray, trimUniformBorder} from '../core/geometry.js';
import type {Window} from './detail.js';

/** How the grid check placed the pair: the first picture's turn, and the window of one picture the other fills. */
export type Placement = {readonly rotation: 0 | 90 | 180 | 270; readonly window: Window; readonly within: 0 | 1};

/** Limits of the thumbnail check. */
export type ThumbTuning = {
	/** Normalised cross-correlation a block must reach somewhere near its place to be found. */
	readonly found: number;
	/** Pixels a found block may lie from where the fitted crop puts it. */
	readonly shift: number;
	/** Share of the textured blocks outside a set-aside corner that may fail. */
	readonly failures: number;
	/** Largest cross term of the fitted displacement (pixels per pixel): shear or turn, which no crop makes. */
	readonly shear: number;
};

/** What the thumbnail check saw. */
export type ThumbMatch = {
	readonly passes: boolean;
	/** Textured blocks compared. */
	readonly blocks: number;
	/** Blocks not found near their place (content differs). */
	readonly missing: number;
	/** Blocks found, but away from where the crop puts them (geometry differs). */
	readonly shifted: number;
	/** Failing blocks set aside as a corner overlay. */
	readonly setAside: number;
	/** Largest distance, in pixels, of a found block from where the fitted crop puts it. */
	readonly worstShift: number;
	/** Cross term of the displacement fitted over the found blocks. */
	readonly shear: number;
};

/** Side of a compared block, in pixels of the smaller thumbnail. */
const block = 12;
/** Pixels a block is looked for around its place either way: at half size to correct the window, then at full size. */
const searchReach = 5;
const reach = 3;
/** A block whose grey levels vary less than this (standard deviation, 0-255) in both pictures shows nothing. */
const flat = 4;

function turned(image: Gray, rotation: Placement['rotation']): Gray {
	return rotation === 0 ? image : rotateGray(image, rotation);
}

/** Samples `source`'s window onto a width x height grid (bilinear; the two thumbnails are within a factor of ~1.2). */
function warp(source: Gray, window: Window, width: number, height: number): Float32Array {
	const out = new Float32Array(width * height);
	const {gray, width: sw, height: sh} = source;
	// Where each column samples, worked out once for every row (the same arithmetic, so the same values).
	const x0s = new Int32Array(width);
	const x1s = new Int32Array(width);
	const fxs = new Float64Array(width);
	for (let u = 0; u < width; u++) {
		const x = Math.min(sw - 1, Math.max(0, (window.x + (window.w * (u + 0.5)) / width) * sw - 0.5));
		const x0 = Math.floor(x);
		x0s[u] = x0;
		x1s[u] = Math.min(sw - 1, x0 + 1);
		fxs[u] = x - x0;
	}

	for (let v = 0; v < height; v++) {
		const y = Math.min(sh - 1, Math.max(0, (window.y + (window.h * (v + 0.5)) / height) * sh - 0.5));
		const y0 = Math.floor(y);
		const y1 = Math.min(sh - 1, y0 + 1);
		const fy = y - y0;
		const r0 = y0 * sw;
		const r1 = y1 * sw;
		for (let u = 0; u < width; u++) {
			const x0 = x0s[u]!;
			const x1 = x1s[u]!;
			const fx = fxs[u]!;
			const top = gray[r0 + x0]! * (1 - fx) + gray[r0 + x1]! * fx;
			const bottom = gray[r1 + x0]! * (1 - fx) + gray[r1 + x1]! * fx;
			out[v * width + u] = top * (1 - fy) + bottom * fy;
		}
	}

	return out;
}

/** 3x3 box blur (edges averaged over the pixels there): JPEG noise and resampling differences below a block's scale. */
function blur(values: Float32Array, width: number, height: number): Float32Array {
	const rows = new Float32Array(values.length);
	for (let y = 0; y < height; y++) {
		const row = y * width;
		// The first and last pixels of a row stand in for their missing neighbour; the others need no test.
		rows[row] = (values[row]! + values[row]! + values[row + (width > 1 ? 1 : 0)]!) / 3;
		for (let x = 1; x < width - 1; x++) {
			rows[row + x] = (values[row + x - 1]! + values[row + x]! + values[row + x + 1]!) / 3;
		}

		if (width > 1) {
			rows[row + width - 1] = (values[row + width - 2]! + values[row + width - 1]! + values[row + width - 1]!) / 3;
		}
	}

	const out = new Float32Array(values.length);
	for (let y = 0; y < height; y++) {
		const up = y > 0 ? (y - 1) * width : y * width;
		const here = y * width;
		const down = y < height - 1 ? (y + 1) * width : y * width;
		for (let x = 0; x < width; x++) {
			out[here + x] = (rows[up + x]! + rows[here + x]! + rows[down + x]!) / 3;
		}
	}

	return out;
}

/** Half-size copy (2x2 means). */
function halve(values: Float32Array, width: number, height: number): Float32Array {
	const w = Math.floor(width / 2);
	const h = Math.floor(height / 2);
	const out = new Float32Array(w * h);
	for (let y = 0; y < h; y++) {
		for (let x = 0; x < w; x++) {
			const i = 2 * y * width + 2 * x;
			out[y * w + x] = (values[i]! + values[i + 1]! + values[i + width]! + values[i + width + 1]!) / 4;
		}
	}

	return out;
}

/** Mean and deviation of a block. */
function stats(values: Float32Array, width: number, x0: number, y0: number): {mean: number; deviation: number} {
	let sum = 0;
	let squares = 0;
	for (let y = y0; y < y0 + block; y++) {
		for (let x = x0; x < x0 + block; x++) {
			const value = values[y * width + x]!;
			sum += value;
			squares += value * value;
		}
	}

	const n = block * block;
	const mean = sum / n;
	return {mean, deviation: Math.sqrt(Math.max(0, squares / n - mean * mean))};
}

/** Summed-area tables of values and of their squares: any block's mean and deviation in four look-ups. */
function integrals(values: Float32Array, width: number, height: number): {sum: Float64Array; squares: Float64Array} {
	const sum = new Float64Array((width + 1) * (height + 1));
	const squares = new Float64Array((width + 1) * (height + 1));
	for (let y = 0; y < height; y++) {
		let row = 0;
		let rowSquares = 0;
		for (let x = 0; x < width; x++) {
			const value = values[y * width + x]!;
			row += value;
			rowSquares += value * value;
			sum[(y + 1) * (width + 1) + x + 1] = sum[y * (width + 1) + x + 1]! + row;
			squares[(y + 1) * (width + 1) + x + 1] = squares[y * (width + 1) + x + 1]! + rowSquares;
		}
	}

	return {sum, squares};
}

/**
 * Normalised cross-correlation of a block of the fixed picture at (x0, y0), given as its values less their mean
 * (`centred`, row by row) and their deviation `ad`, with `b`'s block at (x0 + dx, y0 + dy).
 */
function ncc(centred: Float64Array, b: Float32Array, tables: ReturnType<typeof integrals>, width: number, x0: number, y0: number, dx: number, dy: number, ad: number): number {
	const n = block * block;
	const stride = width + 1;
	const bx = x0 + dx;
	const by = y0 + dy;
	const i00 = by * stride + bx;
	const i01 = i00 + block;
	const i10 = i00 + block * stride;
	const i11 = i10 + block;
	const mean = (tables.sum[i11]! - tables.sum[i01]! - tables.sum[i10]! + tables.sum[i00]!) / n;
	const deviation = Math.sqrt(Math.max(0, (tables.squares[i11]! - tables.squares[i01]! - tables.squares[i10]! + tables.squares[i00]!) / n - mean * mean));
	// A flat block matched against a textured one: no evidence they are the same, none that they differ.
	if (deviation < 1e-3 || ad < 1e-3) {
		return 0;
	}

	// A row of a block at a time, written out: the same additions in the same order as a loop over x, fewer branches.
	let sum = 0;
	for (let y = 0, k = 0; y < block; y++, k += block) {
		const r = (by + y) * width + bx;
		sum = sum + centred[k]! * b[r]! + centred[k + 1]! * b[r + 1]! + centred[k + 2]! * b[r + 2]! + centred[k + 3]! * b[r + 3]!
			+ centred[k + 4]! * b[r + 4]! + centred[k + 5]! * b[r + 5]! + centred[k + 6]! * b[r + 6]! + centred[k + 7]! * b[r + 7]!
			+ centred[k + 8]! * b[r + 8]! + centred[k + 9]! * b[r + 9]! + centred[k + 10]! * b[r + 10]! + centred[k + 11]! * b[r + 11]!;
	}

	return sum / n / (ad * deviation);
}

type Block = {readonly x: number; readonly y: number; readonly scores: Float32Array; readonly best: {dx: number; dy: number; score: number}};

/** Every textured block of `fixed` with its correlation at each displacement within `reach` in `moving`. */
function matchBlocks(fixed: Float32Array, moving: Float32Array, width: number, height: number, reach: number): Block[] {
	const side = 2 * reach + 1;
	const tables = integrals(moving, width, height);
	const centred = new Float64Array(block * block);
	const blocks: Block[] = [];
	for (let y0 = reach; y0 + block + reach <= height; y0 += block) {
		for (let x0 = reach; x0 + block + reach <= width; x0 += block) {
			const own = stats(fixed, width, x0, y0);
			const other = stats(moving, width, x0, y0);
			if (own.deviation < flat && other.deviation < flat) {
				continue;
			}

			// The fixed block less its mean, once for all displacements (the same differences the sum took one by one).
			for (let y = 0, k = 0; y < block; y++) {
				const row = (y0 + y) * width + x0;
				for (let x = 0; x < block; x++, k++) {
					centred[k] = fixed[row + x]! - own.mean;
				}
			}

			const scores = new Float32Array(side * side);
			const best = {dx: 0, dy: 0, score: -2};
			for (let dy = -reach; dy <= reach; dy++) {
				for (let dx = -reach; dx <= reach; dx++) {
					const score = ncc(centred, moving, tables, width, x0, y0, dx, dy, own.deviation);
					scores[(dy + reach) * side + dx + reach] = score;
					if (score > best.score) {
						best.dx = dx;
						best.dy = dy;
						best.score = score;
					}
				}
			}

			blocks.push({x: x0 + block / 2, y: y0 + block / 2, scores, best});
		}
	}

	return blocks;
}

/** Least-squares fit of d = c0 + cx * x + cy * y (cy or cx left out when `terms` says so). */
function fitPlane(points: ReadonlyArray<{x: number; y: number; d: number}>, terms: 'x' | 'y' | 'xy'): (x: number, y: number) => number {
	const n = points.length;
	if (n === 0) {
		return () => 0;
	}

	const mx = points.reduce((sum, point) => sum + point.x, 0) / n;
	const my = points.reduce((sum, point) => sum + point.y, 0) / n;
	const md = points.reduce((sum, point) => sum + point.d, 0) / n;
	let xx = 0;
	let yy = 0;
	let xy = 0;
	let xd = 0;
	let yd = 0;
	for (const point of points) {
		const x = terms === 'y' ? 0 : point.x - mx;
		const y = terms === 'x' ? 0 : point.y - my;
		xx += x * x;
		yy += y * y;
		xy += x * y;
		xd += x * (point.d - md);
		yd += y * (point.d - md);
	}

	const det = xx * yy - xy * xy;
	let cx = 0;
	let cy = 0;
	if (terms === 'xy' && Math.abs(det) > 1e-9) {
		cx = (xd * yy - yd * xy) / det;
		cy = (yd * xx - xd * xy) / det;
	} else if (terms === 'x' && xx > 0) {
		cx = xd / xx;
	} else if (terms === 'y' && yy > 0) {
		cy = yd / yy;
	}

	const shiftX = terms === 'y' ? 0 : mx;
	const shiftY = terms === 'x' ? 0 : my;
	return Object.assign((x: number, y: number) => md + cx * (x - shiftX) + cy * (y - shiftY), {cx, cy});
}

type Plane = ReturnType<typeof fitPlane> & {cx?: number; cy?: number};

/** Fits each axis's displacement over the found blocks, then again without those far from the first fit. */
function fitDisplacements(found: readonly Block[], terms: {x: 'x' | 'xy'; y: 'y' | 'xy'}): {fx: Plane; fy: Plane} {
	const fit = (points: readonly Block[]) => ({
		fx: fitPlane(points.map(point => ({x: point.x, y: point.y, d: point.best.dx})), terms.x) as Plane,
		fy: fitPlane(points.map(point => ({x: point.x, y: point.y, d: point.best.dy})), terms.y) as Plane,
	});
	const first = fit(found);
	const core = found.filter(point => Math.hypot(point.best.dx - first.fx(point.x, point.y), point.best.dy - first.fy(point.x, point.y)) <= 2);
	return core.length >= 3 ? fit(core) : first;
}

/**
 * Compares two decoded thumbnails (orientation applied, as scan caches them), placed as the grid check placed them.
 * `passes` when every textured block outside at most one corner is found within `shift` pixels of where a crop of
 * one picture puts it in the other.
 */
export function compareThumbnails(first: Gray, second: Gray, placement: Placement, tuning: ThumbTuning): ThumbMatch {
	// As scan fingerprints a picture: a uniform frame trimmed, then turned as the pair was found.
	const a = turned(trimUniformBorder(first), placement.rotation);
	const b = trimUniformBorder(second);
	const [big, small] = placement.within === 0 ? [a, b] : [b, a];
	const {width, height} = small;
	const fixed = blur(small.gray, width, height);
	// The grid's window is good to about a grid cell (ten pixels here), less when the grid passed the pair uncropped
	// (a centred crop of 10 % passes so): the blocks found near their place correct it, at half size then at full.
	let window = placement.window;
	const half = {width: Math.floor(width / 2), height: Math.floor(height / 2)};
	const rough = matchBlocks(halve(fixed, width, height), halve(blur(warp(big, window, width, height), width, height), width, height), half.width, half.height, searchReach)
		.filter(point => point.best.score >= tuning.found);
	if (rough.length >= 3) {
		const {fx, fy} = fitDisplacements(rough, {x: 'x', y: 'y'});
		// Pixel u of the small picture sits at u + d(u) in the warped window: move the window's edges there.
		const left = fx(0, 0) / half.width;
		const right = (half.width + fx(half.width, 0)) / half.width;
		const top = fy(0, 0) / half.height;
		const bottom = (half.height + fy(0, half.height)) / half.height;
		window = {x: window.x + window.w * left, y: window.y + window.h * top, w: window.w * (right - left), h: window.h * (bottom - top)};
	}

	// At full size, each block is looked for within a few pixels of its place in the corrected window.
	const blocks = matchBlocks(fixed, blur(warp(big, window, width, height), width, height), width, height, reach);
	const found = blocks.filter(point => point.best.score >= tuning.found);
	// A crop or a resize moves columns by their x and rows by their y only; a stereo partner's parallax shifts rows by
	// their height (a shear), another viewpoint turns the frame: both show as cross terms of a full fit.
	const {fx: ax, fy: ay} = fitDisplacements(found, {x: 'xy', y: 'xy'});
	const shear = Math.max(Math.abs(ax.cy ?? 0), Math.abs(ay.cx ?? 0));
	const {fx, fy} = fitDisplacements(found, {x: 'x', y: 'y'});
	const side = 2 * reach + 1;
	const lost: Array<{x: number; y: number}> = [];
	const shifted: Array<{x: number; y: number}> = [];
	for (const point of blocks) {
		const ex = fx(point.x, point.y);
		const ey = fy(point.x, point.y);
		let there = -2;
		for (let dy = -reach; dy <= reach; dy++) {
			for (let dx = -reach; dx <= reach; dx++) {
				if (Math.abs(dx - ex) <= tuning.shift && Math.abs(dy - ey) <= tuning.shift) {
					there = Math.max(there, point.scores[(dy + reach) * side + dx + reach]!);
				}
			}
		}

		if (there < tuning.found) {
			(point.best.score >= tuning.found ? shifted : lost).push(point);
		}
	}

	const failing = [...lost, ...shifted];
	const setAside = cornerShare(failing, width, height);
	const worstShift = Math.max(0, ...found.map(point => Math.hypot(point.best.dx - fx(point.x, point.y), point.best.dy - fy(point.x, point.y))));
	return {
		passes: failing.length - setAside <= tuning.failures * blocks.length && shear <= tuning.shear,
		blocks: blocks.length,
		missing: lost.length,
		shifted: shifted.length,
		setAside,
		worstShift,
		shear,
	};
}

/** How many of these points (failing block centres) lie in the corner region holding most of them, where overlays go. */
function cornerShare(points: ReadonlyArray<{x: number; y: number}>, width: number, height: number): number {
	const region = 0.3;
	let most = 0;
	for (const [left, top] of [[true, true], [true, false], [false, true], [false, false]] as const) {
		const inside = points.filter(point =>
			(left ? point.x < width * region : point.x > width * (1 - region)) && (top ? point.y < height * region : point.y > height * (1 - region)));
		most = Math.max(most, inside.length);
	}

	return most;
}
