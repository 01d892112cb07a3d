import assert from 'node:assert/strict';
import {test} from 'node:test';
import {groupExact, groupPixels} from '../../source/dupes/group.js';
import {allowedBy, pairKey} from '../../source/dupes/units.js';
import {storedFile, unitsOf} from './helpers/stored-file.js';

test('exact copies are linked by their bytes; a "not duplicates" decision keeps them apart', () => {
	const units = unitsOf([storedFile('a.jpg', {sha256: 'X'}), storedFile('b.jpg', {sha256: 'Y'}), storedFile('c.jpg', {sha256: 'X'}), storedFile('d.jpg', {sha256: 'X'})]);
	const links = groupExact(units, allowedBy(units, new Set()));
	assert.deepEqual(links.map(link => [link.a, link.b, link.kind]), [[0, 2, 'exact'], [0, 3, 'exact']]);
	assert.deepEqual(groupExact(units, allowedBy(units, new Set([pairKey('X', 'X')]))), [], 'exact copies kept on purpose stay apart');
});

test('same pixels link pictures with different metadata, but not an animation with its still frame, nor movies', () => {
	const units = unitsOf([
		storedFile('a.jpg', {contentHash: 'P'}),
		storedFile('b.jpg', {contentHash: 'P'}),
		storedFile('anim.gif', {contentHash: 'Q', frames: 12}),
		storedFile('still.gif', {contentHash: 'Q', frames: 1}),
		storedFile('m1.mov', {contentHash: 'M', kind: 'video'}),
		storedFile('m2.mov', {contentHash: 'M', kind: 'video'}),
	]);
	const links = groupPixels(units, allowedBy(units, new Set()));
	assert.deepEqual(links.map(link => [units[link.a]!.file.path, units[link.b]!.file.path, link.kind]), [['a.jpg', 'b.jpg', 'pixels']]);
});

test('groups come in the order their first member does, each member linked to an earlier one it may be linked to', () => {
	const units = unitsOf([
		storedFile('a.jpg', {sha256: 'B'}), storedFile('b.jpg', {sha256: 'A'}), storedFile('c.jpg', {sha256: 'C'}),
		storedFile('d.jpg', {sha256: 'A'}), storedFile('e.jpg', {sha256: 'B'}), storedFile('f.jpg', {sha256: 'A'}),
	]);
	const links = groupExact(units, allowedBy(units, new Set()));
	assert.deepEqual(links.map(link => [link.a, link.b]), [[0, 4], [1, 3], [1, 5]]);
});

test('told which files may share their hash, grouping gives the same links without reading the others\' hashes', () => {
	const units = unitsOf([
		storedFile('a.jpg', {sha256: 'B', contentHash: 'P'}), storedFile('b.jpg', {sha256: 'A', contentHash: 'Q'}), storedFile('c.jpg', {sha256: 'C', contentHash: 'P'}),
		storedFile('d.jpg', {sha256: 'A', contentHash: 'R'}), storedFile('e.jpg', {sha256: 'B', contentHash: 'S'}), storedFile('f.jpg', {sha256: 'A', contentHash: 'Q'}),
	]);
	const allowed = allowedBy(units, new Set());
	const ids = (...indexes: number[]) => new Set(indexes.map(index => units[index]!.file.id));
	// A superset (c.jpg shares no SHA-256) changes nothing; the files left out are never asked for their hash.
	const asked: string[] = [];
	const watched = units.map(unit => ({...unit, file: new Proxy(unit.file, {get: (file, key) => (key === 'sha256' && asked.push(file.path), Reflect.get(file, key))})}));
	assert.deepEqual(groupExact(watched, allowed, ids(0, 1, 2, 3, 4, 5)), groupExact(units, allowed));
	asked.length = 0;
	assert.deepEqual(groupExact(watched, allowed, ids(0, 1, 3, 4, 5)), groupExact(units, allowed));
	assert.deepEqual(asked, ['a.jpg', 'b.jpg', 'd.jpg', 'e.jpg', 'f.jpg']);
	assert.deepEqual(groupPixels(units, allowed, ids(0, 1, 2, 5)), groupPixels(units, allowed));
	assert.equal(groupPixels(units, allowed).length, 2);
});
