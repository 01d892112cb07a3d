import assert from 'node:assert/strict';
import {test} from 'node:test';
import {csvField, csvLine, parseCsv} from '../../source/core/csv.js';

test('fields are quoted only when they must be, quotes doubled', () => {
	assert.equal(csvField('plain/path.jpg'), 'plain/path.jpg');
	assert.equal(csvField(0.25), '0.25');
	assert.equal(csvField('a,b'), '"a,b"');
	assert.equal(csvField('say "cheese"'), '"say ""cheese"""');
	assert.equal(csvField('two\nlines'), '"two\nlines"');
	assert.equal(csvField(' padded'), '" padded"');
	assert.equal(csvLine(['x', 1]), 'x,1\r\n');
});

test('round trip: commas, quotes, line breaks, spaces, empty fields and non-ASCII come back as written', () => {
	const rows = [
		['path', 'tag', 'confidence', 'state'],
		['Été 2021/café, "best".jpg', 'places/beach', '0.5', 'confirmed'],
		['odd\nname.jpg', 'people/group', '', 'rejected'],
		[' lead.jpg', 'x', '1', ''],
		['', '', '', ''],
	];
	const text = rows.map(row => csvLine(row)).join('');
	assert.deepEqual(
		parseCsv(text).map(record => record.fields),
		rows.slice(0, 4).concat([['', '', '', '']]),
	);
	assert.deepEqual(
		parseCsv(text).map(record => record.line),
		[1, 2, 3, 5, 6],
		'line numbers count the line break inside the quoted name',
	);
});

test('LF line ends, a byte-order mark and blank lines are accepted; an unclosed quote names its line', () => {
	assert.deepEqual(
		parseCsv('\uFEFFpath,tag\n\na.jpg,red\n').map(record => record.fields),
		[
			['path', 'tag'],
			['a.jpg', 'red'],
		],
	);
	assert.throws(() => parseCsv('a,b\n"open,c\n'), /line 2: a quoted field is not closed/);
});
