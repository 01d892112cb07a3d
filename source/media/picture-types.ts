/**
 * What the review screens ask of terminal pictures (issue 5), declared beside the renderers in media/ that provide
 * them, so media/ need not import review/ (issue 14: no cycles between folders). `review/types.ts` re-exports them.
 */
import type {Format, MediaKind} from '../core/types.js';

/** A rendered picture request: a member's thumbnail at a size in terminal cells. */
export type PictureRequest = {
	readonly sha256: string;
	readonly thumb: string | null;
	readonly columns: number;
	readonly rows: number;
};

/** Where the screen gets terminal pictures: a synchronous peek at the cache and an asynchronous render. */
export type PictureSource = {
	/** The rendered picture when it is cached, else undefined (never blocks). */
	readonly peek: (request: PictureRequest) => string | undefined;
	/** Renders (or returns the cached) picture: `rows` lines of exactly `columns` cells. */
	readonly load: (request: PictureRequest) => Promise<string>;
	/** Renders these in the background, one at a time, so the next clusters show at once. */
	readonly preload: (requests: readonly PictureRequest[]) => void;
};

/** The photo the large view draws with terminal graphics. */
export type GraphicsRequest = {
	/** Library-relative path of the original. */
	readonly path: string;
	readonly sha256: string;
	readonly format: Format;
	readonly kind: MediaKind;
	readonly orientation: number | null;
};

/** Where on the terminal a graphic goes: 1-based row and column of its top-left cell, and its size in cells. */
export type GraphicsBox = {readonly row: number; readonly column: number; readonly columns: number; readonly rows: number};

/**
 * Terminal graphics (kitty, iTerm2) for the large view, drawn outside Ink's frame. Absent where the terminal has
 * none (tmux, NO_COLOR, plain terminals): the large view then uses the half-block picture.
 */
export type GraphicsSource = {
	/** The protocol's name, for the help. */
	readonly name: string;
	/** Draws the photo into the box (after Ink's frame is out); rejects when there is no preview to draw. */
	readonly show: (request: GraphicsRequest, box: GraphicsBox) => Promise<void>;
	/** Erases what `show` drew and cancels a draw still on its way; called before Ink draws anything else. */
	readonly hide: () => void;
};
