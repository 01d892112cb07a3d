import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import sharp from 'sharp';
import {ThumbnailReader} from '../../source/media/thumbnail-gray.js';
import {tempDir} from '../helpers/temp.js';

test('cached thumbnails are read as grey pictures synchronously; a missing or broken one reads as none', async () => {
	const dir = tempDir();
	// A 320x240 thumbnail: left half red (luma 76), right half white, as scan writes them (JPEG).
	const width = 320;
	const height = 240;
	const pixels = Buffer.alloc(width * height * 3);
	for (let i = 0; i < width * height; i++) {
		const white = i % width >= width / 2;
		pixels.set(white ? [255, 255, 255] : [255, 0, 0], i * 3);
	}

	const good = path.join(dir, 'good.jpg');
	await sharp(pixels, {raw: {width, height, channels: 3}}).jpeg({quality: 90}).toFile(good);
	const broken = path.join(dir, 'broken.jpg');
	fs.writeFileSync(broken, 'not a jpeg');
	const reader = new ThumbnailReader();
	try {
		const [picture, missing, unreadable] = reader.read([good, path.join(dir, 'missing.jpg'), broken]);
		assert.equal(missing, undefined);
		assert.equal(unreadable, undefined);
		assert.equal(picture?.width, width);
		assert.equal(picture?.height, height);
		assert.ok(Math.abs(picture!.gray[120 * width + 40]! - 76) <= 4, `red reads as its luma, ${picture!.gray[120 * width + 40]}`);
		assert.ok(picture!.gray[120 * width + 280]! >= 250);
		assert.equal(reader.reads, 3);
	} finally {
		reader.close();
	}
});
