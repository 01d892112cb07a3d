/**
 * A grid review's state and its pure reducer (issues 7, 19), tested without Ink: the queue of one section (a tag, a
 * group of faces) paged into a grid, a cursor, the marks of the page, a typed line, and this session's journal batches.
 */

/** What a screen counts per batch (confirmed, rejected, …); the totals go in the title. */
export type Counts = Readonly<Record<string, number>>;

/** Where a grid review is. */
export type GridState<Section, Item, Id, Purpose extends string, C extends Counts> = {
	/** Sections under review, in order, and the one on screen. */
	readonly sections: readonly Section[];
	readonly sectionIndex: number;
	/** The current section's items waiting for review. */
	readonly items: readonly Item[];
	/** First item of the page on screen. */
	readonly offset: number;
	/** Chosen item, as an index into the page. */
	readonly cursor: number;
	/** Items marked wrong on this page. */
	readonly marked: ReadonlySet<Id>;
	readonly view: 'grid' | 'help' | 'input';
	/** What the typed line is for. */
	readonly purpose: Purpose | null;
	readonly input: string;
	/** What the screen waits for, or null. */
	readonly busy: string | null;
	readonly message: {readonly text: string; readonly error: boolean} | null;
	/** Journal batches of this session, newest last, with the section they were made in and what they counted. */
	readonly history: ReadonlyArray<{readonly batch: number; readonly sectionIndex: number; readonly counts: C}>;
	/** This session's totals. */
	readonly counts: C;
};

/** What can happen to a grid review. */
export type GridEvent<Item, Purpose extends string, C extends Counts> =
	| {readonly type: 'move'; readonly dx: number; readonly dy: number; readonly gridColumns: number}
	| {readonly type: 'page'; readonly delta: number; readonly perPage: number}
	| {readonly type: 'mark'; readonly perPage: number}
	| {readonly type: 'mark-all'; readonly perPage: number}
	| {readonly type: 'help'}
	| {readonly type: 'ask'; readonly purpose: Purpose}
	| {readonly type: 'close'}
	| {readonly type: 'type'; readonly text: string}
	| {readonly type: 'erase'}
	| {readonly type: 'busy'; readonly text: string}
	| {readonly type: 'failed'; readonly error: string}
	| {readonly type: 'message'; readonly text: string}
	/**
	 * A batch was applied: the queue as it is now, what it counted, whether the page's marks go, and whether the
	 * cursor starts the page again (a decided page) or keeps its place.
	 */
	| {readonly type: 'applied'; readonly batch: number; readonly summary: string; readonly items: readonly Item[]; readonly counts: Partial<C>; readonly clearMarks: boolean; readonly restart: boolean}
	/** The section's queue is empty: on to the next section, with its queue. */
	| {readonly type: 'next-section'; readonly items: readonly Item[]}
	/** The newest batch was undone; the screen returns to its section, with that section's queue. */
	| {readonly type: 'undone'; readonly summary: string; readonly items: readonly Item[]};

/** The state a session starts in; `zero` names every count. */
export function initialGridState<Section, Item, Id, Purpose extends string, C extends Counts>(
	sections: readonly Section[],
	items: readonly Item[],
	zero: C,
): GridState<Section, Item, Id, Purpose, C> {
	return {sections, sectionIndex: 0, items, offset: 0, cursor: 0, marked: new Set(), view: 'grid', purpose: null, input: '', busy: null, message: null, history: [], counts: zero};
}

/** The items of the page on screen. */
export function pageOf<Item>(state: {readonly items: readonly Item[]; readonly offset: number}, perPage: number): readonly Item[] {
	return state.items.slice(state.offset, state.offset + perPage);
}

/** Whether every section is done: the last one's queue is empty. */
export function finished(state: {readonly items: readonly unknown[]; readonly sectionIndex: number; readonly sections: readonly unknown[]}): boolean {
	return state.items.length === 0 && state.sectionIndex >= state.sections.length - 1;
}

/** Whether the page on screen is the section's last. */
export function onLastPage(state: {readonly items: readonly unknown[]; readonly offset: number}, perPage: number): boolean {
	return state.offset + perPage >= state.items.length;
}

/** `counts` with each of `change` added `sign` times (a count `change` leaves out adds nothing). */
function addCounts<C extends Counts>(counts: C, change: Partial<C>, sign: number): C {
	return Object.fromEntries(Object.entries(counts).map(([name, value]) => [name, value + sign * (change[name] ?? 0)])) as C;
}

/** A batch's counts, with every name the totals have. */
function batchCounts<C extends Counts>(totals: C, change: Partial<C>): C {
	return Object.fromEntries(Object.keys(totals).map(name => [name, change[name] ?? 0])) as C;
}

/** Words the reducer writes into a screen's messages. */
export type GridWords = {
	/** Said when paging past the last page. */
	readonly lastPage: string;
};

/** The reducer of a grid whose items are told apart by `idOf`. */
export function gridReducer<Section, Item, Id, Purpose extends string, C extends Counts>(idOf: (item: Item) => Id, words: GridWords) {
	type State = GridState<Section, Item, Id, Purpose, C>;
	return function reduce(state: State, event: GridEvent<Item, Purpose, C>): State {
		switch (event.type) {
			case 'move': {
				const onPage = Math.max(0, state.items.length - state.offset);
				const target = state.cursor + event.dx + event.dy * event.gridColumns;
				return target >= 0 && target < onPage ? {...state, cursor: target, message: null} : state;
			}

			case 'page': {
				const offset = state.offset + event.delta * event.perPage;
				if (offset < 0 || offset >= state.items.length) {
					return {...state, message: {text: event.delta > 0 ? words.lastPage : 'This is the first page.', error: false}};
				}

				return {...state, offset, cursor: 0, marked: new Set(), message: null};
			}

			case 'mark': {
				const item = pageOf(state, event.perPage)[state.cursor];
				if (!item) {
					return state;
				}

				const marked = new Set(state.marked);
				if (marked.has(idOf(item))) {
					marked.delete(idOf(item));
				} else {
					marked.add(idOf(item));
				}

				return {...state, marked, message: null};
			}

			case 'mark-all': {
				const page = pageOf(state, event.perPage);
				const all = page.every(item => state.marked.has(idOf(item)));
				return {...state, marked: all ? new Set() : new Set(page.map(item => idOf(item))), message: null};
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
					marked: event.clearMarks ? new Set<Id>() : state.marked,
					message: {text: event.summary, error: false},
					history: [...state.history, {batch: event.batch, sectionIndex: state.sectionIndex, counts: batchCounts(state.counts, event.counts)}],
					counts: addCounts(state.counts, event.counts, 1),
				};
				// Decided items left the queue, so the same offset now shows the next undecided ones.
				const offset = next.offset >= next.items.length ? 0 : next.offset;
				// A decided page starts the next one at its first item; other changes keep the place.
				return {...next, offset, cursor: event.restart ? 0 : Math.max(0, Math.min(state.cursor, next.items.length - offset - 1))};
			}

			case 'next-section': {
				// The message stays: after a decision empties a section, what it did is still worth reading on the next one.
				return {...state, sectionIndex: state.sectionIndex + 1, items: event.items, offset: 0, cursor: 0, marked: new Set()};
			}

			case 'undone': {
				const last = state.history.at(-1);
				return {
					...state,
					sectionIndex: last?.sectionIndex ?? state.sectionIndex,
					items: event.items,
					offset: 0,
					cursor: 0,
					marked: new Set(),
					busy: null,
					message: {text: event.summary, error: false},
					history: state.history.slice(0, -1),
					counts: last ? addCounts(state.counts, last.counts, -1) : state.counts,
				};
			}
		}
	};
}
