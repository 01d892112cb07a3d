/**
 * Copies of some of a catalog's files at ids far beyond the others, so that a read of every photo by ranges of ids
 * (source/db/dupes-data.ts, 8,192 ids a batch) has several batches without a catalog of tens of thousands of photos.
 * Each copy is its original's row at another path (exact copies, for duplicate finding), written through SQLite's
 * own INSERT so the catalog's triggers see it as scan's writes.
 */
import Database from 'better-sqlite3';

/** Copies every `every`-th present file to ids from `batches` batches on, one batch apart per copy; returns how many. */
export function addFarCopies(catalogFile: string, {batches = [2, 3, 5], every = 9}: {readonly batches?: readonly number[]; readonly every?: number} = {}): number {
	const db = new Database(catalogFile);
	try {
		let copies = 0;
		db.transaction(() => {
			for (const batch of batches) {
				db.exec(`CREATE TEMP TABLE far AS SELECT * FROM files WHERE status = 'present' AND id % ${every} = 0`);
				db.exec(`UPDATE temp.far SET id = id + ${batch * 8192}, path = 'far ${batch}/' || path`);
				copies += db.prepare('INSERT INTO files SELECT * FROM temp.far').run().changes;
				db.exec('DROP TABLE temp.far');
			}
		})();
		return copies;
	} finally {
		db.close();
	}
}
