import assert from 'node:assert/strict';
import {test} from 'node:test';
import {defaultTaxonomyText, defaultThreshold, parseTaxonomy, tagMatches, tagPrompts} from '../../source/core/taxonomy.js';
import {parseQuery} from '../../source/core/search-query.js';
import {ruleTags, type RuleInput} from '../../source/core/tag-rules.js';

test('taxonomy lines: name, aliases, prompt and threshold; comments and blank lines ignored', () => {
	const tags = parseTaxonomy(`# my tags
events/Birthday | bday, birthday party | a photo of a birthday party | 0.4
beach
pet | dog, cat |  # no prompt: the default one

places/snowy_peaks || a photo of snowy mountains`);
	assert.deepEqual(tags, [
		{name: 'events/birthday', aliases: ['bday', 'birthday party'], prompt: 'a photo of a birthday party', threshold: 0.4},
		{name: 'beach', aliases: [], prompt: 'a photo of beach', threshold: defaultThreshold},
		{name: 'pet', aliases: ['dog', 'cat'], prompt: 'a photo of pet', threshold: defaultThreshold},
		{name: 'places/snowy_peaks', aliases: [], prompt: 'a photo of snowy mountains', threshold: defaultThreshold},
	]);
	assert.deepEqual(tagPrompts(tags[2]!), ['a photo of pet', 'a photo of dog', 'a photo of cat']);
});

test('taxonomy errors name the line', () => {
	assert.throws(() => parseTaxonomy('beach\nbeach'), /line 2: tag "beach" is listed twice/);
	assert.throws(() => parseTaxonomy('beach | | x | 1.5'), /line 1: threshold "1.5"/);
	assert.throws(() => parseTaxonomy('a | b | c | 0.1 | e'), /too many/);
	assert.throws(() => parseTaxonomy('bad:name'), /line 1: "bad:name" is not a tag name/);
	assert.throws(() => parseTaxonomy('# nothing\n'), /no tags/);
});

test('the default taxonomy parses, covers people, places, events, objects and quality', () => {
	const tags = parseTaxonomy(defaultTaxonomyText);
	assert.ok(tags.length >= 24 && tags.length <= 30, String(tags.length));
	for (const name of ['people/portrait', 'people/group', 'people/baby', 'animals/pet', 'places/beach', 'places/mountain', 'places/snow', 'places/city', 'objects/food', 'events/party', 'events/birthday', 'events/wedding', 'objects/flower', 'objects/car', 'objects/document', 'objects/screenshot', 'scenes/sunset', 'scenes/night', 'quality/blurry']) {
		assert.ok(tags.some(tag => tag.name === name), name);
	}
});

test('tag:QUERY matches a full name, a level, a last part or an alias', () => {
	const taxonomy = parseTaxonomy('events/birthday | bday');
	assert.ok(tagMatches('events/birthday', 'birthday', taxonomy));
	assert.ok(tagMatches('events/birthday', 'events', taxonomy));
	assert.ok(tagMatches('events/birthday', 'bday', taxonomy));
	assert.ok(tagMatches('events/birthday', 'EVENTS/BIRTHDAY', taxonomy));
	assert.ok(!tagMatches('events/birthday', 'birth', taxonomy));
	assert.ok(!tagMatches('events/birthday', 'party', taxonomy));
});

test('search queries: text and filters, quoted values, year ranges, clear errors', () => {
	assert.deepEqual(parseQuery('dog on the beach tag:pets year:2019 camera:"EOS R5" path:2019/'), {
		text: 'dog on the beach',
		tags: ['pets'],
		years: [[2019, 2019]],
		cameras: ['eos r5'],
		paths: ['2019/'],
	});
	assert.deepEqual(parseQuery('year:2020-2018').years, [[2018, 2020]]);
	assert.equal(parseQuery('tag:beach').text, '');
	assert.equal(parseQuery('10:30 sunset').text, '10:30 sunset');
	assert.throws(() => parseQuery('year:soon'), /not a year/);
	assert.throws(() => parseQuery('tag:'), /needs a value/);
});

const file = (overrides: Partial<RuleInput>): RuleInput => ({sha256: overrides.path ?? 'x', path: 'a.jpg', format: 'jpeg', width: 4000, height: 3000, make: 'Canon', software: null, takenAt: null, takenAtSource: null, ...overrides});

test('metadata rules: screenshots, panoramas and events from capture-time gaps', () => {
	const tags = ruleTags(
		[
			file({path: 'Screenshots/Screenshot_20240101-101010.png', format: 'png', make: null}),
			file({path: 'misc/IMG_1.png', format: 'png', make: null, width: 1170, height: 2532}),
			file({path: 'camera/IMG_2.png', format: 'png', make: 'Apple', width: 1170, height: 2532}),
			file({path: 'grab.jpg', software: 'macOS Screenshot'}),
			file({path: 'pano.jpg', width: 12_000, height: 3000}),
			file({path: 'e1.jpg', takenAt: '2019-07-14T10:00:00', takenAtSource: 'original'}),
			file({path: 'e2.jpg', takenAt: '2019-07-14T11:30:00', takenAtSource: 'original'}),
			file({path: 'e3.jpg', takenAt: '2019-07-14T14:00:00', takenAtSource: 'original'}),
			// Five hours later: a new run, too short to be an event.
			file({path: 'f1.jpg', takenAt: '2019-07-14T19:00:00', takenAtSource: 'original'}),
			file({path: 'f2.jpg', takenAt: '2019-07-14T19:10:00', takenAtSource: 'original'}),
			// A file date is no capture time.
			file({path: 'm.jpg', takenAt: '2019-07-14T12:00:00', takenAtSource: 'mtime'}),
		],
		tag => (tag === 'screenshot' ? 'objects/screenshot' : tag),
	);
	const of = (path: string) => tags.filter(tag => tag.sha256 === path).map(tag => `${tag.tag}@${tag.confidence}`);
	assert.deepEqual(of('Screenshots/Screenshot_20240101-101010.png'), ['objects/screenshot@1']);
	assert.deepEqual(of('misc/IMG_1.png'), ['objects/screenshot@0.8']);
	assert.deepEqual(of('camera/IMG_2.png'), []);
	assert.deepEqual(of('grab.jpg'), ['objects/screenshot@1']);
	assert.deepEqual(of('pano.jpg'), ['panorama@1']);
	for (const path of ['e1.jpg', 'e2.jpg', 'e3.jpg']) {
		assert.deepEqual(of(path), ['event/2019-07-14@1']);
	}

	for (const path of ['f1.jpg', 'f2.jpg', 'm.jpg']) {
		assert.deepEqual(of(path), []);
	}
});
