import assert from 'node:assert/strict';
import test from 'node:test';
import {parsePattern, renderPattern} from '../../source/core/pattern.js';

const base = {takenAt: '2019-05-03T10:00:00', dateIsFallback: false, make: 'Canon', model: 'Canon EOS 80D', fileName: 'IMG_1.JPG'};
const paris = {country: 'France', region: 'Île-de-France', city: 'Paris'};

test('{country} {region} {city} {place}: the photo\'s place, "at sea" off the coast, "unknown" without GPS', () => {
	const pattern = parsePattern('{country}/{region}/{city}/{place}');
	assert.equal(renderPattern(pattern, {...base, place: paris}), 'France/Île-de-France/Paris/Paris/IMG_1.JPG');
	assert.equal(renderPattern(pattern, {...base, place: {country: 'Niger', region: null, city: null}}), 'Niger/unknown/unknown/Niger/IMG_1.JPG');
	assert.equal(renderPattern(pattern, {...base, place: {country: null, region: null, city: null}}), 'at sea/unknown/unknown/at sea/IMG_1.JPG');
	assert.equal(renderPattern(pattern, base), 'unknown/unknown/unknown/unknown/IMG_1.JPG');
	// A place name is made safe like any token.
	assert.equal(renderPattern(parsePattern('{city}'), {...base, place: {...paris, city: '../Evil/..'}}), '_Evil_/IMG_1.JPG');
});

test('{tag:GROUP} is the confirmed tag in that group, alphabetically first, its last level; unknown without one', () => {
	const pattern = parsePattern('{year}/{tag:people}');
	assert.equal(renderPattern(pattern, {...base, tags: ['places/france', 'people/bob', 'people/alice']}), '2019/alice/IMG_1.JPG');
	assert.equal(renderPattern(pattern, {...base, tags: ['people', 'peoples/x']}), '2019/unknown/IMG_1.JPG', 'only tags under the group');
	assert.equal(renderPattern(parsePattern('{TAG:Places}'), {...base, tags: ['places/france/paris']}), 'paris/IMG_1.JPG');
	assert.throws(() => parsePattern('{tag:}'), /\{tag:GROUP\} needs a tag group/);
	assert.throws(() => parsePattern('{tag}'), /unknown pattern token \{tag\}/);
	assert.throws(() => parsePattern('{city:x}'), /unknown pattern token \{city:x\}/);
	assert.throws(() => parsePattern('{tag:a b*}'), /needs a tag group/);
});
