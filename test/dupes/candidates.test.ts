import assert from 'node:assert/strict';
import {test} from 'node:test';
import {hashToHex} from '../../source/core/perceptual.js';
import {findCandidates, findDamagedCandidates} from '../../source/dupes/candidates.js';
import {storedFile, unitsOf} from './helpers/stored-file.js';

const hex = (value: bigint) => hashToHex(value);
const base = 0x0f0f_3c3c_5a5a_9999n;
const flip = (value: bigint, bits: number) => {
	let out = value;
	for (let bit = 0; bit < bits; bit++) out ^= 1n << BigInt(bit * 7);
	return out;
};

test('candidates: neighbours within the radius, turned and cropped copies found through their own hashes, each pair once', () => {
	const [r90, r180, r270, crop0, crop1] = [0xffff_0000_ffff_0000n, 0x00ff_00ff_00ff_00ffn, 0xf0f0_f0f0_f0f0_f0f0n, 0x1234_5678_9abc_def0n, 0xcccc_cccc_3333_3333n];
	const units = unitsOf([
		storedFile('original.jpg', {phash: hex(base), phashRotations: hex(r90) + hex(r180) + hex(r270), phashCrops: hex(crop0) + hex(crop1)}),
		storedFile('close.jpg', {phash: hex(flip(base, 5))}),
		storedFile('outside.jpg', {phash: hex(flip(base, 9))}),
		storedFile('turned.jpg', {phash: hex(r180 ^ 1n)}),
		storedFile('cropped.jpg', {phash: hex(crop0)}),
		storedFile('unhashed.jpg'),
	]);
	const pairs = findCandidates(units, {radius: 8, lookupRadius: 6});
	const found = new Map(pairs.map(pair => [`${units[pair.a]!.file.path} ${units[pair.b]!.file.path}`, pair.ways]));
	assert.deepEqual(found.get('original.jpg close.jpg')?.map(way => [way.rotation, way.crop, way.distance]), [[0, -1, 5]]);
	assert.equal(found.has('original.jpg outside.jpg'), false, '9 bits apart is outside radius 8');
	assert.deepEqual(found.get('original.jpg turned.jpg')?.map(way => [way.i, way.rotation, way.distance]), [[0, 180, 1]], 'the 180° hash matched, from the original');
	assert.deepEqual(found.get('original.jpg cropped.jpg')?.map(way => [way.i, way.crop, way.distance]), [[0, 0, 0]], 'the first centre crop matched');
	assert.ok(pairs.every(pair => pair.a < pair.b));
	assert.equal(new Set(pairs.map(pair => `${pair.a},${pair.b}`)).size, pairs.length);
});

test('candidates for the similar tier: every pair taken within the window, even when the hashes are far apart', () => {
	const units = unitsOf([
		storedFile('1.jpg', {phash: hex(base), takenAt: '2020-01-01T10:00:00', takenAtSource: 'original'}),
		storedFile('2.jpg', {phash: hex(~base & 0xffff_ffff_ffff_ffffn), takenAt: '2020-01-01T10:01:00', takenAtSource: 'original'}),
		storedFile('3.jpg', {phash: hex(0x0000_ffff_ffff_0000n), takenAt: '2020-01-01T11:00:00', takenAtSource: 'original'}),
		storedFile('4.jpg', {phash: hex(0xaaaa_5555_aaaa_5555n), takenAt: '2020-01-01T10:00:30', takenAtSource: 'mtime'}),
	]);
	const paths = (pairs: ReturnType<typeof findCandidates>) => pairs.map(pair => `${units[pair.a]!.file.path} ${units[pair.b]!.file.path}`);
	assert.deepEqual(paths(findCandidates(units, {radius: 8, lookupRadius: 6, similarWindowMs: 120_000})), ['1.jpg 2.jpg'], 'a file date is no capture time');
	assert.deepEqual(paths(findCandidates(units, {radius: 8, lookupRadius: 6})), []);
});

test('a damaged copy of a photo with no capture time is compared with its original, though it was written later', () => {
	const units = unitsOf([
		storedFile('photos/original.jpg', {phash: hex(base), width: 2048, height: 1536, takenAt: '2026-12-06T21:23:02.020Z', takenAtSource: 'mtime'}),
		storedFile('backup/original.jpg', {phash: hex(~base & 0xffff_ffff_ffff_ffffn), width: 2048, height: 1536, takenAt: '2026-12-07T09:00:00.000Z', takenAtSource: 'mtime', error: 'damaged image data: premature end of JPEG image'}),
		storedFile('other-shot.jpg', {phash: hex(base), width: 2048, height: 1536, takenAt: '2019-07-14T10:00:00', takenAtSource: 'original'}),
		storedFile('damaged-shot.jpg', {phash: hex(base), width: 2048, height: 1536, takenAt: '2020-01-01T08:00:00', takenAtSource: 'original', error: 'damaged image data: premature end of JPEG image'}),
	]);
	const pairs = findDamagedCandidates(units).map(pair => `${units[pair.a]!.file.path} ${units[pair.b]!.file.path}`);
	assert.ok(pairs.includes('photos/original.jpg backup/original.jpg'), 'modification times a day apart do not keep a copy from its original');
	assert.ok(!pairs.includes('other-shot.jpg damaged-shot.jpg'), 'capture times from the camera still tell two shots apart');
});
