// npm run bench:review: keypress-to-screen time of the review screen on 1,000 synthetic clusters (issue 5 target:
// under 100 ms), with real thumbnails rendered by the real PictureCache (sharp + half blocks), driven through
// ink-testing-library. Also prints the cost of rendering one picture.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {render} from 'ink-testing-library';
import React from 'react';
import sharp from 'sharp';
import {PictureCache, renderPicture} from '../source/media/terminal-picture.js';
import type {ReviewCluster, ReviewServices} from '../source/review/types.js';
import {ReviewScreen} from '../source/ui/review/review-screen.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'curate-bench-review-'));
process.on('exit', () => fs.rmSync(dir, {recursive: true, force: true}));

// Twenty distinct 320x240 thumbnails (gradients with noise), like the scan caches.
const thumbs: string[] = [];
for (let i = 0; i < 20; i++) {
	const pixels = Buffer.alloc(320 * 240 * 3);
	for (let p = 0; p < 320 * 240; p++) {
		pixels[p * 3] = (p % 320) + i * 10;
		pixels[p * 3 + 1] = Math.floor(p / 320) + i * 5;
		pixels[p * 3 + 2] = (p * 7919 + i) % 256;
	}

	const file = path.join(dir, `t${i}.jpg`);
	await sharp(pixels, {raw: {width: 320, height: 240, channels: 3}}).jpeg({quality: 85}).toFile(file);
	thumbs.push(file);
}

const clusters: ReviewCluster[] = Array.from({length: 1000}, (_, c) => ({
	id: c.toString(16).padStart(12, '0'),
	kind: 'near',
	reclaimableBytes: 2_000_000,
	members: Array.from({length: 2 + (c % 3)}, (_, m) => ({
		path: `${2000 + (c % 20)}/album ${c}/IMG_${c}_${m}.jpg`,
		sha256: `${c.toString(16).padStart(8, '0')}${m}`.padEnd(64, '0'),
		width: 4032 - m * 100,
		height: 3024,
		bytes: 2_400_000 - m * 1000,
		format: m === 1 ? 'heic' : 'jpeg',
		takenAt: '2021-07-14T09:18:40',
		camera: 'Apple iPhone 12',
		gps: m === 0,
		caption: null,
		keywords: [],
		rating: null,
		lens: null,
		keeper: m === 0,
		reasons: [m === 0 ? 'most pixels' : 'fewer pixels than the keeper'],
		match: 'near',
		companions: [],
		thumb: thumbs[(c + m) % thumbs.length]!,
	})),
}));

for (const mode of ['truecolor', 'grey'] as const) {
	const started = performance.now();
	for (let i = 0; i < 40; i++) {
		// eslint-disable-next-line no-await-in-loop
		await renderPicture(thumbs[i % thumbs.length]!, 25, 13, mode);
	}

	console.log(`one 25x13-cell picture (${mode}): ${((performance.now() - started) / 40).toFixed(2)} ms`);
}

const mode = process.argv[2] === 'truecolor' ? 'truecolor' : 'ansi256';
console.log(`screen pictures in ${mode} (npm run bench:review -- truecolor for 24-bit)`);
let batch = 0;
const services: ReviewServices = {
	actions: {
		keep: async () => ({batchId: String(++batch), freedBytes: 1000, summary: 'ok'}),
		merge: async () => ({batchId: String(++batch), freedBytes: 1000, summary: 'ok'}),
		notDuplicates: async () => ({batchId: String(++batch), freedBytes: 0, summary: 'ok'}),
		undo: async () => ({summary: 'undone'}),
	},
	pictures: new PictureCache(mode),
	saveProgress() {},
};
const ink = render(<ReviewScreen clusters={clusters} progress={{current: null, skipped: [], freed: 0}} services={services} colour size={{columns: 80, rows: 24}} />);
const frameCount = () => ink.frames.length;
const tick = async () => new Promise(resolve => setImmediate(resolve));

/** Milliseconds from writing `key` until Ink has written a frame with `done(frame)` true. */
async function press(key: string, done: (frame: string) => boolean): Promise<number> {
	const before = frameCount();
	const started = performance.now();
	ink.stdin.write(key);
	for (;;) {
		if (frameCount() > before && done(ink.lastFrame() ?? '')) {
			return performance.now() - started;
		}

		// eslint-disable-next-line no-await-in-loop
		await tick();
	}
}

const pictureShown = (frame: string) => frame.includes('▀');
await new Promise(resolve => setTimeout(resolve, 500));
const stats = (name: string, times: number[]) => {
	const sorted = [...times].sort((a, b) => a - b);
	const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1);
	console.log(`${name}: median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${sorted.at(-1)!.toFixed(1)} ms over ${times.length} keypresses`);
};

const choose: number[] = [];
const next: number[] = [];
const accept: number[] = [];
for (let i = 0; i < 100; i++) {
	// eslint-disable-next-line no-await-in-loop
	choose.push(await press(i % 2 === 0 ? 'l' : 'h', () => true));
	// Pauses like a person's between decisions, so the background preload runs (about 300 ms a cluster here).
	// eslint-disable-next-line no-await-in-loop
	next.push(await press('s', frame => pictureShown(frame) && frame.includes(`cluster ${((2 * i + 1) % 1000) + 1} of 1000`)));
	// eslint-disable-next-line no-await-in-loop
	await new Promise(resolve => setTimeout(resolve, 150));
	// eslint-disable-next-line no-await-in-loop
	accept.push(await press('a', frame => frame.includes(`cluster ${((2 * i + 2) % 1000) + 1} of 1000`)));
	// eslint-disable-next-line no-await-in-loop
	await new Promise(resolve => setTimeout(resolve, 150));
}

stats('choose a photo (h/l)', choose);
stats('skip to the next cluster, pictures shown', next);
stats('accept (a), next cluster on screen', accept);

const cold: number[] = [];
for (let i = 0; i < 20; i++) {
	// Without pauses the preload cannot keep up: this is the worst case, pictures rendered on demand.
	// eslint-disable-next-line no-await-in-loop
	cold.push(await press('s', pictureShown));
}

stats('skip without pausing (pictures may still be rendering)', cold);
ink.unmount();
process.exit(0);
