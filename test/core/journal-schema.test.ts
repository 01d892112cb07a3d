import assert from 'node:assert/strict';
import {test} from 'node:test';
import {sidecarNameProblem} from '../../source/core/journal.js';
import {fieldValuesProblem, formatProblem} from '../../source/core/operation-schema.js';
import {operationKinds, operationProblem} from '../../source/journal/kinds/index.js';

const sha = 'a'.repeat(64);

test('the schema table covers every operation kind, and refuses null, missing and unknown operations with a clear field', () => {
	assert.deepEqual(operationKinds.map(kind => kind.kind).sort(), ['copy', 'mark-not-duplicate', 'move', 'move-in', 'purge', 'set-faces', 'set-fields', 'set-tags', 'trash', 'write-embedded', 'write-sidecar']);
	assert.deepEqual(operationProblem(null), {field: 'op', problem: 'is missing (null)'});
	assert.deepEqual(operationProblem(undefined), {field: 'op', problem: 'is missing (null)'});
	assert.equal(operationProblem({})!.field, 'kind');
	assert.match(formatProblem(operationProblem({kind: 'explode'})!), /^field "kind" is not a known operation \(trash, move/);
	assert.match(formatProblem(operationProblem({kind: 'toString'})!), /is not a known operation/, 'no prototype keys');
});

test('wrong-typed fields are named with their path: pairs, changes, after.rating, keywords', () => {
	const cases: Array<[unknown, string]> = [
		[{kind: 'mark-not-duplicate', pairs: 'ab'}, 'field "pairs" must be a list of pairs of SHA-256s'],
		[{kind: 'mark-not-duplicate', pairs: [[sha, 'x']]}, 'field "pairs[0][1]" must be a SHA-256 (64 lowercase hex digits)'],
		[{kind: 'set-tags', sha256: sha, changes: null}, 'field "changes" must be a list of tag changes'],
		[{kind: 'set-fields', path: 'a.jpg', sha256: sha, before: {}, after: {rating: 'DROP'}}, 'field "after.rating" must be a whole number from -1 to 5'],
		[{kind: 'set-fields', path: 'a.jpg', sha256: sha, before: {}, after: {keywords: 'x'}}, 'field "after.keywords" must be a list of strings'],
		[{kind: 'set-fields', path: 'a.jpg', sha256: sha, before: {}, after: {keywords: ['ok', 3]}}, 'field "after.keywords[1]" must be a string'],
		[{kind: 'set-fields', path: 'a.jpg', sha256: sha, before: {}, after: {}, for: null}, 'field "for" is not a field here'],
		[{kind: 'trash', path: '../x.jpg', sha256: sha, size: 1}, 'field "path" path leaves the library (..)'],
		[{kind: 'trash', path: 'x.jpg', sha256: sha}, 'field "size" is missing'],
		[{kind: 'move-in', source: 'relative.jpg', to: 'x.jpg', sha256: sha, size: 1}, 'field "source" must be an absolute path without ".."'],
	];
	for (const [op, expected] of cases) {
		assert.equal(formatProblem(operationProblem(op)!), expected, JSON.stringify(op));
	}
});

test('a sidecar operation must name its photo and write only the .xmp beside it', () => {
	const sidecar = (path: string, photo?: string) => ({kind: 'write-sidecar', path, before: null, beforeSha256: null, after: '', afterSha256: sha, ...(photo ? {photo} : {})});
	assert.equal(operationProblem(sidecar('a/IMG.jpg.xmp', 'a/IMG.jpg')), undefined);
	assert.equal(operationProblem(sidecar('a/IMG.xmp', 'a/IMG.jpg')), undefined, 'Lightroom naming');
	assert.equal(operationProblem(sidecar('a/IMG.jpg', 'a/IMG.jpg'))!.field, 'path');
	assert.equal(operationProblem(sidecar('a/IMG.jpg.xmp'))!.field, 'photo');
	assert.equal(operationProblem(sidecar('b/IMG.jpg.xmp', 'a/IMG.jpg'))!.field, 'path');
	assert.match(sidecarNameProblem('a/other.xmp', 'a/IMG.jpg')!, /is not the sidecar of a\/IMG\.jpg/);
	assert.match(sidecarNameProblem('a/x.xmp.xmp', 'a/x.xmp')!, /is a sidecar, not a photo/);
	assert.equal(formatProblem(operationProblem({...sidecar('a/IMG.jpg.xmp', 'a/IMG.jpg'), before: 'AAAA'})!), 'field "beforeSha256" must be null exactly when "before" is null');
});

test('catalog field values are checked before they reach the catalog', () => {
	assert.equal(fieldValuesProblem({keywords: ['a'], rating: 5, title: null, gps: {lat: 48.8, lon: 2.3}}), undefined);
	assert.equal(fieldValuesProblem({rating: -1}), undefined, 'Lightroom rejected');
	assert.equal(formatProblem(fieldValuesProblem({gps: {lat: 91, lon: 0}})!), 'field "gps.lat" must be a number from -90 to 90');
	assert.equal(formatProblem(fieldValuesProblem({takenAtSource: 'guess'})!), 'field "takenAtSource" must be one of "original", "digitized", "other", "mtime"');
	assert.equal(formatProblem(fieldValuesProblem('x')!), 'must be an object');
});
