import assert from 'node:assert/strict';
import {test} from 'node:test';
import {clusterLinks} from '../../source/dupes/cluster.js';
import type {Link} from '../../source/dupes/types.js';

const links: Link[] = [
	{a: 0, b: 1, kind: 'exact', distance: 0},
	{a: 1, b: 4, kind: 'near', distance: 5},
	{a: 4, b: 6, kind: 'near', distance: 3},
	{a: 2, b: 3, kind: 'pixels', distance: 0},
	{a: 3, b: 7, kind: 'similar', distance: 12},
];

test('links join transitively; each filter uses its own tier and stricter ones', () => {
	const all = clusterLinks(8, links, 'all');
	assert.deepEqual(all.map(group => group.members), [[0, 1, 4, 6], [2, 3]]);
	assert.deepEqual(all.map(group => group.distance), [5, 0], 'the largest near distance of the group');
	assert.deepEqual(clusterLinks(8, links, 'exact').map(group => group.members), [[0, 1]]);
	assert.deepEqual(clusterLinks(8, links, 'pixels').map(group => group.members), [[0, 1], [2, 3]]);
	const similar = clusterLinks(8, links, 'similar');
	assert.deepEqual(similar.map(group => [group.members, group.hasSimilar]), [[[0, 1, 4, 6], false], [[2, 3, 7], true]]);
});

test('no links, no groups; a lone unit is never a group', () => {
	assert.deepEqual(clusterLinks(3, [], 'all'), []);
	assert.deepEqual(clusterLinks(0, [], 'all'), []);
});
