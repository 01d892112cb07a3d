import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	chooseKeeper,
	defaultKeeperConfig,
	type KeeperConfig,
	type KeeperMember,
	parseKeeperConfig,
} from '../../source/core/keeper.js';

/** A camera JPEG straight off an iPhone; cases override only what makes each copy different. */
function member(overrides: Partial<KeeperMember> & {path: string}): KeeperMember {
	return {
		format: 'jpeg',
		kind: 'image',
		width: 4032,
		height: 3024,
		bytes: 3_000_000,
		takenAt: '2019-05-03T14:22:10+02:00',
		takenAtSource: 'original',
		make: 'Apple',
		model: 'iPhone XS',
		hasGps: true,
		keywords: 0,
		rating: null,
		software: '12.2',
		error: null,
		...overrides,
	};
}

// What a messenger or an editor leaves of the same photo: no EXIF, the date only from the file time.
const stripped = {
	takenAt: '2021-01-01T10:00:00.000Z',
	takenAtSource: 'mtime',
	make: null,
	model: null,
	hasGps: false,
} as const;

type Case = {
	name: string;
	members: KeeperMember[];
	config?: KeeperConfig;
	keeper: string;
	/** Pattern each loser's first (deciding) reason must match, by path. */
	deciding?: Record<string, RegExp>;
	/** Patterns the keeper's reasons must include. */
	keeperSays?: RegExp[];
};

const cases: Case[] = [
	{
		name: 'camera original beats WhatsApp re-compression and a resized copy',
		members: [
			member({path: 'WhatsApp Images/IMG-20210101-WA0003.jpg', width: 1600, height: 1200, bytes: 250_000, ...stripped}),
			member({path: 'export/IMG_4312.jpg', width: 2016, height: 1512, software: 'Adobe Photoshop 24.1 (Macintosh)'}),
			member({path: '2019/05/IMG_4312.JPG'}),
		],
		keeper: '2019/05/IMG_4312.JPG',
		deciding: {
			'WhatsApp Images/IMG-20210101-WA0003.jpg': /^fewer pixels than the keeper \(1600x1200 vs 4032x3024\)$/,
			'export/IMG_4312.jpg': /^fewer pixels than the keeper \(2016x1512 vs 4032x3024\)$/,
		},
		keeperSays: [/^most pixels \(4032x3024\)$/, /^camera original \(JPEG with Apple iPhone XS EXIF\)$/, /^richest metadata/],
	},
	{
		name: 'a WhatsApp copy at the same size (within 3%) still loses as a re-encoded copy',
		members: [
			member({path: 'WhatsApp Images/IMG-20210101-WA0003.jpg', width: 4032, height: 3000, ...stripped}),
			member({path: '2019/05/IMG_4312.jpg'}),
		],
		keeper: '2019/05/IMG_4312.jpg',
		deciding: {'WhatsApp Images/IMG-20210101-WA0003.jpg': /^re-encoded copy \(no camera metadata\); the keeper is camera original/},
	},
	{
		// RAW+JPEG pairs are normally handled as one unit upstream; when they are compared, the RAW is the original.
		name: 'RAW beats its same-size JPEG under the original rule',
		members: [
			member({path: 'DCIM/DSC_0042.JPG', make: 'NIKON CORPORATION', model: 'NIKON D750', software: 'Ver.1.10'}),
			member({path: 'DCIM/DSC_0042.NEF', format: 'nef', kind: 'raw', width: 4032, height: 3024, bytes: 25_000_000, make: 'NIKON CORPORATION', model: 'NIKON D750', software: 'Ver.1.10'}),
		],
		keeper: 'DCIM/DSC_0042.NEF',
		deciding: {'DCIM/DSC_0042.JPG': /^camera original \(JPEG with NIKON CORPORATION NIKON D750 EXIF\); the keeper is camera original \(RAW, NEF\)$/},
		keeperSays: [/^camera original \(RAW, NEF\)$/],
	},
	{
		name: 'same pixels: the JPEG with camera EXIF beats the stripped one',
		members: [
			member({path: 'a/photo.jpg', ...stripped, takenAt: null, takenAtSource: null, software: null}),
			member({path: 'b/photo.jpg'}),
		],
		keeper: 'b/photo.jpg',
		deciding: {'a/photo.jpg': /^re-encoded copy \(no camera metadata\)/},
	},
	{
		name: 'a damaged copy never wins, even with more pixels and a cleaner path',
		members: [
			member({path: 'x.jpg', width: 8000, height: 6000, error: 'premature end of JPEG data'}),
			member({path: 'Downloads/copy of x (1).jpg', width: 640, height: 480, ...stripped}),
		],
		keeper: 'Downloads/copy of x (1).jpg',
		deciding: {'x.jpg': /^damaged: premature end of JPEG data$/},
		keeperSays: [/^intact, unlike 1 damaged copy$/],
	},
	{
		name: '"IMG_0003 (1).jpg" loses to "IMG_0003.jpg"',
		members: [member({path: 'IMG_0003 (1).jpg'}), member({path: 'IMG_0003.jpg'})],
		keeper: 'IMG_0003.jpg',
		deciding: {'IMG_0003 (1).jpg': /^path looks like a copy \(name ends in " \(1\)"\)$/},
		keeperSays: [/^path has no copy hints$/],
	},
	{
		name: '"Downloads/x.jpg" loses to "2021/x.jpg"',
		members: [member({path: 'Downloads/x.jpg'}), member({path: '2021/x.jpg'})],
		keeper: '2021/x.jpg',
		deciding: {'Downloads/x.jpg': /^path looks like a copy \(Downloads\/\)$/},
	},
	{
		name: 'a -1 suffix after a camera counter is a copy, IMG_0001 itself is not',
		members: [member({path: 'a/IMG_0001-1.jpg'}), member({path: 'b/IMG_0001.jpg'})],
		keeper: 'b/IMG_0001.jpg',
		deciding: {'a/IMG_0001-1.jpg': /^path looks like a copy \(name ends in "-1"\)$/},
	},
	{
		name: 'a _2 suffix counts when the name without it is another member',
		members: [member({path: 'trip/beach_2.jpg'}), member({path: 'trip/beach.jpg'})],
		keeper: 'trip/beach.jpg',
		deciding: {'trip/beach_2.jpg': /^path looks like a copy \(name ends in "_2"\)$/},
	},
	{
		name: 'preferFormats heic placed before pixels makes a smaller HEIC beat a larger JPEG',
		members: [
			member({path: 'a/IMG_1.jpg', width: 4032, height: 3024}),
			member({path: 'a/IMG_1.heic', format: 'heic', width: 3024, height: 2268}),
		],
		config: parseKeeperConfig({order: ['intact', 'format', 'pixels', 'original', 'metadata', 'earliest', 'path'], preferFormats: ['heic']}),
		keeper: 'a/IMG_1.heic',
		deciding: {'a/IMG_1.jpg': /^less preferred format than the keeper \(JPEG vs HEIC\)$/},
		keeperSays: [/^preferred format \(HEIC\)$/],
	},
	{
		name: 'with the default order the larger JPEG beats the HEIC',
		members: [
			member({path: 'a/IMG_1.jpg', width: 4032, height: 3024}),
			member({path: 'a/IMG_1.heic', format: 'heic', width: 3024, height: 2268}),
		],
		keeper: 'a/IMG_1.jpg',
	},
	{
		name: 'metadata richness decides between two re-encoded copies',
		members: [
			member({path: 'a/p.jpg', ...stripped}),
			member({path: 'b/p.jpg', ...stripped, hasGps: true, keywords: 3}),
		],
		keeper: 'b/p.jpg',
		deciding: {'a/p.jpg': /^less metadata than the keeper \(no GPS, no keywords\)$/},
		keeperSays: [/^richest metadata \(GPS, 3 keywords\)$/],
	},
	{
		name: 'earliest capture wins, compared as instants when both dates carry an offset',
		members: [
			member({path: 'a/p.jpg', takenAt: '2019-05-03T14:00:00+02:00'}),
			member({path: 'b/p.jpg', takenAt: '2019-05-03T13:30:00+00:00'}),
		],
		keeper: 'a/p.jpg',
		deciding: {'b/p.jpg': /^later capture than the keeper \(2019-05-03 13:30:00 vs 2019-05-03 14:00:00\)$/},
		keeperSays: [/^earliest capture \(2019-05-03 14:00:00\)$/],
	},
	{
		name: 'without offsets dates compare as wall-clock text',
		members: [
			member({path: 'a/p.jpg', takenAt: '2019-05-04T09:00:00'}),
			member({path: 'b/p.jpg', takenAt: '2019-05-03T23:00:00+00:00'}),
		],
		keeper: 'b/p.jpg',
		deciding: {'a/p.jpg': /^later capture than the keeper \(2019-05-04 vs 2019-05-03\)$/},
	},
	{
		name: 'a file-time (mtime) date ranks after a real capture date, however early',
		members: [
			member({path: 'a/p.jpg', ...stripped, takenAt: '2001-01-01T00:00:00.000Z'}),
			member({path: 'b/p.jpg', ...stripped, takenAt: '2019-05-03T14:00:00', takenAtSource: 'digitized', hasGps: false}),
		],
		config: parseKeeperConfig({order: ['earliest']}),
		keeper: 'b/p.jpg',
		deciding: {'a/p.jpg': /^capture date only from the file time \(mtime\)$/},
	},
	{
		name: 'identical copies fall to the deterministic tie-break: shorter path, then alphabetical',
		members: [member({path: 'photos/b.jpg'}), member({path: 'photos/a.jpg'}), member({path: 'photos/long-name.jpg'})],
		keeper: 'photos/a.jpg',
		deciding: {
			'photos/b.jpg': /^path sorts after the keeper \(tie-break\)$/,
			'photos/long-name.jpg': /^longer path than the keeper \(tie-break\)$/,
		},
	},
];

for (const testCase of cases) {
	test(testCase.name, () => {
		const {keeper, reasons} = chooseKeeper(testCase.members, testCase.config);
		const paths = testCase.members.map(entry => entry.path);
		assert.equal(paths[keeper], testCase.keeper, `reasons: ${JSON.stringify(reasons, undefined, 2)}`);
		assert.equal(reasons.length, testCase.members.length);
		for (const [index, list] of reasons.entries()) {
			assert.ok(list.length > 0, `${paths[index]} has no reason`);
		}

		for (const [path, pattern] of Object.entries(testCase.deciding ?? {})) {
			assert.match(reasons[paths.indexOf(path)][0], pattern);
		}

		for (const pattern of testCase.keeperSays ?? []) {
			assert.ok(reasons[keeper].some(reason => pattern.test(reason)), `keeper lacks ${pattern}: ${JSON.stringify(reasons[keeper])}`);
		}

		// The choice must not depend on the order the catalogue returned the files in.
		const reversed = chooseKeeper([...testCase.members].reverse(), testCase.config);
		assert.equal(paths.length - 1 - reversed.keeper, keeper);
	});
}

test('a loser that is better under a later rule is told so, after the deciding reason', () => {
	const members = [
		member({path: 'a/IMG_1.jpg', width: 4032, height: 3024}),
		member({path: 'a/IMG_1.heic', format: 'heic', width: 3024, height: 2268}),
	];
	const config = parseKeeperConfig({order: ['format'], preferFormats: ['heic']});
	const {reasons} = chooseKeeper(members, config);
	assert.deepEqual(reasons[0], [
		'less preferred format than the keeper (JPEG vs HEIC)',
		'more pixels than the keeper (4032x3024 vs 3024x2268)',
	]);
	// The path tie-break (shorter "IMG_1.jpg") did not decide, so it is not worth a line.
	assert.deepEqual(reasons[1], ['preferred format (HEIC)']);
});

test('a cluster of one keeps its only member', () => {
	assert.deepEqual(chooseKeeper([member({path: 'x.jpg'})]), {keeper: 0, reasons: [['only copy']]});
	assert.throws(() => chooseKeeper([]), RangeError);
});

test('parseKeeperConfig fills defaults and completes a partial order', () => {
	assert.deepEqual(parseKeeperConfig(undefined), defaultKeeperConfig);
	assert.deepEqual(parseKeeperConfig({}), {...defaultKeeperConfig, order: ['intact', 'pixels', 'original', 'metadata', 'earliest', 'oldest', 'path', 'format']});
	assert.deepEqual(parseKeeperConfig({order: ['format', 'Pixels'], preferFormats: ['HEIC', 'jpg', 'heic']}), {
		order: ['intact', 'format', 'pixels', 'original', 'metadata', 'earliest', 'oldest', 'path'],
		preferFormats: ['heic', 'jpeg'],
	});
});

test('parseKeeperConfig rejects what it does not know, naming the allowed values', () => {
	assert.throws(() => parseKeeperConfig({order: ['intact', 'megapixels']}), {
		message: 'unknown keeper rule "megapixels"; allowed rules: intact, pixels, original, metadata, earliest, format, oldest, path',
	});
	assert.throws(() => parseKeeperConfig({preferFormats: ['jpgg']}), /unknown format "jpgg" in keeper preferFormats; allowed formats: jpeg, png,/);
	assert.throws(() => parseKeeperConfig({preferFormats: ['xmp']}), /unknown format "xmp"/);
	assert.throws(() => parseKeeperConfig({order: ['pixels', 'pixels']}), /listed twice/);
	assert.throws(() => parseKeeperConfig({order: 'pixels'}), /allowed rules: intact, pixels/);
	assert.throws(() => parseKeeperConfig({prefer: ['heic']}), /unknown keeper config key "prefer"; allowed keys: order, preferFormats/);
	assert.throws(() => parseKeeperConfig(['pixels']), /must be an object/);
});

test('with everything else equal the older file wins, and says so', () => {
	const members = [
		member({path: 'a/edit.jpg', mtimeMs: Date.parse('2024-06-01T12:00:00Z')}),
		member({path: 'photos/2019/IMG_1.jpg', mtimeMs: Date.parse('2019-05-03T12:00:00Z')}),
	];
	const {keeper, reasons} = chooseKeeper(members);
	assert.equal(keeper, 1);
	assert.match(reasons[1]!.join(' '), /oldest file \(2019-05-03\)/);
	assert.match(reasons[0]![0]!, /newer file than the keeper \(2024-06-01 vs 2019-05-03\)/);
	// Copies that kept the mtime tie on this rule and fall through to the path.
	const same = chooseKeeper([member({path: 'Downloads/x.jpg', mtimeMs: 1000}), member({path: '2019/x.jpg', mtimeMs: 1500})]);
	assert.equal(same.keeper, 1);
});

test('a PNG saved from a JPEG does not beat the camera JPEG; a camera TIFF does', () => {
	const png = member({path: 'Downloads/x.png', format: 'png', make: null, model: null, takenAtSource: 'mtime', hasGps: false});
	const jpeg = member({path: '2019/x.jpg'});
	assert.equal(chooseKeeper([png, jpeg]).keeper, 1);
	assert.match(chooseKeeper([png, jpeg]).reasons[0]!.join(' '), /re-encoded copy \(PNG without camera metadata\)/);
	const tiff = member({path: 'scans/x.tiff', format: 'tiff', make: 'Epson', model: 'Perfection V800'});
	assert.equal(chooseKeeper([jpeg, tiff]).keeper, 1);
});

// Issue 13: what the catalog knows of the sample library's IMG_0005.jpg and its orientation copies. The copies carry
// the same EXIF and file time; only their names (and mirrored orientations) show they are not the camera's files.
const iphone = {make: 'Apple', model: 'iPhone 12', software: null, takenAt: '2021-07-14T09:27:55+02:00', hasGps: false, width: 1600, height: 1200, mtimeMs: 1_626_247_675_000} as const;

test('the camera original IMG_0005.jpg is kept over its Landscape_1.jpg derivative', () => {
	const members = [
		member({path: 'orientation/Landscape_1.jpg', ...iphone, orientation: 1, sha256: 'b', contentHash: 'bb', grey: false}),
		member({path: '2021/2021-07-14/IMG_0005.jpg', ...iphone, orientation: null, sha256: 'a', contentHash: 'aa', grey: false}),
		member({path: 'orientation/Landscape_2.jpg', ...iphone, orientation: 2, sha256: 'c', contentHash: 'cc', grey: false}),
	];
	const {keeper, reasons} = chooseKeeper(members);
	assert.equal(keeper, 1, JSON.stringify(reasons));
	assert.deepEqual(reasons[1], ['camera original over 2 re-encoded copies (JPEG with Apple iPhone 12 EXIF)']);
	assert.equal(reasons[0]![0], 're-encoded copy (JPEG with Apple iPhone 12 EXIF, but Landscape_1 is not a camera file name); the keeper is camera original (JPEG with Apple iPhone 12 EXIF)');
	assert.equal(reasons[2]![0], 're-encoded copy (mirrored by EXIF orientation 2, which cameras do not write); the keeper is camera original (JPEG with Apple iPhone 12 EXIF)');
	assert.ok(reasons.flat().every(reason => !reason.includes('tie-break')), JSON.stringify(reasons));
});

test('an intact camera original outranks its WebP, greyscale and mirrored copies whatever the paths', () => {
	// The original sits where every path rule counts against it; each copy has the short, clean path.
	const original = member({path: 'Downloads/backup/old phone/copy of IMG_4312 (1).jpg', sha256: 'a', grey: false});
	const copies: Array<[KeeperMember, RegExp, RegExp]> = [
		[member({path: 'a.webp', format: 'webp', sha256: 'b', grey: false}), /^converted copy \(WebP with Apple iPhone XS EXIF; cameras do not write WebP\); the keeper is camera original/, /^camera original over a converted copy \(JPEG with Apple iPhone XS EXIF\)$/],
		[member({path: 'b.jpg', sha256: 'c', grey: true}), /^converted copy \(greyscale, while another copy is in colour; Apple iPhone XS EXIF carried along\)/, /^camera original over a converted copy/],
		[member({path: 'c.jpg', sha256: 'd', grey: false, orientation: 4}), /^re-encoded copy \(mirrored by EXIF orientation 4/, /^camera original over a re-encoded copy/],
		[member({path: 'IMG_4312_edit.jpg', sha256: 'e', grey: false, mtimeMs: 1}), /^re-encoded copy \(JPEG with Apple iPhone XS EXIF, but named after copy of IMG_4312 \(1\)\)/, /^camera original over a re-encoded copy/],
	];
	for (const [copy, lost, won] of copies) {
		for (const members of [[original, copy], [copy, original]]) {
			const {keeper, reasons} = chooseKeeper(members);
			assert.equal(members[keeper], original, `${copy.path}: ${JSON.stringify(reasons)}`);
			assert.match(reasons[members.indexOf(copy)]![0]!, lost);
			assert.match(reasons[keeper]![0]!, won);
		}
	}
});

test('a greyscale camera original is not a conversion when no copy is in colour', () => {
	const members = [member({path: 'bw/IMG_0001.jpg', sha256: 'a', grey: true}), member({path: 'x.jpg', ...stripped, sha256: 'b', grey: true})];
	const {keeper, reasons} = chooseKeeper(members);
	assert.equal(keeper, 0);
	assert.match(reasons[1]![0]!, /^re-encoded copy \(no camera metadata\)/);
});

test('a same-pixels copy is described as "same pixels, different metadata", not as re-encoded', () => {
	const members = [
		member({path: 'variants/DSC_0412_nometa.jpg', ...stripped, software: null, sha256: 'b', contentHash: 'same'}),
		member({path: '2019/DSC_0412.jpg', sha256: 'a', contentHash: 'same'}),
	];
	const {keeper, reasons} = chooseKeeper(members);
	assert.equal(keeper, 1);
	assert.match(reasons[0]![0]!, /^same pixels, different metadata \(no camera metadata\); the keeper is camera original \(JPEG with Apple iPhone XS EXIF\)$/);
	assert.ok(reasons[0]!.every(reason => !reason.includes('re-encoded')), JSON.stringify(reasons[0]));
	assert.match(reasons[1]![0]!, /^camera original over a copy with the same pixels and different metadata/);
});

test('byte-identical copies are never called re-encoded, whatever their names: the path rule tells them apart', () => {
	const members = [member({path: 'similar/Nikon_D5000_exact_copy.jpg', sha256: 'same'}), member({path: 'cameras/Nikon_D5000.jpg', sha256: 'same'})];
	const {keeper, reasons} = chooseKeeper(members);
	assert.equal(keeper, 1);
	assert.deepEqual(reasons[0], ['path looks like a copy (name has "copy")']);
});

test('a file time that is not a number (a photo whose row left the catalog mid-search) ranks as unknown instead of crashing "reading \'member\'"', () => {
	// NaN compared unequal to everything, itself included, so every member lost the "oldest" round and none was kept.
	const members = [member({path: 'b/x.jpg', mtimeMs: Number.NaN}), member({path: 'a/x.jpg', mtimeMs: Number.NaN}), member({path: 'c/x.jpg', mtimeMs: 1_600_000_000_000})];
	const {keeper, reasons} = chooseKeeper(members, {order: ['oldest', 'path'], preferFormats: []});
	assert.equal(keeper, 2, 'the one file with a time is the oldest');
	assert.match(reasons[0]![0]!, /^newer file than the keeper \(unknown vs 2020-09-13\)$/);
	const none = chooseKeeper([member({path: 'b/x.jpg', mtimeMs: Number.NaN}), member({path: 'a/x.jpg', mtimeMs: Number.NaN})], {order: ['oldest', 'path'], preferFormats: []});
	assert.equal(none.keeper, 1, 'with no time at all, the path decides');
});
