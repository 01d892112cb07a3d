import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseQuery} from '../../source/core/search-query.js';

test('search with an unknown filter (yr:2019) says so and lists the filters instead of searching for the words', () => {
	assert.throws(() => parseQuery('beach yr:2019'), /^Error: yr: is not a filter; the filters are tag:, year:, camera:, path:/);
	assert.throws(() => parseQuery('Camra:pixel'), /Camra: is not a filter/);
});

test('colons that are not filters stay free text: times, addresses and quoted words', () => {
	assert.equal(parseQuery('10:30 sunset').text, '10:30 sunset');
	assert.equal(parseQuery('https://example.org').text, 'https://example.org');
	assert.equal(parseQuery('"note: beach" year:2019').text, 'note: beach');
});

test('person:NAME keeps the name as written, quoted names with spaces included, and counts as a filter (issue 19)', () => {
	const query = parseQuery('person:"Anna Berg" person:Ben beach');
	assert.deepEqual(query.persons, ['Anna Berg', 'Ben']);
	assert.equal(query.text, 'beach');
});
