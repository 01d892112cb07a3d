import type Database from 'better-sqlite3';

/**
 * Adds a copy of the catalog row at `from` at path `to`, as a scan writes a new file's row: every column but the id and
 * the path is the original's, except those `changes` sets (its SHA-256 and content hash, to make a copy with bytes of
 * its own). Fires the catalog's triggers as a scan's write does.
 */
export function copyFileRow(db: Database.Database, from: string, to: string, changes: Record<string, unknown> = {}): void {
	const columns = db
		.prepare<[], {name: string}>('PRAGMA table_info(files)')
		.all()
		.map(column => column.name)
		.filter(name => name !== 'id' && name !== 'path' && !(name in changes));
	const set = Object.keys(changes);
	db.prepare(`INSERT INTO files (path, ${[...set, ...columns].join(', ')}) SELECT ?, ${[...set.map(() => '?'), ...columns].join(', ')} FROM files WHERE path = ?`).run(
		to,
		...Object.values(changes),
		from,
	);
}
