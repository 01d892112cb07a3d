import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import sharp from 'sharp';
import type {DetailMatch} from '../../source/dupes/detail.js';
import {ThumbnailJudge, thumbnailCheckCounts} from '../../source/dupes/thumb-judge.js';
import {type Link, sensitivities, type Unit} from '../../source/dupes/types.js';
import type {Verification} from '../../source/dupes/verify.js';
import {tempDir} from '../helpers/temp.js';

test('the thumbnail check judges every near-limit pair on its own, whatever joined it before, and decodes each photo\'s thumbnail once', async () => {
	const dir = tempDir();
	// A textured 320x240 thumbnail, as scan writes them; four photos share the picture (four copies of one photo).
	const width = 320;
	const height = 240;
	const pixels = Buffer.alloc(width * height);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			pixels[y * width + x] = Math.round(128 + 50 * Math.sin(x / 7) * Math.cos(y / 11) + 40 * Math.sin((x + 2 * y) / 13));
		}
	}

	const files = await Promise.all([0, 1, 2, 3].map(async id => {
		const file = path.join(dir, `${id}.jpg`);
		await sharp(pixels, {raw: {width, height, channels: 1}}).jpeg({quality: 90}).toFile(file);
		return file;
	}));
	const units = files.map((_, id) => ({file: {id}, companions: []}) as unknown as Unit);
	const data = new Map(files.map((file, id) => [id, {thumbnail: () => file} as unknown as Verification]));
	const match = {window: {x: 0, y: 0, w: 1, h: 1}, within: 0} as unknown as DetailMatch;
	const judge = new ThumbnailJudge(sensitivities.normal);
	// Three near-limit pairs of the four copies. 0-3 comes after links that join 0 with 1 and 2: it is judged all the
	// same, so the links do not depend on the order pairs come in (verify.ts).
	for (const [a, b] of [[0, 1], [1, 2], [0, 3]] as const) {
		judge.add({pair: {a, b, ways: []}, way: {i: a, j: b, rotation: 0, crop: -1, distance: 0}, match, distance: 0}, data, units);
	}

	const before = {...thumbnailCheckCounts};
	const links: Link[] = [];
	try {
		judge.settle(links);
	} finally {
		judge.close();
	}

	assert.deepEqual(links.map(link => [link.a, link.b]), [[0, 1], [1, 2], [0, 3]]);
	assert.equal(thumbnailCheckCounts.pairs - before.pairs, 3);
	// Four photos, four decodes: photo 0's and 1's thumbnails come from the cache for their second pair.
	assert.equal(thumbnailCheckCounts.reads - before.reads, 4);
});
