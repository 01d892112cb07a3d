import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import sharp from 'sharp';
import {readAllTags} from '../../source/adapters/exif-write.js';
import {endExiftool, exiftool, readMetadata, writeMetadata} from '../../source/adapters/exif.js';
import {exportFiles, type ExportSettings} from '../../source/export/export.js';
import {libraryAt} from '../../source/library.js';
import {closeDecoders} from '../../source/media/decode.js';
import {runCli, runJson} from '../helpers/cli.js';
import {scannedSampleLibrary, scanRoot, withCatalog} from '../helpers/scanned.js';
import {corpusDir, needsCorpus, tempDir} from '../helpers/temp.js';
import {connectionOf} from '../../source/db/connection.js';

after(async () => {
	await endExiftool();
	await closeDecoders();
});

const paris = '2019/2019-05-03 Paris/DSC_0412.jpg';
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const gpsKeys = (tags: Record<string, unknown>) => Object.keys(tags).filter(key => /gps/i.test(key));

test('acceptance: exporting a photo with GPS writes a copy with no GPS tag at all and the capture date kept', async () => {
	const {root} = await scannedSampleLibrary();
	const out = tempDir();
	const master = path.join(root, paris);
	const before = sha(master);
	assert.ok(gpsKeys(await readAllTags(master)).length > 0, 'the fixture carries GPS');

	const {result, json} = await runJson(['export', paris, '--to', out, '--json'], {cwd: root});
	assert.equal(result.code, 0, result.stderr);
	assert.equal(json.written, 1);
	const output = json.items[0].output as string;
	assert.equal(path.basename(output), 'DSC_0412.jpg');
	const tags = await readAllTags(output);
	assert.deepEqual(gpsKeys(tags), []);
	assert.equal(tags['ExifIFD:DateTimeOriginal'], '2019:05:03 10:41:17');
	assert.equal(tags['ExifIFD:OffsetTimeOriginal'], '+02:00');
	assert.equal(tags['IFD0:Make'], 'NIKON CORPORATION');
	assert.equal(tags['IFD0:Model'], 'NIKON D750');
	assert.equal(tags['ExifIFD:LensModel'], 'AF-S NIKKOR 24-120mm f/4G ED VR');
	assert.equal(sha(master), before, 'the master is never changed');
});

test('--strip gps removes serial numbers, owner and place names; none keeps them; all keeps nothing', async () => {
	const {root} = await scannedSampleLibrary();
	const master = path.join(root, 'variants/identified.jpg');
	fs.copyFileSync(path.join(root, paris), master);
	await exiftool().write(
		master,
		{SerialNumber: 'B1234567', LensSerialNumber: 'L999', OwnerName: 'Jane Doe', Artist: 'Jane Doe', 'XMP-photoshop:City': 'Springfield', 'IPTC:City': 'Springfield'} as any,
		{writeArgs: ['-overwrite_original']},
	);
	await scanRoot(root);
	const exported = async (strip: ExportSettings['strip']) => {
		const out = tempDir();
		const report = await withCatalog(root, async catalog =>
			exportFiles(libraryAt(root), catalog, [catalog.fileByPath('variants/identified.jpg')!], out, {format: 'jpeg', quality: 80, strip}),
		);
		assert.equal(report.written, 1, JSON.stringify(report.items));
		return readAllTags(report.items[0]!.output!);
	};

	const gps = await exported('gps');
	const values = JSON.stringify(gps);
	for (const secret of ['B1234567', 'L999', 'Jane Doe', 'Springfield']) {
		assert.ok(!values.includes(secret), `${secret} must be stripped`);
	}

	assert.deepEqual(gpsKeys(gps), []);
	assert.equal(gps['ExifIFD:DateTimeOriginal'], '2019:05:03 10:41:17');
	assert.deepEqual(gps['IPTC:Keywords'], ['Paris', 'travel'], 'keywords are not identifying and stay');

	const none = await exported('none');
	assert.ok(gpsKeys(none).length > 0);
	assert.ok(JSON.stringify(none).includes('B1234567'));
	assert.equal(none['IFD0:Orientation'], 1);

	const all = await exported('all');
	assert.deepEqual(
		Object.keys(all).filter(key => /^(IFD0|ExifIFD|GPS|IPTC|XMP|MakerNotes)/.test(key)),
		[],
	);
	assert.equal(all['ICC_Profile:ProfileDescription'], 'sRGB', 'only the copy\'s own colour profile');
});

test('every EXIF orientation comes out upright: same size and picture as the unrotated original', async () => {
	const {root} = await scannedSampleLibrary();
	const out = tempDir();
	const {result, json} = await runJson(['export', 'orientation', '--to', out, '--max-size', '200', '--json'], {cwd: root});
	assert.equal(result.code, 0, result.stderr);
	assert.equal(json.written, 8);
	const grey = async (file: string) => sharp(file).resize(16, 16, {fit: 'fill'}).greyscale().raw().toBuffer();
	const reference = await grey(path.join(out, 'Landscape_1.jpg'));
	const referenceMeta = await sharp(path.join(out, 'Landscape_1.jpg')).metadata();
	assert.equal(Math.max(referenceMeta.width!, referenceMeta.height!), 200);
	for (let n = 2; n <= 8; n++) {
		const file = path.join(out, `Landscape_${n}.jpg`);
		const meta = await sharp(file).metadata();
		assert.deepEqual([meta.width, meta.height], [referenceMeta.width, referenceMeta.height], `Landscape_${n}`);
		const pixels = await grey(file);
		const difference = pixels.reduce((sum, value, index) => sum + Math.abs(value - reference[index]!), 0) / pixels.length;
		assert.ok(difference < 12, `Landscape_${n} differs from upright by ${difference.toFixed(1)} grey levels`);
		assert.equal((await readAllTags(file))['IFD0:Orientation'], 1);
	}
});

test('a second export reuses an intact copy, regenerates a tampered one beside it, and never overwrites', async () => {
	const {root} = await scannedSampleLibrary();
	const out = tempDir();
	const run = async (settings: Partial<ExportSettings> = {}, dryRun = false) =>
		withCatalog(root, async catalog =>
			exportFiles(libraryAt(root), catalog, [catalog.fileByPath(paris)!], out, {format: 'jpeg', quality: 85, strip: 'gps', maxSize: 300, ...settings}, {dryRun}),
		);
	const first = await run();
	assert.equal(first.written, 1);
	const output = first.items[0]!.output!;
	const written = sha(output);

	const second = await run();
	assert.equal(second.reused, 1);
	assert.equal(second.items[0]!.output, output);

	fs.appendFileSync(output, 'tampered');
	const tampered = fs.readFileSync(output);
	const third = await run();
	assert.equal(third.written, 1);
	assert.equal(path.basename(third.items[0]!.output!), 'DSC_0412-1.jpg');
	assert.deepEqual(fs.readFileSync(output), tampered, 'the existing file is left alone');

	const webp = await run({format: 'webp'});
	assert.equal(webp.written, 1);
	assert.equal(path.basename(webp.items[0]!.output!), 'DSC_0412.webp');
	assert.deepEqual(gpsKeys(await readAllTags(webp.items[0]!.output!)), []);

	const dry = await run({maxSize: 400}, true);
	assert.equal(dry.dryRun, true);
	assert.equal(path.basename(dry.items[0]!.output!), 'DSC_0412-2.jpg');
	assert.deepEqual(fs.readdirSync(out).sort(), ['DSC_0412-1.jpg', 'DSC_0412.jpg', 'DSC_0412.webp']);

	const derivatives = withCatalog(root, catalog => connectionOf(catalog).prepare('SELECT master_sha256, output_path, output_sha256, settings FROM derivatives ORDER BY id').all()) as any[];
	assert.equal(derivatives.length, 3);
	assert.equal(derivatives[0].master_sha256, sha(path.join(root, paris)));
	assert.equal(derivatives[0].output_sha256, written);
	assert.deepEqual(JSON.parse(derivatives[0].settings), {v: 3, maxSize: 300, format: 'jpeg', quality: 85, strip: 'gps', keepMakerNotes: false, sidecar: null});
});

test('broken files and damaged masters are skipped or refused with a reason; bad input is a one-line error', async () => {
	const {root} = await scannedSampleLibrary();
	const out = tempDir();
	const exportPaths = async (paths: string[]) =>
		withCatalog(root, async catalog => exportFiles(libraryAt(root), catalog, paths.map(file => catalog.fileByPath(file)!), out, {format: 'jpeg', quality: 85, strip: 'gps'}));
	const broken = withCatalog(root, catalog => catalog.allPresent().filter(file => file.path.startsWith('broken/')).map(file => file.path));
	const report = await exportPaths(broken);
	// A PNG saved under a .jpg name is a fine photo; the empty, truncated, HTML and text files are not.
	assert.deepEqual(report.items.filter(item => item.action === 'write').map(item => item.path), ['broken/screenshot.jpg']);
	assert.ok(report.items.every(item => item.action === 'write' || (item.action === 'skip' && item.reason)), JSON.stringify(report.items));

	// Bit rot after the scan: the export must not ship (or record) bytes the catalog does not know.
	const master = path.join(root, paris);
	const bytes = fs.readFileSync(master);
	bytes[bytes.length >> 1] ^= 0xff;
	fs.writeFileSync(master, bytes);
	const rotted = await exportPaths([paris]);
	assert.equal(rotted.failed, 1);
	assert.match(rotted.items[0]!.reason!, /changed since the last scan/);
	assert.deepEqual(fs.readdirSync(out), ['screenshot.jpg'], 'no new file, not even a temporary one, is left');

	for (const [args, message] of [
		[['export', paris], /needs --to/],
		[['export', 'tag:beach', '--to', out], /tag: selections need AI tags/],
		[['export', 'sunny beach', '--to', out], /free-text search needs AI tags/],
		[['export', paris, '--to', path.join(root, 'exports')], /inside the library/],
	] as const) {
		// eslint-disable-next-line no-await-in-loop
		const run = await runCli(args, {cwd: root});
		assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
		assert.match(run.stderr, message);
		assert.equal(run.stderr.trim().split('\n').length, 1, 'one line, no stack');
	}
});

test('HEIC masters from the corpus export as JPEG through libheif, without GPS', {skip: needsCorpus}, async () => {
	const root = path.join(tempDir(), 'library');
	fs.mkdirSync(root);
	fs.copyFileSync(path.join(corpusDir, 'heic/Nikon_D5300_Stonehenge.heic'), path.join(root, 'Stonehenge.heic'));
	fs.copyFileSync(path.join(corpusDir, 'cameras/Apple_iPhone_5.jpg'), path.join(root, 'iPhone5.jpg'));
	await scanRoot(root);
	const out = tempDir();
	const report = await withCatalog(root, async catalog => exportFiles(libraryAt(root), catalog, catalog.allPresent(), out, {format: 'jpeg', quality: 80, strip: 'gps', maxSize: 1024}));
	assert.equal(report.written, 2, JSON.stringify(report.items));
	const heic = await readAllTags(path.join(out, 'Stonehenge.jpg'));
	assert.equal(heic['File:FileType'], 'JPEG');
	assert.deepEqual(gpsKeys(heic), []);
	assert.equal(heic['IFD0:Make'], 'NIKON CORPORATION');
	assert.match(String(heic['ExifIFD:DateTimeOriginal']), /^2015:07:16/);
	// The iPhone 5 photo is stored upside down (Orientation 3): upright now, same landscape size.
	const iphone = await sharp(path.join(out, 'iPhone5.jpg')).metadata();
	assert.deepEqual([iphone.width, iphone.height], [1024, 768]);
	assert.deepEqual(gpsKeys(await readAllTags(path.join(out, 'iPhone5.jpg'))), []);
});

const list = (value: unknown) => (value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)]);

/** A scanned library of corpus files, copied under their corpus paths. */
async function corpusLibrary(paths: readonly string[]): Promise<string> {
	const root = path.join(tempDir(), 'library');
	for (const relative of paths) {
		fs.mkdirSync(path.dirname(path.join(root, relative)), {recursive: true});
		fs.copyFileSync(path.join(corpusDir, relative), path.join(root, relative));
	}

	await scanRoot(root);
	return root;
}

test('Canon, Apple HEIC and WebP photos are no longer refused with "the copy still holds Canon:MacroMode": their maker notes, known or unrecognised, are gone, and a photo dated only by ModifyDate keeps that date', {skip: needsCorpus}, async () => {
	const paths = [
		'exif-makers/Canon_DIGITAL_IXUS_400.jpg',
		'heic/iPhone8_IMG_1034.heic',
		'formats/webp/iPhoneX_exif_orient6.webp',
		'cameras/Konica_Q-M100.jpg',
		'cameras/Samsung_GT-I9000_Galaxy_S.jpg',
		'exif-makers/Samsung_SM-G930F_zero_length_string.jpg',
	];
	const root = await corpusLibrary(paths);
	const out = tempDir();
	const {result, json} = await runJson(['export', '.', '--to', out, '--json'], {cwd: root});
	assert.equal(result.code, 0, result.stdout + result.stderr);
	assert.equal(json.written, paths.length, JSON.stringify(json.items));
	for (const item of json.items) {
		const tags = await exiftool().readRaw(item.output, ['-json', '-a', '-u', '-G0:1']);
		const makerNotes = Object.keys(tags).filter(key => key.startsWith('MakerNotes:') || /:MakerNote/.test(key));
		assert.deepEqual(makerNotes, [], item.path);
		assert.equal(tags['File:File:FileType'] ?? tags['File:FileType'], 'JPEG', `${item.path}: HEIC and WebP masters become JPEG copies`);
	}

	const modifyOnly = json.items.find((item: {path: string}) => item.path.includes('zero_length_string')).output as string;
	assert.equal((await readAllTags(modifyOnly))['IFD0:ModifyDate'], '2016:09:12 10:05:31');
});

test('--keep-maker-notes keeps the maker notes but takes out the serial numbers they hold', {skip: needsCorpus}, async () => {
	const olympus = 'cameras/Olympus_PEN_E-P3.jpg';
	const root = await corpusLibrary([olympus]);
	const run = async (keepMakerNotes: boolean) => {
		const out = tempDir();
		const report = await withCatalog(root, async catalog =>
			exportFiles(libraryAt(root), catalog, [catalog.fileByPath(olympus)!], out, {format: 'jpeg', quality: 80, strip: 'gps', maxSize: 256, keepMakerNotes}),
		);
		assert.equal(report.written, 1, JSON.stringify(report.items));
		return exiftool().readRaw(report.items[0]!.output!, ['-json', '-a', '-u', '-G0:1']) as Promise<Record<string, unknown>>;
	};

	const master = JSON.stringify(await exiftool().readRaw(path.join(root, olympus), ['-json', '-a', '-u']));
	assert.ok(master.includes('B9U505495'), 'the master holds its body serial in its maker notes');
	const kept = await run(true);
	assert.equal(kept['MakerNotes:Olympus:CameraType2'], 'E-P3', 'the maker notes are kept');
	assert.ok(!JSON.stringify(kept).includes('B9U505495') && !JSON.stringify(kept).includes('AC1205545'), 'body and lens serials are gone');
	const stripped = await run(false);
	assert.deepEqual(Object.keys(stripped).filter(key => key.startsWith('MakerNotes:')), []);

	const refused = await runCli(['export', olympus, '--to', tempDir(), '--strip', 'all', '--keep-maker-notes'], {cwd: root});
	assert.equal(refused.code, 2);
	assert.match(refused.stderr, /^curate: --keep-maker-notes goes with --strip gps/);
});

test('an export carries the keywords, hierarchical keywords, rating, title and description of the photo\'s sidecar, not the file\'s own, and never its GPS', async () => {
	const {root} = await scannedSampleLibrary();
	const digikam = 'variants/sidecar.jpg';
	const lightroom = 'variants/lightroom.jpg';
	fs.copyFileSync(path.join(root, paris), path.join(root, digikam));
	fs.copyFileSync(path.join(root, paris), path.join(root, lightroom));
	const curation = {
		keywords: ['Paris', 'friends', 'Eiffel'],
		hierarchicalSubject: ['Places|France|Paris', 'People|friends'],
		rating: 4,
		title: 'Évening at the tower',
		description: 'Dinner with friends, then the lights',
		gps: {lat: 48.8584, lon: 2.2945},
	};
	await writeMetadata(path.join(root, `${digikam}.xmp`), curation);
	await writeMetadata(path.join(root, 'variants/lightroom.xmp'), {...curation, keywords: ['Lightroom'], hierarchicalSubject: ['Apps|Lightroom']});
	await scanRoot(root);
	const out = tempDir();
	const exported = async (relative: string) =>
		withCatalog(root, async catalog => exportFiles(libraryAt(root), catalog, [catalog.fileByPath(relative)!], out, {format: 'jpeg', quality: 80, strip: 'gps', maxSize: 400}));

	const report = await exported(digikam);
	assert.equal(report.written, 1, JSON.stringify(report.items));
	const tags = await readAllTags(report.items[0]!.output!);
	assert.deepEqual(list(tags['XMP-dc:Subject']), curation.keywords);
	assert.deepEqual(list(tags['IPTC:Keywords']), curation.keywords, 'the file\'s own IPTC keywords (Paris, travel) are replaced, not merged');
	assert.deepEqual(list(tags['XMP-lr:HierarchicalSubject']), curation.hierarchicalSubject);
	assert.equal(tags['XMP-xmp:Rating'], 4);
	assert.equal(tags['XMP-dc:Title'], curation.title);
	assert.equal(tags['XMP-dc:Description'], curation.description);
	assert.deepEqual(gpsKeys(tags), [], 'GPS in a sidecar is stripped like GPS in the file');
	// Read as the scan reads it, the copy shows what the library shows.
	const [copy, library] = [await readMetadata(report.items[0]!.output!), withCatalog(root, catalog => catalog.fileByPath(digikam)!)];
	assert.deepEqual([copy.keywords, copy.rating, copy.title, copy.description], [library.keywords, library.rating, library.title, library.description]);
	assert.equal(copy.takenAt?.slice(0, 19), '2019-05-03T10:41:17');

	const lightroomCopy = await readAllTags((await exported(lightroom)).items[0]!.output!);
	assert.deepEqual(list(lightroomCopy['XMP-dc:Subject']), ['Lightroom']);
	assert.deepEqual(list(lightroomCopy['XMP-lr:HierarchicalSubject']), ['Apps|Lightroom']);

	// A sidecar edited after an export makes the next export a new copy, not the stale one reused.
	// (Its hierarchical keywords go too: their leaves would otherwise stay keywords, as Lightroom reads them.)
	await writeMetadata(path.join(root, `${digikam}.xmp`), {keywords: ['Paris', 'night'], hierarchicalSubject: []});
	const again = await exported(digikam);
	assert.equal(again.written, 1, JSON.stringify(again.items));
	assert.deepEqual(list((await readAllTags(again.items[0]!.output!))['XMP-dc:Subject']), ['Paris', 'night']);
});

test('converted copies carry an sRGB colour profile, as JPEG and as WebP, whatever the strip mode', async () => {
	const {root} = await scannedSampleLibrary();
	for (const [format, strip] of [['jpeg', 'gps'], ['webp', 'gps'], ['jpeg', 'all'], ['webp', 'none']] as const) {
		const out = tempDir();
		// eslint-disable-next-line no-await-in-loop
		const report = await withCatalog(root, async catalog => exportFiles(libraryAt(root), catalog, [catalog.fileByPath(paris)!], out, {format, quality: 80, strip, maxSize: 300}));
		assert.equal(report.written, 1, JSON.stringify(report.items));
		// eslint-disable-next-line no-await-in-loop
		const tags = await readAllTags(report.items[0]!.output!);
		assert.equal(tags['ICC_Profile:ProfileDescription'], 'sRGB', `${format} --strip ${strip}`);
	}
});

test('two exact copies of a photo, one with a sidecar, export as two copies, each with its own keywords', async () => {
	const {root} = await scannedSampleLibrary();
	fs.copyFileSync(path.join(root, paris), path.join(root, 'variants/twin.jpg'));
	await writeMetadata(path.join(root, 'variants/twin.jpg.xmp'), {keywords: ['twin']});
	await scanRoot(root);
	const out = tempDir();
	const report = await withCatalog(root, async catalog =>
		exportFiles(libraryAt(root), catalog, [catalog.fileByPath(paris)!, catalog.fileByPath('variants/twin.jpg')!], out, {format: 'jpeg', quality: 80, strip: 'gps', maxSize: 200}),
	);
	assert.equal(report.written, 2, JSON.stringify(report.items));
	const keywords = await Promise.all(report.items.map(async item => list((await readAllTags(item.output!))['XMP-dc:Subject'])));
	assert.deepEqual(keywords, [['Paris', 'travel'], ['twin']]);
});
