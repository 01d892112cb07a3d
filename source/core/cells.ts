/**
 * Pictures as terminal text (issue 5): two pixels per character cell with the upper half block (foreground = top
 * pixel, background = bottom pixel), or, where colour is not allowed (NO_COLOR), a greyscale ASCII shade picture.
 * Pure, so the output for given pixels is always the same, and fast enough to render a screen in a few milliseconds.
 */

/** How pixels become cells: 24-bit colour, the xterm 256-colour palette, or ASCII shades without any colour. */
export type CellMode = 'truecolor' | 'ansi256' | 'grey';

const upperHalf = '▀';
const reset = '\u001B[0m';
// From light to dense: on a dark terminal a bright pixel is drawn with more ink.
const shades = ' .:-=+*#%@';

function ansi256(r: number, g: number, b: number): number {
	// The grey ramp (232–255) is finer than the cube's diagonal, so near-greys use it.
	if (Math.max(r, g, b) - Math.min(r, g, b) < 10) {
		const grey = Math.round(((r + g + b) / 3 - 8) / 10);
		return grey < 0 ? 16 : grey > 23 ? 231 : 232 + grey;
	}

	const level = (value: number) => Math.round((value / 255) * 5);
	return 16 + 36 * level(r) + 6 * level(g) + level(b);
}

function colour(mode: CellMode, layer: 38 | 48, pixels: Uint8Array, offset: number): string {
	const r = pixels[offset]!;
	const g = pixels[offset + 1]!;
	const b = pixels[offset + 2]!;
	return mode === 'truecolor' ? `${layer};2;${r};${g};${b}` : `${layer};5;${ansi256(r, g, b)}`;
}

/**
 * Encodes RGB pixels (`width` x `height`, 3 bytes each; `height` even) as `height / 2` lines of `width` cells.
 * Colour lines end with a reset, so nothing bleeds into the text after them.
 */
export function encodeCells(pixels: Uint8Array, width: number, height: number, mode: CellMode): string[] {
	const lines: string[] = [];
	for (let y = 0; y + 1 < height; y += 2) {
		let line = '';
		let previousTop = '';
		let previousBottom = '';
		for (let x = 0; x < width; x++) {
			const top = (y * width + x) * 3;
			const bottom = top + width * 3;
			if (mode === 'grey') {
				const luma = (p: number) => 0.299 * pixels[p]! + 0.587 * pixels[p + 1]! + 0.114 * pixels[p + 2]!;
				const level = (luma(top) + luma(bottom)) / 2 / 255;
				line += shades[Math.min(shades.length - 1, Math.round(level * (shades.length - 1)))];
				continue;
			}

			// Only the layer that changed is written: Ink re-parses every escape on every frame, so fewer is faster.
			const topCode = colour(mode, 38, pixels, top);
			const bottomCode = colour(mode, 48, pixels, bottom);
			const codes = [topCode === previousTop ? '' : topCode, bottomCode === previousBottom ? '' : bottomCode].filter(Boolean);
			line += codes.length === 0 ? upperHalf : `\u001B[${codes.join(';')}m${upperHalf}`;
			previousTop = topCode;
			previousBottom = bottomCode;
		}

		lines.push(mode === 'grey' ? line : line + reset);
	}

	return lines;
}

/** The pixel size of a `sourceWidth` x `sourceHeight` picture fitted into `columns` x `rows` cells (two pixels a cell). */
export function fitCells(sourceWidth: number, sourceHeight: number, columns: number, rows: number): {width: number; height: number} {
	const scale = Math.min(columns / sourceWidth, (rows * 2) / sourceHeight);
	const width = Math.max(1, Math.min(columns, Math.round(sourceWidth * scale)));
	// Whole cells: an odd pixel row would leave half a cell undefined.
	const height = Math.max(2, Math.min(rows * 2, Math.round((sourceHeight * scale) / 2) * 2));
	return {width, height};
}

/** Centres picture lines (`width` cells each) in a box of `columns` x `rows` cells, padding with spaces. */
export function centreCells(lines: readonly string[], width: number, columns: number, rows: number): string {
	const left = Math.floor((columns - width) / 2);
	const top = Math.floor((rows - lines.length) / 2);
	const blank = ' '.repeat(columns);
	const out: string[] = [];
	for (let row = 0; row < rows; row++) {
		const line = lines[row - top];
		out.push(line === undefined ? blank : ' '.repeat(left) + line + ' '.repeat(columns - width - left));
	}

	return out.join('\n');
}
