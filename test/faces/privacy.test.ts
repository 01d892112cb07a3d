// Who is in a photo stays in the library unless the person says otherwise (issue 19): `curate export` strips face
// regions and person names from the copy by default (the master's own and the sidecar's), `--keep-faces` keeps them
// turned upright with the copy; `person:NAME` selects photos to export and files them by an organize rule.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import sharp from 'sharp';
import {endExiftool, exiftool} from '../../source/adapters/exif.js';
import {connectionOf} from '../../source/db/connection.js';
import {faceStoreOf} from '../../source/db/faces.js';
import {applyFaceDecisions} from '../../source/faces/decisions.js';
import {faceModelId} from '../../source/faces/model.js';
import {findLibrary, openForWrite} from '../../source/library.js';
import {runCli, runJson} from '../helpers/cli.js';
import {tempDir} from '../helpers/temp.js';

after(async () => endExiftool());

/** The shown box of the face: a white square on a dark photo, shown 400 × 300, stored turned back (orientation 6). */
const box = {x: 0.6, y: 0.1, w: 0.3, h: 0.2};

async function turnedPhoto(to: string): Promise<void> {
	const square = await sharp({create: {width: 120, height: 60, channels: 3, background: '#ffffff'}}).png().toBuffer();
	const shown = await sharp({create: {width: 400, height: 300, channels: 3, background: '#203040'}}).composite([{input: square, left: 240, top: 30}]).png().toBuffer();
	await sharp(shown).rotate(270).jpeg({quality: 95}).withMetadata({orientation: 6}).toFile(to);
}

type Faces = {RegionInfo?: {AppliedToDimensions?: {W: number; H: number}; RegionList: Array<{Name: string; Area: {X: number; Y: number; W: number; H: number}}>}; PersonInImage?: string[]};

const facesOf = async (file: string) => (await exiftool().readRaw(file, ['-json', '-struct', '-XMP-mwg-rs:RegionInfo', '-XMP-iptcExt:PersonInImage', '-XMP-MP:all'])) as Faces & Record<string, unknown>;

describe('privacy of faces in exports, and person: in selections and rules', () => {
	let root: string;
	before(async () => {
		root = tempDir('curate-face-privacy-');
		await turnedPhoto(path.join(root, 'anna.jpg'));
		// A photo whose own bytes name someone (another app wrote the region into the file).
		await sharp({create: {width: 200, height: 100, channels: 3, background: '#808080'}}).jpeg().toFile(path.join(root, 'zoe.jpg'));
		await exiftool().write(
			path.join(root, 'zoe.jpg'),
			{
				RegionInfo: {AppliedToDimensions: {W: 200, H: 100, Unit: 'pixel'}, RegionList: [{Area: {X: 0.5, Y: 0.5, W: 0.2, H: 0.4, Unit: 'normalized'}, Name: 'Zoe', Type: 'Face'}]},
				PersonInImage: ['Zoe'],
			} as never,
			{writeArgs: ['-overwrite_original']},
		);
		assert.equal((await runCli(['scan', root, '--json'])).code, 0);
		const library = findLibrary({cwd: root});
		const {catalog, release} = openForWrite(library);
		let face: number;
		try {
			const sha256 = connectionOf(catalog).prepare<[string], string>('SELECT sha256 FROM files WHERE path = ?').pluck().get('anna.jpg')!;
			faceStoreOf(catalog).commit(faceModelId, [{sha256, faces: [{x: box.x, y: box.y, width: box.w, height: box.h, score: 0.9, embedding: new Float32Array([1, 0, 0, 0])}]}]);
			face = faceStoreOf(catalog).idsOfContent(sha256)[0]!;
		} finally {
			catalog.close();
			release();
		}

		await applyFaceDecisions(library, [{action: 'confirm', faceId: face, person: 'Anna'}]);
		assert.deepEqual((await facesOf(path.join(root, 'anna.jpg.xmp'))).PersonInImage, ['Anna']);
	});

	test('curate export strips face regions and person names by default, from the sidecar and from the photo itself', async () => {
		const out = tempDir('curate-face-export-');
		const result = await runJson(['export', 'anna.jpg', 'zoe.jpg', '--to', out, '--json'], {cwd: root});
		assert.equal(result.result.code, 0, result.result.stderr);
		assert.equal(result.json.written, 2);
		for (const name of ['anna.jpg', 'zoe.jpg']) {
			const tags = await facesOf(path.join(out, name));
			assert.equal(tags.RegionInfo, undefined, name);
			assert.equal(tags.PersonInImage, undefined, name);
			const all = (await exiftool().readRaw(path.join(out, name), ['-json', '-a', '-G1'])) as Record<string, unknown>;
			assert.deepEqual(Object.keys(all).filter(key => /region|person/i.test(key)), [], name);
		}
	});

	test('curate export --keep-faces keeps them, the sidecar\'s region turned upright onto the face in the copy', async () => {
		const out = tempDir('curate-face-export-keep-');
		const result = await runJson(['export', 'person:anna', '--to', out, '--keep-faces', '--max-size', '200', '--json'], {cwd: root});
		assert.equal(result.result.code, 0, result.result.stderr);
		assert.deepEqual(result.json.items.map((item: {path: string}) => item.path), ['anna.jpg']);
		assert.equal((await runCli(['export', 'zoe.jpg', '--to', out, '--keep-faces'], {cwd: root})).code, 0);
		const anna = await facesOf(path.join(out, 'anna.jpg'));
		assert.deepEqual(anna.PersonInImage, ['Anna']);
		const [region] = anna.RegionInfo!.RegionList;
		assert.equal(region!.Name, 'Anna');
		// The copy is upright, 200 × 150: the region's centre is the shown box's.
		assert.deepEqual(anna.RegionInfo!.AppliedToDimensions, {W: 200, H: 150, Unit: 'pixel'});
		assert.ok(Math.abs(region!.Area.X - (box.x + box.w / 2)) < 0.001 && Math.abs(region!.Area.Y - (box.y + box.h / 2)) < 0.001, JSON.stringify(region));
		const {data, info} = await sharp(path.join(out, 'anna.jpg')).raw().toBuffer({resolveWithObject: true});
		const at = (Math.round(region!.Area.Y * info.height) * info.width + Math.round(region!.Area.X * info.width)) * info.channels;
		assert.ok(data[at]! > 240, 'the region is on the face in the copy');
		assert.deepEqual((await facesOf(path.join(out, 'zoe.jpg'))).PersonInImage, ['Zoe']);
		assert.equal((await runCli(['export', 'zoe.jpg', '--to', out, '--keep-faces', '--strip', 'all'], {cwd: root})).stderr, 'curate: --keep-faces goes with --strip gps (--strip all removes them anyway)\n');
	});

	test('person:NAME files photos by an organize rule', async () => {
		fs.writeFileSync(path.join(root, '.curate/rules.txt'), 'person:"anna" -> People/Anna\n');
		const plan = await runJson(['organize', '--json'], {cwd: root});
		assert.equal(plan.result.code, 0, plan.result.stderr);
		const moves: Array<{from: string; to: string; rule?: {line: number}}> = plan.json.moves;
		assert.deepEqual(moves.find(move => move.from === 'anna.jpg'), {...moves.find(move => move.from === 'anna.jpg'), to: 'People/Anna/anna.jpg', rule: {line: 1, text: 'person:"anna" -> People/Anna'}});
		assert.notEqual(moves.find(move => move.from === 'zoe.jpg')?.to?.startsWith('People/'), true);
		fs.rmSync(path.join(root, '.curate/rules.txt'));
	});
});
