import {test} from 'node:test';
import assert from 'node:assert/strict';
import {closeSync, existsSync, openSync, readdirSync, readSync} from 'node:fs';
import {extname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import sharp from 'sharp';
import {SNIFF_BYTES, sniffFormat} from '../../source/media/sniff.js';

const corpus = fileURLToPath(new URL('../../../shared/photos', import.meta.url));
const corpusSkip = existsSync(corpus) ? false : 'real-photo corpus ../shared/photos not present';

/** Sniff a corpus file the way the scanner does: first 4 KiB plus its real extension (unless overridden). */
function sniffCorpus(relative: string, extension = extname(relative)) {
	const fd = openSync(join(corpus, relative), 'r');
	try {
		const head = Buffer.alloc(SNIFF_BYTES);
		const read = readSync(fd, head, 0, SNIFF_BYTES, 0);
		return sniffFormat(head.subarray(0, read), extension);
	} finally {
		closeSync(fd);
	}
}

function bytes(...parts: Array<string | number[]>): Uint8Array {
	const out: number[] = [];
	for (const part of parts) {
		if (typeof part === 'string') for (const c of part) out.push(c.charCodeAt(0));
		else out.push(...part);
	}
	return Uint8Array.from(out);
}

/** An ISOBMFF head: an ftyp box with the given major and compatible brands, then a stub box. */
function ftyp(major: string, ...compatible: string[]): Uint8Array {
	const size = 16 + 4 * compatible.length;
	return bytes([0, 0, 0, size], 'ftyp', major, [0, 0, 0, 0], ...compatible, [0, 0, 0, 8], 'free');
}

/** A little-endian TIFF whose IFD0 holds the given tags (SHORT type, value 1). */
function tiffWithTags(tags: number[]): Uint8Array {
	const buf = Buffer.alloc(8 + 2 + tags.length * 12 + 4);
	buf.write('II*\0', 0, 'latin1');
	buf.writeUInt32LE(8, 4);
	buf.writeUInt16LE(tags.length, 8);
	tags.forEach((tag, i) => {
		const entry = 10 + i * 12;
		buf.writeUInt16LE(tag, entry);
		buf.writeUInt16LE(3, entry + 2);
		buf.writeUInt32LE(1, entry + 4);
		buf.writeUInt16LE(1, entry + 8);
	});
	return buf;
}

function scene(): sharp.Sharp {
	const svg = '<svg width="64" height="48"><rect x="4" y="4" width="30" height="20" fill="#c33"/><circle cx="44" cy="30" r="12" fill="#33c"/></svg>';
	return sharp({create: {width: 64, height: 48, channels: 3, background: '#8a8'}}).composite([{input: Buffer.from(svg)}]);
}

test('empty input is empty/other', () => {
	assert.deepEqual(sniffFormat(new Uint8Array(0)), {format: 'empty', kind: 'other'});
	assert.deepEqual(sniffFormat(new Uint8Array(0), '.jpg'), {format: 'empty', kind: 'other'});
});

test('images encoded by sharp are recognised by content', async () => {
	const image = scene();
	const cases: Array<[Promise<Buffer>, string]> = [
		[image.clone().jpeg().toBuffer(), 'jpeg'],
		[image.clone().png().toBuffer(), 'png'],
		[image.clone().gif().toBuffer(), 'gif'],
		[image.clone().webp().toBuffer(), 'webp'],
		[image.clone().tiff().toBuffer(), 'tiff'],
		[image.clone().avif({effort: 0}).toBuffer(), 'avif'],
	];
	for (const [encoded, format] of cases) {
		assert.deepEqual(sniffFormat((await encoded).subarray(0, SNIFF_BYTES)), {format, kind: 'image'}, format);
	}
});

test('clear magic bytes win over a misleading extension', async () => {
	const image = scene();
	const png = await image.clone().png().toBuffer();
	const jpeg = await image.clone().jpeg().toBuffer();
	assert.equal(sniffFormat(png, '.jpg').format, 'png');
	assert.equal(sniffFormat(jpeg, '.nef').format, 'jpeg');
	assert.equal(sniffFormat(jpeg, 'DNG').format, 'jpeg');
	assert.equal(sniffFormat(png, '.xmp').format, 'png');
});

test('ISOBMFF brands: HEIC, AVIF, CR3, MOV, MP4', () => {
	assert.deepEqual(sniffFormat(ftyp('heic', 'mif1', 'heic')), {format: 'heic', kind: 'image'});
	assert.deepEqual(sniffFormat(ftyp('mif1', 'mif1', 'heic')), {format: 'heic', kind: 'image'});
	assert.deepEqual(sniffFormat(ftyp('msf1', 'msf1', 'hevc')), {format: 'heic', kind: 'image'});
	// A bare HEIF with only the structural brand is still a HEIF image.
	assert.deepEqual(sniffFormat(ftyp('mif1', 'mif1')), {format: 'heic', kind: 'image'});
	assert.deepEqual(sniffFormat(ftyp('avif', 'avif', 'mif1', 'miaf')), {format: 'avif', kind: 'image'});
	assert.deepEqual(sniffFormat(ftyp('avis', 'avis', 'msf1')), {format: 'avif', kind: 'image'});
	// Generic major brand: the codec brand among the compatibles decides.
	assert.deepEqual(sniffFormat(ftyp('mif1', 'mif1', 'miaf', 'avif')), {format: 'avif', kind: 'image'});
	assert.deepEqual(sniffFormat(ftyp('mif1', 'mif1', 'avif', 'heic')), {format: 'heic', kind: 'image'});
	assert.deepEqual(sniffFormat(ftyp('crx ', 'crx ', 'isom')), {format: 'cr3', kind: 'raw'});
	assert.deepEqual(sniffFormat(ftyp('qt  ', 'qt  ')), {format: 'mov', kind: 'video'});
	for (const brand of ['isom', 'iso2', 'mp41', 'mp42', 'M4V ', 'avc1', '3gp4', '3gp5', '3g2a']) {
		assert.deepEqual(sniffFormat(ftyp(brand, 'isom')), {format: 'mp4', kind: 'video'}, brand);
	}
	assert.deepEqual(sniffFormat(ftyp('zzzz', 'yyyy')), {format: 'unknown', kind: 'other'});
	// QuickTime movies from before ftyp existed start with a movie atom.
	assert.deepEqual(sniffFormat(bytes([0, 0, 0, 8], 'wide', [0, 0, 0, 16], 'mdat')), {format: 'mov', kind: 'video'});
});

test('TIFF-based raws: signatures first, then DNGVersion, then the extension', async () => {
	const tiff = await scene().tiff().toBuffer();
	assert.deepEqual(sniffFormat(tiff), {format: 'tiff', kind: 'image'});
	assert.deepEqual(sniffFormat(tiff, '.tif'), {format: 'tiff', kind: 'image'});
	assert.deepEqual(sniffFormat(tiff, '.jpg'), {format: 'tiff', kind: 'image'});
	assert.deepEqual(sniffFormat(tiff, '.NEF'), {format: 'nef', kind: 'raw'});
	assert.deepEqual(sniffFormat(tiff, 'arw'), {format: 'arw', kind: 'raw'});
	assert.deepEqual(sniffFormat(tiff, '.dng'), {format: 'dng', kind: 'raw'});
	for (const extension of ['.pef', '.srw', '.nrw', '.3fr', '.erf']) {
		assert.deepEqual(sniffFormat(tiff, extension), {format: 'raw', kind: 'raw'}, extension);
	}
	assert.deepEqual(sniffFormat(tiffWithTags([0x100, 0x101, 0xc612]), '.tif'), {format: 'dng', kind: 'raw'});
	assert.deepEqual(sniffFormat(tiffWithTags([0x100, 0x101, 0x8769])), {format: 'tiff', kind: 'image'});
	assert.deepEqual(sniffFormat(bytes('II*\0', [0x10, 0, 0, 0], 'CR', [2, 0])), {format: 'cr2', kind: 'raw'});
	assert.deepEqual(sniffFormat(bytes('IIRO', [8, 0, 0, 0])), {format: 'orf', kind: 'raw'});
	assert.deepEqual(sniffFormat(bytes('MMOR', [0, 0, 0, 8])), {format: 'orf', kind: 'raw'});
	assert.deepEqual(sniffFormat(bytes('IIU\0', [8, 0, 0, 0]), '.tif'), {format: 'rw2', kind: 'raw'});
	assert.deepEqual(sniffFormat(bytes('FUJIFILMCCD-RAW 0201FF383501')), {format: 'raf', kind: 'raw'});
});

test('BMP needs a plausible DIB header, not just "BM"', () => {
	const header = Buffer.alloc(54);
	header.write('BM', 0, 'latin1');
	header.writeUInt32LE(54, 2);
	header.writeUInt32LE(54, 10);
	header.writeUInt32LE(40, 14);
	assert.deepEqual(sniffFormat(header), {format: 'bmp', kind: 'image'});
	assert.deepEqual(sniffFormat(bytes('BMW is a car maker.\n')), {format: 'text', kind: 'other'});
});

test('XMP sidecars, HTML and text', () => {
	assert.deepEqual(sniffFormat(bytes('<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">')), {format: 'xmp', kind: 'sidecar'});
	assert.deepEqual(sniffFormat(bytes('<x:xmpmeta xmlns:x="adobe:ns:meta/"></x:xmpmeta>'), '.xmp'), {format: 'xmp', kind: 'sidecar'});
	assert.deepEqual(sniffFormat(bytes('<?xml version="1.0"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/"/>')), {format: 'xmp', kind: 'sidecar'});
	assert.deepEqual(sniffFormat(bytes([0xef, 0xbb, 0xbf], ' \r\n\t<!DOCTYPE HTML PUBLIC>'), '.jpg'), {format: 'html', kind: 'other'});
	assert.deepEqual(sniffFormat(bytes('\n  <HTML><body>403</body></HTML>')), {format: 'html', kind: 'other'});
	assert.deepEqual(sniffFormat(bytes('<?xml version="1.0"?><svg/>')), {format: 'text', kind: 'other'});
	assert.deepEqual(sniffFormat(bytes('just some notes\n')), {format: 'text', kind: 'other'});
	// UTF-8 text whose last character is cut off by the 4 KiB head is still text.
	const utf8 = Buffer.from('Grüße aus Köln — 東京 '.repeat(200));
	assert.deepEqual(sniffFormat(utf8.subarray(0, utf8.indexOf('東', 4000) + 1)), {format: 'text', kind: 'other'});
});

test('binary without a known signature is unknown', () => {
	let seed = 42;
	const noise = Uint8Array.from({length: SNIFF_BYTES}, () => {
		seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
		return seed >>> 24;
	});
	assert.deepEqual(sniffFormat(noise, '.jpg'), {format: 'unknown', kind: 'other'});
	assert.deepEqual(sniffFormat(bytes([0, 1, 2, 3, 0, 0, 0, 0])), {format: 'unknown', kind: 'other'});
	// A single byte of a signature is not enough.
	assert.deepEqual(sniffFormat(bytes([0xff])), {format: 'unknown', kind: 'other'});
});

test('corpus: misnamed and broken files', {skip: corpusSkip}, () => {
	assert.deepEqual(sniffCorpus('broken/png_with_jpg_extension.jpg'), {format: 'png', kind: 'image'});
	assert.deepEqual(sniffCorpus('broken/jpeg_with_nef_extension.nef'), {format: 'jpeg', kind: 'image'});
	assert.deepEqual(sniffCorpus('broken/html_error_page_saved_as.jpeg'), {format: 'html', kind: 'other'});
	assert.deepEqual(sniffCorpus('broken/text_file_named.jpg'), {format: 'text', kind: 'other'});
	assert.deepEqual(sniffCorpus('broken/zero_bytes.jpg'), {format: 'empty', kind: 'other'});
	assert.deepEqual(sniffCorpus('broken/truncated_raw.rw2'), {format: 'rw2', kind: 'raw'});
	assert.deepEqual(sniffCorpus('broken/truncated_samplefilehub.heif'), {format: 'heic', kind: 'image'});
	assert.deepEqual(sniffCorpus('broken/truncated_canon_rebel_t3i.jpg'), {format: 'jpeg', kind: 'image'});
});

test('corpus: every file in heic/ is HEIC, whatever its extension case', {skip: corpusSkip}, () => {
	const files = readdirSync(join(corpus, 'heic'));
	assert.ok(files.length >= 5);
	for (const file of [...files.map((f) => `heic/${f}`), 'similar/iPhone11Pro_IMG_2927.HEIC']) {
		assert.deepEqual(sniffCorpus(file), {format: 'heic', kind: 'image'}, file);
	}
});

test('corpus: AVIF, raws, TIFF, GIF, WebP, PNG', {skip: corpusSkip}, () => {
	for (const file of readdirSync(join(corpus, 'formats/avif'))) {
		assert.deepEqual(sniffCorpus(`formats/avif/${file}`), {format: 'avif', kind: 'image'}, file);
	}
	assert.deepEqual(sniffCorpus('formats/raw/exiftool_DNG.dng'), {format: 'dng', kind: 'raw'});
	// DNGVersion is found in IFD0 even when the name says otherwise.
	assert.deepEqual(sniffCorpus('formats/raw/exiftool_DNG.dng', '.tif'), {format: 'dng', kind: 'raw'});
	assert.deepEqual(sniffCorpus('formats/raw/iPhone12Pro_ProRAW_stub.dng', ''), {format: 'dng', kind: 'raw'});
	assert.deepEqual(sniffCorpus('formats/raw/exiftool_CanonRaw.cr2'), {format: 'cr2', kind: 'raw'});
	assert.deepEqual(sniffCorpus('formats/raw/exiftool_CanonRaw.cr2', '.jpg'), {format: 'cr2', kind: 'raw'});
	assert.deepEqual(sniffCorpus('formats/raw/exiftool_Nikon.nef'), {format: 'nef', kind: 'raw'});
	// A NEF is an ordinary TIFF container: without its extension nothing marks it as raw.
	assert.deepEqual(sniffCorpus('formats/raw/exiftool_Nikon.nef', ''), {format: 'tiff', kind: 'image'});
	for (const file of readdirSync(join(corpus, 'formats/tiff'))) {
		assert.deepEqual(sniffCorpus(`formats/tiff/${file}`), {format: 'tiff', kind: 'image'}, file);
	}
	for (const [dir, format] of [['formats/gif', 'gif'], ['formats/webp', 'webp'], ['formats/png', 'png']] as const) {
		for (const file of readdirSync(join(corpus, dir))) {
			assert.deepEqual(sniffCorpus(`${dir}/${file}`), {format, kind: 'image'}, file);
		}
	}
});

test('corpus: every camera JPEG is JPEG', {skip: corpusSkip}, () => {
	for (const dir of ['cameras', 'exif-makers', 'gps', 'orientation']) {
		for (const file of readdirSync(join(corpus, dir))) {
			assert.deepEqual(sniffCorpus(`${dir}/${file}`), {format: 'jpeg', kind: 'image'}, file);
		}
	}
});
