/** Sizes of the tag review grid for a terminal size (issue 7). Pure, so 80x24 is tested without a terminal. */
import {fitGrid, type GridLayout} from '../grid-review/layout.js';

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

export type {GridLayout} from '../grid-review/layout.js';

/** The largest thumbnails that still put `targetPerPage` photos on a page; on a small terminal, the smallest size and as many as fit. */
export function gridLayout(columns: number, rows: number): GridLayout {
	return fitGrid(columns, rows, pictureSizes, targetPerPage);
}
