/**
 * Small geometric operations on single-channel images, used to make perceptual hashes survive the edits people make
 * to copies: a frame added around a photo, a rotation by a viewer that rewrote the pixels. Pure.
 */

/** A single-channel image. */
export type Gray = {readonly gray: Float32Array; readonly width: number; readonly height: number};

/** Largest share of each side that border trimming may remove. */
const maxTrim = 0.25;

function rowStats(image: Gray, y: number, x0: number, x1: number): {mean: number; spread: number} {
	let min = Infinity;
	let max = -Infinity;
	let sum = 0;
	for (let x = x0; x < x1; x++) {
		const v = image.gray[y * image.width + x]!;
		sum += v;
		min = Math.min(min, v);
		max = Math.max(max, v);
	}

	return {mean: sum / Math.max(1, x1 - x0), spread: max - min};
}

function columnStats(image: Gray, x: number, y0: number, y1: number): {mean: number; spread: number} {
	let min = Infinity;
	let max = -Infinity;
	let sum = 0;
	for (let y = y0; y < y1; y++) {
		const v = image.gray[y * image.width + x]!;
		sum += v;
		min = Math.min(min, v);
		max = Math.max(max, v);
	}

	return {mean: sum / Math.max(1, y1 - y0), spread: max - min};
}

/**
 * Removes a uniform frame (a border a tool added around the photo). Only a frame counts: all four outermost lines
 * must be flat and of one colour, so a photo with a clear sky at the top is never cut, and an original and its
 * framed copy end up with the same picture.
 */
export function trimUniformBorder(image: Gray, tolerance = 10): Gray {
	const {width, height} = image;
	if (width < 8 || height < 8) {
		return image;
	}

	const edges = [rowStats(image, 0, 0, width), rowStats(image, height - 1, 0, width), columnStats(image, 0, 0, height), columnStats(image, width - 1, 0, height)];
	const colour = edges[0]!.mean;
	if (edges.some(edge => edge.spread > tolerance * 2 || Math.abs(edge.mean - colour) > tolerance)) {
		return image;
	}

	const flat = (stats: {mean: number; spread: number}) => stats.spread <= tolerance * 2 && Math.abs(stats.mean - colour) <= tolerance;
	let top = 0;
	while (top < height * maxTrim && flat(rowStats(image, top, 0, width))) {
		top++;
	}

	let bottom = height;
	while (height - bottom < height * maxTrim && flat(rowStats(image, bottom - 1, 0, width))) {
		bottom--;
	}

	let left = 0;
	while (left < width * maxTrim && flat(columnStats(image, left, top, bottom))) {
		left++;
	}

	let right = width;
	while (width - right < width * maxTrim && flat(columnStats(image, right - 1, top, bottom))) {
		right--;
	}

	const newWidth = right - left;
	const newHeight = bottom - top;
	if (newWidth < 4 || newHeight < 4 || (newWidth === width && newHeight === height)) {
		return image;
	}

	const gray = new Float32Array(newWidth * newHeight);
	for (let y = 0; y < newHeight; y++) {
		gray.set(image.gray.subarray((y + top) * width + left, (y + top) * width + right), y * newWidth);
	}

	return {gray, width: newWidth, height: newHeight};
}

/** Rotates clockwise by 90, 180 or 270 degrees. */
export function rotateGray(image: Gray, degrees: 90 | 180 | 270): Gray {
	const {gray, width, height} = image;
	const turned = degrees === 180 ? {width, height} : {width: height, height: width};
	const out = new Float32Array(width * height);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const v = gray[y * width + x]!;
			let nx: number;
			let ny: number;
			if (degrees === 90) {
				nx = height - 1 - y;
				ny = x;
			} else if (degrees === 180) {
				nx = width - 1 - x;
				ny = height - 1 - y;
			} else {
				nx = y;
				ny = width - 1 - x;
			}

			out[ny * turned.width + nx] = v;
		}
	}

	return {gray: out, ...turned};
}
