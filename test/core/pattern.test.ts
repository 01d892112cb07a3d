import assert from 'node:assert/strict';
import test from 'node:test';
import {formatDurationText, parseDuration} from '../../source/core/duration.js';
import {cameraName, cleanSegment, parsePattern, type PatternFields, renderPattern} from '../../source/core/pattern.js';

const fields = (overrides: Partial<PatternFields> = {}): PatternFields => ({
	takenAt: '2022-08-20T15:04:10+02:00',
	dateIsFallback: false,
	make: 'Canon',
	model: 'Canon EOS 7D',
	fileName: 'IMG_0001.JPG',
	...overrides,
});

test('default pattern: dated folders from the photo\'s own wall-clock time, file keeps its name', () => {
	const pattern = parsePattern('{year}/{year}-{month}-{day}');
	assert.equal(renderPattern(pattern, fields()), '2022/2022-08-20/IMG_0001.JPG');
	// 23:30 at -05:00 is still the 20th where it was taken, whatever the machine's zone.
	assert.equal(renderPattern(pattern, fields({takenAt: '2022-08-20T23:30:00-05:00'})), '2022/2022-08-20/IMG_0001.JPG');
});

test('every token renders', () => {
	const pattern = parsePattern('{year}{month}{day}-{hour}{minute}{second}/{date} {event}/{camera}/{make}-{model}/{kind}/{name}.{ext}');
	assert.equal(
		renderPattern(pattern, fields({event: '2022-08-20 Beach', kind: 'image'})),
		'20220820-150410/2022-08-20 2022-08-20 Beach/Canon EOS 7D/Canon-Canon EOS 7D/image/IMG_0001.JPG',
	);
});

test('a last segment with {name} but no {ext} keeps the extension', () => {
	assert.equal(renderPattern(parsePattern('{year}/{date}_{name}'), fields()), '2022/2022-08-20_IMG_0001.JPG');
});

test('undated files: mtime fallback by default, "unknown" when asked', () => {
	const pattern = parsePattern('{year}/{month}');
	const undated = fields({takenAt: '2019-03-04T10:00:00.000Z', dateIsFallback: true});
	assert.equal(renderPattern(pattern, undated), '2019/03/IMG_0001.JPG');
	assert.equal(renderPattern(pattern, undated, 'unknown'), 'unknown/unknown/IMG_0001.JPG');
	assert.equal(renderPattern(pattern, fields({takenAt: null})), 'unknown/unknown/IMG_0001.JPG');
});

test('token values are made safe for file systems', () => {
	const pattern = parsePattern('{camera}/{model}');
	const evil = fields({make: '../../etc', model: 'a/b\\c:d*e?\u001B[31m\u0007  ..'});
	const target = renderPattern(pattern, evil);
	assert.equal(target, '_.._etc a_b_c_d_e_[31m/a_b_c_d_e_[31m/IMG_0001.JPG');
	assert.ok(!target.split('/').includes('..'));
	assert.equal(cleanSegment('...'), 'unknown');
	assert.equal(cleanSegment(' .hidden. '), 'hidden');
	assert.equal([...cleanSegment('x'.repeat(300))].length, 64);
	assert.equal(renderPattern(parsePattern('{make}'), fields({make: '   '})), 'unknown/IMG_0001.JPG');
});

test('a file name with control characters lands with a clean name', () => {
	assert.equal(renderPattern(parsePattern('{year}'), fields({fileName: 'a\u001B]0;x\u0007.jpg'})), '2022/a]0;x.jpg');
});

test('bad patterns are refused with a reason', () => {
	assert.throws(() => parsePattern('{yaer}'), /unknown pattern token \{yaer\}/);
	assert.throws(() => parsePattern('/abs/{year}'), /relative/);
	assert.throws(() => parsePattern('{year}/../x'), /"\.\."/);
	assert.throws(() => parsePattern('{year'), /unclosed/);
	assert.throws(() => parsePattern('{year}/a:b'), /character/);
	assert.throws(() => parsePattern(''), /empty/);
});

test('camera names do not repeat the make', () => {
	assert.equal(cameraName('Canon', 'Canon EOS 7D'), 'Canon EOS 7D');
	assert.equal(cameraName('Apple', 'iPhone 12'), 'Apple iPhone 12');
	assert.equal(cameraName('NIKON CORPORATION', 'NIKON D5000'), 'NIKON D5000');
	assert.equal(cameraName(null, null), undefined);
});

test('durations', () => {
	assert.equal(parseDuration('6h'), 21_600_000);
	assert.equal(parseDuration('1h30m'), 5_400_000);
	assert.throws(() => parseDuration('10'), /"10" needs a unit/, 'a bare number is an error (issue 14)');
	assert.equal(parseDuration('250ms'), 250);
	assert.throws(() => parseDuration('6 hours'), /not a duration/);
	assert.equal(formatDurationText(21_600_000), '6h');
});

test('a token longer than a folder name allows is cut between words, not mid-word', async () => {
	const {cleanSegment, cutAtWord} = await import('../../source/core/pattern.js');
	assert.equal(cutAtWord('Autumn, tree, leaves', 16), 'Autumn, tree');
	assert.equal(cutAtWord('short', 16), 'short');
	assert.equal(cutAtWord('Donaudampfschifffahrt', 10, true), '');
	assert.equal(cleanSegment('Canon PowerShot SX740 HS with a very long model name that goes on and on forever', 64), 'Canon PowerShot SX740 HS with a very long model name that goes');
});
