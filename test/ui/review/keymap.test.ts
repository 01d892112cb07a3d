import assert from 'node:assert/strict';
import {test} from 'node:test';
import {actionFor, keymap} from '../../../source/ui/review/keymap.js';

test('every key maps to one action and every action has help', () => {
	const seen = new Set<string>();
	for (const binding of keymap) {
		assert.ok(binding.help.length > 0);
		for (const key of binding.keys) {
			assert.ok(!seen.has(key), `${key} is bound twice`);
			seen.add(key);
		}
	}

	assert.equal(new Set(keymap.map(binding => binding.action)).size, keymap.length);
});

test('raw keys become actions', () => {
	assert.equal(actionFor('', {leftArrow: true}), 'previous-photo');
	assert.equal(actionFor('h', {}), 'previous-photo');
	assert.equal(actionFor('l', {}), 'next-photo');
	assert.equal(actionFor('', {rightArrow: true}), 'next-photo');
	assert.equal(actionFor('', {return: true}), 'large');
	assert.equal(actionFor('', {escape: true}), 'quit');
	assert.equal(actionFor('c', {ctrl: true}), 'quit');
	assert.equal(actionFor('k', {ctrl: true}), undefined);
	assert.equal(actionFor('a', {}), 'accept');
	assert.equal(actionFor('x', {}), undefined);
});
