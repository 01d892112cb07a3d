/** Sizes of the review screen for a terminal size (issue 5). Pure, so 80x24 is tested without a terminal. */

/** Text rows under each picture: header, size line, date, camera and GPS, caption, path, reason. */
export const cardTextRows = 7;
/** Rows around the cards: title, status line, key line, and one spare so Ink never fills the screen (it would clear it). */
export const chromeRows = 4;
/** Narrowest card that still fits "4032x3024 · 12.3 MB · heic". */
export const minCardWidth = 26;

/** How the cards of one cluster fit the terminal. */
export type ReviewLayout = {
	/** Cards shown side by side; more members scroll with left/right. */
	readonly visible: number;
	readonly cardWidth: number;
	/** Picture size in cells (one column left free between cards). */
	readonly pictureColumns: number;
	readonly pictureRows: number;
};

/** Fits `members` cards into `columns` x `rows`. */
export function reviewLayout(columns: number, rows: number, members: number): ReviewLayout {
	const visible = Math.max(1, Math.min(members, Math.floor((columns + 1) / minCardWidth), 4));
	const cardWidth = Math.max(10, Math.floor((columns + 1) / visible) - 1);
	const pictureRows = Math.max(2, rows - chromeRows - cardTextRows);
	// A picture much wider than tall wastes the box: keep it under a 2:1 (cells are twice as tall as wide, so 4:1 in cells).
	const pictureColumns = Math.max(4, Math.min(cardWidth - 1, pictureRows * 4));
	return {visible, cardWidth, pictureColumns, pictureRows};
}

/** First member shown, keeping the chosen one in view. */
export function scrollOffset(selected: number, visible: number, members: number): number {
	return Math.max(0, Math.min(selected - visible + 1 > 0 ? selected - visible + 1 : 0, members - visible));
}
