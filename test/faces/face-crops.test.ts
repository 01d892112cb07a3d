import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {describe, test} from 'node:test';
import sharp from 'sharp';
import {cropRegion, FaceCropCache, FaceGraphics, faceCropPng, renderFaceCrop} from '../../source/faces/face-crops.js';
import type {FaceCropRequest} from '../../source/faces/people-review-types.js';
import {PreviewCache} from '../../source/media/preview-cache.js';
import {tempDir} from '../helpers/temp.js';

/** Where the "face" is in the upright picture (200 x 300): a red square on blue. */
const face = {x: 20 / 200, y: 200 / 300, w: 60 / 200, h: 60 / 300};

/**
 * A JPEG stored on its side with EXIF orientation 6 (shown turned 90° clockwise), as phones write them: upright it is
 * 200 x 300 with a red square where `face` says, stored 300 x 200.
 */
async function sidewaysPhoto(file: string): Promise<string> {
	const upright = await sharp({create: {width: 200, height: 300, channels: 3, background: {r: 20, g: 40, b: 220}}})
		.composite([{input: await sharp({create: {width: 60, height: 60, channels: 3, background: {r: 230, g: 20, b: 20}}}).png().toBuffer(), left: 20, top: 200}])
		.png()
		.toBuffer();
	await sharp(upright).rotate(270).jpeg({quality: 95}).withMetadata({orientation: 6}).toFile(file);
	return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

async function previewOfSidewaysPhoto(): Promise<string> {
	const root = tempDir();
	const file = path.join(root, 'sideways.jpg');
	const sha256 = await sidewaysPhoto(file);
	assert.deepEqual([(await sharp(file).metadata()).width, (await sharp(file).metadata()).orientation], [300, 6]);
	return new PreviewCache(path.join(root, '.curate', 'previews')).ensure({absolute: file, sha256, format: 'jpeg', kind: 'image', orientation: 6});
}

/** The top pixel's 24-bit colour of each half-block cell of a line (a colour is written only when it changes). */
function topColours(line: string): Array<[number, number, number]> {
	const cells: Array<[number, number, number]> = [];
	let current: [number, number, number] = [0, 0, 0];
	for (const match of line.matchAll(/\u001B\[([\d;]*)m|▀/g)) {
		if (match[0] === '▀') {
			cells.push(current);
			continue;
		}

		const top = /(?:^|;)38;2;(\d+);(\d+);(\d+)/.exec(match[1]!);
		if (top) {
			current = [Number(top[1]), Number(top[2]), Number(top[3])];
		}
	}

	return cells;
}

describe('face crops', () => {
	test('the region is a square around the face with a margin, moved inside the picture, never larger than it', () => {
		assert.deepEqual(cropRegion({x: 0.4, y: 0.4, w: 0.2, h: 0.2}, 1000, 1000, 0.25), {left: 350, top: 350, width: 300, height: 300});
		assert.deepEqual(cropRegion({x: 0, y: 0.9, w: 0.1, h: 0.1}, 1000, 1000, 0.5), {left: 0, top: 800, width: 200, height: 200}, 'moved in, not cut');
		const whole = cropRegion({x: 0, y: 0, w: 1, h: 1}, 640, 480);
		assert.deepEqual(whole, {left: 80, top: 0, width: 480, height: 480}, 'the picture\'s shorter side, centred');
	});

	test('a face of a photo stored sideways (EXIF orientation 6) is cut from its upright preview: the red face fills the crop centre', async () => {
		const preview = await previewOfSidewaysPhoto();
		const text = await renderFaceCrop(preview, face, 12, 6, 'truecolor');
		const lines = text.split('\n');
		assert.equal(lines.length, 6);
		const middle = topColours(lines[3]!);
		assert.equal(middle.length, 12, 'a square crop fills 12 x 6 cells');
		const [r, g, b] = middle[6]!;
		assert.ok(r > 180 && g < 80 && b < 80, `centre is the red face, not ${r},${g},${b}`);
		const corner = topColours(lines[0]!)[0]!;
		assert.ok(corner[2] > 150, `the margin shows the blue around it: ${corner.join(',')}`);
		const grey = await renderFaceCrop(preview, face, 12, 6, 'grey');
		assert.doesNotMatch(grey, /\u001B/, 'no escapes without colour');
		assert.deepEqual(grey.split('\n').map(line => line.length), [12, 12, 12, 12, 12, 12]);
		const png = await sharp(await faceCropPng(preview, face, 256)).metadata();
		assert.equal(png.format, 'png');
		assert.equal(png.width, png.height, 'square');
	});

	test('the crop cache renders each face once and peeks it afterwards; a missing preview rejects with its reason', async () => {
		const preview = await previewOfSidewaysPhoto();
		const asked: number[] = [];
		const cache = new FaceCropCache('ansi256', async request => {
			asked.push(request.faceId);
			if (request.faceId === 2) {
				throw new Error('no preview for a video');
			}

			return preview;
		});
		const request: FaceCropRequest = {faceId: 1, sha256: 'a'.repeat(64), path: 'sideways.jpg', box: face, columns: 10, rows: 5};
		assert.equal(cache.peek(request), undefined);
		const [first, second] = await Promise.all([cache.load(request), cache.load(request)]);
		assert.equal(first, second);
		assert.equal(cache.peek(request), first);
		assert.deepEqual(asked, [1], 'one render for two asks');
		await assert.rejects(cache.load({...request, faceId: 2}), /no preview for a video/);
	});

	test('terminal graphics put each crop at its cell with the cursor saved and restored, and erase them when hidden', async () => {
		const preview = await previewOfSidewaysPhoto();
		const stream = new PassThrough();
		let written = '';
		stream.on('data', chunk => {
			written += String(chunk);
		});
		const graphics = new FaceGraphics('iterm2', async () => preview, stream);
		const request: FaceCropRequest = {faceId: 1, sha256: 'a'.repeat(64), path: 'sideways.jpg', box: face, columns: 12, rows: 6};
		await graphics.show([
			{request, row: 2, column: 1},
			{request: {...request, faceId: 2}, row: 2, column: 14},
		]);
		assert.match(written, /\u001B7\u001B\[2;1H[^]*\u001B8/);
		assert.match(written, /\u001B7\u001B\[2;14H[^]*\u001B8/);
		written = '';
		graphics.hide();
		assert.equal(written, '\u001B[2J');
	});

	test('kitty keeps images until deleted: the crops of a new page first delete the old ones, and hiding deletes them too', async () => {
		const preview = await previewOfSidewaysPhoto();
		const stream = new PassThrough();
		let written = '';
		stream.on('data', chunk => {
			written += String(chunk);
		});
		const graphics = new FaceGraphics('kitty', async () => preview, stream);
		const request: FaceCropRequest = {faceId: 1, sha256: 'a'.repeat(64), path: 'sideways.jpg', box: face, columns: 12, rows: 6};
		await graphics.show([{request, row: 2, column: 1}]);
		assert.doesNotMatch(written, /\u001B_Ga=d/, 'nothing to delete the first time');
		written = '';
		await graphics.show([{request: {...request, faceId: 3}, row: 2, column: 1}]);
		assert.match(written, /^\u001B_Ga=d\u001B\\\u001B7\u001B\[2;1H/);
		written = '';
		graphics.hide();
		assert.equal(written, '\u001B_Ga=d\u001B\\\u001B[2J');
	});
});
