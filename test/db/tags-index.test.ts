import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import {Catalog} from '../../source/db/catalog.js';
import {connectionOf} from '../../source/db/connection.js';
import {queryPlan} from '../helpers/sql.js';
import {tempDir} from '../helpers/temp.js';

/** The plan SQLite picks for `sql` (parameters bound to text). */
function plan(catalog: Catalog, sql: string, parameters: unknown[]): string {
	return queryPlan(connectionOf(catalog), sql, parameters).join(' | ');
}

test('tag writes keep one index, not two: tags_tag is gone and the lookups it served use the primary key or tags_review', () => {
	const catalog = Catalog.open(path.join(tempDir(), 'catalog.db'));
	try {
		const indexes = connectionOf(catalog).prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'tags' AND sql IS NOT NULL ORDER BY name").pluck().all();
		assert.deepEqual(indexes, ['tags_review']);
		// The lookups that used tags_tag (found with EXPLAIN QUERY PLAN over every statement in source/db on tags).
		assert.match(plan(catalog, 'SELECT tag, source, state, confidence FROM tags WHERE sha256 = ? AND tag = ? ORDER BY source', ['a', 'b']), /USING PRIMARY KEY \(sha256=\? AND tag=\?\)/);
		assert.match(plan(catalog, "SELECT d.state FROM tags d WHERE d.sha256 = ? AND d.tag = ? AND d.state != 'suggested'", ['a', 'b']), /USING PRIMARY KEY \(sha256=\? AND tag=\?\)/);
		assert.match(plan(catalog, 'SELECT DISTINCT tag FROM tags', []), /COVERING INDEX tags_review/);
		assert.match(plan(catalog, "SELECT sha256 FROM tags WHERE state != 'rejected' AND tag IN (?, ?)", ['a', 'b']), /COVERING INDEX tags_review \(tag=\?\)/);
	} finally {
		catalog.close();
	}
});
