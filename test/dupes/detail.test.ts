import assert from 'node:assert/strict';
import {test} from 'node:test';
import {resizeArea} from '../../source/core/perceptual.js';
import {compareDetail, detailSize} from '../../source/dupes/detail.js';
import {sensitivities} from '../../source/dupes/types.js';
import {mayBeCrop} from '../../source/dupes/verify.js';

const side = 320;

/** A textured scene (waves and a few discs) with an optional extra disc, as grey levels. */
function scene(extra?: {x: number; y: number; r: number; level: number}): Float32Array {
	const gray = new Float32Array(side * side);
	const discs = [{x: 80, y: 90, r: 30, level: 30}, {x: 230, y: 200, r: 45, level: 220}, {x: 150, y: 260, r: 25, level: 60}, ...(extra ? [extra] : [])];
	for (let y = 0; y < side; y++) {
		for (let x = 0; x < side; x++) {
			let value = 128 + 50 * Math.sin(x / 23) * Math.cos(y / 31) + 30 * Math.sin((x + 2 * y) / 17);
			for (const disc of discs) {
				if ((x - disc.x) ** 2 + (y - disc.y) ** 2 < disc.r ** 2) {
					value = disc.level;
				}
			}

			gray[y * side + x] = value;
		}
	}

	return gray;
}

/** The detail grid of a region of a picture, as scan makes it (area reduction to 32x32). */
function grid(gray: Float32Array, region = {left: 0, top: 0, width: side, height: side}): Uint8Array {
	const cut = new Float32Array(region.width * region.height);
	for (let y = 0; y < region.height; y++) {
		cut.set(gray.subarray((y + region.top) * side + region.left, (y + region.top) * side + region.left + region.width), y * region.width);
	}

	return Uint8Array.from(resizeArea(cut, region.width, region.height, detailSize, detailSize), value => Math.round(value));
}

const tuning = sensitivities.normal.detail;
const original = grid(scene());

test('detail check: an uneven crop (everything from one edge, or split unevenly) matches its original', () => {
	for (const region of [
		{left: 0, top: 0, width: side - 26, height: side - 22},
		{left: 25, top: 4, width: side - 30, height: side - 20},
		{left: 6, top: 18, width: side - 10, height: side - 24},
	]) {
		const match = compareDetail(original, grid(scene(), region), tuning);
		assert.ok(match.passes, JSON.stringify(match));
		assert.ok(Math.abs(match.window.w - region.width / side) < 0.02, `window ${JSON.stringify(match.window)} for ${JSON.stringify(region)}`);
	}
});

test('detail check: a small mark in a corner is set aside; a subject moved to another place is a different picture', () => {
	const marked = scene();
	for (let y = 290; y < 306; y++) {
		for (let x = 240; x < 306; x++) {
			marked[y * side + x] = 255;
		}
	}

	const overlay = compareDetail(original, grid(marked), tuning);
	assert.ok(overlay.passes && overlay.overlay > 0, JSON.stringify(overlay));
	const moved = compareDetail(grid(scene({x: 120, y: 180, r: 40, level: 240})), grid(scene({x: 200, y: 120, r: 40, level: 240})), tuning);
	assert.equal(moved.passes, false, JSON.stringify(moved));
});

test('detail check: a picture that fits only as a crop with a corner set aside is not a copy (another viewpoint passed that way)', () => {
	const region = {left: 25, top: 4, width: side - 30, height: side - 20};
	const differs = scene();
	for (let y = 270; y < 300; y++) {
		for (let x = 255; x < 285; x++) {
			differs[y * side + x] = 250;
		}
	}

	const cropped = compareDetail(original, grid(differs, region), tuning);
	assert.equal(cropped.passes, false, JSON.stringify(cropped));
	// As found (no crop searched), the same corner difference is still set aside: a watermarked copy matches.
	const whole = compareDetail(original, grid(differs), tuning);
	assert.ok(whole.passes && whole.overlay > 0, JSON.stringify(whole));
});

test('a picture of the same pixel dimensions is never searched as a crop (a burst frame paid the search): only as found', () => {
	const cropped = grid(scene(), {left: 25, top: 4, width: side - 30, height: side - 20});
	assert.ok(compareDetail(original, cropped, tuning).passes, 'an uneven crop matches when a crop is possible');
	assert.equal(compareDetail(original, cropped, tuning, {crops: false}).passes, false, 'and is not searched for when it is not');
	assert.equal(mayBeCrop({width: 4032, height: 3024}, {width: 4032, height: 3024}), false);
	assert.equal(mayBeCrop({width: 4032, height: 3024}, {width: 3024, height: 4032}), false, 'turned, the same pixels');
	assert.equal(mayBeCrop({width: 4032, height: 3024}, {width: 3790, height: 2840}), true);
	assert.equal(mayBeCrop({width: null, height: null}, {width: 4032, height: 3024}), true, 'unknown dimensions may be a crop');
});
