// Ranking's helper threads (source/dupes/rank-helpers.ts, over source/dupes/helper-pool.ts): clusters ranked in a
// worker thread must be the text ranking them here makes, in the same order, companions, damaged copies and all.
import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {Catalog} from '../../source/db/catalog.js';
import {connectionOf} from '../../source/db/connection.js';
import {DupesData} from '../../source/db/dupes-data.js';
import {findGroups, type FoundGroups} from '../../source/dupes/find.js';
import {rankHelpers} from '../../source/dupes/rank-helpers.js';
import {rankedTexts} from '../../source/dupes/ranked-texts.js';
import {counted} from '../helpers/counted-pool.js';
import {buildSyntheticCatalog} from '../helpers/synthetic-catalog.js';
import {tempDir} from '../helpers/temp.js';

function searched(size: number, seed: number, kind: 'all' | 'similar') {
	const file = path.join(tempDir('curate-rank-helpers-'), 'catalog.db');
	buildSyntheticCatalog(file, size, {seed});
	const catalog = Catalog.open(file);
	const data = new DupesData(catalog);
	const found = findGroups(data.lightFiles(), {kind, distinct: catalog.distinctPairs()}, {loadVerification: ids => data.verification(ids)});
	return {file, catalog, data, found};
}

for (const kind of ['all', 'similar'] as const) {
	test(`--kind ${kind}: clusters ranked in a helper thread are the text ranking them here makes, in the same order`, () => {
		const {file, catalog, data, found} = searched(2500, 31, kind);
		try {
			// Damaged copies are said first among a member's reasons: some made up here, so the helper's numbering of them is held too.
			const damaged = new Map(found.damaged);
			for (const group of found.groups.filter((_, index) => index % 7 === 0)) damaged.set(group.members.at(-1)!, 0.5);
			const withDamaged: FoundGroups = {...found, damaged};
			const batches = Math.ceil(found.groups.length / 20);
			assert.ok(batches >= 10, `enough batches to share (${batches})`);

			const alone = rankedTexts(data, withDamaged, undefined, {batch: 20});
			assert.ok(alone.some(cluster => cluster.json.includes('"companions":["')), 'clusters with companions');
			assert.ok(alone.some(cluster => cluster.json.includes('damaged copy (decodes only 50 %)')), 'clusters with a damaged copy');
			const helped = {taken: 0, answered: 0};
			const shared = rankedTexts(data, withDamaged, undefined, {batch: 20, helpers: counted(rankHelpers(file, {count: 1, fewest: 0}), helped)});
			assert.deepEqual(shared, alone);
			assert.ok(helped.taken > 0 && helped.taken < batches, `the helper took some of the ${batches} batches and left others (${helped.taken})`);
			assert.equal(helped.answered, helped.taken, 'the helper ranked every batch it took');
		} finally {
			catalog.close();
		}
	});
}

test('a cluster member deleted from the catalog while the search runs: its batch is ranked here, as without helpers', () => {
	const {file, catalog, data, found} = searched(1500, 4, 'all');
	try {
		// Every member of every group is gone from the catalog: each batch a helper takes fails there and comes back here.
		const ids = found.groups.flatMap(group => group.members.map(unit => found.units[unit]!.file.id));
		connectionOf(catalog).prepare('DELETE FROM files WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(ids));
		const alone = rankedTexts(data, found, undefined, {batch: 10});
		const helped = {taken: 0, answered: 0};
		const started = performance.now();
		const shared = rankedTexts(data, found, undefined, {batch: 10, helpers: counted(rankHelpers(file, {count: 1, fewest: 0}), helped)});
		assert.deepEqual(shared, alone);
		assert.ok(helped.taken > 0, 'the helper was offered batches');
		assert.equal(helped.answered, 0, 'none came back from it');
		assert.ok(performance.now() - started < 20_000, `took ${Math.round(performance.now() - started)} ms`);
	} finally {
		catalog.close();
	}
});
