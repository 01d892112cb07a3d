/**
 * Duplicate clusters kept in the catalog between searches (issue 15, migration 18). A search over a million photos
 * takes a minute; what it found stays valid until something that can change clusters changes, which triggers count
 * in `dupe_state.generation` (files added, removed or changed, "not duplicates" decisions). A search is kept with the
 * generation it read, and counts only while the generation is still that one.
 *
 * `curate dupes` and `curate status` open the catalog read-only: the clusters are then written through a second,
 * writable connection that waits for no lock. Keeping them is an optimisation, so a catalog that cannot take the write
 * (locked, on a nearly full disk, opened by an older Curate) only means the next search runs again.
 */
import Database from 'better-sqlite3';
import {connectionOf} from './connection.js';
import type {Catalog} from './catalog.js';

/**
 * What the store reads of a cluster to keep it: the rest is kept as it is, as JSON (a duplicate cluster as
 * `curate dupes --json` prints it, source/dupes/types.ts; this module does not import it, db/ sits below dupes/).
 */
export type KeepableCluster = {
	readonly id: string;
	readonly kind: string;
	readonly reclaimableBytes: number;
	readonly members: ReadonlyArray<{readonly path: string; readonly takenAt: string | null}>;
};

/** Review's cluster orders: most space first, oldest capture first, or by the first member's path. */
export type ClusterOrder = 'reclaim' | 'date' | 'path';

/** What clusters are sorted by, known for kept clusters without reading their members. */
export type ClusterSortKeys = {readonly id: string; readonly reclaimableBytes: number; readonly earliest: string | null; readonly firstPath: string};

// String.prototype.localeCompare without arguments, without building a collator per call.
const {compare} = new Intl.Collator();
// Clusters without any capture date sort last.
const dateOf = (keys: ClusterSortKeys) => keys.earliest ?? '\uffff';

/**
 * The orders review offers, ties broken by cluster id. Kept searches store each cluster's place in every order
 * (migration 20), so review reads kept clusters in order without sorting them; a search review runs itself is sorted
 * with the same comparisons, so both give the same review.
 */
export const clusterOrders: Readonly<Record<ClusterOrder, (a: ClusterSortKeys, b: ClusterSortKeys) => number>> = {
	reclaim: (a, b) => b.reclaimableBytes - a.reclaimableBytes || compare(a.id, b.id),
	date: (a, b) => compare(dateOf(a), dateOf(b)) || compare(a.id, b.id),
	path: (a, b) => compare(a.firstPath, b.firstPath) || compare(a.id, b.id),
};

/** What review's orders compare first, as text: roughly their order when compared by code units. */
const roughKeys: Readonly<Record<ClusterOrder, ((keys: ClusterSortKeys) => string) | undefined>> = {
	// Mostly by size, a number: compared as they are, the clusters take about one comparison each already.
	reclaim: undefined,
	date: dateOf,
	path: keys => keys.firstPath,
};

/**
 * The positions of these clusters in review's order `order`, as sorting them by {@link clusterOrders} gives them.
 * Sorting 176,828 clusters by the locale's comparison called it 2.8 million times: 0.6 s for each of the date and path
 * orders on their own, 2.5 s of keeping a search at a million photos. Sorted first by code units (natively, no call
 * per comparison), they are in nearly the locale's order, and the sort, which takes runs already in order as they are
 * (TimSort), then compares each about once. Ties, were there any, keep the clusters' own order, as before.
 */
export function sortedPositions(clusters: readonly ClusterSortKeys[], order: ClusterOrder): number[] {
	const rough = roughKeys[order];
	const positions = rough
		? clusters
				.map((keys, position) => `${rough(keys)}\u0000${position}`)
				.sort()
				.map(text => Number(text.slice(text.lastIndexOf('\u0000') + 1)))
		: clusters.map((_, position) => position);
	return positions.sort((a, b) => clusterOrders[order](clusters[a]!, clusters[b]!) || a - b);
}

/** Sort keys of a cluster: its earliest capture time (null when no member has one) and its first member's path. */
export function sortKeysOf(cluster: KeepableCluster): ClusterSortKeys {
	let earliest: string | null = null;
	for (const member of cluster.members) {
		if (member.takenAt !== null && (earliest === null || member.takenAt < earliest)) {
			earliest = member.takenAt;
		}
	}

	return {id: cluster.id, reclaimableBytes: cluster.reclaimableBytes, earliest, firstPath: cluster.members[0]?.path ?? ''};
}

/**
 * A cluster as a search that ranks a batch of groups at a time keeps it: its sort keys, tier and size, and the JSON
 * text it is kept (and printed) as, made once.
 */
export type ClusterText = ClusterSortKeys & {readonly kind: string; readonly members: number; readonly json: string};

/** What a kept cluster's row holds besides its text. */
type RowKeys = ClusterSortKeys & {readonly kind: string; readonly members: number};

/** A kept cluster as review lists it before reading its members: its place in review's order, and its size. */
export type KeptClusterEntry = {
	readonly place: number;
	readonly id: string;
	readonly kind: string;
	readonly reclaimableBytes: number;
	readonly members: number;
};

/** A kept search as review reads it a page at a time: how many clusters, and what tells this search from a later one. */
export type KeptSearch = {readonly key: string; readonly clusters: number; readonly stamp: string};

/** A kept cluster's row as text: position, id, kind, reclaimable, members, earliest, first_path, cluster. */
type TextRow = [number, string, string, number, number, string | null, string, string];

/** A kept cluster as its text, with its position in the search that kept it. */
export type KeptClusterText = ClusterText & {readonly position: number};

function textOf([position, id, kind, reclaimableBytes, members, earliest, firstPath, json]: TextRow): KeptClusterText {
	return {position, id, kind, reclaimableBytes, members, earliest, firstPath, json};
}

/** A photo that left the library (trashed, or gone from the disk): where it was, its size and its Live Photo id. */
export type LeftPhoto = {readonly path: string; readonly width: number | null; readonly height: number | null; readonly livePhotoId: string | null};

/**
 * A kept search that only changes a refresh may follow have put out of date since it was kept (migration 24):
 * `search` is its id, `generation` the one it was found at, `current` the catalog's; `decisions` are the contents of
 * the "not duplicates" decisions made, changed or taken back since, as `[sha_a, sha_b]`, `left` the photos that
 * left the library since, and `added` the files added, back or changed since.
 */
export type OutdatedSearch = {
	readonly search: number;
	readonly generation: number;
	readonly current: number;
	readonly decisions: ReadonlyArray<readonly [string, string]>;
	readonly left: readonly LeftPhoto[];
	/** Catalog ids of the files added or changed since (a changed one also left as it was). */
	readonly added: readonly number[];
};

/** A kept search's row: its id is what its clusters are kept under (migration 22). */
type SearchRow = {id: number; generation: number; clusters: number; found_at: string};

/** One prepared statement for each of review's orders. */
function perOrder<T>(make: (order: ClusterOrder) => T): Record<ClusterOrder, T> {
	return {reclaim: make('reclaim'), date: make('date'), path: make('path')};
}

/** SQLite's page cache while keeping a search, in KiB as `cache_size` takes it (negative). */
const writeCacheKiB = -16_000;

/** Clusters per insert transaction when keeping a search. */
const writeBatch = 20_000;

/** Reads and keeps duplicate searches in one catalog. */
export class DupeStore {
	private readonly db: Database.Database;
	private readonly statements;

	constructor(private readonly catalog: Catalog) {
		this.db = connectionOf(catalog);
		const db = this.db;
		// Catalogs before migration 18 (a read-only open of an older one is migrated first, so this is for safety).
		const ready = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'dupe_state'").get() !== undefined;
		this.statements = ready
			? {
					generation: db.prepare<[], {generation: number}>('SELECT generation FROM dupe_state WHERE id = 1'),
					state: db.prepare<[], {generation: number; rebuild: number}>('SELECT generation, rebuild_generation AS rebuild FROM dupe_state WHERE id = 1'),
					decisionsSince: db.prepare<[number, number], [string, string]>('SELECT sha_a, sha_b FROM dupe_decisions_changed WHERE generation > ? AND generation <= ? ORDER BY generation').raw(),
					addedSince: db.prepare<[number, number], number>('SELECT DISTINCT file_id FROM dupe_files_added WHERE generation > ? AND generation <= ?').pluck(),
					leftSince: db.prepare<[number, number], {path: string; width: number | null; height: number | null; livePhotoId: string | null}>(
						'SELECT path, width, height, live_photo_id AS livePhotoId FROM dupe_files_left WHERE generation > ? AND generation <= ? ORDER BY generation',
					),
					texts: db.prepare<[number], TextRow>('SELECT position, id, kind, reclaimable, members, earliest, first_path, cluster FROM dupe_clusters WHERE search = ? ORDER BY position').raw(),
					// Clusters are kept under their search's integer id, not its key (migration 22): every statement below takes
					// the id, looked up here once per call.
					search: db.prepare<[string], SearchRow>('SELECT id, generation, clusters, found_at FROM dupe_searches WHERE key = ?'),
					clusters: db.prepare<[number], {cluster: string}>('SELECT cluster FROM dupe_clusters WHERE search = ? ORDER BY position'),
					// From review's reclaim-order index, which holds both columns: none of the clusters' JSON is read.
					totals: db.prepare<[number], {clusters: number; files: number; reclaimableBytes: number}>(
						'SELECT count(*) AS clusters, coalesce(sum(members), 0) AS files, coalesce(sum(reclaimable), 0) AS reclaimableBytes FROM dupe_clusters INDEXED BY dupe_clusters_by_reclaim WHERE search = ?',
					),
					first: db.prepare<[number, number], {cluster: string}>('SELECT cluster FROM dupe_clusters WHERE search = ? ORDER BY position LIMIT ?'),
					clusterJson: db.prepare<[number], [number, string]>('SELECT reclaimable, cluster FROM dupe_clusters WHERE search = ? ORDER BY position').raw(),
					// By its index: without statistics SQLite reads these through the primary key (search, position), every
					// kept cluster of the search, which at a million photos took a second for each cluster review showed.
					cluster: db.prepare<[number, string], {cluster: string}>('SELECT cluster FROM dupe_clusters INDEXED BY dupe_clusters_id WHERE search = ? AND id = ?'),
					// One statement per order, each reading its own index (which holds every column it returns) in order: a page
					// of places, and a cluster's place by its id.
					page: perOrder(order =>
						db.prepare<[number, number, number], [number, string, string, number, number]>(
							`SELECT by_${order}, id, kind, reclaimable, members FROM dupe_clusters INDEXED BY dupe_clusters_by_${order} WHERE search = ? AND by_${order} BETWEEN ? AND ? ORDER BY by_${order}`,
						).raw(),
					),
					placeOf: perOrder(order => db.prepare<[number, string], {place: number}>(`SELECT by_${order} AS place FROM dupe_clusters INDEXED BY dupe_clusters_id WHERE search = ? AND id = ?`)),
					under: perOrder(order =>
						db.prepare<{search: number; folder: string}, {place: number}>(
							// A cluster with a member at or inside the folder ('' is the whole library); plain comparisons, not LIKE,
							// whose % and _ a folder name may hold.
							`SELECT DISTINCT c.by_${order} AS place FROM dupe_clusters c, json_each(c.cluster, '$.members') m
								WHERE c.search = @search AND (@folder = '' OR json_extract(m.value, '$.path') = @folder
									OR substr(json_extract(m.value, '$.path'), 1, length(@folder) + 1) = @folder || '/')
								ORDER BY place`,
						),
					),
				}
			: undefined;
	}

	/** The current generation (what a search about to start will be kept under), or undefined before migration 18. */
	generation(): number | undefined {
		return this.statements?.generation.get()?.generation;
	}

	/** Whether the search with this key is kept and still valid. */
	has(key: string): boolean {
		return this.validId(key) !== undefined;
	}

	/** The kept clusters of a valid search, in the order it found them; undefined when there is none. */
	clusters<T extends KeepableCluster>(key: string): T[] | undefined {
		const search = this.validId(key);
		if (search === undefined) {
			return undefined;
		}

		const out: T[] = [];
		for (const row of this.statements!.clusters.iterate(search)) {
			out.push(JSON.parse(row.cluster) as T);
		}

		return out;
	}

	/**
	 * How many clusters a valid kept search holds and what resolving them frees, with its first `limit` clusters, in one
	 * read: the totals from an index and only those rows' JSON (`curate dupes` lists 50 of 176,828 at a million photos).
	 * Undefined when there is none.
	 */
	listing<T extends KeepableCluster>(key: string, limit: number): {clusters: number; reclaimableBytes: number; first: T[]} | undefined {
		const statements = this.statements;
		return statements
			? this.db.transaction(() => {
					const search = this.validId(key);
					if (search === undefined) {
						return undefined;
					}

					const {clusters, reclaimableBytes} = statements.totals.get(search)!;
					return {clusters, reclaimableBytes, first: statements.first.all(search, limit).map(row => JSON.parse(row.cluster) as T)};
				})()
			: undefined;
	}

	/**
	 * The kept clusters of a valid search as the JSON text they were kept as, in the order the search found them,
	 * given to `each` one at a time (nothing is parsed: at a million photos they are 151 MB of JSON); returns their
	 * reclaimable bytes, or undefined (without calling `each`) when there is no such search. One read transaction, so
	 * a search kept meanwhile by another process is not mixed in.
	 */
	eachClusterJson(key: string, each: (json: string) => void): {readonly clusters: number; readonly reclaimableBytes: number} | undefined {
		const statements = this.statements;
		if (!statements) {
			return undefined;
		}

		return this.db.transaction(() => {
			const search = this.validId(key);
			if (search === undefined) {
				return undefined;
			}

			let clusters = 0;
			let reclaimableBytes = 0;
			for (const [reclaimable, json] of statements.clusterJson.iterate(search)) {
				clusters++;
				reclaimableBytes += reclaimable;
				each(json);
			}

			return {clusters, reclaimableBytes};
		})();
	}

	/** How many clusters, members and reclaimable bytes a valid kept search holds, from its index alone; undefined when there is none. */
	totals(key: string): {readonly clusters: number; readonly files: number; readonly reclaimableBytes: number} | undefined {
		const statements = this.statements;
		return statements
			? this.db.transaction(() => {
					const search = this.validId(key);
					return search === undefined ? undefined : statements.totals.get(search)!;
				})()
			: undefined;
	}

	/**
	 * The search kept under this key when it is out of date, with the changes since it was kept, which a refresh may
	 * follow (source/dupes/refresh.ts); undefined when it is valid, when there is none, or when a change that is not
	 * listed came since (migration 24). One read transaction, so the changes listed are those up to `current`.
	 */
	outdated(key: string): OutdatedSearch | undefined {
		const statements = this.statements;
		return statements
			? this.db.transaction(() => {
					const search = statements.search.get(key);
					const state = statements.state.get();
					if (!search || !state || search.generation === state.generation || state.rebuild > search.generation) {
						return undefined;
					}

					const decisions = statements.decisionsSince.all(search.generation, state.generation);
					const left = statements.leftSince.all(search.generation, state.generation);
					const added = statements.addedSince.all(search.generation, state.generation);
					return {search: search.id, generation: search.generation, current: state.generation, decisions, left, added};
				})()
			: undefined;
	}

	/** Every cluster of a kept search (valid or not) as its text, in the order it was found. */
	texts(search: number): KeptClusterText[] {
		return this.statements ? this.statements.texts.all(search).map(row => textOf(row)) : [];
	}

	/**
	 * A valid kept search as review reads it: its number of clusters, and a stamp that changes when another search is
	 * kept in its place. Undefined when there is none.
	 */
	kept(key: string): KeptSearch | undefined {
		const search = this.statements?.search.get(key);
		return search && search.generation === this.generation() ? {key, clusters: search.clusters, stamp: `${search.generation} ${search.found_at}`} : undefined;
	}

	/**
	 * The clusters at places `from` to `to` (inclusive) of one of review's orders, in that order, with what review counts
	 * by and not their members (kept searches hold each cluster's place in every order, 0 to clusters - 1: migration
	 * 20). Throws when the search is no longer the one `kept` gave (another search was kept in its place meanwhile), so a
	 * review never mixes two searches.
	 */
	entriesAt(search: KeptSearch, order: ClusterOrder, from: number, to: number): KeptClusterEntry[] {
		const statements = this.statements!;
		return this.db.transaction(() => {
			return statements.page[order].all(this.check(search), from, to).map(([place, id, kind, reclaimableBytes, members]) => ({place, id, kind, reclaimableBytes, members}));
		})();
	}

	/** The place in one of review's orders of the cluster with this id, if the search has it. */
	placeOf(search: KeptSearch, order: ClusterOrder, id: string): number | undefined {
		return this.db.transaction(() => {
			return this.statements!.placeOf[order].get(this.check(search), id)?.place;
		})();
	}

	/** Places in one of review's orders, ascending, of the kept clusters with a member at or inside `folder` (library-relative). */
	placesUnder(search: KeptSearch, order: ClusterOrder, folder: string): number[] {
		return this.db.transaction(() => {
			return this.statements!.under[order].all({search: this.check(search), folder: folder.replace(/\/+$/, '')}).map(row => row.place);
		})();
	}

	/** One kept cluster of a search by its id (ids come from the members' contents, so they outlive a new search). */
	cluster<T extends KeepableCluster>(key: string, id: string): T | undefined {
		const search = this.statements?.search.get(key);
		const row = search && this.statements!.cluster.get(search.id, id);
		return row ? (JSON.parse(row.cluster) as T) : undefined;
	}

	/**
	 * Keeps what a search found at `generation` (read before it started). Nothing is kept when something changed
	 * meanwhile or the catalog cannot take the write now; returns whether it was kept. Each cluster is made text as its
	 * row is written.
	 */
	keep(key: string, generation: number | undefined, clusters: readonly KeepableCluster[]): boolean {
		const rows = clusters.map(cluster => ({...sortKeysOf(cluster), kind: cluster.kind, members: cluster.members.length}));
		return this.write(key, generation, rows, position => JSON.stringify(clusters[position]));
	}

	/** Like {@link keep}, for clusters already made text, in the order the search found them. */
	keepTexts(key: string, generation: number | undefined, clusters: readonly ClusterText[]): boolean {
		return this.write(key, generation, clusters, position => clusters[position]!.json);
	}

	/** Writes a search's rows; `json` gives the text of the cluster at a position. */
	private write(key: string, generation: number | undefined, clusters: readonly RowKeys[], json: (position: number) => string): boolean {
		if (generation === undefined || !this.statements) {
			return false;
		}

		let writer: Database.Database | undefined;
		let cacheSize: unknown;
		try {
			writer = this.writer();
			if (!writer) {
				return false;
			}

			const db = writer;
			// Each cluster adds an entry at its own place in four indexes (its id and review's three orders): in SQLite's
			// default 2 MB of cache those pages were written out and read back again and again (0.6 s of system time for
			// 100,000 photos). The cache goes back to what it was when the write is done.
			cacheSize = db.pragma('cache_size', {simple: true});
			db.pragma(`cache_size = ${writeCacheKiB}`);
			const current = db.prepare<[], {generation: number}>('SELECT generation FROM dupe_state WHERE id = 1');
			const insert = db.prepare(
				'INSERT INTO dupe_clusters (search, position, id, kind, reclaimable, members, earliest, first_path, by_reclaim, by_date, by_path, cluster) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
			);
			// Each cluster's place in each of review's orders.
			const places = Object.fromEntries(
				(Object.keys(clusterOrders) as ClusterOrder[]).map(order => {
					const sorted = sortedPositions(clusters, order);
					const place = new Uint32Array(clusters.length);
					for (const [index, position] of sorted.entries()) {
						place[position] = index;
					}

					return [order, place];
				}),
			) as Record<ClusterOrder, Uint32Array>;
			const begin = db.transaction(() => {
				if (current.get()?.generation !== generation) {
					return false;
				}

				// Searches found at older generations are of no use any more; this one replaces its own earlier copy. Their
				// clusters go first, in one statement by their searches' ids, so deleting the searches has nothing to cascade to.
				db.prepare('DELETE FROM dupe_clusters WHERE search IN (SELECT id FROM dupe_searches WHERE key = ? OR generation <> ?)').run(key, generation);
				db.prepare('DELETE FROM dupe_searches WHERE key = ? OR generation <> ?').run(key, generation);
				return Number(
					db.prepare('INSERT INTO dupe_searches (key, generation, clusters, found_at) VALUES (?, ?, ?, ?)').run(key, generation, clusters.length, new Date().toISOString())
						.lastInsertRowid,
				);
			});
			const rows = db.transaction((search: number, from: number) => {
				for (let position = from; position < Math.min(clusters.length, from + writeBatch); position++) {
					const cluster = clusters[position]!;
					insert.run(
						search,
						position,
						cluster.id,
						cluster.kind,
						cluster.reclaimableBytes,
						cluster.members,
						cluster.earliest,
						cluster.firstPath,
						places.reclaim[position],
						places.date[position],
						places.path[position],
						json(position),
					);
				}
			});
			// One transaction for everything: a reader never sees half a search.
			return db.transaction(() => {
				const search = begin();
				if (search === false) {
					return false;
				}

				for (let from = 0; from < clusters.length; from += writeBatch) {
					rows(search, from);
				}

				// Every kept search is now at this generation: the changes listed up to it are known to all of them.
				db.prepare('DELETE FROM dupe_decisions_changed WHERE generation <= ?').run(generation);
				db.prepare('DELETE FROM dupe_files_left WHERE generation <= ?').run(generation);
				db.prepare('DELETE FROM dupe_files_added WHERE generation <= ?').run(generation);
				return true;
			}).immediate();
		} catch {
			// Locked by another process, disk full, read-only file system: the next search runs again.
			return false;
		} finally {
			if (writer && writer !== this.db) {
				writer.close();
			} else if (writer && typeof cacheSize === 'number') {
				writer.pragma(`cache_size = ${cacheSize}`);
			}
		}
	}

	/** The id of the search with this key when it is kept and still valid. */
	private validId(key: string): number | undefined {
		const search = this.statements?.search.get(key);
		return search !== undefined && search.generation === this.generation() ? search.id : undefined;
	}

	/** The kept search's id; throws when another search has been kept in place of this one (or it is gone). */
	private check(search: KeptSearch): number {
		const row = this.statements?.search.get(search.key);
		if (!row || `${row.generation} ${row.found_at}` !== search.stamp) {
			throw new Error('the duplicate clusters changed while under review (another curate found duplicates again); open curate review again');
		}

		return row.id;
	}

	/** A connection that may write: the catalog's own when it is writable, else a second one; none on a nearly full disk. */
	private writer(): Database.Database | undefined {
		if (!this.db.readonly) {
			// The heap-index reader (a nearly full disk) opens read-write in exclusive mode and must not write.
			return this.db.pragma('locking_mode', {simple: true}) === 'exclusive' ? undefined : this.db;
		}

		const writer = new Database(this.db.name, {fileMustExist: true});
		writer.pragma('busy_timeout = 0');
		writer.pragma('synchronous = NORMAL');
		writer.pragma('foreign_keys = ON');
		return writer;
	}
}
