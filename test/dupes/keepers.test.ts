import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {before, describe, test} from 'node:test';
import type {Cluster} from '../../source/dupes/find.js';
import type {FixtureManifest} from '../../media-fixtures/build.mjs';
import {animationsOf} from '../helpers/animations.js';
import {runCli, runJson} from '../helpers/cli.js';
import {sampleLibrary} from '../helpers/sample-library.js';
import {scanRoot, withCatalog} from '../helpers/scanned.js';

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** The camera originals of the sample library (and burst frames, also straight from the camera), by SHA-256. */
function cameraOriginals(root: string, manifest: FixtureManifest): Map<string, string> {
	return new Map(manifest.files.filter(file => file.role === 'original' || file.role === 'burst').map(file => [sha256(path.join(root, file.path)), file.path]));
}

/**
 * Every cluster holding a camera original keeps one (its bytes), and nothing a camera original lost to was decided
 * by a path tie-break.
 */
function assertCameraOriginalsKept(clusters: readonly Cluster[], originals: ReadonlyMap<string, string>): number {
	let checked = 0;
	for (const cluster of clusters) {
		const held = cluster.members.filter(member => originals.has(member.sha256));
		if (held.length === 0) {
			continue;
		}

		checked++;
		const keeper = cluster.members.find(member => member.keeper)!;
		assert.ok(originals.has(keeper.sha256), `cluster ${cluster.id}: kept ${keeper.path} (${keeper.reasons.join('; ')}) over the camera original ${held.map(member => member.path).join(', ')}`);
		for (const member of cluster.members.filter(member => !member.keeper && !originals.has(member.sha256))) {
			assert.doesNotMatch(member.reasons[0]!, /tie-break/, `${member.path} lost to the camera original only on its path: ${member.reasons[0]}`);
		}
	}

	return checked;
}

describe('keepers of the sample library', () => {
	let root: string;
	let manifest: FixtureManifest;
	let clusters: Cluster[];
	let originals: Map<string, string>;
	before(async () => {
		({root, manifest} = await sampleLibrary());
		await scanRoot(root);
		({json: {clusters}} = await runJson(['dupes', '--json', '--library', root]));
		originals = cameraOriginals(root, manifest);
	});

	test('the camera original IMG_0005.jpg is kept over its Landscape_1.jpg derivative', () => {
		const cluster = clusters.find(candidate => candidate.members.some(member => member.path === 'orientation/Landscape_1.jpg'))!;
		const keeper = cluster.members.find(member => member.keeper)!;
		assert.equal(keeper.path, '2021/2021-07-14/IMG_0005.jpg');
		assert.match(keeper.reasons[0]!, /^camera original over 8 re-encoded copies \(JPEG with Apple iPhone 12 EXIF\)$/);
		const landscape = cluster.members.find(member => member.path === 'orientation/Landscape_1.jpg')!;
		assert.match(landscape.reasons[0]!, /^re-encoded copy \(JPEG with Apple iPhone 12 EXIF, but Landscape_1 is not a camera file name\); the keeper is camera original/);
		for (const member of cluster.members) {
			assert.ok(member.reasons.every(reason => !/shorter path|tie-break/.test(reason)), `${member.path}: ${member.reasons.join('; ')}`);
		}
	});

	test('every cluster that holds a camera original keeps a camera original, never on a path tie-break', () => {
		// Eight: the truncated copy of the Christmas photo now joins its intact original (issue 15).
		assert.equal(assertCameraOriginalsKept(clusters, originals), 8);
	});

	test('WebP, greyscale and edited copies lose as converted or re-encoded copies, not on their paths', () => {
		const reasonOf = (file: string) => clusters.flatMap(cluster => cluster.members).find(member => member.path === file)!.reasons[0]!;
		assert.match(reasonOf('Downloads/IMG_0004.webp'), /^converted copy \(WebP without camera metadata; cameras do not write WebP\)/);
		assert.match(reasonOf('variants/DSC_1877_bw.jpg'), /^converted copy \(greyscale, while another copy is in colour; NIKON CORPORATION NIKON D750 EXIF carried along\)/);
		assert.match(reasonOf('variants/DSC_1877_bright.jpg'), /^re-encoded copy \(JPEG with NIKON CORPORATION NIKON D750 EXIF, but named after DSC_1877\)/);
		assert.match(reasonOf('variants/DSC_0412_watermark.jpg'), /^re-encoded copy \(.*named after DSC_0412\)/);
		assert.match(reasonOf('orientation/Landscape_2.jpg'), /^re-encoded copy \(mirrored by EXIF orientation 2, which cameras do not write\)/);
	});

	test('a same-pixels copy is described as "same pixels, different metadata", not as re-encoded, in dupes text and --json', async () => {
		const stripped = clusters.flatMap(cluster => cluster.members).find(member => member.path === 'variants/DSC_0412_nometa.jpg')!;
		assert.equal(stripped.match, 'pixels');
		assert.match(stripped.reasons[0]!, /^same pixels, different metadata \(no camera metadata\); the keeper is camera original/);
		assert.ok(stripped.reasons.every(reason => !reason.includes('re-encoded')), stripped.reasons.join('; '));
		const text = await runCli(['dupes', '--library', root]);
		assert.equal(text.code, 0, text.stderr);
		const lines = text.stdout.split('\n');
		const line = lines.findIndex(entry => entry.includes('variants/DSC_0412_nometa.jpg'));
		assert.match(lines[line + 1]!, /same pixels, different metadata/);
		assert.doesNotMatch(lines[line + 1]!, /re-encoded/);
	});

	test('dupes --apply keepers --dry-run never trashes a camera original while keeping a derivative', async () => {
		const {json} = await runJson(['dupes', '--apply', 'keepers', '--dry-run', '--json', '--library', root]);
		const trashed = new Set<string>(json.trashed);
		for (const cluster of clusters) {
			const keeper = cluster.members.find(member => member.keeper)!;
			const lost = cluster.members.filter(member => trashed.has(member.path) && originals.has(member.sha256));
			assert.ok(lost.length === 0 || originals.has(keeper.sha256), `would trash ${lost.map(member => member.path).join(', ')} and keep ${keeper.path}`);
		}

		assert.ok(trashed.has('orientation/Landscape_1.jpg'));
		assert.ok(!trashed.has('2021/2021-07-14/IMG_0005.jpg'));
	});
});

test('with every file time reset (a library copied without its dates), the same camera originals are kept', async () => {
	const {root, manifest} = await sampleLibrary();
	const when = new Date('2026-12-01T10:00:00Z');
	for (const file of manifest.files) {
		if (fs.existsSync(path.join(root, file.path))) {
			fs.utimesSync(path.join(root, file.path), when, when);
		}
	}

	await scanRoot(root);
	const {json} = await runJson(['dupes', '--json', '--library', root]);
	assert.equal(assertCameraOriginalsKept(json.clusters, cameraOriginals(root, manifest)), 8);
});

test('an animated GIF is never trashed as a duplicate of a still JPEG (nor an animated WebP, APNG or multi-page TIFF)', async () => {
	const {root} = await sampleLibrary();
	const still = '2021/2021-07-14/IMG_0004.jpg';
	const animations = await animationsOf(fs.readFileSync(path.join(root, still)), 5);
	fs.mkdirSync(path.join(root, 'loops'));
	const written = {
		'loops/IMG_0004.gif': animations.gif,
		'loops/IMG_0004 copy.gif': animations.gif,
		'loops/IMG_0004.webp': animations.webp,
		'loops/IMG_0004.png': animations.apng,
		'loops/IMG_0004.tiff': animations.tiff,
	};
	for (const [file, bytes] of Object.entries(written)) {
		fs.writeFileSync(path.join(root, file), bytes);
	}

	// A one-frame GIF of the same photo is a still, and still a duplicate: the frames, not the format, decide.
	fs.writeFileSync(path.join(root, 'loops/IMG_0004_still.gif'), (await animationsOf(fs.readFileSync(path.join(root, still)), 1)).gif);
	await scanRoot(root);
	const frames = withCatalog(root, catalog => new Map(catalog.allPresent().map(file => [file.path, file.frames])));
	for (const file of Object.keys(written)) {
		assert.equal(frames.get(file), 5, `${file} has 5 frames`);
	}

	assert.equal(frames.get(still), 1);
	assert.equal(frames.get('loops/IMG_0004_still.gif'), 1);

	const {json} = await runJson(['dupes', '--json', '--library', root]);
	const clusterOf = (file: string) => (json.clusters as Cluster[]).find(cluster => cluster.members.some(member => member.path === file));
	const photo = clusterOf(still)!;
	assert.ok(photo.members.some(member => member.path === 'loops/IMG_0004_still.gif'), 'the one-frame GIF is a duplicate of the photo');
	for (const file of Object.keys(written)) {
		assert.ok(!photo.members.some(member => member.path === file), `${file} (5 frames) was clustered with the still ${still}`);
	}

	// Its fingerprints describe the first frame only, so an animation is never a near duplicate of anything, even of
	// another animation; byte-identical copies of one GIF are still exact duplicates.
	for (const file of ['loops/IMG_0004.webp', 'loops/IMG_0004.png', 'loops/IMG_0004.tiff']) {
		assert.equal(clusterOf(file), undefined, `${file} is in a cluster`);
	}

	const gif = clusterOf('loops/IMG_0004.gif')!;
	assert.equal(gif.kind, 'exact');
	assert.deepEqual(gif.members.map(member => member.path).sort(), ['loops/IMG_0004 copy.gif', 'loops/IMG_0004.gif']);

	const {json: plan} = await runJson(['dupes', '--apply', 'keepers', '--dry-run', '--json', '--library', root]);
	assert.ok(!plan.trashed.includes('loops/IMG_0004.gif'));
	for (const file of ['loops/IMG_0004.webp', 'loops/IMG_0004.png', 'loops/IMG_0004.tiff']) {
		assert.ok(!plan.trashed.includes(file), `${file} would be trashed`);
	}
});
