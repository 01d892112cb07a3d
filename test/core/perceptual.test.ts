import {test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import sharp from 'sharp';
import {dHash, hamming, hashToHex, hexToHash, pHash, resizeArea, toGray} from '../../source/core/perceptual.js';

const corpus = fileURLToPath(new URL('../../../shared/photos', import.meta.url));
const corpusSkip = existsSync(corpus) ? false : 'real-photo corpus ../shared/photos not present';

type Gray = {gray: Float32Array; width: number; height: number};

/** Decode the way the scanner does: apply EXIF orientation, fit inside 320x320, raw samples, then luma. */
async function decode(input: Buffer | string): Promise<Gray> {
	const {data, info} = await sharp(input).rotate().resize(320, 320, {fit: 'inside'}).raw().toBuffer({resolveWithObject: true});
	return {gray: toGray(data, info.width, info.height, info.channels), width: info.width, height: info.height};
}

async function hashes(input: Buffer | string): Promise<{p: bigint; d: bigint}> {
	const {gray, width, height} = await decode(input);
	return {p: pHash(gray, width, height), d: dHash(gray, width, height)};
}

/** A 480x360 PNG of coloured shapes on a background: enough structure for stable hashes. */
function scene(background: string, shapes: string): Promise<Buffer> {
	const svg = `<svg width="480" height="360">${shapes}</svg>`;
	return sharp({create: {width: 480, height: 360, channels: 3, background}}).composite([{input: Buffer.from(svg)}]).png().toBuffer();
}

const sceneA = () =>
	scene(
		'#4a7ab0',
		`<rect x="40" y="200" width="400" height="160" fill="#3c8a3c"/>
		<circle cx="370" cy="80" r="50" fill="#f5d040"/>
		<polygon points="60,200 160,60 260,200" fill="#6b5a4a"/>
		<rect x="300" y="150" width="80" height="110" fill="#a03020"/>`,
	);

const sceneB = () =>
	scene(
		'#202020',
		`<circle cx="120" cy="260" r="90" fill="#e0e0e0"/>
		<rect x="250" y="20" width="200" height="120" fill="#d04080"/>
		<rect x="20" y="20" width="60" height="60" fill="#40d0c0"/>
		<polygon points="300,340 470,340 385,180" fill="#f0a020"/>`,
	);

function popcountSlow(x: bigint): number {
	let n = 0;
	for (let v = BigInt.asUintN(64, x); v > 0n; v >>= 1n) n += Number(v & 1n);
	return n;
}

test('toGray: Rec. 601 luma, alpha ignored', () => {
	const rgb = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]);
	const gray = toGray(rgb, 2, 2, 3);
	const expected = [0.299 * 255, 0.587 * 255, 0.114 * 255, 0.299 * 10 + 0.587 * 20 + 0.114 * 30];
	expected.forEach((value, i) => assert.ok(Math.abs(gray[i] - value) < 1e-3, `${i}: ${gray[i]} vs ${value}`));
	const rgba = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 255]);
	assert.deepEqual(Array.from(toGray(rgba, 2, 1, 4)), Array.from(toGray(Uint8Array.from([255, 0, 0, 255, 0, 0]), 2, 1, 3)));
	assert.deepEqual(Array.from(toGray(Uint8Array.from([7, 0, 9, 255]), 2, 1, 2)), [7, 9]);
	assert.deepEqual(Array.from(toGray(Uint8Array.from([7, 9]), 2, 1, 1)), [7, 9]);
	assert.throws(() => toGray(rgb, 2, 2, 5), RangeError);
	assert.throws(() => toGray(rgb, 3, 3, 3), RangeError);
});

test('resizeArea: exact box averages for integer and fractional ratios', () => {
	const grid = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
	assert.deepEqual(Array.from(resizeArea(grid, 4, 4, 2, 2)), [3.5, 5.5, 11.5, 13.5]);
	assert.deepEqual(Array.from(resizeArea(grid, 4, 4, 1, 1)), [8.5]);
	// 3 -> 2: each output covers 1.5 inputs; the middle input is split half and half.
	const row = resizeArea(Float32Array.from([0, 3, 6]), 3, 1, 2, 1);
	assert.ok(Math.abs(row[0] - 1) < 1e-6 && Math.abs(row[1] - 5) < 1e-6, Array.from(row).join());
	// Upscaling 2 -> 3: the middle output straddles both inputs.
	const up = resizeArea(Float32Array.from([0, 30]), 2, 1, 3, 1);
	assert.deepEqual(Array.from(up).map((v) => Math.round(v * 1e4) / 1e4), [0, 15, 30]);
	// Identity.
	assert.deepEqual(Array.from(resizeArea(grid, 4, 4, 4, 4)), Array.from(grid));
});

test('resizeArea: mean preserved and constants stay constant at odd ratios', () => {
	const width = 317;
	const height = 211;
	let seed = 1;
	const image = Float32Array.from({length: width * height}, () => {
		seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
		return seed >>> 24;
	});
	const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
	for (const [w, h] of [[32, 32], [9, 8], [100, 77], [316, 210]]) {
		const out = resizeArea(image, width, height, w, h);
		assert.ok(Math.abs(mean(out) - mean(image)) < 1e-3, `${w}x${h}`);
	}
	const flat = resizeArea(new Float32Array(width * height).fill(42), width, height, 33, 7);
	for (const v of flat) assert.ok(Math.abs(v - 42) < 1e-3);
});

test('dHash bit order: row-major, first pair is the most significant bit', () => {
	// 9x8 image: row 0 falls left to right (all 8 bits set), every other row rises (bits clear).
	const image = new Float32Array(9 * 8);
	for (let y = 0; y < 8; y++) for (let x = 0; x < 9; x++) image[y * 9 + x] = y === 0 ? 100 - x : x;
	assert.equal(hashToHex(dHash(image, 9, 8)), 'ff00000000000000');
	// Only the last pair of the last row falls: bit 0.
	for (let x = 0; x < 9; x++) image[x] = x;
	image[7 * 9 + 8] = -1;
	assert.equal(dHash(image, 9, 8), 1n);
});

test('pHash bit order: transposing the image transposes the 8x8 bit matrix', async () => {
	const {gray, width, height} = await decode(await sceneA());
	const transposed = new Float32Array(width * height);
	for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) transposed[x * height + y] = gray[y * width + x];
	const bitsOf = (h: bigint) => Array.from({length: 64}, (_, i) => Number((h >> BigInt(63 - i)) & 1n));
	const original = bitsOf(pHash(gray, width, height));
	const flipped = bitsOf(pHash(transposed, height, width));
	for (let v = 0; v < 8; v++) for (let u = 0; u < 8; u++) assert.equal(flipped[u * 8 + v], original[v * 8 + u], `cell ${v},${u}`);
	// Half the bits are above the median.
	assert.equal(original.reduce((s, b) => s + b, 0), 32);
});

test('same image, same hashes; resized and recompressed variants stay close', async () => {
	const png = await sceneA();
	const base = await hashes(png);
	assert.deepEqual(await hashes(png), base);
	const variants = [
		await sharp(png).jpeg({quality: 40}).toBuffer(),
		await sharp(png).resize(300).jpeg({quality: 70}).toBuffer(),
		await sharp(png).resize(1000).png().toBuffer(),
		await sharp(png).webp({quality: 50}).toBuffer(),
	];
	for (const [i, variant] of variants.entries()) {
		const h = await hashes(variant);
		assert.ok(hamming(h.p, base.p) <= 6, `variant ${i}: pHash distance ${hamming(h.p, base.p)}`);
		assert.ok(hamming(h.d, base.d) <= 6, `variant ${i}: dHash distance ${hamming(h.d, base.d)}`);
	}
});

test('unrelated structured images are far apart', async () => {
	const a = await hashes(await sceneA());
	const b = await hashes(await sceneB());
	assert.ok(hamming(a.p, b.p) > 20, `pHash distance ${hamming(a.p, b.p)}`);
	assert.ok(hamming(a.d, b.d) > 20, `dHash distance ${hamming(a.d, b.d)}`);
});

test('hamming: known values and agreement with a slow popcount', () => {
	assert.equal(hamming(0n, 0n), 0);
	assert.equal(hamming(0n, 0xffffffffffffffffn), 64);
	assert.equal(hamming(0b1011n, 0b0001n), 2);
	assert.equal(hamming(1n << 63n, 0n), 1);
	assert.equal(hamming(0xf0f0f0f0f0f0f0f0n, 0x0f0f0f0f0f0f0f0fn), 64);
	assert.equal(hamming(0x8000000000000001n, 0x0000000100000000n), 3);
	// Negative inputs are read as their 64-bit two's complement.
	assert.equal(hamming(-1n, 0n), 64);
	let x = 0x9e3779b97f4a7c15n;
	for (let i = 0; i < 200; i++) {
		x = BigInt.asUintN(64, x * 6364136223846793005n + 1442695040888963407n);
		const y = BigInt.asUintN(64, x * 0x5851f42d4c957f2dn);
		assert.equal(hamming(x, y), popcountSlow(x ^ y));
	}
});

test('hex: 16 zero-padded lowercase digits and a lossless round trip', () => {
	assert.equal(hashToHex(0n), '0000000000000000');
	assert.equal(hashToHex(0xabcn), '0000000000000abc');
	assert.equal(hashToHex(0xffffffffffffffffn), 'ffffffffffffffff');
	assert.equal(hashToHex(-1n), 'ffffffffffffffff');
	assert.equal(hexToHash('0000000000000abc'), 0xabcn);
	assert.equal(hexToHash('ABC'), 0xabcn);
	for (const h of [0n, 1n, 1n << 63n, 0x0123456789abcdefn, 0xfedcba9876543210n]) assert.equal(hexToHash(hashToHex(h)), h);
	for (const bad of ['', 'xyz', '0x12', '12345678901234567', ' 12']) assert.throws(() => hexToHash(bad), TypeError, bad);
});

test('corpus: derived copies of a real photo stay close, other photos do not', {skip: corpusSkip}, async () => {
	const path = (relative: string) => join(corpus, relative);
	const original = await hashes(path('cameras/Nikon_D5000.jpg'));
	for (const derived of ['resized_50pct', 'reencoded_q60', 'metadata_stripped', 'rot270_pixels_orient6']) {
		const h = await hashes(path(`similar/derived/Nikon_D5000_${derived}.jpg`));
		assert.ok(hamming(h.p, original.p) <= 6, `${derived}: pHash distance ${hamming(h.p, original.p)}`);
		assert.ok(hamming(h.d, original.d) <= 6, `${derived}: dHash distance ${hamming(h.d, original.d)}`);
	}
	const webp = await hashes(path('similar/derived/Nikon_D5000_as_webp.webp'));
	assert.ok(hamming(webp.p, original.p) <= 6, `webp: pHash distance ${hamming(webp.p, original.p)}`);
	for (const other of ['gps/DSCN0010.jpg', 'cameras/HTC_Desire.jpg', 'cameras/Canon_EOS_7D.jpg']) {
		const h = await hashes(path(other));
		assert.ok(hamming(h.p, original.p) > 20, `${other}: pHash distance ${hamming(h.p, original.p)}`);
	}
});
