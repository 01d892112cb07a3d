import React, {useEffect} from 'react';
import {sanitize} from '../../core/sanitize.js';
import {normaliseTagName} from '../../core/tag-keywords.js';
import {queueLimit, type TagReviewServices} from '../../tags/review-types.js';
import {GridFrame} from '../grid-review/grid-frame.js';
import {useGridReview} from '../grid-review/use-grid-review.js';
import {TagHelpView} from './help-view.js';
import {tagActionFor} from './keymap.js';
import {gridLayout} from './layout.js';
import {reduceTags, type TagReviewState} from './state.js';
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

const keysHelp = '←↑↓→ move · space wrong · enter accept page · t tag · 0-5 rate · u undo · ? · q';

function titleLine(state: TagReviewState, perPage: number, below: number): string {
	const tag = state.sections[state.sectionIndex] ?? '';
	const first = state.offset + 1;
	const last = Math.min(state.items.length, state.offset + perPage);
	const tagCount = state.sections.length > 1 ? ` (tag ${state.sectionIndex + 1} of ${state.sections.length})` : '';
	const total = `${state.items.length}${state.items.length >= queueLimit ? '+' : ''}`;
	return `${tag}${tagCount} · ${first}–${last} of ${total} below ${below.toFixed(2)} · ✓${state.counts.confirmed} ✗${state.counts.rejected}`;
}

/**
 * The `curate tags review` screen (issue 7): a grid of one tag's doubtful photos, lowest confidence first. Space marks
 * the wrong ones; enter decides the page (one journal batch); the next page moves in.
 */
export function TagReviewScreen({tags, services, below, colour, pictureNote = '', target = 'to XMP sidecars', size}: Props) {
	const {columns, rows} = useTerminalSize(size);
	const layout = gridLayout(columns, rows);
	const {state, page, section: tag, done} = useGridReview({
		sections: tags,
		zero: {confirmed: 0, rejected: 0},
		queue: section => services.actions.queue(section),
		undo: async batch => services.actions.undo(batch),
		reduce: reduceTags,
		idOf: item => item.sha256,
		layout,
		actionFor: tagActionFor,
		pageOnToNextSection: false,
		onAction(action, {state, section: tag, page, dispatch, run, chosenOrMarked}) {
			switch (action) {
				case 'accept': {
					const rejected = page.filter(item => state.marked.has(item.sha256));
					const confirmed = page.filter(item => !state.marked.has(item.sha256));
					run(
						`writing ${confirmed.length} keyword${confirmed.length === 1 ? '' : 's'}…`,
						async () => services.actions.decidePage(tag, confirmed, rejected),
						{confirmed: confirmed.length, rejected: rejected.length},
						{clearMarks: true, restart: true},
					);
					return;
				}

				case 'add-tag': {
					if (state.marked.size === 0) {
						dispatch({type: 'message', text: 'Mark photos with space first; t adds a tag to the marked ones.'});
						return;
					}

					dispatch({type: 'ask', purpose: 'tag'});
					return;
				}

				default: {
					const rating = Number(action.slice('rate-'.length));
					const items = chosenOrMarked();
					run(`rating ${items.length} photo${items.length === 1 ? '' : 's'} ${rating}…`, async () => services.actions.rate(items, rating), {}, {clearMarks: false, restart: false});
				}
			}
		},
		onSubmit(typed, {state, page, dispatch, run}) {
			const name = normaliseTagName(typed);
			if (!name) {
				dispatch({type: 'failed', error: `"${typed}" is not a tag name (letters, digits, - and _, / between levels)`});
				return;
			}

			const items = page.filter(item => state.marked.has(item.sha256));
			run(`adding ${name}…`, async () => services.actions.addTag(name, items), {}, {clearMarks: false, restart: false});
		},
	});

	useEffect(() => {
		const ahead = state.items.slice(state.offset, state.offset + layout.perPage * 2);
		services.pictures.preload(ahead.map(item => ({sha256: item.sha256, thumb: item.thumb, columns: layout.pictureColumns, rows: layout.pictureRows})));
	}, [state.items, state.offset, layout.perPage, layout.pictureColumns, layout.pictureRows, services.pictures]);

	if (state.view === 'help') {
		return <TagHelpView pictureNote={pictureNote} target={target} />;
	}

	return (
		<GridFrame
			state={state}
			page={page}
			done={done || !tag}
			columns={columns}
			gridColumns={layout.gridColumns}
			colour={colour}
			title={() => titleLine(state, layout.perPage, below)}
			prompt={`tag for ${state.marked.size} marked photo${state.marked.size === 1 ? '' : 's'}: ${sanitize(state.input)}▏ (enter adds, esc cancels)`}
			describe={chosen => `${sanitize(chosen.path)} · ${chosen.confidence.toFixed(3)}`}
			keysLine={keysHelp}
			doneLine={
				state.sections.length === 0
					? `No suggestions below ${below.toFixed(2)} wait for review.`
					: `Reviewed: ${state.counts.confirmed} confirmed, ${state.counts.rejected} rejected. Nothing left below ${below.toFixed(2)}.`
			}
			keyOf={item => item.sha256}
			cell={(item, chosen) => (
				<TagCell
					item={item}
					chosen={chosen}
					marked={state.marked.has(item.sha256)}
					pictureColumns={layout.pictureColumns}
					pictureRows={layout.pictureRows}
					pictures={services.pictures}
					colour={colour}
				/>
			)}
		/>
	);
}
