import assert from 'node:assert/strict';
import {test} from 'node:test';
import {csvField, csvLine} from '../../source/core/csv.js';

test('fields are quoted only when they must be, quotes doubled', () => {
	assert.equal(csvField('plain/path.jpg'), 'plain/path.jpg');
	assert.equal(csvField(0.25), '0.25');
	assert.equal(csvField('a,b'), '"a,b"');
	assert.equal(csvField('say "cheese"'), '"say ""cheese"""');
	assert.equal(csvField('two\nlines'), '"two\nlines"');
	assert.equal(csvField(' padded'), '" padded"');
	assert.equal(csvLine(['x', 1]), 'x,1\r\n');
});
