// Reading every photo's light records with a helper thread (source/dupes/read-helpers.ts): the helper steps most of the
// read's batches through its own connection and this thread makes the records of each, in order. What comes out must be
// what reading every batch here gives, and a helper that cannot work must cost nothing but time.
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {Catalog} from '../../source/db/catalog.js';
import {DupesData, type EveryBatchesAway, type EveryPhoto} from '../../source/db/dupes-data.js';
import {helperCounts} from '../../source/dupes/helper-pool.js';
import {everyBatchesAway} from '../../source/dupes/read-helpers.js';
import {encodeWindowHashes, windowHashes} from '../../source/dupes/window-hash.js';
import {addFarCopies} from '../helpers/far-copies.js';
import {buildSyntheticCatalog} from '../helpers/synthetic-catalog.js';
import {tempDir} from '../helpers/temp.js';

/** What a light record holds (source/db/dupes-data.ts), some of it through getters. */
const fields = ['id', 'path', 'size', 'sha256', 'contentHash', 'format', 'kind', 'width', 'height', 'takenAt', 'takenAtSource', 'livePhotoId', 'burstId', 'phash', 'phashRotations', 'phashCrops', 'contentWidth', 'contentHeight', 'frames', 'status'] as const;

/** Everything a read gives, as plain data: each record's fields, the window hashes by id, the damaged and shared ids. */
function plain(every: EveryPhoto) {
	return {
		files: every.files.map(file => fields.map(key => file[key])),
		windows: every.files.map(file => every.windowHashes(file.id) && [...every.windowHashes(file.id)!]),
		damaged: [...every.damaged],
		shared: every.shared && {sha256: [...every.shared.sha256].sort(), contentHash: [...every.shared.contentHash].sort()},
	};
}

const fromSignature = (signature: Uint8Array) => encodeWindowHashes(windowHashes(signature));

describe('reading every photo with a helper thread', () => {
	// One catalog for every case (they only read it) whose read of every photo has several batches: ids up to the sixth.
	let file: string;
	let catalog: Catalog;
	let data: DupesData;
	before(() => {
		file = path.join(tempDir('curate-read-helpers-'), 'catalog.db');
		buildSyntheticCatalog(file, 700, {seed: 41});
		const copies = addFarCopies(file);
		assert.ok(copies > 150, `${copies} far copies`);
		catalog = Catalog.open(file, {readonly: true});
		data = new DupesData(catalog);
	});
	after(() => {
		catalog.close();
	});

	/** What `run` gives, and how many batches helpers read for it. */
	const counted = <T>(run: () => T): {result: T; read: number} => {
		const before = helperCounts.answered.read ?? 0;
		const result = run();
		return {result, read: (helperCounts.answered.read ?? 0) - before};
	};

	test('every photo read with a helper thread gives the records, window hashes, damaged and shared ids of reading every batch here', () => {
		const here = plain(data.everyPhoto(fromSignature));
		assert.ok(here.files.some(([, path]) => String(path).startsWith('far 5/')), 'the last batch was read');
		const away = counted(() => plain(data.everyPhoto(fromSignature, everyBatchesAway(file, {count: 1, fewest: 0}))));
		// Six batches (ids to the sixth): this thread steps the first and the fifth, the helper the other four.
		assert.equal(away.read, 4, 'the helper read its batches');
		assert.deepEqual(away.result, here);
	});

	test('every photo\'s lookup rows, as a refresh reads them, come the same through a helper thread as read here', () => {
		const rows = (away?: EveryBatchesAway) => {
			const seen: unknown[] = [];
			data.eachLookupRow(fromSignature, (id, lookup, windows) => seen.push([id, {...lookup}, windows && [...windows]]), away);
			return seen;
		};

		const here = rows();
		assert.ok(here.length > 800, `${here.length} rows`);
		const away = counted(() => rows(everyBatchesAway(file, {count: 1, fewest: 0})));
		assert.deepEqual(away.result, here);
		assert.equal(away.read, 4, 'the helper read its batches');
	});

	test('a helper that cannot open the catalog leaves the read to this thread, with the same records', () => {
		const here = plain(data.everyPhoto(fromSignature));
		const started = performance.now();
		const missing = path.join(tempDir('curate-read-helpers-'), 'no-such-catalog.db');
		const away = counted(() => plain(data.everyPhoto(fromSignature, everyBatchesAway(missing, {count: 1, fewest: 0}))));
		assert.deepEqual(away.result, here);
		assert.equal(away.read, 0, 'nothing came back from it');
		assert.ok(performance.now() - started < 20_000, `took ${Math.round(performance.now() - started)} ms`);
	});

	test('a read of fewer batches than are worth a helper starts none', () => {
		const away = counted(() => plain(data.everyPhoto(fromSignature, everyBatchesAway(file, {count: 1, fewest: 7}))));
		assert.deepEqual(away.result, plain(data.everyPhoto(fromSignature)));
		assert.equal(away.read, 0);
	});
});
