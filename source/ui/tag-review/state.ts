/** The tag review screen's state and its pure reducer (issue 7): tested without Ink. */
import type {TagReviewItem} from '../../tags/review-types.js';

/** Where the screen is. */
export type TagReviewState = {
	/** Tags under review, in order, and the one on screen. */
	readonly tags: readonly string[];
	readonly tagIndex: number;
	/** The current tag's photos waiting for review, lowest confidence first. */
	readonly items: readonly TagReviewItem[];
	/** First item of the page on screen. */
	readonly offset: number;
	/** Chosen photo, as an index into the page. */
	readonly cursor: number;
	/** Contents (SHA-256) marked wrong on this page. */
	readonly marked: ReadonlySet<string>;
	readonly view: 'grid' | 'help' | 'input';
	/** The tag being typed after `t`. */
	readonly input: string;
	/** What the screen waits for, or null. */
	readonly busy: string | null;
	readonly message: {readonly text: string; readonly error: boolean} | null;
	/** Journal batches of this session, newest last, with the tag they were made under. */
	readonly history: ReadonlyArray<{readonly batch: number; readonly tagIndex: number; readonly confirmed: number; readonly rejected: number}>;
	readonly confirmed: number;
	readonly rejected: number;
};

/** What can happen to the screen. */
export type TagReviewEvent =
	| {readonly type: 'move'; readonly dx: number; readonly dy: number; readonly gridColumns: number}
	| {readonly type: 'page'; readonly delta: number; readonly perPage: number}
	| {readonly type: 'mark'; readonly perPage: number}
	| {readonly type: 'mark-all'; readonly perPage: number}
	| {readonly type: 'view'; readonly view: TagReviewState['view']}
	| {readonly type: 'type'; readonly text: string}
	| {readonly type: 'erase'}
	| {readonly type: 'busy'; readonly text: string}
	| {readonly type: 'failed'; readonly error: string}
	| {readonly type: 'message'; readonly text: string}
	/** A batch was applied: the queue as it is now, and whether marks and counts change. */
	| {readonly type: 'applied'; readonly batch: number; readonly summary: string; readonly items: readonly TagReviewItem[]; readonly confirmed?: number; readonly rejected?: number; readonly clearMarks: boolean}
	/** The tag's queue is empty: on to the next tag, with its queue. */
	| {readonly type: 'next-tag'; readonly items: readonly TagReviewItem[]}
	/** The newest batch was undone; the screen returns to its tag, with that tag's queue. */
	| {readonly type: 'undone'; readonly summary: string; readonly items: readonly TagReviewItem[]};

/** The state a session starts in. */
export function initialTagState(tags: readonly string[], items: readonly TagReviewItem[]): TagReviewState {
	return {tags, tagIndex: 0, items, offset: 0, cursor: 0, marked: new Set(), view: 'grid', input: '', busy: null, message: null, history: [], confirmed: 0, rejected: 0};
}

/** The photos of the page on screen. */
export function pageOf(state: TagReviewState, perPage: number): readonly TagReviewItem[] {
	return state.items.slice(state.offset, state.offset + perPage);
}

/** Whether every tag is done: the last tag's queue is empty. */
export function finishedTags(state: TagReviewState): boolean {
	return state.items.length === 0 && state.tagIndex >= state.tags.length - 1;
}

const clampCursor = (state: TagReviewState, perPage: number) => Math.max(0, Math.min(state.cursor, Math.min(perPage, state.items.length - state.offset) - 1));

/** Applies one event. */
export function reduceTags(state: TagReviewState, event: TagReviewEvent): TagReviewState {
	switch (event.type) {
		case 'move': {
			const onPage = Math.max(0, state.items.length - state.offset);
			const target = state.cursor + event.dx + event.dy * event.gridColumns;
			return target >= 0 && target < onPage ? {...state, cursor: target, message: null} : state;
		}

		case 'page': {
			const offset = state.offset + event.delta * event.perPage;
			if (offset < 0 || offset >= state.items.length) {
				return {...state, message: {text: event.delta > 0 ? 'This is the last page of this tag.' : 'This is the first page.', error: false}};
			}

			return {...state, offset, cursor: 0, marked: new Set(), message: null};
		}

		case 'mark': {
			const item = pageOf(state, event.perPage)[state.cursor];
			if (!item) {
				return state;
			}

			const marked = new Set(state.marked);
			if (marked.has(item.sha256)) {
				marked.delete(item.sha256);
			} else {
				marked.add(item.sha256);
			}

			return {...state, marked, message: null};
		}

		case 'mark-all': {
			const page = pageOf(state, event.perPage);
			const all = page.every(item => state.marked.has(item.sha256));
			return {...state, marked: all ? new Set() : new Set(page.map(item => item.sha256)), message: null};
		}

		case 'view': {
			return {...state, view: state.view === event.view ? 'grid' : event.view, input: '', message: null};
		}

		case 'type': {
			return {...state, input: state.input + event.text};
		}

		case 'erase': {
			return {...state, input: [...state.input].slice(0, -1).join('')};
		}

		case 'busy': {
			return {...state, busy: event.text, message: null};
		}

		case 'failed': {
			return {...state, busy: null, view: 'grid', input: '', message: {text: event.error, error: true}};
		}

		case 'message': {
			return {...state, message: {text: event.text, error: false}};
		}

		case 'applied': {
			const next = {
				...state,
				items: event.items,
				busy: null,
				view: 'grid' as const,
				input: '',
				message: {text: event.summary, error: false},
				history: [...state.history, {batch: event.batch, tagIndex: state.tagIndex, confirmed: event.confirmed ?? 0, rejected: event.rejected ?? 0}],
				confirmed: state.confirmed + (event.confirmed ?? 0),
				rejected: state.rejected + (event.rejected ?? 0),
				marked: event.clearMarks ? new Set<string>() : state.marked,
			};
			// Decided photos left the queue, so the same offset now shows the next undecided ones.
			const offset = next.offset >= next.items.length ? 0 : next.offset;
			// A decided page starts the next one at its first photo; other changes keep the place.
			return {...next, offset, cursor: event.clearMarks ? 0 : clampCursor({...next, offset}, Number.POSITIVE_INFINITY)};
		}

		case 'next-tag': {
			return {...state, tagIndex: state.tagIndex + 1, items: event.items, offset: 0, cursor: 0, marked: new Set()};
		}

		case 'undone': {
			const last = state.history.at(-1);
			return {
				...state,
				tagIndex: last?.tagIndex ?? state.tagIndex,
				items: event.items,
				offset: 0,
				cursor: 0,
				marked: new Set(),
				busy: null,
				message: {text: event.summary, error: false},
				history: state.history.slice(0, -1),
				confirmed: state.confirmed - (last?.confirmed ?? 0),
				rejected: state.rejected - (last?.rejected ?? 0),
			};
		}
	}
}
