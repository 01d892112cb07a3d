import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Gray} from '../../source/core/geometry.js';
import {compareThumbnails, type Placement} from '../../source/dupes/thumb-check.js';
import {sensitivities} from '../../source/dupes/types.js';

const tuning = sensitivities.normal.thumbnail!;
const width = 320;
const height = 240;

/** A textured scene (a photo's worth of edges at every scale), sampled at any point of its 0-1 frame. */
function sceneAt(u: number, v: number): number {
	const x = u * 400;
	const y = v * 300;
	return 128 + 40 * Math.sin(x / 7) * Math.cos(y / 11) + 30 * Math.sin((x + 2 * y) / 13) + 25 * Math.cos((3 * x - y) / 19);
}

/** A 320x240 thumbnail of the scene seen through `at` (u, v in the frame, to the scene's u, v). */
function picture(at: (u: number, v: number) => number, mark?: (x: number, y: number) => number | undefined): Gray {
	const gray = new Float32Array(width * height);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			gray[y * width + x] = mark?.(x, y) ?? at((x + 0.5) / width, (y + 0.5) / height);
		}
	}

	return {gray, width, height};
}

const asFound: Placement = {rotation: 0, window: {x: 0, y: 0, w: 1, h: 1}, within: 0};
const original = picture(sceneAt);

test('thumbnail check: a re-encoded copy and an uneven crop pass, the crop placed only roughly by the grid', () => {
	assert.ok(compareThumbnails(original, picture(sceneAt), asFound, tuning).passes);
	// 7 % off the left, 2 % off the right, 4 % off the top: the grid's window is a cell off (about 10 px here).
	const crop = {x: 0.07, y: 0.04, w: 0.91, h: 0.96};
	const cropped = picture((u, v) => sceneAt(crop.x + u * crop.w, crop.y + v * crop.h));
	const match = compareThumbnails(original, cropped, {...asFound, window: {x: 0.06, y: 0.03, w: 0.92, h: 0.95}}, tuning);
	assert.ok(match.passes, JSON.stringify(match));
});

test('thumbnail check: a date imprint in a corner is set aside, the same mark in the middle is not', () => {
	const imprint = (x0: number, y0: number) => (x: number, y: number) => (x >= x0 && x < x0 + 60 && y >= y0 && y < y0 + 16 ? ((x >> 2) % 2 ? 250 : 20) : undefined);
	const corner = compareThumbnails(original, picture(sceneAt, imprint(250, 215)), asFound, tuning);
	assert.ok(corner.passes, JSON.stringify(corner));
	assert.ok(corner.setAside > 0);
	// A subject (a flat upright ellipse with an edge) where the picture had texture: a moved subject, not an overlay.
	const subject = (x: number, y: number) => (((x - 150) / 30) ** 2 + ((y - 120) / 60) ** 2 < 1 ? 128 : undefined);
	const moved = compareThumbnails(original, picture(sceneAt, subject), asFound, tuning);
	assert.equal(moved.passes, false, JSON.stringify(moved));
	assert.ok(moved.missing > 0);
});

test('thumbnail check: a stereo partner (rows shifted by their height, as parallax does) is not a copy, though a crop fits it on average', () => {
	const shear = 0.1;
	const stereo = picture((u, v) => sceneAt(shear * (1 - v) + u * (1 - shear), v));
	// The grid's best crop window: the average shift.
	const match = compareThumbnails(original, stereo, {...asFound, window: {x: shear / 2, y: 0, w: 1 - shear, h: 1}}, tuning);
	assert.equal(match.passes, false, JSON.stringify(match));
});
