/**
 * The review screen's state and its pure reducer (issue 5). Decisions that touch files are carried out outside (the
 * screen calls ReviewActions); the reducer only learns their outcome, so it is tested without Ink or a library.
 */
import type {DecisionResult, ReviewProgress} from '../../review/types.js';

/** Where a cluster stands in this review. */
export type ClusterStatus = 'pending' | 'skipped' | 'kept' | 'merged' | 'distinct';

/** A decision that can be undone: a journal batch, or a skip (which only moved the position). */
export type Decision = {
	readonly clusterIndex: number;
	readonly status: Exclude<ClusterStatus, 'pending'>;
	readonly previousStatus: ClusterStatus;
	readonly batchId: string | null;
	readonly freedBytes: number;
};

/**
 * What the state reads of the clusters in review order: how many, and a cluster's id and member count by its index.
 * Kept clusters are read a page at a time (issue 15), so the state never walks them all; a list may look ids up
 * itself.
 */
export type ClusterSequence = {
	readonly length: number;
	at(index: number): {readonly id: string; readonly members: {readonly length: number}} | undefined;
	indexOfId?(id: string): number;
	indexesOfIds?(ids: ReadonlySet<string>): number[];
};

/** The review screen's state. */
export type ReviewState = {
	/** The clusters in review order (their ids, and member counts for choosing a photo). */
	readonly clusters: ClusterSequence;
	readonly index: number;
	/** Chosen member of the current cluster. */
	readonly selected: number;
	readonly statuses: readonly ClusterStatus[];
	readonly freed: number;
	readonly history: readonly Decision[];
	readonly view: 'cluster' | 'help' | 'large';
	/** What is being done right now (keys wait until it is done). */
	readonly busy: string | null;
	readonly message: {readonly text: string; readonly error: boolean} | null;
};

/** Everything that changes the state. */
export type ReviewEvent =
	| {readonly type: 'choose'; readonly delta: -1 | 1}
	| {readonly type: 'skip'}
	| {readonly type: 'back'}
	| {readonly type: 'view'; readonly view: ReviewState['view']}
	| {readonly type: 'busy'; readonly text: string}
	| {readonly type: 'decided'; readonly status: 'kept' | 'merged' | 'distinct'; readonly result: DecisionResult}
	| {readonly type: 'failed'; readonly error: string}
	| {readonly type: 'undone'; readonly summary: string}
	| {readonly type: 'message'; readonly text: string};

function indexOfId(clusters: ClusterSequence, id: string): number {
	if (clusters.indexOfId) {
		return clusters.indexOfId(id);
	}

	for (let index = 0; index < clusters.length; index++) {
		if (clusters.at(index)!.id === id) {
			return index;
		}
	}

	return -1;
}

function indexesOfIds(clusters: ClusterSequence, ids: ReadonlySet<string>): number[] {
	if (ids.size === 0) {
		return [];
	}

	if (clusters.indexesOfIds) {
		return clusters.indexesOfIds(ids);
	}

	const indexes: number[] = [];
	for (let index = 0; index < clusters.length; index++) {
		if (ids.has(clusters.at(index)!.id)) {
			indexes.push(index);
		}
	}

	return indexes;
}

/** The starting state: at the saved cluster when it is still there, else at the first one not skipped before. */
export function initialState(clusters: ClusterSequence, progress: ReviewProgress): ReviewState {
	const statuses = new Array<ClusterStatus>(clusters.length).fill('pending');
	for (const index of indexesOfIds(clusters, new Set(progress.skipped))) {
		statuses[index] = 'skipped';
	}

	const saved = progress.current ? indexOfId(clusters, progress.current) : -1;
	const firstPending = statuses.indexOf('pending');
	return {
		clusters,
		index: saved >= 0 ? saved : Math.max(0, firstPending),
		selected: 0,
		statuses,
		freed: progress.freed,
		history: [],
		view: 'cluster',
		busy: null,
		message: null,
	};
}

/** Whether every cluster has been decided (skipped ones still wait). */
export function finished(state: ReviewState): boolean {
	return state.statuses.every(status => status !== 'pending' && status !== 'skipped');
}

/** The next cluster to show after `from`: the next undecided one, else the next skipped one, else `from`. */
function nextOpen(statuses: readonly ClusterStatus[], from: number): number {
	for (const wanted of ['pending', 'skipped'] as const) {
		for (let step = 1; step <= statuses.length; step++) {
			const index = (from + step) % statuses.length;
			if (statuses[index] === wanted) {
				return index;
			}
		}
	}

	return from;
}

const withStatus = (statuses: readonly ClusterStatus[], index: number, status: ClusterStatus) => statuses.map((value, i) => (i === index ? status : value));

/** The pure reducer. */
export function reduce(state: ReviewState, event: ReviewEvent): ReviewState {
	switch (event.type) {
		case 'choose': {
			const size = state.clusters.at(state.index)?.members.length ?? 0;
			return {...state, selected: Math.max(0, Math.min(size - 1, state.selected + event.delta)), message: null};
		}

		case 'skip': {
			if (state.statuses.length === 0 || finished(state)) {
				return state;
			}

			const previousStatus = state.statuses[state.index]!;
			const statuses = withStatus(state.statuses, state.index, 'skipped');
			const decision: Decision = {clusterIndex: state.index, status: 'skipped', previousStatus, batchId: null, freedBytes: 0};
			return {...state, statuses, index: nextOpen(statuses, state.index), selected: 0, history: [...state.history, decision], message: null};
		}

		case 'back': {
			if (state.statuses.length === 0) {
				return state;
			}

			return {...state, index: (state.index - 1 + state.statuses.length) % state.statuses.length, selected: 0, message: null};
		}

		case 'view': {
			return {...state, view: state.view === event.view ? 'cluster' : event.view};
		}

		case 'busy': {
			return {...state, busy: event.text, message: null};
		}

		case 'decided': {
			const previousStatus = state.statuses[state.index]!;
			const statuses = withStatus(state.statuses, state.index, event.status);
			const decision: Decision = {clusterIndex: state.index, status: event.status, previousStatus, batchId: event.result.batchId, freedBytes: event.result.freedBytes};
			return {
				...state,
				statuses,
				index: nextOpen(statuses, state.index),
				selected: 0,
				freed: state.freed + event.result.freedBytes,
				history: [...state.history, decision],
				busy: null,
				message: {text: event.result.summary, error: false},
			};
		}

		case 'failed': {
			return {...state, busy: null, message: {text: event.error, error: true}};
		}

		case 'undone': {
			const last = state.history.at(-1);
			if (!last) {
				return {...state, busy: null};
			}

			return {
				...state,
				statuses: withStatus(state.statuses, last.clusterIndex, last.previousStatus),
				index: last.clusterIndex,
				selected: 0,
				freed: Math.max(0, state.freed - last.freedBytes),
				history: state.history.slice(0, -1),
				busy: null,
				message: {text: event.summary, error: false},
			};
		}

		case 'message': {
			return {...state, message: {text: event.text, error: false}};
		}
	}
}

/** What to save so a later review continues here. */
export function progressOf(state: ReviewState): ReviewProgress {
	// Saved after every step: a plain loop over the statuses, reading only the skipped clusters' ids.
	const skipped: string[] = [];
	for (let index = 0; index < state.statuses.length; index++) {
		if (state.statuses[index] === 'skipped') {
			skipped.push(state.clusters.at(index)!.id);
		}
	}

	return {
		current: finished(state) ? null : (state.clusters.at(state.index)?.id ?? null),
		skipped,
		freed: state.freed,
	};
}
