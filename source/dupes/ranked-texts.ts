/**
 * The last stage of a search over the catalog, shared by a whole search (in-catalog.ts) and by bringing a kept one up
 * to date (refresh.ts): the groups found ranked into clusters and made the JSON text that is kept and printed, a batch
 * of groups at a time, so the whole records of every cluster member are never held at once (405 MB at a million
 * photos, on top of the clusters).
 */
import type {DupeSearchProgress} from '../core/progress.js';
import type {DupesData} from '../db/dupes-data.js';
import {type ClusterText, sortKeysOf} from '../db/dupe-store.js';
import type {FoundGroups} from './find.js';
import {clusterOf, clusterOrder} from './rank.js';
import type {FindOptions} from './types.js';

/** Groups ranked per batch of this many, whose members' whole records are read in one go. */
const rankBatch = 2048;

/**
 * The clusters of the groups found, as text, in the order a search gives them (most reclaimable first, then by first
 * path: the order `findDuplicates` gives).
 */
export function rankedTexts(
	data: DupesData,
	{units, groups, filter, damaged}: FoundGroups,
	keeper: FindOptions['keeper'],
	hooks: {readonly onProgress?: (event: DupeSearchProgress) => void; readonly batch?: number} = {},
): ClusterText[] {
	const clusters: ClusterText[] = [];
	const batch = hooks.batch ?? rankBatch;
	for (let start = 0; start < groups.length; start += batch) {
		hooks.onProgress?.({phase: 'ranking', done: start, total: groups.length});
		const some = groups.slice(start, start + batch);
		const full = data.fullFiles(some.flatMap(group => group.members.map(index => units[index]!.file.id)));
		for (const group of some) {
			const members = group.members.map(index => {
				const unit = units[index]!;
				return {file: full.get(unit.file.id) ?? unit.file, companions: unit.companions};
			});
			const cluster = clusterOf(members, group, filter, keeper, damaged);
			if (cluster) {
				clusters.push({...sortKeysOf(cluster), kind: cluster.kind, members: cluster.members.length, json: JSON.stringify(cluster)});
			}
		}
	}

	// Stable, with rankKeepers' comparison on the same keys: the same order findDuplicates gives.
	return clusters.sort(byReclaim);
}

/** The order of a search's clusters: most reclaimable first, then by first path. */
export function byReclaim(a: ClusterText, b: ClusterText): number {
	return clusterOrder(a.reclaimableBytes, a.firstPath, b.reclaimableBytes, b.firstPath);
}
