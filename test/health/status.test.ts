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
import {connectionOf} from '../../source/db/connection.js';

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

test('the trash is read from disk: absent is empty; tag coverage and journal size come from their tables', async () => {
	assert.deepEqual(readTrash(path.join(tempDir(), 'no-trash')), {batches: 0, files: 0, bytes: 0, oldest: null});
	const {root} = await scannedSampleLibrary();
	withCatalog(root, catalog => {
		const store = new HealthStore(catalog);
		assert.equal(store.taggedFiles(), null);
		assert.equal(store.journalBatches(), 0);
		const [first, second] = catalog.allPresent().filter(file => file.sha256);
		const now = new Date().toISOString();
		const tag = connectionOf(catalog).prepare("INSERT INTO tags (sha256, tag, source, state, confidence, updated_at) VALUES (?, ?, 'clip', ?, 0.9, ?)");
		tag.run(first!.sha256, 'beach', 'suggested', now);
		tag.run(first!.sha256, 'sea', 'confirmed', now);
		// A rejected tag does not make a photo tagged.
		tag.run(second!.sha256, 'cat', 'rejected', now);
		const filesWithFirst = catalog.allPresent().filter(file => file.sha256 === first!.sha256).length;
		assert.equal(store.taggedFiles(), filesWithFirst);
		connectionOf(catalog).exec("INSERT INTO journal_batches (uid, created_at, updated_at, command, label, state) VALUES ('u1', 'now', 'now', 'test', 'a', 'applied'), ('u2', 'now', 'now', 'test', 'b', 'undone')");
		assert.equal(store.journalBatches(), 2);
	});
});

test('status counts trashed duplicates as in the trash, not as "catalogued files missing"; shows every year; shows error reasons whole', {timeout: 600_000}, async () => {
	const {root} = await scannedSampleLibrary();
	const reason = 'not a photo: the decoder stopped at byte 1234 because the JPEG stream ends before its last scan';
	withCatalog(root, catalog => {
		// Twenty years of photos: "by year" used to show twelve and an "other" row.
		const files = catalog.allPresent().filter(file => file.error === null);
		files.slice(0, 20).forEach((file, index) => connectionOf(catalog).prepare('UPDATE files SET taken_at = ? WHERE id = ?').run(`${1990 + index}-06-01T12:00:00`, file.id));
		connectionOf(catalog).prepare('UPDATE files SET error = ? WHERE id = ?').run(reason, files[20]!.id);
	});
	const apply = await runCli(['dupes', '--apply', 'keepers', '--kind', 'exact'], {cwd: root, timeoutMs: 500_000});
	assert.equal(apply.code, 0, apply.stderr);
	assert.match(apply.stdout, /moved [1-9]\d* duplicates/);
	const {json} = await runJson(['status', '--json'], {cwd: root});
	assert.ok(json.trash.files > 0);
	assert.equal(json.missing, 0, 'trashed duplicates are not missing');
	const text = await runCli(['status'], {cwd: root, env: {COLUMNS: '80'}, timeoutMs: 500_000});
	assert.equal(text.code, 0, text.stderr);
	assert.doesNotMatch(text.stdout, /missing\)/);
	for (const year of json.byYear) {
		assert.match(text.stdout, new RegExp(`\\b${year.key} +${year.files} ${year.files === 1 ? 'file ' : 'files'}`), `year ${year.key} shown`);
	}

	assert.doesNotMatch(text.stdout, /\bother\b/);
	const shownReason = text.stdout.split('\n').filter(line => line.startsWith('      ')).map(line => line.trim()).join(' ');
	assert.ok(shownReason.includes(reason), `the reason is whole:\n${text.stdout}`);
	for (const line of text.stdout.split('\n')) {
		assert.ok([...line].length <= 80, `too wide: ${line}`);
	}
});
