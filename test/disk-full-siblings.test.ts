/**
 * The commands besides export that run exiftool or copy photos into a folder on a disk that may be full: each says so
 * in the one disk-full line (source/disk-space.ts), never exiftool's "Error creating file", and leaves the files as
 * they were. (Backups into a full folder: test/health/backup-safety.test.ts.)
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {runCli} from './helpers/cli.js';
import {diskState} from './helpers/journal-library.js';
import {fillUntil, needsSmallFs, smallFs} from './helpers/small-fs.js';
import {corpusDir, needsCorpus, tempDir} from './helpers/temp.js';

const oneLine = /^curate: the disk holding .+ is full \(\d+(\.\d+)? MB free(, about \d+(\.\d+)? MB needed)?\)$/;
/** stderr without progress lines. */
const errorLines = (stderr: string) => stderr.trim().split('\n').filter(line => /^curate: /.test(line) || !/^\w[\w -]*: /.test(line));

// A 2.4 MB camera JPEG: exiftool's temporary copy of it is larger than the room Curate keeps for its catalog.
const big = 'cameras/Apple_iPhone_5.jpg';

/** A scanned library of one large JPEG on a small disk. */
async function libraryOnSmallDisk() {
	const disk = smallFs(24 * 1024 * 1024);
	const root = path.join(disk.dir, 'library');
	fs.mkdirSync(path.join(root, 'a'), {recursive: true});
	fs.copyFileSync(path.join(corpusDir, big), path.join(root, 'a', 'photo.jpg'));
	const scan = await runCli(['scan', root, '--json']);
	assert.equal(scan.code, 0, scan.stderr);
	return {disk, root, photo: path.join(root, 'a', 'photo.jpg'), bytes: fs.statSync(path.join(root, 'a', 'photo.jpg')).size};
}

test('edit --write-embedded on a disk with room for the backup but not for exiftool\'s temporary copy says the disk is full in one line and changes nothing', {skip: needsSmallFs || needsCorpus, timeout: 300_000}, async () => {
	const {disk, root, photo, bytes} = await libraryOnSmallDisk();
	try {
		// The catalog's headroom (1 MB) and the trash backup fit; exiftool's copy of the photo does not.
		fillUntil(disk.dir, 1024 * 1024 + bytes + 512 * 1024);
		const before = diskState(root);
		const result = await runCli(['edit', photo, '--rating', '3', '--write-embedded', '--library', root]);
		assert.notEqual(result.code, 0, result.stderr + result.stdout);
		const lines = errorLines(result.stderr);
		assert.equal(lines.length, 1, result.stderr);
		assert.match(lines[0]!, oneLine);
		assert.doesNotMatch(result.stderr, /Error creating file|Error writing|ENOSPC|exiftool/i);
		const after = diskState(root);
		assert.equal(after.get('a/photo.jpg'), before.get('a/photo.jpg'), 'the photo is as it was');
		assert.deepEqual([...after.keys()].filter(name => !name.startsWith('.curate/')), [...before.keys()].filter(name => !name.startsWith('.curate/')), 'no temporary file beside the photo');
	} finally {
		disk.release();
	}
});

test('edit (into a sidecar) on a full disk says the disk is full in one line and writes no sidecar', {skip: needsSmallFs || needsCorpus, timeout: 300_000}, async () => {
	const {disk, root, photo} = await libraryOnSmallDisk();
	try {
		fillUntil(disk.dir, 200 * 1024);
		const result = await runCli(['edit', photo, '--add-keyword', 'beach', '--library', root]);
		assert.notEqual(result.code, 0, result.stderr + result.stdout);
		const lines = errorLines(result.stderr);
		assert.equal(lines.length, 1, result.stderr);
		assert.match(lines[0]!, oneLine);
		assert.equal(fs.existsSync(`${photo}.xmp`), false);
	} finally {
		disk.release();
	}
});

test('restore --to a folder on a full disk says the disk is full in one line and leaves no partial file there', {skip: needsSmallFs || needsCorpus, timeout: 300_000}, async () => {
	const library = path.join(tempDir(), 'library');
	fs.mkdirSync(path.join(library, 'a'), {recursive: true});
	fs.copyFileSync(path.join(corpusDir, big), path.join(library, 'a', 'photo.jpg'));
	assert.equal((await runCli(['scan', library, '--json'])).code, 0);
	const backup = path.join(tempDir(), 'backup');
	const made = await runCli(['backup', '--to', backup, '--library', library]);
	assert.equal(made.code, 0, made.stderr);

	const disk = smallFs(4 * 1024 * 1024);
	try {
		const to = path.join(disk.dir, 'restored');
		fs.mkdirSync(to);
		fillUntil(disk.dir, 512 * 1024);
		const result = await runCli(['restore', 'a/photo.jpg', '--from', backup, '--to', to, '--library', library], {cwd: library});
		assert.equal(result.code, 1, result.stderr + result.stdout);
		const lines = errorLines(result.stderr);
		assert.equal(lines.length, 1, result.stderr);
		assert.match(lines[0]!, oneLine);
		assert.deepEqual(fs.readdirSync(to, {recursive: true}).filter(name => fs.statSync(path.join(to, name as string)).isFile()), [], 'no partial file');
	} finally {
		disk.release();
	}
});
