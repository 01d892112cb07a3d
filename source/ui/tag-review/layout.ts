/** Sizes of the tag review grid for a terminal size (issue 7). Pure, so 80x24 is tested without a terminal. */

/** Rows around the grid: title, status line, key line, and one spare so Ink never fills the screen (it would clear it). */
export const chromeRows = 4;

/** Photos a page should hold: a page of about 20 takes a few keystrokes. */
export const targetPerPage = 20;

/** Thumbnail sizes in cells, largest first (cells are twice as tall as wide, so each is near 3:2 in pixels). */
export const pictureSizes: ReadonlyArray<readonly [columns: number, rows: number]> = [
	[24, 8],
	[20, 7],
	[16, 6],
	[14, 5],
	[12, 4],
];

/** How the grid fits the terminal. */
export type GridLayout = {
	readonly gridColumns: number;
	readonly gridRows: number;
	readonly perPage: number;
	readonly pictureColumns: number;
	readonly pictureRows: number;
};

/**
 * The largest thumbnails that still put `targetPerPage` photos on a page; on a small terminal, the smallest size and
 * as many as fit. Each cell is its picture, one label row under it and one free column beside it.
 */
export function gridLayout(columns: number, rows: number): GridLayout {
	const fit = ([pictureColumns, pictureRows]: readonly [number, number]) => {
		const gridColumns = Math.max(1, Math.floor((columns + 1) / (pictureColumns + 1)));
		const gridRows = Math.max(1, Math.floor((rows - chromeRows) / (pictureRows + 1)));
		return {gridColumns, gridRows, perPage: gridColumns * gridRows, pictureColumns, pictureRows};
	};

	return pictureSizes.map(size => fit(size)).find(layout => layout.perPage >= targetPerPage) ?? fit(pictureSizes.at(-1)!);
}
