import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {metadataWriteTags} from '../../source/adapters/exif.js';
import type {StoredFile} from '../../source/db/catalog.js';
import {rankFiles} from '../../source/dupes/find.js';
import {mergedFields} from '../../source/review/actions.js';

let nextId = 1;
/** A catalogued JPEG with no metadata unless given. */
function file(path: string, fields: Partial<StoredFile> = {}): StoredFile {
	return {
		id: nextId++, status: 'present', path, size: 100_000, mtimeMs: 0, sha256: path.padEnd(64, '0'), contentHash: null, format: 'jpeg', kind: 'image',
		width: 1600, height: 1200, orientation: 1, takenAt: '2026-01-01T00:00:00', takenAtSource: 'mtime', make: null, model: null, lens: null, gps: null,
		keywords: [], rating: null, title: null, description: null, software: null, livePhotoId: null, burstId: null, phash: null, dhash: null,
		phashRotations: null, phashCrops: null, signatureCrops: null, contentWidth: null, contentHeight: null, signature: null, thumb: null, error: null,
		...fields,
	} as StoredFile;
}

const paris = {lat: 48.858_37, lon: 2.294_481, alt: 35};
const lyon = {lat: 45.764, lon: 4.8357};

describe('merge: what the keeper lacks', () => {
	test('GPS and a capture date come from the others with their source; a file time does not count as a date', () => {
		const keeper = file('keeper.jpg');
		const donor = file('donor.jpg', {gps: paris, takenAt: '2019-05-03T10:41:17+02:00', takenAtSource: 'original'});
		const plan = mergedFields(keeper, [donor])!;
		assert.deepEqual(plan.after, {gps: paris, takenAt: '2019-05-03T10:41:17+02:00', takenAtSource: 'original'});
		assert.deepEqual(plan.before, {gps: null, takenAt: '2026-01-01T00:00:00', takenAtSource: 'mtime'});
		assert.deepEqual(plan.disputes, []);
		assert.equal(mergedFields(keeper, [file('other.jpg', {takenAt: '2018-01-01T00:00:00', takenAtSource: 'mtime'})]), undefined);
	});

	test('a keeper that has GPS and a date keeps its own, even when the others differ', () => {
		const keeper = file('keeper.jpg', {gps: lyon, takenAt: '2020-01-01T12:00:00', takenAtSource: 'digitized'});
		assert.equal(mergedFields(keeper, [file('donor.jpg', {gps: paris, takenAt: '2019-05-03T10:41:17', takenAtSource: 'original'})]), undefined);
	});

	test('when the others disagree, the first (best-ranked) that has the field wins and the dispute is named', () => {
		const keeper = file('keeper.jpg');
		const first = file('first.jpg', {takenAt: '2019-05-03T10:41:17+02:00', takenAtSource: 'original'});
		const second = file('second.jpg', {gps: lyon, takenAt: '2020-07-01T08:00:00', takenAtSource: 'original'});
		const third = file('third.jpg', {gps: paris});
		const plan = mergedFields(keeper, [first, second, third])!;
		assert.equal(plan.after.takenAt, '2019-05-03T10:41:17+02:00');
		assert.deepEqual(plan.after.gps, lyon);
		assert.deepEqual(plan.disputes, ['GPS from second.jpg (the others differ)', 'capture date from first.jpg (the others differ)']);
	});

	test('rounding, lost sub-seconds or a lost offset are not disagreements', () => {
		const keeper = file('keeper.jpg');
		const a = file('a.jpg', {gps: paris, takenAt: '2019-05-03T10:41:17.250+02:00', takenAtSource: 'original'});
		const b = file('b.jpg', {gps: {lat: 48.858_4, lon: 2.294_5}, takenAt: '2019-05-03T10:41:17', takenAtSource: 'original'});
		assert.deepEqual(mergedFields(keeper, [a, b])!.disputes, []);
	});

	test('rankFiles orders by the keeper rules: the camera original before a stripped re-encode', () => {
		const stripped = file('Downloads/copy.jpg', {size: 50_000});
		const original = file('2019/DSC_0412.jpg', {make: 'NIKON', model: 'D750', takenAt: '2019-05-03T10:41:17', takenAtSource: 'original', gps: paris});
		assert.deepEqual(rankFiles([stripped, original]).map(each => each.path), ['2019/DSC_0412.jpg', 'Downloads/copy.jpg']);
	});
});

describe('metadata tags for GPS and capture date', () => {
	test('a sidecar gets signed XMP-exif GPS and the date with its offset in XMP-exif and XMP-photoshop', () => {
		assert.deepEqual(metadataWriteTags({gps: {lat: -33.86, lon: 151.2, alt: -4}, takenAt: '2019-05-03T10:41:17.25+02:00'}, true), {
			'XMP-exif:GPSLatitude': -33.86,
			'XMP-exif:GPSLongitude': 151.2,
			'XMP-exif:GPSAltitude': 4,
			'XMP-exif:GPSAltitudeRef': 1,
			'XMP-exif:DateTimeOriginal': '2019:05:03 10:41:17.25+02:00',
			'XMP-photoshop:DateCreated': '2019:05:03 10:41:17.25+02:00',
		});
	});

	test('inside a file: EXIF GPS with hemisphere references, DateTimeOriginal with OffsetTimeOriginal; null clears', () => {
		assert.deepEqual(metadataWriteTags({gps: {lat: 40.7, lon: -74}, takenAt: '2021-07-14T09:18:40Z'}, false), {
			'GPS:GPSLatitude': 40.7,
			'GPS:GPSLongitude': 74,
			'GPS:GPSAltitude': null,
			'GPS:GPSAltitudeRef': null,
			'GPS:GPSLatitudeRef': 'N',
			'GPS:GPSLongitudeRef': 'W',
			'ExifIFD:DateTimeOriginal': '2021:07:14 09:18:40',
			'ExifIFD:OffsetTimeOriginal': '+00:00',
			'ExifIFD:SubSecTimeOriginal': null,
		});
		assert.equal(metadataWriteTags({takenAt: null}, true)['XMP-exif:DateTimeOriginal'], null);
		assert.throws(() => metadataWriteTags({takenAt: 'yesterday'}, true), /not a capture date/);
	});
});
