import React, {useEffect} from 'react';
import {sanitize} from '../../core/sanitize.js';
import type {FaceReviewItem, PeopleGroup, PeopleReviewServices} from '../../faces/people-review-types.js';
import {GridFrame} from '../grid-review/grid-frame.js';
import {type GridContext, useGridReview} from '../grid-review/use-grid-review.js';
import {useTerminalSize} from '../use-terminal-size.js';
import {FaceCell} from './face-cell.js';
import {PeopleHelpView} from './help-view.js';
import {peopleActionFor} from './keymap.js';
import {cropPosition, faceGridLayout} from './layout.js';
import {checkPersonName, type PagePlan, planMerge, planName, planPage, planSplit} from './plan.js';
import {type InputPurpose, type PeopleCounts, type PeopleReviewState, reducePeople} from './state.js';

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
	const group = state.sections[state.sectionIndex]!;
	const first = state.offset + 1;
	const last = Math.min(state.items.length, state.offset + perPage);
	const count = state.sections.length > 1 ? ` (${state.sectionIndex + 1}/${state.sections.length})` : '';
	const {confirmed, rejected, named} = state.counts;
	return `${groupTitle(group)}${count} · ${first}–${last} of ${state.items.length} · ✓${confirmed} ✗${rejected} named ${named}`;
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
	const {columns, rows} = useTerminalSize(size);
	const layout = faceGridLayout(columns, rows);
	const {graphics} = services;

	const apply = (context: Context, plan: PagePlan) => {
		context.run(`${plan.label}…`, async () => services.actions.decide(plan.decisions, plan.label), {confirmed: plan.confirmed, rejected: plan.rejected, named: plan.named}, {
			clearMarks: true,
			restart: false,
		});
	};

	const {state, page, section: group, done, chosenOrMarked} = useGridReview({
		sections: groups,
		zero: {confirmed: 0, rejected: 0, named: 0},
		queue: section => services.actions.queue(section),
		undo: async batch => services.actions.undo(batch),
		reduce: reducePeople,
		idOf: item => item.faceId,
		layout,
		actionFor: peopleActionFor,
		pageOnToNextSection: true,
		onAction(action, context) {
			const {state, section: group, page, dispatch} = context;
			switch (action) {
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
						apply(context, plan);
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
					const named = context.chosenOrMarked().filter(item => item.person !== null);
					if (named.length === 0) {
						dispatch({type: 'message', text: 'Only named faces can be split off; space marks a wrong suggestion, enter rejects it.'});
						return;
					}

					apply(context, planSplit(named));
				}
			}
		},
		onSubmit(typed, context) {
			const {state, section: group, page, dispatch} = context;
			const checked = checkPersonName(typed);
			if ('error' in checked) {
				dispatch({type: 'failed', error: checked.error});
				return;
			}

			if (state.purpose === 'merge') {
				const from = group.kind === 'unnamed' ? undefined : group.person;
				if (!from || from === checked.name) {
					dispatch({type: 'failed', error: 'merge into another person\'s name'});
					return;
				}

				apply(context, planMerge(from, checked.name));
				return;
			}

			const faces = state.purpose === 'name-page' ? page.filter(item => !state.marked.has(item.faceId)) : context.chosenOrMarked();
			apply(context, planName(faces, checked.name));
		},
	});

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

	if (state.view === 'help') {
		return <PeopleHelpView pictureNote={pictureNote} />;
	}

	const asking =
		state.purpose === 'merge'
			? `merge ${group && group.kind !== 'unnamed' ? sanitize(group.person) : ''} into`
			: state.purpose === 'name-page'
				? `name ${plural(page.length - state.marked.size, 'face')}`
				: `name ${plural(chosenOrMarked().length, 'face')}`;
	return (
		<GridFrame
			state={state}
			page={page}
			done={done || !group}
			columns={columns}
			gridColumns={layout.gridColumns}
			colour={colour}
			title={() => titleLine(state, layout.perPage)}
			prompt={`${asking}: ${sanitize(state.input)}▏ (enter, esc cancels)`}
			describe={chosen => sanitize(describe(chosen))}
			keysLine={group ? keysHelp[group.kind] : ''}
			doneLine={
				state.sections.length === 0
					? 'No faces wait for review.'
					: `Reviewed: ${state.counts.confirmed} confirmed, ${state.counts.rejected} rejected, ${state.counts.named} named. Nothing left to review.`
			}
			keyOf={item => item.faceId}
			cell={(item, chosen) => (
				<FaceCell
					item={item}
					group={group!}
					chosen={chosen}
					marked={state.marked.has(item.faceId)}
					pictureColumns={layout.pictureColumns}
					pictureRows={layout.pictureRows}
					crops={services.crops}
					colour={colour}
				/>
			)}
		/>
	);
}

type Context = GridContext<PeopleGroup, FaceReviewItem, number, InputPurpose, PeopleCounts>;
