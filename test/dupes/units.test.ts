import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {StoredFile} from '../../source/db/catalog.js';
import {groupUnits} from '../../source/dupes/find.js';

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
