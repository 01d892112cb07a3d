// The helper threads of a duplicate search (source/dupes/helper-pool.ts): the loop that shares batches with them, and
// a whole search over a catalog file that shares its window lookup, verification and ranking, held to one thread.
import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {Catalog} from '../../source/db/catalog.js';
import {findDuplicates, type FindOptions} from '../../source/dupes/find.js';
import {type BatchPool, helperCounts, inBatches} from '../../source/dupes/helper-pool.js';
import {searchClusters} from '../../source/dupes/in-catalog.js';
import {addFarCopies} from '../helpers/far-copies.js';
import {buildSyntheticCatalog} from '../helpers/synthetic-catalog.js';
import {tempDir} from '../helpers/temp.js';

/** A pool that takes every batch `takes` allows and answers them in reverse, failing those `fails` names. */
function fakePool(takes: (index: number) => boolean, fails: (index: number) => boolean): BatchPool<string> & {closed: boolean; taken: number[]} {
	const held: number[] = [];
	const pool = {
		closed: false,
		taken: [] as number[],
		offer(index: number) {
			if (!takes(index)) return false;
			held.push(index);
			pool.taken.push(index);
			return true;
		},
		finished() {
			// Answers come back in any order: the last taken first, one at a time.
			const done = new Map<number, string | undefined>();
			const index = held.pop();
			if (index !== undefined) done.set(index, fails(index) ? undefined : `helper ${index}`);
			return done;
		},
		wait(index: number) {
			held.splice(held.indexOf(index), 1);
			return fails(index) ? undefined : `helper ${index}`;
		},
		close() {
			pool.closed = true;
		},
	};
	return pool;
}

test('batches shared with helpers come back in batch order, a failed one done here, progress never going back, the pool closed', () => {
	const pool = fakePool(
		index => index % 3 !== 0,
		index => index === 4 || index === 8,
	);
	const progress: number[] = [];
	const results = inBatches(10, index => `here ${index}`, pool, done => progress.push(done));
	assert.deepEqual(results, ['here 0', 'helper 1', 'helper 2', 'here 3', 'here 4', 'helper 5', 'here 6', 'helper 7', 'here 8', 'here 9']);
	assert.deepEqual(pool.taken, [1, 2, 4, 5, 7, 8]);
	assert.deepEqual(progress, [...progress].sort((a, b) => a - b));
	assert.equal(progress.at(-1), 10);
	assert.ok(pool.closed);
	assert.deepEqual(inBatches(3, index => index, undefined), [0, 1, 2], 'without a pool every batch is done here');
});

test('a search over a catalog file shares its read, window lookup, verification and ranking with helper threads and finds what one thread finds', () => {
	const file = path.join(tempDir('curate-helper-pool-'), 'catalog.db');
	buildSyntheticCatalog(file, 5000, {seed: 27});
	// Copies at far ids, so that the read of every photo has batches for its helper.
	addFarCopies(file, {batches: [2, 3], every: 40});
	const catalog = Catalog.open(file);
	const scale = helperCounts.scale;
	try {
		// Helpers for any amount of work, so that this small catalog starts them as a million photos would.
		helperCounts.scale = 0;
		for (const options of [{kind: 'all'}, {kind: 'similar', sensitivity: 'loose'}] as FindOptions[]) {
			const before = {...helperCounts.answered};
			const shared = searchClusters(catalog, options, {batch: 40});
			const answered = (kind: string) => (helperCounts.answered[kind] ?? 0) - (before[kind] ?? 0);
			assert.ok(answered('read') > 0 && answered('windows') === 1 && answered('verify') > 0 && answered('rank') > 0, `helpers did each stage's work: ${JSON.stringify(helperCounts.answered)}`);
			assert.deepEqual(shared, findDuplicates(catalog.allPresent(), {...options, distinct: catalog.distinctPairs()}));
		}
	} finally {
		helperCounts.scale = scale;
		catalog.close();
	}
});
