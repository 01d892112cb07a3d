/**
 * `curate dupes --json` straight from a kept search (issue 15). At a million photos the kept clusters are 151 MB of
 * JSON: parsing them into objects and printing them again took most of the command's 10.6 s of CPU and 807 MB. They
 * are kept as the JSON `dupes --json` prints, so the document is written from that text, a chunk at a time.
 */
import {escapeJsonText} from '../core/sanitize.js';
import type {Catalog} from '../db/catalog.js';
import {DupeStore} from '../db/dupe-store.js';
import type {FindOptions} from './find.js';
import {refreshIfOutdated, searchAndKeep, type SearchHooks, searchKey} from './in-catalog.js';

/** Characters written at a time. */
const chunk = 1 << 20;

/**
 * Writes `{"clusters": [...], "reclaimableBytes": N}` and a newline, the same text as `safeJson` of the kept clusters,
 * when a search with these options is kept and still valid; returns false, having written nothing, when not.
 */
export function writeKeptClustersJson(catalog: Catalog, options: FindOptions, write: (text: string) => void): boolean {
	const key = searchKey(options);
	if (key === undefined) {
		return false;
	}

	refreshIfOutdated(catalog, options);
	const document = jsonDocument(write);
	const kept = new DupeStore(catalog).eachClusterJson(key, json => {
		document.add(json);
	});
	if (!kept) {
		return false;
	}

	document.end(kept.reclaimableBytes);
	return true;
}

/**
 * Writes what `safeJson({clusters, reclaimableBytes})` of a search would, a chunk at a time: the kept search's when
 * valid, else a new search's, from the text it was kept as (or would have been, when the catalog could not take it:
 * locked, read-only).
 */
export function writeClustersJson(catalog: Catalog, options: FindOptions, write: (text: string) => void, hooks: SearchHooks = {}): void {
	if (writeKeptClustersJson(catalog, options, write)) {
		return;
	}

	const document = jsonDocument(write);
	let reclaimableBytes = 0;
	for (const cluster of searchAndKeep(catalog, options, hooks).clusters) {
		document.add(cluster.json);
		reclaimableBytes += cluster.reclaimableBytes;
	}

	document.end(reclaimableBytes);
}

/**
 * `{"clusters": [...], "reclaimableBytes": N}` and a newline from each cluster's JSON text, escaped as `safeJson`
 * escapes and written a chunk at a time. Nothing is written before the first chunk fills, so a caller that finds
 * nothing to add may drop it unwritten.
 */
function jsonDocument(write: (text: string) => void): {add: (json: string) => void; end: (reclaimableBytes: number) => void} {
	let pending = '{"clusters":[';
	let first = true;
	return {
		add(json) {
			pending += first ? json : `,${json}`;
			first = false;
			if (pending.length >= chunk) {
				write(escapeJsonText(pending));
				pending = '';
			}
		},
		end(reclaimableBytes) {
			write(escapeJsonText(`${pending}],"reclaimableBytes":${JSON.stringify(reclaimableBytes)}}\n`));
		},
	};
}
