import assert from 'node:assert/strict';
import {test} from 'node:test';
import sharp from 'sharp';
import {parseDuration} from '../../source/share/duration.js';
import {itemName, itemNamePattern, jpegSize} from '../../source/share/names.js';
import {checkBaseUrl, shareLink} from '../../source/share/settings.js';

test('shared file names are safe ASCII, numbered in gallery order, whatever the master was called', () => {
	const cases: Array<[number, number, string, string]> = [
		[0, 9, '2019/Paris/IMG_0001.JPG', '001-img-0001.jpg'],
		[41, 1200, 'Été/Crème brûlée à Nice.heic', '0042-creme-brulee-a-nice.jpg'],
		[2, 3, 'x/\u001B]0;pwned\u0007.jpg', '003-0-pwned.jpg'],
		[3, 4, 'x/../../etc/passwd', '004-passwd.jpg'],
		[4, 5, 'x/東京.jpg', '005.jpg'],
		[5, 6, `x/${'a'.repeat(200)}.png`, `006-${'a'.repeat(48)}.jpg`],
	];
	for (const [position, count, master, expected] of cases) {
		const name = itemName(position, count, master);
		assert.equal(name, expected, master);
		assert.match(name, itemNamePattern);
	}

	assert.doesNotMatch('../001.jpg', itemNamePattern);
	assert.doesNotMatch('001.jpg/..', itemNamePattern);
	assert.doesNotMatch('%2e%2e.jpg', itemNamePattern);
});

test('jpegSize reads the frame size of baseline and progressive JPEGs, and nothing from other data', async () => {
	const pixels = {create: {width: 301, height: 157, channels: 3 as const, background: '#808080'}};
	for (const progressive of [false, true]) {
		// eslint-disable-next-line no-await-in-loop
		const data = await sharp(pixels).withIccProfile('srgb').jpeg({progressive}).toBuffer();
		assert.deepEqual(jpegSize(data), {width: 301, height: 157}, `progressive: ${progressive}`);
	}

	assert.equal(jpegSize(await sharp(pixels).png().toBuffer()), undefined);
	assert.equal(jpegSize(Buffer.from([0xFF, 0xD8, 0xFF])), undefined);
});

test('durations: a number and a unit, more than nothing and at most a year', () => {
	assert.equal(parseDuration('30m'), 30 * 60_000);
	assert.equal(parseDuration('1h'), 3_600_000);
	assert.equal(parseDuration('7d'), 7 * 86_400_000);
	assert.equal(parseDuration('2W'), 14 * 86_400_000);
	assert.equal(parseDuration('366d'), 366 * 86_400_000);
	for (const bad of ['7', 'd', '0d', '1.5d', '-1d', '367d', '1y', '']) {
		assert.throws(() => parseDuration(bad), /--expires/, bad);
	}
});

test('links: the base URL without a trailing slash, a proxy path prefix kept, anything but http(s) refused', () => {
	assert.equal(shareLink(checkBaseUrl('https://nas.example.net/'), 'TOKEN'), 'https://nas.example.net/s/TOKEN');
	assert.equal(shareLink(checkBaseUrl('https://nas.example.net/photos/'), 'TOKEN'), 'https://nas.example.net/photos/s/TOKEN');
	assert.equal(shareLink(checkBaseUrl('http://192.168.1.2:8080'), 'TOKEN'), 'http://192.168.1.2:8080/s/TOKEN');
	for (const bad of ['nas', 'ftp://nas', 'https://nas/?a=1', 'https://user:pw@nas', 'javascript:alert(1)']) {
		assert.throws(() => checkBaseUrl(bad), /--base-url/, bad);
	}
});
