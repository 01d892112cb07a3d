import assert from 'node:assert/strict';
import {test} from 'node:test';
import {rotateGray, trimUniformBorder, type Gray} from '../../source/core/geometry.js';

function image(width: number, height: number, f: (x: number, y: number) => number): Gray {
	const gray = new Float32Array(width * height);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			gray[y * width + x] = f(x, y);
		}
	}

	return {gray, width, height};
}

test('a uniform frame is removed, leaving the picture', () => {
	const picture = (x: number, y: number) => (x * 7 + y * 13) % 200;
	const framed = image(60, 40, (x, y) => (x < 5 || x >= 55 || y < 4 || y >= 36 ? 255 : picture(x - 5, y - 4)));
	const trimmed = trimUniformBorder(framed);
	assert.equal(trimmed.width, 50);
	assert.equal(trimmed.height, 32);
	assert.equal(trimmed.gray[0], picture(0, 0));
	assert.equal(trimmed.gray[trimmed.gray.length - 1], picture(49, 31));
});

test('a flat sky on one side only is not a frame', () => {
	const sky = image(60, 40, (x, y) => (y < 15 ? 180 : (x * 7 + y * 13) % 200));
	assert.equal(trimUniformBorder(sky), sky);
});

test('rotations turn pixels the right way and compose', () => {
	const source = image(3, 2, (x, y) => y * 3 + x); // [[0,1,2],[3,4,5]]
	const r90 = rotateGray(source, 90);
	assert.deepEqual([r90.width, r90.height], [2, 3]);
	assert.deepEqual([...r90.gray], [3, 0, 4, 1, 5, 2]);
	assert.deepEqual([...rotateGray(source, 180).gray], [5, 4, 3, 2, 1, 0]);
	assert.deepEqual([...rotateGray(rotateGray(source, 90), 270).gray], [...source.gray]);
});
