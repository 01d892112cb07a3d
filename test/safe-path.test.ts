import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import sharp from 'sharp';
import {PreviewCache} from '../source/media/preview-cache.js';
import {checkInside, makeFoldersInside, UnsafePathError, writeFileInside} from '../source/safe-path.js';
import {scanRoot} from './helpers/scanned.js';
import {tempDir} from './helpers/temp.js';

/** A library folder with an outside folder beside it (the place a planted link points to). */
function libraryWithOutside(): {root: string; outside: string} {
	const parent = tempDir();
	const root = path.join(parent, 'library');
	const outside = path.join(parent, 'outside');
	fs.mkdirSync(path.join(root, '.curate'), {recursive: true});
	fs.mkdirSync(outside);
	return {root, outside};
}

test('a path through a symlinked folder is refused, a path whose tail does not exist yet is fine', () => {
	const {root, outside} = libraryWithOutside();
	fs.symlinkSync(outside, path.join(root, 'linked'));
	fs.writeFileSync(path.join(root, 'file.jpg'), 'x');
	assert.throws(() => checkInside(root, path.join(root, 'linked', 'a.jpg')), UnsafePathError);
	assert.throws(() => checkInside(root, path.join(root, 'linked')), /linked is a symbolic link/);
	assert.throws(() => checkInside(root, path.join(root, 'file.jpg', 'x')), /file\.jpg is not a folder/);
	assert.throws(() => checkInside(root, path.join(root, '..', 'outside', 'x')), /outside the library/);
	assert.equal(checkInside(root, path.join(root, 'new', 'deeper', 'a.jpg')), path.join(root, 'new', 'deeper', 'a.jpg'));
	assert.deepEqual(makeFoldersInside(root, path.join(root, 'new', 'deeper')), [path.join(root, 'new'), path.join(root, 'new', 'deeper')]);
	assert.deepEqual(makeFoldersInside(root, path.join(root, 'new', 'deeper')), [], 'nothing made twice');
	assert.throws(() => makeFoldersInside(root, path.join(root, 'linked', 'deeper')), UnsafePathError);
	assert.deepEqual(fs.readdirSync(outside), []);
});

test('a scratch name replaced by a link to a file outside the library is removed, never written through', async () => {
	const {root, outside} = libraryWithOutside();
	const victim = path.join(outside, 'victim.txt');
	fs.writeFileSync(victim, 'outside');
	const target = path.join(root, 'cache', 'a.jpg');
	fs.mkdirSync(path.dirname(target));
	fs.symlinkSync(victim, `${target}.tmp`);
	await writeFileInside(root, target, Buffer.from('inside'), '.tmp');
	assert.equal(fs.readFileSync(victim, 'utf8'), 'outside');
	assert.equal(fs.readFileSync(target, 'utf8'), 'inside');
	assert.equal(fs.existsSync(`${target}.tmp`), false);
});

test('scan never writes a thumbnail through a symlinked .curate/thumbs', async () => {
	const {root, outside} = libraryWithOutside();
	await sharp({create: {width: 64, height: 48, channels: 3, background: '#806040'}}).jpeg().toFile(path.join(root, 'photo.jpg'));
	fs.symlinkSync(outside, path.join(root, '.curate', 'thumbs'));
	await scanRoot(root);
	assert.deepEqual(fs.readdirSync(outside), [], 'nothing was written outside the library');
});

test('the review screen never writes a preview through a symlinked .curate/previews', async () => {
	const {root, outside} = libraryWithOutside();
	const photo = path.join(root, 'photo.jpg');
	await sharp({create: {width: 64, height: 48, channels: 3, background: '#806040'}}).jpeg().toFile(photo);
	fs.symlinkSync(outside, path.join(root, '.curate', 'previews'));
	const {createHash} = await import('node:crypto');
	const sha256 = createHash('sha256').update(fs.readFileSync(photo)).digest('hex');
	const cache = new PreviewCache(path.join(root, '.curate', 'previews'));
	await assert.rejects(cache.ensure({absolute: photo, sha256, format: 'jpeg', kind: 'image', orientation: 1}), /previews is a symbolic link/);
	assert.deepEqual(fs.readdirSync(outside), []);
});
