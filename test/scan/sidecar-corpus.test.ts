/**
 * Corpus-wide (issue 13): every readable photo of ../shared/photos gets a Lightroom sidecar, is edited by Curate and
 * scanned again, and nothing the sidecar held may be lost, nor a second sidecar appear. Walks the whole corpus, so a
 * new camera in it is tested without anyone writing a line.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {endExiftool, exiftool} from '../../source/adapters/exif.js';
import {sidecarCandidates} from '../../source/core/sidecar-names.js';
import {Catalog} from '../../source/db/catalog.js';
import {runCli} from '../helpers/cli.js';
import {copyTree, corpusDir, needsCorpus, tempDir} from '../helpers/temp.js';

after(endExiftool);

const readable = (catalogPath: string) => {
	const catalog = Catalog.open(catalogPath);
	try {
		return catalog.allPresent().filter(file => (file.kind === 'image' || file.kind === 'raw') && file.error === null);
	} finally {
		catalog.close();
	}
};

test('every readable corpus photo keeps its Lightroom sidecar\'s rating, title and hierarchical keyword through curate edit and scan --force, with one sidecar', {skip: needsCorpus, timeout: 1_800_000}, async () => {
	const root = path.join(tempDir(), 'library');
	copyTree(corpusDir, root);
	const first = await runCli(['scan', root, '--json'], {cwd: root, timeoutMs: 600_000});
	assert.equal(first.code, 0, first.stderr);
	const photos = readable(path.join(root, '.curate', 'catalog.db')).map(file => file.path);
	assert.ok(photos.length >= 100, `only ${photos.length} readable photos in the corpus`);

	// Lightroom names its sidecar after the stem; where two photos of one folder share a stem, the per-file name.
	const stems = new Map<string, number>();
	for (const photo of photos) {
		const stem = photo.slice(0, photo.length - path.posix.extname(photo).length);
		stems.set(stem, (stems.get(stem) ?? 0) + 1);
	}

	const sidecarOf = new Map<string, string>();
	await Promise.all(
		photos.map(async (photo, index) => {
			const stem = photo.slice(0, photo.length - path.posix.extname(photo).length);
			const sidecar = stems.get(stem) === 1 ? `${stem}.xmp` : `${photo}.xmp`;
			sidecarOf.set(photo, sidecar);
			await exiftool().write(
				path.join(root, sidecar),
				{'XMP-xmp:Rating': (index % 5) + 1, 'XMP-dc:Title': `Title ${index}`, 'XMP-lr:HierarchicalSubject': [`Corpus|Set ${index % 3}|Leaf ${index}`], 'XMP-crs:Exposure2012': '+0.50'} as never,
				{writeArgs: ['-overwrite_original']},
			);
		}),
	);

	const rescan = await runCli(['scan', root, '--force', '--json'], {cwd: root, timeoutMs: 600_000});
	assert.equal(rescan.code, 0, rescan.stderr);
	// One batch over every photo, as a user would edit a selection.
	const edit = await runCli(['edit', ...photos, '--add-keyword', 'curated', '--json'], {cwd: root, timeoutMs: 600_000});
	assert.equal(edit.code, 0, edit.stderr);
	assert.deepEqual(new Set(JSON.parse(edit.stdout).written), new Set(sidecarOf.values()), 'each photo\'s existing sidecar is the one written');
	const final = await runCli(['scan', root, '--force', '--json'], {cwd: root, timeoutMs: 600_000});
	assert.equal(final.code, 0, final.stderr);

	const catalog = Catalog.open(path.join(root, '.curate', 'catalog.db'));
	const lost: string[] = [];
	try {
		for (const [index, photo] of photos.entries()) {
			const file = catalog.fileByPath(photo);
			const expected = {rating: (index % 5) + 1, title: `Title ${index}`, hierarchical: `Corpus|Set ${index % 3}|Leaf ${index}`};
			const present = sidecarCandidates(path.join(root, photo)).filter(candidate => fs.existsSync(candidate));
			const problems = [
				file?.rating === expected.rating ? '' : `rating ${file?.rating}`,
				file?.title === expected.title ? '' : `title ${file?.title}`,
				file?.keywords.includes(expected.hierarchical) ? '' : `keywords ${JSON.stringify(file?.keywords)} lack ${expected.hierarchical}`,
				file?.keywords.includes('curated') ? '' : 'the new keyword is missing',
				present.length === 1 ? '' : `${present.length} sidecars`,
			].filter(Boolean);
			if (problems.length > 0) {
				lost.push(`${photo}: ${problems.join(', ')}`);
			}
		}
	} finally {
		catalog.close();
	}

	assert.deepEqual(lost, [], `${lost.length} of ${photos.length} photos lost something from their sidecar`);
	const developed = await Promise.all([...sidecarOf.values()].map(async sidecar => (await exiftool().readRaw(path.join(root, sidecar), ['-XMP-crs:Exposure2012'])) as Record<string, unknown>));
	assert.deepEqual(developed.filter(tags => String(tags.Exposure2012) !== '+0.50').length, 0, 'the develop setting stays in every sidecar');
});
