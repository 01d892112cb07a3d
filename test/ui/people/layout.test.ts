import assert from 'node:assert/strict';
import {test} from 'node:test';
import {cropPosition, faceGridLayout} from '../../../source/ui/people/layout.js';

test('at 80x24 the face grid is 6x2 square crops of 12x6 cells; larger terminals get larger crops, small ones as many as fit', () => {
	assert.deepEqual(faceGridLayout(80, 24), {gridColumns: 6, gridRows: 2, perPage: 12, pictureColumns: 12, pictureRows: 6});
	const wide = faceGridLayout(200, 60);
	assert.ok(wide.pictureColumns === 20 && wide.perPage >= 12, JSON.stringify(wide));
	assert.deepEqual(faceGridLayout(40, 12), {gridColumns: 3, gridRows: 1, perPage: 3, pictureColumns: 10, pictureRows: 5});
	for (const layout of [faceGridLayout(80, 24), wide]) {
		assert.equal(layout.pictureColumns, layout.pictureRows * 2, 'square in half blocks');
	}
});

test('a crop sits under the title row, one label row and one column apart from its neighbours', () => {
	const layout = faceGridLayout(80, 24);
	assert.deepEqual(cropPosition(layout, 0), {row: 2, column: 1});
	assert.deepEqual(cropPosition(layout, 5), {row: 2, column: 66});
	assert.deepEqual(cropPosition(layout, 6), {row: 9, column: 1});
});
