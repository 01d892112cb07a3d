import assert from 'node:assert/strict';
import {test} from 'node:test';
import {editList, keywordsOf, learnThreshold, minimumReviewed, normaliseTagName, precision} from '../../source/core/tag-keywords.js';

test('a tag becomes its last level for dc:subject and a | path for lr:hierarchicalSubject', () => {
	assert.deepEqual(keywordsOf('places/beach'), {subject: 'beach', hierarchical: 'places|beach'});
	assert.deepEqual(keywordsOf('a/b/c d'), {subject: 'c d', hierarchical: 'a|b|c d'});
	assert.deepEqual(keywordsOf('red'), {subject: 'red', hierarchical: undefined});
});

test('keyword lists keep their order, add once, remove', () => {
	assert.deepEqual(editList(['holiday', 'red'], ['red', 'beach'], []), ['holiday', 'red', 'beach']);
	assert.deepEqual(editList(['holiday', 'red'], [], ['red']), ['holiday']);
});

const confirmed = (confidence: number) => ({state: 'confirmed' as const, confidence});
const rejected = (confidence: number) => ({state: 'rejected' as const, confidence});

test('thresholds stay until enough photos were reviewed, and never drop below the taxonomy', () => {
	assert.equal(minimumReviewed, 5);
	assert.equal(learnThreshold(0.2, [rejected(0.3), rejected(0.4), rejected(0.5), rejected(0.45)]).threshold, 0.2, 'four reviews are not enough');
	assert.equal(learnThreshold(0.2, [0.3, 0.4, 0.5, 0.6, 0.7].map(c => confirmed(c))).threshold, 0.2, 'all right: nothing to learn');
	assert.equal(learnThreshold(0.2, [confirmed(0.21), confirmed(0.25), confirmed(0.3), confirmed(0.35), confirmed(0.4)]).agreeing, 5);
});

test('the threshold moves just above the rejections where that agrees with the most decisions', () => {
	// Wrong ones cluster low: cutting above 0.33 keeps all five right ones and drops the four wrong ones.
	const clear = learnThreshold(0.2, [rejected(0.22), rejected(0.25), rejected(0.3), rejected(0.33), confirmed(0.4), confirmed(0.5), confirmed(0.55), confirmed(0.7), confirmed(0.9)]);
	assert.deepEqual(clear, {threshold: 0.331, reviewed: 9, agreeing: 9});
	// A stray rejection high up is not worth losing the right ones below it.
	const stray = learnThreshold(0.2, [rejected(0.25), confirmed(0.3), confirmed(0.4), confirmed(0.5), rejected(0.8), confirmed(0.85)]);
	assert.equal(stray.threshold, 0.251);
	assert.equal(stray.agreeing, 5);
	// Ties go to the lower threshold: it loses fewer good suggestions.
	const tie = learnThreshold(0.2, [confirmed(0.25), rejected(0.3), confirmed(0.35), rejected(0.4), confirmed(0.45)]);
	assert.equal(tie.threshold, 0.2);
});

test('precision and tag names', () => {
	assert.equal(precision(0, 0), null);
	assert.equal(precision(3, 1), 0.75);
	assert.equal(normaliseTagName(' Places / Beach '), 'places/beach');
	assert.equal(normaliseTagName('new   york'), 'new york');
	assert.equal(normaliseTagName('?!'), undefined);
	assert.equal(normaliseTagName(''), undefined);
});
