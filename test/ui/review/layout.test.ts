import assert from 'node:assert/strict';
import {test} from 'node:test';
import {cardTextRows, chromeRows, reviewLayout, scrollOffset} from '../../../source/ui/review/layout.js';

test('at 80x24 three cards fit side by side and the frame stays under the screen height', () => {
	const layout = reviewLayout(80, 24, 5);
	assert.equal(layout.visible, 3);
	assert.ok(layout.visible * layout.cardWidth + (layout.visible - 1) <= 80);
	assert.ok(layout.pictureColumns < layout.cardWidth);
	assert.ok(1 + cardTextRows + layout.pictureRows + 2 < 24);
	assert.equal(chromeRows + cardTextRows + layout.pictureRows, 24);
});

test('two members share the width; a narrow terminal shows one card', () => {
	assert.equal(reviewLayout(80, 24, 2).visible, 2);
	assert.equal(reviewLayout(40, 20, 3).visible, 1);
	assert.ok(reviewLayout(200, 60, 6).visible <= 4);
});

test('the chosen member stays in view', () => {
	assert.equal(scrollOffset(0, 3, 5), 0);
	assert.equal(scrollOffset(2, 3, 5), 0);
	assert.equal(scrollOffset(3, 3, 5), 1);
	assert.equal(scrollOffset(4, 3, 5), 2);
	assert.equal(scrollOffset(1, 3, 2), 0);
});
