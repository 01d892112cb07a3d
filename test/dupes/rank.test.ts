import assert from 'node:assert/strict';
import {test} from 'node:test';
import {rankKeepers} from '../../source/dupes/rank.js';
import {storedFile} from './helpers/stored-file.js';

test('ranking: the tier, the keeper with reasons for the others, reclaimable bytes with companions, a content-derived id', () => {
	const original = storedFile('2019/DSC_0001.jpg', {sha256: 'a', width: 4000, height: 3000, size: 5000, takenAt: '2019-06-01T10:00:00', takenAtSource: 'original', make: 'NIKON'});
	const small = storedFile('Downloads/small.jpg', {sha256: 'b', width: 1000, height: 750, size: 800});
	const raw = storedFile('Downloads/small.NEF', {sha256: 'r', kind: 'raw', format: 'nef', size: 9000});
	const copyA = storedFile('x/one.jpg', {sha256: 'c', contentHash: 'P', size: 300});
	const copyB = storedFile('y/two.jpg', {sha256: 'd', contentHash: 'P', size: 310});
	const units = [{file: original, companions: []}, {file: small, companions: [raw]}, {file: copyA, companions: []}, {file: copyB, companions: []}];
	const groups = [{members: [0, 1], distance: 4, hasSimilar: false}, {members: [2, 3], distance: 0, hasSimilar: false}];
	const clusters = rankKeepers(units, groups, 'all');
	assert.deepEqual(clusters.map(cluster => [cluster.kind, cluster.reclaimableBytes, cluster.distance]), [['near', 9800, 4], ['pixels', 310, 0]]);
	const [near] = clusters;
	assert.deepEqual(near!.members.map(member => [member.path, member.keeper, member.match, member.companions]), [
		['2019/DSC_0001.jpg', true, 'exact', []],
		['Downloads/small.jpg', false, 'near', ['Downloads/small.NEF']],
	]);
	assert.ok(near!.members[1]!.reasons.length > 0, 'the other member says why it is not the keeper');
	assert.match(near!.id, /^[\da-f]{12}$/);
	assert.equal(rankKeepers([units[1]!, units[0]!], [{members: [0, 1], distance: 4, hasSimilar: false}], 'all')[0]!.id, near!.id, 'the id does not depend on order');
	assert.deepEqual(rankKeepers(units, groups, 'pixels').map(cluster => cluster.kind), ['pixels'], 'a filter keeps only its tier');
});
