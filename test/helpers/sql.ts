/** SQLite helpers for tests that pin query plans or start from an older catalog. */
import Database from 'better-sqlite3';
import {migrations} from '../../source/db/migrations.js';

/** Every statement `make` prepares, in order. */
export function preparedBy(make: () => void): string[] {
	const prepared: string[] = [];
	const {prepare} = Database.prototype;
	Database.prototype.prepare = function (this: Database.Database, sql: string) {
		prepared.push(sql);
		return prepare.call(this, sql);
	} as typeof prepare;
	try {
		make();
	} finally {
		Database.prototype.prepare = prepare;
	}

	return prepared;
}

/** The steps of the plan SQLite picks for `sql` with these parameters. */
export function queryPlan(db: Database.Database, sql: string, parameters: readonly unknown[] = []): string[] {
	return db
		.prepare(`EXPLAIN QUERY PLAN ${sql}`)
		.all(...parameters)
		.map(row => (row as {detail: string}).detail);
}

/**
 * A catalog file as a Curate before migration `version` left it: every earlier migration run, its schema version set,
 * foreign keys on as the catalog has them. The caller closes it.
 */
export function catalogBefore(file: string, version: number): Database.Database {
	const old = new Database(file);
	old.pragma('foreign_keys = ON');
	const earlier = migrations.filter(candidate => candidate.version < version);
	for (const migration of earlier) {
		old.exec(migration.sql);
	}

	old.pragma(`user_version = ${earlier.at(-1)!.version}`);
	return old;
}
