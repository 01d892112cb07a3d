/**
 * The last stage of a search over the catalog, shared by a whole search (in-catalog.ts) and by bringing a kept one up
 * to date (refresh.ts): the groups found ranked into clusters and made the JSON text that is kept and printed, a batch
 * of groups at a time, so what ranking reads of every cluster member is never held at once (405 MB at a million
 * photos as whole records, on top of the clusters).
 */
import type {DupeSearchProgress} from '../core/progress.js';
import type {DupesData} from '../db/dupes-data.js';
import {type ClusterText, sortKeysOf} from '../db/dupe-store.js';
import type {FoundGroups} from './find.js';
import type {LinkGroup} from './cluster.js';
import {type BatchPool, inBatches} from './helper-pool.js';
import {clusterOf, clusterOrder, type RankedUnit} from './rank.js';
import type {FindOptions, KindFilter} from './types.js';

/** Groups ranked per batch of this many, whose members' ranked files are read in one go. */
const rankBatch = 2048;

/**
 * Helper threads for ranking `batches` batches of groups, batch `index` being `groupsOf(index)` (rank-helpers.ts): a
 * batch they take is ranked there, its members' ranked files read there; undefined to rank every batch here.
 */
export type RankHelpers = (run: {
	readonly batches: number;
	readonly found: FoundGroups;
	readonly groupsOf: (index: number) => readonly LinkGroup[];
	readonly keeper: FindOptions['keeper'];
}) => BatchPool<ClusterText[]> | undefined;

/**
 * The clusters of the groups found, as text, in the order a search gives them (most reclaimable first, then by first
 * path: the order `findDuplicates` gives).
 */
export function rankedTexts(
	data: DupesData,
	found: FoundGroups,
	keeper: FindOptions['keeper'],
	hooks: {readonly onProgress?: (event: DupeSearchProgress) => void; readonly batch?: number; readonly helpers?: RankHelpers} = {},
): ClusterText[] {
	const {units, groups, filter, damaged} = found;
	const batch = hooks.batch ?? rankBatch;
	const batches = Math.ceil(groups.length / batch);
	const groupsOf = (index: number) => groups.slice(index * batch, (index + 1) * batch);
	const here = (index: number) => {
		const some = groupsOf(index);
		const full = data.rankedFiles(some.flatMap(group => group.members.map(unit => units[unit]!.file.id)));
		return rankGroups(
			some,
			unit => ({file: full.get(units[unit]!.file.id) ?? units[unit]!.file, companions: units[unit]!.companions}),
			filter,
			keeper,
			damaged,
		);
	};

	hooks.onProgress?.({phase: 'ranking', done: 0, total: groups.length});
	const helpers = batches > 1 ? hooks.helpers?.({batches, found, groupsOf, keeper}) : undefined;
	const onDone = (done: number) => hooks.onProgress?.({phase: 'ranking', done: Math.min(groups.length, done * batch), total: groups.length});
	// Stable, with rankKeepers' comparison on the same keys: the same order findDuplicates gives.
	return inBatches(batches, here, helpers, onDone).flat().sort(byReclaim);
}

/**
 * These groups' clusters as text, in the groups' order, each member unit as `member` gives it (its ranked file and its
 * companions); `damaged` is by the units the groups number.
 */
export function rankGroups(
	groups: readonly LinkGroup[],
	member: (unit: number) => RankedUnit,
	filter: KindFilter,
	keeper: FindOptions['keeper'],
	damaged: ReadonlyMap<number, number>,
): ClusterText[] {
	const clusters: ClusterText[] = [];
	for (const group of groups) {
		const cluster = clusterOf(group.members.map(member), group, filter, keeper, damaged);
		if (cluster) {
			clusters.push({...sortKeysOf(cluster), kind: cluster.kind, members: cluster.members.length, json: JSON.stringify(cluster)});
		}
	}

	return clusters;
}

/** The order of a search's clusters: most reclaimable first, then by first path. */
export function byReclaim(a: ClusterText, b: ClusterText): number {
	return clusterOrder(a.reclaimableBytes, a.firstPath, b.reclaimableBytes, b.firstPath);
}
