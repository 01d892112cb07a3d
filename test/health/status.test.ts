import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {endExiftool} from '../../source/adapters/exif.js';
import {HealthStore} from '../../source/db/health.js';
import {findDuplicates} from '../../source/dupes/find.js';
import {libraryStatus, readTrash} from '../../source/health/status.js';
import {verifyLibrary} from '../../source/health/verify.js';
import {libraryAt} from '../../source/library.js';
import {closeDecoders} from '../../source/media/decode.js';
import {runCli, runJson} from '../helpers/cli.js';
import {scannedSampleLibrary, withCatalog} from '../helpers/scanned.js';
import {tempDir} from '../helpers/temp.js';

after(async () => {
	await endExiftool();
	await closeDecoders();
});

test('status: sizes by format and year, duplicates, trash, scan and verify times, read errors; text fits 80 columns', async () => {
	const {root, manifest} = await scannedSampleLibrary();
	const batch = path.join(root, '.curate/trash/2024-06-01T10-00-00Z-1/2021');
	fs.mkdirSync(batch, {recursive: true});
	fs.writeFileSync(path.join(batch, 'a.jpg'), Buffer.alloc(1000));
	fs.writeFileSync(path.join(batch, 'b.jpg'), Buffer.alloc(500));
	const library = libraryAt(root);
	const before = withCatalog(root, catalog => libraryStatus(library, catalog));
	assert.equal(before.lastVerify, null);

	await withCatalog(root, async catalog => verifyLibrary(library, catalog));
	const {result, json} = await runJson(['status', '--json'], {cwd: root});
	assert.equal(result.code, 0, result.stderr);
	const present = withCatalog(root, catalog => catalog.allPresent());
	assert.equal(json.files, present.length);
	assert.equal(json.bytes, present.reduce((sum, file) => sum + file.size, 0));
	assert.equal(json.byFormat.reduce((sum: number, row: any) => sum + row.files, 0), present.length);
	assert.equal(json.byYear.find((row: any) => row.key === '2019').files, present.filter(file => file.takenAt?.startsWith('2019')).length);
	const clusters = withCatalog(root, catalog => findDuplicates(catalog.allPresent(), {distinct: catalog.distinctPairs()}));
	assert.ok(clusters.length > 0);
	assert.deepEqual(json.duplicates, {
		clusters: clusters.length,
		files: clusters.reduce((sum, cluster) => sum + cluster.members.length, 0),
		reclaimableBytes: clusters.reduce((sum, cluster) => sum + cluster.reclaimableBytes, 0),
	});
	assert.equal(json.tagged, null);
	assert.equal(json.journalBatches, 0);
	assert.deepEqual([json.trash.batches, json.trash.files, json.trash.bytes, json.trash.oldest.batch], [1, 2, 1500, '2024-06-01T10-00-00Z-1']);
	assert.ok(json.lastScan.finishedAt);
	assert.equal(json.lastVerify.checked, json.files - json.neverVerified);
	assert.equal(json.neverVerified, present.filter(file => !file.sha256).length);
	const broken = manifest.files.filter(file => file.role === 'broken' && file.error).map(file => file.path).sort();
	assert.deepEqual(json.errors.map((error: any) => error.path), broken);

	const text = await runCli(['status'], {cwd: root, env: {COLUMNS: '80'}});
	assert.equal(text.code, 0);
	for (const line of text.stdout.split('\n')) {
		assert.ok([...line].length <= 80, `too wide: ${line}`);
	}

	assert.match(text.stdout, /Tagged +not tagged yet/);
	assert.match(text.stdout, /Trash +2 files, 1\.5 KB/);
});

test('the trash is read from disk: absent is empty; tag and journal tables are probed when they exist', async () => {
	assert.deepEqual(readTrash(path.join(tempDir(), 'no-trash')), {batches: 0, files: 0, bytes: 0, oldest: null});
	const {root} = await scannedSampleLibrary();
	withCatalog(root, catalog => {
		const store = new HealthStore(catalog);
		assert.equal(store.probeTaggedFiles(), null);
		assert.equal(store.probeJournalBatches(), 0);
		// Shapes another feature might choose; status must count them without knowing them in advance.
		catalog.db.exec("CREATE TABLE file_tags (file_id INTEGER, tag TEXT); INSERT INTO file_tags VALUES (1, 'beach'), (1, 'sea'), (2, 'cat');");
		catalog.db.exec("CREATE TABLE journal (id INTEGER PRIMARY KEY, batch_id TEXT); INSERT INTO journal (batch_id) VALUES ('a'), ('a'), ('b');");
		assert.equal(store.probeTaggedFiles(), 2);
		assert.equal(store.probeJournalBatches(), 2);
	});
});
