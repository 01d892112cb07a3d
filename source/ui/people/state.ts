/** The people review screen's state and its pure reducer (issue 19): tested without Ink. */
import type {FaceReviewItem, PeopleGroup} from '../../faces/people-review-types.js';

/** What the typed line is for: naming the page (unnamed group), naming the marked or chosen faces, or a merge. */
export type InputPurpose = 'name-page' | 'name-faces' | 'merge';

/** Where the screen is. */
export type PeopleReviewState = {
	readonly groups: readonly PeopleGroup[];
	readonly groupIndex: number;
	/** The current group's faces. */
	readonly items: readonly FaceReviewItem[];
	/** First item of the page on screen. */
	readonly offset: number;
	/** Chosen face, as an index into the page. */
	readonly cursor: number;
	/** Face ids marked wrong on this page. */
	readonly marked: ReadonlySet<number>;
	readonly view: 'grid' | 'help' | 'input';
	readonly purpose: InputPurpose | null;
	readonly input: string;
	readonly busy: string | null;
	readonly message: {readonly text: string; readonly error: boolean} | null;
	/** Journal batches of this session, newest last, with the group they were made in and what they counted. */
	readonly history: ReadonlyArray<{readonly batch: number; readonly groupIndex: number; readonly confirmed: number; readonly rejected: number; readonly named: number}>;
	readonly confirmed: number;
	readonly rejected: number;
	readonly named: number;
};

/** What can happen to the screen. */
export type PeopleReviewEvent =
	| {readonly type: 'move'; readonly dx: number; readonly dy: number; readonly gridColumns: number}
	| {readonly type: 'page'; readonly delta: number; readonly perPage: number}
	| {readonly type: 'mark'; readonly perPage: number}
	| {readonly type: 'mark-all'; readonly perPage: number}
	| {readonly type: 'help'}
	| {readonly type: 'ask'; readonly purpose: InputPurpose}
	| {readonly type: 'close'}
	| {readonly type: 'type'; readonly text: string}
	| {readonly type: 'erase'}
	| {readonly type: 'busy'; readonly text: string}
	| {readonly type: 'failed'; readonly error: string}
	| {readonly type: 'message'; readonly text: string}
	| {readonly type: 'applied'; readonly batch: number; readonly summary: string; readonly items: readonly FaceReviewItem[]; readonly confirmed: number; readonly rejected: number; readonly named: number}
	/** On to the next group, with its faces. */
	| {readonly type: 'next-group'; readonly items: readonly FaceReviewItem[]}
	/** The newest batch was undone; the screen returns to its group, with that group's faces. */
	| {readonly type: 'undone'; readonly summary: string; readonly items: readonly FaceReviewItem[]};

/** The state a session starts in. */
export function initialPeopleState(groups: readonly PeopleGroup[], items: readonly FaceReviewItem[]): PeopleReviewState {
	return {groups, groupIndex: 0, items, offset: 0, cursor: 0, marked: new Set(), view: 'grid', purpose: null, input: '', busy: null, message: null, history: [], confirmed: 0, rejected: 0, named: 0};
}

/** The faces of the page on screen. */
export function pageOf(state: PeopleReviewState, perPage: number): readonly FaceReviewItem[] {
	return state.items.slice(state.offset, state.offset + perPage);
}

/** Whether the last group is done (its queue empty). */
export function finishedGroups(state: PeopleReviewState): boolean {
	return state.items.length === 0 && state.groupIndex >= state.groups.length - 1;
}

/** Whether the page on screen is the group's last. */
export function onLastPage(state: PeopleReviewState, perPage: number): boolean {
	return state.offset + perPage >= state.items.length;
}

/** Applies one event. */
export function reducePeople(state: PeopleReviewState, event: PeopleReviewEvent): PeopleReviewState {
	switch (event.type) {
		case 'move': {
			const onPage = Math.max(0, state.items.length - state.offset);
			const target = state.cursor + event.dx + event.dy * event.gridColumns;
			return target >= 0 && target < onPage ? {...state, cursor: target, message: null} : state;
		}

		case 'page': {
			const offset = state.offset + event.delta * event.perPage;
			if (offset < 0 || offset >= state.items.length) {
				return {...state, message: {text: event.delta > 0 ? 'This is the last page.' : 'This is the first page.', error: false}};
			}

			return {...state, offset, cursor: 0, marked: new Set(), message: null};
		}

		case 'mark': {
			const item = pageOf(state, event.perPage)[state.cursor];
			if (!item) {
				return state;
			}

			const marked = new Set(state.marked);
			if (marked.has(item.faceId)) {
				marked.delete(item.faceId);
			} else {
				marked.add(item.faceId);
			}

			return {...state, marked, message: null};
		}

		case 'mark-all': {
			const page = pageOf(state, event.perPage);
			const all = page.every(item => state.marked.has(item.faceId));
			return {...state, marked: all ? new Set() : new Set(page.map(item => item.faceId)), message: null};
		}

		case 'help': {
			return {...state, view: state.view === 'help' ? 'grid' : 'help', purpose: null, input: '', message: null};
		}

		case 'ask': {
			return {...state, view: 'input', purpose: event.purpose, input: '', message: null};
		}

		case 'close': {
			return {...state, view: 'grid', purpose: null, input: ''};
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
			return {...state, busy: null, view: 'grid', purpose: null, input: '', message: {text: event.error, error: true}};
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
				purpose: null,
				input: '',
				marked: new Set<number>(),
				message: {text: event.summary, error: false},
				history: [...state.history, {batch: event.batch, groupIndex: state.groupIndex, confirmed: event.confirmed, rejected: event.rejected, named: event.named}],
				confirmed: state.confirmed + event.confirmed,
				rejected: state.rejected + event.rejected,
				named: state.named + event.named,
			};
			// Decided faces left the queue, so the same offset now shows the next undecided ones.
			const offset = next.offset >= next.items.length ? 0 : next.offset;
			return {...next, offset, cursor: Math.max(0, Math.min(state.cursor, next.items.length - offset - 1))};
		}

		case 'next-group': {
			// The message stays: after a decision empties a group, what it did is still worth reading on the next one.
			return {...state, groupIndex: state.groupIndex + 1, items: event.items, offset: 0, cursor: 0, marked: new Set()};
		}

		case 'undone': {
			const last = state.history.at(-1);
			return {
				...state,
				groupIndex: last?.groupIndex ?? state.groupIndex,
				items: event.items,
				offset: 0,
				cursor: 0,
				marked: new Set(),
				busy: null,
				message: {text: event.summary, error: false},
				history: state.history.slice(0, -1),
				confirmed: state.confirmed - (last?.confirmed ?? 0),
				rejected: state.rejected - (last?.rejected ?? 0),
				named: state.named - (last?.named ?? 0),
			};
		}
	}
}
