import assert from 'node:assert/strict';
import test from 'node:test';
import {hasOffset, offsetFor, placeAlias, placeKeywords, placeLabel, placeMatches, placeTags} from '../../source/core/place.js';

const paris = {countryCode: 'FR', country: 'France', region: null, city: 'Paris', distanceKm: 1.2};
const zurich = {countryCode: 'CH', country: 'Switzerland', region: null, city: 'Zürich', distanceKm: 0.4};
const sea = {countryCode: null, country: null, region: null, city: null, distanceKm: null};

test('a capture time without an offset in Paris gets +02:00 in July and +01:00 in January (daylight saving)', () => {
	assert.equal(offsetFor('Europe/Paris', '2019-07-14T10:00:00'), '+02:00');
	assert.equal(offsetFor('Europe/Paris', '2019-01-10T15:00:00'), '+01:00');
});

test('offsets follow each zone and date: the southern summer, no daylight saving, half hours, before and after a change', () => {
	assert.equal(offsetFor('Australia/Sydney', '2020-01-15T12:00:00'), '+11:00');
	assert.equal(offsetFor('Australia/Sydney', '2020-07-15T12:00:00'), '+10:00');
	assert.equal(offsetFor('Asia/Tokyo', '2020-07-15T12:00:00'), '+09:00');
	assert.equal(offsetFor('Asia/Kolkata', '2020-07-15T12:00:00'), '+05:30');
	assert.equal(offsetFor('America/New_York', '2021-03-14T01:30:00'), '-05:00', 'the hour before the spring change');
	assert.equal(offsetFor('America/New_York', '2021-03-14T03:30:00'), '-04:00', 'the hour after it');
	// The repeated hour of the autumn change: the offset before the change.
	assert.equal(offsetFor('Europe/Paris', '2019-10-27T02:30:00'), '+02:00');
	assert.equal(offsetFor('Europe/Paris', 'not a date'), undefined);
	assert.equal(offsetFor('Not/AZone', '2019-07-14T10:00:00'), undefined);
});

test('hasOffset tells a capture time that carries its offset from one that does not', () => {
	assert.ok(hasOffset('2019-07-14T10:00:00+02:00'));
	assert.ok(hasOffset('2019-07-14T10:00:00Z'));
	assert.ok(!hasOffset('2019-07-14T10:00:00'));
	assert.ok(!hasOffset('2019-07-14T10:00:00.123'));
});

test('place tags, keywords and labels: country and town levels, at sea, and no | or / from a name leaking into a level', () => {
	assert.deepEqual(placeTags(paris), ['places/france', 'places/france/paris']);
	assert.deepEqual(placeKeywords(paris), {subject: ['France', 'Paris'], hierarchical: ['Places|France', 'Places|France|Paris']});
	assert.deepEqual(placeTags(sea), ['places/at sea']);
	assert.deepEqual(placeKeywords(sea), {subject: [], hierarchical: []});
	assert.equal(placeLabel(sea), 'at sea');
	assert.equal(placeLabel({...paris, city: null}), 'France');
	assert.deepEqual(placeTags({...paris, city: 'A/B'}), ['places/france', 'places/france/a-b']);
	assert.deepEqual(placeKeywords({...paris, city: 'A|B'}).hierarchical, ['Places|France', 'Places|France|A-B']);
});

test('place: terms match a country code, a country, a region or a town, without case or accents, and through aliases', () => {
	assert.ok(placeMatches(paris, 'FR'));
	assert.ok(placeMatches(paris, 'fr'));
	assert.ok(placeMatches(paris, 'france'));
	assert.ok(placeMatches(paris, 'PARIS'));
	assert.ok(!placeMatches(paris, 'par'), 'a part of a name is not the place');
	assert.ok(!placeMatches(paris, 'DE'));
	assert.ok(placeMatches(zurich, 'zurich'));
	assert.ok(placeMatches(sea, 'at sea'));
	assert.ok(placeMatches({...paris, city: 'New York'}, 'nyc', new Map([['nyc', 'New York']])));
	const taxonomy = [{name: 'places/united states of america/new york', aliases: ['nyc', 'big apple']}, {name: 'people/alice', aliases: ['nyc']}];
	assert.equal(placeAlias('NYC', taxonomy), 'new york');
	assert.equal(placeAlias('Paris', taxonomy), 'Paris');
});
