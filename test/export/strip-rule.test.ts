import assert from 'node:assert/strict';
import {test} from 'node:test';
import {deletionArgs, exclusionArgs, leakedTags, stripRule} from '../../source/export/strip-rule.js';

/** A copy's tags as exiftool reads them back with -a -u -G0:1. */
const clean = {
	'File:System:FileName': 'a.jpg',
	'File:File:FileType': 'JPEG',
	'EXIF:IFD0:Make': 'Canon',
	'EXIF:IFD0:Model': 'Canon EOS 40D',
	'EXIF:IFD0:ModifyDate': '2008:05:30 15:56:01',
	'EXIF:ExifIFD:DateTimeOriginal': '2008:05:30 15:56:01',
	'EXIF:ExifIFD:LensModel': 'EF-S 18-55mm',
	'XMP:XMP-dc:Subject': ['beach'],
	'XMP:XMP-lr:HierarchicalSubject': ['Places|Beach'],
	'ICC_Profile:ICC_Profile:ProfileDescription': 'sRGB',
	'Composite:LensID': 'Canon EF-S 18-55mm',
};

test('the copy still holding Canon:MacroMode or Apple:MakerNoteVersion is judged by the rule that strips the whole maker-note block', () => {
	const rule = stripRule('gps');
	// The block itself is excluded by name: exiftool copies it whole, and excluding its group's tags let it through.
	assert.ok(exclusionArgs(rule).includes('--MakerNote*'));
	assert.ok(exclusionArgs(rule).includes('--MakerNotes:all'));
	assert.deepEqual(leakedTags(clean, rule), []);
	const leaky = {
		...clean,
		'MakerNotes:Canon:MacroMode': 1,
		'MakerNotes:Apple:MakerNoteVersion': 14,
		'EXIF:ExifIFD:MakerNoteUnknown': '(Binary data 1234 bytes)',
		'EXIF:GPS:GPSLatitude': 43.69,
		'XMP:XMP-exif:GPSLongitude': 7.26,
		'Composite:Composite:GPSPosition': '43 7',
		'EXIF:ExifIFD:BodySerialNumber': 'B1',
		'EXIF:ExifIFD:LensSerialNumber': 'L1',
		'MakerNotes:Canon:SerialNumberFormat': 'Format 2',
		'EXIF:ExifIFD:OwnerName': 'Jane',
		'EXIF:IFD0:Artist': 'Jane',
		'XMP:XMP-dc:Creator': 'Jane',
		'XMP:XMP-iptcCore:CreatorWorkEmail': 'jane@example.org',
		'IPTC:IPTC:City': 'Nice',
		'XMP:XMP-photoshop:Country': 'France',
		'XMP:XMP-iptcExt:LocationShownCity': 'Nice',
		'XMP:XMP-xmpMM:DerivedFrom': '/Users/jane/raw.cr2',
	};
	const expected = Object.keys(leaky).filter(key => !(key in clean) && !key.startsWith('Composite:'));
	assert.deepEqual(leakedTags(leaky, rule).sort(), expected.sort());
});

test('one definition: every selector the copy excludes (and deletes, with --keep-maker-notes) is one the read-back check refuses', () => {
	const rule = stripRule('gps');
	const spelled = exclusionArgs(rule).map(arg => arg.slice(2));
	assert.equal(spelled.length, rule.removed.length);
	for (const selector of rule.removed) {
		// A tag the selector names (wildcards filled in) must be refused by the check.
		const name = selector.name === 'all' ? 'Anything' : selector.name.replaceAll('*', 'X');
		const key = selector.group ? `${selector.group}:${selector.group}:${name}` : `EXIF:ExifIFD:${name}`;
		assert.deepEqual(leakedTags({[key]: 'value'}, rule), [key], `${key} (from ${spelled.join(' ')})`);
	}

	assert.deepEqual(deletionArgs(rule).map(arg => arg.slice(1, -1)), spelled);
});

test('--keep-maker-notes keeps decodable maker notes but never their serial or owner tags, nor an undecodable block', () => {
	const rule = stripRule('gps', {keepMakerNotes: true});
	assert.ok(!exclusionArgs(rule).includes('--MakerNotes:all'));
	assert.ok(exclusionArgs(rule).includes('--MakerNoteUnknown'));
	const tags = {
		...clean,
		'MakerNotes:Canon:MacroMode': 1,
		'MakerNotes:Olympus:SerialNumber': 'B9U505495',
		'MakerNotes:Canon:OwnerName': 'Jane',
		'MakerNotes:Olympus:LensSerialNumber': '',
		'EXIF:ExifIFD:MakerNoteUnknown': '(Binary data 1234 bytes)',
	};
	// exiftool blanks serials it cannot remove from a fixed-size structure: a blank says nothing.
	assert.deepEqual(leakedTags(tags, rule).sort(), ['EXIF:ExifIFD:MakerNoteUnknown', 'MakerNotes:Canon:OwnerName', 'MakerNotes:Olympus:SerialNumber']);
	assert.equal(stripRule('all', {keepMakerNotes: true}).keepMakerNotes, false, 'only with --strip gps');
});

test('--strip all refuses any metadata but the file structure and its own colour profile; --strip none refuses nothing', () => {
	assert.deepEqual(leakedTags({'File:System:FileName': 'a', 'JFIF:JFIF:JFIFVersion': '1 1', 'ICC_Profile:ICC-header:ProfileClass': 'mntr', 'Composite:Composite:ImageSize': '1 1'}, stripRule('all')), []);
	assert.deepEqual(
		leakedTags(clean, stripRule('all')).sort(),
		Object.keys(clean)
			.filter(key => !/^(File|Composite|ICC_Profile):/.test(key))
			.sort(),
	);
	assert.deepEqual(leakedTags({'EXIF:GPS:GPSLatitude': 1, 'MakerNotes:Canon:MacroMode': 1}, stripRule('none')), []);
});
