import assert from 'node:assert/strict';
import {test} from 'node:test';
import {alignSignatures, resampleWindow} from '../../source/dupes/align.js';
import {gridHash, windowHashes} from '../../source/dupes/window-hash.js';
import {hamming} from '../../source/core/perceptual.js';

/** A 16x16 signature of a smooth, structured scene seen through `window` of it (what a crop's signature is). */
function scene(window = {x: 0, y: 0, w: 1, h: 1}, overlay = false): Uint8Array {
	const out = new Uint8Array(256);
	for (let y = 0; y < 16; y++) {
		for (let x = 0; x < 16; x++) {
			const u = window.x + ((x + 0.5) / 16) * window.w;
			const v = window.y + ((y + 0.5) / 16) * window.h;
			let value = 120 + 60 * Math.sin(u * 7) * Math.cos(v * 5) + 50 * Math.exp(-((u - 0.35) ** 2 + (v - 0.6) ** 2) * 30);
			if (overlay && x >= 12 && y >= 14) {
				value = 250;
			}

			out[y * 16 + x] = Math.round(value);
		}
	}

	return out;
}

test('an uneven crop aligns: the window found is the crop, and the overlap correlates', () => {
	const crop = {x: 0.06, y: 0, w: 0.93, h: 0.95};
	const alignment = alignSignatures(scene(), scene(crop));
	assert.ok(alignment.correlation > 0.98, `correlation ${alignment.correlation}`);
	assert.ok(Math.abs(alignment.window.x - crop.x) < 0.02 && Math.abs(alignment.window.w - crop.w) < 0.02, JSON.stringify(alignment.window));
	assert.equal(alignment.inverse, false);
	assert.equal(alignSignatures(scene(crop), scene()).inverse, true, 'either side may be the crop');
});

test('a corner overlay is set aside; the same difference in the middle is not', () => {
	const overlaid = alignSignatures(scene(), scene(undefined, true));
	assert.ok(overlaid.outliers > 0 && overlaid.outliers <= 10, `outliers ${overlaid.outliers}`);
	assert.ok(overlaid.correlation > 0.98);
	const middle = scene();
	for (let y = 6; y < 10; y++) {
		for (let x = 6; x < 10; x++) middle[y * 16 + x] = 250;
	}

	const moved = alignSignatures(scene(), middle);
	assert.equal(moved.outliers, 0);
	assert.ok(moved.worstBlock > 0.62, `worst block ${moved.worstBlock}`);
});

test('window hashes: a crop of a picture hashes close to one of its crop windows, and far from another scene', () => {
	const original = windowHashes(scene());
	const crop = gridHash(scene({x: 0.06, y: 0.03, w: 0.94, h: 0.94}));
	assert.ok(Math.min(...original.windows.map(window => hamming(window, crop))) <= 4);
	const other = new Uint8Array(256).map((_, i) => (i * 37) % 251);
	assert.ok(hamming(gridHash(other), crop) > 12);
	const out = new Float64Array(256);
	resampleWindow(scene(), {x: 0, y: 0, w: 1, h: 1}, out, new Float64Array(256));
	assert.deepEqual([...out].map(value => Math.round(value)), [...scene()], 'the whole window is the picture itself');
});
