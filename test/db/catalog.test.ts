import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import type {FileRecord} from '../../source/core/types.js';
import {Catalog} from '../../source/db/catalog.js';
import {migrations} from '../../source/db/migrations.js';
import {tempDir} from '../helpers/temp.js';
import {connectionOf} from '../../source/db/connection.js';

function record(overrides: Partial<FileRecord>): FileRecord {
	return {
		path: 'a.jpg', size: 10, mtimeMs: 1000, sha256: 'aa', contentHash: null, format: 'jpeg', kind: 'image', width: 4, height: 3,
		orientation: 1, takenAt: '2020-01-01T10:00:00', takenAtSource: 'original', make: 'Canon', model: 'EOS', lens: null,
		gps: {lat: 1.5, lon: -2.25, alt: 10}, keywords: ['beach', 'sea'], rating: 4, title: null, description: null, software: null,
		livePhotoId: null, burstId: null, phash: '0123456789abcdef', dhash: 'fedcba9876543210', phashRotations: null, phashCrops: null,
		signatureCrops: null, contentWidth: null, contentHeight: null, signature: null, thumb: null, error: null,
		...overrides,
	};
}

test('a new catalog is in WAL mode at the latest schema version', () => {
	const catalog = Catalog.open(path.join(tempDir(), 'sub', 'catalog.db'));
	assert.equal(connectionOf(catalog).pragma('journal_mode', {simple: true}), 'wal');
	assert.equal(connectionOf(catalog).pragma('user_version', {simple: true}), migrations.at(-1)!.version);
	catalog.close();
});

test('reopening does not re-run migrations', () => {
	const file = path.join(tempDir(), 'catalog.db');
	Catalog.open(file).close();
	const again = Catalog.open(file);
	assert.equal(connectionOf(again).pragma('user_version', {simple: true}), migrations.at(-1)!.version);
	again.close();
});

test('records round-trip with GPS, keywords and nulls intact', () => {
	const catalog = Catalog.open(path.join(tempDir(), 'catalog.db'));
	const scan = catalog.beginScan();
	catalog.commitBatch({records: [record({}), record({path: 'b.png', gps: null, keywords: [], rating: null})], moves: [], present: []}, scan);
	const a = catalog.fileByPath('a.jpg')!;
	assert.deepEqual(a.gps, {lat: 1.5, lon: -2.25, alt: 10});
	assert.deepEqual(a.keywords, ['beach', 'sea']);
	assert.equal(a.rating, 4);
	assert.equal(a.status, 'present');
	const b = catalog.fileByPath('b.png')!;
	assert.equal(b.gps, null);
	assert.deepEqual(b.keywords, []);
	assert.equal(catalog.fileIndex().size, 2);
	catalog.close();
});

test('a move keeps the row (and its id) and takes over a stale row at the destination', () => {
	const catalog = Catalog.open(path.join(tempDir(), 'catalog.db'));
	const scan = catalog.beginScan();
	catalog.commitBatch({records: [record({path: 'old.jpg'}), record({path: 'new.jpg', sha256: 'bb'})], moves: [], present: []}, scan);
	const id = catalog.fileByPath('old.jpg')!.id;
	catalog.commitBatch({records: [], moves: [{id, path: 'new.jpg', size: 10, mtimeMs: 2000}], present: []}, scan);
	assert.equal(catalog.fileByPath('old.jpg'), undefined);
	const moved = catalog.fileByPath('new.jpg')!;
	assert.equal(moved.id, id);
	assert.equal(moved.sha256, 'aa');
	assert.equal(moved.mtimeMs, 2000);
	catalog.close();
});

test('missing files keep their row and come back as present', () => {
	const catalog = Catalog.open(path.join(tempDir(), 'catalog.db'));
	const scan = catalog.beginScan();
	catalog.commitBatch({records: [record({})], moves: [], present: []}, scan);
	const {id} = catalog.fileByPath('a.jpg')!;
	catalog.markMissing([id]);
	assert.equal(catalog.fileByPath('a.jpg')!.status, 'missing');
	assert.equal(catalog.allPresent().length, 0);
	catalog.commitBatch({records: [], moves: [], present: [id]}, scan);
	assert.equal(catalog.fileByPath('a.jpg')!.status, 'present');
	catalog.close();
});

test('an unfinished scan is marked interrupted when the next one starts', () => {
	const catalog = Catalog.open(path.join(tempDir(), 'catalog.db'));
	const first = catalog.beginScan();
	const second = catalog.beginScan();
	assert.notEqual(first, second);
	const states = connectionOf(catalog).prepare('SELECT id, state FROM scans ORDER BY id').all() as Array<{id: number; state: string}>;
	assert.deepEqual(states.map(row => row.state), ['interrupted', 'running']);
	catalog.finishScan(second, 'done', {files: 1});
	assert.equal(catalog.lastScan()!.state, 'done');
	catalog.close();
});
