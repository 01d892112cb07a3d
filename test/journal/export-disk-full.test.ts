import assert from 'node:assert/strict';
import {randomBytes, createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {openJournal} from '../../source/journal/journal.js';
import {runCli} from '../helpers/cli.js';
import {journalLibrary} from '../helpers/journal-library.js';
import {fillUntil, needsSmallFs, smallFs} from '../helpers/small-fs.js';

test('journal export on a full disk leaves no 0-byte or partial file under its name and says the disk is full', {skip: needsSmallFs}, async () => {
	const {library, files} = journalLibrary(1);
	const [photo] = files;
	// A batch whose export is about 40 KB: a sidecar carries its bytes.
	const after = randomBytes(30_000);
	const {journal, close} = await openJournal(library);
	try {
		await journal.apply({command: 'edit', label: 'big sidecar', operations: [{
			kind: 'write-sidecar', path: `${photo!.path}.xmp`, before: null, beforeSha256: null, after: after.toString('base64'),
			afterSha256: createHash('sha256').update(after).digest('hex'), photo: photo!.path,
		}]});
	} finally {
		close();
	}

	const disk = smallFs(256 * 1024);
	try {
		fillUntil(disk.dir, 8 * 1024);
		const target = path.join(disk.dir, 'journal.jsonl');
		const result = await runCli(['journal', 'export', target, '--library', library.root]);
		assert.equal(result.code, 1, result.stderr);
		assert.match(result.stderr, /^curate: the disk holding .+ is full \([\d.]+ MB free, about [\d.]+ MB needed\)\n$/);
		assert.deepEqual(fs.readdirSync(disk.dir), ['.filler'], 'no file under its final name, no temporary file left');

		// With room, the same export lands whole.
		fs.rmSync(path.join(disk.dir, '.filler'));
		const written = await runCli(['journal', 'export', target, '--library', library.root]);
		assert.equal(written.code, 0, written.stderr);
		assert.equal(fs.readFileSync(target, 'utf8').trim().split('\n').length, 2);
		assert.deepEqual(fs.readdirSync(disk.dir), ['journal.jsonl']);
	} finally {
		disk.release();
	}
});
