// Hex fingerprints kept as bytes (issue 15): whatever string goes in comes back the same, packed or not, past the
// room first made for them.
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {test} from 'node:test';
import {PackedHex} from '../../source/db/packed-hex.js';

test('every string comes back exactly as it was kept: lowercase hex of the width packed, anything else as given', () => {
	const sha = (text: string) => createHash('sha256').update(text).digest('hex');
	// Widths of a SHA-256 and of a pHash; strings a catalog Curate wrote holds, and ones that packing would change.
	const values: Array<[string | null, string | null]> = [
		[sha('a'), '0123456789abcdef'],
		[null, null],
		[sha('b').toUpperCase(), '0123456789ABCDEF'],
		[sha('c').slice(0, 63), 'abc'],
		[`${sha('d')}00`, ''],
		[`zz${sha('e').slice(2)}`, '0123456789abcdeg'],
		[`${sha('f').slice(0, 62)}é1`, ' 123456789abcdef'],
		[sha('g'), '0x23456789abcdef'],
	];
	// Room for two records: the rest grow the table.
	const table = new PackedHex([32, 8], 2);
	const records = values.map(([first, second]) => {
		const record = table.add();
		table.set(record, 0, first);
		table.set(record, 1, second);
		return record;
	});
	for (const [index, record] of records.entries()) {
		assert.equal(table.get(record, 0), values[index]![0], `field 0 of record ${index}`);
		assert.equal(table.get(record, 1), values[index]![1], `field 1 of record ${index}`);
	}
});

test('a packed field\'s 32-bit words are what its hex digits spell, eight at a time; a field not packed has none', () => {
	const table = new PackedHex([8, 24], 1);
	const turned = 'ffffffff00000000' + '0123456789abcdef' + '80000001fedcba98';
	const packed = table.add();
	table.set(packed, 0, '00000001ffffffff');
	table.set(packed, 1, turned);
	for (let word = 0; word < 6; word++) {
		assert.equal(table.word(packed, 1, word), Number.parseInt(turned.slice(8 * word, 8 * word + 8), 16), `word ${word}`);
	}

	assert.deepEqual([table.word(packed, 0, 0), table.word(packed, 0, 1)], [1, 0xff_ff_ff_ff]);
	const odd = table.add();
	table.set(odd, 0, '0123456789ABCDEF');
	assert.equal(table.word(odd, 0, 0), -1, 'kept as given (capitals): read as its string');
	assert.equal(table.word(odd, 1, 0), -1, 'missing');
});
