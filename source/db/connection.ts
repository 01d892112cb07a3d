/**
 * The SQLite connection behind a `Catalog`, for the modules of `source/db/` only (issue 14: all SQL lives in db/,
 * and `Catalog` exposes methods, not its connection). The layering test fails when anything in `source/` outside
 * `source/db/` imports this module; tests may, to look at rows no method returns.
 */
import type Database from 'better-sqlite3';

const connections = new WeakMap<object, Database.Database>();

/** Records the connection of a catalog (called once, by `Catalog`'s constructor). */
export function registerConnection(owner: object, db: Database.Database): void {
	connections.set(owner, db);
}

/** The connection of a catalog opened by `Catalog.open`. */
export function connectionOf(owner: object): Database.Database {
	const db = connections.get(owner);
	if (!db) {
		throw new Error('not a catalog opened by Catalog.open');
	}

	return db;
}
