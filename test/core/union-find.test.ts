import assert from 'node:assert/strict';
import {test} from 'node:test';
import {unionFind} from '../../source/core/union-find.js';

test('union-find joins transitively, reports new merges, and rejects elements outside the set', () => {
	const sets = unionFind(6);
	assert.equal(sets.union(0, 1), true);
	assert.equal(sets.union(2, 3), true);
	assert.equal(sets.union(1, 3), true);
	assert.equal(sets.union(0, 2), false, 'already one set');
	assert.equal(sets.find(0), sets.find(3));
	assert.notEqual(sets.find(0), sets.find(4));
	assert.throws(() => sets.find(6), RangeError);
});
