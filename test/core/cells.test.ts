import assert from 'node:assert/strict';
import {test} from 'node:test';
import {centreCells, encodeCells, fitCells} from '../../source/core/cells.js';

// 2x2 pixels: red over blue on the left, white over white on the right.
const pixels = Uint8Array.from([255, 0, 0, 255, 255, 255, 0, 0, 255, 255, 255, 255]);

test('truecolour half blocks: top pixel in the foreground, bottom in the background, reset at the end', () => {
	const [line] = encodeCells(pixels, 2, 2, 'truecolor');
	assert.equal(line, '\u001B[38;2;255;0;0;48;2;0;0;255m▀\u001B[38;2;255;255;255;48;2;255;255;255m▀\u001B[0m');
});

test('256 colours map to the cube and the grey ramp', () => {
	const [line] = encodeCells(pixels, 2, 2, 'ansi256');
	assert.equal(line, '\u001B[38;5;196;48;5;21m▀\u001B[38;5;231;48;5;231m▀\u001B[0m');
});

test('a run of one colour pair writes its escape once', () => {
	const flat = new Uint8Array(4 * 2 * 3).fill(128);
	const [line] = encodeCells(flat, 4, 2, 'truecolor');
	assert.equal(line!.split('\u001B[38').length - 1, 1);
});

test('grey mode has no escape at all: ASCII shades by brightness', () => {
	const [line] = encodeCells(pixels, 2, 2, 'grey');
	assert.equal(line, ':@');
	assert.doesNotMatch(line!, /\u001B/);
});

test('fitting keeps the aspect ratio in whole cells', () => {
	assert.deepEqual(fitCells(320, 240, 25, 13), {width: 25, height: 18});
	assert.deepEqual(fitCells(240, 320, 25, 13), {width: 20, height: 26});
	assert.deepEqual(fitCells(1000, 10, 20, 5), {width: 20, height: 2});
});

test('centring pads every line to the box', () => {
	const box = centreCells(['ab', 'cd'], 2, 6, 4).split('\n');
	assert.deepEqual(box, ['      ', '  ab  ', '  cd  ', '      ']);
});
