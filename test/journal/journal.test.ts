import assert from 'node:assert/strict';
import {randomBytes, createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {JournalError, openJournal} from '../../source/journal/journal.js';
import {diskState, journalLibrary} from '../helpers/journal-library.js';
import {tempDir} from '../helpers/temp.js';

test('trash moves files into the batch trash, undo brings the same rows back byte-identical, redo trashes again', async () => {
	const {library, files} = journalLibrary(3);
	const before = diskState(library.root);
	const {journal, catalog, close} = await openJournal(library);
	try {
		const ids = new Map(files.map(file => [file.path, catalog.fileByPath(file.path)!.id]));
		const result = await journal.apply({command: 'test', label: 'trash two', operations: files.slice(0, 2).map(file => ({kind: 'trash' as const, path: file.path, sha256: file.sha256, size: file.size}))});
		assert.equal(result.state, 'applied');
		for (const file of files.slice(0, 2)) {
			assert.equal(fs.existsSync(path.join(library.root, file.path)), false);
			const trashed = path.join(library.trashDir, String(result.batch), file.path);
			assert.deepEqual(fs.readFileSync(trashed), file.bytes);
			assert.equal(catalog.fileByPath(file.path), undefined);
		}

		assert.deepEqual(catalog.allPresent().map(file => file.path), [files[2]!.path]);

		const undone = await journal.undo();
		assert.equal(undone.batch, result.batch);
		assert.deepEqual(diskState(library.root), before);
		assert.equal(fs.existsSync(path.join(library.trashDir, String(result.batch))), false, 'an emptied batch folder leaves the trash');
		for (const file of files) {
			const row = catalog.fileByPath(file.path)!;
			assert.equal(row.id, ids.get(file.path), 'the same row comes back, so its history stays');
			assert.equal(row.status, 'present');
			assert.deepEqual(row.keywords, ['kept']);
		}

		await journal.redo();
		assert.equal(catalog.allPresent().length, 1);
		for (const file of files.slice(0, 2)) {
			assert.deepEqual(fs.readFileSync(path.join(library.trashDir, String(result.batch), file.path)), file.bytes, 'redo recreates the batch folder');
		}
		assert.deepEqual(journal.list().map(batch => [batch.id, batch.state, batch.counts]), [[result.batch, 'applied', {trash: 2}]]);
	} finally {
		close();
	}
});

test('move and copy keep the catalog in step, and undo takes both back', async () => {
	const {library, files} = journalLibrary(2);
	const outside = path.join(tempDir(), 'card', 'IMG_1.JPG');
	fs.mkdirSync(path.dirname(outside), {recursive: true});
	const imported = randomBytes(5000);
	fs.writeFileSync(outside, imported);
	const importedSha = createHash('sha256').update(imported).digest('hex');
	const {journal, catalog, close} = await openJournal(library);
	try {
		const id = catalog.fileByPath(files[0]!.path)!.id;
		const result = await journal.apply({
			command: 'test',
			label: 'organize',
			operations: [
				{kind: 'move', from: files[0]!.path, to: '2024/01/renamed.jpg', sha256: files[0]!.sha256, size: files[0]!.size},
				{kind: 'copy', source: files[1]!.path, to: 'copies/twin.jpg', sha256: files[1]!.sha256, size: files[1]!.size},
				{kind: 'copy', source: outside, to: 'import/IMG_1.JPG', sha256: importedSha, size: imported.length},
			],
		});
		assert.equal(catalog.fileByPath('2024/01/renamed.jpg')!.id, id);
		assert.equal(catalog.fileByPath('copies/twin.jpg')!.sha256, files[1]!.sha256, 'a copy of a catalogued file is catalogued too');
		assert.deepEqual(fs.readFileSync(path.join(library.root, 'import/IMG_1.JPG')), imported);
		assert.equal(fs.existsSync(outside), true, 'copy leaves its source alone');

		await journal.undo(result.batch);
		assert.deepEqual(fs.readFileSync(path.join(library.root, files[0]!.path)), files[0]!.bytes);
		assert.equal(catalog.fileByPath(files[0]!.path)!.id, id);
		assert.equal(fs.existsSync(path.join(library.root, 'copies/twin.jpg')), false);
		assert.deepEqual(fs.readFileSync(path.join(library.trashDir, String(result.batch), 'import/IMG_1.JPG')), imported, 'an undone copy goes to the trash');
		assert.equal(catalog.fileByPath('copies/twin.jpg'), undefined);

		await journal.redo();
		assert.deepEqual(fs.readFileSync(path.join(library.root, 'import/IMG_1.JPG')), imported);
		assert.equal(catalog.fileByPath('copies/twin.jpg')!.status, 'present');
		assert.equal(fs.existsSync(path.join(library.trashDir, String(result.batch), 'import/IMG_1.JPG')), false, 'redo brings the same file back from the trash');
	} finally {
		close();
	}
});

test('a file with a 255-byte name is copied in, undone and redone without ENAMETOOLONG (its scratch copy\'s name fits)', async () => {
	const {library} = journalLibrary(1);
	const name = `${'é'.repeat(125)}.jpg`;
	assert.equal(Buffer.byteLength(name), 254);
	const outside = path.join(tempDir(), 'card', name);
	fs.mkdirSync(path.dirname(outside), {recursive: true});
	const bytes = randomBytes(3000);
	fs.writeFileSync(outside, bytes);
	const sha256 = createHash('sha256').update(bytes).digest('hex');
	const {journal, close} = await openJournal(library);
	try {
		const result = await journal.apply({command: 'test', label: 'import', operations: [{kind: 'copy', source: outside, to: `import/${name}`, sha256, size: bytes.length}]});
		assert.deepEqual(fs.readFileSync(path.join(library.root, 'import', name)), bytes);
		assert.deepEqual(fs.readdirSync(path.join(library.root, 'import')), [name], 'no scratch copy left behind');
		await journal.undo(result.batch);
		assert.equal(fs.existsSync(path.join(library.root, 'import', name)), false);
		await journal.redo();
		assert.deepEqual(fs.readFileSync(path.join(library.root, 'import', name)), bytes);
	} finally {
		close();
	}
});

test('undo refuses, changing nothing, when the original path now holds a different file', async () => {
	const {library, files} = journalLibrary(2);
	const {journal, close} = await openJournal(library);
	try {
		const result = await journal.apply({command: 'test', label: 'trash', operations: files.map(file => ({kind: 'trash' as const, path: file.path, sha256: file.sha256, size: file.size}))});
		fs.writeFileSync(path.join(library.root, files[1]!.path), 'someone else');
		const state = diskState(library.root);
		await assert.rejects(journal.undo(), (error: unknown) => error instanceof JournalError && /occupied by a different file/.test(error.message));
		assert.deepEqual(diskState(library.root), state);
		assert.equal(journal.batch(result.batch)!.state, 'applied');
	} finally {
		close();
	}
});

test('a failure in the middle of a batch rolls back what it did and records why; operations after it in its chunk were never tried', async () => {
	const {library, files} = journalLibrary(3);
	const before = diskState(library.root);
	const {journal, catalog, close} = await openJournal(library);
	try {
		await assert.rejects(
			journal.apply({
				command: 'test',
				label: 'doomed',
				operations: [
					{kind: 'move', from: files[0]!.path, to: 'moved.jpg', sha256: files[0]!.sha256, size: files[0]!.size},
					// The destination's folder would be a file: the move fails once the first one is done.
					{kind: 'move', from: files[1]!.path, to: 'moved.jpg/inside.jpg', sha256: files[1]!.sha256, size: files[1]!.size},
					{kind: 'trash', path: files[2]!.path, sha256: files[2]!.sha256, size: files[2]!.size},
				],
			}),
			/failed and was rolled back/,
		);
		assert.deepEqual(diskState(library.root), before);
		assert.equal(catalog.fileByPath(files[0]!.path)!.status, 'present');
		const [batch] = journal.list();
		assert.equal(batch!.state, 'failed');
		assert.match(batch!.reason!, /EEXIST|ENOTDIR|not a directory|moved\.jpg is not a folder/i);
		const ops = journal.operations(batch!.id);
		assert.deepEqual(ops.map(row => row.state), ['rolled-back', 'failed', 'rolled-back']);
		assert.equal(ops[2]!.reason, 'not attempted: an earlier operation failed');
	} finally {
		close();
	}
});

test('operations whose paths leave the root, or point into .curate, are refused before anything happens', async () => {
	const {library, files} = journalLibrary(1);
	const before = diskState(library.root);
	const {journal, close} = await openJournal(library);
	try {
		for (const to of ['../escaped.jpg', '/tmp/escaped.jpg', 'a/../../escaped.jpg', '.curate/catalog.db', 'a\\b.jpg']) {
			// eslint-disable-next-line no-await-in-loop
			await assert.rejects(journal.apply({command: 'test', label: 'escape', operations: [{kind: 'move', from: files[0]!.path, to, sha256: files[0]!.sha256, size: 1}]}), /refused/);
		}

		const link = path.join(library.root, 'out');
		fs.symlinkSync(tempDir(), link);
		await assert.rejects(journal.apply({command: 'test', label: 'escape', operations: [{kind: 'move', from: files[0]!.path, to: 'out/x.jpg', sha256: files[0]!.sha256, size: 1}]}), /out is a symbolic link; Curate never writes through one/);
		fs.unlinkSync(link);
		assert.deepEqual(diskState(library.root), before);
	} finally {
		close();
	}
});

test('a file that changed since it was catalogued is not trashed', async () => {
	const {library, files} = journalLibrary(1);
	fs.writeFileSync(path.join(library.root, files[0]!.path), 'edited since the scan');
	const {journal, close} = await openJournal(library);
	try {
		await assert.rejects(journal.apply({command: 'test', label: 'trash', operations: [{kind: 'trash', path: files[0]!.path, sha256: files[0]!.sha256, size: 1}]}), /SHA-256 differs/);
		assert.equal(fs.readFileSync(path.join(library.root, files[0]!.path), 'utf8'), 'edited since the scan');
	} finally {
		close();
	}
});

test('not-duplicate decisions and catalog field changes are undoable', async () => {
	const {library, files} = journalLibrary(2);
	const {journal, catalog, close} = await openJournal(library);
	try {
		const pair = [files[0]!.sha256, files[1]!.sha256].sort() as [string, string];
		await journal.apply({command: 'test', label: 'decide', operations: [
			{kind: 'mark-not-duplicate', pairs: [pair]},
			{kind: 'set-fields', path: files[0]!.path, sha256: files[0]!.sha256, before: {rating: null, keywords: ['kept']}, after: {rating: 5, keywords: ['kept', 'best']}},
		]});
		assert.equal(catalog.distinctPairs().has(pair.join(' ')), true);
		assert.equal(catalog.fileByPath(files[0]!.path)!.rating, 5);
		await journal.undo();
		assert.equal(catalog.distinctPairs().size, 0);
		assert.equal(catalog.fileByPath(files[0]!.path)!.rating, null);
		assert.deepEqual(catalog.fileByPath(files[0]!.path)!.keywords, ['kept']);
	} finally {
		close();
	}
});

test('a trashed row is left out of the scan index, so a rescan cannot claim it as a moved file', async () => {
	const {library, files} = journalLibrary(1);
	const {journal, catalog, close} = await openJournal(library);
	try {
		await journal.apply({command: 'test', label: 'trash', operations: [{kind: 'trash', path: files[0]!.path, sha256: files[0]!.sha256, size: files[0]!.size}]});
		assert.equal([...catalog.fileIndex().keys()].some(key => key.startsWith('.curate/')), false);
	} finally {
		close();
	}
});
