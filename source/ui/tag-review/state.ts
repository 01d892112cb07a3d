/** The tag review screen's state (issue 7): the grid review's, over tags, with photos told apart by content (SHA-256). */
import type {TagReviewItem} from '../../tags/review-types.js';
import {type GridEvent, type GridState, gridReducer, initialGridState} from '../grid-review/state.js';

/** What a session counts. */
export type TagCounts = {readonly confirmed: number; readonly rejected: number};

/** Where the screen is: sections are the tags, the typed line is a tag to add. */
export type TagReviewState = GridState<string, TagReviewItem, string, 'tag', TagCounts>;

/** What can happen to the screen. */
export type TagReviewEvent = GridEvent<TagReviewItem, 'tag', TagCounts>;

/** The state a session starts in. */
export function initialTagState(tags: readonly string[], items: readonly TagReviewItem[]): TagReviewState {
	return initialGridState(tags, items, {confirmed: 0, rejected: 0});
}

/** Applies one event. */
export const reduceTags: (state: TagReviewState, event: TagReviewEvent) => TagReviewState = gridReducer(
	(item: TagReviewItem) => item.sha256,
	{lastPage: 'This is the last page of this tag.'},
);
