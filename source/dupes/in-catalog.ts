/**
 * Duplicate finding over a whole catalog at a million photos (issue 15): the stages of `find.ts` run on light records
 * (no signatures, no keeper-only fields), verification fetches signatures for candidate pairs only, a batch of ids at
 * a time, and keeper ranking gets whole records for cluster members only. Same clusters as `findDuplicates` over
 * `catalog.allPresent()`, at a fraction of the memory (test/dupes/in-catalog.test.ts).
 *
 * What a search finds is kept in the catalog (`source/db/dupe-store.ts`) and given back while nothing that can change
 * it has changed: files added, removed or changed, "not duplicates" decisions made or undone.
 */
import type {Catalog, StoredFile} from '../db/catalog.js';
import {DupesData} from '../db/dupes-data.js';
import {DupeStore} from '../db/dupe-store.js';
import {ThumbnailPaths} from '../db/thumbnail-paths.js';
import {type Cluster, findDuplicates, type FindOptions} from './find.js';
import {sensitivities} from './types.js';
import {encodeWindowHashes, windowHashes} from './window-hash.js';

/**
 * Version of what the finder finds from the same catalog: part of every kept search's key, so a Curate that finds
 * differently (new verification, new thresholds) never shows clusters an older one kept. Bump it with such changes.
 */
export const finderVersion = 4;

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
		similarWindowSeconds: options.similarWindowSeconds ?? 120,
		keeper: options.keeper ?? null,
	});
}

/**
 * Duplicate clusters among the catalog's present files; `distinct` defaults to the catalog's "not duplicates" pairs.
 * A search kept from before is given back when still valid, and a new one is kept.
 */
export function findDuplicatesIn(catalog: Catalog, options: FindOptions = {}): Cluster[] {
	const key = searchKey(options);
	const kept = key === undefined ? undefined : new DupeStore(catalog).clusters<Cluster>(key);
	if (kept) {
		return kept;
	}

	const {clusters, generation} = search(catalog, options);
	keep(catalog, options, generation, clusters);
	return clusters;
}

/**
 * Like {@link findDuplicatesIn}, always searching, with the whole records of the cluster members by path (what review
 * shows of them). Keeps what it found.
 */
export function findWithMembers(catalog: Catalog, options: FindOptions = {}): {clusters: Cluster[]; members: Map<string, StoredFile>} {
	const members = new Map<string, StoredFile>();
	const {clusters, generation} = search(catalog, options, files => {
		for (const file of files.values()) {
			members.set(file.path, file);
		}
	});
	keep(catalog, options, generation, clusters);
	return {clusters, members};
}

/**
 * Always searching; keeps what it found, each cluster made text as its row is written, so the text of every cluster is
 * never held at once (151 MB at a million photos). Says whether the search was kept: `curate dupes --json` then prints
 * it from the catalog, a chunk at a time (kept-json.ts).
 */
export function searchAndKeep(catalog: Catalog, options: FindOptions = {}): {clusters: Cluster[]; kept: boolean} {
	const {clusters, generation} = search(catalog, options);
	return {clusters, kept: keep(catalog, options, generation, clusters)};
}

/** The search over light records; `onMembers` sees the whole records read for cluster members. */
function search(catalog: Catalog, options: FindOptions, onMembers?: (files: ReadonlyMap<number, StoredFile>) => void): {clusters: Cluster[]; generation: number | undefined} {
	// Read before the search reads anything: a change made while it runs leaves it unkept.
	const generation = new DupeStore(catalog).generation();
	const data = new DupesData(catalog);
	const thumbnails = new ThumbnailPaths(catalog);
	const where = (thumb: string) => thumbnails.place(thumb);
	const every = data.everyPhoto(signature => encodeWindowHashes(windowHashes(signature)));
	const clusters = findDuplicates(
		every.files,
		{...options, distinct: options.distinct ?? data.distinctPairs()},
		{
			loadVerification: ids => data.verification(ids, where),
			damaged: every.damaged,
			windowHashes: every.windowHashes,
			loadFiles(ids) {
				const files = data.fullFiles(ids);
				onMembers?.(files);
				return files;
			},
		},
	);
	return {clusters, generation};
}

/** Keeps a search's clusters under its key, at the generation it read; returns whether they were kept. */
function keep(catalog: Catalog, options: FindOptions, generation: number | undefined, clusters: readonly Cluster[]): boolean {
	const key = searchKey(options);
	return key !== undefined && new DupeStore(catalog).keep(key, generation, clusters);
}
