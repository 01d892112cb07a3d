#!/usr/bin/env node
/**
 * Builds Curate's sample photo library: a small, fully synthetic, deterministic folder of photos plus the traps a real
 * library contains (exact copies, near-duplicate edits, EXIF orientations, a burst, broken files, NAS clutter).
 *
 *   node media-fixtures/build.mjs [OUTDIR]      (default: media-fixtures/sample-library)
 *
 * Everything is generated from fixed seeds, so no binary fixtures are committed and every run produces the same
 * bytes (on the same sharp/libvips build and fonts). OUTDIR/manifest.json says what each file is and what a scanner
 * should find in it; tests import {buildSampleLibrary} and build into a temp dir.
 */
import crypto from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import sharp from 'sharp';
import {ExifTool} from 'exiftool-vendored';

const GENERATOR = 'curate/media-fixtures/build.mjs';
const MANIFEST_VERSION = 1;
const HERE = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUT_DIR = path.join(HERE, 'sample-library');

// Files without a capture date still get a fixed mtime, so a scan's "file date" fallback is reproducible too.
const FIXED_MTIME = new Date('2024-06-01T12:00:00Z');

// JPEG quality of the camera originals and edited copies. Cameras use ~90+, but 80 keeps the whole library near
// 8 MB while block artefacts stay invisible, so re-encoded variants still look identical.
const ORIGINAL_QUALITY = 80;

// ---------------------------------------------------------------------------------------------------------------
// Seeded randomness: Math.random would make every build (and every perceptual hash) different.

/** mulberry32: tiny, fast, good enough for picture layout and grain; returns floats in [0, 1). */
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
const int = (rand, min, max) => Math.floor(between(rand, min, max + 1));
const pick = (rand, items) => items[Math.floor(rand() * items.length)];
// Whole numbers in the SVG keep the markup short and avoid float formatting differences between Node versions.
const r0 = n => Math.round(n);
const hsl = (h, s, l) => `hsl(${r0(h)},${r0(s)}%,${r0(l)}%)`;

// ---------------------------------------------------------------------------------------------------------------
// The library's content. Each original is one "photo": a scene seed plus the EXIF a camera would have written.

const CAMERAS = {
	iphone: {make: 'Apple', model: 'iPhone 12', lens: 'iPhone 12 back dual wide camera 4.2mm f/1.6', fNumber: 1.6, focal: 4.2},
	canon: {make: 'Canon', model: 'Canon EOS 80D', lens: 'EF-S18-135mm f/3.5-5.6 IS USM', fNumber: 5.6, focal: 35},
	nikon: {make: 'NIKON CORPORATION', model: 'NIKON D750', lens: 'AF-S NIKKOR 24-120mm f/4G ED VR', fNumber: 8, focal: 50},
	samsung: {make: 'samsung', model: 'SM-G991B', fNumber: 1.8, focal: 5.4},
};

// Two events on 2021-07-14 (a morning in Nice on the phone, an evening with the DSLR ~8 hours later) plus single
// photos spread over 2019-2024 and four time zones. GPS on half of them, covering N/S and E/W.
const ORIGINALS = [
	{id: 'paris', path: '2019/2019-05-03 Paris/DSC_0412.jpg', seed: 1101, camera: 'nikon', lens: true, takenAt: '2019-05-03T10:41:17+02:00', gps: {lat: 48.858_37, lon: 2.294_481, alt: 35}, keywords: ['Paris', 'travel'], rating: 4},
	{id: 'xmas', path: '2020/2020-12-24/IMG_0001.jpg', seed: 1202, camera: 'iphone', portrait: true, takenAt: '2020-12-24T19:35:12+01:00', description: 'Christmas Eve at grandma\'s'},
	{id: 'nice1', path: '2021/2021-07-14/IMG_0003.jpg', seed: 1303, camera: 'iphone', takenAt: '2021-07-14T09:12:03+02:00', gps: {lat: 43.695_1, lon: 7.265_2, alt: 4}, keywords: ['beach', 'Été 2021'], rating: 5},
	{id: 'nice2', path: '2021/2021-07-14/IMG_0004.jpg', seed: 1304, camera: 'iphone', takenAt: '2021-07-14T09:18:40+02:00', gps: {lat: 43.694_6, lon: 7.268_9, alt: 6}},
	{id: 'nice3', path: '2021/2021-07-14/IMG_0005.jpg', seed: 1305, camera: 'iphone', takenAt: '2021-07-14T09:27:55+02:00'},
	// Renamed by hand, moved to a folder with a space and accents: exercises Unicode (NFC) paths.
	{id: 'cafe', path: 'Été 2021/café photo.jpg', seed: 1306, camera: 'iphone', portrait: true, takenAt: '2021-07-14T09:41:09+02:00', keywords: ['café']},
	{id: 'eve1', path: '2021/2021-07-14/Canon/IMG_7781.JPG', seed: 1407, camera: 'canon', lens: true, takenAt: '2021-07-14T17:38:21+02:00', rating: 3},
	{id: 'eve2', path: '2021/2021-07-14/Canon/IMG_7782.JPG', seed: 1408, camera: 'canon', lens: true, takenAt: '2021-07-14T17:52:47+02:00'},
	{id: 'eve3', path: '2021/2021-07-14/Canon/IMG_7790.JPG', seed: 1409, camera: 'canon', lens: true, portrait: true, takenAt: '2021-07-14T18:05:02+02:00', keywords: ['sunset']},
	{id: 'sydney', path: '2022/20220319_142210.jpg', seed: 1510, camera: 'samsung', takenAt: '2022-03-19T14:22:10+11:00', gps: {lat: -33.856_8, lon: 151.215_3, alt: 12}, keywords: ['Sydney', 'harbour'], rating: 2},
	{id: 'baires', path: '2023/Buenos Aires/DSC_1877.jpg', seed: 1611, camera: 'nikon', lens: true, takenAt: '2023-10-08T16:03:44-03:00', gps: {lat: -34.603_7, lon: -58.381_6, alt: 25}},
	{id: 'reykjavik', path: '2024/IMG_2041.jpg', seed: 1712, camera: 'iphone', takenAt: '2024-02-10T13:05:31+00:00', gps: {lat: 64.146_6, lon: -21.942_6, alt: 18}, keywords: ['Iceland'], rating: 1},
];

// Exact byte copies, as left behind by a manual backup and by a browser/Finder "duplicate".
const EXACT_COPIES = [
	{path: 'backup/2019/DSC_0412.jpg', of: 'paris'},
	{path: '2021/2021-07-14/IMG_0003 (1).jpg', of: 'nice1'},
];

// Near-duplicates: the edits and round trips that make the same photo appear several times in a real library.
// keepExif says whether the copy still carries the original's EXIF (editors keep it; messengers and converters drop it).
const VARIANTS = [
	{path: 'WhatsApp/IMG-20190503-WA0004.jpg', of: 'paris', transform: 'resize50', keepExif: false},
	{path: 'variants/DSC_0412_nometa.jpg', of: 'paris', transform: 'strip', keepExif: false},
	{path: 'variants/DSC_0412_watermark.jpg', of: 'paris', transform: 'watermark', keepExif: true},
	{path: 'Downloads/IMG_0004.png', of: 'nice2', transform: 'png', keepExif: false},
	{path: 'Downloads/IMG_0004.webp', of: 'nice2', transform: 'webp', keepExif: false},
	{path: 'variants/IMG_0004_border.jpg', of: 'nice2', transform: 'border', keepExif: true},
	{path: 'variants/20220319_142210_rot90.jpg', of: 'sydney', transform: 'rotate90-pixels', keepExif: true},
	{path: 'variants/20220319_142210_rotexif.jpg', of: 'sydney', transform: 'rotate-exif', keepExif: true},
	{path: 'variants/20220319_142210_crop.jpg', of: 'sydney', transform: 'crop92', keepExif: true},
	{path: 'variants/DSC_1877_bright.jpg', of: 'baires', transform: 'brightness', keepExif: true},
	{path: 'variants/DSC_1877_bw.jpg', of: 'baires', transform: 'grey', keepExif: true},
];

// Orientation set (like the well-known exif-orientation-examples): every file DISPLAYS exactly like this original
// once its EXIF Orientation is applied; the stored pixels are the inverse transform.
const ORIENTATION_OF = 'nice3';

// A burst: three different exposures of one moment (the ball moves), one second apart. Similar, but not duplicates.
const BURST = {
	seed: 1818,
	camera: 'canon',
	group: 'burst-2022-08-20',
	frames: [
		{path: 'burst/IMG_8120.JPG', takenAt: '2022-08-20T15:04:10+02:00', ball: 0.28},
		{path: 'burst/IMG_8121.JPG', takenAt: '2022-08-20T15:04:11+02:00', ball: 0.5},
		{path: 'burst/IMG_8122.JPG', takenAt: '2022-08-20T15:04:12+02:00', ball: 0.72},
	],
};

const COLORS = [
	{path: 'colors/red.jpg', color: 'red', rgb: [200, 32, 36]},
	{path: 'colors/green.jpg', color: 'green', rgb: [40, 170, 60]},
	{path: 'colors/blue.jpg', color: 'blue', rgb: [36, 70, 205]},
];

// ---------------------------------------------------------------------------------------------------------------
// Scene rendering

const SIGN_WORDS = ['CAFÉ', 'HOTEL', 'BAR', 'TAXI', 'OPEN', 'PLAGE', 'EXIT', 'MARKET', 'BUS 12', 'GELATO', 'PHARMACIE', 'KIOSK'];

/**
 * A seeded outdoor-ish scene: sky and ground gradients, distant hills, buildings, trees, round things and a sign.
 * Layout varies a lot between seeds, so perceptual hashes of different originals are far apart.
 * `ball` (0..1, horizontal position) adds the object that moves between burst frames.
 */
function sceneSvg(seed, width, height, {ball} = {}) {
	const rand = prng(seed);
	const horizon = height * between(rand, 0.42, 0.68);
	const skyHue = pick(rand, [205, 215, 195, 30, 18, 260, 220]);
	const skyLight = between(rand, 35, 62);
	const groundHue = pick(rand, [95, 110, 40, 30, 140, 60]);
	const parts = [];

	parts.push(
		'<defs>',
		`<linearGradient id="sky" x1="0" y1="0" x2="${r0(between(rand, -0.3, 0.3) * 100) / 100}" y2="1">`,
		`<stop offset="0" stop-color="${hsl(skyHue, between(rand, 45, 75), skyLight)}"/>`,
		`<stop offset="1" stop-color="${hsl(skyHue + between(rand, -25, 25), between(rand, 40, 80), skyLight + between(rand, 18, 32))}"/>`,
		'</linearGradient>',
		'<linearGradient id="ground" x1="0" y1="0" x2="0" y2="1">',
		`<stop offset="0" stop-color="${hsl(groundHue, between(rand, 30, 60), between(rand, 35, 55))}"/>`,
		`<stop offset="1" stop-color="${hsl(groundHue + between(rand, -15, 15), between(rand, 25, 55), between(rand, 12, 28))}"/>`,
		'</linearGradient>',
		'<radialGradient id="glow"><stop offset="0" stop-color="#fff8d0"/><stop offset="1" stop-color="#ffd060" stop-opacity="0"/></radialGradient>',
		'</defs>',
		`<rect width="${width}" height="${height}" fill="url(#sky)"/>`,
	);

	// Sun or moon, with a soft halo.
	if (rand() < 0.7) {
		const cx = between(rand, 0.1, 0.9) * width;
		const cy = between(rand, 0.08, 0.45) * horizon;
		const radius = between(rand, 0.03, 0.07) * width;
		parts.push(
			`<circle cx="${r0(cx)}" cy="${r0(cy)}" r="${r0(radius * 2.6)}" fill="url(#glow)" opacity="0.6"/>`,
			`<circle cx="${r0(cx)}" cy="${r0(cy)}" r="${r0(radius)}" fill="${hsl(between(rand, 40, 58), 95, between(rand, 70, 92))}"/>`,
		);
	}

	// Distant hills: one jagged polygon per layer along the horizon.
	for (let layer = int(rand, 1, 3); layer > 0; layer--) {
		const points = [`0,${r0(horizon)}`];
		const steps = int(rand, 5, 11);
		for (let i = 0; i <= steps; i++) {
			points.push(`${r0((i / steps) * width)},${r0(horizon - between(rand, 0.02, 0.22) * height * (layer / 2 + 0.3))}`);
		}

		points.push(`${width},${r0(horizon)}`);
		parts.push(`<polygon points="${points.join(' ')}" fill="${hsl(skyHue + between(rand, -40, 40), between(rand, 15, 40), skyLight - 10 - layer * 6)}"/>`);
	}

	parts.push(`<rect y="${r0(horizon)}" width="${width}" height="${r0(height - horizon)}" fill="url(#ground)"/>`);

	// Buildings standing on the horizon, with a few lit windows.
	for (let n = int(rand, 0, 4); n > 0; n--) {
		const w = between(rand, 0.06, 0.18) * width;
		const h = between(rand, 0.12, 0.4) * height;
		const x = between(rand, -0.05, 0.95) * width;
		const y = horizon - h + between(rand, 0, 0.04) * height;
		parts.push(`<rect x="${r0(x)}" y="${r0(y)}" width="${r0(w)}" height="${r0(h)}" fill="${hsl(between(rand, 0, 360), between(rand, 10, 45), between(rand, 30, 75))}"/>`);
		const windowColor = hsl(between(rand, 40, 60), 70, between(rand, 60, 85));
		for (let row = 0; row < 4; row++) {
			for (let col = 0; col < 3; col++) {
				if (rand() < 0.55) {
					parts.push(`<rect x="${r0(x + w * (0.1 + col * 0.3))}" y="${r0(y + h * (0.08 + row * 0.2))}" width="${r0(w * 0.18)}" height="${r0(h * 0.1)}" fill="${windowColor}"/>`);
				}
			}
		}
	}

	// Trees: trunk plus a triangular or round crown.
	for (let n = int(rand, 1, 5); n > 0; n--) {
		const x = between(rand, 0, 1) * width;
		const base = horizon + between(rand, 0.02, 0.3) * (height - horizon);
		const size = between(rand, 0.06, 0.16) * height * (base / height + 0.3);
		const crown = hsl(between(rand, 80, 150), between(rand, 35, 70), between(rand, 18, 40));
		parts.push(`<rect x="${r0(x - size * 0.08)}" y="${r0(base - size * 0.6)}" width="${r0(size * 0.16)}" height="${r0(size * 0.6)}" fill="#4a3222"/>`);
		parts.push(
			rand() < 0.5
				? `<polygon points="${r0(x)},${r0(base - size * 2)} ${r0(x - size * 0.6)},${r0(base - size * 0.45)} ${r0(x + size * 0.6)},${r0(base - size * 0.45)}" fill="${crown}"/>`
				: `<circle cx="${r0(x)}" cy="${r0(base - size * 1.1)}" r="${r0(size * 0.65)}" fill="${crown}"/>`,
		);
	}

	// Foreground objects: free shapes in strong colours that dominate the low-frequency structure.
	for (let n = int(rand, 3, 6); n > 0; n--) {
		const color = hsl(between(rand, 0, 360), between(rand, 40, 90), between(rand, 25, 70));
		const x = between(rand, 0, 1) * width;
		const y = between(rand, 0.15, 1) * height;
		const size = between(rand, 0.04, 0.16) * width;
		const kind = int(rand, 0, 3);
		if (kind === 0) {
			parts.push(`<circle cx="${r0(x)}" cy="${r0(y)}" r="${r0(size)}" fill="${color}"/>`);
		} else if (kind === 1) {
			parts.push(`<rect x="${r0(x)}" y="${r0(y)}" width="${r0(size * between(rand, 0.8, 2.4))}" height="${r0(size * between(rand, 0.6, 1.6))}" rx="${r0(size * 0.1)}" fill="${color}"/>`);
		} else if (kind === 2) {
			parts.push(`<ellipse cx="${r0(x)}" cy="${r0(y)}" rx="${r0(size * 1.4)}" ry="${r0(size * 0.6)}" fill="${color}" opacity="0.85"/>`);
		} else {
			const corners = int(rand, 3, 6);
			const points = [];
			for (let i = 0; i < corners; i++) {
				const angle = (i / corners) * Math.PI * 2 + between(rand, -0.3, 0.3);
				const reach = size * between(rand, 0.6, 1.3);
				points.push(`${r0(x + Math.cos(angle) * reach)},${r0(y + Math.sin(angle) * reach)}`);
			}

			parts.push(`<polygon points="${points.join(' ')}" fill="${color}"/>`);
		}
	}

	// A sign with a word on it: text gives the CLIP/OCR-ish tests something, and fine detail for the hashes.
	const signW = between(rand, 0.16, 0.3) * width;
	const signH = signW * 0.32;
	const signX = between(rand, 0.02, 0.95) * (width - signW);
	const signY = between(rand, 0.05, 0.8) * (height - signH);
	const signHue = between(rand, 0, 360);
	parts.push(
		`<rect x="${r0(signX)}" y="${r0(signY)}" width="${r0(signW)}" height="${r0(signH)}" rx="${r0(signH * 0.12)}" fill="${hsl(signHue, 60, 22)}" stroke="#eeeeee" stroke-width="${r0(signH * 0.05)}"/>`,
		`<text x="${r0(signX + signW / 2)}" y="${r0(signY + signH * 0.68)}" text-anchor="middle" font-family="DejaVu Sans, Verdana, sans-serif" font-weight="bold" font-size="${r0(signH * 0.5)}" fill="${hsl(signHue + 180, 80, 85)}">${pick(rand, SIGN_WORDS)}</text>`,
	);

	if (ball !== undefined) {
		// The moving subject of the burst, with its shadow on the ground.
		const radius = 0.06 * height;
		const cx = ball * width;
		const cy = horizon + (height - horizon) * 0.55 - Math.sin(ball * Math.PI) * height * 0.25;
		parts.push(
			`<ellipse cx="${r0(cx)}" cy="${r0(horizon + (height - horizon) * 0.55 + radius)}" rx="${r0(radius * 1.1)}" ry="${r0(radius * 0.25)}" fill="#000000" opacity="0.35"/>`,
			`<circle cx="${r0(cx)}" cy="${r0(cy)}" r="${r0(radius)}" fill="#e8452c"/>`,
			`<circle cx="${r0(cx - radius * 0.3)}" cy="${r0(cy - radius * 0.3)}" r="${r0(radius * 0.3)}" fill="#ffffff" opacity="0.45"/>`,
		);
	}

	return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}

/**
 * Sensor-like grain: seeded grey noise rendered at quarter resolution, then upscaled so it is soft (per-pixel noise
 * would double the JPEG sizes and triple the PNG variant) and composited at low opacity.
 */
async function grain(seed, width, height, alpha = 16) {
	const w = Math.ceil(width / 4);
	const h = Math.ceil(height / 4);
	const rand = prng(seed);
	const noise = Buffer.alloc(w * h * 4);
	for (let i = 0; i < noise.length; i += 4) {
		const v = Math.floor(rand() * 256);
		noise[i] = v;
		noise[i + 1] = v;
		noise[i + 2] = v;
		noise[i + 3] = alpha;
	}

	return sharp(noise, {raw: {width: w, height: h, channels: 4}}).resize(width, height, {kernel: 'cubic'}).raw().toBuffer();
}

/** Renders a scene to RGB pixels (landscape 1600x1200 or portrait 1200x1600, like a 2 MP camera export). */
async function renderScene(seed, {portrait = false, ball, grainSeed = seed} = {}) {
	const width = portrait ? 1200 : 1600;
	const height = portrait ? 1600 : 1200;
	const noise = await grain(grainSeed * 7919 + 13, width, height);
	const data = await sharp(Buffer.from(sceneSvg(seed, width, height, {ball})))
		.composite([{input: noise, raw: {width, height, channels: 4}}])
		.removeAlpha()
		.raw()
		.toBuffer();
	return {data, width, height};
}

const rawInput = ({data, width, height, channels = 3}) => sharp(data, {raw: {width, height, channels}});

// ---------------------------------------------------------------------------------------------------------------
// EXIF

const exifDate = iso => iso.slice(0, 19).replace('T', ' ').replaceAll('-', ':');
const exifOffset = iso => (iso.endsWith('Z') ? '+00:00' : iso.slice(19));

/** The tags a camera (or phone) writes for `photo`. Group-prefixed so exiftool writes exactly these, nowhere else. */
function cameraTags(photo) {
	const camera = CAMERAS[photo.camera];
	const tags = {
		'EXIF:Make': camera.make,
		'EXIF:Model': camera.model,
		'EXIF:DateTimeOriginal': exifDate(photo.takenAt),
		'EXIF:CreateDate': exifDate(photo.takenAt),
		'EXIF:OffsetTimeOriginal': exifOffset(photo.takenAt),
		'EXIF:OffsetTimeDigitized': exifOffset(photo.takenAt),
		'EXIF:FNumber': camera.fNumber,
		'EXIF:FocalLength': camera.focal,
		'EXIF:ExposureTime': photo.takenAt.slice(11, 13) >= '17' || photo.takenAt.slice(11, 13) < '07' ? '1/60' : '1/500',
		'EXIF:ISO': photo.takenAt.slice(11, 13) >= '17' ? 800 : 100,
	};
	if (photo.lens || photo.camera === 'iphone') {
		tags['EXIF:LensModel'] = camera.lens;
	}

	if (photo.gps) {
		// Unprefixed on purpose: exiftool-vendored derives the N/S and E/W refs (and altitude ref) from the signs.
		tags.GPSLatitude = photo.gps.lat;
		tags.GPSLongitude = photo.gps.lon;
		tags.GPSAltitude = photo.gps.alt;
	}

	if (photo.keywords) {
		tags['XMP-dc:Subject'] = photo.keywords;
		tags['IPTC:Keywords'] = photo.keywords;
		// IPTC defaults to Latin-1; declare UTF-8 so "Été" and "café" survive.
		tags['IPTC:CodedCharacterSet'] = 'UTF8';
	}

	if (photo.rating !== undefined) {
		tags['XMP-xmp:Rating'] = photo.rating;
	}

	if (photo.description) {
		tags['EXIF:ImageDescription'] = photo.description;
	}

	return tags;
}

/** What a scanner should read back from an original (same shape as Curate's PhotoMetadata where they overlap). */
function expectation(photo) {
	const camera = CAMERAS[photo.camera];
	return {
		takenAt: photo.takenAt.replace(/\+00:00$/, 'Z'),
		make: camera.make,
		model: camera.model,
		lens: photo.lens || photo.camera === 'iphone' ? camera.lens : null,
		gps: photo.gps ? {...photo.gps} : null,
		keywords: photo.keywords ?? [],
		rating: photo.rating ?? null,
		description: photo.description ?? null,
		orientation: null,
	};
}

// ---------------------------------------------------------------------------------------------------------------
// Near-duplicate transforms. Each takes the original JPEG (what a user would have edited or shared) and returns
// the new file's bytes.

/** Stored pixels for EXIF orientation N, i.e. the inverse of the transform a viewer applies when displaying. */
async function storeForOrientation(jpeg, orientation) {
	// Rotation first, mirror second, in separate pipelines: sharp always mirrors before rotating within one pipeline.
	const rotate = {1: 0, 2: 0, 3: 180, 4: 0, 5: 90, 6: 270, 7: 90, 8: 90}[orientation];
	const rotated = await sharp(jpeg).rotate(rotate).raw().toBuffer({resolveWithObject: true});
	let image = rawInput({data: rotated.data, width: rotated.info.width, height: rotated.info.height, channels: rotated.info.channels});
	if (orientation === 2 || orientation === 5) {
		image = image.flop();
	} else if (orientation === 4 || orientation === 7) {
		image = image.flip();
	}

	return image.jpeg({quality: ORIGINAL_QUALITY}).toBuffer();
}

async function applyTransform(jpeg, transform, label) {
	const {width, height} = await sharp(jpeg).metadata();
	switch (transform) {
		case 'resize50': {
			// WhatsApp-style: half size, heavy recompression.
			return sharp(jpeg).resize(Math.round(width / 2)).jpeg({quality: 70}).toBuffer();
		}

		case 'png': {
			return sharp(jpeg).png().toBuffer();
		}

		case 'webp': {
			return sharp(jpeg).webp({quality: 80}).toBuffer();
		}

		case 'rotate90-pixels': {
			// Rotated pixels, no Orientation tag: displays sideways (a "fixed" export or a rotation by an old app).
			return sharp(jpeg).rotate(90).jpeg({quality: ORIGINAL_QUALITY}).toBuffer();
		}

		case 'rotate-exif': {
			// Stored 270 degrees rotated, tagged Orientation=6 by the caller: displays exactly like the original.
			return storeForOrientation(jpeg, 6);
		}

		case 'crop92': {
			const w = Math.round(width * 0.92);
			const h = Math.round(height * 0.92);
			return sharp(jpeg)
				.extract({left: Math.round((width - w) / 2), top: Math.round((height - h) / 2), width: w, height: h})
				.jpeg({quality: ORIGINAL_QUALITY})
				.toBuffer();
		}

		case 'brightness': {
			return sharp(jpeg).modulate({brightness: 1.1}).jpeg({quality: ORIGINAL_QUALITY}).toBuffer();
		}

		case 'grey': {
			// A true one-channel JPEG (not grey RGB): readers that assume three channels should trip over it here.
			return sharp(jpeg).greyscale().toColourspace('b-w').jpeg({quality: ORIGINAL_QUALITY}).toBuffer();
		}

		case 'border': {
			// A print-style white frame: the canvas grows, the photo keeps its pixels.
			const pad = Math.round(Math.min(width, height) * 0.05);
			return sharp(jpeg)
				.extend({top: pad, bottom: pad, left: pad, right: pad, background: '#ffffff'})
				.jpeg({quality: ORIGINAL_QUALITY})
				.toBuffer();
		}

		case 'watermark': {
			const fontSize = Math.round(height * 0.03);
			const mark = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><text x="${width - fontSize}" y="${height - fontSize}" text-anchor="end" font-family="DejaVu Sans, Verdana, sans-serif" font-size="${fontSize}" fill="#ffffff" fill-opacity="0.8" stroke="#000000" stroke-opacity="0.35" stroke-width="1">${label}</text></svg>`;
			return sharp(jpeg)
				.composite([{input: Buffer.from(mark)}])
				.jpeg({quality: ORIGINAL_QUALITY})
				.toBuffer();
		}

		default: {
			throw new Error(`Unknown transform: ${transform}`);
		}
	}
}

// ---------------------------------------------------------------------------------------------------------------
// Building

/** Refuses to wipe a folder this script did not make: OUTDIR comes from the command line. */
async function prepareOutDir(outDir) {
	const entries = await fsp.readdir(outDir).catch(error => {
		if (error.code === 'ENOENT') {
			return [];
		}

		throw error;
	});
	if (entries.length > 0) {
		let manifest;
		try {
			manifest = JSON.parse(await fsp.readFile(path.join(outDir, 'manifest.json'), 'utf8'));
		} catch {}

		if (manifest?.generator !== GENERATOR) {
			throw new Error(`Refusing to wipe ${outDir}: it is not empty and has no manifest.json from ${GENERATOR}`);
		}
	}

	await fsp.rm(outDir, {recursive: true, force: true});
	await fsp.mkdir(outDir, {recursive: true});
	// Claim the folder straight away, so a build that fails half-way can still be wiped by the next run.
	await fsp.writeFile(path.join(outDir, 'manifest.json'), `${JSON.stringify({generator: GENERATOR, complete: false})}\n`);
}

const sha256 = buffer => crypto.createHash('sha256').update(buffer).digest('hex');

/**
 * Builds the sample library into `outDir` (wiping it first) and returns the manifest that is also written to
 * `outDir/manifest.json`. Paths in the manifest are relative, with forward slashes.
 */
export async function buildSampleLibrary(outDir = DEFAULT_OUT_DIR) {
	outDir = path.resolve(outDir);
	await prepareOutDir(outDir);

	// A private instance rather than the exiftool-vendored singleton: ending it must not break a caller (e.g. a test)
	// that uses the singleton afterwards. Two processes halve the time spent in exiftool's per-file writes.
	const exiftool = new ExifTool({maxProcs: 2, useMWG: false, backfillTimezones: false});
	const files = [];
	const abs = relative => path.join(outDir, ...relative.split('/'));
	const write = async (relative, bytes) => {
		await fsp.mkdir(path.dirname(abs(relative)), {recursive: true});
		await fsp.writeFile(abs(relative), bytes);
	};

	const writeTags = (relative, tags, extraArgs = []) =>
		exiftool.write(abs(relative), tags, {writeArgs: ['-overwrite_original', ...extraArgs]});

	try {
		const byId = new Map(ORIGINALS.map(photo => [photo.id, photo]));

		// 1. Originals and burst frames: render, encode, tag. Promise.all lets sharp's thread pool and both exiftool
		// processes overlap; the results do not depend on completion order.
		const burstPhotos = BURST.frames.map((frame, index) => ({...frame, id: `burst${index}`, seed: BURST.seed, camera: BURST.camera, lens: true, grainSeed: BURST.seed * 10 + index}));
		await Promise.all([...ORIGINALS, ...burstPhotos].map(async photo => {
			const pixels = await renderScene(photo.seed, {portrait: photo.portrait, ball: photo.ball, grainSeed: photo.grainSeed});
			await write(photo.path, await rawInput(pixels).jpeg({quality: ORIGINAL_QUALITY}).toBuffer());
			await writeTags(photo.path, cameraTags(photo));
		}));

		for (const photo of ORIGINALS) {
			files.push({path: photo.path, role: 'original', expect: expectation(photo)});
		}

		for (const photo of burstPhotos) {
			files.push({path: photo.path, role: 'burst', group: BURST.group, expect: expectation(photo)});
		}

		const originalBytes = new Map(await Promise.all(ORIGINALS.map(async photo => [photo.id, await fsp.readFile(abs(photo.path))])));

		// 2. Exact copies: byte for byte, metadata included.
		for (const copy of EXACT_COPIES) {
			await write(copy.path, originalBytes.get(copy.of));
			files.push({path: copy.path, role: 'exact', of: byId.get(copy.of).path, expect: expectation(byId.get(copy.of))});
		}

		// 3. Near-duplicates.
		await Promise.all(VARIANTS.map(async variant => {
			const photo = byId.get(variant.of);
			const source = originalBytes.get(variant.of);
			if (variant.transform === 'strip') {
				// Same JPEG, metadata removed by exiftool: the entropy-coded scan data (and so the pixels) stay identical.
				await write(variant.path, source);
				await writeTags(variant.path, {}, ['-all=']);
				return;
			}

			const label = `© ${photo.takenAt.slice(0, 4)} J. Doe`;
			await write(variant.path, await applyTransform(source, variant.transform, label));
			if (variant.keepExif) {
				const tags = cameraTags(photo);
				if (variant.transform === 'rotate-exif') {
					tags['EXIF:Orientation#'] = 6;
				}

				await writeTags(variant.path, tags);
			}
		}));
		for (const variant of VARIANTS) {
			files.push({
				path: variant.path,
				role: 'variant',
				of: byId.get(variant.of).path,
				transform: variant.transform,
				keepsExif: variant.keepExif,
				// False when a viewer shows a different frame (rotated, cropped, framed, stamped); true when only
				// scale, colour, format or compression differ.
				sameFraming: !['rotate90-pixels', 'crop92', 'border', 'watermark'].includes(variant.transform),
			});
		}

		// 4. Orientation set: Landscape_N.jpg displays like the original for every N in 1..8.
		const orientationSource = byId.get(ORIENTATION_OF);
		await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(async orientation => {
			const relative = `orientation/Landscape_${orientation}.jpg`;
			await write(relative, await storeForOrientation(originalBytes.get(ORIENTATION_OF), orientation));
			await writeTags(relative, {...cameraTags(orientationSource), 'EXIF:Orientation#': orientation});
		}));
		for (let orientation = 1; orientation <= 8; orientation++) {
			files.push({
				path: `orientation/Landscape_${orientation}.jpg`,
				role: 'orientation',
				of: orientationSource.path,
				transform: `orient-${orientation}`,
				expect: {...expectation(orientationSource), orientation},
			});
		}

		// 5. Plain colour photos for CLIP zero-shot sanity tests.
		await Promise.all(COLORS.map(async ({path: relative, rgb}, index) => {
			const width = 640;
			const height = 480;
			const rand = prng(9000 + index);
			const data = Buffer.alloc(width * height * 3);
			for (let i = 0; i < data.length; i += 3) {
				// Same offset on all three channels: brightness grain that keeps the hue clearly red/green/blue.
				const n = Math.round((rand() - 0.5) * 24);
				for (let c = 0; c < 3; c++) {
					data[i + c] = Math.max(0, Math.min(255, rgb[c] + n));
				}
			}

			await write(relative, await rawInput({data, width, height}).jpeg({quality: 90}).toBuffer());
		}));
		for (const {path: relative, color} of COLORS) {
			files.push({path: relative, role: 'color', color});
		}

		// 6. Broken and misnamed inputs: a scan must report these, not crash or skip silently.
		const xmas = originalBytes.get('xmas');
		await write('broken/empty.jpg', Buffer.alloc(0));
		// Cut in the middle of the scan data: EXIF (at the start) is still readable, the pixels are not.
		await write('broken/truncated.jpg', xmas.subarray(0, Math.floor(xmas.length * 0.55)));
		await write(
			'broken/download.jpg',
			'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>403 Forbidden</title></head>\n<body>\n<h1>Forbidden</h1>\n<p>You don\'t have permission to access this resource.</p>\n</body>\n</html>\n',
		);
		await write('broken/screenshot.jpg', await sharp(originalBytes.get('reykjavik')).resize(400).png().toBuffer());
		await write('broken/IMG_1234.heic', 'This is not an image. Saved by a sync tool that lost the real file.\n');
		files.push(
			{path: 'broken/empty.jpg', role: 'broken', error: true, note: 'zero bytes'},
			{path: 'broken/truncated.jpg', role: 'broken', error: true, derivedFrom: byId.get('xmas').path, note: 'first 55% of a JPEG; EXIF still readable, pixels not'},
			{path: 'broken/download.jpg', role: 'broken', error: true, note: 'HTML error page saved with a .jpg name'},
			// Not broken for a content-sniffing reader: it is a valid PNG, only the extension lies.
			{path: 'broken/screenshot.jpg', role: 'broken', error: false, actualFormat: 'png', note: 'valid PNG with a .jpg extension'},
			{path: 'broken/IMG_1234.heic', role: 'broken', error: true, note: 'plain text with a .heic extension'},
		);

		// 7. Clutter that a scanner must skip: macOS Finder metadata, AppleDouble forks and Synology thumbnails.
		// The Synology thumbnail is a real JPEG of IMG_0003, so a scanner that does not skip @eaDir reports a
		// bogus near-duplicate.
		const dsStore = Buffer.alloc(6148);
		dsStore.write('\u0000\u0000\u0000\u0001Bud1', 0, 'latin1');
		await write('.DS_Store', dsStore);
		await write('2021/2021-07-14/.DS_Store', dsStore);
		const appleDouble = Buffer.alloc(4096);
		appleDouble.writeUInt32BE(0x00_05_16_07, 0);
		appleDouble.writeUInt32BE(0x00_02_00_00, 4);
		appleDouble.write('Mac OS X        ', 8, 'latin1');
		await write('2021/2021-07-14/._IMG_0004.jpg', appleDouble);
		await write('2021/2021-07-14/@eaDir/IMG_0003.jpg/SYNOPHOTO_THUMB_M.jpg', await sharp(originalBytes.get('nice1')).resize(320).jpeg({quality: 75}).toBuffer());
		files.push(
			{path: '.DS_Store', role: 'clutter'},
			{path: '2021/2021-07-14/.DS_Store', role: 'clutter'},
			{path: '2021/2021-07-14/._IMG_0004.jpg', role: 'clutter', note: 'AppleDouble resource fork'},
			{path: '2021/2021-07-14/@eaDir/IMG_0003.jpg/SYNOPHOTO_THUMB_M.jpg', role: 'clutter', derivedFrom: byId.get('nice1').path, note: 'Synology thumbnail'},
		);
	} finally {
		await exiftool.end();
	}

	// 8. Describe every file (size, hash, stored dimensions) and pin mtimes: exiftool's rewrites set them to "now".
	for (const file of files) {
		const bytes = await fsp.readFile(abs(file.path));
		file.bytes = bytes.length;
		file.sha256 = sha256(bytes);
		// sharp throws synchronously on an empty buffer, hence the guard before the (async) catch.
		const meta = bytes.length > 0 ? await sharp(bytes).metadata().catch(() => undefined) : undefined;
		if (meta?.width && !file.error) {
			file.format = meta.format;
			file.width = meta.width;
			file.height = meta.height;
		}

		const when = file.expect?.takenAt ? new Date(file.expect.takenAt) : FIXED_MTIME;
		await fsp.utimes(abs(file.path), when, when);
	}

	const manifest = {
		generator: GENERATOR,
		version: MANIFEST_VERSION,
		notes: [
			'All images are synthetic (seeded SVG scenes + grain), generated by media-fixtures/build.mjs.',
			'Paths are relative to the library root, use "/" and are NFC-normalised.',
			'expect.takenAt uses the capture UTC offset (Z for +00:00), as Curate reports it.',
			'width/height are the stored pixel size; files with orientation 5-8 display with width and height swapped.',
			'"of" links exact copies, variants and orientation files to their original (the expected duplicate group); '
				+ '"derivedFrom" only records provenance of broken/clutter files, which are not duplicates.',
		],
		skipped: [{kind: 'video', reason: 'no video encoder available to sharp/exiftool; no MOV/MP4 sample is generated'}],
		files,
	};
	await fsp.writeFile(path.join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, '\t')}\n`);
	await fsp.utimes(path.join(outDir, 'manifest.json'), FIXED_MTIME, FIXED_MTIME);
	return manifest;
}

// ---------------------------------------------------------------------------------------------------------------
// CLI

async function main() {
	const outDir = path.resolve(process.argv[2] ?? DEFAULT_OUT_DIR);
	const started = performance.now();
	const manifest = await buildSampleLibrary(outDir);
	const roles = {};
	let bytes = 0;
	for (const file of manifest.files) {
		roles[file.role] = (roles[file.role] ?? 0) + 1;
		bytes += file.bytes;
	}

	const summary = Object.entries(roles).map(([role, count]) => `${count} ${role}`).join(', ');
	const seconds = ((performance.now() - started) / 1000).toFixed(1);
	console.log(`Built ${manifest.files.length} files (${summary}; ${(bytes / 1024 / 1024).toFixed(1)} MB) in ${path.relative(process.cwd(), outDir) || '.'} in ${seconds} s`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	try {
		await main();
	} catch (error) {
		console.error(error);
		process.exitCode = 1;
	}
}
