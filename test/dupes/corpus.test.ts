import assert from 'node:assert/strict';
import path from 'node:path';
import {before, describe, test} from 'node:test';
import type {Cluster} from '../../source/dupes/find.js';
import {runJson} from '../helpers/cli.js';
import {scanRoot} from '../helpers/scanned.js';
import {copyTree, corpusDir, needsCorpus, tempDir} from '../helpers/temp.js';

describe('duplicates in the real-photo corpus', {skip: needsCorpus}, () => {
	let clusters: Cluster[];
	const clusterOf = (file: string) => clusters.find(cluster => cluster.members.some(member => member.path === file));
	before(async () => {
		const root = path.join(tempDir(), 'library');
		copyTree(corpusDir, root);
		// In-process: a CLI scan of 150 real photos can outlast the CLI helper's two minutes on a loaded machine.
		await scanRoot(root);
		({json: {clusters}} = await runJson(['dupes', '--json', '--library', root]));
	});

	test('the Nikon D5000 original is kept, with every derivative (format, crop, grey, border, rotations) in its cluster', () => {
		const cluster = clusterOf('cameras/Nikon_D5000.jpg')!;
		assert.ok(cluster);
		const paths = new Set(cluster.members.map(member => member.path));
		for (const name of ['as_png.png', 'as_webp.webp', 'crop6pct.jpg', 'exact_copy.jpg', 'grayscale.jpg', 'metadata_stripped.jpg', 'reencoded_q60.jpg', 'resized_50pct.jpg', 'rot270_pixels_orient6.jpg', 'rotated90cw_no_tag.jpg', 'white_border40.jpg']) {
			assert.ok(paths.has(`similar/derived/Nikon_D5000_${name}`), name);
		}

		assert.equal(cluster.members.length, 12);
		const keeper = cluster.members.find(member => member.keeper)!;
		assert.equal(keeper.path, 'cameras/Nikon_D5000.jpg');
		assert.equal(cluster.members.find(member => member.path.endsWith('exact_copy.jpg'))!.match, 'exact');
		assert.equal(cluster.members.find(member => member.path.endsWith('metadata_stripped.jpg'))!.match, 'pixels');
	});

	test('natural duplicates: byte copies, a HEIC pair with other metadata, a JPEG and its WebP', () => {
		assert.equal(clusterOf('similar/Kodak_CLAS_HR200_copy1.jpg')?.kind, 'exact');
		const heic = clusterOf('heic/iPhone11Pro_exif-at-eof.heic')!;
		assert.ok(heic.members.some(member => member.path === 'similar/iPhone11Pro_IMG_2927.HEIC'));
		assert.equal(heic.kind, 'pixels');
		assert.ok(clusterOf('cameras/HTC_Desire.jpg')?.members.some(member => member.path === 'similar/HTC_Desire.webp'));
	});

	test('different shots are not duplicates: a walk of consecutive photos, HDR off and on', () => {
		for (const cluster of clusters) {
			const walk = cluster.members.filter(member => member.path.startsWith('gps/DSCN'));
			assert.ok(walk.length <= 1, `consecutive shots clustered: ${walk.map(member => member.path).join(', ')}`);
		}

		const hdr = clusterOf('similar/canon_hdr_NO.jpg');
		assert.ok(!hdr?.members.some(member => member.path === 'similar/canon_hdr_YES.jpg'), 'HDR on/off are different photos');
	});

	test('the eight EXIF orientations of one picture form one cluster each, never mixed', () => {
		const landscape = clusterOf('orientation/Landscape_1.jpg')!;
		const portrait = clusterOf('orientation/Portrait_1.jpg')!;
		assert.equal(landscape.members.length, 9);
		assert.equal(portrait.members.length, 9);
		assert.ok(landscape.members.every(member => member.path.includes('Landscape')));
	});
});
