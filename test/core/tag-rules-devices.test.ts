import assert from 'node:assert/strict';
import test from 'node:test';
import {ruleTags, type RuleInput} from '../../source/core/tag-rules.js';

const photo = (sha256: string, fields: Partial<RuleInput>): RuleInput => ({sha256, path: `${sha256}.jpg`, format: 'jpeg', width: 4000, height: 3000, make: 'Apple', software: null, takenAt: null, takenAtSource: null, ...fields});
const tagsOf = (input: RuleInput) => ruleTags([input]).map(tag => `${tag.tag}@${tag.confidence}`);

test('device categories from the camera fields, each with confidence 1: selfie, burst, live photo, video, edited', () => {
	assert.deepEqual(tagsOf(photo('a', {lens: 'iPhone 12 front camera 2.71mm f/2.2'})), ['selfie@1']);
	assert.deepEqual(tagsOf(photo('b', {lens: 'iPhone 12 back dual wide camera 4.2mm f/1.6'})), []);
	assert.deepEqual(tagsOf(photo('c', {model: 'Pixel 7 Front'})), ['selfie@1']);
	assert.deepEqual(tagsOf(photo('d', {burstId: 'B1'})), ['burst@1']);
	assert.deepEqual(tagsOf(photo('e', {livePhotoId: 'L1'})), ['live photo@1']);
	assert.deepEqual(tagsOf(photo('f', {kind: 'video', format: 'mov'})), ['video@1']);
	assert.deepEqual(tagsOf(photo('g', {software: 'Adobe Photoshop Lightroom Classic 12.0 (Windows)'})), ['edited@1']);
	assert.deepEqual(tagsOf(photo('h', {software: 'GIMP 2.10'})), ['edited@1']);
	assert.deepEqual(tagsOf(photo('i', {software: 'Ver.1.00'})), [], 'camera firmware is not an edit');
	assert.deepEqual(tagsOf(photo('j', {software: '16.1.1'})), [], 'an iPhone\'s iOS version is not an edit');
	assert.deepEqual(tagsOf(photo('k', {lens: 'EF24-105mm f/4L IS USM', software: 'Firmware 1.0.3'})), []);
});
