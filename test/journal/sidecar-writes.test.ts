import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {endExiftool} from '../../source/adapters/exif.js';
import {readAllTags} from '../../source/adapters/exif-write.js';
import {openJournal} from '../../source/journal/journal.js';
import {createReviewActions} from '../../source/review/actions.js';
import type {ReviewCluster, ReviewMember} from '../../source/review/types.js';
import {planKeywordWrites} from '../../source/tags/keyword-writes.js';
import {lightroomXmp} from '../helpers/lightroom-sidecar.js';
import {journalLibrary} from '../helpers/journal-library.js';

after(endExiftool);

const ours = /^(SourceFile|ExifTool:|System:|File:|Composite:|MWG:)|^XMP-x:XMPToolkit$/;
async function tagsOf(file: string): Promise<Record<string, unknown>> {
	return Object.fromEntries(Object.entries(await readAllTags(file)).filter(([key]) => !ours.test(key)));
}

const member = (file: {path: string; sha256: string; size: number}): ReviewMember => ({
	path: file.path, sha256: file.sha256, width: 4, height: 3, bytes: file.size, format: 'jpeg', takenAt: null, camera: null, gps: false,
	caption: null, keywords: [], rating: null, lens: null, keeper: false, reasons: [], match: 'exact', companions: [], thumb: null,
});

describe('review merges and tag review write the sidecar that exists (issue 13)', () => {
	test('a review merge into a keeper with a Lightroom sidecar writes into it, keeps its develop settings and history, and splits a hierarchical keyword', async () => {
		const {library, files} = journalLibrary(3);
		const [keeper, other] = files.filter(file => file.path.startsWith('a/'));
		const sidecar = path.join(library.root, keeper!.path.replace(/\.jpg$/, '.xmp'));
		fs.writeFileSync(sidecar, lightroomXmp);
		const before = await tagsOf(sidecar);
		const {journal, catalog, close} = await openJournal(library);
		try {
			// What scan would have catalogued: the keeper's sidecar keywords, and a hierarchical keyword on the other copy.
			journal.store.setFields(keeper!.path, {keywords: ['Places|France|Paris'], rating: 4, title: 'Eiffel at dusk'});
			journal.store.setFields(other!.path, {keywords: ['Trips|2019|Rome'], description: 'from the other copy'});
			const cluster: ReviewCluster = {id: 'c1', kind: 'exact', reclaimableBytes: other!.size, members: [member(keeper!), member(other!)]};
			const result = await createReviewActions(journal).merge(cluster, keeper!.path);
			assert.match(result.summary, /keywords, description merged into/);
			assert.ok(!fs.existsSync(path.join(library.root, `${keeper!.path}.xmp`)), 'no second sidecar');
			const merged = await tagsOf(sidecar);
			assert.deepEqual(merged['XMP-dc:Subject'], 'Rome', 'only the leaf in dc:subject');
			assert.deepEqual(merged['XMP-lr:HierarchicalSubject'], ['Places|France|Paris', 'Trips|2019|Rome']);
			assert.equal(merged['XMP-dc:Description'], 'from the other copy');
			for (const key of ['XMP-xmp:Rating', 'XMP-dc:Title', 'XMP-crs:Exposure2012', 'XMP-xmpMM:DocumentID', 'XMP-xmpMM:HistoryAction', 'XMP-acme:Secret']) {
				assert.deepEqual(merged[key], before[key], key);
			}

			assert.deepEqual(catalog.fileByPath(keeper!.path)!.keywords, ['Rome', 'Places|France|Paris', 'Trips|2019|Rome'], 'as scan reads the sidecar back');
			await journal.undo(Number(result.batchId));
			assert.equal(fs.readFileSync(sidecar, 'utf8'), lightroomXmp, 'undo restores the Lightroom sidecar byte for byte');
		} finally {
			close();
		}
	});

	test('tag review confirming a tag on a photo with a Lightroom sidecar writes into it and keeps its keywords, rating and develop settings', async () => {
		const {library, files} = journalLibrary(1);
		const photo = files[0]!.path;
		const sidecar = path.join(library.root, photo.replace(/\.jpg$/, '.xmp'));
		fs.writeFileSync(sidecar, lightroomXmp);
		const before = await tagsOf(sidecar);
		const {journal, close} = await openJournal(library);
		try {
			const operations = await planKeywordWrites(journal, [{path: photo, addTags: ['colour/red']}]);
			assert.deepEqual(operations.map(op => ('path' in op ? op.path : '')), [path.posix.join(path.posix.dirname(photo), 'photo-0.xmp')]);
			await journal.apply({command: 'test', label: 'tag review', operations});
			const after = await tagsOf(sidecar);
			assert.deepEqual(after['XMP-lr:HierarchicalSubject'], ['Places|France|Paris', 'colour|red']);
			assert.equal(after['XMP-dc:Subject'], 'red');
			for (const key of ['XMP-xmp:Rating', 'XMP-dc:Title', 'XMP-crs:Exposure2012', 'XMP-acme:Secret', 'XMP-xmpMM:HistoryInstanceID']) {
				assert.deepEqual(after[key], before[key], key);
			}

			assert.ok(!fs.existsSync(path.join(library.root, `${photo}.xmp`)), 'no second sidecar');
		} finally {
			close();
		}
	});

	test('tag review --embed on a photo whose sidecar holds keywords writes the same keywords into the sidecar, so the next scan does not hide them', async () => {
		const {library, files} = journalLibrary(1);
		const photo = files[0]!.path;
		const sidecar = path.join(library.root, `${photo}.xmp`);
		fs.writeFileSync(sidecar, lightroomXmp);
		const {journal, close} = await openJournal(library);
		try {
			journal.store.setFields(photo, {keywords: ['Places|France|Paris']});
			const operations = await planKeywordWrites(journal, [{path: photo, addTags: ['colour/red']}], {embedded: true});
			assert.deepEqual(operations.map(op => op.kind), ['write-embedded', 'write-sidecar']);
			const share = operations[1]!;
			assert.ok(share.kind === 'write-sidecar');
			assert.equal(share.path, `${photo}.xmp`);
			assert.deepEqual((await tagsOf(sidecar))['XMP-lr:HierarchicalSubject'], 'Places|France|Paris', 'nothing written before the batch runs');
		} finally {
			close();
		}
	});
});
