import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {endExiftool, exiftool, readMetadata} from '../../source/adapters/exif.js';
import {hashAt} from '../../source/journal/disk.js';
import {Catalog} from '../../source/db/catalog.js';
import {Journal} from '../../source/journal/journal.js';
import {type Library, libraryAt, openForWrite} from '../../source/library.js';
import {createReviewActions} from '../../source/review/actions.js';
import {loadReviewClusters} from '../../source/review/session.js';
import type {ReviewActions, ReviewCluster} from '../../source/review/types.js';
import {scanLibrary} from '../../source/scan/scan.js';
import {sampleLibrary} from '../helpers/sample-library.js';

describe('review actions through the real journal', () => {
	let library: Library;
	let catalog: Catalog;
	let release: () => void;
	let actions: ReviewActions;
	let journal: Journal;
	let clusters: ReviewCluster[];
	const exists = (relativePath: string) => fs.existsSync(path.join(library.root, relativePath));
	before(async () => {
		const {root} = await sampleLibrary();
		library = libraryAt(root);
		// One copy of the Paris photo claims another day and place, so merge has a disagreement to settle.
		await exiftool().write(path.join(root, 'variants/DSC_0412_watermark.jpg'), {'ExifIFD:DateTimeOriginal': '2019:05:04 08:00:00', 'GPS:GPSLatitude': 45.764, 'GPS:GPSLatitudeRef': 'N', 'GPS:GPSLongitude': 4.8357, 'GPS:GPSLongitudeRef': 'E'} as never, {writeArgs: ['-overwrite_original']});
		const scanning = Catalog.open(library.catalogPath);
		await scanLibrary(library, scanning);
		scanning.close();
		({catalog, release} = openForWrite(library));
		journal = await Journal.open(library, catalog);
		actions = createReviewActions(journal);
		clusters = loadReviewClusters(catalog, library);
	});

	after(async () => {
		catalog.close();
		release();
		await endExiftool();
	});

	test('keep trashes every other member as one batch; undo brings them back', async () => {
		const cluster = clusters.find(candidate => candidate.members.some(member => member.path.endsWith('IMG_0004.jpg')))!;
		const keeper = cluster.members.find(member => !member.keeper)!.path;
		const others = cluster.members.filter(member => member.path !== keeper).map(member => member.path);
		const result = await actions.keep(cluster, keeper);
		assert.equal(result.freedBytes, cluster.members.filter(member => member.path !== keeper).reduce((sum, member) => sum + member.bytes, 0));
		assert.ok(exists(keeper));
		for (const other of others) {
			assert.ok(!exists(other), `${other} left the library`);
			assert.ok(fs.existsSync(path.join(library.trashDir, result.batchId, other)), `${other} is in the batch's trash`);
			assert.equal(catalog.fileByPath(other), undefined);
		}

		assert.match((await actions.undo(result.batchId)).summary, new RegExp(`${others.length} files back from the trash`));
		for (const other of others) {
			assert.ok(exists(other));
			assert.equal(catalog.fileByPath(other)?.status, 'present');
		}
	});

	test('merge writes what the keeper lacks into its XMP sidecar, then trashes the others; undo takes all back', async () => {
		const cluster = clusters.find(candidate => candidate.members.some(member => member.path === '2019/2019-05-03 Paris/DSC_0412.jpg'))!;
		const bare = cluster.members.find(member => member.path === 'variants/DSC_0412_nometa.jpg')!;
		const fieldsBefore = catalog.fileByPath(bare.path)!;
		assert.deepEqual(fieldsBefore.keywords, []);
		assert.equal(fieldsBefore.gps, null);
		assert.equal(fieldsBefore.takenAtSource, 'mtime');
		const original = catalog.fileByPath('2019/2019-05-03 Paris/DSC_0412.jpg')!;
		const result = await actions.merge(cluster, bare.path);
		assert.match(result.summary, /keywords, rating, GPS, capture date merged into/);
		// The Paris originals outrank the watermarked re-encode, so their day and place win, and the label says so.
		assert.match(result.summary, /GPS from (backup\/2019|2019\/2019-05-03 Paris)\/DSC_0412\.jpg \(the others differ\); capture date from .*DSC_0412\.jpg/);
		const batch = journal.list(5).find(each => each.id === Number(result.batchId));
		assert.match(batch!.label, /^merge variants\/DSC_0412_nometa\.jpg \(GPS from .*\(the others differ\); capture date from .*\(the others differ\)\), trash \d+ files/);
		const sidecar = `${bare.path}.xmp`;
		assert.ok(exists(sidecar), 'sidecar written');
		const read = await readMetadata(path.join(library.root, sidecar));
		assert.deepEqual(new Set(read.keywords), new Set(['Paris', 'travel']));
		assert.equal(read.rating, 4);
		assert.equal(read.takenAt, '2019-05-03T10:41:17+02:00');
		assert.equal(read.takenAtSource, 'original');
		assert.ok(Math.abs(read.gps!.lat - 48.858_37) < 1e-6 && Math.abs(read.gps!.lon - 2.294_481) < 1e-6 && read.gps!.alt === 35, `GPS reads back: ${JSON.stringify(read.gps)}`);
		const merged = catalog.fileByPath(bare.path)!;
		assert.deepEqual(new Set(merged.keywords), new Set(['Paris', 'travel']));
		assert.equal(merged.rating, 4);
		assert.deepEqual(merged.gps, original.gps);
		assert.equal(merged.takenAt, '2019-05-03T10:41:17+02:00');
		assert.equal(merged.takenAtSource, 'original');
		assert.ok(!exists('2019/2019-05-03 Paris/DSC_0412.jpg'));
		await actions.undo(result.batchId);
		assert.ok(!exists(sidecar), 'the sidecar that did not exist is gone again');
		assert.ok(exists('2019/2019-05-03 Paris/DSC_0412.jpg'));
		assert.deepEqual(catalog.fileByPath(bare.path), fieldsBefore, 'every catalog field is as before');
	});

	test('merge with --write-embedded writes GPS and capture date into the keeper itself; undo restores its bytes', async () => {
		const embedded = createReviewActions(journal, {writeEmbedded: true});
		const cluster = clusters.find(candidate => candidate.members.some(member => member.path.endsWith('IMG_0004.jpg')))!;
		const keeper = cluster.members.find(member => member.path.endsWith('IMG_0004.png'))!.path;
		const before = catalog.fileByPath(keeper)!;
		const donor = catalog.fileByPath(cluster.members.find(member => member.path.endsWith('IMG_0004.jpg'))!.path)!;
		assert.equal(before.gps, null);
		assert.ok(donor.gps && donor.takenAtSource === 'original');
		const result = await embedded.merge(cluster, keeper);
		assert.ok(!exists(`${keeper}.xmp`), 'no sidecar');
		const read = await readMetadata(path.join(library.root, keeper));
		assert.equal(read.takenAt, donor.takenAt);
		assert.ok(Math.abs(read.gps!.lat - donor.gps.lat) < 1e-6 && Math.abs(read.gps!.lon - donor.gps.lon) < 1e-6, `GPS reads back: ${JSON.stringify(read.gps)}`);
		assert.deepEqual(catalog.fileByPath(keeper)!.gps, donor.gps);
		await embedded.undo(result.batchId);
		assert.equal(await hashAt(path.join(library.root, keeper)), before.sha256, 'the original bytes are back');
		assert.deepEqual(catalog.fileByPath(keeper), before);
	});

	test('not duplicates is journaled and undoable; a second time is refused', async () => {
		const cluster = clusters.find(candidate => candidate.kind === 'exact')!;
		const result = await actions.notDuplicates(cluster);
		assert.equal(result.freedBytes, 0);
		assert.equal(catalog.distinctPairs().size, 1);
		await assert.rejects(actions.notDuplicates(cluster), /already marked/);
		await actions.undo(result.batchId);
		assert.equal(catalog.distinctPairs().size, 0);
	});

	test('a keeper that is not a member, or a file the catalog no longer has, is refused before anything moves', async () => {
		const cluster = clusters[0]!;
		await assert.rejects(actions.keep(cluster, 'no/such.jpg'), /not a member/);
		const gone = {...cluster, members: [...cluster.members, {...cluster.members[1]!, path: 'vanished.jpg', keeper: false}]};
		await assert.rejects(actions.keep(gone, cluster.members[0]!.path), /no longer in the catalog/);
		assert.ok(cluster.members.every(member => exists(member.path)));
	});
});
