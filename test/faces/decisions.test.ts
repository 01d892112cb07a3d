// Face decisions as journal batches (issue 19), on a real library (scanned through the CLI) with real exiftool and
// exiv2: naming writes MWG regions other apps read back on the face, also on a photo shown turned 90°; a region and
// a name another app wrote stay; undo restores every sidecar byte for byte and redo brings the same bytes back;
// a rejection sticks; merge and split; curate faces --forget takes every face out as one batch and undo puts them
// back. The faces are put in the catalog directly (the model is tested in model.test.ts and people-cli.test.ts): a
// white square in each picture marks where its face box is, so a region can be checked against the pixels.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import sharp from 'sharp';
import {endExiftool, exiftool} from '../../source/adapters/exif.js';
import {connectionOf} from '../../source/db/connection.js';
import {faceStoreOf} from '../../source/db/faces.js';
import {applyFaceDecisions} from '../../source/faces/decisions.js';
import {faceModelId} from '../../source/faces/model.js';
import {listPeople} from '../../source/faces/people.js';
import {reviewPage} from '../../source/faces/review.js';
import {findLibrary, type Library, openForRead, openForWrite} from '../../source/library.js';
import {runCli, runJson} from '../helpers/cli.js';
import {tempDir} from '../helpers/temp.js';

/** The shown picture's box of each photo's face (normalised), where a white square is drawn. */
const boxes = {
	'plain.jpg': {x: 0.1, y: 0.2, w: 0.25, h: 0.3},
	'turned.jpg': {x: 0.6, y: 0.1, w: 0.3, h: 0.2},
	'theirs.jpg': {x: 0.5, y: 0.5, w: 0.2, h: 0.2},
};

/** A photo shown `width` × `height` with a white square at `box`, stored turned back when `orientation` is 6. */
async function photo(to: string, box: {x: number; y: number; w: number; h: number}, orientation: 1 | 6): Promise<void> {
	const width = 400;
	const height = 300;
	const square = await sharp({create: {width: Math.round(box.w * width), height: Math.round(box.h * height), channels: 3, background: '#ffffff'}}).png().toBuffer();
	const shown = await sharp({create: {width, height, channels: 3, background: '#203040'}})
		.composite([{input: square, left: Math.round(box.x * width), top: Math.round(box.y * height)}])
		.png()
		.toBuffer();
	// Orientation 6 shows the stored pixels turned 90° clockwise, so they are stored turned 90° anticlockwise.
	const stored = orientation === 6 ? sharp(shown).rotate(270) : sharp(shown);
	await stored.jpeg({quality: 95}).withMetadata({orientation}).toFile(to);
}

/** A unit vector near `base` (seeded noise), as a face descriptor. */
function descriptor(base: number, noise: number): Float32Array {
	const vector = new Float32Array(16);
	for (let i = 0; i < vector.length; i++) {
		vector[i] = (i === base ? 1 : 0) + noise * Math.sin((i + 1) * (noise * 1000 + base));
	}

	const norm = Math.hypot(...vector);
	return vector.map(value => value / norm);
}

type Region = {Area: {X: number; Y: number; W: number; H: number; Unit: string}; Name: string; Type: string};
type RegionInfo = {AppliedToDimensions?: {W: number; H: number; Unit: string}; RegionList: Region[]};

async function regionsOf(file: string): Promise<{RegionInfo?: RegionInfo; PersonInImage?: string | string[]}> {
	return (await exiftool().readRaw(file, ['-json', '-struct', '-XMP-mwg-rs:RegionInfo', '-XMP-iptcExt:PersonInImage'])) as never;
}

/** Mean brightness (0–255) of the stored pixels inside an MWG area. */
async function brightnessIn(file: string, area: Region['Area']): Promise<number> {
	const {data, info} = await sharp(file).raw().toBuffer({resolveWithObject: true});
	let sum = 0;
	let count = 0;
	const left = Math.ceil((area.X - area.W / 2) * info.width) + 2;
	const right = Math.floor((area.X + area.W / 2) * info.width) - 2;
	const top = Math.ceil((area.Y - area.H / 2) * info.height) + 2;
	const bottom = Math.floor((area.Y + area.H / 2) * info.height) - 2;
	for (let y = top; y < bottom; y++) {
		for (let x = left; x < right; x++) {
			sum += data[(y * info.width + x) * info.channels]!;
			count++;
		}
	}

	return sum / count;
}

const sidecarBytes = (root: string) =>
	Object.fromEntries(
		fs
			.readdirSync(root)
			.filter(name => name.endsWith('.xmp'))
			.sort()
			.map(name => [name, fs.readFileSync(path.join(root, name)).toString('base64')]),
	);

after(async () => endExiftool());

describe('face decisions, journaled, in the sidecars other apps read', () => {
	let root: string;
	let library: Library;
	const ids: Record<string, number> = {};
	let theirs: Buffer;

	before(async () => {
		root = tempDir('curate-face-decisions-');
		await photo(path.join(root, 'plain.jpg'), boxes['plain.jpg'], 1);
		await photo(path.join(root, 'turned.jpg'), boxes['turned.jpg'], 6);
		await photo(path.join(root, 'theirs.jpg'), boxes['theirs.jpg'], 1);
		// Another app's sidecar: its own face region and name, which Curate must keep.
		await exiftool().write(path.join(root, 'theirs.jpg.xmp'), {
			RegionInfo: {AppliedToDimensions: {W: 400, H: 300, Unit: 'pixel'}, RegionList: [{Area: {X: 0.2, Y: 0.2, W: 0.1, H: 0.1, Unit: 'normalized'}, Name: 'Zoe', Type: 'Face'}]},
			PersonInImage: ['Zoe'],
		} as never);
		theirs = fs.readFileSync(path.join(root, 'theirs.jpg.xmp'));
		// Twelve more pictures of "Anna" (tiny, no face square needed) to label, and one unlabelled that looks like her.
		for (let index = 0; index < 12; index++) {
			await sharp({create: {width: 40 + index, height: 30, channels: 3, background: {r: index * 20, g: 10, b: 200}}}).jpeg().toFile(path.join(root, `anna-${index}.jpg`));
		}

		const scan = await runCli(['scan', root, '--json']);
		assert.equal(scan.code, 0, scan.stderr);
		library = findLibrary({cwd: root});
		const {catalog, release} = openForWrite(library);
		try {
			const store = faceStoreOf(catalog);
			const db = connectionOf(catalog);
			const shaOf = (name: string) => db.prepare<[string], string>('SELECT sha256 FROM files WHERE path = ?').pluck().get(name)!;
			const results = [
				...Object.entries(boxes).map(([name, box], index) => ({name, sha256: shaOf(name), faces: [{x: box.x, y: box.y, width: box.w, height: box.h, score: 0.9, embedding: descriptor(8 + index, 0.01)}]})),
				...Array.from({length: 12}, (_, index) => ({name: `anna-${index}.jpg`, sha256: shaOf(`anna-${index}.jpg`), faces: [{x: 0.3, y: 0.3, width: 0.3, height: 0.3, score: 0.8, embedding: descriptor(1, 0.02 + index * 0.005)}]})),
			];
			store.commit(faceModelId, results);
			for (const result of results) {
				ids[result.name] = store.idsOfContent(result.sha256)[0]!;
			}
		} finally {
			catalog.close();
			release();
		}
	});

	test('naming faces writes MWG regions on the face that exiftool and exiv2 read, turned back for a photo shown turned; undo restores every sidecar byte for byte', async () => {
		const before = sidecarBytes(root);
		const result = await applyFaceDecisions(library, [{action: 'name', faceIds: [ids['plain.jpg']!, ids['turned.jpg']!, ids['theirs.jpg']!], person: 'Anna'}]);
		assert.equal(result.sidecarsWritten, 3);
		assert.match(result.batchId!, /^\d+$/);
		const after = sidecarBytes(root);

		for (const name of ['plain.jpg', 'turned.jpg']) {
			const {RegionInfo: info, PersonInImage: people} = await regionsOf(path.join(root, `${name}.xmp`));
			assert.equal(info?.RegionList.length, 1, name);
			const [region] = info!.RegionList;
			assert.equal(region!.Name, 'Anna');
			assert.equal(region!.Type, 'Face');
			assert.equal(region!.Area.Unit, 'normalized');
			assert.deepEqual(people, ['Anna']);
			// Both are shown 400 × 300; the turned one is stored 300 × 400, and the dimensions are the stored ones.
			assert.deepEqual(info!.AppliedToDimensions, name === 'plain.jpg' ? {W: 400, H: 300, Unit: 'pixel'} : {W: 300, H: 400, Unit: 'pixel'});
			// The region, read in the stored pixels as the MWG guidelines say, lies on the white square.
			assert.ok((await brightnessIn(path.join(root, name), region!.Area)) > 240, `${name}: region ${JSON.stringify(region!.Area)} is on the face`);
		}

		// exiv2 reads the same regions.
		const exiv2 = execFileSync('exiv2', ['-px', path.join(root, 'turned.jpg.xmp')], {encoding: 'utf8'});
		assert.match(exiv2, /^Xmp\.mwg-rs\.Regions\/mwg-rs:RegionList\[1\]\/mwg-rs:Name\s+XmpText\s+4\s+Anna$/m);
		assert.match(exiv2, /^Xmp\.mwg-rs\.Regions\/mwg-rs:RegionList\[1\]\/mwg-rs:Type\s+XmpText\s+4\s+Face$/m);
		assert.match(exiv2, /^Xmp\.mwg-rs\.Regions\/mwg-rs:RegionList\[1\]\/mwg-rs:Area\/stArea:x\s+XmpText\s+\d+\s+0\.\d+$/m);
		assert.match(exiv2, /^Xmp\.mwg-rs\.Regions\/mwg-rs:AppliedToDimensions\/stDim:w\s+XmpText\s+3\s+300$/m);
		assert.match(exiv2, /^Xmp\.iptcExt\.PersonInImage\s+XmpBag\s+1\s+Anna$/m);

		// Another app's region and name stay beside Curate's.
		const kept = await regionsOf(path.join(root, 'theirs.jpg.xmp'));
		assert.deepEqual(kept.RegionInfo!.RegionList.map(region => region.Name), ['Zoe', 'Anna']);
		assert.deepEqual(kept.PersonInImage, ['Zoe', 'Anna']);

		const found = await runJson<{results: Array<{path: string}>}>(['search', 'person:anna', '--json'], {cwd: root});
		assert.deepEqual(found.json.results.map(row => row.path).sort(), ['plain.jpg', 'theirs.jpg', 'turned.jpg']);

		const undo = await runCli(['undo'], {cwd: root});
		assert.equal(undo.code, 0, undo.stderr);
		assert.deepEqual(sidecarBytes(root), before);
		assert.deepEqual(fs.readFileSync(path.join(root, 'theirs.jpg.xmp')), theirs);
		const catalog = openForRead(library);
		assert.equal(faceStoreOf(catalog).state(ids['plain.jpg']!)!.person, null);
		catalog.close();

		const redo = await runCli(['redo'], {cwd: root});
		assert.equal(redo.code, 0, redo.stderr);
		assert.deepEqual(sidecarBytes(root), after);
	});

	test('a rejected face is never suggested for that person again, and merge and split are undone to the row', async () => {
		const annas = Array.from({length: 11}, (_, index) => ids[`anna-${index}.jpg`]!);
		const lookalike = ids['anna-11.jpg']!;
		await applyFaceDecisions(library, [{action: 'name', faceIds: annas, person: 'Anna'}]);
		let catalog = openForRead(library);
		const suggested = reviewPage(catalog, {person: 'Anna'}, {limit: 5});
		assert.equal(suggested.faces[0]!.faceId, lookalike);
		assert.equal(suggested.faces[0]!.state, 'suggested');
		assert.ok(suggested.faces[0]!.suggestion!.confidence > 0.7);
		assert.deepEqual(suggested.faces[0]!.box, {x: 0.3, y: 0.3, w: 0.3, h: 0.3});
		assert.equal(suggested.total, 1 + 14);
		catalog.close();

		const rejected = await applyFaceDecisions(library, [{action: 'reject', faceId: lookalike, person: 'Anna'}]);
		assert.equal(rejected.sidecarsWritten, 0);
		catalog = openForRead(library);
		assert.deepEqual(listPeople(faceStoreOf(catalog)).suggestions, []);
		assert.equal(reviewPage(catalog, {person: 'Anna'}).faces.filter(face => face.state === 'suggested').length, 0);
		catalog.close();

		const beforeMerge = sidecarBytes(root);
		const merged = await applyFaceDecisions(library, [{action: 'merge', from: 'Anna', into: 'Anna Berg'}]);
		catalog = openForRead(library);
		let store = faceStoreOf(catalog);
		assert.equal(store.idsOfPerson('Anna').length, 0);
		assert.equal(store.idsOfPerson('Anna Berg').length, 14);
		// The rejection follows the name: still never suggested.
		assert.deepEqual(store.state(lookalike)!.rejected, ['Anna Berg']);
		catalog.close();
		assert.deepEqual((await regionsOf(path.join(root, 'plain.jpg.xmp'))).PersonInImage, ['Anna Berg']);

		await applyFaceDecisions(library, [{action: 'split', faceId: ids['plain.jpg']!}]);
		catalog = openForRead(library);
		store = faceStoreOf(catalog);
		const split = store.state(ids['plain.jpg']!)!;
		assert.equal(split.person, null);
		assert.deepEqual(split.rejected, ['Anna Berg']);
		catalog.close();
		assert.equal((await regionsOf(path.join(root, 'plain.jpg.xmp'))).RegionInfo, undefined);

		assert.equal((await runCli(['undo'], {cwd: root})).code, 0);
		assert.equal((await runCli(['undo', merged.batchId!], {cwd: root})).code, 0);
		assert.deepEqual(sidecarBytes(root), beforeMerge);
		catalog = openForRead(library);
		assert.equal(faceStoreOf(catalog).idsOfPerson('Anna').length, 14);
		assert.deepEqual(faceStoreOf(catalog).state(lookalike)!.rejected, ['Anna']);
		catalog.close();
	});

	test('a face or a name that does not exist is refused in one line and changes nothing', async () => {
		const journal = await runJson<{batches: unknown[]}>(['journal', '--json'], {cwd: root});
		await assert.rejects(applyFaceDecisions(library, [{action: 'confirm', faceId: 999_999, person: 'Anna'}]), /no face f999999/);
		await assert.rejects(applyFaceDecisions(library, [{action: 'merge', from: 'Nobody', into: 'Anna'}]), /no one is named "Nobody"/);
		await assert.rejects(applyFaceDecisions(library, [{action: 'confirm', faceId: ids['plain.jpg']!, person: 'A\u001B[31m'}]), /printable characters/);
		assert.deepEqual((await runJson<{batches: unknown[]}>(['journal', '--json'], {cwd: root})).json.batches.length, journal.json.batches.length);
	});

	test('curate faces --forget takes every face, name and rejection out as one batch, and undo puts them back to the row', async () => {
		let catalog = openForRead(library);
		const rows = () => connectionOf(catalog).prepare('SELECT * FROM faces ORDER BY id').all();
		const rejections = () => connectionOf(catalog).prepare('SELECT * FROM face_rejections ORDER BY face_id').all();
		const scans = () => connectionOf(catalog).prepare('SELECT * FROM face_scans ORDER BY sha256').all();
		const before = {faces: rows(), rejections: rejections(), scans: scans()};
		catalog.close();
		assert.equal(before.faces.length, 15);
		const sidecars = sidecarBytes(root);

		const forget = await runCli(['faces', '--forget'], {cwd: root});
		assert.equal(forget.code, 0, forget.stderr);
		assert.match(forget.stdout, /^Forgot 15 faces in 15 photos, with \d+ names and rejections \(batch (\d+): `curate undo \1` brings them back\)\.\n$/);
		catalog = openForRead(library);
		assert.deepEqual([rows().length, rejections().length, scans().length], [0, 0, 0]);
		catalog.close();
		// The sidecars are the person's own metadata: forgetting the catalog's faces leaves them.
		assert.deepEqual(sidecarBytes(root), sidecars);

		assert.equal((await runCli(['undo'], {cwd: root})).code, 0);
		catalog = openForRead(library);
		assert.deepEqual({faces: rows(), rejections: rejections(), scans: scans()}, before);
		catalog.close();
	});

	test('undoing a face decision after the face was named again is refused in one line, and nothing changes', async () => {
		const first = await applyFaceDecisions(library, [{action: 'confirm', faceId: ids['turned.jpg']!, person: 'Ben'}]);
		await applyFaceDecisions(library, [{action: 'confirm', faceId: ids['turned.jpg']!, person: 'Carl'}]);
		const sidecars = sidecarBytes(root);
		const undo = await runCli(['undo', first.batchId!], {cwd: root});
		assert.notEqual(undo.code, 0);
		assert.match(undo.stderr, /^curate: .*(face f\d+ has changed since this batch \(now Carl\)|has changed since the journal wrote it)/m);
		assert.deepEqual(sidecarBytes(root), sidecars);
		const catalog = openForRead(library);
		assert.equal(faceStoreOf(catalog).state(ids['turned.jpg']!)!.person, 'Carl');
		catalog.close();
	});
});
