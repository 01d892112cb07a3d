import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import Database from 'better-sqlite3';
import {Catalog} from '../../source/db/catalog.js';
import {connectionOf} from '../../source/db/connection.js';
import {DupeStore} from '../../source/db/dupe-store.js';
import {tempDir} from '../helpers/temp.js';

/** Every statement `make` prepares, in order. */
function preparedBy(make: () => void): string[] {
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

test('review reads a kept cluster by its id or its place through an index, never by reading every kept cluster of the search', () => {
	// Without statistics SQLite answered `search = ? AND id = ?` through the primary key (search, position): every kept
	// cluster of the search, 151 MB of JSON at a million photos, read again for each cluster review showed (issue 15).
	const catalog = Catalog.open(path.join(tempDir(), 'catalog.db'));
	try {
		const statements = preparedBy(() => new DupeStore(catalog));
		const plan = (sql: string) =>
			connectionOf(catalog)
				.prepare(`EXPLAIN QUERY PLAN ${sql}`)
				.all(...Array.from({length: sql.split('?').length - 1}, () => 'x'))
				.map(row => (row as {detail: string}).detail)
				.join(' | ');
		const byId = statements.filter(sql => /\bid = \?/.test(sql));
		assert.ok(byId.length >= 4, `${byId.length} lookups by id: the cluster, and its place in each of three orders`);
		for (const sql of byId) {
			assert.match(plan(sql), /^SEARCH dupe_clusters USING INDEX dupe_clusters_id \(search=\? AND id=\?\)$/, sql);
		}

		const pages = statements.filter(sql => /BETWEEN/.test(sql));
		assert.equal(pages.length, 3, 'a page of each order');
		for (const sql of pages) {
			assert.match(plan(sql), /^SEARCH dupe_clusters USING COVERING INDEX dupe_clusters_by_\w+ \(search=\? AND by_\w+>\? AND by_\w+<\?\)$/, sql);
		}
	} finally {
		catalog.close();
	}
});
