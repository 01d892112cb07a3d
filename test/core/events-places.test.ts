import assert from 'node:assert/strict';
import test from 'node:test';
import {groupEvents} from '../../source/core/events.js';

test('an event in one place is named after its first day and the place, whatever its keywords say', () => {
	const events = groupEvents([
		{key: 'a', takenAt: '2019-05-03T10:00:00', place: 'Paris', labels: ['friends']},
		{key: 'b', takenAt: '2019-05-03T12:00:00', place: 'Paris', labels: ['friends']},
		{key: 'c', takenAt: '2019-05-03T14:00:00', labels: ['friends']},
	]);
	assert.deepEqual(events.map(event => event.name), ['2019-05-03 Paris']);
});

test('an event over two places is named after both in the order visited; a third, rarer place is left out', () => {
	const events = groupEvents([
		{key: 'a', takenAt: '2022-08-20T10:00:00', place: 'Lisbon'},
		{key: 'b', takenAt: '2022-08-20T12:00:00', place: 'Lisbon'},
		{key: 'c', takenAt: '2022-08-20T15:00:00', place: 'Sintra'},
		{key: 'd', takenAt: '2022-08-20T17:00:00', place: 'Cascais'},
		{key: 'e', takenAt: '2022-08-20T18:00:00', place: 'Sintra'},
	]);
	assert.deepEqual(events.map(event => event.name), ['2022-08-20 Lisbon – Sintra']);
});

test('an event spans days while the gaps stay below the threshold, and is named after its first day', () => {
	const events = groupEvents([
		{key: 'a', takenAt: '2019-05-03T20:00:00', place: 'Paris'},
		{key: 'b', takenAt: '2019-05-04T01:00:00', place: 'Paris'},
		{key: 'c', takenAt: '2019-05-04T06:00:00', place: 'Versailles'},
	]);
	assert.deepEqual(events.map(event => [event.name, event.keys.length]), [['2019-05-03 Paris – Versailles', 3]]);
});

test('without places the most common keyword names an event, then the date alone', () => {
	assert.deepEqual(groupEvents([{key: 'a', takenAt: '2019-09-01T18:00:00', labels: ['birthday', 'cake']}, {key: 'b', takenAt: '2019-09-01T19:00:00', labels: ['Birthday']}]).map(event => event.name), ['2019-09-01 birthday']);
	assert.deepEqual(groupEvents([{key: 'a', takenAt: '2019-09-01T18:00:00'}]).map(event => event.name), ['2019-09-01']);
});

test('long place names are cut on word boundaries, never mid-word', () => {
	const [event] = groupEvents([
		{key: 'a', takenAt: '2020-01-01T10:00:00', place: 'Llanfair Pwllgwyngyll Gogerych Wyrndrobwll'},
		{key: 'b', takenAt: '2020-01-01T11:00:00', place: 'Saint-Rémy-de-Provence les Alpilles'},
	]);
	const label = event!.name.slice('2020-01-01 '.length);
	assert.ok(label.length <= 40, label);
	const words = 'Llanfair Pwllgwyngyll Gogerych Wyrndrobwll – Saint-Rémy-de-Provence les Alpilles'.split(/[\s-]+/);
	for (const word of label.split(/[\s-]+/)) {
		assert.ok(words.includes(word), `"${word}" is a whole word`);
	}

	assert.doesNotMatch(label, /[–\s-]$/);
});

test('capture times are lined up in UTC when offsets are known: photos taken together in two time zones are one event', () => {
	const events = groupEvents(
		[
			{key: 'camera', takenAt: '2022-08-20T19:00:00', offset: '+02:00'},
			{key: 'phone', takenAt: '2022-08-20T12:30:00', offset: '-05:00'},
		],
		3_600_000,
	);
	// 19:00+02:00 = 17:00 UTC and 12:30-05:00 = 17:30 UTC: half an hour apart, one event, though 6.5 h apart on the wall.
	assert.equal(events.length, 1);
	const apart = groupEvents([{key: 'camera', takenAt: '2022-08-20T19:00:00'}, {key: 'phone', takenAt: '2022-08-20T12:30:00'}], 3_600_000);
	assert.equal(apart.length, 2, 'without offsets the wall clocks are 6.5 hours apart');
});

test('a camera without an offset takes the offset of the phone shot alongside it', () => {
	const events = groupEvents(
		[
			{key: 'phone-1', takenAt: '2022-08-20T10:00:00-05:00'},
			{key: 'camera', takenAt: '2022-08-20T10:20:00'},
			{key: 'phone-2', takenAt: '2022-08-20T10:40:00', offset: '-05:00'},
		],
		3_600_000,
	);
	assert.deepEqual(events.map(event => event.keys), [['phone-1', 'camera', 'phone-2']]);
});
