import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {hamming} from '../../source/core/perceptual.js';
import {heifTruncation} from '../../source/media/content-hash.js';
import {analyseHeic, closeDecoders, DecodeError, heicPreview} from '../../source/media/decode.js';
import {corpusHeics} from '../helpers/corpus-heic.js';
import {corpusDir, needsCorpus, tempDir} from '../helpers/temp.js';

after(async () => {
	await closeDecoders();
});

function correlation(a: Uint8Array, b: Uint8Array): number {
	const mean = (values: Uint8Array) => values.reduce((sum, value) => sum + value, 0) / values.length;
	const ma = mean(a);
	const mb = mean(b);
	let product = 0;
	let sa = 0;
	let sb = 0;
	for (let i = 0; i < a.length; i++) {
		product += (a[i]! - ma) * (b[i]! - mb);
		sa += (a[i]! - ma) ** 2;
		sb += (b[i]! - mb) ** 2;
	}

	return product / Math.sqrt(sa * sb);
}

test('every corpus HEIC scanned from its thumbnail has the pHash of its full decode within 2 bits', {skip: needsCorpus}, async () => {
	const files = corpusHeics();
	assert.ok(files.length >= 10, `the corpus holds at least 10 HEIC/HEIF files (found ${files.length})`);
	const fromThumbnail: string[] = [];
	for (const file of files) {
		const absolute = path.join(corpusDir, file);
		const bytes = fs.readFileSync(absolute);
		// eslint-disable-next-line no-await-in-loop
		const preview = await heicPreview(bytes).catch((error: unknown) => {
			// Only a broken file may fail, and as a decode error.
			assert.ok(error instanceof DecodeError && file.startsWith('broken/'), `${file}: ${String(error)}`);
			return undefined;
		});
		const fast = preview?.analysis;
		if (!fast || heifTruncation(bytes)) {
			continue;
		}

		fromThumbnail.push(file);
		// eslint-disable-next-line no-await-in-loop
		const full = await analyseHeic(bytes, {file: absolute, full: true});
		assert.equal(full.fullDecode, true);
		assert.equal(full.damage, undefined, file);
		assert.deepEqual([fast.width, fast.height], [full.width, full.height], `${file}: size of the picture, not of its thumbnail`);
		assert.ok(hamming(fast.phash, full.phash) <= 2, `${file}: pHash ${hamming(fast.phash, full.phash)} bits from the full decode's`);
		assert.ok(hamming(fast.dhash, full.dhash) <= 4, `${file}: dHash ${hamming(fast.dhash, full.dhash)} bits from the full decode's`);
		for (const [index, rotation] of fast.phashRotations.entries()) {
			assert.ok(hamming(rotation, full.phashRotations[index]!) <= 6, `${file}: turned pHash ${index}`);
		}

		assert.ok(correlation(fast.signature, full.signature) >= 0.99, `${file}: 16x16 signature correlation ${correlation(fast.signature, full.signature)}`);
		assert.equal(fast.grey, full.grey, `${file}: colour`);
	}

	// The iPhone 8 and 13 Pro Max and the Samsung photos carry thumbnails of 240 px and more: the fast path must take them.
	assert.ok(fromThumbnail.length >= 3, `fingerprinted from the thumbnail: ${fromThumbnail.join(', ')}`);
});

test('a HEIC whose coded picture is corrupt is reported damaged by its full decode, native or WebAssembly', {skip: needsCorpus}, async () => {
	for (const file of corpusHeics()) {
		const absolute = path.join(corpusDir, file);
		const bytes = fs.readFileSync(absolute);
		// eslint-disable-next-line no-await-in-loop
		const preview = await heicPreview(bytes).catch(() => undefined);
		if (!preview?.analysis) {
			continue;
		}

		// Zero 128 KB in the middle of the picture's tiles (the thumbnail's data comes first), the size unchanged.
		const damaged = Buffer.from(bytes);
		damaged.fill(0, damaged.length >> 1, (damaged.length >> 1) + 128 * 1024);
		// eslint-disable-next-line no-await-in-loop
		const wasm = await analyseHeic(damaged, {full: true});
		assert.match(wasm.damage ?? '', /damaged image data: the HEVC decoder reported/, file);
		// With a native decoder installed, its refusal hands the file to the WebAssembly decoder, which says why.
		const copy = path.join(tempDir(), path.basename(file));
		fs.writeFileSync(copy, damaged);
		// eslint-disable-next-line no-await-in-loop
		const native = await analyseHeic(damaged, {file: copy, full: true});
		assert.match(native.damage ?? '', /damaged image data/, file);
		return;
	}

	assert.fail('no corpus HEIC with a thumbnail item');
});
