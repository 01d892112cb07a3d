import assert from 'node:assert/strict';
import {createHash, randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import type {Operation} from '../../source/core/journal.js';
import {JournalStore} from '../../source/db/journal-store.js';
import {kindOf} from '../../source/journal/kinds/index.js';
import {type BatchProgress, JournalError, openJournal} from '../../source/journal/journal.js';
import {diskState, journalLibrary} from '../helpers/journal-library.js';
import {tempDir} from '../helpers/temp.js';

/** Files of random bytes on a "card" outside the library, with an old file time as cameras leave them. */
function card(count: number): {dir: string; files: Array<{source: string; bytes: Buffer; sha256: string}>} {
	const dir = path.join(tempDir(), 'card');
	const files = [];
	for (let index = 0; index < count; index++) {
		const source = path.join(dir, 'DCIM', `IMG_${index}.JPG`);
		const bytes = randomBytes(3000 + index);
		fs.mkdirSync(path.dirname(source), {recursive: true});
		fs.writeFileSync(source, bytes);
		fs.utimesSync(source, new Date('2020-01-02T03:04:05Z'), new Date('2020-01-02T03:04:05Z'));
		files.push({source, bytes, sha256: createHash('sha256').update(bytes).digest('hex')});
	}

	return {dir, files};
}

const moveIns = (files: ReturnType<typeof card>['files']): Operation[] =>
	files.map((file, index) => ({kind: 'move-in', source: file.source, to: `2020/IMG_${index}.JPG`, sha256: file.sha256, size: file.bytes.length}));

test('move-in copies verified bytes into the library and removes the source; undo puts the sources back byte-identical; redo moves them in again', async () => {
	const {library} = journalLibrary(1);
	const {dir, files} = card(3);
	const libraryBefore = diskState(library.root);
	const cardBefore = diskState(dir);
	const {journal, catalog, close} = await openJournal(library);
	try {
		const events: BatchProgress[] = [];
		const result = await journal.apply({command: 'test', label: 'move in', operations: moveIns(files)}, {onProgress: event => events.push(event)});
		const totalBytes = files.reduce((sum, file) => sum + file.bytes.length, 0);
		assert.deepEqual(events.map(event => `${event.phase} ${event.done}/${event.total}`), ['checking 0/3', 'checking 1/3', 'checking 2/3', 'checking 3/3', 'applying 0/3', 'applying 1/3', 'applying 2/3', 'applying 3/3']);
		assert.deepEqual(events.at(-1), {phase: 'applying', done: 3, total: 3, bytes: totalBytes, totalBytes});
		for (const [index, file] of files.entries()) {
			assert.deepEqual(fs.readFileSync(path.join(library.root, `2020/IMG_${index}.JPG`)), file.bytes);
			assert.equal(fs.existsSync(file.source), false, 'the source is gone once the copy is verified');
		}

		assert.equal(fs.readdirSync(path.join(dir, 'DCIM')).length, 0, 'no partial copies are left on the card');
		assert.equal(journal.list()[0]!.counts['move-in'], 3);

		const undoEvents: BatchProgress[] = [];
		await journal.undo(result.batch, {onProgress: event => undoEvents.push(event)});
		assert.equal(undoEvents.at(-1)!.phase, 'undoing');
		assert.equal(undoEvents.at(-1)!.done, 3);
		assert.deepEqual(diskState(dir), cardBefore, 'every source is back, byte-identical');
		assert.equal(fs.statSync(files[0]!.source).mtime.toISOString(), '2020-01-02T03:04:05.000Z', 'with the file time it had in the library');
		const trashed = [...diskState(library.root)].filter(([file]) => !libraryBefore.has(file));
		assert.deepEqual(trashed.map(([file]) => file).sort(), files.map((_, index) => `.curate/trash/${result.batch}/2020/IMG_${index}.JPG`));

		await journal.redo(result.batch);
		assert.equal(fs.readdirSync(path.join(dir, 'DCIM')).length, 0, 'redo removes the sources again');
		assert.deepEqual(fs.readFileSync(path.join(library.root, '2020/IMG_2.JPG')), files[2]!.bytes);
		assert.equal(fs.existsSync(path.join(library.trashDir, String(result.batch), '2020/IMG_2.JPG')), false, 'redo brings the trashed copy back');
		assert.equal(catalog.fileByPath('2020/IMG_2.JPG'), undefined, 'the journal does not catalogue new content; import does');
	} finally {
		close();
	}
});

test('undo of a move-in refuses, changing nothing, when a source path is taken or its folder is gone', async () => {
	const {library} = journalLibrary(1);
	const {dir, files} = card(2);
	const {journal, close} = await openJournal(library);
	try {
		const result = await journal.apply({command: 'test', label: 'move in', operations: moveIns(files)});
		fs.writeFileSync(files[1]!.source, 'someone else');
		const before = diskState(library.root);
		await assert.rejects(journal.undo(result.batch), (error: Error) => error instanceof JournalError && /IMG_1\.JPG is now occupied by a different file/.test(error.message));
		assert.deepEqual(diskState(library.root), before);
		assert.equal(fs.readFileSync(files[1]!.source, 'utf8'), 'someone else');

		fs.rmSync(path.join(dir, 'DCIM'), {recursive: true});
		await assert.rejects(journal.undo(result.batch), /folder .*DCIM is not there \(an unmounted card or share\?\)/);
		assert.deepEqual(diskState(library.root), before);
		assert.equal(fs.existsSync(path.join(dir, 'DCIM')), false, 'undo does not create the folder of an absent card');
	} finally {
		close();
	}
});

test('move-in refuses a source inside the library, a changed source, and a taken target, before touching anything', async () => {
	const {library, files: existing} = journalLibrary(1);
	const {files} = card(2);
	const {journal, close} = await openJournal(library);
	try {
		const inside = path.join(library.root, existing[0]!.path);
		await assert.rejects(
			journal.apply({command: 'test', label: 'x', operations: [{kind: 'move-in', source: inside, to: 'x.jpg', sha256: existing[0]!.sha256, size: existing[0]!.size}]}),
			/a move-in comes from outside the library/,
		);
		await assert.rejects(journal.apply({command: 'test', label: 'x', operations: [{...moveIns(files)[0]!, source: 'relative.jpg'} as Operation]}), /must be an absolute path/);
		fs.appendFileSync(files[1]!.source, 'changed');
		await assert.rejects(journal.apply({command: 'test', label: 'x', operations: moveIns(files)}), /IMG_1\.JPG is not there or has changed/);
		assert.deepEqual(fs.readFileSync(files[0]!.source), files[0]!.bytes, 'the first source was not touched');
		await assert.rejects(
			journal.apply({command: 'test', label: 'x', operations: [{...moveIns(files)[0]!, to: existing[0]!.path} as Operation]}),
			/is now occupied by a different file/,
		);
		assert.equal(fs.existsSync(files[0]!.source), true);
	} finally {
		close();
	}
});

test('recovery of a move-in whose source changed after the copy keeps both: the new source where it is, the copied bytes in the trash', async () => {
	const {library} = journalLibrary(1);
	const {files} = card(1);
	const op = moveIns(files)[0]! as Extract<Operation, {kind: 'move-in'}>;
	const {catalog, close} = await openJournal(library);
	try {
		fs.mkdirSync(path.join(library.root, '2020'), {recursive: true});
		fs.copyFileSync(op.source, path.join(library.root, op.to));
		fs.appendFileSync(op.source, 'edited on the card meanwhile');
		const context = {root: library.root, batch: 7, store: new JournalStore(catalog), catalog};
		const settled = await kindOf(op).settle(op, context, 'forward');
		assert.equal(settled.done, false);
		assert.equal(fs.existsSync(path.join(library.root, op.to)), false);
		assert.deepEqual(fs.readFileSync(path.join(library.trashDir, '7', op.to)), files[0]!.bytes, 'the copied bytes are kept in the trash');
		assert.deepEqual(fs.readFileSync(op.source), Buffer.concat([files[0]!.bytes, Buffer.from('edited on the card meanwhile')]), 'the changed source is left alone');
		await assert.rejects(kindOf(op).settle({...op, sha256: '0'.repeat(64)}, context, 'forward'), /cannot tell whether "move in/);
	} finally {
		close();
	}
});
