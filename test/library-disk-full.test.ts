import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {endExiftool} from '../source/adapters/exif.js';
import {closeDecoders} from '../source/media/decode.js';

import {runCli} from './helpers/cli.js';
import {scannedSampleLibrary} from './helpers/scanned.js';
import {fillUntil, needsSmallFs, smallFs} from './helpers/small-fs.js';
import {copyTree} from './helpers/temp.js';

after(async () => {
	await endExiftool();
	await closeDecoders();
});

const oneLine = /^curate: the disk holding .+ is full \(\d+(\.\d+)? MB free, about \d+(\.\d+)? MB needed\)\n$/;

test('with 27 KB free, dupes --apply keepers says the disk is full in one line and status, journal and show still work (index in memory), never a bus error', {skip: needsSmallFs, timeout: 600_000}, async () => {
	const {root: built} = await scannedSampleLibrary();
	const disk = smallFs(24 * 1024 * 1024);
	try {
		const root = path.join(disk.dir, 'library');
		copyTree(built, root);
		fillUntil(disk.dir, 27 * 1024);
		assert.ok(disk.free() < 64 * 1024, `free ${disk.free()}`);
		const photo = fs.readdirSync(path.join(root, '2019'), {recursive: true, encoding: 'utf8'}).find(name => name.endsWith('.jpg'))!;
		const before = fs.readdirSync(root, {recursive: true, encoding: 'utf8'}).sort();

		const apply = await runCli(['dupes', '--library', root, '--apply', 'keepers'], {timeoutMs: 600_000});
		assert.equal(apply.signal, null, 'no SIGBUS');
		assert.equal(apply.code, 1, apply.stderr);
		assert.match(apply.stderr, oneLine);
		assert.deepEqual(fs.readdirSync(root, {recursive: true, encoding: 'utf8'}).sort(), before, 'nothing moved');

		for (const args of [['status'], ['journal'], ['show', path.join(root, '2019', photo)]]) {
			// eslint-disable-next-line no-await-in-loop
			const result = await runCli([...args, '--library', root], {timeoutMs: 600_000});
			assert.equal(result.signal, null, `${args[0]}: no SIGBUS`);
			// Nobody else has the catalog open, so a reader keeps SQLite's WAL index in memory and works.
			assert.equal(result.code, 0, `${args[0]}: ${result.stderr}`);
			assert.equal(result.stderr, '');
		}

		assert.equal(fs.existsSync(path.join(root, '.curate', 'catalog.db-shm')), false, 'no -shm was created on the full disk');
	} finally {
		disk.release();
	}
});
