import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {CandidatePair} from '../../source/dupes/candidates.js';
import {sensitivities} from '../../source/dupes/types.js';
import {type Verification, verificationFromFiles, verifyCandidates} from '../../source/dupes/verify.js';
import {signature, storedFile, unitsOf} from './helpers/stored-file.js';

const options = {tuning: sensitivities.normal, radius: 8, filter: 'all' as const, similarWindowMs: 120_000, allowed: () => true};
const pair = (a: number, b: number, distance = 2): CandidatePair => ({a, b, ways: [{i: a, j: b, rotation: 0, crop: -1, distance}]});

test('verification: a re-encoded copy is a near duplicate, a moved subject and a camera original of another second are not', () => {
	const units = unitsOf([
		storedFile('original.jpg', {signature: signature(8, 8), takenAt: '2020-05-01T10:00:00', takenAtSource: 'original'}),
		storedFile('copy.jpg', {signature: signature(8, 8, 6, 7)}),
		storedFile('moved.jpg', {signature: signature(11, 5)}),
		storedFile('next-second.jpg', {signature: signature(8, 8, 2, 3), takenAt: '2020-05-01T10:00:01', takenAtSource: 'original'}),
		storedFile('far.jpg', {signature: signature(8, 8, 6, 9)}),
		storedFile('animation.gif', {signature: signature(8, 8, 2, 4), frames: 10}),
	]);
	const links = verifyCandidates(units, [pair(0, 1), pair(0, 2), pair(0, 3), pair(0, 4, 9), pair(0, 5)], verificationFromFiles(units.map(unit => unit.file)), options);
	assert.deepEqual(links.map(link => [units[link.b]!.file.path, link.kind, link.distance]), [['copy.jpg', 'near', 2]]);
});

test('verification loads the heavy data only for candidate pairs, a batch at a time, and skips pairs the user kept apart', () => {
	const files = Array.from({length: 10}, (_, i) => storedFile(`${i}.jpg`, {signature: signature(8, 8, 4, i + 1)}));
	const units = unitsOf(files);
	const full = verificationFromFiles(files);
	const calls: number[][] = [];
	const load = (ids: readonly number[]) => {
		calls.push([...ids].sort((x, y) => x - y));
		return full(ids);
	};

	const allowed = (a: number, b: number) => !(a === 4 && b === 5);
	const links = verifyCandidates(units, [pair(0, 1), pair(2, 3), pair(4, 5)], load, {...options, allowed, batch: 1});
	assert.deepEqual(calls, [[files[0]!.id, files[1]!.id], [files[2]!.id, files[3]!.id], []]);
	assert.deepEqual(links.map(link => [link.a, link.b]), [[0, 1], [2, 3]]);
});

test('pairs their records already rule out (another second, an animation, too far apart) are not loaded, except for the similar tier, which may link them', () => {
	const files = [
		storedFile('original.jpg', {signature: signature(8, 8), takenAt: '2020-05-01T10:00:00', takenAtSource: 'original'}),
		storedFile('copy.jpg', {signature: signature(8, 8, 6, 7)}),
		storedFile('next-second.jpg', {signature: signature(8, 8, 2, 3), takenAt: '2020-05-01T10:00:01', takenAtSource: 'original'}),
		storedFile('animation.gif', {signature: signature(8, 8, 2, 4), frames: 10}),
		storedFile('far.jpg', {signature: signature(8, 8, 6, 9)}),
	];
	const units = unitsOf(files);
	const full = verificationFromFiles(files);
	const loaded = (filter: 'all' | 'similar') => {
		const ids = new Set<number>();
		const load = (asked: readonly number[]) => {
			for (const id of asked) ids.add(id);
			return full(asked);
		};

		const links = verifyCandidates(units, [pair(0, 1), pair(0, 2), pair(0, 3), pair(0, 4, 9)], load, {...options, filter});
		return {paths: files.filter(file => ids.has(file.id)).map(file => file.path), links: links.map(link => [units[link.b]!.file.path, link.kind])};
	};

	assert.deepEqual(loaded('all'), {paths: ['original.jpg', 'copy.jpg'], links: [['copy.jpg', 'near']]});
	const similar = loaded('similar');
	assert.deepEqual(similar.paths, files.map(file => file.path));
	assert.deepEqual(similar.links, [['copy.jpg', 'near'], ['next-second.jpg', 'similar']]);
});

test('a photo the loader has no data for is never linked', () => {
	const units = unitsOf([storedFile('a.jpg'), storedFile('b.jpg')]);
	const none = () => new Map<number, Verification>();
	assert.deepEqual(verifyCandidates(units, [pair(0, 1)], none, options), []);
});

test('the similar tier links shots of one moment that look alike, and not beyond the window', () => {
	const units = unitsOf([
		storedFile('1.jpg', {signature: signature(8, 8), takenAt: '2020-05-01T10:00:00', takenAtSource: 'original'}),
		storedFile('2.jpg', {signature: signature(10, 7), takenAt: '2020-05-01T10:00:40', takenAtSource: 'original'}),
		storedFile('3.jpg', {signature: signature(10, 7), takenAt: '2020-05-01T10:09:00', takenAtSource: 'original'}),
	]);
	const load = verificationFromFiles(units.map(unit => unit.file));
	const links = verifyCandidates(units, [pair(0, 1, 20), pair(0, 2, 20)], load, {...options, filter: 'similar'});
	assert.deepEqual(links.map(link => [link.a, link.b, link.kind]), [[0, 1, 'similar']]);
});

test('a pair the detail grids pass like a re-encode reads no thumbnail; one near their limit with no thumbnail keeps their word', () => {
	// A textured 32x32 grid, an exact copy of it, and a brightened copy whose levels clip in places (near the limit).
	const grid = Uint8Array.from({length: 32 * 32}, (_, i) => 128 + Math.round(60 * Math.sin((i % 32) / 3) * Math.cos(Math.floor(i / 32) / 4)));
	const clipped = grid.map((value, i) => Math.min(255, value + 40 + (i % 7)));
	const units = unitsOf([
		storedFile('original.jpg', {signature: signature(8, 8)}),
		storedFile('copy.jpg', {signature: signature(8, 8)}),
		storedFile('edited.jpg', {signature: signature(8, 8)}),
	]);
	const asked: number[] = [];
	const details = [grid, grid, clipped];
	const load = (ids: readonly number[]) =>
		new Map<number, Verification>(ids.map(id => {
			const index = units.findIndex(unit => unit.file.id === id);
			return [id, {signature: units[index]!.file.signature, signatureCrops: null, detail: details[index]!, thumbnail() {
				asked.push(index);
				return undefined;
			}}];
		}));
	const links = verifyCandidates(units, [pair(0, 1), pair(0, 2)], load, options);
	assert.deepEqual(links.map(link => units[link.b]!.file.path), ['copy.jpg', 'edited.jpg']);
	assert.deepEqual(asked.sort(), [0, 2], 'only the photos of the pair near the limit were asked for a thumbnail');
});
