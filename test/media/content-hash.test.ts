import {test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import zlib from 'node:zlib';
import sharp from 'sharp';
import type {Format} from '../../source/core/types.js';
import {contentHash, heifTruncation} from '../../source/media/content-hash.js';

const corpus = fileURLToPath(new URL('../../../shared/photos', import.meta.url));
const corpusSkip = existsSync(corpus) ? false : 'real-photo corpus ../shared/photos not present';
const photo = (relative: string) => readFileSync(join(corpus, relative));

const HEX_DIGEST = /^[0-9a-f]{64}$/;

/** Raw RGB pixels of a small structured scene; `variant` moves a shape so the pixels differ. */
async function pixels(variant = 0): Promise<sharp.Sharp> {
	const svg = `<svg width="96" height="64">
		<rect x="${6 + variant}" y="6" width="40" height="26" fill="#c33"/>
		<circle cx="66" cy="40" r="18" fill="#33c"/>
		<path d="M0 64 L48 30 L96 64 Z" fill="#fc3" opacity="0.6"/>
	</svg>`;
	const {data, info} = await sharp({create: {width: 96, height: 64, channels: 3, background: '#8a8'}})
		.composite([{input: Buffer.from(svg)}])
		.raw()
		.toBuffer({resolveWithObject: true});
	return sharp(data, {raw: {width: info.width, height: info.height, channels: info.channels}});
}

function segment(marker: number, payload: Buffer): Buffer {
	const header = Buffer.from([0xff, marker, 0, 0]);
	header.writeUInt16BE(payload.length + 2, 2);
	return Buffer.concat([header, payload]);
}

/** An APP1 Exif segment whose body contains 0xFF bytes, to make sure they are skipped, not parsed as markers. */
function app1Exif(): Buffer {
	return segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0II*\0\x08\0\0\0\0\0', 'latin1'), Buffer.from([0xff, 0xd9, 0xff, 0xda, 0x12])]));
}

function comment(text: string): Buffer {
	return segment(0xfe, Buffer.from(text, 'latin1'));
}

/** Insert segments right after SOI, and a comment just before the first SOS, as metadata editors do. */
function addJpegMetadata(jpeg: Buffer): Buffer {
	const sos = jpeg.indexOf(Buffer.from([0xff, 0xda]));
	return Buffer.concat([jpeg.subarray(0, 2), app1Exif(), comment('edited'), jpeg.subarray(2, sos), comment('before scan'), jpeg.subarray(sos)]);
}

const crcTable = Uint32Array.from({length: 256}, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

/** zlib.crc32 arrived in Node 20.15; fall back to a table-driven CRC-32 on older 20.x. */
function crc32(data: Uint8Array): number {
	if (typeof zlib.crc32 === 'function') return zlib.crc32(data);
	let c = 0xffffffff;
	for (const byte of data) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
	const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([length, body, crc]);
}

type Chunk = {type: string; data: Buffer; raw: Buffer};

function pngChunks(png: Buffer): Chunk[] {
	const chunks: Chunk[] = [];
	for (let p = 8; p < png.length; ) {
		const length = png.readUInt32BE(p);
		chunks.push({type: png.toString('latin1', p + 4, p + 8), data: png.subarray(p + 8, p + 8 + length), raw: png.subarray(p, p + 12 + length)});
		p += 12 + length;
	}
	return chunks;
}

type RiffChunk = {type: string; raw: Buffer};

function webpChunks(webp: Buffer): RiffChunk[] {
	const chunks: RiffChunk[] = [];
	for (let p = 12; p + 8 <= webp.length; ) {
		const size = webp.readUInt32LE(p + 4);
		const padded = size + (size & 1);
		chunks.push({type: webp.toString('latin1', p, p + 4), raw: webp.subarray(p, p + 8 + padded)});
		p += 8 + padded;
	}
	return chunks;
}

function riff(chunks: Buffer[]): Buffer {
	const body = Buffer.concat([Buffer.from('WEBP', 'latin1'), ...chunks]);
	const header = Buffer.from('RIFF\0\0\0\0', 'latin1');
	header.writeUInt32LE(body.length, 4);
	return Buffer.concat([header, body]);
}

test('JPEG: spliced APP1/COM segments do not change the hash', async () => {
	const jpeg = await (await pixels()).jpeg({quality: 85}).toBuffer();
	const tagged = addJpegMetadata(jpeg);
	assert.notDeepEqual(tagged, jpeg);
	const hash = contentHash(jpeg, 'jpeg');
	assert.match(hash ?? '', HEX_DIGEST);
	assert.equal(contentHash(tagged, 'jpeg'), hash);
	// Bytes after EOI (camera trailers, MPF previews) are not part of the primary image.
	assert.equal(contentHash(Buffer.concat([jpeg, Buffer.from('trailer \xff\xd8', 'latin1')]), 'jpeg'), hash);
});

test('JPEG: sharp-written EXIF, progressive scans, and the negative cases', async () => {
	const base = await pixels();
	const plain = await base.clone().jpeg({quality: 85}).toBuffer();
	const withExif = await base.clone().jpeg({quality: 85}).withExif({IFD0: {Copyright: 'x'}}).toBuffer();
	assert.equal(contentHash(withExif, 'jpeg'), contentHash(plain, 'jpeg'));

	const progressive = await base.clone().jpeg({quality: 85, progressive: true}).toBuffer();
	assert.match(contentHash(progressive, 'jpeg') ?? '', HEX_DIGEST);
	assert.equal(contentHash(addJpegMetadata(progressive), 'jpeg'), contentHash(progressive, 'jpeg'));
	assert.notEqual(contentHash(progressive, 'jpeg'), contentHash(plain, 'jpeg'));

	const requality = await base.clone().jpeg({quality: 60}).toBuffer();
	assert.notEqual(contentHash(requality, 'jpeg'), contentHash(plain, 'jpeg'));
	const moved = await (await pixels(3)).jpeg({quality: 85}).toBuffer();
	assert.notEqual(contentHash(moved, 'jpeg'), contentHash(plain, 'jpeg'));

	assert.equal(contentHash(plain.subarray(0, plain.length - 2), 'jpeg'), null, 'no EOI: truncated');
	assert.equal(contentHash(plain.subarray(0, Math.floor(plain.length / 2)), 'jpeg'), null);
});

test('JPEG: scan end is found past byte stuffing, restart markers and fill bytes', () => {
	const sof = segment(0xc0, Buffer.from([8, 0, 8, 0, 8, 1, 1, 0x11, 0]));
	const dqt = segment(0xdb, Buffer.alloc(65));
	const sos = segment(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0]));
	const scan = (last: number) => Buffer.from([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xff, 0xd1, last]);
	const build = (...parts: Buffer[]) => Buffer.concat([Buffer.from([0xff, 0xd8]), ...parts, Buffer.from([0xff, 0xd9])]);

	const a = build(dqt, sof, sos, scan(0x78));
	const b = build(dqt, sof, sos, scan(0x79));
	assert.match(contentHash(a, 'jpeg') ?? '', HEX_DIGEST);
	// The byte after RST1 is still scan data and must count.
	assert.notEqual(contentHash(a, 'jpeg'), contentHash(b, 'jpeg'));
	// Metadata segments between scans (legal anywhere before EOI) are skipped too.
	const twoScans = build(dqt, sof, sos, scan(0x78), segment(0xc4, Buffer.alloc(20)), sos, scan(0x42));
	const twoScansTagged = build(dqt, sof, sos, scan(0x78), comment('between'), segment(0xc4, Buffer.alloc(20)), sos, scan(0x42));
	const twoScansChanged = build(dqt, sof, sos, scan(0x78), segment(0xc4, Buffer.alloc(20)), sos, scan(0x43));
	assert.equal(contentHash(twoScansTagged, 'jpeg'), contentHash(twoScans, 'jpeg'));
	assert.notEqual(contentHash(twoScansChanged, 'jpeg'), contentHash(twoScans, 'jpeg'));
	// Structure without any scan is not an image.
	assert.equal(contentHash(build(dqt, sof), 'jpeg'), null);
});

test('PNG: added tEXt/iTXt/tIME chunks and re-chunked IDAT keep the hash', async () => {
	const png = await (await pixels()).png().toBuffer();
	const chunks = pngChunks(png);
	assert.equal(chunks[0].type, 'IHDR');
	const signature = png.subarray(0, 8);
	const tagged = Buffer.concat([
		signature,
		chunks[0].raw,
		pngChunk('tEXt', Buffer.from('Comment\0curate test', 'latin1')),
		...chunks.slice(1, -1).map((c) => c.raw),
		pngChunk('iTXt', Buffer.from('Title\0\0\0\0\0Ünïcode', 'utf8')),
		pngChunk('tIME', Buffer.from([0x07, 0xe8, 1, 2, 3, 4, 5])),
		chunks.at(-1)!.raw,
	]);
	// The spliced file must still be a valid PNG with the same pixels.
	const decoded = await sharp(tagged).raw().toBuffer();
	assert.deepEqual(decoded, await sharp(png).raw().toBuffer());
	assert.equal(contentHash(tagged, 'png'), contentHash(png, 'png'));

	const idat = Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data));
	const half = Math.floor(idat.length / 2);
	const rechunked = Buffer.concat([
		signature,
		...chunks.filter((c) => c.type !== 'IDAT' && c.type !== 'IEND').map((c) => c.raw),
		pngChunk('IDAT', idat.subarray(0, half)),
		pngChunk('IDAT', idat.subarray(half)),
		chunks.at(-1)!.raw,
	]);
	assert.equal(contentHash(rechunked, 'png'), contentHash(png, 'png'));

	const moved = await (await pixels(3)).png().toBuffer();
	assert.notEqual(contentHash(moved, 'png'), contentHash(png, 'png'));
	assert.equal(contentHash(png.subarray(0, png.length - 12), 'png'), null, 'no IEND: truncated');
});

test('WebP: EXIF and ICC from sharp keep the hash, for lossy and lossless', async () => {
	const base = await pixels();
	for (const options of [{quality: 80}, {lossless: true}]) {
		const plain = await base.clone().webp(options).toBuffer();
		const withExif = await base.clone().webp(options).withExif({IFD0: {Copyright: 'x'}}).toBuffer();
		const withIcc = await base.clone().webp(options).withMetadata().toBuffer();
		// sharp writes the simple format without metadata and VP8X with it: the hash must bridge both.
		assert.equal(plain.toString('latin1', 12, 15), 'VP8');
		assert.equal(withExif.toString('latin1', 12, 16), 'VP8X');
		const hash = contentHash(plain, 'webp');
		assert.match(hash ?? '', HEX_DIGEST);
		assert.equal(contentHash(withExif, 'webp'), hash, JSON.stringify(options));
		assert.equal(contentHash(withIcc, 'webp'), hash, JSON.stringify(options));
	}
	const q50 = await base.clone().webp({quality: 50}).toBuffer();
	const q90 = await base.clone().webp({quality: 90}).toBuffer();
	assert.notEqual(contentHash(q50, 'webp'), contentHash(q90, 'webp'));
	assert.equal(contentHash(q50.subarray(0, q50.length - 10), 'webp'), null);
});

test('AVIF: EXIF written by sharp keeps the hash; other pixels change it', async () => {
	const plain = await (await pixels()).avif({effort: 0}).toBuffer();
	const withExif = await (await pixels()).avif({effort: 0}).withExif({IFD0: {Copyright: 'x'}}).toBuffer();
	const moved = await (await pixels(3)).avif({effort: 0}).toBuffer();
	assert.notDeepEqual(withExif, plain);
	assert.match(contentHash(plain, 'avif') ?? '', HEX_DIGEST);
	assert.equal(contentHash(withExif, 'avif'), contentHash(plain, 'avif'));
	assert.notEqual(contentHash(moved, 'avif'), contentHash(plain, 'avif'));
});

test('unsupported formats and mislabelled input give null', async () => {
	const base = await pixels();
	const png = await base.clone().png().toBuffer();
	for (const format of ['tiff', 'gif', 'bmp', 'cr2', 'dng', 'nef', 'raw', 'mov', 'mp4', 'xmp', 'html', 'text', 'empty', 'unknown'] as Format[]) {
		assert.equal(contentHash(png, format), null, format);
	}
	assert.equal(contentHash(await base.clone().gif().toBuffer(), 'gif'), null);
	assert.equal(contentHash(png, 'jpeg'), null);
	assert.equal(contentHash(png, 'webp'), null);
	assert.equal(contentHash(png, 'heic'), null);
	assert.equal(contentHash(new Uint8Array(0), 'jpeg'), null);
});

test('damaged input never throws', async () => {
	const base = await pixels();
	const samples: Array<[Buffer, Format]> = [
		[await base.clone().jpeg().toBuffer(), 'jpeg'],
		[await base.clone().png().toBuffer(), 'png'],
		[await base.clone().webp().withExif({IFD0: {Copyright: 'x'}}).toBuffer(), 'webp'],
		[await base.clone().avif({effort: 0}).toBuffer(), 'avif'],
	];
	let seed = 7;
	const random = (n: number) => {
		seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
		return seed % n;
	};
	for (const [original, format] of samples) {
		for (let i = 0; i < 150; i++) {
			const damaged = Buffer.from(original.subarray(0, 1 + random(original.length)));
			for (let flips = random(4); flips > 0; flips--) damaged[random(damaged.length)] = random(256);
			const result = contentHash(damaged, format);
			assert.ok(result === null || HEX_DIGEST.test(result), `${format}: ${result}`);
		}
	}
});

test('corpus: EXIF-stripped JPEG has the same scan data; re-encodes differ', {skip: corpusSkip}, () => {
	const original = contentHash(photo('cameras/Nikon_D5000.jpg'), 'jpeg');
	assert.match(original ?? '', HEX_DIGEST);
	// `exiftool -all=` removed APP0/APP1 (EXIF, XMP)/APP2 (ICC) only; DQT, SOF, DHT, SOS and the scan are untouched.
	assert.equal(contentHash(photo('similar/derived/Nikon_D5000_metadata_stripped.jpg'), 'jpeg'), original);
	assert.equal(contentHash(photo('similar/derived/Nikon_D5000_exact_copy.jpg'), 'jpeg'), original);
	for (const derived of ['reencoded_q60', 'resized_50pct', 'grayscale', 'crop6pct', 'rot270_pixels_orient6']) {
		assert.notEqual(contentHash(photo(`similar/derived/Nikon_D5000_${derived}.jpg`), 'jpeg'), original, derived);
	}
	assert.equal(contentHash(photo('similar/Kodak_CLAS_HR200_copy1.jpg'), 'jpeg'), contentHash(photo('similar/Kodak_CLAS_HR200_copy2.jpg'), 'jpeg'));
	assert.equal(contentHash(photo('broken/truncated_canon_rebel_t3i.jpg'), 'jpeg'), null);
	// A corrupted scan (an invalid 0xFF 0x9F inside it) still hashes, up to the real EOI.
	assert.match(contentHash(photo('broken/corrupted_olympus.jpg'), 'jpeg') ?? '', HEX_DIGEST);
});

test('corpus: HEIC pair shares its image items; Exif/XMP differences are ignored', {skip: corpusSkip}, () => {
	const atEof = photo('heic/iPhone11Pro_exif-at-eof.heic');
	const hash = contentHash(atEof, 'heic');
	assert.match(hash ?? '', HEX_DIGEST);
	assert.equal(contentHash(atEof, 'heic'), hash, 'stable across calls');
	// Same photo: the 48 hvc1 tiles, the grid item and ipco are byte-identical; only the Exif item (GPS added, moved
	// to the end of the file) and the XMP item differ. So the pixels tier correctly matches them.
	assert.equal(contentHash(photo('similar/iPhone11Pro_IMG_2927.HEIC'), 'heic'), hash);
	const others = ['heic/iPhone11ProMax_IMG_5195.HEIC', 'heic/iPhone8_IMG_1034.heic', 'heic/Nikon_D5300_Stonehenge.heic', 'heic/samplefilehub.heif'];
	const hashes = others.map((file) => contentHash(photo(file), 'heic'));
	for (const h of hashes) assert.match(h ?? '', HEX_DIGEST);
	assert.equal(new Set([hash, ...hashes]).size, others.length + 1);
	assert.equal(contentHash(photo('broken/truncated_samplefilehub.heif'), 'heic'), null);
	assert.equal(contentHash(photo('broken/fuzzed_heif.heif'), 'heic'), null);
});

test('corpus: WebP with EXIF equals its bitstream in the simple format', {skip: corpusSkip}, () => {
	const extended = photo('similar/derived/Nikon_D5000_as_webp.webp');
	const chunks = webpChunks(extended);
	assert.deepEqual(chunks.map((c) => c.type).filter((t) => t !== 'ICCP'), ['VP8X', 'VP8 ', 'EXIF']);
	const simple = riff(chunks.filter((c) => c.type === 'VP8 ').map((c) => c.raw));
	assert.equal(contentHash(simple, 'webp'), contentHash(extended, 'webp'));
	assert.match(contentHash(photo('formats/webp/animated_lossy.webp'), 'webp') ?? '', HEX_DIGEST);
	assert.match(contentHash(photo('formats/avif/Canon_EOS_70D.avif'), 'avif') ?? '', HEX_DIGEST);
	assert.match(contentHash(photo('formats/png/png_with_exif_chunk.png'), 'png') ?? '', HEX_DIGEST);
});

test('corpus: every HEIF cut short is found truncated; every intact one is not', {skip: corpusSkip}, () => {
	const files: string[] = [];
	const visit = (dir: string) => {
		for (const entry of readdirSync(dir, {withFileTypes: true})) {
			const full = join(dir, entry.name);
			if (entry.isDirectory()) visit(full);
			else if (/\.(heic|heif|hif|avif)$/i.test(entry.name)) files.push(full);
		}
	};
	visit(corpus);
	assert.ok(files.length >= 12, `${files.length} HEIF files`);
	for (const file of files) {
		const bytes = readFileSync(file);
		if (!file.includes('/broken/')) assert.equal(heifTruncation(bytes), undefined, file);
		for (const share of [0.5, 0.9, 0.99]) {
			const cut = bytes.subarray(0, Math.floor(bytes.length * share));
			const reason = heifTruncation(cut);
			// A cut inside the header can leave no meta box to judge by; the decoder reports those itself.
			if (reason !== undefined) assert.match(reason, /^truncated file: /, file);
		}
		if (!file.includes('/broken/')) assert.match(heifTruncation(bytes.subarray(0, bytes.length - 1)) ?? '', /^truncated file: /, `${file} one byte short`);
	}
});
