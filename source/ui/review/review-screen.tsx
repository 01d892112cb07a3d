import {Box, type Key, Text, useApp, useInput} from 'ink';
import React, {useCallback, useEffect, useReducer, useRef} from 'react';
import {sanitize} from '../../core/sanitize.js';
import type {DecisionResult, ReviewCluster, ReviewList, ReviewProgress, ReviewServices} from '../../review/types.js';
import {formatBytes} from '../../core/format.js';
import {clip, differingFields} from './fields.js';
import {HelpView} from './help-view.js';
import {actionFor, type KeyAction} from './keymap.js';
import {LargeView} from './large-view.js';
import {reviewLayout, scrollOffset} from './layout.js';
import {PhotoCard} from './photo-card.js';
import {finished, initialState, progressOf, reduce, type ReviewState} from './state.js';
import {useTerminalSize} from '../use-terminal-size.js';

/** Props of the review screen. */
export type Props = {
	/** Clusters in review order (an array, or kept clusters read a page at a time). */
	readonly clusters: ReviewList;
	/** Where the last review stopped. */
	readonly progress: ReviewProgress;
	readonly services: ReviewServices;
	/** Whether colour and styles may be used (false under NO_COLOR). */
	readonly colour: boolean;
	/** How pictures are drawn here, for the help. */
	readonly pictureNote?: string;
	/** Fixed terminal size (tests); by default the terminal's, following resizes. */
	readonly size?: {readonly columns: number; readonly rows: number};
};

/** Clusters ahead whose pictures are rendered in the background. */
const preloadAhead = 3;

/** How long a decision may take before the screen says it is working on it. */
const busyDelay = 150;

// The fields that differ are a fact of the cluster: computed once per cluster, and the same Set object each time, so
// memoised cards whose inputs did not change are not re-rendered.
const differingCache = new WeakMap<ReviewCluster, ReturnType<typeof differingFields>>();
function differingOf(cluster: ReviewCluster): ReturnType<typeof differingFields> {
	let differing = differingCache.get(cluster);
	if (!differing) {
		differing = differingFields(cluster.members);
		differingCache.set(cluster, differing);
	}

	return differing;
}

const verbs = {kept: 'kept', merged: 'merged', distinct: 'marked not duplicates', skipped: 'skipped', pending: ''} as const;

/** The status line: position, space freed, and what the current cluster's state is. */
function statusLine(state: ReviewState, columns: number): string {
	const status = state.statuses[state.index];
	const parts = [
		`cluster ${state.index + 1} of ${state.statuses.length}`,
		`freed ${formatBytes(state.freed)}`,
		...(status && status !== 'pending' ? [verbs[status]] : []),
		'? help',
	];
	return clip(parts.join(' · '), columns - 1);
}

/**
 * The `curate review` screen (issue 5): one duplicate cluster at a time, its photos side by side with their facts,
 * and single keys to decide. Decisions go through `services.actions`; the position is saved after every step.
 */
export function ReviewScreen({clusters, progress, services, colour, pictureNote = '', size}: Props) {
	const {exit} = useApp();
	const {columns, rows} = useTerminalSize(size);
	const [state, dispatch] = useReducer(reduce, undefined, () => initialState(clusters, progress));
	// One decision at a time: from a decision's key until its outcome has been rendered (whether or not "busy" was
	// ever shown), keys are dropped.
	const pending = useRef(false);
	const busy = useRef(false);
	busy.current = state.busy !== null;
	useEffect(() => {
		pending.current = false;
	}, [state.history, state.message]);
	const cluster = clusters.at(state.index);
	const done = clusters.length === 0 || finished(state);

	useEffect(() => {
		services.saveProgress(progressOf(state));
		// Saved when the position or a decision changes, not on every choice of a photo.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [state.index, state.statuses, state.freed]);

	useEffect(() => {
		const requests = [];
		for (let step = 0; step <= preloadAhead && step < clusters.length; step++) {
			const ahead = clusters.at((state.index + step) % clusters.length)!;
			const layout = reviewLayout(columns, rows, ahead.members.length);
			for (const member of ahead.members) {
				requests.push({sha256: member.sha256, thumb: member.thumb, columns: layout.pictureColumns, rows: layout.pictureRows});
			}
		}

		services.pictures.preload(requests);
	}, [state.index, columns, rows, clusters, services.pictures]);

	const decide = async (label: string, status: 'kept' | 'merged' | 'distinct', call: () => Promise<DecisionResult>) => {
		pending.current = true;
		// A decision that finishes quickly goes straight to the next cluster: a "busy" frame in between would cost a
		// whole extra frame (and, at Ink's 30 frames a second, hold the next one back by up to 33 ms).
		const announce = setTimeout(() => {
			dispatch({type: 'busy', text: label});
		}, busyDelay);
		try {
			const result = await call();
			clearTimeout(announce);
			dispatch({type: 'decided', status, result});
		} catch (error) {
			clearTimeout(announce);
			dispatch({type: 'failed', error: sanitize(error instanceof Error ? error.message : String(error))});
		}
	};

	const undo = async () => {
		const last = state.history.at(-1);
		if (!last) {
			dispatch({type: 'message', text: 'Nothing to undo in this review (curate undo BATCH reaches earlier batches).'});
			return;
		}

		if (!last.batchId) {
			dispatch({type: 'undone', summary: 'Skip undone.'});
			return;
		}

		pending.current = true;
		dispatch({type: 'busy', text: 'undoing…'});
		try {
			dispatch({type: 'undone', summary: (await services.actions.undo(last.batchId)).summary});
		} catch (error) {
			dispatch({type: 'failed', error: sanitize(error instanceof Error ? error.message : String(error))});
		}
	};

	const act = (action: KeyAction) => {
		if (action === 'quit') {
			if (state.view === 'cluster') {
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

		if (!cluster || done || state.view === 'help') {
			return;
		}

		const status = state.statuses[state.index];
		const decided = status !== 'pending' && status !== 'skipped';
		const chosen = cluster.members[state.selected]!;
		const keeper = cluster.members.find(member => member.keeper) ?? cluster.members[0]!;
		const others = cluster.members.length - 1;
		const refuse = () => {
			dispatch({type: 'message', text: `This cluster is already ${verbs[status!]}: u undoes the last decision.`});
		};

		switch (action) {
			case 'previous-photo':
			case 'next-photo': {
				dispatch({type: 'choose', delta: action === 'next-photo' ? 1 : -1});
				return;
			}

			case 'large': {
				dispatch({type: 'view', view: 'large'});
				return;
			}

			case 'skip': {
				dispatch({type: 'skip'});
				return;
			}

			case 'back': {
				dispatch({type: 'back'});
				return;
			}

			case 'keep':
			case 'accept': {
				if (decided) {
					refuse();
					return;
				}

				const kept = action === 'keep' ? chosen : keeper;
				void decide(`moving ${others} file${others === 1 ? '' : 's'} to the trash…`, 'kept', async () => services.actions.keep(cluster, kept.path));
				return;
			}

			case 'merge': {
				if (decided) {
					refuse();
					return;
				}

				void decide('merging metadata, then trashing the others…', 'merged', async () => services.actions.merge(cluster, chosen.path));
				return;
			}

			case 'not-duplicates': {
				if (decided) {
					refuse();
					return;
				}

				void decide('recording: not duplicates…', 'distinct', async () => services.actions.notDuplicates(cluster));
			}
		}
	};

	// Ink re-subscribes a changed input handler only after an effect runs, so a fast key could reach a stale closure;
	// one stable handler that calls the latest `act` sees the state of the last render.
	const latest = useRef(act);
	latest.current = act;
	const onInput = useCallback((input: string, key: Key) => {
		const action = actionFor(input, key);
		// One decision at a time: keys pressed while files move are dropped, never queued behind it.
		if (action && !pending.current && !busy.current) {
			latest.current(action);
		}
	}, []);
	useInput(onInput);

	const keysLine = clip(sanitize(state.busy ?? (state.message ? state.message.text : '←→ choose  k keep  m merge  a accept  s skip  n not dupes  u undo  q quit')), columns - 1);
	const footer = (
		<>
			<Text wrap="truncate">{statusLine(state, columns)}</Text>
			<Text wrap="truncate" color={colour && state.message?.error ? 'red' : undefined} dimColor={colour && !state.busy && !state.message}>
				{state.message?.error ? `! ${keysLine}` : keysLine}
			</Text>
		</>
	);

	if (state.view === 'help') {
		return <HelpView pictureNote={pictureNote} />;
	}

	if (done || !cluster) {
		return (
			<Box flexDirection="column">
				<Text bold={colour}>{clusters.length === 0 ? 'No duplicate clusters to review.' : `All ${clusters.length} clusters are decided; freed ${formatBytes(state.freed)}.`}</Text>
				<Text>u undoes the last decision · q quits</Text>
				{state.message || state.busy ? <Text wrap="truncate">{keysLine}</Text> : null}
			</Box>
		);
	}

	if (state.view === 'large') {
		return <LargeView member={cluster.members[state.selected]!} columns={columns} rows={rows} pictures={services.pictures} graphics={services.graphics} />;
	}

	const layout = reviewLayout(columns, rows, cluster.members.length);
	const offset = scrollOffset(state.selected, layout.visible, cluster.members.length);
	const differing = differingOf(cluster);
	const hiddenLeft = offset;
	const hiddenRight = cluster.members.length - offset - layout.visible;
	const more = [hiddenLeft > 0 ? `◀ ${hiddenLeft} more` : '', hiddenRight > 0 ? `${hiddenRight} more ▶` : ''].filter(Boolean).join(' ');
	const title = `[${cluster.kind}] ${cluster.id} · ${cluster.members.length} photos · frees ${formatBytes(cluster.reclaimableBytes)}`;
	return (
		<Box flexDirection="column" width={columns}>
			<Text wrap="truncate">{clip(more ? `${title}  ${more}` : title, columns - 1)}</Text>
			<Box flexDirection="row" columnGap={1}>
				{cluster.members.slice(offset, offset + layout.visible).map((member, index) => (
					<PhotoCard
						key={member.path}
						member={member}
						position={offset + index + 1}
						count={cluster.members.length}
						chosen={offset + index === state.selected}
						differing={differing}
						width={layout.cardWidth}
						pictureColumns={layout.pictureColumns}
						pictureRows={layout.pictureRows}
						pictures={services.pictures}
						colour={colour}
					/>
				))}
			</Box>
			{footer}
		</Box>
	);
}
