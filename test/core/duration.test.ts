import assert from 'node:assert/strict';
import test from 'node:test';
import {parseDuration} from '../../source/core/duration.js';

test('one duration parser: every unit, combined units, and 0 alone', () => {
	assert.equal(parseDuration('30d'), 30 * 86_400_000);
	assert.equal(parseDuration('12h'), 12 * 3_600_000);
	assert.equal(parseDuration('90m'), 90 * 60_000);
	assert.equal(parseDuration('10s'), 10_000);
	assert.equal(parseDuration('500ms'), 500);
	assert.equal(parseDuration(' 1h 30m '), 5_400_000);
	assert.equal(parseDuration('1.5h'), 5_400_000);
	assert.equal(parseDuration('0'), 0);
	assert.equal(parseDuration('0d'), 0);
});

test('a bare number is an error that suggests the units, not days in one flag and seconds in another', () => {
	assert.throws(() => parseDuration('30'), {message: '"30" needs a unit (ms, s, m, h, d): e.g. 30s, 30m, 30h or 30d'});
	assert.throws(() => parseDuration('1.5'), /"1.5" needs a unit/);
	assert.throws(() => parseDuration('6 hours'), /not a duration: "6 hours"/);
	assert.throws(() => parseDuration('-1d'), /not a duration/);
	assert.throws(() => parseDuration(''), /not a duration/);
});
