/** Sizes of a grid review for a terminal size (issues 7, 19). Pure, so 80x24 is tested without a terminal. */

/** Rows around the grid: title, status line, key line, and one spare so Ink never fills the screen (it would clear it). */
export const chromeRows = 4;

/** How the grid fits the terminal. */
export type GridLayout = {
	readonly gridColumns: number;
	readonly gridRows: number;
	readonly perPage: number;
	readonly pictureColumns: number;
	readonly pictureRows: number;
};

/**
 * The largest of `sizes` (picture sizes in cells, largest first) that still puts `targetPerPage` items on a page; on a
 * small terminal, the smallest size and as many as fit. Each cell is its picture, one label row under it and one free
 * column beside it.
 */
export function fitGrid(columns: number, rows: number, sizes: ReadonlyArray<readonly [columns: number, rows: number]>, targetPerPage: number): GridLayout {
	const fit = ([pictureColumns, pictureRows]: readonly [number, number]) => {
		const gridColumns = Math.max(1, Math.floor((columns + 1) / (pictureColumns + 1)));
		const gridRows = Math.max(1, Math.floor((rows - chromeRows) / (pictureRows + 1)));
		return {gridColumns, gridRows, perPage: gridColumns * gridRows, pictureColumns, pictureRows};
	};

	return sizes.map(size => fit(size)).find(layout => layout.perPage >= targetPerPage) ?? fit(sizes.at(-1)!);
}

/** Where the picture of the `index`th item of a page starts on the terminal (1-based row and column; the title is row 1). */
export function cellPosition(layout: GridLayout, index: number): {readonly row: number; readonly column: number} {
	const gridRow = Math.floor(index / layout.gridColumns);
	const gridColumn = index % layout.gridColumns;
	return {row: 2 + gridRow * (layout.pictureRows + 1), column: 1 + gridColumn * (layout.pictureColumns + 1)};
}
