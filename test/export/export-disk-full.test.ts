import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {endExiftool} from '../../source/adapters/exif.js';
import {closeDecoders} from '../../source/media/decode.js';
import {runCli, runJson} from '../helpers/cli.js';
import {scannedSampleLibrary} from '../helpers/scanned.js';
import {fillUntil, needsSmallFs, smallFs} from '../helpers/small-fs.js';
import {tempDir} from '../helpers/temp.js';

after(async () => {
	await endExiftool();
	await closeDecoders();
});

const paris = '2019/2019-05-03 Paris/DSC_0412.jpg';
/** stderr without the progress lines a non-terminal run prints. */
const errors = (stderr: string) => stderr.split('\n').filter(line => !/^export(ing)?: /.test(line)).join('\n');
const oneLine = (dir: string) => new RegExp(`^curate: the disk holding ${dir.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')} is full \\(\\d+(\\.\\d+)? MB free, about \\d+(\\.\\d+)? MB needed\\)\\n$`);

test('export onto a disk with room for the copy but not for exiftool\'s own temporary file says the disk is full in one line, not "Error creating file", and leaves nothing in the folder', {skip: needsSmallFs, timeout: 300_000}, async () => {
	const {root} = await scannedSampleLibrary();
	// The size of the copy, measured by exporting it once onto a roomy disk.
	const {result: roomy, json} = await runJson(['export', paris, '--to', tempDir(), '--json'], {cwd: root});
	assert.equal(roomy.code, 0, roomy.stderr);
	const bytes = json.items[0].bytes as number;
	assert.ok(bytes > 64 * 1024, `the copy is large enough to tell the two writes apart (${bytes} bytes)`);

	const disk = smallFs(bytes * 4 + 1024 * 1024);
	try {
		const to = path.join(disk.dir, 'out');
		fs.mkdirSync(to);
		// Room for sharp's copy, not for exiftool's second copy of it beside the first.
		fillUntil(disk.dir, Math.round(bytes * 1.4));
		const result = await runCli(['export', paris, '--to', to], {cwd: root});
		assert.equal(result.code, 1, result.stderr + result.stdout);
		assert.match(errors(result.stderr), oneLine(to), result.stderr + result.stdout);
		assert.doesNotMatch(result.stderr + result.stdout, /Error creating file|ENOSPC|exiftool/i);
		assert.deepEqual(fs.readdirSync(to), [], 'no copy, no temporary file, no exiftool _exiftool_tmp file');

		// With room, the same export lands whole.
		fs.rmSync(path.join(disk.dir, '.filler'));
		const written = await runCli(['export', paris, '--to', to], {cwd: root});
		assert.equal(written.code, 0, written.stderr);
		assert.deepEqual(fs.readdirSync(to), ['DSC_0412.jpg']);
	} finally {
		disk.release();
	}
});

test('export of many photos onto a full disk says the disk is full once, in one line, not once per photo', {skip: needsSmallFs, timeout: 300_000}, async () => {
	const {root} = await scannedSampleLibrary();
	const disk = smallFs(4 * 1024 * 1024);
	try {
		const to = path.join(disk.dir, 'out');
		fs.mkdirSync(to);
		fillUntil(disk.dir, 16 * 1024);
		// Every photo of the sample library.
		const result = await runCli(['export', '.', '--to', to], {cwd: root});
		assert.equal(result.code, 1, result.stderr + result.stdout);
		assert.match(errors(result.stderr), oneLine(to), result.stderr + result.stdout);
		assert.equal(result.stdout, '', 'no list of per-photo failures');
		assert.deepEqual(fs.readdirSync(to), []);
	} finally {
		disk.release();
	}
});
