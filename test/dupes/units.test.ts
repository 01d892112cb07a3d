import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {StoredFile} from '../../source/db/catalog.js';
import path from 'node:path';
import {groupUnits} from '../../source/dupes/find.js';
import {stemOf} from '../../source/dupes/units.js';

let nextId = 1;
function file(path: string, overrides: Partial<StoredFile> = {}): StoredFile {
	return {
		id: nextId++, path, size: 100, mtimeMs: 0, sha256: path, contentHash: null, format: 'jpeg', kind: 'image', width: 10, height: 10,
		orientation: 1, takenAt: null, takenAtSource: null, make: null, model: null, lens: null, gps: null, keywords: [], rating: null,
		title: null, description: null, software: null, livePhotoId: null, burstId: null, phash: null, dhash: null, phashRotations: null,
		signature: null, phashCrops: null, signatureCrops: null, contentWidth: null, contentHeight: null, thumb: null, error: null,
		status: 'present', ...overrides,
	};
}

test('a Live Photo movie and a RAW beside its JPEG travel with their photo as one unit', () => {
	const still = file('2021/IMG_0001.HEIC', {format: 'heic', livePhotoId: 'ABC'});
	const movie = file('2021/IMG_0001.MOV', {format: 'mov', kind: 'video', livePhotoId: 'ABC'});
	const jpeg = file('2021/DSC_0100.JPG');
	const raw = file('2021/DSC_0100.NEF', {format: 'nef', kind: 'raw'});
	const lone = file('2021/DSC_0200.NEF', {format: 'nef', kind: 'raw'});
	const otherFolderRaw = file('2022/DSC_0100.NEF', {format: 'nef', kind: 'raw'});
	const units = groupUnits([still, movie, jpeg, raw, lone, otherFolderRaw]);
	const byPath = new Map(units.map(unit => [unit.file.path, unit.companions.map(companion => companion.path)]));
	assert.deepEqual(byPath.get('2021/IMG_0001.HEIC'), ['2021/IMG_0001.MOV']);
	assert.deepEqual(byPath.get('2021/DSC_0100.JPG'), ['2021/DSC_0100.NEF']);
	assert.deepEqual(byPath.get('2021/DSC_0200.NEF'), [], 'a RAW without a JPEG is its own unit');
	assert.deepEqual(byPath.get('2022/DSC_0100.NEF'), [], 'only the same folder pairs');
	assert.equal(units.length, 4);
});

test('a file\'s stem is its path without the extension, lowercased, as path.posix makes it, for plain and odd paths alike', () => {
	const posixStem = (file: string) => {
		const extension = path.posix.extname(file);
		return path.posix.join(path.posix.dirname(file), path.posix.basename(file, extension)).toLowerCase();
	};

	for (const file of [
		'2021/DSC_0100.JPG', 'DSC_0100.NEF', '.hidden', 'a/.hidden', 'a/.hidden.jpg', 'a/b.', 'a/b.tar.gz', '/abs/IMG.JPG', '/IMG.JPG',
		'a/b/', 'a//b.jpg', './a.jpg', '../a.jpg', 'a/./b.jpg', 'a/../b.jpg', 'a/.', 'a/..', '.', '..', '', 'Ünïcödé/Fïlé.JPG',
		'name\nwith newline.jpg', 'dots.in.folder/x', 'dots.in.folder/x.y',
	]) {
		assert.equal(stemOf(file), posixStem(file), file);
	}
});

test('a RAW pairs with the first JPEG of its stem in file order, whatever the case of the names, and a second RAW too', () => {
	const jpeg = file('x/IMG_1.jpg');
	const raw = file('x/img_1.CR2', {format: 'cr2', kind: 'raw'});
	const second = file('x/IMG_1.dng', {format: 'dng', kind: 'raw'});
	const otherJpeg = file('x/IMG_1.JPEG');
	const units = groupUnits([raw, jpeg, second, otherJpeg]);
	const byPath = new Map(units.map(unit => [unit.file.path, unit.companions.map(companion => companion.path)]));
	assert.deepEqual(byPath.get('x/IMG_1.jpg'), ['x/img_1.CR2', 'x/IMG_1.dng']);
	assert.deepEqual(byPath.get('x/IMG_1.JPEG'), []);
	assert.deepEqual(units.map(unit => unit.file.path), ['x/IMG_1.jpg', 'x/IMG_1.JPEG'], 'units keep file order');
});
