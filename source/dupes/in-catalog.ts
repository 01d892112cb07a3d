/**
 * Duplicate finding over a whole catalog at a million photos (issue 15): the stages of `find.ts` run on light records
 * (no signatures, no keeper-only fields), verification fetches signatures for candidate pairs only, a batch of ids at
 * a time, and keeper ranking gets whole records for cluster members only. Same clusters as `findDuplicates` over
 * `catalog.allPresent()`, at a fraction of the memory (test/dupes/in-catalog.test.ts).
 */
import type {Catalog, StoredFile} from '../db/catalog.js';
import {AlignData} from '../db/align-data.js';
import {DupesData} from '../db/dupes-data.js';
import {type Cluster, findDuplicates, type FindOptions} from './find.js';

/** Duplicate clusters among the catalog's present files; `distinct` defaults to the catalog's "not duplicates" pairs. */
export function findDuplicatesIn(catalog: Catalog, options: FindOptions = {}): Cluster[] {
	return findWithMembers(catalog, options).clusters;
}

/** Like {@link findDuplicatesIn}, with the whole records of the cluster members by path (what review shows of them). */
export function findWithMembers(catalog: Catalog, options: FindOptions = {}): {clusters: Cluster[]; members: Map<string, StoredFile>} {
	const data = new DupesData(catalog);
	const align = new AlignData(catalog);
	const members = new Map<string, StoredFile>();
	const clusters = findDuplicates(
		data.lightFiles(),
		{...options, distinct: options.distinct ?? data.distinctPairs()},
		{
			loadVerification: ids => withDetails(data.signatures(ids), align.details(ids)),
			damaged: align.damagedIds(),
			windowHashes: align.windowHashes(),
			loadFiles(ids) {
				const files = data.fullFiles(ids);
				for (const file of files.values()) {
					members.set(file.path, file);
				}

				return files;
			},
		},
	);
	return {clusters, members};
}

/** Signatures with the detail grids of the same photos (issue 15). */
function withDetails<T extends object>(signatures: Map<number, T>, details: ReadonlyMap<number, Uint8Array>): Map<number, T & {detail: Uint8Array | null}> {
	return new Map([...signatures].map(([id, value]) => [id, {...value, detail: details.get(id) ?? null}]));
}
