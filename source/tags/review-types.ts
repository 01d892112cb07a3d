/**
 * Plain data the tag review screen works on (issue 7), shared by the engine that builds it from the catalog and the
 * Ink components that only show it: no I/O here.
 */
import type {PictureSource} from '../review/types.js';

/** One photo content waiting for review under a tag. Text fields are raw: the UI sanitises what it prints. */
export type TagReviewItem = {
	readonly sha256: string;
	/** One present file holding the content. */
	readonly path: string;
	/** Absolute path of the scan thumbnail, when there is one. */
	readonly thumb: string | null;
	readonly confidence: number;
	readonly rating: number | null;
};

/** Photos of a tag loaded at once; the screen reloads after every page, so this bounds that cost in a big library. */
export const queueLimit = 1000;

/** What one decision did: its journal batch and a line for the status area. */
export type TagActionResult = {readonly batch: number; readonly summary: string};

/**
 * What the tag review screen can do to a library. Each method that changes something is one journal batch (nothing
 * half done: a failed batch is rolled back) and rejects with an Error whose message the screen shows.
 */
export type TagReviewActions = {
	/** The tag's photos still waiting for review, lowest confidence first (at most `queueLimit`). */
	readonly queue: (tag: string) => readonly TagReviewItem[];
	/** One page decided: `rejected` are wrong, `confirmed` right (written as keywords). */
	readonly decidePage: (tag: string, confirmed: readonly TagReviewItem[], rejected: readonly TagReviewItem[]) => Promise<TagActionResult>;
	/** Adds `tag` (confirmed, by hand) to these photos, written as a keyword. */
	readonly addTag: (tag: string, items: readonly TagReviewItem[]) => Promise<TagActionResult>;
	/** Sets the rating (0–5) of these photos, written as XMP:Rating. */
	readonly rate: (items: readonly TagReviewItem[], rating: number) => Promise<TagActionResult>;
	/** Takes back an earlier batch of this session. */
	readonly undo: (batch: number) => Promise<{readonly summary: string}>;
};

/** Everything the tag review screen needs from outside, so tests can pass small in-memory versions. */
export type TagReviewServices = {
	readonly actions: TagReviewActions;
	readonly pictures: PictureSource;
};
