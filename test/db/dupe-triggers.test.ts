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
	const changed = (name: string, type: string): unknown => {
		if (name === 'status') {
			return 'missing';
		}

		if (/BLOB/i.test(type)) {
			return Buffer.from([1, 2, 3]);
		}

		return /INT|REAL/i.test(type) ? 424_242 : `changed ${name}`;
	};

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
	}

	assert.deepEqual(unnoticed, []);
	catalog.close();
});
