import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {endExiftool, exiftool, writeMetadata} from '../../source/adapters/exif.js';
import {tagRowsOf} from '../../source/db/tag-review.js';
import {openJournal} from '../../source/journal/journal.js';
import {applyTagDecisions} from '../../source/tags/decisions.js';
import {createTagReviewActions} from '../../source/tags/review-actions.js';
import {journalLibrary} from '../helpers/journal-library.js';
import {connectionOf} from '../../source/db/connection.js';

after(async () => {
	await endExiftool();
});

/** A library of 4 catalogued files whose contents carry CLIP suggestions of `colour/red` (and one of `scenes/night`). */
async function taggedLibrary() {
	const {library, files} = journalLibrary(4);
	const opened = await openJournal(library);
	const store = tagRowsOf(opened.catalog);
	for (const [index, file] of files.entries()) {
		store.setRows(file.sha256, [{tag: 'colour/red', source: 'clip', value: {state: 'suggested', confidence: 0.3 + index / 10}}]);
	}

	store.setRows(files[0]!.sha256, [{tag: 'scenes/night', source: 'clip', value: {state: 'suggested', confidence: 0.9}}]);
	return {library, files, ...opened, store};
}

async function readKeywords(file: string) {
	const tags = (await exiftool().readRaw(file, ['-json', '-XMP-dc:Subject', '-XMP-lr:HierarchicalSubject', '-XMP:Rating'])) as Record<string, unknown>;
	const list = (value: unknown) => (value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)]);
	return {subject: list(tags.Subject), hierarchical: list(tags.HierarchicalSubject), rating: tags.Rating};
}

describe('tag decisions through the journal', () => {
	test('a page: confirmed ones get sidecars exiftool reads back, rejected ones are remembered; undo restores sidecars byte for byte and tag states', async () => {
		const {library, files, journal, catalog, store, close} = await taggedLibrary();
		try {
			// One photo already has a sidecar with a keyword of its own: it must survive, and come back exactly on undo.
			const existing = path.join(library.root, `${files[1]!.path}.xmp`);
			await writeMetadata(existing, {keywords: ['holiday'], rating: 2});
			const existingBytes = fs.readFileSync(existing);
			const actions = createTagReviewActions(journal, {below: 0.6});
			const queue = actions.queue('colour/red');
			assert.deepEqual(queue.map(item => item.confidence), [0.3, 0.4, 0.5], 'below 0.6 only, lowest first');
			const [wrong, ...right] = queue;
			const result = await actions.decidePage('colour/red', right, [wrong!]);
			assert.match(result.summary, /^colour\/red: 2 confirmed, 1 rejected · 2 sidecars written · batch \d+$/);

			for (const item of right) {
				const keywords = await readKeywords(path.join(library.root, `${item.path}.xmp`));
				assert.ok(keywords.subject.includes('red'), JSON.stringify(keywords));
				assert.deepEqual(keywords.hierarchical, ['colour|red']);
				assert.deepEqual(store.rows(item.sha256, 'colour/red').map(row => row.state), ['confirmed']);
			}

			const kept = await readKeywords(existing);
			assert.deepEqual(kept.subject, ['holiday', 'red'], 'the sidecar keeps its own keyword');
			assert.equal(kept.rating, 2);
			assert.ok(!fs.existsSync(path.join(library.root, `${wrong!.path}.xmp`)), 'a rejected photo gets no sidecar');
			assert.deepEqual(store.rows(wrong!.sha256, 'colour/red').map(row => row.state), ['rejected']);
			assert.deepEqual(actions.queue('colour/red'), [], 'decided photos leave the queue');
			const fresh = right.find(item => item.path !== files[1]!.path)!;
			// The catalog keeps what scan reads back from the sidecar: plain keywords, then the hierarchical ones whole.
			assert.deepEqual(catalog.fileByPath(fresh.path)!.keywords, ['kept', 'red', 'colour|red'], 'the catalog knows the new keyword');
			assert.deepEqual(catalog.fileByPath(files[1]!.path)!.keywords, ['holiday', 'red', 'colour|red'], '…as the sidecar holds it');

			await actions.undo(result.batch);
			assert.deepEqual(fs.readFileSync(existing), existingBytes, 'the earlier sidecar is back byte for byte');
			assert.ok(!fs.existsSync(path.join(library.root, `${fresh.path}.xmp`)), 'a sidecar that did not exist is gone again');
			assert.ok(fs.existsSync(path.join(library.root, '.curate/trash', String(result.batch), `${fresh.path}.xmp`)), '…into the trash, not deleted');
			assert.deepEqual(actions.queue('colour/red').map(item => item.sha256), queue.map(item => item.sha256), 'all three are suggested again');
			assert.deepEqual(catalog.fileByPath(fresh.path)!.keywords, ['kept']);
		} finally {
			close();
		}
	});

	test('adding a tag by hand, ratings, and taking a confirmation back removes only that keyword', async () => {
		const {library, files, journal, store, close} = await taggedLibrary();
		try {
			const actions = createTagReviewActions(journal, {below: 1});
			const night = actions.queue('scenes/night');
			assert.equal(night.length, 1);
			await actions.decidePage('scenes/night', night, []);
			const added = await actions.addTag('places/beach', night);
			assert.match(added.summary, /places\/beach added to 1 photo/);
			assert.deepEqual(store.rows(files[0]!.sha256, 'places/beach'), [{tag: 'places/beach', source: 'user', state: 'confirmed', confidence: 1}]);
			await actions.rate(night, 4);
			const sidecar = path.join(library.root, `${files[0]!.path}.xmp`);
			const written = await readKeywords(sidecar);
			assert.deepEqual(written.subject, ['kept', 'night', 'beach']);
			assert.deepEqual(written.hierarchical, ['scenes|night', 'places|beach']);
			assert.equal(written.rating, 4);
			await assert.rejects(actions.rate(night, 4), /already rated 4/);

			// A CSV-style change of mind: night is wrong after all.
			await applyTagDecisions(journal, [{sha256: files[0]!.sha256, tag: 'scenes/night', state: 'rejected'}], {command: 'test', label: 'reject night'});
			const after = await readKeywords(sidecar);
			assert.deepEqual(after.subject, ['kept', 'beach']);
			assert.deepEqual(after.hierarchical, ['places|beach']);
			assert.equal(after.rating, 4);
		} finally {
			close();
		}
	});

	test('embedded on request: the keyword goes into the file, with a byte-exact backup that undo restores', async () => {
		const {library, files, journal, close} = await taggedLibrary();
		try {
			// Random bytes are no JPEG exiftool can write into; use a real one.
			const sharp = (await import('sharp')).default;
			const photo = path.join(library.root, files[3]!.path);
			const jpeg = await sharp({create: {width: 8, height: 6, channels: 3, background: {r: 200, g: 10, b: 10}}}).jpeg().toBuffer();
			fs.writeFileSync(photo, jpeg);
			const {createHash} = await import('node:crypto');
			const sha256 = createHash('sha256').update(jpeg).digest('hex');
			connectionOf(journal.catalog).prepare('UPDATE files SET sha256 = ?, size = ? WHERE path = ?').run(sha256, jpeg.length, files[3]!.path);
			tagRowsOf(journal.catalog).setRows(sha256, [{tag: 'colour/red', source: 'clip', value: {state: 'suggested', confidence: 0.5}}]);
			const actions = createTagReviewActions(journal, {below: 0.6, embedded: true});
			const item = actions.queue('colour/red').find(candidate => candidate.sha256 === sha256)!;
			const result = await actions.decidePage('colour/red', [item], []);
			assert.match(result.summary, /1 file written/);
			assert.ok((await readKeywords(photo)).subject.includes('red'));
			assert.ok(!fs.existsSync(`${photo}.xmp`));
			await actions.undo(result.batch);
			assert.deepEqual(fs.readFileSync(photo), jpeg);
		} finally {
			close();
		}
	});
});
