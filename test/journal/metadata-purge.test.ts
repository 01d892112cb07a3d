import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import sharp from 'sharp';
import {endExiftool, readMetadata} from '../../source/adapters/exif.js';
import {openJournal} from '../../source/journal/journal.js';
import {sidecarPathFor, writeMetadataBatch} from '../../source/journal/metadata.js';
import {planPurge} from '../../source/journal/purge.js';
import {journalLibrary, recordFor} from '../helpers/journal-library.js';
import {Catalog} from '../../source/db/catalog.js';

test.after(endExiftool);

async function libraryWithJpeg() {
	const {library} = journalLibrary(0);
	const bytes = await sharp({create: {width: 32, height: 24, channels: 3, background: '#336699'}}).jpeg().toBuffer();
	fs.writeFileSync(path.join(library.root, 'photo.jpg'), bytes);
	const catalog = Catalog.open(library.catalogPath);
	catalog.commitBatch({records: [recordFor('photo.jpg', bytes)], moves: [], present: []}, catalog.beginScan());
	catalog.close();
	return {library, bytes};
}

test('keywords and rating go to an XMP sidecar that exiftool reads back; undo trashes a new sidecar, redo rewrites it', async () => {
	const {library, bytes} = await libraryWithJpeg();
	const {journal, catalog, close} = await openJournal(library);
	try {
		const result = await writeMetadataBatch(journal, [{path: 'photo.jpg', addKeywords: ['beach', 'été'], set: {rating: 4}}], {command: 'test'});
		const sidecar = path.join(library.root, 'photo.jpg.xmp');
		const read = await readMetadata(sidecar);
		assert.deepEqual(read.keywords, ['kept', 'beach', 'été']);
		assert.equal(read.rating, 4);
		assert.deepEqual(fs.readFileSync(path.join(library.root, 'photo.jpg')), bytes, 'the photo itself is untouched');
		assert.equal(catalog.fileByPath('photo.jpg')!.rating, 4);
		const written = fs.readFileSync(sidecar);

		// A second edit rewrites the sidecar; undoing it restores the first sidecar's exact bytes.
		await writeMetadataBatch(journal, [{path: 'photo.jpg', removeKeywords: ['beach']}], {command: 'test'});
		assert.deepEqual((await readMetadata(sidecar)).keywords, ['kept', 'été']);
		await journal.undo();
		assert.deepEqual(fs.readFileSync(sidecar), written);
		assert.deepEqual(catalog.fileByPath('photo.jpg')!.keywords, ['kept', 'beach', 'été']);

		await journal.undo(result!.batch);
		assert.equal(fs.existsSync(sidecar), false);
		assert.deepEqual(fs.readFileSync(path.join(library.trashDir, String(result!.batch), 'photo.jpg.xmp')), written, 'a sidecar that did not exist goes to the trash');
		assert.equal(catalog.fileByPath('photo.jpg')!.rating, null);
		await journal.redo(result!.batch);
		assert.deepEqual(fs.readFileSync(sidecar), written);
		assert.equal(sidecarPathFor('a/IMG_1.JPG', 'lightroom'), 'a/IMG_1.xmp');
	} finally {
		close();
	}
});

test('--write-embedded keeps a byte-exact backup and undo restores the original bytes', async () => {
	const {library, bytes} = await libraryWithJpeg();
	const {journal, close} = await openJournal(library);
	try {
		const result = await writeMetadataBatch(journal, [{path: 'photo.jpg', addKeywords: ['sunset']}], {command: 'test', embedded: true});
		const file = path.join(library.root, 'photo.jpg');
		assert.notDeepEqual(fs.readFileSync(file), bytes);
		assert.deepEqual((await readMetadata(file)).keywords, ['kept', 'sunset'], 'the catalogued keywords plus the new one');
		assert.deepEqual(fs.readFileSync(path.join(library.trashDir, String(result!.batch), 'photo.jpg')), bytes);
		await journal.undo();
		assert.deepEqual(fs.readFileSync(file), bytes);
	} finally {
		close();
	}
});

test('purge deletes only trash older than the cut-off, journaled and not undoable', async () => {
	const {library, files} = journalLibrary(2);
	const {journal, catalog, close} = await openJournal(library);
	try {
		const trashed = await journal.apply({command: 'test', label: 'trash', operations: [{kind: 'trash', path: files[0]!.path, sha256: files[0]!.sha256, size: files[0]!.size}]});
		const young = await planPurge(journal, 30 * 86_400_000);
		assert.equal(young.operations.length, 0);
		assert.equal(young.kept, 1);
		const later = new Date(Date.now() + 31 * 86_400_000);
		const plan = await planPurge(journal, 30 * 86_400_000, later);
		assert.deepEqual(plan.operations.map(op => op.trashPath), [`.curate/trash/${trashed.batch}/${files[0]!.path}`]);
		assert.equal(plan.bytes, files[0]!.size);
		await journal.apply({command: 'purge', label: 'purge', operations: plan.operations});
		assert.equal(fs.existsSync(path.join(library.root, plan.operations[0]!.trashPath)), false);
		assert.equal(catalog.fileByPath(plan.operations[0]!.trashPath), undefined);
		await assert.rejects(journal.undo(), /purge cannot be undone/);
		assert.ok(fs.existsSync(path.join(library.root, files[1]!.path)), 'files outside the trash are never purged');
	} finally {
		close();
	}
});
