import {Box, type Key, Text, useApp, useInput} from 'ink';
import React, {useCallback, useEffect, useReducer, useRef} from 'react';
import {sanitize} from '../../core/sanitize.js';
import {normaliseTagName} from '../../core/tag-keywords.js';
import {queueLimit, type TagActionResult, type TagReviewServices} from '../../tags/review-types.js';
import {clip} from '../review/fields.js';
import {TagHelpView} from './help-view.js';
import {type TagKeyAction, tagActionFor} from './keymap.js';
import {gridLayout} from './layout.js';
import {finishedTags, initialTagState, pageOf, reduceTags, type TagReviewState} from './state.js';
import {TagCell} from './tag-cell.js';
import {useTerminalSize} from '../use-terminal-size.js';

/** Props of the tag review screen. */
export type Props = {
	/** Tags to review, one after another (each must have photos waiting: the command leaves out empty ones). */
	readonly tags: readonly string[];
	readonly services: TagReviewServices;
	/** The band reviewed: suggestions below this confidence. */
	readonly below: number;
	/** Whether colour and styles may be used (false under NO_COLOR). */
	readonly colour: boolean;
	readonly pictureNote?: string;
	/** Where keywords go, for the help: "to XMP sidecars" or "into the files". */
	readonly target?: string;
	/** Fixed terminal size (tests); by default the terminal's, following resizes. */
	readonly size?: {readonly columns: number; readonly rows: number};
};

/** Actions that only change what the screen shows, so several in one input chunk apply in order. */
const composable = new Set<TagKeyAction>(['left', 'right', 'up', 'down', 'mark', 'mark-all', 'next-page', 'previous-page']);

const keysHelp = '←↑↓→ move · space wrong · enter accept page · t tag · 0-5 rate · u undo · ? · q';

function titleLine(state: TagReviewState, perPage: number, below: number): string {
	const tag = state.tags[state.tagIndex] ?? '';
	const first = state.offset + 1;
	const last = Math.min(state.items.length, state.offset + perPage);
	const tagCount = state.tags.length > 1 ? ` (tag ${state.tagIndex + 1} of ${state.tags.length})` : '';
	const total = `${state.items.length}${state.items.length >= queueLimit ? '+' : ''}`;
	return `${tag}${tagCount} · ${first}–${last} of ${total} below ${below.toFixed(2)} · ✓${state.confirmed} ✗${state.rejected}`;
}

/**
 * The `curate tags review` screen (issue 7): a grid of one tag's doubtful photos, lowest confidence first. Space marks
 * the wrong ones; enter decides the page (one journal batch); the next page moves in.
 */
export function TagReviewScreen({tags, services, below, colour, pictureNote = '', target = 'to XMP sidecars', size}: Props) {
	const {exit} = useApp();
	const {columns, rows} = useTerminalSize(size);
	const [state, dispatch] = useReducer(reduceTags, undefined, () => initialTagState(tags, tags.length > 0 ? services.actions.queue(tags[0]!) : []));
	const busy = useRef(false);
	busy.current = state.busy !== null;
	const layout = gridLayout(columns, rows);
	const page = pageOf(state, layout.perPage);
	const tag = state.tags[state.tagIndex];
	const done = finishedTags(state);

	// A tag whose queue is empty hands over to the next one.
	useEffect(() => {
		if (state.items.length === 0 && state.tagIndex < state.tags.length - 1) {
			dispatch({type: 'next-tag', items: services.actions.queue(state.tags[state.tagIndex + 1]!)});
		}
	}, [state.items, state.tagIndex, state.tags, services.actions]);

	useEffect(() => {
		const ahead = state.items.slice(state.offset, state.offset + layout.perPage * 2);
		services.pictures.preload(ahead.map(item => ({sha256: item.sha256, thumb: item.thumb, columns: layout.pictureColumns, rows: layout.pictureRows})));
	}, [state.items, state.offset, layout.perPage, layout.pictureColumns, layout.pictureRows, services.pictures]);

	const run = async (label: string, call: () => Promise<TagActionResult>, counts: {confirmed?: number; rejected?: number}, clearMarks: boolean) => {
		busy.current = true;
		dispatch({type: 'busy', text: label});
		try {
			const result = await call();
			dispatch({type: 'applied', batch: result.batch, summary: result.summary, items: services.actions.queue(tag!), ...counts, clearMarks});
		} catch (error) {
			dispatch({type: 'failed', error: sanitize(error instanceof Error ? error.message : String(error))});
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
			const {summary} = await services.actions.undo(last.batch);
			dispatch({type: 'undone', summary, items: services.actions.queue(state.tags[last.tagIndex]!)});
		} catch (error) {
			dispatch({type: 'failed', error: sanitize(error instanceof Error ? error.message : String(error))});
		}
	};

	const chosenOrMarked = () => (state.marked.size > 0 ? page.filter(item => state.marked.has(item.sha256)) : page.slice(state.cursor, state.cursor + 1));

	const act = (action: TagKeyAction) => {
		if (action === 'quit') {
			if (state.view === 'grid') {
				exit();
			} else {
				dispatch({type: 'view', view: state.view});
			}

			return;
		}

		if (action === 'help') {
			dispatch({type: 'view', view: 'help'});
			return;
		}

		if (action === 'undo') {
			void undo();
			return;
		}

		if (done || !tag || state.view !== 'grid') {
			return;
		}

		switch (action) {
			case 'left':
			case 'right':
			case 'up':
			case 'down': {
				const dx = action === 'left' ? -1 : action === 'right' ? 1 : 0;
				const dy = action === 'up' ? -1 : action === 'down' ? 1 : 0;
				dispatch({type: 'move', dx, dy, gridColumns: layout.gridColumns});
				return;
			}

			case 'mark': {
				dispatch({type: 'mark', perPage: layout.perPage});
				return;
			}

			case 'mark-all': {
				dispatch({type: 'mark-all', perPage: layout.perPage});
				return;
			}

			case 'next-page':
			case 'previous-page': {
				dispatch({type: 'page', delta: action === 'next-page' ? 1 : -1, perPage: layout.perPage});
				return;
			}

			case 'accept': {
				const rejected = page.filter(item => state.marked.has(item.sha256));
				const confirmed = page.filter(item => !state.marked.has(item.sha256));
				void run(
					`writing ${confirmed.length} keyword${confirmed.length === 1 ? '' : 's'}…`,
					async () => services.actions.decidePage(tag, confirmed, rejected),
					{confirmed: confirmed.length, rejected: rejected.length},
					true,
				);
				return;
			}

			case 'add-tag': {
				if (state.marked.size === 0) {
					dispatch({type: 'message', text: 'Mark photos with space first; t adds a tag to the marked ones.'});
					return;
				}

				dispatch({type: 'view', view: 'input'});
				return;
			}

			default: {
				const rating = Number(action.slice('rate-'.length));
				const items = chosenOrMarked();
				void run(`rating ${items.length} photo${items.length === 1 ? '' : 's'} ${rating}…`, async () => services.actions.rate(items, rating), {}, false);
			}
		}
	};

	const submitTag = () => {
		const name = normaliseTagName(state.input);
		if (!name) {
			dispatch({type: 'failed', error: `"${state.input}" is not a tag name (letters, digits, - and _, / between levels)`});
			return;
		}

		const items = page.filter(item => state.marked.has(item.sha256));
		void run(`adding ${name}…`, async () => services.actions.addTag(name, items), {}, false);
	};

	// Ink re-subscribes a changed input handler only after an effect runs, so a fast key could reach a stale closure;
	// one stable handler that calls the latest closures sees the state of the last render.
	const latest = useRef({act, state, submitTag});
	latest.current = {act, state, submitTag};
	const onInput = useCallback((input: string, key: Key) => {
		if (busy.current) {
			// One change at a time: keys pressed while files are written are dropped, never queued behind it.
			return;
		}

		const current = latest.current;
		if (current.state.view === 'input') {
			if (key.escape) {
				dispatch({type: 'view', view: 'input'});
			} else if (key.return) {
				current.submitTag();
			} else if (key.backspace || key.delete) {
				dispatch({type: 'erase'});
			} else if (!key.ctrl && !key.meta && input && !/[\u0000-\u001F\u007F]/.test(input)) {
				dispatch({type: 'type', text: input});
			}

			return;
		}

		// Keys typed fast (or over a slow SSH link) can arrive as one chunk, which Ink hands over as one string: take
		// them one by one. Moves and marks compose in the reducer; a key that acts on the library ends the chunk
		// unless it comes first, since it would act on the screen as it was before the chunk.
		if (input.length > 1 && !key.ctrl && !key.meta && /^[\u0020-\u007E]+$/.test(input)) {
			for (const [index, character] of [...input].entries()) {
				const action = tagActionFor(character, {});
				if (!action || busy.current) {
					break;
				}

				if (index > 0 && !composable.has(action)) {
					break;
				}

				current.act(action);
			}

			return;
		}

		const action = tagActionFor(input, key);
		if (action) {
			current.act(action);
		}
	}, []);
	useInput(onInput);

	const width = columns - 1;
	const chosen = page[state.cursor];
	const status =
		state.view === 'input'
			? `tag for ${state.marked.size} marked photo${state.marked.size === 1 ? '' : 's'}: ${sanitize(state.input)}▏ (enter adds, esc cancels)`
			: state.busy ?? (state.message ? `${state.message.error ? '! ' : ''}${state.message.text}` : chosen ? `${sanitize(chosen.path)} · ${chosen.confidence.toFixed(3)}` : '');

	if (state.view === 'help') {
		return <TagHelpView pictureNote={pictureNote} target={target} />;
	}

	if (done || !tag) {
		return (
			<Box flexDirection="column">
				<Text bold={colour}>
					{state.tags.length === 0 ? `No suggestions below ${below.toFixed(2)} wait for review.` : `Reviewed: ${state.confirmed} confirmed, ${state.rejected} rejected. Nothing left below ${below.toFixed(2)}.`}
				</Text>
				<Text>u undoes the last change · q quits</Text>
				{state.message || state.busy ? <Text wrap="truncate">{clip(status, width)}</Text> : null}
			</Box>
		);
	}

	const gridRows = [];
	for (let row = 0; row * layout.gridColumns < page.length; row++) {
		gridRows.push(page.slice(row * layout.gridColumns, (row + 1) * layout.gridColumns));
	}

	return (
		<Box flexDirection="column" width={columns}>
			<Text wrap="truncate" bold={colour}>
				{clip(sanitize(titleLine(state, layout.perPage, below)), width)}
			</Text>
			{gridRows.map((items, row) => (
				<Box key={items[0]!.sha256} flexDirection="row" columnGap={1}>
					{items.map((item, column) => (
						<TagCell
							key={item.sha256}
							item={item}
							chosen={row * layout.gridColumns + column === state.cursor}
							marked={state.marked.has(item.sha256)}
							pictureColumns={layout.pictureColumns}
							pictureRows={layout.pictureRows}
							pictures={services.pictures}
							colour={colour}
						/>
					))}
				</Box>
			))}
			<Text wrap="truncate" color={colour && state.message?.error ? 'red' : undefined}>
				{clip(status, width)}
			</Text>
			<Text wrap="truncate" dimColor={colour}>
				{clip(keysHelp, width)}
			</Text>
		</Box>
	);
}
