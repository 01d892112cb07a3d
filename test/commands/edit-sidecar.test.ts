import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import sharp from 'sharp';
import {endExiftool, writeMetadata} from '../../source/adapters/exif.js';
import {readAllTags} from '../../source/adapters/exif-write.js';
import {runCli, runJson} from '../helpers/cli.js';
import {lightroomXmp} from '../helpers/lightroom-sidecar.js';
import {tempDir} from '../helpers/temp.js';

after(endExiftool);

/** A scanned library with one real JPEG (`IMG.jpg`, with `own` as its embedded keywords) and, optionally, sidecars. */
async function library(sidecars: Record<string, string> = {}, own: readonly string[] = []): Promise<string> {
	const root = path.join(tempDir(), 'library');
	fs.mkdirSync(root, {recursive: true});
	const photo = path.join(root, 'IMG.jpg');
	fs.writeFileSync(photo, await sharp({create: {width: 64, height: 48, channels: 3, background: '#7a4'}}).jpeg().toBuffer());
	if (own.length > 0) {
		await writeMetadata(photo, {keywords: own});
	}

	for (const [name, text] of Object.entries(sidecars)) {
		fs.writeFileSync(path.join(root, name), text);
	}

	const scan = await runCli(['scan', root, '--json'], {cwd: root});
	assert.equal(scan.code, 0, scan.stderr);
	return root;
}

async function show(root: string): Promise<{keywords: string[]; rating: number | null; title: string | null}> {
	return (await runJson(['show', 'IMG.jpg', '--json'], {cwd: root})).json;
}

async function cli(root: string, ...args: string[]) {
	const result = await runCli(args, {cwd: root});
	assert.equal(result.code, 0, `curate ${args.join(' ')}: ${result.stderr}`);
	return result;
}

const sidecarsIn = (root: string) => fs.readdirSync(root).filter(name => /\.xmp$/i.test(name)).sort();

/** Every tag of a file except exiftool's own bookkeeping (file dates, sizes, its version) and derived composites. */
async function tagsOf(file: string): Promise<Record<string, unknown>> {
	const tags = await readAllTags(file);
	return Object.fromEntries(Object.entries(tags).filter(([key]) => !/^(SourceFile|ExifTool:|System:|File:|Composite:|MWG:)/.test(key) && key !== 'XMP-x:XMPToolkit'));
}

describe('curate edit on photos with sidecars (issue 13)', () => {
	test('edit on a photo with a Lightroom IMG.xmp keeps its rating, title, hierarchical keywords, develop settings, history, regions and unknown namespace; no second sidecar; undo restores it byte for byte', async () => {
		const root = await library({'IMG.xmp': lightroomXmp});
		const sidecar = path.join(root, 'IMG.xmp');
		const original = fs.readFileSync(sidecar);
		const tagsBefore = await tagsOf(sidecar);
		assert.deepEqual(await show(root), {...(await show(root)), keywords: ['Places|France|Paris'], rating: 4, title: 'Eiffel at dusk'}, 'scan reads the Lightroom sidecar');

		const {stdout} = await cli(root, 'edit', 'IMG.jpg', '--add-keyword', 'x', '--json');
		assert.deepEqual(JSON.parse(stdout).written, ['IMG.xmp'], 'the sidecar that exists is the one written');
		assert.deepEqual(sidecarsIn(root), ['IMG.xmp'], 'no IMG.jpg.xmp beside it');
		const tagsAfter = await tagsOf(sidecar);
		assert.deepEqual(tagsAfter['XMP-dc:Subject'], 'x');
		delete tagsAfter['XMP-dc:Subject'];
		assert.deepEqual(tagsAfter, tagsBefore, 'every other tag of the sidecar is still there, with its value');
		assert.equal(String(tagsBefore['XMP-crs:Exposure2012']), '+0.50');
		assert.equal(tagsBefore['XMP-acme:Secret'], 'keep me');
		assert.ok(tagsBefore['XMP-mwg-rs:RegionInfoRegionListName'] ?? tagsBefore['XMP-mwg-rs:RegionName'], JSON.stringify(Object.keys(tagsBefore)));

		await cli(root, 'scan', root, '--force', '--json');
		const shown = await show(root);
		assert.deepEqual(shown.keywords, ['x', 'Places|France|Paris']);
		assert.equal(shown.rating, 4);
		assert.equal(shown.title, 'Eiffel at dusk');

		await cli(root, 'undo');
		assert.deepEqual(fs.readFileSync(sidecar), original, 'undo puts the Lightroom bytes back exactly');
		assert.deepEqual(sidecarsIn(root), ['IMG.xmp']);
	});

	test('when IMG.jpg.xmp and IMG.xmp both exist, edit writes IMG.jpg.xmp, the one scan reads, and leaves IMG.xmp as it was', async () => {
		const own = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="2"/></rdf:RDF></x:xmpmeta>';
		const root = await library({'IMG.xmp': lightroomXmp, 'IMG.jpg.xmp': own});
		assert.equal((await show(root)).rating, 2, 'the per-file sidecar is the one scan reads');
		await cli(root, 'edit', 'IMG.jpg', '--rating', '5');
		assert.equal(fs.readFileSync(path.join(root, 'IMG.xmp'), 'utf8'), lightroomXmp, 'the Lightroom one is untouched');
		await cli(root, 'scan', root, '--force', '--json');
		assert.equal((await show(root)).rating, 5, 'scan and edit agree on which sidecar counts');
	});

	test('a photo without a sidecar gets one, named as configured, and only one', async () => {
		const root = await library();
		await cli(root, 'edit', 'IMG.jpg', '--add-keyword', 'a', '--sidecar', 'lightroom');
		assert.deepEqual(sidecarsIn(root), ['IMG.xmp']);
		await cli(root, 'edit', 'IMG.jpg', '--add-keyword', 'b');
		assert.deepEqual(sidecarsIn(root), ['IMG.xmp'], 'the next edit, with the default naming, goes to the sidecar that now exists');
		await cli(root, 'scan', root, '--force', '--json');
		assert.deepEqual((await show(root)).keywords, ['a', 'b']);
	});

	test('edit --write-embedded of a rating on a photo whose sidecar holds an older rating: scan --force shows the new rating, and undo restores both files byte for byte', async () => {
		const root = await library({'IMG.xmp': lightroomXmp});
		const photo = path.join(root, 'IMG.jpg');
		const sidecar = path.join(root, 'IMG.xmp');
		const [photoBytes, sidecarBytes] = [fs.readFileSync(photo), fs.readFileSync(sidecar)];
		const {stdout} = await cli(root, 'edit', 'IMG.jpg', '--rating', '1', '--write-embedded', '--json');
		assert.deepEqual(JSON.parse(stdout).written, ['IMG.jpg', 'IMG.xmp'], 'the sidecar gets the same rating in the same batch');
		assert.equal((await readAllTags(photo))['XMP-xmp:Rating'], 1);
		const sidecarTags = await tagsOf(sidecar);
		assert.equal(sidecarTags['XMP-xmp:Rating'], 1);
		assert.equal(String(sidecarTags['XMP-crs:Exposure2012']), '+0.50', 'the rest of the sidecar stays');
		assert.equal(sidecarTags['XMP-dc:Subject'], undefined, 'fields the sidecar did not hold are not added to it');
		await cli(root, 'scan', root, '--force', '--json');
		const shown = await show(root);
		assert.equal(shown.rating, 1);
		assert.equal(shown.title, 'Eiffel at dusk');

		await cli(root, 'undo');
		assert.deepEqual(fs.readFileSync(photo), photoBytes);
		assert.deepEqual(fs.readFileSync(sidecar), sidecarBytes);
	});

	test('a hierarchical keyword goes to lr:hierarchicalSubject and its leaf to dc:subject, never whole into dc:subject, in a sidecar and embedded', async () => {
		const root = await library();
		await cli(root, 'edit', 'IMG.jpg', '--add-keyword', 'Places|France|Paris', '--add-keyword', 'beach');
		const tags = await tagsOf(path.join(root, 'IMG.jpg.xmp'));
		assert.deepEqual(tags['XMP-dc:Subject'], ['Paris', 'beach']);
		assert.equal(tags['XMP-lr:HierarchicalSubject'], 'Places|France|Paris');
		await cli(root, 'scan', root, '--force', '--json');
		assert.deepEqual((await show(root)).keywords, ['Paris', 'beach', 'Places|France|Paris']);

		await cli(root, 'edit', 'IMG.jpg', '--remove-keyword', 'Places|France|Paris');
		const removed = await tagsOf(path.join(root, 'IMG.jpg.xmp'));
		assert.equal(removed['XMP-dc:Subject'], 'beach', 'removing it takes its leaf out too');
		assert.equal(removed['XMP-lr:HierarchicalSubject'], undefined);

		const embedded = await library();
		await cli(embedded, 'edit', 'IMG.jpg', '--add-keyword', 'Trips|2019|Rome', '--write-embedded');
		const inFile = await readAllTags(path.join(embedded, 'IMG.jpg'));
		assert.equal(inFile['XMP-dc:Subject'], 'Rome');
		assert.equal(inFile['IPTC:Keywords'], 'Rome');
		assert.equal(inFile['XMP-lr:HierarchicalSubject'], 'Trips|2019|Rome');
		await cli(embedded, 'scan', embedded, '--force', '--json');
		assert.deepEqual((await show(embedded)).keywords, ['Rome', 'Trips|2019|Rome']);
	});

	test('edit --rating alone on a photo with keywords of its own does not hide them behind the new sidecar on the next scan', async () => {
		const root = await library({}, ['own-word']);
		assert.deepEqual((await show(root)).keywords, ['own-word']);
		await cli(root, 'edit', 'IMG.jpg', '--rating', '3');
		await cli(root, 'scan', root, '--force', '--json');
		const shown = await show(root);
		assert.deepEqual(shown.keywords, ['own-word']);
		assert.equal(shown.rating, 3);
	});
});
