import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {endExiftool, exiftool, readMetadata} from '../../source/adapters/exif.js';
import {exportFiles} from '../../source/export/export.js';
import {libraryAt} from '../../source/library.js';
import {closeDecoders} from '../../source/media/decode.js';
import {scanRoot, withCatalog} from '../helpers/scanned.js';
import {copyTree, corpusDir, needsCorpus, tempDir} from '../helpers/temp.js';

after(async () => {
	await endExiftool();
	await closeDecoders();
});

/**
 * What a shared copy must never hold, stated here on its own terms (not imported from the export's rule, so a rule
 * that forgets a tag is caught): any GPS tag, any serial number, the owner's name, and any maker-note block, known
 * (family-0 group MakerNotes: Canon, Nikon, Apple…) or not (MakerNoteUnknown and other MakerNote* tags).
 */
function forbidden(key: string): boolean {
	const [family0 = '', family1 = '', name = ''] = key.split(':');
	return (
		family0 === 'MakerNotes' ||
		/^MakerNote/i.test(name) ||
		/gps/i.test(family1) ||
		/^GPS/i.test(name) ||
		/SerialNumber/i.test(name) ||
		/^(OwnerName|CameraOwnerName|Artist|By-line|Creator)$/i.test(name)
	);
}

const wallClock = (iso: string | undefined | null) => iso?.slice(0, 19);

test('every readable photo of the real-photo corpus exports with default options: no GPS, serial, owner or maker note in any copy, capture date kept', {skip: needsCorpus, timeout: 15 * 60_000}, async () => {
	const root = path.join(tempDir(), 'library');
	copyTree(corpusDir, root);
	await scanRoot(root);
	const out = tempDir();
	const started = performance.now();
	const {files, report} = await withCatalog(root, async catalog => {
		const files = catalog.allPresent();
		return {files, report: await exportFiles(libraryAt(root), catalog, files, out, {format: 'jpeg', quality: 85, strip: 'gps'})};
	});
	const seconds = (performance.now() - started) / 1000;
	const readable = files.filter(file => !file.error && file.kind !== 'video');
	const failed = report.items.filter(item => item.action === 'failed');
	const exported = report.items.filter(item => item.action === 'write' || item.action === 'reuse');
	console.log(`corpus export: ${exported.length} of ${readable.length} readable photos exported (${files.length} files) in ${seconds.toFixed(1)} s, ${failed.length} failed`);
	assert.deepEqual(failed.map(item => `${item.path}: ${item.reason}`), [], 'no readable photo fails');
	assert.deepEqual(
		readable.filter(file => !exported.some(item => item.path === file.path)).map(file => file.path),
		[],
		'every photo the scan read is exported',
	);

	const byPath = new Map(files.map(file => [file.path, file]));
	// exiftool-vendored queues the reads over its processes.
	const problems = await Promise.all(
		exported.map(async item => {
			const found: string[] = [];
			const tags = (await exiftool().readRaw(item.output!, ['-json', '-a', '-G0:1', '-u', '-charset', 'filename=utf8'])) as Record<string, unknown>;
			const leaked = Object.keys(tags).filter(key => forbidden(key));
			if (leaked.length > 0) {
				found.push(`${item.path}: ${leaked.join(', ')}`);
			}

			const source = byPath.get(item.path)!;
			if (source.takenAtSource && source.takenAtSource !== 'mtime') {
				const copy = await readMetadata(item.output!);
				if (wallClock(copy.takenAt) !== wallClock(source.takenAt)) {
					found.push(`${item.path}: capture date ${source.takenAt} became ${copy.takenAt ?? 'nothing'}`);
				}
			}

			return found;
		}),
	);

	assert.deepEqual(problems.flat(), []);
	assert.ok(exported.length > 100, `the corpus has over 100 readable photos (exported ${exported.length})`);
	assert.ok(fs.readdirSync(out).every(name => !name.includes('curate-tmp')), 'no temporary file is left');
});
