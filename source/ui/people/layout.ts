/** Sizes of the people review grid for a terminal size (issue 19). Pure, so 80x24 is tested without a terminal. */
import {cellPosition, fitGrid, type GridLayout} from '../grid-review/layout.js';

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
export type FaceGridLayout = GridLayout;

/** The largest crops that still put `targetPerPage` faces on a page; on a small terminal, the smallest size and as many as fit. */
export function faceGridLayout(columns: number, rows: number): FaceGridLayout {
	return fitGrid(columns, rows, cropSizes, targetPerPage);
}

/** Where the crop of the `index`th face of a page starts on the terminal (1-based row and column; the title is row 1). */
export const cropPosition = cellPosition;
