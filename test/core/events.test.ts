import assert from 'node:assert/strict';
import test from 'node:test';
import {commonLabel, groupEvents} from '../../source/core/events.js';

test('organize names an event after one keyword, not a comma list cut mid-word ("Autumn, tree, le")', () => {
	const labels = ['Autumn, tree, leaves, forest, colours, light, October walk'];
	const [event] = groupEvents([
		{key: 'a', takenAt: '2019-10-12T10:00:00', labels},
		{key: 'b', takenAt: '2019-10-12T11:00:00', labels: [...labels, 'tree']},
	]);
	assert.equal(event!.name, '2019-10-12 tree', 'the most common single keyword');
	assert.equal(commonLabel(['Autumn, tree, leaves']), 'Autumn');
	assert.equal(commonLabel(['Places|France|Paris', 'Places|France|Paris', 'Lyon']), 'Paris', 'a hierarchical keyword names its leaf');
});

test('an event keyword too long for a folder name is cut between words, never inside one', () => {
	const long = 'Christmas market in the old town of Strasbourg with the whole family';
	const [event] = groupEvents([{key: 'a', takenAt: '2019-12-20T18:00:00', labels: [long]}]);
	const label = event!.name.slice('2019-12-20 '.length);
	assert.ok(label.length <= 40, label);
	assert.ok(long.startsWith(label), label);
	assert.match(long.slice(label.length), /^ /, `cut at a word boundary: "${label}"`);
	// One word longer than the limit cannot be cut between words: the event is named by its date alone.
	const [single] = groupEvents([{key: 'b', takenAt: '2019-12-21T18:00:00', labels: ['Donaudampfschifffahrtsgesellschaftskapitänsmütze']}]);
	assert.equal(single!.name, '2019-12-21');
});
