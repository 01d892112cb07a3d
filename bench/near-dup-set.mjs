#!/usr/bin/env node
/**
 * Builds a labelled near-duplicate set, to measure the pairwise precision/recall of Curate's duplicate detector per
 * transformation kind.
 *
 *   node bench/near-dup-set.mjs OUTDIR [--corpus DIR] [--max-sources N]
 *
 * OUTDIR/originals/   one upright JPEG per source photo (the sample library's camera originals, plus real photos
 *                     from the corpus when --corpus is given)
 * OUTDIR/variants/<kind>/   one edited/re-encoded copy of every original per kind (see VARIANT_KINDS)
 * OUTDIR/negatives/<kind>/  hard negatives: look-alikes that must NOT be matched (burst neighbours, the consecutive
 *                     shots of one walk, an HDR on/off pair)
 * OUTDIR/labels.json  {files: [{path, group, kind, source, negativeOf?, half}], kinds}; two files are a true duplicate
 *                     pair iff they share `group`. `half` ('tune' or 'test', from a hash of the source's name) splits the
 *                     set: thresholds are tuned on one half and reported on the other.
 *
 * Every parameter is fixed and all randomness is seeded, so a rebuild on the same sharp/libvips build (and fonts)
 * gives the same bytes and the same labels, and benchmark numbers stay comparable between runs.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import sharp from 'sharp';
import {ExifTool} from 'exiftool-vendored';
import {buildSampleLibrary} from '../media-fixtures/build.mjs';

const GENERATOR = 'curate/bench/near-dup-set.mjs';
const LABELS_VERSION = 2;

// Sources are shrunk to this long side before any variant is made. 40 sources times ~20 files each (one of them a
// lossless PNG, ~0.6 MB even at 640 px) came to 108 MB at 1024 px and 47 MB at 640 px; 576 px keeps the default set
// with the corpus under the 40 MB budget, and duplicate detectors work on far smaller thumbnails anyway.
const MAX_LONG_SIDE = 576;
// Every usable source of the corpus by the rule in corpusSources (issue 15: 40 left 20 of them unused).
const DEFAULT_MAX_SOURCES = 80;
// Originals at q90 (a camera's quality). Edited variants (rotate, crop, colour, border, watermark) at q80: still far
// below visible JPEG loss, so the edit stays the dominant difference, and ~20% smaller files than q85 for the budget.
const ORIGINAL_QUALITY = 90;
const EDIT_QUALITY = 80;
// Sources processed at once: two overlaps sharp's encoders with exiftool and file I/O on a 2-core machine without
// holding many decoded frames in memory.
const PARALLEL_SOURCES = 2;
// Corpus images narrower than this are maker-note thumbnails (100 px): too small to make meaningful variants.
const MIN_CORPUS_WIDTH = 400;
// Below this per-channel standard deviation a source is a blank frame, not a photo.
const MIN_STDEV = 4;
// Sources that get two burst-neighbour negatives each.
const BURST_SOURCES = 8;
// Sources that get each of the look-alike negatives of issue 15 (moved subject, stereo pair, viewpoint, wide halves).
const LOOKALIKE_SOURCES = 10;
// Fixed, innocuous camera tags on every original, so the `strip` variant really removes something.
const ORIGINAL_EXIF = {IFD0: {Make: 'Curate', Model: 'near-dup-set', Software: GENERATOR}};

/** Variant kinds, in the order they appear in labels.json `kinds` (after 'original'). */
export const VARIANT_KINDS = [
	'resize50',
	'recompress',
	'png',
	'webp',
	'avif',
	'strip',
	'rotate90',
	'exif-rotate',
	'crop5',
	'crop10',
	'brightness',
	'contrast',
	'saturation',
	'grey',
	'border',
	'watermark',
	'combined',
	// Issue 15: uneven crops (3-8 % per axis, split at random between opposite edges, all from one edge included),
	// the same shared through a messenger (shrunk, recompressed), and small overlays burned into a corner.
	'crop-uneven',
	'crop-shared',
	'overlay',
];
export const NEGATIVE_KINDS = ['burst', 'sequence', 'hdr-pair', 'moved-subject', 'stereo', 'viewpoint', 'wide-halves'];

/**
 * Which half of the evaluation a source belongs to: thresholds are tuned on 'tune' and reported on 'test'. Decided by
 * a hash of the source's name, so nobody chose which photos are tested.
 */
export function halfOf(label) {
	return crypto.createHash('sha256').update(label).digest()[0] % 2 === 0 ? 'tune' : 'test';
}

const EXTENSION = {png: 'png', webp: 'webp', avif: 'avif'};

// ---------------------------------------------------------------------------------------------------------------
// Seeded randomness (mulberry32): Math.random would give a different burst layout, and different labels, every run.

function prng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

const between = (rand, min, max) => min + rand() * (max - min);

// ---------------------------------------------------------------------------------------------------------------
// Sources

/** A file-name-safe, ASCII-only stem: corpus names have spaces, parentheses and '*', sample ones accents. */
function slug(text) {
	return text
		.normalize('NFKD')
		.replaceAll(/[\u0300-\u036F]/g, '')
		.replace(/\.[^.]+$/, '')
		.replaceAll(/[^\w-]+/g, '_')
		.replaceAll(/^_+|_+$/g, '');
}

/** Files of one corpus folder, sorted by name so the selection does not depend on readdir order. */
function corpusFiles(corpusDir, folder, filter = () => true) {
	const dir = path.join(corpusDir, folder);
	if (!fs.existsSync(dir)) {
		return [];
	}

	return fs
		.readdirSync(dir, {withFileTypes: true})
		.filter(entry => entry.isFile() && /\.(jpe?g|png|webp|tiff?)$/i.test(entry.name) && filter(entry.name))
		.map(entry => entry.name)
		.sort()
		.map(name => ({file: path.join(dir, name), label: `${folder}/${name}`}));
}

/** Interleaves lists (a1, b1, c1, a2, b2, ...): a capped selection then samples every folder, not just the first. */
function roundRobin(lists) {
	const out = [];
	for (let i = 0; lists.some(list => i < list.length); i++) {
		for (const list of lists) {
			if (i < list.length) {
				out.push(list[i]);
			}
		}
	}

	return out;
}

const isWalkShot = name => /^DSCN\d+\.jpe?g$/i.test(name);

/** Candidate source photos from the corpus, in a fixed order. */
async function corpusSources(corpusDir) {
	const cameras = corpusFiles(corpusDir, 'cameras');
	// exif-makers/ is mostly 100 px maker-note thumbnails; only the real-size photos make useful sources.
	const makers = [];
	for (const candidate of corpusFiles(corpusDir, 'exif-makers')) {
		const {width = 0} = await sharp(candidate.file).metadata().catch(() => ({}));
		if (width >= MIN_CORPUS_WIDTH) {
			makers.push(candidate);
		}
	}

	// The DSCN* walk shots are used as 'sequence' negatives instead: as sources they would also get variants, and a
	// file cannot be both a labelled original and a negative.
	const gps = corpusFiles(corpusDir, 'gps', name => !isWalkShot(name));
	// Issue 15's new sources, by rule: every still photo of the corpus's format folders (TIFF, AVIF, WebP, PNG) that is
	// a photo of its own. Left out: animations (not stills), the GIFs and the lossless-alpha WebP (made from gps/ shots
	// or graphics), orientation/ (one picture 18 times) and similar/ (known duplicates of other sources).
	const formats = ['tiff', 'avif', 'webp', 'png'].flatMap(folder => corpusFiles(corpusDir, `formats/${folder}`, name => !/animated|alpha/i.test(name)));
	return [...roundRobin([cameras, makers, gps]), ...formats];
}

/**
 * Decodes a source upright (EXIF orientation applied), shrinks it to MAX_LONG_SIDE and returns raw RGB pixels.
 * failOn 'truncated' rather than the default: several real camera files carry harmless libjpeg warnings.
 */
async function decodeUpright(file) {
	const {data, info} = await sharp(file, {failOn: 'truncated'})
		.rotate()
		.resize({width: MAX_LONG_SIDE, height: MAX_LONG_SIDE, fit: 'inside', withoutEnlargement: true})
		// Grey or CMYK sources become RGB, and alpha is dropped, so every variant pipeline sees the same layout.
		.toColourspace('srgb')
		.removeAlpha()
		.raw()
		.toBuffer({resolveWithObject: true});
	const pixels = {data, width: info.width, height: info.height, channels: info.channels};
	// A blank frame (e.g. a phone test shot of nothing) makes every variant, and any other blank, "identical":
	// it would test nothing but add spurious true pairs.
	const {channels} = await rawInput(pixels).stats();
	if (Math.max(...channels.map(channel => channel.stdev)) < MIN_STDEV) {
		throw new Error(`nearly uniform pixels (channel stdev < ${MIN_STDEV})`);
	}

	return pixels;
}

const rawInput = ({data, width, height, channels}) => sharp(data, {raw: {width, height, channels}});

// ---------------------------------------------------------------------------------------------------------------
// Variants. Each takes the decoded original (the pixels of the JPEG in originals/) and returns the new file's bytes.

const centreCrop = (pixels, fraction) => {
	const width = Math.round(pixels.width * fraction);
	const height = Math.round(pixels.height * fraction);
	return {left: Math.floor((pixels.width - width) / 2), top: Math.floor((pixels.height - height) / 2), width, height};
};

function watermarkSvg(width, height) {
	// textLength pins the mark to ~15% of the width whatever font fontconfig picks, so its size is deterministic.
	const textWidth = Math.round(width * 0.15);
	const fontSize = Math.max(8, Math.round(textWidth / 7.5));
	const margin = Math.round(width * 0.02);
	return Buffer.from(
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">`
		+ `<text x="${width - margin - textWidth}" y="${height - margin}" textLength="${textWidth}" lengthAdjust="spacingAndGlyphs" `
		+ `font-family="DejaVu Sans, Verdana, sans-serif" font-size="${fontSize}" fill="#ffffff" fill-opacity="0.75" `
		+ `stroke="#000000" stroke-opacity="0.5" stroke-width="1">© 2024 example</text></svg>`,
	);
}

async function makeVariant(kind, pixels, originalJpeg, seed = 0) {
	const image = () => rawInput(pixels);
	const edited = pipeline => pipeline.jpeg({quality: EDIT_QUALITY}).toBuffer();
	switch (kind) {
		case 'resize50': {
			return image().resize(Math.round(pixels.width / 2)).jpeg({quality: 85}).toBuffer();
		}

		case 'recompress': {
			return image().jpeg({quality: 55}).toBuffer();
		}

		case 'png': {
			// Adaptive filtering: ~30% smaller than without on photos; at level 6 it is 3x faster than level 9 for
			// the same size within 2%.
			return image().png({compressionLevel: 6, adaptiveFiltering: true}).toBuffer();
		}

		case 'webp': {
			return image().webp({quality: 80}).toBuffer();
		}

		case 'avif': {
			// effort 1 instead of the default 4: same quality setting and artefact type, but libaom at effort 4 took
			// ~1.9 s per 640 px image here (77 s for 40 sources), against 0.23 s at effort 2 and 0.05 s at effort 0.
			return image().avif({quality: 50, effort: 1}).toBuffer();
		}

		case 'strip': {
			// The original's bytes; the caller then removes all metadata with exiftool, which leaves the entropy-coded
			// scan data untouched: pixel-identical, only the bytes (and so the file hash) differ.
			return originalJpeg;
		}

		case 'rotate90': {
			// Rotated pixels and no Orientation tag: displays sideways, like a "fixed" export from an old app.
			return edited(image().rotate(90));
		}

		case 'exif-rotate': {
			// Stored rotated 270 degrees; the caller tags Orientation=6 (rotate 90 CW to display): shows upright.
			return edited(image().rotate(270));
		}

		case 'crop5': {
			return edited(image().extract(centreCrop(pixels, 0.95)));
		}

		case 'crop10': {
			return edited(image().extract(centreCrop(pixels, 0.9)));
		}

		case 'brightness': {
			return edited(image().modulate({brightness: 1.12}));
		}

		case 'contrast': {
			return edited(image().linear(1.15, -10));
		}

		case 'saturation': {
			return edited(image().modulate({saturation: 1.3}));
		}

		case 'grey': {
			// A true one-channel JPEG, as converters write it: readers that assume three channels must cope.
			return edited(image().greyscale().toColourspace('b-w'));
		}

		case 'border': {
			const pad = Math.round(pixels.width * 0.05);
			return edited(image().extend({top: pad, bottom: pad, left: pad, right: pad, background: '#ffffff'}));
		}

		case 'watermark': {
			return edited(image().composite([{input: watermarkSvg(pixels.width, pixels.height)}]));
		}

		case 'combined': {
			// A typical "shared via a messenger after a quick crop": crop 5%, shrink to 60%, recompress at q70.
			// Cropped first, then resized, in two pipelines: sharp would otherwise apply extract after resize.
			const crop = centreCrop(pixels, 0.95);
			const cropped = await image().extract(crop).raw().toBuffer({resolveWithObject: true});
			return rawInput({...pixels, data: cropped.data, width: cropped.info.width, height: cropped.info.height})
				.resize(Math.round(pixels.width * 0.6))
				.jpeg({quality: 70})
				.toBuffer();
		}

		case 'crop-uneven': {
			return edited(image().extract(unevenCrop(pixels, prng(seed))));
		}

		case 'crop-shared': {
			const cropped = await image().extract(unevenCrop(pixels, prng(seed + 1))).raw().toBuffer({resolveWithObject: true});
			return rawInput({...pixels, data: cropped.data, width: cropped.info.width, height: cropped.info.height})
				.resize(Math.round(pixels.width * 0.6))
				.jpeg({quality: 70})
				.toBuffer();
		}

		case 'overlay': {
			return edited(image().composite([{input: overlaySvg(pixels.width, pixels.height, prng(seed + 2))}]));
		}

		default: {
			throw new Error(`Unknown variant kind: ${kind}`);
		}
	}
}

/** A seeded uneven crop: 3-8 % of each axis removed, split between opposite edges, sometimes all from one. */
function unevenCrop(pixels, rand) {
	const axis = size => {
		const removed = Math.round(size * between(rand, 0.03, 0.08));
		const pick = rand();
		const share = pick < 0.2 ? 0 : pick < 0.4 ? 1 : rand();
		const start = Math.round(removed * share);
		return {start, length: size - removed};
	};

	const x = axis(pixels.width);
	const y = axis(pixels.height);
	return {left: x.start, top: y.start, width: x.length, height: y.length};
}

/** A small overlay in a seeded corner: a camera-style date imprint or a semi-transparent logo with a name. */
function overlaySvg(width, height, rand) {
	const corner = Math.floor(rand() * 4);
	const boxW = Math.round(width * between(rand, 0.12, 0.2));
	const boxH = Math.round(boxW * 0.3);
	const margin = Math.round(width * 0.02);
	const x = corner % 2 === 0 ? margin : width - margin - boxW;
	const y = corner < 2 ? margin : height - margin - boxH;
	const body = rand() < 0.5
		? `<text x="${x}" y="${y + boxH * 0.8}" textLength="${boxW}" lengthAdjust="spacingAndGlyphs" font-family="DejaVu Sans Mono" `
			+ `font-size="${Math.round(boxH * 0.9)}" fill="#ff9a1f" fill-opacity="0.9">'19 08 14 16:32</text>`
		: `<rect x="${x}" y="${y}" width="${boxW}" height="${boxH}" rx="${Math.round(boxH / 4)}" fill="#000000" fill-opacity="0.35"/>`
			+ `<circle cx="${x + boxH / 2}" cy="${y + boxH / 2}" r="${boxH * 0.35}" fill="#ffffff" fill-opacity="0.7"/>`
			+ `<text x="${x + boxH}" y="${y + boxH * 0.7}" textLength="${boxW - boxH * 1.2}" lengthAdjust="spacingAndGlyphs" `
			+ `font-family="DejaVu Sans" font-size="${Math.round(boxH * 0.55)}" fill="#ffffff" fill-opacity="0.8">studio photo</text>`;
	return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${body}</svg>`);
}

/**
 * Look-alikes of a source that are other pictures (issue 15): a subject in two places (two frames), a stereo partner
 * (the scene sheared 10-14 %: near rows shift more than far ones, as parallax does), another
 * viewpoint (turned 7-10 degrees and reframed), and the left and right 46 % of the frame (no shared pixels).
 */
async function makeLookalikes(pixels, seed) {
	const rand = prng(seed);
	const {width, height} = pixels;
	const jpeg = pipeline => pipeline.jpeg({quality: ORIGINAL_QUALITY}).toBuffer();
	const raw = async pipeline => {
		const {data, info} = await pipeline.raw().toBuffer({resolveWithObject: true});
		return {data, width: info.width, height: info.height, channels: info.channels};
	};

	// A subject (a person-sized upright ellipse, 5-9 % of the frame) in two places 15-25 % of the width apart: the
	// same scene a moment later, both frames new pictures.
	const area = between(rand, 0.05, 0.09) * width * height;
	const ry = Math.min(height * 0.4, Math.sqrt(area / Math.PI) * 1.4);
	const rx = area / (Math.PI * ry);
	const cy = between(rand, ry, height - ry);
	const move = width * between(rand, 0.15, 0.25);
	const cx = between(rand, rx, width - rx - move);
	const hue = Math.round(between(rand, 0, 360));
	const subject = x => Buffer.from(
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><ellipse cx="${Math.round(x)}" cy="${Math.round(cy)}" `
		+ `rx="${Math.round(rx)}" ry="${Math.round(ry)}" fill="hsl(${hue},60%,40%)" stroke="hsl(${hue},60%,20%)" stroke-width="3"/></svg>`,
	);
	const before = await jpeg(rawInput(pixels).composite([{input: subject(cx)}]));
	const after = await jpeg(rawInput(pixels).composite([{input: subject(cx + move)}]));

	const shear = between(rand, 0.1, 0.14);
	const sheared = await raw(rawInput(pixels).affine([[1, shear], [0, 1]], {background: '#000000'}));
	const stereo = await jpeg(rawInput(sheared).extract({left: Math.round(height * shear), top: 0, width: width - Math.round(height * shear), height}).resize(width, height, {fit: 'fill'}));

	const angle = between(rand, 7, 10) * (rand() < 0.5 ? -1 : 1);
	const turned = await raw(rawInput(pixels).rotate(angle, {background: '#000000'}));
	const keepW = Math.round(width * 0.8);
	const keepH = Math.round(height * 0.8);
	const viewpoint = await jpeg(rawInput(turned).extract({left: Math.round((turned.width - keepW) / 2), top: Math.round((turned.height - keepH) / 2), width: keepW, height: keepH}).resize(width, height, {fit: 'fill'}));

	const halfW = Math.round(width * 0.46);
	const left = await jpeg(rawInput(pixels).extract({left: 0, top: 0, width: halfW, height}));
	const right = await jpeg(rawInput(pixels).extract({left: width - halfW, top: 0, width: halfW, height}));
	return {'moved-subject': [before, after], stereo: [stereo], viewpoint: [viewpoint], 'wide-halves': [left, right]};
}

/**
 * One burst neighbour of a source: the whole frame shifted 1-2% (hand-held camera between shots) and a person-sized
 * coloured ellipse somewhere in the frame (someone walked in). Different `frame` values give different positions.
 */
async function makeBurstFrame(pixels, seed) {
	const rand = prng(seed);
	const {width, height} = pixels;
	// Shift: take a 98% window at a seeded offset and scale it back to the full size, as a slight pan would.
	const shift = between(rand, 0.01, 0.02);
	const windowW = Math.round(width * (1 - shift));
	const windowH = Math.round(height * (1 - shift));
	const left = Math.round(between(rand, 0, width - windowW));
	const top = Math.round(between(rand, 0, height - windowH));
	const shifted = await rawInput(pixels).extract({left, top, width: windowW, height: windowH}).raw().toBuffer({resolveWithObject: true});

	// Ellipse ~15-25% of the frame's area, upright like a standing person.
	const area = between(rand, 0.15, 0.25) * width * height;
	const ry = Math.min(height * 0.45, Math.sqrt(area / Math.PI) * 1.3);
	const rx = area / (Math.PI * ry);
	const cx = between(rand, rx, width - rx);
	const cy = between(rand, ry, height - ry);
	const hue = Math.round(between(rand, 0, 360));
	const svg = Buffer.from(
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">`
		+ `<ellipse cx="${Math.round(cx)}" cy="${Math.round(cy)}" rx="${Math.round(rx)}" ry="${Math.round(ry)}" `
		+ `fill="hsl(${hue},70%,45%)" stroke="hsl(${hue},70%,25%)" stroke-width="${Math.max(2, Math.round(width / 200))}"/></svg>`,
	);
	return rawInput({...pixels, data: shifted.data, width: shifted.info.width, height: shifted.info.height})
		.resize(width, height, {fit: 'fill'})
		.composite([{input: svg}])
		.jpeg({quality: ORIGINAL_QUALITY})
		.toBuffer();
}

// ---------------------------------------------------------------------------------------------------------------
// Building

/** Runs `task` over `items` with at most `limit` in flight; results keep the items' order. */
async function mapLimit(items, limit, task) {
	const results = Array.from({length: items.length});
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await task(items[index], index);
		}
	};

	await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
	return results;
}

/** Refuses to wipe a folder this script did not make: OUTDIR comes from the command line. */
async function prepareOutDir(outDir) {
	const entries = await fsp.readdir(outDir).catch(error => {
		if (error.code === 'ENOENT') {
			return [];
		}

		throw error;
	});
	if (entries.length > 0) {
		let labels;
		try {
			labels = JSON.parse(await fsp.readFile(path.join(outDir, 'labels.json'), 'utf8'));
		} catch {}

		if (labels?.generator !== GENERATOR) {
			throw new Error(`Refusing to wipe ${outDir}: it is not empty and has no labels.json from ${GENERATOR}`);
		}
	}

	await fsp.rm(outDir, {recursive: true, force: true});
	await fsp.mkdir(outDir, {recursive: true});
	// Claim the folder at once, so a build that fails half-way can still be wiped by the next run.
	await fsp.writeFile(path.join(outDir, 'labels.json'), `${JSON.stringify({generator: GENERATOR, complete: false})}\n`);
}

const groupId = n => `g${String(n).padStart(3, '0')}`;

/**
 * Builds the set into `outDir` (wiping it first, if it was made by this script) and returns the labels that are also
 * written to `outDir/labels.json`. Paths are relative to `outDir`, with forward slashes.
 *
 * @param {string} outDir
 * @param {{corpusDir?: string, maxSources?: number}} [options]
 */
export async function buildNearDupSet(outDir, {corpusDir, maxSources = DEFAULT_MAX_SOURCES} = {}) {
	outDir = path.resolve(outDir);
	await prepareOutDir(outDir);
	const useCorpus = Boolean(corpusDir) && fs.existsSync(corpusDir);
	const abs = relative => path.join(outDir, ...relative.split('/'));
	const write = async (relative, bytes) => {
		await fsp.mkdir(path.dirname(abs(relative)), {recursive: true});
		await fsp.writeFile(abs(relative), bytes);
	};

	// A private instance: ending it must not break a caller that uses the exiftool-vendored singleton.
	const exiftool = new ExifTool({maxProcs: 2, useMWG: false, backfillTimezones: false});
	const writeTags = (relative, tags, extraArgs = []) =>
		exiftool.write(abs(relative), tags, {writeArgs: ['-overwrite_original', ...extraArgs]});
	const sampleDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'curate-near-dup-sample-'));
	const skipped = [];
	try {
		// 1. Sources: the synthetic sample library's camera originals first (always available), then the corpus.
		// Building the sample library is mostly exiftool time, so corpus candidates are decoded meanwhile; up to
		// maxSources of them, as the sample may turn out to contribute fewer than expected.
		const decodeAll = list => mapLimit(list, PARALLEL_SOURCES, async candidate => {
			try {
				return {...candidate, pixels: await decodeUpright(candidate.file)};
			} catch (error) {
				return {...candidate, error: String(error.message ?? error).split('\n')[0]};
			}
		});
		const [sampleSources, corpusDecoded] = await Promise.all([
			buildSampleLibrary(sampleDir).then(manifest => decodeAll(manifest.files
				.filter(file => file.role === 'original')
				.map(file => ({file: path.join(sampleDir, ...file.path.split('/')), label: `sample/${file.path}`})))),
			useCorpus ? corpusSources(corpusDir).then(list => decodeAll(list.slice(0, maxSources))) : [],
		]);
		// Undecodable and blank candidates are skipped in list order, so the cap counts usable sources and `skipped`
		// names only files that would otherwise have been used.
		const sources = [];
		for (const candidate of [...sampleSources, ...corpusDecoded]) {
			if (sources.length >= maxSources) {
				break;
			}

			if (candidate.error) {
				skipped.push({source: candidate.label, reason: candidate.error});
			} else {
				sources.push(candidate);
			}
		}

		const stems = new Set();
		for (const [index, source] of sources.entries()) {
			source.group = groupId(index + 1);
			// Unique stem even if two labels slug alike; the folder prefix keeps corpus and sample names apart.
			let stem = slug(source.label.replaceAll('/', '-'));
			while (stems.has(stem)) {
				stem += '_';
			}

			stems.add(stem);
			source.stem = stem;
			source.original = `originals/${stem}.jpg`;
			source.half = halfOf(source.label);
		}

		const files = [];

		// 2. Originals and their variants.
		const perSource = await mapLimit(sources, PARALLEL_SOURCES, async source => {
			const entries = [];
			const originalJpeg = await rawInput(source.pixels).jpeg({quality: ORIGINAL_QUALITY}).withExif(ORIGINAL_EXIF).toBuffer();
			await write(source.original, originalJpeg);
			entries.push({path: source.original, group: source.group, kind: 'original', source: null, half: source.half});
			// Variants start from the pixels as stored in the original JPEG (what a user would edit or share), not
			// from the pre-encode pixels.
			const {data, info} = await sharp(originalJpeg).raw().toBuffer({resolveWithObject: true});
			const pixels = {data, width: info.width, height: info.height, channels: info.channels};
			source.stored = pixels;
			for (const kind of VARIANT_KINDS) {
				const relative = `variants/${kind}/${source.stem}.${EXTENSION[kind] ?? 'jpg'}`;
				await write(relative, await makeVariant(kind, pixels, originalJpeg, Number(source.group.slice(1)) * 7919));
				if (kind === 'strip') {
					await writeTags(relative, {}, ['-all=']);
				} else if (kind === 'exif-rotate') {
					await writeTags(relative, {'EXIF:Orientation#': 6});
				}

				entries.push({path: relative, group: source.group, kind, source: source.original, half: source.half});
			}

			return entries;
		});
		files.push(...perSource.flat());
		let nextGroup = sources.length + 1;

		// 3a. Burst neighbours for BURST_SOURCES sources spread evenly over the list (sample and corpus alike).
		const burstSources = [...new Set(Array.from({length: Math.min(BURST_SOURCES, sources.length)}, (_, i) => Math.floor((i * sources.length) / Math.min(BURST_SOURCES, sources.length))))]
			.map(index => sources[index]);
		const bursts = burstSources.flatMap(source => [1, 2].map(frame => ({source, frame, group: groupId(nextGroup++)})));
		await mapLimit(bursts, PARALLEL_SOURCES, async ({source, frame}) => {
			const seed = (Number(source.group.slice(1)) * 1000) + frame;
			await write(`negatives/burst/${source.stem}-${frame}.jpg`, await makeBurstFrame(source.stored, seed));
		});
		for (const {source, frame, group} of bursts) {
			files.push({path: `negatives/burst/${source.stem}-${frame}.jpg`, group, kind: 'burst', source: null, negativeOf: source.group, half: source.half});
		}

		// 3b. Look-alikes of issue 15 for LOOKALIKE_SOURCES sources spread over the list, offset from the burst ones.
		const lookalikeCount = Math.min(LOOKALIKE_SOURCES, sources.length);
		const lookalikeSources = [...new Set(Array.from({length: lookalikeCount}, (_, i) => Math.floor(((i + 0.5) * sources.length) / lookalikeCount)))].map(index => sources[index]);
		const lookalikes = await mapLimit(lookalikeSources, PARALLEL_SOURCES, async source => ({source, made: await makeLookalikes(source.stored, Number(source.group.slice(1)) * 104_729)}));
		for (const {source, made} of lookalikes) {
			for (const [kind, images] of Object.entries(made)) {
				const groups = images.map(() => groupId(nextGroup++));
				for (const [index, bytes] of images.entries()) {
					const relative = `negatives/${kind}/${source.stem}${images.length > 1 ? `-${index + 1}` : ''}.jpg`;
					await write(relative, bytes);
					// Pairs (wide halves, the two moved-subject frames) are look-alikes of each other; the rest of their source.
					files.push({path: relative, group: groups[index], kind, source: null, negativeOf: images.length > 1 ? groups[1 - index] : source.group, half: source.half});
				}
			}
		}

		// 3b/3c. Corpus negatives, normalised like the originals (upright, shrunk, q90, same tags) so that nothing
		// but the picture distinguishes them from the sources.
		if (useCorpus) {
			const normalise = async (file, relative) => {
				const pixels = await decodeUpright(file);
				await write(relative, await rawInput(pixels).jpeg({quality: ORIGINAL_QUALITY}).withExif(ORIGINAL_EXIF).toBuffer());
			};

			// Consecutive shots of one walk: similar-looking, but every one a distinct photo.
			for (const {file, label} of corpusFiles(corpusDir, 'gps', isWalkShot)) {
				const relative = `negatives/sequence/${slug(path.basename(label))}.jpg`;
				await normalise(file, relative);
				files.push({path: relative, group: groupId(nextGroup++), kind: 'sequence', source: null, half: halfOf('gps/DSCN walk')});
			}

			// Same scene with HDR off and on: "similar", not duplicates. Each records the other as its negativeOf.
			const hdr = ['canon_hdr_NO.jpg', 'canon_hdr_YES.jpg']
				.map(name => path.join(corpusDir, 'similar', name))
				.filter(file => fs.existsSync(file));
			if (hdr.length === 2) {
				const pair = hdr.map(file => ({relative: `negatives/hdr-pair/${slug(path.basename(file))}.jpg`, group: groupId(nextGroup++), file}));
				for (const [index, entry] of pair.entries()) {
					await normalise(entry.file, entry.relative);
					files.push({path: entry.relative, group: entry.group, kind: 'hdr-pair', source: null, negativeOf: pair[1 - index].group, half: halfOf('similar/canon_hdr')});
				}
			} else {
				skipped.push({source: 'similar/canon_hdr_*.jpg', reason: 'not found in the corpus'});
			}
		}

		const labels = {
			generator: GENERATOR,
			version: LABELS_VERSION,
			complete: true,
			params: {maxLongSide: MAX_LONG_SIDE, maxSources, corpus: useCorpus, sources: sources.length},
			sources: sources.map(source => ({group: source.group, path: source.original, from: source.label, half: source.half})),
			skipped,
			kinds: ['original', ...VARIANT_KINDS, ...NEGATIVE_KINDS.filter(kind => files.some(file => file.kind === kind))],
			files,
		};
		await fsp.writeFile(path.join(outDir, 'labels.json'), `${JSON.stringify(labels, null, '\t')}\n`);
		return labels;
	} finally {
		await exiftool.end();
		await fsp.rm(sampleDir, {recursive: true, force: true});
	}
}

// ---------------------------------------------------------------------------------------------------------------
// Command line

async function main() {
	const {values, positionals} = parseArgs({
		allowPositionals: true,
		options: {corpus: {type: 'string'}, 'max-sources': {type: 'string'}},
	});
	if (positionals.length !== 1) {
		console.error('usage: node bench/near-dup-set.mjs OUTDIR [--corpus DIR] [--max-sources N]');
		process.exit(2);
	}

	const maxSources = values['max-sources'] === undefined ? undefined : Number(values['max-sources']);
	if (maxSources !== undefined && !(Number.isInteger(maxSources) && maxSources > 0)) {
		console.error(`--max-sources must be a positive whole number, not ${values['max-sources']}`);
		process.exit(2);
	}

	const started = performance.now();
	const labels = await buildNearDupSet(positionals[0], {
		corpusDir: values.corpus,
		maxSources,
	});
	const seconds = (performance.now() - started) / 1000;
	const count = kinds => labels.files.filter(file => kinds.includes(file.kind)).length;
	let bytes = 0;
	for (const file of labels.files) {
		bytes += fs.statSync(path.join(path.resolve(positionals[0]), ...file.path.split('/'))).size;
	}

	console.log(`${count(['original'])} sources, ${count(VARIANT_KINDS)} variants, ${count(NEGATIVE_KINDS)} negatives `
		+ `(${NEGATIVE_KINDS.map(kind => `${kind} ${count([kind])}`).join(', ')}); `
		+ `${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s`);
	for (const {source, reason} of labels.skipped) {
		console.log(`skipped ${source}: ${reason}`);
	}
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	try {
		await main();
	} catch (error) {
		// One line for expected failures (a folder we refuse to wipe); the stack only when it is a bug.
		console.error(error instanceof Error && error.message.startsWith('Refusing') ? error.message : error);
		process.exitCode = 1;
	}
}
