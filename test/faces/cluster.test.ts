// Grouping faces and suggesting names (issue 19), on synthetic descriptors whose similarities are known exactly.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {assignClusters, minLabelledFaces, sameFaceThreshold, suggestNames} from '../../source/faces/cluster.js';

const dimensions = 16;

/** A unit vector pointing mostly along axis `axis`, tilted by `tilt` towards axis `axis + 1`. */
function vector(axis: number, tilt = 0): Float32Array {
	const result = new Float32Array(dimensions);
	result[axis] = Math.cos(tilt);
	result[(axis + 1) % dimensions] = Math.sin(tilt);
	return result;
}

test('faces of one person land in one group, another person in another, numbered after the existing groups', () => {
	const faces = [
		{id: 1, cluster: null, embedding: vector(0)},
		{id: 2, cluster: null, embedding: vector(0, 0.2)},
		{id: 3, cluster: null, embedding: vector(5)},
		{id: 4, cluster: null, embedding: vector(0, -0.2)},
		{id: 5, cluster: null, embedding: vector(5, 0.1)},
	];
	const groups = assignClusters(faces, 7);
	assert.deepEqual([...groups], [[1, 8], [2, 8], [3, 9], [4, 8], [5, 9]]);
});

test('clustering is incremental: grouped faces keep their group and new faces join it', () => {
	const faces = [
		{id: 1, cluster: 4, embedding: vector(0)},
		{id: 2, cluster: 4, embedding: vector(0, 0.1)},
		{id: 3, cluster: null, embedding: vector(0, 0.3)},
		{id: 4, cluster: null, embedding: vector(9)},
	];
	assert.deepEqual([...assignClusters(faces, 4)], [[3, 4], [4, 5]]);
});

test(`a face just below the threshold (${sameFaceThreshold}) starts a group of its own`, () => {
	const apart = Math.acos(sameFaceThreshold) + 0.01;
	assert.deepEqual([...assignClusters([{id: 1, cluster: null, embedding: vector(0)}, {id: 2, cluster: null, embedding: vector(0, apart)}], 0)], [[1, 1], [2, 2]]);
	const close = Math.acos(sameFaceThreshold) - 0.01;
	assert.deepEqual([...assignClusters([{id: 1, cluster: null, embedding: vector(0)}, {id: 2, cluster: null, embedding: vector(0, close)}], 0)], [[1, 1], [2, 1]]);
});

const labelled = (person: string, axis: number, count: number, firstId: number) =>
	Array.from({length: count}, (_, index) => ({id: firstId + index, person, embedding: vector(axis, (index - count / 2) * 0.02)}));

test(`names are suggested only once a person has ${minLabelledFaces} labelled faces`, () => {
	const unnamed = {id: 100, person: null, embedding: vector(0, 0.05)};
	assert.deepEqual(suggestNames([...labelled('Anna', 0, minLabelledFaces - 1, 1), unnamed]), []);
	const [suggestion, ...rest] = suggestNames([...labelled('Anna', 0, minLabelledFaces, 1), unnamed]);
	assert.equal(rest.length, 0);
	assert.equal(suggestion!.face, 100);
	assert.equal(suggestion!.person, 'Anna');
	assert.ok(suggestion!.confidence > 0.99 && suggestion!.confidence <= 1);
});

test('the closer person is suggested, with its margin; a face like no one gets no suggestion', () => {
	const faces = [...labelled('Anna', 0, 12, 1), ...labelled('Ben', 6, 12, 20), {id: 100, person: null, embedding: vector(6, 0.3)}, {id: 101, person: null, embedding: vector(12)}];
	const suggestions = suggestNames(faces);
	assert.deepEqual(suggestions.map(suggestion => [suggestion.face, suggestion.person]), [[100, 'Ben']]);
	assert.ok(suggestions[0]!.margin > 0.5);
});
