import assert from 'node:assert/strict';
import {test} from 'node:test';
import {csvLine} from '../../source/core/csv.js';
import {parseCsv} from '../../source/tags/read-csv.js';

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

test('LF, CRLF and CR line ends, a byte-order mark and blank lines are accepted; an unclosed quote names the line it opens on', () => {
	assert.deepEqual(
		parseCsv('\uFEFFpath,tag\n\na.jpg,red\n').map(record => record.fields),
		[
			['path', 'tag'],
			['a.jpg', 'red'],
		],
	);
	assert.deepEqual(
		parseCsv('a,b\r\n\r\n"two\r\nlines",c\rlast,d').map(record => [record.line, ...record.fields]),
		[
			[1, 'a', 'b'],
			[3, 'two\nlines', 'c'],
			[5, 'last', 'd'],
		],
	);
	assert.throws(() => parseCsv('a,b\n"open,c\n'), /^Error: line 2: a quoted field is not closed$/);
	assert.throws(() => parseCsv('a,b\n\n"open,c\nmore\nlines\n'), /^Error: line 3: a quoted field is not closed$/);
});

test('tags import: a malformed quote like "ab"c is an error naming its line, not the field abc', () => {
	assert.throws(() => parseCsv('path,tag\nok.jpg,red\n"ab"c,red\n'), /^Error: line 3: text follows a closing quote \(inside a quoted field, write a quote as ""\)$/);
	assert.throws(() => parseCsv('path,tag\nab"c.jpg,red\n'), /^Error: line 2: a quote inside an unquoted field/);
	// Spaces around a quoted field are not a malformed quote: hand-edited files often have them.
	assert.deepEqual(parseCsv('a.jpg, "places/beach" ,confirmed\n')[0]!.fields, ['a.jpg', 'places/beach', 'confirmed']);
});
