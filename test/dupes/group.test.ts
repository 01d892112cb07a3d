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
