/**
 * Ranking's batches in helper threads (helper-pool.ts): at a million photos, reading the whole records of 387,000
 * cluster members, choosing each cluster's keeper and making its JSON text took 8 s on one core. A helper is sent a
 * batch's groups with their units' catalog ids and companions, reads what ranking reads of the members itself and
 * answers with the clusters' text, which is the same text whichever thread makes it.
 */
import type {StoredFile} from '../db/catalog.js';
import type {ClusterText} from '../db/dupe-store.js';
import type {RankedFile} from '../db/dupes-data.js';
import type {LinkGroup} from './cluster.js';
import {batchPool, type HelperSettings, helpersFor} from './helper-pool.js';
import {rankGroups, type RankHelpers} from './ranked-texts.js';
import type {FindOptions, KindFilter} from './types.js';

/** Fewest batches (of 2,048 groups) worth starting helpers for: a helper takes a few hundred milliseconds to start. */
const fewestBatches = 8;

/** A batch of groups as a helper is sent it, its units numbered from 0: each one's file id and companions. */
export type RankJob = {
	readonly kind: 'rank';
	readonly index: number;
	readonly filter: KindFilter;
	readonly keeper: FindOptions['keeper'];
	readonly groups: LinkGroup[];
	readonly units: Array<{readonly id: number; readonly companions: Array<Pick<StoredFile, 'path' | 'size'>>}>;
	/** Damaged copies among those units, and the share of their picture that decodes. */
	readonly damaged: Array<[number, number]>;
};

/** Packs a batch of groups for a helper. */
export function packGroups(index: number, units: ReadonlyArray<{readonly file: StoredFile; readonly companions: readonly StoredFile[]}>, groups: readonly LinkGroup[], filter: KindFilter, keeper: FindOptions['keeper'], damaged: ReadonlyMap<number, number>): RankJob {
	const sent: RankJob['units'] = [];
	const local: Array<[number, number]> = [];
	const renumbered = groups.map(group => ({
		...group,
		members: group.members.map(unit => {
			const k = sent.length;
			const {file, companions} = units[unit]!;
			sent.push({id: file.id, companions: companions.map(companion => ({path: companion.path, size: companion.size}))});
			if (damaged.has(unit)) local.push([k, damaged.get(unit)!]);
			return k;
		}),
	}));
	return {kind: 'rank', index, filter, keeper, groups: renumbered, units: sent, damaged: local};
}

/**
 * Ranks a batch sent to a helper (helper-worker.ts), reading its members' ranked files through `rankedFiles`. A member
 * whose row is gone (deleted while the search ran) fails the batch, which the caller then ranks as it does its own.
 */
export function rankSent(job: RankJob, rankedFiles: (ids: readonly number[]) => ReadonlyMap<number, RankedFile>): ClusterText[] {
	const full = rankedFiles(job.units.map(unit => unit.id));
	return rankGroups(
		job.groups,
		k => {
			const {id, companions} = job.units[k]!;
			const file = full.get(id);
			if (!file) throw new Error(`file ${id} is no longer in the catalog`);
			return {file, companions};
		},
		job.filter,
		job.keeper,
		new Map(job.damaged),
	);
}

/**
 * Helpers for the ranking of searches over the catalog in `catalogFile`: started only for a run of at least
 * {@link fewestBatches} batches (or `fewest`), on a machine with more than one core (or `count` helpers).
 */
export function rankHelpers(catalogFile: string, settings: HelperSettings = {}): RankHelpers {
	return ({batches, found, groupsOf, keeper}) =>
		batchPool<ClusterText[]>(
			catalogFile,
			helpersFor(batches, fewestBatches, settings),
			index => ({job: packGroups(index, found.units, groupsOf(index), found.filter, keeper, found.damaged)}),
			(_, result) => result as ClusterText[],
		);
}
