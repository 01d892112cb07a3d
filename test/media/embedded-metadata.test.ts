import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {after, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import {endExiftool, exiftool, metadataFromTags, wantedTags} from '../../source/adapters/exif.js';
import {readEmbeddedMetadata} from '../../source/media/embedded-metadata.js';
import type {PhotoMetadata} from '../../source/core/types.js';

const repo = path.resolve(import.meta.dirname, '../..');
const corpus = path.resolve(repo, '../shared/photos');
const sampleLibrary = path.join(repo, 'media-fixtures/sample-library');
const imageFile = /\.(jpe?g|png|webp|tiff?|avif)$/i;
const readArgs = ['-fast', '-json', '-charset', 'filename=utf8', ...wantedTags.map(tag => `-${tag}`)];

type Field = Exclude<keyof PhotoMetadata, 'width' | 'height' | 'durationSeconds'>;
const fields: Field[] = [
	'takenAt', 'takenAtSource', 'orientation', 'make', 'model', 'lens', 'gps', 'keywords', 'rating', 'title', 'description',
	'software', 'livePhotoId', 'burstId',
];

/**
 * Corpus files where exiftool legitimately reads more than the blocks sharp exposes. Keyed by path relative to the
 * corpus; only the listed fields are skipped, every other field is still compared.
 */
const knownExceptions: Record<string, {fields: Field[]; reason: string}> = {};
const makerLens = 'lens comes from exiftool\'s LensID/Lens composites, computed from maker-note lens tables';
for (const file of [
	'cameras/Canon_EOS_7D.jpg', 'cameras/Canon_PowerShot_A85.jpg', 'cameras/Nikon_D5000.jpg', 'cameras/Pentax_ist_D.jpg',
	'exif-makers/Canon_DIGITAL_IXUS_400.jpg', 'exif-makers/Canon_PowerShot_S40.jpg', 'similar/canon_hdr_NO.jpg',
	'similar/canon_hdr_YES.jpg', 'similar/derived/Nikon_D5000_crop6pct.jpg', 'similar/derived/Nikon_D5000_exact_copy.jpg',
	'similar/derived/Nikon_D5000_grayscale.jpg', 'similar/derived/Nikon_D5000_reencoded_q60.jpg',
	'similar/derived/Nikon_D5000_resized_50pct.jpg', 'similar/derived/Nikon_D5000_rot270_pixels_orient6.jpg',
	'similar/derived/Nikon_D5000_rotated90cw_no_tag.jpg', 'similar/derived/Nikon_D5000_white_border40.jpg',
]) {
	knownExceptions[file] = {fields: ['lens'], reason: makerLens};
}

const makerLensModel = 'exiftool\'s LensModel/Lens here is a maker-note tag (Canon 0x0095, Olympus Equipment, Nikon Lens), not EXIF 0xA434';
for (const file of [
	'broken/truncated_canon_rebel_t3i.jpg', 'cameras/Canon_EOS_REBEL_T3i.jpg', 'cameras/Olympus_PEN_E-P3.jpg',
	'exif-makers/Nikon_D300_lens_data.jpeg', 'exif-makers/Nikon_D70.jpg',
]) {
	knownExceptions[file] = {fields: ['lens'], reason: makerLensModel};
}

Object.assign(knownExceptions, {
	'broken/html_error_page_saved_as.jpeg': {fields: ['title'], reason: 'an HTML page: exiftool reads its <title>, sharp cannot open it'},
	'cameras/FLIR_iPhone_device.jpg': {fields: ['takenAt', 'takenAtSource', 'gps'], reason: 'capture date and GPS live only in FLIR\'s own APP1 segment'},
	'formats/png/png_with_exif_chunk.png': {fields: ['takenAt', 'takenAtSource', 'description', 'software'], reason: 'sharp does not expose this PNG\'s eXIf chunk'},
	'similar/derived/Nikon_D5000_as_png.png': {fields: ['takenAt', 'takenAtSource', 'orientation', 'make', 'model', 'software'], reason: 'EXIF as a PNG "Raw profile type exif" text chunk, which sharp does not expose'},
	'formats/png/tree_rgba_640x513.png': {fields: ['keywords'], reason: 'IPTC in a PNG "Raw profile type iptc" text chunk, which sharp does not expose'},
	'formats/tiff/BSG1.tiff': {fields: ['orientation'], reason: 'TIFF: the tags live in the image\'s own IFD0, sharp returns no exif block'},
	'formats/tiff/Crémieux11.tiff': {fields: ['takenAt', 'takenAtSource', 'orientation', 'software'], reason: 'TIFF: IFD0 tags, sharp returns no exif block'},
	'formats/tiff/Epson_PerfectionV800_scan.tiff': {fields: ['orientation', 'make', 'model', 'software'], reason: 'TIFF: IFD0 tags, sharp returns no exif block'},
});

function listImages(root: string): string[] {
	return (fs.readdirSync(root, {recursive: true}) as string[])
		.filter(name => imageFile.test(name) && fs.statSync(path.join(root, name)).isFile())
		.sort()
		.map(name => path.join(root, name));
}

async function embeddedParts(file: string): Promise<{exif?: Buffer; xmp?: Buffer; iptc?: Buffer}> {
	try {
		const {exif, xmp, iptc} = await sharp(file).metadata();
		return {...(exif ? {exif} : {}), ...(xmp ? {xmp} : {}), ...(iptc ? {iptc} : {})};
	} catch {
		// Files sharp cannot open still go through the scanner's metadata step: it then sees no blocks at all.
		return {};
	}
}

function compare(actual: PhotoMetadata, expected: PhotoMetadata, skip: Field[], label: string): void {
	for (const field of fields) {
		if (skip.includes(field)) {
			continue;
		}

		if (field === 'gps' && actual.gps && expected.gps) {
			assert.ok(Math.abs(actual.gps.lat - expected.gps.lat) < 1e-6, `${label}: gps.lat ${actual.gps.lat} vs ${expected.gps.lat}`);
			assert.ok(Math.abs(actual.gps.lon - expected.gps.lon) < 1e-6, `${label}: gps.lon ${actual.gps.lon} vs ${expected.gps.lon}`);
			assert.equal(actual.gps.alt === undefined, expected.gps.alt === undefined, `${label}: gps.alt presence`);
			if (actual.gps.alt !== undefined && expected.gps.alt !== undefined) {
				assert.ok(Math.abs(actual.gps.alt - expected.gps.alt) < 1e-6, `${label}: gps.alt ${actual.gps.alt} vs ${expected.gps.alt}`);
			}

			continue;
		}

		assert.deepEqual(actual[field], expected[field], `${label}: ${field}`);
	}
}

const timings = {ours: 0, exiftool: 0, files: 0};

function corpusSuite(name: string, root: string, exceptions: Record<string, {fields: Field[]; reason: string}>): void {
	describe(name, () => {
		for (const file of listImages(root)) {
			const relative = path.relative(root, file).split(path.sep).join('/');
			test(relative, async () => {
				const parts = await embeddedParts(file);
				let start = performance.now();
				const ours = readEmbeddedMetadata(parts);
				const oursMs = performance.now() - start;
				start = performance.now();
				const raw = await exiftool().readRaw(file, readArgs);
				const exiftoolMs = performance.now() - start;
				if (/\.jpe?g$/i.test(file)) {
					timings.ours += oursMs;
					timings.exiftool += exiftoolMs;
					timings.files++;
				}

				const expected = metadataFromTags(raw as Record<string, unknown>);
				compare(ours, expected, exceptions[relative]?.fields ?? [], relative);
			});
		}
	});
}

after(async () => {
	await endExiftool();
	if (timings.files > 0) {
		// A printout, not an assertion: timings depend on the machine. The exiftool figure is wall time per call
		// through the shared stay_open process, i.e. what the scanner pays today.
		console.log(`embedded-metadata: ${timings.files} JPEGs, ours ${(timings.ours / timings.files).toFixed(3)} ms/file, exiftool readRaw ${(timings.exiftool / timings.files).toFixed(3)} ms/file`);
	}
});

describe('readEmbeddedMetadata', () => {
	test('never throws on garbage and returns empty metadata', () => {
		const junk = Buffer.from('Exif\0\0MM\0*\0\0\0\bffffffffffffffff', 'latin1');
		for (const parts of [{}, {exif: junk}, {exif: Buffer.alloc(3)}, {xmp: Buffer.from('<x:xmpmeta')}, {iptc: Buffer.from('8BIM\u0004\u0004\0\0\0\0\u00ff\u00ff', 'latin1')}]) {
			const metadata = readEmbeddedMetadata(parts);
			assert.deepEqual(metadata.keywords, []);
			assert.equal(metadata.takenAt, undefined);
		}
	});

	test('survives an IFD that points at itself', () => {
		// Little-endian TIFF: IFD0 at 8 with one entry, ExifIFD pointer (0x8769) back to offset 8.
		const tiff = Buffer.alloc(26);
		tiff.write('II*\0', 0, 'latin1');
		tiff.writeUInt32LE(8, 4);
		tiff.writeUInt16LE(1, 8);
		tiff.writeUInt16LE(0x87_69, 10);
		tiff.writeUInt16LE(4, 12);
		tiff.writeUInt32LE(1, 14);
		tiff.writeUInt32LE(8, 18);
		assert.deepEqual(readEmbeddedMetadata({exif: tiff}).keywords, []);
	});
});

if (fs.existsSync(corpus)) {
	corpusSuite('real-photo corpus', corpus, knownExceptions);
} else {
	test('real-photo corpus', {skip: 'real-photo corpus ../shared/photos not present'}, () => {});
}

if (!fs.existsSync(sampleLibrary) && fs.existsSync(path.join(repo, 'media-fixtures/build.mjs'))) {
	try {
		execFileSync(process.execPath, [path.join(repo, 'media-fixtures/build.mjs')], {cwd: repo, stdio: 'ignore'});
	} catch {}
}

if (fs.existsSync(sampleLibrary)) {
	corpusSuite('sample library', sampleLibrary, {
		'broken/download.jpg': {fields: ['title'], reason: 'an HTML error page: exiftool reads its <title>, sharp cannot open it'},
	});
}
