import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import type {FileRecord} from '../../source/core/types.js';
import {Catalog} from '../../source/db/catalog.js';
import {connectionOf} from '../../source/db/connection.js';
import {tempDir} from '../helpers/temp.js';

/** Columns of `files` that record when and how a file was scanned, not what it is: changing them changes no cluster. */
const bookkeeping = new Set(['id', 'first_seen_at', 'scanned_at', 'scan_id', 'decoded_fully']);

function record(): FileRecord {
	return {
		path: 'a.jpg', size: 10, mtimeMs: 1000, sha256: 'aa', contentHash: null, format: 'jpeg', kind: 'image', width: 4, height: 3,
		orientation: 1, takenAt: '2020-01-01T10:00:00', takenAtSource: 'original', make: 'Canon', model: 'EOS', lens: null,
		gps: null, keywords: [], rating: null, title: null, description: null, software: null,
		livePhotoId: null, burstId: null, phash: '0123456789abcdef', dhash: 'fedcba9876543210', phashRotations: null, phashCrops: null,
		signatureCrops: null, contentWidth: null, contentHeight: null, signature: null, thumb: null, error: null,
	};
}

function opened() {
	const catalog = Catalog.open(path.join(tempDir(), 'catalog.db'));
	const db = connectionOf(catalog);
	const columns = db.prepare<[], {name: string; type: string}>('PRAGMA table_info(files)').all();
	return {catalog, db, columns};
}

test('kept duplicate clusters go stale when any column of a photo but its scan bookkeeping changes: the trigger names every one', () => {
	const {catalog, db, columns} = opened();
	const trigger = db.prepare<[], {sql: string}>("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'dupe_files_changed'").get();
	assert.ok(trigger, 'the dupe_files_changed trigger exists');
	const missing = columns.map(column => column.name).filter(name => !bookkeeping.has(name) && !trigger.sql.includes(`OLD.${name} IS NOT NEW.${name}`));
	assert.deepEqual(missing, [], 'files columns a change of which leaves kept clusters served');
	assert.ok(columns.some(column => column.name === 'detail') && columns.some(column => column.name === 'window_hashes'));
	catalog.close();
});

test('changing any column of a photo but its scan bookkeeping counts as a change for kept clusters, and bookkeeping does not', () => {
	const {catalog, db, columns} = opened();
	catalog.commitBatch({records: [record()], moves: [], present: []}, catalog.beginScan());
	const {id} = db.prepare<[], {id: number}>('SELECT id FROM files').get()!;
	const generation = () => db.prepare<[], {generation: number}>('SELECT generation FROM dupe_state WHERE id = 1').get()!.generation;
	const rebuild = () => db.prepare<[], {rebuild: number}>('SELECT rebuild_generation AS rebuild FROM dupe_state WHERE id = 1').get()!.rebuild;
	const changed = (name: string, type: string): unknown => {
		if (name === 'status') {
			return 'missing';
		}

		if (/BLOB/i.test(type)) {
			return Buffer.from([1, 2, 3]);
		}

		return /INT|REAL/i.test(type) ? 424_242 : `changed ${name}`;
	};

	// Changes are listed only while a search is kept.
	db.prepare("INSERT INTO dupe_searches (key, generation, clusters, found_at) VALUES ('{}', 0, 0, '2026-01-01')").run();
	let present = true;
	const unnoticed: string[] = [];
	for (const {name, type} of columns) {
		if (name === 'id') {
			continue;
		}

		const before = generation();
		db.prepare(`UPDATE files SET ${name} = ? WHERE id = ?`).run(changed(name, type) as never, id);
		const bumped = generation() > before;
		if (bumped === bookkeeping.has(name)) {
			unnoticed.push(`${name} ${bumped ? 'bumps' : 'does not bump'} the generation`);
		}

		// What a refresh follows (source/dupes/refresh.ts): a present photo that changes has left as it was and is added
		// as it is; one that stops being present has only left; a change to a row that is not present is not listed,
		// and needs a whole search.
		const at = (table: string) => db.prepare<[], {n: number}>(`SELECT count(*) AS n FROM ${table} WHERE generation = (SELECT generation FROM dupe_state)`).get()!.n;
		if (bumped) {
			const listed = {left: at('dupe_files_left'), added: at('dupe_files_added'), whole: rebuild() === generation()};
			const expected = name === 'status' ? {left: 1, added: 0, whole: false} : present ? {left: 1, added: 1, whole: false} : {left: 0, added: 0, whole: true};
			if (JSON.stringify(listed) !== JSON.stringify(expected)) {
				unnoticed.push(`${name}: ${JSON.stringify(listed)}, not ${JSON.stringify(expected)}`);
			}
		}

		present &&= name !== 'status';
	}

	assert.deepEqual(unnoticed, []);
	catalog.close();
});

test('while a search is kept, decisions made, changed or taken back, photos that left and photos added are listed for a refresh', () => {
	const {catalog, db} = opened();
	const state = () => db.prepare<[], {generation: number; rebuild: number}>('SELECT generation, rebuild_generation AS rebuild FROM dupe_state WHERE id = 1').get()!;
	const listed = () => db.prepare<[], {generation: number; sha_a: string; sha_b: string}>('SELECT generation, sha_a, sha_b FROM dupe_decisions_changed ORDER BY rowid').all();
	const leftRows = () => db.prepare<[], {generation: number; path: string; width: number; height: number}>('SELECT generation, path, width, height FROM dupe_files_left ORDER BY rowid').all();
	const addedRows = () => db.prepare<[], {generation: number; path: string}>('SELECT a.generation, f.path FROM dupe_files_added a JOIN files f ON f.id = a.file_id ORDER BY a.rowid').all();
	// Nothing is listed while no search is kept: there is nothing to bring up to date.
	catalog.commitBatch({records: [record()], moves: [], present: []}, catalog.beginScan());
	assert.deepEqual(addedRows(), []);
	db.prepare("INSERT INTO dupe_searches (key, generation, clusters, found_at) VALUES ('{}', 0, 0, '2026-01-01')").run();

	catalog.commitBatch({records: [{...record(), path: 'b.jpg', sha256: 'bb'}], moves: [], present: []}, catalog.beginScan());
	const added = state();
	assert.ok(added.rebuild < added.generation, 'a photo added is followed');
	assert.deepEqual(addedRows(), [{generation: added.generation, path: 'b.jpg'}]);

	catalog.markDistinct(['aa', 'bb']);
	const decided = state();
	assert.equal(decided.generation, added.generation + 1);
	assert.equal(decided.rebuild, added.rebuild, 'a decision leaves the search to a refresh');
	assert.deepEqual(listed(), [{generation: decided.generation, sha_a: 'aa', sha_b: 'bb'}]);

	db.prepare("UPDATE distinct_pairs SET sha_b = 'cc'").run();
	const changed = state();
	assert.equal(changed.rebuild, added.rebuild);
	assert.deepEqual(listed().slice(1), [
		{generation: changed.generation, sha_a: 'aa', sha_b: 'bb'},
		{generation: changed.generation, sha_a: 'aa', sha_b: 'cc'},
	]);

	catalog.unmarkDistinct([['aa', 'cc']]);
	const undone = state();
	assert.equal(undone.rebuild, added.rebuild, 'a decision taken back leaves it to a refresh too');
	assert.deepEqual(listed().at(-1), {generation: undone.generation, sha_a: 'aa', sha_b: 'cc'});

	// A present photo's row deleted, or the photo trashed (its row moved to the trash path) or found missing: it left.
	db.prepare("DELETE FROM files WHERE path = 'b.jpg'").run();
	const removed = state();
	assert.equal(removed.rebuild, added.rebuild, 'a present photo removed has left');
	assert.deepEqual(leftRows(), [{generation: removed.generation, path: 'b.jpg', width: 4, height: 3}]);
	db.prepare("UPDATE files SET path = '.curate/trash/1/a.jpg', status = 'missing', trashed_batch = 1 WHERE path = 'a.jpg'").run();
	const trashed = state();
	assert.equal(trashed.rebuild, added.rebuild, 'a photo trashed has left');
	assert.deepEqual(leftRows().at(-1), {generation: trashed.generation, path: 'a.jpg', width: 4, height: 3});
	// Back from the trash (curate undo): a photo added.
	db.prepare("UPDATE files SET path = 'a.jpg', status = 'present', trashed_batch = NULL WHERE path = '.curate/trash/1/a.jpg'").run();
	const back = state();
	assert.equal(back.rebuild, added.rebuild);
	assert.deepEqual(addedRows().at(-1), {generation: back.generation, path: 'a.jpg'});
	// Moved (organize): it left from where it was and is added where it is.
	db.prepare("UPDATE files SET path = '2020/a.jpg' WHERE path = 'a.jpg'").run();
	const moved = state();
	assert.deepEqual([leftRows().at(-1)?.path, addedRows().at(-1)], ['a.jpg', {generation: moved.generation, path: '2020/a.jpg'}]);
	// A row that is not present, changed or removed (the trash purged): not listed, so a whole search.
	db.prepare("UPDATE files SET status = 'missing' WHERE path = '2020/a.jpg'").run();
	db.prepare("UPDATE files SET size = 11 WHERE path = '2020/a.jpg'").run();
	assert.equal(state().rebuild, state().generation);
	db.prepare("DELETE FROM files WHERE path = '2020/a.jpg'").run();
	assert.equal(state().rebuild, state().generation);
	catalog.close();
});
