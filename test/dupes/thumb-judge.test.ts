import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import sharp from 'sharp';
import {unionFind} from '../../source/core/union-find.js';
import type {DetailMatch} from '../../source/dupes/detail.js';
import {ThumbnailJudge, thumbnailCheckCounts} from '../../source/dupes/thumb-judge.js';
import {type Link, sensitivities, type Unit} from '../../source/dupes/types.js';
import type {Verification} from '../../source/dupes/verify.js';
import {tempDir} from '../helpers/temp.js';

test('duplicate finding decodes no thumbnail for a near-limit pair that an earlier judged pair already joined', async () => {
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
	// 2 and 3 were joined earlier in the batch (a comfortable link); 0-1 and 1-2 wait for the thumbnails, then 0-3.
	const joined = unionFind(4);
	joined.union(2, 3);
	for (const [a, b] of [[0, 1], [1, 2], [0, 3]] as const) {
		judge.add({pair: {a, b, ways: []}, way: {i: a, j: b, rotation: 0, crop: -1, distance: 0}, match, distance: 0}, data, units);
	}

	const before = {...thumbnailCheckCounts};
	const links: Link[] = [];
	try {
		judge.settle(joined, links);
	} finally {
		judge.close();
	}

	assert.deepEqual(links.map(link => [link.a, link.b]), [[0, 1], [1, 2]]);
	assert.equal(thumbnailCheckCounts.pairs - before.pairs, 2);
	// Photo 3's thumbnail is never compared, so it is never decoded (reading pairs ahead decoded it: 4 reads).
	assert.equal(thumbnailCheckCounts.reads - before.reads, 3);
	assert.equal(joined.find(0), joined.find(3));
});
