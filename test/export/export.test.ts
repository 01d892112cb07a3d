import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import sharp from 'sharp';
import {readAllTags} from '../../source/adapters/exif-write.js';
import {endExiftool, exiftool} from '../../source/adapters/exif.js';
import {exportFiles, type ExportSettings} from '../../source/export/export.js';
import {libraryAt} from '../../source/library.js';
import {closeDecoders} from '../../source/media/decode.js';
import {runCli, runJson} from '../helpers/cli.js';
import {scannedSampleLibrary, scanRoot, withCatalog} from '../helpers/scanned.js';
import {corpusDir, needsCorpus, tempDir} from '../helpers/temp.js';

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

	const derivatives = withCatalog(root, catalog => catalog.db.prepare('SELECT master_sha256, output_path, output_sha256, settings FROM derivatives ORDER BY id').all()) as any[];
	assert.equal(derivatives.length, 3);
	assert.equal(derivatives[0].master_sha256, sha(path.join(root, paris)));
	assert.equal(derivatives[0].output_sha256, written);
	assert.deepEqual(JSON.parse(derivatives[0].settings), {v: 2, maxSize: 300, format: 'jpeg', quality: 85, strip: 'gps', keepMakerNotes: false, sidecar: null});
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
