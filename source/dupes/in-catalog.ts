/**
 * Duplicate finding over a whole catalog at a million photos (issue 15): the stages of `find.ts` run on light records
 * (no signatures, no keeper-only fields), verification fetches signatures for candidate pairs only, a batch of ids at
 * a time, and keeper ranking gets whole records for cluster members only. Same clusters as `findDuplicates` over
 * `catalog.allPresent()`, at a fraction of the memory (test/dupes/in-catalog.test.ts).
 *
 * What a search finds is kept in the catalog (`source/db/dupe-store.ts`) and given back while nothing that can change
 * it has changed: files added, removed or changed, "not duplicates" decisions made or undone.
 */
import type {Catalog} from '../db/catalog.js';
import type {DupeSearchProgress} from '../core/progress.js';
import {boundHeapGrowth} from '../heap-growth.js';
import {DupesData} from '../db/dupes-data.js';
import {type ClusterText, DupeStore} from '../db/dupe-store.js';
import {ThumbnailPaths} from '../db/thumbnail-paths.js';
import {type Cluster, findGroups, type FindOptions} from './find.js';
import {rankedTexts} from './ranked-texts.js';
import {refreshKept} from './refresh.js';
import {defaultSimilarWindowSeconds, sensitivities} from './types.js';
import {rankHelpers as rankHelpersOf} from './rank-helpers.js';
import {everyBatchesAway} from './read-helpers.js';
import {verifyHelpers} from './verify-helpers.js';
import {windowLookupAway} from './window-helpers.js';
import {encodeWindowHashes, windowHashes} from './window-hash.js';

/**
 * Version of what the finder finds from the same catalog: part of every kept search's key, so a Curate that finds
 * differently (new verification, new thresholds) never shows clusters an older one kept. Bump it with such changes.
 */
export const finderVersion = 5;

/**
 * The key a search with these options is kept under, or undefined for one that is not kept (one given its own
 * "not duplicates" set rather than the catalog's).
 */
export function searchKey(options: FindOptions): string | undefined {
	if (options.distinct) {
		return undefined;
	}

	const sensitivity = options.sensitivity ?? 'normal';
	return JSON.stringify({
		finder: finderVersion,
		kind: options.kind ?? 'all',
		sensitivity,
		distance: options.distance ?? sensitivities[sensitivity].distance,
		similarWindowSeconds: options.similarWindowSeconds ?? defaultSimilarWindowSeconds,
		keeper: options.keeper ?? null,
	});
}

/**
 * Brings the search kept for these options up to date when only "not duplicates" decisions came since it was kept
 * (refresh.ts): then it is valid again, and what reads kept searches reads it instead of searching everything again.
 * Says whether it did.
 */
export function refreshIfOutdated(catalog: Catalog, options: FindOptions): boolean {
	const key = searchKey(options);
	return key !== undefined && refreshKept(catalog, key, options);
}

/** What a caller may ask of a search besides its options: where it says how far it is. */
export type SearchHooks = {
	readonly onProgress?: (event: DupeSearchProgress) => void;
	/** Groups ranked a batch at a time, this many (for tests: batch boundaries). */
	readonly batch?: number;
};

/**
 * Duplicate clusters among the catalog's present files; `distinct` defaults to the catalog's "not duplicates" pairs.
 * A search kept from before is given back when still valid, and a new one is kept.
 */
export function findDuplicatesIn(catalog: Catalog, options: FindOptions = {}, hooks: SearchHooks = {}): Cluster[] {
	const key = searchKey(options);
	refreshIfOutdated(catalog, options);
	const kept = key === undefined ? undefined : new DupeStore(catalog).clusters<Cluster>(key);
	return kept ?? searchClusters(catalog, options, hooks);
}

/**
 * Like {@link findDuplicatesIn}, always searching (and keeping what it found): the clusters as a kept search gives
 * them back. Found as `curate dupes --json` finds them, a batch of groups at a time, so the whole records of every
 * cluster member are never held at once (405 MB at a million photos, on top of the clusters).
 */
export function searchClusters(catalog: Catalog, options: FindOptions = {}, hooks: SearchHooks = {}): Cluster[] {
	return searchAndKeep(catalog, options, hooks).clusters.map(cluster => JSON.parse(cluster.json) as Cluster);
}

/**
 * The kept cluster with this id among the searches of `options` (in that order), read by its id alone; a search that
 * is not kept is run (and kept) only when no earlier one holds the id. `curate dupes --not-duplicates ID` looks in
 * two searches: at a million photos, parsing both whole (or running the second when the id was in the first) took
 * minutes to find one cluster.
 */
export function findClusterById(catalog: Catalog, searches: readonly FindOptions[], id: string, hooks: SearchHooks = {}): Cluster | undefined {
	for (const options of searches) {
		const key = searchKey(options);
		refreshIfOutdated(catalog, options);
		const store = new DupeStore(catalog);
		const found = key !== undefined && store.has(key) ? store.cluster<Cluster>(key, id) : findDuplicatesIn(catalog, options, hooks).find(cluster => cluster.id === id);
		if (found) {
			return found;
		}
	}

	return undefined;
}

/**
 * Always searching; keeps what it found and gives it as text, in the order found (`curate dupes --json`). Cluster
 * members' whole records are read, ranked and made text a batch of groups at a time, so neither every member's record
 * nor every cluster as objects is ever held at once (at a million photos those were 740 MB, the run's peak): only
 * the text, which is what is kept and printed. Says whether the search was kept.
 */
export function searchAndKeep(catalog: Catalog, options: FindOptions = {}, hooks: SearchHooks = {}): {clusters: ClusterText[]; kept: boolean} {
	const {clusters, generation} = searchTexts(catalog, options, hooks);
	const key = searchKey(options);
	hooks.onProgress?.({phase: 'keeping', done: 0, total: clusters.length});
	return {clusters, kept: key !== undefined && new DupeStore(catalog).keepTexts(key, generation, clusters)};
}

/**
 * How many clusters a search finds, with how many files and reclaimable bytes (`curate status`): from a kept search's
 * index when it is valid, without reading its clusters (172 MB of JSON at a million photos), else searching and
 * keeping as `curate dupes --json` does.
 */
export function duplicateTotals(catalog: Catalog, options: FindOptions = {}, hooks: SearchHooks = {}): {clusters: number; files: number; reclaimableBytes: number} {
	const key = searchKey(options);
	refreshIfOutdated(catalog, options);
	const kept = key === undefined ? undefined : new DupeStore(catalog).totals(key);
	if (kept) {
		return {...kept};
	}

	const totals = {clusters: 0, files: 0, reclaimableBytes: 0};
	for (const cluster of searchAndKeep(catalog, options, hooks).clusters) {
		totals.clusters++;
		totals.files += cluster.members;
		totals.reclaimableBytes += cluster.reclaimableBytes;
	}

	return totals;
}

/** What `curate dupes` lists: how many clusters a search finds, what resolving them frees, and the first of them. */
export type ClusterListing = {readonly clusters: number; readonly reclaimableBytes: number; readonly first: Cluster[]};

/**
 * The listing of a search's first `limit` clusters: from a kept search, its totals and those clusters' rows alone
 * (parsing every kept cluster to show 50 took 367 MB and seconds at a million photos); else searching and keeping as
 * `curate dupes --json` does.
 */
export function listClusters(catalog: Catalog, options: FindOptions, limit: number, hooks: SearchHooks = {}): ClusterListing {
	const key = searchKey(options);
	refreshIfOutdated(catalog, options);
	const kept = key === undefined ? undefined : new DupeStore(catalog).listing<Cluster>(key, limit);
	if (kept) {
		return kept;
	}

	const {clusters} = searchAndKeep(catalog, options, hooks);
	return {
		clusters: clusters.length,
		reclaimableBytes: clusters.reduce((sum, cluster) => sum + cluster.reclaimableBytes, 0),
		first: clusters.slice(0, limit).map(cluster => JSON.parse(cluster.json) as Cluster),
	};
}

/**
 * The search of {@link searchAndKeep}, in a function of its own: the light records and units are garbage once it
 * returns, and only the clusters' text goes on.
 */
function searchTexts(catalog: Catalog, options: FindOptions, hooks: SearchHooks): {clusters: ClusterText[]; generation: number | undefined} {
	const {generation, data, files, searched, sources, rankHelpers} = searchInputs(catalog, options, hooks.onProgress);
	return {clusters: rankedTexts(data, findGroups(files, searched, sources), options.keeper, {...hooks, helpers: rankHelpers}), generation};
}

/**
 * What every search over light records reads first: the generation (before anything else, so a change made while the
 * search runs leaves it unkept), the catalog reader, the light files, the options with the catalog's "not duplicates"
 * decisions, and where the stages get the rest.
 */
function searchInputs(catalog: Catalog, options: FindOptions, onProgress: SearchHooks['onProgress']) {
	onProgress?.({phase: 'reading', done: 0, total: 0});
	const generation = new DupeStore(catalog).generation();
	const data = new DupesData(catalog);
	const thumbnails = new ThumbnailPaths(catalog);
	const where = (thumb: string) => thumbnails.place(thumb);
	const shared = data.sharedFile();
	const every = data.everyPhoto(signature => encodeWindowHashes(windowHashes(signature)), shared === undefined ? undefined : everyBatchesAway(shared));
	// Bounded once the records are read, not before: while the heap grows to hold them (365 MB at a million photos),
	// V8's own growth collects it 5 times where 20 % a step collected it 12 times (0.36 s of full-collection pauses
	// against 0.96 s), for the same peak (1,256 MB against 1,252 MB), which comes later in the search.
	boundHeapGrowth();
	return {
		generation,
		data,
		files: every.files,
		searched: {...options, distinct: options.distinct ?? data.distinctPairs()},
		sources: {
			loadVerification: (ids: readonly number[]) => data.verification(ids, where),
			damaged: every.damaged,
			shared: every.shared,
			windowHashes: every.windowHashes,
			onProgress,
			verifyHelpers: shared === undefined ? undefined : verifyHelpers(shared),
			windowLookupAway: shared === undefined ? undefined : windowLookupAway(shared),
		},
		rankHelpers: shared === undefined ? undefined : rankHelpersOf(shared),
	};
}
