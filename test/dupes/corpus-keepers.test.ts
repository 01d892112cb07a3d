import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {before, describe, test} from 'node:test';
import type {Cluster} from '../../source/dupes/find.js';
import {runJson} from '../helpers/cli.js';
import {scanRoot} from '../helpers/scanned.js';
import {copyTree, corpusDir, needsCorpus, tempDir} from '../helpers/temp.js';

/** Formats a camera writes; a PNG, WebP or GIF in the corpus is always a conversion, whatever EXIF it carries. */
const cameraFormats = /^(?:JPEG|HEIC|HEIF|TIFF|DNG|NEF|CR2|CR3|ARW|ORF|RW2|RAF)$/i;

/**
 * What MANIFEST.md says about every file: a camera original is copied byte for byte from its source (not *generated*),
 * names a camera make, and is in a format cameras write. Read from the manifest, not from Curate, so the keeper rules
 * are checked against an independent account.
 */
function manifestFacts(): {originals: Set<string>; derived: Set<string>; listed: number} {
	const originals = new Set<string>();
	const derived = new Set<string>();
	let listed = 0;
	for (const line of fs.readFileSync(path.join(corpusDir, 'MANIFEST.md'), 'utf8').split('\n')) {
		const cells = line.split('|').map(cell => cell.trim());
		const file = /^`(.+)`$/.exec(cells[1] ?? '')?.[1];
		if (!file || cells.length < 11) {
			continue;
		}

		listed++;
		const [format, make, source] = [cells[3]!, cells[5]!, cells[9]!];
		if (source.includes('*generated*')) {
			derived.add(file);
		} else if (make !== '-' && make !== '' && cameraFormats.test(format)) {
			originals.add(file);
		}
	}

	return {originals, derived, listed};
}

describe('keepers in the real-photo corpus', {skip: needsCorpus}, () => {
	let root: string;
	let clusters: Cluster[];
	let facts: ReturnType<typeof manifestFacts>;
	before(async () => {
		facts = manifestFacts();
		root = path.join(tempDir(), 'library');
		copyTree(corpusDir, root);
		// In-process: a CLI scan of 150 real photos can outlast the CLI helper's two minutes on a loaded machine.
		await scanRoot(root);
		({json: {clusters}} = await runJson(['dupes', '--json', '--library', root]));
	});

	test('every cluster whose members include a camera original keeps a camera original', () => {
		assert.ok(facts.listed >= 140, `MANIFEST.md lists ${facts.listed} files`);
		let checked = 0;
		for (const cluster of clusters) {
			const originals = cluster.members.filter(member => facts.originals.has(member.path));
			if (originals.length === 0) {
				continue;
			}

			checked++;
			const shas = new Set(originals.map(member => member.sha256));
			const keeper = cluster.members.find(member => member.keeper)!;
			assert.ok(shas.has(keeper.sha256), `cluster ${cluster.id}: kept ${keeper.path} (${keeper.reasons.join('; ')}) over the camera original ${originals.map(member => member.path).join(', ')}`);
			for (const member of cluster.members.filter(member => !shas.has(member.sha256))) {
				assert.doesNotMatch(member.reasons[0]!, /tie-break/, `${member.path} lost to a camera original only on its path`);
			}
		}

		// The Nikon D5000 and its derivatives, the HTC Desire JPEG and WebP, the two iPhone HEICs, the Kodak copies, two
		// GPS photos and their GIF and PNG conversions.
		assert.ok(checked >= 6, `${checked} clusters hold a camera original`);
	});

	test('the WebP, greyscale and re-encoded derivatives of the Nikon D5000 lose on the original rule, not their paths', () => {
		const cluster = clusters.find(candidate => candidate.members.some(member => member.path === 'cameras/Nikon_D5000.jpg'))!;
		const reasonOf = (name: string) => cluster.members.find(member => member.path === `similar/derived/Nikon_D5000_${name}`)!.reasons[0]!;
		assert.match(reasonOf('as_webp.webp'), /^converted copy \(WebP with NIKON CORPORATION NIKON D5000 EXIF; cameras do not write WebP\)/);
		assert.match(reasonOf('grayscale.jpg'), /^converted copy \(greyscale, while another copy is in colour/);
		assert.match(reasonOf('reencoded_q60.jpg'), /^re-encoded copy \(JPEG with NIKON CORPORATION NIKON D5000 EXIF, but named after Nikon_D5000\)/);
		assert.match(reasonOf('metadata_stripped.jpg'), /^same pixels, different metadata \(no camera metadata\)/);
		assert.match(cluster.members.find(member => member.keeper)!.reasons.join('; '), /camera original over /);
	});

	test('an animated GIF is never a duplicate of the still photos it was made from', () => {
		const animated = manifestFacts().derived.has('formats/gif/DSCN0038-0042_animated.gif');
		assert.ok(animated, 'the manifest lists the animated GIF as generated');
		for (const cluster of clusters) {
			const paths = cluster.members.map(member => member.path);
			assert.ok(!paths.some(file => file.endsWith('_animated.gif') || file.startsWith('formats/webp/animated')), `an animation is clustered: ${paths.join(', ')}`);
		}
	});

	test('dupes --apply keepers --dry-run never trashes a camera original while keeping a derivative', async () => {
		const {json} = await runJson(['dupes', '--apply', 'keepers', '--dry-run', '--json', '--library', root]);
		const trashed = new Set<string>(json.trashed);
		assert.ok(trashed.size > 0);
		for (const cluster of clusters) {
			const keeper = cluster.members.find(member => member.keeper)!;
			const lost = cluster.members.filter(member => trashed.has(member.path) && facts.originals.has(member.path));
			const keptOriginal = cluster.members.some(member => facts.originals.has(member.path) && member.sha256 === keeper.sha256);
			assert.ok(lost.length === 0 || keptOriginal, `would trash ${lost.map(member => member.path).join(', ')} and keep ${keeper.path}`);
		}
	});
});
