import assert from 'node:assert/strict';
import test from 'node:test';
import {UnionFind} from '../../source/core/union-find.js';

test('union-find joins sets transitively and roots each at its smallest index', () => {
	const sets = new UnionFind(6);
	sets.union(4, 2);
	sets.union(5, 4);
	sets.union(3, 1);
	assert.deepEqual([0, 1, 2, 3, 4, 5].map(index => sets.find(index)), [0, 1, 2, 1, 2, 2]);
	sets.union(5, 3);
	assert.deepEqual([0, 1, 2, 3, 4, 5].map(index => sets.find(index)), [0, 1, 1, 1, 1, 1]);
});

test('union-find stays shallow on a long chain (path compression)', () => {
	const size = 200_000;
	const sets = new UnionFind(size);
	for (let index = size - 1; index > 0; index--) {
		sets.union(index, index - 1);
	}

	assert.equal(sets.find(size - 1), 0);
	assert.equal(sets.find(size / 2), 0);
});
