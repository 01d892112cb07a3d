/** Sizes of the people review grid for a terminal size (issue 19). Pure, so 80x24 is tested without a terminal. */

/** Rows around the grid: title, status line, key line, and one spare so Ink never fills the screen (it would clear it). */
export const chromeRows = 4;

/** Faces a page should hold: few enough that each crop is large enough to recognise someone in half blocks. */
export const targetPerPage = 12;

/** Crop sizes in cells, largest first: twice as wide as tall, since a cell is twice as tall as wide, so crops are square. */
export const cropSizes: ReadonlyArray<readonly [columns: number, rows: number]> = [
	[20, 10],
	[16, 8],
	[14, 7],
	[12, 6],
	[10, 5],
];

/** How the grid fits the terminal. */
export type FaceGridLayout = {
	readonly gridColumns: number;
	readonly gridRows: number;
	readonly perPage: number;
	readonly pictureColumns: number;
	readonly pictureRows: number;
};

/**
 * The largest crops that still put `targetPerPage` faces on a page; on a small terminal, the smallest size and as
 * many as fit. Each cell is its crop, one label row under it and one free column beside it.
 */
export function faceGridLayout(columns: number, rows: number): FaceGridLayout {
	const fit = ([pictureColumns, pictureRows]: readonly [number, number]) => {
		const gridColumns = Math.max(1, Math.floor((columns + 1) / (pictureColumns + 1)));
		const gridRows = Math.max(1, Math.floor((rows - chromeRows) / (pictureRows + 1)));
		return {gridColumns, gridRows, perPage: gridColumns * gridRows, pictureColumns, pictureRows};
	};

	return cropSizes.map(size => fit(size)).find(layout => layout.perPage >= targetPerPage) ?? fit(cropSizes.at(-1)!);
}

/** Where the crop of the `index`th face of a page starts on the terminal (1-based row and column; the title is row 1). */
export function cropPosition(layout: FaceGridLayout, index: number): {readonly row: number; readonly column: number} {
	const gridRow = Math.floor(index / layout.gridColumns);
	const gridColumn = index % layout.gridColumns;
	return {row: 2 + gridRow * (layout.pictureRows + 1), column: 1 + gridColumn * (layout.pictureColumns + 1)};
}
