import {Box, type Key, Text, useApp, useInput} from 'ink';
import React, {useCallback, useEffect, useReducer, useRef} from 'react';
import {sanitize} from '../../core/sanitize.js';
import type {FaceReviewItem, PeopleGroup, PeopleReviewServices} from '../../faces/people-review-types.js';
import {clip} from '../review/fields.js';
import {useTerminalSize} from '../use-terminal-size.js';
import {FaceCell} from './face-cell.js';
import {PeopleHelpView} from './help-view.js';
import {type PeopleKeyAction, peopleActionFor} from './keymap.js';
import {cropPosition, faceGridLayout} from './layout.js';
import {checkPersonName, type PagePlan, planMerge, planName, planPage, planSplit} from './plan.js';
import {finishedGroups, initialPeopleState, onLastPage, pageOf, type PeopleReviewState, reducePeople} from './state.js';

/** Props of the people review screen. */
export type Props = {
	/** Groups to review, one after another (each with faces waiting: the command leaves out empty ones). */
	readonly groups: readonly PeopleGroup[];
	readonly services: PeopleReviewServices;
	/** Whether colour and styles may be used (false under NO_COLOR). */
	readonly colour: boolean;
	readonly pictureNote?: string;
	/** Fixed terminal size (tests); by default the terminal's, following resizes. */
	readonly size?: {readonly columns: number; readonly rows: number};
};

/** Actions that only change what the screen shows, so several in one input chunk apply in order. */
const composable = new Set<PeopleKeyAction>(['left', 'right', 'up', 'down', 'mark', 'mark-all', 'next-page', 'previous-page']);

const keysHelp: Record<PeopleGroup['kind'], string> = {
	suggested: '←↑↓→ · space wrong · enter confirm page · n name · m merge · u undo · ? · q',
	named: '←↑↓→ · space mark · enter split marked · n rename · m merge · u undo · ? · q',
	unnamed: '←↑↓→ · space not them · enter name the rest · n name · ] skip · u undo · ? q',
};

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

function groupTitle(group: PeopleGroup): string {
	return group.kind === 'unnamed' ? `unnamed group c${group.cluster}` : group.kind === 'suggested' ? `${group.person}? suggested` : `${group.person}: named faces`;
}

function titleLine(state: PeopleReviewState, perPage: number): string {
	const group = state.groups[state.groupIndex]!;
	const first = state.offset + 1;
	const last = Math.min(state.items.length, state.offset + perPage);
	const count = state.groups.length > 1 ? ` (${state.groupIndex + 1}/${state.groups.length})` : '';
	return `${groupTitle(group)}${count} · ${first}–${last} of ${state.items.length} · ✓${state.confirmed} ✗${state.rejected} named ${state.named}`;
}

function describe(item: FaceReviewItem): string {
	const who = item.person ? item.person : item.suggestion ? `${item.suggestion.person}? ${item.suggestion.confidence.toFixed(3)}` : 'unnamed';
	return `${item.path} · f${item.faceId} · ${who}`;
}

/**
 * The `curate people review` screen (issue 19): a grid of face crops, one group at a time — a person's suggested
 * faces (enter confirms the page, marked ones rejected), a person's named faces (split wrong ones off), or an unnamed
 * group (enter names it). Every change is one journal batch, and `u` undoes the newest of this session.
 */
export function PeopleReviewScreen({groups, services, colour, pictureNote = '', size}: Props) {
	const {exit} = useApp();
	const {columns, rows} = useTerminalSize(size);
	const [state, dispatch] = useReducer(reducePeople, undefined, () => initialPeopleState(groups, groups.length > 0 ? services.actions.queue(groups[0]!) : []));
	const busy = useRef(false);
	busy.current = state.busy !== null;
	const layout = faceGridLayout(columns, rows);
	const page = pageOf(state, layout.perPage);
	const group = state.groups[state.groupIndex];
	const done = finishedGroups(state);
	const {graphics} = services;

	// A group whose queue is empty hands over to the next one.
	useEffect(() => {
		if (state.items.length === 0 && state.groupIndex < state.groups.length - 1) {
			dispatch({type: 'next-group', items: services.actions.queue(state.groups[state.groupIndex + 1]!)});
		}
	}, [state.items, state.groupIndex, state.groups, services.actions]);

	const requests = (items: readonly FaceReviewItem[]) =>
		items.map(item => ({faceId: item.faceId, sha256: item.sha256, path: item.path, box: item.box, columns: layout.pictureColumns, rows: layout.pictureRows}));

	useEffect(() => {
		services.crops.preload(requests(state.items.slice(state.offset, state.offset + layout.perPage * 2)));
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [state.items, state.offset, layout.perPage, layout.pictureColumns, layout.pictureRows, services.crops]);

	// Terminal graphics go over the half-block crops after every frame of the grid (Ink rewrites the lines it changes,
	// which would wipe an iTerm2 image), and are erased before any other view.
	const showGraphics = graphics !== undefined && state.view === 'grid' && !done && group !== undefined;
	useEffect(() => {
		if (!graphics) {
			return;
		}

		if (showGraphics) {
			void graphics.show(requests(page).map((request, index) => ({request, ...cropPosition(layout, index)})));
		} else {
			graphics.hide();
		}
	});
	useEffect(() => () => graphics?.hide(), [graphics]);

	const apply = async (plan: PagePlan) => {
		busy.current = true;
		dispatch({type: 'busy', text: `${plan.label}…`});
		try {
			const result = await services.actions.decide(plan.decisions, plan.label);
			dispatch({type: 'applied', batch: result.batch, summary: result.summary, items: services.actions.queue(group!), confirmed: plan.confirmed, rejected: plan.rejected, named: plan.named});
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
			dispatch({type: 'undone', summary, items: services.actions.queue(state.groups[last.groupIndex]!)});
		} catch (error) {
			dispatch({type: 'failed', error: sanitize(error instanceof Error ? error.message : String(error))});
		}
	};

	const chosenOrMarked = () => (state.marked.size > 0 ? page.filter(item => state.marked.has(item.faceId)) : page.slice(state.cursor, state.cursor + 1));

	const act = (action: PeopleKeyAction) => {
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

		if (done || !group || state.view !== 'grid') {
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

			case 'mark':
			case 'mark-all': {
				dispatch({type: action, perPage: layout.perPage});
				return;
			}

			case 'next-page': {
				if (onLastPage(state, layout.perPage) && state.groupIndex < state.groups.length - 1) {
					dispatch({type: 'next-group', items: services.actions.queue(state.groups[state.groupIndex + 1]!)});
					return;
				}

				dispatch({type: 'page', delta: 1, perPage: layout.perPage});
				return;
			}

			case 'previous-page': {
				dispatch({type: 'page', delta: -1, perPage: layout.perPage});
				return;
			}

			case 'accept': {
				if (group.kind === 'unnamed') {
					if (state.marked.size >= page.length) {
						dispatch({type: 'message', text: 'Every face is marked: nothing left to name (] skips this group).'});
						return;
					}

					dispatch({type: 'ask', purpose: 'name-page'});
					return;
				}

				const plan = planPage(group, page, state.marked);
				if (plan) {
					void apply(plan);
				} else {
					dispatch({type: 'message', text: 'Mark the faces that are not this person with space, then enter splits them off.'});
				}

				return;
			}

			case 'name': {
				dispatch({type: 'ask', purpose: 'name-faces'});
				return;
			}

			case 'merge': {
				if (group.kind === 'unnamed') {
					dispatch({type: 'message', text: 'An unnamed group has no one to merge: enter names it.'});
					return;
				}

				dispatch({type: 'ask', purpose: 'merge'});
				return;
			}

			case 'split': {
				const named = chosenOrMarked().filter(item => item.person !== null);
				if (named.length === 0) {
					dispatch({type: 'message', text: 'Only named faces can be split off; space marks a wrong suggestion, enter rejects it.'});
					return;
				}

				void apply(planSplit(named));
			}
		}
	};

	const submit = (typed: string) => {
		const checked = checkPersonName(typed);
		if ('error' in checked) {
			dispatch({type: 'failed', error: checked.error});
			return;
		}

		if (state.purpose === 'merge') {
			const from = group && group.kind !== 'unnamed' ? group.person : undefined;
			if (!from || from === checked.name) {
				dispatch({type: 'failed', error: 'merge into another person\'s name'});
				return;
			}

			void apply(planMerge(from, checked.name));
			return;
		}

		const faces = state.purpose === 'name-page' ? page.filter(item => !state.marked.has(item.faceId)) : chosenOrMarked();
		void apply(planName(faces, checked.name));
	};

	// Ink re-subscribes a changed input handler only after an effect runs, so a fast key could reach a stale closure;
	// one stable handler that calls the latest closures sees the state of the last render.
	// What is typed, kept beside the reducer's copy: an enter right behind the last letter (one tick, before a render)
	// must submit the whole name.
	const typed = useRef('');
	if (state.view !== 'input') {
		typed.current = '';
	}

	const latest = useRef({act, state, submit});
	latest.current = {act, state, submit};
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
				// A name pasted or typed fast with its enter arrives as one chunk: the text up to the enter, then submit.
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

		// Keys typed fast (or over SSH) can arrive as one chunk: taken one by one; a key that acts on the library ends
		// the chunk unless it comes first, since it would act on the screen as it was before the chunk.
		if (input.length > 1 && !key.ctrl && !key.meta && /^[\u0020-\u007E]+$/.test(input)) {
			for (const [index, character] of [...input].entries()) {
				const action = peopleActionFor(character, {});
				if (!action || busy.current || (index > 0 && !composable.has(action))) {
					break;
				}

				current.act(action);
			}

			return;
		}

		const action = peopleActionFor(input, key);
		if (action) {
			current.act(action);
		}
	}, []);
	useInput(onInput);

	const width = columns - 1;
	const chosen = page[state.cursor];
	const asking =
		state.purpose === 'merge'
			? `merge ${group && group.kind !== 'unnamed' ? sanitize(group.person) : ''} into`
			: state.purpose === 'name-page'
				? `name ${plural(page.length - state.marked.size, 'face')}`
				: `name ${plural(chosenOrMarked().length, 'face')}`;
	const status =
		state.view === 'input'
			? `${asking}: ${sanitize(state.input)}▏ (enter, esc cancels)`
			: state.busy ?? (state.message ? `${state.message.error ? '! ' : ''}${state.message.text}` : chosen ? sanitize(describe(chosen)) : '');

	if (state.view === 'help') {
		return <PeopleHelpView pictureNote={pictureNote} />;
	}

	if (done || !group) {
		return (
			<Box flexDirection="column">
				<Text bold={colour}>
					{state.groups.length === 0
						? 'No faces wait for review.'
						: `Reviewed: ${state.confirmed} confirmed, ${state.rejected} rejected, ${state.named} named. Nothing left to review.`}
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
				{clip(sanitize(titleLine(state, layout.perPage)), width)}
			</Text>
			{gridRows.map((items, row) => (
				<Box key={items[0]!.faceId} flexDirection="row" columnGap={1}>
					{items.map((item, column) => (
						<FaceCell
							key={item.faceId}
							item={item}
							group={group}
							chosen={row * layout.gridColumns + column === state.cursor}
							marked={state.marked.has(item.faceId)}
							pictureColumns={layout.pictureColumns}
							pictureRows={layout.pictureRows}
							crops={services.crops}
							colour={colour}
						/>
					))}
				</Box>
			))}
			<Text wrap="truncate" color={colour && state.message?.error ? 'red' : undefined}>
				{clip(status, width)}
			</Text>
			<Text wrap="truncate" dimColor={colour}>
				{clip(keysHelp[group.kind], width)}
			</Text>
		</Box>
	);
}
