import assert from 'node:assert/strict';
import {test} from 'node:test';
import {hasCaptureDate, leakedTags} from '../../source/export/check.js';

const stripped = {
	'System:FileName': 'a.jpg',
	'File:FileType': 'JPEG',
	'IFD0:Make': 'Apple',
	'IFD0:Model': 'iPhone 12',
	'IFD0:Orientation': 1,
	'ExifIFD:DateTimeOriginal': '2021:07:14 09:12:03',
	'ExifIFD:OffsetTimeOriginal': '+02:00',
	'ExifIFD:LensModel': 'iPhone 12 back dual wide camera 4.2mm f/1.6',
	'Composite:LensID': 'x',
	'XMP-dc:Subject': ['beach'],
};

test('gps mode: location, serials, owner names, place names and maker notes are leaks; date and camera are not', () => {
	assert.deepEqual(leakedTags(stripped, 'gps'), []);
	const leaky = {
		...stripped,
		'GPS:GPSLatitude': 43.69,
		'XMP-exif:GPSLongitude': 7.26,
		'Composite:GPSPosition': '43 7',
		'ExifIFD:SerialNumber': 'B1',
		'ExifIFD:LensSerialNumber': 'L1',
		'ExifIFD:OwnerName': 'Jane',
		'IFD0:Artist': 'Jane',
		'XMP-dc:Creator': 'Jane',
		'XMP-iptcCore:CreatorWorkEmail': 'jane@example.org',
		'IPTC:City': 'Nice',
		'XMP-photoshop:Country': 'France',
		'XMP-iptcExt:LocationShownCity': 'Nice',
		'Apple:RunTimeFlags': 1,
	};
	assert.deepEqual(leakedTags(leaky, 'gps').sort(), Object.keys(leaky).filter(key => !(key in stripped)).sort());
	assert.equal(hasCaptureDate(stripped), true);
	assert.equal(hasCaptureDate({'IFD0:Make': 'Apple'}), false);
});

test('all mode: anything beyond the file structure is a leak; none mode keeps everything', () => {
	assert.deepEqual(leakedTags({'System:FileName': 'a', 'File:ImageWidth': 1, 'JFIF:JFIFVersion': '1 1', 'Composite:ImageSize': '1 1'}, 'all'), []);
	assert.deepEqual(leakedTags(stripped, 'all').sort(), Object.keys(stripped).filter(key => !/^(System|File|Composite):/.test(key)).sort());
	assert.deepEqual(leakedTags({'GPS:GPSLatitude': 1}, 'none'), []);
});
