import {type Key, useApp, useInput} from 'ink';
import {useCallback, useEffect, useReducer, useRef} from 'react';
import {sanitize} from '../../core/sanitize.js';
import type {KeyFlags} from '../keymap.js';
import {composable, type GridAction} from './keymap.js';
import {type Counts, finished, type GridEvent, type GridState, initialGridState, onLastPage, pageOf} from './state.js';

/** What a screen's own actions see and can do. */
export type GridContext<Section, Item, Id, Purpose extends string, C extends Counts> = {
	readonly state: GridState<Section, Item, Id, Purpose, C>;
	/** The section on screen. */
	readonly section: Section;
	readonly page: readonly Item[];
	readonly dispatch: (event: GridEvent<Item, Purpose, C>) => void;
	/** The marked items of the page, else the chosen one. */
	readonly chosenOrMarked: () => readonly Item[];
	/**
	 * Makes one change to the library (one journal batch) while keys are dropped, then shows the section's queue as it
	 * is now: `clearMarks` drops the page's marks, `restart` puts the cursor on the page's first item.
	 */
	readonly run: (
		label: string,
		call: () => Promise<{readonly batch: number; readonly summary: string}>,
		counts: Partial<C>,
		after: {readonly clearMarks: boolean; readonly restart: boolean},
	) => void;
};

/** Actions every grid handles alike; a screen handles the rest (and `accept`). */
type SharedAction = Exclude<GridAction, 'accept'>;

/** What makes one grid review. */
export type GridReviewOptions<Action extends string, Section, Item, Id, Purpose extends string, C extends Counts> = {
	readonly sections: readonly Section[];
	/** Every count, at zero. */
	readonly zero: C;
	/** A section's items waiting for review, read again after each change. */
	readonly queue: (section: Section) => readonly Item[];
	/** Undoes one journal batch of this session. */
	readonly undo: (batch: number) => Promise<{readonly summary: string}>;
	readonly reduce: (state: GridState<Section, Item, Id, Purpose, C>, event: GridEvent<Item, Purpose, C>) => GridState<Section, Item, Id, Purpose, C>;
	readonly idOf: (item: Item) => Id;
	readonly layout: {readonly perPage: number; readonly gridColumns: number};
	readonly actionFor: (input: string, key: KeyFlags) => Action | undefined;
	/** Whether the next page after a section's last is the next section's first (else: "the last page"). */
	readonly pageOnToNextSection: boolean;
	/** The screen's own actions, on the grid with a section on screen. */
	readonly onAction: (action: Exclude<Action, SharedAction>, context: GridContext<Section, Item, Id, Purpose, C>) => void;
	/** The typed line, on enter. */
	readonly onSubmit: (typed: string, context: GridContext<Section, Item, Id, Purpose, C>) => void;
};

/**
 * The frame of a grid review (issues 7, 19): a page of items in a grid, arrows move, space marks, n/p page, `u`
 * undoes this session's newest batch, `?` shows the help, keys arriving in one chunk are taken one by one, and keys
 * pressed while a change is written are dropped. The screen adds what its own keys and the typed line mean.
 */
export function useGridReview<Action extends string, Section, Item, Id, Purpose extends string, C extends Counts>(
	options: GridReviewOptions<Action, Section, Item, Id, Purpose, C>,
) {
	const {sections, queue, layout} = options;
	const {exit} = useApp();
	const [state, dispatch] = useReducer(options.reduce, undefined, () => initialGridState<Section, Item, Id, Purpose, C>(sections, sections.length > 0 ? queue(sections[0]!) : [], options.zero));
	const busy = useRef(false);
	busy.current = state.busy !== null;
	const page = pageOf(state, layout.perPage);
	const section = state.sections[state.sectionIndex];
	const done = finished(state);

	// A section whose queue is empty hands over to the next one.
	useEffect(() => {
		if (state.items.length === 0 && state.sectionIndex < state.sections.length - 1) {
			dispatch({type: 'next-section', items: queue(state.sections[state.sectionIndex + 1]!)});
		}
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [state.items, state.sectionIndex, state.sections]);

	const failed = (error: unknown) => {
		dispatch({type: 'failed', error: sanitize(error instanceof Error ? error.message : String(error))});
	};

	const run: GridContext<Section, Item, Id, Purpose, C>['run'] = async (label, call, counts, after) => {
		busy.current = true;
		dispatch({type: 'busy', text: label});
		try {
			const result = await call();
			dispatch({type: 'applied', batch: result.batch, summary: result.summary, items: queue(section!), counts, ...after});
		} catch (error) {
			failed(error);
		}
	};

	const undo = async () => {
		const last = state.history.at(-1);
		if (!last) {
			dispatch({type: 'message', text: 'Nothing to undo in this session (curate undo reaches earlier batches).'});
			return;
		}

		busy.current = true;
		dispatch({type: 'busy', text: 'undoing…'});
		try {
			const {summary} = await options.undo(last.batch);
			dispatch({type: 'undone', summary, items: queue(state.sections[last.sectionIndex]!)});
		} catch (error) {
			failed(error);
		}
	};

	const chosenOrMarked = () => (state.marked.size > 0 ? page.filter(item => state.marked.has(options.idOf(item))) : page.slice(state.cursor, state.cursor + 1));
	const context = section === undefined ? undefined : {state, section, page, dispatch, chosenOrMarked, run};

	const act = (action: Action) => {
		if (action === 'quit') {
			if (state.view === 'grid') {
				exit();
			} else {
				dispatch({type: state.view === 'help' ? 'help' : 'close'});
			}

			return;
		}

		if (action === 'help') {
			dispatch({type: 'help'});
			return;
		}

		if (action === 'undo') {
			void undo();
			return;
		}

		if (done || !context || state.view !== 'grid') {
			return;
		}

		switch (action as GridAction) {
			case 'left':
			case 'right':
			case 'up':
			case 'down': {
				const dx = action === 'left' ? -1 : action === 'right' ? 1 : 0;
				const dy = action === 'up' ? -1 : action === 'down' ? 1 : 0;
				dispatch({type: 'move', dx, dy, gridColumns: layout.gridColumns});
				return;
			}

			case 'mark':
			case 'mark-all': {
				dispatch({type: action as 'mark' | 'mark-all', perPage: layout.perPage});
				return;
			}

			case 'next-page': {
				if (options.pageOnToNextSection && onLastPage(state, layout.perPage) && state.sectionIndex < state.sections.length - 1) {
					dispatch({type: 'next-section', items: queue(state.sections[state.sectionIndex + 1]!)});
					return;
				}

				dispatch({type: 'page', delta: 1, perPage: layout.perPage});
				return;
			}

			case 'previous-page': {
				dispatch({type: 'page', delta: -1, perPage: layout.perPage});
				return;
			}

			default: {
				options.onAction(action as Exclude<Action, SharedAction>, context);
			}
		}
	};

	const submit = (typed: string) => {
		if (context) {
			options.onSubmit(typed, context);
		}
	};

	// Ink re-subscribes a changed input handler only after an effect runs, so a fast key could reach a stale closure;
	// one stable handler that calls the latest closures sees the state of the last render.
	// What is typed, kept beside the reducer's copy: an enter right behind the last letter (one tick, before a render)
	// must submit the whole line.
	const typed = useRef('');
	if (state.view !== 'input') {
		typed.current = '';
	}

	const latest = useRef({act, state, submit, actionFor: options.actionFor});
	latest.current = {act, state, submit, actionFor: options.actionFor};
	const onInput = useCallback((input: string, key: Key) => {
		if (busy.current) {
			// One change at a time: keys pressed while files are written are dropped, never queued behind it.
			return;
		}

		const current = latest.current;
		if (current.state.view === 'input') {
			if (key.escape) {
				dispatch({type: 'close'});
			} else if (key.return) {
				current.submit(typed.current);
			} else if (!key.ctrl && !key.meta && /^[^\u0000-\u001F\u007F]*\r/.test(input)) {
				// A line pasted or typed fast with its enter arrives as one chunk: the text up to the enter, then submit.
				current.submit(typed.current + input.slice(0, input.indexOf('\r')));
			} else if (key.backspace || key.delete) {
				typed.current = [...typed.current].slice(0, -1).join('');
				dispatch({type: 'erase'});
			} else if (!key.ctrl && !key.meta && input && !/[\u0000-\u001F\u007F]/.test(input)) {
				typed.current += input;
				dispatch({type: 'type', text: input});
			}

			return;
		}

		// Keys typed fast (or over a slow SSH link) can arrive as one chunk, which Ink hands over as one string: take
		// them one by one. Moves and marks compose in the reducer; a key that acts on the library ends the chunk
		// unless it comes first, since it would act on the screen as it was before the chunk.
		if (input.length > 1 && !key.ctrl && !key.meta && /^[\u0020-\u007E]+$/.test(input)) {
			for (const [index, character] of [...input].entries()) {
				const action = current.actionFor(character, {});
				if (!action || busy.current || (index > 0 && !composable.has(action))) {
					break;
				}

				current.act(action);
			}

			return;
		}

		const action = current.actionFor(input, key);
		if (action) {
			current.act(action);
		}
	}, []);
	useInput(onInput);

	return {state, page, section, done, chosenOrMarked};
}
