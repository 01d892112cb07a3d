// The home screen's summary (issue 14) on a real scanned copy of the sample library: what it holds, what waits, and
// the next command, each checked against the command that does the work (status, tags review, purge, backup).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {endExiftool} from '../../source/adapters/exif.js';
import {tagRowsOf} from '../../source/db/tag-review.js';
import {backupLibrary} from '../../source/health/backup.js';
import {verifyLibrary} from '../../source/health/verify.js';
import {cameraName, homeSummary, type HomeSummary, nextStep} from '../../source/home/summary.js';
import {libraryAt} from '../../source/library.js';
import {closeDecoders} from '../../source/media/decode.js';
import {runJson} from '../helpers/cli.js';
import {scannedSampleLibrary, scanRoot, withCatalog} from '../helpers/scanned.js';
import {tempDir} from '../helpers/temp.js';

after(async () => {
	await endExiftool();
	await closeDecoders();
});

const summaryOf = (root: string, options: {below?: number; now?: Date} = {}) =>
	withCatalog(root, catalog => homeSummary(libraryAt(root), catalog, {below: options.below ?? 0.6, now: options.now}));

describe('home summary on the sample library', () => {
	test('what it holds and the duplicates agree with curate status; cameras come from the EXIF of the files', async () => {
		const {root, manifest} = await scannedSampleLibrary();
		const summary = summaryOf(root);
		const {json: status} = await runJson(['status', '--json'], {cwd: root});
		assert.equal(summary.files, status.files);
		assert.equal(summary.bytes, status.bytes);
		assert.deepEqual(summary.years, status.byYear);
		assert.equal(summary.duplicates.clusters, status.duplicates.clusters);
		assert.ok(summary.duplicates.clusters > 0);
		assert.equal(summary.neverVerified, status.neverVerified);
		const present = withCatalog(root, catalog => catalog.allPresent());
		assert.equal(summary.photos, present.filter(file => file.kind === 'image' || file.kind === 'raw').length);
		// Each camera of the manifest's originals is named, and its count is the catalog's files with that model.
		for (const model of new Set(manifest.files.map(file => (file.expect as {model?: string} | undefined)?.model).filter(Boolean))) {
			const camera = summary.cameras.find(entry => entry.name.endsWith(model!));
			assert.ok(camera, `${model} in ${summary.cameras.map(entry => entry.name).join(', ')}`);
			assert.equal(camera.files, present.filter(file => file.model === model).length);
		}

		assert.deepEqual(summary.changedFolders, [], 'nothing changed right after the scan');
		assert.deepEqual(summary.next?.args.slice(0, 3), ['verify', '--sample', '100%'], 'nothing verified yet: all of it');
	});

	test('a photo added to a folder, a new folder of photos, a photo gone: the folders a scan would change, and scan comes first', async () => {
		const {root, manifest} = await scannedSampleLibrary();
		const photo = manifest.files.find(file => file.path.endsWith('.jpg') && file.path.split('/').length === 3)!.path;
		const folder = path.posix.dirname(photo);
		// A NAS indexer's folder touches the folder's time but holds nothing a scan catalogues.
		fs.mkdirSync(path.join(root, folder, '@eaDir'));
		fs.writeFileSync(path.join(root, folder, '@eaDir', 'thumb.jpg'), 'x');
		assert.deepEqual(summaryOf(root).changedFolders, [], 'the indexer\'s folder is ignored, as the scan ignores it');

		fs.copyFileSync(path.join(root, photo), path.join(root, folder, 'added.jpg'));
		assert.deepEqual(summaryOf(root).changedFolders, [folder]);
		fs.rmSync(path.join(root, folder, 'added.jpg'));
		assert.deepEqual(summaryOf(root).changedFolders, [], 'as it was at the scan');

		fs.mkdirSync(path.join(root, 'new/deeper'), {recursive: true});
		fs.copyFileSync(path.join(root, photo), path.join(root, 'new/deeper/x.jpg'));
		const added = summaryOf(root);
		assert.deepEqual(added.changedFolders, ['new']);
		assert.deepEqual(added.next?.args, ['scan', root]);
		assert.equal(added.next?.command, 'curate scan');

		await scanRoot(root);
		assert.deepEqual(summaryOf(root).changedFolders, []);
		fs.rmSync(path.join(root, photo));
		assert.deepEqual(summaryOf(root).changedFolders, [folder], 'a photo gone');
	});

	test('duplicates moved to the trash by the journal are no change to scan for; the trash older than the retention is what purge deletes', async () => {
		const {root} = await scannedSampleLibrary();
		const applied = await runJson(['dupes', '--apply', 'keepers', '--json'], {cwd: root});
		assert.equal(applied.result.code, 0, applied.result.stderr);
		const summary = summaryOf(root);
		assert.equal(summary.duplicates.clusters, 0);
		assert.deepEqual(summary.changedFolders, [], 'the journal\'s own moves are not new photos');
		assert.ok(summary.trash.files > 0);
		assert.equal(summary.trash.expiredFiles, 0, 'just trashed');
		assert.equal(summary.trash.retentionDays, 30);

		const later = summaryOf(root, {now: new Date(Date.now() + 31 * 86_400_000)});
		assert.equal(later.trash.expiredFiles, later.trash.files);
		assert.equal(later.trash.expiredBytes, later.trash.bytes);
		// What purge would delete today is what the summary says is past the retention today.
		const dry = await runJson(['purge', '--dry-run', '--json'], {cwd: root});
		assert.equal(dry.json.purged.length, summary.trash.expiredFiles);
		assert.equal(dry.json.kept, summary.trash.files);
	});

	test('tag suggestions waiting below the threshold are the ones curate tags review queues', async () => {
		const {root} = await scannedSampleLibrary();
		withCatalog(root, catalog => {
			const store = tagRowsOf(catalog);
			const contents = [...new Set(catalog.allPresent().map(file => file.sha256).filter((sha256): sha256 is string => Boolean(sha256)))].slice(0, 6);
			const [a, b, c, d, e, f] = contents as [string, string, string, string, string, string];
			store.setRows(a, [{tag: 'beach', source: 'clip', value: {state: 'suggested', confidence: 0.3}}]);
			// Two sources: the best one counts (0.7 is above the threshold, so this content does not wait).
			store.setRows(b, [
				{tag: 'beach', source: 'clip', value: {state: 'suggested', confidence: 0.4}},
				{tag: 'beach', source: 'rule', value: {state: 'suggested', confidence: 0.7}},
			]);
			// Decided by a person: never waits again.
			store.setRows(c, [{tag: 'beach', source: 'clip', value: {state: 'suggested', confidence: 0.2}}, {tag: 'beach', source: 'user', value: {state: 'confirmed', confidence: 1}}]);
			store.setRows(d, [{tag: 'dog', source: 'clip', value: {state: 'suggested', confidence: 0.5}}]);
			store.setRows(e, [{tag: 'dog', source: 'clip', value: {state: 'suggested', confidence: 0.9}}]);
			store.setRows(f, [{tag: 'dog', source: 'clip', value: {state: 'rejected', confidence: 0.1}}]);
		});
		const summary = summaryOf(root);
		const queued = withCatalog(root, catalog => ['beach', 'dog'].map(tag => tagRowsOf(catalog).queue(tag, 0.6, 1000).length));
		assert.deepEqual(queued, [1, 1]);
		assert.deepEqual(summary.tagReview, {suggestions: 2, tags: 2, below: 0.6});
		assert.equal(summaryOf(root, {below: 1}).tagReview.suggestions, 4, 'below 1 reviews every undecided suggestion');
	});

	test('a finished backup is recorded; when it is a week old and everything is verified, the home screen suggests it again', async () => {
		const {root} = await scannedSampleLibrary();
		const target = path.join(tempDir(), 'backup');
		const library = libraryAt(root);
		await withCatalog(root, async catalog => backupLibrary(library, catalog, target, {dryRun: true}));
		assert.equal(summaryOf(root).lastBackup, null, 'a dry run is no backup');
		await withCatalog(root, async catalog => backupLibrary(library, catalog, target));
		await withCatalog(root, async catalog => verifyLibrary(library, catalog));
		const today = summaryOf(root);
		assert.equal(today.lastBackup?.target, target);
		assert.ok(today.lastBackup!.ageDays < 0.1);
		assert.equal(today.next, null, 'nothing is due');
		const nextWeek = summaryOf(root, {now: new Date(Date.now() + 8 * 86_400_000)});
		assert.deepEqual(nextWeek.next?.args, ['backup', '--to', target, '--library', root]);
		assert.match(nextWeek.next!.reason, /last backup 8 days ago/);
	});
});

describe('next step', () => {
	const base: Omit<HomeSummary, 'next'> = {
		root: '/lib',
		files: 200,
		bytes: 1,
		photos: 200,
		videos: 0,
		years: [],
		cameras: [],
		duplicates: {clusters: 0, reclaimableBytes: 0},
		tagReview: {suggestions: 0, tags: 0, below: 0.6},
		neverVerified: 0,
		knownDamaged: 0,
		trash: {files: 0, bytes: 0, expiredFiles: 5, expiredBytes: 5, retentionDays: 30},
		lastScan: {at: '2024-01-01T00:00:00Z', state: 'done'},
		changedFolders: [],
		lastBackup: {target: '/b', finishedAt: '2024-01-01T00:00:00Z', ageDays: 30},
	};
	test('scan first, then verify a sample just large enough, then an old backup; never purge', () => {
		assert.deepEqual(nextStep({...base, lastScan: {at: 'x', state: 'interrupted'}, neverVerified: 9})?.reason, 'the last scan was interrupted');
		assert.deepEqual(nextStep({...base, changedFolders: ['2024'], neverVerified: 9})?.args, ['scan', '/lib']);
		assert.deepEqual(nextStep({...base, neverVerified: 3})?.args, ['verify', '--sample', '2%', '--library', '/lib'], '3 of 200 is 1.5%: 2% reaches them');
		assert.equal(nextStep({...base, neverVerified: 1})?.reason, '1 file never verified');
		assert.deepEqual(nextStep(base)?.args, ['backup', '--to', '/b', '--library', '/lib']);
		assert.equal(nextStep({...base, lastBackup: {...base.lastBackup!, ageDays: 2}}), null, 'the expired trash is only shown: purging cannot be undone');
		assert.equal(nextStep({...base, lastBackup: null}), null, 'no backup target known to suggest');
	});

	test('camera names hold the make once', () => {
		assert.equal(cameraName('NIKON CORPORATION', 'NIKON D750'), 'NIKON D750');
		assert.equal(cameraName('Canon', 'Canon EOS 80D'), 'Canon EOS 80D');
		assert.equal(cameraName('Apple', 'iPhone 12'), 'Apple iPhone 12');
		assert.equal(cameraName(null, 'X100V'), 'X100V');
	});
});
